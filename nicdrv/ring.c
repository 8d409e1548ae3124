// SPDX-License-Identifier: GPL-2.0
/*
 * nicdrv: descriptor rings.
 *
 * Both rings live in coherent DMA memory from dma_alloc_coherent(): the CPU
 * and the NIC read and write descriptors concurrently, field by field, so
 * the memory must need no syncs.  The packet data the descriptors point to
 * uses streaming mappings instead (tx.c, pool.c), except for small frames
 * sent by copy: the TX copy area is coherent too, written by the CPU and
 * read by the NIC with no map, unmap or sync per frame (tx.c).
 */
#include <linux/dma-mapping.h>
#include <linux/slab.h>

#include "nicdrv.h"

static void nicdrv_free_tx_mem(struct device *dev, struct nicdrv_tx_ring *tx)
{
	if (tx->desc)
		dma_free_coherent(dev, tx->size, tx->desc, tx->dma);
	tx->desc = NULL;
	if (tx->copy)
		dma_free_coherent(dev, tx->count * NICDRV_TX_COPY_SLOT,
				  tx->copy, tx->copy_dma);
	tx->copy = NULL;
	kfree(tx->buf);
	tx->buf = NULL;
}

static void nicdrv_free_rx_mem(struct device *dev, struct nicdrv_rx_ring *rx)
{
	if (rx->desc)
		dma_free_coherent(dev, rx->size, rx->desc, rx->dma);
	rx->desc = NULL;
	kfree(rx->buf_id);
	rx->buf_id = NULL;
	kfree(rx->xdp_spare);
	rx->xdp_spare = NULL;
	rx->xdp_nspare = 0;
	kfree(rx->xsk_buf);
	rx->xsk_buf = NULL;
	rx->xsk = NULL;
	nicdrv_pool_release(rx->pool);
	rx->pool = NULL;
}

static int nicdrv_alloc_tx_mem(struct device *dev, struct nicdrv_tx_ring *tx,
			       unsigned int count)
{
	tx->count = count;
	tx->size = count * sizeof(struct nicdrv_tx_desc);
	tx->buf = nicdrv_fail_alloc() ? NULL :
		  kzalloc_objs(*tx->buf, count, GFP_KERNEL);
	if (!tx->buf)
		return -ENOMEM;
	/* Page aligned, which covers the 16-byte rule of SDM 3.4 */
	tx->desc = nicdrv_fail_alloc() ? NULL :
		   dma_alloc_coherent(dev, tx->size, &tx->dma, GFP_KERNEL);
	if (!tx->desc)
		return -ENOMEM;
	tx->copy = nicdrv_fail_alloc() ? NULL :
		   dma_alloc_coherent(dev, count * NICDRV_TX_COPY_SLOT,
				      &tx->copy_dma, GFP_KERNEL);
	return tx->copy ? 0 : -ENOMEM;
}

/*
 * xdp: the pool in XDP's geometry (nicdrv.h), with a spare buffer for
 * every TX descriptor: a buffer XDP_TX sends stays on the TX ring until
 * completion, and its RX descriptor is posted again with a spare.
 */
static int nicdrv_alloc_rx_mem(struct device *dev, struct nicdrv_rx_ring *rx,
			       unsigned int count, unsigned int tx_count,
			       bool xdp)
{
	unsigned int spares = xdp ? tx_count : 0;
	unsigned int i;

	rx->count = count;
	rx->size = count * sizeof(struct nicdrv_rx_desc);
	rx->buf_id = nicdrv_fail_alloc() ? NULL :
		     kzalloc_objs(*rx->buf_id, count, GFP_KERNEL);
	if (!rx->buf_id)
		return -ENOMEM;
	rx->desc = nicdrv_fail_alloc() ? NULL :
		   dma_alloc_coherent(dev, rx->size, &rx->dma, GFP_KERNEL);
	if (!rx->desc)
		return -ENOMEM;
	/* AF_XDP zero-copy (xsk.c): a UMEM frame's place per descriptor */
	rx->xsk_buf = nicdrv_fail_alloc() ? NULL :
		      kzalloc_objs(*rx->xsk_buf, count, GFP_KERNEL);
	if (!rx->xsk_buf)
		return -ENOMEM;
	if (spares) {
		rx->xdp_spare = nicdrv_fail_alloc() ? NULL :
				kzalloc_objs(*rx->xdp_spare, spares, GFP_KERNEL);
		if (!rx->xdp_spare)
			return -ENOMEM;
	}
	rx->pool = nicdrv_pool_create(dev, count + spares, xdp);
	if (!rx->pool)
		return -ENOMEM;
	/*
	 * Descriptor i starts with pool buffer i; a capture session (cap.c)
	 * swaps in a spare buffer for each one it hands to its reader, and
	 * XDP_TX for each one it sends.
	 */
	for (i = 0; i < count; i++)
		rx->buf_id[i] = i;
	for (i = 0; i < spares; i++)
		rx->xdp_spare[i] = count + i;
	rx->xdp_nspare = spares;
	return 0;
}

/*
 * Allocate the memory behind both rings: descriptors, bookkeeping and the
 * RX pool.  Into the adapter's own rings at open, into spare ring structs
 * when ethtool -G resizes a running interface.  All or nothing.
 */
int nicdrv_alloc_rings(struct device *dev, struct nicdrv_tx_ring *tx,
		       struct nicdrv_rx_ring *rx, unsigned int tx_count,
		       unsigned int rx_count, bool xdp)
{
	int err;

	err = nicdrv_alloc_tx_mem(dev, tx, tx_count);
	if (!err)
		err = nicdrv_alloc_rx_mem(dev, rx, rx_count, tx_count, xdp);
	if (err)
		nicdrv_free_rings(dev, tx, rx);
	return err;
}

void nicdrv_free_rings(struct device *dev, struct nicdrv_tx_ring *tx,
		       struct nicdrv_rx_ring *rx)
{
	nicdrv_free_rx_mem(dev, rx);
	nicdrv_free_tx_mem(dev, tx);
}

/*
 * Exchange ring memory between the adapter and spare ring structs; the
 * counters stay with the adapter.  Only while the NIC is halted.
 */
void nicdrv_swap_rings(struct nicdrv_adapter *a, struct nicdrv_tx_ring *tx,
		       struct nicdrv_rx_ring *rx)
{
	swap(a->tx.desc, tx->desc);
	swap(a->tx.dma, tx->dma);
	swap(a->tx.count, tx->count);
	swap(a->tx.size, tx->size);
	swap(a->tx.buf, tx->buf);
	swap(a->tx.copy, tx->copy);
	swap(a->tx.copy_dma, tx->copy_dma);
	swap(a->rx.desc, rx->desc);
	swap(a->rx.dma, rx->dma);
	swap(a->rx.count, rx->count);
	swap(a->rx.size, rx->size);
	swap(a->rx.buf_id, rx->buf_id);
	swap(a->rx.xdp_spare, rx->xdp_spare);
	swap(a->rx.xdp_nspare, rx->xdp_nspare);
	swap(a->rx.xsk_buf, rx->xsk_buf);
	swap(a->rx.pool, rx->pool);
}

/* Transmit setup (SDM 14.5): ring registers, then TCTL.EN */
void nicdrv_configure_tx(struct nicdrv_adapter *a)
{
	struct nicdrv_tx_ring *tx = &a->tx;

	/*
	 * The ring memory outlives a reset, a resume and a TX timeout: no DD
	 * written before them may pass for a completion now.
	 */
	memset(tx->desc, 0, tx->size);
	nicdrv_wr(a, NICDRV_TDBAL, lower_32_bits(tx->dma));
	nicdrv_wr(a, NICDRV_TDBAH, upper_32_bits(tx->dma));
	nicdrv_wr(a, NICDRV_TDLEN, tx->size);
	nicdrv_wr(a, NICDRV_TDH, 0);
	nicdrv_wr(a, NICDRV_TDT, 0);
	tx->next_to_use = 0;
	tx->next_to_clean = 0;
	tx->ctx_key = 0;	/* the NIC holds no checksum context yet */

	nicdrv_wr(a, NICDRV_TIPG, NICDRV_TIPG_DEFAULT);
	/* Full duplex: collision threshold 15, collision distance 64 bytes */
	nicdrv_wr(a, NICDRV_TCTL, NICDRV_TCTL_EN | NICDRV_TCTL_PSP |
		  NICDRV_TCTL_RTLC | FIELD_PREP(NICDRV_TCTL_CT, 0x0f) |
		  FIELD_PREP(NICDRV_TCTL_COLD, 0x40));
}

/*
 * Receive setup (SDM 14.4): ring registers only.  RCTL.EN comes last, from
 * nicdrv_hw_set_rx_mode(), once the buffers are posted.
 */
void nicdrv_configure_rx(struct nicdrv_adapter *a)
{
	struct nicdrv_rx_ring *rx = &a->rx;

	/* As for TX: no DD from before a reset may pass for a new frame */
	memset(rx->desc, 0, rx->size);
	nicdrv_wr(a, NICDRV_RDBAL, lower_32_bits(rx->dma));
	nicdrv_wr(a, NICDRV_RDBAH, upper_32_bits(rx->dma));
	nicdrv_wr(a, NICDRV_RDLEN, rx->size);
	nicdrv_wr(a, NICDRV_RDH, 0);
	nicdrv_wr(a, NICDRV_RDT, 0);
	rx->next_to_use = 0;
	rx->next_to_clean = 0;
	rx->discard = false;	/* rx->skb was freed by nicdrv_rx_drain() */
}

/*
 * Steps 1-5 of the bring-up, after the SDM's initialisation (chapter
 * 14), receiver still off; nicdrv_start() in main.c goes on from
 * step 6.  Shared by bring-up and the loopback self-test.
 */
void nicdrv_program(struct nicdrv_adapter *a)
{
	/*
	 * 1. Reset, interrupts masked (SDM 13.4.1).  QEMU ignores CTRL.RST,
	 * so hw.c writes every register nicdrv relies on after it.
	 */
	nicdrv_hw_reset(a);
	/* 2. General configuration: link up at the PHY's speed (14.3) */
	nicdrv_hw_link_setup(a);
	/* 3. The station address in RA[0] (14.4) */
	nicdrv_hw_set_ra(a, 0, a->netdev->dev_addr);
	/* 4. Transmit: ring registers, TIPG, TCTL.EN (14.5) */
	nicdrv_configure_tx(a);
	/* 5. Receive: ring registers, then the buffers posted (14.4) */
	nicdrv_configure_rx(a);
	nicdrv_rx_post(a);
}
