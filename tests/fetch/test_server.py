#!/usr/bin/env python3
"""An HTTP server for juggle's fetch tests, on 127.0.0.1 only, with fault paths.

Prints "PORT <n>" on its first line, then serves until killed or until
--lifetime seconds have passed (it never outlives a test by much). Every
slow path is bounded in time. Paths:
  /files/NAME?size=N      N deterministic bytes (Content-Length)
  /status/CODE            that status
  /flaky/KEY?fails=N&retry_after=S   503 (Retry-After: S) N times per KEY, then 200
  /short                  Content-Length 1000, 100 bytes sent, connection closed
  /reset                  100 of 1000 bytes, then a TCP reset
  /drip                   1 byte every 0.5 s (at most 40 s)
  /stall                  10 bytes, then silence (at most 40 s)
  /redirect/N             N redirects, then 200
  /loop                   redirects to itself
  /endless                no Content-Length, bytes until the client hangs up (at most 40 s)
  /huge                   Content-Length 10^12, bytes until the client hangs up (at most 40 s)
  /names/...              200 with a small body, whatever the rest of the path
  /stats                  JSON: requests, connections, max_in_flight; /stats/reset zeroes them
Every response waits --latency ms first (?latency=ms overrides).
"""
import argparse
import hashlib
import json
import socket
import struct
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

LOCK = threading.Lock()
STATS = {"requests": 0, "connections": 0, "in_flight": 0, "max_in_flight": 0}
FLAKY = {}
BOUND = 40.0


def body_for(name, size):
    seed = hashlib.sha256(name.encode()).digest()
    line = (seed.hex() + "\n").encode()
    return (line * (size // len(line) + 1))[:size]


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    latency = 0.0

    def setup(self):
        super().setup()
        with LOCK:
            STATS["connections"] += 1

    def log_message(self, *args):
        pass

    def send_body(self, body, status=200, extra=()):
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        for k, v in extra:
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def stream(self, chunk, interval, length=None):
        self.send_response(200)
        if length is not None:
            self.send_header("Content-Length", str(length))
        else:
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        end = time.monotonic() + BOUND
        try:
            while time.monotonic() < end:
                self.wfile.write(chunk)
                self.wfile.flush()
                if interval:
                    time.sleep(interval)
        except (BrokenPipeError, ConnectionResetError):
            pass
        self.close_connection = True

    def do_GET(self):
        url = urlsplit(self.path)
        query = parse_qs(url.query)
        with LOCK:
            STATS["requests"] += 1
            STATS["in_flight"] += 1
            STATS["max_in_flight"] = max(STATS["max_in_flight"], STATS["in_flight"])
        try:
            time.sleep(float(query.get("latency", [self.latency * 1000])[0]) / 1000)
            self.route(url.path, query)
        finally:
            with LOCK:
                STATS["in_flight"] -= 1

    def route(self, path, query):
        parts = path.split("/")
        if path == "/stats":
            with LOCK:
                self.send_body(json.dumps(STATS).encode())
        elif path == "/stats/reset":
            with LOCK:
                for k in STATS:
                    STATS[k] = 1 if k == "in_flight" else 0  # this request is in flight
                STATS["max_in_flight"] = 0
            self.send_body(b"ok")
        elif path.startswith("/files/"):
            self.send_body(body_for(path, int(query.get("size", ["1000"])[0])))
        elif path.startswith("/status/"):
            self.send_body(b"status\n", int(parts[2]))
        elif path.startswith("/flaky/"):
            key, fails = parts[2], int(query.get("fails", ["1"])[0])
            with LOCK:
                seen = FLAKY.get(key, 0)
                FLAKY[key] = seen + 1
            if seen < fails:
                self.send_body(b"busy\n", 503, [("Retry-After", query.get("retry_after", ["1"])[0])])
            else:
                self.send_body(body_for(path, 5000))
        elif path == "/short":
            self.send_response(200)
            self.send_header("Content-Length", "1000")
            self.end_headers()
            self.wfile.write(b"x" * 100)
            self.close_connection = True
        elif path == "/reset":
            self.send_response(200)
            self.send_header("Content-Length", "1000")
            self.end_headers()
            self.wfile.write(b"x" * 100)
            self.wfile.flush()
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.close_connection = True
        elif path == "/drip":
            self.stream(b"d", 0.5, length=10000)
        elif path == "/stall":
            self.send_response(200)
            self.send_header("Content-Length", "1000")
            self.end_headers()
            self.wfile.write(b"s" * 10)
            self.wfile.flush()
            time.sleep(BOUND)
            self.close_connection = True
        elif path.startswith("/redirect/"):
            n = int(parts[2])
            if n > 0:
                self.send_body(b"", 302, [("Location", f"/redirect/{n - 1}")])
            else:
                self.send_body(body_for(path, 3000))
        elif path == "/loop":
            self.send_body(b"", 302, [("Location", "/loop")])
        elif path == "/endless":
            self.stream(b"e" * 65536, 0)
        elif path == "/huge":
            self.stream(b"h" * 65536, 0, length=10**12)
        elif path.startswith("/names/"):
            self.send_body(b"named\n")
        else:
            self.send_body(b"not found\n", 404)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--latency", type=float, default=0.0, help="milliseconds before every response")
    p.add_argument("--lifetime", type=float, default=600.0, help="seconds before the server exits by itself")
    args = p.parse_args()
    Handler.latency = args.latency / 1000
    # The default listen backlog of 5 drops SYNs when many transfers connect at
    # once, and the client's retransmission adds a second: a server artefact.
    ThreadingHTTPServer.request_queue_size = 128
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    print(f"PORT {server.server_address[1]}", flush=True)
    threading.Timer(args.lifetime, server.shutdown).start()
    server.serve_forever(poll_interval=0.2)
    sys.exit(0)


if __name__ == "__main__":
    main()
