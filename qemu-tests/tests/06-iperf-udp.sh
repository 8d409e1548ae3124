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

# nicdrv gives RX buffers back in batches (rx.c): a poll that ends below
# budget posts what it has, a full-budget poll only once half the ring
# waits.  So under a flood at most one RDT write per short poll plus one
# per half ring of buffers; writing on every poll breaks the bound as soon
# as a poll used its whole budget.
if [ "$DRIVER" = nicdrv ]; then
	rxc() {	# the four counters, in order, on one line
		ethtool -S "$IF" | awk '$1 ~ /^(napi_polls|napi_polls_full|rx_buffers_reused|rx_tail_writes):$/ { v[$1] = $2 }
			END { print v["napi_polls:"], v["napi_polls_full:"], v["rx_buffers_reused:"], v["rx_tail_writes:"] }'
	}
	half=$(($(ethtool -g "$IF" | awk '/^RX:/ { n = $2 } END { print n }') / 2))
	set -- $(rxc)
	iperf3 -c $TAP_HOST -u -l 64 -b 0 -t 3 -R >/dev/null 2>&1
	set -- "$@" $(rxc)
	polls=$(($5 - $1)) full=$(($6 - $2)) reused=$(($7 - $3)) writes=$(($8 - $4))
	diag "flood into the guest: $polls polls ($full full), $reused buffers back in $writes RDT writes (half ring $half)"
	check_cmp "the flood kept NAPI at full budget" $full -gt 0
	check_cmp "RDT writes: one per short poll, one per half ring at most" \
		$writes -le $((polls - full + reused / half))
	check_cmp "RDT writes: fewer than polls" $writes -lt $polls
fi
check "no error counters" errors_zero "$IF"
