#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# AF_XDP zero-copy (nicdrv/xsk.c, docs/xdp.md) on the hub, with
# nicdrv-xsk as a user would run it.  B (namespace peer) floods A with
# checked UDP datagrams (udpseq); A's socket gets every one intact, with
# need_wakeup and without it, from UMEM frames the NIC wrote (the driver
# redirects them, ethtool -S counts it; the socket reports zero-copy).
# A sends checked datagrams from its UMEM and B's udpseq finds each one
# intact.  With a socket bound and a program of nicdrv_xdp.o, the
# program's verdicts run on UMEM frames: XDP_PASS to the stack, XDP_TX
# back to B, XDP_DROP.  Refused while a socket is bound: a capture, and a
# new DMA mask (devlink reload); the socket survives resizes to the
# smallest ring under a flood and down and up, and nicdrv unloads with
# one open during a flood.  Copy mode works too.
#
# One vCPU, as 30-xdp and for the same reason (XDP attach under TCG).
# topology: hub
# smp: 1
# timeout: 400
. /tests/lib.sh

setup_hub
O=/tests/nicdrv_xdp.o
PORT=9100
D=/sys/kernel/debug/nicdrv/$(basename "$(readlink -f /sys/class/net/$A/device)")
# libxdp's program sends every frame to the socket, ARP too
hub_static_neigh

st() { ethstat "$A" "$1"; }
# nicdrv-xsk's stderr, when it failed (libbpf and libxdp are verbose)
diag_lines() { while read -r l; do diag "$l"; done; }
# field NAME: the value after NAME in /tmp/xsk.out's last line
field() { tail -n 1 /tmp/xsk.out | awk -v k="$1" '{ for (i = 1; i < NF; i++) if ($i == k) print $(i + 1) }'; }
# xsk_start ARGS...: nicdrv-xsk in the background, ready once bound
xsk_start() {
	nicdrv-xsk "$@" >/tmp/xsk.out 2>/tmp/xsk.err &
	XSK=$!
	# The bind halts and restarts the NIC; QEMU's receiver stalls 1 s
	sleep 2.5
}

# rx_flood LABEL ARGS...: a socket on A receives B's flood
rx_flood() {
	local label=$1 r0
	shift
	r0=$(st rx_xdp_redirect)
	xsk_start rx "$A" -t 8 -p $PORT "$@"
	ip netns exec peer udpseq send $HUB_A $PORT 3 64,700,1472 >/tmp/send.out
	SENT=$(awk '{ print $2 }' /tmp/send.out)
	wait $XSK
	RC=$?
	REDIR=$(($(st rx_xdp_redirect) - r0))
	diag "$label: B sent $SENT; $(tail -n 1 /tmp/xsk.out); rx_xdp_redirect +$REDIR"
	[ "$RC" -eq 0 ] || tail -n 5 /tmp/xsk.err | sed 's/^/stderr: /' | diag_lines
	check_cmp "$label: nicdrv-xsk ran" "$RC" -eq 0
	check_cmp "$label: datagrams arrive" "$(field unique)" -gt $((SENT / 2))
	check_cmp "$label: none twice" "$(field dup)" -eq 0
	check_cmp "$label: every payload intact" "$(field bad)" -eq 0
	check_cmp "$label: the driver redirected each frame the socket got" \
		"$REDIR" -ge "$(field frames)"
}

check "ethtool -S has the AF_XDP counters" sh -c "ethtool -S $A | grep -q tx_xsk_frames"

# Zero-copy receive, need_wakeup on (the default), then off
rx_flood "zero-copy RX"
check "... in zero-copy mode" test "$(field mode)" = zero-copy
fe=$(st rx_xsk_fill_empty)
diag "rx_xsk_fill_empty $fe, wakeups $(field wakeups)"
rx_flood "zero-copy RX, no need_wakeup" -W
check "... in zero-copy mode" test "$(field mode)" = zero-copy
check "no program is left behind" sh -c "! ip link show dev $A | grep -q 'prog/xdp'"
wait_ping $HUB_B >/dev/null || fail "no ping after the sockets"

# Copy mode: the same through the kernel's copy
rx_flood "copy-mode RX" -c
check "... in copy mode" test "$(field mode)" = copy

# Zero-copy send: B checks every datagram
rm -f /tmp/ready
ip netns exec peer udpseq recv $PORT 2000 /tmp/ready >/tmp/recv.out &
rpid=$!
while [ ! -e /tmp/ready ]; do sleep 0.1; done
x0=$(st tx_xsk_frames)
t0=$(netstat "$A" tx_packets)
nicdrv-xsk tx "$A" -d $HUB_B -m $HUB_B_MAC -s $HUB_A -p $PORT \
	-l 64,700,1472 -n 20000 -t 20 >/tmp/xsk.out 2>/tmp/xsk.err
RC=$?
wait $rpid
set -- $(cat /tmp/recv.out)
diag "zero-copy TX: $(tail -n 1 /tmp/xsk.out); B: udpseq $*"
[ "$RC" -eq 0 ] || tail -n 5 /tmp/xsk.err | sed 's/^/stderr: /' | diag_lines
check_cmp "zero-copy TX: nicdrv-xsk ran" "$RC" -eq 0
check "... in zero-copy mode" test "$(field mode)" = zero-copy
check_cmp "... every frame sent was completed" "$(field completed)" -eq 20000
check_cmp "... tx_xsk_frames counts them" $(($(st tx_xsk_frames) - x0)) -eq 20000
check_cmp "... tx_packets too" $(($(netstat "$A" tx_packets) - t0)) -ge 20000
check_cmp "... B received most (its socket may overflow)" "$2" -gt 10000
check_cmp "... none twice" "$6" -eq 0
check_cmp "... every payload intact" "$8" -eq 0

# A bound socket whose fill ring is full, and nicdrv's own programs in
# place of libxdp's: their verdicts run on UMEM frames
xdp() { ip -force link set dev "$A" xdpdrv obj $O program "$1"; }
xsk_start rx "$A" -t 60
check "attach nicdrv_pass with a socket bound" xdp nicdrv_pass
sleep 1.5
check "the RX ring receives into the UMEM" grep -q "AF_XDP zero-copy" "$D/rings"
rm -f /tmp/ready
udpseq recv $PORT 1500 /tmp/ready >/tmp/recv.out &
rpid=$!
while [ ! -e /tmp/ready ]; do sleep 0.1; done
p0=$(st rx_xdp_pass)
ip netns exec peer udpseq send $HUB_A $PORT 2 64,700,1472 >/tmp/send.out
wait $rpid
set -- $(cat /tmp/recv.out)
n=$(($(st rx_xdp_pass) - p0))
diag "XDP_PASS from UMEM frames: rx_xdp_pass +$n, udpseq on A: $*"
check_cmp "XDP_PASS from UMEM frames: datagrams arrive" "$2" -gt 0
check_cmp "... every payload intact" "$8" -eq 0
check_cmp "... the program passed them" "$n" -ge "$2"

xdp nicdrv_tx
b0=$(netstat "$B" rx_packets peer)
t0=$(st rx_xdp_tx)
ip netns exec peer udpseq send $HUB_A $PORT 2 64,1472 >/tmp/send.out
sleep 0.5
n=$(($(st rx_xdp_tx) - t0))
back=$(($(netstat "$B" rx_packets peer) - b0))
diag "XDP_TX from UMEM frames: sent $(cat /tmp/send.out), rx_xdp_tx +$n, B got $back back, errors $(st rx_xdp_tx_errors)"
check_cmp "XDP_TX from UMEM frames: most of the flood" "$n" -gt 0
check_cmp "... B received them back (90 %)" "$back" -ge $((n * 9 / 10))

xdp nicdrv_drop
d0=$(st rx_xdp_drop)
ip netns exec peer udpseq send $HUB_A $PORT 2 64 >/tmp/send.out
sleep 0.3
check_cmp "XDP_DROP on UMEM frames" $(($(st rx_xdp_drop) - d0)) -gt 0

# Refused while the socket is bound, each with its reason
out=$(timeout 5 nicdrv-cap -i "$A" -c 1 2>&1)
check "a capture is refused while a socket is bound" test $? -ne 0 -a $? -ne 124
ip link set dev "$A" xdpdrv off
out=$(timeout 5 nicdrv-cap -i "$A" -c 1 2>&1)
check "... also with no program" test $? -ne 0 -a $? -ne 124
check "... saying why (kernel log)" sh -c "dmesg | grep -q 'AF_XDP zero-copy socket is bound'"
DL=$(devlink_of "$A")
dlset $DL dma_bits 32 driverinit
out=$(devlink dev reload $DL 2>&1)
check "devlink reload (a new DMA mask) is refused" test -n "$out"
diag "reload: $out"
dlset $DL dma_bits 64 driverinit

# Down and up with the socket bound, then release it
ip link set "$A" down
ip link set "$A" up
wait_carrier "$A" 5 || fail "no carrier after up"
kill -TERM $XSK
wait $XSK
check "the socket closes cleanly after down and up" sh -c "tail -n 1 /tmp/xsk.out | grep -q '^mode zero-copy'"
diag "$(tail -n 1 /tmp/xsk.out)"
wait_ping $HUB_B >/dev/null || fail "no ping after the socket closed"
check "the pool is nicdrv's again" sh -c "! grep -q 'AF_XDP zero-copy' $D/rings"
check "a capture works again" sh -c "timeout 10 nicdrv-cap -i $A -c 3 icmp >/dev/null 2>&1 & sleep 1; ping -c 5 -i 0.2 $HUB_B >/dev/null; wait"

# A zero-copy socket with a 2048-byte UMEM frame
rx_flood "zero-copy RX, 2048-byte frames" -f 2048
check "... in zero-copy mode" test "$(field mode)" = zero-copy

# Resizes under a zero-copy flood, to the smallest ring and back: the
# socket keeps receiving, every datagram intact
xsk_start rx "$A" -t 14 -p $PORT
ip netns exec peer udpseq send $HUB_A $PORT 7 64,700,1472 >/tmp/send.out &
spid=$!
sleep 1
check "ethtool -G to 64 descriptors under a zero-copy flood" ethtool -G "$A" rx 64 tx 64
sleep 2
check "... and back to 256" ethtool -G "$A" rx 256 tx 256
wait $spid
wait $XSK
diag "resizes: B sent $(cat /tmp/send.out); $(tail -n 1 /tmp/xsk.out)"
check_cmp "resizes: the socket kept receiving" "$(field unique)" -gt 0
check_cmp "... none twice" "$(field dup)" -eq 0
check_cmp "... every payload intact" "$(field bad)" -eq 0

# Down and up under a receiving socket: it receives again once up
xsk_start rx "$A" -t 14 -p $PORT
ip link set "$A" down
ip link set "$A" up
wait_carrier "$A" 5 || fail "no carrier after up"
sleep 1.5
ip netns exec peer udpseq send $HUB_A $PORT 3 64,1472 >/tmp/send.out
wait $XSK
diag "after down and up: B sent $(cat /tmp/send.out); $(tail -n 1 /tmp/xsk.out)"
check_cmp "after down and up the socket receives again" "$(field unique)" -gt 0
check_cmp "... every payload intact" "$(field bad)" -eq 0

# rmmod with a socket open, during a flood
xsk_start rx "$A" -t 30
ip netns exec peer udpseq send $HUB_A $PORT 3 64,1472 >/dev/null &
spid=$!
sleep 1
check "rmmod with an AF_XDP socket open, during a flood" rmmod nicdrv
wait $spid
kill -TERM $XSK 2>/dev/null
wait $XSK
check "reload" modprobe nicdrv
finish
