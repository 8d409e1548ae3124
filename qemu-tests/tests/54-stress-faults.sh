#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Allocation failures injected (failslab, fail_page_alloc; only for the
# task that asks) into "ip link set up" and into ring resizes: each attempt
# either works or fails with a clean ENOMEM, and a plain retry works.
# Needs the debug kernel's fault injection; skipped elsewhere.
#
# Known gap (see the session notes): with times=1 the one injected failure
# lands in an allocation that tolerates failure (the checkers' own
# bookkeeping), so "injected failures seen" fails.  Next: unlimited
# failures past a growing "space" budget, or the stacktrace filter
# (CONFIG_FAULT_INJECTION_STACKTRACE_FILTER) to aim at nicdrv's code.
# stress: yes
# topology: tap
# timeout: 1800
. /tests/lib.sh

DBG=/sys/kernel/debug
if [ ! -d $DBG/failslab ] || [ ! -d $DBG/fail_page_alloc ]; then
	pass "# SKIP no fault injection in this kernel"
	exit 0
fi
setup_tap
for f in failslab fail_page_alloc; do
	echo 1 >$DBG/$f/task-filter
	echo 100 >$DBG/$f/probability
	echo 1 >$DBG/$f/times
	echo 0 >$DBG/$f/verbose
done
echo N >$DBG/failslab/ignore-gfp-wait
echo N >$DBG/fail_page_alloc/ignore-gfp-wait

# faulty SPACE CMD...: run CMD with one failure after SPACE bytes allocated
faulty() {
	local space=$1
	shift
	echo "$space" >$DBG/failslab/space
	echo "$space" >$DBG/fail_page_alloc/space
	sh -c 'echo 1 >/proc/self/make-it-fail; exec "$@"' sh "$@" 2>/tmp/fault.err
}

n=$(scaled 40)
for what in up resize; do
	worked=0
	enomem=0
	other=0
	i=0
	while [ $i -lt "$n" ]; do
		space=$((i * 4096))
		if [ $what = up ]; then
			ip link set "$IF" down
			faulty $space ip link set "$IF" up
		else
			faulty $space ethtool -G "$IF" rx 512 tx 512
		fi
		if [ $? -eq 0 ]; then
			worked=$((worked + 1))
		elif grep -qi 'memory' /tmp/fault.err; then
			enomem=$((enomem + 1))
		else
			other=$((other + 1))
			sed 's/^/# /' /tmp/fault.err | tee -a "$RESULTS"
		fi
		# a plain retry must work
		if [ $what = up ]; then
			ip link set "$IF" up || fail "retry of ip link set up ($space)"
		else
			ethtool -G "$IF" rx 256 tx 256 || fail "retry of the resize ($space)"
		fi
		i=$((i + 1))
	done
	diag "$what: $n attempts, $worked worked, $enomem failed with ENOMEM, $other otherwise"
	check_cmp "$what: injected failures seen" $enomem -gt 0
	check_cmp "$what: every failure was ENOMEM" $other -eq 0
done
echo 0 >$DBG/failslab/probability
echo 0 >$DBG/fail_page_alloc/probability
check "traffic recovers" recovered
