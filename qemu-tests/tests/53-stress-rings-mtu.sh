#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Ring resizes and MTU changes (1500 <-> 9000) while the host floods.
# stress: yes
# topology: tap
# timeout: 900
. /tests/lib.sh

setup_tap
host "ip link set ndtap0 mtu 9000"
host_flood
n=$(scaled 50)
ok=0
i=0
for size in $(seq 64 8 4096 | awk -v n="$n" 'NR % int(512 / n + 1) == 1' | head -n "$n"); do
	mtu=1500
	[ $((i % 2)) -eq 1 ] && mtu=9000
	ethtool -G "$IF" rx "$size" tx "$size" && ip link set "$IF" mtu $mtu &&
		ok=$((ok + 1))
	i=$((i + 1))
done
check_cmp "ring resizes and MTU changes under a UDP flood" $ok -eq $i
diag "$i resizes, last at $(ethtool -g "$IF" | awk '/^RX:/ { v = $2 } END { print v }') descriptors"
ethtool -G "$IF" rx 256 tx 256
ip link set "$IF" mtu 1500
check "traffic recovers" recovered
