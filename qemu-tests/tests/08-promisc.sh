#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Promiscuous mode: frames for another MAC are filtered by the NIC, reach
# the driver with promisc on, and are filtered again once it is off.
# topology: hub
. /tests/lib.sh

# No IPv6: its neighbour discovery would add frames to the counts
echo 1 >/proc/sys/net/ipv6/conf/all/disable_ipv6
ip netns exec peer sh -c 'echo 1 >/proc/sys/net/ipv6/conf/all/disable_ipv6'
setup_hub
# B sends to 198.18.1.99, resolved to a MAC nobody has
ip -n peer neigh add 198.18.1.99 lladdr 02:00:00:00:00:99 dev "$B" nud permanent
stray() {	# frames A's driver received while B sent 50 stray ones
	local before
	# each promisc change rewrites RCTL: wait out QEMU's 1 s stall
	wait_ping $HUB_A peer >/dev/null
	before=$(ethstat "$A" rx_packets)
	ip netns exec peer ping -q -c 50 -i 0.01 -W 1 198.18.1.99 >/dev/null 2>&1
	echo $(($(ethstat "$A" rx_packets) - before))
}
# A few frames of A's own traffic (ARP) may land in the window; a NIC
# that does not filter would add all 50.
check_cmp "promisc off: stray frames filtered" "$(stray)" -lt 5
ip link set "$A" promisc on
check_cmp "promisc on: stray frames received" "$(stray)" -ge 50
ip link set "$A" promisc off
check_cmp "promisc off again: filtered again" "$(stray)" -lt 5
check "traffic to A still flows" ping_ok -n peer 20 $HUB_A
