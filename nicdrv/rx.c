// SPDX-License-Identifier: GPL-2.0
/*
 * nicdrv: receive.
 *
 * Each RX descriptor points at one pool buffer (pool.c).  The NIC owns the
 * descriptors from RDH up to, not including, RDT (SDM 3.2.6); it writes a
 * frame into one or more buffers, then writes back length and status with
 * DD set, and EOP on the frame's last descriptor (SDM 3.2.3).
 *
 * nicdrv_clean_rx() takes completed descriptors in order: check DD, read
 * the rest of the descriptor only after dma_rmb(), sync the received bytes
 * for the CPU, copy them into an skb, and hand the skb to GRO.  The buffer
 * is then free at once and goes back to the NIC in nicdrv_rx_post(): sync
 * for the device, zero the write-back fields, one RDT write per batch.
 * Both syncs are skipped where they do nothing (pool.c: coherent x86, no
 * bounce buffers); dma_rmb() and dma_wmb() stay, as they order the
 * descriptor accesses on every machine.  RDT is written:
 * when a poll ends, or, while NAPI keeps polling at full budget, once half
 * the ring waits (nicdrv_clean_rx()).
 * With a capture reader (cap.c) the buffer goes to the reader instead and
 * the descriptor gets a spare one: the copy for the stack is made first,
 * so the stack never waits for the reader.
 */
#include <linux/dma-mapping.h>
#include <linux/etherdevice.h>
#include <linux/if_vlan.h>
#include <linux/skbuff.h>

#include "nicdrv.h"

/* Descriptors cleaned but not yet given back to the NIC */
static u16 nicdrv_rx_unposted(const struct nicdrv_rx_ring *rx)
{
	return (nicdrv_rx_stop(rx) + rx->count - rx->next_to_use) % rx->count;
}

/*
 * Give every free descriptor to the NIC, then move RDT once.  In AF_XDP
 * zero-copy mode the buffers are the socket's UMEM frames (xsk.c).
 */
void nicdrv_rx_post(struct nicdrv_adapter *a)
{
	struct nicdrv_rx_ring *rx = &a->rx;
	const struct nicdrv_pool *pool = rx->pool;
	u16 stop = nicdrv_rx_stop(rx);
	u16 i = rx->next_to_use;
	unsigned int n = 0;

	if (unlikely(rx->xsk)) {
		nicdrv_xsk_rx_post(a);
		return;
	}
	if (i == stop)
		return;
	while (i != stop) {
		struct nicdrv_rx_desc *d = &rx->desc[i];
		u16 id = rx->buf_id[i];

		if (!pool->coherent)
			nicdrv_pool_sync_for_device(pool, id);
		/* Its bus address into the descriptor, DD cleared */
		nicdrv_rx_desc_arm(d, nicdrv_pool_buf_dma(pool, id) +
				   pool->headroom);
		i = nicdrv_rx_next(rx, i);
		n++;
	}
	rx->next_to_use = i;
	u64_stats_update_begin(&rx->syncp);
	rx->stats.reused += n;
	rx->stats.tail_writes++;
	u64_stats_update_end(&rx->syncp);
	/* The NIC may use the descriptors once it sees RDT: publish them first */
	dma_wmb();
	nicdrv_wr(a, NICDRV_RDT, i);
}

/*
 * Append one buffer's bytes to the frame being assembled.  A frame that
 * fits one buffer gets an skb of exactly its size; the parts of a longer
 * frame become page fragments.  Returns false when memory ran out.
 */
static bool nicdrv_rx_add(struct nicdrv_adapter *a, const void *data,
			  unsigned int len, bool eop)
{
	struct nicdrv_rx_ring *rx = &a->rx;
	struct sk_buff *skb = rx->skb;
	struct page *page;
	void *frag;

	if (!skb) {
		skb = nicdrv_fail_alloc() ? NULL :
		      napi_alloc_skb(&a->napi, eop ? len : NICDRV_RX_BUF_SIZE);
		if (!skb)
			return false;
		skb_put_data(skb, data, len);
		rx->skb = skb;
		return true;
	}
	frag = nicdrv_fail_alloc() ? NULL : napi_alloc_frag(len);
	if (!frag)
		return false;
	memcpy(frag, data, len);
	page = virt_to_head_page(frag);
	/* truesize: what napi_alloc_frag() took from its page */
	skb_add_rx_frag(skb, skb_shinfo(skb)->nr_frags, page,
			frag - page_address(page), len, SKB_DATA_ALIGN(len));
	return true;
}

/*
 * The NIC stripped an 802.1Q tag into 'special' (VP, SDM 3.2.3.3).  With
 * RX VLAN offload the stack takes it from the skb; without it (CTRL.VME is
 * on for TX insertion only) the tag goes back into the frame.
 */
static struct sk_buff *nicdrv_rx_vlan(struct sk_buff *skb, u16 tci,
				      netdev_features_t features)
{
	__vlan_hwaccel_put_tag(skb, htons(ETH_P_8021Q), tci);
	if (features & NETIF_F_HW_VLAN_CTAG_RX)
		return skb;
	return __vlan_hwaccel_push_inside(skb);
}

static void nicdrv_rx_drop(struct nicdrv_rx_ring *rx,
			   struct nicdrv_session *cap, bool eop)
{
	if (cap)
		nicdrv_cap_abort(cap);
	dev_kfree_skb_any(rx->skb);
	rx->skb = NULL;
	rx->discard = !eop;	/* skip the rest of this frame */
}

/* A whole frame is in rx->skb: count it and hand it to GRO */
static void nicdrv_rx_deliver(struct nicdrv_adapter *a, u8 status, u16 special,
			      struct nicdrv_rx_stats *st)
{
	struct sk_buff *skb = a->rx.skb;

	a->rx.skb = NULL;
	if (unlikely(skb->len < ETH_HLEN)) {
		st->frame_errors++;
		dev_kfree_skb_any(skb);
		return;
	}
	if (skb_shinfo(skb)->nr_frags)
		st->multi_desc++;
	st->packets++;
	st->bytes += skb->len;
	if (status & NICDRV_RXD_STAT_VP) {
		skb = nicdrv_rx_vlan(skb, special, a->netdev->features);
		if (!skb) {
			st->alloc_failed++;
			return;
		}
	}
	skb->protocol = eth_type_trans(skb, a->netdev);
	napi_gro_receive(&a->napi, skb);
}

/*
 * One completed descriptor, DD seen and the rest of it readable: check
 * it, copy its bytes into the frame being assembled, pass its buffer to a
 * capture reader, and deliver the frame at EOP.
 */
static void nicdrv_rx_desc(struct nicdrv_adapter *a, struct nicdrv_session *cap,
			   struct bpf_prog *prog, u16 di, u8 status,
			   unsigned int max_len, struct nicdrv_rx_stats *st,
			   bool *redirected)
{
	struct nicdrv_rx_ring *rx = &a->rx;
	const struct nicdrv_pool *pool = rx->pool;
	struct nicdrv_rx_desc *d = &rx->desc[di];
	unsigned int len = le16_to_cpu(d->length);
	bool eop = status & NICDRV_RXD_STAT_EOP;
	unsigned int have = rx->skb ? rx->skb->len : 0;
	u16 id = rx->buf_id[di];
	bool first = !rx->skb;
	unsigned int meta = 0;
	void *data;

	if (rx->discard) {
		rx->discard = !eop;
		return;
	}
	/* rx-all (RCTL.SBP) asks for errored frames too (SDM 13.4.22) */
	if (d->errors & NICDRV_RXD_ERR_FRAME) {
		st->frame_errors++;
		if (!(a->netdev->features & NETIF_F_RXALL)) {
			nicdrv_rx_drop(rx, cap, eop);
			return;
		}
	}
	/*
	 * A descriptor never holds more than its buffer, and a frame never
	 * more than the MTU allows nor more parts than an skb has room for;
	 * anything else is dropped, never trusted.
	 */
	if (len > pool->buf_size - pool->headroom || have + len > max_len ||
	    (rx->skb && skb_shinfo(rx->skb)->nr_frags >= MAX_SKB_FRAGS) ||
	    (prog && !(first && eop))) {
		st->oversize++;
		nicdrv_rx_drop(rx, cap, eop);
		return;
	}

	/* Nothing to do where DMA is coherent and nothing bounced (pool.c) */
	if (!pool->coherent)
		nicdrv_pool_sync_for_cpu(pool, id, len);
	data = nicdrv_pool_buf_va(pool, id) + pool->headroom;
	/* XDP: one frame in one buffer (xdp.c refuses what would not be) */
	if (prog) {
		unsigned int wire = len;

		if (nicdrv_xdp_run(a, prog, di, &data, &len, &meta, st,
				   redirected) != NICDRV_XDP_PASS) {
			/* Received, as for the stack: rx_packets counts it */
			st->packets++;
			st->bytes += wire;
			return;
		}
	}
	if (!nicdrv_rx_add(a, data - meta, meta + len, eop)) {
		st->alloc_failed++;
		nicdrv_rx_drop(rx, cap, eop);
		return;
	}
	if (meta) {		/* the program's metadata, in front of the frame */
		__skb_pull(rx->skb, meta);
		skb_metadata_set(rx->skb, meta);
	}
	/* The stack has its copy: the reader may take the buffer */
	if (cap)
		nicdrv_cap_rx(cap, &rx->buf_id[di], len, first, eop, status,
			      le16_to_cpu(d->special));
	if (eop)
		nicdrv_rx_deliver(a, status, le16_to_cpu(d->special), st);
}

static void nicdrv_rx_count(struct nicdrv_rx_ring *rx,
			    const struct nicdrv_rx_stats *st, int frames,
			    int budget)
{
	u64_stats_update_begin(&rx->syncp);
	rx->stats.packets += st->packets;
	rx->stats.bytes += st->bytes;
	rx->stats.alloc_failed += st->alloc_failed;
	rx->stats.oversize += st->oversize;
	rx->stats.frame_errors += st->frame_errors;
	rx->stats.multi_desc += st->multi_desc;
	rx->stats.xdp_pass += st->xdp_pass;
	rx->stats.xdp_drop += st->xdp_drop;
	rx->stats.xdp_tx += st->xdp_tx;
	rx->stats.xdp_redirect += st->xdp_redirect;
	rx->stats.xdp_aborted += st->xdp_aborted;
	rx->stats.xdp_invalid += st->xdp_invalid;
	rx->stats.xdp_tx_errors += st->xdp_tx_errors;
	rx->stats.xdp_redirect_errors += st->xdp_redirect_errors;
	rx->stats.xsk_fill_empty += st->xsk_fill_empty;
	rx->stats.polls++;
	if (budget && frames == budget)
		rx->stats.polls_full++;
	u64_stats_update_end(&rx->syncp);
}

/*
 * Take the frames the NIC completed, at most 'budget' of them; returns how
 * many.  The ring invariants (docs/design.md, "The ring invariants"):
 *  - the CPU reads only descriptors it handed to the NIC, from
 *    next_to_clean up to next_to_use.  The others are the CPU's own:
 *    cleaned but not yet posted again, or the one slot that always stays
 *    empty, and they still show DD from their last lap.  So the walk
 *    stops at next_to_use even when every posted descriptor is done (an
 *    overrun: RDH == RDT), and never takes a stale one for a new frame;
 *  - every frame that ends here counts against the budget, delivered or
 *    dropped, so a poll's work is bounded by frames, not by the luck of
 *    which ones were good;
 *  - DD is cleared when a descriptor is posted (nicdrv_rx_post()), and
 *    the whole ring when it is programmed (nicdrv_configure_rx()).
 */
int nicdrv_clean_rx(struct nicdrv_adapter *a, int budget)
{
	struct nicdrv_rx_ring *rx = &a->rx;
	struct nicdrv_session *cap = rcu_dereference_bh(a->cap);
	/* Read once: a swap (xdp.c) takes effect at a frame's start */
	struct bpf_prog *prog = READ_ONCE(a->xdp_prog);
	struct nicdrv_rx_stats st = { 0 };
	bool redirected = false, starved = false;
	/* rx-all takes whatever the NIC accepted, up to QEMU's limit */
	unsigned int max_len = a->netdev->features & NETIF_F_RXALL ?
			       NICDRV_MAX_FRAME :
			       a->netdev->mtu + ETH_HLEN + VLAN_HLEN;
	u16 i = rx->next_to_clean;
	int frames = 0;

	while (frames < budget && i != rx->next_to_use) {
		u8 status = READ_ONCE(rx->desc[i].status);

		if (!(status & NICDRV_RXD_STAT_DD))
			break;
		/* The other fields are valid only once DD is seen (SDM 3.2.3) */
		dma_rmb();
		if (unlikely(rx->xsk))
			nicdrv_xsk_rx_desc(a, prog, i, status, &st,
					   &redirected);
		else
			nicdrv_rx_desc(a, cap, prog, i, status, max_len, &st,
				       &redirected);
		if (status & NICDRV_RXD_STAT_EOP)
			frames++;
		i = nicdrv_rx_next(rx, i);
	}
	rx->next_to_clean = i;
	/*
	 * Every RDT write makes QEMU flush the frames it queued while the ring
	 * was full and re-arm its tap reader, under its global lock: fewer,
	 * larger batches measured faster (docs/performance.md, item 10).  So
	 * while the stream keeps NAPI polling at full budget, the buffers go
	 * back once half the ring waits; the NIC still holds the other half.
	 * A poll that ends below budget gives back everything, so a quiet
	 * ring (and a ping) always has every buffer posted.
	 */
	if (unlikely(rx->xsk))
		starved = nicdrv_xsk_rx_refill(a, &st);
	else if (frames < budget || nicdrv_rx_unposted(rx) >= rx->count / 2)
		nicdrv_rx_post(a);
	if (prog)
		nicdrv_xdp_flush(a, redirected);
	if (cap)
		nicdrv_cap_publish(cap);
	nicdrv_rx_count(rx, &st, frames, budget);
	/* Waiting for the socket's fill ring, which does not wake NAPI */
	return starved ? budget : frames;
}

/*
 * NIC stopped: drop a half-assembled frame.  Indices and the discard flag
 * are reset by nicdrv_configure_rx(), with the NIC's head and tail.
 */
void nicdrv_rx_drain(struct nicdrv_adapter *a)
{
	dev_kfree_skb_any(a->rx.skb);
	a->rx.skb = NULL;
	if (a->rx.xsk)
		nicdrv_xsk_rx_drain(a);
}
