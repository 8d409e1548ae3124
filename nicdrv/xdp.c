// SPDX-License-Identifier: GPL-2.0
/*
 * nicdrv: XDP.
 *
 * A program attached with ndo_bpf runs in NAPI on each frame, in the pool
 * buffer the NIC wrote, before any skb exists (rx.c calls
 * nicdrv_xdp_run()).  The buffer model (docs/xdp.md):
 *
 *  - With a program the pool takes another geometry (nicdrv.h): 3072-byte
 *    buffers, the NIC writing 256 bytes (XDP_PACKET_HEADROOM) in, so that
 *    bpf_xdp_adjust_head() and bpf_xdp_adjust_meta() have room in front,
 *    and room for a struct skb_shared_info behind the longest frame, as
 *    bpf_xdp_adjust_tail() and a redirected frame's skb want.  Attaching
 *    or removing a program on a running interface rebuilds the RX ring
 *    and pool the way ethtool -G does; swapping one program for another
 *    does not.  A frame must fit one buffer: the MTU stays at 1500 and
 *    rx-all off while a program is attached.  VLAN tags stay in the frame
 *    (no stripping: the program sees what was on the wire, and XDP_TX
 *    sends it back as it came).
 *  - The chunks are mapped DMA_BIDIRECTIONAL, because XDP_TX sends the
 *    frame from the buffer the NIC wrote it into: the NIC writes it, the
 *    CPU reads and may rewrite it, and the NIC reads it again.
 *  - No page ever leaves the pool, as without XDP.  XDP_PASS copies the
 *    frame into an skb, as rx.c always does; XDP_TX lends the buffer to
 *    the TX ring until the NIC has sent it, and its RX descriptor gets a
 *    spare (rx->xdp_spare, one per TX descriptor); XDP_REDIRECT copies
 *    the frame into a page of its own, which the target frees.
 *  - The capture device (/dev/nicdrvN) maps the pool into user space, and
 *    an XDP program owns the same buffers: the two exclude each other.
 *
 * nicdrv is also a redirect target (ndo_xdp_xmit): frames from other
 * devices go onto its TX ring, mapped DMA_TO_DEVICE.  XDP_TX, redirected
 * frames and the stack share the one TX ring under the queue's lock; XDP
 * frames are not the stack's, so they are not reported to BQL, and they
 * never take the descriptors xmit keeps for its largest skb.
 */
#include <linux/bitfield.h>
#include <linux/bpf.h>
#include <linux/bpf_trace.h>
#include <linux/dma-mapping.h>
#include <linux/filter.h>
#include <net/xdp.h>

#include "nicdrv.h"

/* The longest frame, from the headroom on, and the tailroom the kernel wants */
static_assert(XDP_PACKET_HEADROOM + VLAN_ETH_FRAME_LEN + ETH_FCS_LEN +
	      SKB_DATA_ALIGN(sizeof(struct skb_shared_info)) <=
	      NICDRV_XDP_BUF_SIZE);

/* One rxq of queue 0 and the memory model its frames are freed by */
static int nicdrv_rxq_reg(struct nicdrv_adapter *a, struct xdp_rxq_info *rxq,
			  enum xdp_mem_type type)
{
	int err;

	err = xdp_rxq_info_reg(rxq, a->netdev, 0, a->napi.napi_id);
	if (err)
		return err;
	err = xdp_rxq_info_reg_mem_model(rxq, type, NULL);
	if (err)
		xdp_rxq_info_unreg(rxq);
	return err;
}

/*
 * The pool's frames; the pages redirected frames are copied into, freed
 * with put_page() by whoever ends their life; and AF_XDP zero-copy's
 * frames (xsk.c), the socket's pool's
 */
int nicdrv_xdp_rxq_reg(struct nicdrv_adapter *a)
{
	int err;

	err = nicdrv_rxq_reg(a, &a->xdp_rxq, MEM_TYPE_PAGE_SHARED);
	if (err)
		return err;
	err = nicdrv_rxq_reg(a, &a->xdp_copy_rxq, MEM_TYPE_PAGE_ORDER0);
	if (err)
		goto err_rxq;
	err = nicdrv_rxq_reg(a, &a->xsk_rxq, MEM_TYPE_XSK_BUFF_POOL);
	if (err)
		goto err_copy;
	return 0;

err_copy:
	xdp_rxq_info_unreg(&a->xdp_copy_rxq);
err_rxq:
	xdp_rxq_info_unreg(&a->xdp_rxq);
	return err;
}

/*
 * NAPI was enabled (nicdrv_start()), or is about to be disabled (napi:
 * NULL): name it as the queue's.  An AF_XDP socket finds the NAPI id to
 * busy-poll through the queue (6.8 and later).  The kernels whose rxqs
 * carry the id (6.1, 6.12) fix it at netif_napi_add(), before the rxqs
 * are registered; 7.x gives it at napi_enable() and looks for it through
 * the queue only.  Under RTNL.
 */
void nicdrv_xdp_set_napi(struct nicdrv_adapter *a, struct napi_struct *napi)
{
	netif_queue_set_napi(a->netdev, 0, NETDEV_QUEUE_TYPE_RX, napi);
	netif_queue_set_napi(a->netdev, 0, NETDEV_QUEUE_TYPE_TX, napi);
}

void nicdrv_xdp_rxq_unreg(struct nicdrv_adapter *a)
{
	xdp_rxq_info_unreg(&a->xsk_rxq);
	xdp_rxq_info_unreg(&a->xdp_copy_rxq);
	xdp_rxq_info_unreg(&a->xdp_rxq);
}

/*
 * One frame onto the TX ring, under the queue lock, the caller having
 * checked the room: a data descriptor with EOP and RS (SDM 3.3.7.1), no
 * offloads.  The slot is filled in before it is published to the
 * cleaner.  The caller writes TDT.  type: NICDRV_TX_XDP_TX for XDP_TX's
 * pool buffer pool_id; NICDRV_TX_XDP_FRAME for a redirected frame xdpf,
 * mapped at dma (unmapped at completion); NICDRV_TX_XSK for a UMEM frame.
 */
void nicdrv_xdp_tx_desc(struct nicdrv_tx_ring *tx, dma_addr_t dma,
			unsigned int len, enum nicdrv_tx_type type,
			struct xdp_frame *xdpf, u16 pool_id)
{
	u16 i = tx->next_to_use;
	struct nicdrv_tx_desc *d = &tx->desc[i];
	struct nicdrv_tx_buf *buf = &tx->buf[i];

	d->buffer_addr = cpu_to_le64(dma);
	d->lower = cpu_to_le32(NICDRV_TXD_CMD_DEXT | NICDRV_TXD_DTYP_D |
			       NICDRV_TXD_CMD_IFCS | NICDRV_TXD_CMD_EOP |
			       NICDRV_TXD_CMD_RS |
			       FIELD_PREP(NICDRV_TXD_LEN, len));
	d->upper = 0;		/* clears DD */
	buf->type = type;
	buf->xdpf = xdpf;
	buf->pool_id = pool_id;
	buf->dma = dma;
	/* What nicdrv_tx_unmap() undoes: only a redirected frame's mapping */
	buf->len = type == NICDRV_TX_XDP_FRAME ? len : 0;
	buf->is_page = false;
	buf->eop = i;
	buf->bytes = max_t(unsigned int, len, ETH_ZLEN);
	buf->segs = 1;
	/* Pairs with smp_load_acquire() in nicdrv_clean_tx() */
	smp_store_release(&tx->next_to_use, nicdrv_tx_next(tx, i));
}

/*
 * XDP_TX: send the frame from its pool buffer.  The CPU may have changed
 * it, so its bytes go to the device first (a no-op where DMA is coherent);
 * the buffer is the TX ring's until completion (nicdrv_xdp_tx_done()),
 * and the RX descriptor takes a spare in its place.
 */
static bool nicdrv_xdp_tx(struct nicdrv_adapter *a, u16 di, void *data,
			  unsigned int len)
{
	struct netdev_queue *txq = netdev_get_tx_queue(a->netdev, 0);
	struct nicdrv_rx_ring *rx = &a->rx;
	const struct nicdrv_pool *pool = rx->pool;
	u16 id = rx->buf_id[di];
	unsigned int off = data - nicdrv_pool_buf_va(pool, id);
	bool room;

	if (!rx->xdp_nspare)
		return false;
	if (!pool->coherent)
		nicdrv_pool_sync_range(pool, id, off, len, false);
	__netif_tx_lock(txq, smp_processor_id());
	room = nicdrv_xdp_tx_room(&a->tx);
	if (room) {
		nicdrv_xdp_tx_desc(&a->tx, nicdrv_pool_buf_dma(pool, id) + off,
				   len, NICDRV_TX_XDP_TX, NULL, id);
		a->xdp_tx_pending = true;
		/* The watchdog looks for progress on the queue: this is some */
		txq_trans_cond_update(txq);
	}
	__netif_tx_unlock(txq);
	if (!room)
		return false;
	rx->buf_id[di] = rx->xdp_spare[--rx->xdp_nspare];
	return true;
}

/*
 * XDP_REDIRECT: the frame leaves the pool as a copy in a page of its own
 * (MEM_TYPE_PAGE_ORDER0: the target's put_page() frees it), with the same
 * headroom and metadata.  The pool's buffer is posted again at once.
 */
static int nicdrv_xdp_redirect(struct nicdrv_adapter *a, struct bpf_prog *prog,
			       const struct xdp_buff *xdp)
{
	unsigned int meta = xdp->data - xdp->data_meta;
	unsigned int len = xdp->data_end - xdp->data;
	struct xdp_buff copy;
	struct page *page;
	void *va;
	int err;

	page = nicdrv_fail_alloc() ? NULL : dev_alloc_page();
	if (!page)
		return -ENOMEM;
	va = page_address(page);
	memcpy(va + XDP_PACKET_HEADROOM - meta, xdp->data_meta, meta + len);
	xdp_init_buff(&copy, PAGE_SIZE, &a->xdp_copy_rxq);
	xdp_prepare_buff(&copy, va, XDP_PACKET_HEADROOM, len, true);
	copy.data_meta = copy.data - meta;
	err = xdp_do_redirect(a->netdev, &copy, prog);
	if (err)
		put_page(page);
	return err;
}

/*
 * A frame dropped for a reason other than XDP_DROP: XDP_ABORTED, a verdict
 * nicdrv does not know, or an XDP_TX or XDP_REDIRECT that failed (counted
 * by the caller).  xdp:xdp_exception is the tracepoint xdp-monitor and
 * perf watch.  Also for AF_XDP's frames (xsk.c).
 */
void nicdrv_xdp_exception(struct nicdrv_adapter *a, struct bpf_prog *prog,
			  u32 act, struct nicdrv_rx_stats *st)
{
	if (act == XDP_ABORTED) {
		st->xdp_aborted++;
	} else if (act != XDP_TX && act != XDP_REDIRECT) {
		bpf_warn_invalid_xdp_action(a->netdev, prog, act);
		st->xdp_invalid++;
	}
	trace_xdp_exception(a->netdev, prog, act);
}

/*
 * Run the program on the frame at *data, *len bytes, in the buffer of RX
 * descriptor di (NAPI; rx.c has synced the bytes for the CPU).  XDP_PASS
 * leaves the frame as the program left it in *data, *len, with *meta
 * bytes of metadata in front; every other verdict is carried out here.
 */
int nicdrv_xdp_run(struct nicdrv_adapter *a, struct bpf_prog *prog, u16 di,
		   void **data, unsigned int *len, unsigned int *meta,
		   struct nicdrv_rx_stats *st, bool *redirected)
{
	const struct nicdrv_pool *pool = a->rx.pool;
	struct xdp_buff xdp;
	u32 act;

	xdp_init_buff(&xdp, pool->buf_size, &a->xdp_rxq);
	xdp_prepare_buff(&xdp, *data - pool->headroom, pool->headroom, *len,
			 true);
	act = bpf_prog_run_xdp(prog, &xdp);
	switch (act) {
	case XDP_PASS:
		st->xdp_pass++;
		*data = xdp.data;
		*len = xdp.data_end - xdp.data;
		*meta = xdp.data - xdp.data_meta;
		return NICDRV_XDP_PASS;
	case XDP_TX:
		if (nicdrv_xdp_tx(a, di, xdp.data, xdp.data_end - xdp.data)) {
			st->xdp_tx++;
			return NICDRV_XDP_CONSUMED;
		}
		st->xdp_tx_errors++;
		break;
	case XDP_REDIRECT:
		if (!nicdrv_xdp_redirect(a, prog, &xdp)) {
			st->xdp_redirect++;
			*redirected = true;
			return NICDRV_XDP_CONSUMED;
		}
		st->xdp_redirect_errors++;
		break;
	case XDP_DROP:
		st->xdp_drop++;
		return NICDRV_XDP_CONSUMED;
	default:
		break;
	}
	nicdrv_xdp_exception(a, prog, act, st);
	return NICDRV_XDP_CONSUMED;
}

/*
 * End of a poll with a program: hand what was redirected to its targets,
 * and move TDT past what XDP_TX queued (one doorbell per poll).
 */
void nicdrv_xdp_flush(struct nicdrv_adapter *a, bool redirected)
{
	struct netdev_queue *txq;

	if (redirected)
		xdp_do_flush();
	if (!a->xdp_tx_pending)
		return;
	a->xdp_tx_pending = false;
	txq = netdev_get_tx_queue(a->netdev, 0);
	__netif_tx_lock(txq, smp_processor_id());
	dma_wmb();		/* the descriptors before the NIC may read them */
	nicdrv_wr(a, NICDRV_TDT, a->tx.next_to_use);
	__netif_tx_unlock(txq);
}

/*
 * An XDP frame's TX slot is done (NAPI's completion, or the drain of a
 * halted NIC); its mapping, if any, is already undone (tx.c).
 */
void nicdrv_xdp_tx_done(struct nicdrv_adapter *a, struct nicdrv_tx_buf *buf)
{
	if (buf->type == NICDRV_TX_XDP_TX)
		a->rx.xdp_spare[a->rx.xdp_nspare++] = buf->pool_id;
	else if (buf->type == NICDRV_TX_XSK)
		a->xsk_tx_done++;	/* nicdrv_xsk_tx_completed() reports it */
	else
		xdp_return_frame(buf->xdpf);
	buf->type = NICDRV_TX_SKB;
	buf->skb = NULL;
}

/*
 * One xdp_frame onto the TX ring, mapped DMA_TO_DEVICE; under the queue
 * lock, the caller writes TDT.  False: no room, or no mapping.
 */
bool nicdrv_xdp_xmit_frame(struct nicdrv_adapter *a, struct xdp_frame *f)
{
	struct device *dev = &a->pdev->dev;
	dma_addr_t dma;

	/* One descriptor, one buffer: no multi-buffer frames */
	if (f->len > NICDRV_MAX_TXD_LEN || xdp_frame_has_frags(f) ||
	    !nicdrv_xdp_tx_room(&a->tx) || nicdrv_fail_dma_map())
		return false;
	dma = dma_map_single(dev, f->data, f->len, DMA_TO_DEVICE);
	if (dma_mapping_error(dev, dma))
		return false;
	nicdrv_xdp_tx_desc(&a->tx, dma, f->len, NICDRV_TX_XDP_FRAME, f, 0);
	return true;
}

/*
 * ndo_xdp_xmit: frames another device (or nicdrv itself) redirected here,
 * mapped DMA_TO_DEVICE one by one.  Returns how many went onto the ring;
 * the caller frees the rest.
 */
int nicdrv_xdp_xmit(struct net_device *netdev, int n,
		    struct xdp_frame **frames, u32 flags)
{
	struct nicdrv_adapter *a = netdev_priv(netdev);
	struct netdev_queue *txq = netdev_get_tx_queue(netdev, 0);
	struct nicdrv_tx_ring *tx = &a->tx;
	int k = 0;

	if (unlikely(flags & ~XDP_XMIT_FLAGS_MASK))
		return -EINVAL;
	if (unlikely(!netif_running(netdev) || !netif_carrier_ok(netdev)))
		return -ENETDOWN;
	__netif_tx_lock(txq, smp_processor_id());
	/*
	 * nicdrv_quiesce() stops the queue under this lock before the rings
	 * change or go; a queue stopped for room has none to offer either.
	 */
	if (unlikely(netif_tx_queue_stopped(txq)))
		goto out;
	for (; k < n; k++)
		if (!nicdrv_xdp_xmit_frame(a, frames[k]))
			break;
	/* Earlier calls may have queued frames without a flush */
	if (flags & XDP_XMIT_FLUSH) {
		dma_wmb();
		nicdrv_wr(a, NICDRV_TDT, tx->next_to_use);
	}
	if (k) {
		txq_trans_cond_update(txq);
		/* Under the lock, as from xmit: NAPI must come for them */
		nicdrv_tx_reclaim_later(a, tx, txq);
	}
out:
	u64_stats_update_begin(&tx->xsyncp);
	tx->xstats.xdp_xmit += k;
	tx->xstats.xdp_xmit_errors += n - k;
	u64_stats_update_end(&tx->xsyncp);
	__netif_tx_unlock(txq);
	return k;
}

/*
 * Attach, swap or remove the program; under RTNL.  Refused, with the
 * reason: what would let a frame outgrow one buffer (MTU over 1500,
 * rx-all), and a capture session, which holds the pool.
 */
static int nicdrv_xdp_setup(struct nicdrv_adapter *a, struct bpf_prog *prog,
			    struct netlink_ext_ack *extack)
{
	struct net_device *netdev = a->netdev;
	bool mode_change = !a->xdp_prog != !prog;
	struct bpf_prog *old;
	int err;

	ASSERT_RTNL();
	if (prog) {
		if (netdev->mtu > NICDRV_XDP_MAX_MTU) {
			NL_SET_ERR_MSG_MOD(extack,
					   "XDP needs every frame in one buffer: MTU 1500 at most (no multi-buffer XDP)");
			return -EOPNOTSUPP;
		}
		if (netdev->features & NETIF_F_RXALL) {
			NL_SET_ERR_MSG_MOD(extack,
					   "rx-all spreads frames over 1024-byte buffers, XDP needs one buffer per frame: turn it off first");
			return -EOPNOTSUPP;
		}
		if (rcu_access_pointer(a->cap)) {
			NL_SET_ERR_MSG_MOD(extack,
					   "a capture session on the nicdrv character device holds the RX pool");
			return -EBUSY;
		}
	}
	if (mode_change && netif_running(netdev)) {
		/* The pool changes geometry: new rings, as for ethtool -G */
		err = nicdrv_xdp_rebuild(a, prog, &old, extack);
		if (err && prog)
			return err;	/* nothing changed */
		if (err) {
			/*
			 * Removal may not fail (a bpf_link's release cannot):
			 * the program goes, and the rings keep XDP's layout,
			 * which works without one, until they are next built.
			 */
			netdev_warn(netdev,
				    "no memory to rebuild the rings without XDP: they keep its layout until the interface is next brought up\n");
			/* Zero-copy RX needs a program: back to the pool */
			if (a->rx.xsk)
				nicdrv_halt(a);
			old = xchg(&a->xdp_prog, NULL);
			if (a->rx.xsk)
				nicdrv_start(a);
		}
	} else {
		/* NAPI reads it once per poll: the next poll runs the new one */
		old = xchg(&a->xdp_prog, prog);
	}
	if (old)
		bpf_prog_put(old);
	if (mode_change) {
		netdev->max_mtu = prog ? NICDRV_XDP_MAX_MTU : NICDRV_MAX_MTU;
		/*
		 * rx-all and the VLAN offloads go while a program runs, and
		 * come back if asked for (ndo_fix_features); not while the
		 * device is being unregistered, which removes the program.
		 */
		if (netdev->reg_state == NETREG_REGISTERED)
			netdev_update_features(netdev);
	}
	return 0;
}

int nicdrv_bpf(struct net_device *netdev, struct netdev_bpf *bpf)
{
	switch (bpf->command) {
	case XDP_SETUP_PROG:
		return nicdrv_xdp_setup(netdev_priv(netdev), bpf->prog,
					bpf->extack);
	case XDP_SETUP_XSK_POOL:
		return nicdrv_xsk_setup(netdev_priv(netdev), bpf->xsk.pool,
					bpf->xsk.queue_id);
	default:
		return -EINVAL;
	}
}
