/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kshim.h: just enough of the kernel's API, in user space, to compile
 * nicdrv's ring code (rx.c, tx.c, irq.c, ring.c, hw.c, pool.c) unchanged
 * into the ring model (ringmodel.c), the way tools/testing/ in the kernel
 * builds kernel files against stand-ins.  Every kernel header the driver
 * includes is a one-line file that includes this one.
 *
 * What stands in for what:
 *   - MMIO (readl/writel) calls the model NIC (model_readl/model_writel);

 *   - DMA mapping bounces, as swiotlb does: the bus address is a device
 *     copy of the buffer, filled from the CPU's at map time (to the
 *     device) and copied back by a sync for the CPU or the unmap (from
 *     the device), so a missed sync shows; a table of live mappings
 *     lets the model check each is undone once, with its direction;
 *   - sk_buffs are plain structs; napi_gro_receive() hands the frame to
 *     the model, which checks its bytes;
 *   - NAPI, hrtimers and the TX queue are flags that the model's event
 *     loop acts on; RCU and synchronize_net() wait for a poll in flight
 *     (the model's race tests run a poll and a halt on two threads).
 */
#ifndef KSHIM_H
#define KSHIM_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int8_t s8;
typedef int16_t s16;
typedef int32_t s32;
typedef int64_t s64;
typedef u8 __u8;
typedef u16 __u16;
typedef u32 __u32;
typedef u64 __u64;
typedef s32 __s32;
typedef s64 __s64;
typedef u16 __le16;
typedef u32 __le32;
typedef u64 __le64;
typedef u16 __be16;
typedef u32 __be32;
typedef u16 __sum16;
typedef u32 __wsum;
typedef u64 dma_addr_t;
typedef u64 netdev_features_t;
typedef s64 ktime_t;
typedef unsigned int gfp_t;
typedef u64 phys_addr_t;

#define __iomem
#define __percpu
#define __rcu
#define __user
#define __force
#define __init
#define __exit
#define __packed __attribute__((packed))

#define likely(x)	__builtin_expect(!!(x), 1)
#define unlikely(x)	__builtin_expect(!!(x), 0)
#define noinline	__attribute__((__noinline__))
#define READ_ONCE(x)	(*(const volatile __typeof__(x) *)&(x))
#define WRITE_ONCE(x, v) (*(volatile __typeof__(x) *)&(x) = (v))
#define smp_mb()	atomic_thread_fence(memory_order_seq_cst)
#define dma_rmb()	atomic_thread_fence(memory_order_acquire)
#define dma_wmb()	atomic_thread_fence(memory_order_release)
#define smp_store_release(p, v) \
	__atomic_store_n((p), (v), __ATOMIC_RELEASE)
#define smp_load_acquire(p)	__atomic_load_n((p), __ATOMIC_ACQUIRE)
#define xchg(p, v)	__atomic_exchange_n((p), (v), __ATOMIC_SEQ_CST)

#define BIT(n)		(1UL << (n))
#define BIT_ULL(n)	(1ULL << (n))
#define GENMASK(h, l)	(((~0UL) << (l)) & (~0UL >> (63 - (h))))
#define FIELD_PREP(m, v) (((typeof(m))(v) << __builtin_ctzll(m)) & (m))
#define FIELD_GET(m, v)	((typeof(m))(((v) & (m)) >> __builtin_ctzll(m)))
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define DIV_ROUND_UP(n, d) (((n) + (d) - 1) / (d))
#define container_of(p, type, m) \
	((type *)((char *)(p) - offsetof(type, m)))
#define min(a, b)	((a) < (b) ? (a) : (b))
#define max(a, b)	((a) > (b) ? (a) : (b))
#define static_assert(e)	_Static_assert(e, #e)
#define min_t(t, a, b)	((t)(a) < (t)(b) ? (t)(a) : (t)(b))
#define max_t(t, a, b)	((t)(a) > (t)(b) ? (t)(a) : (t)(b))
#define swap(a, b)	do { __typeof__(a) __t = (a); (a) = (b); (b) = __t; } while (0)
#define lower_32_bits(n) ((u32)(n))
#define upper_32_bits(n) ((u32)((u64)(n) >> 32))
#define cpu_to_le16(x)	((u16)(x))
#define cpu_to_le32(x)	((u32)(x))
#define cpu_to_le64(x)	((u64)(x))
#define le16_to_cpu(x)	((u16)(x))
#define le32_to_cpu(x)	((u32)(x))
#define le64_to_cpu(x)	((u64)(x))
#define htons(x)	__builtin_bswap16(x)
#define ntohs(x)	__builtin_bswap16(x)
#define U8_MAX		0xff
#define SZ_64K		0x10000
#define PAGE_SIZE	4096UL
#define PAGE_SHIFT	12
#define SMP_CACHE_BYTES	64
#define SKB_DATA_ALIGN(x) (((x) + (SMP_CACHE_BYTES - 1)) & ~(SMP_CACHE_BYTES - 1))
#define MAX_SKB_FRAGS	17
#define NSEC_PER_USEC	1000ULL
#define NSEC_PER_MSEC	1000000ULL
#define NSEC_PER_SEC	1000000000ULL
#define HZ		250
#define GFP_KERNEL	0
#define GFP_ATOMIC	1
#define ENOMEM		12
#define EBUSY		16
#define EINVAL		22
#define EIO		5
#define ENODEV		19
#define ETIMEDOUT	110
#define EBADMSG		74
#define ENETDOWN	100

#define ETH_ALEN	6
#define ETH_HLEN	14
#define ETH_ZLEN	60
#define ETH_DATA_LEN	1500
#define ETH_FCS_LEN	4
#define ETH_GSTRING_LEN	32
#define VLAN_HLEN	4
#define ETH_P_8021Q	0x8100
#define IPPROTO_TCP	6
#define IFF_PROMISC	0x100
#define IFF_ALLMULTI	0x200

#define NETIF_F_SG			BIT_ULL(0)
#define NETIF_F_HW_CSUM			BIT_ULL(1)
#define NETIF_F_TSO			BIT_ULL(2)
#define NETIF_F_TSO6			BIT_ULL(3)
#define NETIF_F_HW_VLAN_CTAG_RX		BIT_ULL(4)
#define NETIF_F_HW_VLAN_CTAG_TX		BIT_ULL(5)
#define NETIF_F_HW_VLAN_CTAG_FILTER	BIT_ULL(6)
#define NETIF_F_RXALL			BIT_ULL(7)
#define NETIF_F_LOOPBACK		BIT_ULL(8)

/* ---- locks, counters, RCU: one writer at a time in the model ---- */
typedef struct { int dummy; } spinlock_t;
struct mutex { int dummy; };
struct u64_stats_sync { int dummy; };
typedef struct { s64 counter; } atomic64_t;
struct kref { int refcount; };
typedef struct { int dummy; } wait_queue_head_t;
#define spin_lock_init(l)		((void)(l))
#define spin_lock_irqsave(l, f)		((void)(l), (f) = 0)
#define spin_unlock_irqrestore(l, f)	((void)(l), (void)(f))
#define spin_lock_bh(l)			((void)(l))
#define spin_unlock_bh(l)		((void)(l))
#define u64_stats_init(s)		((void)(s))
#define u64_stats_update_begin(s)	((void)(s))
#define u64_stats_update_end(s)		((void)(s))
static inline unsigned int u64_stats_fetch_begin(const struct u64_stats_sync *s)
{
	(void)s;
	return 0;
}

static inline bool u64_stats_fetch_retry(const struct u64_stats_sync *s,
					 unsigned int start)
{
	(void)s;
	(void)start;
	return false;
}

#define this_cpu_inc(x)		((x)++)
#define rcu_dereference_bh(p)	(p)
#define rcu_access_pointer(p)	(p)
#define atomic64_inc(a)		((a)->counter++)
#define atomic64_read(a)	((a)->counter)
#define test_bit(n, addr)	((*(volatile unsigned long *)(addr) >> (n)) & 1)
#define div64_u64(a, b)		((a) / (b))
#define ASSERT_RTNL()		do { } while (0)

static inline void *kcalloc(size_t n, size_t size, gfp_t gfp)
{
	(void)gfp;
	return calloc(n, size);
}

static inline void *kzalloc(size_t size, gfp_t gfp)
{
	(void)gfp;
	return calloc(1, size);
}

/* 7.0's typed allocators (nicdrv always passes the GFP flags) */
#define kzalloc_obj(obj, gfp)		kzalloc(sizeof(obj), gfp)
#define kzalloc_objs(obj, count, gfp)	kcalloc(count, sizeof(obj), gfp)

#define kfree(p)	free(p)

/* ---- time ---- */
u64 model_now_ns(void);

#define ktime_get_mono_fast_ns()	model_now_ns()
#define ns_to_ktime(ns)			((ktime_t)(ns))
#define udelay(us)			((void)(us))
#define usleep_range(a, b)		((void)(a), (void)(b))
#define msleep(ms)			((void)(ms))

/* ---- MMIO: the model NIC ---- */
u32 model_readl(const volatile void __iomem *addr);

void model_writel(u32 val, volatile void __iomem *addr);

#define readl(a)	model_readl(a)
#define writel(v, a)	model_writel((v), (a))

/* Polling a register: the model's registers answer at once or never */
#define read_poll_timeout(op, val, cond, sleep_us, timeout_us, before, ...) \
({									\
	int __tries = 100;						\
									\
	while (((val) = op(__VA_ARGS__), !(cond)) && --__tries)		\
		;							\
	(cond) ? 0 : -ETIMEDOUT;					\
})
#define read_poll_timeout_atomic read_poll_timeout

/* ---- devices, DMA ---- */
struct device {
	u64 coherent_dma_mask;
};

struct pci_dev {
	struct device dev;
	int irq;
};

/* A page is its 4096 bytes: page + k and page_address() work on it */
struct page {
	u8 bytes[4096];
};

#define __GFP_ZERO	0x100
#define virt_to_page(va)	((struct page *)(va))
void *alloc_pages_exact(size_t size, gfp_t gfp);
void free_pages_exact(void *va, size_t size);
#define local_bh_disable()	do { } while (0)
#define local_bh_enable()	do { } while (0)

static inline void kref_init(struct kref *k)
{
	k->refcount = 1;
}

static inline void kref_get(struct kref *k)
{
	k->refcount++;
}

static inline int kref_put(struct kref *k, void (*release)(struct kref *k))
{
	if (--k->refcount)
		return 0;
	release(k);
	return 1;
}

enum dma_data_direction {
	DMA_BIDIRECTIONAL, DMA_TO_DEVICE, DMA_FROM_DEVICE, DMA_NONE,
};

dma_addr_t model_dma_map(void *cpu, size_t len, enum dma_data_direction dir);

void model_dma_unmap(dma_addr_t dma, size_t len, enum dma_data_direction dir);

void *model_dma_alloc_coherent(size_t size, dma_addr_t *dma);

void model_dma_free_coherent(size_t size, void *cpu, dma_addr_t dma);

#define dma_map_single(d, p, l, dir)	((void)(d), model_dma_map((p), (l), (dir)))
#define dma_unmap_single(d, a, l, dir)	((void)(d), model_dma_unmap((a), (l), (dir)))
#define dma_unmap_page(d, a, l, dir)	((void)(d), model_dma_unmap((a), (l), (dir)))
#define dma_map_page(d, pg, off, l, dir) \
	((void)(d), model_dma_map((u8 *)(pg) + (off), (l), (dir)))
void model_dma_sync(dma_addr_t dma, size_t off, size_t len, bool for_cpu);
#define dma_sync_single_range_for_cpu(d, a, off, l, dir) \
	((void)(d), (void)(dir), model_dma_sync((a), (off), (l), true))
#define dma_sync_single_range_for_device(d, a, off, l, dir) \
	((void)(d), (void)(dir), model_dma_sync((a), (off), (l), false))
#define dma_need_sync(d, a)		((void)(d), (void)(a), true)
#define dma_mapping_error(d, a)		((void)(d), (a) == 0)
#define dma_alloc_coherent(d, s, h, g)	((void)(d), model_dma_alloc_coherent((s), (h)))
#define dma_free_coherent(d, s, c, h)	((void)(d), model_dma_free_coherent((s), (c), (h)))

/* ---- sk_buff ---- */
typedef struct {
	void *addr;
	unsigned int offset;
	unsigned int size;
} skb_frag_t;
struct skb_shared_info {
	unsigned int nr_frags;
	unsigned int gso_size;
	unsigned int gso_segs;
	skb_frag_t frags[MAX_SKB_FRAGS];
};

#define CHECKSUM_NONE		0
#define CHECKSUM_PARTIAL	3
struct sk_buff {
	unsigned char *data;
	unsigned int len;
	unsigned int data_len;
	unsigned int truesize;
	unsigned int alloc_size;	/* the model: what the head holds */
	u16 protocol;
	u8 ip_summed;
	u16 csum_start;
	u16 csum_offset;
	u16 vlan_tci;
	bool vlan_present;
	struct skb_shared_info shinfo;
	void *model;			/* the model's per-frame record */
};

#define skb_shinfo(skb)		(&(skb)->shinfo)
#define skb_headlen(skb)	((skb)->len - (skb)->data_len)
#define skb_frag_size(f)	((f)->size)
#define skb_is_gso(skb)		(skb_shinfo(skb)->gso_size != 0)
#define skb_checksum_start_offset(skb) ((skb)->csum_start)
#define skb_vlan_tag_present(skb) ((skb)->vlan_present)
#define skb_vlan_tag_get(skb)	((skb)->vlan_tci)
#define skb_tx_timestamp(skb)	((void)(skb))
#define skb_network_offset(skb)	ETH_HLEN
#define skb_transport_offset(skb) (ETH_HLEN + 20)
#define skb_tcp_all_headers(skb) (ETH_HLEN + 40)
#define skb_cow_head(skb, h)	((void)(skb), 0)
#define skb_checksum_help(skb)	((skb)->ip_summed = CHECKSUM_NONE, 0)
struct iphdr {
	u16 tot_len;
	u16 check;
	u32 saddr;
	u32 daddr;
};

struct tcphdr {
	u16 check;
};

#define ip_hdr(skb)		((struct iphdr *)((skb)->data + ETH_HLEN))
#define tcp_hdr(skb)		((struct tcphdr *)((skb)->data + ETH_HLEN + 20))
#define csum_tcpudp_magic(s, d, l, p, c) ((u16)0)

struct napi_struct;
struct sk_buff *napi_alloc_skb(struct napi_struct *napi, unsigned int len);

void *napi_alloc_frag(unsigned int len);

void skb_put_data(struct sk_buff *skb, const void *data, unsigned int len);

/* XDP: the model never attaches a program (xdp.c is not in it) */
#define XDP_PACKET_HEADROOM	256
#define NETDEV_XDP_ACT_BASIC	1
#define NETDEV_XDP_ACT_REDIRECT	2
#define NETDEV_XDP_ACT_NDO_XMIT	4
#ifndef VLAN_ETH_FRAME_LEN
#define VLAN_ETH_FRAME_LEN	1518
#endif
struct bpf_prog;
struct netdev_bpf;
struct xdp_frame;
struct xdp_rxq_info {
	int unused;
};

static inline void __skb_pull(struct sk_buff *skb, unsigned int len)
{
	skb->data += len;
	skb->len -= len;
}

static inline void skb_metadata_set(struct sk_buff *skb, u8 len)
{
}

void skb_add_rx_frag(struct sk_buff *skb, int i, struct page *page, int off,
		     int size, unsigned int truesize);
void dev_kfree_skb_any(struct sk_buff *skb);

void napi_consume_skb(struct sk_buff *skb, int budget);

int skb_copy_bits(const struct sk_buff *skb, int off, void *to, int len);

#define virt_to_head_page(p)	((struct page *)(p))
#define page_address(p)		((void *)(p))
dma_addr_t skb_frag_dma_map(struct device *dev, const skb_frag_t *frag,
			    size_t off, size_t size,
			    enum dma_data_direction dir);
#define __vlan_hwaccel_put_tag(skb, proto, tci) \
	((skb)->vlan_present = true, (skb)->vlan_tci = (tci))
#define __vlan_hwaccel_push_inside(skb) (skb)

/* ---- net_device, NAPI, queues ---- */
struct net_device;
struct netdev_queue {
	unsigned long state;		/* bit 0: stopped */
};

struct net_device_ops {
	void (*ndo_tx_timeout)(struct net_device *dev, unsigned int q);
};

struct net_device {
	netdev_features_t features;
	unsigned int mtu;
	unsigned int flags;
	unsigned char dev_addr[ETH_ALEN];
	bool carrier;
	struct netdev_queue txq;
	const struct net_device_ops *netdev_ops;
	void *priv;
};

#define NAPI_STATE_SCHED	0
#define NAPI_STATE_DISABLE	1
struct napi_struct {
	unsigned long state;
	int (*poll)(struct napi_struct *napi, int budget);
};

typedef enum { NETDEV_TX_OK = 0, NETDEV_TX_BUSY = 0x10 } netdev_tx_t;
typedef enum { IRQ_NONE, IRQ_HANDLED } irqreturn_t;

bool napi_schedule_prep(struct napi_struct *n);

void napi_schedule(struct napi_struct *n);

#define __napi_schedule_irqoff(n)	((void)(n))
bool napi_complete_done(struct napi_struct *n, int work);

void napi_disable(struct napi_struct *n);

void napi_enable(struct napi_struct *n);

void napi_gro_receive(struct napi_struct *n, struct sk_buff *skb);

void synchronize_net(void);

#define netdev_priv(d)			((d)->priv)
#define netdev_get_tx_queue(d, i)	(&(d)->txq)
#define netif_running(d)		((void)(d), true)
#define netif_carrier_ok(d)		((d)->carrier)
#define netif_carrier_on(d)		((d)->carrier = true)
#define netif_carrier_off(d)		((d)->carrier = false)
#define netif_tx_queue_stopped(q)	((q)->state & 1)
#define netif_tx_stop_queue(q)		((q)->state |= 1)
#define netif_tx_start_queue(q)		((q)->state &= ~1UL)
void netif_tx_wake_queue(struct netdev_queue *q);

void netif_tx_disable(struct net_device *d);

bool netdev_xmit_more(void);

static inline bool __netdev_tx_sent_queue(struct netdev_queue *q,
					  unsigned int bytes, bool more)
{
	(void)bytes;
	return !more || netif_tx_queue_stopped(q);
}

#define netdev_tx_completed_queue(q, p, b) ((void)(q), (void)(p), (void)(b))

/*
 * <net/netdev_queues.h> as its kernel-doc specifies it: stop below
 * stop_thrs, then look again after a barrier and start at start_thrs;
 * report a completion, barrier, wake at start_thrs unless down_cond.
 */
#define netif_txq_maybe_stop(q, get_desc, stop_thrs, start_thrs)	\
({									\
	int _r = 1;							\
									\
	if ((get_desc) < (stop_thrs)) {					\
		netif_tx_stop_queue(q);					\
		smp_mb();						\
		_r = 0;							\
		if ((get_desc) >= (start_thrs)) {			\
			netif_tx_start_queue(q);			\
			_r = -1;					\
		}							\
	}								\
	_r;								\
})
#define __netif_txq_completed_wake(q, pkts, bytes, get_desc, start_thrs, \
				   down_cond)				\
({									\
	int _r = -1;							\
									\
	netdev_tx_completed_queue(q, pkts, bytes);			\
	smp_mb();							\
	if ((pkts) && (get_desc) >= (start_thrs)) {			\
		_r = 1;							\
		if (netif_tx_queue_stopped(q) && !(down_cond)) {	\
			netif_tx_wake_queue(q);				\
			_r = 0;						\
		}							\
	}								\
	_r;								\
})
#define netdev_tx_reset_queue(q)	((void)(q))
#define dev_core_stats_tx_dropped_inc(d) ((void)(d))
u16 eth_type_trans(struct sk_buff *skb, struct net_device *dev);

#define netif_info(a, t, d, ...)	((void)(a))
#define netdev_warn(d, ...)		((void)(d))
#define netdev_err(d, ...)		((void)(d))
#define netdev_uc_count(d)		0
struct netdev_hw_addr {
	u8 addr[ETH_ALEN];
};

#define netdev_for_each_mc_addr(ha, d)	for ((ha) = NULL; (ha); )
#define netdev_for_each_uc_addr(ha, d)	for ((ha) = NULL; (ha); )
#define netdev_mc_count(d)		0

/* ---- the reclaim timer ---- */
/* The newest kernel API: nicdrv/compat.h compiles none of its shims */
#define KERNEL_VERSION(a, b, c)	(((a) << 16) + ((b) << 8) + (c))
#define LINUX_VERSION_CODE	KERNEL_VERSION(7, 2, 0)

enum hrtimer_restart { HRTIMER_NORESTART, HRTIMER_RESTART };
enum hrtimer_mode { HRTIMER_MODE_REL };
struct hrtimer {
	enum hrtimer_restart (*function)(struct hrtimer *t);
	bool queued;
	u64 expires;
};

#define hrtimer_is_queued(t)	((t)->queued)
void hrtimer_start(struct hrtimer *t, ktime_t rel, enum hrtimer_mode mode);

int hrtimer_cancel(struct hrtimer *t);

/* ---- what nicdrv.h names and the model never uses ---- */
struct cdev { int dummy; };
struct dentry;
struct work_struct { int dummy; };
struct delayed_work { struct work_struct work; };
struct mii_if_info {
	struct net_device *dev;
	int phy_id, phy_id_mask, reg_num_mask, supports_gmii;
	int (*mdio_read)(struct net_device *d, int id, int reg);
	void (*mdio_write)(struct net_device *d, int id, int reg, int val);
};

struct rtnl_link_stats64;
struct netlink_ext_ack;
struct ethtool_test;
enum ethtool_phys_id_state {
	ETHTOOL_ID_INACTIVE, ETHTOOL_ID_ACTIVE, ETHTOOL_ID_ON, ETHTOOL_ID_OFF
};

#define SPEED_10	10
#define SPEED_100	100
#define SPEED_1000	1000
#define DUPLEX_HALF	0
#define DUPLEX_FULL	1

struct napi_struct;
struct nicdrv_cap_stats;

#endif /* KSHIM_H */
