#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# One boot of the instruction count of "make bench" (bench/run boots it
# with bench/plugin/insns.c loaded and one vCPU).  Both drivers, in the
# order bench.order=A,B gives, on the same NIC (rmmod/modprobe).  Each
# workload runs twice, small and large, each time inside a window the
# plugin counts (insnmark open/close): the difference of the two windows
# is the cost of the packets the large one has more, free of what every
# run costs once (starting the program, the ARP, the window itself).
#
# Workloads, all against the tap peer:
#   ping        flood ping (-f), N requests out and N replies in
#   udp_tx      iperf3 UDP, 64-byte datagrams out, as fast as it can
#   udp_rx      the same, host to guest (-R), for 1 s and 3 s (iperf3 -R
#               with a byte count waits minutes for the datagrams lost
#               on the way; the packets counted are those received)
#   tcp_tx      iperf3 TCP, N bytes out
#   tcp_rx      the same, in
#   cap_none    a paced UDP flood in (64-byte datagrams, CAP_RATE), no
#               capture: the base of the next two
#   cap_tcpdump the same flood while tcpdump (AF_PACKET) writes it to tmpfs
#   cap_nicdrv  the same while nicdrv-cap does (nicdrv only)
#   cap_view    the same flood, no capture, while nicdrv-top samples the
#               ring view 10 times a second (nicdrv only): what reading
#               the view costs the datapath (bench/report.py splits the
#               view's own functions from the rest)
#   xdp_drop    a UDP flood from the host (udpseq, 64-byte datagrams to
#               port 9100, as fast as it sends) that nicdrv_xdp.o's
#               nicdrv_drop drops (nicdrv native, e1000 generic); not
#               iperf3's: its client waits long for a flood it never sees
#   xsk_zc      the same flood into nicdrv-xsk, zero-copy (nicdrv only)
# The capture floods are paced, below what either tool keeps up with:
# at full speed a capture slows the receiver down, the 1 s and 3 s
# windows see different rates, and what a second costs anyway (timer
# ticks, the tools' own wakeups) no longer falls out of the difference.
#
# Prints, for bench/insns.py:
#   # INSNS module DRIVER ADDR SIZE      the module's range
#   # INSNS sym DRIVER ADDR NAME         its symbols
#   # INSNS window ID DRIVER WORKLOAD SIZE TXP TXB RXP RXB
#     (SIZE: the workload's own count; then the interface's packet and
#     byte counters' growth over the window)
# topology: tap
# timeout: 600
. /tests/lib.sh

ORDER=$(cmdline_arg bench.order | tr ',' ' ')
CAP_RATE=5M	# iperf3 -b: 9,766 datagrams of 64 bytes a second
id=0

IF=
use() {	# use DRIVER: unload the driver in use, load DRIVER, bring it up
	local m
	if [ -n "$IF" ]; then
		ip link set "$IF" down
		rmmod "$DRIVER" || bail "rmmod $DRIVER"
	fi
	DRIVER=$1
	setup_tap
	m=$(echo "$DRIVER" | tr - _)
	set -- $(awk -v m="$m" '$1 == m { print $6, $2 }' /proc/modules)
	diag "INSNS module $DRIVER $1 $2"
	awk -v m="[$m]" -v d="$DRIVER" '$4 == m { print "# INSNS sym", d, $1, $3 }' \
		/proc/kallsyms | tee -a "$RESULTS" >/dev/null
}

# window WORKLOAD SIZE COMMAND...: run COMMAND inside a counted window
window() {
	local wl=$1 size=$2 tp tb rp rb
	shift 2
	id=$((id + 1))
	tp=$(netstat "$IF" tx_packets)
	tb=$(netstat "$IF" tx_bytes)
	rp=$(netstat "$IF" rx_packets)
	rb=$(netstat "$IF" rx_bytes)
	insnmark open $id
	"$@" >/dev/null 2>&1
	insnmark close $id
	diag "INSNS window $id $DRIVER $wl $size" \
		$(($(netstat "$IF" tx_packets) - tp)) $(($(netstat "$IF" tx_bytes) - tb)) \
		$(($(netstat "$IF" rx_packets) - rp)) $(($(netstat "$IF" rx_bytes) - rb))
}

# capture WORKLOAD SECONDS COMMAND...: a paced UDP flood in, counted,
# while COMMAND (started before the window, stopped after it) captures;
# no COMMAND: the flood alone
capture() {
	local wl=$1 t=$2 pid
	shift 2
	if [ $# -gt 0 ]; then
		"$@" 2>/tmp/cap.err &
		pid=$!
		sleep 1
	fi
	window "$wl" "$t" iperf3 -c $TAP_HOST -u -l 64 -b $CAP_RATE -t "$t" -R
	if [ $# -gt 0 ]; then
		kill -TERM $pid
		wait $pid
	fi
	rm -f /tmp/c.pcap
}

for d in $ORDER; do
	use "$d"
	for n in 1000 3000; do
		window ping $n ping -q -f -c $n $TAP_HOST
	done
	for n in 5000 15000; do
		window udp_tx $n iperf3 -c $TAP_HOST -u -l 64 -b 0 -n $((n * 64))
	done
	for t in 1 3; do
		window udp_rx $t iperf3 -c $TAP_HOST -u -l 64 -b 0 -t $t -R
	done
	for n in 16 64; do
		window tcp_tx $n iperf3 -c $TAP_HOST -n ${n}M
	done
	for n in 16 64; do
		window tcp_rx $n iperf3 -c $TAP_HOST -n ${n}M -R
	done
	for t in 1 3; do
		capture cap_none $t
	done
	for t in 1 3; do
		capture cap_tcpdump $t tcpdump -i "$IF" -Q in -s 0 -w /tmp/c.pcap udp
	done
	if [ "$DRIVER" = nicdrv ]; then
		for t in 1 3; do
			capture cap_nicdrv $t nicdrv-cap -i "$IF" -w /tmp/c.pcap -q udp
		done
		for t in 1 3; do
			capture cap_view $t sh -c "exec nicdrv-top -b -d 0.1 -n 1000000 $IF >/dev/null"
		done
	fi
	mode=xdpdrv
	[ "$DRIVER" = nicdrv ] || mode=xdpgeneric
	ip link set dev "$IF" $mode obj /tests/nicdrv_xdp.o program nicdrv_drop
	sleep 1.5	# QEMU's receiver stalls 1 s after an RCTL write
	for t in 1 3; do
		window xdp_drop $t host "udpseq send $TAP_GUEST 9100 $t 64"
	done
	ip link set dev "$IF" $mode off
	sleep 1.5
	if [ "$DRIVER" = nicdrv ]; then
		nicdrv-xsk rx "$IF" -t 60 >/dev/null 2>&1 &
		pid=$!
		sleep 2.5	# the bind restarts the NIC
		for t in 1 3; do
			window xsk_zc $t host "udpseq send $TAP_GUEST 9100 $t 64"
		done
		kill -TERM $pid
		wait $pid
		sleep 1.5
		wait_ping $TAP_HOST >/dev/null
	fi
	check "insns: $DRIVER: no RX errors" errors_zero "$IF"
done
check "insns: $id windows counted" test $id -gt 0
