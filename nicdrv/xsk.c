// SPDX-License-Identifier: GPL-2.0
/*
 * nicdrv: AF_XDP zero-copy.
 *
 * An AF_XDP socket bound to queue 0 with XDP_ZEROCOPY hands nicdrv its
 * buffer pool (XDP_SETUP_XSK_POOL): a UMEM, user memory that the socket
 * and the driver share through four rings (fill, RX, TX, completion).
 * The pool is mapped for the device once, at bind, with
 * xsk_pool_dma_map(); after that, as with nicdrv's own pool, no frame is
 * mapped or unmapped (docs/xdp.md, "AF_XDP").
 *
 *  - RX, while an XDP program is attached as well: every RX descriptor
 *    points at a UMEM frame taken from the fill ring (xsk_buff_alloc()),
 *    so the NIC writes the frame straight into user memory.  The program
 *    runs on it there; XDP_REDIRECT to the socket's XSKMAP entry gives
 *    the frame to the socket without a copy.  XDP_PASS copies the frame
 *    into an skb, as rx.c always does, XDP_TX and a redirect elsewhere
 *    into a page of their own (xdp_convert_buff_to_frame()); every other
 *    verdict returns the frame to the pool.  With no program the NIC
 *    receives into nicdrv's pool as usual.
 *  - TX, whenever a pool is bound: NAPI takes descriptors from the
 *    socket's TX ring and puts the UMEM frames on the TX ring as they
 *    are, shared with the stack under the queue lock; completion reports
 *    them on the completion ring, in order (xsk_tx_completed()).
 *  - need_wakeup: the socket sleeps instead of NAPI spinning.  When the
 *    fill ring ran dry, RX asks to be woken (sendto/poll on the socket
 *    calls nicdrv_xsk_wakeup()); TX always does, as it sends only when
 *    NAPI runs.  Without need_wakeup, NAPI keeps polling while it waits
 *    for fill-ring entries.
 *
 * nicdrv's pool stays allocated while a socket is bound: giving the
 * socket back never needs memory, so it cannot fail.  The capture device
 * and a zero-copy socket exclude each other, as capture and XDP do.
 */
#include <linux/bitfield.h>
#include <linux/dma-mapping.h>
#include <linux/filter.h>
#include <net/xdp_sock_drv.h>

#include "nicdrv.h"

/*
 * The receive buffer must hold the longest frame: 1522 bytes, LPE off
 * (SDM 13.4.22), which a program keeps off (xdp.c); the NIC writes no more
 * into one descriptor's buffer whatever RCTL.BSIZE says
 */
#define NICDRV_XSK_MIN_FRAME	(VLAN_ETH_FRAME_LEN + ETH_FCS_LEN)
/* A UMEM frame is sent from one descriptor (SDM 3.3.3) */
#define NICDRV_XSK_MAX_CHUNK	min_t(u32, PAGE_SIZE, NICDRV_MAX_TXD_LEN)
/*
 * The pool syncs each frame itself: for the device when it hands one out
 * (xsk_buff_alloc()), and nicdrv for the CPU on RX and for the device on
 * TX.  Mapping and unmapping the whole UMEM must not sync as well: at
 * unbind, under bounce buffers, that would copy stale bytes over what the
 * user wrote since.
 */
#define NICDRV_XSK_DMA_ATTR	(DMA_ATTR_SKIP_CPU_SYNC | DMA_ATTR_WEAK_ORDERING)

/*
 * Give every free RX descriptor a UMEM frame from the fill ring, then
 * move RDT once (as nicdrv_rx_post() does with pool buffers).  NAPI, or
 * RTNL with NAPI off.  Returns false when the fill ring ran dry first.
 */
bool nicdrv_xsk_rx_post(struct nicdrv_adapter *a)
{
	struct nicdrv_rx_ring *rx = &a->rx;
	u16 stop = nicdrv_rx_stop(rx);
	u16 i = rx->next_to_use;
	unsigned int n = 0;

	while (i != stop) {
		/* Synced for the device by the pool when it must be */
		struct xdp_buff *xdp = xsk_buff_alloc(rx->xsk);

		if (!xdp)
			break;
		rx->xsk_buf[i] = xdp;
		nicdrv_rx_desc_arm(&rx->desc[i], xsk_buff_xdp_get_dma(xdp));
		i = nicdrv_rx_next(rx, i);
		n++;
	}
	if (n) {
		rx->next_to_use = i;
		u64_stats_update_begin(&rx->syncp);
		rx->stats.tail_writes++;
		u64_stats_update_end(&rx->syncp);
		dma_wmb();	/* descriptors before the NIC sees RDT */
		nicdrv_wr(a, NICDRV_RDT, i);
	}
	return i == stop;
}

/*
 * After a poll's frames: refill, and tell the socket whether it must wake
 * NAPI for more.  Returns true when NAPI must poll again by itself: the
 * fill ring ran dry and the socket does not use need_wakeup.
 */
bool nicdrv_xsk_rx_refill(struct nicdrv_adapter *a, struct nicdrv_rx_stats *st)
{
	struct xsk_buff_pool *pool = a->rx.xsk;
	bool full = nicdrv_xsk_rx_post(a);

	if (!full)
		st->xsk_fill_empty++;
	if (xsk_uses_need_wakeup(pool)) {
		if (full)
			xsk_clear_rx_need_wakeup(pool);
		else
			xsk_set_rx_need_wakeup(pool);
		return false;
	}
	return !full;
}

/* XDP_PASS: the stack gets a copy, the UMEM frame goes back to the pool */
static void nicdrv_xsk_pass(struct nicdrv_adapter *a, struct xdp_buff *xdp,
			    struct nicdrv_rx_stats *st)
{
	unsigned int meta = xdp->data - xdp->data_meta;
	unsigned int len = xdp->data_end - xdp->data;
	struct sk_buff *skb;

	skb = nicdrv_fail_alloc() ? NULL : napi_alloc_skb(&a->napi, meta + len);
	if (!skb) {
		st->alloc_failed++;
		xsk_buff_free(xdp);
		return;
	}
	skb_put_data(skb, xdp->data_meta, meta + len);
	xsk_buff_free(xdp);
	if (meta) {
		__skb_pull(skb, meta);
		skb_metadata_set(skb, meta);
	}
	skb->protocol = eth_type_trans(skb, a->netdev);
	napi_gro_receive(&a->napi, skb);
}

/*
 * XDP_TX from a UMEM frame: the socket may reuse the frame at once, so it
 * leaves as a copy (which frees the UMEM frame) on the ndo_xdp_xmit path.
 */
static bool nicdrv_xsk_tx_verdict(struct nicdrv_adapter *a,
				  struct xdp_buff *xdp)
{
	struct netdev_queue *txq = netdev_get_tx_queue(a->netdev, 0);
	struct xdp_frame *xdpf;
	bool sent;

	xdpf = nicdrv_fail_alloc() ? NULL : xdp_convert_buff_to_frame(xdp);
	if (!xdpf) {
		xsk_buff_free(xdp);
		return false;
	}
	__netif_tx_lock(txq, smp_processor_id());
	sent = nicdrv_xdp_xmit_frame(a, xdpf);
	if (sent) {
		a->xdp_tx_pending = true;
		txq_trans_cond_update(txq);
	}
	__netif_tx_unlock(txq);
	if (!sent)
		xdp_return_frame(xdpf);
	return sent;
}

/*
 * One completed RX descriptor in zero-copy mode, DD seen: the frame is in
 * the UMEM frame rx->xsk_buf[di].  Every frame fits one descriptor (LPE
 * is off while a program is attached); anything else is dropped.
 */
void nicdrv_xsk_rx_desc(struct nicdrv_adapter *a, struct bpf_prog *prog,
			u16 di, u8 status, struct nicdrv_rx_stats *st,
			bool *redirected)
{
	struct nicdrv_rx_ring *rx = &a->rx;
	struct nicdrv_rx_desc *d = &rx->desc[di];
	struct xdp_buff *xdp = rx->xsk_buf[di];
	unsigned int len = le16_to_cpu(d->length);
	u32 act;

	rx->xsk_buf[di] = NULL;
	/* The rest of a frame that was dropped (as in rx.c) */
	if (rx->discard) {
		rx->discard = !(status & NICDRV_RXD_STAT_EOP);
		goto free;
	}
	if (d->errors & NICDRV_RXD_ERR_FRAME) {
		st->frame_errors++;
		rx->discard = !(status & NICDRV_RXD_STAT_EOP);
		goto free;
	}
	if (!(status & NICDRV_RXD_STAT_EOP) || len < ETH_HLEN ||
	    len > xsk_pool_get_rx_frame_size(rx->xsk)) {
		st->oversize++;
		rx->discard = !(status & NICDRV_RXD_STAT_EOP);
		goto free;
	}
	xsk_buff_set_size(xdp, len);
	xsk_buff_dma_sync_for_cpu(xdp);
	st->packets++;
	st->bytes += len;
	/* A removal halts the NIC first: a program is always there */
	act = prog ? bpf_prog_run_xdp(prog, xdp) : XDP_PASS;
	switch (act) {
	case XDP_REDIRECT:
		if (!xdp_do_redirect(a->netdev, xdp, prog)) {
			st->xdp_redirect++;
			*redirected = true;
			return;
		}
		st->xdp_redirect_errors++;
		break;
	case XDP_PASS:
		st->xdp_pass++;
		nicdrv_xsk_pass(a, xdp, st);
		return;
	case XDP_TX:
		if (nicdrv_xsk_tx_verdict(a, xdp)) {
			st->xdp_tx++;
			return;
		}
		st->xdp_tx_errors++;
		nicdrv_xdp_exception(a, prog, act, st);
		return;		/* the frame is freed */
	case XDP_DROP:
		st->xdp_drop++;
		goto free;
	default:
		break;
	}
	nicdrv_xdp_exception(a, prog, act, st);
free:
	xsk_buff_free(xdp);
}

/* NIC halted: every UMEM frame the RX ring holds goes back to the pool */
void nicdrv_xsk_rx_drain(struct nicdrv_adapter *a)
{
	struct nicdrv_rx_ring *rx = &a->rx;
	unsigned int i;

	for (i = 0; i < rx->count; i++) {
		if (rx->xsk_buf[i])
			xsk_buff_free(rx->xsk_buf[i]);
		rx->xsk_buf[i] = NULL;
	}
}

/*
 * NAPI: send what the socket queued on its TX ring, up to budget frames,
 * leaving xmit the room it keeps (xdp.c).  The UMEM frames go out as they
 * are, synced for the device; one TDT write for them all.  Returns false
 * when the budget ran out, so that NAPI polls again; true when the
 * socket's ring is empty or the TX ring full (the completions that free
 * it come with TXDW or the reclaim timer, and their poll sends more).
 */
bool nicdrv_xsk_xmit(struct nicdrv_adapter *a, int budget)
{
	struct xsk_buff_pool *pool = READ_ONCE(a->xsk_pool);
	struct netdev_queue *txq;
	struct nicdrv_tx_ring *tx = &a->tx;
	struct xdp_desc desc;
	int n = 0;

	if (!pool)
		return true;
	txq = netdev_get_tx_queue(a->netdev, 0);
	__netif_tx_lock(txq, smp_processor_id());
	while (n < budget && nicdrv_xdp_tx_room(tx) &&
	       xsk_tx_peek_desc(pool, &desc)) {
		dma_addr_t dma = xsk_buff_raw_get_dma(pool, desc.addr);

		xsk_buff_raw_dma_sync_for_device(pool, dma, desc.len);
		nicdrv_xdp_tx_desc(tx, dma, desc.len, NICDRV_TX_XSK, NULL, 0);
		n++;
	}
	if (n) {
		dma_wmb();	/* descriptors before the NIC sees TDT */
		nicdrv_wr(a, NICDRV_TDT, tx->next_to_use);
		xsk_tx_release(pool);
		txq_trans_cond_update(txq);
		nicdrv_tx_reclaim_later(a, tx, txq);
		u64_stats_update_begin(&tx->syncp);
		tx->stats.xsk += n;
		u64_stats_update_end(&tx->syncp);
	}
	__netif_tx_unlock(txq);
	/* Only NAPI sends: the socket must wake it for its next frames */
	if (xsk_uses_need_wakeup(pool))
		xsk_set_tx_need_wakeup(pool);
	return n < budget;
}

/*
 * The TX ring's UMEM frames done since the last call (NAPI's completion,
 * or the drain of a halted NIC) go onto the completion ring, in order.
 */
void nicdrv_xsk_tx_completed(struct nicdrv_adapter *a)
{
	if (a->xsk_tx_done && a->xsk_pool)
		xsk_tx_completed(a->xsk_pool, a->xsk_tx_done);
	a->xsk_tx_done = 0;
}

/*
 * ndo_xsk_wakeup: the socket queued frames to send, or filled its fill
 * ring after RX asked to be woken.  NAPI does both.
 */
int nicdrv_xsk_wakeup(struct net_device *netdev, u32 qid, u32 flags)
{
	struct nicdrv_adapter *a = netdev_priv(netdev);

	if (!netif_running(netdev))
		return -ENETDOWN;
	if (qid || !READ_ONCE(a->xsk_pool))
		return -ENXIO;
	local_bh_disable();	/* the poll runs when bottom halves return */
	napi_schedule(&a->napi);
	local_bh_enable();
	return 0;
}

/*
 * Bind or release a socket's pool (XDP_SETUP_XSK_POOL), under RTNL.  The
 * NIC is halted around the change, so no descriptor points into a UMEM
 * that is going, and none into nicdrv's pool when the NIC starts again
 * with the UMEM's frames (nicdrv_start()).
 */
static int nicdrv_xsk_enable(struct nicdrv_adapter *a,
			     struct xsk_buff_pool *pool, u16 qid)
{
	struct net_device *netdev = a->netdev;
	bool running = netif_running(netdev) && netif_device_present(netdev);
	int err;

	if (qid)
		return -EINVAL;		/* one queue */
	if (a->xsk_pool)
		return -EBUSY;
	if (rcu_access_pointer(a->cap)) {
		netdev_info(netdev, "AF_XDP zero-copy refused: a capture session on the nicdrv character device holds the RX queue\n");
		return -EBUSY;
	}
	/* One descriptor per frame, within the TX descriptor's length */
	if (xsk_pool_get_chunk_size(pool) > NICDRV_XSK_MAX_CHUNK ||
	    xsk_pool_get_rx_frame_size(pool) < NICDRV_XSK_MIN_FRAME) {
		netdev_info(netdev, "AF_XDP zero-copy refused: UMEM frames must leave %u bytes after the headroom and be at most %lu\n",
			    NICDRV_XSK_MIN_FRAME,
			    (unsigned long)NICDRV_XSK_MAX_CHUNK);
		return -EOPNOTSUPP;
	}
	err = nicdrv_fail_alloc() ? -ENOMEM :
	      xsk_pool_dma_map(pool, &a->pdev->dev, NICDRV_XSK_DMA_ATTR);
	if (err)
		return err;
	/*
	 * Every buffer of the pool names its queue, for its NAPI id: the
	 * socket's sendmsg() reads it for busy polling, program or not
	 */
	xsk_pool_set_rxq_info(pool, &a->xsk_rxq);
	/*
	 * A whole halt and start, as for a program's attach: the TX ring
	 * may hold UMEM frames only while the pool is bound, and the RX
	 * ring takes them instead of the pool's when a program is there.
	 * Suspended (detached), the resume starts the NIC anyway.
	 */
	if (running)
		nicdrv_halt(a);
	WRITE_ONCE(a->xsk_pool, pool);
	if (running)
		nicdrv_start(a);
	return 0;
}

static int nicdrv_xsk_disable(struct nicdrv_adapter *a, u16 qid)
{
	struct xsk_buff_pool *pool = a->xsk_pool;
	bool running = netif_running(a->netdev) &&
		       netif_device_present(a->netdev);

	if (qid || !pool)
		return -EINVAL;
	if (running)
		nicdrv_halt(a);
	WRITE_ONCE(a->xsk_pool, NULL);
	if (running)
		nicdrv_start(a);
	xsk_pool_dma_unmap(pool, NICDRV_XSK_DMA_ATTR);
	return 0;
}

int nicdrv_xsk_setup(struct nicdrv_adapter *a, struct xsk_buff_pool *pool,
		     u16 qid)
{
	ASSERT_RTNL();
	return pool ? nicdrv_xsk_enable(a, pool, qid) :
		      nicdrv_xsk_disable(a, qid);
}

/*
 * At start, NIC halted: the RX ring takes the UMEM's frames when both a
 * pool and a program are there, else nicdrv's pool.
 */
void nicdrv_xsk_select(struct nicdrv_adapter *a)
{
	a->rx.xsk = a->xdp_prog ? a->xsk_pool : NULL;
}
