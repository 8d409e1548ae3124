// SPDX-License-Identifier: GPL-2.0
/*
 * udpseq: a UDP flood whose every datagram can be checked, for the ring
 * pressure tests (qemu-tests/tests/27-ring-pressure.sh).
 *
 *   udpseq send ADDR PORT SECONDS SIZE[,SIZE...]
 *	sends as fast as it can for SECONDS, the sizes in turn; prints
 *	"sent N"
 *   udpseq recv PORT IDLE_MS [READY_FILE]
 *	receives until nothing came for IDLE_MS after the first datagram
 *	(creating READY_FILE once bound); prints
 *	"received N unique U dup D bad B maxseq M"
 *
 * Each datagram starts with its sequence number and its length; every
 * other byte is a function of both, so a datagram that was delivered
 * twice, cut, or filled from a stale buffer shows up as dup or bad.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_DGRAM	65507
#define MAX_SEQ		67108864	/* far more than TCG sends in a test */

struct hdr {
	uint32_t seq;
	uint32_t len;
};

static uint8_t pattern(uint32_t seq, uint32_t len, size_t k)
{
	return (uint8_t)(seq * 131 + len * 7 + k * 13 + (k >> 8));
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int do_send(const char *addr, int port, double secs, char *sizes)
{
	static uint8_t buf[MAX_DGRAM];
	struct sockaddr_in sin = { .sin_family = AF_INET };
	unsigned int nsz = 0, sz[16];
	uint64_t sent = 0, nobufs = 0;
	struct hdr h;
	double end;
	char *tok;
	int fd;

	for (tok = strtok(sizes, ","); tok && nsz < 16; tok = strtok(NULL, ","))
		sz[nsz++] = atoi(tok);
	if (!nsz)
		return 2;
	for (unsigned int i = 0; i < nsz; i++)
		if (sz[i] < sizeof(h) || sz[i] > MAX_DGRAM) {
			fprintf(stderr, "udpseq: size %u out of range\n", sz[i]);
			return 2;
		}
	sin.sin_port = htons(port);
	if (inet_pton(AF_INET, addr, &sin.sin_addr) != 1) {
		fprintf(stderr, "udpseq: bad address %s\n", addr);
		return 2;
	}
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0 || connect(fd, (void *)&sin, sizeof(sin))) {
		perror("udpseq: socket");
		return 1;
	}
	end = now_s() + secs;
	while (now_s() < end && sent < MAX_SEQ) {
		h.seq = sent;
		h.len = sz[sent % nsz];
		memcpy(buf, &h, sizeof(h));
		for (size_t k = sizeof(h); k < h.len; k++)
			buf[k] = pattern(h.seq, h.len, k);
		if (send(fd, buf, h.len, 0) < 0) {
			if (errno == ENOBUFS || errno == EAGAIN ||
			    errno == ECONNREFUSED) {
				nobufs++;
				continue;	/* the same seq again */
			}
			perror("udpseq: send");
			return 1;
		}
		sent++;
	}
	printf("sent %llu retried %llu\n", (unsigned long long)sent,
	       (unsigned long long)nobufs);
	return 0;
}

static int do_recv(int port, int idle_ms, const char *ready)
{
	static uint8_t buf[MAX_DGRAM + 1];
	struct sockaddr_in sin = { .sin_family = AF_INET };
	uint64_t rcvd = 0, uniq = 0, dup = 0, bad = 0, maxseq = 0;
	int fd, one = 4 << 20;
	uint8_t *seen;

	seen = calloc(MAX_SEQ / 8, 1);
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	sin.sin_port = htons(port);
	if (!seen || fd < 0 || bind(fd, (void *)&sin, sizeof(sin))) {
		perror("udpseq: bind");
		return 1;
	}
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &one, sizeof(one));
	if (ready)
		close(open(ready, O_CREAT | O_WRONLY, 0644));
	for (;;) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		struct hdr h;
		ssize_t n;
		size_t k;

		/* Before the first datagram, wait up to a minute */
		if (poll(&p, 1, rcvd ? idle_ms : 60000) <= 0)
			break;
		n = recv(fd, buf, sizeof(buf), 0);
		if (n < 0)
			continue;
		rcvd++;
		memcpy(&h, buf, n < (ssize_t)sizeof(h) ? 0 : sizeof(h));
		if (n < (ssize_t)sizeof(h) || h.len != (uint32_t)n ||
		    h.seq >= MAX_SEQ) {
			bad++;
			continue;
		}
		for (k = sizeof(h); k < (size_t)n; k++)
			if (buf[k] != pattern(h.seq, h.len, k))
				break;
		if (k != (size_t)n) {
			bad++;
			continue;
		}
		if (seen[h.seq / 8] & (1u << (h.seq % 8))) {
			dup++;
			continue;
		}
		seen[h.seq / 8] |= 1u << (h.seq % 8);
		uniq++;
		if (h.seq > maxseq)
			maxseq = h.seq;
	}
	printf("received %llu unique %llu dup %llu bad %llu maxseq %llu\n",
	       (unsigned long long)rcvd, (unsigned long long)uniq,
	       (unsigned long long)dup, (unsigned long long)bad,
	       (unsigned long long)maxseq);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 6 && !strcmp(argv[1], "send"))
		return do_send(argv[2], atoi(argv[3]), atof(argv[4]), argv[5]);
	if ((argc == 4 || argc == 5) && !strcmp(argv[1], "recv"))
		return do_recv(atoi(argv[2]), atoi(argv[3]),
			       argc == 5 ? argv[4] : NULL);
	fprintf(stderr,
		"usage: udpseq send ADDR PORT SECONDS SIZE[,SIZE...]\n"
		"       udpseq recv PORT IDLE_MS [READY_FILE]\n");
	return 2;
}
