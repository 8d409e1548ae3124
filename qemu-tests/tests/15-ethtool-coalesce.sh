#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# ethtool -c/-C: rx-usecs sets ITR and really thins out interrupts under a
# UDP flood; tx-usecs sets TADV; out-of-range and unsupported values are
# refused.  QEMU keeps 128 us between interrupts at the least.  The load
# is moderate (about 2000 frames/s): under a flood NAPI keeps polling with
# interrupts masked, and moderation has nothing to do.
# topology: tap
# timeout: 200
. /tests/lib.sh

setup_tap
usecs() { ethtool -c "$IF" | awk -v k="$1:" '$1 == k { print $2 }'; }
check_cmp "default rx-usecs" "$(usecs rx-usecs)" -eq 50

irq_rate() {	# interrupts per second while the host sends 2000 frames/s
	local i0 i1
	i0=$(ethstat "$IF" irqs)
	iperf3 -c $TAP_HOST -u -l 64 -b 1M -t 3 -R >/dev/null 2>&1
	i1=$(ethstat "$IF" irqs)
	echo $(((i1 - i0) / 3))
}
check "rx-usecs 0" ethtool -C "$IF" rx-usecs 0
fast=$(irq_rate)
check "rx-usecs 2000" ethtool -C "$IF" rx-usecs 2000
check_cmp "ethtool -c reads it back" "$(usecs rx-usecs)" -eq 2000
slow=$(irq_rate)
diag "interrupts/s at 2000 frames/s: $fast with rx-usecs 0, $slow with 2000"
# ITR 2000 us allows at most 500 interrupts/s; without it NAPI still
# batches some frames under TCG, so the difference is not tenfold
check_cmp "rx-usecs 2000 keeps interrupts at or under 500/s (+10%)" "$slow" -le 550
check_cmp "rx-usecs 0 lets at least 1.5 times as many through" "$fast" -gt $((slow * 3 / 2))

check "tx-usecs 100" ethtool -C "$IF" tx-usecs 100
check_cmp "ethtool -c reads it back" "$(usecs tx-usecs)" -eq 100
check "traffic with tx-usecs 100" ping_ok 50 $TAP_HOST
check "back to the defaults" ethtool -C "$IF" rx-usecs 50 tx-usecs 0

err=$(ethtool -C "$IF" rx-usecs 10001 2>&1)
check "rx-usecs 10001 refused" test $? -ne 0
diag "ethtool said: $(echo $err)"
err=$(ethtool -C "$IF" rx-frames 8 2>&1)
check "rx-frames (unsupported) refused" test $? -ne 0
diag "ethtool said: $(echo $err)"
check_cmp "rx-usecs unchanged after refusals" "$(usecs rx-usecs)" -eq 50
