#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# 200 pings each way between the guest and the host peer on the tap, no
# loss, no error counter moved.
# topology: tap
# drivers: nicdrv e1000
. /tests/lib.sh

setup_tap
check "guest -> host: 200 pings, 0% loss" ping_ok 200 $TAP_HOST
check "host -> guest: 200 pings, 0% loss" host_ping_ok 200 $TAP_GUEST
check "no error counters" errors_zero "$IF"
