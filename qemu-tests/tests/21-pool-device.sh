#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# /dev/nicdrvN, the pool re-exported to user space: the node, its class
# and sysfs attributes, which follow the devlink parameters; bytes the
# peer sends are found in the mapped pool buffers (seed 000 left
# device-side access to a user-mapped buffer unverified); every refusal
# (pooltest errors); 10,000 random ioctls; the device works afterwards.
# topology: tap
# timeout: 240
. /tests/lib.sh

load_driver
IF=$(iface_by_mac $TAP_MAC) || bail "no interface with MAC $TAP_MAC"
DL=$(devlink_of "$IF")
check "devlink: pool_bufs 256" dlset $DL pool_bufs 256 runtime
check "devlink: dma_bits 32, and a reload" sh -c \
	"devlink dev param set $DL name dma_bits value 32 cmode driverinit && devlink dev reload $DL"
C=$(ls -d /sys/class/net/$IF/device/nicdrv/nicdrv* 2>/dev/null)
check "the NIC has a nicdrv class device" test -n "$C"
N=$(basename "$C")
check "/sys/class/nicdrv/$N exists" test -e /sys/class/nicdrv/$N
check "its net link names $IF" test "$(basename "$(readlink $C/net)")" = "$IF"
check "/dev/$N is a character device" test -c /dev/$N
check "/dev/$N is root's, mode 0600 (devtmpfs)" test "$(stat -c '%U %a' /dev/$N)" = "root 600"
check "dma_mask_bits follows dma_bits 32" test "$(cat $C/dma_mask_bits)" = 32
check "... as the kernel's mask for the device does" test \
	"$(cat /sys/class/net/$IF/device/dma_mask_bits)" = 32
check "ring_entries follows pool_bufs 256" test "$(cat $C/ring_entries)" = 256
check "buf_size is 1536" test "$(cat $C/buf_size)" = 1536
check "no pool while down (pool_size 0)" test "$(cat $C/pool_size)" = 0
check "coherent is 0 or 1" grep -qx '[01]' $C/coherent
diag "coherent: $(cat $C/coherent)"
check "opening while down: ENETDOWN" sh -c "pooltest find $IF x 1 2>&1 | grep -q 'Network is down'"
rmmod nicdrv

setup_tap
C=$(ls -d /sys/class/net/$IF/device/nicdrv/nicdrv*)
check "a new load: ring_entries is 16384 by default" test "$(cat $C/ring_entries)" = 16384
check_cmp "buf_count once up: one per RX descriptor" "$(cat $C/buf_count)" -eq 256
check_cmp "pool_size = buf_count x 1536" "$(cat $C/pool_size)" -eq $((256 * 1536))

# Anyone may read the pool's sysfs files, so they must not wait for RTNL:
# the offline self-test holds it for seconds (QEMU stalls RX 1 s per RCTL
# write), and an unprivileged reader returns before it ends.
ethtool -t "$IF" offline >/dev/null 2>&1 &
selftest=$!
# The test closes the interface under RTNL; operstate is read without it
i=0
while [ "$(cat /sys/class/net/$IF/operstate)" != down ] && [ $i -lt 50 ]; do
	sleep 0.1
	i=$((i + 1))
done
out=$(setpriv --reuid=65534 --regid=65534 --clear-groups cat $C/pool_size)
kill -0 $selftest 2>/dev/null
check "an unprivileged read of pool_size returns while RTNL is held" test $? -eq 0
# A read that waited for RTNL would see the pool of the reopened interface
check_cmp "... and sees the interface the self-test closed (no pool)" "$out" -eq 0
wait $selftest
wait_ping $TAP_HOST

# Known bytes from the peer, found where the NIC wrote them
tag="nicdrv-seed000-$$-$(date +%s)"
host "for i in \$(seq 30); do echo '$tag' | socat -u - UDP-SENDTO:$TAP_GUEST:9999; sleep 0.2; done >/dev/null 2>&1 &"
out=$(pooltest find "$IF" "$tag" 10)
check "bytes sent by the peer are in the mapped pool" test $? -eq 0
diag "$out"
check_cmp "the first session grew the pool by ring_entries" "$(cat $C/buf_count)" -eq $((256 + $(cat $C/ring_entries)))

# Every refusal; pings keep frames coming for the checks that need some
host "ping -i 0.2 -c 100 $TAP_GUEST >/dev/null 2>&1 &"
pooltest errors "$IF" | tee -a "$RESULTS"

out=$(pooltest fuzz "$IF" 10000)
check "10,000 random ioctl calls, device sane after" test $? -eq 0
diag "$out"

check "traffic after all that" ping_ok 50 $TAP_HOST
check "rmmod with no reader" rmmod nicdrv
