#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
#
# bench/report.py RAWDIR[,RAWDIR...] OUTDIR ROUNDS PAIRS: read the
# "# BENCH driver key value [pair]" lines of every boot
# (RAWDIR/<topology>-<round>.log, both drivers in one boot), take medians
# per driver, count the rounds or throughput pairs each driver won, and
# write OUTDIR/results.json, results.md and results.png (the nicdrv/e1000
# ratios, plotted by gnuplot).  Several RAWDIRs (runs of ROUNDS rounds
# each, kept in build/bench/<date-time>/) are pooled as one run of all
# their rounds.
import datetime
import json
import os
import platform
import random
import re
import statistics
import subprocess
import sys

TOPOLOGIES = [("pc", "tap peer, pc machine"),
              ("iommu", "tap peer, q35 + strict Intel vIOMMU")]

# key, label, unit, target ratio (nicdrv / e1000), "ge" or "le", or None
METRICS = [
    ("tcp_tx_mbps", "TCP guest->host", "Mbit/s", 1.1, "ge"),
    ("tcp_rx_mbps", "TCP host->guest", "Mbit/s", 1.1, "ge"),
    ("udp_tx_pps", "UDP 64 B guest->host", "pps", 1.3, "ge"),
    ("udp_rx_pps", "UDP 64 B host->guest", "pps", 1.3, "ge"),
    ("ping_p50_us", "ping RTT p50", "us", 0.8, "le"),
    ("ping_p99_us", "ping RTT p99", "us", None, None),
    ("mem_kb", "memory per interface (up, 256/256 rings)", "KiB", 1.0, "le"),
]


SHORT = {"tcp_tx_mbps": "TCP tx", "tcp_rx_mbps": "TCP rx",
         "udp_tx_pps": "UDP tx", "udp_rx_pps": "UDP rx",
         "ping_p50_us": "ping p50", "ping_p99_us": "ping p99",
         "mem_kb": "memory"}


def run(cmd):
    try:
        return subprocess.run(cmd, shell=True, capture_output=True,
                              text=True, timeout=20).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""


def parse(path):
    """[(driver, key, value, pair)] of one boot; pair is "" outside pairs"""
    vals = []
    try:
        with open(path) as f:
            for line in f:
                m = re.match(r"^# BENCH (nicdrv|e1000) (\S+) (-?\d+(?:\.\d+)?)(?: (p\d+))?\s*$",
                             line)
                if m:
                    vals.append((m.group(1), m.group(2), float(m.group(3)),
                                 m.group(4) or ""))
    except OSError:
        pass
    return vals


def median(xs):
    return statistics.median(xs) if xs else None


def main():
    raws, outdir = sys.argv[1].split(","), sys.argv[2]
    per_run, pairs = int(sys.argv[3]), int(sys.argv[4])
    rounds = per_run * len(raws)
    # data[topo][drv][key]: the samples in boot order; tags[...]: where
    # each was taken, (round, pair), so that the two drivers' samples pair
    data, tags = {}, {}
    for topo, _ in TOPOLOGIES:
        for drv in ("nicdrv", "e1000"):
            data.setdefault(topo, {})[drv] = {}
            tags.setdefault(topo, {})[drv] = {}
        for r in range(1, rounds + 1):
            raw = raws[(r - 1) // per_run]
            path = os.path.join(raw, f"{topo}-{(r - 1) % per_run + 1}.log")
            for drv, k, v, pair in parse(path):
                data[topo][drv].setdefault(k, []).append(v)
                tags[topo][drv].setdefault(k, []).append((r, pair))

    results = {"date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
               "machine": {
                   "cpu": run("lscpu | sed -n 's/^Model name: *//p'"),
                   "cores": os.cpu_count(),
                   "host_kernel": platform.release(),
                   "qemu": run("qemu-system-x86_64 --version | head -n1"),
                   "guest_kernel": run(f"cat {os.environ.get('BUILD', 'build')}/kver"),
                   "guest": "2 vCPUs, 1 GiB, TCG",
                   "nicdrv": run("git describe --always --dirty"),
               },
               "rounds": rounds, "pairs": pairs, "topologies": {}}
    md = ["# nicdrv vs in-tree e1000: benchmark results", "",
          f"Date: {results['date']}  ",
          f"Machine: {results['machine']['cpu']}, {results['machine']['cores']} cores, "
          f"host kernel {results['machine']['host_kernel']}  ",
          f"QEMU: {results['machine']['qemu']} (TCG)  ",
          f"Guest: Debian kernel {results['machine']['guest_kernel']}, "
          f"{results['machine']['guest']}  ",
          f"nicdrv: {results['machine']['nicdrv']}  ",
          *([f"Pooled: {len(raws)} runs of `make bench`, {per_run} rounds each; "
             "the date and version above are the pooling's.", ""] if len(raws) > 1 else []),
          f"Method: `make bench` (bench/run); {rounds} rounds per topology, one QEMU "
          "boot each with both drivers on the same NIC (rmmod/modprobe), nicdrv first "
          "in odd rounds; memory, ping, register counts and capture once per driver and round, then "
          f"{pairs} pairs of throughput runs per round, the drivers alternating; "
          "medians of every sample. Ratios are nicdrv / e1000; the 90 % interval "
          "comes from drawing the rounds again with replacement (bootstrap), and "
          "\"(open)\" marks a target inside it, which the run did not decide; "
          "\"won\" counts the rounds or pairs in which nicdrv's figure was the "
          "better one. "
          "docs/performance.md explains the method and the optimisations.", ""]
    ins = load_insns(raws)
    if ins:
        reg_pc = registers(data["pc"], tags["pc"])
        lines, results["insns"] = insns_section(ins, reg_pc)
        md += lines
    plot = []
    for topo, title in TOPOLOGIES:
        d = data[topo]
        rows = []
        md += [f"## {title}", "",
               "| metric | nicdrv | e1000 | nicdrv / e1000 | 90 % interval | target | met | won | ratio per round or pair: median, range | samples: nicdrv, e1000 |",
               "|---|---|---|---|---|---|---|---|---|---|"]
        for key, label, unit, target, sense in METRICS:
            a = median(d["nicdrv"].get(key, []))
            b = median(d["e1000"].get(key, []))
            ratio = a / b if a is not None and b else None
            met = None
            if ratio is not None and target is not None:
                met = ratio >= target if sense == "ge" else ratio <= target
            won, npairs, pr = paired(d, tags[topo], key, sense or "le")
            iv = interval(d, tags[topo], key)
            decided = (None if iv is None or target is None
                       else not iv[0] <= target <= iv[1])
            rows.append({"metric": key, "label": label, "unit": unit,
                         "nicdrv": a, "e1000": b, "ratio": ratio,
                         "target": target, "sense": sense, "met": met,
                         "interval90": iv, "decided": decided,
                         "won": won, "pairs": npairs, "pair_ratios": pr,
                         "samples": {"nicdrv": d["nicdrv"].get(key, []),
                                     "e1000": d["e1000"].get(key, [])}})
            tgt = "" if target is None else ("≥ " if sense == "ge" else "≤ ") + f"{target}"
            md.append(f"| {label} ({unit}) | {fmt(a)} | {fmt(b)} | "
                      f"{'' if ratio is None else f'{ratio:.2f}'} | "
                      f"{'' if iv is None else f'{iv[0]:.2f}-{iv[1]:.2f}'} | {tgt} | "
                      f"{verdict(met, decided)} | "
                      f"{won} of {npairs} | "
                      f"{'' if not pr else f'{median(pr):.2f}, {min(pr):.2f}-{max(pr):.2f}'} | {spread(d['nicdrv'].get(key, []))}, {spread(d['e1000'].get(key, []))} |")
            if ratio is not None:
                plot.append((topo, SHORT[key], ratio, target, iv or (ratio, ratio)))
        # Capture: nicdrv-cap on nicdrv against tcpdump (AF_PACKET), two floods
        floods = {}
        for key, size in (("cap", 64), ("capfull", 1472)):
            cap = {}
            for drv, tool in (("nicdrv", "nicdrvcap"), ("e1000", "tcpdump"), ("nicdrv", "tcpdump")):
                c = {f: median(d[drv].get(f"{key}_{tool}_{f}", []))
                     for f in ("offered", "captured", "dropped")}
                c["rounds_dropped"] = d[drv].get(f"{key}_{tool}_dropped", [])
                cap[f"{tool}@{drv}"] = c
            floods[size] = cap
        # Every round counts, not the median: one round's drops are drops
        ours = [x for c in floods.values() for x in c["nicdrvcap@nicdrv"]["rounds_dropped"]]
        theirs = [x for c in floods.values()
                  for t in ("tcpdump@e1000", "tcpdump@nicdrv") for x in c[t]["rounds_dropped"]]
        met = all(x == 0 for x in ours) if ours else None
        tcpdump_drops = any(theirs)
        rows.append({"metric": "capture", "label": "capture of UDP floods",
                     "floods": {str(k): v for k, v in floods.items()},
                     "target": "0 drops where tcpdump drops", "met": met,
                     "tcpdump_drops": tcpdump_drops})
        md += ["", "Capture, the same 5 s UDP floods from the host, 64-byte and "
               "1472-byte datagrams; both tools write a pcap file to tmpfs "
               "(frames; medians, and the drops of every round):", "",
               "| flood | capture | frames delivered by the driver | captured | dropped | dropped per round |",
               "|---|---|---|---|---|---|"]
        for size, cap in floods.items():
            for name, label in (("nicdrvcap@nicdrv", "nicdrv-cap on nicdrv"),
                                ("tcpdump@e1000", "tcpdump (AF_PACKET) on e1000"),
                                ("tcpdump@nicdrv", "tcpdump (AF_PACKET) on nicdrv")):
                c = cap[name]
                md.append(f"| {size} B | {label} | {fmt(c['offered'])} | "
                          f"{fmt(c['captured'])} | {fmt(c['dropped'])} | "
                          f"{', '.join(fmt(x) for x in c['rounds_dropped'])} |")
        for size, key in ((64, "cap"), (1472, "capfull")):
            high = d["nicdrv"].get(f"{key}_nicdrvcap_ringhigh", [])
            size_ = d["nicdrv"].get(f"{key}_nicdrvcap_ringsize", [])
            if high and size_:
                md += ["", f"nicdrv-cap's ring, {size} B flood: at most {fmt(max(high))} of "
                       f"{fmt(max(size_))} entries waited for the reader (per round: "
                       f"{', '.join(fmt(x) for x in high)})."]
                floods[size]["nicdrvcap@nicdrv"]["ring_high"] = high
        md += ["", "Target: nicdrv-cap drops nothing, in any round, where tcpdump drops: "
               + ("" if met is None else
                  ("yes" if met and tcpdump_drops else
                   "nicdrv-cap dropped nothing, but neither did tcpdump" if met else "**no**")), ""]
        xdp = xdp_section(d)
        if xdp:
            lines, row = xdp
            md += lines
            rows.append(row)
        reg = registers(d, tags[topo])
        if reg:
            md += register_tables(reg)
            rows.append({"metric": "registers", "per_event": reg})
        results["topologies"][topo] = {"title": title, "rows": rows}

    os.makedirs(outdir, exist_ok=True)
    with open(os.path.join(outdir, "results.json"), "w") as f:
        json.dump(results, f, indent=1)
    md += ["![nicdrv / e1000 ratios](results.png)", ""]
    with open(os.path.join(outdir, "results.md"), "w") as f:
        f.write("\n".join(md))
    gnuplot(plot, outdir)


# XDP and AF_XDP (bench.xdp=1): key, label, whose figure, target
XDP_ROWS = [("xdp_drop_pps", "XDP_DROP", 2.0),
            ("xdp_tx_pps", "XDP_TX (back out of the same port)", None),
            ("xdp_redirect_pps", "XDP_REDIRECT to the same port", None)]


def xdp_section(d):
    """Markdown lines and the JSON row of the XDP and AF_XDP rates, or None"""
    if not d["nicdrv"].get("xdp_drop_pps"):
        return None
    row = {"metric": "xdp", "rates": {}, "targets": {}}
    md = ["", "XDP and AF_XDP, a 5 s flood of 64-byte UDP datagrams from the host "
          "(udpseq); frames per second the driver took (medians of the rounds). "
          "nicdrv runs XDP natively, e1000 only in the kernel's generic mode. "
          "The XDP_DROP rate is the most the emulated NIC delivers to a driver: "
          "the ceiling above the kernel-stack figures (UDP 64 B in, above).", "",
          "| path | nicdrv | e1000 | nicdrv / e1000 | target | met | samples: nicdrv, e1000 |",
          "|---|---|---|---|---|---|---|"]
    for key, label, target in XDP_ROWS:
        a, b = median(d["nicdrv"].get(key, [])), median(d["e1000"].get(key, []))
        ratio = a / b if a is not None and b else None
        met = None if ratio is None or target is None else ratio >= target
        row["rates"][key] = {"nicdrv": a, "e1000": b, "ratio": ratio,
                             "samples": {"nicdrv": d["nicdrv"].get(key, []),
                                         "e1000": d["e1000"].get(key, [])}}
        if target is not None:
            row["targets"][key] = {"target": target, "met": met}
        md.append(f"| {label} | {fmt(a)} | {fmt(b)} | "
                  f"{'' if ratio is None else f'{ratio:.2f}'} | "
                  f"{'' if target is None else f'≥ {target}'} | "
                  f"{'' if met is None else ('yes' if met else '**no**')} | "
                  f"{spread(d['nicdrv'].get(key, []))}, {spread(d['e1000'].get(key, []))} |")
    stack = median(d["nicdrv"].get("udp_rx_pps", [])), median(d["e1000"].get("udp_rx_pps", []))
    md.append(f"| the stack (UDP 64 B in, iperf3) | {fmt(stack[0])} | {fmt(stack[1])} | | | | |")
    zc, copy = median(d["nicdrv"].get("xsk_zc_pps", [])), median(d["nicdrv"].get("xsk_copy_pps", []))
    cap, ecopy = median(d["nicdrv"].get("xsk_cap_pps", [])), median(d["e1000"].get("xsk_copy_pps", []))
    ratio = zc / copy if zc is not None and copy else None
    met = None if ratio is None else ratio >= 1.5
    row["rates"]["xsk"] = {"zero_copy": zc, "copy": copy, "nicdrv_cap": cap,
                           "e1000_copy": ecopy, "ratio": ratio}
    row["targets"]["xsk_zc_over_copy"] = {"target": 1.5, "met": met}
    md += ["", "An AF_XDP socket (nicdrv-xsk) on the same flood, frames per second it received:", "",
           "| receiver | frames/s | samples |", "|---|---|---|",
           f"| AF_XDP zero-copy, nicdrv | {fmt(zc)} | {spread(d['nicdrv'].get('xsk_zc_pps', []))} |",
           f"| AF_XDP copy mode, nicdrv (native XDP) | {fmt(copy)} | {spread(d['nicdrv'].get('xsk_copy_pps', []))} |",
           f"| AF_XDP copy mode, e1000 (generic XDP) | {fmt(ecopy)} | {spread(d['e1000'].get('xsk_copy_pps', []))} |",
           f"| nicdrv-cap (the capture device), nicdrv | {fmt(cap)} | {spread(d['nicdrv'].get('xsk_cap_pps', []))} |",
           "", "Target: zero-copy at least 1.5 times copy mode on nicdrv: "
           + ("" if met is None else (f"{ratio:.2f}, yes" if met else f"{ratio:.2f}, **no**")), ""]
    return md, row


# The instruction counts (bench/insns.py): paths in report order, label,
# whether the 200-instruction target applies (64-byte packets)
IPATHS = [("ping", "ping (request out, reply in)", False),
          ("udp_tx", "UDP 64 B out", True),
          ("udp_rx", "UDP 64 B in", True),
          ("tcp_tx", "TCP out", False),
          ("tcp_rx", "TCP in", False),
          ("xdp_drop", "XDP_DROP (nicdrv native, e1000 generic)", False),
          ("xsk_zc", "AF_XDP zero-copy RX (nicdrv only)", False)]
XDP_IPATHS = ("xdp_drop", "xsk_zc")
IPATHS_LABELS = [(n, label) for n, label, _ in IPATHS]
CAPTURES = [("cap_nicdrv", "nicdrv-cap on nicdrv", "nicdrv"),
            ("cap_tcpdump", "tcpdump (AF_PACKET) on nicdrv", "nicdrv"),
            ("cap_tcpdump", "tcpdump (AF_PACKET) on e1000", "e1000")]


def load_insns(raws):
    """insns.json of every raw folder, the boots of all pooled together"""
    out = {}
    for raw in raws:
        path = os.path.join(raw, "insns.json")
        if not os.path.exists(path):
            continue
        with open(path) as f:
            for name, p in json.load(f)["paths"].items():
                q = out.setdefault(name, {"unit": p["unit"], "drivers": {}})
                for drv, d in p["drivers"].items():
                    e = q["drivers"].setdefault(drv, {"driver": [], "kernel": [],
                                                      "user": [], "functions": d["functions"]})
                    for k in ("driver", "kernel", "user"):
                        e[k] += d[k]
    return out


def mean(xs):
    return sum(xs) / len(xs) if xs else None


def rel_spread(xs):
    """(max - min) / mean over the boots, in %"""
    m = mean(xs)
    return None if not xs or len(xs) < 2 or not m else 100 * (max(xs) - min(xs)) / m


def num(v):
    return "n/a" if v is None else f"{v:,.0f}"


def insns_section(ins, reg):
    """Markdown and JSON rows of the instruction counts; reg: register
    accesses per packet (pc topology) for the paths that have them"""
    md = ["## Instructions per packet, counted by QEMU (deterministic)", "",
          "Guest instructions counted by a TCG plugin (bench/plugin/insns.c) in "
          "windows the guest opens and closes, one vCPU; per unit, from the "
          "difference of a small and a large run of each workload in one boot "
          "(docs/performance.md, \"Method\"). \"driver\" is the module's text, "
          "\"kernel\" the rest of the kernel, \"user\" user space (ping, iperf3). "
          "Means over the boots; spread = (max - min) / mean of the driver's count. "
          "Targets: nicdrv / e1000 <= 0.5 on every path, and nicdrv under 200 "
          "per 64-byte packet.", "",
          "| path | unit | nicdrv driver | e1000 driver | nicdrv / e1000 | met | spread nicdrv, e1000 | kernel: nicdrv, e1000 | user: nicdrv, e1000 | registers: nicdrv, e1000 |",
          "|---|---|---|---|---|---|---|---|---|---|"]
    rows = []
    for name, label, small in IPATHS:
        p = ins.get(name)
        if not p:
            continue
        dn, de = p["drivers"].get("nicdrv", {}), p["drivers"].get("e1000", {})
        a, b = mean(dn.get("driver", [])), mean(de.get("driver", []))
        ratio = a / b if a is not None and b else None
        met = None
        # XDP: the program runs outside the module (JIT text), and generic
        # XDP in the kernel: the totals below compare them
        if ratio is not None and name not in XDP_IPATHS:
            met = ratio <= 0.5 and (not small or a < 200)
        r = reg.get(name, {})
        regs = [r[drv]["reads"] + r[drv]["writes"] if drv in r else None
                for drv in ("nicdrv", "e1000")]
        sp = [rel_spread(d.get("driver", [])) for d in (dn, de)]
        rows.append({"path": name, "unit": p["unit"], "nicdrv": a, "e1000": b,
                     "ratio": ratio, "met": met,
                     "spread_pct": {"nicdrv": sp[0], "e1000": sp[1]},
                     "kernel": {"nicdrv": mean(dn.get("kernel", [])),
                                "e1000": mean(de.get("kernel", []))},
                     "user": {"nicdrv": mean(dn.get("user", [])),
                              "e1000": mean(de.get("user", []))},
                     "registers": {"nicdrv": regs[0], "e1000": regs[1]},
                     "samples": {"nicdrv": dn.get("driver", []),
                                 "e1000": de.get("driver", [])}})
        md.append(f"| {label} | {p['unit']} | {num(a)} | {num(b)} | "
                  f"{'' if ratio is None else f'{ratio:.2f}'} | {verdict(met, None)} | "
                  + ", ".join("n/a" if x is None else f"{x:.1f} %" for x in sp) + " | "
                  + f"{num(mean(dn.get('kernel', [])))}, {num(mean(de.get('kernel', [])))} | "
                  + f"{num(mean(dn.get('user', [])))}, {num(mean(de.get('user', [])))} | "
                  + ", ".join(per(x) for x in regs) + " |")
    for name in XDP_IPATHS:
        p = ins.get(name, {}).get("drivers", {})
        tot = {drv: mean(p[drv]["driver"]) + mean(p[drv]["kernel"])
               for drv in ("nicdrv", "e1000") if drv in p}
        if tot:
            md.append("")
            md.append(f"{dict(IPATHS_LABELS)[name]}, driver and kernel together per frame "
                      "(the program's JIT code and generic XDP are kernel text): "
                      + ", ".join(f"{drv} {num(v)}" for drv, v in tot.items()) + ".")
    # Capture: what the tool adds to receiving the same flood, per frame
    base = ins.get("cap_none", {}).get("drivers", {})
    cap = []
    for name, label, drv in CAPTURES:
        d = ins.get(name, {}).get("drivers", {}).get(drv)
        b0 = base.get(drv)
        if not d or not b0:
            continue
        k = mean(d["kernel"]) + mean(d["driver"]) - mean(b0["kernel"]) - mean(b0["driver"])
        u = mean(d["user"]) - mean(b0["user"])
        # The total per boot, for its spread
        tot = [sum(d[x][i] - b0[x][i] for x in ("driver", "kernel", "user"))
               for i in range(min(len(d["driver"]), len(b0["driver"])))]
        sp = rel_spread(tot)
        cap.append({"capture": name, "driver": drv, "kernel": k, "user": u,
                    "samples": tot, "spread_pct": sp})
        if len(cap) == 1:
            md += ["", "Capture: what the capture tool adds to receiving a paced "
                   "64-byte UDP flood (9,766 frames/s), per frame (the same flood without "
                   "a capture is the base; the tools write pcap files to tmpfs):", "",
                   "| capture | kernel (driver included) | user | total | spread of the total |",
                   "|---|---|---|---|---|"]
        md.append(f"| {label} | {num(k)} | {num(u)} | {num(k + u)} | "
                  f"{'n/a' if sp is None else f'{sp:.1f} %'} |")
    view = view_cost(ins, base)
    if view:
        md += ["", "The live ring view: the same flood with no capture while nicdrv-top "
               "reads the view 10 times a second (`cap_view`). nicdrv's instructions "
               f"per frame outside the view's own functions: {num(view['datapath'])}, "
               f"against {num(view['base'])} without a reader; the view's functions: "
               f"{view['view']:.1f} per frame (its reads, not the datapath's)."]
    md += ["", "The driver's functions per path (instructions per unit, means over "
           "the boots, the five largest):", "",
           "| path | nicdrv | e1000 |", "|---|---|---|"]
    for name, label, _ in IPATHS:
        p = ins.get(name, {}).get("drivers", {})
        cells = []
        for drv in ("nicdrv", "e1000"):
            f = p.get(drv, {}).get("functions", [])[:5]
            cells.append(", ".join(f"{n} {v:,.0f}" for n, v in f) or "n/a")
        md.append(f"| {label} | {cells[0]} | {cells[1]} |")
    return md + [""], {"paths": rows, "capture": cap, "view": view}


# nicdrv/view.c's functions, and the helpers only it calls per snapshot
VIEW_FUNCS = ("nicdrv_mmio_sum", "nicdrv_virt_to_phys")


def view_cost(ins, base):
    """The ring view under a flood against the flood alone (nicdrv's
    driver instructions per frame), or None without both windows"""
    v = ins.get("cap_view", {}).get("drivers", {}).get("nicdrv")
    b0 = base.get("nicdrv")
    if not v or not b0:
        return None
    own = sum(x for n, x in v["functions"]
              if n.startswith("nicdrv_view") or n in VIEW_FUNCS)
    return {"datapath": mean(v["driver"]) - own, "view": own,
            "base": mean(b0["driver"])}


# 82540EM registers by offset in BAR 0 (SDM 13.4); the statistics block
# (SDM 13.7, 0x4000-0x40FF) is one row
REGISTERS = {0x0000: "CTRL", 0x0008: "STATUS", 0x0018: "CTRL_EXT",
             0x0020: "MDIC", 0x00C0: "ICR", 0x00C4: "ITR", 0x00C8: "ICS",
             0x00D0: "IMS", 0x00D8: "IMC", 0x0100: "RCTL", 0x0400: "TCTL",
             0x2810: "RDH", 0x2818: "RDT", 0x2820: "RDTR", 0x282C: "RADV",
             0x3810: "TDH", 0x3818: "TDT", 0x3820: "TIDV", 0x382C: "TADV"}
PATHS = [("ping", "per ping (request out, reply in)"),
         ("udp_tx", "per 64 B UDP packet sent"),
         ("udp_rx", "per 64 B UDP packet received")]


def reg_name(op, bar, off):
    """"ICR read", "statistics read", ... from a reg_* key's parts"""
    if off == "stats":
        what = "statistics (0x4000-0x40FF)"
    elif bar == "io":
        what = f"I/O BAR 0x{int(off, 16):02x}"
    else:
        what = REGISTERS.get(int(off, 16), f"0x{int(off, 16):04x}")
    return f"{what} {'read' if op == 'r' else 'write'}"


def registers(d, tags):
    """{path: {driver: {"reads", "writes", "by_register"}}}: accesses per
    event (ping or packet), medians over the rounds; within a round a
    register the window did not touch counts 0"""
    out = {}
    for path, _ in PATHS:
        for drv in ("nicdrv", "e1000"):
            ev = dict(zip(tags[drv].get(f"reg_{path}_events", []),
                          d[drv].get(f"reg_{path}_events", [])))
            rounds = {t: {} for t, n in ev.items() if n > 0}
            if not rounds:
                continue
            for key, vals in d[drv].items():
                m = re.match(rf"^reg_{path}_([rw])_(mmio|io)_([0-9a-f]+|stats)$", key)
                if not m:
                    continue
                name = reg_name(m.group(1), m.group(2), m.group(3))
                for t, v in zip(tags[drv][key], vals):
                    if t in rounds:
                        rounds[t][name] = rounds[t].get(name, 0) + v / ev[t]
            names = sorted({n for r in rounds.values() for n in r})
            out.setdefault(path, {})[drv] = {
                "reads": median([sum(v for n, v in r.items() if n.endswith(" read"))
                                 for r in rounds.values()]),
                "writes": median([sum(v for n, v in r.items() if n.endswith(" write"))
                                  for r in rounds.values()]),
                "by_register": {n: median([r.get(n, 0) for r in rounds.values()])
                                for n in names},
                "rounds": len(rounds)}
    return out


def register_tables(reg):
    md = ["Register accesses, counted by QEMU (it logs every access to the NIC's "
          "BARs while a window is open: 100 pings, then 1 s of 64-byte UDP each way, "
          "apart from the timed runs); per ping or packet, medians of the rounds:", "",
          "| path | nicdrv reads | nicdrv writes | e1000 reads | e1000 writes |",
          "|---|---|---|---|---|"]
    for path, label in PATHS:
        p = reg.get(path, {})
        cell = [per(p[drv][k]) if drv in p else "n/a"
                for drv in ("nicdrv", "e1000") for k in ("reads", "writes")]
        md.append(f"| {label} | {' | '.join(cell)} |")
    md += ["", "By register (at least 0.01 per ping or packet for either driver):", "",
           "| path | register | nicdrv | e1000 |", "|---|---|---|---|"]
    for path, label in PATHS:
        p = reg.get(path, {})
        names = sorted({n for drv in p.values() for n, v in drv["by_register"].items()
                        if v >= 0.005}, key=lambda n: (not n.endswith(" read"), n))
        for n in names:
            md.append(f"| {label} | {n} | "
                      + " | ".join(per(p[drv]["by_register"].get(n, 0)) if drv in p else "n/a"
                                   for drv in ("nicdrv", "e1000")) + " |")
    return md + [""]


def per(v):
    """an average per ping or packet"""
    return "n/a" if v is None else f"{v:.2f}"


def fmt(v, div=1):
    if v is None:
        return "n/a"
    v = v / div
    if div == 1 and (abs(v) >= 10 or v == int(v)):
        return f"{v:.0f}"
    return f"{v:.2f}"


def paired(d, tags, key, sense):
    """(rounds or pairs nicdrv won, how many, nicdrv / e1000 of each), the
    two drivers' samples matched by where they were taken; higher is
    better if sense is "ge"."""
    ours = dict(zip(tags["nicdrv"].get(key, []), d["nicdrv"].get(key, [])))
    theirs = dict(zip(tags["e1000"].get(key, []), d["e1000"].get(key, [])))
    both = [t for t in ours if t in theirs]
    won = sum(1 for t in both
              if (ours[t] > theirs[t] if sense == "ge" else ours[t] < theirs[t]))
    return won, len(both), [ours[t] / theirs[t] for t in both if theirs[t]]


def interval(d, tags, key, n=2000, seed=1):
    """90 % bootstrap interval of the ratio of medians: the rounds (each
    one boot with both drivers) are drawn with replacement, so that the
    interval carries the host's speed from boot to boot; None under 3
    rounds.  A fixed seed gives the same interval for the same logs."""
    by_round = {}
    for drv in ("nicdrv", "e1000"):
        for (r, _), v in zip(tags[drv].get(key, []), d[drv].get(key, [])):
            by_round.setdefault(r, {"nicdrv": [], "e1000": []})[drv].append(v)
    rounds = [x for x in by_round.values() if x["nicdrv"] and x["e1000"]]
    if len(rounds) < 3:
        return None
    rng = random.Random(seed)
    ratios = []
    for _ in range(n):
        pick = [rng.choice(rounds) for _ in rounds]
        b = median([v for x in pick for v in x["e1000"]])
        if b:
            ratios.append(median([v for x in pick for v in x["nicdrv"]]) / b)
    ratios.sort()
    return ratios[int(0.05 * len(ratios))], ratios[int(0.95 * len(ratios)) - 1]


def verdict(met, decided):
    """yes / no from the medians, as the targets are set; "(open)" when
    the 90 % interval holds the target, so the run did not decide it"""
    if met is None:
        return ""
    return ("yes" if met else "**no**") + (" (open)" if decided is False else "")


def spread(xs):
    """min-max of the rounds, to show how much one round can move"""
    return f"{fmt(min(xs))}-{fmt(max(xs))}" if len(xs) > 1 else ""


def gnuplot(plot, outdir):
    datf = os.path.join(outdir, ".ratios.dat")
    labels = []
    with open(datf, "w") as f:
        for i, (topo, label, ratio, target, (lo, hi)) in enumerate(plot):
            labels.append(f'"{label} ({topo})" {i}')
            f.write(f"{i} {ratio:.3f} {target if target is not None else 'NaN'} "
                    f"{lo:.3f} {hi:.3f}\n")
    script = f"""
set terminal pngcairo size 1000,540 noenhanced
set rmargin 8
set bmargin 7
set output '{os.path.join(outdir, "results.png")}'
set title 'nicdrv / in-tree e1000 (medians); bars: measured ratio, whiskers: 90 % interval, points: target'
set style fill solid 0.6
set boxwidth 0.6
set yrange [0:*]
set grid ytics
set xtics rotate by -35 ({", ".join(labels)})
set key top right
plot '{datf}' using 1:2 with boxes title 'nicdrv / e1000', \\
     '' using 1:2:4:5 with yerrorbars pt 7 ps 0.4 lc rgb 'black' title '90 % interval', \\
     '' using 1:3 with points pt 7 ps 1.5 title 'target', \\
     1 with lines dt 2 lc rgb 'gray' title 'parity'
"""
    try:
        subprocess.run(["gnuplot"], input=script, text=True, check=True,
                       capture_output=True)
    except (OSError, subprocess.CalledProcessError) as e:
        print(f"report: gnuplot failed: {e}", file=sys.stderr)
    os.remove(datf)


if __name__ == "__main__":
    main()
