#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# rmmod while iperf3 runs, in each direction: the module goes away (in
# 200 ms here; on the debug kernel any netdev unregister takes 15-20 s of
# stack walks for the checkers, e1000's as well), the log stays clean, and a
# reload works.
# topology: tap
# timeout: 200
. /tests/lib.sh

for dir in tx rx; do
	setup_tap
	opt=
	[ $dir = rx ] && opt=-R
	iperf3 -c $TAP_HOST -t 60 $opt >/tmp/iperf.log 2>&1 &
	client=$!
	check_cmp "iperf3 $dir is moving data" \
		"$(wait_stat "$IF" ${dir}_packets 1000 30)" -gt 1000
	sleep 2	# mid-stream, not at the first packets
	t0=$(now_ms)
	check "rmmod during iperf3 $dir" rmmod nicdrv
	diag "rmmod took $(($(now_ms) - t0)) ms"
	# its connection lost the interface; TCP would retry for minutes
	kill $client
	wait $client
done
setup_tap
check "reload: traffic flows" ping_ok 20 $TAP_HOST
