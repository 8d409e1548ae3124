// SPDX-License-Identifier: GPL-2.0
/*
 * nicdrv-xsk: receive or send through an AF_XDP socket on queue 0, in
 * zero-copy mode by default, with libxdp's xsk API; reports rates and
 * drops.  docs/xdp.md ("AF_XDP") explains what the driver does.
 *
 *   nicdrv-xsk rx IFACE [-c] [-S] [-W] [-t SECONDS] [-n FRAMES] [-p PORT]
 *	receives every frame of queue 0 (libxdp's default program sends
 *	them all to the socket) for SECONDS (default 5) or until FRAMES
 *	came; with -p, checks the payload of every UDP datagram to PORT
 *	in udpseq's format (qemu-tests/udpseq.c)
 *   nicdrv-xsk tx IFACE -d DST_IP -m DST_MAC -s SRC_IP -p PORT
 *		[-l SIZE[,SIZE...]] [-n FRAMES] [-t SECONDS] [-H] [-c] [-W]
 *	sends udpseq datagrams of the sizes in turn (default 64) until
 *	FRAMES are sent or SECONDS passed, from UMEM frames, with no XDP
 *	program loaded; the peer checks them with udpseq recv
 *
 *   -H  tx: hold the socket open until SECONDS passed, even when done
 *   -c  copy mode (XDP_COPY) instead of XDP_ZEROCOPY
 *   -S  rx: libxdp's program in generic (skb) mode, for drivers without
 *       native XDP; implies -c
 *   -W  without need_wakeup: the driver polls, the socket never wakes it
 *   -f  UMEM frame size, 2048 or 4096 (default)
 *
 * The last line of output is "key value" pairs, for the tests and the
 * benchmark.  Exit status: 0, or 1 with a message on stderr.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <linux/if_ether.h>
#include <linux/if_link.h>
#include <linux/if_xdp.h>
#include <linux/ip.h>
#include <linux/udp.h>
#include <net/if.h>
#include <netinet/ether.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <xdp/xsk.h>

#define NFRAMES		4096
#define BATCH		64
#define MAX_SEQ		16777216	/* as udpseq: more than a test sends */

/* udpseq's datagram: its sequence number, its length, then the pattern */
struct seqhdr {
	uint32_t seq;
	uint32_t len;
};

static uint8_t pattern(uint32_t seq, uint32_t len, size_t k)
{
	return (uint8_t)(seq * 131 + len * 7 + k * 13 + (k >> 8));
}

struct opts {
	const char *cmd, *ifname;
	int copy, no_wakeup, port, hold, skb_mode;
	unsigned int frame_size;
	double secs;
	uint64_t max;
	struct in_addr src, dst;
	struct ether_addr dmac;
	int have_dst, have_src, have_dmac;
	unsigned int sizes[16], nsizes;
};

struct xsk {
	void *area;
	struct xsk_umem *umem;
	struct xsk_socket *sock;
	struct xsk_ring_prod fq, tx;
	struct xsk_ring_cons cq, rx;
	int zc;
};

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void die(const char *what, int err)
{
	fprintf(stderr, "nicdrv-xsk: %s: %s\n", what, strerror(err));
	exit(1);
}

static void help(void)
{
	fputs("usage: nicdrv-xsk rx IFACE [-cSW] [-f SIZE] [-t SECS] [-n FRAMES] [-p PORT]\n"
	      "       nicdrv-xsk tx IFACE -d DST_IP -m DST_MAC -s SRC_IP -p PORT\n"
	      "           [-l SIZE[,SIZE...]] [-n FRAMES] [-t SECS] [-HcW] [-f SIZE]\n",
	      stderr);
	exit(1);
}

static void xsk_open(struct xsk *x, const struct opts *o, int rx)
{
	struct xsk_umem_config ucfg = {
		.fill_size = NFRAMES / 2,
		.comp_size = NFRAMES / 2,
		.frame_size = o->frame_size,
		.frame_headroom = 0,
	};
	struct xsk_socket_config cfg = {
		.rx_size = NFRAMES / 2,
		.tx_size = NFRAMES / 2,
		.xdp_flags = o->skb_mode ? XDP_FLAGS_SKB_MODE : XDP_FLAGS_DRV_MODE,
		.bind_flags = (o->copy ? XDP_COPY : XDP_ZEROCOPY) |
			      (o->no_wakeup ? 0 : XDP_USE_NEED_WAKEUP),
		/* Sending needs no program; receiving uses libxdp's own */
		.libxdp_flags = rx ? 0 : XSK_LIBXDP_FLAGS__INHIBIT_PROG_LOAD,
	};
	struct xdp_options xo;
	socklen_t len = sizeof(xo);
	size_t size = (size_t)NFRAMES * o->frame_size;
	int err;

	/* libxdp leaves the rings' cached indexes to the caller: zero them */
	memset(x, 0, sizeof(*x));
	x->area = mmap(NULL, size, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (x->area == MAP_FAILED)
		die("mmap", errno);
	err = xsk_umem__create(&x->umem, x->area, size, &x->fq, &x->cq, &ucfg);
	if (err)
		die("xsk_umem__create", -err);
	err = xsk_socket__create(&x->sock, o->ifname, 0, x->umem,
				 rx ? &x->rx : NULL, rx ? NULL : &x->tx, &cfg);
	if (err) {
		if (-err == EOPNOTSUPP && !o->copy)
			fprintf(stderr,
				"nicdrv-xsk: %s: no zero-copy (see dmesg); -c: copy mode\n",
				o->ifname);
		die("xsk_socket__create", -err);
	}
	if (getsockopt(xsk_socket__fd(x->sock), SOL_XDP, XDP_OPTIONS, &xo,
		       &len))
		die("getsockopt XDP_OPTIONS", errno);
	x->zc = !!(xo.flags & XDP_OPTIONS_ZEROCOPY);
}

static void xsk_stats(struct xsk *x, struct xdp_statistics *st)
{
	socklen_t len = sizeof(*st);

	memset(st, 0, sizeof(*st));
	if (getsockopt(xsk_socket__fd(x->sock), SOL_XDP, XDP_STATISTICS, st,
		       &len))
		die("getsockopt XDP_STATISTICS", errno);
}

static void xsk_close(struct xsk *x, const struct opts *o)
{
	xsk_socket__delete(x->sock);
	xsk_umem__delete(x->umem);
	munmap(x->area, (size_t)NFRAMES * o->frame_size);
}

/* Give the fill ring as many of the n addresses as it has room for */
static unsigned int fill(struct xsk *x, uint64_t *addrs, unsigned int n)
{
	uint32_t idx;
	unsigned int i, k = xsk_ring_prod__reserve(&x->fq, n, &idx);

	for (i = 0; i < k; i++)
		*xsk_ring_prod__fill_addr(&x->fq, idx + i) = addrs[i];
	xsk_ring_prod__submit(&x->fq, k);
	return k;
}

struct check {
	uint8_t *seen;
	uint64_t unique, dup, bad, other;
};

/* One received frame: a udpseq datagram to port, checked, or another */
static void check_frame(struct check *c, const uint8_t *p, unsigned int len,
			int port)
{
	const struct ethhdr *eth = (const void *)p;
	const struct iphdr *ip = (const void *)(eth + 1);
	const struct udphdr *udp;
	const uint8_t *data;
	struct seqhdr h;
	unsigned int ihl, dlen;
	size_t k;

	if (len < sizeof(*eth) + sizeof(*ip) || eth->h_proto != htons(ETH_P_IP) ||
	    ip->protocol != IPPROTO_UDP)
		goto other;
	ihl = ip->ihl * 4;
	if (len < sizeof(*eth) + ihl + sizeof(*udp))
		goto other;
	udp = (const void *)((const uint8_t *)ip + ihl);
	if (ntohs(udp->dest) != port)
		goto other;
	data = (const uint8_t *)(udp + 1);
	dlen = ntohs(udp->len) - sizeof(*udp);
	if (sizeof(*eth) + ihl + sizeof(*udp) + dlen > len ||
	    dlen < sizeof(h)) {
		c->bad++;
		return;
	}
	memcpy(&h, data, sizeof(h));
	if (h.len != dlen || h.seq >= MAX_SEQ) {
		c->bad++;
		return;
	}
	for (k = sizeof(h); k < dlen; k++)
		if (data[k] != pattern(h.seq, h.len, k)) {
			c->bad++;
			return;
		}
	if (c->seen[h.seq / 8] & (1 << (h.seq % 8))) {
		c->dup++;
		return;
	}
	c->seen[h.seq / 8] |= 1 << (h.seq % 8);
	c->unique++;
	return;
other:
	c->other++;
}

static int do_rx(const struct opts *o)
{
	static uint64_t addrs[NFRAMES];
	struct check c = { 0 };
	struct xdp_statistics st;
	uint64_t frames = 0, bytes = 0, wakeups = 0;
	double t0, t1, end;
	struct xsk x;
	unsigned int i;

	c.seen = calloc(MAX_SEQ / 8, 1);
	if (!c.seen)
		die("calloc", ENOMEM);
	xsk_open(&x, o, 1);
	for (i = 0; i < NFRAMES / 2; i++)
		addrs[i] = (uint64_t)i * o->frame_size;
	fill(&x, addrs, NFRAMES / 2);
	printf("listening on %s queue 0, %s mode, need_wakeup %s\n", o->ifname,
	       x.zc ? "zero-copy" : "copy", o->no_wakeup ? "off" : "on");
	fflush(stdout);
	t0 = now_s();
	t1 = t0;
	end = t0 + o->secs;
	while (!stop && now_s() < end && (!o->max || frames < o->max)) {
		uint32_t idx;
		unsigned int n = xsk_ring_cons__peek(&x.rx, BATCH, &idx);

		if (!n) {
			if (xsk_ring_prod__needs_wakeup(&x.fq)) {
				struct pollfd pfd = {
					.fd = xsk_socket__fd(x.sock),
					.events = POLLIN,
				};

				wakeups++;
				poll(&pfd, 1, 10);	/* wakes NAPI, then waits */
			}
			continue;
		}
		for (i = 0; i < n; i++) {
			const struct xdp_desc *d = xsk_ring_cons__rx_desc(&x.rx,
									  idx + i);

			if (o->port)
				check_frame(&c, xsk_umem__get_data(x.area, d->addr),
					    d->len, o->port);
			bytes += d->len;
			/* The frame's address, as the kernel gave it */
			addrs[i] = xsk_umem__extract_addr(d->addr);
		}
		xsk_ring_cons__release(&x.rx, n);
		frames += n;
		t1 = now_s();
		/* Every frame goes back to the fill ring at once */
		for (i = 0; i < n; )
			i += fill(&x, addrs + i, n - i);
	}
	xsk_stats(&x, &st);
	printf("mode %s need_wakeup %s ", x.zc ? "zero-copy" : "copy",
	       o->no_wakeup ? "off" : "on");
	printf("frames %llu bytes %llu secs %.3f pps %.0f wakeups %llu ",
	       (unsigned long long)frames, (unsigned long long)bytes, t1 - t0,
	       frames && t1 > t0 ? frames / (t1 - t0) : 0.0,
	       (unsigned long long)wakeups);
	printf("unique %llu dup %llu bad %llu other %llu ",
	       (unsigned long long)c.unique, (unsigned long long)c.dup,
	       (unsigned long long)c.bad, (unsigned long long)c.other);
	printf("rx_dropped %llu rx_ring_full %llu fill_empty %llu\n",
	       (unsigned long long)st.rx_dropped,
	       (unsigned long long)st.rx_ring_full,
	       (unsigned long long)st.rx_fill_ring_empty_descs);
	xsk_close(&x, o);
	free(c.seen);
	return 0;
}

static uint16_t ip_csum(const void *p, size_t len)
{
	const uint16_t *w = p;
	uint32_t sum = 0;

	for (; len > 1; len -= 2)
		sum += *w++;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/* Build udpseq datagram seq of dlen bytes as a whole frame at p */
static unsigned int build(const struct opts *o, const struct ether_addr *smac,
			  uint8_t *p, uint32_t seq, unsigned int dlen)
{
	struct ethhdr *eth = (void *)p;
	struct iphdr *ip = (void *)(eth + 1);
	struct udphdr *udp = (void *)(ip + 1);
	uint8_t *data = (uint8_t *)(udp + 1);
	struct seqhdr h = { .seq = seq, .len = dlen };
	size_t k;

	memcpy(eth->h_dest, &o->dmac, ETH_ALEN);
	memcpy(eth->h_source, smac, ETH_ALEN);
	eth->h_proto = htons(ETH_P_IP);
	memset(ip, 0, sizeof(*ip));
	ip->version = 4;
	ip->ihl = 5;
	ip->ttl = 64;
	ip->protocol = IPPROTO_UDP;
	ip->tot_len = htons(sizeof(*ip) + sizeof(*udp) + dlen);
	ip->saddr = o->src.s_addr;
	ip->daddr = o->dst.s_addr;
	ip->check = ip_csum(ip, sizeof(*ip));
	udp->source = htons(o->port);
	udp->dest = htons(o->port);
	udp->len = htons(sizeof(*udp) + dlen);
	udp->check = 0;		/* none: allowed over IPv4 */
	memcpy(data, &h, sizeof(h));
	for (k = sizeof(h); k < dlen; k++)
		data[k] = pattern(seq, dlen, k);
	return sizeof(*eth) + sizeof(*ip) + sizeof(*udp) + dlen;
}

static void read_mac(const char *ifname, struct ether_addr *mac)
{
	char path[128], buf[32];
	struct ether_addr *m;
	FILE *f;

	snprintf(path, sizeof(path), "/sys/class/net/%s/address", ifname);
	f = fopen(path, "r");
	if (!f || !fgets(buf, sizeof(buf), f))
		die(path, errno ? errno : EIO);
	fclose(f);
	buf[strcspn(buf, "\n")] = 0;
	m = ether_aton(buf);
	if (!m)
		die(path, EINVAL);
	*mac = *m;
}

static int do_tx(const struct opts *o)
{
	static uint64_t free_addr[NFRAMES];
	uint64_t sent = 0, done = 0, wakeups = 0, busy = 0;
	unsigned int nfree = 0, i, k = 0;
	struct ether_addr smac;
	struct xdp_statistics st;
	double t0, t1, end;
	struct xsk x;
	uint32_t seq = 0;

	read_mac(o->ifname, &smac);
	xsk_open(&x, o, 0);
	for (i = 0; i < NFRAMES; i++)
		free_addr[nfree++] = (uint64_t)i * o->frame_size;
	t0 = now_s();
	end = t0 + o->secs;
	while (!stop) {
		uint32_t idx;
		unsigned int n, want;

		/* Frames the NIC sent come back on the completion ring */
		n = xsk_ring_cons__peek(&x.cq, BATCH, &idx);
		if (nfree + n > NFRAMES) {
			fprintf(stderr,
				"nicdrv-xsk: the completion ring returned %u frames, %u were in flight\n",
				n, NFRAMES - nfree);
			exit(1);
		}
		for (i = 0; i < n; i++)
			free_addr[nfree++] = *xsk_ring_cons__comp_addr(&x.cq,
								       idx + i);
		xsk_ring_cons__release(&x.cq, n);
		done += n;
		if (sent == done && (now_s() >= end ||
				     (!o->hold && o->max && sent >= o->max)))
			break;
		want = nfree < BATCH ? nfree : BATCH;
		if (o->max && sent + want > o->max)
			want = o->max - sent;
		if (now_s() >= end)
			want = 0;
		n = want ? xsk_ring_prod__reserve(&x.tx, want, &idx) : 0;
		for (i = 0; i < n; i++) {
			struct xdp_desc *d = xsk_ring_prod__tx_desc(&x.tx, idx + i);
			uint64_t addr = free_addr[--nfree];

			d->addr = addr;
			d->len = build(o, &smac, xsk_umem__get_data(x.area, addr),
				       seq++, o->sizes[k]);
			d->options = 0;
			k = (k + 1) % o->nsizes;
		}
		xsk_ring_prod__submit(&x.tx, n);
		sent += n;
		/* Only NAPI sends: wake it when it asks, or when waiting */
		if (xsk_ring_prod__needs_wakeup(&x.tx) || !n) {
			if (sendto(xsk_socket__fd(x.sock), NULL, 0, MSG_DONTWAIT,
				   NULL, 0) < 0 && errno != EAGAIN &&
			    errno != EBUSY && errno != ENOBUFS)
				die("sendto", errno);
			wakeups++;
			if (!n)
				busy++;
		}
		if (!n)
			usleep(sent != done ? 100 : 10000);
	}
	t1 = now_s();
	xsk_stats(&x, &st);
	printf("mode %s need_wakeup %s ", x.zc ? "zero-copy" : "copy",
	       o->no_wakeup ? "off" : "on");
	printf("frames %llu completed %llu secs %.3f pps %.0f wakeups %llu tx_invalid %llu\n",
	       (unsigned long long)sent, (unsigned long long)done, t1 - t0,
	       t1 > t0 ? done / (t1 - t0) : 0.0, (unsigned long long)wakeups,
	       (unsigned long long)st.tx_invalid_descs);
	(void)busy;
	xsk_close(&x, o);
	return 0;
}

static void parse_sizes(struct opts *o, char *arg)
{
	char *tok;

	o->nsizes = 0;
	for (tok = strtok(arg, ","); tok; tok = strtok(NULL, ",")) {
		unsigned long v = strtoul(tok, NULL, 0);

		if (o->nsizes == 16 || v < sizeof(struct seqhdr) || v > 1472) {
			fprintf(stderr,
				"nicdrv-xsk: size %s: 8 to 1472 bytes, at most 16 sizes\n",
				tok);
			exit(1);
		}
		o->sizes[o->nsizes++] = v;
	}
}

int main(int argc, char **argv)
{
	struct opts o = { .frame_size = 4096, .secs = 5, .sizes = { 64 },
			  .nsizes = 1 };
	struct ether_addr *m;
	int c;

	if (argc < 3)
		help();
	o.cmd = argv[1];
	o.ifname = argv[2];
	if (!if_nametoindex(o.ifname)) {
		fprintf(stderr, "nicdrv-xsk: no interface %s\n", o.ifname);
		return 1;
	}
	optind = 3;
	while ((c = getopt(argc, argv, "cHSWf:t:n:p:d:s:m:l:")) != -1) {
		switch (c) {
		case 'c':
			o.copy = 1;
			break;
		case 'W':
			o.no_wakeup = 1;
			break;
		case 'H':
			o.hold = 1;
			break;
		case 'S':
			o.skb_mode = 1;
			o.copy = 1;
			break;
		case 'f':
			o.frame_size = strtoul(optarg, NULL, 0);
			if (o.frame_size != 2048 && o.frame_size != 4096) {
				fprintf(stderr, "nicdrv-xsk: -f: 2048 or 4096\n");
				return 1;
			}
			break;
		case 't':
			o.secs = strtod(optarg, NULL);
			break;
		case 'n':
			o.max = strtoull(optarg, NULL, 0);
			break;
		case 'p':
			o.port = atoi(optarg);
			break;
		case 'd':
			o.have_dst = inet_pton(AF_INET, optarg, &o.dst) == 1;
			break;
		case 's':
			o.have_src = inet_pton(AF_INET, optarg, &o.src) == 1;
			break;
		case 'm':
			m = ether_aton(optarg);
			if (m)
				o.dmac = *m;
			o.have_dmac = !!m;
			break;
		case 'l':
			parse_sizes(&o, optarg);
			break;
		default:
			help();
		}
	}
	if (optind != argc || o.secs <= 0)
		help();
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	if (!strcmp(o.cmd, "rx"))
		return do_rx(&o);
	if (!strcmp(o.cmd, "tx")) {
		if (!o.have_dst || !o.have_src || !o.have_dmac || !o.port) {
			fprintf(stderr,
				"nicdrv-xsk: tx needs -d DST_IP -s SRC_IP -m DST_MAC -p PORT\n");
			return 1;
		}
		return do_tx(&o);
	}
	help();
	return 1;
}
