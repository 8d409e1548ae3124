#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# devlink (nicdrv/devlink.c): "devlink dev info" names the driver and the
# board, with the permanent MAC address as serial number; the parameters
# show their defaults (pool_bufs 16384 runtime, dma_bits 64 driverinit);
# bad values and unprivileged callers are refused with a message, and
# the value stays; pool_bufs reaches sysfs and the next capture session;
# "devlink dev reload" applies dma_bits with the interface down (it stays
# down) and up under a ping flood with a capture running (the capture
# ends cleanly, the interface comes back with its address); a reload into
# another namespace or a firmware activation is refused.
# topology: tap
# timeout: 300
. /tests/lib.sh

setup_tap
DL=$(devlink_of "$IF")
C=$(ls -d /sys/class/net/$IF/device/nicdrv/nicdrv*)
nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }

# --- devlink dev info ---
info=$(devlink dev info "$DL")
echo "$info" | sed 's/^/# /' | tee -a "$RESULTS"
field() { echo "$info" | awk -v k="$1" '$1 == k { print $2 }'; }
check_cmp "info: driver" "$(field driver)" = nicdrv
check_cmp "info: serial_number is the permanent MAC" "$(field serial_number)" = "$TAP_MAC"
check_cmp "info: board.id" "$(field board.id)" = 82540EM
check "info: board.rev is the PCI revision" test "$(field board.rev)" = \
	"$(($(cat /sys/class/net/$IF/device/revision)))"

# --- the parameters: defaults, refusals ---
check_cmp "pool_bufs is 16384 by default" "$(dlparam $DL pool_bufs)" -eq 16384
check_cmp "dma_bits is 64 by default" "$(dlparam $DL dma_bits)" -eq 64
check_cmp "sysfs dma_mask_bits agrees" "$(cat $C/dma_mask_bits)" -eq 64
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
check_cmp "... the mask waits for the reload" "$(cat $C/dma_mask_bits)" -eq 64
check "reload with the interface down" devlink dev reload $DL
check_cmp "... the mask is 32 bits" "$(cat $C/dma_mask_bits)" -eq 32
check_cmp "... and the interface stays down" "$(cat /sys/class/net/$IF/operstate)" = down
ip link set "$IF" up
wait_carrier "$IF" 5
wait_ping $TAP_HOST
check "up at 32-bit DMA: ping" ping_ok 20 $TAP_HOST

check "dma_bits 64 (driverinit)" dlset $DL dma_bits 64 driverinit
nicdrv-cap -i "$IF" -w /tmp/reload.pcap -q 2>/tmp/cap.err &
cap=$!
ping -f -c 100000 -q $TAP_HOST >/tmp/ping.log 2>&1 &
pping=$!
sleep 2
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
check_cmp "the mask is 64 bits again" "$(cat $C/dma_mask_bits)" -eq 64
check "the interface is up again" wait_carrier "$IF" 5
check "... with its address" sh -c "ip -4 addr show dev $IF | grep -q 'inet $TAP_GUEST/'"
wait_ping $TAP_HOST
check "... and answers pings" ping_ok 20 $TAP_HOST

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
check "rmmod" rmmod nicdrv
