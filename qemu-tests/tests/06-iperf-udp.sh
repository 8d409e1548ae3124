#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# iperf3 UDP with 64-byte datagrams, 5 s each direction: datagrams arrive,
# no error counter moves.  Prints rate and loss.
# topology: tap
# drivers: nicdrv e1000
# timeout: 200
. /tests/lib.sh

setup_tap
for dir in tx rx; do
	opt=
	[ $dir = rx ] && opt=-R
	out=$(iperf3 -c $TAP_HOST -u -l 64 -b 20M -t 5 -f m $opt 2>&1)
	line=$(echo "$out" | grep receiver)
	got=$(echo "$line" | sed -n 's|.* \([0-9]*\)/\([0-9]*\) .*|\2 \1|p')
	total=${got% *}
	lost=${got#* }
	diag "UDP 64 B $dir ($DRIVER): $(echo "$line" | awk '{ print $7, $8 }'), ${lost:-?} of ${total:-?} datagrams lost"
	check_cmp "UDP $dir: datagrams received" "$(( ${total:-0} - ${lost:-0} ))" -gt 0
done
check "no error counters" errors_zero "$IF"
