// SPDX-License-Identifier: GPL-2.0
/*
 * nicdrv: the RX packet-buffer pool.
 *
 * The pool is a set of whole pages, each mapped once for DMA_FROM_DEVICE
 * with dma_map_page() when the interface comes up and unmapped when it goes
 * down.  A page holds NICDRV_RX_BUF_SIZE buffers; a buffer is named by a
 * 16-bit id.  Frames are copied out of a buffer into the skb the stack
 * gets, so no page ever leaves the driver: the same mapping serves the
 * whole lifetime of the pool, and ownership moves between CPU and NIC only
 * through the two sync calls below.
 */
#include <linux/dma-mapping.h>
#include <linux/slab.h>

#include "nicdrv.h"

static void nicdrv_pool_unmap(struct nicdrv_pool *pool, unsigned int npages)
{
	unsigned int i;

	for (i = 0; i < npages; i++) {
		dma_unmap_page(pool->dev, pool->dma[i], PAGE_SIZE,
			       DMA_FROM_DEVICE);
		__free_page(pool->pages[i]);
	}
}

struct nicdrv_pool *nicdrv_pool_create(struct device *dev, unsigned int nbufs)
{
	struct nicdrv_pool *pool;
	unsigned int i;

	pool = kzalloc(sizeof(*pool), GFP_KERNEL);
	if (!pool)
		return NULL;
	pool->dev = dev;
	pool->npages = DIV_ROUND_UP(nbufs, NICDRV_RX_BUFS_PER_PAGE);
	pool->nbufs = pool->npages * NICDRV_RX_BUFS_PER_PAGE;
	pool->pages = kcalloc(pool->npages, sizeof(*pool->pages), GFP_KERNEL);
	pool->dma = kcalloc(pool->npages, sizeof(*pool->dma), GFP_KERNEL);
	if (!pool->pages || !pool->dma)
		goto err_free;

	for (i = 0; i < pool->npages; i++) {
		/* Zeroed: whoever reads a buffer never sees old kernel data */
		struct page *page = alloc_page(GFP_KERNEL | __GFP_ZERO);
		dma_addr_t dma;

		if (!page)
			goto err_unmap;
		dma = dma_map_page(dev, page, 0, PAGE_SIZE, DMA_FROM_DEVICE);
		if (dma_mapping_error(dev, dma)) {
			__free_page(page);
			goto err_unmap;
		}
		pool->pages[i] = page;
		pool->dma[i] = dma;
	}
	return pool;

err_unmap:
	nicdrv_pool_unmap(pool, i);
err_free:
	kfree(pool->dma);
	kfree(pool->pages);
	kfree(pool);
	return NULL;
}

void nicdrv_pool_destroy(struct nicdrv_pool *pool)
{
	if (!pool)
		return;
	nicdrv_pool_unmap(pool, pool->npages);
	kfree(pool->dma);
	kfree(pool->pages);
	kfree(pool);
}

static unsigned int nicdrv_pool_offset(u16 id)
{
	return (id % NICDRV_RX_BUFS_PER_PAGE) * NICDRV_RX_BUF_SIZE;
}

/* Bus address the NIC writes to: goes into the RX descriptor */
dma_addr_t nicdrv_pool_buf_dma(const struct nicdrv_pool *pool, u16 id)
{
	return pool->dma[id / NICDRV_RX_BUFS_PER_PAGE] + nicdrv_pool_offset(id);
}

/* Kernel virtual address the CPU reads from */
void *nicdrv_pool_buf_va(const struct nicdrv_pool *pool, u16 id)
{
	return page_address(pool->pages[id / NICDRV_RX_BUFS_PER_PAGE]) +
	       nicdrv_pool_offset(id);
}

/*
 * The NIC has written 'len' bytes: make them visible to the CPU (a no-op on
 * coherent x86, a bounce-buffer copy with swiotlb, a cache invalidate on
 * non-coherent machines).  Only the bytes received are synced.
 */
void nicdrv_pool_sync_for_cpu(const struct nicdrv_pool *pool, u16 id,
			      unsigned int len)
{
	dma_sync_single_range_for_cpu(pool->dev,
				      pool->dma[id / NICDRV_RX_BUFS_PER_PAGE],
				      nicdrv_pool_offset(id), len,
				      DMA_FROM_DEVICE);
}

/* Give the whole buffer back to the NIC before its descriptor is posted */
void nicdrv_pool_sync_for_device(const struct nicdrv_pool *pool, u16 id)
{
	dma_sync_single_range_for_device(pool->dev,
					 pool->dma[id / NICDRV_RX_BUFS_PER_PAGE],
					 nicdrv_pool_offset(id),
					 NICDRV_RX_BUF_SIZE, DMA_FROM_DEVICE);
}
