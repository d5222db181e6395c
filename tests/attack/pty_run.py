#!/usr/bin/env python3
"""Run a command on a fresh pseudo-terminal, as a login's shell would: its stdout and
stderr (and with --stdin its stdin) are the slave opened read-write, which is also its
controlling terminal. The test plays the user at the master: it types, reads the output,
and after the command exits looks at what the command left on the terminal.

Prints the command's output (CRs dropped) or with --hash only its size and sha256, then
key=value lines: exit= (or "killed"), term_to_exit= (with --term-after), after_echo=on|off,
after_ldisc= (0 is N_TTY), after_input=[the line the terminal's reader gets next].
"""
import argparse
import fcntl
import hashlib
import os
import re
import select
import signal
import struct
import subprocess
import sys
import termios
import time
import tty


def parse():
    p = argparse.ArgumentParser()
    p.add_argument("--stdin", action="store_true", help="stdin on the terminal too")
    p.add_argument("--type", help="typed once a line 'ready' was output")
    p.add_argument("--raw", action="store_true", help="the terminal in raw mode (no echo)")
    p.add_argument("--feed", help="a file typed (raw) while the command runs")
    p.add_argument("--hash", action="store_true", help="print only size and sha256 of output")
    p.add_argument("--stall", action="store_true", help="never read the output while it runs")
    p.add_argument("--term-after", type=float, help="SIGTERM to the command after SECONDS")
    p.add_argument("--timeout", type=float, default=60.0)
    p.add_argument("cmd", nargs=argparse.REMAINDER)
    a = p.parse_args()
    if a.cmd[:1] == ["--"]:
        a.cmd = a.cmd[1:]
    return a


def start(a, slave):
    def make_ctty():
        os.setsid()
        fcntl.ioctl(1, termios.TIOCSCTTY, 0)

    stdin = slave if a.stdin else subprocess.DEVNULL
    return subprocess.Popen(a.cmd, stdin=stdin, stdout=slave, stderr=slave,
                            preexec_fn=make_ctty, close_fds=True)


class Session:
    def __init__(self, a, master, child):
        self.a, self.master, self.child = a, master, child
        self.out = bytearray()
        self.digest, self.nbytes = hashlib.sha256(), 0
        self.typed = a.type is None
        self.feed = open(a.feed, "rb") if a.feed else None
        self.pending = b""
        self.start = time.monotonic()
        self.termed = None

    def take(self, data):
        self.nbytes += len(data)
        if self.a.hash:
            self.digest.update(data)
        else:
            self.out += data
        if not self.typed and re.search(rb"(^|\n)ready\r*\n", self.out):
            os.write(self.master, self.a.type.encode())
            self.typed = True

    def feed_some(self):
        if not self.pending and self.feed:
            self.pending = self.feed.read(65536)
            if not self.pending:
                self.feed.close()
                self.feed = None
                return
        if self.pending:
            try:
                n = os.write(self.master, self.pending)
            except BlockingIOError:
                return
            self.pending = self.pending[n:]

    def read_some(self, timeout):
        want_write = [self.master] if (self.pending or self.feed) else []
        want_read = [] if self.a.stall else [self.master]
        r, w, _ = select.select(want_read, want_write, [], timeout)
        if w:
            self.feed_some()
        if r:
            try:
                data = os.read(self.master, 65536)
            except OSError:
                return False
            self.take(data)
            return bool(data)
        return False

    def run(self):
        while self.child.poll() is None:
            now = time.monotonic() - self.start
            if self.a.term_after is not None and self.termed is None and now >= self.a.term_after:
                self.child.send_signal(signal.SIGTERM)
                self.termed = time.monotonic()
            if now > self.a.timeout:
                self.child.kill()
                self.child.wait()
                return "killed"
            self.read_some(0.05)
        ended = time.monotonic()
        while self.read_some(0.3):
            pass
        if self.termed is not None:
            print("term_to_exit=%.1f" % (ended - self.termed))
        return str(self.child.returncode)


def errname(e):
    return "E" + os.strerror(e.errno).upper().replace(" ", "_") if e.errno else str(e)


def after(slave):
    """What the command left on the terminal: its echo flag and line discipline, and the
    input still waiting for the terminal's next reader (the user's shell)."""
    try:
        ldisc = struct.unpack("i", fcntl.ioctl(slave, termios.TIOCGETD, struct.pack("i", 0)))[0]
        print("after_ldisc=%d" % ldisc)
    except OSError as e:
        print("after_ldisc=%s" % errname(e))
    try:
        echo = termios.tcgetattr(slave)[3] & termios.ECHO
        print("after_echo=%s" % ("on" if echo else "off"))
    except termios.error as e:
        print("after_echo=error:%s" % e.args[0])
    line = b""
    try:
        if select.select([slave], [], [], 0.2)[0]:
            os.set_blocking(slave, False)
            line = os.read(slave, 4096)
    except OSError:
        pass
    print("after_input=[%s]" % line.decode(errors="replace").strip("\r\n"))


def main():
    a = parse()
    master, slave = os.openpty()
    os.set_blocking(master, False)
    if a.raw:
        tty.setraw(slave)
    child = start(a, slave)
    s = Session(a, master, child)
    status = s.run()
    if a.hash:
        print("output_bytes=%d" % s.nbytes)
        print("output_sha256=%s" % s.digest.hexdigest())
    else:
        sys.stdout.write(s.out.decode(errors="replace").replace("\r", ""))
        if s.out and not s.out.endswith(b"\n"):
            print()
    print("exit=%s" % status)
    after(slave)


if __name__ == "__main__":
    main()
