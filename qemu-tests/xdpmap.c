// SPDX-License-Identifier: GPL-2.0
/*
 * xdpmap: attach an XDP program that redirects through a map, and fill
 * the map, for the redirect tests (qemu-tests/tests/32-xdp-redirect.sh).
 *
 *   xdpmap IFACE OBJ PROG MAP TARGET [NETNS]
 *	attaches program PROG of OBJ to IFACE in native mode, then fills
 *	key 0 of OBJ's map MAP: a device map with interface TARGET, looked
 *	up in network namespace NETNS (/var/run/netns/NETNS) if given (the
 *	map holds the device, whichever namespace it is in); a CPU map
 *	with a queue of 2048 frames on CPU 0 (TARGET: cpu0).  The program
 *	stays attached when xdpmap exits ("ip link set dev IFACE xdpdrv
 *	off" removes it).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/if_link.h>
#include <net/if.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

static int fail(const char *what, int err)
{
	fprintf(stderr, "xdpmap: %s: %s\n", what, strerror(err));
	return 1;
}

int main(int argc, char **argv)
{
	struct bpf_object *obj;
	struct bpf_program *prog;
	struct bpf_map *map;
	unsigned int ifindex, target;
	__u32 key = 0;
	char path[128];
	int fd, err;

	if (argc != 6 && argc != 7) {
		fputs("usage: xdpmap IFACE OBJ PROG MAP TARGET [NETNS]\n", stderr);
		return 1;
	}
	ifindex = if_nametoindex(argv[1]);
	if (!ifindex)
		return fail(argv[1], errno);
	obj = bpf_object__open_file(argv[2], NULL);
	if (!obj)
		return fail(argv[2], errno);
	err = bpf_object__load(obj);
	if (err)
		return fail("load", -err);
	prog = bpf_object__find_program_by_name(obj, argv[3]);
	if (!prog)
		return fail(argv[3], ENOENT);
	map = bpf_object__find_map_by_name(obj, argv[4]);
	if (!map)
		return fail(argv[4], ENOENT);
	/* IFACE is this namespace's; the map waits for TARGET (XDP_ABORTED) */
	err = bpf_xdp_attach(ifindex, bpf_program__fd(prog),
			     XDP_FLAGS_DRV_MODE, NULL);
	if (err)
		return fail("attach", -err);
	if (argc == 7) {
		snprintf(path, sizeof(path), "/var/run/netns/%s", argv[6]);
		fd = open(path, O_RDONLY);
		if (fd < 0)
			return fail(path, errno);
		if (setns(fd, CLONE_NEWNET))
			return fail("setns", errno);
		close(fd);
	}
	if (bpf_map__type(map) == BPF_MAP_TYPE_CPUMAP) {
		if (strcmp(argv[5], "cpu0"))
			return fail(argv[5], EINVAL);
		target = 2048;		/* the CPU's queue, in frames */
	} else {
		target = if_nametoindex(argv[5]);
		if (!target)
			return fail(argv[5], errno);
	}
	/* A device map resolves the index in this (TARGET's) namespace */
	if (bpf_map_update_elem(bpf_map__fd(map), &key, &target, 0))
		return fail("map update", errno);
	return 0;
}
