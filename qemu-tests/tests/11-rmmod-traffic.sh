#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# rmmod while iperf3 runs, in each direction: the module goes away (in
# 200 ms here; on the debug kernel any netdev unregister takes 15-20 s of
# stack walks for the checkers, e1000's as well), the log stays clean, and a
# reload works.
# topology: tap
# timeout: 200
. /tests/lib.sh

# Each direction has a server of its own: the first client dies with the
# interface, and the host's server may still hold its test (busy) until
# TCP gets a FIN through, seconds after the reload.
host "iperf3 -s -D -1 -B $TAP_HOST -p 5202"
for dir in tx rx; do
	setup_tap
	opt="-p 5201"
	[ $dir = rx ] && opt="-p 5202 -R"
	iperf3 -c $TAP_HOST -t 60 $opt >/tmp/iperf.log 2>&1 &
	client=$!
	n=$(wait_stat "$IF" ${dir}_packets 1000 30)
	check_cmp "iperf3 $dir is moving data" "$n" -gt 1000
	[ "$n" -gt 1000 ] ||
		sed 's/^/# iperf3: /' /tmp/iperf.log | head -n 5 | tee -a "$RESULTS"
	sleep 2	# mid-stream, not at the first packets
	t0=$(now_ms)
	check "rmmod during iperf3 $dir" rmmod nicdrv
	diag "rmmod took $(($(now_ms) - t0)) ms"
	# its connection lost the interface; TCP would retry for minutes
	kill $client 2>/dev/null
	wait $client
done
setup_tap
check "reload: traffic flows" ping_ok 20 $TAP_HOST
