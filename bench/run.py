"""`make bench`: every benchmark table, measured side by side in one run (see BENCHMARKS.md).

Expects what `make bench` builds first (the release library, bench/ programs, the Rust
examples sign_floor and bare_ureq, the bench venv). Settings (environment):
  BENCH_ROUNDS  rounds per figure, the median is shown (default 7)
  BENCH_SCALE   multiplies every iteration count (default 1; 0.1 for a quick look)
"""

import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "7"))
SCALE = float(os.environ.get("BENCH_SCALE", "1"))
LIB = os.path.join(ROOT, "target", "release")
ENV = dict(os.environ, LD_LIBRARY_PATH=LIB, REMOTEIT_LIBRARY=os.path.join(LIB, "libremoteit.so"))
SIGN_C = os.path.join(ROOT, "build", "bench", "sign_c")
E2E_C = os.path.join(ROOT, "build", "bench", "e2e_c")
FLOOR = os.path.join(LIB, "examples", "sign_floor")
BARE_UREQ = os.path.join(LIB, "examples", "bare_ureq")
PYTHON = os.path.join(ROOT, ".venv-bench", "bin", "python")
CREDENTIALS = os.path.join(ROOT, "tests", "data", "credentials")
KEY_ID, SECRET = "TESTKEYID0000000001", "dGVzdC1zZWNyZXQta2V5LWZvci1saWJyZW1vdGVpdCE="
SERVICE = "80:00:00:00:01:00:00:11"
SCHEMES = (("draft-cavage", "0"), ("RFC 9421", "1"))
BODIES = ((0, 20000), (1024, 20000), (65536, 400), (1048576, 25))
# Issue 12's targets, filled in by the sections that measure them: name -> (measured, met).
TARGETS = {}


def target(name, measured, met):
    TARGETS[name] = (measured, "yes" if met else "**no**")


def n(count):
    return max(1, int(count * SCALE))


def run(*command):
    return subprocess.run(command, env=ENV, check=True, capture_output=True, text=True).stdout


def numbers(output):
    return [[float(x) for x in line.split()] for line in output.strip().splitlines()]


def table(title, header, rows, note=""):
    print(f"\n### {title}\n")
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for row in rows:
        print("| " + " | ".join(row) + " |")
    if note:
        print(f"\n{note}")
    sys.stdout.flush()


def signing():
    rows = []
    for name, scheme in SCHEMES:
        for body, iterations in BODIES:
            if scheme == "0":
                iterations = BODIES[0][1]  # draft-cavage signs the length only: as fast at any size
            c, floor, sha = [], [], []
            for _ in range(ROUNDS):  # interleaved: the same machine state for each contender
                c += numbers(run(SIGN_C, scheme, str(body), str(n(iterations)), "1"))[0]
                floor += numbers(run(FLOOR, "floor", scheme, str(body), str(n(iterations)), "1"))[0]
                if body >= 65536 and scheme == "1":
                    sha += numbers(run(FLOOR, "sha2", scheme, str(body), str(n(iterations)), "1"))[0]
            c, floor = statistics.median(c), statistics.median(floor)
            sha_cells = ["-", "-"]
            if sha:
                sha = statistics.median(sha)
                sha_cells = [f"{sha:,.0f}", f"{c / sha:.3f}x"]
            rows.append([name, f"{body:,} B", f"{c:,.0f}", f"{floor:,.0f}", f"{c / floor:.2f}x", *sha_cells])
            if body == 0:
                limit = 1.5 if scheme == "0" else 2.0
                target(f"{name} signature through the C ABI, empty body: at most {limit}x the floor",
                       f"{c / floor:.2f}x ({c:,.0f} vs {floor:,.0f} ns)", c / floor <= limit)
            if sha:
                target(f"RFC 9421 with a {body // 1024:,} KiB body: within 5% of SHA-256 of the body",
                       f"+{(c / sha - 1) * 100:.1f}%", c / sha <= 1.05)
    # draft-cavage variants against the same floor: the current time (REMOTEIT_NOW), and two
    # URLs in turn (every signature a new request shape: no per-thread reuse).
    floor = statistics.median(numbers(run(FLOOR, "floor", "0", "0", str(n(20000)), "1"))[0][0] for _ in range(ROUNDS))
    for label, mode in (("draft-cavage, REMOTEIT_NOW", "now"), ("draft-cavage, two URLs in turn", "alternate")):
        c = statistics.median(numbers(run(SIGN_C, "0", "0", str(n(20000)), "1", mode))[0][0] for _ in range(ROUNDS))
        rows.append([label, "0 B", f"{c:,.0f}", f"{floor:,.0f}", f"{c / floor:.2f}x", "-", "-"])
    table("Signing through the C ABI (thread CPU ns per signature, median of %d rounds)" % ROUNDS,
          ["scheme", "body", "C ABI (remoteit_sign + remoteit_headers_free)", "floor (HMAC state + base64)",
           "ratio", "SHA-256 of the body alone", "C ABI / SHA-256"], rows)


def instructions(program):
    """Instructions per signature under callgrind: the difference of two runs, so start-up cancels."""
    counts = []
    for iterations in (1000, 3000):
        done = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", *program(iterations)],
                              env=ENV, check=True, capture_output=True, text=True)
        counts.append(int(re.search(r"Collected : (\d+)", done.stderr).group(1)))
    return (counts[1] - counts[0]) / 2000


def callgrind():
    rows = []
    for name, scheme in SCHEMES:
        for body in (0, 1024):
            c = instructions(lambda i: [SIGN_C, scheme, str(body), str(i), "1"])
            floor = instructions(lambda i: [FLOOR, "floor", scheme, str(body), str(i), "1"])
            rows.append([name, f"{body:,} B", f"{c:,.0f}", f"{floor:,.0f}", f"{c / floor:.2f}x"])
    table("Instructions per signature (valgrind --tool=callgrind; exact and repeatable)",
          ["scheme", "body", "C ABI", "floor", "ratio"], rows,
          "Under valgrind, SHA-256 runs its portable code (no SHA-NI): the SHA share is larger than natively.")


def dotnet():
    rows = []
    for body in (0, 1024):
        out = numbers(run("mono", os.path.join(ROOT, "build", "bench", "sign-bench.exe"), str(body), str(n(20000)), str(ROUNDS)))
        binding, new, reused = (statistics.median(col) for col in zip(*out))
        rows.append([f"{body:,} B", f"{binding:,.0f}", f"{new:,.0f}", f"{reused:,.0f}",
                     f"{new / binding:.2f}x", f"{reused / binding:.2f}x"])
        if body == 0:
            target(".NET binding faster than managed C# signing (as Remote.It's example; and reused HMACSHA256)",
                   f"{new / binding:.2f}x and {reused / binding:.2f}x faster", binding < min(new, reused))
    table(".NET (Mono): draft-cavage, wall ns per signature, median of %d rounds" % ROUNDS,
          ["body", "binding (Credentials.Sign)", "managed, new HMACSHA256 each (as Remote.It's example)",
           "managed, one HMACSHA256 reused", "managed new / binding", "managed reused / binding"], rows)


def python():
    rows = []
    for body in (0, 1024):
        out = numbers(run(PYTHON, os.path.join(ROOT, "bench", "sign_bench.py"), str(body), str(n(5000)), str(ROUNDS)))
        binding, seed, mac = (statistics.median(col) for col in zip(*out))
        rows.append([f"{body:,} B", f"{binding:,.0f}", f"{seed:,.0f}", f"{mac:,.0f}",
                     f"{seed / binding:.1f}x", f"{binding / mac:.1f}x"])
        target(f"Python binding at least 10x cheaper than the seed's Python signing ({body:,} B body)",
               f"{seed / binding:.1f}x", seed / binding >= 10)
    table("Python: thread CPU ns per signature, median of %d rounds" % ROUNDS,
          ["body", "binding (Credentials.sign, draft-cavage)", "seed: requests-http-signature 0.7.1 (RFC 9421)",
           "Python hmac, same cavage string", "seed / binding", "binding / hmac"], rows)


def start(command, url_file):
    process = subprocess.Popen(command, env=ENV, stdout=subprocess.DEVNULL)
    for _ in range(100):
        if os.path.exists(url_file) and os.path.getsize(url_file):
            return process, open(url_file).read().strip()
        time.sleep(0.1)
    process.kill()
    raise SystemExit(f"bench: {command[1]} did not start")


def http(url, data=None):
    with urllib.request.urlopen(urllib.request.Request(url, data=data, method="POST" if data else "GET")) as r:
        return json.loads(r.read() or b"null")


def end_to_end():
    scratch = tempfile.mkdtemp()
    double, double_url = start([PYTHON, os.path.join(ROOT, "tests", "api_double.py"), "--port", "0", "--credentials",
                                CREDENTIALS, "--url-file", os.path.join(scratch, "double"), "--quiet",
                                "--exit-with-parent"], os.path.join(scratch, "double"))
    own, own_url = start([PYTHON, os.path.join(ROOT, "bench", "keepalive_server.py"), os.path.join(scratch, "own")],
                         os.path.join(scratch, "own"))
    base = double_url.split("/graphql")[0]
    own_base = own_url.split("/graphql")[0]
    pairs = n(300)

    def measure(command, reset, connections):
        results = []
        for _ in range(ROUNDS):
            reset()
            results.append(numbers(run(*command))[0] + [connections()])
        return [statistics.median(col) for col in zip(*results)]

    double_reset = lambda: http(base + "/_control/reset", b"{}")  # noqa: E731
    # The stats request's own connection is counted: take it off.
    double_connections = lambda: http(base + "/_control/stats")["connections"] - 1  # noqa: E731
    own_reset = lambda: http(own_base + "/_reset", b"{}")  # noqa: E731
    own_connections = lambda: http(own_base + "/_stats")["connections"] - 1  # noqa: E731
    rows = []
    one_per_thread = True
    try:
        for threads in (1, 2, 4, 8):
            per_thread = max(1, pairs // threads)
            lib_double = measure([E2E_C, double_url, CREDENTIALS, SERVICE, str(threads), str(per_thread)],
                                 double_reset, double_connections)
            lib_own = measure([E2E_C, own_url, CREDENTIALS, SERVICE, str(threads), str(per_thread)],
                              own_reset, own_connections)
            bare = measure([BARE_UREQ, own_url, str(threads), str(2 * per_thread)], own_reset, own_connections)
            row = [str(threads)]
            for cpu, rate, conns in (lib_double, lib_own, bare):
                row += [f"{cpu:,.1f}", f"{rate:,.0f}", f"{conns:.0f}"]
            row.append(f"{lib_own[0] / bare[0]:.2f}x")
            rows.append(row)
            one_per_thread = one_per_thread and lib_double[2] == threads and lib_own[2] == threads
            if threads == 1:
                target("client CPU per request at most 1.5x bare ureq (1 thread, bench server)",
                       f"{lib_own[0] / bare[0]:.2f}x ({lib_own[0]:,.1f} vs {bare[0]:,.1f} us)",
                       lib_own[0] / bare[0] <= 1.5)
        seed = measure([PYTHON, os.path.join(ROOT, "bench", "e2e_python.py"), double_url, KEY_ID, SECRET, SERVICE,
                        str(max(1, pairs // 3))], double_reset, double_connections)
    finally:
        double.kill()
        own.kill()
    target("one TCP connection per client thread (1, 2, 4, 8 threads; both servers)",
           ", ".join(f"{row[0]}: {row[3]}/{row[6]}" for row in rows), one_per_thread)
    cheaper = seed[0] / float(rows[0][1].replace(",", ""))
    bare_cheaper = seed[0] / float(rows[0][7].replace(",", ""))
    target("client at least 30x cheaper than the seed's Python client (CPU per request, vs the double)",
           f"{cheaper:.1f}x (the bare-ureq floor itself: {bare_cheaper:.1f}x)", cheaper >= 30)
    table("End to end: client CPU per request (us, getrusage RUSAGE_THREAD), requests/s, TCP connections "
          "(median of %d rounds; %d connect+disconnect pairs per round, split over the threads)" % (ROUNDS, pairs),
          ["threads", "library (C) vs API double: CPU us", "req/s", "conns",
           "library (C) vs bench server: CPU us", "req/s", "conns",
           "bare ureq vs bench server: CPU us", "req/s", "conns", "library / bare (bench server)"], rows,
          f"Seed's Python client (requests.post per call + requests-http-signature, 1 thread, vs the API double): "
          f"{seed[0]:,.0f} us CPU per request, {seed[1]:,.0f} req/s, {seed[2]:.0f} TCP connections; "
          f"the library (1 thread, vs the double) is {seed[0] / float(rows[0][1].replace(',', '')):.1f}x cheaper, "
          f"the bare-ureq floor (1 thread) {seed[0] / float(rows[0][7].replace(',', '')):.1f}x.")


def main():
    sections = os.environ.get("BENCH_SECTIONS", "signing callgrind dotnet python e2e").split()
    print(f"## make bench: {ROUNDS} rounds per figure, scale {SCALE}")
    for name, section in (("signing", signing), ("callgrind", callgrind), ("dotnet", dotnet),
                          ("python", python), ("e2e", end_to_end)):
        if name in sections:
            section()
    if TARGETS:
        table("Targets (issue 12), from this run", ["target", "measured", "met?"],
              [[name, measured, met] for name, (measured, met) in TARGETS.items()])


if __name__ == "__main__":
    main()
