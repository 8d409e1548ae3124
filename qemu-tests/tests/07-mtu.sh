#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Jumbo frames: MTU 9000 and 16000 with pings that fill them (frames span
# several RX descriptors), back to 1500; MTU values out of range refused.
# topology: tap
. /tests/lib.sh

setup_tap
for mtu in 9000 16000; do
	host "ip link set ndtap0 mtu $mtu"
	check "MTU $mtu accepted" ip link set "$IF" mtu $mtu
	wait_ping $TAP_HOST	# RCTL.LPE changed: QEMU's 1 s receive stall
	size=$((mtu - 1000))
	multi0=$(ethstat "$IF" rx_multi_desc)
	check "MTU $mtu: $size-byte pings, guest -> host" \
		ping_ok 20 -s $size -M do $TAP_HOST
	check "MTU $mtu: $size-byte pings, host -> guest" \
		host_ping_ok 20 -s $size -M do $TAP_GUEST
	check_cmp "MTU $mtu: frames spanned several descriptors" \
		"$(($(ethstat "$IF" rx_multi_desc) - multi0))" -ge 20
done
host "ip link set ndtap0 mtu 1500"
check "back to MTU 1500" ip link set "$IF" mtu 1500
wait_ping $TAP_HOST
check "MTU 1500: full-size pings" ping_ok 20 -s 1472 -M do $TAP_HOST
check "MTU 1500: larger frames are fragmented, not lost" ping_ok 10 -s 4000 $TAP_HOST

err=$(ip link set "$IF" mtu 16363 2>&1)
check "MTU 16363 (over QEMU's 16384-byte frame) refused" test $? -ne 0
diag "ip said: $err"
err=$(ip link set "$IF" mtu 67 2>&1)
check "MTU 67 refused" test $? -ne 0
check_cmp "MTU unchanged after refusals" "$(cat /sys/class/net/$IF/mtu)" -eq 1500
check "max MTU 16362 accepted" ip link set "$IF" mtu 16362
ip link set "$IF" mtu 1500
check "no error counters" errors_zero "$IF"
