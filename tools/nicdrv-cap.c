// SPDX-License-Identifier: GPL-2.0
/*
 * nicdrv-cap: capture received frames from a nicdrv interface, without
 * copies, through the driver's mapped packet-buffer pool (/dev/nicdrvN).
 *
 * usage: nicdrv-cap -i IFACE [-w FILE|-] [-c COUNT] [-s SNAPLEN] [-q]
 *                   [filter expression]
 *
 * Frames are read where the NIC wrote them: a frame that fits one buffer
 * and kept its VLAN tag goes to the filter and, with -w, to writev()
 * straight from the mapping, a pcap record header and the buffer per
 * frame, a batch of frames per call.  Only a frame the NIC split over
 * several buffers, or whose tag the NIC stripped, is assembled in a
 * scratch buffer first.
 * The ring protocol is the one uapi/nicdrv.h spells out.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <net/if.h>
#include <pcap/pcap.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "nicdrv-map.h"

#define DEFAULT_SNAPLEN	262144
#define MAX_FRAME	(16384 + 4)	/* QEMU's limit, plus a reinserted tag */
#define WBATCH		256		/* frames per writev(), two iovecs each */
_Static_assert(2 * WBATCH <= 1024, "writev() takes 1024 iovecs at most");

/* The pcap file format, nanosecond variant (what tcpdump -r expects) */
#define PCAP_MAGIC_NSEC	0xa1b23c4d

struct pcap_file_hdr {
	uint32_t magic;
	uint16_t major, minor;
	int32_t thiszone;
	uint32_t sigfigs, snaplen, linktype;
};

struct pcap_rec_hdr {
	uint32_t sec, nsec, caplen, len;
};

static volatile sig_atomic_t stop;

struct cap {
	const char *ifname;
	struct nicdrv_map m;
	uint32_t cons_idx;		/* our copy of cons->cons */
	struct nicdrv_cap_stats start;	/* counters when we began */

	pcap_t *pcap;			/* a dead handle for the filter */
	const char *wname;		/* -w FILE; in messages, its name */
	int wfd;			/* -w: the pcap file; -1: print lines */
	unsigned int nrec;		/* records waiting for writev() */
	struct pcap_rec_hdr rec[WBATCH];
	struct iovec iov[2 * WBATCH];
	struct bpf_program prog;
	bool have_filter;
	unsigned int snaplen;
	bool quiet;
	bool progress_tty;
	bool immediate;			/* -U: no batching nap */

	uint64_t captured;		/* frames that passed the filter */
	uint64_t filtered;		/* frames the filter rejected */
	uint64_t limit;			/* -c; 0: none */
	uint32_t high;			/* most entries waiting for us at once */
	uint8_t scratch[MAX_FRAME];
};

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: nicdrv-cap -i IFACE [-w FILE|-] [-c COUNT] [-s SNAPLEN] [-q] [-U]\n"
		"                  [filter expression]\n"
		"  -i IFACE   the nicdrv interface to capture from\n"
		"  -w FILE    write a pcap file (nanosecond timestamps); - is stdout\n"
		"  -c COUNT   stop after COUNT packets\n"
		"  -s SNAPLEN bytes kept of each packet (default %d)\n"
		"  -q         no progress line while writing a file\n"
		"  -U         write each packet as it arrives (no batching)\n",
		DEFAULT_SNAPLEN);
}

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static void die(const char *fmt, ...)
{
	va_list ap;

	fputs("nicdrv-cap: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(2);
}

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

/* Find IFACE's device node, open it and map the regions */
static void open_device(struct cap *c)
{
	struct nicdrv_cap_ifname name;
	char node[PATH_MAX];
	const char *what;

	if (strlen(c->ifname) >= IFNAMSIZ || strchr(c->ifname, '/'))
		die("%s: not an interface name", c->ifname);
	if (!if_nametoindex(c->ifname))
		die("%s: no such interface", c->ifname);
	if (nicdrv_node_of(c->ifname, node, sizeof(node)))
		die("%s: not driven by nicdrv (no /sys/class/net/%s/device/nicdrv)",
		    c->ifname, c->ifname);

	if (nicdrv_map_open(&c->m, node, &what)) {
		if (!strcmp(what, "version"))
			die("%s: the driver speaks capture version %u, this tool %u",
			    node, c->m.info.version, NICDRV_CAP_VERSION);
		if (strcmp(what, "open"))
			die("%s: %s: %s", node, what, strerror(errno));
		switch (errno) {
		case EPERM:
		case EACCES:
			die("%s: %s (capturing needs root, or CAP_NET_RAW and access to the node)",
			    node, strerror(errno));
		case EBUSY:
			die("%s: another reader is capturing from %s, or an XDP program runs on it",
			    node, c->ifname);
		case ENETDOWN:
			die("%s: %s is down: bring it up first", node,
			    c->ifname);
		default:
			die("%s: %s", node, strerror(errno));
		}
	}
	if (ioctl(c->m.fd, NICDRV_IOC_GET_IFNAME, &name))
		die("%s: GET_IFNAME: %s", node, strerror(errno));
	if (strcmp(name.name, c->ifname))
		die("%s belongs to %s, not %s", node, name.name, c->ifname);
	c->cons_idx = c->m.cons->cons;
	if (ioctl(c->m.fd, NICDRV_IOC_GET_STATS, &c->start))
		die("GET_STATS: %s", strerror(errno));
}

/* ---- one line per packet, like tcpdump's default output ---- */

static void print_ports(const uint8_t *l4, unsigned int len, const char *src,
			const char *dst, const char *proto)
{
	if (len < 4) {
		printf("%s > %s: %s, truncated\n", src, dst, proto);
		return;
	}
	printf("%s.%u > %s.%u: %s", src, l4[0] << 8 | l4[1], dst,
	       l4[2] << 8 | l4[3], proto);
}

static void print_l4(unsigned int proto, const uint8_t *l4, unsigned int len,
		     unsigned int plen, const char *src, const char *dst)
{
	switch (proto) {
	case 1:		/* ICMP */
	case 58:	/* ICMPv6 */
		printf("%s > %s: %s", src, dst, proto == 1 ? "ICMP" : "ICMP6");
		if (len >= 8 && (l4[0] == 8 || l4[0] == 0 || l4[0] == 128 ||
				 l4[0] == 129))
			printf(" echo %s, id %u, seq %u",
			       l4[0] == 8 || l4[0] == 128 ? "request" : "reply",
			       l4[4] << 8 | l4[5], l4[6] << 8 | l4[7]);
		else if (len >= 1)
			printf(" type %u", l4[0]);
		printf(", length %u\n", plen);
		break;
	case 6:
		print_ports(l4, len, src, dst, "TCP");
		if (len >= 4)
			printf(", length %u\n",
			       len >= 13 ? plen - (l4[12] >> 4) * 4 : plen);
		break;
	case 17:
		print_ports(l4, len, src, dst, "UDP");
		if (len >= 4)
			printf(", length %u\n", plen >= 8 ? plen - 8 : 0);
		break;
	default:
		printf("%s > %s: ip-proto-%u, length %u\n", src, dst, proto,
		       plen);
	}
}

static void print_packet(const struct pcap_pkthdr *h, const uint8_t *p)
{
	char src[INET6_ADDRSTRLEN], dst[INET6_ADDRSTRLEN];
	unsigned int len = h->caplen, type, off = 12;
	struct tm tm;
	time_t sec = h->ts.tv_sec;

	localtime_r(&sec, &tm);
	printf("%02d:%02d:%02d.%09ld ", tm.tm_hour, tm.tm_min, tm.tm_sec,
	       (long)h->ts.tv_usec);
	if (len < 14) {
		printf("truncated frame, length %u\n", h->len);
		return;
	}
	type = p[12] << 8 | p[13];
	if (type == 0x8100 && len >= 18) {
		printf("vlan %u, ", (p[14] << 8 | p[15]) & 0xfff);
		off = 16;
		type = p[16] << 8 | p[17];
	}
	p += off + 2;
	len -= off + 2;
	if (type == 0x0800 && len >= 20 && (p[0] >> 4) == 4) {
		unsigned int ihl = (p[0] & 15) * 4, tot = p[2] << 8 | p[3];

		inet_ntop(AF_INET, p + 12, src, sizeof(src));
		inet_ntop(AF_INET, p + 16, dst, sizeof(dst));
		printf("IP ");
		if (ihl < 20 || ihl > len || tot < ihl) {
			printf("%s > %s: bad header, length %u\n", src, dst,
			       h->len);
			return;
		}
		print_l4(p[9], p + ihl, len - ihl, tot - ihl, src, dst);
	} else if (type == 0x86dd && len >= 40) {
		inet_ntop(AF_INET6, p + 8, src, sizeof(src));
		inet_ntop(AF_INET6, p + 24, dst, sizeof(dst));
		printf("IP6 ");
		print_l4(p[6], p + 40, len - 40, p[4] << 8 | p[5], src, dst);
	} else if (type == 0x0806 && len >= 28) {
		inet_ntop(AF_INET, p + 24, dst, sizeof(dst));
		inet_ntop(AF_INET, p + 14, src, sizeof(src));
		if (p[7] == 1)
			printf("ARP, Request who-has %s tell %s, length %u\n",
			       dst, src, h->len);
		else
			printf("ARP, Reply %s is-at %02x:%02x:%02x:%02x:%02x:%02x, length %u\n",
			       src, p[8], p[9], p[10], p[11], p[12], p[13],
			       h->len);
	} else {
		printf("ethertype 0x%04x, length %u\n", type, h->len);
	}
}

/* ---- the ring ---- */

/*
 * One frame from its descriptors [i, i + n): point at it in place when it
 * is one buffer with its bytes as on the wire, else assemble it.  Returns
 * the number of bytes available and sets *data.
 */
static unsigned int frame_bytes(struct cap *c, uint32_t i, uint32_t n,
				const uint8_t **data)
{
	const uint32_t mask = c->m.info.ring_entries - 1;
	const struct nicdrv_cap_desc *d = &c->m.ring[i & mask];
	unsigned int have = 0, k;

	if (n == 1 && !(d->flags & NICDRV_CAP_F_VLAN)) {
		*data = nicdrv_map_buf(&c->m, d);
		return d->len;
	}
	for (k = 0; k < n; k++) {
		const struct nicdrv_cap_desc *p = &c->m.ring[(i + k) & mask];
		unsigned int len = p->len;

		if (len > sizeof(c->scratch) - 4 - have)
			len = sizeof(c->scratch) - 4 - have;
		memcpy(c->scratch + have, nicdrv_map_buf(&c->m, p), len);
		have += len;
	}
	/* Put the stripped 802.1Q tag back after the MAC addresses */
	if ((d->flags & NICDRV_CAP_F_VLAN) && have >= 12) {
		memmove(c->scratch + 16, c->scratch + 12, have - 12);
		c->scratch[12] = 0x81;
		c->scratch[13] = 0x00;
		c->scratch[14] = d->vlan_tci >> 8;
		c->scratch[15] = d->vlan_tci & 0xff;
		have += 4;
	}
	*data = c->scratch;
	return have;
}

/* Write all of iov[0, n), however the kernel splits it */
static void write_all(struct cap *c, struct iovec *v, int n)
{
	while (n > 0) {
		ssize_t r = writev(c->wfd, v, n);

		if (r < 0) {
			if (errno == EINTR)
				continue;
			die("%s: %s", c->wname, strerror(errno));
		}
		for (; n > 0 && (size_t)r >= v->iov_len; v++, n--)
			r -= v->iov_len;
		if (n > 0) {
			v->iov_base = (char *)v->iov_base + r;
			v->iov_len -= r;
		}
	}
}

/* The records so far, straight from the mapping: before any release */
static void flush_records(struct cap *c)
{
	write_all(c, c->iov, 2 * c->nrec);
	c->nrec = 0;
}

/* How close the ring has come to full: what pool_bufs must cover */
static void note_waiting(struct cap *c)
{
	uint32_t waiting = nicdrv_map_prod(&c->m) - c->cons_idx;

	if (waiting > c->high)
		c->high = waiting;
}

/*
 * Entries before index i are done with: written out (or printed), so our
 * reads of their buffers are over before the NIC may write them again.
 */
static void release(struct cap *c, uint32_t i)
{
	note_waiting(c);	/* the most is just before a release */
	if (c->wfd >= 0)
		flush_records(c);
	else
		fflush(stdout);
	nicdrv_map_release(&c->m, i);
	c->cons_idx = i;
}

static void handle_frame(struct cap *c, uint32_t i, uint32_t n)
{
	const struct nicdrv_cap_desc *d = &c->m.ring[i & (c->m.info.ring_entries - 1)];
	struct pcap_pkthdr h;
	const uint8_t *data;
	unsigned int have = frame_bytes(c, i, n, &data);

	h.ts.tv_sec = d->ts_ns / 1000000000ULL;
	h.ts.tv_usec = d->ts_ns % 1000000000ULL;	/* ns: nano precision */
	h.len = d->frame_len + (d->flags & NICDRV_CAP_F_VLAN ? 4 : 0);
	h.caplen = have < c->snaplen ? have : c->snaplen;
	if (c->have_filter && !pcap_offline_filter(&c->prog, &h, data)) {
		c->filtered++;
		return;
	}
	c->captured++;
	if (c->wfd < 0) {
		print_packet(&h, data);
		return;
	}
	c->rec[c->nrec] = (struct pcap_rec_hdr){
		.sec = h.ts.tv_sec, .nsec = h.ts.tv_usec,
		.caplen = h.caplen, .len = h.len,
	};
	c->iov[2 * c->nrec] = (struct iovec){ &c->rec[c->nrec],
					      sizeof(c->rec[0]) };
	c->iov[2 * c->nrec + 1] = (struct iovec){ (void *)data, h.caplen };
	c->nrec++;
	/* An assembled frame lives in scratch, which the next one reuses */
	if (data == c->scratch)
		flush_records(c);
}

/*
 * Take every published frame.  Entries go back to the driver after each
 * batch is written, not only at the end: a long backlog then frees room
 * while it is being written.  Returns false once -c is satisfied.
 */
static bool drain(struct cap *c)
{
	const uint32_t mask = c->m.info.ring_entries - 1;
	uint32_t prod = nicdrv_map_prod(&c->m);
	uint32_t i = c->cons_idx;
	bool more = true;

	while (i != prod && more) {
		uint32_t n = 1;

		/* A frame's descriptors are published together */
		while (c->m.ring[(i + n - 1) & mask].flags & NICDRV_CAP_F_MORE &&
		       i + n != prod)
			n++;
		handle_frame(c, i, n);
		i += n;
		if (c->limit && c->captured >= c->limit)
			more = false;
		if (c->nrec == WBATCH)
			release(c, i);
	}
	if (i != c->cons_idx)
		release(c, i);
	return more;
}

/* Counters since we started; from status->final once the device is gone */
static void counters(struct cap *c, struct nicdrv_cap_stats *now, bool *gone)
{
	if (__atomic_load_n(&c->m.status->state, __ATOMIC_ACQUIRE) ==
	    NICDRV_CAP_DEAD) {
		*now = c->m.status->final;
		*gone = true;
	} else if (ioctl(c->m.fd, NICDRV_IOC_GET_STATS, now)) {
		if (errno != ENODEV)
			die("GET_STATS: %s", strerror(errno));
		*now = c->m.status->final;
		*gone = true;
	}
}

static void progress(struct cap *c)
{
	struct nicdrv_cap_stats now;
	bool gone = false;

	counters(c, &now, &gone);
	fprintf(stderr, "%s%" PRIu64 " packets captured, %" PRIu64 " dropped%s",
		c->progress_tty ? "\r" : "", c->captured,
		(uint64_t)(now.dropped - c->start.dropped),
		c->progress_tty ? "" : "\n");
}

/*
 * Options into c; the filter expression (the rest of the command line,
 * joined as tcpdump does) into *expr.  Returns -1 to go on, else the exit
 * status for main().
 */
static int parse_args(struct cap *c, int argc, char **argv, char **expr)
{
	char *endp;
	int opt;

	while ((opt = getopt(argc, argv, "i:w:c:s:qUh")) != -1) {
		switch (opt) {
		case 'i':
			c->ifname = optarg;
			break;
		case 'w':
			c->wname = optarg;
			break;
		case 'c':
			errno = 0;
			c->limit = strtoull(optarg, &endp, 10);
			if (errno || *endp || !c->limit)
				die("-c %s: want a positive count", optarg);
			break;
		case 's':
			errno = 0;
			c->snaplen = strtoul(optarg, &endp, 10);
			if (errno || *endp || c->snaplen < 1 ||
			    c->snaplen > DEFAULT_SNAPLEN)
				die("-s %s: want 1..%d", optarg,
				    DEFAULT_SNAPLEN);
			break;
		case 'q':
			c->quiet = true;
			break;
		case 'U':
			c->immediate = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (!c->ifname) {
		usage(stderr);
		return 2;
	}
	for (*expr = NULL; optind < argc; optind++) {
		size_t old = *expr ? strlen(*expr) : 0;

		*expr = realloc(*expr, old + strlen(argv[optind]) + 2);
		if (!*expr)
			die("out of memory");
		sprintf(*expr + old, "%s%s", old ? " " : "", argv[optind]);
	}
	return -1;
}

/* libpcap without a capture handle: the BPF compiler and filter only */
static void compile_filter(struct cap *c, const char *expr)
{
	c->pcap = pcap_open_dead_with_tstamp_precision(DLT_EN10MB,
						       c->snaplen,
						       PCAP_TSTAMP_PRECISION_NANO);
	if (!c->pcap)
		die("pcap_open_dead failed");
	if (!expr)
		return;
	if (pcap_compile(c->pcap, &c->prog, expr, 1, PCAP_NETMASK_UNKNOWN))
		die("filter '%s': %s", expr, pcap_geterr(c->pcap));
	c->have_filter = true;
}

/* -w FILE (or -): create it and write the pcap file header */
static void open_output(struct cap *c)
{
	struct pcap_file_hdr fh = {
		.magic = PCAP_MAGIC_NSEC, .major = 2, .minor = 4,
		.snaplen = c->snaplen, .linktype = DLT_EN10MB,
	};
	struct iovec v = { &fh, sizeof(fh) };
	const char *file = c->wname;
	bool to_stdout = !strcmp(file, "-");

	c->wname = to_stdout ? "standard output" : file;
	c->wfd = to_stdout ? STDOUT_FILENO :
		 open(file, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (c->wfd < 0)
		die("%s: %s", file, strerror(errno));
	write_all(c, &v, 1);
	c->progress_tty = isatty(STDERR_FILENO);
}

/*
 * Until a signal, -c, or the end of the device.  Returns whether the
 * device went away (the interface went down, or the NIC was removed).
 */
static bool capture(struct cap *c)
{
	uint32_t entries = c->m.info.ring_entries;
	/*
	 * Writing a file, wait a little after a small batch, as libpcap's
	 * buffer timeout makes tcpdump -w do: every wakeup is a poll() and
	 * a scheduler round trip, some 1,500 instructions, which at 10,000
	 * frames a second cost more than the frames themselves.  The nap
	 * lasts at most what the ring holds at the 82540EM's line rate of
	 * 64-byte frames (1.49 Mpps: 0.67 us a frame), halved, and 5 ms.
	 */
	long nap_us = c->wfd >= 0 && !c->immediate ?
		      (long)(entries / 3 < 5000 ? entries / 3 : 5000) : 0;
	time_t last = 0;

	while (!stop) {
		struct pollfd pfd = { .fd = c->m.fd, .events = POLLIN };
		uint32_t before = c->cons_idx;
		int r = poll(&pfd, 1, 1000);

		if (r < 0 && errno != EINTR)
			die("poll: %s", strerror(errno));
		if (!drain(c))
			return false;
		if (nap_us && r > 0 && !(pfd.revents & (POLLERR | POLLHUP)) &&
		    c->cons_idx - before < entries / 16) {
			struct timespec ts = { 0, nap_us * 1000 };

			nanosleep(&ts, NULL);	/* a signal ends it early */
		}
		if (r > 0 && (pfd.revents & (POLLERR | POLLHUP))) {
			drain(c);	/* what was published before the end */
			return true;
		}
		if (c->wfd >= 0 && !c->quiet && time(NULL) != last) {
			last = time(NULL);
			/* Every second on a terminal, every 10 s in a log */
			if (c->progress_tty || last % 10 == 0)
				progress(c);
		}
	}
	return false;
}

/* The output closed, the summary on standard error, as tcpdump's */
static void finish(struct cap *c, bool *gone)
{
	struct nicdrv_cap_stats end;

	if (c->wfd >= 0) {
		flush_records(c);
		if (c->wfd != STDOUT_FILENO && close(c->wfd))
			die("%s: %s", c->wname, strerror(errno));
	} else {
		fflush(stdout);
	}
	counters(c, &end, gone);
	if (c->progress_tty && !c->quiet)
		fputc('\n', stderr);
	if (*gone)
		fprintf(stderr, "nicdrv-cap: %s went away (interface down or device removed)\n",
			c->ifname);
	fprintf(stderr, "%" PRIu64 " packets captured\n"
		"%" PRIu64 " packets filtered out\n"
		"%" PRIu64 " packets dropped (capture ring full)\n"
		"%" PRIu64 " packets truncated\n"
		"%" PRIu64 " packets missed by the NIC\n"
		"%" PRIu32 " of %" PRIu32 " ring entries filled at most\n",
		c->captured, c->filtered,
		(uint64_t)(end.dropped - c->start.dropped),
		(uint64_t)(end.truncated - c->start.truncated),
		(uint64_t)(end.nic_missed - c->start.nic_missed),
		c->high, c->m.info.ring_entries);
}

int main(int argc, char **argv)
{
	struct cap *c = calloc(1, sizeof(*c));
	struct sigaction sa = { .sa_handler = on_signal };
	char *expr;
	bool gone;
	int ret;

	if (!c)
		die("out of memory");
	c->snaplen = DEFAULT_SNAPLEN;
	c->wfd = -1;
	ret = parse_args(c, argc, argv, &expr);
	if (ret >= 0)
		return ret;
	compile_filter(c, expr);
	open_device(c);
	if (c->wname)
		open_output(c);

	/* No SA_RESTART: a signal ends poll() with EINTR */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	fprintf(stderr, "nicdrv-cap: capturing from %s (%u ring entries, %u buffers of %u bytes)\n",
		c->ifname, c->m.info.ring_entries, c->m.info.buf_count,
		c->m.info.buf_size);

	gone = capture(c);
	finish(c, &gone);
	return gone ? 1 : 0;
}
