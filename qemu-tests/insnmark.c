// SPDX-License-Identifier: GPL-2.0
/*
 * insnmark open|close ID: open or close instruction-count window ID (0..63)
 * of bench/plugin/insns.c, by executing its marker: an 8-byte NOP whose
 * displacement spells the request.  On a QEMU without the plugin, or on
 * hardware, the marker is a NOP like any other.
 *
 * Static and without libc (_start below): running it adds only the
 * kernel's fork, exec and exit to the window, the same each time; the
 * bench measures two workload sizes and takes the difference.
 */
#define SYS_write	1
#define SYS_exit	60

/*
 * The markers, each followed by a ret: 64 that open (op 1), then 64 that
 * close (op 2), window 0 to 63 in each half
 */
#define MARK_SIZE	9
__asm__(".pushsection .text\n"
	"marks:\n"
	"	.set op, 1\n"
	"	.rept 2\n"
	"	.set id, 0\n"
	"	.rept 64\n"
	"	.byte 0x0f, 0x1f, 0x84, 0x00, 0x4e, 0x44, op, id\n"
	"	ret\n"
	"	.set id, id + 1\n"
	"	.endr\n"
	"	.set op, op + 1\n"
	"	.endr\n"
	".popsection\n");
static long sys(long nr, long a, long b, long c)
{
	long ret;

	__asm__ volatile("syscall" : "=a"(ret) : "a"(nr), "D"(a), "S"(b), "d"(c)
			 : "rcx", "r11", "memory");
	return ret;
}

static int bad_usage(void)
{
	static const char msg[] = "usage: insnmark open|close ID (0..63)\n";

	sys(SYS_write, 2, (long)msg, sizeof(msg) - 1);
	return 2;
}

static int streq(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return *a == *b;
}

static int mark(int argc, char **argv)
{
	const char *s, *table;
	int op, id = 0;

	if (argc != 3)
		return bad_usage();
	if (streq(argv[1], "open"))
		op = 0;
	else if (streq(argv[1], "close"))
		op = 1;
	else
		return bad_usage();
	for (s = argv[2]; *s; s++) {
		if (*s < '0' || *s > '9' || id > 63)
			return bad_usage();
		id = id * 10 + *s - '0';
	}
	if (s == argv[2] || id > 63)
		return bad_usage();
	__asm__("lea marks(%%rip), %0" : "=r"(table));
	((void (*)(void))(table + (op * 64 + id) * MARK_SIZE))();
	return 0;
}

/* The stack on entry: argc, then the argv pointers (x86-64 ABI, 3.4.1) */
__attribute__((used)) static void start_c(long *sp)
{
	sys(SYS_exit, mark((int)sp[0], (char **)(sp + 1)), 0, 0);
}

__asm__(".globl _start\n"
	"_start:\n"
	"	mov %rsp, %rdi\n"
	"	and $-16, %rsp\n"
	"	call start_c\n"
	"	hlt\n");
