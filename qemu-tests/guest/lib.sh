# SPDX-License-Identifier: GPL-2.0
#
# Guest-side test library, sourced by /init and by every test script.
#
# Results go to $RESULTS as "ok - name" / "not ok - name" / "# note";
# finish() numbers them into a KTAP block.  Every case also prints to the
# console so that a failing run's console tail shows what happened.

RESULTS=/tmp/results
DRIVER=${nddriver:-nicdrv}

# Topologies (qemu-tests/run sets up the same MACs and host addresses)
TAP_MAC=52:54:00:00:00:10	# guest NIC on the tap topology
TAP_HOST=198.18.0.1		# host end of the tap, inside the test netns
TAP_GUEST=198.18.0.2
HUB_A_MAC=52:54:00:00:01:01	# NIC A: root namespace
HUB_B_MAC=52:54:00:00:01:02	# NIC B: moved into guest namespace "peer"
HUB_A=198.18.1.1
HUB_B=198.18.1.2

# scaled N: a stress count, scaled by ndstress (percent, from the harness)
scaled() { echo $(($1 * ${ndstress:-100} / 100 > 0 ? $1 * ${ndstress:-100} / 100 : 1)); }

diag() { echo "# $*" | tee -a "$RESULTS"; }
pass() { echo "ok - $*" | tee -a "$RESULTS"; }
fail() { echo "not ok - $*" | tee -a "$RESULTS"; }

# check NAME COMMAND...: one case, passing when COMMAND succeeds
check() {
	local name=$1
	shift
	if "$@"; then pass "$name"; else fail "$name"; fi
}

# check_cmp NAME A OP B: numeric comparison (-eq -ge -gt -le -lt -ne)
check_cmp() {
	if [ "$2" "$3" "$4" ] 2>/dev/null; then
		pass "$1 ($2 $3 $4)"
	else
		fail "$1 (got '$2', want $3 $4)"
	fi
}

# Stop the test here: later cases would only repeat the failure
bail() {
	fail "$*"
	exit 1
}

now_ms() { awk '{ printf "%d\n", $1 * 1000 }' /proc/uptime; }

# cmdline_arg NAME: the value of NAME=VALUE on the kernel command line
# (how bench/run and bench/ab pass settings to their guest scripts)
cmdline_arg() {
	sed -n "s/.*$(printf %s "$1" | sed 's/\./\\./g')=\([^ ]*\).*/\1/p" /proc/cmdline
}

# Host requests over ttyS2: "VERB base64(arg)" -> "R rc base64(output)"
rpc() {
	local tag rc out
	exec 5<>/dev/ttyS2
	printf '%s %s\n' "$1" "$(printf '%s' "$2" | base64 -w0)" >&5
	read -r tag rc out <&5
	exec 5>&-
	[ "$tag" = R ] || { echo "rpc: bad reply '$tag'" >&2; return 99; }
	[ -z "$out" ] || printf '%s' "$out" | base64 -d
	return "$rc"
}

# Run a shell command on the host peer (inside the test's netns)
host() { rpc host "$*"; }
# Send one QMP command (JSON) to this QEMU; prints the reply
qmp() { rpc qmp "$1"; }

# QEMU's own count of the accesses to the NIC's BARs (ctl.py "mmio"):
# mmio_start, traffic, mmio_stop FILE; FILE gets "BAR OP OFFSET COUNT"
# lines.  Every access is logged on the host while the window is open, so
# nothing timed belongs inside one.
mmio_start() { rpc mmio start >/dev/null; }
mmio_stop() { rpc mmio stop >"$1"; }
# mmio_sum FILE OP [OFFSET]: reads (r) or writes (w) in FILE, all or one
mmio_sum() {
	awk -v op="$2" -v off="${3:-}" '$2 == op && (off == "" || $3 == off) { n += $4 }
		END { print n + 0 }' "$1"
}

iface_by_mac() {	# iface_by_mac MAC [NETNS]
	${2:+ip netns exec $2} sh -c 'for f in /sys/class/net/*; do
		grep -qix "$0" "$f/address" && { basename "$f"; exit 0; }
	done; exit 1' "$1"
}

# carrier_is STATE IF SECONDS [NETNS]: true once the carrier reads STATE
carrier_is() {
	local i=0 n=$(($3 * 10)) ns=${4:+ip netns exec $4}
	while [ $i -lt $n ]; do
		[ "$($ns cat "/sys/class/net/$2/carrier" 2>/dev/null)" = "$1" ] && return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

wait_carrier() { carrier_is 1 "$@"; }		# IF SECONDS [NETNS]
wait_no_carrier() { carrier_is 0 "$@"; }	# IF SECONDS [NETNS]

# netstat IF COUNTER [NETNS]: one /sys/class/net/IF/statistics counter
netstat() { ${3:+ip netns exec $3} cat "/sys/class/net/$1/statistics/$2"; }

# wait_stat IF COUNTER MIN SECONDS: wait until the counter passes MIN, then
# print it.  A fixed sleep is not enough on a debug-kernel guest, where an
# iperf3 connection can take seconds to get going.
wait_stat() {
	local i=0 v
	while :; do
		v=$(netstat "$1" "$2")
		[ "$v" -gt "$3" ] || [ $i -ge $(($4 * 5)) ] && break
		sleep 0.2
		i=$((i + 1))
	done
	echo "$v"
}

# ethstat IF NAME: one counter from ethtool -S
ethstat() { ethtool -S "$1" | awk -v n="$2:" '$1 == n { print $2 }'; }

# stdstat IF NAME: one counter of ethtool's standard groups, named as
# ethtool prints it (eth-mac-FramesReceivedOK, rx-rmon-etherStatsPkts...)
stdstat() {
	ethtool -S "$1" --groups eth-mac eth-ctrl rmon |
		awk -v n="$2:" '$1 == n { print $2 }'
}

# devlink_of IF: the devlink handle of IF's PCI function (pci/0000:00:03.0)
devlink_of() { echo "pci/$(basename "$(readlink -f "/sys/class/net/$1/device")")"; }

# dlparam DL NAME: the value devlink shows for parameter NAME
dlparam() {
	devlink dev param show "$1" name "$2" | awk '$1 == "cmode" {
		for (i = 2; i < NF; i++) if ($i == "value") print $(i + 1) }'
}

# dlset DL NAME VALUE CMODE: set a devlink parameter
dlset() { devlink dev param set "$1" name "$2" value "$3" cmode "$4"; }

# ring_sizes IF: the current ring sizes from ethtool -g, as RX/TX
ring_sizes() {
	ethtool -g "$1" |
		awk '/^Current/ { c = 1 } c && /^(RX|TX):/ { printf "%s%s", $2, ($1 == "RX:" ? "/" : "") }'
}

# coalesce IF KEY: one value from ethtool -c (KEY: rx-usecs, tx-usecs, ...)
coalesce() { ethtool -c "$1" | awk -v k="$2:" '$1 == k { print $2 }'; }

# regval IF OFFSET: one register from nicdrv's ethtool -d, whose dump is
# (offset, value) pairs of 32 bits; prints the value as 8 hex digits
regval() {
	ethtool -d "$1" raw on | od -An -v -tx4 -w8 |
		awk -v r="$(printf %08x "$2")" '$1 "" == r { print $2 }'
}

# hoststat COUNTER: one statistics counter of the host's tap (tap topology)
hoststat() { host "cat /sys/class/net/ndtap0/statistics/$1"; }

# iperf_rate DEST SECONDS IPERF-ARGS...: iperf3 to DEST for SECONDS; prints
# the receiver's Mbit/s (the number before "Mbits/sec", wherever it is)
# iperf_mbps SECONDS IPERF-ARGS...: the same to the host peer
iperf_rate() {
	local dest=$1 t=$2
	shift 2
	iperf3 -c "$dest" -t "$t" -f m "$@" 2>/dev/null |
		awk '/receiver/ { for (i = 1; i < NF; i++) if ($(i + 1) == "Mbits/sec") print $i }'
}
iperf_mbps() { local t=$1; shift; iperf_rate $TAP_HOST "$t" "$@"; }

# The error counters a healthy run leaves at zero
errors_zero() {	# errors_zero IF [NETNS]
	local c v bad=0
	for c in rx_errors tx_errors rx_dropped tx_dropped rx_length_errors \
		 rx_frame_errors rx_missed_errors; do
		v=$(netstat "$1" "$c" "$2")
		[ "$v" = 0 ] || { echo "$1: $c = $v"; bad=1; }
	done
	return $bad
}

# wait_ping DEST [NETNS]: wait up to 5 s for the first echo reply.  Each
# RCTL write (one at every ifup) stops QEMU's receiver for 1 s, so the
# first frames after "up" wait there; tests measure after this point.
wait_ping() {
	local t0 i=0
	t0=$(now_ms)
	while [ $i -lt 5 ]; do
		if ${2:+ip netns exec $2} ping -c 1 -W 1 "$1" >/dev/null 2>&1; then
			echo "# first reply from $1 after $(($(now_ms) - t0)) ms" >>"$RESULTS"
			return 0
		fi
		i=$((i + 1))
	done
	return 1
}

load_driver() {
	modprobe "$DRIVER" || bail "modprobe $DRIVER"
}

# Tap topology: one NIC, the host peer at $TAP_HOST
setup_tap() {
	load_driver
	IF=$(iface_by_mac $TAP_MAC) || bail "no interface with MAC $TAP_MAC"
	ip addr add $TAP_GUEST/24 dev "$IF"
	ip link set "$IF" up
	wait_carrier "$IF" 5 || bail "$IF: no carrier"
	wait_ping $TAP_HOST || bail "no reply from the host peer"
}

# Hub topology: NIC A here, NIC B in namespace "peer", one QEMU hub between
setup_hub() {
	load_driver
	A=$(iface_by_mac $HUB_A_MAC) || bail "no interface with MAC $HUB_A_MAC"
	B=$(iface_by_mac $HUB_B_MAC) || bail "no interface with MAC $HUB_B_MAC"
	ip netns add peer
	ip link set "$B" netns peer
	ip -n peer link set lo up
	ip addr add $HUB_A/24 dev "$A"
	ip -n peer addr add $HUB_B/24 dev "$B"
	ip link set "$A" up
	ip -n peer link set "$B" up
	wait_carrier "$A" 5 || bail "$A: no carrier"
	wait_carrier "$B" 5 peer || bail "$B: no carrier"
	wait_ping $HUB_B || bail "no reply from B"
}

# hub_static_neigh: each end of the hub knows the other's MAC, so no ARP
# runs in the middle of a flood, and none is needed where an XDP program
# takes every frame (or sends frames back) before the stack could answer
hub_static_neigh() {
	ip neigh replace $HUB_B lladdr $HUB_B_MAC dev "$A" nud permanent
	ip -n peer neigh replace $HUB_A lladdr $HUB_A_MAC dev "$B" nud permanent
}

# hub_stray: frames A's driver received while B sent 50 frames to a MAC
# nobody has (02:00:00:00:00:99 for 198.18.1.99).  After an RCTL change,
# it first waits out QEMU's 1 s receive stall.
hub_stray() {
	ip -n peer neigh replace 198.18.1.99 lladdr 02:00:00:00:00:99 \
		dev "$B" nud permanent
	wait_ping $HUB_A peer >/dev/null
	hub_rx_during 198.18.1.99
}

# hub_rx_during DEST: frames A's driver received while B pinged DEST 50 times
hub_rx_during() {
	local before
	before=$(netstat "$A" rx_packets)
	ip netns exec peer ping -q -c 50 -i 0.01 -W 1 "$1" >/dev/null 2>&1
	echo $(($(netstat "$A" rx_packets) - before))
}

# ping_report WHO OUTPUT: print ping's summary, true when nothing was lost
ping_report() {
	printf '%s\n' "$2" | tail -n 2 | sed "s/^/# $1: /" | tee -a "$RESULTS"
	printf '%s\n' "$2" | grep -q " 0% packet loss"
}

# ping_ok [-n NETNS] COUNT PING-ARGS...: COUNT pings at 10 ms, none lost
ping_ok() {
	local ns= who=ping count
	[ "$1" = -n ] && { ns="ip netns exec $2"; who="$2: ping"; shift 2; }
	count=$1
	shift
	ping_report "$who" "$($ns ping -q -c "$count" -i 0.01 -W 2 "$@" 2>&1)"
}

# host_ping_ok COUNT PING-ARGS...: the same, from the host peer
host_ping_ok() {
	local count=$1
	shift
	ping_report "host ping" "$(host ping -q -c "$count" -i 0.01 -W 2 "$@")"
}

# System sleep (S3, woken by the RTC).  q35 only, nothing to do with
# nicdrv: its ICH9 LPC bridge loses PMBASE and ACPI_CNTL (config
# 0x40-0x47) in S3; SeaBIOS does not set them again on resume, and the
# kernel restores only the standard header of a device without a driver.
# Without them ACPI's power-off waits forever at the end of the test, so
# suspend_prepare saves them and suspend_once writes them back.
LPC=/sys/bus/pci/devices/0000:00:1f.0

# suspend_prepare: choose S3; true if the kernel offers it
suspend_prepare() {
	if [ "$(cat $LPC/device 2>/dev/null)" = 0x2918 ]; then
		dd if=$LPC/config of=/tmp/lpc-pm.bin bs=4 skip=16 count=2 2>/dev/null
	fi
	echo deep >/sys/power/mem_sleep
	grep -q '\[deep\]' /sys/power/mem_sleep
}

# suspend_once: one S3 cycle, woken by the RTC 3 s later; true if the
# kernel counted one more successful suspend
suspend_once() {
	local before after
	before=$(cat /sys/power/suspend_stats/success)
	echo 0 >/sys/class/rtc/rtc0/wakealarm
	echo +3 >/sys/class/rtc/rtc0/wakealarm
	echo mem >/sys/power/state || return 1
	[ ! -f /tmp/lpc-pm.bin ] ||
		dd if=/tmp/lpc-pm.bin of=$LPC/config bs=4 seek=16 count=2 \
		   conv=notrunc 2>/dev/null
	after=$(cat /sys/power/suspend_stats/success)
	diag "suspend_stats/success $before -> $after"
	[ "$after" -eq $((before + 1)) ]
}

# Kernel log lines that fail any test: the checkers' reports and oopses
LOG_BAD='WARNING:|BUG:|Oops|Call Trace|general protection|DMA-API|KASAN|UBSAN|kmemleak|lockdep|possible .*deadlock|INFO: task .* blocked|DMAR:.*[Ff]ault|detected translation failure'

# kmemleak (debug kernel only): forget what boot left, so that finish()
# sees only what the test leaked
KMEMLEAK=/sys/kernel/debug/kmemleak
kmemleak_start() {
	[ -e $KMEMLEAK ] || return 0
	echo scan >$KMEMLEAK
	echo clear >$KMEMLEAK
}

# Unload the drivers, scan, and report every object nobody references.
kmemleak_check() {
	local leaks
	[ -e $KMEMLEAK ] || return 0
	ip netns del peer 2>/dev/null
	for m in nicdrv e1000 macvlan 8021q; do
		rmmod $m 2>/dev/null
	done
	sleep 6	# kmemleak reports only objects older than 5 s
	echo scan >$KMEMLEAK
	leaks=$(cat $KMEMLEAK)
	if [ -n "$leaks" ]; then
		echo "$leaks" | head -n 40 | sed 's/^/# kmemleak: /' >>"$RESULTS"
		fail "kmemleak: nothing unreferenced after unload"
	else
		pass "kmemleak: nothing unreferenced after unload"
	fi
}

LOG_MARK="nicdrv-test: start of"

finish() {
	local bad
	kmemleak_check >/dev/console
	bad=$(dmesg | sed -n "/$LOG_MARK/,\$p" | grep -E "$LOG_BAD")
	if [ -n "$bad" ]; then
		echo "$bad" | head -n 20 | sed 's/^/# log: /' >>"$RESULTS"
		fail "kernel log clean"
	else
		pass "kernel log clean"
	fi >/dev/console
	if grep -q '^not ok' "$RESULTS"; then
		echo "--- dmesg (tail)" >/dev/console
		dmesg | tail -n 40 >/dev/console
	fi
	echo "KTAP version 1"
	echo "1..$(grep -c '^\(not \)\{0,1\}ok' "$RESULTS")"
	awk '/^(not )?ok - / { sub(/ok - /, "ok " ++n " ") } { print }' "$RESULTS"
}

# The host peer floods the guest with UDP for a long time (stress tests):
# it keeps sending whatever state the guest's interface is in.  iperf3
# needs a server here for its control connection, the data is plain UDP.
host_flood() {
	local before
	iperf3 -s -D -B $TAP_GUEST
	host "iperf3 -c $TAP_GUEST -u -b 20M -l 512 -t 3600 >/dev/null 2>&1 &"
	sleep 1
	before=$(netstat "$IF" rx_packets)
	sleep 1
	check_cmp "the host floods the guest (frames in 1 s)" \
		$(($(netstat "$IF" rx_packets) - before)) -gt 500
}

# Stop host_flood's sender: only this test's namespace, since other tests
# may run beside it (JOBS)
host_flood_stop() {
	host 'for p in $(ip netns pids "$(ip netns identify)"); do
		case "$(tr "\0" " " <"/proc/$p/cmdline" 2>/dev/null)" in
		"iperf3 -c "*) kill "$p" ;;
		esac
	done' >/dev/null 2>&1
	sleep 1
}

# After a stress run: link, pings and a TCP stream work again.  The flood
# stops first: on a 1-vCPU debug guest it alone keeps the CPU busy enough
# to delay pings by 300 ms and lose a few, driver or not.
recovered() {
	host_flood_stop
	wait_carrier "$IF" 5 || return 1
	wait_ping $TAP_HOST || return 1
	ping_ok 50 $TAP_HOST || return 1
	iperf3 -c $TAP_HOST -t 3 >/dev/null 2>&1
}
