/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nicdrv-map: find the capture device of a nicdrv interface and map its
 * four regions (status, ring, cons, bufs) as uapi/nicdrv.h lays them out.
 * Shared by nicdrv-cap and the test suite's pooltest.
 */
#ifndef NICDRV_MAP_H
#define NICDRV_MAP_H

#include <stddef.h>
#include <stdint.h>

#include "nicdrv.h"

struct nicdrv_map {
	int fd;
	struct nicdrv_cap_info info;
	struct nicdrv_cap_status *status;
	struct nicdrv_cap_desc *ring;
	struct nicdrv_cap_cons *cons;
	const uint8_t *bufs;
};

/*
 * The device node of IFNAME (/dev/nicdrvN), found through the interface's
 * PCI device: its child in class nicdrv.  Returns 0, or -1 when IFNAME is
 * not a nicdrv interface.
 */
int nicdrv_node_of(const char *ifname, char *node, size_t len);

/*
 * Open NODE read-write and map every region, checking the protocol
 * version and the magic.  Returns 0, or -1 with errno set and *what naming
 * the step that failed ("open", "GET_INFO", "version", "status region",
 * ...); nothing stays open or mapped then.
 */
int nicdrv_map_open(struct nicdrv_map *m, const char *node, const char **what);

/* Unmap the regions and close the file */
void nicdrv_map_close(struct nicdrv_map *m);

/* The producer index, read with the acquire the ring protocol asks for */
static inline uint32_t nicdrv_map_prod(const struct nicdrv_map *m)
{
	return __atomic_load_n(&m->status->prod, __ATOMIC_ACQUIRE);
}

/* Hand entries before CONS back to the driver (release, as documented) */
static inline void nicdrv_map_release(struct nicdrv_map *m, uint32_t cons)
{
	__atomic_store_n(&m->cons->cons, cons, __ATOMIC_RELEASE);
}

/* Where entry D's frame starts in the mapped pool */
static inline const uint8_t *nicdrv_map_buf(const struct nicdrv_map *m,
					    const struct nicdrv_cap_desc *d)
{
	return m->bufs + (size_t)d->buf * m->info.buf_size + d->off;
}

#endif
