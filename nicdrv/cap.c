// SPDX-License-Identifier: GPL-2.0
/*
 * nicdrv: capture sessions, the producer side of uapi/nicdrv.h's ring.
 *
 * Zero copy: a captured frame stays in the pool buffer the NIC wrote.  The
 * RX path (rx.c) still copies every frame into an skb for the stack; then,
 * instead of giving that buffer back to the NIC, it hands it to the reader
 * and gives the NIC a spare buffer from the session's free list.  When the
 * reader releases entries (its consumer index passes them), their buffers
 * return to the free list.  Each buffer thus has exactly one owner: a
 * descriptor (the NIC), the free list, or the reader.
 *
 * The session owns one spare per ring entry, so "a free buffer exists"
 * and "a ring slot is free" go together.  When the reader lags, both run
 * out and frames are dropped from the capture only: the descriptor keeps
 * its buffer, the stack keeps its copy, and nothing ever waits.
 *
 * Bring-up and teardown run under RTNL; the RX hooks run in NAPI, the only
 * producer.  The sync ioctls (chardev.c) may touch only buffers the reader
 * holds, so the two places where a held buffer goes back to the NIC take
 * the session lock they take.
 */
#include <linux/dma-mapping.h>
#include <linux/log2.h>
#include <linux/poll.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#include "nicdrv.h"

/* The counters as GET_STATS and status->final give them; a is bound */
void nicdrv_cap_get_stats(struct nicdrv_adapter *a, struct nicdrv_chr *chr,
			  struct nicdrv_cap_stats *out)
{
	struct nicdrv_cap_counters st;
	u64 hw[NICDRV_HW_NSTATS];

	nicdrv_stats_read(&chr->syncp, &chr->stats, &st);
	nicdrv_hw_update_stats(a, hw);
	out->frames = st.frames;
	out->bytes = st.bytes;
	out->dropped = st.dropped;
	out->truncated = st.truncated;
	out->invalid_release = st.invalid_release;
	out->nic_missed = hw[NICDRV_HW_MPC];
}

/* Everything a session allocated; the pool reference last */
void nicdrv_cap_free(struct nicdrv_session *s)
{
	vfree(s->status);
	vfree(s->ring);
	vfree(s->cons);
	kfree(s->held);
	kfree(s->free);
	if (s->pool)
		nicdrv_pool_put(s->pool);
	kfree(s);
}

/*
 * Start a session on a running interface: grow the pool, set up the
 * shared regions, build the free list from the buffers no descriptor
 * holds, then publish the session to NAPI.  Under RTNL.
 */
int nicdrv_cap_start(struct nicdrv_adapter *a, struct nicdrv_chr *chr,
		     struct nicdrv_session **out)
{
	struct nicdrv_rx_ring *rx = &a->rx;
	u32 entries = READ_ONCE(a->pool_bufs);
	struct nicdrv_session *s;
	unsigned long *posted;
	unsigned int i;
	int err;

	ASSERT_RTNL();
	if (!netif_running(a->netdev) || !rx->pool)
		return -ENETDOWN;
	if (rcu_access_pointer(a->cap))
		return -EBUSY;
	/*
	 * An XDP program owns the pool's buffers (xdp.c); after a removal
	 * that could not rebuild the rings, they keep its layout, which
	 * the capture ABI (1536-byte buffers) does not describe.
	 */
	if (a->xdp_prog || rx->pool->headroom || a->xsk_pool) {
		netdev_info(a->netdev, "capture refused: %s\n",
			    a->xdp_prog ? "an XDP program is attached; use AF_XDP or xdpdump" :
			    a->xsk_pool ? "an AF_XDP zero-copy socket is bound to the queue" :
			    "the RX buffers keep XDP's layout until the interface is next brought up");
		return -EBUSY;
	}
	err = nicdrv_pool_grow(rx->pool, rx->count + entries,
			       &a->napi);
	if (err)
		return err;
	nicdrv_pool_note(a);

	s = nicdrv_fail_alloc() ? NULL : kzalloc_obj(*s, GFP_KERNEL);
	if (!s)
		return -ENOMEM;
	s->chr = chr;
	s->entries = entries;
	s->mask = s->entries - 1;
	s->ring_len = PAGE_ALIGN(s->entries * sizeof(*s->ring));
	init_waitqueue_head(&s->wq);
	spin_lock_init(&s->lock);
	/* vmalloc_user: zeroed, page aligned, allowed into user mappings */
	s->status = nicdrv_fail_alloc() ? NULL : vmalloc_user(PAGE_SIZE);
	s->ring = nicdrv_fail_alloc() ? NULL : vmalloc_user(s->ring_len);
	s->cons = nicdrv_fail_alloc() ? NULL : vmalloc_user(PAGE_SIZE);
	s->held = nicdrv_fail_alloc() ? NULL :
		  kzalloc_objs(*s->held, rx->pool->nbufs, GFP_KERNEL);
	s->free = nicdrv_fail_alloc() ? NULL :
		  kzalloc_objs(*s->free, rx->pool->nbufs, GFP_KERNEL);
	posted = nicdrv_fail_alloc() ? NULL :
		 bitmap_zalloc(rx->pool->nbufs, GFP_KERNEL);
	if (!s->status || !s->ring || !s->cons || !s->held || !s->free ||
	    !posted) {
		bitmap_free(posted);
		nicdrv_cap_free(s);
		return -ENOMEM;
	}
	/* Without a session NAPI never changes rx->buf_id[]: it is stable */
	for (i = 0; i < rx->count; i++)
		__set_bit(rx->buf_id[i], posted);
	for (i = 0; i < rx->pool->nbufs; i++)
		if (!test_bit(i, posted))
			s->free[s->nfree++] = i;
	bitmap_free(posted);

	s->status->magic = NICDRV_CAP_MAGIC;
	s->status->version = NICDRV_CAP_VERSION;
	s->status->ring_entries = s->entries;
	s->status->state = NICDRV_CAP_LIVE;
	nicdrv_pool_get(rx->pool);
	s->pool = rx->pool;
	/* NAPI sees the session only once it is complete */
	rcu_assign_pointer(a->cap, s);
	*out = s;
	return 0;
}

/*
 * Detach the adapter's session: NAPI no longer sees it, its buffers keep
 * their pages but lose DMA with the pool's release, the reader learns the
 * end from poll() and status->state.  Under RTNL; the session itself is
 * freed when its file is released.
 */
void nicdrv_cap_end(struct nicdrv_adapter *a)
{
	struct nicdrv_session *s = rtnl_dereference(a->cap);

	if (!s)
		return;
	RCU_INIT_POINTER(a->cap, NULL);
	/* A NAPI poll may still be using the session: let it finish */
	synchronize_net();
	nicdrv_cap_abort(s);	/* a frame in progress is never published */
	nicdrv_cap_publish(s);	/* complete frames and the last counters */
	nicdrv_cap_get_stats(a, s->chr, &s->status->final);
	/*
	 * Under the lock: a sync ioctl that saw the session live has finished
	 * before the pool loses its DMA mappings.
	 */
	spin_lock_bh(&s->lock);
	/* The counters first, then the state that says they are final */
	smp_store_release(&s->status->state, NICDRV_CAP_DEAD);
	spin_unlock_bh(&s->lock);
	wake_up_interruptible_poll(&s->wq, EPOLLERR | EPOLLHUP);
}

/* A buffer the reader held goes back to the free list; under s->lock */
static void nicdrv_cap_unhold(struct nicdrv_session *s, u32 slot)
{
	u32 id = s->ring[slot & s->mask].buf;

	WRITE_ONCE(s->held[id], 0);
	s->free[s->nfree++] = id;
}

/*
 * Take back the buffers the reader released.  Its consumer index is
 * untrusted: a value outside [kcons, prod] is counted and ignored.  The
 * acquire pairs with the reader's release: its reads of the buffers are
 * done before the NIC may write them again.
 */
static void nicdrv_cap_reclaim(struct nicdrv_session *s)
{
	/* Pairs with the reader's store-release of cons */
	u32 c = smp_load_acquire(&s->cons->cons);

	if (c == s->kcons)
		return;
	if (c - s->kcons > s->prod - s->kcons) {
		if (c != s->bad_cons) {
			s->bad_cons = c;
			s->st.invalid_release++;
		}
		return;
	}
	spin_lock_bh(&s->lock);	/* NAPI, or process context at the end */
	for (; s->kcons != c; s->kcons++)
		nicdrv_cap_unhold(s, s->kcons);
	spin_unlock_bh(&s->lock);
}

static bool nicdrv_cap_room(struct nicdrv_session *s)
{
	if (s->nfree && s->pend - s->kcons < s->entries)
		return true;
	nicdrv_cap_reclaim(s);
	return s->nfree && s->pend - s->kcons < s->entries;
}

/*
 * Move the buffer at a descriptor into the ring and give the descriptor a
 * spare: *id is the descriptor's entry in rx->buf_id[].
 */
static void nicdrv_cap_stage(struct nicdrv_session *s, u16 *id,
			     unsigned int len)
{
	struct nicdrv_cap_desc *d = &s->ring[s->pend & s->mask];

	d->ts_ns = 0;
	d->buf = *id;
	d->off = 0;
	d->len = len;
	d->frame_len = 0;
	d->flags = NICDRV_CAP_F_MORE;
	d->vlan_tci = 0;
	d->reserved = 0;
	WRITE_ONCE(s->held[*id], 1);
	*id = s->free[--s->nfree];
	s->pend++;
}

/*
 * One received buffer of a frame the stack accepted (NAPI; rx.c has
 * synced its bytes for the CPU).  The frame's entries are published
 * together by nicdrv_cap_publish() once its last buffer is seen.
 */
void nicdrv_cap_rx(struct nicdrv_session *s, u16 *id, unsigned int len,
		   bool first, bool eop, u8 status, u16 special)
{
	struct nicdrv_cap_desc *d;

	if (first) {
		s->in_frame = true;
		s->frame = s->pend;
		s->frame_len = 0;
		s->trunc = false;
		s->frame_cap = nicdrv_cap_room(s);
	}
	if (!s->in_frame)	/* the session began in the middle of a frame */
		return;
	s->frame_len += len;
	if (s->frame_cap) {
		if (nicdrv_cap_room(s))
			nicdrv_cap_stage(s, id, len);
		else
			s->trunc = true;
	}
	if (!eop)
		return;
	s->in_frame = false;
	if (!s->frame_cap) {
		s->st.dropped++;
		return;
	}
	d = &s->ring[s->frame & s->mask];
	d->ts_ns = ktime_get_real_ns();
	d->frame_len = s->frame_len;
	if (status & NICDRV_RXD_STAT_VP) {
		d->flags |= NICDRV_CAP_F_VLAN;
		d->vlan_tci = special;
	}
	if (s->trunc) {
		d->flags |= NICDRV_CAP_F_TRUNC;
		s->st.truncated++;
	}
	s->ring[(s->pend - 1) & s->mask].flags &= ~NICDRV_CAP_F_MORE;
	s->st.frames++;
	s->st.bytes += s->frame_len;
	s->done = s->pend;
}

/*
 * The stack dropped the frame in progress (errors, length, no memory), or
 * the NIC stopped in the middle of one: its staged buffers go back to the
 * free list unseen.
 */
void nicdrv_cap_abort(struct nicdrv_session *s)
{
	if (!s->in_frame)
		return;
	s->in_frame = false;
	spin_lock_bh(&s->lock);	/* also from process context, at halt */
	while (s->pend != s->frame)
		nicdrv_cap_unhold(s, --s->pend);
	spin_unlock_bh(&s->lock);
}

/* End of a NAPI poll: publish the complete frames, wake the reader */
void nicdrv_cap_publish(struct nicdrv_session *s)
{
	struct nicdrv_chr *chr = s->chr;
	bool more = s->done != s->prod;

	/* Buffers the reader released go back to the free list promptly */
	nicdrv_cap_reclaim(s);
	if (more) {
		/* Pairs with the reader's acquire of prod */
		smp_store_release(&s->status->prod, s->done);
		s->prod = s->done;
	}
	if (more || s->st.dropped || s->st.invalid_release) {
		u64_stats_update_begin(&chr->syncp);
		chr->stats.frames += s->st.frames;
		chr->stats.bytes += s->st.bytes;
		chr->stats.dropped += s->st.dropped;
		chr->stats.truncated += s->st.truncated;
		chr->stats.invalid_release += s->st.invalid_release;
		u64_stats_update_end(&chr->syncp);
		memset(&s->st, 0, sizeof(s->st));
	}
	/* wq_has_sleeper() orders the prod store before the waiter check */
	if (more && wq_has_sleeper(&s->wq))
		wake_up_interruptible_poll(&s->wq, EPOLLIN | EPOLLRDNORM);
}
