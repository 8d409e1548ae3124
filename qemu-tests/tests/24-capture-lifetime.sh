#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The pool outlives what goes away under a reader:
#  - ip link down under a mapped reader: POLLERR|POLLHUP, ioctl and mmap
#    ENODEV, every mapped byte still readable;
#  - rmmod while a reader holds the device: refused (module in use), the
#    reader goes on;
#  - PCI hot-unplug (device_del) during a capture: nicdrv-cap exits
#    cleanly with its file readable; device_add brings a NIC that works
#    and captures; the log has no warning.
# topology: tap
# timeout: 300
. /tests/lib.sh

setup_tap
host "ping -i 0.05 -c 100000 $TAP_GUEST >/dev/null 2>&1 &"

pooltest hold "$IF" >/tmp/hold.log 2>&1 &
hold=$!
sleep 2
err=$(rmmod nicdrv 2>&1)
check "rmmod is refused while a reader holds the device" test $? -ne 0
diag "rmmod said: $err"
check "the reader is still there" kill -0 $hold
ip link set "$IF" down
wait $hold
check "ip link down: the mapped reader sees the end cleanly" test $? -eq 0
sed 's/^/# pooltest: /' /tmp/hold.log | tee -a "$RESULTS"
ip link set "$IF" up
wait_carrier "$IF" 5
check "up again: ping" ping_ok 20 $TAP_HOST

if [ -n "$(ls /sys/class/iommu 2>/dev/null)" ]; then
	# q35 puts the NIC on the root bus, where QEMU has no hotplug
	pass "hot-unplug # SKIP no PCI hotplug on q35's root bus"
	exit 0
fi
nicdrv-cap -i "$IF" -w /tmp/unplug.pcap -q 2>/tmp/cap.err &
cap=$!
sleep 2
check "device_del nic0" qmp '{"execute": "device_del", "arguments": {"id": "nic0"}}'
for i in $(seq 100); do
	[ -e /sys/class/net/"$IF" ] || break
	sleep 0.1
done
check "the interface is gone" test ! -e /sys/class/net/"$IF"
i=0
while kill -0 $cap 2>/dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
check "nicdrv-cap exited by itself" sh -c "! kill -0 $cap 2>/dev/null"
wait $cap
rc=$?
sed 's/^/# nicdrv-cap: /' /tmp/cap.err | tee -a "$RESULTS"
check "... with status 1 and a clear message" sh -c "[ $rc -eq 1 ] && grep -q 'went away' /tmp/cap.err"
check_cmp "... leaving a readable file with the frames it had" \
	"$(tcpdump -r /tmp/unplug.pcap -nn 2>/dev/null | wc -l)" -gt 10
check "no /dev/nicdrv node left" sh -c '! ls /dev/nicdrv* 2>/dev/null'

# QEMU frees the old device once the guest has ejected it, which may come
# after the interface is gone: until then the id is taken
add='{"execute": "device_add", "arguments": {"driver": "e1000", "netdev": "n0", "mac": "'$TAP_MAC'", "id": "nic0"}}'
for i in $(seq 100); do
	reply=$(qmp "$add") && break
	sleep 0.2
done
check "device_add e1000 (after $i tries)" test "$i" -lt 100
diag "device_add: $reply"
for i in $(seq 100); do
	IF=$(iface_by_mac $TAP_MAC) && break
	sleep 0.1
done
check "a new interface appeared" test -n "$IF"
ip addr add $TAP_GUEST/24 dev "$IF"
ip link set "$IF" up
wait_carrier "$IF" 5
check "the new interface works" sh -c "ping -c 20 -i 0.05 -q $TAP_HOST | grep -q ' 0% packet loss'"
check "and captures" sh -c "nicdrv-cap -i $IF -c 5 icmp >/dev/null 2>&1"
check "rmmod with no reader" rmmod nicdrv
