// SPDX-License-Identifier: GPL-2.0
/*
 * nicdrv: the live ring view, debugfs nicdrv/<pci-address>/view, which
 * tools/nicdrv-top draws several times a second.  uapi/nicdrv.h gives
 * the format; docs/design.md ("The live ring view") how to read it.
 *
 * Each read from offset 0 is one snapshot: both rings' four indexes and
 * every descriptor's DD and EOP bits, the counters the tool turns into
 * rates, the capture ring's fill and, if the reader chose one by writing
 * "tx N" or "rx N", one descriptor with its buffer's three addresses.
 *
 * Sampling never stops the datapath.  RTNL keeps the rings and the pool
 * from being freed or replaced while they are read; neither NAPI nor
 * ndo_start_xmit takes it, so both keep running and may move between two
 * lines of a snapshot: it is a sample, not an atomic picture.  The four
 * indexes of a ring are read first, back to back, from the one that
 * trails to the one that leads (see nicdrv_view_ring()), and read again
 * if they came out of order.  The datapath pays nothing for the view:
 * every counter here exists for ethtool -S already, and the view counts
 * its own register reads (the heads and tails) so that the tool leaves
 * them out of the rates.
 */
#include <linux/debugfs.h>
#include <linux/iommu.h>
#include <linux/mm.h>
#include <linux/rtnetlink.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <net/xdp_sock_drv.h>

#include "nicdrv.h"

/* Tries at a ring's indexes before the snapshot says they are torn */
#define NICDRV_VIEW_TRIES	4

/* Room for the largest snapshot, so that seq_file runs show() once */
#define NICDRV_VIEW_SIZE	(2 * NICDRV_MAX_RING + 4096)

/* One open file: its reader's choice of descriptor */
struct nicdrv_view {
	struct nicdrv_adapter *a;
	char sel_ring;			/* 't', 'r', or 0: none */
	u32 sel;
};

/* The domain that translates the NIC's addresses; NULL: none does */
static struct iommu_domain *nicdrv_view_domain(struct nicdrv_adapter *a)
{
	struct iommu_domain *dom = iommu_get_domain_for_dev(&a->pdev->dev);

	return dom && dom->type != IOMMU_DOMAIN_IDENTITY ? dom : NULL;
}

/* How far "to" is ahead of "from" around a ring of count */
static unsigned int nicdrv_view_dist(u32 from, u32 to, unsigned int count)
{
	return (to + count - from) % count;
}

/*
 * A ring's line: COUNT NTC HEAD TAIL NTU.  Around the ring these follow
 * each other in this order at every instant (next_to_clean trails the
 * NIC's head, the head trails the tail, the tail trails or equals
 * next_to_use), and each only moves forward.  Read in this order, each
 * value is at least as new as the one before it, so the order holds in
 * the snapshot too, unless the ring moved most of a lap while the four
 * were read (a preempted reader, a small ring under a flood) or the NIC
 * answers nonsense (all ones during a reset).  Then the distances no
 * longer add up to less than the ring: read again, and after
 * NICDRV_VIEW_TRIES say "torn" rather than draw a wrong picture.
 */
static void nicdrv_view_ring(struct seq_file *m, struct nicdrv_adapter *a,
			     const char *name, unsigned int count,
			     const u16 *ntc, u32 head_reg, u32 tail_reg,
			     const u16 *ntu, u64 *reads)
{
	unsigned int try, c, h, t, u;
	bool ok;

	for (try = 0; try < NICDRV_VIEW_TRIES; try++) {
		c = READ_ONCE(*ntc);
		h = nicdrv_rd(a, head_reg);
		t = nicdrv_rd(a, tail_reg);
		u = READ_ONCE(*ntu);
		*reads += 2;
		ok = c < count && h < count && t < count && u < count &&
		     nicdrv_view_dist(c, h, count) + nicdrv_view_dist(h, t, count) +
		     nicdrv_view_dist(t, u, count) < count;
		if (ok)
			break;
	}
	seq_printf(m, "%s %u %u %u %u %u%s\n", name, count, c, h, t, u,
		   ok ? "" : " torn");
}

/* SDM 3.3.6: DEXT with DTYP 0000 is a context descriptor, no buffer */
static bool nicdrv_view_tx_ctx(u32 lower)
{
	return (lower & NICDRV_TXD_CMD_DEXT) &&
	       (lower & NICDRV_TXD_DTYP) == NICDRV_TXD_DTYP_C;
}

/* The NICDRV_VIEW_* bits of a descriptor, as one digit (0 to 7) */
static char nicdrv_view_digit(unsigned int bits)
{
	return '0' + (bits & 7);
}

/* A hex digit per descriptor: what the NIC wrote back, and EOP */
static void nicdrv_view_descs(struct seq_file *m, struct nicdrv_adapter *a)
{
	unsigned int i;

	seq_puts(m, "tx_desc ");
	for (i = 0; i < a->tx.count; i++) {
		const struct nicdrv_tx_desc *d = &a->tx.desc[i];
		u32 lower = le32_to_cpu(READ_ONCE(d->lower));
		unsigned int bits = 0;

		if (le32_to_cpu(READ_ONCE(d->upper)) & NICDRV_TXD_STAT_DD)
			bits |= NICDRV_VIEW_DD;
		if (nicdrv_view_tx_ctx(lower))
			bits |= NICDRV_VIEW_CTX;
		else if (lower & NICDRV_TXD_CMD_EOP)
			bits |= NICDRV_VIEW_EOP;
		seq_putc(m, nicdrv_view_digit(bits));
	}
	seq_puts(m, "\nrx_desc ");
	for (i = 0; i < a->rx.count; i++) {
		u8 status = READ_ONCE(a->rx.desc[i].status);
		unsigned int bits = 0;

		if (status & NICDRV_RXD_STAT_DD)
			bits |= NICDRV_VIEW_DD;
		if (status & NICDRV_RXD_STAT_EOP)
			bits |= NICDRV_VIEW_EOP;
		seq_putc(m, nicdrv_view_digit(bits));
	}
	seq_putc(m, '\n');
}

/* What the rates come from: the counters ethtool -S and ip -s link show */
static void nicdrv_view_counters(struct seq_file *m, struct nicdrv_adapter *a)
{
	struct nicdrv_tx_stats tx;
	struct nicdrv_rx_stats rx;
	struct nicdrv_irq_stats irq;
	struct nicdrv_mmio_stats mmio;

	nicdrv_stats_read(&a->tx.syncp, &a->tx.stats, &tx);
	nicdrv_stats_read(&a->rx.syncp, &a->rx.stats, &rx);
	nicdrv_stats_read(&a->isyncp, &a->istats, &irq);
	nicdrv_mmio_sum(a, &mmio);
	seq_printf(m, "counter tx_packets %llu\n", tx.packets);
	seq_printf(m, "counter tx_bytes %llu\n", tx.bytes);
	seq_printf(m, "counter rx_packets %llu\n", rx.packets);
	seq_printf(m, "counter rx_bytes %llu\n", rx.bytes);
	seq_printf(m, "counter irqs %llu\n", irq.irqs);
	seq_printf(m, "counter napi_polls %llu\n", rx.polls);
	seq_printf(m, "counter mmio_reads %llu\n", mmio.reads);
	seq_printf(m, "counter mmio_writes %llu\n", mmio.writes);
	seq_printf(m, "counter mmio_tdt_writes %llu\n", mmio.tdt);
	seq_printf(m, "counter mmio_rdt_writes %llu\n", mmio.rdt);
}

/*
 * The capture ring (cap.c, uapi/nicdrv.h): entries [cons, prod) are the
 * reader's.  prod is the driver's published index, cons the reader's.
 */
static void nicdrv_view_cap(struct seq_file *m, struct nicdrv_adapter *a)
{
	struct nicdrv_session *s = rtnl_dereference(a->cap);
	u32 prod;

	if (!s) {
		seq_puts(m, "cap none\n");
		return;
	}
	/* prod as the reader sees it: pairs with cap.c's store_release */
	prod = smp_load_acquire(&s->status->prod);
	seq_printf(m, "cap %u %u %u\n", s->entries, prod,
		   READ_ONCE(s->cons->cons));
}

/*
 * The buffer behind RX descriptor i, as the driver knows it: a pool
 * buffer (its page in the pool, past the XDP headroom) or a UMEM frame.
 */
static void *nicdrv_view_rx_buf(struct nicdrv_adapter *a, unsigned int i)
{
	struct nicdrv_rx_ring *rx = &a->rx;
	struct xdp_buff *xdp;

	if (rx->xsk) {
		xdp = READ_ONCE(rx->xsk_buf[i]);
		return xdp ? READ_ONCE(xdp->data) : NULL;
	}
	return nicdrv_pool_buf_va(rx->pool, READ_ONCE(rx->buf_id[i])) +
	       rx->pool->headroom;
}

/*
 * The buffer behind TX descriptor i, when the driver knows it: a small
 * frame's slot of the coherent copy area (tx.c).  Of a mapped skb nicdrv
 * keeps only the bus address (what the unmap needs), and that mapping
 * may be undone by NAPI at any moment: the view shows the bus address
 * alone, and never asks the IOMMU about an address that may be going
 * away under it.
 */
static void *nicdrv_view_tx_buf(struct nicdrv_adapter *a, dma_addr_t dma)
{
	struct nicdrv_tx_ring *tx = &a->tx;

	if (tx->copy && dma >= tx->copy_dma &&
	    dma < tx->copy_dma + tx->count * NICDRV_TX_COPY_SLOT)
		return tx->copy + (dma - tx->copy_dma);
	return NULL;
}

/* The chosen descriptor: its own addresses, then its buffer's */
static void nicdrv_view_sel(struct seq_file *m, struct nicdrv_adapter *a,
			    const struct nicdrv_view *v)
{
	struct iommu_domain *dom = nicdrv_view_domain(a);
	char ring = READ_ONCE(v->sel_ring);
	u32 sel = READ_ONCE(v->sel);
	bool is_tx = ring == 't';
	unsigned int count = is_tx ? a->tx.count : a->rx.count;
	bool ctx = false;
	void *desc, *buf;
	dma_addr_t desc_dma, dma;
	phys_addr_t pa;
	unsigned int len;

	if (!ring || sel >= count) {
		seq_puts(m, "sel none\n");
		return;
	}
	if (is_tx) {
		const struct nicdrv_tx_desc *d = &a->tx.desc[sel];
		u32 lower = le32_to_cpu(READ_ONCE(d->lower));

		desc = (void *)d;
		desc_dma = a->tx.dma + sel * sizeof(*d);
		dma = le64_to_cpu(READ_ONCE(d->buffer_addr));
		len = FIELD_GET(NICDRV_TXD_LEN, lower);
		ctx = nicdrv_view_tx_ctx(lower);
		buf = nicdrv_view_tx_buf(a, dma);
	} else {
		const struct nicdrv_rx_desc *d = &a->rx.desc[sel];

		desc = (void *)d;
		desc_dma = a->rx.dma + sel * sizeof(*d);
		dma = le64_to_cpu(READ_ONCE(d->buffer_addr));
		len = le16_to_cpu(READ_ONCE(d->length));
		buf = nicdrv_view_rx_buf(a, sel);
	}
	seq_printf(m, "sel %s %u\n", is_tx ? "tx" : "rx", sel);
	pa = nicdrv_virt_to_phys(desc);
	seq_printf(m, "sel_desc 0x%lx 0x%llx 0x%llx\n", (unsigned long)desc,
		   (u64)pa, (u64)desc_dma);
	if (!dma || ctx) {
		seq_printf(m, "sel_buf none %s\n", ctx ? "context" : "empty");
		return;
	}
	pa = buf ? nicdrv_virt_to_phys(buf) : 0;
	seq_printf(m, "sel_buf 0x%lx 0x%llx 0x%llx %u\n", (unsigned long)buf,
		   (u64)pa, (u64)dma, len);
	/*
	 * The IOMMU's own answer, for what stays mapped while RTNL is held:
	 * the pool, the UMEM, the copy area.  Not for a mapped TX skb.
	 */
	if (dom && buf)
		seq_printf(m, "sel_iommu 0x%llx\n",
			   (u64)iommu_iova_to_phys(dom, dma));
}

static int nicdrv_view_show(struct seq_file *m, void *unused)
{
	struct nicdrv_view *v = m->private;
	struct nicdrv_adapter *a = v->a;
	bool up;

	rtnl_lock();
	up = a->tx.desc && a->rx.desc;
	seq_printf(m, "nicdrv-view %d\n", NICDRV_VIEW_VERSION);
	seq_printf(m, "iface %s\n", netdev_name(a->netdev));
	seq_printf(m, "time_ns %llu\n", ktime_get_ns());
	seq_printf(m, "state %s\n", up ? "up" : "down");
	if (up) {
		nicdrv_view_ring(m, a, "tx", a->tx.count, &a->tx.next_to_clean,
				 NICDRV_TDH, NICDRV_TDT, &a->tx.next_to_use,
				 &a->view_reads);
		nicdrv_view_ring(m, a, "rx", a->rx.count, &a->rx.next_to_clean,
				 NICDRV_RDH, NICDRV_RDT, &a->rx.next_to_use,
				 &a->view_reads);
		nicdrv_view_descs(m, a);
		seq_printf(m, "rx_buffers %s\n", a->rx.xsk ? "umem" : "pool");
	}
	seq_printf(m, "iommu %s\n", nicdrv_view_domain(a) ? "translating" : "none");
	nicdrv_view_counters(m, a);
	seq_printf(m, "view_reads %llu\n", a->view_reads);
	nicdrv_view_cap(m, a);
	if (up)
		nicdrv_view_sel(m, a, v);
	else
		seq_puts(m, "sel none\n");
	rtnl_unlock();
	return 0;
}

static int nicdrv_view_open(struct inode *inode, struct file *file)
{
	struct nicdrv_view *v;
	int err;

	v = nicdrv_fail_alloc() ? NULL : kzalloc_obj(*v, GFP_KERNEL);
	if (!v)
		return -ENOMEM;
	v->a = inode->i_private;
	err = single_open_size(file, nicdrv_view_show, v, NICDRV_VIEW_SIZE);
	if (err)
		kfree(v);
	return err;
}

static int nicdrv_view_release(struct inode *inode, struct file *file)
{
	kfree(((struct seq_file *)file->private_data)->private);
	return single_release(inode, file);
}

/* "tx N", "rx N" or "none": the descriptor this file's snapshots show */
static ssize_t nicdrv_view_write(struct file *file, const char __user *ubuf,
				 size_t len, loff_t *pos)
{
	struct nicdrv_view *v = ((struct seq_file *)file->private_data)->private;
	char buf[16];
	u32 idx;

	if (len >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, len))
		return -EFAULT;
	buf[len] = '\0';
	if (sysfs_streq(buf, "none")) {
		WRITE_ONCE(v->sel_ring, 0);
		return len;
	}
	/* kstrtou32() refuses what does not fit, "%u" would wrap it */
	if ((strncmp(buf, "tx ", 3) && strncmp(buf, "rx ", 3)) ||
	    kstrtou32(buf + 3, 10, &idx) || idx >= NICDRV_MAX_RING)
		return -EINVAL;
	WRITE_ONCE(v->sel, idx);
	WRITE_ONCE(v->sel_ring, buf[0]);
	return len;
}

const struct file_operations nicdrv_view_fops = {
	.owner		= THIS_MODULE,
	.open		= nicdrv_view_open,
	.read		= seq_read,
	.write		= nicdrv_view_write,
	.llseek		= seq_lseek,
	.release	= nicdrv_view_release,
};
