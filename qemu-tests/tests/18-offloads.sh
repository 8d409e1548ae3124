#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# -k/-K: VLAN offloads (each on its own), the VLAN filter, rx-all with
# frames of 1537 to 16376 bytes, PHY loopback, every feature toggled under
# iperf3; rx-checksumming fixed off (QEMU verifies no RX checksum) and
# rx-fcs fixed off (QEMU never writes the FCS it counts).
# topology: hub
# timeout: 300
. /tests/lib.sh

setup_hub
check "rx-checksumming is off [fixed]" \
	sh -c "ethtool -k $A | grep -qx 'rx-checksumming: off \[fixed\]'"
check "rx-fcs is off [fixed] (QEMU never writes the FCS)" \
	sh -c "ethtool -k $A | grep -qx 'rx-fcs: off \[fixed\]'"
err=$(ethtool -K "$A" rx-fcs on 2>&1)
diag "ethtool -K rx-fcs on said: $(echo $err)"
check "rx-fcs stays off when asked" \
	sh -c "ethtool -k $A | grep -qx 'rx-fcs: off \[fixed\]'"

ip link add link "$A" name va type vlan id 10
ip addr add 198.18.10.1/24 dev va
ip link set va up
ip -n peer link add link "$B" name vb type vlan id 10
ip -n peer addr add 198.18.10.2/24 dev vb
ip -n peer link set vb up
ip netns exec peer iperf3 -s -D -B 198.18.10.2
for mode in "on on" "off off" "off on" "on off"; do
	set -- $mode
	ethtool -K "$A" rxvlan $1 txvlan $2
	ip netns exec peer ethtool -K "$B" rxvlan $1 txvlan $2
	wait_ping 198.18.10.2
	check "VLAN 10, rxvlan $1 txvlan $2: ping" ping_ok 50 198.18.10.2
done
ethtool -K "$A" rxvlan on txvlan on
ip netns exec peer ethtool -K "$B" rxvlan on txvlan on
wait_ping 198.18.10.2
out=$(iperf_rate 198.18.10.2 3)
diag "TCP over VLAN 10: ${out:-?} Mbit/s"
check "TCP over VLAN 10" awk -v r="${out:-0}" 'BEGIN { exit !(r > 0) }'

# VLAN filter: B sends on VLAN 20, which A never joined
ip -n peer link add link "$B" name vb20 type vlan id 20
ip -n peer addr add 198.18.20.2/24 dev vb20
ip -n peer link set vb20 up
ip -n peer neigh add 198.18.20.1 lladdr "$(cat /sys/class/net/$A/address)" dev vb20 nud permanent
check_cmp "rx-vlan-filter on: VLAN 20 dropped by the NIC" "$(hub_rx_during 198.18.20.1)" -lt 5
ethtool -K "$A" rx-vlan-filter off
wait_ping $HUB_A peer	# RCTL.VFE changed: QEMU's 1 s receive stall
check_cmp "rx-vlan-filter off: VLAN 20 reaches the driver" "$(hub_rx_during 198.18.20.1)" -ge 50
ethtool -K "$A" rx-vlan-filter on
wait_ping $HUB_A peer

# rx-all: long frames from B reach A although A's MTU is 1500
ip -n peer link set "$B" mtu 16362
for size in 1537 2000 9000 16376; do
	check "rx-all off: $size-byte frames dropped by the NIC" \
		sh -c "! ip netns exec peer ping -c 2 -W 1 -M do -s $((size - 42)) $HUB_A >/dev/null"
done
check "rx-all on" ethtool -K "$A" rx-all on
wait_ping $HUB_A peer
for size in 1537 2000 9000 16376; do
	before=$(netstat "$A" rx_packets)
	ip netns exec peer ping -q -c 5 -i 0.05 -W 2 -M do -s $((size - 42)) $HUB_A >/dev/null 2>&1
	check_cmp "rx-all on: $size-byte frames received and counted" \
		"$(($(netstat "$A" rx_packets) - before))" -ge 5
done
ethtool -K "$A" rx-all off
ip -n peer link set "$B" mtu 1500
wait_ping $HUB_A peer

# PHY loopback: what A sends comes back to A, B sees none of it.  The
# frames pass A's own receive filter again, so they are broadcasts.
check "loopback on" ethtool -K "$A" loopback on
b0=$(netstat "$B" rx_packets peer)
a0=$(netstat "$A" rx_packets)
ping -q -b -c 20 -i 0.01 -W 1 198.18.1.255 >/dev/null 2>&1
check_cmp "loopback: B received nothing" "$(($(netstat "$B" rx_packets peer) - b0))" -lt 3
check_cmp "loopback: A received its own frames" "$(($(netstat "$A" rx_packets) - a0))" -ge 20
check "loopback off" ethtool -K "$A" loopback off
wait_ping $HUB_B
check "traffic after loopback" ping_ok 20 $HUB_B

# Every feature off and on while iperf3 runs
ip netns exec peer iperf3 -s -D -B $HUB_B
iperf3 -c $HUB_B -t 20 -f m >/tmp/iperf.log 2>&1 &
client=$!
sleep 2
for f in sg tx-checksumming tso rxvlan txvlan rx-vlan-filter; do
	ethtool -K "$A" $f off 2>/dev/null || fail "ethtool -K $f off"
	sleep 1
	ethtool -K "$A" $f on 2>/dev/null || fail "ethtool -K $f on"
	sleep 1
done
wait $client
check "iperf3 survived every toggle" test $? -eq 0
grep receiver /tmp/iperf.log | sed 's/^/# /' | tee -a "$RESULTS"
