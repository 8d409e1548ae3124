// SPDX-License-Identifier: GPL-2.0
/*
 * nicdrv: descriptor rings.
 *
 * Both rings live in coherent DMA memory from dma_alloc_coherent(): the CPU
 * and the NIC read and write descriptors concurrently, field by field, so
 * the memory must need no syncs.  The packet data the descriptors point to
 * uses streaming mappings instead (tx.c, pool.c).
 */
#include <linux/dma-mapping.h>
#include <linux/slab.h>

#include "nicdrv.h"

static void nicdrv_free_tx_ring(struct nicdrv_adapter *a)
{
	struct nicdrv_tx_ring *tx = &a->tx;

	if (tx->desc)
		dma_free_coherent(&a->pdev->dev, tx->size, tx->desc, tx->dma);
	tx->desc = NULL;
	kfree(tx->buf);
	tx->buf = NULL;
}

static void nicdrv_free_rx_ring(struct nicdrv_adapter *a)
{
	struct nicdrv_rx_ring *rx = &a->rx;

	if (rx->desc)
		dma_free_coherent(&a->pdev->dev, rx->size, rx->desc, rx->dma);
	rx->desc = NULL;
	kfree(rx->buf_id);
	rx->buf_id = NULL;
	nicdrv_pool_destroy(a->pool);
	a->pool = NULL;
}

static int nicdrv_alloc_tx_ring(struct nicdrv_adapter *a)
{
	struct nicdrv_tx_ring *tx = &a->tx;

	tx->count = a->tx_ring_count;
	tx->size = tx->count * sizeof(struct nicdrv_tx_desc);
	tx->buf = kcalloc(tx->count, sizeof(*tx->buf), GFP_KERNEL);
	if (!tx->buf)
		return -ENOMEM;
	/* Page aligned, which covers the 16-byte rule of SDM 3.4 */
	tx->desc = dma_alloc_coherent(&a->pdev->dev, tx->size, &tx->dma,
				      GFP_KERNEL);
	if (!tx->desc)
		return -ENOMEM;
	tx->next_to_use = 0;
	tx->next_to_clean = 0;
	return 0;
}

static int nicdrv_alloc_rx_ring(struct nicdrv_adapter *a)
{
	struct nicdrv_rx_ring *rx = &a->rx;
	unsigned int i;

	rx->count = a->rx_ring_count;
	rx->size = rx->count * sizeof(struct nicdrv_rx_desc);
	rx->buf_id = kcalloc(rx->count, sizeof(*rx->buf_id), GFP_KERNEL);
	if (!rx->buf_id)
		return -ENOMEM;
	rx->desc = dma_alloc_coherent(&a->pdev->dev, rx->size, &rx->dma,
				      GFP_KERNEL);
	if (!rx->desc)
		return -ENOMEM;
	a->pool = nicdrv_pool_create(&a->pdev->dev, rx->count);
	if (!a->pool)
		return -ENOMEM;
	/* Descriptor i always receives into pool buffer i */
	for (i = 0; i < rx->count; i++)
		rx->buf_id[i] = i;
	rx->next_to_use = 0;
	rx->next_to_clean = 0;
	rx->skb = NULL;
	rx->discard = false;
	return 0;
}

int nicdrv_alloc_rings(struct nicdrv_adapter *a)
{
	int err;

	err = nicdrv_alloc_tx_ring(a);
	if (!err)
		err = nicdrv_alloc_rx_ring(a);
	if (err)
		nicdrv_free_rings(a);
	return err;
}

void nicdrv_free_rings(struct nicdrv_adapter *a)
{
	nicdrv_free_rx_ring(a);
	nicdrv_free_tx_ring(a);
}

/* Transmit setup (SDM 14.5): ring registers, then TCTL.EN */
void nicdrv_configure_tx(struct nicdrv_adapter *a)
{
	struct nicdrv_tx_ring *tx = &a->tx;

	nicdrv_wr(a, NICDRV_TDBAL, lower_32_bits(tx->dma));
	nicdrv_wr(a, NICDRV_TDBAH, upper_32_bits(tx->dma));
	nicdrv_wr(a, NICDRV_TDLEN, tx->size);
	nicdrv_wr(a, NICDRV_TDH, 0);
	nicdrv_wr(a, NICDRV_TDT, 0);
	tx->ctx_key = 0;	/* the NIC holds no checksum context yet */

	nicdrv_wr(a, NICDRV_TIPG, NICDRV_TIPG_DEFAULT);
	/* Full duplex: collision threshold 15, collision distance 64 bytes */
	nicdrv_wr(a, NICDRV_TCTL, NICDRV_TCTL_EN | NICDRV_TCTL_PSP |
		  NICDRV_TCTL_RTLC | 0x0f << NICDRV_TCTL_CT_SHIFT |
		  0x40 << NICDRV_TCTL_COLD_SHIFT);
}

/*
 * Receive setup (SDM 14.4): ring registers only.  RCTL.EN comes last, from
 * nicdrv_hw_set_rx_mode(), once the buffers are posted.
 */
void nicdrv_configure_rx(struct nicdrv_adapter *a)
{
	struct nicdrv_rx_ring *rx = &a->rx;

	nicdrv_wr(a, NICDRV_RDBAL, lower_32_bits(rx->dma));
	nicdrv_wr(a, NICDRV_RDBAH, upper_32_bits(rx->dma));
	nicdrv_wr(a, NICDRV_RDLEN, rx->size);
	nicdrv_wr(a, NICDRV_RDH, 0);
	nicdrv_wr(a, NICDRV_RDT, 0);
}
