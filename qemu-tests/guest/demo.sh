#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# What "make demo" shows: nicdrv probing the NIC, the interface coming up,
# a ping and iperf3 against the host peer on the other side of a tap
# device, the rings moving under iperf3 (nicdrv-top), the driver's
# counters, and a zero-copy capture of pings.
#
# Each step's outcome also goes to the KTAP result (ttyS1), which
# qemu-tests/run reads: a demo that did not show what it promises fails
# "make demo", naming the step.
. /tests/lib.sh

# Bold headings only when the host prints to a terminal (ndcolor=1)
step() {
	if [ "${ndcolor:-0}" = 1 ]; then
		printf '\n\033[1m== %s\033[0m\n' "$*"
	else
		printf '\n== %s\n' "$*"
	fi
}

# shown NAME COMMAND...: run it for the reader, record whether it worked
shown() {
	local name=$1
	shift
	if "$@"; then
		echo "ok - $name" >>"$RESULTS"
	else
		echo "not ok - $name" >>"$RESULTS"
		echo "(this step failed: $name)"
	fi
}

step "modprobe nicdrv"
shown "modprobe nicdrv" modprobe nicdrv
dmesg | grep -E 'nicdrv [0-9a-f]{4}:'
IF=$(iface_by_mac $TAP_MAC) || bail "no interface with MAC $TAP_MAC"

step "ip link set $IF up"
ip addr add $TAP_GUEST/24 dev "$IF"
ip link set "$IF" up
shown "link up" wait_carrier "$IF" 5
ip -br link show "$IF"
ip -br addr show "$IF"
ethtool -i "$IF" | head -n 2
ethtool "$IF" | grep -E 'Speed|Duplex|Link detected'
wait_ping $TAP_HOST

step "ping -c 5 $TAP_HOST (the host peer)"
shown "ping" ping -c 5 -i 0.2 $TAP_HOST

iperf_show() {	# iperf_show IPERF-ARGS...: the summary lines, true if any
	iperf3 -c $TAP_HOST -t 5 -f m "$@" >/tmp/iperf.out 2>&1
	grep -E 'sender|receiver' /tmp/iperf.out
}
step "iperf3 -c $TAP_HOST -t 5 (guest -> host)"
shown "iperf3 guest -> host" iperf_show

step "iperf3 -c $TAP_HOST -t 5 -R (host -> guest)"
shown "iperf3 host -> guest" iperf_show -R

# The live ring view: in the reader's terminal for a few seconds, then one
# text frame for the log (docs/design.md, "The live ring view")
step "nicdrv-top $IF (the rings live, while iperf3 -R fills the RX ring)"
iperf3 -c $TAP_HOST -t 8 -R >/dev/null 2>&1 &
sleep 1
[ "${ndcolor:-0}" = 1 ] && nicdrv-top -d 0.25 -n 16 "$IF"
shown "nicdrv-top frame" nicdrv-top -b -d 1 -s rx:0 "$IF"
wait

step "ethtool -S $IF (excerpt), and the MAC's counters under their IEEE names"
ethtool -S "$IF" | grep -E 'csum|tso|copied|multi|irqs|napi_polls:'
ethtool -S "$IF" --groups eth-mac | grep -E 'Frames(Received|Transmitted)OK|Octets'

step "ip -s link show $IF"
ip -s link show "$IF"

step "nicdrv-cap -i $IF -c 4 icmp (frames read in the mapped RX pool)"
C=$(ls -d /sys/class/net/$IF/device/nicdrv/nicdrv*)
n=$(cat $C/buf_count)
echo "$(basename "$C"): pool of $n buffers ($(cat $C/pool_size) bytes), one per RX descriptor;"
echo "  the first reader adds $(cat $C/ring_entries) (its ring entries), DMA mask $(cat $C/dma_mask_bits) bits"
ping -c 6 -i 0.3 $TAP_HOST >/dev/null &
shown "zero-copy capture of 4 frames" nicdrv-cap -i "$IF" -c 4 icmp
wait
echo "pool now: $(cat $C/buf_count) buffers ($(cat $C/pool_size) bytes), until $IF goes down"

step "rmmod nicdrv"
shown "rmmod nicdrv" rmmod nicdrv
echo "kernel log: $(dmesg | grep -cE "$LOG_BAD") bad lines"
