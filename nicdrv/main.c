// SPDX-License-Identifier: GPL-2.0
/*
 * nicdrv: a network driver for the Intel 82540EM as QEMU emulates it.
 *
 * This file binds the pieces: PCI probe and remove, power management
 * and the net_device operations.  Interrupts and NAPI are in irq.c.
 */
#include <linux/etherdevice.h>
#include <linux/interrupt.h>
#include <linux/module.h>
#include <linux/rtnetlink.h>

#include "nicdrv.h"

static const struct pci_device_id nicdrv_pci_tbl[] = {
	{ PCI_DEVICE(NICDRV_VENDOR_INTEL, NICDRV_DEV_82540EM) },
	{ }
};
MODULE_DEVICE_TABLE(pci, nicdrv_pci_tbl);

/*
 * Program the NIC and let traffic flow, in the steps of the SDM's
 * initialisation (chapter 14).  Under RTNL, the IRQ requested.
 */
void nicdrv_start(struct nicdrv_adapter *a)
{
	struct net_device *netdev = a->netdev;

	/* Which buffers RX posts: nicdrv's pool or an AF_XDP UMEM (xsk.c) */
	nicdrv_xsk_select(a);
	/* 1-5. Reset, link, address, transmit, receive ring (ring.c) */
	nicdrv_program(a);
	/* 6. NAPI, before the receiver and the interrupts can call for it */
	napi_enable(&a->napi);
	nicdrv_xdp_set_napi(a, &a->napi);	/* AF_XDP busy polling finds it */
	/* 7. The receiver: RCTL.EN with the filters, in one write (14.4) */
	netif_addr_lock_bh(netdev);
	nicdrv_hw_set_rx_mode(a);
	netif_addr_unlock_bh(netdev);
	/* 8. Interrupts unmasked (IMS, SDM 13.4.20) */
	WRITE_ONCE(a->ims_due, false);
	nicdrv_irq_enable(a);
	/* 9. The stack: carrier as the link is, queue open, counters */
	netif_carrier_off(netdev);
	nicdrv_link_update(a);
	netif_tx_start_all_queues(netdev);
	schedule_delayed_work(&a->stats_task, NICDRV_STATS_PERIOD);
	nicdrv_pool_note(a);
	/*
	 * An AF_XDP socket may have queued frames, or filled its fill ring
	 * beyond what was posted, with no one to wake NAPI for them
	 */
	if (a->xsk_pool) {
		local_bh_disable();
		napi_schedule(&a->napi);
		local_bh_enable();
	}
}

/*
 * Stop all DMA and every path into the rings, keeping the ring memory:
 * NAPI, xmit and the reclaim timer first (nicdrv_quiesce()), so that
 * nothing unmasks interrupts after the reset stops DMA and masks them.
 * Under RTNL.
 */
void nicdrv_halt(struct nicdrv_adapter *a)
{
	cancel_delayed_work_sync(&a->stats_task);
	netif_carrier_off(a->netdev);
	nicdrv_xdp_set_napi(a, NULL);
	nicdrv_quiesce(a);
	nicdrv_hw_reset(a);	/* RCTL/TCTL off, interrupts masked */
	synchronize_irq(a->pdev->irq);
	/* The capture session lives on one pool with the NIC running */
	nicdrv_cap_end(a);
	nicdrv_tx_drain(a);
	nicdrv_rx_drain(a);
}

static int nicdrv_open(struct net_device *netdev)
{
	struct nicdrv_adapter *a = netdev_priv(netdev);
	struct device *dev = &a->pdev->dev;
	int err;

	err = nicdrv_alloc_rings(dev, &a->tx, &a->rx, a->tx_ring_count,
				 a->rx_ring_count, nicdrv_xdp_on(a));
	if (err)
		return err;
	err = nicdrv_xdp_rxq_reg(a);
	if (err)
		goto err_rings;
	err = request_irq(a->pdev->irq, nicdrv_intr, IRQF_SHARED, netdev->name,
			  a);
	if (err) {
		netdev_err(netdev, "cannot get IRQ %d: %d\n", a->pdev->irq, err);
		goto err_rxq;
	}
	nicdrv_start(a);
	return 0;

err_rxq:
	nicdrv_xdp_rxq_unreg(a);
err_rings:
	nicdrv_free_rings(dev, &a->tx, &a->rx);
	return err;
}

static int nicdrv_stop(struct net_device *netdev)
{
	struct nicdrv_adapter *a = netdev_priv(netdev);

	nicdrv_halt(a);
	free_irq(a->pdev->irq, a);
	nicdrv_xdp_rxq_unreg(a);
	nicdrv_free_rings(&a->pdev->dev, &a->tx, &a->rx);
	nicdrv_pool_note(a);
	return 0;
}

/*
 * ethtool -G.  On a running interface the new rings are allocated first;
 * if that fails, the old rings stay and traffic goes on.  Under RTNL.
 */
int nicdrv_resize_rings(struct nicdrv_adapter *a, unsigned int tx_count,
			unsigned int rx_count, struct netlink_ext_ack *extack)
{
	struct device *dev = &a->pdev->dev;
	struct nicdrv_tx_ring tx = { };
	struct nicdrv_rx_ring rx = { };
	int err;

	if (netif_running(a->netdev)) {
		err = nicdrv_alloc_rings(dev, &tx, &rx, tx_count, rx_count,
					 nicdrv_xdp_on(a));
		if (err) {
			NL_SET_ERR_MSG(extack,
				       "no memory for the new rings; the old rings stay");
			return err;
		}
		nicdrv_halt(a);
		nicdrv_swap_rings(a, &tx, &rx);
		nicdrv_free_rings(dev, &tx, &rx);
		nicdrv_start(a);
	}
	a->tx_ring_count = tx_count;
	a->rx_ring_count = rx_count;
	return 0;
}

/*
 * An XDP program attached to or removed from a running interface
 * (xdp.c): the RX pool changes geometry, so the rings are rebuilt as for
 * ethtool -G, and the program changes while the NIC is halted.  If the
 * new rings cannot be had, nothing changes.  *old: the program replaced.
 * Under RTNL.
 */
int nicdrv_xdp_rebuild(struct nicdrv_adapter *a, struct bpf_prog *prog,
		       struct bpf_prog **old, struct netlink_ext_ack *extack)
{
	struct device *dev = &a->pdev->dev;
	struct nicdrv_tx_ring tx = { };
	struct nicdrv_rx_ring rx = { };
	int err;

	err = nicdrv_alloc_rings(dev, &tx, &rx, a->tx_ring_count,
				 a->rx_ring_count, !!prog);
	if (err) {
		NL_SET_ERR_MSG_MOD(extack,
				   "no memory for the rings in the new buffer layout; nothing changed");
		return err;
	}
	nicdrv_halt(a);
	nicdrv_swap_rings(a, &tx, &rx);
	*old = xchg(&a->xdp_prog, prog);
	nicdrv_free_rings(dev, &tx, &rx);
	nicdrv_start(a);
	return 0;
}

static void nicdrv_reset_task(struct work_struct *work)
{
	struct nicdrv_adapter *a = container_of(work, struct nicdrv_adapter,
						reset_task);

	rtnl_lock();
	/* Not while suspended: nicdrv_resume() programs the NIC anyway */
	if (netif_running(a->netdev) && netif_device_present(a->netdev)) {
		netdev_warn(a->netdev, "resetting after TX timeout\n");
		nicdrv_halt(a);
		nicdrv_start(a);
	}
	rtnl_unlock();
}

/* 32-bit statistics registers would wrap if left alone too long */
static void nicdrv_stats_task(struct work_struct *work)
{
	struct nicdrv_adapter *a = container_of(to_delayed_work(work),
						struct nicdrv_adapter,
						stats_task);

	nicdrv_hw_update_stats(a, NULL);
	schedule_delayed_work(&a->stats_task, NICDRV_STATS_PERIOD);
}

static void nicdrv_tx_timeout(struct net_device *netdev, unsigned int txqueue)
{
	struct nicdrv_adapter *a = netdev_priv(netdev);
	u32 head, tail;

	atomic64_inc(&a->tx_timeouts);
	nicdrv_hw_tx_head_tail(a, &head, &tail);
	netdev_warn(netdev, "TX timeout: TDH %u TDT %u ntc %u ntu %u\n",
		    head, tail, a->tx.next_to_clean, a->tx.next_to_use);
	schedule_work(&a->reset_task);
}

static void nicdrv_set_rx_mode(struct net_device *netdev)
{
	nicdrv_hw_set_rx_mode(netdev_priv(netdev));
}

static int nicdrv_set_mac(struct net_device *netdev, void *p)
{
	struct nicdrv_adapter *a = netdev_priv(netdev);
	int err;

	err = eth_mac_addr(netdev, p);	/* validates the address */
	if (err)
		return err;
	if (netif_running(netdev))
		nicdrv_hw_set_ra(a, 0, netdev->dev_addr);
	return 0;
}

/*
 * Buffers are 1536 bytes whatever the MTU (longer frames span several
 * descriptors), so an MTU change only rewrites RCTL (LPE and BSIZE,
 * hw.c): no ring rebuild.
 */
static int nicdrv_change_mtu(struct net_device *netdev, int new_mtu)
{
	struct nicdrv_adapter *a = netdev_priv(netdev);

	netdev->mtu = new_mtu;
	if (netif_running(netdev)) {
		netif_addr_lock_bh(netdev);
		nicdrv_hw_set_rx_mode(a);
		netif_addr_unlock_bh(netdev);
	}
	return 0;
}

void nicdrv_get_stats64(struct net_device *netdev,
			struct rtnl_link_stats64 *s)
{
	struct nicdrv_adapter *a = netdev_priv(netdev);
	struct nicdrv_tx_stats tx;
	struct nicdrv_xmit_stats xs;
	struct nicdrv_rx_stats rx;
	u64 hw[NICDRV_HW_NSTATS];

	nicdrv_stats_read(&a->tx.syncp, &a->tx.stats, &tx);
	nicdrv_stats_read(&a->tx.xsyncp, &a->tx.xstats, &xs);
	nicdrv_stats_read(&a->rx.syncp, &a->rx.stats, &rx);
	nicdrv_hw_update_stats(a, hw);

	s->rx_packets = rx.packets;
	s->rx_bytes = rx.bytes;
	/* XDP_DROP and XDP_ABORTED are the program's, not drops of ours */
	s->rx_dropped = rx.alloc_failed + rx.xdp_tx_errors +
			rx.xdp_redirect_errors;
	s->rx_length_errors = rx.oversize;
	s->rx_frame_errors = rx.frame_errors;
	s->rx_errors = rx.oversize + rx.frame_errors;
	/* What only the MAC knows: frames it had no buffer for, multicast */
	s->rx_missed_errors = hw[NICDRV_HW_MPC];
	s->multicast = hw[NICDRV_HW_MPRC];
	s->tx_packets = tx.packets;
	s->tx_bytes = tx.bytes;
	s->tx_errors = xs.dma_map_failed;
	s->tx_dropped = xs.xdp_xmit_errors;
}

/* mii library callbacks: errors read as all-ones, like an absent PHY */
static int nicdrv_mdio_read(struct net_device *netdev, int phy_id, int reg)
{
	int val = nicdrv_phy_read(netdev_priv(netdev), reg);

	return val < 0 ? 0xffff : val;
}

static void nicdrv_mdio_write(struct net_device *netdev, int phy_id, int reg,
			      int val)
{
	nicdrv_phy_write(netdev_priv(netdev), reg, val);
}

/*
 * While an XDP program runs (xdp.c): no rx-all, which lets QEMU store
 * frames longer than 1522 bytes, spread over several buffers (attaching
 * is refused while it is on); and no VLAN offloads, since CTRL.VME, which
 * the NIC needs to insert tags, also strips them (SDM 13.4.1): the program
 * sees every frame as it was on the wire, and XDP_TX sends it back so.
 */
static netdev_features_t nicdrv_fix_features(struct net_device *netdev,
					     netdev_features_t features)
{
	if (nicdrv_xdp_on(netdev_priv(netdev)))
		features &= ~(NETIF_F_RXALL | NETIF_F_HW_VLAN_CTAG_RX |
			      NETIF_F_HW_VLAN_CTAG_TX);
	return features;
}

/*
 * -K: VLAN offloads (CTRL.VME), the VLAN filter and rx-all (RCTL), PHY
 * loopback (BMCR).  The helpers read netdev->features, so it is set first.
 */
static int nicdrv_set_features(struct net_device *netdev,
			       netdev_features_t features)
{
	struct nicdrv_adapter *a = netdev_priv(netdev);
	netdev_features_t changed = netdev->features ^ features;
	int err = 0;

	if (changed & NETIF_F_LOOPBACK) {
		err = nicdrv_hw_set_loopback(a, features & NETIF_F_LOOPBACK);
		if (err)
			return err;
	}
	netdev->features = features;
	if (!netif_running(netdev))
		return 0;
	if (changed & (NETIF_F_HW_VLAN_CTAG_RX | NETIF_F_HW_VLAN_CTAG_TX))
		nicdrv_hw_set_vlan(a);
	if (changed & (NETIF_F_HW_VLAN_CTAG_FILTER | NETIF_F_RXALL)) {
		netif_addr_lock_bh(netdev);
		nicdrv_hw_set_rx_mode(a);
		netif_addr_unlock_bh(netdev);
	}
	return 0;
}

static int nicdrv_vlan_add(struct net_device *netdev, __be16 proto, u16 vid)
{
	nicdrv_hw_set_vfta(netdev_priv(netdev), vid, true);
	return 0;
}

static int nicdrv_vlan_kill(struct net_device *netdev, __be16 proto, u16 vid)
{
	nicdrv_hw_set_vfta(netdev_priv(netdev), vid, false);
	return 0;
}

static const struct net_device_ops nicdrv_netdev_ops = {
	.ndo_open		= nicdrv_open,
	.ndo_stop		= nicdrv_stop,
	.ndo_start_xmit		= nicdrv_xmit_frame,
	.ndo_get_stats64	= nicdrv_get_stats64,
	.ndo_set_rx_mode	= nicdrv_set_rx_mode,
	.ndo_set_mac_address	= nicdrv_set_mac,
	.ndo_change_mtu		= nicdrv_change_mtu,
	.ndo_tx_timeout		= nicdrv_tx_timeout,
	.ndo_validate_addr	= eth_validate_addr,
	.ndo_fix_features	= nicdrv_fix_features,
	.ndo_set_features	= nicdrv_set_features,
	.ndo_vlan_rx_add_vid	= nicdrv_vlan_add,
	.ndo_vlan_rx_kill_vid	= nicdrv_vlan_kill,
	.ndo_bpf		= nicdrv_bpf,
	.ndo_xdp_xmit		= nicdrv_xdp_xmit,
	.ndo_xsk_wakeup		= nicdrv_xsk_wakeup,
};

/*
 * Exactly bits wide.  The 82540EM takes 64-bit descriptor and buffer
 * addresses (SDM 3.2.3), so probe asks for 64 and takes 32 if the
 * platform cannot do that; devlink's dma_bits asks for another width.
 * Without a mask the device gets no coherent memory (docs/dma.md): every
 * path that maps memory relies on this call, so it runs only while the
 * NIC does no DMA (probe, or halted: nicdrv_change_dma_mask()).
 */
static int nicdrv_set_dma_mask(struct nicdrv_adapter *a, unsigned int bits)
{
	int err = dma_set_mask_and_coherent(&a->pdev->dev, DMA_BIT_MASK(bits));

	if (!err)
		a->dma_bits = bits;
	return err;
}

/*
 * devlink reload: a new DMA mask, and rings allocated under it.  As for
 * ethtool -G, the interface stays up (the stack sees no NETDEV_DOWN, so
 * routes, neighbours and IPv6 addresses stay; only the carrier flaps),
 * and the old rings stay until the new ones exist: if the platform
 * refuses the mask, or the rings cannot be had under it, the old mask
 * and rings go on and the reload fails.  The halted NIC does no DMA
 * while the mask changes; the old rings' mappings end after it, which
 * unmapping allows (it goes by the DMA address alone).  Under RTNL.
 */
int nicdrv_change_dma_mask(struct nicdrv_adapter *a, unsigned int bits,
			   struct netlink_ext_ack *extack)
{
	struct device *dev = &a->pdev->dev;
	struct nicdrv_tx_ring tx = { };
	struct nicdrv_rx_ring rx = { };
	unsigned int old = a->dma_bits;
	bool running = netif_running(a->netdev);
	int err;

	/* Its frames were mapped under the old mask, by the socket's pool */
	if (a->xsk_pool) {
		NL_SET_ERR_MSG(extack,
			       "an AF_XDP zero-copy socket holds mappings made under the current DMA mask; close it first");
		return -EBUSY;
	}
	if (running)
		nicdrv_halt(a);
	err = nicdrv_set_dma_mask(a, bits);
	if (err) {
		NL_SET_ERR_MSG(extack,
			       "the platform refuses that DMA mask; the old one stays");
	} else if (running) {
		err = nicdrv_alloc_rings(dev, &tx, &rx, a->tx_ring_count,
					 a->rx_ring_count, nicdrv_xdp_on(a));
		if (err) {
			NL_SET_ERR_MSG(extack,
				       "no memory for the rings under the new DMA mask; the old one stays");
			nicdrv_set_dma_mask(a, old);	/* it worked before */
		} else {
			nicdrv_swap_rings(a, &tx, &rx);
			nicdrv_free_rings(dev, &tx, &rx);
		}
	}
	nicdrv_chr_dma_changed(a);
	if (running)
		nicdrv_start(a);
	return err;
}

/* Software state: every tunable at its default, locks, work, the timer */
static void nicdrv_sw_init(struct nicdrv_adapter *a)
{
	a->tx_ring_count = NICDRV_DEFAULT_TXD;
	a->rx_ring_count = NICDRV_DEFAULT_RXD;
	a->rx_usecs = NICDRV_DEFAULT_RX_USECS;
	a->tx_usecs = NICDRV_DEFAULT_TX_USECS;
	a->tx_copybreak = NICDRV_TX_COPYBREAK_MAX;
	a->pool_bufs = NICDRV_POOL_BUFS_DEFAULT;
	a->itr = NICDRV_USECS_TO_ITR(a->rx_usecs);
	a->adaptive_rx = true;
	a->itr_cur = 0;		/* idle: low latency until traffic says otherwise */
	a->rctl = ~0u;	/* unknown: make the first RCTL write happen */
	a->mii.dev = a->netdev;
	a->mii.phy_id = NICDRV_PHY_ADDR;
	a->mii.phy_id_mask = 0x1f;
	a->mii.reg_num_mask = 0x1f;
	a->mii.supports_gmii = 1;
	a->mii.mdio_read = nicdrv_mdio_read;
	a->mii.mdio_write = nicdrv_mdio_write;
	a->msg_enable = netif_msg_init(-1, NETIF_MSG_DRV | NETIF_MSG_PROBE |
				       NETIF_MSG_LINK);
	u64_stats_init(&a->tx.syncp);
	u64_stats_init(&a->tx.xsyncp);
	u64_stats_init(&a->rx.syncp);
	u64_stats_init(&a->isyncp);
	INIT_WORK(&a->reset_task, nicdrv_reset_task);
	INIT_DELAYED_WORK(&a->stats_task, nicdrv_stats_task);
	hrtimer_setup(&a->tx_timer, nicdrv_tx_timer, CLOCK_MONOTONIC,
		      HRTIMER_MODE_REL);
	spin_lock_init(&a->hstats.lock);
}

/*
 * Take the device over from whatever ran before (firmware, e1000, an
 * earlier nicdrv): quiet, no PHY loopback left over (the PHY keeps its
 * state across drivers), counters from zero, the MAC from the EEPROM.
 */
static void nicdrv_adopt_device(struct nicdrv_adapter *a)
{
	struct net_device *netdev = a->netdev;
	u8 mac[ETH_ALEN];
	int err;

	nicdrv_hw_reset(a);
	nicdrv_hw_set_loopback(a, false);
	/* Drop what the clear-on-read registers hold so far */
	nicdrv_hw_update_stats(a, NULL);
	memset(a->hstats.val, 0, sizeof(a->hstats.val));

	err = nicdrv_hw_read_mac(a, mac);
	if (!err && is_valid_ether_addr(mac)) {
		eth_hw_addr_set(netdev, mac);
		return;
	}
	dev_warn(&a->pdev->dev, "EEPROM %s: using a random MAC address\n",
		 err == -EBADMSG ? "checksum is bad" :
		 err ? "unreadable" : "holds no valid MAC");
	eth_hw_addr_random(netdev);
}

/*
 * What the interface offers the stack.  No NETIF_F_RXCSUM: QEMU verifies
 * no RX checksum (it sets IXSM, "ignore checksum", on every frame), so
 * none is ever claimed.  No NETIF_F_TSO6: QEMU gets IPv6 segment lengths
 * wrong (see tx.c).  No NETIF_F_RXFCS: without RCTL.SECRC QEMU counts 4
 * FCS bytes it never writes, so they would be stale bytes of an earlier
 * frame.
 */
static void nicdrv_netdev_init(struct nicdrv_adapter *a)
{
	struct net_device *netdev = a->netdev;

	netdev->netdev_ops = &nicdrv_netdev_ops;
	nicdrv_set_ethtool_ops(netdev);
	netdev->watchdog_timeo = 5 * HZ;
	netdev->vlan_features = NETIF_F_SG | NETIF_F_HW_CSUM | NETIF_F_TSO;
	netdev->hw_features = netdev->vlan_features |
			      NETIF_F_HW_VLAN_CTAG_RX | NETIF_F_HW_VLAN_CTAG_TX |
			      NETIF_F_HW_VLAN_CTAG_FILTER | NETIF_F_RXALL |
			      NETIF_F_LOOPBACK;
	netdev->features = netdev->hw_features &
			   ~(NETIF_F_RXALL | NETIF_F_LOOPBACK);
	netdev->priv_flags |= IFF_UNICAST_FLT | IFF_LIVE_ADDR_CHANGE;
	netdev->min_mtu = ETH_MIN_MTU;
	netdev->max_mtu = NICDRV_MAX_MTU;	/* 1500 while XDP runs (xdp.c) */
	xdp_set_features_flag(netdev, NICDRV_XDP_FEATURES);
	netif_napi_add(netdev, &a->napi, nicdrv_poll);
	netif_carrier_off(netdev);	/* until the interface is up */
}

static int nicdrv_probe(struct pci_dev *pdev, const struct pci_device_id *ent)
{
	struct net_device *netdev;
	struct nicdrv_adapter *a;
	int err;

	/* The PCI function: enabled, BAR0 mapped, bus master */
	err = pcim_enable_device(pdev);
	if (err)
		return err;
	err = pcim_iomap_regions(pdev, BIT(0), NICDRV_NAME);
	if (err)
		return err;
	pci_set_master(pdev);

	netdev = devm_alloc_etherdev(&pdev->dev, sizeof(*a));
	if (!netdev)
		return -ENOMEM;
	SET_NETDEV_DEV(netdev, &pdev->dev);
	a = netdev_priv(netdev);
	a->netdev = netdev;
	a->pdev = pdev;
	a->hw = pcim_iomap_table(pdev)[0];
	a->mmio = devm_alloc_percpu(&pdev->dev, struct nicdrv_mmio_stats);
	if (!a->mmio)
		return -ENOMEM;
	pci_set_drvdata(pdev, a);
	err = nicdrv_set_dma_mask(a, 64);
	if (err)
		err = nicdrv_set_dma_mask(a, 32);
	if (err) {
		dev_err(&pdev->dev, "no usable DMA mask: neither 64 nor 32 bits\n");
		return err;
	}

	nicdrv_sw_init(a);
	nicdrv_adopt_device(a);
	nicdrv_netdev_init(a);

	/* Reachable from user space: the interface, /dev/nicdrvN, devlink */
	err = register_netdev(netdev);
	if (err)
		return err;
	err = nicdrv_chr_add(a);
	if (err)
		goto err_netdev;
	nicdrv_debugfs_add(a);
	err = nicdrv_devlink_add(a);
	if (err)
		goto err_chr;
	netif_info(a, probe, netdev,
		   "82540EM at %s, MAC %pM, IRQ %d, %d-bit DMA\n",
		   pci_name(pdev), netdev->dev_addr, pdev->irq, a->dma_bits);
	return 0;

err_chr:
	nicdrv_debugfs_del(a);
	nicdrv_chr_del(a);
err_netdev:
	unregister_netdev(netdev);
	/* The interface could be opened meanwhile, and time out */
	cancel_work_sync(&a->reset_task);
	return err;
}

static void nicdrv_remove(struct pci_dev *pdev)
{
	struct nicdrv_adapter *a = pci_get_drvdata(pdev);

	/* First: no devlink reload may reopen the interface from here on */
	nicdrv_devlink_del(a);
	/* Without RTNL: removal waits for readers, which take RTNL */
	nicdrv_chr_del(a);
	nicdrv_debugfs_del(a);
	/* Closes the interface if it is up: DMA stops, memory is freed */
	unregister_netdev(a->netdev);
	cancel_work_sync(&a->reset_task);
	/* devres disables the device, unmaps BAR0 and frees the netdev */
}

/*
 * System sleep.  Suspend detaches the interface (the stack stops calling
 * xmit, the watchdog and ethtool stay away) and halts a running NIC: no
 * DMA in flight while the PCI core saves its state and powers it down.
 * The rings and the pool stay allocated and mapped, as for ethtool -G; a
 * capture session ends, as it does there.  Resume programs every register
 * again with nicdrv_start(): after a real S3 the NIC comes back reset (in
 * QEMU the whole machine is reset on wake-up), and nicdrv never relies on
 * what a reset leaves (QEMU ignores CTRL.RST).
 */
static int nicdrv_suspend(struct device *dev)
{
	struct nicdrv_adapter *a = dev_get_drvdata(dev);

	rtnl_lock();
	netif_device_detach(a->netdev);
	if (netif_running(a->netdev))
		nicdrv_halt(a);
	rtnl_unlock();
	return 0;
}

static int nicdrv_resume(struct device *dev)
{
	struct nicdrv_adapter *a = dev_get_drvdata(dev);

	rtnl_lock();
	if (netif_running(a->netdev))
		nicdrv_start(a);
	netif_device_attach(a->netdev);
	rtnl_unlock();
	return 0;
}

static DEFINE_SIMPLE_DEV_PM_OPS(nicdrv_pm_ops, nicdrv_suspend, nicdrv_resume);

/*
 * Reboot, power-off and kexec: a NIC left receiving would write frames
 * into memory the next kernel owns.  Closing the interface stops the NIC
 * (RCTL.EN and TCTL.EN off, SDM 13.4.22 and 13.4.33) and frees the rings;
 * without bus mastering (PCI command register) the device cannot reach
 * memory at all.
 */
static void nicdrv_shutdown(struct pci_dev *pdev)
{
	struct nicdrv_adapter *a = pci_get_drvdata(pdev);

	rtnl_lock();
	netif_device_detach(a->netdev);
	dev_close(a->netdev);
	rtnl_unlock();
	pci_clear_master(pdev);
}

static struct pci_driver nicdrv_driver = {
	.name		= NICDRV_NAME,
	.id_table	= nicdrv_pci_tbl,
	.probe		= nicdrv_probe,
	.remove		= nicdrv_remove,
	.shutdown	= nicdrv_shutdown,
	.driver.pm	= pm_sleep_ptr(&nicdrv_pm_ops),
};

/*
 * The in-tree e1000 drives the same device.  Two drivers for one kind of
 * NIC in one system make results meaningless, so nicdrv refuses to load
 * while e1000 holds any 82540EM.
 */
static int __init nicdrv_init(void)
{
	struct pci_dev *pdev = NULL;
	int err;

	while ((pdev = pci_get_device(NICDRV_VENDOR_INTEL, NICDRV_DEV_82540EM,
				      pdev))) {
		bool taken;

		device_lock(&pdev->dev);
		taken = pdev->dev.driver &&
			!strcmp(pdev->dev.driver->name, "e1000");
		device_unlock(&pdev->dev);
		if (taken) {
			pr_err("%s: %s is bound to e1000; unload e1000 first\n",
			       NICDRV_NAME, pci_name(pdev));
			pci_dev_put(pdev);
			return -EBUSY;
		}
	}
	err = nicdrv_chr_init();
	if (err)
		return err;
	nicdrv_debugfs_init();
	err = pci_register_driver(&nicdrv_driver);
	if (err) {
		nicdrv_debugfs_exit();
		nicdrv_chr_exit();
	}
	return err;
}

static void __exit nicdrv_exit(void)
{
	pci_unregister_driver(&nicdrv_driver);
	nicdrv_debugfs_exit();
	nicdrv_chr_exit();
}

module_init(nicdrv_init);
module_exit(nicdrv_exit);

MODULE_AUTHOR("nicdrv developers");
MODULE_DESCRIPTION("Driver for the QEMU-emulated Intel 82540EM, a DMA example");
MODULE_LICENSE("GPL");
