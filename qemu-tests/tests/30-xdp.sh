#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Native XDP (nicdrv/xdp.c, docs/xdp.md) on the hub: A runs the programs
# of nicdrv_xdp.o, B (namespace peer) floods A with checked UDP datagrams
# (udpseq, 64 to 1472 bytes) and counts what comes back.  Each verdict is
# proven by the counters of both ends: XDP_DROP, XDP_ABORTED and a verdict
# nobody knows drop everything; XDP_PASS and a program that uses the
# buffer's headroom, tailroom and metadata deliver every payload intact;
# XDP_TX and XDP_REDIRECT to A itself (nicdrv's ndo_xdp_xmit) send the
# frames back to B.  Refused with a reason: an MTU over 1500, rx-all, a
# capture session, offload mode; while a program runs, an MTU over 1500,
# rx-all and a capture.  Programs are swapped, attached and removed under
# a flood, the interface goes down and up with one attached, and nicdrv is
# unloaded with one attached during a flood.
#
# One vCPU.  Every attach, removal and swap makes the kernel rewrite its
# XDP dispatcher (bpf_dispatcher_xdp_func) with text_poke, which relies on
# every CPU seeing the new code once it has synchronised; with two vCPUs
# under TCG, NAPI on one of them ran the breakpoint of a finished rewrite
# ("Oops: int3" in that function, no nicdrv code on the stack, 6.12), a
# translation older than the rewrite.  The tiers with two guests run one
# vCPU each anyway.
# topology: hub
# smp: 1
# timeout: 400
. /tests/lib.sh

setup_hub
O=/tests/nicdrv_xdp.o
PORT=9100
D=/sys/kernel/debug/nicdrv/$(basename "$(readlink -f /sys/class/net/$A/device)")
hub_static_neigh

xdp() { ip -force link set dev "$A" xdpdrv obj $O program "$1"; }
xdp_off() { ip link set dev "$A" xdpdrv off; }
st() { ethstat "$A" "$1"; }

# blast SECONDS SIZES: B sends numbered datagrams to A; SENT is how many,
# BRX the frames B received meanwhile (what A sent back)
blast() {
	local b0
	b0=$(netstat "$B" rx_packets peer)
	ip netns exec peer udpseq send $HUB_A $PORT "$1" "$2" >/tmp/send.out
	sleep 0.3
	SENT=$(awk '{ print $2 }' /tmp/send.out)
	BRX=$(($(netstat "$B" rx_packets peer) - b0))
}

# delivered LABEL SECONDS: a flood that the program passes, every frame
# to the stack (the socket may overflow: that is the stack's business),
# and every datagram the socket gets intact
delivered() {
	local p0 n rx0 rx
	rm -f /tmp/ready
	udpseq recv $PORT 1500 /tmp/ready >/tmp/recv.out &
	local rpid=$!
	while [ ! -e /tmp/ready ]; do sleep 0.1; done
	p0=$(st rx_xdp_pass)
	rx0=$(netstat "$A" rx_packets)
	blast "$2" 64,700,1472
	wait $rpid
	n=$(($(st rx_xdp_pass) - p0))
	rx=$(($(netstat "$A" rx_packets) - rx0))
	set -- "$1" $(cat /tmp/recv.out)
	diag "$1: B sent $SENT, A received $rx, rx_xdp_pass +$n; udpseq on A: $*"
	check_cmp "$1: the program passed every frame A received" "$n" -ge $((rx - 10))
	check_cmp "$1: ... which is most of the flood" "$n" -gt $((SENT / 2))
	check_cmp "$1: datagrams arrive" "$3" -gt 0
	check_cmp "$1: none twice" "$7" -eq 0
	check_cmp "$1: every payload intact" "$9" -eq 0
}

# consumed LABEL COUNTER: a flood the program takes; COUNTER grows by
# every frame the driver received (but a few that are not the flood's),
# which is most of what B sent (what the NIC had no room for, QEMU drops)
consumed() {
	local c0 rx0 n rx
	c0=$(st "$2")
	rx0=$(netstat "$A" rx_packets)
	blast 2 64,1472
	n=$(($(st "$2") - c0))
	rx=$(($(netstat "$A" rx_packets) - rx0))
	diag "$1: B sent $SENT, A received $rx, $2 +$n, B received $BRX"
	check_cmp "$1: $2 counts every frame of the flood A received" "$n" -ge $((rx - 10))
	check_cmp "$1: ... which is most of the flood" "$n" -gt $((SENT / 2))
	check_cmp "$1: ... and no more than was sent" "$n" -le "$SENT"
	DELTA=$n
}

check "nicdrv_xdp.o is there" test -s $O
check "the driver advertises no program yet" sh -c "! ip link show dev $A | grep -q xdp"

# Refusals, each with its reason (ip prints the extack message)
ip link set "$A" mtu 9000
out=$(xdp nicdrv_pass 2>&1)
check "MTU 9000: attach refused, saying why" sh -c "echo '$out' | grep -q 'MTU 1500'"
diag "$out"
ip link set "$A" mtu 1500
ethtool -K "$A" rx-all on
out=$(xdp nicdrv_pass 2>&1)
check "rx-all: attach refused, saying why" sh -c "echo '$out' | grep -q 'rx-all'"
ethtool -K "$A" rx-all off
nicdrv-cap -i "$A" -w /tmp/c.pcap -q 2>/tmp/cap.err &
cap=$!
sleep 2
out=$(xdp nicdrv_pass 2>&1)
check "a capture session: attach refused, saying why" sh -c "echo '$out' | grep -q 'capture session'"
kill -TERM $cap
wait $cap
out=$(ip link set dev "$A" xdpoffload obj $O program nicdrv_pass 2>&1)
check "offload mode: refused" test -n "$out"
diag "offload: $out"
wait_ping $HUB_B || bail "no reply from B after the refusals"

# XDP_DROP, and what it changes
check "attach nicdrv_drop" xdp nicdrv_drop
check "ip link shows the program (prog/xdp)" sh -c "ip link show dev $A | grep -q 'prog/xdp id'"
rings=$(cat "$D/rings")
echo "$rings" | grep 'pool\|XDP' | sed 's/^/# /' | tee -a "$RESULTS"
check "the pool is DMA_BIDIRECTIONAL, 3072-byte buffers" \
	sh -c "echo '$rings' | grep -q '3072 bytes (dma_map_page, DMA_BIDIRECTIONAL)'"
check "frames land 256 bytes in, with spares for XDP_TX" \
	sh -c "echo '$rings' | grep -q 'XDP: frames 256 bytes in, 256 spare'"
wait_ping $HUB_B || bail "no reply from B with nicdrv_drop (it passes ICMP)"
consumed "XDP_DROP" rx_xdp_drop
check_cmp "XDP_DROP: nothing came back to B" "$BRX" -lt 10
check "MTU 9000 refused while a program runs" sh -c "! ip link set $A mtu 9000 2>/dev/null"
ethtool -K "$A" rx-all on 2>/dev/null
check "rx-all stays off while a program runs" sh -c "ethtool -k $A | grep -q '^rx-all: off \\[requested on\\]'"
ethtool -K "$A" rx-all off	# or it comes back with the program's removal
check "VLAN stripping is off while a program runs (tags stay in the frame)" \
	sh -c "ethtool -k $A | grep -q '^rx-vlan-offload: off'"
out=$(timeout 5 nicdrv-cap -i "$A" -c 1 2>&1)
check "a capture is refused while a program runs" test $? -ne 0 -a $? -ne 124
diag "nicdrv-cap: $out"

xdp nicdrv_aborted
consumed "XDP_ABORTED" rx_xdp_aborted
xdp nicdrv_bad
consumed "verdict 42" rx_xdp_invalid
check "the kernel names the illegal verdict" sh -c "dmesg | grep -q 'Illegal XDP return value 42'"

# XDP_PASS, and a program that uses the room around the frame
xdp nicdrv_pass
delivered "XDP_PASS" 2
drops0=$(st rx_xdp_drop)
xdp nicdrv_room
delivered "headroom, tailroom, metadata" 2
check_cmp "... no frame lacked room (rx_xdp_drop unchanged)" "$(st rx_xdp_drop)" -eq "$drops0"

# XDP_TX: back to B from the buffer the NIC wrote
xdp nicdrv_tx
tx0=$(netstat "$A" tx_packets)
consumed "XDP_TX" rx_xdp_tx
check_cmp "XDP_TX: A sent them (tx_packets)" $(($(netstat "$A" tx_packets) - tx0)) -ge "$DELTA"
check_cmp "XDP_TX: B received them back (90 %)" "$BRX" -ge $((DELTA * 9 / 10))
diag "rx_xdp_tx_errors: $(st rx_xdp_tx_errors)"

# XDP_REDIRECT to A itself: a copy, through nicdrv's ndo_xdp_xmit
xdp nicdrv_redirect_self
x0=$(st tx_xdp_xmit)
e0=$(st tx_xdp_xmit_errors)
consumed "XDP_REDIRECT" rx_xdp_redirect
x=$(($(st tx_xdp_xmit) - x0))
e=$(($(st tx_xdp_xmit_errors) - e0))
diag "ndo_xdp_xmit: $x sent, $e refused"
check_cmp "XDP_REDIRECT: every redirected frame reached ndo_xdp_xmit" $((x + e)) -eq "$DELTA"
check_cmp "XDP_REDIRECT: B received them back (90 %)" "$BRX" -ge $((x * 9 / 10))
check_cmp "no redirect failed" "$(st rx_xdp_redirect_errors)" -eq 0

# Swaps under a flood: no rebuild, nothing lost but the program's choice
rm -f /tmp/ready
udpseq recv $PORT 2000 /tmp/ready >/tmp/recv.out &
rpid=$!
while [ ! -e /tmp/ready ]; do sleep 0.1; done
ip netns exec peer udpseq send $HUB_A $PORT 6 64,700,1472 >/tmp/send.out &
spid=$!
sleep 1
n=0
while [ $n -lt 20 ]; do
	xdp nicdrv_pass || fail "swap $n"
	xdp nicdrv_room || fail "swap $n (room)"
	n=$((n + 1))
done
wait $spid
wait $rpid
set -- $(cat /tmp/recv.out)
diag "40 swaps under a flood: udpseq $*"
check_cmp "swaps: datagrams still arrive" "$2" -gt 0
check_cmp "swaps: every payload intact" "$8" -eq 0

# Attach and remove under a flood: the rings are rebuilt each time
ip netns exec peer udpseq send $HUB_A $PORT 8 64,1472 >/dev/null &
spid=$!
sleep 1
for n in 1 2 3; do
	check "under a flood: remove ($n)" xdp_off
	check "under a flood: attach ($n)" xdp nicdrv_drop
done
wait $spid
check "the interface still works" sh -c "ping -c 3 -i 0.2 -W 2 $HUB_B >/dev/null"

# Down and up with a program: it stays, and runs
ip link set "$A" down
ip link set "$A" up
wait_carrier "$A" 5 || fail "no carrier after up"
check "the program survives down and up" sh -c "ip link show dev $A | grep -q 'prog/xdp id'"
wait_ping $HUB_B >/dev/null
consumed "after down and up" rx_xdp_drop

# Removed: the pool is the plain one again, and the capture device works
check "remove the program" xdp_off
check "no program is shown" sh -c "! ip link show dev $A | grep -q 'prog/xdp'"
check "the pool is DMA_FROM_DEVICE again" sh -c "grep -q '1536 bytes (dma_map_page, DMA_FROM_DEVICE)' $D/rings"
wait_ping $HUB_B >/dev/null
check "a capture works again" sh -c "timeout 10 nicdrv-cap -i $A -c 3 icmp >/dev/null 2>&1 & sleep 1; ping -c 5 -i 0.2 $HUB_B >/dev/null; wait"
check "VLAN stripping is back" sh -c "ethtool -k $A | grep -q '^rx-vlan-offload: on'"
check "MTU 9000 allowed again" ip link set "$A" mtu 9000
ip link set "$A" mtu 1500

# rmmod with a program attached, during a flood
xdp nicdrv_tx
ip netns exec peer udpseq send $HUB_A $PORT 3 64,1472 >/dev/null &
spid=$!
sleep 1
check "rmmod with a program attached, during a flood" rmmod nicdrv
wait $spid
check "reload" modprobe nicdrv
