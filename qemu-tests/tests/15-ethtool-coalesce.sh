#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# ethtool -c/-C: rx-usecs sets ITR and really thins out interrupts under a
# UDP flood; tx-usecs > 0 (the default) reclaims TX completions without
# interrupts of their own, 0 brings TXDW interrupts back; out-of-range and
# unsupported values are refused.  QEMU keeps 128 us between interrupts at the least.  The load
# is moderate (about 2000 frames/s): under a flood NAPI keeps polling with
# interrupts masked, and moderation has nothing to do.  Adaptive
# moderation (on by default): ITR 0 for pings (the RTT does not wait for
# the moderation timer), rx-usecs once the rate is high.
# topology: tap
# timeout: 200
. /tests/lib.sh

setup_tap
check_cmp "default rx-usecs" "$(coalesce "$IF" rx-usecs)" -eq 50
check "adaptive-rx is on by default" sh -c "ethtool -c $IF | grep -q '^Adaptive RX: on'"
check "adaptive-rx off" ethtool -C "$IF" adaptive-rx off

irq_rate() {	# irq_rate BITRATE: interrupts/s under 64-byte frames from the host
	local i0 i1
	i0=$(ethstat "$IF" irqs)
	iperf3 -c $TAP_HOST -u -l 64 -b "$1" -t 3 -R >/dev/null 2>&1
	i1=$(ethstat "$IF" irqs)
	echo $(((i1 - i0) / 3))
}
check "rx-usecs 0" ethtool -C "$IF" rx-usecs 0
fast=$(irq_rate 1M)
check "rx-usecs 2000" ethtool -C "$IF" rx-usecs 2000
check_cmp "ethtool -c reads it back" "$(coalesce "$IF" rx-usecs)" -eq 2000
slow=$(irq_rate 1M)
diag "interrupts/s at 2000 frames/s: $fast with rx-usecs 0, $slow with 2000"
# ITR 2000 us allows at most 500 interrupts/s; without it NAPI still
# batches some frames under TCG, so the difference is not tenfold
check_cmp "rx-usecs 2000 keeps interrupts at or under 500/s (+10%)" "$slow" -le 550
check_cmp "rx-usecs 0 lets at least 1.25 times as many through" "$fast" -gt $((slow * 5 / 4))

# Adaptive: with rx-usecs 10000, QEMU holds each interrupt up to 10 ms
# after the previous one.  A ping's reply waits for it without adaptive
# moderation, not with it; a flood is moderated either way.  With TXDW
# interrupts (tx-usecs 0): with lazy TX completion the reclaim timer's
# poll would take the reply after 1 ms anyway and hide the difference.
# What adaptive moderation does is checked on every kernel: ITR (0x00c4,
# 256 ns units) goes to 0.  The RTTs are a race: a reply waits only if it
# reaches the ring after the poll that the request's TXDW interrupt
# started, and a slow kernel's poll takes many replies itself (debug
# kernel: 2270-3163 us fixed, 1311-1775 adaptive).  So they are compared
# only when the fixed run showed the wait, 5 ms or more on average.
# Pings 25 ms apart: each starts with QEMU's timer idle (an interval equal
# to the 10 ms ITR made the wait depend on the phase between the two).
rtt() { ping -c 60 -i 0.025 -q $TAP_HOST | awk -F/ '/^rtt/ { printf "%d\n", $5 * 1000 }'; }
itr() { regval "$IF" 0x00c4; }
ethtool -C "$IF" rx-usecs 10000 tx-usecs 0
slow_rtt=$(rtt)
check_cmp "fixed: ITR holds rx-usecs 10000 (39063 x 256 ns)" $((0x$(itr))) -eq 39063
check "adaptive-rx on" ethtool -C "$IF" adaptive-rx on
fast_rtt=$(rtt)
check_cmp "adaptive: ITR 0 at ping rates" $((0x$(itr))) -eq 0
diag "ping avg RTT with rx-usecs 10000: $slow_rtt us fixed, $fast_rtt us adaptive"
if [ "$slow_rtt" -ge 5000 ]; then
	check_cmp "adaptive: pings do not wait for the moderation timer" "$fast_rtt" -lt $((slow_rtt / 2))
else
	diag "fixed moderation did not hold the replies back on this kernel: RTTs not compared"
fi
ethtool -C "$IF" tx-usecs 1000
ethtool -C "$IF" rx-usecs 2000
flood=$(irq_rate 4M)
diag "adaptive, 8000 frames/s: $flood interrupts/s"
check_cmp "adaptive: a flood gets rx-usecs 2000 (at most 500/s, +10%)" "$flood" -le 550

# Lazy TX completion: a UDP flood out of the guest takes next to no
# interrupts; with tx-usecs 0 each TXDW raises one (128 us apart at the
# most with the default rx-usecs)
ethtool -C "$IF" rx-usecs 50
check_cmp "default tx-usecs" "$(coalesce "$IF" tx-usecs)" -eq 1000
tx_irqs() {	# interrupts per 100 frames sent
	local i0 t0 k0
	i0=$(ethstat "$IF" irqs)
	t0=$(netstat "$IF" tx_packets)
	k0=$(ethstat "$IF" tx_reclaim_kicks)
	iperf3 -c $TAP_HOST -u -l 64 -b 0 -t 3 >/dev/null 2>&1
	echo $(($(ethstat "$IF" tx_reclaim_kicks) - k0)) >/tmp/kicks
	diag "tx_reclaim_kicks +$(cat /tmp/kicks)" >/dev/null
	echo $((($(ethstat "$IF" irqs) - i0) * 100 / ($(netstat "$IF" tx_packets) - t0)))
}
lazy=$(tx_irqs)
check "tx-usecs 0" ethtool -C "$IF" tx-usecs 0
eager=$(tx_irqs)
check_cmp "tx-usecs 0: xmit never schedules NAPI itself (tx_reclaim_kicks)" \
	"$(cat /tmp/kicks)" -eq 0
diag "interrupts per 100 frames sent: $lazy lazy, $eager with TXDW"
check_cmp "lazy completion: under 2 interrupts per 100 frames sent" "$lazy" -lt 2
check_cmp "tx-usecs 0: TXDW interrupts are back" "$eager" -gt $((lazy + 2))
check_cmp "tx_packets counts every frame sent with TXDW masked" \
	"$(netstat "$IF" tx_packets)" -gt 1000
check "tx-usecs 100" ethtool -C "$IF" tx-usecs 100
check_cmp "ethtool -c reads it back" "$(coalesce "$IF" tx-usecs)" -eq 100
check "traffic with tx-usecs 100" ping_ok 50 $TAP_HOST
check "back to the defaults" ethtool -C "$IF" rx-usecs 50 tx-usecs 1000

err=$(ethtool -C "$IF" rx-usecs 10001 2>&1)
check "rx-usecs 10001 refused" test $? -ne 0
diag "ethtool said: $(echo $err)"
err=$(ethtool -C "$IF" rx-frames 8 2>&1)
check "rx-frames (unsupported) refused" test $? -ne 0
diag "ethtool said: $(echo $err)"
check_cmp "rx-usecs unchanged after refusals" "$(coalesce "$IF" rx-usecs)" -eq 50
