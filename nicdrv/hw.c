// SPDX-License-Identifier: GPL-2.0
/*
 * nicdrv: register-level operations on the 82540EM.  Nothing in this file
 * touches a descriptor or a buffer; it programs and reads registers.  Three
 * kinds of register access live beside the code they explain instead: the
 * interrupt cause, mask and moderation registers (irq.c), the ring base,
 * length, head and tail registers (ring.c, and the doorbells in tx.c and
 * rx.c), and the self-test's register test (selftest.c).
 */
#include <linux/bitfield.h>
#include <linux/delay.h>
#include <linux/etherdevice.h>
#include <linux/ethtool.h>
#include <linux/iopoll.h>

#include "nicdrv.h"

/*
 * Put the device into a known, quiet state.  A real 8254x resets every
 * register on CTRL.RST (SDM 13.4.1); QEMU only clears the bit and keeps
 * whatever the previous driver left (promiscuous mode, filters, rings).
 * So after the reset every register nicdrv relies on is written explicitly.
 */
void nicdrv_hw_reset(struct nicdrv_adapter *a)
{
	unsigned int i;

	nicdrv_irq_disable(a);
	nicdrv_hw_set_rctl(a, 0);
	nicdrv_wr(a, NICDRV_TCTL, NICDRV_TCTL_PSP);
	nicdrv_rd(a, NICDRV_STATUS);	/* flush the writes */
	usleep_range(1000, 2000);	/* let in-flight DMA finish */

	nicdrv_wr(a, NICDRV_CTRL, nicdrv_rd(a, NICDRV_CTRL) | NICDRV_CTRL_RST);
	usleep_range(1000, 2000);	/* SDM 14.5: wait before the next access */

	nicdrv_irq_disable(a);
	nicdrv_rd(a, NICDRV_ICR);	/* reading ICR clears every cause */

	/* No per-packet delay timers: ITR moderates (ethtool -C) */
	nicdrv_wr(a, NICDRV_RDTR, 0);
	nicdrv_wr(a, NICDRV_RADV, 0);
	nicdrv_wr(a, NICDRV_TIDV, 0);
	nicdrv_irq_set_itr(a);

	/* Empty filters: only RA[0] (set at open) and broadcast get through */
	for (i = 1; i < NICDRV_RA_ENTRIES; i++) {
		nicdrv_wr(a, NICDRV_RAH(i), 0);
		nicdrv_wr(a, NICDRV_RAL(i), 0);
	}
	for (i = 0; i < NICDRV_MTA_WORDS; i++)
		nicdrv_wr(a, NICDRV_MTA(i), 0);
	memset(a->mta, 0, sizeof(a->mta));
	/* The VLAN filter keeps what the stack asked for (a->vfta) */
	for (i = 0; i < NICDRV_VFTA_WORDS; i++)
		nicdrv_wr(a, NICDRV_VFTA(i), a->vfta[i]);

	/* Rings point nowhere until ring.c programs them */
	nicdrv_wr(a, NICDRV_RDLEN, 0);
	nicdrv_wr(a, NICDRV_RDH, 0);
	nicdrv_wr(a, NICDRV_RDT, 0);
	nicdrv_wr(a, NICDRV_TDLEN, 0);
	nicdrv_wr(a, NICDRV_TDH, 0);
	nicdrv_wr(a, NICDRV_TDT, 0);
}

/*
 * Read one EEPROM word through EERD (SDM 5.3.1, 13.4.4).  The read takes
 * microseconds on hardware, so the poll spins instead of sleeping.
 */
int nicdrv_eeprom_read(struct nicdrv_adapter *a, unsigned int word, u16 *val)
{
	u32 eerd;
	int err;

	nicdrv_wr(a, NICDRV_EERD, FIELD_PREP(NICDRV_EERD_ADDR, word) |
		  NICDRV_EERD_START);
	err = read_poll_timeout_atomic(nicdrv_rd, eerd, eerd & NICDRV_EERD_DONE,
				       5, 500, false, a, NICDRV_EERD);
	if (!err)
		*val = FIELD_GET(NICDRV_EERD_DATA, eerd);
	return err;
}

/*
 * PHY register access through MDIC (SDM 13.4.7): write the request, wait
 * for Ready, check Error.  The registers are the standard MII set (IEEE
 * 802.3 clause 22), so the kernel's generic mii library can use them.
 */
static int nicdrv_mdic(struct nicdrv_adapter *a, u32 cmd)
{
	u32 mdic;
	int err;

	nicdrv_wr(a, NICDRV_MDIC, cmd | FIELD_PREP(NICDRV_MDIC_PHYADD,
						   NICDRV_PHY_ADDR));
	err = read_poll_timeout(nicdrv_rd, mdic, mdic & NICDRV_MDIC_READY,
				20, 2000, false, a, NICDRV_MDIC);
	if (err)
		return err;
	return mdic & NICDRV_MDIC_ERROR ? -EIO : FIELD_GET(NICDRV_MDIC_DATA, mdic);
}

/* Process context only: MDIC polling sleeps */
int nicdrv_phy_read(struct nicdrv_adapter *a, unsigned int reg)
{
	return nicdrv_mdic(a, FIELD_PREP(NICDRV_MDIC_OP, NICDRV_MDIC_OP_READ) |
			   FIELD_PREP(NICDRV_MDIC_REGADD, reg));
}

int nicdrv_phy_write(struct nicdrv_adapter *a, unsigned int reg, u16 val)
{
	int ret = nicdrv_mdic(a, FIELD_PREP(NICDRV_MDIC_OP, NICDRV_MDIC_OP_WRITE) |
			      FIELD_PREP(NICDRV_MDIC_REGADD, reg) | val);

	return ret < 0 ? ret : 0;
}

/*
 * The MAC address is EEPROM words 0-2, low byte first (SDM 5.6.1).  The
 * 64 words must add up to 0xBABA (SDM 5.6.13); -EBADMSG says they do not.
 */
int nicdrv_hw_read_mac(struct nicdrv_adapter *a, u8 *mac)
{
	u16 word, sum = 0;
	unsigned int i;
	int err;

	for (i = 0; i < NICDRV_EEPROM_WORDS; i++) {
		err = nicdrv_eeprom_read(a, i, &word);
		if (err)
			return err;
		if (i < ETH_ALEN / 2) {
			mac[2 * i] = word & 0xff;
			mac[2 * i + 1] = word >> 8;
		}
		sum += word;
	}
	return sum == NICDRV_EEPROM_SUM ? 0 : -EBADMSG;
}

/* Receive Address entry (SDM 13.5.2): RAL holds bytes 0-3, RAH 4-5 + AV */
void nicdrv_hw_set_ra(struct nicdrv_adapter *a, unsigned int idx, const u8 *addr)
{
	u32 ral = 0, rah = 0;

	if (addr) {
		ral = addr[0] | addr[1] << 8 | addr[2] << 16 | (u32)addr[3] << 24;
		rah = addr[4] | addr[5] << 8 | NICDRV_RAH_AV;
	}
	/* Clear AV first so the NIC never matches a half-written entry */
	nicdrv_wr(a, NICDRV_RAH(idx), 0);
	nicdrv_wr(a, NICDRV_RAL(idx), ral);
	nicdrv_wr(a, NICDRV_RAH(idx), rah);
}

/*
 * Every RCTL write stops QEMU's receiver for one second (its flush timer;
 * docs/design.md, QEMU behaviour), so RCTL is written only when its value
 * changes.
 */
void nicdrv_hw_set_rctl(struct nicdrv_adapter *a, u32 rctl)
{
	if (rctl == a->rctl)
		return;
	a->rctl = rctl;
	nicdrv_wr(a, NICDRV_RCTL, rctl);
}

/* RCTL bits that do not depend on the address filters (SDM 13.4.22) */
u32 nicdrv_hw_rctl_base(struct nicdrv_adapter *a)
{
	netdev_features_t features = a->netdev->features;
	u32 rctl = NICDRV_RCTL_EN | NICDRV_RCTL_BAM | NICDRV_RCTL_SECRC |
		   NICDRV_RCTL_RDMTS_HALF | NICDRV_RCTL_MO_36;

	/* Without LPE the NIC drops frames over 1522 bytes */
	if (a->netdev->mtu > ETH_DATA_LEN)
		rctl |= NICDRV_RCTL_LPE;
	/* rx-all: bad frames (SBP) and long ones too */
	if (features & NETIF_F_RXALL)
		rctl |= NICDRV_RCTL_SBP | NICDRV_RCTL_LPE;
	/*
	 * The buffers hold 1536 bytes (nicdrv.h): without LPE no frame is
	 * longer, so BSIZE 2048 never overruns one; with LPE the NIC must
	 * stop at 1024 and go on in the next descriptor.
	 */
	if (rctl & NICDRV_RCTL_LPE)
		rctl |= NICDRV_RCTL_BSIZE_1024;
	else
		rctl |= NICDRV_RCTL_BSIZE_2048;
	if (features & NETIF_F_HW_VLAN_CTAG_FILTER)
		rctl |= NICDRV_RCTL_VFE;
	return rctl;
}

/*
 * Multicast Table Array hash with RCTL.MO = 00 (SDM 13.5.1): bits 47:36 of
 * the address select one of 4096 bits, 32 per MTA register.
 */
static u32 nicdrv_mta_hash(const u8 *addr)
{
	return ((addr[4] >> 4) | (addr[5] << 4)) & 0xfff;
}

/*
 * Program unicast RA entries, the multicast table and RCTL.UPE/MPE from
 * the net_device's lists and flags.  Called with the netdev address lock
 * held (the core's ndo_set_rx_mode context, or nicdrv's own callers).
 */
void nicdrv_hw_set_rx_mode(struct nicdrv_adapter *a)
{
	struct net_device *netdev = a->netdev;
	u32 mta[NICDRV_MTA_WORDS] = { 0 };
	u32 rctl = nicdrv_hw_rctl_base(a);
	struct netdev_hw_addr *ha;
	unsigned int i = 1;

	/* Promiscuous means every VLAN too */
	if (netdev->flags & IFF_PROMISC)
		rctl = (rctl | NICDRV_RCTL_UPE | NICDRV_RCTL_MPE) &
		       ~NICDRV_RCTL_VFE;
	else if (netdev->flags & IFF_ALLMULTI)
		rctl |= NICDRV_RCTL_MPE;

	/* RA[0] is the device address; RA[1..15] take secondary unicasts */
	if (netdev_uc_count(netdev) > NICDRV_RA_ENTRIES - 1) {
		rctl |= NICDRV_RCTL_UPE;
	} else {
		netdev_for_each_uc_addr(ha, netdev)
			nicdrv_hw_set_ra(a, i++, ha->addr);
	}
	for (; i < NICDRV_RA_ENTRIES; i++)
		nicdrv_hw_set_ra(a, i, NULL);

	netdev_for_each_mc_addr(ha, netdev) {
		u32 hash = nicdrv_mta_hash(ha->addr);

		mta[hash >> 5] |= BIT(hash & 31);
	}
	for (i = 0; i < NICDRV_MTA_WORDS; i++) {
		if (mta[i] != a->mta[i]) {
			nicdrv_wr(a, NICDRV_MTA(i), mta[i]);
			a->mta[i] = mta[i];
		}
	}

	nicdrv_hw_set_rctl(a, rctl);
}

/*
 * Link: the MAC follows the PHY's auto-negotiated speed and duplex (ASDE)
 * once SLU is set (SDM 13.4.1, 14.5.3).
 */
void nicdrv_hw_link_setup(struct nicdrv_adapter *a)
{
	u32 ctrl = nicdrv_rd(a, NICDRV_CTRL);

	ctrl &= ~NICDRV_CTRL_PHY_RST;
	ctrl |= NICDRV_CTRL_SLU | NICDRV_CTRL_ASDE;
	nicdrv_wr(a, NICDRV_CTRL, ctrl);
	nicdrv_hw_set_vlan(a);
}

/*
 * CTRL.VME (SDM 13.4.1, 3.2.3.3) switches both RX tag stripping and TX tag
 * insertion; QEMU inserts no tag without it.  So it is on when either
 * offload is, and rx.c puts stripped tags back when only TX offload is.
 */
void nicdrv_hw_set_vlan(struct nicdrv_adapter *a)
{
	u32 ctrl = nicdrv_rd(a, NICDRV_CTRL);

	if (a->netdev->features & (NETIF_F_HW_VLAN_CTAG_RX |
				   NETIF_F_HW_VLAN_CTAG_TX))
		ctrl |= NICDRV_CTRL_VME;
	else
		ctrl &= ~NICDRV_CTRL_VME;
	nicdrv_wr(a, NICDRV_CTRL, ctrl);
}

/* One VLAN ID in the VLAN Filter Table Array (SDM 13.5.3) */
void nicdrv_hw_set_vfta(struct nicdrv_adapter *a, u16 vid, bool on)
{
	unsigned int idx = (vid >> 5) & (NICDRV_VFTA_WORDS - 1);

	if (on)
		a->vfta[idx] |= BIT(vid & 31);
	else
		a->vfta[idx] &= ~BIT(vid & 31);
	nicdrv_wr(a, NICDRV_VFTA(idx), a->vfta[idx]);
}

/* PHY loopback (BMCR bit 14): frames sent come straight back in */
int nicdrv_hw_set_loopback(struct nicdrv_adapter *a, bool on)
{
	int bmcr = nicdrv_phy_read(a, NICDRV_PHY_BMCR);

	if (bmcr < 0)
		return bmcr;
	if (on)
		bmcr |= NICDRV_BMCR_LOOPBACK;
	else
		bmcr &= ~NICDRV_BMCR_LOOPBACK;
	return nicdrv_phy_write(a, NICDRV_PHY_BMCR, bmcr);
}

bool nicdrv_hw_link_up(struct nicdrv_adapter *a)
{
	return nicdrv_rd(a, NICDRV_STATUS) & NICDRV_STATUS_LU;
}

/* STATUS (SDM 13.4.2): the speed and duplex the MAC runs at */
void nicdrv_hw_link_mode(struct nicdrv_adapter *a, u32 *speed, u8 *duplex)
{
	static const u32 speeds[] = { SPEED_10, SPEED_100, SPEED_1000,
				      SPEED_1000 };
	u32 status = nicdrv_rd(a, NICDRV_STATUS);

	*speed = speeds[FIELD_GET(NICDRV_STATUS_SPEED, status)];
	*duplex = status & NICDRV_STATUS_FD ? DUPLEX_FULL : DUPLEX_HALF;
}

/*
 * Flow control as CTRL has it (SDM 13.4.1, 14.6): nicdrv leaves RFCE and
 * TFCE as the reset or the EEPROM set them, and negotiates no pause.
 */
void nicdrv_hw_pause(struct nicdrv_adapter *a, bool *rx, bool *tx)
{
	u32 ctrl = nicdrv_rd(a, NICDRV_CTRL);

	*rx = ctrl & NICDRV_CTRL_RFCE;
	*tx = ctrl & NICDRV_CTRL_TFCE;
}

/* Transmit head and tail, for a TX timeout's report */
void nicdrv_hw_tx_head_tail(struct nicdrv_adapter *a, u32 *head, u32 *tail)
{
	*head = nicdrv_rd(a, NICDRV_TDH);
	*tail = nicdrv_rd(a, NICDRV_TDT);
}

/*
 * ethtool -p: LED0's mode in LEDCTL (SDM 13.4.6).  Before blinking, the
 * register is saved; ETHTOOL_ID_INACTIVE puts it back.
 */
void nicdrv_hw_led(struct nicdrv_adapter *a, enum ethtool_phys_id_state state)
{
	u32 led = a->ledctl & ~NICDRV_LEDCTL_LED0_MODE;

	switch (state) {
	case ETHTOOL_ID_ACTIVE:
		a->ledctl = nicdrv_rd(a, NICDRV_LEDCTL);
		break;
	case ETHTOOL_ID_ON:
		nicdrv_wr(a, NICDRV_LEDCTL, led | NICDRV_LED_ON);
		break;
	case ETHTOOL_ID_OFF:
		nicdrv_wr(a, NICDRV_LEDCTL, led | NICDRV_LED_OFF);
		break;
	case ETHTOOL_ID_INACTIVE:
		nicdrv_wr(a, NICDRV_LEDCTL, a->ledctl);
		break;
	}
}

/*
 * ethtool -d: (offset, value) pairs of the registers that describe the
 * device's state.  ICR is left out: reading it clears it.
 */
static const u16 nicdrv_dump_regs[] = {
	NICDRV_CTRL, NICDRV_STATUS, NICDRV_EECD, NICDRV_CTRL_EXT,
	NICDRV_ITR, NICDRV_IMS, NICDRV_RCTL, NICDRV_TCTL, NICDRV_TIPG,
	NICDRV_LEDCTL, NICDRV_RDBAL, NICDRV_RDBAH, NICDRV_RDLEN, NICDRV_RDH,
	NICDRV_RDT, NICDRV_RDTR, NICDRV_RADV, NICDRV_TDBAL, NICDRV_TDBAH,
	NICDRV_TDLEN, NICDRV_TDH, NICDRV_TDT, NICDRV_TIDV, NICDRV_TADV,
	NICDRV_RAL(0), NICDRV_RAH(0),
};

unsigned int nicdrv_hw_dump_len(void)
{
	return sizeof(u32) * 2 * ARRAY_SIZE(nicdrv_dump_regs);
}

void nicdrv_hw_dump(struct nicdrv_adapter *a, u32 *out)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(nicdrv_dump_regs); i++) {
		*out++ = nicdrv_dump_regs[i];
		*out++ = nicdrv_rd(a, nicdrv_dump_regs[i]);
	}
}

#define NICDRV_HW_STAT(_idx, _name, _reg, _kind) \
	[_idx] = { .name = _name, .reg = _reg, .kind = _kind }

/*
 * Every statistics register nicdrv reads (SDM 13.7).  Each clears on read
 * on hardware; the ones QEMU 7.2 keeps (MPC, RNBC) or may not implement
 * at all (collisions, flow control, errors it never sees: reading one
 * gives 0) are NICDRV_EITHER32, which counts right either way.
 */
const struct nicdrv_hw_stat_desc nicdrv_hw_stat_desc[NICDRV_HW_NSTATS] = {
	NICDRV_HW_STAT(NICDRV_HW_GPRC, "", NICDRV_GPRC, NICDRV_CLR32),
	NICDRV_HW_STAT(NICDRV_HW_GORC, "", NICDRV_GORCL, NICDRV_CLR64),
	NICDRV_HW_STAT(NICDRV_HW_TPR, "hw_rx_total_packets", NICDRV_TPR, NICDRV_CLR32),
	NICDRV_HW_STAT(NICDRV_HW_TOR, "hw_rx_total_bytes", NICDRV_TORL, NICDRV_CLR64),
	NICDRV_HW_STAT(NICDRV_HW_BPRC, "", NICDRV_BPRC, NICDRV_CLR32),
	NICDRV_HW_STAT(NICDRV_HW_MPRC, "", NICDRV_MPRC, NICDRV_CLR32),
	NICDRV_HW_STAT(NICDRV_HW_ROC, "", NICDRV_ROC, NICDRV_CLR32),
	NICDRV_HW_STAT(NICDRV_HW_RNBC, "hw_rx_no_buffer", NICDRV_RNBC, NICDRV_EITHER32),
	NICDRV_HW_STAT(NICDRV_HW_MPC, "", NICDRV_MPC, NICDRV_EITHER32),
	NICDRV_HW_STAT(NICDRV_HW_PRC64, "", NICDRV_PRC64, NICDRV_CLR32),
	NICDRV_HW_STAT(NICDRV_HW_PRC127, "", NICDRV_PRC127, NICDRV_CLR32),
	NICDRV_HW_STAT(NICDRV_HW_PRC255, "", NICDRV_PRC255, NICDRV_CLR32),
	NICDRV_HW_STAT(NICDRV_HW_PRC511, "", NICDRV_PRC511, NICDRV_CLR32),
	NICDRV_HW_STAT(NICDRV_HW_PRC1023, "", NICDRV_PRC1023, NICDRV_CLR32),
	NICDRV_HW_STAT(NICDRV_HW_PRC1522, "", NICDRV_PRC1522, NICDRV_CLR32),
	NICDRV_HW_STAT(NICDRV_HW_GPTC, "", NICDRV_GPTC, NICDRV_CLR32),
	NICDRV_HW_STAT(NICDRV_HW_GOTC, "", NICDRV_GOTCL, NICDRV_CLR64),
	NICDRV_HW_STAT(NICDRV_HW_TPT, "hw_tx_total_packets", NICDRV_TPT, NICDRV_CLR32),
	NICDRV_HW_STAT(NICDRV_HW_TOT, "hw_tx_total_bytes", NICDRV_TOTL, NICDRV_CLR64),
	NICDRV_HW_STAT(NICDRV_HW_BPTC, "", NICDRV_BPTC, NICDRV_CLR32),
	NICDRV_HW_STAT(NICDRV_HW_MPTC, "", NICDRV_MPTC, NICDRV_CLR32),
	NICDRV_HW_STAT(NICDRV_HW_TSCTC, "hw_tx_tso_contexts", NICDRV_TSCTC, NICDRV_CLR32),
	NICDRV_HW_STAT(NICDRV_HW_PTC64, "", NICDRV_PTC64, NICDRV_CLR32),
	NICDRV_HW_STAT(NICDRV_HW_PTC127, "", NICDRV_PTC127, NICDRV_CLR32),
	NICDRV_HW_STAT(NICDRV_HW_PTC255, "", NICDRV_PTC255, NICDRV_CLR32),
	NICDRV_HW_STAT(NICDRV_HW_PTC511, "", NICDRV_PTC511, NICDRV_CLR32),
	NICDRV_HW_STAT(NICDRV_HW_PTC1023, "", NICDRV_PTC1023, NICDRV_CLR32),
	NICDRV_HW_STAT(NICDRV_HW_PTC1522, "", NICDRV_PTC1522, NICDRV_CLR32),
	NICDRV_HW_STAT(NICDRV_HW_CRCERRS, "", NICDRV_CRCERRS, NICDRV_EITHER32),
	NICDRV_HW_STAT(NICDRV_HW_ALGNERRC, "", NICDRV_ALGNERRC, NICDRV_EITHER32),
	NICDRV_HW_STAT(NICDRV_HW_SCC, "", NICDRV_SCC, NICDRV_EITHER32),
	NICDRV_HW_STAT(NICDRV_HW_ECOL, "", NICDRV_ECOL, NICDRV_EITHER32),
	NICDRV_HW_STAT(NICDRV_HW_MCC, "", NICDRV_MCC, NICDRV_EITHER32),
	NICDRV_HW_STAT(NICDRV_HW_LATECOL, "", NICDRV_LATECOL, NICDRV_EITHER32),
	NICDRV_HW_STAT(NICDRV_HW_DC, "", NICDRV_DC, NICDRV_EITHER32),
	NICDRV_HW_STAT(NICDRV_HW_XONRXC, "", NICDRV_XONRXC, NICDRV_EITHER32),
	NICDRV_HW_STAT(NICDRV_HW_XONTXC, "", NICDRV_XONTXC, NICDRV_EITHER32),
	NICDRV_HW_STAT(NICDRV_HW_XOFFRXC, "", NICDRV_XOFFRXC, NICDRV_EITHER32),
	NICDRV_HW_STAT(NICDRV_HW_XOFFTXC, "", NICDRV_XOFFTXC, NICDRV_EITHER32),
	NICDRV_HW_STAT(NICDRV_HW_FCRUC, "", NICDRV_FCRUC, NICDRV_EITHER32),
	NICDRV_HW_STAT(NICDRV_HW_RUC, "", NICDRV_RUC, NICDRV_EITHER32),
	NICDRV_HW_STAT(NICDRV_HW_RFC, "", NICDRV_RFC, NICDRV_EITHER32),
	NICDRV_HW_STAT(NICDRV_HW_RJC, "", NICDRV_RJC, NICDRV_EITHER32),
};

/*
 * Fold the statistics registers into the 64-bit totals (SDM 13.7) and,
 * if out is given, copy the totals there.
 */
void nicdrv_hw_update_stats(struct nicdrv_adapter *a, u64 *out)
{
	struct nicdrv_hw_stats *hs = &a->hstats;
	bool gone = nicdrv_rd(a, NICDRV_STATUS) == ~0u;
	unsigned long flags;
	unsigned int i;
	u32 lo, hi, again;

	spin_lock_irqsave(&hs->lock, flags);
	/* A removed device reads all-ones, which is no count */
	for (i = 0; i < NICDRV_HW_NSTATS && !gone; i++) {
		const struct nicdrv_hw_stat_desc *d = &nicdrv_hw_stat_desc[i];

		lo = nicdrv_rd(a, d->reg);
		switch (d->kind) {
		case NICDRV_CLR64:
			hi = nicdrv_rd(a, d->reg + 4);	/* after the low half */
			hs->val[i] += (u64)hi << 32 | lo;
			break;
		case NICDRV_EITHER32:
			/* a second reading tells the kinds apart, once */
			again = hs->mode[i] == NICDRV_STAT_UNKNOWN && lo ?
				nicdrv_rd(a, d->reg) : 0;
			hs->val[i] += nicdrv_hw_stat_either(&hs->mode[i],
							    &hs->last[i], lo,
							    again);
			break;
		default:
			hs->val[i] += lo;
		}
	}
	if (out)
		memcpy(out, hs->val, sizeof(hs->val));
	spin_unlock_irqrestore(&hs->lock, flags);
}
