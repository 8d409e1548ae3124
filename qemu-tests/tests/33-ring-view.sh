#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The live ring view (debugfs view, tools/nicdrv-top; docs/design.md):
#   - each text frame draws the snapshot it printed (-R): every cell is
#     the state the four indexes and the descriptor's DD bit give (the
#     rule again, in awk), and the marks name the snapshot's indexes;
#   - idle, the snapshot agrees with the other debugfs files (rings,
#     tx_desc, rx_desc) and with ethtool -S and ip's counters exactly;
#     under a flood, its counters lie between two readings of ethtool -S
#     taken around it and the RX rate is the flood's;
#   - with a capture reader holding frames, its fill is what it holds;
#   - after a resize, the rings have their new sizes; resizes under a
#     flood while a viewer reads 10 times a second: every frame is still
#     its snapshot;
#   - a chosen descriptor's buffer has the bus address its descriptor
#     holds, inside the pool; without an IOMMU that is the physical
#     address, with one the IOMMU translates it to the buffer's;
#   - bad arguments and bad writes get a clear error and an exit code;
#     the view outlives neither ifdown nor rmmod, and an e1000 interface
#     is refused.
# topology: tap
# timeout: 300
. /tests/lib.sh

setup_tap
PCI=$(basename "$(readlink /sys/class/net/$IF/device)")
D=/sys/kernel/debug/nicdrv/$PCI
check "the view is root's" test "$(stat -c %a "$D/view")" = 600

# cells FRAME RING: the cells of ring TX or RX in a text frame, in one line
cells() {
	awk -v r="$2 ring:" 'index($0, r) == 1 { on = 1; next }
		on && /^ *[0-9]+ [.wNdaF]+$/ { s = s $2; next }
		on && /^ *[0-9]+ / { next }
		on && !/^ +\^/ { on = 0 }
		END { print s }' "$1"
}

# expect SNAPSHOT RING: the cells the rule gives for ring tx or rx, from
# the snapshot's indexes and DD bits (uapi/nicdrv.h, view.c).  Past 1024
# descriptors a cell stands for several (64 cells a row, 16 rows at most):
# the state most of them are in, the later in this list on a tie:
# free, handed over pending, the NIC's, finished.
expect() {
	awk -v r="$2" '
	function within(i, a, b) { return (i - a + n) % n < (b - a + n) % n }
	$1 == r { n = $2; ntc = $3; h = $4; t = $5; ntu = $6 }
	$1 == r "_desc" { d = $2 }
	END {
		if (r == "tx") ch = ".wNd"; else ch = ".aNF"
		per = 1
		while (int((n + per * 64 - 1) / (per * 64)) > 16) per *= 2
		for (i = 0; i < n; i += per) {
			for (k = 0; k < 4; k++) c[k] = 0
			for (j = i; j < i + per && j < n; j++) {
				dd = index("13579bdf", substr(d, j + 1, 1)) > 0
				if (within(j, h, t)) st = dd ? 3 : 2
				else if (within(j, ntc, h)) st = 3
				else if (within(j, t, ntu)) st = 1
				else st = 0
				c[st]++
			}
			best = 0
			for (k = 1; k < 4; k++) if (c[k] >= c[best]) best = k
			s = s substr(ch, best + 1, 1)
		}
		print s
	}' "$1"
}

# split OUT PREFIX: -R output into PREFIX.fN (frame N) and PREFIX.sN (its
# snapshot), N from 1
split_frames() {
	awk -v p="$2" '/^--- snapshot$/ { s = 1; next }
		/^--- end$/ { s = 0; n++; next }
		{ print > (p (s ? ".s" : ".f") (n + 1)) }' "$1"
}

# order SNAPSHOT RING: "ok" when the ring's indexes lie inside it and in
# order around it (the distances from next_to_clean to the head, to the
# tail, to next_to_use add up to less than the ring), or it says torn
order() {
	awk -v r="$2" '$1 == r {
		n = $2
		if ($7 == "torn") { print "torn"; exit }
		for (i = 3; i <= 6; i++) if ($i >= n) { print "out"; exit }
		d = ($4 - $3 + n) % n + ($5 - $4 + n) % n + ($6 - $5 + n) % n
		print d < n ? "ok" : "disorder"
	}' "$1"
}

# agree LABEL FRAME SNAPSHOT: the frame draws the snapshot
agree() {
	local r
	for r in tx rx; do
		local R=$(echo $r | tr a-z A-Z) got want o
		o=$(order "$3" $r)
		if [ "$o" = torn ]; then
			diag "$1: $R torn (out of order after every retry)"
			check "$1: a torn $R ring is drawn without cells" \
				grep -q 'indexes out of order' "$2"
			continue
		fi
		check "$1: the $R indexes are in order around the ring ($o)" test "$o" = ok
		got=$(cells "$2" $R)
		want=$(expect "$3" $r)
		check "$1: the $R cells are the snapshot's (${#got} cells)" \
			test -n "$got" -a "$got" = "$want"
		[ "$got" = "$want" ] || { diag "got  $got"; diag "want $want"; }
		want=$(awk -v r=$r '$1 == r { printf "next_to_clean %d  %sDH %d  %sDT %d  next_to_use %d", $3, L, $4, L, $5, $6 }' L=${R%X} "$3")
		check "$1: the $R header names the snapshot's indexes ($want)" \
			grep -q "^$R ring: .*   $want\$" "$2"
	done
}

val() { awk -v k="$2" '$1 == k { print $2 }' "$1"; }
ctr() { awk -v k="$2" '$1 == "counter" && $2 == k { print $3 }' "$1"; }
ring() { awk -v r="$2" -v f="$3" '$1 == r { print $f }' "$1"; }

# 1. Idle: one snapshot against the other debugfs files and the counters,
# read before and after it.  No IPv6 (its router and neighbour messages
# would come at random times); if a frame passes all the same (an ARP),
# the rings read before and after differ: take it again.
echo 1 >/proc/sys/net/ipv6/conf/all/disable_ipv6
ping_ok 20 $TAP_HOST >/dev/null
sleep 1
counters="rx_packets rx_bytes tx_packets tx_bytes irqs napi_polls mmio_reads mmio_writes mmio_tdt_writes mmio_rdt_writes"
readall() {	# readall SUFFIX: the tour's files and every counter
	cat "$D/rings" >/tmp/rings$1
	cat "$D/tx_desc" >/tmp/txd$1
	cat "$D/rx_desc" >/tmp/rxd$1
	for c in $counters; do
		case $c in
		[rt]x_packets | [rt]x_bytes) echo "$c $(netstat "$IF" $c)" ;;
		*) echo "$c $(ethstat "$IF" $c)" ;;
		esac
	done >/tmp/ctr$1
}
for try in 1 2 3; do
	readall 0
	cat "$D/view" >/tmp/idle
	readall 1
	# the register reads of the tour and of ethtool -S differ in number
	# from one reading to the next: rings and descriptors decide
	cmp -s /tmp/txd0 /tmp/txd1 && cmp -s /tmp/rxd0 /tmp/rxd1 &&
		[ "$(grep -v ' ring:' /tmp/rings0 | grep -E 'next_to|dma')" = \
		  "$(grep -v ' ring:' /tmp/rings1 | grep -E 'next_to|dma')" ] && break
	diag "idle: traffic during the reading, again"
done
cp /tmp/rings0 /tmp/rings
grep -v _desc /tmp/idle | sed 's/^/# view: /' | tee -a "$RESULTS" >/dev/null
field() {	# field RING NAME: from the rings file
	awk -v r="$1 ring" -v n="$2" 'index($0, r) == 1 { on = 1; next }
		/ring:|pool:/ { on = 0 }
		on { for (i = 1; i < NF; i++) if ($i == n) { print $(i + 1); exit } }' /tmp/rings
}
for r in tx rx; do
	R=$(echo $r | tr a-z A-Z)
	want="$(field $r next_to_clean) $(field $r ${R%X}DH) $(field $r ${R%X}DT) $(field $r next_to_use)"
	got="$(ring /tmp/idle $r 3) $(ring /tmp/idle $r 4) $(ring /tmp/idle $r 5) $(ring /tmp/idle $r 6)"
	check "idle: $r indexes as debugfs rings has them ($got)" test "$got" = "$want"
done
odd='index("13579bdf", substr(x, length(x), 1)) > 0'
dd_of() {	# dd_of FILE COLUMN: a 0/1 per descriptor, DD of that hex column
	tail -n +2 "$1" | awk -v c="$2" "{ x = \$c; printf \"%d\", ($odd) }"
}
view_dd() {	# view_dd RING: the same from the snapshot's digits
	val /tmp/idle "$1"_desc | awk "{ for (i = 1; i <= length(\$0); i++) { x = substr(\$0, i, 1); printf \"%d\", ($odd) } }"
}
check "idle: every TX descriptor's DD as tx_desc has it" \
	test "$(view_dd tx)" = "$(dd_of /tmp/txd0 4)"
check "idle: every RX descriptor's DD as rx_desc has it" \
	test "$(view_dd rx)" = "$(dd_of /tmp/rxd0 4)"
for c in $counters; do
	a=$(val /tmp/ctr0 $c)
	v=$(ctr /tmp/idle $c)
	b=$(val /tmp/ctr1 $c)
	check "idle: $c between the readings around it ($a <= $v <= $b)" \
		test "$a" -le "$v" -a "$v" -le "$b"
done
v0=$(val /tmp/idle view_reads)
v1=$(val "$D/view" view_reads)
check_cmp "idle: a snapshot reads 4 registers (the views' count grew by 4)" $((v1 - v0)) -eq 4
nicdrv-top -b -f /tmp/idle >/tmp/frame
agree "idle" /tmp/frame /tmp/idle
check_cmp "idle: TX all free" "$(cells /tmp/frame TX | tr -cd . | wc -c)" -eq 256
check_cmp "idle: RX the NIC's but one (RDT stops short of next_to_clean)" \
	"$(cells /tmp/frame RX | tr -cd N | wc -c)" -eq 255

diag "idle done at $(now_ms) ms"

# 2. Live, under a flood from the host (batch frames, 0.5 s apart)
host_flood
b0=$(ethstat "$IF" napi_polls)
r0=$(netstat "$IF" rx_packets)
nicdrv-top -b -R -d 0.5 -n 3 "$IF" >/tmp/live 2>/tmp/live.err
check "flood: three frames, exit 0" test $? -eq 0 -a "$(grep -c '^--- end' /tmp/live)" -eq 3
b1=$(ethstat "$IF" napi_polls)
r1=$(netstat "$IF" rx_packets)
split_frames /tmp/live /tmp/live
for n in 1 2 3; do
	agree "flood, frame $n" /tmp/live.f$n /tmp/live.s$n
done
sed -n '1,12p' /tmp/live.f3 | sed 's/^/# /' | tee -a "$RESULTS" >/dev/null
cp /tmp/live.f3 /tmp/lastframe
cp /tmp/live.s3 /tmp/flood
p=$(ctr /tmp/flood napi_polls)
check "flood: napi_polls between the readings around it ($b0 <= $p <= $b1)" \
	test "$b0" -le "$p" -a "$p" -le "$b1"
p=$(ctr /tmp/flood rx_packets)
check "flood: rx_packets between the readings around it ($r0 <= $p <= $r1)" \
	test "$r0" -le "$p" -a "$p" -le "$r1"
rate=$(awk '$1 == "frames" { print $3 }' /tmp/lastframe)
check_cmp "flood: RX frames/s drawn (the flood sends some 5,000/s)" "${rate%.*}" -gt 1000
polls=$(awk '$1 == "NAPI" { print $3 }' /tmp/lastframe)
check_cmp "flood: NAPI polls/s drawn" "${polls%.*}" -gt 10
host_flood_stop

diag "flood done at $(now_ms) ms"

# 3. A capture reader that holds every frame: the capture ring fills
rm -f /tmp/keep.out
pooltest keep "$IF" >/tmp/keep.out 2>&1 &
hold=$!
i=0
while ! grep -q keeping /tmp/keep.out 2>/dev/null && [ $i -lt 300 ]; do
	sleep 0.1
	i=$((i + 1))
done
ping_ok 30 $TAP_HOST >/dev/null
sleep 0.5
cat "$D/view" >/tmp/cap
nicdrv-top -b -f /tmp/cap >/tmp/capframe
agree "reader" /tmp/capframe /tmp/cap
set -- $(awk '$1 == "cap" { print $2, $3, $4 }' /tmp/cap)
diag "capture ring: $1 entries, prod $2, cons $3"
check_cmp "reader: the capture ring holds the frames (>= 30 replies)" $(($2 - $3)) -ge 30
check "reader: drawn as held by the reader" \
	grep -q "\] $(($2 - $3)) of $1 entries held by the reader" /tmp/capframe
kill $hold
wait $hold
sleep 0.5
cat "$D/view" >/tmp/nocap
check "reader gone: no capture" grep -q '^cap none$' /tmp/nocap

# 4. After a resize: the new sizes, drawn as they are
ethtool -G "$IF" rx 64 tx 128
wait_carrier "$IF" 5
wait_ping $TAP_HOST >/dev/null
ping_ok 10 $TAP_HOST >/dev/null
nicdrv-top -b -R -d 0.2 "$IF" >/tmp/resized
split_frames /tmp/resized /tmp/rs
agree "resized" /tmp/rs.f1 /tmp/rs.s1
check "resized: tx 128 descriptors" grep -q '^TX ring: 128 descriptors' /tmp/resized
check "resized: rx 64 descriptors" grep -q '^RX ring: 64 descriptors' /tmp/resized
ethtool -G "$IF" rx 4096 tx 4096
wait_carrier "$IF" 5
wait_ping $TAP_HOST >/dev/null
nicdrv-top -b -R -d 0.2 "$IF" >/tmp/big
split_frames /tmp/big /tmp/bs
agree "4096 descriptors" /tmp/bs.f1 /tmp/bs.s1
check "4096 descriptors: a cell per 4" grep -q '^RX ring: 4096 descriptors, a cell per 4 ' /tmp/big
check_cmp "4096 descriptors: 1024 cells" "$(cells /tmp/big RX | wc -c)" -eq 1025
ethtool -G "$IF" rx 256 tx 256
wait_carrier "$IF" 5
wait_ping $TAP_HOST >/dev/null

# Resizes under a flood while a viewer reads 10 times a second: every
# frame it drew is its snapshot, whatever size the rings had
host_flood
nicdrv-top -b -R -d 0.1 -n 30 "$IF" >/tmp/churn 2>/tmp/churn.err &
viewer=$!
for size in 64 512 128 256; do
	ethtool -G "$IF" rx $size tx $size
	sleep 0.5
done
wait $viewer
rc=$?
host_flood_stop
split_frames /tmp/churn /tmp/churn
bad=0
torn=0
n=0
for f in /tmp/churn.f*; do
	s=${f%.f*}.s${f##*.f}
	[ -e "$s" ] || continue		# what follows the last frame
	n=$((n + 1))
	for r in TX RX; do
		lr=$(echo $r | tr A-Z a-z)
		case $(order "$s" $lr) in
		ok) [ "$(cells "$f" $r)" = "$(expect "$s" $lr)" ] || bad=$((bad + 1)) ;;
		torn) torn=$((torn + 1)) ;;
		*) bad=$((bad + 1)) ;;
		esac
	done
done
sizes=$(grep -h '^RX ring:' /tmp/churn.f* | awk '{ print $3 }' | sort -un | tr '\n' ' ')
diag "viewer under resizes: exit $rc, $n frames, $torn torn rings, RX sizes seen: $sizes"
check "resizes under a flood and a viewer: it exits 0" test "$rc" = 0 -a ! -s /tmp/churn.err
check_cmp "... every frame draws its snapshot ($n frames)" "$bad" -eq 0
check_cmp "... and it saw more than one ring size" "$(echo $sizes | wc -w)" -gt 1
wait_carrier "$IF" 5
wait_ping $TAP_HOST >/dev/null

diag "resizes done at $(now_ms) ms"

# 5. One descriptor and its buffer's three addresses
ping_ok 5 $TAP_HOST >/dev/null
nicdrv-top -b -R -d 0.2 -s rx:5 "$IF" >/tmp/sel 2>/tmp/sel.err
check "-s rx:5: exit 0" test $? = 0 -a ! -s /tmp/sel.err
split_frames /tmp/sel /tmp/sel
cp /tmp/sel.s1 /tmp/ss
sed -n '/^RX descriptor 5/,/^$/p' /tmp/sel | sed 's/^/# /' | tee -a "$RESULTS" >/dev/null
set -- $(awk '$1 == "sel_buf" { print $2, $3, $4 }' /tmp/ss)
bva=${1:-0} bpa=${2:-0} bdma=${3:-0}
want=0x$(awk '$1 == 5 { print $2 }' "$D/rx_desc" | sed 's/^0*//')
check "rx 5: the buffer's bus address is the descriptor's ($bdma)" \
	test "$(printf '%x' "$bdma")" = "$(printf '%x' "$want")"
in_pool() {	# in_pool ADDR COLUMN: ADDR is in a page of that rx_pool column
	tail -n +2 "$D/rx_pool" | awk -v c="$2" '{ print $c }' | while read -r p; do
		[ "$(($1))" -ge "$((p))" ] && [ "$(($1))" -lt "$((p + 4096))" ] &&
			echo yes && break
	done
}
check "rx 5: the bus address is inside a pool page" test "$(in_pool $bdma 4)" = yes
check "rx 5: the physical address is inside a pool page" test "$(in_pool $bpa 3)" = yes
if grep -q '^iommu translating' /tmp/ss; then
	ipa=$(awk '$1 == "sel_iommu" { print $2 }' /tmp/ss)
	check "rx 5: the IOMMU translates the bus address to the buffer's ($ipa)" \
		test "$((ipa))" = "$((bpa))"
	check "rx 5: drawn as the buffer's" grep -q "to physical $ipa: the buffer's" /tmp/sel
else
	check "rx 5: no IOMMU: bus = physical" test "$((bdma))" = "$((bpa))"
	check "rx 5: drawn so" grep -q 'no IOMMU: the bus address is the physical address' /tmp/sel
fi
nicdrv-top -b -R -d 0.2 -s tx:0 "$IF" >/tmp/tsel 2>/tmp/tsel.err
check "-s tx:0: exit 0" test $? = 0 -a ! -s /tmp/tsel.err
split_frames /tmp/tsel /tmp/tsel
cp /tmp/tsel.s1 /tmp/ts
set -- $(awk '$1 == "sel_desc" { print $2, $3, $4 }' /tmp/ts)
# (the resizes above allocated new rings: the tour's file again)
check "tx 0: the descriptor's bus address is the ring's" \
	test "$((${3:-0}))" = "$(($(awk '$1 == "dma" { print $2 }' "$D/rings" | head -n 1)))"

diag "addresses done at $(now_ms) ms"

# 6. Bad input: arguments, writes, no debugfs, no root, another driver
bad() {	# bad LABEL CODE TEXT COMMAND...
	local label=$1 code=$2 text=$3 rc
	shift 3
	"$@" >/tmp/bad.out 2>/tmp/bad.err
	rc=$?
	diag "$label: exit $rc: $(head -n 1 /tmp/bad.err)"
	check "$label: exit $code, says so" test "$rc" = "$code" -a \
		"$(grep -c "$text" /tmp/bad.err)" -ge 1
}
bad "unknown interface" 1 "no interface 'eth9'" nicdrv-top -b eth9
bad "loopback" 1 "not a PCI device" nicdrv-top -b lo
bad "-s bad ring" 2 "expected tx:N or rx:N" nicdrv-top -b -s qx:3 "$IF"
bad "-s out of range" 2 "0 to 4095" nicdrv-top -b -s rx:4096 "$IF"
bad "-d 0" 2 "seconds" nicdrv-top -b -d 0 "$IF"
bad "-n 0" 2 "frames" nicdrv-top -b -n 0 "$IF"
bad "no interface given" 2 "usage" nicdrv-top -b
bad "a snapshot that is not one" 1 "snapshot format" nicdrv-top -f /tests/lib.sh
bad "unprivileged" 1 "debugfs is root's" setpriv --reuid=65534 --regid=65534 --clear-groups nicdrv-top -b "$IF"
for w in "zz 3" "rx" "rx 4096" "tx -1" "rx 4294967301" "rx 5x" "rx  5" "rx 12345678901234567890"; do
	check "the view refuses the write '$w'" sh -c "! printf '%s' '$w' >$D/view 2>/dev/null"
done
check "the view takes 'rx 3' and 'none'" sh -c "printf 'rx 3' >$D/view && printf none >$D/view"
umount /sys/kernel/debug
bad "no debugfs" 1 "debugfs is not mounted" nicdrv-top -b "$IF"
mount -t debugfs none /sys/kernel/debug

ip link set "$IF" down
nicdrv-top -b "$IF" >/tmp/down
check "down: exit 0, no rings drawn" grep -q 'interface down: no rings' /tmp/down
ip link set "$IF" up
wait_carrier "$IF" 5

# rmmod while a viewer runs: the viewer holds the file (and so the
# module) only while it reads a snapshot, so rmmod goes through (a try
# may meet a read in flight: busybox rmmod does not wait), and the viewer
# stops with an error
nicdrv-top -b -d 0.05 -n 100000 "$IF" >/dev/null 2>/tmp/gone.err &
viewer=$!
sleep 1
i=0
until rmmod nicdrv 2>/dev/null || [ $i -ge 20 ]; do
	sleep 0.05
	i=$((i + 1))
done
check "rmmod under a viewer ($i tries met a read in flight)" sh -c "! grep -q '^nicdrv ' /proc/modules"
wait $viewer
rc=$?
diag "viewer at rmmod: exit $rc: $(head -n 1 /tmp/gone.err)"
check "rmmod under a viewer: the viewer exits 1, the view went away" \
	test "$rc" = 1 -a "$(grep -c 'went away' /tmp/gone.err)" = 1
if modprobe e1000 2>/dev/null; then
	E=$(iface_by_mac $TAP_MAC)
	bad "an e1000 interface" 1 "driven by e1000, not nicdrv" nicdrv-top -b "$E"
	rmmod e1000
fi
modprobe nicdrv
finish
