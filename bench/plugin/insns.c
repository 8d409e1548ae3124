// SPDX-License-Identifier: GPL-2.0
/*
 * insns: a QEMU TCG plugin that counts the guest instructions executed in
 * windows the guest opens and closes itself.
 *
 * Every translation block gets a counter that TCG increments inline each
 * time the block starts (no callback, little cost); a block's instructions
 * are that count times its length.  The guest marks a window with an
 * 8-byte NOP that nothing else emits (qemu-tests/insnmark.c):
 *
 *	nopl 0xID0P444e(%rax,%rax,1)	bytes 0f 1f 84 00 4e 44 P ID
 *
 * P is 1 to open window ID (every counter goes to zero) and 2 to close it
 * (the counters that moved go to OUT.ID, one line per block: its guest
 * virtual address, its length and how often it ran).  Splitting by address
 * range (driver module, rest of the kernel, user space) and by function is
 * left to the host, with the module's address and symbols that the guest
 * prints (qemu-tests/guest/insns.sh).
 *
 * Load with -plugin build/bench/insns.so,out=PREFIX.  The counters are
 * plain adds, so the guest must run one vCPU (-smp 1): a block counted on
 * two vCPUs at once could lose an increment.  A block that an interrupt
 * cuts short still counts whole; against thousands of packets that is
 * noise well under 1 %.
 */
#include <inttypes.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <qemu-plugin.h>

QEMU_PLUGIN_EXPORT int qemu_plugin_version = QEMU_PLUGIN_VERSION;

struct block {
	uint64_t vaddr;
	uint64_t count;		/* incremented by TCG, inline */
	uint32_t insns;
};

/*
 * Blocks live in chunks that never move: TCG holds a pointer to each
 * counter for as long as the translated code exists.
 */
#define CHUNK 8192

struct chunk {
	struct chunk *next;
	unsigned int used;
	struct block b[CHUNK];
};

static struct chunk *chunks;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static char *out_prefix;

#define MARK_LEN	8
#define MARK_OPEN	1
#define MARK_CLOSE	2
static const uint8_t mark_head[] = { 0x0f, 0x1f, 0x84, 0x00, 0x4e, 0x44 };

static struct block *block_new(uint64_t vaddr, uint32_t insns)
{
	struct block *b;

	pthread_mutex_lock(&lock);
	if (!chunks || chunks->used == CHUNK) {
		struct chunk *c = calloc(1, sizeof(*c));

		if (!c) {
			pthread_mutex_unlock(&lock);
			return NULL;
		}
		c->next = chunks;
		chunks = c;
	}
	b = &chunks->b[chunks->used++];
	b->vaddr = vaddr;
	b->insns = insns;
	pthread_mutex_unlock(&lock);
	return b;
}

static void window_open(void)
{
	struct chunk *c;
	unsigned int i;

	for (c = chunks; c; c = c->next)
		for (i = 0; i < c->used; i++)
			c->b[i].count = 0;
}

static void window_close(unsigned int id)
{
	uint64_t total = 0;
	struct chunk *c;
	unsigned int i;
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s.%u", out_prefix, id);
	f = fopen(path, "w");
	if (!f) {
		qemu_plugin_outs("insns: cannot write a window file\n");
		return;
	}
	for (c = chunks; c; c = c->next) {
		for (i = 0; i < c->used; i++) {
			const struct block *b = &c->b[i];

			if (!b->count)
				continue;
			fprintf(f, "%016" PRIx64 " %" PRIu32 " %" PRIu64 "\n",
				b->vaddr, b->insns, b->count);
			total += b->count * b->insns;
		}
	}
	fprintf(f, "# total %" PRIu64 "\n", total);
	fclose(f);
}

/* One vCPU: nothing else runs while the marker's callback does */
static void on_mark(unsigned int vcpu, void *udata)
{
	uintptr_t m = (uintptr_t)udata;

	pthread_mutex_lock(&lock);
	if ((m & 0xff) == MARK_OPEN)
		window_open();
	else
		window_close(m >> 8);
	pthread_mutex_unlock(&lock);
}

/* The marker's op and window in userdata form, or 0 if insn is none */
static uintptr_t mark_of(const struct qemu_plugin_insn *insn)
{
	const uint8_t *p = qemu_plugin_insn_data(insn);

	if (qemu_plugin_insn_size(insn) != MARK_LEN ||
	    memcmp(p, mark_head, sizeof(mark_head)))
		return 0;
	if (p[6] != MARK_OPEN && p[6] != MARK_CLOSE)
		return 0;
	return (uintptr_t)p[7] << 8 | p[6];
}

static void on_translate(qemu_plugin_id_t id, struct qemu_plugin_tb *tb)
{
	size_t n = qemu_plugin_tb_n_insns(tb), i;
	struct block *b = block_new(qemu_plugin_tb_vaddr(tb), n);

	if (!b)
		return;
	qemu_plugin_register_vcpu_tb_exec_inline(tb, QEMU_PLUGIN_INLINE_ADD_U64,
						 &b->count, 1);
	for (i = 0; i < n; i++) {
		struct qemu_plugin_insn *insn = qemu_plugin_tb_get_insn(tb, i);
		uintptr_t m = mark_of(insn);

		if (m)
			qemu_plugin_register_vcpu_insn_exec_cb(insn, on_mark,
							       QEMU_PLUGIN_CB_NO_REGS,
							       (void *)m);
	}
}

QEMU_PLUGIN_EXPORT int qemu_plugin_install(qemu_plugin_id_t id,
					   const qemu_info_t *info,
					   int argc, char **argv)
{
	int i;

	for (i = 0; i < argc; i++)
		if (!strncmp(argv[i], "out=", 4))
			out_prefix = strdup(argv[i] + 4);
	if (!out_prefix) {
		fprintf(stderr, "insns: usage: -plugin insns.so,out=PREFIX\n");
		return -1;
	}
	if (info->system_emulation && info->system.smp_vcpus > 1)
		fprintf(stderr, "insns: %d vCPUs: counts may lose increments; use -smp 1\n",
			info->system.smp_vcpus);
	qemu_plugin_register_vcpu_tb_trans_cb(id, on_translate);
	return 0;
}
