# SPDX-License-Identifier: GPL-2.0
#
# Network namespaces of the test harness, sourced by qemu-tests/run (and
# by qemu-tests/lint, which checks netns_teardown on a namespace of its
# own).  Bash only: kill is the shell's builtin, so that teardown works
# where procps (/bin/kill) is missing, as on a minimal Debian root.

# netns_teardown NS: kill every process in NS, wait until none is left,
# then delete NS.  Prints what is still running and returns 1 if a
# process survived 5 s; the namespace then stays for a look.
netns_teardown() {
	local ns=$1 pids i
	ip netns list | grep -qw "$ns" || return 0
	for i in $(seq 50); do
		pids=$(ip netns pids "$ns" 2>/dev/null)
		[ -n "$pids" ] || break
		# shellcheck disable=SC2086
		kill -9 $pids 2>/dev/null
		sleep 0.1
	done
	pids=$(ip netns pids "$ns" 2>/dev/null)
	if [ -n "$pids" ]; then
		for i in $pids; do
			echo "still running in $ns: $i $(tr '\0' ' ' </proc/"$i"/cmdline 2>/dev/null)"
		done
		return 1
	fi
	ip netns del "$ns"
}
