// SPDX-License-Identifier: GPL-2.0
/* nicdrv-map: see nicdrv-map.h */
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "nicdrv-map.h"

int nicdrv_node_of(const char *ifname, char *node, size_t len)
{
	char pattern[PATH_MAX];
	glob_t g;
	int ret = -1;

	if (strchr(ifname, '/'))
		return -1;
	snprintf(pattern, sizeof(pattern),
		 "/sys/class/net/%s/device/nicdrv/nicdrv*", ifname);
	if (!glob(pattern, 0, NULL, &g) && g.gl_pathc == 1) {
		snprintf(node, len, "/dev/%s",
			 strrchr(g.gl_pathv[0], '/') + 1);
		ret = 0;
	}
	globfree(&g);
	return ret;
}

static void *map_one(struct nicdrv_map *m, uint64_t off, uint64_t len,
		     int prot)
{
	void *p = mmap(NULL, len, prot, MAP_SHARED, m->fd, (off_t)off);

	return p == MAP_FAILED ? NULL : p;
}

static void unmap_all(struct nicdrv_map *m)
{
	if (m->status)
		munmap(m->status, m->info.status_len);
	if (m->ring)
		munmap(m->ring, m->info.ring_len);
	if (m->cons)
		munmap(m->cons, m->info.cons_len);
	if (m->bufs)
		munmap((void *)m->bufs, m->info.bufs_len);
	m->status = NULL;
	m->ring = NULL;
	m->cons = NULL;
	m->bufs = NULL;
}

int nicdrv_map_open(struct nicdrv_map *m, const char *node, const char **what)
{
	struct nicdrv_cap_info *i = &m->info;
	int err;

	memset(m, 0, sizeof(*m));
	*what = "open";
	m->fd = open(node, O_RDWR | O_CLOEXEC);
	if (m->fd < 0)
		return -1;
	*what = "GET_INFO";
	if (ioctl(m->fd, NICDRV_IOC_GET_INFO, i))
		goto fail;
	*what = "version";
	errno = EPROTO;
	if (i->version != NICDRV_CAP_VERSION ||
	    i->desc_size != sizeof(struct nicdrv_cap_desc))
		goto fail;
	*what = "status region";
	m->status = map_one(m, i->status_off, i->status_len, PROT_READ);
	if (!m->status)
		goto fail;
	*what = "ring region";
	m->ring = map_one(m, i->ring_off, i->ring_len, PROT_READ);
	if (!m->ring)
		goto fail;
	*what = "consumer region";
	m->cons = map_one(m, i->cons_off, i->cons_len, PROT_READ | PROT_WRITE);
	if (!m->cons)
		goto fail;
	*what = "buffer region";
	m->bufs = map_one(m, i->bufs_off, i->bufs_len, PROT_READ);
	if (!m->bufs)
		goto fail;
	*what = "magic";
	errno = EPROTO;
	if (m->status->magic != NICDRV_CAP_MAGIC)
		goto fail;
	return 0;

fail:
	err = errno;
	unmap_all(m);
	close(m->fd);
	m->fd = -1;
	errno = err;
	return -1;
}

void nicdrv_map_close(struct nicdrv_map *m)
{
	unmap_all(m);
	if (m->fd >= 0)
		close(m->fd);
	m->fd = -1;
}
