#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Multicast: a joined group is received through the multicast table, a
# group nobody joined is filtered by the NIC, and joining a group does not
# rewrite RCTL (each RCTL write stalls QEMU's receiver for a second).
# topology: hub
. /tests/lib.sh

# No IPv6: its neighbour discovery would add frames to the counts
echo 1 >/proc/sys/net/ipv6/conf/all/disable_ipv6
setup_hub
ip netns exec peer sh -c 'echo 1 >/proc/sys/net/ipv6/conf/all/disable_ipv6'
ip -n peer route add 224.0.0.0/4 dev "$B"
socat -u UDP4-RECV:5000,reuseaddr,ip-add-membership=239.1.2.3:"$A" \
	OPEN:/tmp/mc.out,creat,append &
rx=$!
sleep 1
# A ping right after the join: a rewritten RCTL would hold it back 1 s
rtt=$(ip netns exec peer ping -c 3 -i 0.2 -W 3 $HUB_A |
	awk -F/ '/^rtt/ { print int($6) }')
check_cmp "join did not stall the receiver (max RTT ms)" "${rtt:-9999}" -lt 500
send() {	# send GROUP N
	local i=0
	while [ $i -lt "$2" ]; do
		echo "datagram $i" | ip netns exec peer socat -u - \
			UDP4-DATAGRAM:"$1":5000,ip-multicast-if=$HUB_B
		i=$((i + 1))
	done
}
send 239.1.2.3 20
sleep 0.5
check_cmp "joined group 239.1.2.3: datagrams received" "$(wc -l </tmp/mc.out)" -eq 20
# A frame or two of other traffic (ARP) may land in the window; a NIC that
# does not filter would add all 50
before=$(netstat "$A" rx_packets)
send 239.9.9.9 50
sleep 0.5
check_cmp "unjoined group 239.9.9.9: filtered by the NIC" \
	"$(($(netstat "$A" rx_packets) - before))" -lt 5
ip link set "$A" allmulticast on
wait_ping $HUB_A peer	# RCTL.MPE changed: QEMU's 1 s receive stall
before=$(netstat "$A" rx_packets)
send 239.9.9.9 50
sleep 0.5
check_cmp "allmulticast: every group reaches the driver" \
	"$(($(netstat "$A" rx_packets) - before))" -ge 50
ip link set "$A" allmulticast off
kill $rx
