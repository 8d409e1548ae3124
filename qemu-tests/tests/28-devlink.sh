#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# devlink (nicdrv/devlink.c): "devlink dev info" names the driver and the
# chip; the parameters show their defaults (pool_bufs 16384 runtime,
# dma_bits 64 driverinit); bad values and unprivileged callers are
# refused with a message, and the value stays; pool_bufs reaches sysfs
# and the next capture session; "devlink dev reload" applies dma_bits
# (the kernel's own mask for the device changes, and every ring and pool
# DMA address fits it; under the vIOMMU tier's forcedac a 64-bit mask
# gets addresses above 4 GiB) with the interface down (it stays down) and
# up under a ping flood with a capture running (the capture ends cleanly;
# the interface never goes down, so a permanent neighbour and an IPv6
# address stay); a reload into another namespace or a firmware
# activation is refused; rmmod during a loop of reloads.
# topology: tap
# timeout: 300
. /tests/lib.sh

setup_tap
DL=$(devlink_of "$IF")
PCI=${DL#pci/}
C=$(ls -d /sys/class/net/$IF/device/nicdrv/nicdrv*)
D=/sys/kernel/debug/nicdrv/$PCI
nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
# mask BITS: the device's DMA masks as the kernel keeps them, and ours
mask() {
	[ "$(cat /sys/bus/pci/devices/$PCI/dma_mask_bits)" = "$1" ] &&
		[ "$(cat /sys/bus/pci/devices/$PCI/consistent_dma_mask_bits)" = "$1" ] &&
		[ "$(cat $C/dma_mask_bits)" = "$1" ]
}
# above4g: how many ring and pool DMA addresses lie above 4 GiB
above4g() {
	{ awk '$1 == "dma" { print $2 }' $D/rings; awk 'NR > 1 { print $4 }' $D/rx_pool; } |
		awk '{ a = $1; sub(/^0x0*/, "", a); n += length(a) > 8 } END { print n + 0 }'
}

# --- devlink dev info ---
info=$(devlink dev info "$DL")
echo "$info" | sed 's/^/# /' | tee -a "$RESULTS"
field() { echo "$info" | awk -v k="$1" '$1 == k { print $2 }'; }
check_cmp "info: driver" "$(field driver)" = nicdrv
check_cmp "info: asic.id" "$(field asic.id)" = 82540EM
check "info: asic.rev is the PCI revision" test "$(field asic.rev)" = \
	"$(($(cat /sys/class/net/$IF/device/revision)))"

# --- the parameters: defaults, refusals ---
check_cmp "pool_bufs is 16384 by default" "$(dlparam $DL pool_bufs)" -eq 16384
check_cmp "dma_bits is 64 by default" "$(dlparam $DL dma_bits)" -eq 64
check "the device's DMA masks are 64 bits" mask 64
for v in 1000 32 65536 0; do
	out=$(dlset $DL pool_bufs $v runtime 2>&1)
	check "pool_bufs $v is refused" test $? -ne 0
	check "... with a message" sh -c "echo '$out' | grep -q 'pool_bufs must be a power of two from 64 to 32768'"
	check_cmp "... and pool_bufs stays 16384" "$(dlparam $DL pool_bufs)" -eq 16384
done
diag "devlink said: $out"
for v in 16 31 65 128; do
	out=$(dlset $DL dma_bits $v driverinit 2>&1)
	check "dma_bits $v is refused" test $? -ne 0
	check "... with a message" sh -c "echo '$out' | grep -q 'dma_bits must be from 32 to 64'"
done
diag "devlink said: $out"
out=$(dlset $DL pool_bufs 64 driverinit 2>&1)
check "pool_bufs in cmode driverinit is refused" test $? -ne 0
out=$(nobody devlink dev param set $DL name pool_bufs value 256 cmode runtime 2>&1)
check "an unprivileged set is refused" test $? -ne 0
diag "devlink said: $out"
check_cmp "... and pool_bufs stays 16384" "$(dlparam $DL pool_bufs)" -eq 16384
out=$(nobody devlink dev reload $DL 2>&1)
check "an unprivileged reload is refused" test $? -ne 0
check_cmp "ring_entries is still 16384" "$(cat $C/ring_entries)" -eq 16384

# --- pool_bufs reaches sysfs and the next session ---
check "pool_bufs 256" dlset $DL pool_bufs 256 runtime
check_cmp "... shows 256" "$(dlparam $DL pool_bufs)" -eq 256
check_cmp "... ring_entries follows" "$(cat $C/ring_entries)" -eq 256
host "ping -i 0.05 -c 100000 $TAP_GUEST >/dev/null 2>&1 &"
nicdrv-cap -i "$IF" -c 20 -q -w /dev/null 2>/tmp/cap.err
check "a capture session takes 256 entries" grep -q '(256 ring entries' /tmp/cap.err
check "the largest, pool_bufs 32768" dlset $DL pool_bufs 32768 runtime
nicdrv-cap -i "$IF" -c 20 -q -w /dev/null 2>/tmp/cap.err
check "the next session takes 32768 entries" grep -q '(32768 ring entries' /tmp/cap.err
check "pool_bufs back to 16384" dlset $DL pool_bufs 16384 runtime

# --- reload: dma_bits with the interface down, then up under a flood ---
ip link set "$IF" down
check "dma_bits 32 (driverinit)" dlset $DL dma_bits 32 driverinit
check "... the mask waits for the reload" mask 64
check "reload with the interface down" devlink dev reload $DL
check "... the masks are 32 bits" mask 32
check_cmp "... and the interface stays down" "$(cat /sys/class/net/$IF/operstate)" = down
ip link set "$IF" up
wait_carrier "$IF" 5
wait_ping $TAP_HOST
check "up at 32-bit DMA: ping" ping_ok 20 $TAP_HOST
check_cmp "every ring and pool address below 4 GiB" "$(above4g)" -eq 0
ip neigh replace 198.18.0.99 lladdr 02:00:00:00:00:99 dev "$IF" nud permanent
ip -6 addr add fd00:198:18::2/64 dev "$IF" nodad

check "dma_bits 64 (driverinit)" dlset $DL dma_bits 64 driverinit
# A new file: the background job opens its own only when it starts, and
# the wait below must not find the last capture's message meanwhile
rm -f /tmp/cap.err
nicdrv-cap -i "$IF" -w /tmp/reload.pcap -q 2>/tmp/cap.err &
cap=$!
ping -f -c 100000 -q $TAP_HOST >/tmp/ping.log 2>&1 &
pping=$!
# The reload must find the capture running, not still setting up (its
# pool grows first, which takes seconds on the debug kernel)
i=0
while ! grep -q 'capturing from' /tmp/cap.err 2>/dev/null && [ $i -lt 600 ]; do
	sleep 0.1
	i=$((i + 1))
done
check "the capture runs" grep -q 'capturing from' /tmp/cap.err
sleep 1
check "reload with the interface up, a flood and a capture running" devlink dev reload $DL
i=0
while kill -0 $cap 2>/dev/null && [ $i -lt 50 ]; do
	sleep 0.1
	i=$((i + 1))
done
check "the capture ended" sh -c "! kill -0 $cap 2>/dev/null"
wait $cap
diag "nicdrv-cap: $(tail -n 1 /tmp/cap.err)"
check "its file opens in tcpdump" tcpdump -r /tmp/reload.pcap -c 1 -q
kill -INT $pping 2>/dev/null
wait $pping
check "the masks are 64 bits again" mask 64
check "the carrier is back" wait_carrier "$IF" 5
check "the interface never went down: its permanent neighbour stays" \
	sh -c "ip neigh show 198.18.0.99 dev $IF | grep -q PERMANENT"
check "... and its IPv6 address" sh -c "ip -6 addr show dev $IF | grep -q fd00:198:18::2"
wait_ping $TAP_HOST
check "it answers pings" ping_ok 20 $TAP_HOST
n=$(above4g)
if grep -q 'iommu.forcedac=1' /proc/cmdline; then
	check_cmp "forcedac, 64-bit mask: ring and pool addresses above 4 GiB" "$n" -gt 0
else
	diag "ring and pool addresses above 4 GiB: $n (no forcedac here)"
fi

# --- reloads it cannot do ---
ip netns add dltest
out=$(devlink dev reload $DL netns dltest 2>&1)
check "a reload into another namespace is refused" test $? -ne 0
diag "devlink said: $out"
check "... the interface is where it was" test -e /sys/class/net/$IF
ip netns del dltest
out=$(devlink dev reload $DL action fw_activate 2>&1)
check "a firmware activation is refused" test $? -ne 0
diag "devlink said: $out"
check "traffic after all that" ping_ok 20 $TAP_HOST

# rmmod while another process reloads in a loop: remove unregisters
# devlink first, so a reload either finishes before or finds no device
(while devlink dev reload $DL >/dev/null 2>&1; do :; done) &
loop=$!
sleep 3
check "rmmod during a loop of reloads" rmmod nicdrv
wait $loop
check "... and the loop ended" sh -c "! kill -0 $loop 2>/dev/null"
