#!/usr/bin/env python3
"""Python requests.Session against tether on the same Go benchmark server.

Both clients send the Get benchmark's request -- a session with 3 headers,
2 query parameters, 1 cookie and basic auth, plus 1 header per request,
GET /get, small JSON body read fully -- N times in a row over one kept-alive
connection, after a warm-up. The server (cmd/server) and tether's client
(cmd/tetherload) are separate Go processes, so Python and tether are measured
the same way: one client process, one server process, loopback.

Usage: python3 requests_bench.py [-n 2000] [--warmup 100]
Needs: python3 with requests, and go on PATH. Run from anywhere.
"""

import argparse
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time

try:
    import requests
except ImportError:
    sys.exit("requests_bench.py: python3 has no requests module (pip install requests)")

HERE = os.path.dirname(os.path.abspath(__file__))

# Keep in step with package fixture.
HEADERS = {"X-Client-Name": "bench", "X-Client-Version": "1.0", "X-Tenant": "acme"}
PARAMS = {"page": "1", "q": "tether bench"}
USER, PASSWORD = "bench-user", "bench-pass"
COOKIE = ("session", "c0ffee42")
METHOD_HEADER = {"X-Request-Kind": "bench"}
GET_BODY_LEN = 102  # len(fixture.GetBody), checked against the server below


def python_requests(base, n, warmup):
    s = requests.Session()
    s.headers.update(HEADERS)
    s.params = dict(PARAMS)
    s.cookies.set(*COOKIE)
    s.auth = (USER, PASSWORD)
    url = base + "/get"

    def send():
        r = s.get(url, headers=METHOD_HEADER)
        if r.status_code != 200 or len(r.content) != GET_BODY_LEN:
            sys.exit("requests_bench.py: bad answer %d, %d bytes" % (r.status_code, len(r.content)))

    for _ in range(warmup):
        send()
    start = time.perf_counter()
    for _ in range(n):
        send()
    secs = time.perf_counter() - start
    s.close()
    return secs


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-n", type=int, default=2000, help="timed requests per client")
    ap.add_argument("--warmup", type=int, default=100, help="untimed requests first")
    args = ap.parse_args()
    if args.n <= 0 or args.warmup < 0:
        ap.error("n must be positive and warmup not negative")

    tmp = tempfile.mkdtemp(prefix="tether-bench-")
    server = None
    try:
        subprocess.run(["go", "build", "-o", tmp + os.sep, "./cmd/server", "./cmd/tetherload"],
                       cwd=HERE, check=True)
        server = subprocess.Popen([os.path.join(tmp, "server")], stdin=subprocess.PIPE,
                                  stdout=subprocess.PIPE, text=True, bufsize=1)
        base = server.stdout.readline().strip()
        if not base.startswith("http://"):
            sys.exit("requests_bench.py: server said %r" % base)
        got = len(requests.get(base + "/get").content)
        if got != GET_BODY_LEN:
            sys.exit("requests_bench.py: /get returned %d bytes, script expects %d" % (got, GET_BODY_LEN))

        def dials():
            server.stdin.write("dials\n")
            return int(server.stdout.readline())

        rows = []
        d0 = dials()
        secs = python_requests(base, args.n, args.warmup)
        rows.append(("python requests %s (CPython %s)" % (requests.__version__, platform.python_version()),
                     secs, dials() - d0))

        d0 = dials()
        out = subprocess.run([os.path.join(tmp, "tetherload"), "-url", base, "-n", str(args.n),
                              "-warmup", str(args.warmup)], check=True, capture_output=True, text=True)
        secs = float(out.stdout.split()[1])
        gover = subprocess.run(["go", "env", "GOVERSION"], capture_output=True, text=True).stdout.strip()
        rows.append(("tether (%s)" % gover, secs, dials() - d0))
    finally:
        if server is not None:
            server.stdin.close()
            server.wait()
        shutil.rmtree(tmp, ignore_errors=True)

    print("Get, %d sequential requests per client after %d warm-up, client and server in separate processes"
          % (args.n, args.warmup))
    print("%-44s %10s %10s %6s" % ("client", "req/s", "us/req", "dials"))
    for name, secs, d in rows:
        print("%-44s %10.0f %10.1f %6d" % (name, args.n / secs, secs / args.n * 1e6, d))
    print("tether / requests: %.1fx the requests per second" % (rows[0][1] / rows[1][1]))


if __name__ == "__main__":
    main()
