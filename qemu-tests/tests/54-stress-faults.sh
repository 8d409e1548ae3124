#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Failures injected into nicdrv's own allocations and DMA mappings, with
# the driver's fault attributes (debugfs nicdrv/fail_alloc, fail_dma_map;
# needs the debug kernel's CONFIG_FAULT_INJECTION, skipped elsewhere):
#  - walk: "ip link set up", a ring resize, a devlink reload to a new DMA
#    mask, opening /dev/nicdrvN, an XDP program's attach (the rings rebuilt
#    in XDP's layout) and an AF_XDP zero-copy socket's bind (nicdrv-xsk:
#    libxdp's program, then the UMEM), with the N-th allocation of the path
#    failing (times=1, space=N, only the command under test): each attempt
#    works or fails with a clean ENOMEM (a reload keeps the old mask and
#    rings), a plain retry works, nothing leaks (kmemleak at the end);
#  - random: 2 % of RX skb allocations and of TX DMA mappings fail under
#    traffic: frames are dropped and counted, nothing else happens.
# stress: yes
# topology: tap
# timeout: 1800
. /tests/lib.sh

F=/sys/kernel/debug/nicdrv/fail_alloc
M=/sys/kernel/debug/nicdrv/fail_dma_map
modprobe nicdrv || bail "modprobe nicdrv"
if [ ! -d $F ]; then
	pass "# SKIP no fault injection in this kernel"
	exit 0
fi
setup_tap
echo 0 >$F/verbose
echo 0 >$M/verbose

# faulty N CMD...: run CMD with nicdrv's N-th allocation failing; true
# when a failure was injected (times went from 1 to 0)
faulty() {
	echo 1 >$F/task-filter
	echo 100 >$F/probability
	echo "$1" >$F/space
	echo 1 >$F/times
	shift
	sh -c 'echo 1 >/proc/self/make-it-fail; exec "$@"' sh "$@" >/tmp/fault.out 2>&1
	rc=$?
	injected=$(($(cat $F/times) == 0))
	echo 0 >$F/probability
	return $rc
}

# walk NAME SETUP RETRY CMD...: every allocation of CMD's path, one by one
walk() {
	local name=$1 setup=$2 retry=$3 n=1 worked=0 enomem=0 other=0 sites=0
	shift 3
	while [ $n -le "$(scaled 300)" ]; do
		eval "$setup"
		faulty $n "$@"
		rc=$?
		if [ $injected = 0 ]; then
			break	# fewer than n allocations on this path: all done
		fi
		sites=$((sites + 1))
		if [ $rc -eq 0 ]; then
			worked=$((worked + 1))
		elif grep -qi 'memory' /tmp/fault.out; then
			enomem=$((enomem + 1))
		else
			other=$((other + 1))
			sed 's/^/# /' /tmp/fault.out | tee -a "$RESULTS"
		fi
		eval "$retry" >/tmp/retry.out 2>&1 || {
			fail "$name: retry after failing allocation $n"
			sed 's/^/# /' /tmp/retry.out | tee -a "$RESULTS"
		}
		# Walk the first allocations one by one, then in growing steps
		if [ $n -lt 16 ]; then n=$((n + 1)); else n=$((n * 3 / 2)); fi
	done
	diag "$name: $sites allocations failed in turn (last n=$n): $worked still worked, $enomem ENOMEM, $other otherwise"
	check_cmp "$name: failures reached nicdrv's allocations" "$sites" -ge 4
	check_cmp "$name: each failure was a clean ENOMEM (or tolerated)" "$other" -eq 0
}

walk "ip link set up" "ip link set $IF down" "ip link set $IF up" \
	ip link set "$IF" up
walk "ring resize" "" "ethtool -G $IF rx 256 tx 256" \
	ethtool -G "$IF" rx 512 tx 512
DL=$(devlink_of "$IF")
walk "devlink reload" "dlset $DL dma_bits 32 driverinit" \
	"dlset $DL dma_bits 64 driverinit && devlink dev reload $DL" \
	devlink dev reload "$DL"
check_cmp "after the reloads: the 64-bit mask" \
	"$(cat /sys/class/net/$IF/device/dma_mask_bits)" -eq 64
# Opening the capture device grows the pool once: start from a fresh pool
walk "capture open" "ip link set $IF down; ip link set $IF up" ":" \
	pooltest open "$IF"
wait_carrier "$IF" 5
# An XDP program's attach rebuilds the rings; a failure changes nothing
XDP="ip -force link set dev $IF xdpdrv obj /tests/nicdrv_xdp.o program nicdrv_pass"
walk "XDP attach" "ip link set dev $IF xdpdrv off" "$XDP" $XDP
ip link set dev "$IF" xdpdrv off
# A socket's bind: libxdp attaches its program, then binds the UMEM
walk "AF_XDP bind" "ip link set dev $IF xdpdrv off" ":" \
	nicdrv-xsk rx "$IF" -t 0.2
ip link set dev "$IF" xdpdrv off
check "no program is left" sh -c "! ip link show dev $IF | grep -q prog/xdp"
wait_carrier "$IF" 5
check "traffic after the walks" recovered

# Random failures under traffic, for NAPI's skb allocations and xmit's maps
echo 0 >$F/task-filter
echo 0 >$M/task-filter
echo 0 >$F/space
echo 0 >$M/space
echo -1 >$F/times
echo -1 >$M/times
echo 2 >$F/probability
echo 2 >$M/probability
a0=$(ethstat "$IF" rx_alloc_failed)
m0=$(ethstat "$IF" tx_dma_map_failed)
ping -q -c 200 -i 0.01 $TAP_HOST >/dev/null 2>&1
iperf3 -c $TAP_HOST -t 3 >/dev/null 2>&1
iperf3 -c $TAP_HOST -t 3 -R >/dev/null 2>&1
echo 0 >$F/probability
echo 0 >$M/probability
a=$(($(ethstat "$IF" rx_alloc_failed) - a0))
m=$(($(ethstat "$IF" tx_dma_map_failed) - m0))
diag "random 2 %: $a RX allocations and $m TX mappings failed"
check_cmp "RX allocation failures were counted" "$a" -gt 0
check_cmp "TX mapping failures were counted" "$m" -gt 0
check "traffic recovers" recovered
check "rmmod" rmmod nicdrv
