#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
#
# bench/insns.py RAWDIR: the instruction counts of make bench's insns
# boots, per packet, from RAWDIR/insns-N.log (what guest/insns.sh
# printed) and RAWDIR/insns-N/w.ID (what bench/plugin/insns.c wrote for
# window ID: "vaddr length count" per translated block).  Writes
# RAWDIR/insns.json, which bench/report.py turns into tables:
#
#   {"paths": {path: {"unit": ..., "drivers": {drv: {
#       "driver": [per boot], "kernel": [...], "user": [...],
#       "functions": [[name, per unit], ...]}}}}}
#
# Per unit is (large window - small window) / (large units - small units):
# what every run costs once (starting the program, ARP, the window
# itself) falls out.  An address splits the count: the driver module's
# range (from /proc/modules), the rest of the kernel (the upper half),
# user space.
import bisect
import glob
import json
import os
import re
import sys

KERNEL = 0xffff800000000000

# path: (unit, how a window's units are found), in report order
PATHS = {
    "ping": ("ping", "size"),
    "udp_tx": ("64 B datagram", "txp"),
    "udp_rx": ("64 B datagram", "rxp"),
    "tcp_tx": ("MiB", "size"),	# iperf3 -n 4M: MiB
    "tcp_rx": ("MiB", "size"),
    "cap_none": ("frame", "rxp"),
    "cap_tcpdump": ("frame", "rxp"),
    "cap_nicdrv": ("frame", "rxp"),
    "cap_view": ("frame", "rxp"),
    "xdp_drop": ("64 B frame", "rxp"),
    "xsk_zc": ("64 B frame", "rxp"),
}


def parse_log(path):
    mods, syms, windows = {}, {}, {}
    for line in open(path, errors="replace"):
        m = re.search(r"# INSNS module (\S+) 0x([0-9a-f]+) (\d+)", line)
        if m:
            mods[m.group(1)] = (int(m.group(2), 16), int(m.group(3)))
            continue
        m = re.search(r"# INSNS sym (\S+) ([0-9a-f]+) (\S+)", line)
        if m:
            syms.setdefault(m.group(1), []).append((int(m.group(2), 16), m.group(3)))
            continue
        m = re.search(r"# INSNS window (\d+) (\S+) (\S+) (\d+) (\d+) (\d+) (\d+) (\d+)", line)
        if m:
            f = m.groups()
            windows[int(f[0])] = {"driver": f[1], "path": f[2], "size": int(f[3]),
                                  "txp": int(f[4]), "txb": int(f[5]),
                                  "rxp": int(f[6]), "rxb": int(f[7])}
    for s in syms.values():
        s.sort()
    return mods, syms, windows


def count(path, mod, syms):
    """A window's instructions: driver, rest of kernel, user; per function"""
    base, size = mod
    addrs = [a for a, _ in syms]
    drv = ker = usr = 0
    funcs = {}
    for line in open(path):
        if line.startswith("#"):
            continue
        v, n, c = line.split()
        v, n = int(v, 16), int(n) * int(c)
        if base <= v < base + size:
            drv += n
            i = bisect.bisect_right(addrs, v) - 1
            name = syms[i][1] if i >= 0 else "?"
            funcs[name] = funcs.get(name, 0) + n
        elif v >= KERNEL:
            ker += n
        else:
            usr += n
    return {"driver": drv, "kernel": ker, "user": usr, "funcs": funcs}


def main():
    raw = sys.argv[1]
    out = {"paths": {}}
    for log in sorted(glob.glob(os.path.join(raw, "insns-*.log"))):
        boot = os.path.splitext(log)[0]
        mods, syms, windows = parse_log(log)
        # (driver, path) -> [(units, counts)], small window first
        runs = {}
        for wid, w in sorted(windows.items()):
            f = os.path.join(boot, f"w.{wid}")
            if not os.path.exists(f) or w["driver"] not in mods:
                continue
            u = w[PATHS.get(w["path"], (None, "size"))[1]]
            c = count(f, mods[w["driver"]], syms.get(w["driver"], []))
            runs.setdefault((w["driver"], w["path"]), []).append((u, c))
        for (drv, path), ws in runs.items():
            if len(ws) != 2 or ws[1][0] == ws[0][0]:
                continue
            (u1, c1), (u2, c2) = ws
            du = u2 - u1
            p = out["paths"].setdefault(path, {"unit": PATHS.get(path, ("unit",))[0],
                                               "drivers": {}})
            d = p["drivers"].setdefault(drv, {"driver": [], "kernel": [], "user": [],
                                              "funcs": []})
            for k in ("driver", "kernel", "user"):
                d[k].append((c2[k] - c1[k]) / du)
            names = set(c1["funcs"]) | set(c2["funcs"])
            d["funcs"].append({n: (c2["funcs"].get(n, 0) - c1["funcs"].get(n, 0)) / du
                               for n in names})
    # Per function: the mean over the boots, largest first
    for p in out["paths"].values():
        for d in p["drivers"].values():
            per = {}
            for f in d["funcs"]:
                for n, v in f.items():
                    per[n] = per.get(n, 0) + v / len(d["funcs"])
            d["functions"] = sorted(([n, v] for n, v in per.items() if v > 0.5),
                                    key=lambda x: -x[1])
            del d["funcs"]
    with open(os.path.join(raw, "insns.json"), "w") as f:
        json.dump(out, f, indent=1)


if __name__ == "__main__":
    main()
