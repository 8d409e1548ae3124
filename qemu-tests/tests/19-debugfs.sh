#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The DMA tour in debugfs: ring sizes and indices agree with the NIC's
# registers; each ring shows its virtual, physical and DMA address; the
# DMA address equals the physical one without an IOMMU and differs under
# one (make check-iommu); descriptors point into the RX pool; traffic
# flows either way.
# topology: tap
. /tests/lib.sh

setup_tap
D=/sys/kernel/debug/nicdrv/$(basename "$(readlink /sys/class/net/$IF/device)")
check "debugfs folder for the NIC" test -d "$D"
check "rings is readable by root only" test "$(stat -c %a "$D/rings")" = 400
check "traffic" ping_ok 50 $TAP_HOST
sleep 0.5
rings=$(cat "$D/rings")
echo "$rings" | sed 's/^/# /' | tee -a "$RESULTS"
field() {	# field RING NAME: the value after NAME in RING's block
	echo "$rings" | awk -v r="$1 ring" -v n="$2" '
		index($0, r) == 1 { in_r = 1; next }
		/ring:|pool:/ { in_r = 0 }
		in_r { for (i = 1; i < NF; i++) if ($i == n) { print $(i + 1); exit } }'
}
check "tx ring: 256 descriptors" sh -c "echo '$rings' | grep -q '^tx ring: 256 descriptors, 4096 bytes'"
check "rx ring: 256 descriptors" sh -c "echo '$rings' | grep -q '^rx ring: 256 descriptors, 4096 bytes'"
check "tx next_to_use = TDT" test "$(field tx next_to_use)" = "$(field tx TDT)"
check "rx next_to_use = RDT" test "$(field rx next_to_use)" = "$(field rx RDT)"
# The pool's syncs are skipped exactly where sysfs calls it coherent
# (29-bounce has them made)
C=$(ls -d /sys/class/net/$IF/device/nicdrv/nicdrv*)
syncs=$(echo "$rings" | awk '$1 == "syncs:" { print $2 }')
check "the pool's syncs ($syncs) follow sysfs coherent ($(cat $C/coherent))" \
	test "$syncs" = "$([ "$(cat $C/coherent)" = 1 ] && echo skipped || echo made)"

if [ -n "$(ls /sys/class/iommu 2>/dev/null)" ]; then
	diag "an IOMMU translates this NIC's DMA"
	check "tx ring: DMA address is not the physical one" \
		test "$(field tx dma)" != "$(field tx physical)"
	check "rx ring: DMA address is not the physical one" \
		test "$(field rx dma)" != "$(field rx physical)"
else
	diag "no IOMMU: bus addresses are physical addresses"
	check "tx ring: DMA address = physical" test "$(field tx dma)" = "$(field tx physical)"
	check "rx ring: DMA address = physical" test "$(field rx dma)" = "$(field rx physical)"
fi

head -n 3 "$D/rx_pool" | sed 's/^/# /' | tee -a "$RESULTS"
pages=$(tail -n +2 "$D/rx_pool" | wc -l)
check_cmp "rx_pool lists 96 pages (256 buffers of 1536 bytes)" "$pages" -eq 96
pool_dma() { awk -v p="$1" '$1 == p { print $4 }' "$D/rx_pool" | sed 's/^0x//'; }
desc_dma() { awk -v d="$1" '$1 == d { print $2 }' "$D/rx_desc"; }
page0=$(pool_dma 0)
desc0=$(desc_dma 0)
check "rx descriptor 0 points at pool page 0 ($page0)" test "$desc0" = "$page0"
# Eight buffers to a chunk of three pages, one mapping per chunk
check_cmp "rx descriptor 7 points 7 x 1536 bytes further" \
	$((0x$(desc_dma 7) - 0x$desc0)) -eq $((7 * 1536))
check "rx descriptor 8 points at pool page 3, the second chunk" \
	test "$(desc_dma 8)" = "$(pool_dma 3)"
check_cmp "tx_desc lists every descriptor" "$(tail -n +2 "$D/tx_desc" | wc -l)" -eq 256

ip link set "$IF" down
check "down: no rings to show" grep -q 'interface down' "$D/rings"
ip link set "$IF" up
wait_carrier "$IF" 5
wait_ping $TAP_HOST
check "traffic after down/up" ping_ok 20 $TAP_HOST
