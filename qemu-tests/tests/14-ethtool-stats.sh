#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# ethtool -S: unique names, nothing that has a standard name; the MAC's
# counters in ethtool's standard groups (eth-mac, eth-ctrl, rmon) agree
# with the driver's and with ip -s -s link, they only grow, and the RMON
# size histogram sees frame sizes.
# topology: tap
. /tests/lib.sh

# No IPv6: a stray ND frame between two readings would skew them
echo 1 >/proc/sys/net/ipv6/conf/all/disable_ipv6
setup_tap
dups=$(ethtool -S "$IF" | awk -F: 'NR > 1 { print $1 }' | sort | uniq -d)
check "no duplicate counter names" test -z "$dups"
diag "$(ethtool -S "$IF" | tail -n +2 | wc -l) counters"

w0=$(ethstat "$IF" mmio_writes)
r0=$(ethstat "$IF" mmio_reads)
check "200 pings" ping_ok 200 $TAP_HOST
# Each request rings the TX doorbell (TDT) once; each interrupt reads ICR
# ... and at most four writes: TDT, IMC and IMS around the reply's
# interrupt, RDT.  A poll that nothing masked for writes no IMS.
w=$(($(ethstat "$IF" mmio_writes) - w0))
diag "register writes for 200 pings: $w"
check_cmp "mmio_writes: at least one TDT write per ping" $w -ge 200
check_cmp "mmio_writes: at most 4.5 per ping" $w -le 900
check_cmp "mmio_reads grow with the interrupts" \
	$(($(ethstat "$IF" mmio_reads) - r0)) -gt 0

# The counters against QEMU's own count: QEMU logs every access to the
# BAR while a window is open (ctl.py).  Both ethtool -S readings fall
# inside the window, and a reading takes its snapshot after its own reads
# of the statistics registers, so QEMU sees one reading's worth of reads
# more than the counters' difference, and the same writes.  That worth is
# counted first, in a window that holds one ethtool -S alone.  The
# periodic statistics fold (every 2 s) or a stray frame can land in a
# window between the snapshots and its edges: three tries.
mmio_counters() {
	ethtool -S "$IF" | awk '$1 == "mmio_reads:" { r = $2 }
		$1 == "mmio_writes:" { w = $2 } END { print r, w }'
}
counters_match() {
	local h h_w try=0 qr qw
	while [ $try -lt 3 ]; do
		try=$((try + 1))
		mmio_start
		ethtool -S "$IF" >/dev/null
		mmio_stop /tmp/mmio0
		h=$(mmio_sum /tmp/mmio0 r)
		h_w=$(mmio_sum /tmp/mmio0 w)
		mmio_start
		set -- $(mmio_counters)
		ping -q -c 50 -i 0.02 $TAP_HOST >/dev/null
		set -- "$@" $(mmio_counters)
		mmio_stop /tmp/mmio1
		qr=$(mmio_sum /tmp/mmio1 r)
		qw=$(mmio_sum /tmp/mmio1 w)
		diag "try $try: one ethtool -S reads $h registers, writes $h_w;" \
			"50 pings: QEMU saw $qr reads, $qw writes;" \
			"mmio_reads grew by $(($3 - $1)), mmio_writes by $(($4 - $2))"
		[ "$h_w" -eq 0 ] && [ "$qw" -eq $(($4 - $2)) ] &&
			[ "$qr" -eq $(($3 - $1 + h)) ] && return 0
	done
	return 1
}
check "mmio_reads/mmio_writes: exactly what QEMU saw" counters_match
sed 's/^/# QEMU: /' /tmp/mmio1 | tee -a "$RESULTS"
# The receive and transmit paths read no register: completion is the DD
# bit in memory.  Around pings nicdrv reads ICR, once per interrupt (SDM
# 13.4.17); the rest are statistics readings (ethtool -S's and maybe the
# periodic fold's): STATUS, whose all-ones tells a removed device, and
# the statistics block (SDM 13.7, 0x4000-0x40FF).
check_cmp "50 pings: nothing read but ICR, STATUS and the statistics" \
	"$(awk '$2 == "r" { o = $3 ""
		if (o != "0x00c0" && o != "0x0008" && substr(o, 1, 4) != "0x40") n += $4 }
		END { print n + 0 }' /tmp/mmio1)" -eq 0
check_cmp "50 pings: a TDT write for each request" \
	"$(mmio_sum /tmp/mmio1 w 0x3818)" -ge 50
sleep 0.5
# The MAC's counters go out under their IEEE names, in ethtool's standard
# groups; ethtool -S keeps only what has no standard name
for c in rx_packets tx_packets rx_bytes tx_bytes hw_rx_good_packets \
	hw_rx_multicast hw_rx_missed hw_rx_64_bytes; do
	check "ethtool -S does not repeat $c" test -z "$(ethstat "$IF" $c)"
done
ethtool -S "$IF" --groups eth-mac eth-ctrl rmon >/tmp/std
sed 's/^/# /' /tmp/std | tee -a "$RESULTS"
for c in eth-mac-FramesReceivedOK eth-mac-OctetsTransmittedOK \
	eth-ctrl-MACControlFramesReceived rmon-etherStatsUndersizePkts \
	rx-rmon-etherStatsPkts64to64Octets tx-rmon-etherStatsPkts1024to1522Octets; do
	check "standard group counter $c" grep -q "^$c: [0-9]" /tmp/std
done

# One request, one fold: ethtool asks for each group separately, and
# only the first reads the statistics block (GPRC, SDM 13.7.18, stands
# for it).  The periodic fold may land in a window: three tries.
fold_reads() {	# fold_reads ETHTOOL-ARGS...: reads of GPRC in one request
	mmio_start
	ethtool "$@" >/dev/null
	mmio_stop /tmp/fold
	mmio_sum /tmp/fold r 0x4074
}
one_fold() {
	local try=0 n
	while [ $try -lt 3 ]; do
		n=$(fold_reads -S "$IF" --groups eth-mac eth-ctrl rmon)
		diag "ethtool -S --groups eth-mac eth-ctrl rmon read GPRC $n times (try $try)"
		[ "$n" -eq 1 ] && return 0
		try=$((try + 1))
	done
	return 1
}
check "three groups in one request: the statistics are read once" one_fold

# One snapshot for each comparison: the standard groups, then the
# interface's counters (ip -s link's, ndo_get_stats64).  A frame arriving
# in between can still skew one, so a comparison gets three snapshots to
# hold (a real bug fails all three).
snapshot() {
	ethtool -S "$IF" --groups eth-mac rmon |
		awk -F': *' 'NR > 1 { gsub(/[- ]/, "_", $1); print $1 "=" $2 }'
	for c in rx_packets rx_bytes; do
		echo "$c=$(netstat "$IF" $c)"
	done
	ip -s -s link show "$IF" | awk '$1 == "RX:" || $1 == "TX:" {
		d = tolower(substr($1, 1, 2)); getline
		print "ip_" d "_packets=" $2 }'
}
agree() {	# agree EXPR: awk expression over the counters, true in a snapshot
	local try=0 vals
	while [ $try -lt 3 ]; do
		vals=$(snapshot | tr '\n' ';')
		if awk "BEGIN { $vals exit !($1) }" 2>/dev/null; then
			return 0
		fi
		echo "# snapshot $try: $(echo "$vals" | tr ';' '\n' | grep -E '^(rx|tx)_(packets|bytes)=|^eth_mac_(Frames|Octets)' | tr '\n' ' ')" | tee -a "$RESULTS"
		try=$((try + 1))
		sleep 1
	done
	return 1
}
check "ip -s -s link RX packets = eth-mac FramesReceivedOK (GPRC)" \
	agree "ip_rx_packets == eth_mac_FramesReceivedOK"
check "ip -s -s link TX packets = eth-mac FramesTransmittedOK (GPTC)" \
	agree "ip_tx_packets == eth_mac_FramesTransmittedOK"
check_cmp "eth-mac FramesReceivedOK counted the pings" \
	"$(stdstat "$IF" eth-mac-FramesReceivedOK)" -ge 200
diag "rx_bytes $(netstat "$IF" rx_bytes), OctetsReceivedOK $(stdstat "$IF" eth-mac-OctetsReceivedOK) (the MAC counts the 4-byte FCS)"
check "eth-mac OctetsReceivedOK (GORC) = rx_bytes + 4 per frame" \
	agree "eth_mac_OctetsReceivedOK == rx_bytes + 4 * rx_packets"

# Broadcast frames sent: the driver hands them over, the MAC counts them
b0=$(stdstat "$IF" eth-mac-BroadcastFramesXmittedOK)
ping -q -b -c 10 -i 0.05 -W 1 198.18.0.255 >/dev/null 2>&1
check_cmp "eth-mac BroadcastFramesXmittedOK (BPTC): 10 broadcast pings" \
	"$(($(stdstat "$IF" eth-mac-BroadcastFramesXmittedOK) - b0))" -ge 10

# Flow control: ethtool -a reads CTRL, ethtool -I -a adds the PAUSE counts
ethtool -I -a "$IF" >/tmp/pause 2>&1
sed 's/^/# /' /tmp/pause | tee -a "$RESULTS"
check "ethtool -a: no pause autonegotiation" grep -q "^Autonegotiate:[[:space:]]*off" /tmp/pause
check "ethtool -I -a: PAUSE frames received" grep -q "rx_pause_frames: [0-9]" /tmp/pause

a=$(stdstat "$IF" eth-mac-FramesReceivedOK)
sleep 3	# one pass of the periodic fold in between
b=$(stdstat "$IF" eth-mac-FramesReceivedOK)
check_cmp "reading does not reset the totals" "$b" -ge "$a"

big0=$(stdstat "$IF" rx-rmon-etherStatsPkts1024to1522Octets)
check "20 pings of 1000 bytes" ping_ok 20 -s 1000 $TAP_HOST
check_cmp "rmon size histogram: 1024-1522 byte frames counted" \
	"$(($(stdstat "$IF" rx-rmon-etherStatsPkts1024to1522Octets) - big0))" -ge 20
check_cmp "rx_buffers_reused grows with traffic" "$(ethstat "$IF" rx_buffers_reused)" -ge 220
