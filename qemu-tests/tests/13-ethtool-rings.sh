#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# ethtool -g/-G: ring sizes 64..4096 in steps of 8, resized while up (new
# rings first), while down, and under iperf3; bad sizes refused with the
# reason, changing nothing.
# topology: tap
# timeout: 200
. /tests/lib.sh

setup_tap
check "defaults: RX 256 / TX 256" test "$(ring_sizes "$IF")" = 256/256
check "maximum 4096 reported" sh -c "ethtool -g $IF | grep -A1 'maximums' | grep -q 4096"

for size in "1024 512" "4096 4096" "64 64" "256 256"; do
	set -- $size
	check "resize while up to RX $1 / TX $2" ethtool -G "$IF" rx $1 tx $2
	check "ethtool -g shows RX $1 / TX $2" test "$(ring_sizes "$IF")" = "$1/$2"
	wait_ping $TAP_HOST
	check "traffic at RX $1 / TX $2" ping_ok 50 $TAP_HOST
done

refuse() {	# refuse WHAT ARGS...: the resize fails, and says why
	local what=$1 err
	shift
	err=$(ethtool -G "$IF" "$@" 2>&1)
	check "$what refused" test $? -ne 0
	diag "ethtool said: $(echo $err)"
	check "$what: rings unchanged" test "$(ring_sizes "$IF")" = 256/256
}
refuse "RX 4104 (over 4096)" rx 4104
refuse "RX 100 (not a multiple of 8)" rx 100
refuse "TX 56 (under 64)" tx 56
refuse "RX 0" rx 0

ip link set "$IF" down
check "resize while down" ethtool -G "$IF" rx 512 tx 512
ip link set "$IF" up
wait_carrier "$IF" 5
wait_ping $TAP_HOST
check "down-time resize takes effect" test "$(ring_sizes "$IF")" = 512/512
check "traffic after it" ping_ok 50 $TAP_HOST

iperf3 -c $TAP_HOST -t 12 >/tmp/iperf.log 2>&1 &
client=$!
sleep 2
for size in 128 1024 256; do
	ethtool -G "$IF" rx $size tx $size || fail "resize to $size under iperf3"
	sleep 2
done
wait $client
check "iperf3 survived three resizes" test $? -eq 0
grep receiver /tmp/iperf.log | sed 's/^/# /' | tee -a "$RESULTS"
check "no error counters" errors_zero "$IF"
