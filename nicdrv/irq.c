// SPDX-License-Identifier: GPL-2.0
/*
 * nicdrv: interrupts, NAPI and moderation.
 *
 * The 82540EM has one interrupt line (legacy INTx, maybe shared) and one
 * cause register, ICR, which clears on read (SDM 13.4.17).  The handler
 * masks every cause (IMC) and schedules NAPI; the poll reclaims TX,
 * receives, and unmasks (IMS) once it has caught up.  Around that:
 *   - adaptive moderation picks ITR from the packet rate (nicdrv_aim());
 *   - lazy TX completion masks TXDW while little is received and reclaims
 *     TX from a timer and from xmit instead (nicdrv.h);
 *   - nicdrv_quiesce() stops all of it before the NIC is reset.
 */
#include <linux/interrupt.h>
#include <linux/netdevice.h>

#include "nicdrv.h"

void nicdrv_link_update(struct nicdrv_adapter *a)
{
	bool up = nicdrv_hw_link_up(a);

	if (up == netif_carrier_ok(a->netdev))
		return;
	if (up)
		netif_carrier_on(a->netdev);
	else
		netif_carrier_off(a->netdev);
	netif_info(a, link, a->netdev, "link %s\n", up ? "up" : "down");
}

/* Unmask the causes nicdrv handles (IMS, SDM 13.4.20); TXDW unless lazy */
void nicdrv_irq_enable(struct nicdrv_adapter *a)
{
	nicdrv_wr(a, NICDRV_IMS, NICDRV_IMS_ENABLE |
		  (READ_ONCE(a->tx_lazy) ? 0 : NICDRV_INT_TXDW));
}

/* Mask every cause (IMC, SDM 13.4.21), and know it is masked on return */
void nicdrv_irq_disable(struct nicdrv_adapter *a)
{
	nicdrv_wr(a, NICDRV_IMC, ~0u);
	nicdrv_rd(a, NICDRV_STATUS);	/* flush: the mask is in place now */
}

/*
 * Interrupt moderation (SDM 13.4.18): ITR sets the smallest gap between
 * interrupts; QEMU keeps at least 128 us whatever it says.  TADV (SDM
 * 13.4.44) stays 0: no descriptor asks for a delayed interrupt (IDE).
 * Whether TXDW is masked is nicdrv_aim()'s and nicdrv_irq_enable()'s
 * business.
 */
void nicdrv_irq_set_itr(struct nicdrv_adapter *a)
{
	nicdrv_wr(a, NICDRV_ITR, READ_ONCE(a->itr_cur));
	nicdrv_wr(a, NICDRV_TADV, 0);
}

/*
 * INTx may be shared: ICR == 0 means the interrupt was not ours.  Reading
 * ICR clears it (SDM 13.4.17).  All-ones means the device is gone.
 */
irqreturn_t nicdrv_intr(int irq, void *data)
{
	struct nicdrv_adapter *a = data;
	u32 icr = nicdrv_rd(a, NICDRV_ICR);

	if (!icr || icr == ~0u)
		return IRQ_NONE;

	u64_stats_update_begin(&a->isyncp);
	a->istats.irqs++;
	if (icr & NICDRV_INT_LSC)
		a->istats.lsc++;
	u64_stats_update_end(&a->isyncp);

	if (icr & NICDRV_INT_LSC)
		nicdrv_link_update(a);

	/* Mask everything until NAPI has caught up; the poll unmasks */
	if (napi_schedule_prep(&a->napi)) {
		nicdrv_wr(a, NICDRV_IMC, ~0u);
		/* After the IMC: a poll that sees it unmasks after the IMC */
		WRITE_ONCE(a->ims_due, true);
		__napi_schedule_irqoff(&a->napi);
	}
	return IRQ_HANDLED;
}

/*
 * Every NICDRV_AIM_PERIOD at NAPI completion: pick the TX completion mode
 * and, with adaptive moderation, ITR from the packet rates (nicdrv.h).
 */
static void nicdrv_aim(struct nicdrv_adapter *a)
{
	u64 now = ktime_get_mono_fast_ns();
	u64 rx_pkts, pkts, rate, rx_rate;
	bool lazy;
	u32 itr;

	if (now - a->aim_stamp < NICDRV_AIM_PERIOD_NS)
		return;
	/* Both counters are written by NAPI only: no sync needed here */
	rx_pkts = a->rx.stats.packets;
	pkts = rx_pkts + a->tx.stats.packets;
	rate = div64_u64((pkts - a->aim_pkts) * NSEC_PER_SEC,
			 now - a->aim_stamp);
	rx_rate = div64_u64((rx_pkts - a->aim_rx_pkts) * NSEC_PER_SEC,
			    now - a->aim_stamp);
	a->aim_stamp = now;
	a->aim_pkts = pkts;
	a->aim_rx_pkts = rx_pkts;

	lazy = READ_ONCE(a->tx_usecs) && rx_rate < NICDRV_LAZY_TX_RX_PPS;
	if (lazy != READ_ONCE(a->tx_lazy)) {
		WRITE_ONCE(a->tx_lazy, lazy);
		/*
		 * nicdrv_irq_enable() sets TXDW again when it is wanted.
		 * Masking it, arm the timer for what an xmit that still saw
		 * TXDW mode may have left behind.
		 */
		if (lazy) {
			nicdrv_wr(a, NICDRV_IMC, NICDRV_INT_TXDW);
			nicdrv_tx_timer_arm(a, READ_ONCE(a->tx_usecs));
		} else {
			WRITE_ONCE(a->ims_due, true);
		}
	}

	if (!READ_ONCE(a->adaptive_rx))
		return;
	itr = READ_ONCE(a->itr_cur);
	if (rate < NICDRV_AIM_LOW_PPS)
		itr = 0;
	else if (rate > NICDRV_AIM_HIGH_PPS)
		itr = READ_ONCE(a->itr);
	if (itr != READ_ONCE(a->itr_cur)) {
		WRITE_ONCE(a->itr_cur, itr);
		nicdrv_wr(a, NICDRV_ITR, itr);
	}
}

/*
 * ethtool -C, values checked.  Lazy completion starts again only once NAPI
 * has measured the receive rate; adaptive moderation starts from low
 * latency, and the next period corrects it.  Until then TXDW interrupts
 * complete TX, so TXDW is unmasked now.
 */
void nicdrv_irq_set_moderation(struct nicdrv_adapter *a, u32 rx_usecs,
			       u32 tx_usecs, bool adaptive)
{
	a->rx_usecs = rx_usecs;
	WRITE_ONCE(a->tx_usecs, tx_usecs);
	WRITE_ONCE(a->tx_lazy, false);
	WRITE_ONCE(a->itr, NICDRV_USECS_TO_ITR(rx_usecs));
	WRITE_ONCE(a->adaptive_rx, adaptive);
	WRITE_ONCE(a->itr_cur, adaptive ? 0 : a->itr);
	if (netif_running(a->netdev)) {
		nicdrv_irq_set_itr(a);
		nicdrv_wr(a, NICDRV_IMS, NICDRV_INT_TXDW);
	}
}

/*
 * The reclaim timer's period while lazy completion is on, else 0.  tx-usecs
 * 0 with tx_lazy still set means ethtool -C is switching lazy completion
 * off: TXDW interrupts take over, and a 0 ns timer would only spin.
 */
static u32 nicdrv_tx_lazy_usecs(struct nicdrv_adapter *a)
{
	return READ_ONCE(a->tx_lazy) ? READ_ONCE(a->tx_usecs) : 0;
}

int nicdrv_poll(struct napi_struct *napi, int budget)
{
	struct nicdrv_adapter *a = container_of(napi, struct nicdrv_adapter, napi);
	bool tx_done;
	u32 usecs;
	int work;

	tx_done = nicdrv_clean_tx(a, budget);
	work = nicdrv_clean_rx(a, budget);
	/* AF_XDP zero-copy (xsk.c): the socket's frames to send */
	if (unlikely(READ_ONCE(a->xsk_pool)))
		tx_done &= nicdrv_xsk_xmit(a, budget);
	if (!tx_done)
		return budget;	/* more TX to reclaim: poll again */
	if (work == budget)
		return budget;
	/*
	 * Unmask only if something masked: a poll that the reclaim timer or
	 * xmit started finds IMS as it was, and the write would be an MMIO
	 * exit for nothing (one per ping).
	 */
	if (napi_complete_done(napi, work)) {
		nicdrv_aim(a);
		if (xchg(&a->ims_due, false))
			nicdrv_irq_enable(a);
		/*
		 * Lazy completion: frames the NIC had not finished when this
		 * poll looked need another one; without this a ring that stays
		 * busy after the timer's poll waits for RX or the watchdog.
		 */
		usecs = nicdrv_tx_lazy_usecs(a);
		if (usecs && !nicdrv_tx_idle(&a->tx) &&
		    !hrtimer_is_queued(&a->tx_timer))
			nicdrv_tx_timer_arm(a, usecs);
	}
	return work;
}

/* (Re)arm the reclaim timer to expire tx-usecs from now */
void nicdrv_tx_timer_arm(struct nicdrv_adapter *a, u32 usecs)
{
	hrtimer_start(&a->tx_timer, ns_to_ktime((u64)usecs * NSEC_PER_USEC),
		      HRTIMER_MODE_REL);
}

/*
 * Lazy completion (nicdrv.h): with TXDW masked, make sure NAPI comes for
 * what was just queued.  The timer is armed whenever it is idle, so the
 * last frame of a burst waits tx-usecs at most; a long burst schedules
 * NAPI every NICDRV_TX_KICK descriptors (a no-op while it is scheduled).
 * nicdrv_tx_reclaim_later() (nicdrv.h) calls this only when one of those
 * may be due.
 */
void nicdrv_tx_reclaim_slow(struct nicdrv_adapter *a, struct nicdrv_tx_ring *tx,
			    struct netdev_queue *txq)
{
	u32 usecs = nicdrv_tx_lazy_usecs(a);

	if (!usecs)
		return;		/* TXDW interrupts do it */
	/* A stopped queue needs NAPI even if it is running: it polls again */
	if (netif_tx_queue_stopped(txq) ||
	    (nicdrv_tx_pending(tx) >= nicdrv_tx_kick(tx) &&
	     !test_bit(NAPI_STATE_SCHED, &a->napi.state))) {
		napi_schedule(&a->napi);
		u64_stats_update_begin(&tx->xsyncp);
		tx->xstats.kicks++;
		u64_stats_update_end(&tx->xsyncp);
	}
	if (!hrtimer_is_queued(&a->tx_timer))
		nicdrv_tx_timer_arm(a, usecs);
}

/* The reclaim timer expired: NAPI takes what the NIC has completed */
enum hrtimer_restart nicdrv_tx_timer(struct hrtimer *t)
{
	struct nicdrv_adapter *a = container_of(t, struct nicdrv_adapter,
						tx_timer);

	napi_schedule(&a->napi);
	return HRTIMER_NORESTART;
}

/*
 * Stop every path into the rings but the hardware's: NAPI, xmit and the
 * reclaim timer.  napi_disable() returns once the poll has called
 * napi_complete_done(), but the poll goes on after that: it may still
 * write IMS and ITR and arm the reclaim timer.  A poll runs with bottom
 * halves off, an RCU read-side section, so synchronize_net() waits for
 * its end; only then are the timer and the interrupt mask final, and
 * the reset that follows (nicdrv_halt()) leaves interrupts masked.  NAPI
 * goes before xmit: no poll can wake the queue once it is stopped (a
 * resize keeps netif_running() true, so nicdrv_clean_tx() would restart
 * xmit on the rings being replaced; the debug kernel's KASAN caught
 * that).  No xmit can arm the timer after netif_tx_disable(); a late
 * expiry finds NAPI disabled.  Under RTNL.
 */
void nicdrv_quiesce(struct nicdrv_adapter *a)
{
	napi_disable(&a->napi);
	synchronize_net();
	netif_tx_disable(a->netdev);
	hrtimer_cancel(&a->tx_timer);
}
