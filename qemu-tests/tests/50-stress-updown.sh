#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# 500 "ip link set down/up" cycles while the host floods the guest.
# stress: yes
# topology: tap
# timeout: 900
. /tests/lib.sh

setup_tap
host_flood
n=$(scaled 500)
ok=0
i=0
while [ $i -lt "$n" ]; do
	ip link set "$IF" down && ip link set "$IF" up && ok=$((ok + 1))
	i=$((i + 1))
done
check_cmp "down/up cycles under a UDP flood" $ok -eq "$n"
check "traffic recovers" recovered
