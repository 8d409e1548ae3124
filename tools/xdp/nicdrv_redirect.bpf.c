// SPDX-License-Identifier: GPL-2.0
/*
 * XDP_REDIRECT through a map, for the tests (32-xdp-redirect):
 * qemu-tests/xdpmap loads a program and fills its map.
 *
 * nicdrv_redirect_port  a UDP datagram to port 9100 or above goes out of
 *                       the interface in nicdrv_ports[0] (a device map),
 *                       its source MAC replaced by a mark; one that
 *                       carries the mark already (it came back over the
 *                       hub) passes to the stack, so with the other
 *                       nicdrv port as the target every frame crosses
 *                       both ports once and ends in a socket that checks it
 * nicdrv_redirect_cpu   the same datagrams go to CPU 0's entry of
 *                       nicdrv_cpus (a CPU map), whose kthread hands
 *                       them to the stack
 *
 * The tests use these rather than xdp-bench's, which need the kernel's
 * BTF (CO-RE), and Debian 12's libbpf cannot read that of 6.12 and later.
 *
 * Built by make with clang (-target bpf).
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/udp.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

#define TEST_PORT	9100

struct {
	__uint(type, BPF_MAP_TYPE_DEVMAP);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} nicdrv_ports SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_CPUMAP);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);	/* the queue's size: no program on the CPU */
} nicdrv_cpus SEC(".maps");

static __always_inline int is_test(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct iphdr *ip = data + sizeof(*eth);
	struct udphdr *udp = (void *)(ip + 1);

	return (void *)(udp + 1) <= end && eth->h_proto == bpf_htons(ETH_P_IP) &&
	       ip->protocol == IPPROTO_UDP && ip->ihl == 5 &&
	       bpf_ntohs(udp->dest) >= TEST_PORT;
}

/* A locally administered address no interface of the tests has */
#define MARK0	0x02
#define MARK5	0x01

static __always_inline int is_marked(const unsigned char *mac)
{
	return mac[0] == MARK0 && mac[1] == 'n' && mac[2] == 'd' &&
	       !mac[3] && !mac[4] && mac[5] == MARK5;
}

static __always_inline void set_mark(unsigned char *mac)
{
	mac[0] = MARK0;
	mac[1] = 'n';
	mac[2] = 'd';
	mac[3] = 0;
	mac[4] = 0;
	mac[5] = MARK5;
}

SEC("xdp")
int nicdrv_redirect_port(struct xdp_md *ctx)
{
	struct ethhdr *eth = (void *)(long)ctx->data;

	if (!is_test(ctx) || (void *)(eth + 1) > (void *)(long)ctx->data_end)
		return XDP_PASS;
	if (is_marked(eth->h_source))
		return XDP_PASS;
	set_mark(eth->h_source);
	return bpf_redirect_map(&nicdrv_ports, 0, XDP_ABORTED);
}

SEC("xdp")
int nicdrv_redirect_cpu(struct xdp_md *ctx)
{
	if (!is_test(ctx))
		return XDP_PASS;
	return bpf_redirect_map(&nicdrv_cpus, 0, XDP_ABORTED);
}

char _license[] SEC("license") = "GPL";
