#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Every streaming mapping bounced through swiotlb (swiotlb=force): the NIC
# then writes into a bounce buffer, and the CPU sees a frame only after
# dma_sync_single_range_for_cpu() copies it back.  On a coherent machine
# without bouncing rx.c skips the syncs (pool.c, dma_need_sync()), so this
# is the test that they are made where they must be: the pool says it
# needs them, checked UDP payloads of every size arrive intact, TCP runs
# both ways, a capture reader finds a ping's pattern in the mapped pool
# buffers, and XDP_TX sends frames as the program rewrote them (the sync
# for the device of a DMA_BIDIRECTIONAL pool).  Under the vIOMMU tiers the IOMMU maps instead of
# bouncing, and only the payload checks apply.
# topology: tap
# append: swiotlb=force
# timeout: 240
. /tests/lib.sh

setup_tap
D=/sys/kernel/debug/nicdrv/$(basename "$(readlink -f /sys/class/net/$IF/device)")
C=$(ls -d /sys/class/net/$IF/device/nicdrv/nicdrv*)
syncs=$(awk '$1 == "syncs:" { print $2 }' "$D/rings")
diag "pool syncs: $syncs; sysfs coherent: $(cat $C/coherent)"
if [ -z "$(ls /sys/class/iommu 2>/dev/null)" ]; then
	check "swiotlb=force: the pool needs its syncs" test "$syncs" = made
	check "... and sysfs says the pool is not coherent" test "$(cat $C/coherent)" = 0
else
	diag "an IOMMU maps the pool: no bounce buffers to check"
fi

# Checked datagrams from the host, every size up to a full frame
PORT=9100
rm -f /tmp/ready
udpseq recv $PORT 2000 /tmp/ready >/tmp/recv.out &
rpid=$!
while [ ! -e /tmp/ready ]; do sleep 0.1; done
check "the host sends checked datagrams for 3 s" \
	host "udpseq send $TAP_GUEST $PORT 3 18,64,700,1472 >/dev/null"
wait $rpid
set -- $(cat /tmp/recv.out)
diag "udpseq: $*"
check_cmp "datagrams received" "$2" -gt 1000
check_cmp "no datagram twice" "$6" -eq 0
check_cmp "every payload intact (the sync for the CPU came first)" "$8" -eq 0

check "TCP in, 2 s" sh -c "iperf3 -c $TAP_HOST -R -t 2 >/tmp/in.log 2>&1"
check "TCP out, 2 s" sh -c "iperf3 -c $TAP_HOST -t 2 >/tmp/out.log 2>&1"
diag "TCP in $(awk '/receiver/ { print $7, $8 }' /tmp/in.log), out $(awk '/receiver/ { print $7, $8 }' /tmp/out.log)"

# The reader maps the pool's own pages: the pattern must be there, not
# in a bounce buffer only
nicdrv-cap -i "$IF" -w /tmp/b.pcap -q icmp 2>/tmp/b.err &
cap=$!
sleep 2
check "20 patterned pings from the host" host "ping -q -c 20 -i 0.05 -s 1000 -p a5 $TAP_GUEST"
sleep 0.5
kill -TERM $cap
wait $cap
n=$(tcpdump -r /tmp/b.pcap -nn 'icmp[icmptype] = 8' 2>/dev/null | wc -l)
p=$(tcpdump -r /tmp/b.pcap -nn -x 'icmp[icmptype] = 8' 2>/dev/null |
	grep -c 'a5a5 a5a5 a5a5 a5a5 a5a5 a5a5 a5a5 a5a5')
diag "captured $n echo requests, $p lines of the pattern"
check_cmp "the capture has the 20 requests" "$n" -eq 20
check_cmp "... with their payload (60 lines of 16 bytes each or more)" "$p" -ge $((20 * 60))

# XDP_TX sends from the buffer the NIC wrote, after the program swapped
# its MAC addresses: the sync for the device must copy the change into
# the bounce buffer, or the NIC sends the frame as it came in (source:
# the host's MAC).  The host counts what its tap receives from the guest.
check "attach nicdrv_tx (XDP)" ip link set dev "$IF" xdpdrv obj /tests/nicdrv_xdp.o program nicdrv_tx
d="/tmp/nicdrv-\$(ip netns identify)"
host "mkdir -p $d; timeout 10 tcpdump -i ndtap0 -Q in -nn -e -w $d/xdp.pcap udp dst port $PORT >/dev/null 2>&1 &"
sleep 2
tx0=$(ethstat "$IF" rx_xdp_tx)
check "the host sends datagrams for XDP_TX" \
	host "udpseq send $TAP_GUEST $PORT 2 64,1472 >/dev/null"
n=$(($(ethstat "$IF" rx_xdp_tx) - tx0))
sleep 9
set -- $(host "tcpdump -r $d/xdp.pcap -nn -e 2>/dev/null | awk '{ n++; if (\$2 == \"$TAP_MAC\") s++ } END { print n + 0, s + 0 }'")
diag "XDP_TX: $n frames sent back; the host received $1 of them, $2 with the guest's MAC as source"
check_cmp "XDP_TX under swiotlb: frames came back" "$1" -gt 100
check_cmp "... every one as the program left it (MACs swapped)" "$2" -eq "$1"
ip link set dev "$IF" xdpdrv off
check "no RX errors" errors_zero "$IF"
