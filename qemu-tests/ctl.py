#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Host side of the guest's ttyS2 request channel.

A guest test writes one line per request, "VERB base64(arg)", and reads one
line back, "R rc base64(output)":

  qmp  <json>   send a QMP command to this QEMU; output is the reply
  host <shell>  run a command on the host peer, inside the test's netns

usage: ctl.py CTL_SOCKET QMP_SOCKET NETNS LOGFILE
It exits when QEMU closes the channel.
"""
import base64
import json
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
    try:
        p = subprocess.run(["ip", "netns", "exec", netns, "sh", "-c", cmd],
                           stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, timeout=HOST_TIMEOUT)
        return p.returncode, p.stdout
    except subprocess.TimeoutExpired as e:
        return 124, (e.stdout or b"") + b"\nctl: host command timed out\n"


def main():
    ctl_path, qmp_path, netns, logpath = sys.argv[1:5]
    log = open(logpath, "a")
    ctl = connect(ctl_path)
    qmp = Qmp(qmp_path)
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
        else:
            rc, out = 2, f"ctl: unknown verb {verb!r}".encode()
        print(f"{verb}: {arg} -> {rc}", file=log, flush=True)
        ctl.sendall(f"R {rc} ".encode() + base64.b64encode(out) + b"\n")


if __name__ == "__main__":
    try:
        main()
    except (EOFError, ConnectionError, KeyboardInterrupt):
        pass
