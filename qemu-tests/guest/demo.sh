#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# What "make demo" shows: nicdrv probing the NIC, the interface coming up,
# a ping and iperf3 against the host peer on the other side of a tap
# device, the driver's counters, and a zero-copy capture of pings.
. /tests/lib.sh

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "modprobe nicdrv"
modprobe nicdrv
dmesg | grep -E 'nicdrv [0-9a-f]{4}:'
IF=$(iface_by_mac $TAP_MAC)

step "ip link set $IF up"
ip addr add $TAP_GUEST/24 dev "$IF"
ip link set "$IF" up
wait_carrier "$IF" 5
ip -br link show "$IF"
ip -br addr show "$IF"
ethtool -i "$IF" | head -n 2
ethtool "$IF" | grep -E 'Speed|Duplex|Link detected'
wait_ping $TAP_HOST

step "ping -c 5 $TAP_HOST (the host peer)"
ping -c 5 -i 0.2 $TAP_HOST

step "iperf3 -c $TAP_HOST -t 5 (guest -> host)"
iperf3 -c $TAP_HOST -t 5 -f m | grep -E 'sender|receiver'

step "iperf3 -c $TAP_HOST -t 5 -R (host -> guest)"
iperf3 -c $TAP_HOST -t 5 -f m -R | grep -E 'sender|receiver'

step "ethtool -S $IF (excerpt)"
ethtool -S "$IF" | grep -E 'x_packets|x_bytes|csum|multi|irqs|napi_polls:'

step "ip -s link show $IF"
ip -s link show "$IF"

step "nicdrv-cap -i $IF -c 4 icmp (frames read in the mapped RX pool)"
C=$(ls -d /sys/class/net/$IF/device/nicdrv/nicdrv*)
echo "$(basename "$C"): pool $(cat $C/pool_size) bytes, $(cat $C/ring_entries) ring entries, DMA mask $(cat $C/dma_mask_bits) bits"
ping -c 6 -i 0.3 $TAP_HOST >/dev/null &
nicdrv-cap -i "$IF" -c 4 icmp
wait

step "rmmod nicdrv"
rmmod nicdrv && echo "unloaded; kernel log clean: $(dmesg | grep -cE "$LOG_BAD") bad lines"
