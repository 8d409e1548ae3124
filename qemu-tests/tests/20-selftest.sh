#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# ethtool -t: offline (register, EEPROM, interrupt, PHY loopback, link)
# and online (link) pass, and the interface passes traffic afterwards.
# topology: tap
. /tests/lib.sh

setup_tap
out=$(ethtool -t "$IF" offline 2>&1)
echo "$out" | sed 's/^/# /' | tee -a "$RESULTS"
check "offline self-test passes" sh -c "echo '$out' | grep -q 'The test result is PASS'"
for t in register eeprom interrupt loopback link; do
	check "offline: $t test 0" sh -c "echo '$out' | grep -E -q '^$t test +\(.*\)[[:space:]]+0\$'"
done
check "interface back up" wait_carrier "$IF" 5
wait_ping $TAP_HOST
check "traffic after the offline test" ping_ok 20 $TAP_HOST
out=$(ethtool -t "$IF" online 2>&1)
check "online self-test passes" sh -c "echo '$out' | grep -q 'The test result is PASS'"
check "traffic after the online test" ping_ok 20 $TAP_HOST
check "no error counters" errors_zero "$IF"
