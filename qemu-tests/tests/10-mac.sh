#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# MAC address changes, up and down: the new address receives, the old one
# is filtered, invalid addresses are refused and change nothing.
# topology: hub
. /tests/lib.sh

setup_hub
old=$(cat /sys/class/net/$A/address)
new=52:54:00:00:01:aa
check "change the MAC while up" ip link set "$A" address $new
ip -n peer neigh flush dev "$B"
check "the new MAC receives" ping_ok -n peer 20 $HUB_A
ip -n peer neigh replace $HUB_A lladdr "$old" dev "$B" nud permanent
check "the old MAC is filtered" sh -c "! ip netns exec peer ping -c 3 -i 0.2 -W 1 $HUB_A"
ip -n peer neigh del $HUB_A dev "$B"

for bad in 01:00:00:00:00:01 00:00:00:00:00:00; do
	err=$(ip link set "$A" address $bad 2>&1)
	check "MAC $bad refused" test $? -ne 0
	diag "ip said: $err"
done
check "MAC unchanged after refusals" grep -qx $new /sys/class/net/$A/address

ip link set "$A" down
check "change the MAC while down" ip link set "$A" address 52:54:00:00:01:bb
ip link set "$A" up
wait_carrier "$A" 5
ip -n peer neigh flush dev "$B"
check "the MAC set while down receives" ping_ok -n peer 20 $HUB_A
