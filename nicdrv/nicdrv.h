/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nicdrv: private definitions shared by the driver's files.
 *
 * Where each concern lives:
 *   hw.c       register access: reset, EEPROM, link, filters, interrupts
 *   pool.c     the RX packet-buffer pool (pages, dma_map_page, syncs)
 *   ring.c     descriptor rings (dma_alloc_coherent) and their registers
 *   tx.c       transmit: dma_map_single / skb_frag_dma_map, completion
 *   rx.c       receive: DD/EOP walk, sync_for_cpu, skb build, repost
 *   xdp.c      XDP: program attach, verdicts, XDP_TX, redirect, xdp_xmit
 *   xsk.c      AF_XDP zero-copy: the UMEM's frames in both rings
 *   ethtool.c  ethtool operations
 *   cap.c      capture sessions: frames published to a reader in place
 *   chardev.c  /dev/nicdrvN: open, mmap, ioctl, poll, sysfs attributes
 *   debugfs.c  a live tour of the rings and the pool, with their addresses
 *   view.c     the live ring view's snapshot (debugfs), for nicdrv-top
 *   selftest.c ethtool -t
 *   irq.c      interrupt handler, NAPI poll, moderation, reclaim timer
 *   main.c     PCI probe/remove, power management, net_device ops
 */
#ifndef NICDRV_H
#define NICDRV_H

#include <linux/bpf.h>
#include <linux/cdev.h>
#include <linux/hrtimer.h>
#include <linux/if_vlan.h>
#include <linux/io.h>
#include <linux/kref.h>
#include <linux/mii.h>
#include <linux/netdevice.h>
#include <linux/pci.h>
#include <linux/sizes.h>
#include <linux/u64_stats_sync.h>
#include <linux/wait.h>
#include <linux/workqueue.h>
#include <net/xdp.h>

#include "compat.h"
#include "hw.h"
#include "uapi/nicdrv.h"

#define NICDRV_NAME		"nicdrv"

/* Ring sizes: RDLEN/TDLEN are masked with 0xfff80 (multiples of 8 descs) */
#define NICDRV_RING_ALIGN	8
#define NICDRV_DEFAULT_TXD	256
#define NICDRV_DEFAULT_RXD	256
#define NICDRV_MIN_RING		64
#define NICDRV_MAX_RING		4096

/*
 * A capture session's ring, and the pool buffers its first session adds
 * (devlink param pool_bufs).  16384 entries are 0.6 s of full-size frames
 * at the 25,000 frames/s QEMU delivers here, where a reader writing to
 * tmpfs fell up to 10,000 entries behind (docs/performance.md); the 24 MiB
 * of buffers stay until the interface goes down.  With 4096 descriptors,
 * the largest keeps buffer ids within 16 bits.
 */
#define NICDRV_POOL_BUFS_DEFAULT	16384
#define NICDRV_POOL_BUFS_MIN		64
#define NICDRV_POOL_BUFS_MAX		32768

/*
 * RX buffers are 1536 bytes, enough for the longest frame the NIC accepts
 * without RCTL.LPE: 1522 bytes, a VLAN tag included (SDM 13.4.22).  While
 * LPE is off, RCTL.BSIZE says 2048 and the NIC still never writes past
 * 1522; with LPE on (MTU over 1500, rx-all) BSIZE says 1024 and a long
 * frame spans several descriptors.  So every frame up to the standard MTU
 * takes one descriptor, which keeps a stream from overrunning the ring
 * (docs/performance.md has the 1024-byte trial), and the pool is a
 * quarter smaller than with 2048-byte buffers.
 *
 * Eight buffers fill a chunk of three physically contiguous pages
 * exactly, so buffer i starts at i * 1536 in the capture mapping as well.
 *
 * With an XDP program (xdp.c) the buffers are 3072 bytes, six pages to a
 * chunk, and the NIC writes each frame XDP_PACKET_HEADROOM (256) bytes in:
 * room for bpf_xdp_adjust_head() and metadata in front; the longest frame
 * (1522, LPE off: XDP refuses a larger MTU and rx-all) ends at 1778, and
 * the kernel wants the size of a struct skb_shared_info free behind it
 * for bpf_xdp_adjust_tail() and for a redirected frame.  With rx-all or a
 * larger MTU, BSIZE is 1024 (hw.c), so no descriptor ever holds more than
 * 1522 bytes and the buffer is safe in every mode; XDP refuses those two
 * because their long frames span descriptors.  The chunks are mapped
 * DMA_BIDIRECTIONAL, since XDP_TX sends a frame from the buffer the NIC
 * wrote it into.
 */
#define NICDRV_RX_BUF_SIZE	1536
#define NICDRV_POOL_CHUNK_PAGES	3
#define NICDRV_POOL_CHUNK_SIZE	(NICDRV_POOL_CHUNK_PAGES * PAGE_SIZE)
#define NICDRV_RX_BUFS_PER_CHUNK 8
#define NICDRV_XDP_BUF_SIZE	3072
#define NICDRV_XDP_MAX_MTU	ETH_DATA_LEN
/* What XDP nicdrv offers (xdp.c): every verdict, and redirects to it */
#define NICDRV_XDP_FEATURES	(NETDEV_XDP_ACT_BASIC | NETDEV_XDP_ACT_REDIRECT | \
				 NETDEV_XDP_ACT_NDO_XMIT | \
				 NETDEV_XDP_ACT_XSK_ZEROCOPY)
static_assert(NICDRV_RX_BUFS_PER_CHUNK * NICDRV_RX_BUF_SIZE ==
	      NICDRV_POOL_CHUNK_SIZE);

/* QEMU drops frames over 16384 bytes; leave room for a VLAN tag and FCS */
#define NICDRV_MAX_FRAME	16384
#define NICDRV_MAX_MTU		(NICDRV_MAX_FRAME - ETH_HLEN - VLAN_HLEN - ETH_FCS_LEN)

/* One TX descriptor carries at most this much (SDM 3.3.3 allows 16288) */
#define NICDRV_MAX_TXD_LEN	8192
#define NICDRV_TXD_NEEDED(len)	DIV_ROUND_UP(len, NICDRV_MAX_TXD_LEN)
/*
 * Worst case for one skb of up to 64 KiB: a context descriptor, one
 * descriptor per buffer (head + frags), plus the extra descriptors of
 * buffers split at NICDRV_MAX_TXD_LEN.  xmit stops the queue when fewer
 * remain, so it never has to return NETDEV_TX_BUSY.
 */
#define NICDRV_TX_STOP_THRESH	(1 + MAX_SKB_FRAGS + 1 + SZ_64K / NICDRV_MAX_TXD_LEN)
#define NICDRV_TX_WAKE_THRESH	(2 * NICDRV_TX_STOP_THRESH)
/* Even with CONFIG_MAX_SKB_FRAGS at its top (45), the smallest ring fits */
static_assert(NICDRV_TX_STOP_THRESH + 1 < NICDRV_MIN_RING);

/*
 * TX copybreak (ethtool --set-tunable tx-copybreak): a frame of at most
 * this many bytes is copied into its descriptor's slot of a coherent copy
 * area instead of being mapped.  Behind a strict IOMMU every streaming
 * mapping costs an IOMMU page-table update and, at unmap, an IOTLB
 * invalidation that waits for the IOMMU; a 64-byte UDP datagram or a TCP
 * ACK is cheaper to copy.  One slot per descriptor, so the slot is free
 * exactly when its descriptor is.
 */
#define NICDRV_TX_COPY_SLOT	128
#define NICDRV_TX_COPYBREAK_MAX	NICDRV_TX_COPY_SLOT

/*
 * Interrupt causes nicdrv handles.  TXDW only with tx-usecs 0: otherwise
 * TX completions are reclaimed without an interrupt of their own (below).
 */
#define NICDRV_IMS_ENABLE	(NICDRV_INT_LSC | NICDRV_INT_RXDMT0 | \
				 NICDRV_INT_RXO | NICDRV_INT_RXT0)

/*
 * Lazy TX completion (tx-usecs > 0, the default) while little is
 * received.  QEMU sends a frame inside the TDT write, so its completion
 * is known at once; a TXDW interrupt for it costs an interrupt, an ICR
 * read, and an IMC and IMS write.  Lazy, TXDW is masked: NAPI reclaims TX
 * whenever it runs for RX, xmit schedules NAPI itself once NICDRV_TX_KICK
 * descriptors wait, and a timer of tx-usecs catches the last frames of a
 * burst.  But once frames come in at NICDRV_LAZY_TX_RX_PPS or more,
 * TXDW comes back: a stream in needs the interrupts for its ACKs'
 * completions to keep NAPI polling through it.  Decided with the adaptive
 * moderation, every NICDRV_AIM_PERIOD; docs/performance.md (item 9) has
 * the figures behind both halves.
 */
#define NICDRV_TX_KICK		64
#define NICDRV_DEFAULT_TX_USECS	1000
#define NICDRV_LAZY_TX_RX_PPS	1000

/*
 * Interrupt moderation (ethtool -C).  rx-usecs becomes ITR, in 256 ns
 * units (SDM 13.4.18).  QEMU never interrupts more often than every
 * 128 us while mitigation is on, so values below that buy nothing there.
 * tx-usecs: see lazy TX completion above.
 */
#define NICDRV_DEFAULT_RX_USECS	50

/*
 * Adaptive moderation (ethtool -C adaptive-rx, on by default).  QEMU arms
 * its mitigation timer after every interrupt, for ITR's gap but at least
 * 128 us, and holds the next interrupt until it fires: with a large
 * rx-usecs a ping's reply waits out the timer the previous interrupt
 * armed.  So at low packet rates ITR is 0 (QEMU's floor only) and above a
 * few thousand packets/s it is rx-usecs, where batching pays.  The rate
 * is measured over NICDRV_AIM_PERIOD at NAPI completion; the two
 * thresholds give hysteresis.
 */
#define NICDRV_AIM_PERIOD_NS	(10 * NSEC_PER_MSEC)
#define NICDRV_AIM_LOW_PPS	2000
#define NICDRV_AIM_HIGH_PPS	4000
#define NICDRV_MAX_USECS	10000
#define NICDRV_USECS_TO_ITR(us)	DIV_ROUND_UP((us) * 1000, 256)

/*
 * Counters, grouped by the one context that writes them; each group has
 * its own u64_stats_sync so that 32-bit readers see whole values.
 */
struct nicdrv_tx_stats {		/* written by NAPI (TX completion) */
	u64 packets;
	u64 bytes;
	u64 restart_queue;	/* queue woken after running out of descriptors */
	u64 xsk;		/* frames sent from an AF_XDP socket's UMEM */
};

struct nicdrv_xmit_stats {		/* written by ndo_start_xmit */
	u64 busy;		/* ring full on entry: the stop logic failed */
	u64 stopped;		/* queue stopped for lack of descriptors */
	u64 dma_map_failed;
	u64 csum_offload;	/* packets sent with checksum offload */
	u64 ctx_desc;		/* context descriptors written */
	u64 tso;		/* TSO packets */
	u64 tso_segs;		/* the frames they became */
	u64 kicks;		/* NAPI scheduled by xmit (lazy completion) */
	u64 copied;		/* frames copied into the copy area */
	u64 xdp_xmit;		/* frames redirected here (ndo_xdp_xmit) */
	u64 xdp_xmit_errors;	/* ... refused: no room, or no mapping */
};

struct nicdrv_rx_stats {		/* written by NAPI (RX) */
	u64 packets;
	u64 bytes;
	u64 alloc_failed;	/* no skb memory: frame dropped, buffer kept */
	u64 oversize;		/* longer than the MTU allows, or bad length */
	u64 frame_errors;	/* descriptor error bits set */
	u64 multi_desc;		/* frames that spanned several descriptors */
	u64 reused;		/* buffers given back to the NIC */
	u64 tail_writes;	/* RDT writes that gave them back */
	u64 polls;		/* NAPI polls */
	u64 polls_full;		/* polls that used the whole budget */
	/* XDP verdicts (xdp.c); every frame the program saw has one */
	u64 xdp_pass;
	u64 xdp_drop;
	u64 xdp_tx;
	u64 xdp_redirect;
	u64 xdp_aborted;	/* XDP_ABORTED: dropped, traced */
	u64 xdp_invalid;	/* a verdict nicdrv does not know: dropped */
	u64 xdp_tx_errors;	/* XDP_TX with no room or no spare: dropped */
	u64 xdp_redirect_errors; /* no page for the copy, or refused */
	u64 xsk_fill_empty;	/* zero-copy: polls that found no fill entry */
};

/*
 * Register accesses, for the benchmark's per-packet figure: under
 * emulation each one leaves the guest (docs/performance.md).  Per CPU, as
 * every context touches registers.
 */
struct nicdrv_mmio_stats {
	u64 reads;
	u64 writes;
	u64 tdt;		/* of the writes, doorbells: TDT (SDM 3.4) */
	u64 rdt;		/* ... and RDT (SDM 3.2.6) */
};

struct nicdrv_irq_stats {		/* written by the interrupt handler */
	u64 irqs;		/* interrupts that were ours */
	u64 lsc;		/* link status changes */
};

/*
 * The MAC's statistics registers (SDM 13.7) folded into 64-bit totals, by
 * a work item every NICDRV_STATS_PERIOD and whenever someone asks.  The
 * index is the row of nicdrv_hw_stat_desc[] in hw.c.
 */
enum nicdrv_hw_stat_kind {
	NICDRV_CLR32,	/* 32-bit, clear on read */
	NICDRV_CLR64,	/* low/high pair, reading the high half clears both */
	NICDRV_EITHER32, /* 32-bit, clear on read or not: see below */
};

/*
 * MPC and RNBC clear on read, says the SDM (13.7), like every statistics
 * register; QEMU 7.2 never clears them.  nicdrv must count right on both,
 * so it learns which from the first reading that is not zero: a second
 * reading at once finds a clearing register back at (nearly) zero, a
 * keeping one at least where it was.  Until then nothing was counted,
 * so nothing was counted wrong.  A keeping register still starts again
 * from zero when the NIC is reset (QEMU resets it on resume).
 */
enum nicdrv_stat_mode {
	NICDRV_STAT_UNKNOWN,
	NICDRV_STAT_CLEARS,
	NICDRV_STAT_KEEPS,
};

/*
 * How much an NICDRV_EITHER32 register grew.  v is its reading; again is
 * a second reading right after v, which the caller takes only while the
 * mode is unknown and v is not zero.
 */
static inline u64 nicdrv_hw_stat_either(u8 *mode, u32 *last, u32 v, u32 again)
{
	u32 grown;

	if (*mode == NICDRV_STAT_UNKNOWN) {
		if (!v)
			return 0;
		*mode = again < v ? NICDRV_STAT_CLEARS : NICDRV_STAT_KEEPS;
		if (*mode == NICDRV_STAT_CLEARS)
			return (u64)v + again;	/* each reading cleared its part */
		v = again;
	}
	if (*mode == NICDRV_STAT_CLEARS)
		return v;
	/*
	 * Below the last reading: the NIC was reset (a resume, CTRL.RST on
	 * hardware) and counts from zero.  A wrap would need 2^32 missed
	 * frames between two readings NICDRV_STATS_PERIOD apart.
	 */
	grown = v >= *last ? v - *last : v;
	*last = v;
	return grown;
}

/*
 * A statistics register.  Most are reported under their standard names
 * (ethtool's eth-mac, eth-ctrl and rmon groups, ndo_get_stats64), and
 * have no name here; the few with no standard name are in ethtool -S.
 */
struct nicdrv_hw_stat_desc {
	char name[ETH_GSTRING_LEN];	/* "": a standard counter only */
	u16 reg;
	u8 kind;
};

enum {
	NICDRV_HW_GPRC, NICDRV_HW_GORC, NICDRV_HW_TPR, NICDRV_HW_TOR,
	NICDRV_HW_BPRC, NICDRV_HW_MPRC, NICDRV_HW_ROC, NICDRV_HW_RNBC,
	NICDRV_HW_MPC, NICDRV_HW_PRC64, NICDRV_HW_PRC127, NICDRV_HW_PRC255,
	NICDRV_HW_PRC511, NICDRV_HW_PRC1023, NICDRV_HW_PRC1522,
	NICDRV_HW_GPTC, NICDRV_HW_GOTC, NICDRV_HW_TPT, NICDRV_HW_TOT,
	NICDRV_HW_BPTC, NICDRV_HW_MPTC, NICDRV_HW_TSCTC, NICDRV_HW_PTC64,
	NICDRV_HW_PTC127, NICDRV_HW_PTC255, NICDRV_HW_PTC511,
	NICDRV_HW_PTC1023, NICDRV_HW_PTC1522,
	NICDRV_HW_CRCERRS, NICDRV_HW_ALGNERRC, NICDRV_HW_SCC, NICDRV_HW_ECOL,
	NICDRV_HW_MCC, NICDRV_HW_LATECOL, NICDRV_HW_DC, NICDRV_HW_XONRXC,
	NICDRV_HW_XONTXC, NICDRV_HW_XOFFRXC, NICDRV_HW_XOFFTXC,
	NICDRV_HW_FCRUC, NICDRV_HW_RUC, NICDRV_HW_RFC, NICDRV_HW_RJC,
	NICDRV_HW_NSTATS
};

/* The size histograms, in the order of ethtool's RMON ranges */
#define NICDRV_HW_NHIST	(NICDRV_HW_PRC1522 - NICDRV_HW_PRC64 + 1)
static_assert(NICDRV_HW_PTC1522 - NICDRV_HW_PTC64 + 1 == NICDRV_HW_NHIST);

extern const struct nicdrv_hw_stat_desc nicdrv_hw_stat_desc[NICDRV_HW_NSTATS];

struct nicdrv_hw_stats {
	spinlock_t lock;		/* the registers clear on read */
	u64 val[NICDRV_HW_NSTATS];
	u32 last[NICDRV_HW_NSTATS];	/* NICDRV_EITHER32: the previous reading */
	u8 mode[NICDRV_HW_NSTATS];	/* NICDRV_EITHER32: enum nicdrv_stat_mode */
};

#define NICDRV_STATS_PERIOD	(2 * HZ)

/* What a TX slot sends, on the packet's first slot (xdp.c for the XDP ones) */
enum nicdrv_tx_type {
	NICDRV_TX_SKB,		/* from the stack: freed, reported to BQL */
	NICDRV_TX_XDP_TX,	/* XDP_TX: a pool buffer, back to the XDP spares */
	NICDRV_TX_XDP_FRAME,	/* ndo_xdp_xmit: unmapped, xdp_return_frame() */
	NICDRV_TX_XSK,		/* a UMEM frame: the completion ring (xsk.c) */
};

/* One TX descriptor's bookkeeping (SDM 3.3) */
struct nicdrv_tx_buf {
	union {			/* on the packet's first buffer only */
		struct sk_buff *skb;
		struct xdp_frame *xdpf;
	};
	dma_addr_t dma;
	u32 len;		/* mapped length; 0: nothing to unmap here */
	bool is_page;		/* mapped with skb_frag_dma_map */
	u8 type;		/* first buffer: enum nicdrv_tx_type */
	u16 eop;		/* first buffer: index of the packet's last desc */
	u32 bytes;		/* first buffer: bytes on the wire, for BQL */
	u16 segs;		/* first buffer: frames the packet becomes */
	u16 pool_id;		/* NICDRV_TX_XDP_TX: the pool buffer */
};

struct nicdrv_tx_ring {
	struct nicdrv_tx_desc *desc;	/* dma_alloc_coherent */
	dma_addr_t dma;
	unsigned int count;
	unsigned int size;		/* bytes */
	struct nicdrv_tx_buf *buf;
	u8 *copy;			/* dma_alloc_coherent: a slot per desc */
	dma_addr_t copy_dma;
	u16 next_to_use;		/* written by xmit */
	u16 next_to_clean;		/* written by NAPI */
	u32 ctx_key;			/* checksum context the NIC holds */
	struct nicdrv_tx_stats stats;
	struct u64_stats_sync syncp;
	struct nicdrv_xmit_stats xstats;
	struct u64_stats_sync xsyncp;
};

struct nicdrv_rx_ring {
	struct nicdrv_rx_desc *desc;	/* dma_alloc_coherent */
	dma_addr_t dma;
	unsigned int count;
	unsigned int size;		/* bytes */
	u16 *buf_id;			/* pool buffer posted at each desc */
	u16 next_to_use;		/* next descriptor to give the NIC */
	u16 next_to_clean;		/* next descriptor the NIC completes */
	struct sk_buff *skb;		/* frame assembled across descriptors */
	bool discard;			/* drop descriptors until EOP */
	struct nicdrv_pool *pool;	/* the buffers the NIC receives into */
	/* XDP (xdp.c): pool buffers that replace those XDP_TX sends */
	u16 *xdp_spare;
	unsigned int xdp_nspare;
	/* AF_XDP zero-copy (xsk.c): the UMEM's pool, NULL: nicdrv's pool */
	struct xsk_buff_pool *xsk;
	struct xdp_buff **xsk_buf;	/* the UMEM frame posted at each desc */
	struct nicdrv_rx_stats stats;
	struct u64_stats_sync syncp;
};

/*
 * The RX packet-buffer pool: chunks of NICDRV_POOL_CHUNK_PAGES pages, each
 * DMA-mapped once while the adapter uses the pool and cut into
 * NICDRV_RX_BUF_SIZE buffers.
 */
struct nicdrv_pool {
	struct kref ref;		/* the adapter's, capture sessions' */
	struct device *dev;		/* NULL once released: no DMA left */
	unsigned int nchunks;
	unsigned int npages;		/* nchunks * chunk_pages */
	unsigned int nbufs;
	unsigned int buf_size;		/* 1536, or NICDRV_XDP_BUF_SIZE */
	unsigned int headroom;		/* where the NIC writes: 0 or 256 */
	unsigned int chunk_pages;	/* 3, or 6 for XDP */
	enum dma_data_direction dir;	/* FROM_DEVICE, BIDIRECTIONAL for XDP */
	bool coherent;			/* no sync call does anything */
	struct page **pages;		/* every page, in mapping order */
	dma_addr_t *dma;		/* per chunk */
};

/*
 * Capture counters, kept per device for its whole life (GET_STATS) and
 * written by NAPI only; nic_missed comes from the MAC's MPC register.
 */
struct nicdrv_cap_counters {
	u64 frames;
	u64 bytes;
	u64 dropped;
	u64 truncated;
	u64 invalid_release;
};

/* /dev/nicdrvN (chardev.c); outlives the adapter while a file is open */
struct nicdrv_chr {
	struct device dev;		/* its release frees this struct */
	struct cdev cdev;
	struct mutex lock;		/* a and busy */
	struct nicdrv_adapter *a;	/* NULL once the PCI device is gone */
	bool busy;			/* one reader at a time */
	int minor;
	int dma_bits;
	bool coherent;			/* pool buffers need no syncs */
	struct nicdrv_cap_counters stats;
	struct u64_stats_sync syncp;
};

/*
 * One reader's capture session (cap.c).  NAPI is the only producer: all
 * fields below 'lock' are NAPI's while the session is attached.
 */
struct nicdrv_session {
	struct nicdrv_chr *chr;
	struct nicdrv_pool *pool;	/* a reference, for the mappings */
	struct nicdrv_cap_status *status;	/* vmalloc_user, read-only */
	struct nicdrv_cap_desc *ring;		/* vmalloc_user, read-only */
	struct nicdrv_cap_cons *cons;		/* vmalloc_user, read-write */
	size_t ring_len;
	u32 entries;
	u32 mask;
	wait_queue_head_t wq;

	/* held[] 1 -> 0 and status->state to DEAD, against the sync ioctls */
	spinlock_t lock;
	u8 *held;		/* per buffer: the reader has it */

	u16 *free;		/* spare buffers the NIC can have */
	u32 nfree;
	u32 prod;		/* published to the reader */
	u32 done;		/* staged, up to the last complete frame */
	u32 pend;		/* staged, including a frame in progress */
	u32 kcons;		/* reclaimed from the reader up to here */
	u32 bad_cons;		/* the last invalid consumer index seen */
	u32 frame;		/* where the frame in progress starts */
	u32 frame_len;
	bool in_frame;		/* the frame's first buffer was seen */
	bool frame_cap;		/* the frame is being captured */
	bool trunc;		/* ... but ran out of room */
	struct nicdrv_cap_counters st;	/* not yet folded into chr->stats */
};

struct nicdrv_adapter {
	struct net_device *netdev;
	struct pci_dev *pdev;
	u8 __iomem *hw;
	struct napi_struct napi;

	struct nicdrv_tx_ring tx;
	struct nicdrv_rx_ring rx;
	struct mii_if_info mii;		/* PHY access for ethtool, via MDIC */
	unsigned int tx_ring_count;
	unsigned int rx_ring_count;

	/* Shadows of registers whose writes QEMU makes expensive */
	u32 rctl;
	u32 mta[NICDRV_MTA_WORDS];
	u32 vfta[NICDRV_VFTA_WORDS];	/* VLAN IDs added by the stack */

	u32 tx_copybreak;		/* ethtool tunable; 0: map every frame */

	/* Interrupt moderation (ethtool -C) */
	u32 rx_usecs;			/* -> ITR, 256 ns units */
	u32 tx_usecs;			/* reclaim timer; 0: TXDW interrupts */
	u32 itr;			/* from rx-usecs */
	bool adaptive_rx;		/* ITR follows the packet rate */
	u32 itr_cur;			/* what ITR holds: 0 or itr */
	u64 aim_stamp;			/* NAPI: start of the rate period */
	u64 aim_pkts;			/* NAPI: packets counted by then */
	u64 aim_rx_pkts;		/* NAPI: of them received */
	bool tx_lazy;			/* TXDW masked: lazy TX completion */
	bool ims_due;			/* NAPI completion must write IMS */

	u32 ledctl;			/* saved while ethtool -p blinks */

	struct nicdrv_hw_stats hstats;
	u64 hw_snap[NICDRV_HW_NSTATS];	/* ethtool.c: one request's fold */
	bool hw_snap_req;		/* ... inside an ethtool request */
	bool hw_snap_fresh;		/* ... taken in this request */
	struct delayed_work stats_task;
	struct hrtimer tx_timer;	/* lazy TX completion */

	struct nicdrv_irq_stats istats;
	struct u64_stats_sync isyncp;
	atomic64_t tx_timeouts;
	struct nicdrv_mmio_stats __percpu *mmio;
	struct work_struct reset_task;
	struct dentry *dbg;		/* debugfs.c */
	u64 view_reads;			/* view.c: its register reads, RTNL */
	struct nicdrv_chr *chr;		/* chardev.c */
	struct devlink *devlink;	/* devlink.c */
	u32 pool_bufs;			/* devlink param: next session's ring */
	int dma_bits;			/* the DMA mask's width */
	struct nicdrv_session __rcu *cap;	/* RTNL writes, NAPI reads */
	unsigned int pool_nbufs;	/* rx.pool's buffers, for sysfs */
	/* XDP (xdp.c): the program, RTNL writes, NAPI reads once per poll */
	struct bpf_prog *xdp_prog;
	struct xdp_rxq_info xdp_rxq;	/* the pool's frames */
	struct xdp_rxq_info xdp_copy_rxq;	/* a redirected frame's copy */
	bool xdp_tx_pending;		/* NAPI: XDP_TX queued, TDT not written */
	/* AF_XDP (xsk.c): the socket's pool bound to queue 0, RTNL writes */
	struct xsk_buff_pool *xsk_pool;
	struct xdp_rxq_info xsk_rxq;	/* the UMEM's frames */
	unsigned int xsk_tx_done;	/* NAPI: UMEM frames sent, not reported */
	bool test_irq;			/* selftest.c: the test IRQ arrived */
	u32 msg_enable;
};

/*
 * Fault injection, on kernels with CONFIG_FAULT_INJECTION (the debug
 * tier's): every allocation nicdrv makes, and every TX DMA mapping, asks
 * first.  debugfs nicdrv/fail_alloc and nicdrv/fail_dma_map are standard
 * fault attributes (Documentation/fault-injection): with times=1 and
 * space=N the N-th call fails, so a test can walk every allocation of a
 * path, in nicdrv's code only (debugfs.c).
 */
#ifdef CONFIG_FAULT_INJECTION
bool nicdrv_fail_alloc(void);
bool nicdrv_fail_dma_map(void);
#else
static inline bool nicdrv_fail_alloc(void) { return false; }
static inline bool nicdrv_fail_dma_map(void) { return false; }
#endif

/* MMIO accessors: BAR0, little endian (SDM 13.1) */
static inline u32 nicdrv_rd(struct nicdrv_adapter *a, u32 reg)
{
	this_cpu_inc(a->mmio->reads);
	return readl(a->hw + reg);
}

static inline void nicdrv_wr(struct nicdrv_adapter *a, u32 reg, u32 val)
{
	this_cpu_inc(a->mmio->writes);
	/* reg is a constant at every doorbell: the compiler keeps one line */
	if (reg == NICDRV_TDT)
		this_cpu_inc(a->mmio->tdt);
	else if (reg == NICDRV_RDT)
		this_cpu_inc(a->mmio->rdt);
	writel(val, a->hw + reg);
}

/* The TX descriptor after i (tx.c, xdp.c) */
static inline u16 nicdrv_tx_next(const struct nicdrv_tx_ring *tx, u16 i)
{
	return ++i == tx->count ? 0 : i;
}

/* Free TX descriptors; read by both xmit and NAPI, hence READ_ONCE */
static inline unsigned int nicdrv_tx_unused(const struct nicdrv_tx_ring *tx)
{
	/* One slot stays empty so that TDH == TDT means "ring empty" */
	return (READ_ONCE(tx->next_to_clean) + tx->count -
		READ_ONCE(tx->next_to_use) - 1) % tx->count;
}

/* xmit keeps room for its largest skb (tx.c): XDP and AF_XDP leave it that */
static inline bool nicdrv_xdp_tx_room(const struct nicdrv_tx_ring *tx)
{
	return nicdrv_tx_unused(tx) > NICDRV_TX_STOP_THRESH;
}

/*
 * Hand RX descriptor d a buffer at bus address dma (rx.c, xsk.c).  QEMU
 * writes back neither errors nor the checksum: the write-back fields are
 * cleared here, DD with them (SDM 3.2.3).
 */
static inline void nicdrv_rx_desc_arm(struct nicdrv_rx_desc *d, dma_addr_t dma)
{
	d->buffer_addr = cpu_to_le64(dma);
	d->length = 0;
	d->csum = 0;
	d->status = 0;
	d->errors = 0;
	d->special = 0;
}

/* The RX descriptor after i (rx.c, xsk.c) */
static inline u16 nicdrv_rx_next(const struct nicdrv_rx_ring *rx, u16 i)
{
	return ++i == rx->count ? 0 : i;
}

/*
 * Where posting stops: one slot short of next_to_clean, since RDH == RDT
 * means the NIC has no buffer at all.
 */
static inline u16 nicdrv_rx_stop(const struct nicdrv_rx_ring *rx)
{
	return (rx->next_to_clean + rx->count - 1) % rx->count;
}

/*
 * Free descriptors that wake a stopped queue: twice the stop threshold,
 * but never more than a ring can have free (a 64-entry ring with
 * CONFIG_MAX_SKB_FRAGS over 21 would otherwise never wake)
 */
static inline unsigned int nicdrv_tx_wake_thresh(const struct nicdrv_tx_ring *tx)
{
	return min_t(unsigned int, NICDRV_TX_WAKE_THRESH, tx->count - 1);
}

/* Descriptors handed to the NIC and not yet reclaimed */
static inline unsigned int nicdrv_tx_pending(const struct nicdrv_tx_ring *tx)
{
	return tx->count - 1 - nicdrv_tx_unused(tx);
}

/* Pending descriptors at which xmit schedules NAPI itself (lazy mode) */
static inline unsigned int nicdrv_tx_kick(const struct nicdrv_tx_ring *tx)
{
	return min_t(unsigned int, NICDRV_TX_KICK, tx->count / 4);
}

/* Nothing handed to the NIC is waiting to be reclaimed */
static inline bool nicdrv_tx_idle(const struct nicdrv_tx_ring *tx)
{
	return READ_ONCE(tx->next_to_clean) == READ_ONCE(tx->next_to_use);
}

/*
 * Publish the RX pool's size for the sysfs files, which take no RTNL;
 * under RTNL, wherever the pool appears, grows or goes
 */
static inline void nicdrv_pool_note(struct nicdrv_adapter *a)
{
	WRITE_ONCE(a->pool_nbufs, a->rx.pool ? a->rx.pool->nbufs : 0);
}

/*
 * A pool buffer's chunk, and its offset in that chunk.  These and the two
 * address helpers run for every frame received, so they are inline; the
 * DMA API calls stay in pool.c.
 */
static inline unsigned int nicdrv_pool_chunk(u16 id)
{
	return id / NICDRV_RX_BUFS_PER_CHUNK;
}

static inline unsigned int nicdrv_pool_offset(const struct nicdrv_pool *pool,
					      u16 id)
{
	return (id % NICDRV_RX_BUFS_PER_CHUNK) * pool->buf_size;
}

/* A buffer's bus address (the NIC writes at pool->headroom past it) */
static inline dma_addr_t nicdrv_pool_buf_dma(const struct nicdrv_pool *pool,
					     u16 id)
{
	return pool->dma[nicdrv_pool_chunk(id)] + nicdrv_pool_offset(pool, id);
}

/* A chunk's kernel virtual address: its pages are contiguous */
static inline void *nicdrv_pool_chunk_va(const struct nicdrv_pool *pool,
					 unsigned int c)
{
	return page_address(pool->pages[c * pool->chunk_pages]);
}

/* Kernel virtual address the CPU reads from */
static inline void *nicdrv_pool_buf_va(const struct nicdrv_pool *pool, u16 id)
{
	return nicdrv_pool_chunk_va(pool, nicdrv_pool_chunk(id)) +
	       nicdrv_pool_offset(pool, id);
}

/* Copy a counter group consistently, also on 32-bit machines */
#define nicdrv_stats_read(syncp, src, dst)				\
	do {								\
		const struct u64_stats_sync *__sync = (syncp);		\
		unsigned int __start;					\
									\
		do {							\
			__start = u64_stats_fetch_begin(__sync);	\
			*(dst) = *(src);				\
		} while (u64_stats_fetch_retry(__sync, __start));	\
	} while (0)

/* hw.c */
void nicdrv_hw_reset(struct nicdrv_adapter *a);
int nicdrv_hw_read_mac(struct nicdrv_adapter *a, u8 *mac);
int nicdrv_eeprom_read(struct nicdrv_adapter *a, unsigned int word, u16 *val);
int nicdrv_phy_read(struct nicdrv_adapter *a, unsigned int reg);
int nicdrv_phy_write(struct nicdrv_adapter *a, unsigned int reg, u16 val);
void nicdrv_hw_set_ra(struct nicdrv_adapter *a, unsigned int idx, const u8 *addr);
void nicdrv_hw_set_rctl(struct nicdrv_adapter *a, u32 rctl);
void nicdrv_hw_set_rx_mode(struct nicdrv_adapter *a);
void nicdrv_hw_link_setup(struct nicdrv_adapter *a);
void nicdrv_hw_set_vlan(struct nicdrv_adapter *a);
void nicdrv_hw_set_vfta(struct nicdrv_adapter *a, u16 vid, bool on);
int nicdrv_hw_set_loopback(struct nicdrv_adapter *a, bool on);
bool nicdrv_hw_link_up(struct nicdrv_adapter *a);
void nicdrv_hw_update_stats(struct nicdrv_adapter *a, u64 *out);
void nicdrv_hw_link_mode(struct nicdrv_adapter *a, u32 *speed, u8 *duplex);
void nicdrv_hw_pause(struct nicdrv_adapter *a, bool *rx, bool *tx);
void nicdrv_hw_tx_head_tail(struct nicdrv_adapter *a, u32 *head, u32 *tail);
void nicdrv_hw_led(struct nicdrv_adapter *a, enum ethtool_phys_id_state state);
unsigned int nicdrv_hw_dump_len(void);
void nicdrv_hw_dump(struct nicdrv_adapter *a, u32 *out);
u32 nicdrv_hw_rctl_base(struct nicdrv_adapter *a);

/* pool.c */
struct nicdrv_pool *nicdrv_pool_create(struct device *dev, unsigned int nbufs,
				       bool xdp);
int nicdrv_pool_grow(struct nicdrv_pool *pool, unsigned int nbufs,
		     struct napi_struct *napi);
void nicdrv_pool_get(struct nicdrv_pool *pool);
void nicdrv_pool_put(struct nicdrv_pool *pool);
void nicdrv_pool_release(struct nicdrv_pool *pool);
void nicdrv_pool_sync_for_cpu(const struct nicdrv_pool *pool, u16 id,
			      unsigned int len);
void nicdrv_pool_sync_for_device(const struct nicdrv_pool *pool, u16 id);
void nicdrv_pool_sync_range(const struct nicdrv_pool *pool, u16 id,
			    unsigned int off, unsigned int len, bool for_cpu);

/* ring.c */
int nicdrv_alloc_rings(struct device *dev, struct nicdrv_tx_ring *tx,
		       struct nicdrv_rx_ring *rx, unsigned int tx_count,
		       unsigned int rx_count, bool xdp);
void nicdrv_free_rings(struct device *dev, struct nicdrv_tx_ring *tx,
		       struct nicdrv_rx_ring *rx);
void nicdrv_swap_rings(struct nicdrv_adapter *a, struct nicdrv_tx_ring *tx,
		       struct nicdrv_rx_ring *rx);
void nicdrv_configure_tx(struct nicdrv_adapter *a);
void nicdrv_configure_rx(struct nicdrv_adapter *a);
void nicdrv_program(struct nicdrv_adapter *a);

/* tx.c */
netdev_tx_t nicdrv_xmit_frame(struct sk_buff *skb, struct net_device *netdev);
bool nicdrv_clean_tx(struct nicdrv_adapter *a, int napi_budget);
void nicdrv_tx_drain(struct nicdrv_adapter *a);

/* irq.c */
void nicdrv_link_update(struct nicdrv_adapter *a);
void nicdrv_irq_enable(struct nicdrv_adapter *a);
void nicdrv_irq_disable(struct nicdrv_adapter *a);
void nicdrv_irq_set_itr(struct nicdrv_adapter *a);
void nicdrv_irq_set_moderation(struct nicdrv_adapter *a, u32 rx_usecs,
			       u32 tx_usecs, bool adaptive);
irqreturn_t nicdrv_intr(int irq, void *data);
int nicdrv_poll(struct napi_struct *napi, int budget);
void nicdrv_tx_timer_arm(struct nicdrv_adapter *a, u32 usecs);
void nicdrv_tx_reclaim_slow(struct nicdrv_adapter *a, struct nicdrv_tx_ring *tx,
			    struct netdev_queue *txq);
enum hrtimer_restart nicdrv_tx_timer(struct hrtimer *t);
void nicdrv_quiesce(struct nicdrv_adapter *a);

/*
 * After every xmit: in lazy completion, NAPI must come for what was just
 * queued (irq.c, nicdrv_tx_reclaim_slow()).  While a stream runs the
 * timer is armed, the queue runs and fewer than a kick's worth of
 * descriptors wait, so there is nothing to do: decided here, inline,
 * where it costs a frame a few loads.
 */
static inline void nicdrv_tx_reclaim_later(struct nicdrv_adapter *a,
					   struct nicdrv_tx_ring *tx,
					   struct netdev_queue *txq)
{
	if (!READ_ONCE(a->tx_lazy))
		return;		/* TXDW interrupts do it */
	if (hrtimer_is_queued(&a->tx_timer) && !netif_tx_queue_stopped(txq) &&
	    nicdrv_tx_pending(tx) < nicdrv_tx_kick(tx))
		return;
	nicdrv_tx_reclaim_slow(a, tx, txq);
}

/* rx.c */
void nicdrv_rx_post(struct nicdrv_adapter *a);
int nicdrv_clean_rx(struct nicdrv_adapter *a, int budget);
void nicdrv_rx_drain(struct nicdrv_adapter *a);

/* xdp.c */
enum nicdrv_xdp_verdict {
	NICDRV_XDP_PASS,	/* to the stack: copy from the adjusted frame */
	NICDRV_XDP_CONSUMED,	/* dropped, sent or redirected: buffer handled */
};

int nicdrv_bpf(struct net_device *netdev, struct netdev_bpf *bpf);
int nicdrv_xdp_rebuild(struct nicdrv_adapter *a, struct bpf_prog *prog,
		       struct bpf_prog **old, struct netlink_ext_ack *extack);
int nicdrv_xdp_xmit(struct net_device *netdev, int n,
		    struct xdp_frame **frames, u32 flags);
int nicdrv_xdp_run(struct nicdrv_adapter *a, struct bpf_prog *prog, u16 di,
		   void **data, unsigned int *len, unsigned int *meta,
		   struct nicdrv_rx_stats *st, bool *redirected);
void nicdrv_xdp_flush(struct nicdrv_adapter *a, bool redirected);
void nicdrv_xdp_exception(struct nicdrv_adapter *a, struct bpf_prog *prog,
			  u32 act, struct nicdrv_rx_stats *st);
void nicdrv_xdp_tx_done(struct nicdrv_adapter *a, struct nicdrv_tx_buf *buf);
void nicdrv_xdp_tx_desc(struct nicdrv_tx_ring *tx, dma_addr_t dma,
			unsigned int len, enum nicdrv_tx_type type,
			struct xdp_frame *xdpf, u16 pool_id);
bool nicdrv_xdp_xmit_frame(struct nicdrv_adapter *a, struct xdp_frame *f);
int nicdrv_xdp_rxq_reg(struct nicdrv_adapter *a);
void nicdrv_xdp_rxq_unreg(struct nicdrv_adapter *a);
void nicdrv_xdp_set_napi(struct nicdrv_adapter *a, struct napi_struct *napi);

static inline bool nicdrv_xdp_on(const struct nicdrv_adapter *a)
{
	return !!READ_ONCE(a->xdp_prog);
}

/* xsk.c */
struct xsk_buff_pool;
int nicdrv_xsk_setup(struct nicdrv_adapter *a, struct xsk_buff_pool *pool,
		     u16 qid);
int nicdrv_xsk_wakeup(struct net_device *netdev, u32 qid, u32 flags);
void nicdrv_xsk_select(struct nicdrv_adapter *a);
bool nicdrv_xsk_rx_post(struct nicdrv_adapter *a);
bool nicdrv_xsk_rx_refill(struct nicdrv_adapter *a, struct nicdrv_rx_stats *st);
void nicdrv_xsk_rx_desc(struct nicdrv_adapter *a, struct bpf_prog *prog,
			u16 di, u8 status, struct nicdrv_rx_stats *st,
			bool *redirected);
void nicdrv_xsk_rx_drain(struct nicdrv_adapter *a);
bool nicdrv_xsk_xmit(struct nicdrv_adapter *a, int budget);
void nicdrv_xsk_tx_completed(struct nicdrv_adapter *a);

/* ethtool.c */
void nicdrv_mmio_sum(struct nicdrv_adapter *a, struct nicdrv_mmio_stats *sum);
void nicdrv_set_ethtool_ops(struct net_device *netdev);

/* selftest.c */
int nicdrv_selftest_count(void);
void nicdrv_selftest_strings(u8 *data);
void nicdrv_selftest(struct net_device *netdev, struct ethtool_test *test,
		     u64 *data);

/* cap.c */
int nicdrv_cap_start(struct nicdrv_adapter *a, struct nicdrv_chr *chr,
		     struct nicdrv_session **out);
void nicdrv_cap_end(struct nicdrv_adapter *a);
void nicdrv_cap_free(struct nicdrv_session *s);
void nicdrv_cap_rx(struct nicdrv_session *s, u16 *id, unsigned int len,
		   bool first, bool eop, u8 status, u16 special);
void nicdrv_cap_abort(struct nicdrv_session *s);
void nicdrv_cap_publish(struct nicdrv_session *s);
void nicdrv_cap_get_stats(struct nicdrv_adapter *a, struct nicdrv_chr *chr,
			  struct nicdrv_cap_stats *out);

/* chardev.c */
int nicdrv_chr_init(void);
void nicdrv_chr_exit(void);
int nicdrv_chr_add(struct nicdrv_adapter *a);
void nicdrv_chr_dma_changed(struct nicdrv_adapter *a);
void nicdrv_chr_del(struct nicdrv_adapter *a);

/* debugfs.c */
void nicdrv_debugfs_init(void);
void nicdrv_debugfs_exit(void);
void nicdrv_debugfs_add(struct nicdrv_adapter *a);
void nicdrv_debugfs_del(struct nicdrv_adapter *a);
phys_addr_t nicdrv_virt_to_phys(void *va);

/* view.c */
extern const struct file_operations nicdrv_view_fops;

/* devlink.c */
int nicdrv_devlink_add(struct nicdrv_adapter *a);
void nicdrv_devlink_del(struct nicdrv_adapter *a);

/* main.c */
void nicdrv_start(struct nicdrv_adapter *a);
void nicdrv_halt(struct nicdrv_adapter *a);
int nicdrv_change_dma_mask(struct nicdrv_adapter *a, unsigned int bits,
			   struct netlink_ext_ack *extack);
int nicdrv_resize_rings(struct nicdrv_adapter *a, unsigned int tx_count,
			unsigned int rx_count, struct netlink_ext_ack *extack);
void nicdrv_get_stats64(struct net_device *netdev,
			struct rtnl_link_stats64 *stats);

#endif /* NICDRV_H */
