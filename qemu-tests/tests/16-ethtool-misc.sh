#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# ethtool -i, -d, -e/-E, -p, -r, -s, msglvl and -T: each value checked
# against the device, each refusal checked.
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
