// SPDX-License-Identifier: GPL-2.0
/*
 * nicdrv: ethtool operations.
 */
#include <linux/ethtool.h>

#include "nicdrv.h"

/*
 * ethtool -S: the counters that have no standard name, by the group that
 * holds them.  Packets and bytes are ip -s link's (ndo_get_stats64); the
 * MAC's counters go out under their IEEE names (below).
 */
enum nicdrv_stat_group { NICDRV_G_TX, NICDRV_G_XMIT, NICDRV_G_RX, NICDRV_G_IRQ };

struct nicdrv_stat_desc {
	char name[ETH_GSTRING_LEN];
	u8 group;
	u16 offset;
};

#define NICDRV_STAT(_name, _group, _type, _field) \
	{ _name, _group, offsetof(_type, _field) }

static const struct nicdrv_stat_desc nicdrv_stats[] = {
	NICDRV_STAT("tx_restart_queue", NICDRV_G_TX, struct nicdrv_tx_stats,
		    restart_queue),
	NICDRV_STAT("tx_xsk_frames", NICDRV_G_TX, struct nicdrv_tx_stats, xsk),
	NICDRV_STAT("tx_busy", NICDRV_G_XMIT, struct nicdrv_xmit_stats, busy),
	NICDRV_STAT("tx_queue_stopped", NICDRV_G_XMIT, struct nicdrv_xmit_stats,
		    stopped),
	NICDRV_STAT("tx_dma_map_failed", NICDRV_G_XMIT, struct nicdrv_xmit_stats,
		    dma_map_failed),
	NICDRV_STAT("tx_csum_offload", NICDRV_G_XMIT, struct nicdrv_xmit_stats,
		    csum_offload),
	NICDRV_STAT("tx_context_desc", NICDRV_G_XMIT, struct nicdrv_xmit_stats,
		    ctx_desc),
	NICDRV_STAT("tx_tso_packets", NICDRV_G_XMIT, struct nicdrv_xmit_stats,
		    tso),
	NICDRV_STAT("tx_tso_segments", NICDRV_G_XMIT, struct nicdrv_xmit_stats,
		    tso_segs),
	NICDRV_STAT("tx_reclaim_kicks", NICDRV_G_XMIT, struct nicdrv_xmit_stats,
		    kicks),
	NICDRV_STAT("tx_copied", NICDRV_G_XMIT, struct nicdrv_xmit_stats,
		    copied),
	NICDRV_STAT("rx_alloc_failed", NICDRV_G_RX, struct nicdrv_rx_stats,
		    alloc_failed),
	NICDRV_STAT("rx_multi_desc", NICDRV_G_RX, struct nicdrv_rx_stats,
		    multi_desc),
	NICDRV_STAT("rx_buffers_reused", NICDRV_G_RX, struct nicdrv_rx_stats,
		    reused),
	NICDRV_STAT("rx_tail_writes", NICDRV_G_RX, struct nicdrv_rx_stats,
		    tail_writes),
	NICDRV_STAT("napi_polls", NICDRV_G_RX, struct nicdrv_rx_stats, polls),
	NICDRV_STAT("napi_polls_full", NICDRV_G_RX, struct nicdrv_rx_stats,
		    polls_full),
	/* XDP (xdp.c, docs/xdp.md): one verdict per frame a program saw */
	NICDRV_STAT("rx_xdp_pass", NICDRV_G_RX, struct nicdrv_rx_stats,
		    xdp_pass),
	NICDRV_STAT("rx_xdp_drop", NICDRV_G_RX, struct nicdrv_rx_stats,
		    xdp_drop),
	NICDRV_STAT("rx_xdp_tx", NICDRV_G_RX, struct nicdrv_rx_stats, xdp_tx),
	NICDRV_STAT("rx_xdp_redirect", NICDRV_G_RX, struct nicdrv_rx_stats,
		    xdp_redirect),
	NICDRV_STAT("rx_xdp_aborted", NICDRV_G_RX, struct nicdrv_rx_stats,
		    xdp_aborted),
	NICDRV_STAT("rx_xdp_invalid", NICDRV_G_RX, struct nicdrv_rx_stats,
		    xdp_invalid),
	NICDRV_STAT("rx_xdp_tx_errors", NICDRV_G_RX, struct nicdrv_rx_stats,
		    xdp_tx_errors),
	NICDRV_STAT("rx_xdp_redirect_errors", NICDRV_G_RX,
		    struct nicdrv_rx_stats, xdp_redirect_errors),
	NICDRV_STAT("rx_xsk_fill_empty", NICDRV_G_RX, struct nicdrv_rx_stats,
		    xsk_fill_empty),
	NICDRV_STAT("tx_xdp_xmit", NICDRV_G_XMIT, struct nicdrv_xmit_stats,
		    xdp_xmit),
	NICDRV_STAT("tx_xdp_xmit_errors", NICDRV_G_XMIT,
		    struct nicdrv_xmit_stats, xdp_xmit_errors),
	NICDRV_STAT("irqs", NICDRV_G_IRQ, struct nicdrv_irq_stats, irqs),
	NICDRV_STAT("link_changes", NICDRV_G_IRQ, struct nicdrv_irq_stats, lsc),
};

/* Counters outside the groups, appended after the table */
static const char nicdrv_extra_stats[][ETH_GSTRING_LEN] = {
	"tx_timeouts",
	"mmio_reads",		/* register accesses, this ethtool -S included */
	"mmio_writes",
	"mmio_tdt_writes",	/* of the writes, the doorbells */
	"mmio_rdt_writes",
};

/*
 * One request, one fold.  ethtool wraps every request in begin() and
 * complete(), and one request may ask several groups (ethtool -S --groups
 * eth-mac eth-ctrl rmon calls three ops): the first to ask folds the
 * statistics registers (some 60 reads) into a->hw_snap, the others read
 * that, so the groups of one answer agree.  A caller outside a request
 * gets a fold of its own.  Under RTNL, as every ethtool request is.
 */
static int nicdrv_ethtool_begin(struct net_device *netdev)
{
	struct nicdrv_adapter *a = netdev_priv(netdev);

	a->hw_snap_req = true;
	a->hw_snap_fresh = false;
	return 0;
}

static void nicdrv_ethtool_complete(struct net_device *netdev)
{
	struct nicdrv_adapter *a = netdev_priv(netdev);

	a->hw_snap_req = false;
}

static const u64 *nicdrv_request_stats(struct nicdrv_adapter *a)
{
	ASSERT_RTNL();
	if (!a->hw_snap_req || !a->hw_snap_fresh) {
		nicdrv_hw_update_stats(a, a->hw_snap);
		a->hw_snap_fresh = a->hw_snap_req;
	}
	return a->hw_snap;
}

/* The MAC's counters that ethtool -S lists: those with a name in hw.c */
static unsigned int nicdrv_hw_named(void)
{
	unsigned int i, n = 0;

	for (i = 0; i < NICDRV_HW_NSTATS; i++)
		n += nicdrv_hw_stat_desc[i].name[0] != 0;
	return n;
}

static int nicdrv_get_sset_count(struct net_device *netdev, int sset)
{
	switch (sset) {
	case ETH_SS_STATS:
		return ARRAY_SIZE(nicdrv_stats) + nicdrv_hw_named() +
		       ARRAY_SIZE(nicdrv_extra_stats);
	case ETH_SS_TEST:
		return nicdrv_selftest_count();
	default:
		return -EOPNOTSUPP;
	}
}

static void nicdrv_get_strings(struct net_device *netdev, u32 sset, u8 *data)
{
	unsigned int i;

	if (sset == ETH_SS_TEST) {
		nicdrv_selftest_strings(data);
		return;
	}
	if (sset != ETH_SS_STATS)
		return;
	for (i = 0; i < ARRAY_SIZE(nicdrv_stats); i++)
		ethtool_puts(&data, nicdrv_stats[i].name);
	for (i = 0; i < NICDRV_HW_NSTATS; i++) {
		if (nicdrv_hw_stat_desc[i].name[0])
			ethtool_puts(&data, nicdrv_hw_stat_desc[i].name);
	}
	for (i = 0; i < ARRAY_SIZE(nicdrv_extra_stats); i++)
		ethtool_puts(&data, nicdrv_extra_stats[i]);
}

/* Register accesses since probe: the per-CPU counters summed */
void nicdrv_mmio_sum(struct nicdrv_adapter *a, struct nicdrv_mmio_stats *sum)
{
	unsigned int cpu;

	memset(sum, 0, sizeof(*sum));
	for_each_possible_cpu(cpu) {
		const struct nicdrv_mmio_stats *m = per_cpu_ptr(a->mmio, cpu);

		sum->reads += READ_ONCE(m->reads);
		sum->writes += READ_ONCE(m->writes);
		sum->tdt += READ_ONCE(m->tdt);
		sum->rdt += READ_ONCE(m->rdt);
	}
}

static void nicdrv_get_ethtool_stats(struct net_device *netdev,
				     struct ethtool_stats *stats, u64 *data)
{
	struct nicdrv_adapter *a = netdev_priv(netdev);
	struct nicdrv_tx_stats tx;
	struct nicdrv_xmit_stats xs;
	struct nicdrv_rx_stats rx;
	struct nicdrv_irq_stats irq;
	struct nicdrv_mmio_stats mmio;
	const void *group[] = {
		[NICDRV_G_TX] = &tx, [NICDRV_G_XMIT] = &xs,
		[NICDRV_G_RX] = &rx, [NICDRV_G_IRQ] = &irq,
	};
	const u64 *hw;
	unsigned int i;

	nicdrv_stats_read(&a->tx.syncp, &a->tx.stats, &tx);
	nicdrv_stats_read(&a->tx.xsyncp, &a->tx.xstats, &xs);
	nicdrv_stats_read(&a->rx.syncp, &a->rx.stats, &rx);
	nicdrv_stats_read(&a->isyncp, &a->istats, &irq);

	for (i = 0; i < ARRAY_SIZE(nicdrv_stats); i++)
		*data++ = *(const u64 *)(group[nicdrv_stats[i].group] +
					 nicdrv_stats[i].offset);
	hw = nicdrv_request_stats(a);
	for (i = 0; i < NICDRV_HW_NSTATS; i++) {
		if (nicdrv_hw_stat_desc[i].name[0])
			*data++ = hw[i];
	}
	*data++ = atomic64_read(&a->tx_timeouts);
	nicdrv_mmio_sum(a, &mmio);
	*data++ = mmio.reads;
	*data++ = mmio.writes;
	*data++ = mmio.tdt;
	*data++ = mmio.rdt;
}

/*
 * The MAC's counters under their IEEE 802.3 names (ethtool -S --groups
 * eth-mac eth-ctrl rmon).  Its octet counters run from the destination
 * address to the FCS (SDM 13.7.14, 13.7.15).  A field the 82540EM has no
 * counter for stays unset, and ethtool leaves it out.
 */
static void nicdrv_get_eth_mac_stats(struct net_device *netdev,
				     struct ethtool_eth_mac_stats *s)
{
	const u64 *hw = nicdrv_request_stats(netdev_priv(netdev));

	s->FramesTransmittedOK = hw[NICDRV_HW_GPTC];
	s->SingleCollisionFrames = hw[NICDRV_HW_SCC];
	s->MultipleCollisionFrames = hw[NICDRV_HW_MCC];
	s->FramesReceivedOK = hw[NICDRV_HW_GPRC];
	s->FrameCheckSequenceErrors = hw[NICDRV_HW_CRCERRS];
	s->AlignmentErrors = hw[NICDRV_HW_ALGNERRC];
	s->OctetsTransmittedOK = hw[NICDRV_HW_GOTC];
	s->FramesWithDeferredXmissions = hw[NICDRV_HW_DC];
	s->LateCollisions = hw[NICDRV_HW_LATECOL];
	s->FramesAbortedDueToXSColls = hw[NICDRV_HW_ECOL];
	s->OctetsReceivedOK = hw[NICDRV_HW_GORC];
	s->MulticastFramesXmittedOK = hw[NICDRV_HW_MPTC];
	s->BroadcastFramesXmittedOK = hw[NICDRV_HW_BPTC];
	s->MulticastFramesReceivedOK = hw[NICDRV_HW_MPRC];
	s->BroadcastFramesReceivedOK = hw[NICDRV_HW_BPRC];
	s->FrameTooLongErrors = hw[NICDRV_HW_ROC];
}

/*
 * MAC control frames: PAUSE frames (XON, XOFF: SDM 13.7.11) and, received,
 * those with an opcode the MAC does not support (FCRUC), which IEEE counts
 * among the received control frames too.
 */
static void nicdrv_get_eth_ctrl_stats(struct net_device *netdev,
				      struct ethtool_eth_ctrl_stats *s)
{
	const u64 *hw = nicdrv_request_stats(netdev_priv(netdev));

	s->MACControlFramesTransmitted = hw[NICDRV_HW_XONTXC] +
					 hw[NICDRV_HW_XOFFTXC];
	s->MACControlFramesReceived = hw[NICDRV_HW_XONRXC] +
				      hw[NICDRV_HW_XOFFRXC] + hw[NICDRV_HW_FCRUC];
	s->UnsupportedOpcodesReceived = hw[NICDRV_HW_FCRUC];
}

/* ethtool -a: what CTRL says; nicdrv offers no way to change it */
static void nicdrv_get_pauseparam(struct net_device *netdev,
				  struct ethtool_pauseparam *pause)
{
	bool rx, tx;

	nicdrv_hw_pause(netdev_priv(netdev), &rx, &tx);
	pause->autoneg = AUTONEG_DISABLE;
	pause->rx_pause = rx;
	pause->tx_pause = tx;
}

/* ethtool -I -a: the PAUSE frames alone */
static void nicdrv_get_pause_stats(struct net_device *netdev,
				   struct ethtool_pause_stats *s)
{
	const u64 *hw = nicdrv_request_stats(netdev_priv(netdev));

	s->tx_pause_frames = hw[NICDRV_HW_XONTXC] + hw[NICDRV_HW_XOFFTXC];
	s->rx_pause_frames = hw[NICDRV_HW_XONRXC] + hw[NICDRV_HW_XOFFRXC];
}

/* The 82540EM's size buckets (PRC64..PRC1522, PTC64..PTC1522) */
static const struct ethtool_rmon_hist_range nicdrv_rmon_ranges[] = {
	{ 64, 64 }, { 65, 127 }, { 128, 255 }, { 256, 511 }, { 512, 1023 },
	{ 1024, 1522 }, { }
};

static_assert(ARRAY_SIZE(nicdrv_rmon_ranges) == NICDRV_HW_NHIST + 1);
static_assert(NICDRV_HW_NHIST <= ETHTOOL_RMON_HIST_MAX);

static void nicdrv_get_rmon_stats(struct net_device *netdev,
				  struct ethtool_rmon_stats *s,
				  const struct ethtool_rmon_hist_range **ranges)
{
	const u64 *hw = nicdrv_request_stats(netdev_priv(netdev));
	unsigned int i;

	s->undersize_pkts = hw[NICDRV_HW_RUC];
	s->oversize_pkts = hw[NICDRV_HW_ROC];
	s->fragments = hw[NICDRV_HW_RFC];
	s->jabbers = hw[NICDRV_HW_RJC];
	for (i = 0; i < NICDRV_HW_NHIST; i++) {
		s->hist[i] = hw[NICDRV_HW_PRC64 + i];
		s->hist_tx[i] = hw[NICDRV_HW_PTC64 + i];
	}
	*ranges = nicdrv_rmon_ranges;
}

static void nicdrv_get_drvinfo(struct net_device *netdev,
			       struct ethtool_drvinfo *info)
{
	struct nicdrv_adapter *a = netdev_priv(netdev);

	strscpy(info->driver, NICDRV_NAME, sizeof(info->driver));
	strscpy(info->bus_info, pci_name(a->pdev), sizeof(info->bus_info));
}

/*
 * Supported and advertised modes come from the PHY's registers (read over
 * MDIC by the generic mii library).  Speed and duplex come from the MAC's
 * STATUS register (SDM 13.4.2): that is what the MAC runs at, and QEMU's
 * PHY fills its link-partner registers only after an autonegotiation.
 */
static int nicdrv_get_link_ksettings(struct net_device *netdev,
				     struct ethtool_link_ksettings *cmd)
{
	struct nicdrv_adapter *a = netdev_priv(netdev);

	mii_ethtool_get_link_ksettings(&a->mii, cmd);
	cmd->base.port = PORT_TP;	/* copper, whatever the mii library says */
	if (netif_carrier_ok(netdev)) {
		nicdrv_hw_link_mode(a, &cmd->base.speed, &cmd->base.duplex);
	} else {
		cmd->base.speed = SPEED_UNKNOWN;
		cmd->base.duplex = DUPLEX_UNKNOWN;
	}
	return 0;
}

static int nicdrv_set_link_ksettings(struct net_device *netdev,
				     const struct ethtool_link_ksettings *cmd)
{
	struct nicdrv_adapter *a = netdev_priv(netdev);
	struct ethtool_link_ksettings mii_cmd = *cmd;

	/* The mii library checks the port against its own idea of it */
	mii_cmd.base.port = PORT_MII;
	return mii_ethtool_set_link_ksettings(&a->mii, &mii_cmd);
}

/* ethtool -r: QEMU takes the link down for 500 ms and brings it back */
static int nicdrv_nway_reset(struct net_device *netdev)
{
	struct nicdrv_adapter *a = netdev_priv(netdev);

	return mii_nway_restart(&a->mii);
}

/* ethtool -d: the registers hw.c lists, as (offset, value) pairs */
static int nicdrv_get_regs_len(struct net_device *netdev)
{
	return nicdrv_hw_dump_len();
}

static void nicdrv_get_regs(struct net_device *netdev,
			    struct ethtool_regs *regs, void *p)
{
	regs->version = 1;
	nicdrv_hw_dump(netdev_priv(netdev), p);
}

/*
 * ethtool -e: the 64-word EEPROM through EERD.  There is no -E: QEMU's
 * EEPROM takes only the read opcode, so a write could never be checked.
 */
static int nicdrv_get_eeprom_len(struct net_device *netdev)
{
	return NICDRV_EEPROM_WORDS * 2;
}

static int nicdrv_get_eeprom(struct net_device *netdev,
			     struct ethtool_eeprom *ee, u8 *bytes)
{
	struct nicdrv_adapter *a = netdev_priv(netdev);
	unsigned int i;
	u16 word;
	int err;

	ee->magic = NICDRV_VENDOR_INTEL | NICDRV_DEV_82540EM << 16;
	for (i = ee->offset; i < ee->offset + ee->len; i++) {
		err = nicdrv_eeprom_read(a, i / 2, &word);
		if (err)
			return err;
		bytes[i - ee->offset] = i & 1 ? word >> 8 : word & 0xff;
	}
	return 0;
}

/* ethtool -p: blink LED0 (hw.c), then put the old setting back */
static int nicdrv_set_phys_id(struct net_device *netdev,
			      enum ethtool_phys_id_state state)
{
	nicdrv_hw_led(netdev_priv(netdev), state);
	return state == ETHTOOL_ID_ACTIVE ? 2 : 0;	/* blink twice a second */
}

static void nicdrv_get_ringparam(struct net_device *netdev,
				 struct ethtool_ringparam *ring,
				 struct kernel_ethtool_ringparam *kring,
				 struct netlink_ext_ack *extack)
{
	struct nicdrv_adapter *a = netdev_priv(netdev);

	ring->rx_max_pending = NICDRV_MAX_RING;
	ring->tx_max_pending = NICDRV_MAX_RING;
	ring->rx_pending = a->rx_ring_count;
	ring->tx_pending = a->tx_ring_count;
}

static int nicdrv_set_ringparam(struct net_device *netdev,
				struct ethtool_ringparam *ring,
				struct kernel_ethtool_ringparam *kring,
				struct netlink_ext_ack *extack)
{
	struct nicdrv_adapter *a = netdev_priv(netdev);

	/* The core has already refused sizes over NICDRV_MAX_RING */
	if (ring->rx_pending < NICDRV_MIN_RING ||
	    ring->tx_pending < NICDRV_MIN_RING) {
		NL_SET_ERR_MSG_MOD(extack, "rings hold 64 to 4096 descriptors");
		return -EINVAL;
	}
	/* RDLEN/TDLEN count 128-byte units: 8 descriptors (SDM 13.4.28) */
	if (ring->rx_pending % NICDRV_RING_ALIGN ||
	    ring->tx_pending % NICDRV_RING_ALIGN) {
		NL_SET_ERR_MSG_MOD(extack, "ring sizes must be multiples of 8");
		return -EINVAL;
	}
	if (ring->rx_pending == a->rx_ring_count &&
	    ring->tx_pending == a->tx_ring_count)
		return 0;
	return nicdrv_resize_rings(a, ring->tx_pending, ring->rx_pending,
				   extack);
}

static int nicdrv_get_coalesce(struct net_device *netdev,
			       struct ethtool_coalesce *ec,
			       struct kernel_ethtool_coalesce *kec,
			       struct netlink_ext_ack *extack)
{
	struct nicdrv_adapter *a = netdev_priv(netdev);

	ec->rx_coalesce_usecs = a->rx_usecs;
	ec->tx_coalesce_usecs = a->tx_usecs;
	ec->use_adaptive_rx_coalesce = a->adaptive_rx;
	return 0;
}

static int nicdrv_set_coalesce(struct net_device *netdev,
			       struct ethtool_coalesce *ec,
			       struct kernel_ethtool_coalesce *kec,
			       struct netlink_ext_ack *extack)
{
	struct nicdrv_adapter *a = netdev_priv(netdev);

	if (ec->rx_coalesce_usecs > NICDRV_MAX_USECS ||
	    ec->tx_coalesce_usecs > NICDRV_MAX_USECS) {
		NL_SET_ERR_MSG_MOD(extack, "rx-usecs and tx-usecs go from 0 to 10000");
		return -EINVAL;
	}
	nicdrv_irq_set_moderation(a, ec->rx_coalesce_usecs,
				  ec->tx_coalesce_usecs,
				  ec->use_adaptive_rx_coalesce);
	return 0;
}

/*
 * Tunables come through the ioctl interface, which has no extended ack:
 * a refused value is also explained in the kernel log.
 */
static int nicdrv_get_tunable(struct net_device *netdev,
			      const struct ethtool_tunable *tuna, void *data)
{
	struct nicdrv_adapter *a = netdev_priv(netdev);

	if (tuna->id != ETHTOOL_TX_COPYBREAK)
		return -EOPNOTSUPP;
	*(u32 *)data = READ_ONCE(a->tx_copybreak);
	return 0;
}

static int nicdrv_set_tunable(struct net_device *netdev,
			      const struct ethtool_tunable *tuna,
			      const void *data)
{
	struct nicdrv_adapter *a = netdev_priv(netdev);
	u32 val = *(const u32 *)data;

	if (tuna->id != ETHTOOL_TX_COPYBREAK)
		return -EOPNOTSUPP;
	if (val > NICDRV_TX_COPYBREAK_MAX) {
		netdev_err(netdev, "tx-copybreak goes from 0 to %u bytes\n",
			   NICDRV_TX_COPYBREAK_MAX);
		return -EINVAL;
	}
	/* xmit reads it once per frame; any value is safe at any time */
	WRITE_ONCE(a->tx_copybreak, val);
	return 0;
}

static u32 nicdrv_get_msglevel(struct net_device *netdev)
{
	return ((struct nicdrv_adapter *)netdev_priv(netdev))->msg_enable;
}

static void nicdrv_set_msglevel(struct net_device *netdev, u32 level)
{
	((struct nicdrv_adapter *)netdev_priv(netdev))->msg_enable = level;
}

static const struct ethtool_ops nicdrv_ethtool_ops = {
	.supported_coalesce_params = ETHTOOL_COALESCE_USECS |
				     ETHTOOL_COALESCE_USE_ADAPTIVE_RX,
	.begin			= nicdrv_ethtool_begin,
	.complete		= nicdrv_ethtool_complete,
	.get_drvinfo		= nicdrv_get_drvinfo,
	.get_link		= ethtool_op_get_link,
	.get_link_ksettings	= nicdrv_get_link_ksettings,
	.set_link_ksettings	= nicdrv_set_link_ksettings,
	.nway_reset		= nicdrv_nway_reset,
	.get_regs_len		= nicdrv_get_regs_len,
	.get_regs		= nicdrv_get_regs,
	.get_eeprom_len		= nicdrv_get_eeprom_len,
	.get_eeprom		= nicdrv_get_eeprom,
	.set_phys_id		= nicdrv_set_phys_id,
	.self_test		= nicdrv_selftest,
	.get_ringparam		= nicdrv_get_ringparam,
	.set_ringparam		= nicdrv_set_ringparam,
	.get_coalesce		= nicdrv_get_coalesce,
	.set_coalesce		= nicdrv_set_coalesce,
	.get_msglevel		= nicdrv_get_msglevel,
	.set_msglevel		= nicdrv_set_msglevel,
	.get_sset_count		= nicdrv_get_sset_count,
	.get_strings		= nicdrv_get_strings,
	.get_ethtool_stats	= nicdrv_get_ethtool_stats,
	.get_eth_mac_stats	= nicdrv_get_eth_mac_stats,
	.get_eth_ctrl_stats	= nicdrv_get_eth_ctrl_stats,
	.get_rmon_stats		= nicdrv_get_rmon_stats,
	.get_pauseparam		= nicdrv_get_pauseparam,
	.get_pause_stats	= nicdrv_get_pause_stats,
	.get_tunable		= nicdrv_get_tunable,
	.set_tunable		= nicdrv_set_tunable,
	.get_ts_info		= ethtool_op_get_ts_info,
};

void nicdrv_set_ethtool_ops(struct net_device *netdev)
{
	netdev->ethtool_ops = &nicdrv_ethtool_ops;
}
