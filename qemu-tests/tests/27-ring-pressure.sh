#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The rings under pressure: NIC B (namespace "peer") floods NIC A with
# numbered UDP datagrams (udpseq), A at the smallest ring sizes accepted
# or at a size that is no power of two, while A is resized, changes MTU,
# is reset by its TX timeout handler, reloaded by devlink with a new
# DMA mask, suspends, or opens its first capture.  After each flood: A delivered no more frames than B sent;
# udpseq saw every datagram at most once and every payload intact; A
# answers pings.  At the smallest RX ring the NAPI budget (64) is larger
# than the ring: an overrun (every posted buffer filled) made the driver
# walk on into descriptors it had not handed to the NIC, which still
# showed DD from their last lap, and deliver them again and again.
# topology: hub
# timeout: 400
. /tests/lib.sh

setup_hub
PORT=9000
PCI=$(basename "$(readlink -f /sys/class/net/$A/device)")
# No ARP in the middle of a flood: A sends nothing unless asked to
ip neigh replace $HUB_B lladdr $HUB_B_MAC dev "$A" nud permanent
ip -n peer neigh replace $HUB_A lladdr $HUB_A_MAC dev "$B" nud permanent

# flood LABEL SECONDS SIZES [ACTION]: B floods A for SECONDS with datagrams
# of SIZES (comma-separated, in turn); ACTION runs on A after 1 s
flood() {
	local label=$1 secs=$2 sizes=$3 action=${4:-} rx0 tx0 rx tx sent
	rm -f /tmp/ready
	udpseq recv $PORT 2000 /tmp/ready >/tmp/recv.out &
	local rpid=$!
	while [ ! -e /tmp/ready ]; do sleep 0.1; done
	rx0=$(netstat "$A" rx_packets)
	tx0=$(netstat "$B" tx_packets peer)
	ip netns exec peer udpseq send $HUB_A $PORT "$secs" "$sizes" >/tmp/send.out &
	local spid=$!
	if [ -n "$action" ]; then
		sleep 1
		eval "$action" || fail "$label: action '$action'"
	fi
	wait $spid
	wait $rpid
	rx=$(($(netstat "$A" rx_packets) - rx0))
	tx=$(($(netstat "$B" tx_packets peer) - tx0))
	sent=$(awk '{ print $2 }' /tmp/send.out)
	set -- $(cat /tmp/recv.out)
	diag "$label: B sent $tx frames ($sent datagrams), A delivered $rx frames; udpseq: $*"
	check_cmp "$label: frames delivered <= frames sent" "$rx" -le "$tx"
	check_cmp "$label: no datagram delivered twice" "$6" -eq 0
	check_cmp "$label: every payload intact" "$8" -eq 0
	check_cmp "$label: datagrams received <= sent" "$4" -le "${sent:-0}"
	check_cmp "$label: datagrams arrived" "$4" -gt 0
	wait_ping $HUB_B
	check "$label: A answers pings afterwards" ping_ok 5 $HUB_B
}

# ring_set IF RX TX: resize, and check that ethtool -g shows it
ring_set() {
	ethtool -G "$1" rx "$2" tx "$3" && [ "$(ring_sizes "$1")" = "$2/$3" ]
}

mtu_both() {
	ip link set "$A" mtu "$1" && ip -n peer link set "$B" mtu "$1"
}

check "smallest rings accepted: RX 64 / TX 64" ring_set "$A" 64 64
check "RX 56 is refused" sh -c "! ethtool -G $A rx 56 2>/dev/null"
flood "RX 64, 64-byte flood" 4 64
check "MTU 9000 on both ends" mtu_both 9000
flood "RX 64, mixed jumbo flood" 4 64,8000,1400,9000
flood "RX 64, MTU 9000 -> 1500 -> 9000 under the flood" 4 64,1400,8000 \
	"ip link set $A mtu 1500 && sleep 1 && ip link set $A mtu 9000"
check "MTU 1500 on both ends" mtu_both 1500
check "RX 200 / TX 72 (no power of two)" ring_set "$A" 200 72
flood "RX 200, 64-byte flood" 4 64
flood "ethtool -G 64 -> 512 -> 64 under the flood" 5 64,1400 \
	"ring_set $A 64 64 && sleep 1 && ring_set $A 512 512 && sleep 1 && ring_set $A 64 64"
check_cmp "ethtool -G kept what it said" "$(ring_sizes "$A")" = 64/64
t0=$(ethstat "$A" tx_timeouts)
flood "TX timeout reset under the flood" 4 64 \
	"echo 1 >/sys/kernel/debug/nicdrv/$PCI/tx_timeout"
check_cmp "the TX timeout handler ran" "$(ethstat "$A" tx_timeouts)" -gt "${t0:-0}"
# devlink reload closes and reopens A with a new DMA mask (devlink.c)
DL=$(devlink_of "$A")
MASK=/sys/bus/pci/devices/$PCI/dma_mask_bits	# the kernel's, for the device
flood "devlink reload to 32-bit DMA under the flood" 5 64,1400 \
	"dlset $DL dma_bits 32 driverinit && devlink dev reload $DL"
check_cmp "... the mask is 32 bits" "$(cat $MASK)" -eq 32
check_cmp "... and the rings kept their size" "$(ring_sizes "$A")" = 64/64
flood "RX 64 at 32-bit DMA, mixed flood" 4 64,1400
flood "devlink reload to 64-bit DMA under the flood" 4 64 \
	"dlset $DL dma_bits 64 driverinit && devlink dev reload $DL"
check_cmp "... the mask is 64 bits" "$(cat $MASK)" -eq 64

# The first capture open grows the pool with NAPI paused (cap.c): a poll
# cut short there used to leave interrupts masked, and with only RX
# traffic nothing polled again.  A sends nothing here (static neighbours,
# udpseq only listens), so A's receive count moves only if RX works.
for try in 1 2; do
	ip link set "$A" down
	ip link set "$A" up
	wait_carrier "$A" 5
	wait_ping $HUB_B
	# The open grows the pool by 16384 buffers, which takes seconds on
	# the debug kernel under the vIOMMU: the flood outlasts it, and a
	# capture that sees no frames gives up instead of waiting forever
	flood "first capture open under an RX-only flood ($try)" 15 64 \
		"timeout 10 nicdrv-cap -i $A -c 200 -q -w /dev/null && r1=\$(netstat $A rx_packets) && sleep 1 && r2=\$(netstat $A rx_packets)"
	check_cmp "capture $try: RX goes on after the open (frames in 1 s)" \
		$((${r2:-0} - ${r1:-0})) -gt 100
done

check "S3 is offered (mem_sleep deep)" suspend_prepare
flood "suspend under the flood" 5 64 suspend_once
for c in rx_errors rx_length_errors rx_dropped; do
	diag "A $c: $(netstat "$A" $c)"
done
# MPC counts frames A's NIC had no buffer for; QEMU keeps the register
# where the SDM clears it on read, and resets it on resume (nicdrv.h)
check_cmp "A's missed frames (MPC) <= all that B sent" \
	"$(netstat "$A" rx_missed_errors)" -le "$(netstat "$B" tx_packets peer)"
