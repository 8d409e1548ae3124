#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# nicdrv-cap against an AF_PACKET capture (tcpdump -Q in) of the same
# traffic, 100 pings and an iperf3 TCP flow: the same frames, the same
# bytes.  Our file is a nanosecond pcap that tcpdump -r and tshark -r read
# without complaint; a filter keeps only what it names; without -w, one
# line per packet like tcpdump.
# topology: tap
# timeout: 240
. /tests/lib.sh

setup_tap
# AF_PACKET sees frames after GRO; without GRO it sees each one as received
ethtool -K "$IF" gro off
F="icmp or tcp port 5201"
nicdrv-cap -i "$IF" -w /tmp/ours.pcap -q $F 2>/tmp/ours.err &
cap=$!
# The reference must drop nothing: a 32 MiB buffer, since a 1-vCPU guest
# on a busy host schedules tcpdump late (2 MiB, its default, dropped 2659)
tcpdump -i "$IF" -Q in -s 0 -U -B 32768 -w /tmp/ref.pcap $F 2>/tmp/ref.err &
ref=$!
sleep 2
check "100 pings from the peer" host "ping -c 100 -i 0.02 -q $TAP_GUEST"
check "an iperf3 TCP flow from the peer" sh -c "iperf3 -c $TAP_HOST -R -t 2 -b 80M >/tmp/iperf.log 2>&1"
sleep 1
kill -TERM $cap $ref
wait $cap
check "nicdrv-cap exits 0 on SIGTERM" test $? -eq 0
wait $ref
sed 's/^/# nicdrv-cap: /' /tmp/ours.err | tee -a "$RESULTS"
sed 's/^/# tcpdump: /' /tmp/ref.err | tee -a "$RESULTS"
check "the summary counts no capture drops" grep -q '^0 packets dropped (capture ring full)' /tmp/ours.err
check "tcpdump dropped nothing either" grep -q '^0 packets dropped by kernel' /tmp/ref.err
high=$(awk '/ring entries filled at most/ { print $1 "/" $3 }' /tmp/ours.err)
check "the summary gives the ring's high-water mark, 1..ring size ($high)" \
	test "${high%/*}" -ge 1 -a "${high%/*}" -le "${high#*/}" -a "${high#*/}" = 16384

check "ours is a nanosecond pcap (magic a1b23c4d)" \
	test "$(od -An -tx4 -N4 /tmp/ours.pcap | tr -d ' ')" = a1b23c4d
# Frame count and total bytes, by the guest's tcpdump
summary() { tcpdump -r "$1" -nn -e 2>/dev/null | awk '
	{ for (i = 1; i < NF; i++) if ($i == "length") { n++; b += $(i + 1); break } }
	END { printf "%d %d\n", n, b }'; }
ours=$(summary /tmp/ours.pcap)
refs=$(summary /tmp/ref.pcap)
diag "frames bytes: nicdrv-cap $ours, tcpdump $refs"
check_cmp "frames: nicdrv-cap = tcpdump" "${ours% *}" -eq "${refs% *}"
check_cmp "bytes: nicdrv-cap = tcpdump" "${ours#* }" -eq "${refs#* }"
check_cmp "the pings are there (ICMP echo requests)" \
	"$(tcpdump -r /tmp/ours.pcap -nn 'icmp[icmptype] = 8' 2>/dev/null | wc -l)" -eq 100
check_cmp "the TCP flow is there (frames)" \
	"$(tcpdump -r /tmp/ours.pcap -nn tcp 2>/dev/null | wc -l)" -gt 1000

# The host's tcpdump and tshark read the file; it travels over the tap
d="/tmp/nicdrv-\$(ip netns identify)"
host "mkdir -p $d; timeout 30 socat -u TCP-LISTEN:7001,reuseaddr OPEN:$d/ours.pcap,creat,trunc >/dev/null 2>&1 &"
sleep 0.5
check "send the file to the host" socat -u FILE:/tmp/ours.pcap TCP:$TAP_HOST:7001
sleep 0.5
out=$(host "tcpdump -r $d/ours.pcap -nn 2>&1 >/dev/null; echo rc=\$?")
diag "host tcpdump -r: $(echo $out)"
check "host tcpdump -r reads it without complaint" sh -c "echo '$out' | grep -q '^rc=0' && ! echo '$out' | grep -qi 'error\|warn\|truncated'"
# tshark's one notice about running as root is not about the file
out=$(host "tshark -r $d/ours.pcap -T fields -e frame.len 2>&1 | grep -v 'Running as user' | awk '/^[0-9]+\$/ { n++; b += \$1; next } { print } END { print n, b }'; echo rc=\$?")
diag "host tshark -r: $(echo $out)"
check "tshark -r reads every frame and byte" sh -c "echo '$out' | grep -qx '$ours'"
check "tshark -r prints no complaint" test "$(echo "$out" | grep -vc "^rc=\|^[0-9]* [0-9]*\$")" -eq 0
out=$(host "tshark -r $d/ours.pcap -c 1 -T fields -e frame.time_epoch 2>/dev/null")
diag "tshark's first timestamp: $out"
check "timestamps keep nanoseconds" sh -c "echo '$out' | grep -q '\.[0-9]\{9\}\$'"
host "rm -rf $d"

# A filter, and tcpdump-like lines; -c stops the capture
host "ping -c 30 -i 0.05 $TAP_GUEST >/dev/null 2>&1 &
      for i in \$(seq 40); do echo udp | socat -u - UDP-SENDTO:$TAP_GUEST:9999; sleep 0.02; done >/dev/null 2>&1 &"
nicdrv-cap -i "$IF" -c 10 icmp >/tmp/lines 2>/tmp/lines.err
check "-c 10 icmp: exits 0" test $? -eq 0
sed 's/^/# /' /tmp/lines | head -n 3 | tee -a "$RESULTS"
check_cmp "-c 10: ten lines" "$(wc -l </tmp/lines)" -eq 10
check_cmp "the filter kept only ICMP" "$(grep -c "IP $TAP_HOST > $TAP_GUEST: ICMP echo request, id [0-9]*, seq [0-9]*, length 64" /tmp/lines)" -eq 10
check "the summary counts filtered-out packets" grep -q '^[0-9]* packets filtered out' /tmp/lines.err
check "a bad filter is refused clearly" sh -c "nicdrv-cap -i $IF 'tcp port' 2>&1 | grep -q 'filter .tcp port.:'"
check "an interface nicdrv does not drive is refused clearly" sh -c "nicdrv-cap -i lo 2>&1 | grep -q 'lo: not driven by nicdrv'"
check "a missing interface is refused clearly" sh -c "nicdrv-cap -i nosuch0 2>&1 | grep -q 'nosuch0: no such interface'"
check "-c 0 is refused" sh -c "nicdrv-cap -i $IF -c 0 2>&1 | grep -q 'want a positive count'"
check "-s 0 is refused" sh -c "nicdrv-cap -i $IF -s 0 2>&1 | grep -q 'want 1..'"
# The file is written with writev() from the mapping: its errors, and a pipe
check "-w into a missing directory is refused clearly" sh -c "nicdrv-cap -i $IF -w /nosuch/x.pcap 2>&1 | grep -q '/nosuch/x.pcap: No such file or directory'"
check "a write error ends the capture clearly" sh -c "! nicdrv-cap -i $IF -w /dev/full >/tmp/full.out 2>&1 && grep -q '/dev/full: No space left on device' /tmp/full.out"
host "ping -c 20 -i 0.05 $TAP_GUEST >/dev/null 2>&1 &"
n=$(nicdrv-cap -i "$IF" -c 5 -w - icmp 2>/dev/null | tcpdump -r - -nn 2>/dev/null | grep -c 'ICMP echo request')
check_cmp "-w -: tcpdump -r - reads the frames from the pipe" "$n" -eq 5
