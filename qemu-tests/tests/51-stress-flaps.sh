#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# 200 QMP set_link off/on flaps under a UDP flood: the carrier follows
# every one, and traffic resumes.
# stress: yes
# topology: tap
# timeout: 900
. /tests/lib.sh

setup_tap
host_flood
n=$(scaled 200)
down=0
up=0
i=0
while [ $i -lt "$n" ]; do
	qmp '{"execute":"set_link","arguments":{"name":"nic0","up":false}}' >/dev/null
	wait_no_carrier "$IF" 3 && down=$((down + 1))
	qmp '{"execute":"set_link","arguments":{"name":"nic0","up":true}}' >/dev/null
	wait_carrier "$IF" 3 && up=$((up + 1))
	i=$((i + 1))
done
check_cmp "carrier dropped at every flap" $down -eq "$n"
check_cmp "carrier came back after every flap" $up -eq "$n"
check "traffic recovers" recovered
