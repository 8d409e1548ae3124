// SPDX-License-Identifier: GPL-2.0
/*
 * nicdrv: devlink, the device's settings that belong to no interface
 * (Documentation/networking/devlink/).
 *
 *   pool_bufs  runtime     entries of a capture session's ring, and the
 *                          buffers its first session adds to the pool;
 *                          the next session takes the new value
 *   dma_bits   driverinit  width of the DMA mask; "devlink dev reload"
 *                          applies it (new rings; the interface stays up)
 *
 * "devlink dev info" names the chip and its revision.  Each devlink
 * instance is one PCI function; its private area holds the adapter.
 */
#include <linux/rtnetlink.h>
#include <net/devlink.h>

#include "nicdrv.h"

enum nicdrv_devlink_param_id {
	NICDRV_PARAM_POOL_BUFS = DEVLINK_PARAM_GENERIC_ID_MAX + 1,
	NICDRV_PARAM_DMA_BITS,
};

static struct nicdrv_adapter *nicdrv_devlink_adapter(struct devlink *dl)
{
	return *(struct nicdrv_adapter **)devlink_priv(dl);
}

static int nicdrv_pool_bufs_get(struct devlink *dl, u32 id,
				struct devlink_param_gset_ctx *ctx,
				struct netlink_ext_ack *extack)
{
	ctx->val.vu32 = READ_ONCE(nicdrv_devlink_adapter(dl)->pool_bufs);
	return 0;
}

/* Read once, under RTNL, by nicdrv_cap_start() */
static int nicdrv_pool_bufs_set(struct devlink *dl, u32 id,
				struct devlink_param_gset_ctx *ctx,
				struct netlink_ext_ack *extack)
{
	WRITE_ONCE(nicdrv_devlink_adapter(dl)->pool_bufs, ctx->val.vu32);
	return 0;
}

/* A power of two: the reader finds entry n at n & (ring_entries - 1) */
static int nicdrv_pool_bufs_validate(struct devlink *dl, u32 id,
				     union devlink_param_value *val,
				     struct netlink_ext_ack *extack)
{
	u32 n = val->vu32;

	if (n < NICDRV_POOL_BUFS_MIN || n > NICDRV_POOL_BUFS_MAX ||
	    !is_power_of_2(n)) {
		NL_SET_ERR_MSG_MOD(extack,
				   "pool_bufs must be a power of two from "
				   __stringify(NICDRV_POOL_BUFS_MIN) " to "
				   __stringify(NICDRV_POOL_BUFS_MAX));
		return -EINVAL;
	}
	return 0;
}

/* 32 bits exercises bounce buffering and an IOMMU's 32-bit window */
static int nicdrv_dma_bits_validate(struct devlink *dl, u32 id,
				    union devlink_param_value *val,
				    struct netlink_ext_ack *extack)
{
	if (val->vu32 < 32 || val->vu32 > 64) {
		NL_SET_ERR_MSG_MOD(extack, "dma_bits must be from 32 to 64");
		return -EINVAL;
	}
	return 0;
}

NICDRV_DEVLINK_PARAM_GET(nicdrv_pool_bufs_get)
NICDRV_DEVLINK_PARAM_SET(nicdrv_pool_bufs_set)
NICDRV_DEVLINK_PARAM_VALIDATE(nicdrv_pool_bufs_validate)
NICDRV_DEVLINK_PARAM_VALIDATE(nicdrv_dma_bits_validate)

static const struct devlink_param nicdrv_devlink_params[] = {
	DEVLINK_PARAM_DRIVER(NICDRV_PARAM_POOL_BUFS, "pool_bufs",
			     DEVLINK_PARAM_TYPE_U32,
			     BIT(DEVLINK_PARAM_CMODE_RUNTIME),
			     nicdrv_param_get(nicdrv_pool_bufs_get),
			     nicdrv_param_set(nicdrv_pool_bufs_set),
			     nicdrv_param_validate(nicdrv_pool_bufs_validate)),
	DEVLINK_PARAM_DRIVER(NICDRV_PARAM_DMA_BITS, "dma_bits",
			     DEVLINK_PARAM_TYPE_U32,
			     BIT(DEVLINK_PARAM_CMODE_DRIVERINIT), NULL, NULL,
			     nicdrv_param_validate(nicdrv_dma_bits_validate)),
};

/* The chip and its revision (PCI revision ID, SDM 4.1) */
static int nicdrv_devlink_info_get(struct devlink *dl,
				   struct devlink_info_req *req,
				   struct netlink_ext_ack *extack)
{
	struct nicdrv_adapter *a = nicdrv_devlink_adapter(dl);
	char rev[8];
	int err;

	err = nicdrv_devlink_info_driver_name_put(req);
	if (err)
		return err;
	err = devlink_info_version_fixed_put(req,
					     DEVLINK_INFO_VERSION_GENERIC_ASIC_ID,
					     "82540EM");
	if (err)
		return err;
	snprintf(rev, sizeof(rev), "%u", a->pdev->revision);
	return devlink_info_version_fixed_put(req,
					      DEVLINK_INFO_VERSION_GENERIC_ASIC_REV,
					      rev);
}

/*
 * reload_up does the work, in one RTNL section.  Reload runs with the
 * devlink instance locked, and since 6.8 with the device lock held too:
 * the order is device lock, instance lock, RTNL.
 */
static int nicdrv_reload_down(struct devlink *dl, bool netns_change,
			      enum devlink_reload_action action,
			      enum devlink_reload_limit limit,
			      struct netlink_ext_ack *extack)
{
	if (netns_change) {
		NL_SET_ERR_MSG_MOD(extack,
				   "the interface cannot move to another network namespace this way");
		return -EOPNOTSUPP;
	}
	return 0;
}

/* Apply dma_bits: new rings under the new mask (nicdrv_change_dma_mask()) */
static int nicdrv_reload_up(struct devlink *dl,
			    enum devlink_reload_action action,
			    enum devlink_reload_limit limit,
			    u32 *actions_performed,
			    struct netlink_ext_ack *extack)
{
	struct nicdrv_adapter *a = nicdrv_devlink_adapter(dl);
	union devlink_param_value val;
	int err;

	err = devl_param_driverinit_value_get(dl, NICDRV_PARAM_DMA_BITS, &val);
	if (err)
		return err;
	rtnl_lock();
	err = nicdrv_change_dma_mask(a, val.vu32, extack);
	rtnl_unlock();
	if (!err)
		*actions_performed = BIT(DEVLINK_RELOAD_ACTION_DRIVER_REINIT);
	return err;
}

static const struct devlink_ops nicdrv_devlink_ops = {
	.info_get	= nicdrv_devlink_info_get,
	.reload_actions	= BIT(DEVLINK_RELOAD_ACTION_DRIVER_REINIT),
	.reload_down	= nicdrv_reload_down,
	.reload_up	= nicdrv_reload_up,
};

/* Registered last in probe, as devlink asks */
int nicdrv_devlink_add(struct nicdrv_adapter *a)
{
	union devlink_param_value init = { .vu32 = a->dma_bits };
	struct devlink *dl;
	int err;

	dl = devlink_alloc(&nicdrv_devlink_ops, sizeof(a), &a->pdev->dev);
	if (!dl)
		return -ENOMEM;
	*(struct nicdrv_adapter **)devlink_priv(dl) = a;
	err = devlink_params_register(dl, nicdrv_devlink_params,
				      ARRAY_SIZE(nicdrv_devlink_params));
	if (err) {
		devlink_free(dl);
		return err;
	}
	devl_lock(dl);
	devl_param_driverinit_value_set(dl, NICDRV_PARAM_DMA_BITS, &init);
	devl_unlock(dl);
	a->devlink = dl;
	devlink_register(dl);
	return 0;
}

/* The first step of remove: no reload or parameter call runs after it */
void nicdrv_devlink_del(struct nicdrv_adapter *a)
{
	devlink_unregister(a->devlink);
	devlink_params_unregister(a->devlink, nicdrv_devlink_params,
				  ARRAY_SIZE(nicdrv_devlink_params));
	devlink_free(a->devlink);
	a->devlink = NULL;
}
