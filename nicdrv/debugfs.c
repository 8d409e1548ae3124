// SPDX-License-Identifier: GPL-2.0
/*
 * nicdrv: a live tour of the driver's DMA memory, in debugfs (root only).
 *
 * /sys/kernel/debug/nicdrv/<pci-address>/
 *   rings     for each ring: size, next_to_use/next_to_clean, the NIC's
 *             head and tail, and the ring's three addresses: kernel
 *             virtual (what the CPU uses), physical (what the memory
 *             controller sees), DMA or bus (what the NIC is given)
 *   rx_pool   the same three addresses for every RX pool page
 *   tx_desc   every TX descriptor as the NIC sees it
 *   rx_desc   every RX descriptor as the NIC sees it
 *   view      the live ring view's snapshot, for tools/nicdrv-top (view.c)
 *   tx_timeout  write-only: run the TX timeout handler as the watchdog
 *             would, so that the tests can reset the NIC under a flood
 *
 * /sys/kernel/debug/nicdrv/fail_alloc, fail_dma_map: fault attributes for
 * the tests, on kernels with fault injection (nicdrv.h).
 *
 * Without an IOMMU the DMA address equals the physical one; with one, the
 * NIC sees an I/O virtual address that the IOMMU translates.  The files
 * show real kernel addresses on purpose (what %px would print), which is
 * why they are readable by root only.  Readers hold RTNL, so no ring is
 * freed or replaced while it is shown.
 */
#include <linux/debugfs.h>
#include <linux/fault-inject.h>
#include <linux/io.h>
#include <linux/mm.h>
#include <linux/rtnetlink.h>
#include <linux/seq_file.h>

#include "nicdrv.h"

static struct dentry *nicdrv_dbg_root;

#ifdef CONFIG_FAULT_INJECTION
/* Each call is one unit of "space": space=N makes the N-th call fail */
static DECLARE_FAULT_ATTR(nicdrv_fail_alloc_attr);
static DECLARE_FAULT_ATTR(nicdrv_fail_dma_map_attr);

bool nicdrv_fail_alloc(void)
{
	return should_fail(&nicdrv_fail_alloc_attr, 1);
}

bool nicdrv_fail_dma_map(void)
{
	return should_fail(&nicdrv_fail_dma_map_attr, 1);
}
#endif

/* Coherent memory may be remapped (vmalloc space): find its page first */
phys_addr_t nicdrv_virt_to_phys(void *va)
{
	if (is_vmalloc_addr(va))
		return page_to_phys(vmalloc_to_page(va)) + offset_in_page(va);
	return virt_to_phys(va);
}

static void nicdrv_show_addrs(struct seq_file *m, void *va,
			      dma_addr_t dma)
{
	phys_addr_t pa = nicdrv_virt_to_phys(va);

	seq_printf(m, "  virtual   0x%lx\n", (unsigned long)va);
	seq_printf(m, "  physical  %pa\n", &pa);
	seq_printf(m, "  dma       %pad%s\n", &dma,
		   dma == pa ? "" : "   (not the physical address: IOMMU)");
}

static int nicdrv_rings_show(struct seq_file *m, void *unused)
{
	struct nicdrv_adapter *a = m->private;

	rtnl_lock();
	if (!a->tx.desc) {
		seq_puts(m, "interface down: no rings\n");
		goto out;
	}
	seq_printf(m, "tx ring: %u descriptors, %u bytes (dma_alloc_coherent)\n",
		   a->tx.count, a->tx.size);
	seq_printf(m, "  next_to_use %u  next_to_clean %u  TDH %u  TDT %u\n",
		   a->tx.next_to_use, a->tx.next_to_clean,
		   nicdrv_rd(a, NICDRV_TDH), nicdrv_rd(a, NICDRV_TDT));
	nicdrv_show_addrs(m, a->tx.desc, a->tx.dma);
	seq_printf(m, "rx ring: %u descriptors, %u bytes (dma_alloc_coherent)\n",
		   a->rx.count, a->rx.size);
	seq_printf(m, "  next_to_use %u  next_to_clean %u  RDH %u  RDT %u\n",
		   a->rx.next_to_use, a->rx.next_to_clean,
		   nicdrv_rd(a, NICDRV_RDH), nicdrv_rd(a, NICDRV_RDT));
	nicdrv_show_addrs(m, a->rx.desc, a->rx.dma);
	seq_printf(m, "rx pool: %u pages in %u chunks, %u buffers of %u bytes (dma_map_page, %s)\n",
		   a->rx.pool->npages, a->rx.pool->nchunks, a->rx.pool->nbufs,
		   a->rx.pool->buf_size,
		   a->rx.pool->dir == DMA_BIDIRECTIONAL ? "DMA_BIDIRECTIONAL" :
		   "DMA_FROM_DEVICE");
	if (a->rx.pool->headroom)
		seq_printf(m, "  XDP: frames %u bytes in, %u spare buffers for XDP_TX\n",
			   a->rx.pool->headroom, a->rx.xdp_nspare);
	/* Whether rx.c calls the syncs: pool.c, nicdrv_pool_grow() */
	seq_printf(m, "  syncs: %s\n", a->rx.pool->coherent ?
		   "skipped (coherent, nothing bounced)" : "made");
	/* xsk.c: the descriptors point into a socket's UMEM instead */
	if (a->rx.xsk)
		seq_puts(m, "rx buffers: AF_XDP zero-copy, UMEM frames of the socket's fill ring (xsk_pool_dma_map)\n");
	else if (a->xsk_pool)
		seq_puts(m, "tx: AF_XDP zero-copy socket bound (no program: RX uses the pool)\n");
out:
	rtnl_unlock();
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(nicdrv_rings);

static int nicdrv_rx_pool_show(struct seq_file *m, void *unused)
{
	struct nicdrv_adapter *a = m->private;
	struct nicdrv_pool *pool;
	unsigned int i;

	rtnl_lock();
	pool = a->rx.pool;
	if (!pool) {
		seq_puts(m, "interface down: no pool\n");
		goto out;
	}
	seq_puts(m, "page  virtual             physical            dma\n");
	for (i = 0; i < pool->npages; i++) {
		phys_addr_t pa = page_to_phys(pool->pages[i]);
		/* One mapping per chunk: its pages follow in bus space too */
		dma_addr_t dma = pool->dma[i / pool->chunk_pages] +
				 (i % pool->chunk_pages) * PAGE_SIZE;

		seq_printf(m, "%4u  0x%lx  %pa  %pad\n", i,
			   (unsigned long)page_address(pool->pages[i]), &pa,
			   &dma);
	}
out:
	rtnl_unlock();
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(nicdrv_rx_pool);

static int nicdrv_tx_desc_show(struct seq_file *m, void *unused)
{
	struct nicdrv_adapter *a = m->private;
	unsigned int i;

	rtnl_lock();
	seq_puts(m, "desc  buffer_addr       lower     upper\n");
	for (i = 0; a->tx.desc && i < a->tx.count; i++) {
		struct nicdrv_tx_desc *d = &a->tx.desc[i];

		seq_printf(m, "%4u  %016llx  %08x  %08x\n", i,
			   le64_to_cpu(READ_ONCE(d->buffer_addr)),
			   le32_to_cpu(READ_ONCE(d->lower)),
			   le32_to_cpu(READ_ONCE(d->upper)));
	}
	rtnl_unlock();
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(nicdrv_tx_desc);

static int nicdrv_rx_desc_show(struct seq_file *m, void *unused)
{
	struct nicdrv_adapter *a = m->private;
	unsigned int i;

	rtnl_lock();
	seq_puts(m, "desc  buffer_addr       length  status  errors  special\n");
	for (i = 0; a->rx.desc && i < a->rx.count; i++) {
		struct nicdrv_rx_desc *d = &a->rx.desc[i];

		seq_printf(m, "%4u  %016llx  %6u  %02x      %02x      %04x\n", i,
			   le64_to_cpu(READ_ONCE(d->buffer_addr)),
			   le16_to_cpu(READ_ONCE(d->length)), READ_ONCE(d->status),
			   READ_ONCE(d->errors),
			   le16_to_cpu(READ_ONCE(d->special)));
	}
	rtnl_unlock();
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(nicdrv_rx_desc);

/* The watchdog's call, for a test: count, log, schedule the reset */
static ssize_t nicdrv_tx_timeout_write(struct file *file,
				       const char __user *buf, size_t len,
				       loff_t *pos)
{
	struct nicdrv_adapter *a = file->private_data;

	a->netdev->netdev_ops->ndo_tx_timeout(a->netdev, 0);
	return len;
}

static const struct file_operations nicdrv_tx_timeout_fops = {
	.owner	= THIS_MODULE,
	.open	= simple_open,
	.write	= nicdrv_tx_timeout_write,
	.llseek	= noop_llseek,
};

void nicdrv_debugfs_add(struct nicdrv_adapter *a)
{
	a->dbg = debugfs_create_dir(pci_name(a->pdev), nicdrv_dbg_root);
	debugfs_create_file("rings", 0400, a->dbg, a, &nicdrv_rings_fops);
	debugfs_create_file("rx_pool", 0400, a->dbg, a, &nicdrv_rx_pool_fops);
	debugfs_create_file("tx_desc", 0400, a->dbg, a, &nicdrv_tx_desc_fops);
	debugfs_create_file("rx_desc", 0400, a->dbg, a, &nicdrv_rx_desc_fops);
	debugfs_create_file("view", 0600, a->dbg, a, &nicdrv_view_fops);
	debugfs_create_file("tx_timeout", 0200, a->dbg, a,
			    &nicdrv_tx_timeout_fops);
}

void nicdrv_debugfs_del(struct nicdrv_adapter *a)
{
	debugfs_remove_recursive(a->dbg);
	a->dbg = NULL;
}

void nicdrv_debugfs_init(void)
{
	nicdrv_dbg_root = debugfs_create_dir(NICDRV_NAME, NULL);
#ifdef CONFIG_FAULT_INJECTION_DEBUG_FS
	fault_create_debugfs_attr("fail_alloc", nicdrv_dbg_root,
				  &nicdrv_fail_alloc_attr);
	fault_create_debugfs_attr("fail_dma_map", nicdrv_dbg_root,
				  &nicdrv_fail_dma_map_attr);
#endif
}

void nicdrv_debugfs_exit(void)
{
	debugfs_remove_recursive(nicdrv_dbg_root);
}
