#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Instruction counts per packet (bench/plugin/insns.c must be loaded: the
# bench boots this with it).  For the driver of nddriver=: its module's
# address range and symbols, then pings in windows of two sizes.
# Prints "# INSNS window ID WORKLOAD COUNT", "# INSNS module ADDR SIZE"
# and "# INSNS sym ADDR NAME".
# topology: tap
# timeout: 300
. /tests/lib.sh

setup_tap
m=$(echo "$DRIVER" | tr - _)
set -- $(awk -v m="$m" '$1 == m { print $6, $2 }' /proc/modules)
diag "INSNS module $1 $2"
awk -v m="[$m]" '$4 == m { print "# INSNS sym", $1, $3 }' /proc/kallsyms |
	tee -a "$RESULTS" >/dev/null
id=0
for n in 100 300; do
	id=$((id + 1))
	insnmark open $id
	ping -q -c $n -i 0.01 $TAP_HOST >/dev/null
	insnmark close $id
	diag "INSNS window $id ping $n"
done
check "windows counted" true
