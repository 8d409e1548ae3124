#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# System sleep: the guest suspends to RAM (S3, woken by the RTC alarm).
# QEMU resets the whole machine on wake-up, so the NIC comes back with its
# registers at their reset values and nicdrv's resume must program every
# one again.  Checked: up and idle, up under a flood from the host, down
# (and brought up afterwards), a capture reader across a suspend (its
# session ends cleanly, as on ethtool -G); each time the link, pings, a
# TCP stream and clean error counters afterwards.
# topology: tap
# timeout: 400
. /tests/lib.sh

setup_tap

# works_again LABEL: what a resumed interface must do
works_again() {
	check "$1: carrier back" wait_carrier "$IF" 5
	wait_ping $TAP_HOST
	check "$1: ping" ping_ok 50 $TAP_HOST
	out=$(iperf_mbps 3)
	diag "$1: TCP tx ${out:-?} Mbit/s"
	check "$1: TCP stream" awk -v r="${out:-0}" 'BEGIN { exit !(r > 0) }'
}

diag "/sys/power/state: $(cat /sys/power/state); mem_sleep: $(cat /sys/power/mem_sleep)"
check "S3 is offered (mem_sleep deep)" suspend_prepare

tx0=$(netstat "$IF" tx_packets)
check "suspend with the interface up and idle" suspend_once
works_again "after suspend, up"
check_cmp "frames sent after the first resume" \
	$(($(netstat "$IF" tx_packets) - tx0)) -gt 50

host_flood
check "suspend under a flood from the host" suspend_once
# The flood goes on through the resume; it stops before the checks, since
# on a 1-vCPU debug guest it alone delays pings by 400 ms (recovered())
rx0=$(netstat "$IF" rx_packets)
check_cmp "the flood reaches the driver again after the resume (frames)" \
	$(($(wait_stat "$IF" rx_packets $((rx0 + 500)) 5) - rx0)) -gt 500
host_flood_stop
works_again "after suspend under a flood"
check "no error counters after the floods" errors_zero "$IF"

ip link set "$IF" down
check "suspend with the interface down" suspend_once
check "down stays down" sh -c "! ip link show $IF | grep -q ',UP'"
ip link set "$IF" up
works_again "down, suspend, up"

pooltest hold "$IF" >/tmp/hold.log 2>&1 &
hold=$!
sleep 2
check "suspend with a capture reader mapped" suspend_once
wait $hold
check "the reader saw its session end cleanly" test $? -eq 0
sed 's/^/# pooltest: /' /tmp/hold.log | tee -a "$RESULTS"
works_again "after suspend with a reader"
check "no error counters" errors_zero "$IF"
for c in fail failed_suspend failed_resume; do
	check_cmp "suspend_stats/$c" "$(cat /sys/power/suspend_stats/$c)" -eq 0
done
