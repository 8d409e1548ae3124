#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Host side of the guest's ttyS2 request channel.

A guest test writes one line per request, "VERB base64(arg)", and reads one
line back, "R rc base64(output)":

  qmp  <json>   send a QMP command to this QEMU; output is the reply
  host <shell>  run a command on the host peer, inside the test's netns
  mmio start    start counting the guest's accesses to the NIC's BARs
  mmio stop     stop; output: one line per register, "BAR OP OFFSET COUNT"
                (BAR "mmio" or "io", OP "r" or "w", OFFSET in hex); the
                count covers every e1000 of this QEMU (the hub topology
                has two)

The count is QEMU's own: its trace events memory_region_ops_read/write
(QEMU 7.2 is built with the "log" trace backend) are switched on through
QMP for the window only, and go to TRACELOG (QEMU's -D file).  Logging
every access to every device costs the guest time, so a test or bench
keeps its timed figures outside such a window.

usage: ctl.py CTL_SOCKET QMP_SOCKET NETNS LOGFILE TRACELOG
It exits when QEMU closes the channel.
"""
import base64
import collections
import json
import os
import re
import socket
import subprocess
import sys
import time

HOST_TIMEOUT = 120


def connect(path, tries=100):
    for _ in range(tries):
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            s.connect(path)
            return s
        except OSError:
            s.close()
            time.sleep(0.1)
    raise SystemExit(f"ctl: cannot connect to {path}")


class Qmp:
    def __init__(self, path):
        self.sock = connect(path)
        self.file = self.sock.makefile("rwb")
        self.read()                     # greeting
        self.command({"execute": "qmp_capabilities"})

    def read(self):
        line = self.file.readline()
        if not line:
            raise EOFError("QMP closed")
        return json.loads(line)

    def command(self, cmd):
        self.file.write(json.dumps(cmd).encode() + b"\n")
        self.file.flush()
        while True:
            msg = self.read()
            if "return" in msg or "error" in msg:
                return msg


def run_host(netns, cmd):
    # The project's host-side tools (udpseq) by name, as in the guest
    env = dict(os.environ)
    if env.get("BUILD"):
        env["PATH"] = os.path.join(env["BUILD"], "tools") + ":" + env.get("PATH", "")
    try:
        p = subprocess.run(["ip", "netns", "exec", netns, "sh", "-c", cmd],
                           stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, timeout=HOST_TIMEOUT, env=env)
        return p.returncode, p.stdout
    except subprocess.TimeoutExpired as e:
        return 124, (e.stdout or b"") + b"\nctl: host command timed out\n"


# memory_region_ops_write cpu 0 mr 0x... addr 0x3818 value 0x1f size 4 name 'e1000-mmio'
TRACE_LINE = re.compile(rb"^memory_region_ops_(read|write) cpu \S+ mr \S+ "
                        rb"addr 0x([0-9a-f]+) .* name 'e1000-(mmio|io)'$")


class MmioCount:
    """QEMU's count of the NIC's register accesses over a window"""
    EVENTS = "memory_region_ops_*"
    BAR_SIZE = {"mmio": 0x20000, "io": 0x40}      # 82540EM, SDM 4.1

    def __init__(self, qmp, tracelog):
        self.qmp, self.tracelog, self.offset = qmp, tracelog, None

    def switch(self, on):
        reply = self.qmp.command({"execute": "trace-event-set-state",
                                  "arguments": {"name": self.EVENTS, "enable": on}})
        if "error" in reply:
            raise OSError(json.dumps(reply))

    def start(self):
        # Where this window's lines begin; the events are off before it
        self.offset = os.path.getsize(self.tracelog)
        self.switch(True)
        return b""

    def stop(self):
        if self.offset is None:
            raise OSError("mmio stop without mmio start")
        # QEMU logs an access inside it, under its global lock, and flushes
        # each line; QMP runs under the same lock: once the events are off,
        # every line of the window is in the file
        self.switch(False)
        count = collections.Counter()
        with open(self.tracelog, "rb") as f:
            f.seek(self.offset)
            for line in f:
                if b"'e1000-" not in line:
                    continue
                m = TRACE_LINE.match(line.rstrip(b"\n"))
                if m:
                    op = "r" if m.group(1) == b"read" else "w"
                    bar = m.group(3).decode()
                    # QEMU logs the guest-physical address; a BAR is
                    # aligned to its size, so the offset is the low bits
                    off = int(m.group(2), 16) & (self.BAR_SIZE[bar] - 1)
                    count[(bar, op, off)] += 1
        self.offset = None
        return "".join(f"{bar} {op} 0x{off:04x} {n}\n"
                       for (bar, op, off), n in sorted(count.items())).encode()


def main():
    ctl_path, qmp_path, netns, logpath, tracelog = sys.argv[1:6]
    log = open(logpath, "a")
    ctl = connect(ctl_path)
    qmp = Qmp(qmp_path)
    mmio = MmioCount(qmp, tracelog)
    reader = ctl.makefile("rb")
    for raw in reader:
        raw = raw.strip()
        if not raw:
            continue
        verb, _, arg = raw.decode(errors="replace").partition(" ")
        try:
            arg = base64.b64decode(arg).decode()
        except ValueError:
            arg = ""
        if verb == "qmp":
            try:
                reply = qmp.command(json.loads(arg))
                rc, out = (1 if "error" in reply else 0), json.dumps(reply).encode()
            except (ValueError, EOFError, OSError) as e:
                rc, out = 2, str(e).encode()
        elif verb == "host":
            rc, out = run_host(netns, arg)
        elif verb == "mmio" and arg in ("start", "stop"):
            try:
                rc, out = 0, mmio.start() if arg == "start" else mmio.stop()
            except (OSError, EOFError) as e:
                rc, out = 2, str(e).encode()
        else:
            rc, out = 2, f"ctl: unknown verb {verb!r}".encode()
        print(f"{verb}: {arg} -> {rc}", file=log, flush=True)
        ctl.sendall(f"R {rc} ".encode() + base64.b64encode(out) + b"\n")


if __name__ == "__main__":
    try:
        main()
    except (EOFError, ConnectionError, KeyboardInterrupt):
        pass
