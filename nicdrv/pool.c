// SPDX-License-Identifier: GPL-2.0
/*
 * nicdrv: the RX packet-buffer pool.
 *
 * The pool is a set of whole pages, each mapped once for DMA_FROM_DEVICE
 * with dma_map_page() and cut into NICDRV_RX_BUF_SIZE buffers; a buffer is
 * named by a 16-bit id.  The stack gets a copy of every frame, so no page
 * ever leaves the pool: the same mapping serves the pool's whole life, and
 * ownership moves between CPU and NIC only through the two sync calls
 * below.
 *
 * The pool starts with one buffer per RX descriptor.  A capture reader
 * (cap.c) maps the pages into user space and holds frames in them, so its
 * first session grows the pool by the buffers the NIC receives into while
 * the reader holds others.  The pool is reference counted: the adapter
 * holds one reference from interface up to down, and every capture
 * session one more.  The adapter's release ends DMA (the pages are
 * unmapped then, while the device still exists); the pages themselves are
 * freed with the last reference, never under a user mapping.
 */
#include <linux/dma-mapping.h>
#include <linux/slab.h>

#include "nicdrv.h"

static void nicdrv_pool_free(struct kref *ref)
{
	struct nicdrv_pool *pool = container_of(ref, struct nicdrv_pool, ref);
	unsigned int i;

	for (i = 0; i < pool->npages; i++)
		__free_page(pool->pages[i]);
	kfree(pool->dma);
	kfree(pool->pages);
	kfree(pool);
}

/* Add pages until the pool holds nbufs buffers; under RTNL */
int nicdrv_pool_grow(struct nicdrv_pool *pool, unsigned int nbufs)
{
	unsigned int want = DIV_ROUND_UP(nbufs, NICDRV_RX_BUFS_PER_PAGE);

	if (want > pool->max_pages || !pool->dev)
		return -EINVAL;
	while (pool->npages < want) {
		/* Zeroed: a reader never sees old kernel data in a buffer */
		struct page *page = alloc_page(GFP_KERNEL | __GFP_ZERO);
		dma_addr_t dma;

		if (!page)
			return -ENOMEM;
		dma = dma_map_page(pool->dev, page, 0, PAGE_SIZE,
				   DMA_FROM_DEVICE);
		if (dma_mapping_error(pool->dev, dma)) {
			__free_page(page);
			return -ENOMEM;
		}
		pool->pages[pool->npages] = page;
		pool->dma[pool->npages] = dma;
		/*
		 * NAPI meets a new buffer only through a capture session's
		 * free list, published after this function returns.
		 */
		pool->npages++;
		pool->nbufs = pool->npages * NICDRV_RX_BUFS_PER_PAGE;
	}
	return 0;
}

/*
 * A pool of nbufs buffers that may later grow to max_bufs.  Returns NULL
 * when memory runs out.
 */
struct nicdrv_pool *nicdrv_pool_create(struct device *dev, unsigned int nbufs,
				       unsigned int max_bufs)
{
	struct nicdrv_pool *pool;

	pool = kzalloc(sizeof(*pool), GFP_KERNEL);
	if (!pool)
		return NULL;
	kref_init(&pool->ref);
	pool->dev = dev;
	pool->max_pages = DIV_ROUND_UP(max_bufs, NICDRV_RX_BUFS_PER_PAGE);
	pool->pages = kcalloc(pool->max_pages, sizeof(*pool->pages),
			      GFP_KERNEL);
	pool->dma = kcalloc(pool->max_pages, sizeof(*pool->dma), GFP_KERNEL);
	if (!pool->pages || !pool->dma || nicdrv_pool_grow(pool, nbufs)) {
		nicdrv_pool_release(pool);
		return NULL;
	}
	/* x86 is cache coherent; swiotlb bouncing would still need syncs */
	pool->coherent = !dma_need_sync(dev, pool->dma[0]);
	return pool;
}

void nicdrv_pool_get(struct nicdrv_pool *pool)
{
	kref_get(&pool->ref);
}

void nicdrv_pool_put(struct nicdrv_pool *pool)
{
	kref_put(&pool->ref, nicdrv_pool_free);
}

/*
 * The adapter is done with the pool (interface down, rings replaced): the
 * NIC is stopped, so every page is unmapped now, while the device exists.
 * A capture reader may keep the pages, never their DMA mappings.
 */
void nicdrv_pool_release(struct nicdrv_pool *pool)
{
	unsigned int i;

	if (!pool)
		return;
	for (i = 0; i < pool->npages; i++)
		dma_unmap_page(pool->dev, pool->dma[i], PAGE_SIZE,
			       DMA_FROM_DEVICE);
	pool->dev = NULL;
	nicdrv_pool_put(pool);
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

/*
 * The sync ioctls: part of one buffer the capture reader holds.  The
 * caller (chardev.c) checked the range and that the pool is still mapped.
 */
void nicdrv_pool_sync_range(const struct nicdrv_pool *pool, u16 id,
			    unsigned int off, unsigned int len, bool for_cpu)
{
	dma_addr_t page_dma = pool->dma[id / NICDRV_RX_BUFS_PER_PAGE];

	off += nicdrv_pool_offset(id);
	if (for_cpu)
		dma_sync_single_range_for_cpu(pool->dev, page_dma, off, len,
					      DMA_FROM_DEVICE);
	else
		dma_sync_single_range_for_device(pool->dev, page_dma, off, len,
						 DMA_FROM_DEVICE);
}
