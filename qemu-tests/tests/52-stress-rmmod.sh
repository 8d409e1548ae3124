#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# 100 rmmod/insmod cycles, the interface up each time, while the host
# keeps sending.
# stress: yes
# topology: tap
# timeout: 1800
. /tests/lib.sh

setup_tap
host_flood
n=$(scaled 100)
ok=0
i=0
while [ $i -lt "$n" ]; do
	rmmod nicdrv || break
	modprobe nicdrv || break
	IF=$(iface_by_mac $TAP_MAC) || break
	ip addr add $TAP_GUEST/24 dev "$IF"
	ip link set "$IF" up || break
	ok=$((ok + 1))
	i=$((i + 1))
done
check_cmp "rmmod/insmod cycles with the interface up" $ok -eq "$n"
check "traffic recovers" recovered
