#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# iperf3 TCP for 10 s in each direction against the host peer: data flows,
# no error counter moves.  Prints the throughput.
# topology: tap
# drivers: nicdrv e1000
# timeout: 200
. /tests/lib.sh

setup_tap
for dir in tx rx; do
	opt=
	[ $dir = rx ] && opt=-R
	rate=$(iperf_mbps 10 $opt)
	diag "TCP $dir ($DRIVER): ${rate:-?} Mbit/s"
	check "TCP $dir: data flowed" awk -v r="${rate:-0}" 'BEGIN { exit !(r > 0) }'
done
check "no error counters" errors_zero "$IF"
if [ "$DRIVER" = nicdrv ]; then
	check_cmp "TX checksum offload used" "$(ethstat "$IF" tx_csum_offload)" -gt 0
	check_cmp "no TX ring overruns" "$(ethstat "$IF" tx_busy)" -eq 0
fi
