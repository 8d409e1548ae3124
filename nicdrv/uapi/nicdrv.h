/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * nicdrv capture interface: /dev/nicdrvN, one per interface.
 *
 * Opening the device (CAP_NET_RAW, one reader at a time, interface up)
 * starts a capture session.  From then on every frame the NIC receives is
 * also published to the reader, in the very pool buffer the NIC wrote,
 * until the reader closes the device or the interface goes away.
 *
 * The reader maps four regions, each with its own mmap() call at the
 * offset NICDRV_IOC_GET_INFO reports, MAP_SHARED only:
 *
 *   status   read-only   struct nicdrv_cap_status: producer index, state
 *   ring     read-only   ring_entries x struct nicdrv_cap_desc
 *   cons     read-write  struct nicdrv_cap_cons: the consumer index
 *   bufs     read-only   buf_count buffers of buf_size bytes
 *
 * The ring protocol (one producer: the driver; one consumer: the reader)
 * ---------------------------------------------------------------------
 * prod and cons are free-running u32 counters; entry n lives in slot
 * n & (ring_entries - 1).  Entries [cons, prod) belong to the reader.
 *
 *   driver (producer)                     reader (consumer)
 *   fill desc[prod .. p-1] and buffers    p = load_acquire(&status->prod)
 *   store_release(&status->prod, p)  -->  read desc[cons .. p-1], buffers
 *                                         store_release(&cons->cons, p)
 *   c = load_acquire(&cons->cons)    <--
 *   buffers of desc[.. c-1] go back to the NIC
 *
 * The release on prod pairs with the reader's acquire: descriptors and
 * frame bytes are visible before the index that publishes them.  The
 * release on cons pairs with the driver's acquire: the reader's last read
 * of a buffer happens before the NIC may write it again.  Until cons
 * passes an entry, its buffer is the reader's and does not change.
 *
 * A frame may span several buffers: every descriptor but the frame's last
 * has NICDRV_CAP_F_MORE.  The first descriptor of a frame carries the
 * timestamp, frame_len and the VLAN fields.  A frame is published whole or
 * not at all, except that a frame longer than the free ring space is cut
 * (NICDRV_CAP_F_TRUNC on its first descriptor).  When the ring is full the
 * driver drops frames from the capture (counted), never from the network
 * stack: the stack gets a copy of each frame whatever the reader does.
 *
 * Once the interface goes down or away, status->state becomes
 * NICDRV_CAP_DEAD, poll() reports POLLERR | POLLHUP and ioctls fail with
 * ENODEV.  The mappings stay valid until munmap(): entries published
 * before can still be read, and status->final holds the last counters.
 */
#ifndef _UAPI_NICDRV_H
#define _UAPI_NICDRV_H

#include <linux/ioctl.h>
#include <linux/types.h>

#define NICDRV_CAP_MAGIC	0x6e696364	/* "nicd" */
#define NICDRV_CAP_VERSION	1

/* Region sizes and offsets, all page aligned (NICDRV_IOC_GET_INFO) */
struct nicdrv_cap_info {
	__u32 version;		/* NICDRV_CAP_VERSION */
	__u32 ring_entries;	/* a power of two */
	__u32 buf_size;		/* bytes per buffer */
	__u32 buf_count;	/* buffers in the bufs region */
	__u32 desc_size;	/* sizeof(struct nicdrv_cap_desc) */
	__u32 ifindex;		/* the interface being captured */
	__u64 status_off;
	__u64 status_len;
	__u64 ring_off;
	__u64 ring_len;
	__u64 cons_off;
	__u64 cons_len;
	__u64 bufs_off;
	__u64 bufs_len;
};

/* 64-bit counters since the device appeared; never reset */
struct nicdrv_cap_stats {
	__u64 frames;		/* frames published to a reader */
	__u64 bytes;		/* their bytes as received */
	__u64 dropped;		/* frames not captured: the ring was full */
	__u64 truncated;	/* frames cut short: the ring filled mid-frame */
	__u64 invalid_release;	/* consumer index values that made no sense */
	__u64 nic_missed;	/* frames the NIC had no buffer for (MPC) */
};

enum nicdrv_cap_state {
	NICDRV_CAP_LIVE = 1,
	NICDRV_CAP_DEAD = 2,	/* interface down or gone: reopen */
};

/* The status region; prod has a cache line of its own */
struct nicdrv_cap_status {
	__u32 magic;		/* NICDRV_CAP_MAGIC */
	__u32 version;
	__u32 ring_entries;
	__u32 state;		/* enum nicdrv_cap_state */
	__u8 pad0[48];
	__u32 prod;		/* written by the driver only */
	__u8 pad1[60];
	struct nicdrv_cap_stats final;	/* valid once state is DEAD */
};

/* The consumer region: the reader's only writable word */
struct nicdrv_cap_cons {
	__u32 cons;
	__u8 pad[60];
};

#define NICDRV_CAP_F_MORE	0x0001	/* the next descriptor continues the frame */
#define NICDRV_CAP_F_VLAN	0x0002	/* the NIC stripped a tag: see vlan_tci */
#define NICDRV_CAP_F_TRUNC	0x0004	/* not all of the frame was captured */

struct nicdrv_cap_desc {
	__u64 ts_ns;		/* CLOCK_REALTIME when the driver saw the frame */
	__u32 buf;		/* buffer index in the bufs region */
	__u16 off;		/* first byte within the buffer */
	__u16 len;		/* bytes in this buffer */
	__u32 frame_len;	/* bytes of the whole frame as received */
	__u16 flags;		/* NICDRV_CAP_F_* */
	__u16 vlan_tci;		/* with NICDRV_CAP_F_VLAN: the stripped tag */
	__u64 reserved;
};

/* A range of the bufs region, for the sync ioctls */
struct nicdrv_cap_range {
	__u64 offset;		/* from the start of the bufs region */
	__u64 len;
};

struct nicdrv_cap_ifname {
	char name[16];		/* IFNAMSIZ */
	__u32 ifindex;
	__u32 pad;
};

#define NICDRV_IOC_MAGIC	0xe1
#define NICDRV_IOC_GET_INFO	_IOR(NICDRV_IOC_MAGIC, 1, struct nicdrv_cap_info)
#define NICDRV_IOC_GET_STATS	_IOR(NICDRV_IOC_MAGIC, 2, struct nicdrv_cap_stats)
#define NICDRV_IOC_GET_IFNAME	_IOR(NICDRV_IOC_MAGIC, 3, struct nicdrv_cap_ifname)
/*
 * Only buffers the reader holds (published, not yet released) may sync,
 * at most NICDRV_CAP_SYNC_MAX_BUFS of them per call (E2BIG beyond: the
 * largest frame spans 11)
 */
#define NICDRV_CAP_SYNC_MAX_BUFS 16
#define NICDRV_IOC_SYNC_FOR_CPU	_IOW(NICDRV_IOC_MAGIC, 4, struct nicdrv_cap_range)
#define NICDRV_IOC_SYNC_FOR_DEVICE _IOW(NICDRV_IOC_MAGIC, 5, struct nicdrv_cap_range)

/*
 * The live ring view: debugfs nicdrv/<pci-address>/view, which
 * tools/nicdrv-top draws (docs/design.md, "The live ring view").  Each
 * read from offset 0 is a new snapshot, lines of "key value...":
 *
 *   nicdrv-view 1                  NICDRV_VIEW_VERSION
 *   iface NAME
 *   time_ns NS                     CLOCK_MONOTONIC, when it was taken
 *   state up|down                  down: no rings, no "tx"/"rx" lines
 *   tx COUNT NTC HEAD TAIL NTU     in this order, each read after the one
 *   rx COUNT NTC HEAD TAIL NTU     before it (HEAD, TAIL: the registers);
 *                                  " torn" after them: out of order, even
 *                                  read again (the ring moved a lap)
 *   tx_desc DIGITS                 a hex digit per descriptor:
 *   rx_desc DIGITS                 NICDRV_VIEW_* bits
 *   rx_buffers pool|umem           nicdrv's pool, or an AF_XDP UMEM
 *   iommu none|translating         the device's DMA goes through one
 *   counter NAME VALUE             the rates' sources, ethtool -S names
 *   view_reads N                   register reads of every snapshot so
 *                                  far, this one's included
 *   cap none | cap ENTRIES PROD CONS   the capture ring, when one is open
 *   sel none | sel tx|rx INDEX     the descriptor the reader chose, and:
 *   sel_desc VIRT PHYS DMA         the descriptor's own three addresses
 *   sel_buf VIRT PHYS DMA LEN      its buffer's (0: unknown), or
 *   sel_buf none empty|context     no buffer
 *   sel_iommu PHYS                 the IOMMU's translation of DMA, for a
 *                                  buffer the driver knows (not a TX skb)
 *
 * Writing "tx N", "rx N" or "none" to an open file chooses the sel lines
 * of that file's next snapshots.  debugfs, so root only, and no ABI: the
 * first line names the format.
 */
#define NICDRV_VIEW_VERSION	1
#define NICDRV_VIEW_DD		0x1	/* written back: DD (SDM 3.2.3, 3.3.7.2) */
#define NICDRV_VIEW_EOP		0x2	/* the frame's last descriptor */
#define NICDRV_VIEW_CTX		0x4	/* TX: a context descriptor, no buffer */

#endif /* _UAPI_NICDRV_H */
