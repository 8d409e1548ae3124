/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nicdrv: the kernel API it is written in, for the older kernels it runs on.
 *
 * The driver is written against the newest kernel's API (7.2 as of this
 * writing).  Each shim below gives an older kernel one interface that came
 * later, and names the release that brought it; a kernel at or past that
 * release compiles none of it.  A macro is tested by its presence, since
 * stable series backport some (Debian's 6.1 has half of netdev_queues.h,
 * its 6.12 kzalloc_obj()); a function shim is a nicdrv_ one that the
 * kernel's name points to, so a backport of the function cannot clash
 * with it.  This is the only file that tests the kernel version
 * (qemu-tests/lint checks that).  Merged upstream, the file would go.
 */
#ifndef NICDRV_COMPAT_H
#define NICDRV_COMPAT_H

#include <linux/device.h>
#include <linux/ethtool.h>
#include <linux/hrtimer.h>
#include <linux/mm.h>
#include <linux/netdevice.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/version.h>
#include <net/devlink.h>
#include <net/netdev_queues.h>

/*
 * 6.3: xdp_features, what XDP a device offers (the netdev netlink family,
 * NETDEV_XDP_ACT_* in uapi/linux/netdev.h).  Before it there was nothing
 * to tell.
 */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 3, 0)
#define NETDEV_XDP_ACT_BASIC		BIT(0)
#define NETDEV_XDP_ACT_REDIRECT		BIT(1)
#define NETDEV_XDP_ACT_NDO_XMIT		BIT(2)
#define NETDEV_XDP_ACT_XSK_ZEROCOPY	BIT(3)
static inline void nicdrv_xdp_set_features_flag(struct net_device *dev,
						u32 val)
{
}

#define xdp_set_features_flag nicdrv_xdp_set_features_flag
#endif

/* 6.3: vma->vm_flags became read-only; these helpers write it */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 3, 0)
static inline void nicdrv_vm_flags_set(struct vm_area_struct *vma,
				       vm_flags_t flags)
{
	vma->vm_flags |= flags;
}

static inline void nicdrv_vm_flags_clear(struct vm_area_struct *vma,
					 vm_flags_t flags)
{
	vma->vm_flags &= ~flags;
}

#define vm_flags_set	nicdrv_vm_flags_set
#define vm_flags_clear	nicdrv_vm_flags_clear
#endif

/*
 * 6.4: class_create() lost its owner argument (the class's module is its
 * creator's; a class is never owned by anyone else)
 */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 4, 0)
#undef class_create
#define class_create(name)						\
({									\
	static struct lock_class_key __key;				\
									\
	__class_create(THIS_MODULE, name, &__key);			\
})
#endif

/*
 * 6.4: __netif_txq_completed_wake() reports the completion to BQL and
 * wakes the queue behind one barrier.  Older kernels (6.1.y has the stop
 * half of <net/netdev_queues.h>, backported) get the same contract: the
 * completion is visible before the queue state is read (BQL's barrier,
 * or one of ours without BQL), and the queue wakes once start_thrs
 * descriptors are free.
 */
#ifndef __netif_txq_completed_wake
#define __netif_txq_completed_wake(txq, pkts, bytes, get_desc, start_thrs, \
				   down_cond)				\
({									\
	struct netdev_queue *_q = (txq);				\
	unsigned int _pkts = (pkts), _bytes = (bytes);			\
	int _ret = -1;							\
									\
	/* BQL's barrier, or ours: pairs with netif_txq_try_stop() */	\
	if (IS_ENABLED(CONFIG_BQL))					\
		netdev_tx_completed_queue(_q, _pkts, _bytes);		\
	else if (_bytes)	/* the barrier without BQL */		\
		smp_mb();						\
	if (_pkts && (get_desc) >= (start_thrs)) {			\
		_ret = 1;						\
		if (netif_tx_queue_stopped(_q) && !(down_cond)) {	\
			netif_tx_wake_queue(_q);			\
			_ret = 0;					\
		}							\
	}								\
	_ret;								\
})
#endif

/*
 * 6.8: netif_queue_set_napi() names a queue's NAPI instance (xdp.c), for
 * AF_XDP's busy polling and the netdev netlink family; before, a socket
 * learnt it from the frames' rxq only.
 */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 8, 0)
enum nicdrv_netdev_queue_type {
	NETDEV_QUEUE_TYPE_RX,
	NETDEV_QUEUE_TYPE_TX,
};

static inline void nicdrv_netif_queue_set_napi(struct net_device *dev,
					       unsigned int queue_index,
					       enum nicdrv_netdev_queue_type type,
					       struct napi_struct *napi)
{
}

#define netif_queue_set_napi	nicdrv_netif_queue_set_napi
#endif

/* 6.8: ethtool_puts() copies one string into the ETH_GSTRING_LEN table */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 8, 0)
static inline void nicdrv_ethtool_puts(u8 **data, const char *str)
{
	strscpy_pad((char *)*data, str, ETH_GSTRING_LEN);
	*data += ETH_GSTRING_LEN;
}

#define ethtool_puts	nicdrv_ethtool_puts
#endif

/*
 * 7.0: kzalloc_obj() and kzalloc_objs() size the allocation from the
 * object (an array's with an overflow check, as kcalloc() does).  Stable
 * series carry them too (Debian's 6.12.117 does), so the test is whether
 * they exist.  nicdrv always passes the GFP flags: no default needed.
 */
#ifndef kzalloc_obj
#define kzalloc_obj(obj, gfp)		kzalloc(sizeof(obj), gfp)
#define kzalloc_objs(obj, count, gfp)	kcalloc(count, sizeof(obj), gfp)
#endif

/* 6.13: hrtimer_setup() sets the callback with the rest; hrtimer_init() went */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 13, 0)
static inline void
nicdrv_hrtimer_setup(struct hrtimer *timer,
		     enum hrtimer_restart (*function)(struct hrtimer *),
		     clockid_t clock_id, enum hrtimer_mode mode)
{
	hrtimer_init(timer, clock_id, mode);
	timer->function = function;
}

#define hrtimer_setup	nicdrv_hrtimer_setup
#endif

/*
 * devlink (devlink.c) changed in six releases.  6.2: the core names the
 * driver in "devlink dev info"; before, info_get() had to.
 */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 2, 0)
#define nicdrv_devlink_info_driver_name_put(req)			\
	devlink_info_driver_name_put(req, KBUILD_MODNAME)
#else
#define nicdrv_devlink_info_driver_name_put(req)	((void)(req), 0)
#endif

/* 6.3: reload works for any driver with reload ops; before, it was a feature */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 3, 0)
static inline void nicdrv_devlink_register(struct devlink *devlink)
{
	devlink_set_features(devlink, DEVLINK_F_RELOAD);
	devlink_register(devlink);
}

#define devlink_register	nicdrv_devlink_register
#endif

/*
 * The driverinit values: 6.3 moved them under the instance lock (devl_
 * functions; setting one cannot fail), 7.2 passes the value by pointer
 */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 3, 0)
static inline int
nicdrv_devl_param_driverinit_value_get(struct devlink *devlink, u32 id,
				       union devlink_param_value *val)
{
	return devlink_param_driverinit_value_get(devlink, id, val);
}

#define devl_param_driverinit_value_get	nicdrv_devl_param_driverinit_value_get
#endif

#if LINUX_VERSION_CODE < KERNEL_VERSION(7, 2, 0)
static inline void
nicdrv_devl_param_driverinit_value_set(struct devlink *devlink, u32 id,
				       union devlink_param_value *val)
{
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 3, 0)
	devlink_param_driverinit_value_set(devlink, id, *val);
#else
	devl_param_driverinit_value_set(devlink, id, *val);
#endif
}

#define devl_param_driverinit_value_set	nicdrv_devl_param_driverinit_value_set
#endif

/*
 * A parameter's callbacks: set() takes an extack since 6.10, get() since
 * 6.19, and validate() the value by pointer since 7.2.  nicdrv's
 * callbacks have the newest form; NICDRV_DEVLINK_PARAM_*(fn) define the
 * older form around fn, and nicdrv_param_*(fn) name the one to use.
 */
#define NICDRV_DEVLINK_PARAM_GSET(fn)					\
static int fn##_compat(struct devlink *dl, u32 id,			\
		       struct devlink_param_gset_ctx *ctx)		\
{									\
	return fn(dl, id, ctx, NULL);					\
}

#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 10, 0)
#define NICDRV_DEVLINK_PARAM_SET(fn)	NICDRV_DEVLINK_PARAM_GSET(fn)
#define nicdrv_param_set(fn)		fn##_compat
#else
#define NICDRV_DEVLINK_PARAM_SET(fn)
#define nicdrv_param_set(fn)		fn
#endif

#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 19, 0)
#define NICDRV_DEVLINK_PARAM_GET(fn)	NICDRV_DEVLINK_PARAM_GSET(fn)
#define nicdrv_param_get(fn)		fn##_compat
#else
#define NICDRV_DEVLINK_PARAM_GET(fn)
#define nicdrv_param_get(fn)		fn
#endif

#if LINUX_VERSION_CODE < KERNEL_VERSION(7, 2, 0)
#define NICDRV_DEVLINK_PARAM_VALIDATE(fn)				\
static int fn##_compat(struct devlink *dl, u32 id,			\
		       union devlink_param_value val,			\
		       struct netlink_ext_ack *extack)			\
{									\
	return fn(dl, id, &val, extack);				\
}

#define nicdrv_param_validate(fn)	fn##_compat
#else
#define NICDRV_DEVLINK_PARAM_VALIDATE(fn)
#define nicdrv_param_validate(fn)	fn
#endif

/*
 * 6.10: xsk_buff_dma_sync_for_cpu() lost its pool argument (xsk.c); the
 * buffer knows its pool anyway
 */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 10, 0)
#include <net/xdp_sock_drv.h>

static inline void nicdrv_xsk_buff_dma_sync_for_cpu(struct xdp_buff *xdp)
{
	struct xdp_buff_xsk *xskb = container_of(xdp, struct xdp_buff_xsk, xdp);

	xsk_buff_dma_sync_for_cpu(xdp, xskb->pool);
}

#define xsk_buff_dma_sync_for_cpu nicdrv_xsk_buff_dma_sync_for_cpu
#endif

#endif /* NICDRV_COMPAT_H */
