#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# A stopped reader never slows the network: the capture reader is
# SIGSTOPped for 5 s during a fast ping run, with a capture ring of 64
# entries.  Ping loses nothing, the capture counts what it dropped, and
# after SIGCONT it captures again.
# topology: tap
# timeout: 240
. /tests/lib.sh

setup_tap
dlset "$(devlink_of "$IF")" pool_bufs 64 runtime || bail "devlink: pool_bufs 64"
ping -i 0.005 -c 2000 -q $TAP_HOST >/tmp/ping.log 2>&1 &
pping=$!
nicdrv-cap -i "$IF" -w /tmp/stall.pcap -q icmp 2>/tmp/cap.err &
cap=$!
sleep 2
before=$(netstat "$IF" rx_packets)
kill -STOP $cap
t_stop=$(date +%s)
sleep 5
kill -CONT $cap
t_cont=$(date +%s)
during=$(($(netstat "$IF" rx_packets) - before))
check_cmp "the stack kept receiving while the reader was stopped (frames)" "$during" -gt 300
wait $pping
check "ping: 0% loss with the reader stopped" grep -q ' 0% packet loss' /tmp/ping.log
sed 's/^/# /' /tmp/ping.log | tail -n 2 | tee -a "$RESULTS"
sleep 1
kill -TERM $cap
wait $cap
sed 's/^/# nicdrv-cap: /' /tmp/cap.err | tee -a "$RESULTS"
dropped=$(awk '/packets dropped \(capture ring full\)/ { print $1 }' /tmp/cap.err)
check_cmp "the capture counted its drops" "${dropped:-0}" -gt 0
# Frames stamped after SIGCONT: the reader caught up and went on
after=$(tcpdump -r /tmp/stall.pcap -tt -nn 2>/dev/null | awk -v t=$t_cont '$1 + 0 > t + 1 { n++ } END { print n + 0 }')
check_cmp "frames captured after SIGCONT" "$after" -gt 50
check_cmp "frames captured before SIGSTOP" \
	"$(tcpdump -r /tmp/stall.pcap -tt -nn 2>/dev/null | awk -v t=$t_stop '$1 + 0 < t { n++ } END { print n + 0 }')" -gt 50
check "no RX errors" errors_zero "$IF"
