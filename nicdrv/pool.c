// SPDX-License-Identifier: GPL-2.0
/*
 * nicdrv: the RX packet-buffer pool.
 *
 * The pool is a set of chunks of physically contiguous pages, each chunk
 * mapped once for DMA_FROM_DEVICE with dma_map_page() and cut into eight
 * buffers (1536 bytes, three pages a chunk; with XDP 3072 bytes, six
 * pages, mapped DMA_BIDIRECTIONAL for XDP_TX: nicdrv.h); a buffer is named
 * by a 16-bit id.  The stack gets a copy of every frame, so no page ever
 * leaves the pool: the same mapping serves the pool's whole life, and
 * ownership moves between CPU and NIC only through the sync calls below.
 *
 * The pool starts with one buffer per RX descriptor.  A capture reader
 * (cap.c) maps the pages into user space and holds frames in them, so its
 * first session grows the pool by the buffers the NIC receives into while
 * the reader holds others.  The pool is reference counted: the adapter
 * holds one reference from interface up to down, and every capture
 * session one more.  The adapter's release ends DMA (the chunks are
 * unmapped then, while the device still exists); the pages themselves are
 * freed with the last reference, never under a user mapping.
 */
#include <linux/dma-mapping.h>
#include <linux/gfp.h>
#include <linux/slab.h>

#include "nicdrv.h"

static size_t nicdrv_chunk_size(const struct nicdrv_pool *pool)
{
	return pool->chunk_pages * PAGE_SIZE;
}

static void nicdrv_pool_free(struct kref *ref)
{
	struct nicdrv_pool *pool = container_of(ref, struct nicdrv_pool, ref);
	unsigned int c;

	for (c = 0; c < pool->nchunks; c++)
		free_pages_exact(nicdrv_pool_chunk_va(pool, c),
				 nicdrv_chunk_size(pool));
	kfree(pool->dma);
	kfree(pool->pages);
	kfree(pool);
}

/*
 * One chunk: alloc_pages_exact() gives physically contiguous pages,
 * zeroed, so a capture reader never sees old kernel data.  One
 * dma_map_page() covers the chunk's pages.
 */
static int nicdrv_chunk_alloc(struct nicdrv_pool *pool, struct page **pages,
			      dma_addr_t *dma)
{
	struct page *page;
	unsigned int k;
	void *va;

	va = nicdrv_fail_alloc() ? NULL :
	     alloc_pages_exact(nicdrv_chunk_size(pool), GFP_KERNEL | __GFP_ZERO);
	if (!va)
		return -ENOMEM;
	page = virt_to_page(va);
	*dma = dma_map_page(pool->dev, page, 0, nicdrv_chunk_size(pool),
			    pool->dir);
	if (dma_mapping_error(pool->dev, *dma)) {
		free_pages_exact(va, nicdrv_chunk_size(pool));
		return -ENOMEM;
	}
	for (k = 0; k < pool->chunk_pages; k++)
		pages[k] = page + k;
	return 0;
}

/*
 * Grow the pool to nbufs buffers; under RTNL.  The page and address
 * arrays are replaced by longer ones, sized for what the pool holds (a
 * pool sized for its largest future would cost 64 KiB for nothing).  NAPI
 * reads them, so the swap happens with NAPI off (pass its napi_struct
 * when it runs): a few instructions, after every chunk was allocated and
 * mapped.  New buffers reach NAPI only through a capture session's free
 * list, published after this returns.
 */
int nicdrv_pool_grow(struct nicdrv_pool *pool, unsigned int nbufs,
		     struct napi_struct *napi)
{
	unsigned int want = DIV_ROUND_UP(nbufs, NICDRV_RX_BUFS_PER_CHUNK);
	struct page **pages = NULL;
	dma_addr_t *dma = NULL;
	bool coherent = true;
	unsigned int n;

	if (want <= pool->nchunks)
		return 0;
	if (!pool->dev)
		return -ENODEV;
	if (!nicdrv_fail_alloc())
		pages = kzalloc_objs(*pages, want * pool->chunk_pages,
				     GFP_KERNEL);
	if (!nicdrv_fail_alloc())
		dma = kzalloc_objs(*dma, want, GFP_KERNEL);
	if (!pages || !dma)
		goto err_free;
	memcpy(pages, pool->pages, pool->npages * sizeof(*pages));
	memcpy(dma, pool->dma, pool->nchunks * sizeof(*dma));
	for (n = pool->nchunks; n < want; n++) {
		if (nicdrv_chunk_alloc(pool, &pages[n * pool->chunk_pages],
				       &dma[n]))
			goto err_unmap;
		/*
		 * x86 is cache coherent, and neither the direct mapping nor
		 * an IOMMU bounces these full pages: the syncs would do
		 * nothing, and rx.c skips them.  swiotlb (a DMA mask below
		 * the memory, swiotlb=force) bounces per mapping, so every
		 * chunk is asked.
		 */
		coherent &= !dma_need_sync(pool->dev, dma[n]);
	}

	if (napi)
		napi_disable(napi);
	swap(pool->pages, pages);
	swap(pool->dma, dma);
	pool->nchunks = want;
	pool->npages = want * pool->chunk_pages;
	pool->nbufs = want * NICDRV_RX_BUFS_PER_CHUNK;
	pool->coherent &= coherent;
	if (napi) {
		napi_enable(napi);
		/*
		 * A poll that used its whole budget while the disable was
		 * pending was completed by the core, not by nicdrv_poll(),
		 * so it never unmasked the interrupts the handler masked:
		 * with nothing to send, nothing would ever poll again.  A
		 * poll now unmasks them; one with nothing to do costs little.
		 */
		local_bh_disable();
		napi_schedule(napi);
		local_bh_enable();
	}
	kfree(pages);		/* the old arrays */
	kfree(dma);
	return 0;

err_unmap:
	while (n-- > pool->nchunks) {
		dma_unmap_page(pool->dev, dma[n], nicdrv_chunk_size(pool),
			       pool->dir);
		free_pages_exact(page_address(pages[n * pool->chunk_pages]),
				 nicdrv_chunk_size(pool));
	}
err_free:
	kfree(pages);
	kfree(dma);
	return -ENOMEM;
}

/*
 * A pool of nbufs buffers, all mapped; NULL when memory runs out.  xdp:
 * the geometry an XDP program needs (nicdrv.h).
 */
struct nicdrv_pool *nicdrv_pool_create(struct device *dev, unsigned int nbufs,
				       bool xdp)
{
	struct nicdrv_pool *pool;

	pool = nicdrv_fail_alloc() ? NULL : kzalloc_obj(*pool, GFP_KERNEL);
	if (!pool)
		return NULL;
	kref_init(&pool->ref);
	pool->dev = dev;
	pool->coherent = true;	/* until a chunk needs syncs */
	pool->buf_size = xdp ? NICDRV_XDP_BUF_SIZE : NICDRV_RX_BUF_SIZE;
	pool->headroom = xdp ? XDP_PACKET_HEADROOM : 0;
	pool->chunk_pages = NICDRV_RX_BUFS_PER_CHUNK * pool->buf_size /
			    PAGE_SIZE;
	pool->dir = xdp ? DMA_BIDIRECTIONAL : DMA_FROM_DEVICE;
	if (nicdrv_pool_grow(pool, nbufs, NULL)) {
		nicdrv_pool_release(pool);
		return NULL;
	}
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
	unsigned int c;

	if (!pool)
		return;
	for (c = 0; c < pool->nchunks; c++)
		dma_unmap_page(pool->dev, pool->dma[c], nicdrv_chunk_size(pool),
			       pool->dir);
	pool->dev = NULL;
	nicdrv_pool_put(pool);
}

/*
 * The NIC has written 'len' bytes at the buffer's headroom: make them
 * visible to the CPU (nothing on coherent x86, which is why rx.c skips
 * the call when pool->coherent; a bounce-buffer copy with swiotlb, a cache
 * invalidate on non-coherent machines).  Only the bytes received are
 * synced.
 */
void nicdrv_pool_sync_for_cpu(const struct nicdrv_pool *pool, u16 id,
			      unsigned int len)
{
	dma_sync_single_range_for_cpu(pool->dev,
				      pool->dma[nicdrv_pool_chunk(id)],
				      nicdrv_pool_offset(pool, id) +
				      pool->headroom, len, pool->dir);
}

/* Give the whole buffer back to the NIC before its descriptor is posted */
void nicdrv_pool_sync_for_device(const struct nicdrv_pool *pool, u16 id)
{
	dma_sync_single_range_for_device(pool->dev,
					 pool->dma[nicdrv_pool_chunk(id)],
					 nicdrv_pool_offset(pool, id),
					 pool->buf_size, pool->dir);
}

/*
 * Part of one buffer, for the CPU or for the device: the capture reader's
 * sync ioctls (the caller, chardev.c, checked the range and that the pool
 * is still mapped), and XDP_TX's frame, which the CPU may have changed
 * and the NIC now reads (xdp.c; the pool is DMA_BIDIRECTIONAL then).
 */
void nicdrv_pool_sync_range(const struct nicdrv_pool *pool, u16 id,
			    unsigned int off, unsigned int len, bool for_cpu)
{
	dma_addr_t chunk_dma = pool->dma[nicdrv_pool_chunk(id)];

	off += nicdrv_pool_offset(pool, id);
	if (for_cpu)
		dma_sync_single_range_for_cpu(pool->dev, chunk_dma, off, len,
					      pool->dir);
	else
		dma_sync_single_range_for_device(pool->dev, chunk_dma, off,
						 len, pool->dir);
}
