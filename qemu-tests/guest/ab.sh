#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# bench/ab's guest side: one boot, two settings, alternating.  Before each
# measurement round it runs the setting's shell command (ab.a= / ab.b= on
# the kernel command line, base64; $IF is the interface), then measures
# what ab.m= lists (default: all) for 4 s each:
#   udp_tx udp_rx   iperf3 UDP 64-byte datagrams, frames/s at the receiver
#   tcp_tx tcp_rx   iperf3 TCP, the receiver's Mbit/s
#   ping            p50 of 300 pings at 10 ms, us
# and prints "# AB a|b ROUND name value ..." with the ethtool -S deltas
# of the interrupts and register accesses (nicdrv only).
# topology: tap
# timeout: 600
. /tests/lib.sh

arg() { cmdline_arg ab.$1; }
A=$(arg a | base64 -d)
B=$(arg b | base64 -d)
M=$(arg m | tr ',' ' ')
R=$(arg r)
T=4

setup_tap
diag "a: ${A:-(nothing)}"
diag "b: ${B:-(nothing)}"
counters() {	# the counters worth a delta, "name value" per line
	ethtool -S "$IF" 2>/dev/null |
		awk '$1 ~ /^(irqs|mmio_reads|mmio_writes|tx_reclaim_kicks):$/ { print $1, $2 }'
}
measure() {
	case $1 in
	udp_tx)	h0=$(hoststat rx_packets)
		iperf3 -c $TAP_HOST -u -l 64 -b 0 -t $T >/dev/null 2>&1
		echo $((($(hoststat rx_packets) - h0) / T)) ;;
	udp_rx)	g0=$(netstat "$IF" rx_packets)
		iperf3 -c $TAP_HOST -u -l 64 -b 0 -t $T -R >/dev/null 2>&1
		echo $((($(netstat "$IF" rx_packets) - g0) / T)) ;;
	tcp_tx)	iperf_mbps $T ;;
	tcp_rx)	iperf_mbps $T -R ;;
	ping)	ping -c 300 -i 0.01 $TAP_HOST |
			sed -n 's/.*time=\([0-9.]*\) ms/\1/p' | sort -n |
			awk 'NR == 150 { printf "%d\n", $1 * 1000 }' ;;
	*)	echo "?" ;;
	esac
}

for r in $(seq "${R:-3}"); do
	for side in a b; do
		if [ $side = a ]; then eval "$A"; else eval "$B"; fi
		counters >/tmp/c0
		out=""
		for m in ${M:-udp_tx udp_rx tcp_tx tcp_rx ping}; do
			out="$out $m $(measure $m)"
		done
		counters >/tmp/c1
		d=$(awk 'NR == FNR { v[$1] = $2; next } { printf " %s%d", $1, $2 - v[$1] }' /tmp/c0 /tmp/c1)
		diag "AB $side $r$out |$d"
	done
done
pass "ab: $((${R:-3} * 2)) rounds measured"
