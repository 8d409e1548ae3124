#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Secondary unicast addresses (macvlan on the NIC) go into the Receive
# Address registers RA[1..15]: they receive without promiscuous mode.  More
# than 15 fall back to unicast-promiscuous, and still receive.  Whether the
# NIC filters is seen from frames sent to a MAC nobody has (hub_stray).
# topology: hub
. /tests/lib.sh

# No IPv6: its neighbour discovery would add frames to the counts
echo 1 >/proc/sys/net/ipv6/conf/all/disable_ipv6
setup_hub
ip netns exec peer sh -c 'echo 1 >/proc/sys/net/ipv6/conf/all/disable_ipv6'

ip link add mv1 link "$A" address 02:00:00:00:02:01 type macvlan mode bridge
ip addr add 198.18.1.101/24 dev mv1
ip link set mv1 up
check "the macvlan's own MAC receives (RA[1])" ping_ok -n peer 20 198.18.1.101
check_cmp "one secondary MAC: the NIC still filters" "$(hub_stray)" -lt 5

i=2
while [ $i -le 16 ]; do
	ip link add mv$i link "$A" address 02:00:00:00:02:$(printf %02x $i) \
		type macvlan mode bridge
	ip link set mv$i up
	i=$((i + 1))
done
ip addr add 198.18.1.116/24 dev mv16
check_cmp "16 secondary MACs: unicast promiscuous" "$(hub_stray)" -ge 50
check "the 16th MAC receives" ping_ok -n peer 20 198.18.1.116
check "the first one still receives" ping_ok -n peer 20 198.18.1.101
ip link del mv16
check_cmp "back to 15: the NIC filters again" "$(hub_stray)" -lt 5
