#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Promiscuous mode: frames for another MAC are filtered by the NIC, reach
# the driver with promisc on, and are filtered again once it is off.
# topology: hub
. /tests/lib.sh

# No IPv6: its neighbour discovery would add frames to the counts
echo 1 >/proc/sys/net/ipv6/conf/all/disable_ipv6
setup_hub
ip netns exec peer sh -c 'echo 1 >/proc/sys/net/ipv6/conf/all/disable_ipv6'
# A few frames of A's own traffic (ARP) may land in the window; a NIC
# that does not filter would add all 50.
check_cmp "promisc off: stray frames filtered" "$(hub_stray)" -lt 5
ip link set "$A" promisc on
check_cmp "promisc on: stray frames received" "$(hub_stray)" -ge 50
ip link set "$A" promisc off
check_cmp "promisc off again: filtered again" "$(hub_stray)" -lt 5
check "traffic to A still flows" ping_ok -n peer 20 $HUB_A
