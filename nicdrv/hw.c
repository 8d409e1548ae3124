// SPDX-License-Identifier: GPL-2.0
/*
 * nicdrv: register-level operations on the 82540EM.  Nothing in this file
 * touches a descriptor or a buffer; it programs and reads registers.
 */
#include <linux/bitfield.h>
#include <linux/delay.h>
#include <linux/etherdevice.h>

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

	nicdrv_hw_irq_disable(a);
	nicdrv_hw_set_rctl(a, 0);
	nicdrv_wr(a, NICDRV_TCTL, NICDRV_TCTL_PSP);
	nicdrv_rd(a, NICDRV_STATUS);	/* flush the writes */
	usleep_range(1000, 2000);	/* let in-flight DMA finish */

	nicdrv_wr(a, NICDRV_CTRL, nicdrv_rd(a, NICDRV_CTRL) | NICDRV_CTRL_RST);
	usleep_range(1000, 2000);	/* SDM 14.5: wait before the next access */

	nicdrv_hw_irq_disable(a);
	nicdrv_rd(a, NICDRV_ICR);	/* reading ICR clears every cause */

	/* No RX/TX delay timers: moderation comes from ITR alone */
	nicdrv_wr(a, NICDRV_RDTR, 0);
	nicdrv_wr(a, NICDRV_RADV, 0);
	nicdrv_wr(a, NICDRV_TIDV, 0);
	nicdrv_wr(a, NICDRV_TADV, 0);
	nicdrv_wr(a, NICDRV_ITR, a->itr);

	/* Empty filters: only RA[0] (set at open) and broadcast get through */
	for (i = 1; i < NICDRV_RA_ENTRIES; i++) {
		nicdrv_wr(a, NICDRV_RAH(i), 0);
		nicdrv_wr(a, NICDRV_RAL(i), 0);
	}
	for (i = 0; i < NICDRV_MTA_WORDS; i++)
		nicdrv_wr(a, NICDRV_MTA(i), 0);
	memset(a->mta, 0, sizeof(a->mta));
	for (i = 0; i < NICDRV_VFTA_WORDS; i++)
		nicdrv_wr(a, NICDRV_VFTA(i), 0);

	/* Rings point nowhere until ring.c programs them */
	nicdrv_wr(a, NICDRV_RDLEN, 0);
	nicdrv_wr(a, NICDRV_RDH, 0);
	nicdrv_wr(a, NICDRV_RDT, 0);
	nicdrv_wr(a, NICDRV_TDLEN, 0);
	nicdrv_wr(a, NICDRV_TDH, 0);
	nicdrv_wr(a, NICDRV_TDT, 0);
}

/* Read one EEPROM word through EERD (SDM 5.3.1, 13.4.4) */
int nicdrv_eeprom_read(struct nicdrv_adapter *a, unsigned int word, u16 *val)
{
	unsigned int tries;
	u32 eerd;

	nicdrv_wr(a, NICDRV_EERD, FIELD_PREP(NICDRV_EERD_ADDR, word) |
		  NICDRV_EERD_START);
	for (tries = 0; tries < 100; tries++) {
		eerd = nicdrv_rd(a, NICDRV_EERD);
		if (eerd & NICDRV_EERD_DONE) {
			*val = FIELD_GET(NICDRV_EERD_DATA, eerd);
			return 0;
		}
		udelay(5);
	}
	return -ETIMEDOUT;
}

/*
 * PHY register access through MDIC (SDM 13.4.7): write the request, wait
 * for Ready, check Error.  The registers are the standard MII set (IEEE
 * 802.3 clause 22), so the kernel's generic mii library can use them.
 */
static int nicdrv_mdic(struct nicdrv_adapter *a, u32 cmd)
{
	unsigned int tries;
	u32 mdic;

	nicdrv_wr(a, NICDRV_MDIC, cmd | FIELD_PREP(NICDRV_MDIC_PHYADD,
						   NICDRV_PHY_ADDR));
	for (tries = 0; tries < 100; tries++) {
		mdic = nicdrv_rd(a, NICDRV_MDIC);
		if (mdic & NICDRV_MDIC_READY)
			return mdic & NICDRV_MDIC_ERROR ? -EIO :
				FIELD_GET(NICDRV_MDIC_DATA, mdic);
		usleep_range(10, 20);
	}
	return -ETIMEDOUT;
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
 * Every RCTL write stops QEMU's receiver for one second (its flush timer,
 * see the facts note), so RCTL is written only when its value changes.
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
	u32 rctl = NICDRV_RCTL_EN | NICDRV_RCTL_BAM | NICDRV_RCTL_SECRC |
		   NICDRV_RCTL_BSIZE_2048 | NICDRV_RCTL_RDMTS_HALF |
		   NICDRV_RCTL_MO_36;

	/* Without LPE the NIC drops frames over 1522 bytes */
	if (a->netdev->mtu > ETH_DATA_LEN)
		rctl |= NICDRV_RCTL_LPE;
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

	if (netdev->flags & IFF_PROMISC)
		rctl |= NICDRV_RCTL_UPE | NICDRV_RCTL_MPE;
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
 * once SLU is set (SDM 13.4.1, 14.5.3).  VLAN mode stays off for now.
 */
void nicdrv_hw_link_setup(struct nicdrv_adapter *a)
{
	u32 ctrl = nicdrv_rd(a, NICDRV_CTRL);

	ctrl &= ~(NICDRV_CTRL_PHY_RST | NICDRV_CTRL_VME);
	ctrl |= NICDRV_CTRL_SLU | NICDRV_CTRL_ASDE;
	nicdrv_wr(a, NICDRV_CTRL, ctrl);
}

bool nicdrv_hw_link_up(struct nicdrv_adapter *a)
{
	return nicdrv_rd(a, NICDRV_STATUS) & NICDRV_STATUS_LU;
}

void nicdrv_hw_irq_enable(struct nicdrv_adapter *a)
{
	nicdrv_wr(a, NICDRV_IMS, NICDRV_IMS_ENABLE);
}

void nicdrv_hw_irq_disable(struct nicdrv_adapter *a)
{
	nicdrv_wr(a, NICDRV_IMC, ~0u);
	nicdrv_rd(a, NICDRV_STATUS);	/* flush: the mask is in place now */
}
