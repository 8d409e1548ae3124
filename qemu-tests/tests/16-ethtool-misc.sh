#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# ethtool -i, -d, -e/-E, -p, -r, -s, msglvl, -T and the tx-copybreak
# tunable: each value checked against the device, each refusal checked,
# unprivileged changes included.
# topology: tap
. /tests/lib.sh

setup_tap
info=$(ethtool -i "$IF")
check "-i: driver nicdrv" sh -c "echo '$info' | grep -qx 'driver: nicdrv'"
check "-i: bus-info is the PCI address" \
	sh -c "echo '$info' | grep -qx 'bus-info: $(basename "$(readlink /sys/class/net/$IF/device)")'"
check "-i: register dump and EEPROM supported" \
	sh -c "echo '$info' | grep -qx 'supports-register-dump: yes' && echo '$info' | grep -qx 'supports-eeprom-access: yes'"

# -d: (offset, value) pairs
reg() { regval "$IF" "$1"; }
check "-d: RDLEN = 256 descriptors x 16 bytes" test "$(reg 0x2808)" = 00001000
check "-d: TDLEN = 256 descriptors x 16 bytes" test "$(reg 0x3808)" = 00001000
status=$(reg 0x0008)
check "-d: STATUS shows link up ($status)" test $((0x$status & 2)) -ne 0
mac=$(cat /sys/class/net/$IF/address)
ral=$(reg 0x5400)
want=$(echo "$mac" | awk -F: '{ print $4 $3 $2 $1 }')
check "-d: RAL0 holds the MAC ($ral)" test "$ral" = "$want"

# -e: the MAC in words 0-2, and the 64 words sum to 0xBABA
ee=$(ethtool -e "$IF" raw on | od -An -v -tx1 | tr -s ' \n' ' ')
check "-e: 128 bytes" test "$(echo $ee | wc -w)" -eq 128
check "-e: bytes 0-5 are the MAC" test "$(echo $ee | cut -d' ' -f1-6 | tr ' ' :)" = "$mac"
sum=$(ethtool -e "$IF" raw on | od -An -v -tu2 | tr -s ' \n' '\n' |
	awk 'NF { s = (s + $1) % 65536 } END { printf "%04x", s }')
check "-e: the words sum to 0xbaba ($sum)" test "$sum" = baba
err=$(ethtool -E "$IF" magic 0x100e8086 offset 0 value 0x52 2>&1)
check "-E refused (QEMU's EEPROM cannot be written)" test $? -ne 0
diag "ethtool said: $(echo $err)"
check "-e: EEPROM unchanged" test "$(ethtool -e "$IF" raw on | od -An -v -tx1 | tr -s ' \n' ' ')" = "$ee"

# -p: LED0 blinks through LEDCTL, and LEDCTL comes back
led0=$(reg 0x0e00)
ethtool -p "$IF" 2 &
blink=$!
seen=
for i in 1 2 3 4 5 6 7 8; do
	sleep 0.2
	v=$(reg 0x0e00)
	[ "$v" != "$led0" ] && seen="$seen $v"
done
wait $blink
check "-p: LEDCTL changed while blinking ($seen)" test -n "$seen"
check "-p: LEDCTL restored ($led0)" test "$(reg 0x0e00)" = "$led0"

# -r: autonegotiation restarts.  QEMU drops the link for 500 ms without an
# interrupt, then raises LSC when it comes back.
lsc=$(ethstat "$IF" link_changes)
check "-r accepted" ethtool -r "$IF"
sleep 1.5
check_cmp "-r: the PHY renegotiated (LSC interrupts)" \
	"$(($(ethstat "$IF" link_changes) - lsc))" -ge 1
check "-r: link up afterwards" wait_carrier "$IF" 3

# -s: advertise through the PHY; nonsense refused
check "-s advertise 100baseT/Full + 1000baseT/Full" ethtool -s "$IF" advertise 0x28
check "-s: ethtool shows the new advertisement" \
	sh -c "ethtool $IF | sed -n '/Advertised link modes/,/Advertised pause/p' | grep -q '100baseT/Full' &&
	       ! ethtool $IF | sed -n '/Advertised link modes/,/Advertised pause/p' | grep -q '10baseT/Half'"
wait_carrier "$IF" 3
check "-s advertise everything again" ethtool -s "$IF" advertise 0x2f
wait_carrier "$IF" 3
err=$(ethtool -s "$IF" autoneg off speed 10000 duplex full 2>&1)
check "-s speed 10000 refused" test $? -ne 0
diag "ethtool said: $(echo $err)"
wait_ping $TAP_HOST
check "traffic after -r and -s" ping_ok 20 $TAP_HOST

check "msglvl set" ethtool -s "$IF" msglvl 0x3
check "msglvl read back" sh -c "ethtool $IF | grep -q 'Current message level: 0x00000003'"
check "-T: software TX and RX timestamps" \
	sh -c "ethtool -T $IF | grep -q software-transmit && ethtool -T $IF | grep -q software-receive"

# --set-tunable tx-copybreak: a frame of at most that many bytes is copied
# into the coherent copy area instead of being mapped (tx.c).  An ICMP echo
# request of 86 bytes' payload is a 128-byte frame (14 + 20 + 8 + 86), of
# 87 a 129-byte one.  The host answers only requests that arrive intact.
cb() { ethtool --get-tunable "$IF" tx-copybreak | awk '$1 == "tx-copybreak:" { print $2 }'; }
copied_by() {	# copied_by PAYLOAD: frames copied while 20 pings of it go out
	local c0
	c0=$(ethstat "$IF" tx_copied)
	ping -c 20 -i 0.02 -q -s "$1" $TAP_HOST >/dev/null || echo "lost"
	echo $(($(ethstat "$IF" tx_copied) - c0))
}
check_cmp "tx-copybreak defaults to 128 bytes" "$(cb)" -eq 128
n=$(copied_by 86)
check_cmp "128-byte frames are copied, and answered ($n of 20)" "$n" -ge 20
n=$(copied_by 87)
check_cmp "129-byte frames are mapped, and answered ($n copied)" "$n" -lt 20
check "tx-copybreak 0" ethtool --set-tunable "$IF" tx-copybreak 0
check_cmp "ethtool reads it back" "$(cb)" -eq 0
n=$(copied_by 56)
check_cmp "tx-copybreak 0: nothing copied, pings answered ($n)" "$n" -eq 0
check "tx-copybreak 128 while down" sh -c "ip link set $IF down && ethtool --set-tunable $IF tx-copybreak 128"
ip link set "$IF" up
wait_carrier "$IF" 3
check_cmp "it holds after up" "$(cb)" -eq 128
err=$(ethtool --set-tunable "$IF" tx-copybreak 129 2>&1)
check "tx-copybreak 129 refused" test $? -ne 0
diag "ethtool said: $(echo $err)"
check "the kernel log says why" sh -c "dmesg | grep -q 'tx-copybreak goes from 0 to 128 bytes'"
check_cmp "tx-copybreak unchanged" "$(cb)" -eq 128
err=$(ethtool --set-tunable "$IF" rx-copybreak 64 2>&1)
check "rx-copybreak refused (not offered)" test $? -ne 0
diag "ethtool said: $(echo $err)"

# Unprivileged callers: the ethtool core refuses every change without
# CAP_NET_ADMIN, before nicdrv sees it; the values stay as they were
nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
v=$(nobody ethtool --get-tunable "$IF" tx-copybreak 2>&1)
check "an unprivileged user reads tx-copybreak ($(echo $v))" test "$v" = "tx-copybreak: 128"
for change in "--set-tunable $IF tx-copybreak 0" "-G $IF rx 512" "-C $IF rx-usecs 0" \
	      "-s $IF msglvl 0"; do
	err=$(nobody ethtool $change 2>&1)
	check "unprivileged ethtool $change refused" test $? -ne 0
	diag "ethtool said: $(echo $err)"
done
check_cmp "tx-copybreak still 128" "$(cb)" -eq 128
rings=$(ring_sizes "$IF")
check "rings unchanged ($rings)" test "$rings" = 256/256
check_cmp "rx-usecs unchanged" "$(coalesce "$IF" rx-usecs)" -eq 50
check "msglvl unchanged" sh -c "ethtool $IF | grep -q 'Current message level: 0x00000003'"
check "traffic afterwards" ping_ok 20 $TAP_HOST
