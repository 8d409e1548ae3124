#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# XDP_REDIRECT out of nicdrv (docs/xdp.md) to the three kinds of target
# the issue names, each proven by counters on both ends and by payloads
# checked where the frames end (udpseq):
#   - the other nicdrv port, through a device map (nicdrv_redirect.o,
#     loaded by xdpmap): B floods A, A sends each datagram out of B with a
#     marked source MAC, the hub brings it back to A, which passes marked
#     frames to its socket.  A's rx_xdp_redirect, B's tx_xdp_xmit;
#   - a veth, through the same device map: the veth's peer, in its own
#     namespace with A's addresses, receives every datagram;
#   - a cpumap (nicdrv_redirect_cpu): the frames reach A's stack through
#     the CPU map's kthread.
# Not xdp-bench's programs: they need the kernel's BTF, which Debian 12's
# libbpf cannot read on 6.12 and later (docs/xdp.md).
# One vCPU, as 30-xdp and for the same reason.
# topology: hub
# smp: 1
# timeout: 300
. /tests/lib.sh

setup_hub
PORT=9100
ip neigh replace $HUB_B lladdr $HUB_B_MAC dev "$A" nud permanent
ip -n peer neigh replace $HUB_A lladdr $HUB_A_MAC dev "$B" nud permanent

st() { ethstat "$1" "$2"; }
# recv_start NETNS: udpseq recv on PORT, ready once bound
recv_start() {
	rm -f /tmp/ready
	${1:+ip netns exec "$1"} udpseq recv $PORT 2000 /tmp/ready >/tmp/recv.out &
	RPID=$!
	while [ ! -e /tmp/ready ]; do sleep 0.1; done
}
# The attach rebuilt A's rings: QEMU's receiver stalls for 1 s after the
# RCTL write (docs/xdp.md); a flood sent meanwhile would mostly be lost
settle() { sleep 1.5; }
# flood SECONDS: B floods A; SENT is how many datagrams
flood() {
	ip netns exec peer udpseq send $HUB_A $PORT "$1" 64,700,1472 >/tmp/send.out
	SENT=$(awk '{ print $2 }' /tmp/send.out)
}

# To the other nicdrv port: B is in namespace peer, and a device map
# holds it from there
recv_start
r0=$(st "$A" rx_xdp_redirect)
x0=$(ip netns exec peer ethtool -S "$B" | awk '$1 == "tx_xdp_xmit:" { print $2 }')
out=$(xdpmap "$A" /tests/nicdrv_redirect.o nicdrv_redirect_port nicdrv_ports "$B" peer 2>&1)
check_cmp "xdpmap: nicdrv_redirect_port on A, B in its map" $? -eq 0
[ -z "$out" ] || diag "xdpmap: $out"
settle
flood 3
wait $RPID
r=$(($(st "$A" rx_xdp_redirect) - r0))
x=$(($(ip netns exec peer ethtool -S "$B" | awk '$1 == "tx_xdp_xmit:" { print $2 }') - x0))
set -- $(cat /tmp/recv.out)
diag "to B: B sent $SENT, A redirected $r, B's ndo_xdp_xmit took $x, udpseq on A: $*"
check_cmp "to B: A redirected most of the flood" "$r" -gt $((SENT / 2))
check_cmp "... B's ndo_xdp_xmit took every one" "$x" -eq "$r"
check_cmp "... they came back over the hub to A's socket (90 %)" "$4" -ge $((r * 9 / 10))
check_cmp "... none twice" "$6" -eq 0
check_cmp "... every payload intact" "$8" -eq 0
check_cmp "... no redirect failed" "$(st "$A" rx_xdp_redirect_errors)" -eq 0
ip link set dev "$A" xdpdrv off

# To a veth whose peer has A's addresses, in namespace vx
ip netns add vx
ip link add vxa type veth peer name vxb netns vx
ip -n vx link set vxb address $HUB_A_MAC
ip -n vx addr add $HUB_A/24 dev vxb
ip link set vxa up
ip -n vx link set vxb up
# A veth takes redirected frames only with NAPI on: GRO or a program
ip netns exec vx ethtool -K vxb gro on
recv_start vx
r0=$(st "$A" rx_xdp_redirect)
out=$(xdpmap "$A" /tests/nicdrv_redirect.o nicdrv_redirect_port nicdrv_ports vxa 2>&1)
check_cmp "xdpmap: nicdrv_redirect_port on A, the veth in its map" $? -eq 0
[ -z "$out" ] || diag "xdpmap: $out"
settle
flood 2
wait $RPID
r=$(($(st "$A" rx_xdp_redirect) - r0))
set -- $(cat /tmp/recv.out)
diag "to a veth: B sent $SENT, A redirected $r, udpseq behind the veth: $*"
check_cmp "to a veth: A redirected most of the flood" "$r" -gt $((SENT / 2))
check_cmp "... the veth's peer got most (its socket may overflow)" "$4" -gt $((r / 2))
check_cmp "... none twice" "$6" -eq 0
check_cmp "... every payload intact" "$8" -eq 0
ip link set dev "$A" xdpdrv off
ip link del vxa
ip netns del vx

# To a cpumap: A's own stack, through the map's kthread on CPU 0
recv_start
r0=$(st "$A" rx_xdp_redirect)
out=$(xdpmap "$A" /tests/nicdrv_redirect.o nicdrv_redirect_cpu nicdrv_cpus cpu0 2>&1)
check_cmp "xdpmap: nicdrv_redirect_cpu on A, CPU 0 in its map" $? -eq 0
[ -z "$out" ] || diag "xdpmap: $out"
settle
flood 2
wait $RPID
r=$(($(st "$A" rx_xdp_redirect) - r0))
set -- $(cat /tmp/recv.out)
diag "to a cpumap: B sent $SENT, A redirected $r, udpseq on A: $*"
check_cmp "to a cpumap: A redirected most of the flood" "$r" -gt $((SENT / 2))
check_cmp "... the stack got most (the map's queue and the socket may overflow)" "$4" -gt $((r / 2))
check_cmp "... none twice" "$6" -eq 0
check_cmp "... every payload intact" "$8" -eq 0
ip link set dev "$A" xdpdrv off
wait_ping $HUB_B >/dev/null || fail "no ping after the redirects"
finish
