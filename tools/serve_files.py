#!/usr/bin/env python3
"""Serves a directory over HTTP on 127.0.0.1 with a latency before every
response, so fetch schedules can be compared offline (make demo).

Prints "PORT <n>" first, then serves until killed or until --lifetime
seconds have passed. --jitter MS adds to each file's latency a fixed
amount between 0 and MS drawn from its name and --seed, so a list of files
lands in an order that is shuffled but the same for the same seed (tests of
juggle run, whose output must not depend on it).
Usage: serve_files.py DIR [--latency MS] [--jitter MS --seed N] [--lifetime S]

From Python: `with FileServer(DIR, latency_ms) as s: ... s.port ...` runs it
as a child process and stops it on leaving.
"""
import argparse
import functools
import hashlib
import subprocess
import sys
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer


class Handler(SimpleHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    latency = 0.0
    jitter = 0.0
    seed = 0

    def log_message(self, *args):
        pass

    def copyfile(self, source, outputfile):
        # sendfile(2): the kernel copies, this Python process stays idle, so
        # on a small machine the server takes no CPU from the client measured.
        self.wfile.flush()
        self.connection.sendfile(source)

    def delay(self):
        if not self.jitter:
            return self.latency
        digest = hashlib.sha256(f"{self.seed}:{self.path}".encode()).digest()
        return self.latency + self.jitter * int.from_bytes(digest[:4], "big") / 2**32

    def send_head(self):
        time.sleep(self.delay())
        return super().send_head()


class FileServer:
    """This script as a child process, for the duration of a with-block; or
    `program`, any server taking the same arguments and printing the same
    first line (make bench uses build/bench_file_server)."""

    def __init__(self, directory, latency_ms=0, lifetime_s=3600, program=None, extra=()):
        cmd = [program] if program else [sys.executable, __file__]
        self.proc = subprocess.Popen(cmd + [directory, "--latency", str(latency_ms), "--lifetime", str(lifetime_s),
                                            *extra], stdout=subprocess.PIPE, text=True)
        line = self.proc.stdout.readline().split()  # the port comes first, or EOF if it died
        if len(line) != 2 or line[0] != "PORT":
            self.stop()
            raise RuntimeError(f"{program or 'serve_files.py'} did not start for {directory}")
        self.port = int(line[1])

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


def main():
    p = argparse.ArgumentParser()
    p.add_argument("directory")
    p.add_argument("--latency", type=float, default=50.0, help="milliseconds before every response")
    p.add_argument("--jitter", type=float, default=0.0, help="up to this many more milliseconds, per file")
    p.add_argument("--seed", type=int, default=0, help="draws the per-file jitter")
    p.add_argument("--lifetime", type=float, default=900.0)
    args = p.parse_args()
    Handler.latency = args.latency / 1000
    Handler.jitter = args.jitter / 1000
    Handler.seed = args.seed
    ThreadingHTTPServer.request_queue_size = 128  # many connections at once
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=args.directory))
    server.daemon_threads = True
    print(f"PORT {server.server_address[1]}", flush=True)
    threading.Timer(args.lifetime, server.shutdown).start()
    server.serve_forever(poll_interval=0.2)


if __name__ == "__main__":
    main()
