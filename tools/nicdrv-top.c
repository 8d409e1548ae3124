// SPDX-License-Identifier: GPL-2.0
/*
 * nicdrv-top: watch a nicdrv interface's descriptor rings move.
 *
 * usage: nicdrv-top [-b] [-R] [-d SECONDS] [-n FRAMES] [-s tx:N|rx:N] IFACE
 *        nicdrv-top -f SNAPSHOT [-R]
 *
 * Draws both rings as rows of cells, one per descriptor, coloured by who
 * owns it and what it holds, with the four indexes marked under them;
 * above them the rates of frames, bytes, interrupts, NAPI polls,
 * doorbells and register accesses, and the capture ring's fill; below,
 * on request, one descriptor with the virtual, physical and bus addresses
 * of its buffer.  Its data is one debugfs file of the driver, read a few
 * times a second (uapi/nicdrv.h: the format; nicdrv/view.c: the writer).
 *
 * Who owns a descriptor follows from four indexes (SDM 3.2.6, 3.3.1):
 * the NIC owns [head, tail), the registers it moves and the driver
 * writes; the driver's next_to_clean trails the head (descriptors the NIC
 * finished, which the driver has not taken back yet) and its next_to_use
 * leads the tail (descriptors written but not yet handed over).
 *
 * With stdout not a terminal, or -b, it prints text frames instead (one
 * unless -n says more), each after a wait of -d seconds for its rates.
 * -R prints each frame's snapshot after it, between "--- snapshot" and
 * "--- end" lines; -f draws a saved snapshot.
 * Plain ANSI escapes; root only because debugfs is.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <libgen.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/vfs.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "nicdrv.h"

#define DEBUGFS		"/sys/kernel/debug"
#define DEBUGFS_MAGIC	0x64626720
#define SNAP_MAX	(64 * 1024)	/* two 4096-descriptor rings and more */
#define MAX_ROWS	16		/* rows of cells per ring at most */
#define TTY_FIXED	30		/* terminal lines besides the cells */

enum {
	C_TXP, C_TXB, C_RXP, C_RXB, C_IRQ, C_POLL, C_RD, C_WR, C_TDT, C_RDT,
	NCTR
};

static const char *const ctr_name[NCTR] = {
	"tx_packets", "tx_bytes", "rx_packets", "rx_bytes", "irqs",
	"napi_polls", "mmio_reads", "mmio_writes", "mmio_tdt_writes",
	"mmio_rdt_writes",
};

struct ring {
	bool have, torn;
	unsigned int count, ntc, head, tail, ntu;
	const char *desc;		/* a hex digit per descriptor */
};

struct snap {
	char text[SNAP_MAX];		/* as read */
	char raw[SNAP_MAX];		/* the same, cut into lines by parse() */
	size_t len;
	int version;
	const char *iface;
	uint64_t time_ns;
	bool up;
	struct ring tx, rx;
	bool umem, iommu;
	uint64_t ctr[NCTR];
	uint64_t view_reads;
	bool cap;
	uint32_t cap_entries, cap_prod, cap_cons;
	char sel;			/* 't', 'r' or 0 */
	unsigned int sel_idx;
	bool sel_desc, sel_buf, sel_iommu;
	char sel_none[16];		/* sel_buf none: why */
	uint64_t desc_va, desc_pa, desc_dma;
	uint64_t buf_va, buf_pa, buf_dma, iommu_pa;
	unsigned int buf_len;
};

/* A cell's state: who owns the descriptor and what it holds */
enum cell { FREE, PENDING, NIC, DONE, NSTATES };

/* Per ring: the letter of each state in text frames, and what it means */
static const char cell_char[2][NSTATES] = {
	{ '.', 'w', 'N', 'd' },		/* TX */
	{ '.', 'a', 'N', 'F' },		/* RX */
};

static const char *const cell_what[2][NSTATES] = {
	{ "free: the driver's, nothing in it",
	  "written by the driver, not yet handed over (TDT not moved)",
	  "the NIC's: a frame to send",
	  "sent: DD written back, the driver has yet to unmap and free it" },
	{ "the driver's, no buffer handed over",
	  "armed with a buffer, not yet handed over (RDT not moved)",
	  "the NIC's: an empty buffer, waiting for a frame",
	  "a frame the NIC wrote (DD): the driver has yet to take it" },
};

/* ANSI colours: background and foreground of each state */
static const char *const cell_sgr[NSTATES] = {
	"2", "30;43", "97;41", "30;42",
};

struct opts {
	bool batch, raw, tty;
	unsigned int cols, rows;	/* cells per row, rows per ring at most */
	double delay;
	long frames;
	const char *file;
	const char *ifname;
};

static volatile sig_atomic_t stop, resized, suspended;
static struct termios saved_tio;
static bool tio_saved, alt_screen, keys_gone;

static void fail(int code, const char *fmt, ...)
{
	va_list ap;

	fputs("nicdrv-top: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(code);
}

static void bad_usage(void)
{
	fputs("usage: nicdrv-top [-b] [-R] [-d SECONDS] [-n FRAMES] [-s tx:N|rx:N] IFACE\n"
	      "       nicdrv-top -f SNAPSHOT [-R]\n"
	      "  -b  text frames, as when stdout is not a terminal\n"
	      "  -d  seconds between frames (default 0.25; text frames: 1)\n"
	      "  -n  frames to print, then exit (text frames: default 1)\n"
	      "  -s  show descriptor N of the tx or rx ring, with its addresses\n"
	      "  -R  print the snapshot each frame was drawn from after it\n"
	      "  -f  draw a snapshot saved from debugfs nicdrv/<pci>/view\n"
	      "keys: q quit, t/r choose a ring, arrows move, c the next_to_clean,\n"
	      "      x no descriptor, space pause\n", stderr);
	exit(2);
}

/* The debugfs file of IFACE's view, with a clear error for each way to fail */
static void view_path(const char *ifname, char *path, size_t size,
		      char *pci, size_t pci_size)
{
	char link[PATH_MAX], target[PATH_MAX];
	struct statfs sfs;
	ssize_t n;

	if (strlen(ifname) >= 16 || strchr(ifname, '/') || !*ifname)
		fail(1, "'%s' is not an interface name", ifname);
	snprintf(link, sizeof(link), "/sys/class/net/%s", ifname);
	if (access(link, F_OK))
		fail(1, "no interface '%s'", ifname);
	snprintf(link, sizeof(link), "/sys/class/net/%s/device/driver", ifname);
	n = readlink(link, target, sizeof(target) - 1);
	if (n < 0)
		fail(1, "%s is not a PCI device's interface: nicdrv drives only 8086:100e",
		     ifname);
	target[n] = '\0';
	if (strcmp(basename(target), "nicdrv"))
		fail(1, "%s is driven by %s, not nicdrv", ifname, basename(target));
	snprintf(link, sizeof(link), "/sys/class/net/%s/device", ifname);
	n = readlink(link, target, sizeof(target) - 1);
	if (n < 0)
		fail(1, "%s: %s", link, strerror(errno));
	target[n] = '\0';
	if (statfs(DEBUGFS, &sfs) || sfs.f_type != DEBUGFS_MAGIC)
		fail(1, "debugfs is not mounted on " DEBUGFS
		     " (mount -t debugfs none " DEBUGFS ")");
	snprintf(pci, pci_size, "%s", basename(target));
	snprintf(path, size, DEBUGFS "/nicdrv/%s/view", pci);
}

/*
 * The view is opened for each snapshot and closed after it: an open
 * debugfs file holds the module (its release is the module's code), and
 * a viewer left running must not keep nicdrv from being unloaded.
 */
static int open_view(const char *path, bool first)
{
	int fd = open(path, O_RDWR | O_CLOEXEC);

	if (fd >= 0)
		return fd;
	if (!first && (errno == ENOENT || errno == ENXIO || errno == ENODEV))
		fail(1, "%s: %s: the view went away (device removed, or nicdrv unloaded)",
		     path, strerror(errno));
	if (errno == EACCES || errno == EPERM)
		fail(1, "%s: %s: debugfs is root's, run nicdrv-top as root",
		     path, strerror(errno));
	if (errno == ENOENT)
		fail(1, "%s: no such file: this nicdrv has no ring view (an older module?)",
		     path);
	fail(1, "%s: %s", path, strerror(errno));
	return -1;
}

static uint64_t num(const char *s, const char *key)
{
	char *end;
	uint64_t v;

	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || end == s)
		fail(1, "bad snapshot: '%s' has no number: %s", key, s);
	return v;
}

/*
 * COUNT NTC HEAD TAIL NTU [torn].  Indexes out of the ring, or out of
 * order around it, make the ring torn: drawn without cells.
 */
static void parse_ring(struct ring *r, const char *rest, const char *key)
{
	char word[8] = "";

	if (sscanf(rest, "%u %u %u %u %u %7s", &r->count, &r->ntc, &r->head,
		   &r->tail, &r->ntu, word) < 5 || !r->count || r->count > 65536)
		fail(1, "bad snapshot: '%s %s'", key, rest);
	r->have = true;
	r->torn = !strcmp(word, "torn") || r->ntc >= r->count ||
		  r->head >= r->count || r->tail >= r->count ||
		  r->ntu >= r->count ||
		  (uint64_t)(r->head + r->count - r->ntc) % r->count +
		  (r->tail + r->count - r->head) % r->count +
		  (r->ntu + r->count - r->tail) % r->count >= r->count;
}

/* Split the raw text into lines, in place, and read each */
static void parse(struct snap *s)
{
	char *line, *next;
	unsigned int i;

	/* Nothing but text reaches the terminal, whatever the file holds */
	for (i = 0; i < s->len; i++)
		if (s->text[i] != '\n' && (s->text[i] < ' ' || s->text[i] > '~'))
			s->text[i] = '?';
	memcpy(s->raw, s->text, s->len);
	s->raw[s->len] = '\0';
	s->text[s->len] = '\0';
	for (line = s->raw; line && *line; line = next) {
		char *rest;

		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		rest = strchr(line, ' ');
		if (!rest)
			continue;
		*rest++ = '\0';
		if (!strcmp(line, "nicdrv-view")) {
			s->version = num(rest, line);
		} else if (!strcmp(line, "iface")) {
			s->iface = rest;
		} else if (!strcmp(line, "time_ns")) {
			s->time_ns = num(rest, line);
		} else if (!strcmp(line, "state")) {
			s->up = !strcmp(rest, "up");
		} else if (!strcmp(line, "tx")) {
			parse_ring(&s->tx, rest, line);
		} else if (!strcmp(line, "rx")) {
			parse_ring(&s->rx, rest, line);
		} else if (!strcmp(line, "tx_desc")) {
			s->tx.desc = rest;
		} else if (!strcmp(line, "rx_desc")) {
			s->rx.desc = rest;
		} else if (!strcmp(line, "rx_buffers")) {
			s->umem = !strcmp(rest, "umem");
		} else if (!strcmp(line, "iommu")) {
			s->iommu = !strcmp(rest, "translating");
		} else if (!strcmp(line, "counter")) {
			char *v = strchr(rest, ' ');

			if (!v)
				fail(1, "bad snapshot: 'counter %s'", rest);
			*v++ = '\0';
			for (i = 0; i < NCTR; i++)
				if (!strcmp(rest, ctr_name[i]))
					s->ctr[i] = num(v, rest);
		} else if (!strcmp(line, "view_reads")) {
			s->view_reads = num(rest, line);
		} else if (!strcmp(line, "cap")) {
			s->cap = sscanf(rest, "%" SCNu32 " %" SCNu32 " %" SCNu32,
					&s->cap_entries, &s->cap_prod,
					&s->cap_cons) == 3 && s->cap_entries;
		} else if (!strcmp(line, "sel")) {
			char ring[8];

			if (sscanf(rest, "%7s %u", ring, &s->sel_idx) == 2)
				s->sel = ring[0];
		} else if (!strcmp(line, "sel_desc")) {
			s->sel_desc = sscanf(rest, "%" SCNx64 " %" SCNx64 " %" SCNx64,
					     &s->desc_va, &s->desc_pa,
					     &s->desc_dma) == 3;
		} else if (!strcmp(line, "sel_buf") && !strncmp(rest, "none ", 5)) {
			snprintf(s->sel_none, sizeof(s->sel_none), "%s", rest + 5);
		} else if (!strcmp(line, "sel_buf")) {
			s->sel_buf = sscanf(rest, "%" SCNx64 " %" SCNx64 " %" SCNx64 " %u",
					    &s->buf_va, &s->buf_pa, &s->buf_dma,
					    &s->buf_len) == 4;
		} else if (!strcmp(line, "sel_iommu")) {
			s->sel_iommu = true;
			s->iommu_pa = num(rest, line);
		}
	}
	if (s->version != NICDRV_VIEW_VERSION)
		fail(1, "snapshot format %d, this nicdrv-top reads %d",
		     s->version, NICDRV_VIEW_VERSION);
	if (s->up && (!s->tx.have || !s->rx.have || !s->tx.desc ||
		      !s->rx.desc || strlen(s->tx.desc) != s->tx.count ||
		      strlen(s->rx.desc) != s->rx.count))
		fail(1, "bad snapshot: a ring's lines are missing or disagree");
}

/*
 * One snapshot: the file read from offset 0 to its end, after choosing
 * the descriptor to show (cmd, "rx N" or "none"; the choice belongs to
 * the open file).  write(), not pwrite(): a seq_file refuses pwrite.
 */
static void take(const char *path, const char *cmd, struct snap *s)
{
	int fd = open_view(path, false);
	ssize_t n;

	memset(s, 0, sizeof(*s));
	if (write(fd, cmd, strlen(cmd)) != (ssize_t)strlen(cmd))
		fail(1, "%s: choosing '%s': %s", path, cmd, strerror(errno));
	for (;;) {
		n = pread(fd, s->text + s->len, SNAP_MAX - 1 - s->len, s->len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			fail(1, "%s: %s (the interface went away?)", path,
			     strerror(errno));
		if (n == 0)
			break;
		s->len += n;
		if (s->len == SNAP_MAX - 1)
			fail(1, "%s: snapshot larger than %d bytes", path,
			     SNAP_MAX);
	}
	close(fd);
	parse(s);
}

static void load_file(const char *file, struct snap *s)
{
	FILE *f = fopen(file, "r");

	if (!f)
		fail(1, "%s: %s", file, strerror(errno));
	memset(s, 0, sizeof(*s));
	s->len = fread(s->text, 1, SNAP_MAX - 1, f);
	if (ferror(f))
		fail(1, "%s: %s", file, strerror(errno));
	fclose(f);
	parse(s);
}

/* i in [from, to) around a ring of n */
static bool within(unsigned int i, unsigned int from, unsigned int to,
		   unsigned int n)
{
	return (i + n - from) % n < (to + n - from) % n;
}

/*
 * Descriptor i's state.  The indexes decide; a descriptor the NIC owned
 * when the head was read but whose DD is set by the time it was read was
 * finished in between, and shows as finished.
 */
static enum cell state(const struct ring *r, unsigned int i)
{
	unsigned int bits = r->desc[i] <= '9' ? r->desc[i] - '0' :
			    (r->desc[i] | 0x20) - 'a' + 10;

	if (within(i, r->head, r->tail, r->count))
		return bits & NICDRV_VIEW_DD ? DONE : NIC;
	if (within(i, r->ntc, r->head, r->count))
		return DONE;
	if (within(i, r->tail, r->ntu, r->count))
		return PENDING;
	return FREE;
}

/* Frame output: into a buffer, written at once (no flicker) */
static char *out;
static size_t out_len, out_cap;

static void put(const char *fmt, ...)
{
	va_list ap;
	int n;

	for (;;) {
		va_start(ap, fmt);
		n = vsnprintf(out + out_len, out_cap - out_len, fmt, ap);
		va_end(ap);
		if (n >= 0 && (size_t)n < out_cap - out_len)
			break;
		out_cap = out_cap * 2 + n + 4096;
		out = realloc(out, out_cap);
		if (!out)
			fail(1, "out of memory");
	}
	out_len += n;
}

/* A rate with thousands separators, or n/a without a previous sample */
static void put_rate(const struct snap *a, const struct snap *b,
		     uint64_t da, const char *unit)
{
	double dt, v;

	if (!a) {
		put("%12s", "n/a");
		return;
	}
	dt = (b->time_ns - a->time_ns) / 1e9;
	v = dt > 0 ? da / dt : 0;
	if (unit && v >= 1e6)
		put("%9.1f M%s", v / 1e6, unit);
	else if (unit && v >= 1e3)
		put("%9.1f k%s", v / 1e3, unit);
	else
		put("%12.0f", v);
}

static uint64_t delta(const struct snap *a, const struct snap *b, int c)
{
	return a ? b->ctr[c] - a->ctr[c] : 0;
}

static void put_counters(const struct opts *o, const struct snap *p,
			 const struct snap *s)
{
	uint64_t regs = delta(p, s, C_RD) + delta(p, s, C_WR);
	uint64_t own = p ? s->view_reads - p->view_reads : 0;

	/* The views' own reads since the last frame: leave them out */
	if (regs >= own)
		regs -= own;
	put("%-22s%12s  %12s\n", "per second", "TX", "RX");
	put("%-22s", "frames");
	put_rate(p, s, delta(p, s, C_TXP), NULL);
	put("  ");
	put_rate(p, s, delta(p, s, C_RXP), NULL);
	put("\n%-22s", "bytes");
	put_rate(p, s, delta(p, s, C_TXB), "B");
	put("  ");
	put_rate(p, s, delta(p, s, C_RXB), "B");
	put("\n%-22s", "doorbells (TDT, RDT)");
	put_rate(p, s, delta(p, s, C_TDT), NULL);
	put("  ");
	put_rate(p, s, delta(p, s, C_RDT), NULL);
	put("\n%-22s", "interrupts");
	put_rate(p, s, delta(p, s, C_IRQ), NULL);
	put("\n%-22s", "NAPI polls");
	put_rate(p, s, delta(p, s, C_POLL), NULL);
	put("\n%-22s", "register accesses");
	put_rate(p, s, regs, NULL);
	put("  (leaving out the view's own %" PRIu64 ")\n", own);
	put("%-22s", "capture ring");
	if (s->cap) {
		uint32_t held = s->cap_prod - s->cap_cons;
		unsigned int w = 30, i, fill;

		if (held > s->cap_entries) {
			put("the reader's index is invalid (prod %u, cons %u)\n",
			    s->cap_prod, s->cap_cons);
		} else {
			fill = (uint64_t)held * w / s->cap_entries;
			put("[");
			for (i = 0; i < w; i++)
				put("%c", i < fill ? '#' : '.');
			put("] %u of %u entries held by the reader\n", held,
			    s->cap_entries);
		}
	} else {
		put("no capture open (nicdrv-cap)\n");
	}
	put("%-22s%s; IOMMU: %s\n", "RX buffers",
	    s->umem ? "an AF_XDP socket's UMEM (zero-copy)" :
	    "nicdrv's pool (dma_map_page)",
	    s->iommu ? "translating (bus addresses are I/O virtual)" :
	    "none (bus address = physical)");
	(void)o;
}

/* Descriptors per cell: a power of two that fits the ring in o->rows */
static unsigned int per_cell(const struct opts *o, unsigned int count)
{
	unsigned int per = 1;

	while ((count + per * o->cols - 1) / (per * o->cols) > o->rows)
		per *= 2;
	return per;
}

/* One ring: a header line, rows of cells, the indexes marked under them */
static void put_ring(const struct opts *o, const struct snap *s,
		     const struct ring *r, int which)
{
	const char *hn = which ? "RDH" : "TDH", *tn = which ? "RDT" : "TDT";
	const unsigned int idx[4] = { r->ntc, r->head, r->tail, r->ntu };
	const char *const idx_name[4] = { "next_to_clean", hn, tn, "next_to_use" };
	unsigned int per = per_cell(o, r->count), cols = o->cols;
	unsigned int rows, row, c, i, k;

	rows = (r->count + per * cols - 1) / (per * cols);
	put("\n%s ring: %u descriptors", which ? "RX" : "TX", r->count);
	if (per > 1)
		put(", a cell per %u", per);
	put("   next_to_clean %u  %s %u  %s %u  next_to_use %u\n", r->ntc, hn,
	    r->head, tn, r->tail, r->ntu);
	if (r->torn) {
		put("      (indexes out of order: the ring moved a lap while they were read,\n"
		    "       or the NIC is resetting; nothing drawn)\n");
		return;
	}
	for (row = 0; row < rows; row++) {
		unsigned int first = row * cols * per;
		char marks[512];
		bool any = false;

		if (first >= r->count)
			break;
		put("%5u ", first);
		for (c = 0; c < cols && first + c * per < r->count; c++) {
			unsigned int n[NSTATES] = { 0 }, best = FREE;
			bool sel = false;

			for (k = 0; k < per; k++) {
				i = first + c * per + k;
				if (i >= r->count)
					break;
				n[state(r, i)]++;
				if (s->sel == (which ? 'r' : 't') && s->sel_idx == i)
					sel = true;
			}
			for (k = 0; k < NSTATES; k++)
				if (n[k] > n[best] || (n[k] == n[best] && k > best))
					best = k;
			if (o->tty)
				put("\033[%s%sm%c\033[0m", cell_sgr[best],
				    sel ? ";7" : "", cell_char[which][best]);
			else
				put("%c", cell_char[which][best]);
			/* the indexes that fall in this cell */
			marks[c] = ' ';
			for (k = 0; k < 4; k++) {
				if (idx[k] >= first + c * per &&
				    idx[k] < first + (c + 1) * per) {
					marks[c] = '^';
					any = true;
				}
			}
		}
		put("\n");
		if (any) {
			marks[c] = '\0';
			while (c && marks[c - 1] == ' ')
				marks[--c] = '\0';
			put("      %s", marks);
			/* name them, in ring order from this row */
			put("   ");
			for (k = 0; k < 4; k++)
				if (idx[k] >= first && idx[k] < first + cols * per)
					put(" %s %u", idx_name[k], idx[k]);
			put("\n");
		}
	}
}

/* What the cells mean: a line each in text frames, one line on a terminal */
static void put_legend(const struct opts *o, int which)
{
	static const char *const brief[NSTATES] = {
		"empty", "not handed over", "the NIC's", "done by the NIC",
	};
	unsigned int k;

	if (o->tty) {
		put("%s cells:", which ? "RX" : "TX");
		for (k = 0; k < NSTATES; k++)
			put("  \033[%sm%c\033[0m %s", cell_sgr[k],
			    cell_char[which][k], brief[k]);
		put("\n");
		return;
	}
	put("%s cells:\n", which ? "RX" : "TX");
	for (k = 0; k < NSTATES; k++)
		put("  %c %s\n", cell_char[which][k], cell_what[which][k]);
}

/* The chosen descriptor and its buffer's three addresses (docs/dma.md) */
static void put_sel(const struct snap *s)
{
	const struct ring *r = s->sel == 't' ? &s->tx : &s->rx;
	int which = s->sel == 'r';

	if (!s->sel || !s->up)
		return;
	if (s->sel_idx >= r->count) {
		put("\nno %s descriptor %u: the ring has %u\n",
		    which ? "rx" : "tx", s->sel_idx, r->count);
		return;
	}
	put("\n%s descriptor %u: %s\n", which ? "RX" : "TX", s->sel_idx,
	    r->torn ? "(ring torn)" : cell_what[which][state(r, s->sel_idx)]);
	put("  %-11s %-20s %-20s %s\n", "", "kernel virtual", "physical",
	    "bus (what the NIC uses)");
	if (s->sel_desc)
		put("  %-11s 0x%-18" PRIx64 " 0x%-18" PRIx64 " 0x%" PRIx64 "\n",
		    "descriptor", s->desc_va, s->desc_pa, s->desc_dma);
	if (!s->sel_buf) {
		put("  %-11s none: %s\n", "buffer",
		    !strcmp(s->sel_none, "context") ?
		    "a context descriptor (SDM 3.3.6) carries none" :
		    "the descriptor holds no address");
		return;
	}
	put("  %-11s ", "buffer");
	if (s->buf_va)
		put("0x%-18" PRIx64 " 0x%-18" PRIx64 " ", s->buf_va, s->buf_pa);
	else
		put("%-20s %-20s ", "(a mapped skb:", "not kept)");
	put("0x%" PRIx64 "   %u bytes\n", s->buf_dma, s->buf_len);
	if (s->sel_iommu) {
		put("  the IOMMU translates bus 0x%" PRIx64 " to physical 0x%" PRIx64,
		    s->buf_dma, s->iommu_pa);
		if (!s->iommu_pa)
			put(": no mapping (unmapped since)\n");
		else if (s->buf_va && s->iommu_pa == s->buf_pa)
			put(": the buffer's\n");
		else
			put("\n");
	} else if (!s->buf_va) {
		put("  nicdrv keeps only the bus address of a mapped skb, for its unmap\n");
	} else if (s->buf_dma != s->buf_pa) {
		put("  bus != physical with no IOMMU: the NIC uses a bounce buffer (swiotlb),\n"
		    "  which the syncs copy to and from\n");
	} else {
		put("  no IOMMU: the bus address is the physical address\n");
	}
}

static void draw(const struct opts *o, const struct snap *p,
		 const struct snap *s, const char *pci, bool paused)
{
	out_len = 0;
	if (o->tty)
		put("\033[H");
	put("nicdrv-top: %s%s%s", s->iface ? s->iface : "?",
	    pci ? " at " : "", pci ? pci : "");
	if (o->file)
		put(", snapshot %s\n", o->file);
	else
		put(", every %.2f s%s\n", o->delay, paused ? "  [paused]" : "");
	put_counters(o, p, s);
	if (!s->up) {
		put("\ninterface down: no rings\n");
	} else {
		put_ring(o, s, &s->tx, 0);
		put_ring(o, s, &s->rx, 1);
		put_sel(s);
		put("\n");
		put_legend(o, 0);
		put_legend(o, 1);
	}
	if (o->tty)
		put("q quit  t/r ring  arrows move  c next_to_clean  x none  space pause\033[J");
	else if (o->raw)
		put("--- snapshot\n%s--- end\n", s->text);
	fwrite(out, 1, out_len, stdout);
	if (!o->tty)
		putchar('\n');
	fflush(stdout);
}

static void on_signal(int sig)
{
	if (sig == SIGWINCH)
		resized = 1;
	else if (sig == SIGTSTP)
		suspended = 1;
	else
		stop = 1;
}

/* The terminal as it was: every exit goes through here (atexit) */
static void tty_restore(void)
{
	if (tio_saved)
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved_tio);
	/* the newline ends the last frame where there is no second screen */
	if (alt_screen)
		fputs("\n\033[?25h\033[?1049l", stdout);
	fflush(stdout);
	tio_saved = false;
	alt_screen = false;
}

/* Keys one at a time, no echo; the alternate screen, no cursor */
static void tty_setup(void)
{
	static bool registered;
	struct termios tio;

	if (!registered)
		atexit(tty_restore);
	registered = true;
	if (isatty(STDIN_FILENO) && !tcgetattr(STDIN_FILENO, &saved_tio)) {
		tio = saved_tio;
		tio.c_lflag &= ~(ICANON | ECHO);
		tio.c_cc[VMIN] = 0;
		tio.c_cc[VTIME] = 0;
		tio_saved = !tcsetattr(STDIN_FILENO, TCSAFLUSH, &tio);
	}
	alt_screen = true;
	fputs("\033[?1049h\033[?25l\033[2J", stdout);
}

/* Ctrl-Z: the terminal back as it was, stop; on fg, take it again */
static void tty_suspend(void)
{
	suspended = 0;
	tty_restore();
	signal(SIGTSTP, SIG_DFL);
	raise(SIGTSTP);
	signal(SIGTSTP, on_signal);
	tty_setup();
}

/*
 * The grid: 64 cells a row and 16 rows a ring in text frames; on a
 * terminal, what its width and height hold (a serial console that knows
 * neither gets the text frames' grid).
 */
static void layout(struct opts *o)
{
	struct winsize ws;

	o->cols = 64;
	o->rows = MAX_ROWS;
	if (!o->tty || ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws))
		return;
	if (ws.ws_col > 24) {
		o->cols = ws.ws_col - 8;
		o->cols = o->cols >= 128 ? 128 : o->cols >= 64 ? 64 :
			  o->cols >= 32 ? 32 : 16;
	}
	if (ws.ws_row > TTY_FIXED + 8)
		o->rows = (ws.ws_row - TTY_FIXED) / 4;
	else if (ws.ws_row)
		o->rows = 2;
	if (o->rows > MAX_ROWS)
		o->rows = MAX_ROWS;
}

/* What to write to the view: descriptor idx of ring 't' or 'r' (0: none) */
static void choose(char *cmd, size_t size, char ring, unsigned int idx)
{
	if (ring)
		snprintf(cmd, size, "%cx %u", ring, idx);
	else
		snprintf(cmd, size, "none");
}

static void parse_sel(const char *arg, char *ring, unsigned int *idx)
{
	char *end;
	unsigned long v;

	if ((strncmp(arg, "tx:", 3) && strncmp(arg, "rx:", 3)) || !arg[3])
		fail(2, "-s %s: expected tx:N or rx:N", arg);
	errno = 0;
	v = strtoul(arg + 3, &end, 10);
	if (errno || *end || v >= 4096)
		fail(2, "-s %s: N must be a descriptor index, 0 to 4095", arg);
	*ring = arg[0];
	*idx = v;
}

/*
 * A key, or 0 when none came within ms.  Arrows arrive as ESC [ A..D:
 * returned as 'k', 'j', 'l', 'h'.
 */
static int key(int ms)
{
	struct pollfd pfd = { .fd = STDIN_FILENO, .events = POLLIN };
	unsigned char b[8];
	ssize_t n;

	/* No keyboard (stdin at its end): only wait */
	if (keys_gone) {
		poll(NULL, 0, ms);
		return 0;
	}
	if (poll(&pfd, 1, ms) <= 0)
		return 0;
	n = read(STDIN_FILENO, b, sizeof(b));
	if (n == 0 || (n < 0 && errno != EINTR && errno != EAGAIN))
		keys_gone = true;
	if (n <= 0)
		return 0;
	if (n >= 3 && b[0] == 033 && b[1] == '[') {
		switch (b[2]) {
		case 'A': return 'k';
		case 'B': return 'j';
		case 'C': return 'l';
		case 'D': return 'h';
		}
		return 0;
	}
	return b[0];
}

static void sleep_s(double s)
{
	struct timespec ts = { (time_t)s, (long)((s - (time_t)s) * 1e9) };

	while (nanosleep(&ts, &ts) && errno == EINTR && !stop)
		;
}

int main(int argc, char **argv)
{
	static struct snap snaps[2];
	struct opts o = { .delay = -1, .frames = -1 };
	struct snap *p = NULL, *s;
	char path[PATH_MAX], pci[NAME_MAX + 1] = "", sel = 0;
	unsigned int sel_idx = 0;
	bool have_sel = false, paused = false;
	long frame;
	char cmd[32] = "none";
	int opt, cur = 0;

	while ((opt = getopt(argc, argv, "bRd:n:s:f:h")) != -1) {
		char *end;

		switch (opt) {
		case 'b':
			o.batch = true;
			break;
		case 'R':
			o.raw = true;
			break;
		case 'd':
			o.delay = strtod(optarg, &end);
			if (*end || !(o.delay >= 0.05 && o.delay <= 3600))
				fail(2, "-d %s: seconds, 0.05 to 3600", optarg);
			break;
		case 'n':
			o.frames = strtol(optarg, &end, 10);
			if (*end || o.frames < 1)
				fail(2, "-n %s: a number of frames, 1 or more", optarg);
			break;
		case 's':
			parse_sel(optarg, &sel, &sel_idx);
			have_sel = true;
			break;
		case 'f':
			o.file = optarg;
			break;
		default:
			bad_usage();
		}
	}
	if (o.file) {
		if (optind != argc || have_sel)
			bad_usage();
		o.tty = false;
		o.delay = 0;
		load_file(o.file, &snaps[0]);
		layout(&o);
		draw(&o, NULL, &snaps[0], NULL, false);
		return 0;
	}
	if (optind != argc - 1)
		bad_usage();
	o.ifname = argv[optind];
	o.tty = !o.batch && isatty(STDOUT_FILENO);
	if (o.delay < 0)
		o.delay = o.tty ? 0.25 : 1;
	if (o.frames < 0 && !o.tty)
		o.frames = 1;

	view_path(o.ifname, path, sizeof(path), pci, sizeof(pci));
	close(open_view(path, true));
	if (have_sel)
		choose(cmd, sizeof(cmd), sel, sel_idx);

	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGHUP, on_signal);
	signal(SIGQUIT, on_signal);
	signal(SIGWINCH, on_signal);
	if (o.tty)
		signal(SIGTSTP, on_signal);
	signal(SIGPIPE, SIG_DFL);
	if (o.tty)
		tty_setup();
	layout(&o);

	/* The first snapshot only starts the rates */
	take(path, cmd, &snaps[cur]);
	p = &snaps[cur];
	for (frame = 0; !stop && (o.frames < 0 || frame < o.frames); frame++) {
		if (o.tty) {
			int ms = (int)(o.delay * 1000), c;
			struct timespec t0, t1;

			clock_gettime(CLOCK_MONOTONIC, &t0);
			do {
				c = key(ms);
				if (c == 'q' || c == 'Q') {
					stop = 1;
					break;
				}
				if (c == ' ')
					paused = !paused;
				if (c == 't' || c == 'r') {
					sel = c;
					have_sel = true;
				}
				if (c == 'x')
					have_sel = false;
				if (have_sel && (c == 'h' || c == 'l' || c == 'j' ||
						 c == 'k' || c == 'c')) {
					const struct ring *r = sel == 't' ? &p->tx : &p->rx;
					unsigned int n = r->count ? r->count : 1;
					unsigned int step = c == 'h' || c == 'l' ? 1 :
							    o.cols * per_cell(&o, n);

					if (c == 'c')
						sel_idx = r->ntc;
					else if (c == 'l' || c == 'j')
						sel_idx = (sel_idx + step) % n;
					else
						sel_idx = (sel_idx + n - step % n) % n;
				}
				if (c) {
					choose(cmd, sizeof(cmd),
					       have_sel ? sel : 0, sel_idx);
					if (paused)
						break;
				}
				clock_gettime(CLOCK_MONOTONIC, &t1);
				ms = (int)(o.delay * 1000) -
				     (int)((t1.tv_sec - t0.tv_sec) * 1000 +
					   (t1.tv_nsec - t0.tv_nsec) / 1000000);
			} while (c && ms > 0 && !stop);
			if (stop)
				break;
			if (suspended)
				tty_suspend();
			if (resized) {
				resized = 0;
				fputs("\033[2J", stdout);
			}
			if (paused && !c)
				continue;
		} else {
			sleep_s(o.delay);
			if (stop)
				break;
		}
		cur ^= 1;
		s = &snaps[cur];
		take(path, cmd, s);
		layout(&o);
		draw(&o, p, s, pci, paused);
		p = s;
	}
	return 0;
}
