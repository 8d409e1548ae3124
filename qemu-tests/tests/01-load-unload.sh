#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Load and unload nicdrv three times (once on the debug kernel) with two
# NICs present: both probe, both go away, and nothing is left behind.
# Then the e1000 rule: nicdrv refuses to load while e1000 drives an
# 82540EM, and e1000 cannot take a NIC from nicdrv.
# topology: hub
# timeout: 240
. /tests/lib.sh

nics() { ls /sys/bus/pci/drivers/$1 2>/dev/null | grep -c '^0000:'; }

# Three rounds; one on the debug kernel, where each probe and each remove
# spends 15-20 s in the checkers' stack walks (52-stress-rmmod repeats
# there instead)
rounds=3
[ -e "$KMEMLEAK" ] && rounds=1
for i in $(seq $rounds); do
	check "load $i" modprobe nicdrv
	check_cmp "load $i: NICs bound" "$(nics nicdrv)" -eq 2
	check_cmp "load $i: probe lines" "$(dmesg | grep -c 'nicdrv.*82540EM at')" -eq $((2 * i))
	check "unload $i" rmmod nicdrv
	check "unload $i: no nicdrv netdevs" sh -c '! ls -l /sys/class/net | grep -q nicdrv'
done

check "e1000 loads" modprobe e1000
check_cmp "e1000 holds both NICs" "$(nics e1000)" -eq 2
err=$(insmod /lib/modules/$(uname -r)/extra/nicdrv.ko 2>&1)
check "nicdrv refuses to load while e1000 is bound" test $? -ne 0
diag "insmod said: $err"
check "refusal is explained in the log" sh -c "dmesg | grep -q 'nicdrv: .* is bound to e1000'"
check "unload e1000" rmmod e1000
check "nicdrv loads once e1000 is gone" modprobe nicdrv
check "e1000 loads beside it" modprobe e1000
check_cmp "e1000 took no NIC" "$(nics e1000)" -eq 0
check_cmp "nicdrv still has both" "$(nics nicdrv)" -eq 2
rmmod e1000
check "final unload" rmmod nicdrv
