/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Registers and descriptor formats of the Intel 8254x (82540EM) as QEMU
 * emulates them.  Section numbers refer to the "PCI/PCI-X Family of Gigabit
 * Ethernet Controllers Software Developer's Manual" (8254x SDM, rev. 4.0).
 * Only what nicdrv uses is defined here.
 */
#ifndef NICDRV_HW_H
#define NICDRV_HW_H

#include <linux/bitfield.h>
#include <linux/bits.h>
#include <linux/types.h>

/* PCI IDs (SDM 5.1): QEMU's "e1000" device is an 82540EM. */
#define NICDRV_VENDOR_INTEL	0x8086
#define NICDRV_DEV_82540EM	0x100e

/* ---- General registers (SDM 13.4) ---- */
#define NICDRV_CTRL		0x0000	/* Device Control, 13.4.1 */
#define NICDRV_STATUS		0x0008	/* Device Status, 13.4.2 */
#define NICDRV_EECD		0x0010	/* EEPROM/Flash Control, 13.4.3 */
#define NICDRV_EERD		0x0014	/* EEPROM Read, 13.4.4 */
#define NICDRV_MDIC		0x0020	/* MDI Control, 13.4.7 */
#define NICDRV_ICR		0x00c0	/* Interrupt Cause Read, 13.4.17 */
#define NICDRV_ITR		0x00c4	/* Interrupt Throttling, 13.4.18 */
#define NICDRV_ICS		0x00c8	/* Interrupt Cause Set, 13.4.19 */
#define NICDRV_IMS		0x00d0	/* Interrupt Mask Set/Read, 13.4.20 */
#define NICDRV_IMC		0x00d8	/* Interrupt Mask Clear, 13.4.21 */
#define NICDRV_RCTL		0x0100	/* Receive Control, 13.4.22 */
#define NICDRV_TCTL		0x0400	/* Transmit Control, 13.4.33 */
#define NICDRV_TIPG		0x0410	/* Transmit IPG, 13.4.34 */
#define NICDRV_LEDCTL		0x0e00	/* LED Control, 13.4.35 */
#define NICDRV_CTRL_EXT		0x0018	/* Extended Device Control, 13.4.6 */

/* Receive ring registers (SDM 13.4.27 - 13.4.31) */
#define NICDRV_RDBAL		0x2800
#define NICDRV_RDBAH		0x2804
#define NICDRV_RDLEN		0x2808
#define NICDRV_RDH		0x2810
#define NICDRV_RDT		0x2818
#define NICDRV_RDTR		0x2820	/* RX Delay Timer, 13.4.30 */
#define NICDRV_RADV		0x282c	/* RX Absolute Delay Timer, 13.4.31 */

/* Transmit ring registers (SDM 13.4.38 - 13.4.44) */
#define NICDRV_TDBAL		0x3800
#define NICDRV_TDBAH		0x3804
#define NICDRV_TDLEN		0x3808
#define NICDRV_TDH		0x3810
#define NICDRV_TDT		0x3818
#define NICDRV_TIDV		0x3820	/* TX Interrupt Delay, 13.4.43 */
#define NICDRV_TADV		0x382c	/* TX Absolute Delay, 13.4.44 */

/* Filter tables (SDM 13.5.1 - 13.5.3) */
#define NICDRV_MTA(i)		(0x5200 + 4 * (i))	/* Multicast Table */
#define NICDRV_MTA_WORDS	128
#define NICDRV_RAL(i)		(0x5400 + 8 * (i))	/* Receive Address Low */
#define NICDRV_RAH(i)		(0x5404 + 8 * (i))	/* Receive Address High */
#define NICDRV_RA_ENTRIES	16
#define NICDRV_VFTA(i)		(0x5600 + 4 * (i))	/* VLAN Filter Table */
#define NICDRV_VFTA_WORDS	128

/*
 * Statistics (SDM 13.7), the ones QEMU maintains.  32-bit and clear on
 * read, except: the byte counters are 64-bit pairs (reading the high half
 * clears both, so the low half goes first), and QEMU's MPC and RNBC keep
 * counting instead of clearing on read.
 */
#define NICDRV_CRCERRS		0x4000	/* CRC Errors, 13.7.1 */
#define NICDRV_ALGNERRC		0x4004	/* Alignment Errors, 13.7.2 */
#define NICDRV_MPC		0x4010	/* Missed Packets, 13.7.4 */
#define NICDRV_SCC		0x4014	/* Single Collisions, 13.7.5 */
#define NICDRV_ECOL		0x4018	/* Excessive Collisions, 13.7.6 */
#define NICDRV_MCC		0x401c	/* Multiple Collisions, 13.7.7 */
#define NICDRV_LATECOL		0x4020	/* Late Collisions, 13.7.8 */
#define NICDRV_DC		0x4030	/* Defers, 13.7.10 */
#define NICDRV_XONRXC		0x4048	/* XON Received (PAUSE frames) */
#define NICDRV_XONTXC		0x404c	/* XON Transmitted */
#define NICDRV_XOFFRXC		0x4050	/* XOFF Received */
#define NICDRV_XOFFTXC		0x4054	/* XOFF Transmitted */
#define NICDRV_FCRUC		0x4058	/* Unsupported flow control frames */
#define NICDRV_PRC64		0x405c	/* Packets Received by size, 13.7.12.. */
#define NICDRV_PRC127		0x4060
#define NICDRV_PRC255		0x4064
#define NICDRV_PRC511		0x4068
#define NICDRV_PRC1023		0x406c
#define NICDRV_PRC1522		0x4070
#define NICDRV_GPRC		0x4074	/* Good Packets Received, 13.7.18 */
#define NICDRV_BPRC		0x4078	/* Broadcast Packets Received */
#define NICDRV_MPRC		0x407c	/* Multicast Packets Received */
#define NICDRV_GPTC		0x4080	/* Good Packets Transmitted */
#define NICDRV_GORCL		0x4088	/* Good Octets Received (64-bit) */
#define NICDRV_GOTCL		0x4090	/* Good Octets Transmitted (64-bit) */
#define NICDRV_RNBC		0x40a0	/* Receive No Buffers, 13.7.26 */
#define NICDRV_RUC		0x40a4	/* Receive Undersize */
#define NICDRV_RFC		0x40a8	/* Receive Fragments */
#define NICDRV_ROC		0x40ac	/* Receive Oversize */
#define NICDRV_RJC		0x40b0	/* Receive Jabber */
#define NICDRV_TORL		0x40c0	/* Total Octets Received (64-bit) */
#define NICDRV_TOTL		0x40c8	/* Total Octets Transmitted (64-bit) */
#define NICDRV_TPR		0x40d0	/* Total Packets Received */
#define NICDRV_TPT		0x40d4	/* Total Packets Transmitted */
#define NICDRV_PTC64		0x40d8	/* Packets Transmitted by size, 13.7.40.. */
#define NICDRV_PTC127		0x40dc
#define NICDRV_PTC255		0x40e0
#define NICDRV_PTC511		0x40e4
#define NICDRV_PTC1023		0x40e8
#define NICDRV_PTC1522		0x40ec
#define NICDRV_MPTC		0x40f0	/* Multicast Packets Transmitted */
#define NICDRV_BPTC		0x40f4	/* Broadcast Packets Transmitted */
#define NICDRV_TSCTC		0x40f8	/* TCP Segmentation Context Tx */

/* ---- Register bits ---- */

/* CTRL (SDM 13.4.1) */
#define NICDRV_CTRL_FD		BIT(0)	/* full duplex */
#define NICDRV_CTRL_ASDE	BIT(5)	/* auto-speed detection enable */
#define NICDRV_CTRL_SLU		BIT(6)	/* set link up */
#define NICDRV_CTRL_RST		BIT(26)	/* device reset: QEMU only clears it */
#define NICDRV_CTRL_RFCE	BIT(27)	/* act on received PAUSE frames */
#define NICDRV_CTRL_TFCE	BIT(28)	/* send PAUSE frames */
#define NICDRV_CTRL_VME		BIT(30)	/* VLAN mode enable */
#define NICDRV_CTRL_PHY_RST	BIT(31)

/* STATUS (SDM 13.4.2) */
#define NICDRV_STATUS_FD	BIT(0)
#define NICDRV_STATUS_LU	BIT(1)	/* link up */
#define NICDRV_STATUS_SPEED	GENMASK(7, 6)	/* 00 10, 01 100, 1x 1000 Mb/s */

/* EERD (SDM 13.4.4): 82540EM layout */
#define NICDRV_EERD_START	BIT(0)
#define NICDRV_EERD_DONE	BIT(4)
#define NICDRV_EERD_ADDR	GENMASK(15, 8)
#define NICDRV_EERD_DATA	GENMASK(31, 16)

/* MDIC (SDM 13.4.7): one PHY register access at a time */
#define NICDRV_MDIC_DATA	GENMASK(15, 0)
#define NICDRV_MDIC_REGADD	GENMASK(20, 16)
#define NICDRV_MDIC_PHYADD	GENMASK(25, 21)
#define NICDRV_MDIC_OP		GENMASK(27, 26)	/* 01 write, 10 read */
#define NICDRV_MDIC_OP_WRITE	1
#define NICDRV_MDIC_OP_READ	2
#define NICDRV_MDIC_READY	BIT(28)
#define NICDRV_MDIC_ERROR	BIT(30)
#define NICDRV_PHY_ADDR		1	/* the internal PHY (SDM 13.4.7) */

/* EEPROM layout (SDM 5.6): words 0-2 hold the MAC, all 64 words sum to 0xBABA */
#define NICDRV_EEPROM_WORDS	64
#define NICDRV_EEPROM_SUM	0xbaba

/* Interrupt causes, shared by ICR/ICS/IMS/IMC (SDM 13.4.17) */
#define NICDRV_INT_TXDW		BIT(0)	/* TX descriptor written back */
#define NICDRV_INT_TXQE		BIT(1)	/* TX queue empty */
#define NICDRV_INT_LSC		BIT(2)	/* link status change */
#define NICDRV_INT_RXDMT0	BIT(4)	/* RX descriptor minimum threshold */
#define NICDRV_INT_RXO		BIT(6)	/* receiver overrun */
#define NICDRV_INT_RXT0		BIT(7)	/* receiver timer */
#define NICDRV_INT_ALL		GENMASK(16, 0)

/* RCTL (SDM 13.4.22) */
#define NICDRV_RCTL_EN		BIT(1)
#define NICDRV_RCTL_SBP		BIT(2)	/* store bad packets */
#define NICDRV_RCTL_UPE		BIT(3)	/* unicast promiscuous */
#define NICDRV_RCTL_MPE		BIT(4)	/* multicast promiscuous */
#define NICDRV_RCTL_LPE		BIT(5)	/* long packet enable (> 1522) */
#define NICDRV_RCTL_RDMTS_HALF	(0 << 8)	/* RXDMT0 at 1/2 ring free */
#define NICDRV_RCTL_MO_36	(0 << 12)	/* MTA hash on bits 47:36 */
#define NICDRV_RCTL_BAM		BIT(15)	/* accept broadcast */
#define NICDRV_RCTL_BSIZE_2048	(0 << 16)	/* with BSEX = 0 */
#define NICDRV_RCTL_BSIZE_1024	BIT(16)	/* BSIZE field (17:16) = 01 */
#define NICDRV_RCTL_VFE		BIT(18)	/* VLAN filter enable */
#define NICDRV_RCTL_BSEX	BIT(25)
#define NICDRV_RCTL_SECRC	BIT(26)	/* strip Ethernet CRC */

/* TCTL (SDM 13.4.33) */
#define NICDRV_TCTL_EN		BIT(1)
#define NICDRV_TCTL_PSP		BIT(3)	/* pad short packets */
#define NICDRV_TCTL_CT		GENMASK(11, 4)	/* collision threshold */
#define NICDRV_TCTL_COLD	GENMASK(21, 12)	/* collision distance */
#define NICDRV_TCTL_RTLC	BIT(24)	/* retransmit on late collision */

/*
 * TIPG (SDM 13.4.34): IPGT 10, IPGR1 8, IPGR2 6 for 802.3 copper.  The
 * default is a FIELD_PREP() expression: for code, not constant expressions.
 */
#define NICDRV_TIPG_IPGT	GENMASK(9, 0)
#define NICDRV_TIPG_IPGR1	GENMASK(19, 10)
#define NICDRV_TIPG_IPGR2	GENMASK(29, 20)
#define NICDRV_TIPG_DEFAULT	(FIELD_PREP(NICDRV_TIPG_IPGT, 10) | \
				 FIELD_PREP(NICDRV_TIPG_IPGR1, 8) | \
				 FIELD_PREP(NICDRV_TIPG_IPGR2, 6))

/* LEDCTL (SDM 13.4.35): LED0's mode in bits 3:0 */
#define NICDRV_LEDCTL_LED0_MODE	GENMASK(3, 0)
#define NICDRV_LED_ON		0xe
#define NICDRV_LED_OFF		0xf

/* PHY control register (BMCR, IEEE 802.3 22.2.4.1): QEMU honours loopback */
#define NICDRV_PHY_BMCR		0
#define NICDRV_BMCR_LOOPBACK	BIT(14)

/* RAH (SDM 13.5.2) */
#define NICDRV_RAH_AV		BIT(31)	/* address valid */

/* ---- Descriptors ---- */

/*
 * Receive descriptor (SDM 3.2.3).  The driver writes buffer_addr; the NIC
 * writes back length, csum, status, errors and special.  QEMU leaves errors
 * and csum untouched on write-back, so the driver zeroes them when it posts
 * the buffer.
 */
struct nicdrv_rx_desc {
	__le64 buffer_addr;
	__le16 length;
	__le16 csum;
	u8 status;
	u8 errors;
	__le16 special;
};

#define NICDRV_RXD_STAT_DD	BIT(0)	/* descriptor done */
#define NICDRV_RXD_STAT_EOP	BIT(1)	/* end of packet */
#define NICDRV_RXD_STAT_VP	BIT(3)	/* 802.1Q tag stripped into special */

/* Error bits (SDM 3.2.3.2): CE, SE, SEQ, CXE, RXE; TCPE/IPE are csum hints */
#define NICDRV_RXD_ERR_FRAME	(BIT(0) | BIT(1) | BIT(2) | BIT(4) | BIT(7))

/*
 * Transmit data descriptor (SDM 3.3.7, DEXT = 1, DTYP = 0001) and context
 * descriptor (SDM 3.3.6, DEXT = 1, DTYP = 0000) share the 16-byte slot.
 * QEMU ignores the legacy descriptor's CSO/CSS checksum insertion
 * (docs/design.md), so checksum offload needs the extended formats.
 */
struct nicdrv_tx_desc {
	__le64 buffer_addr;
	__le32 lower;	/* data: DTALEN 19:0, DTYP 23:20, DCMD 31:24 */
	__le32 upper;	/* data: STA 3:0, POPTS 15:8, VLAN 31:16 */
};

struct nicdrv_tx_ctx_desc {
	u8 ipcss;	/* IP checksum start */
	u8 ipcso;	/* IP checksum offset */
	__le16 ipcse;	/* IP checksum end */
	u8 tucss;	/* TCP/UDP checksum start */
	u8 tucso;	/* TCP/UDP checksum offset */
	__le16 tucse;	/* TCP/UDP checksum end, 0 = end of packet */
	__le32 cmd_and_length;	/* PAYLEN 19:0, DTYP 23:20, TUCMD 31:24 */
	u8 status;
	u8 hdr_len;
	__le16 mss;
};

/* DCMD / TUCMD bits as they sit in the descriptor's 'lower' dword */
#define NICDRV_TXD_CMD_EOP	BIT(24)	/* data: end of packet */
#define NICDRV_TXD_CMD_IFCS	BIT(25)	/* data: insert FCS */
#define NICDRV_TXD_CMD_TSE	BIT(26)	/* data and context: TCP segmentation */
#define NICDRV_TXD_CTX_TCP	BIT(24)	/* context: TCP (not UDP) */
#define NICDRV_TXD_CTX_IP	BIT(25)	/* context: IPv4 (not IPv6) */
#define NICDRV_TXD_CMD_RS	BIT(27)	/* report status: write back DD */
#define NICDRV_TXD_CMD_DEXT	BIT(29)	/* extended descriptor */
#define NICDRV_TXD_CMD_VLE	BIT(30)	/* insert VLAN tag from 'special' */
#define NICDRV_TXD_CMD_IDE	BIT(31)	/* interrupt delay enable (TADV) */
/* FIELD_PREP() values: for code only, not for constant expressions */
#define NICDRV_TXD_DTYP		GENMASK(23, 20)	/* descriptor type */
#define NICDRV_TXD_DTYP_D	FIELD_PREP(NICDRV_TXD_DTYP, 1)	/* data */
#define NICDRV_TXD_DTYP_C	FIELD_PREP(NICDRV_TXD_DTYP, 0)	/* context */
#define NICDRV_TXD_LEN		GENMASK(19, 0)	/* DTALEN, or the context's PAYLEN */

/* 'upper' dword of a data descriptor */
#define NICDRV_TXD_STAT_DD	BIT(0)
#define NICDRV_TXD_POPTS_IXSM	BIT(8)	/* insert IPv4 header checksum */
#define NICDRV_TXD_POPTS_TXSM	BIT(9)	/* insert TCP/UDP checksum */
#define NICDRV_TXD_VLAN		GENMASK(31, 16)	/* 'special': the tag VLE inserts */

#endif /* NICDRV_HW_H */
