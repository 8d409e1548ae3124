// SPDX-License-Identifier: GPL-2.0
/*
 * XDP programs for nicdrv's tests and docs (docs/xdp.md); load one by
 * name with iproute2:
 *
 *   ip link set dev IF xdpdrv obj nicdrv_xdp.o program nicdrv_tx
 *
 * nicdrv_pass, _drop, _aborted      the verdict, nothing else
 * nicdrv_bad                        a verdict no driver knows (42)
 * nicdrv_tx                         the frame back out, MACs swapped
 * nicdrv_redirect_self              the same through XDP_REDIRECT to the
 *                                   ingress interface: nicdrv's
 *                                   ndo_xdp_xmit
 * nicdrv_room                       XDP_PASS only if the buffer has room
 *                                   in front (bpf_xdp_adjust_head -64,
 *                                   bpf_xdp_adjust_meta -8) and behind
 *                                   (bpf_xdp_adjust_tail +16), each
 *                                   undone; XDP_DROP if any fails
 *
 * Only UDP to port 9100 and up is acted on (the tests' udpseq floods);
 * everything else passes, so ARP and the tests' own control traffic go on.
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

/* Whether the frame is a UDP datagram to TEST_PORT or above (IPv4) */
static __always_inline int is_test(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct iphdr *ip = data + sizeof(*eth);
	struct udphdr *udp;

	if ((void *)(ip + 1) > end || eth->h_proto != bpf_htons(ETH_P_IP) ||
	    ip->protocol != IPPROTO_UDP || ip->ihl != 5)
		return 0;
	udp = (void *)(ip + 1);
	if ((void *)(udp + 1) > end)
		return 0;
	return bpf_ntohs(udp->dest) >= TEST_PORT;
}

static __always_inline void swap_macs(struct xdp_md *ctx)
{
	struct ethhdr *eth = (void *)(long)ctx->data;
	unsigned char tmp[ETH_ALEN];

	if ((void *)(eth + 1) > (void *)(long)ctx->data_end)
		return;
	__builtin_memcpy(tmp, eth->h_dest, ETH_ALEN);
	__builtin_memcpy(eth->h_dest, eth->h_source, ETH_ALEN);
	__builtin_memcpy(eth->h_source, tmp, ETH_ALEN);
}

SEC("xdp")
int nicdrv_pass(struct xdp_md *ctx)
{
	return XDP_PASS;
}

SEC("xdp")
int nicdrv_drop(struct xdp_md *ctx)
{
	return is_test(ctx) ? XDP_DROP : XDP_PASS;
}

SEC("xdp")
int nicdrv_aborted(struct xdp_md *ctx)
{
	return is_test(ctx) ? XDP_ABORTED : XDP_PASS;
}

SEC("xdp")
int nicdrv_bad(struct xdp_md *ctx)
{
	return is_test(ctx) ? 42 : XDP_PASS;
}

SEC("xdp")
int nicdrv_tx(struct xdp_md *ctx)
{
	if (!is_test(ctx))
		return XDP_PASS;
	swap_macs(ctx);
	return XDP_TX;
}

SEC("xdp")
int nicdrv_redirect_self(struct xdp_md *ctx)
{
	if (!is_test(ctx))
		return XDP_PASS;
	swap_macs(ctx);
	return bpf_redirect(ctx->ingress_ifindex, 0);
}

SEC("xdp")
int nicdrv_room(struct xdp_md *ctx)
{
	if (!is_test(ctx))
		return XDP_PASS;
	if (bpf_xdp_adjust_head(ctx, -64) || bpf_xdp_adjust_head(ctx, 64))
		return XDP_DROP;
	if (bpf_xdp_adjust_tail(ctx, 16) || bpf_xdp_adjust_tail(ctx, -16))
		return XDP_DROP;
	/* Metadata stays: the stack gets it in front of the frame */
	if (bpf_xdp_adjust_meta(ctx, -8))
		return XDP_DROP;
	return XDP_PASS;
}

char _license[] SEC("license") = "GPL";
