#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Carrier comes up within 3 s of "ip link set up", follows QEMU's link
# state (QMP set_link), and survives down/up cycles.
# topology: tap
# drivers: nicdrv e1000
. /tests/lib.sh

load_driver
IF=$(iface_by_mac $TAP_MAC) || bail "no interface with MAC $TAP_MAC"
ip addr add $TAP_GUEST/24 dev "$IF"
t0=$(now_ms)
ip link set "$IF" up
wait_carrier "$IF" 3
check "carrier within 3 s of link up" test $? -eq 0
diag "carrier after $(($(now_ms) - t0)) ms"
check "ethtool reports 1000 Mb/s full duplex" \
	sh -c "ethtool $IF | grep -q 'Speed: 1000Mb/s' && ethtool $IF | grep -q 'Duplex: Full'"
check "ethtool -i names the driver" sh -c "ethtool -i $IF | grep -qx 'driver: $DRIVER'"

qmp '{"execute":"set_link","arguments":{"name":"nic0","up":false}}' >/dev/null
check "QMP set_link off drops the carrier" wait_no_carrier "$IF" 3
check "speed unknown without link" sh -c "ethtool $IF | grep -q 'Speed: Unknown'"
qmp '{"execute":"set_link","arguments":{"name":"nic0","up":true}}' >/dev/null
check "QMP set_link on restores it" wait_carrier "$IF" 3
check "traffic after the flap" ping_ok 20 $TAP_HOST

ok=0
for i in 1 2 3 4 5; do
	ip link set "$IF" down
	ip link set "$IF" up
	wait_carrier "$IF" 3 && ok=$((ok + 1))
done
check_cmp "carrier after each of 5 down/up cycles" $ok -eq 5
check "traffic after the cycles" ping_ok 20 $TAP_HOST
