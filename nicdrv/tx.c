// SPDX-License-Identifier: GPL-2.0
/*
 * nicdrv: transmit.
 *
 * xmit maps the skb head with dma_map_single() and each fragment with
 * skb_frag_dma_map(), both DMA_TO_DEVICE, and describes them with
 * extended data descriptors (SDM 3.3.7).  A frame of at most tx-copybreak
 * bytes is copied into its first data descriptor's slot of the coherent
 * copy area (ring.c) instead: no mapping to make or undo.  The NIC reads
 * the data when the tail (TDT) moves past the descriptors; in QEMU that
 * happens inside the TDT write itself.  Completion (nicdrv_clean_tx, in
 * NAPI) unmaps and frees once the NIC has written DD back into the
 * packet's last descriptor.
 *
 * Ownership: descriptors in [next_to_clean, next_to_use) belong to the NIC
 * once TDT has passed them; everything else belongs to the driver.
 */
#include <linux/bitfield.h>
#include <linux/dma-mapping.h>
#include <linux/etherdevice.h>
#include <linux/if_vlan.h>
#include <linux/ip.h>
#include <linux/skbuff.h>
#include <linux/tcp.h>
#include <net/checksum.h>

#include "nicdrv.h"

/* Descriptors one skb needs, counting a possible context descriptor */
static unsigned int nicdrv_tx_desc_count(const struct sk_buff *skb)
{
	unsigned int n = 1 + NICDRV_TXD_NEEDED(skb_headlen(skb));
	unsigned int f;

	for (f = 0; f < skb_shinfo(skb)->nr_frags; f++)
		n += NICDRV_TXD_NEEDED(skb_frag_size(&skb_shinfo(skb)->frags[f]));
	return n;
}

static void nicdrv_tx_unmap(struct device *dev, struct nicdrv_tx_buf *buf)
{
	if (!buf->len)
		return;
	if (buf->is_page)
		dma_unmap_page(dev, buf->dma, buf->len, DMA_TO_DEVICE);
	else
		dma_unmap_single(dev, buf->dma, buf->len, DMA_TO_DEVICE);
	buf->len = 0;
}

/*
 * Checksum offload (SDM 3.3.6): a context descriptor tells the NIC where
 * the checksum starts (TUCSS) and where to store it (TUCSO); the data
 * descriptors then ask for it with POPTS.TXSM.  The stack has already put
 * the pseudo-header sum into the checksum field, so this is the generic
 * NETIF_F_HW_CSUM contract.  The NIC keeps the last context, so a new one
 * is written only when the offsets change.
 *
 * Returns the POPTS bits for the data descriptors; *i advances past a
 * context descriptor if one was written.
 */
static u32 nicdrv_tx_csum(struct nicdrv_tx_ring *tx, struct sk_buff *skb,
			  u16 *i)
{
	unsigned int css = skb_checksum_start_offset(skb);
	unsigned int cso = css + skb->csum_offset;
	struct nicdrv_tx_ctx_desc *ctx;
	u32 key;

	key = css | cso << 8 | BIT(16);
	if (key == tx->ctx_key)
		return NICDRV_TXD_POPTS_TXSM;

	ctx = (struct nicdrv_tx_ctx_desc *)&tx->desc[*i];
	ctx->ipcss = 0;
	ctx->ipcso = 0;
	ctx->ipcse = 0;
	ctx->tucss = css;
	ctx->tucso = cso;
	ctx->tucse = 0;		/* checksum runs to the end of the packet */
	ctx->cmd_and_length = cpu_to_le32(NICDRV_TXD_CMD_DEXT |
					  NICDRV_TXD_DTYP_C);
	ctx->status = 0;
	ctx->hdr_len = 0;
	ctx->mss = 0;
	tx->ctx_key = key;
	*i = nicdrv_tx_next(tx, *i);
	return NICDRV_TXD_POPTS_TXSM;
}

/*
 * TCP segmentation (SDM 3.5): one context descriptor carries the header
 * length, the MSS and the payload length; the NIC cuts the payload into
 * MSS-sized frames, copying the headers in front of each and fixing
 * lengths, IPv4 IDs and checksums.  For that the headers must hold zero
 * lengths and a pseudo-header sum without length.
 *
 * IPv4 only: QEMU 7.2 writes an IPv6 segment's payload length with the
 * 40-byte IPv6 header counted in (xmit_seg() in hw/net/e1000.c), so the
 * receiver drops every segment; no context layout avoids that.  nicdrv
 * therefore offers no NETIF_F_TSO6 and IPv6 TCP uses software GSO.
 * Another QEMU quirk (docs/design.md): a payload that is an exact multiple
 * of the MSS gets one extra, header-only frame at the end; receivers take
 * it for an ACK.
 *
 * Returns the POPTS bits for the data descriptors, or a negative errno.
 */
static int nicdrv_tx_tso(struct nicdrv_tx_ring *tx, struct sk_buff *skb,
			 u16 *i)
{
	unsigned int hdr_len = skb_tcp_all_headers(skb);
	unsigned int tucss = skb_transport_offset(skb);
	unsigned int ipcss = skb_network_offset(skb);
	struct nicdrv_tx_ctx_desc *ctx;
	struct iphdr *iph;
	int err;

	err = skb_cow_head(skb, 0);	/* the headers are about to change */
	if (err < 0)
		return err;

	iph = ip_hdr(skb);
	iph->tot_len = 0;
	iph->check = 0;
	tcp_hdr(skb)->check = ~csum_tcpudp_magic(iph->saddr, iph->daddr, 0,
						 IPPROTO_TCP, 0);

	ctx = (struct nicdrv_tx_ctx_desc *)&tx->desc[*i];
	ctx->ipcss = ipcss;
	ctx->ipcso = ipcss + offsetof(struct iphdr, check);
	ctx->ipcse = cpu_to_le16(tucss - 1);
	ctx->tucss = tucss;
	ctx->tucso = tucss + offsetof(struct tcphdr, check);
	ctx->tucse = 0;
	ctx->cmd_and_length = cpu_to_le32(NICDRV_TXD_CMD_DEXT |
					  NICDRV_TXD_DTYP_C |
					  NICDRV_TXD_CMD_TSE | NICDRV_TXD_CTX_TCP |
					  NICDRV_TXD_CTX_IP |
					  FIELD_PREP(NICDRV_TXD_LEN,
						     skb->len - hdr_len));
	ctx->status = 0;
	ctx->hdr_len = hdr_len;
	ctx->mss = cpu_to_le16(skb_shinfo(skb)->gso_size);
	/* The checksum context the NIC held is gone */
	tx->ctx_key = 0;
	*i = nicdrv_tx_next(tx, *i);
	return NICDRV_TXD_POPTS_TXSM | NICDRV_TXD_POPTS_IXSM;
}

/* Record a streaming mapping on the slot of its first descriptor */
static void nicdrv_tx_mapped(struct nicdrv_tx_ring *tx, u16 i, dma_addr_t dma,
			     unsigned int len, bool is_page)
{
	struct nicdrv_tx_buf *buf = &tx->buf[i];

	buf->dma = dma;
	buf->len = len;
	buf->is_page = is_page;
}

/*
 * Describe one buffer, splitting it at NICDRV_MAX_TXD_LEN.  Returns the
 * index after the last descriptor written.
 */
static u16 nicdrv_tx_fill(struct nicdrv_tx_ring *tx, u16 i, dma_addr_t dma,
			  unsigned int len, u32 dcmd, u32 popts, u16 *last)
{
	unsigned int off = 0;

	while (off < len) {
		unsigned int chunk = min_t(unsigned int, len - off,
					   NICDRV_MAX_TXD_LEN);
		struct nicdrv_tx_desc *d = &tx->desc[i];

		d->buffer_addr = cpu_to_le64(dma + off);
		d->lower = cpu_to_le32(NICDRV_TXD_CMD_DEXT | NICDRV_TXD_DTYP_D |
				       NICDRV_TXD_CMD_IFCS | dcmd |
				       FIELD_PREP(NICDRV_TXD_LEN, chunk));
		d->upper = cpu_to_le32(popts);	/* also clears DD and VLAN */
		*last = i;
		off += chunk;
		i = nicdrv_tx_next(tx, i);
	}
	return i;
}

/*
 * Map the skb head and fragments and describe them, from *i on.  On
 * failure *i is past the slots mapped so far, for the caller to unwind.
 */
static int nicdrv_tx_map(struct nicdrv_tx_ring *tx, struct device *dev,
			 struct sk_buff *skb, u16 *i, u32 dcmd, u32 popts,
			 u16 *last)
{
	unsigned int f;
	dma_addr_t dma;

	if (skb_headlen(skb)) {
		if (nicdrv_fail_dma_map())
			return -ENOMEM;
		dma = dma_map_single(dev, skb->data, skb_headlen(skb),
				     DMA_TO_DEVICE);
		if (dma_mapping_error(dev, dma))
			return -ENOMEM;
		nicdrv_tx_mapped(tx, *i, dma, skb_headlen(skb), false);
		*i = nicdrv_tx_fill(tx, *i, dma, skb_headlen(skb), dcmd, popts,
				    last);
	}
	for (f = 0; f < skb_shinfo(skb)->nr_frags; f++) {
		skb_frag_t *frag = &skb_shinfo(skb)->frags[f];

		if (nicdrv_fail_dma_map())
			return -ENOMEM;
		dma = skb_frag_dma_map(dev, frag, 0, skb_frag_size(frag),
				       DMA_TO_DEVICE);
		if (dma_mapping_error(dev, dma))
			return -ENOMEM;
		nicdrv_tx_mapped(tx, *i, dma, skb_frag_size(frag), true);
		*i = nicdrv_tx_fill(tx, *i, dma, skb_frag_size(frag), dcmd,
				    popts, last);
	}
	return 0;
}

/*
 * Stop the queue unless 'need' descriptors are free; returns whether they
 * are.  Pairs with __netif_txq_completed_wake() in nicdrv_clean_tx(): either
 * the cleaner sees the stopped queue and wakes it, or the second look here
 * (after a barrier) sees what it freed and starts the queue again.  The
 * first look is inline (nicdrv_tx_room()): it is the only one a frame pays
 * for while the ring has room.
 */
static noinline bool nicdrv_tx_maybe_stop(struct nicdrv_tx_ring *tx,
					  struct netdev_queue *txq,
					  unsigned int need)
{
	int ret = netif_txq_maybe_stop(txq, nicdrv_tx_unused(tx), need, need);

	if (likely(ret > 0))
		return true;
	u64_stats_update_begin(&tx->xsyncp);
	tx->xstats.stopped++;
	u64_stats_update_end(&tx->xsyncp);
	return ret < 0;		/* -1: the second look found room */
}

static inline bool nicdrv_tx_room(struct nicdrv_tx_ring *tx,
				  struct netdev_queue *txq, unsigned int need)
{
	return likely(nicdrv_tx_unused(tx) >= need) ||
	       nicdrv_tx_maybe_stop(tx, txq, need);
}

/*
 * Checksum or segmentation offload, and VLAN insertion (SDM 3.3.7.1: VLE
 * in DCMD, the tag in the 'special' field).  Sets the DCMD and POPTS bits
 * the data descriptors carry; *i advances past a context descriptor if one
 * was written.  A negative errno drops the frame.
 */
static int nicdrv_tx_offload(struct nicdrv_tx_ring *tx, struct sk_buff *skb,
			     u16 *i, u32 *dcmd, u32 *popts)
{
	int ret;

	if (skb_is_gso(skb)) {
		ret = nicdrv_tx_tso(tx, skb, i);
		if (ret < 0)
			return ret;
		*popts = ret;
		*dcmd = NICDRV_TXD_CMD_TSE;
	} else if (skb->ip_summed == CHECKSUM_PARTIAL) {
		/* TUCSS and TUCSO are 8-bit fields */
		if (skb_checksum_start_offset(skb) + skb->csum_offset > U8_MAX) {
			ret = skb_checksum_help(skb);
			if (ret)
				return ret;
		} else {
			*popts = nicdrv_tx_csum(tx, skb, i);
		}
	}
	if (skb_vlan_tag_present(skb)) {
		*dcmd |= NICDRV_TXD_CMD_VLE;
		*popts |= FIELD_PREP(NICDRV_TXD_VLAN, skb_vlan_tag_get(skb));
	}
	return 0;
}

/*
 * A small frame, head and fragments, is copied into the slot of its data
 * descriptor.  The slot is coherent memory, so the dma_wmb() before the
 * doorbell is all the NIC needs.  The skb stays until completion, as a
 * mapped one does, for BQL and the socket's send-buffer accounting.
 * Returns the index after the descriptor.
 */
static u16 nicdrv_tx_copy(struct nicdrv_tx_ring *tx, const struct sk_buff *skb,
			  u16 i, u32 dcmd, u32 popts, u16 *last)
{
	skb_copy_bits(skb, 0, tx->copy + i * NICDRV_TX_COPY_SLOT, skb->len);
	return nicdrv_tx_fill(tx, i, tx->copy_dma + i * NICDRV_TX_COPY_SLOT,
			      skb->len, dcmd, popts, last);
}

static void nicdrv_tx_count(struct nicdrv_tx_ring *tx,
			    const struct sk_buff *skb, bool copied, u32 popts,
			    u32 old_key)
{
	u64_stats_update_begin(&tx->xsyncp);
	if (copied)
		tx->xstats.copied++;
	if (popts & NICDRV_TXD_POPTS_TXSM)
		tx->xstats.csum_offload++;
	if (skb_is_gso(skb)) {
		tx->xstats.tso++;
		tx->xstats.tso_segs += skb_shinfo(skb)->gso_segs;
		tx->xstats.ctx_desc++;
	} else if (tx->ctx_key != old_key) {
		tx->xstats.ctx_desc++;
	}
	u64_stats_update_end(&tx->xsyncp);
}

/*
 * Close the frame and hand its slots to nicdrv_clean_tx().  Only the last
 * descriptor ends the frame and asks for status (EOP, RS: SDM 3.3.7.1),
 * so the NIC writes DD once per frame.  Returns the bytes the frame puts
 * on the wire, for BQL: every TSO segment carries its own headers.
 */
static unsigned int nicdrv_tx_publish(struct nicdrv_tx_ring *tx,
				      struct sk_buff *skb, u16 first, u16 last,
				      u16 next)
{
	struct nicdrv_tx_buf *buf = &tx->buf[first];
	unsigned int segs = skb_is_gso(skb) ? skb_shinfo(skb)->gso_segs : 1;
	unsigned int bytes = max_t(unsigned int, skb->len, ETH_ZLEN);

	tx->desc[last].lower |= cpu_to_le32(NICDRV_TXD_CMD_EOP |
					    NICDRV_TXD_CMD_RS);
	if (segs > 1)
		bytes += (segs - 1) * skb_tcp_all_headers(skb);
	buf->skb = skb;
	buf->type = NICDRV_TX_SKB;
	buf->eop = last;
	buf->bytes = bytes;
	buf->segs = segs;
	skb_tx_timestamp(skb);
	/* Pairs with smp_load_acquire() in nicdrv_clean_tx() */
	smp_store_release(&tx->next_to_use, next);
	return bytes;
}

/*
 * Frames queued before this one with xmit_more were held back from the
 * NIC: a frame that goes no further must still ring their doorbell.
 */
static void nicdrv_tx_flush(struct nicdrv_adapter *a)
{
	nicdrv_wr(a, NICDRV_TDT, a->tx.next_to_use);
}

/* A mapping failed, nothing was published: unmap the slots filled so far */
static void nicdrv_tx_unwind(struct nicdrv_tx_ring *tx, struct device *dev,
			     u16 first, u16 next, u32 old_key)
{
	for (; first != next; first = nicdrv_tx_next(tx, first))
		nicdrv_tx_unmap(dev, &tx->buf[first]);
	tx->ctx_key = old_key;
	u64_stats_update_begin(&tx->xsyncp);
	tx->xstats.dma_map_failed++;
	u64_stats_update_end(&tx->xsyncp);
}

netdev_tx_t nicdrv_xmit_frame(struct sk_buff *skb, struct net_device *netdev)
{
	struct nicdrv_adapter *a = netdev_priv(netdev);
	struct netdev_queue *txq = netdev_get_tx_queue(netdev, 0);
	struct nicdrv_tx_ring *tx = &a->tx;
	struct device *dev = &a->pdev->dev;
	u16 first = tx->next_to_use, i = first, last = first;
	u32 old_key = tx->ctx_key, popts = 0, dcmd = 0;
	unsigned int bytes;
	bool copied;

	/*
	 * 1. Room.  The stop below keeps room for a worst-case skb, so this
	 * is a bug if it happens; the stack requeues the skb.
	 */
	if (unlikely(!nicdrv_tx_room(tx, txq, nicdrv_tx_desc_count(skb)))) {
		u64_stats_update_begin(&tx->xsyncp);
		tx->xstats.busy++;
		u64_stats_update_end(&tx->xsyncp);
		nicdrv_tx_flush(a);
		return NETDEV_TX_BUSY;
	}

	/* 2. Offloads, with a context descriptor if the NIC needs a new one */
	if (nicdrv_tx_offload(tx, skb, &i, &dcmd, &popts))
		goto drop;

	/* 3. The data: copied into the coherent area, or mapped */
	copied = skb->len <= READ_ONCE(a->tx_copybreak) && !skb_is_gso(skb);
	if (copied)
		i = nicdrv_tx_copy(tx, skb, i, dcmd, popts, &last);
	else if (nicdrv_tx_map(tx, dev, skb, &i, dcmd, popts, &last))
		goto unwind;

	/* 4. Publish the slots, then stop the queue if the next may not fit */
	nicdrv_tx_count(tx, skb, copied, popts, old_key);
	bytes = nicdrv_tx_publish(tx, skb, first, last, i);
	nicdrv_tx_room(tx, txq, NICDRV_TX_STOP_THRESH);

	/*
	 * 5. The doorbell, unless more packets follow right away.  The skb
	 * may be completed and freed as soon as TDT is written: do not touch
	 * it after this point.  dma_wmb() orders the descriptor writes before
	 * the NIC can read them (writel orders them too; this says why).
	 */
	if (__netdev_tx_sent_queue(txq, bytes, netdev_xmit_more())) {
		dma_wmb();
		nicdrv_wr(a, NICDRV_TDT, i);
	}
	nicdrv_tx_reclaim_later(a, tx, txq);
	return NETDEV_TX_OK;

unwind:
	nicdrv_tx_unwind(tx, dev, first, i, old_key);
drop:
	dev_core_stats_tx_dropped_inc(netdev);
	dev_kfree_skb_any(skb);
	if (!netdev_xmit_more())
		nicdrv_tx_flush(a);
	return NETDEV_TX_OK;
}

/*
 * Reclaim descriptors the NIC has finished with.  Returns true when the
 * ring is clean (or the work bound was not reached).
 */
bool nicdrv_clean_tx(struct nicdrv_adapter *a, int napi_budget)
{
	struct netdev_queue *txq = netdev_get_tx_queue(a->netdev, 0);
	struct nicdrv_tx_ring *tx = &a->tx;
	struct device *dev = &a->pdev->dev;
	unsigned int bytes = 0, segs = 0, work = tx->count;
	unsigned int done = 0, xdp_bytes = 0;
	u16 i = tx->next_to_clean;
	/* Pairs with smp_store_release() in xmit: slots before it are filled */
	u16 ntu = smp_load_acquire(&tx->next_to_use);

	while (i != ntu && work) {
		struct nicdrv_tx_buf *first = &tx->buf[i];
		struct sk_buff *skb = first->skb;
		u16 eop = first->eop;

		/* DD in the last descriptor: the NIC is done with the frame */
		if (!(READ_ONCE(tx->desc[eop].upper) &
		      cpu_to_le32(NICDRV_TXD_STAT_DD)))
			break;

		done++;
		segs += first->segs;
		for (;;) {
			nicdrv_tx_unmap(dev, &tx->buf[i]);
			if (i == eop)
				break;
			i = nicdrv_tx_next(tx, i);
		}
		i = nicdrv_tx_next(tx, i);
		if (likely(first->type == NICDRV_TX_SKB)) {
			bytes += first->bytes;	/* the stack's: for BQL */
			first->skb = NULL;
			napi_consume_skb(skb, napi_budget);
		} else {
			xdp_bytes += first->bytes;
			nicdrv_xdp_tx_done(a, first);
		}
		work--;
	}
	if (!done)
		return true;

	WRITE_ONCE(tx->next_to_clean, i);
	if (a->xsk_tx_done)
		nicdrv_xsk_tx_completed(a);

	u64_stats_update_begin(&tx->syncp);
	tx->stats.packets += segs;
	tx->stats.bytes += bytes + xdp_bytes;
	u64_stats_update_end(&tx->syncp);

	/*
	 * Report to BQL, then wake the queue if it is stopped and has room.
	 * Pairs with netif_txq_maybe_stop() in nicdrv_tx_maybe_stop().  BQL
	 * counts bytes, the stack's only; the wake looks at every frame done,
	 * since XDP's frees room too, and needs the barrier that BQL's report
	 * makes only when it has bytes to report.
	 */
	if (!bytes)
		smp_mb();	/* pairs with netif_txq_try_stop()'s smp_mb() */
	if (!__netif_txq_completed_wake(txq, done, bytes, nicdrv_tx_unused(tx),
					nicdrv_tx_wake_thresh(tx),
					!netif_running(a->netdev))) {
		u64_stats_update_begin(&tx->syncp);
		tx->stats.restart_queue++;
		u64_stats_update_end(&tx->syncp);
	}
	return work > 0;
}

/* Interface going down, NIC stopped: free what the NIC never completed */
void nicdrv_tx_drain(struct nicdrv_adapter *a)
{
	struct nicdrv_tx_ring *tx = &a->tx;
	unsigned int i;

	if (!tx->buf)
		return;
	for (i = 0; i < tx->count; i++) {
		struct nicdrv_tx_buf *buf = &tx->buf[i];

		nicdrv_tx_unmap(&a->pdev->dev, buf);
		if (buf->type != NICDRV_TX_SKB) {
			nicdrv_xdp_tx_done(a, buf);
		} else if (buf->skb) {
			dev_kfree_skb_any(buf->skb);
			buf->skb = NULL;
		}
	}
	nicdrv_xsk_tx_completed(a);
	netdev_tx_reset_queue(netdev_get_tx_queue(a->netdev, 0));
}
