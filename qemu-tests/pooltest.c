// SPDX-License-Identifier: GPL-2.0
/*
 * pooltest: the guest-side checks of /dev/nicdrvN that need C.
 *
 *   pooltest errors IFACE       every refusal: prints "ok - ..." lines
 *   pooltest find IFACE TEXT S  wait up to S seconds for a received frame
 *                               holding TEXT, found in the mapped buffers
 *   pooltest fuzz IFACE N       N random ioctl calls, then a sanity check
 *   pooltest hold IFACE         map everything, wait for the end of the
 *                               session, then report what the reader sees
 *   pooltest open IFACE         open and map everything, then exit
 *   pooltest keep IFACE         open and map everything, release nothing,
 *                               and wait for a signal: a reader whose
 *                               ring only fills (33-ring-view)
 *
 * Exit status 0 when every check passed.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/capability.h>
#include <poll.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "nicdrv-map.h"

static int failures;
static char node[PATH_MAX];

static void result(bool ok, const char *fmt, ...)
{
	va_list ap;

	printf("%s - ", ok ? "ok" : "not ok");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
	if (!ok)
		failures++;
}

/* expect(name, call's return, wanted errno or 0) */
static void expect(const char *name, long ret, int want)
{
	int got = ret < 0 ? errno : 0;

	if (want)
		result(ret < 0 && got == want, "%s: %s (want %s)", name,
		       ret < 0 ? strerror(got) : "succeeded", strerror(want));
	else
		result(ret >= 0, "%s: %s", name,
		       ret < 0 ? strerror(got) : "succeeds");
}

static void find_node(const char *ifname)
{
	if (nicdrv_node_of(ifname, node, sizeof(node))) {
		fprintf(stderr, "pooltest: no nicdrv device for %s\n", ifname);
		exit(2);
	}
}

/* Open the node and map every region; says what failed */
static int open_maps(struct nicdrv_map *m)
{
	const char *what;

	if (!nicdrv_map_open(m, node, &what))
		return 0;
	fprintf(stderr, "pooltest: %s: %s: %s\n", node, what, strerror(errno));
	return -1;
}

static void release_all(struct nicdrv_map *m)
{
	nicdrv_map_release(m, nicdrv_map_prod(m));
}

/* Wait up to ms for a published entry beyond cons; returns its index */
static bool wait_entry(struct nicdrv_map *m, int ms)
{
	struct pollfd p = { .fd = m->fd, .events = POLLIN };

	return poll(&p, 1, ms) > 0 && (p.revents & POLLIN);
}

/* Run fn in a child; returns the child's wait status */
static int in_child(void (*fn)(void *), void *arg)
{
	pid_t pid = fork();
	int st;

	if (pid == 0) {
		fn(arg);
		_exit(0);
	}
	waitpid(pid, &st, 0);
	return st;
}

static void child_unprivileged(void *arg)
{
	(void)arg;
	if (setgid(65534) || setuid(65534))
		_exit(3);
	_exit(open(node, O_RDWR) < 0 ? errno : 0);
}

static void child_no_net_raw(void *arg)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];

	(void)arg;
	if (syscall(SYS_capget, &h, d))
		_exit(3);
	d[CAP_NET_RAW / 32].effective &= ~(1u << (CAP_NET_RAW % 32));
	d[CAP_NET_RAW / 32].permitted &= ~(1u << (CAP_NET_RAW % 32));
	if (syscall(SYS_capset, &h, d))
		_exit(3);
	_exit(open(node, O_RDWR) < 0 ? errno : 0);
}

static void child_write_ring(void *arg)
{
	volatile uint8_t *p = arg;

	p[0] = 1;	/* must die of SIGSEGV here */
}

static void child_read(void *arg)
{
	volatile const uint8_t *p = arg;

	(void)p[0];	/* must die of SIGSEGV here: no mapping inherited */
}

/*
 * Nothing of the pool may outlive the reader's mapping: no copy for a
 * child of fork(), even after MADV_DOFORK, and no page reference taken
 * through the mapping (vmsplice() pins the pages it splices)
 */
static void test_no_escape(const struct nicdrv_map *m)
{
	struct iovec iov = { (void *)m->bufs, 4096 };
	int pfd[2], st;

	expect("madvise(MADV_DOFORK) on the buffer mapping",
	       madvise((void *)m->bufs, 4096, MADV_DOFORK), EINVAL);
	st = in_child(child_read, (void *)m->bufs);
	result(WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV,
	       "a child of fork() has no buffer mapping (SIGSEGV)");
	if (pipe(pfd)) {
		result(false, "pipe: %s", strerror(errno));
		return;
	}
	expect("vmsplice() of a buffer page into a pipe",
	       vmsplice(pfd[1], &iov, 1, 0), EFAULT);
	close(pfd[0]);
	close(pfd[1]);
}

static void test_errors(void)
{
	struct nicdrv_map m = { .fd = -1 };
	struct nicdrv_cap_stats st0, st1;
	struct nicdrv_cap_range r;
	struct stat sb;
	uint8_t dummy;
	uint32_t p;
	void *v;
	int st, fd2;

	expect("stat the node", stat(node, &sb), 0);
	result((sb.st_mode & 0777) == 0600 && sb.st_uid == 0,
	       "%s is mode 0600, owner root (mode %o, uid %u)", node,
	       sb.st_mode & 0777, sb.st_uid);
	st = in_child(child_unprivileged, NULL);
	result(WIFEXITED(st) && WEXITSTATUS(st) == EACCES,
	       "an unprivileged user cannot open it (%s)",
	       WIFEXITED(st) ? strerror(WEXITSTATUS(st)) : "child died");
	st = in_child(child_no_net_raw, NULL);
	result(WIFEXITED(st) && WEXITSTATUS(st) == EPERM,
	       "root without CAP_NET_RAW cannot open it (%s)",
	       WIFEXITED(st) ? strerror(WEXITSTATUS(st)) : "child died");

	expect("first reader opens and maps every region", open_maps(&m), 0);
	if (m.fd < 0)
		return;
	fd2 = open(node, O_RDWR);
	expect("a second reader is refused", fd2, EBUSY);
	if (fd2 >= 0)
		close(fd2);
	result(m.info.ring_entries && !(m.info.ring_entries & (m.info.ring_entries - 1)) &&
	       m.info.buf_size == 1536 &&
	       m.info.bufs_len >= (uint64_t)m.info.buf_count * m.info.buf_size &&
	       m.status->magic == NICDRV_CAP_MAGIC && m.status->state == NICDRV_CAP_LIVE,
	       "GET_INFO and the status region agree (%u entries, %u buffers)",
	       m.info.ring_entries, m.info.buf_count);

	/* mmap: protection, sharing, offsets, lengths */
	v = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, m.fd, m.info.status_off);
	expect("mmap status PROT_WRITE", v == MAP_FAILED ? -1 : 0, EACCES);
	v = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, m.fd, m.info.ring_off);
	expect("mmap ring PROT_WRITE", v == MAP_FAILED ? -1 : 0, EACCES);
	v = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, m.fd, m.info.bufs_off);
	expect("mmap buffers PROT_WRITE", v == MAP_FAILED ? -1 : 0, EACCES);
	v = mmap(NULL, 4096, PROT_READ | PROT_EXEC, MAP_SHARED, m.fd, m.info.bufs_off);
	expect("mmap buffers PROT_EXEC", v == MAP_FAILED ? -1 : 0, EACCES);
	v = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, m.fd, m.info.bufs_off);
	expect("mmap buffers MAP_PRIVATE", v == MAP_FAILED ? -1 : 0, EINVAL);
	v = mmap(NULL, 4096, PROT_READ, MAP_SHARED, m.fd, m.info.bufs_off + 4096);
	expect("mmap inside a region", v == MAP_FAILED ? -1 : 0, EINVAL);
	v = mmap(NULL, 4096, PROT_READ, MAP_SHARED, m.fd,
		 m.info.bufs_off + m.info.bufs_len);
	expect("mmap past the last region", v == MAP_FAILED ? -1 : 0, EINVAL);
	v = mmap(NULL, m.info.ring_len + 4096, PROT_READ, MAP_SHARED, m.fd,
		 m.info.ring_off);
	expect("mmap longer than the ring region", v == MAP_FAILED ? -1 : 0, EINVAL);
	v = mmap(NULL, m.info.bufs_len + 4096, PROT_READ, MAP_SHARED, m.fd,
		 m.info.bufs_off);
	expect("mmap longer than the buffer region", v == MAP_FAILED ? -1 : 0, EINVAL);
	expect("mprotect buffers to PROT_WRITE",
	       mprotect((void *)m.bufs, 4096, PROT_READ | PROT_WRITE), EACCES);
	st = in_child(child_write_ring, m.ring);
	result(WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV,
	       "a write to the ring mapping faults (SIGSEGV)");
	st = in_child(child_write_ring, (void *)m.bufs);
	result(WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV,
	       "a write to the buffer mapping faults (SIGSEGV)");
	test_no_escape(&m);
	expect("read() is refused", read(m.fd, &dummy, 1), EINVAL);
	expect("write() is refused", write(m.fd, &dummy, 1), EINVAL);

	/* ioctl numbers, sizes and pointers */
	expect("unknown ioctl number", ioctl(m.fd, _IO(NICDRV_IOC_MAGIC, 99)), ENOTTY);
	expect("GET_INFO with a wrong size",
	       ioctl(m.fd, _IOR(NICDRV_IOC_MAGIC, 1, uint32_t), &p), ENOTTY);
	expect("another driver's ioctl (TCGETS)", ioctl(m.fd, 0x5401, &p), ENOTTY);
	expect("GET_INFO to NULL", ioctl(m.fd, NICDRV_IOC_GET_INFO, NULL), EFAULT);
	expect("GET_STATS into a read-only mapping",
	       ioctl(m.fd, NICDRV_IOC_GET_STATS, m.bufs), EFAULT);
	r.offset = 0;
	r.len = 0;
	expect("SYNC_FOR_CPU of 0 bytes", ioctl(m.fd, NICDRV_IOC_SYNC_FOR_CPU, &r), EINVAL);
	r.offset = (uint64_t)m.info.buf_count * m.info.buf_size;
	r.len = 1;
	expect("SYNC_FOR_CPU past the buffers", ioctl(m.fd, NICDRV_IOC_SYNC_FOR_CPU, &r), EINVAL);
	r.offset = 4096;
	r.len = UINT64_MAX;
	expect("SYNC_FOR_DEVICE with a wrapping length",
	       ioctl(m.fd, NICDRV_IOC_SYNC_FOR_DEVICE, &r), EINVAL);
	r.offset = 0;
	r.len = (uint64_t)(NICDRV_CAP_SYNC_MAX_BUFS + 1) * m.info.buf_size;
	expect("SYNC_FOR_CPU of 17 buffers (16 at most)",
	       ioctl(m.fd, NICDRV_IOC_SYNC_FOR_CPU, &r), E2BIG);
	release_all(&m);
	r.offset = 0;
	r.len = 64;
	expect("SYNC_FOR_CPU of a buffer the reader does not hold",
	       ioctl(m.fd, NICDRV_IOC_SYNC_FOR_CPU, &r), EBUSY);

	/* A held buffer syncs; the caller's test script keeps pings coming */
	if (!wait_entry(&m, 5000)) {
		result(false, "a frame arrives for the sync checks");
	} else {
		const struct nicdrv_cap_desc *d =
			&m.ring[m.cons->cons & (m.info.ring_entries - 1)];

		r.offset = (uint64_t)d->buf * m.info.buf_size;
		r.len = d->len;
		expect("SYNC_FOR_CPU of a held buffer",
		       ioctl(m.fd, NICDRV_IOC_SYNC_FOR_CPU, &r), 0);
		expect("SYNC_FOR_DEVICE of a held buffer",
		       ioctl(m.fd, NICDRV_IOC_SYNC_FOR_DEVICE, &r), 0);
	}

	/* A consumer index beyond prod is counted and ignored */
	ioctl(m.fd, NICDRV_IOC_GET_STATS, &st0);
	p = nicdrv_map_prod(&m);
	nicdrv_map_release(&m, p + 1000);
	sleep(2);
	ioctl(m.fd, NICDRV_IOC_GET_STATS, &st1);
	result(st1.invalid_release > st0.invalid_release,
	       "a consumer index past prod counts as an invalid release (%llu -> %llu)",
	       (unsigned long long)st0.invalid_release,
	       (unsigned long long)st1.invalid_release);
	release_all(&m);
	p = nicdrv_map_prod(&m);
	sleep(1);
	release_all(&m);
	sleep(1);
	result(nicdrv_map_prod(&m) != p,
	       "capture goes on once the index is valid again (prod %u -> %u)",
	       p, nicdrv_map_prod(&m));
	/* The session lasts while a mapping does, even with the fd closed */
	close(m.fd);
	fd2 = open(node, O_RDWR);
	expect("closed but still mapped: a new reader is refused", fd2, EBUSY);
	if (fd2 >= 0)
		close(fd2);
	munmap(m.status, m.info.status_len);
	munmap(m.ring, m.info.ring_len);
	munmap(m.cons, m.info.cons_len);
	munmap((void *)m.bufs, m.info.bufs_len);
	fd2 = open(node, O_RDWR);
	expect("closed and unmapped: the device opens again", fd2, 0);
	if (fd2 >= 0)
		close(fd2);
}

/* ---- find: known bytes from the peer, in the mapping ---- */

static int test_find(const char *text, int seconds)
{
	struct nicdrv_map m = { .fd = -1 };
	size_t tl = strlen(text);
	time_t end = time(NULL) + seconds;

	if (open_maps(&m))
		return 2;
	while (time(NULL) < end) {
		uint32_t i, prod = nicdrv_map_prod(&m);

		for (i = m.cons->cons; i != prod; i++) {
			const struct nicdrv_cap_desc *d =
				&m.ring[i & (m.info.ring_entries - 1)];
			const uint8_t *b = nicdrv_map_buf(&m, d);
			const uint8_t *hit = memmem(b, d->len, text, tl);

			if (hit) {
				printf("found '%s' in buffer %u at byte %ld",
				       text, d->buf, (long)(hit - b));
				printf(" of a %u-byte frame (descriptor %u)\n",
				       d->frame_len, i);
				return 0;
			}
		}
		nicdrv_map_release(&m, prod);
		wait_entry(&m, 500);
	}
	printf("'%s' not found in %d s\n", text, seconds);
	return 1;
}

/* ---- fuzz: random ioctls ---- */

static int test_fuzz(long n)
{
	static const unsigned int cmds[] = {
		NICDRV_IOC_GET_INFO, NICDRV_IOC_GET_STATS, NICDRV_IOC_GET_IFNAME,
		NICDRV_IOC_SYNC_FOR_CPU, NICDRV_IOC_SYNC_FOR_DEVICE,
	};
	uint8_t buf[256];
	struct nicdrv_map m = { .fd = -1 };
	long i, ok = 0, err = 0;

	if (open_maps(&m))
		return 2;
	srandom(getpid() ^ time(NULL));
	for (i = 0; i < n; i++) {
		unsigned int cmd;
		void *arg;
		long k;

		switch (random() % 4) {
		case 0:
			cmd = cmds[random() % 5];
			break;
		case 1:	/* our type, any number, direction and size */
			cmd = _IOC(random() % 4, NICDRV_IOC_MAGIC, random() % 16,
				   random() % 256);
			break;
		case 2:	/* a valid command with its size changed */
			cmd = (cmds[random() % 5] & ~(_IOC_SIZEMASK << _IOC_SIZESHIFT)) |
			      (random() % 64) << _IOC_SIZESHIFT;
			break;
		default:
			cmd = random();
		}
		for (k = 0; k < (long)sizeof(buf); k++)
			buf[k] = random();
		switch (random() % 5) {
		case 0:
			arg = NULL;
			break;
		case 1:
			arg = (void *)(uintptr_t)random();
			break;
		case 2:
			arg = (void *)0xffff888000000000ULL;	/* kernel */
			break;
		case 3:
			arg = (void *)m.bufs;	/* read-only */
			break;
		default:
			arg = buf;
		}
		if (ioctl(m.fd, cmd, arg))
			err++;
		else
			ok++;
	}
	printf("%ld ioctls: %ld succeeded, %ld failed\n", n, ok, err);
	if (ioctl(m.fd, NICDRV_IOC_GET_INFO, &m.info) ||
	    m.status->magic != NICDRV_CAP_MAGIC) {
		printf("the device is broken after fuzzing\n");
		return 1;
	}
	return 0;
}

/* ---- hold: what a reader sees when the session ends under it ---- */

static int test_hold(void)
{
	struct nicdrv_map m = { .fd = -1 };
	struct pollfd p;
	volatile uint8_t sum = 0;
	uint64_t i;
	int r, e1, e2;
	void *v;

	if (open_maps(&m))
		return 2;
	printf("holding %s: %u buffers mapped\n", node, m.info.buf_count);
	fflush(stdout);
	for (;;) {
		p.fd = m.fd;
		p.events = POLLIN;
		r = poll(&p, 1, -1);
		if (r > 0 && (p.revents & (POLLERR | POLLHUP)))
			break;
		release_all(&m);
	}
	r = ioctl(m.fd, NICDRV_IOC_GET_INFO, &m.info);
	e1 = r ? errno : 0;
	v = mmap(NULL, 4096, PROT_READ, MAP_SHARED, m.fd, m.info.status_off);
	e2 = v == MAP_FAILED ? errno : 0;
	/* Every mapped byte stays readable: the pages outlive the pool */
	for (i = 0; i < m.info.bufs_len; i += 64)
		sum += m.bufs[i];
	printf("revents%s%s, ioctl: %s, mmap: %s, state %s, final frames %llu, buffers readable\n",
	       p.revents & POLLERR ? " POLLERR" : "",
	       p.revents & POLLHUP ? " POLLHUP" : "",
	       e1 ? strerror(e1) : "ok", e2 ? strerror(e2) : "ok",
	       m.status->state == NICDRV_CAP_DEAD ? "DEAD" : "LIVE",
	       (unsigned long long)m.status->final.frames);
	(void)sum;
	return (p.revents & POLLERR) && (p.revents & POLLHUP) && e1 == ENODEV &&
	       e2 == ENODEV && m.status->state == NICDRV_CAP_DEAD ? 0 : 1;
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: pooltest errors|find|fuzz|hold|open|keep IFACE [ARGS]\n");
		return 2;
	}
	find_node(argv[2]);
	if (!strcmp(argv[1], "errors")) {
		test_errors();
		return failures ? 1 : 0;
	}
	if (!strcmp(argv[1], "find") && argc == 5)
		return test_find(argv[3], atoi(argv[4]));
	if (!strcmp(argv[1], "fuzz") && argc == 4)
		return test_fuzz(atol(argv[3]));
	if (!strcmp(argv[1], "hold"))
		return test_hold();
	if (!strcmp(argv[1], "open")) {
		struct nicdrv_map m = { .fd = -1 };

		return open_maps(&m) ? 1 : 0;
	}
	if (!strcmp(argv[1], "keep")) {
		struct nicdrv_map m = { .fd = -1 };

		if (open_maps(&m))
			return 1;
		printf("keeping %s: %u ring entries\n", node, m.info.ring_entries);
		fflush(stdout);
		pause();
		return 0;
	}
	fprintf(stderr, "pooltest: bad arguments\n");
	return 2;
}
