#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# One round of "make bench": both drivers in one boot, on the same NIC,
# switched with rmmod and modprobe (bench/run boots it once per topology
# and round).  From the kernel command line: bench.order=A,B which driver
# goes first, bench.pairs=N how many throughput pairs (default 2).
#
# Each driver once, A then B: memory, ping, register counts, captures.
# Then N pairs of throughput runs, the drivers alternating (B A, A B,
# ...): in a pair the two drivers' runs of one figure are about 20 s
# apart on the same QEMU process, and bench/report.py compares them pair
# by pair.
#
# Prints "# BENCH DRIVER key value [pN]" lines (pN: the throughput pair):
#   mem_kb          free memory lost to "ip link set up" (median of 5
#                   down/up): the buddy allocator's free pages plus the
#                   per-CPU page lists, with the vmstat deltas folded
#   ping_p50_us     1000 pings at 10 ms to the host peer: RTT percentiles
#   ping_p99_us
#   cap_*           a 5 s UDP 64-byte flood from the host: what the NIC
#                   delivered, and what a capture took and dropped:
#                   nicdrv-cap with nicdrv, tcpdump with both drivers
#   capfull_*       the same with 1472-byte datagrams (full-size frames):
#                   the most bytes per second the NIC delivers
#   tcp_tx_mbps     iperf3 TCP guest -> host, 4 s, receiver's Mbit/s
#   tcp_rx_mbps     iperf3 TCP host -> guest
#   udp_tx_pps      iperf3 UDP 64-byte datagrams, unlimited rate, frames
#   udp_rx_pps        per second arriving at the receiver's interface
#   xdp_*_pps       with bench.xdp=1: a 5 s flood of 64-byte UDP datagrams
#                   from the host (udpseq), frames/s the driver took with
#                   an XDP program that drops them, sends them back
#                   (XDP_TX) or redirects them to the same interface:
#                   nicdrv native, e1000 generic (its only mode)
#   xsk_*_pps       the same flood into an AF_XDP socket (nicdrv-xsk):
#                   zc zero-copy (nicdrv), copy copy mode (nicdrv native,
#                   e1000 generic), and cap: nicdrv-cap for comparison
#   reg_*           register accesses, both drivers, counted by QEMU:
#                   reg_PATH_events (pings or packets), and
#                   reg_PATH_OP_BAR_OFFSET (accesses to one register;
#                   OFFSET "stats" for the statistics block)
#                   for PATH ping, udp_tx, udp_rx
# topology: tap
# timeout: 600
. /tests/lib.sh

arg() { cmdline_arg bench.$1; }
ORDER=$(arg order | tr ',' ' ')
PAIRS=$(arg pairs)
set -- ${ORDER:-nicdrv e1000}
FIRST=$1 SECOND=$2
T=4	# seconds per throughput run
C=5	# seconds per capture flood
bench() { diag "BENCH $DRIVER $1 $2${3:+ $3}"; }

IF=
use() {	# use DRIVER: unload the driver in use, load DRIVER, bring it up
	[ -n "$IF" ] && [ "$DRIVER" = "$1" ] && return 0
	if [ -n "$IF" ]; then
		check "bench: $DRIVER: no RX errors" errors_zero "$IF"
		ip link set "$IF" down
		rmmod "$DRIVER" || bail "rmmod $DRIVER"
	fi
	DRIVER=$1
	setup_tap
}

# Kernel memory an interface takes when it comes up, at the same ring
# sizes for both drivers (256/256, both drivers' default)
memfree() {
	# MemFree misses pages parked on per-CPU lists (freed at down, taken
	# again at up) and lags by the per-CPU vmstat deltas: count both, fold
	echo 1 >/proc/sys/vm/stat_refresh 2>/dev/null
	awk '/^ +pages free/ { f += $3 } /^ +count:/ { f += $2 }
	     END { print f * 4 }' /proc/zoneinfo
}
memory() {
	local i m0
	ethtool -G "$IF" rx 256 tx 256 2>/dev/null
	for i in 1 2 3 4 5; do
		ip link set "$IF" down
		sleep 0.5
		echo 3 >/proc/sys/vm/drop_caches
		m0=$(memfree)
		ip link set "$IF" up
		sleep 0.5
		echo $((m0 - $(memfree)))
	done >/tmp/mem
	bench mem_kb "$(sort -n /tmp/mem | sed -n 3p)"
	diag "$DRIVER mem_kb samples: $(echo $(cat /tmp/mem))"
	wait_carrier "$IF" 5
	wait_ping $TAP_HOST
}

# Register accesses per packet, both drivers, counted by QEMU: it logs
# every access to the NIC's BARs while a window is open (ctl.py "mmio").
# The logging slows the guest, so the windows are apart from the timed
# runs: 100 pings, then 1 s of 64-byte UDP each way.
reg_report() {	# reg_report PATH EVENTS: the window's counts, /tmp/reg
	local key n
	bench reg_${1}_events "$2"
	# One key per register; the statistics block (SDM 13.7) as one
	awk '{ off = substr($3, 3)
	       if ($1 == "mmio" && length(off) == 4 && substr(off, 1, 2) == "40")
		       off = "stats"
	       n[$2 "_" $1 "_" off] += $4 }
	     END { for (k in n) print k, n[k] }' /tmp/reg | sort |
		while read -r key n; do
			bench reg_${1}_$key "$n"
		done
}
# reg_window PATH EVENTS COMMAND...: count around COMMAND; EVENTS is a
# number (pings) or an interface counter whose growth is the packets
reg_window() {
	local path=$1 events=$2 n=0
	shift 2
	case $events in
	[0-9]*) ;;
	*) n=$(netstat "$IF" "$events") ;;
	esac
	mmio_start || { diag "registers: QEMU did not start counting"; return 1; }
	"$@" >/dev/null 2>&1
	if ! mmio_stop /tmp/reg; then
		diag "registers: no count: $(cat /tmp/reg)"
		return 1
	fi
	case $events in
	[0-9]*) reg_report "$path" "$events" ;;
	*) reg_report "$path" $(($(netstat "$IF" "$events") - n)) ;;
	esac
}
registers() {
	reg_window ping 100 ping -q -c 100 -i 0.01 $TAP_HOST &&
		reg_window udp_tx tx_packets iperf3 -c $TAP_HOST -u -l 64 -b 0 -t 1 &&
		reg_window udp_rx rx_packets iperf3 -c $TAP_HOST -u -l 64 -b 0 -t 1 -R
	return 0
}

ping_rtt() {
	local n
	ping -c 1000 -i 0.01 -W 1 $TAP_HOST 2>/dev/null |
		sed -n 's/.*time=\([0-9.]*\) ms/\1/p' | sort -n >/tmp/rtt
	n=$(wc -l </tmp/rtt)
	bench ping_replies "$n"
	pct() { awk -v p="$1" -v n="$n" 'NR == int((n - 1) * p / 100) + 1 { printf "%d\n", $1 * 1000 }' /tmp/rtt; }
	bench ping_p50_us "$(pct 50)"
	bench ping_p99_us "$(pct 99)"
}

# The same flood for each capture tool: UDP as fast as the host sends it,
# 64-byte datagrams (the most frames per second) and 1472-byte ones (the
# most bytes); "offered" is what the driver handed to the stack meanwhile.
# Both tools write a pcap file to /tmp (tmpfs), as a capture would.
capture() {	# capture KEY LEN NAME COMMAND...: runs COMMAND during a flood
	local key=$1 len=$2 name=$3 pid g0
	shift 3
	"$@" 2>/tmp/$name.err &
	pid=$!
	sleep 1
	g0=$(netstat "$IF" rx_packets)
	iperf3 -c $TAP_HOST -u -l "$len" -b 0 -t $C -R >/dev/null 2>&1
	bench ${key}_${name}_offered $(($(netstat "$IF" rx_packets) - g0))
	sleep 1
	kill -TERM $pid
	wait $pid
	sed "s/^/# $key $name: /" /tmp/$name.err | tee -a "$RESULTS"
	bench ${key}_${name}_captured "$(awk '/packets captured/ { print $1 }' /tmp/$name.err)"
	rm -f /tmp/c.pcap
}
captures() {
	local flood key len
	for flood in cap:64 capfull:1472; do
		key=${flood%:*}
		len=${flood#*:}
		capture $key $len tcpdump tcpdump -i "$IF" -Q in -s 0 -w /tmp/c.pcap udp
		bench ${key}_tcpdump_dropped "$(awk '/packets dropped by kernel/ { print $1 }' /tmp/tcpdump.err)"
		[ "$DRIVER" = nicdrv ] || continue
		capture $key $len nicdrvcap nicdrv-cap -i "$IF" -w /tmp/c.pcap -q udp
		bench ${key}_nicdrvcap_dropped "$(awk '/dropped \(capture ring full\)/ { print $1 }' /tmp/nicdrvcap.err)"
		bench ${key}_nicdrvcap_ringhigh "$(awk '/ring entries filled at most/ { print $1 }' /tmp/nicdrvcap.err)"
		bench ${key}_nicdrvcap_ringsize "$(awk '/ring entries filled at most/ { print $3 }' /tmp/nicdrvcap.err)"
	done
}

# XDP and AF_XDP on the same flood: udpseq on the host, 64-byte
# datagrams to port 9100 (the one nicdrv_xdp.o's programs act on)
xflood() {	# xflood: the frames/s the interface took during the flood
	local g0
	g0=$(netstat "$IF" rx_packets)
	host "udpseq send $TAP_GUEST 9100 $C 64" >/dev/null
	echo $((($(netstat "$IF" rx_packets) - g0) / C))
}
xdp_rates() {
	local mode=xdpdrv prog
	[ "$DRIVER" = nicdrv ] || mode=xdpgeneric
	for prog in drop tx redirect_self; do
		if ! ip link set dev "$IF" $mode obj /tests/nicdrv_xdp.o program nicdrv_$prog; then
			fail "bench: $DRIVER: $mode $prog"
			continue
		fi
		sleep 1.5	# QEMU's receiver stalls 1 s after an RCTL write
		bench xdp_${prog%_self}_pps "$(xflood)"
		ip link set dev "$IF" $mode off
		sleep 1.5
	done
}
xsk_rate() {	# xsk_rate KEY NICDRV-XSK-ARGS...: the socket's frames/s
	local key=$1 pid n
	shift
	nicdrv-xsk rx "$IF" -t $((C + 4)) "$@" >/tmp/xsk.out 2>/tmp/xsk.err &
	pid=$!
	sleep 2.5	# the socket's bind restarts the NIC
	host "udpseq send $TAP_GUEST 9100 $C 64" >/dev/null
	wait $pid || { fail "bench: $DRIVER: nicdrv-xsk $*"; sed 's/^/# /' /tmp/xsk.err | tail -n 3 | tee -a "$RESULTS"; return; }
	n=$(tail -n 1 /tmp/xsk.out | awk '{ for (i = 1; i < NF; i++) if ($i == "frames") print $(i + 1) }')
	bench xsk_${key}_pps $((n / C))
	sleep 1.5
}
xsk_rates() {
	if [ "$DRIVER" = nicdrv ]; then
		xsk_rate zc
		xsk_rate copy -c
		nicdrv-cap -i "$IF" -q -w /tmp/c.pcap udp 2>/tmp/cap.err &
		local pid=$!
		sleep 1
		host "udpseq send $TAP_GUEST 9100 $C 64" >/dev/null
		sleep 1
		kill -TERM $pid
		wait $pid
		bench xsk_cap_pps $(($(awk '/packets captured/ { print $1 }' /tmp/cap.err) / C))
		rm -f /tmp/c.pcap
	else
		xsk_rate copy -S
	fi
}

throughput() {	# throughput PAIR
	local h0 g0
	bench tcp_tx_mbps "$(iperf_mbps $T)" "$1"
	bench tcp_rx_mbps "$(iperf_mbps $T -R)" "$1"
	h0=$(hoststat rx_packets)
	iperf3 -c $TAP_HOST -u -l 64 -b 0 -t $T >/dev/null 2>&1
	bench udp_tx_pps $((($(hoststat rx_packets) - h0) / T)) "$1"
	g0=$(netstat "$IF" rx_packets)
	iperf3 -c $TAP_HOST -u -l 64 -b 0 -t $T -R >/dev/null 2>&1
	bench udp_rx_pps $((($(netstat "$IF" rx_packets) - g0) / T)) "$1"
}

for d in $FIRST $SECOND; do
	use $d
	pass "bench: $DRIVER is up"
	memory
	ping_rtt
	registers
	captures
	if [ "$(arg xdp)" = 1 ]; then
		xdp_rates
		xsk_rates
	fi
done
p=1
while [ $p -le "${PAIRS:-2}" ]; do
	if [ $((p % 2)) -eq 1 ]; then set -- $SECOND $FIRST; else set -- $FIRST $SECOND; fi
	for d in "$@"; do
		use $d
		throughput p$p
	done
	p=$((p + 1))
done
check "bench: $DRIVER: no RX errors" errors_zero "$IF"
