// SPDX-License-Identifier: GPL-2.0
/*
 * nicdrv: ethtool -t.
 *
 * Online: the link test only.  Offline: the interface is closed, the NIC
 * is nicdrv's alone, and five tests run; the interface comes back up
 * afterwards.  Each result is 0 for a pass.
 *
 *   register    write/read patterns to registers QEMU keeps as storage
 *   eeprom      the 64 EEPROM words sum to 0xBABA (SDM 5.6.13)
 *   interrupt   a cause set through ICS arrives through the IRQ line
 *   loopback    one frame sent in PHY loopback comes back intact, through
 *               the real rings and DMA mappings
 *   link        STATUS.LU
 */
#include <linux/bitfield.h>
#include <linux/delay.h>
#include <linux/dma-mapping.h>
#include <linux/interrupt.h>
#include <linux/iopoll.h>
#include <linux/rtnetlink.h>

#include "nicdrv.h"

enum {
	NICDRV_T_REG, NICDRV_T_EEPROM, NICDRV_T_IRQ, NICDRV_T_LOOP,
	NICDRV_T_LINK, NICDRV_T_COUNT
};

static const char nicdrv_test_names[NICDRV_T_COUNT][ETH_GSTRING_LEN] = {
	"register test (offline)", "eeprom test    (offline)",
	"interrupt test (offline)", "loopback test  (offline)",
	"link test      (on/offline)",
};

int nicdrv_selftest_count(void)
{
	return NICDRV_T_COUNT;
}

void nicdrv_selftest_strings(u8 *data)
{
	memcpy(data, nicdrv_test_names, sizeof(nicdrv_test_names));
}

/*
 * Registers that hold what is written, masked as QEMU masks them.  Not
 * TIDV: QEMU does not implement it (docs/design.md) and reads it as 0.
 */
static const struct { u16 reg; u32 mask; } nicdrv_test_regs[] = {
	{ NICDRV_RDBAL, 0xfffffff0 }, { NICDRV_RDBAH, 0xffffffff },
	{ NICDRV_RDLEN, 0x000fff80 }, { NICDRV_TDBAL, 0xfffffff0 },
	{ NICDRV_TDBAH, 0xffffffff }, { NICDRV_TDLEN, 0x000fff80 },
	{ NICDRV_RDTR, 0x0000ffff }, { NICDRV_MTA(0), 0xffffffff },
	{ NICDRV_VFTA(0), 0xffffffff },
};

static u64 nicdrv_test_registers(struct nicdrv_adapter *a)
{
	static const u32 patterns[] = { 0x5a5a5a5a, 0xa5a5a5a5, 0x00000000,
					0xffffffff };
	unsigned int i, p;
	u64 failed = 0;

	for (i = 0; i < ARRAY_SIZE(nicdrv_test_regs); i++) {
		u16 reg = nicdrv_test_regs[i].reg;
		u32 mask = nicdrv_test_regs[i].mask;
		u32 saved = nicdrv_rd(a, reg);

		for (p = 0; p < ARRAY_SIZE(patterns); p++) {
			nicdrv_wr(a, reg, patterns[p] & mask);
			if ((nicdrv_rd(a, reg) & mask) != (patterns[p] & mask)) {
				netdev_err(a->netdev, "self-test: register 0x%04x: wrote %08x, read %08x\n",
					   reg, patterns[p] & mask,
					   nicdrv_rd(a, reg));
				failed++;
			}
		}
		nicdrv_wr(a, reg, saved);
	}
	return failed;
}

static u64 nicdrv_test_eeprom(struct nicdrv_adapter *a)
{
	u8 mac[ETH_ALEN];

	return nicdrv_hw_read_mac(a, mac) ? 1 : 0;
}

static irqreturn_t nicdrv_test_intr(int irq, void *data)
{
	struct nicdrv_adapter *a = data;
	u32 icr = nicdrv_rd(a, NICDRV_ICR);

	if (!icr || icr == ~0u)
		return IRQ_NONE;
	if (icr & NICDRV_INT_TXQE)
		WRITE_ONCE(a->test_irq, true);
	return IRQ_HANDLED;
}

/* Raise TXQE through ICS (SDM 13.4.19) and wait for the handler to see it */
static u64 nicdrv_test_interrupt(struct nicdrv_adapter *a)
{
	unsigned int tries;
	u64 failed = 1;

	if (request_irq(a->pdev->irq, nicdrv_test_intr, IRQF_SHARED,
			a->netdev->name, a))
		return 1;
	WRITE_ONCE(a->test_irq, false);
	nicdrv_wr(a, NICDRV_IMS, NICDRV_INT_TXQE);
	nicdrv_wr(a, NICDRV_ICS, NICDRV_INT_TXQE);
	for (tries = 0; tries < 100 && failed; tries++) {
		if (READ_ONCE(a->test_irq))
			failed = 0;
		else
			usleep_range(10000, 20000);
	}
	nicdrv_irq_disable(a);
	free_irq(a->pdev->irq, a);
	return failed;
}

/*
 * One broadcast frame with a counting pattern, sent with the PHY in
 * loopback; the NIC puts it in RX buffer 0.  No IRQ, no NAPI: descriptor
 * 0 of each ring is polled for DD.
 */
#define NICDRV_TEST_LEN	1000

/* A broadcast frame with a counting pattern, from the device's address */
static u8 *nicdrv_test_frame(struct nicdrv_adapter *a)
{
	u8 *frame = kmalloc(NICDRV_TEST_LEN, GFP_KERNEL);
	unsigned int i;

	if (!frame)
		return NULL;
	eth_broadcast_addr(frame);
	ether_addr_copy(frame + ETH_ALEN, a->netdev->dev_addr);
	frame[12] = 0x88;	/* local experimental EtherType 0x88b5 */
	frame[13] = 0xb5;
	for (i = ETH_HLEN; i < NICDRV_TEST_LEN; i++)
		frame[i] = i & 0xff;
	return frame;
}

/*
 * Send the mapped frame from TX descriptor 0, wait up to 3 s for DD in RX
 * descriptor 0, and compare.  Returns 0 if the same frame came back.
 */
static u64 nicdrv_test_echo(struct nicdrv_adapter *a, dma_addr_t dma,
			    const u8 *frame)
{
	struct nicdrv_tx_desc *txd = &a->tx.desc[0];
	struct nicdrv_rx_desc *rxd = &a->rx.desc[0];
	u16 id = a->rx.buf_id[0];
	u8 status;

	txd->buffer_addr = cpu_to_le64(dma);
	txd->lower = cpu_to_le32(NICDRV_TXD_CMD_DEXT | NICDRV_TXD_DTYP_D |
				 NICDRV_TXD_CMD_IFCS | NICDRV_TXD_CMD_EOP |
				 NICDRV_TXD_CMD_RS |
				 FIELD_PREP(NICDRV_TXD_LEN, NICDRV_TEST_LEN));
	txd->upper = 0;
	dma_wmb();
	nicdrv_wr(a, NICDRV_TDT, 1);

	if (read_poll_timeout(READ_ONCE, status, status & NICDRV_RXD_STAT_DD,
			      10000, 3 * USEC_PER_SEC, false, rxd->status))
		return 1;
	dma_rmb();	/* the descriptor's other fields after DD */
	nicdrv_pool_sync_for_cpu(a->rx.pool, id, NICDRV_TEST_LEN);
	return le16_to_cpu(rxd->length) != NICDRV_TEST_LEN ||
	       memcmp(nicdrv_pool_buf_va(a->rx.pool, id) + a->rx.pool->headroom,
		      frame, NICDRV_TEST_LEN);
}

static u64 nicdrv_test_loopback(struct nicdrv_adapter *a)
{
	struct device *dev = &a->pdev->dev;
	dma_addr_t dma;
	u64 failed = 1;
	u8 *frame;

	frame = nicdrv_test_frame(a);
	if (!frame)
		return 1;
	dma = dma_map_single(dev, frame, NICDRV_TEST_LEN, DMA_TO_DEVICE);
	if (dma_mapping_error(dev, dma))
		goto out_free;

	if (nicdrv_alloc_rings(dev, &a->tx, &a->rx, NICDRV_MIN_RING,
			       NICDRV_MIN_RING, false))
		goto out_unmap;
	/* The PHY keeps loopback across the MAC reset in nicdrv_program() */
	if (nicdrv_hw_set_loopback(a, true))
		goto out_rings;
	nicdrv_program(a);
	nicdrv_hw_set_rctl(a, nicdrv_hw_rctl_base(a));
	/*
	 * QEMU discards a looped-back frame while its receiver is stopped,
	 * and it stops for 1 s after every RCTL write: wait that out.
	 */
	msleep(1100);
	failed = nicdrv_test_echo(a, dma, frame);
	nicdrv_hw_set_loopback(a, false);
out_rings:
	nicdrv_hw_reset(a);
	nicdrv_free_rings(dev, &a->tx, &a->rx);
out_unmap:
	dma_unmap_single(dev, dma, NICDRV_TEST_LEN, DMA_TO_DEVICE);
out_free:
	kfree(frame);
	return failed;
}

static u64 nicdrv_test_link(struct nicdrv_adapter *a)
{
	return nicdrv_hw_link_up(a) ? 0 : 1;
}

/* Under RTNL (ethtool) */
void nicdrv_selftest(struct net_device *netdev, struct ethtool_test *test,
		     u64 *data)
{
	struct nicdrv_adapter *a = netdev_priv(netdev);
	bool running = netif_running(netdev);
	unsigned int i;

	memset(data, 0, NICDRV_T_COUNT * sizeof(*data));
	if (test->flags & ETH_TEST_FL_OFFLINE) {
		if (running)
			dev_close(netdev);
		data[NICDRV_T_REG] = nicdrv_test_registers(a);
		data[NICDRV_T_EEPROM] = nicdrv_test_eeprom(a);
		data[NICDRV_T_IRQ] = nicdrv_test_interrupt(a);
		data[NICDRV_T_LOOP] = nicdrv_test_loopback(a);
		data[NICDRV_T_LINK] = nicdrv_test_link(a);
		nicdrv_hw_reset(a);
		if (running && dev_open(netdev, NULL))
			data[NICDRV_T_LINK] = 1;
	} else {
		data[NICDRV_T_LINK] = nicdrv_test_link(a);
	}
	for (i = 0; i < NICDRV_T_COUNT; i++)
		if (data[i])
			test->flags |= ETH_TEST_FL_FAILED;
}
