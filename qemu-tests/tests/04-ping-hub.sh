#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# 200 pings each way between two NICs of one guest joined by a QEMU hub,
# one of them in a network namespace.
# topology: hub
# drivers: nicdrv e1000
. /tests/lib.sh

setup_hub
check "A -> B: 200 pings, 0% loss" ping_ok 200 $HUB_B
check "B -> A: 200 pings, 0% loss" ping_ok -n peer 200 $HUB_A
check "no error counters on A" errors_zero "$A"
check "no error counters on B" errors_zero "$B" peer
