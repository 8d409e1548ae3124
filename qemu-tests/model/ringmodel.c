// SPDX-License-Identifier: GPL-2.0
/*
 * ringmodel: nicdrv's own ring code against a model of the 82540EM.
 *
 * nicdrv/rx.c, tx.c, irq.c, ring.c, hw.c and pool.c are compiled
 * unchanged in user space (kshim.h stands in for the kernel) and driven
 * by a model NIC that behaves as the 8254x SDM and QEMU's e1000 do where
 * it matters to the rings:
 *   - RX (SDM 3.2): the NIC fills descriptors from RDH while RDH != RDT;
 *     a frame longer than a buffer spans descriptors, EOP on the last; a
 *     frame that needs more descriptors than are free is dropped and
 *     counted (MPC, RNBC, RXO); with no free descriptor at all the frame
 *     waits (QEMU holds it back);
 *   - TX (SDM 3.3): the NIC reads descriptors from TDH to TDT, either
 *     inside the TDT write (QEMU) or later (hardware), and writes DD back
 *     where RS asks for it;
 *   - DMA: the NIC reaches memory only through live mappings, which
 *     bounce as swiotlb does (kshim.h): RX data lands in a device copy
 *     that only dma_sync_*_for_cpu() or the unmap brings to the CPU, so
 *     a missing sync shows as a bad payload.
 *
 * Every frame carries a sequence number and a payload that is a function
 * of it.  The invariants checked, at every ring size the driver accepts:
 *   - the CPU cleans only descriptors the NIC completed: after each poll,
 *     the descriptors cleaned never outnumber the ones completed and not
 *     yet cleaned;
 *   - every frame the NIC accepted is delivered exactly once, in order,
 *     with its bytes intact (or dropped for a reason the driver counts);
 *   - every TX frame is sent once, in order, intact, its skb freed once
 *     after that, every mapping undone once;
 *   - after a halt, interrupts stay masked and the reclaim timer idle.
 * Output: KTAP, then "N passed, N failed".
 */
#include <malloc.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <unistd.h>

#include "nicdrv.h"

/* ------------------------------------------------------------------ */
/* Results                                                            */

static int ncase, nfailed;
static int errors;
static char first_error[512];

static void model_fail(const char *fmt, ...)
{
	va_list ap;

	if (errors++)
		return;
	va_start(ap, fmt);
	vsnprintf(first_error, sizeof(first_error), fmt, ap);
	va_end(ap);
}

static void report(const char *name)
{
	ncase++;
	if (errors) {
		nfailed++;
		printf("# %s: %s (%d errors)\n", name, first_error, errors);
		printf("not ok %d %s\n", ncase, name);
	} else {
		printf("ok %d %s\n", ncase, name);
	}
	fflush(stdout);
	errors = 0;
	first_error[0] = 0;
}

static const char *current_case = "";

static void on_alarm(int sig)
{
	(void)sig;
	printf("# %s: no progress for 60 s (a poll that never returns?)\n",
	       current_case);
	printf("not ok %d %s\n", ncase + 1, current_case);
	printf("%d passed, %d failed\n", ncase - nfailed, nfailed + 1);
	fflush(stdout);
	_exit(1);
}

/* A small, seeded PRNG: every run makes the same choices */
static u64 rng_state = 0x9e3779b97f4a7c15ULL;

static u32 rnd(u32 n)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return n ? (u32)(rng_state % n) : 0;
}

/* ------------------------------------------------------------------ */
/* Time, the reclaim timer                                            */

static u64 now_ns = 1000000000ULL;

u64 model_now_ns(void)
{
	return now_ns;
}

void hrtimer_start(struct hrtimer *t, ktime_t rel, enum hrtimer_mode mode)
{
	(void)mode;
	t->queued = true;
	t->expires = now_ns + rel;
}

int hrtimer_cancel(struct hrtimer *t)
{
	bool was = t->queued;

	t->queued = false;
	return was;
}

/* ------------------------------------------------------------------ */
/* DMA                                                                */

#define MAX_MAPS 65536
static struct {
	u8 *cpu;
	u8 *dev;		/* the device's copy: its bus address */
	size_t len;
	int dir;
} maps[MAX_MAPS];
static int nmaps;		/* live streaming mappings */
static int maps_top;		/* no live mapping at or above this slot */
static int fail_map_at;		/* the N-th mapping from now fails */

/* Streaming mappings bounce: the NIC sees its own copy of the buffer */
dma_addr_t model_dma_map(void *cpu, size_t len, enum dma_data_direction dir)
{
	int i;

	if (fail_map_at && !--fail_map_at)
		return 0;
	for (i = 0; i < MAX_MAPS; i++) {
		if (!maps[i].cpu) {
			maps[i].cpu = cpu;
			maps[i].dev = malloc(len);
			if (dir != DMA_FROM_DEVICE)
				memcpy(maps[i].dev, cpu, len);
			maps[i].len = len;
			maps[i].dir = dir;
			nmaps++;
			if (i >= maps_top)
				maps_top = i + 1;
			return (dma_addr_t)(uintptr_t)maps[i].dev;
		}
	}
	model_fail("more than %d live mappings", MAX_MAPS);
	return 0;
}

/* The live mapping that holds [dma, dma + len), or -1 */
static int map_of(dma_addr_t dma, size_t len)
{
	u8 *p = (u8 *)(uintptr_t)dma;
	int i;

	for (i = 0; i < maps_top; i++)
		if (maps[i].cpu && p >= maps[i].dev &&
		    p + len <= maps[i].dev + maps[i].len)
			return i;
	return -1;
}

void model_dma_unmap(dma_addr_t dma, size_t len, enum dma_data_direction dir)
{
	int i = map_of(dma, len);

	if (i < 0 || maps[i].dev != (u8 *)(uintptr_t)dma ||
	    maps[i].len != len || maps[i].dir != (int)dir) {
		model_fail("unmap of %#llx+%zu (dir %d): not mapped so",
			   (unsigned long long)dma, len, dir);
		return;
	}
	if (dir != DMA_TO_DEVICE)
		memcpy(maps[i].cpu, maps[i].dev, len);
	free(maps[i].dev);
	maps[i].cpu = NULL;
	nmaps--;
}

void model_dma_sync(dma_addr_t dma, size_t off, size_t len, bool for_cpu)
{
	int i = map_of(dma + off, len);

	if (i < 0) {
		model_fail("sync of %#llx+%zu+%zu: not mapped",
			   (unsigned long long)dma, off, len);
		return;
	}
	off = (u8 *)(uintptr_t)(dma + off) - maps[i].dev;
	if (for_cpu)
		memcpy(maps[i].cpu + off, maps[i].dev + off, len);
	else if (maps[i].dir != DMA_FROM_DEVICE)
		memcpy(maps[i].dev + off, maps[i].cpu + off, len);
}

void *alloc_pages_exact(size_t size, gfp_t gfp)
{
	void *va = aligned_alloc(4096, size);

	if (va && (gfp & __GFP_ZERO))
		memset(va, 0, size);
	return va;
}

void free_pages_exact(void *va, size_t size)
{
	(void)size;
	free(va);
}

dma_addr_t skb_frag_dma_map(struct device *dev, const skb_frag_t *frag,
			    size_t off, size_t size,
			    enum dma_data_direction dir)
{
	(void)dev;
	return model_dma_map((u8 *)frag->addr + frag->offset + off, size, dir);
}

/* Coherent allocations: the rings and the TX copy area */
#define MAX_COHERENT 64
static struct {
	u8 *cpu;
	size_t len;
} coh[MAX_COHERENT];

void *model_dma_alloc_coherent(size_t size, dma_addr_t *dma)
{
	int i;

	for (i = 0; i < MAX_COHERENT; i++) {
		if (!coh[i].cpu) {
			coh[i].cpu = aligned_alloc(4096, (size + 4095) & ~4095UL);
			memset(coh[i].cpu, 0xff, size);	/* stale DD everywhere */
			coh[i].len = size;
			*dma = (dma_addr_t)(uintptr_t)coh[i].cpu;
			return coh[i].cpu;
		}
	}
	return NULL;
}

void model_dma_free_coherent(size_t size, void *cpu, dma_addr_t dma)
{
	int i;

	(void)dma;
	for (i = 0; i < MAX_COHERENT; i++) {
		if (coh[i].cpu == cpu && coh[i].len == size) {
			free(cpu);
			coh[i].cpu = NULL;
			return;
		}
	}
	model_fail("dma_free_coherent of memory not allocated so");
}

/* May the NIC read [addr, addr + len)?  Mapped to it, or coherent. */
static bool nic_may_read(dma_addr_t addr, size_t len)
{
	u8 *p = (u8 *)(uintptr_t)addr;
	int i;

	for (i = 0; i < MAX_COHERENT; i++)
		if (coh[i].cpu && p >= coh[i].cpu &&
		    p + len <= coh[i].cpu + coh[i].len)
			return true;
	i = map_of(addr, len);
	return i >= 0 && maps[i].dir == DMA_TO_DEVICE;
}

/* ------------------------------------------------------------------ */
/* Capture sessions                                                   */

/* Capture sessions are not modelled: a never is attached */
void nicdrv_cap_rx(struct nicdrv_session *s, u16 *id, unsigned int len,
		   bool first, bool eop, u8 status, u16 special)
{
	model_fail("capture hook called without a session");
}

void nicdrv_cap_abort(struct nicdrv_session *s)
{
	model_fail("capture hook called without a session");
}

void nicdrv_cap_publish(struct nicdrv_session *s)
{
	model_fail("capture hook called without a session");
}

/* XDP is not modelled either: no program is ever attached */
int nicdrv_xdp_run(struct nicdrv_adapter *a, struct bpf_prog *prog, u16 di,
		   void **data, unsigned int *len, unsigned int *meta,
		   struct nicdrv_rx_stats *st, bool *redirected)
{
	model_fail("XDP hook called without a program");
	return NICDRV_XDP_CONSUMED;
}

void nicdrv_xdp_flush(struct nicdrv_adapter *a, bool redirected)
{
	model_fail("XDP hook called without a program");
}

void nicdrv_xdp_tx_done(struct nicdrv_adapter *a, struct nicdrv_tx_buf *buf)
{
	model_fail("an XDP TX slot without a program");
}

/* Nor AF_XDP: no socket's pool is ever bound (rx->xsk, a->xsk_pool NULL) */
bool nicdrv_xsk_rx_post(struct nicdrv_adapter *a)
{
	model_fail("AF_XDP hook called without a socket");
	return true;
}

bool nicdrv_xsk_rx_refill(struct nicdrv_adapter *a, struct nicdrv_rx_stats *st)
{
	model_fail("AF_XDP hook called without a socket");
	return false;
}

void nicdrv_xsk_rx_desc(struct nicdrv_adapter *a, struct bpf_prog *prog,
			u16 di, u8 status, struct nicdrv_rx_stats *st,
			bool *redirected)
{
	model_fail("AF_XDP hook called without a socket");
}

void nicdrv_xsk_rx_drain(struct nicdrv_adapter *a)
{
	model_fail("AF_XDP hook called without a socket");
}

bool nicdrv_xsk_xmit(struct nicdrv_adapter *a, int budget)
{
	model_fail("AF_XDP hook called without a socket");
	return true;
}

/* Called after every TX completion: reports nothing without a socket */
void nicdrv_xsk_tx_completed(struct nicdrv_adapter *a)
{
	if (a->xsk_tx_done)
		model_fail("UMEM frames completed without a socket");
}

/* ------------------------------------------------------------------ */
/* Frames: a sequence number and a payload that is a function of it   */

#define FRAME_MAX 16384

static u8 pat(u32 seq, u32 k)
{
	return (u8)(seq * 29 + k * 7 + (k >> 8));
}

static void frame_fill(u8 *buf, u32 seq, u32 len)
{
	u32 k;

	memset(buf, 0, 14);
	memcpy(buf + 14, &seq, 4);
	memcpy(buf + 18, &len, 4);
	for (k = 22; k < len; k++)
		buf[k] = pat(seq, k);
}

/* The sequence number if the frame is intact, else -1 */
static long frame_check(const u8 *buf, u32 len)
{
	u32 seq, l, k;

	if (len < 22)
		return -1;
	memcpy(&seq, buf + 14, 4);
	memcpy(&l, buf + 18, 4);
	if (l != len)
		return -1;
	for (k = 22; k < len; k++)
		if (buf[k] != pat(seq, k))
			return -1;
	return seq;
}

/* ------------------------------------------------------------------ */
/* sk_buffs                                                           */

static long skbs_live;

static struct sk_buff *skb_new(unsigned int len)
{
	struct sk_buff *skb = calloc(1, sizeof(*skb));

	skb->data = malloc(len ? len : 1);
	skb->alloc_size = len;
	skb->truesize = SKB_DATA_ALIGN(len) + 320;
	skbs_live++;
	return skb;
}

struct sk_buff *napi_alloc_skb(struct napi_struct *napi, unsigned int len)
{
	(void)napi;
	return skb_new(len);
}

void *napi_alloc_frag(unsigned int len)
{
	return malloc(len);
}

void skb_put_data(struct sk_buff *skb, const void *data, unsigned int len)
{
	if (skb->len + len > skb->alloc_size) {
		model_fail("%s past the skb's room", __func__);
		return;
	}
	memcpy(skb->data + skb->len, data, len);
	skb->len += len;
}

void skb_add_rx_frag(struct sk_buff *skb, int i, struct page *page, int off,
		     int size, unsigned int truesize)
{
	skb_frag_t *f = &skb->shinfo.frags[i];

	if (i != (int)skb->shinfo.nr_frags || i >= MAX_SKB_FRAGS) {
		model_fail("fragment %d added as number %u", i,
			   skb->shinfo.nr_frags);
		return;
	}
	/* napi_alloc_frag(size) takes SKB_DATA_ALIGN(size) from its page */
	if (truesize < SKB_DATA_ALIGN((unsigned int)size))
		model_fail("truesize %u for a fragment of %d bytes (%u taken)",
			   truesize, size, SKB_DATA_ALIGN((unsigned int)size));
	f->addr = page;
	f->offset = off;
	f->size = size;
	skb->shinfo.nr_frags++;
	skb->len += size;
	skb->data_len += size;
	skb->truesize += truesize;
}

/* TX skbs point to their record: freed once, after the NIC sent them */
struct txrec {
	u32 seq;
	bool sent;
	bool freed;
};

static void skb_free(struct sk_buff *skb)
{
	unsigned int f;
	struct txrec *r = skb->model;

	if (r) {
		if (r->freed)
			model_fail("TX skb %u freed twice", r->seq);
		r->freed = true;
	}
	for (f = 0; f < skb->shinfo.nr_frags; f++)
		free(skb->shinfo.frags[f].addr);
	free(skb->data);
	free(skb);
	skbs_live--;
}

void dev_kfree_skb_any(struct sk_buff *skb)
{
	if (skb)
		skb_free(skb);
}

void napi_consume_skb(struct sk_buff *skb, int budget)
{
	struct txrec *r = skb->model;

	(void)budget;
	if (r && !r->sent)
		model_fail("TX skb %u completed before the NIC sent it",
			   r->seq);
	skb_free(skb);
}

int skb_copy_bits(const struct sk_buff *skb, int off, void *to, int len)
{
	unsigned int head = skb_headlen(skb), f;
	u8 *out = to;

	if (off || (unsigned int)len != skb->len)
		model_fail("%s of part of an skb", __func__);
	memcpy(out, skb->data, head);
	out += head;
	for (f = 0; f < skb->shinfo.nr_frags; f++) {
		const skb_frag_t *fr = &skb->shinfo.frags[f];

		memcpy(out, (u8 *)fr->addr + fr->offset, fr->size);
		out += fr->size;
	}
	return 0;
}

u16 eth_type_trans(struct sk_buff *skb, struct net_device *dev)
{
	(void)dev;
	skb->protocol = 0x0800;
	return skb->protocol;
}

/* ------------------------------------------------------------------ */
/* The adapter, NAPI, the TX queue                                    */

static struct nicdrv_adapter *a;
static struct net_device netdev;
static struct pci_dev pdev;
static struct nicdrv_mmio_stats mmio;
static bool xmit_more;

bool netdev_xmit_more(void)
{
	return xmit_more;
}

void netif_tx_wake_queue(struct netdev_queue *q)
{
	q->state &= ~1UL;
}

void netif_tx_disable(struct net_device *d)
{
	d->txq.state |= 1;
}

/* The race test's hooks: see test_halt_race() */
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static bool race_armed, halt_go, halt_waiting, halt_done;
static int polls_running;

bool napi_schedule_prep(struct napi_struct *n)
{
	if (n->state & (BIT(NAPI_STATE_SCHED) | BIT(NAPI_STATE_DISABLE)))
		return false;
	n->state |= BIT(NAPI_STATE_SCHED);
	return true;
}

void napi_schedule(struct napi_struct *n)
{
	napi_schedule_prep(n);
}

bool napi_complete_done(struct napi_struct *n, int work)
{
	(void)work;
	__atomic_and_fetch(&n->state, ~BIT(NAPI_STATE_SCHED), __ATOMIC_SEQ_CST);
	if (race_armed) {
		/* The halt runs now, on the other thread, as far as it can */
		race_armed = false;
		pthread_mutex_lock(&mu);
		halt_go = true;
		pthread_cond_broadcast(&cv);
		while (!halt_done && !halt_waiting)
			pthread_cond_wait(&cv, &mu);
		pthread_mutex_unlock(&mu);
	}
	return true;
}

/*
 * The grow race (case_pool_grow()): a poll runs while napi_disable()
 * waits for it, and uses its whole budget; the core then completes NAPI
 * itself (__napi_poll(): "napi_disable_pending"), not the driver
 */
static bool poll_in_disable;
static int run_poll(int budget);

void napi_disable(struct napi_struct *n)
{
	if (poll_in_disable && (n->state & BIT(NAPI_STATE_SCHED))) {
		poll_in_disable = false;
		if (run_poll(64) == 64)
			n->state &= ~BIT(NAPI_STATE_SCHED);
	}
	/* Wait for a running poll to complete, then hold NAPI */
	while (__atomic_load_n(&n->state, __ATOMIC_SEQ_CST) &
	       BIT(NAPI_STATE_SCHED) && polls_running)
		usleep(100);
	n->state = BIT(NAPI_STATE_SCHED) | BIT(NAPI_STATE_DISABLE);
}

void napi_enable(struct napi_struct *n)
{
	n->state = 0;
}

/* A poll runs with bottom halves off: this waits for it to end */
void synchronize_net(void)
{
	pthread_mutex_lock(&mu);
	halt_waiting = true;
	pthread_cond_broadcast(&cv);
	while (polls_running)
		pthread_cond_wait(&cv, &mu);
	halt_waiting = false;
	pthread_mutex_unlock(&mu);
}

static int run_poll(int budget)
{
	int work;

	pthread_mutex_lock(&mu);
	polls_running++;
	pthread_mutex_unlock(&mu);
	work = nicdrv_poll(&a->napi, budget);
	pthread_mutex_lock(&mu);
	polls_running--;
	pthread_cond_broadcast(&cv);
	pthread_mutex_unlock(&mu);
	return work;
}

/* ------------------------------------------------------------------ */
/* The NIC                                                            */

static u32 bar[0x20000 / 4];
static u32 icr, ims;
static bool tx_in_write = true;	/* QEMU: TX runs inside the TDT write */
static bool stats_clear_on_read;	/* SDM: MPC clears on read; QEMU: no */
static u32 mpc, rnbc;
static u64 mpc_total;

/* RX bookkeeping for the invariants */
static u64 rx_completed;	/* descriptors the NIC completed */
static u64 rx_cleaned;		/* descriptors the driver cleaned */
static u32 expect_q[1 << 16];	/* accepted frames, in order */
static u32 expect_head, expect_tail;
static u64 rx_delivered;
static bool nic_eop[NICDRV_MAX_RING];	/* per descriptor: a frame ended */

/* TX bookkeeping */
#define MAX_TXRECS 4194304
static struct txrec *txrecs;
static u32 tx_next_seq, tx_sent_seq;
static u8 tx_frame[FRAME_MAX + 64];
static u32 tx_frame_len;

#define REG(r)	bar[(r) / 4]

static u32 rx_count(void)
{
	return REG(NICDRV_RDLEN) / sizeof(struct nicdrv_rx_desc);
}

static u32 tx_count(void)
{
	return REG(NICDRV_TDLEN) / sizeof(struct nicdrv_tx_desc);
}

static void *ring_base(u32 lo, u32 hi)
{
	return (void *)(uintptr_t)((u64)REG(hi) << 32 | REG(lo));
}

static void nic_tx_process(void)
{
	struct nicdrv_tx_desc *ring = ring_base(NICDRV_TDBAL, NICDRV_TDBAH);
	u32 n = tx_count(), i = REG(NICDRV_TDH);

	while (n && i != REG(NICDRV_TDT)) {
		struct nicdrv_tx_desc *d = &ring[i];
		u32 lower = le32_to_cpu(d->lower);
		u32 len = lower & 0xfffff;
		u8 dtyp = (lower >> 20) & 0xf;

		if (!(lower & NICDRV_TXD_CMD_DEXT) || dtyp == 1) {
			/* a data descriptor (DTYP 1 is the data type) */
			u64 addr = le64_to_cpu(d->buffer_addr);

			if (!nic_may_read(addr, len)) {
				model_fail("NIC reads TX data at %#llx+%u: not mapped",
					   (unsigned long long)addr, len);
			} else if (tx_frame_len + len <= sizeof(tx_frame)) {
				memcpy(tx_frame + tx_frame_len,
				       (void *)(uintptr_t)addr, len);
				tx_frame_len += len;
			}
			if (lower & NICDRV_TXD_CMD_EOP) {
				long seq = frame_check(tx_frame, tx_frame_len);

				if (seq != (long)tx_sent_seq)
					model_fail("TX frame %ld sent, %u expected",
						   seq, tx_sent_seq);
				else
					txrecs[tx_sent_seq++].sent = true;
				tx_frame_len = 0;
			}
		}
		if (lower & NICDRV_TXD_CMD_RS)
			d->upper |= cpu_to_le32(NICDRV_TXD_STAT_DD);
		i = (i + 1) % n;
		REG(NICDRV_TDH) = i;
		icr |= NICDRV_INT_TXDW;
	}
}

u32 model_readl(const volatile void __iomem *addr)
{
	u32 off = (const volatile u8 *)addr - (u8 *)bar, v;

	switch (off) {
	case NICDRV_ICR:
		v = icr;
		icr = 0;
		return v;
	case NICDRV_IMS:
		return ims;
	case NICDRV_STATUS:
		return NICDRV_STATUS_LU | NICDRV_STATUS_FD;
	case NICDRV_MPC:
		v = mpc;
		if (stats_clear_on_read)
			mpc = 0;
		return v;
	case NICDRV_RNBC:
		v = rnbc;
		if (stats_clear_on_read)
			rnbc = 0;
		return v;
	default:
		return bar[off / 4];
	}
}

void model_writel(u32 val, volatile void __iomem *addr)
{
	u32 off = (volatile u8 *)addr - (u8 *)bar;

	switch (off) {
	case NICDRV_IMS:
		ims |= val;
		break;
	case NICDRV_IMC:
		ims &= ~val;
		break;
	case NICDRV_ICS:
		icr |= val;
		break;
	case NICDRV_CTRL:
		REG(off) = val & ~NICDRV_CTRL_RST;	/* as QEMU does */
		break;
	case NICDRV_TDT:
		REG(off) = val;
		if (val >= tx_count() && tx_count())
			model_fail("TDT %u past a ring of %u", val, tx_count());
		if (tx_in_write)
			nic_tx_process();
		break;
	case NICDRV_RDT:
		REG(off) = val;
		if (val >= rx_count() && rx_count())
			model_fail("RDT %u past a ring of %u", val, rx_count());
		break;
	default:
		bar[off / 4] = val;
	}
}

static u32 rx_buf_size(void)
{
	u32 rctl = REG(NICDRV_RCTL);
	static const u32 sizes[] = { 2048, 1024, 512, 256 };

	return sizes[(rctl >> 16) & 3] * (rctl & NICDRV_RCTL_BSEX ? 16 : 1);
}

enum { RX_TAKEN, RX_DROPPED, RX_HELD };

/* One frame arrives; errors: the error bits the NIC reports with it */
static int nic_rx(const u8 *frame, u32 len, u8 errs, bool expected)
{
	struct nicdrv_rx_desc *ring = ring_base(NICDRV_RDBAL, NICDRV_RDBAH);
	u32 n = rx_count(), head = REG(NICDRV_RDH), tail = REG(NICDRV_RDT);
	u32 bsize = rx_buf_size(), need, avail, off = 0;
	u32 seq;

	if (!(REG(NICDRV_RCTL) & NICDRV_RCTL_EN) || !n)
		return RX_DROPPED;
	if (len > 1522 && !(REG(NICDRV_RCTL) & NICDRV_RCTL_LPE))
		return RX_DROPPED;
	if (head == tail)
		return RX_HELD;
	need = DIV_ROUND_UP(len, bsize);
	avail = (tail + n - head) % n;
	if (need > avail) {
		mpc++;
		rnbc++;
		mpc_total++;
		icr |= NICDRV_INT_RXO;
		return RX_DROPPED;
	}
	while (off < len) {
		struct nicdrv_rx_desc *d = &ring[head];
		u32 part = min(len - off, bsize);
		u64 addr = le64_to_cpu(d->buffer_addr);
		int m = map_of(addr, part);

		if (m < 0 || maps[m].dir != DMA_FROM_DEVICE) {
			model_fail("RX descriptor %u holds %#llx: not mapped from the device",
				   head, (unsigned long long)addr);
			return RX_DROPPED;
		}
		if (part > NICDRV_RX_BUF_SIZE) {
			model_fail("BSIZE %u is larger than the buffers", bsize);
			return RX_DROPPED;
		}
		memcpy((void *)(uintptr_t)addr, frame + off, part);
		d->length = cpu_to_le16(part);
		nic_eop[head] = off + part == len;
		d->errors = off + part == len ? errs : 0;
		/* status last: DD makes the rest valid (SDM 3.2.3) */
		__atomic_store_n(&d->status, NICDRV_RXD_STAT_DD |
				 (off + part == len ? NICDRV_RXD_STAT_EOP : 0),
				 __ATOMIC_RELEASE);
		off += part;
		head = (head + 1) % n;
		rx_completed++;
	}
	REG(NICDRV_RDH) = head;
	icr |= NICDRV_INT_RXT0;
	memcpy(&seq, frame + 14, 4);
	if (expected)
		expect_q[expect_tail++ % ARRAY_SIZE(expect_q)] = seq;
	return RX_TAKEN;
}

/* napi_gro_receive(): a frame reaches the stack */
void napi_gro_receive(struct napi_struct *n, struct sk_buff *skb)
{
	static u8 buf[FRAME_MAX + 64];
	unsigned int f, len = skb_headlen(skb);
	long seq;

	(void)n;
	memcpy(buf, skb->data, len);
	for (f = 0; f < skb->shinfo.nr_frags; f++) {
		const skb_frag_t *fr = &skb->shinfo.frags[f];

		memcpy(buf + len, (u8 *)fr->addr + fr->offset, fr->size);
		len += fr->size;
	}
	seq = frame_check(buf, len);
	if (seq < 0)
		model_fail("frame of %u bytes delivered with a bad payload", len);
	else if (expect_head == expect_tail)
		model_fail("frame %ld delivered, none expected", seq);
	else if ((u32)seq != expect_q[expect_head % ARRAY_SIZE(expect_q)])
		model_fail("frame %ld delivered, %u expected", seq,
			   expect_q[expect_head % ARRAY_SIZE(expect_q)]);
	else
		expect_head++;
	rx_delivered++;
	skb_free(skb);
}

/* ------------------------------------------------------------------ */
/* Driving the driver                                                 */

static void adapter_new(void)
{
	a = calloc(1, sizeof(*a));
	memset(&netdev, 0, sizeof(netdev));
	netdev.priv = a;
	netdev.mtu = 1500;
	netdev.features = NETIF_F_SG | NETIF_F_HW_CSUM | NETIF_F_TSO |
			  NETIF_F_HW_VLAN_CTAG_RX | NETIF_F_HW_VLAN_CTAG_TX;
	netdev.dev_addr[0] = 0x52;
	a->netdev = &netdev;
	a->pdev = &pdev;
	a->hw = (u8 __iomem *)bar;
	a->mmio = &mmio;
	a->napi.poll = nicdrv_poll;
	a->tx_timer.function = nicdrv_tx_timer;
	a->rx_usecs = NICDRV_DEFAULT_RX_USECS;
	a->tx_usecs = NICDRV_DEFAULT_TX_USECS;
	a->tx_copybreak = NICDRV_TX_COPYBREAK_MAX;
	a->itr = NICDRV_USECS_TO_ITR(a->rx_usecs);
	a->adaptive_rx = true;
	a->rctl = ~0u;
	memset(bar, 0, sizeof(bar));
	icr = 0;
	ims = 0;
}

/* What main.c's nicdrv_start() does, with the driver's own functions */
static void drv_start(void)
{
	nicdrv_program(a);
	napi_enable(&a->napi);
	nicdrv_hw_set_rx_mode(a);
	a->ims_due = false;
	nicdrv_irq_enable(a);
	netdev.txq.state = 0;
	/* A reset loses what the NIC had taken and not delivered */
	expect_head = expect_tail;
	rx_completed = 0;
	rx_cleaned = 0;
	tx_frame_len = 0;
}

/* ... and nicdrv_halt() */
static void drv_halt(void)
{
	nicdrv_quiesce(a);
	nicdrv_hw_reset(a);
	nicdrv_tx_drain(a);
	nicdrv_rx_drain(a);
	/* skbs the NIC never sent were freed by the drain */
	while (tx_sent_seq < tx_next_seq)
		txrecs[tx_sent_seq++].sent = true;
}

static void drv_up(unsigned int rxn, unsigned int txn)
{
	if (nicdrv_alloc_rings(&pdev.dev, &a->tx, &a->rx, txn, rxn, false))
		model_fail("cannot allocate rings of %u/%u", rxn, txn);
	drv_start();
}

static void drv_down(void)
{
	drv_halt();
	nicdrv_free_rings(&pdev.dev, &a->tx, &a->rx);
}

/* main.c's nicdrv_resize_rings() on a running interface */
static void drv_resize(unsigned int rxn, unsigned int txn)
{
	struct nicdrv_tx_ring tx = { 0 };
	struct nicdrv_rx_ring rx = { 0 };

	if (nicdrv_alloc_rings(&pdev.dev, &tx, &rx, txn, rxn, false)) {
		model_fail("cannot allocate rings of %u/%u", rxn, txn);
		return;
	}
	drv_halt();
	nicdrv_swap_rings(a, &tx, &rx);
	nicdrv_free_rings(&pdev.dev, &tx, &rx);
	drv_start();
}

/* The invariant after every poll: nothing cleaned that was not done */
static u16 ntc_before;

static void check_clean(int budget)
{
	u32 n = a->rx.count;
	u32 cleaned = (a->rx.next_to_clean + n - ntc_before) % n;
	u32 k, frames = 0;

	for (k = 0; k < cleaned; k++)
		frames += nic_eop[(ntc_before + k) % n];
	if ((int)frames > budget)
		model_fail("a poll took %u frames on a budget of %d", frames,
			   budget);
	rx_cleaned += cleaned;
	if (rx_cleaned > rx_completed)
		model_fail("ring %u: the driver cleaned %llu descriptors, the NIC completed %llu",
			   n, (unsigned long long)rx_cleaned,
			   (unsigned long long)rx_completed);
	if (REG(NICDRV_RDT) != a->rx.next_to_use)
		model_fail("RDT %u, next_to_use %u", REG(NICDRV_RDT),
			   a->rx.next_to_use);
}

/* Run NAPI as the softirq would, a few polls at most per call */
static void softirq(void)
{
	int polls = 0;

	if (icr & ims)
		nicdrv_intr(0, a);
	while ((a->napi.state & BIT(NAPI_STATE_SCHED)) &&
	       !(a->napi.state & BIT(NAPI_STATE_DISABLE)) && polls++ < 8) {
		int work;

		ntc_before = a->rx.next_to_clean;
		work = run_poll(64);
		check_clean(64);
		if (work > 64)
			model_fail("poll did %d of a budget of 64", work);
		if (work < 64 && (a->napi.state & BIT(NAPI_STATE_SCHED)))
			model_fail("poll returned %d without completing", work);
	}
}

static void advance(u64 ns)
{
	now_ns += ns;
	if (a->tx_timer.queued && now_ns >= a->tx_timer.expires) {
		a->tx_timer.queued = false;
		a->tx_timer.function(&a->tx_timer);
	}
}

/* Frames waiting on the wire, QEMU holding them while the ring is full */
static u8 wire[FRAME_MAX + 64];
static u32 wire_len, wire_seq;
static bool wire_full;
static u32 rx_seq;
static u32 jumbo;		/* 0: standard frames only */
static u8 wire_errs;

static void wire_next(void)
{
	u32 len;

	if (jumbo && rnd(3) == 0)
		len = 1523 + rnd(jumbo - 1523);
	else
		len = 60 + rnd(rnd(4) ? 100 : 1462);
	frame_fill(wire, rx_seq, len);
	wire_len = len;
	wire_seq = rx_seq++;
	wire_full = true;
}

/* What the driver must deliver: intact or rx-all, within its MTU */
static bool wire_expected(bool rxall)
{
	if (rxall)
		return true;
	return !wire_errs && wire_len <= netdev.mtu + ETH_HLEN + VLAN_HLEN;
}

/* Up to n frames arrive, as far as the ring takes them; new: make more */
static void rx_burst(u32 n, bool rxall, bool new)
{
	while (n--) {
		int r;

		if (!wire_full) {
			if (!new)
				return;
			wire_next();
		}
		r = nic_rx(wire, wire_len, wire_errs, wire_expected(rxall));
		if (r == RX_HELD)
			return;
		wire_full = false;
	}
}

static void tx_burst(u32 n)
{
	while (n--) {
		struct sk_buff *skb;
		u32 len = 60 + rnd(rnd(3) ? 200 : 8000), head;
		int ret;

		if (netdev.txq.state & 1 || tx_next_seq == MAX_TXRECS)
			return;
		skb = skb_new(len);
		frame_fill(skb->data, tx_next_seq, len);
		head = len;
		/* Large frames: the head and up to 3 page fragments */
		if (len > 2000) {
			u32 left, nf = 1 + rnd(3), f;

			head = 100 + rnd(400);
			left = len - head;
			for (f = 0; f < nf && left; f++) {
				u32 sz = f == nf - 1 ? left : min(left, 1 + rnd(left));
				skb_frag_t *fr = &skb->shinfo.frags[f];

				fr->addr = malloc(sz + 16);
				fr->offset = 16;
				memcpy((u8 *)fr->addr + 16, skb->data + len - left, sz);
				fr->size = sz;
				skb->shinfo.nr_frags++;
				left -= sz;
			}
		}
		skb->len = len;
		skb->data_len = len - head;
		txrecs[tx_next_seq].seq = tx_next_seq;
		skb->model = &txrecs[tx_next_seq];
		tx_next_seq++;
		xmit_more = n && rnd(2);
		ret = nicdrv_xmit_frame(skb, &netdev);
		if (ret != NETDEV_TX_OK)
			model_fail("xmit returned %d with the queue running", ret);
	}
	xmit_more = false;
}

/* Poll until nothing is left, NIC and driver both idle */
static void drain(bool rxall)
{
	int i;

	for (i = 0; i < 100000; i++) {
		if (!tx_in_write)
			nic_tx_process();
		rx_burst(1, rxall, false);
		if (!(a->napi.state & BIT(NAPI_STATE_SCHED)))
			napi_schedule(&a->napi);
		softirq();
		advance(200000);
		if (!wire_full && expect_head == expect_tail &&
		    nicdrv_tx_idle(&a->tx) && !(icr & ims))
			return;
	}
	model_fail("not drained: %u frames undelivered, TX %s",
		   expect_tail - expect_head,
		   nicdrv_tx_idle(&a->tx) ? "idle" : "busy");
}

static void txrecs_reset(void)
{
	if (!txrecs)
		txrecs = calloc(MAX_TXRECS, sizeof(*txrecs));
	memset(txrecs, 0, tx_next_seq * sizeof(*txrecs));
	tx_next_seq = 0;
	tx_sent_seq = 0;
}

/* Every TX skb was sent and freed once, every mapping undone */
static void check_tx_done(void)
{
	u32 i;

	for (i = 0; i < tx_next_seq; i++)
		if (!txrecs[i].freed) {
			model_fail("TX skb %u never freed", i);
			break;
		}
	if (nmaps)
		model_fail("%d mappings left after the interface went down",
			   nmaps);
	if (skbs_live)
		model_fail("%ld skbs leaked", skbs_live);
}

/* One mixed run: bursts of RX (often more than the ring holds) and TX */
static void traffic(u32 rounds, bool rxall)
{
	u32 r;

	for (r = 0; r < rounds && !errors; r++) {
		rx_burst(rnd(2 * a->rx.count + 8), rxall, true);
		tx_burst(rnd(a->tx.count / 2 + 2));
		if (!tx_in_write && rnd(2))
			nic_tx_process();
		softirq();
		advance(rnd(300000));
	}
}

/* ------------------------------------------------------------------ */
/* Cases                                                              */

static void case_every_size(bool jumbo_frames)
{
	unsigned int n;

	for (n = NICDRV_MIN_RING; n <= NICDRV_MAX_RING && !errors;
	     n += NICDRV_RING_ALIGN) {
		adapter_new();
		txrecs_reset();
		netdev.mtu = jumbo_frames ? 9000 : 1500;
		jumbo = jumbo_frames ? 9018 : 0;
		drv_up(n, n);
		traffic(n <= 256 ? 40 : 2, false);
		drain(false);
		drv_down();
		check_tx_done();
		free(a);
	}
}

static void case_resets_and_resizes(void)
{
	unsigned int i;

	adapter_new();
	txrecs_reset();
	netdev.mtu = 9000;
	jumbo = 9018;
	drv_up(64, 64);
	for (i = 0; i < 300 && !errors; i++) {
		traffic(3, false);
		switch (rnd(4)) {
		case 0:		/* TX timeout: halt, start */
			drv_halt();
			drv_start();
			break;
		case 1:
			drv_resize(NICDRV_MIN_RING + 8 * rnd(40),
				   NICDRV_MIN_RING + 8 * rnd(40));
			break;
		default:	/* MTU change: RCTL only */
			netdev.mtu = rnd(2) ? 1500 : 9000;
			nicdrv_hw_set_rx_mode(a);
		}
	}
	drain(false);
	drv_down();
	check_tx_done();
	free(a);
}

/* A NIC that completes TX later than the TDT write (real hardware) */
static void case_lazy_tx_rearm(void)
{
	int i;

	adapter_new();
	txrecs_reset();
	tx_in_write = false;
	drv_up(64, 64);
	a->tx_lazy = true;	/* little is received: TXDW masked, as */
	ims &= ~NICDRV_INT_TXDW;	/* nicdrv_aim() does it */
	tx_burst(1);
	/* The timer fires, the poll looks before the NIC has sent it */
	advance(2000000);
	softirq();
	nic_tx_process();
	for (i = 0; i < 20; i++) {	/* 20 ms, no RX, no interrupt */
		softirq();
		advance(1000000);
	}
	if (!nicdrv_tx_idle(&a->tx))
		model_fail("TX not reclaimed 20 ms after the NIC sent it (timer %s)",
			   a->tx_timer.queued ? "armed" : "idle");
	drain(false);
	drv_down();
	check_tx_done();
	tx_in_write = true;
	free(a);
}

/* xmit finds no room (a broken stop logic): doorbell and stopped queue */
static void case_xmit_busy(void)
{
	struct sk_buff *skb;
	int ret;

	adapter_new();
	txrecs_reset();
	tx_in_write = false;	/* keep the descriptors busy */
	drv_up(64, 64);
	/* Fill the ring with xmit_more set, so no doorbell rings */
	while (nicdrv_tx_unused(&a->tx) >= 1 + 1) {
		netdev.txq.state = 0;	/* as if the stop logic had failed */
		skb = skb_new(100);
		frame_fill(skb->data, tx_next_seq, 100);
		skb->len = 100;
		txrecs[tx_next_seq].seq = tx_next_seq;
		skb->model = &txrecs[tx_next_seq++];
		xmit_more = true;
		nicdrv_xmit_frame(skb, &netdev);
	}
	netdev.txq.state = 0;
	skb = skb_new(100);
	frame_fill(skb->data, tx_next_seq, 100);
	skb->len = 100;
	ret = nicdrv_xmit_frame(skb, &netdev);
	xmit_more = false;
	if (ret != NETDEV_TX_BUSY)
		model_fail("xmit into a full ring returned %d, not BUSY", ret);
	if (!(netdev.txq.state & 1))
		model_fail("the queue runs after a BUSY");
	if (REG(NICDRV_TDT) != a->tx.next_to_use)
		model_fail("TDT %u after BUSY, %u queued with xmit_more",
			   REG(NICDRV_TDT), a->tx.next_to_use);
	skb_free(skb);
	nic_tx_process();
	drain(false);
	drv_down();
	check_tx_done();
	tx_in_write = true;
	free(a);
}

/* Errored frames: dropped and counted, or delivered with rx-all */
static void case_errored_frames(bool rxall)
{
	u64 fe;

	adapter_new();
	txrecs_reset();
	if (rxall)
		netdev.features |= NETIF_F_RXALL;
	drv_up(64, 64);
	wire_errs = BIT(0);	/* CE: CRC error (SDM 3.2.3.2) */
	rx_burst(200, rxall, true);
	softirq();
	drain(rxall);
	wire_errs = 0;
	fe = a->rx.stats.frame_errors;
	if (!fe)
		model_fail("no frame error counted");
	if (rxall && !rx_delivered)
		model_fail("rx-all delivered none of %llu errored frames",
			   (unsigned long long)fe);
	drv_down();
	free(a);
}

/* MPC read by nicdrv_hw_update_stats(): clear-on-read, keeping, reset */
static void case_missed_counter(bool clears)
{
	u64 out[NICDRV_HW_NSTATS];
	int i;

	adapter_new();
	stats_clear_on_read = clears;
	mpc = 0;
	rnbc = 0;
	mpc_total = 0;
	nicdrv_hw_update_stats(a, NULL);
	for (i = 0; i < 50; i++) {
		u32 add = rnd(1000);

		mpc += add;
		mpc_total += add;
		if (!clears && i == 25)
			mpc = 0;	/* a reset: QEMU's resume */
		if (!clears && i == 25)
			mpc_total = a->hstats.val[NICDRV_HW_MPC];
		nicdrv_hw_update_stats(a, out);
	}
	if (out[NICDRV_HW_MPC] != mpc_total)
		model_fail("MPC total %llu, the NIC missed %llu",
			   (unsigned long long)out[NICDRV_HW_MPC],
			   (unsigned long long)mpc_total);
	stats_clear_on_read = false;
	free(a);
}

/*
 * The first capture reader grows the pool with NAPI disabled
 * (nicdrv_pool_grow(), as nicdrv_cap_start() calls it), while a poll
 * that masked interrupts runs at full budget.  Then only frames come in:
 * nothing is sent, so nothing but an interrupt or a poll the driver
 * schedules itself can receive them.
 */
static void case_pool_grow(void)
{
	u64 before;
	u32 i;

	adapter_new();
	txrecs_reset();
	drv_up(256, 64);
	rx_burst(200, false, true);
	nicdrv_intr(0, a);	/* masks, schedules NAPI */
	poll_in_disable = true;
	if (nicdrv_pool_grow(a->rx.pool, a->rx.count + 1024, &a->napi))
		model_fail("the pool did not grow");
	if (poll_in_disable)
		model_fail("no poll ran during the disable");
	before = rx_delivered;
	for (i = 0; i < 50; i++) {	/* RX only: 50 rounds of 40 frames */
		rx_burst(40, false, true);
		softirq();
		advance(100000);
	}
	if (rx_delivered - before < 1000)
		model_fail("RX stalled after the pool grew: %llu of 2000 frames received, IMS %#x",
			   (unsigned long long)(rx_delivered - before), ims);
	drain(false);
	drv_down();
	check_tx_done();
	free(a);
}

/*
 * The halt on another CPU, right when a poll has called
 * napi_complete_done() but has not returned: afterwards interrupts must
 * be masked and the reclaim timer idle, or a shared INTx line stays
 * asserted with no handler and a freed adapter's timer fires.
 */
static void *halt_thread(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&mu);
	while (!halt_go)
		pthread_cond_wait(&cv, &mu);
	pthread_mutex_unlock(&mu);
	nicdrv_quiesce(a);
	nicdrv_hw_reset(a);
	pthread_mutex_lock(&mu);
	halt_done = true;
	pthread_cond_broadcast(&cv);
	pthread_mutex_unlock(&mu);
	return NULL;
}

static void case_halt_race(void)
{
	pthread_t t;

	adapter_new();
	txrecs_reset();
	tx_in_write = false;
	drv_up(64, 64);
	a->tx_lazy = true;
	ims &= ~NICDRV_INT_TXDW;
	a->tx_usecs = 1000;
	tx_burst(1);		/* TX pending: the poll will arm the timer */
	rx_burst(5, false, true);
	nicdrv_intr(0, a);	/* masks, schedules NAPI, IMS due */
	halt_go = false;
	halt_done = false;
	halt_waiting = false;
	race_armed = true;
	pthread_create(&t, NULL, halt_thread, NULL);
	run_poll(64);
	pthread_join(t, NULL);
	if (ims)
		model_fail("IMS %#x after the halt: a late poll unmasked it", ims);
	if (a->tx_timer.queued)
		model_fail("the reclaim timer is armed after the halt");
	nic_tx_process();
	nicdrv_tx_drain(a);
	nicdrv_rx_drain(a);
	nicdrv_free_rings(&pdev.dev, &a->tx, &a->rx);
	while (tx_sent_seq < tx_next_seq)
		txrecs[tx_sent_seq++].sent = true;
	tx_in_write = true;
	free(a);
}

int main(void)
{
	/* Rings and pools come and go by the thousand: keep them off mmap() */
	mallopt(M_MMAP_THRESHOLD, 64 << 20);
	mallopt(M_TRIM_THRESHOLD, 1 << 30);
	signal(SIGALRM, on_alarm);
	printf("KTAP version 1\n1..11\n");

#define RUN(name, call) do {		\
		current_case = (name);	\
		alarm(60);		\
		call;			\
		report(current_case);	\
	} while (0)

	RUN("every ring size 64..4096: RX overruns, TX bursts, each frame once",
	    case_every_size(false));
	RUN("every ring size 64..4096 with jumbo frames across descriptors",
	    case_every_size(true));
	RUN("resets, resizes and MTU changes under traffic at small rings",
	    case_resets_and_resizes());
	RUN("lazy TX completion: a poll that finds TX unfinished re-arms the timer",
	    case_lazy_tx_rearm());
	RUN("xmit into a full ring: BUSY, queue stopped, xmit_more frames rung",
	    case_xmit_busy());
	RUN("errored frames are dropped and counted", case_errored_frames(false));
	RUN("errored frames are delivered with rx-all", case_errored_frames(true));
	RUN("MPC that clears on read (SDM 13.7) is counted once",
	    case_missed_counter(true));
	RUN("MPC that never clears (QEMU) is counted once, across a reset",
	    case_missed_counter(false));
	RUN("a halt racing a poll's end leaves IMS masked and the timer idle",
	    case_halt_race());
	RUN("the pool grown under a full poll: RX-only traffic still received",
	    case_pool_grow());
	alarm(0);
	printf("%d passed, %d failed\n", ncase - nfailed, nfailed);
	return nfailed != 0;
}
