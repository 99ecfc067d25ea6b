#!/usr/bin/python3
"""The swarm benchmark: real SwarmShare processes started through the CLI on loopback, beside
`openssl dgst -sha256` of the same file and the same scenarios run by libtorrent, all in one run.

Run it with bin/swarm-bench, which finds a JDK and builds the CLI first. Prints a table (and,
with --markdown, a Markdown table for docs/PERFORMANCE.md)."""
import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CLI = os.path.join(ROOT, "bin", "swarmshare")
LT = os.path.join(ROOT, "benchmarks", "swarm", "libtorrent_bench.py")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def size_arg(text):
    units = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30}
    t = text.strip().upper().rstrip("B").rstrip("I")
    return int(float(t[:-1]) * units[t[-1]]) if t[-1] in units else int(t)


def generate(path, size):
    if os.path.exists(path) and os.path.getsize(path) == size:
        return
    with open(path, "wb") as f:
        left = size
        while left > 0:
            n = min(left, 16 << 20)
            f.write(os.urandom(n))
            left -= n


def openssl_seconds(path, runs=3):
    best = None
    for _ in range(runs):
        t = time.monotonic()
        subprocess.run(["openssl", "dgst", "-sha256", path], check=True, stdout=subprocess.DEVNULL)
        d = time.monotonic() - t
        best = d if best is None else min(best, d)
    return best


def sha256(path):
    out = subprocess.run(["openssl", "dgst", "-sha256", "-r", path], check=True, capture_output=True, text=True)
    return out.stdout.split()[0]


class Procs:
    """Processes this run started; each is ended by its own PID and nothing else."""

    def __init__(self):
        self.procs = []

    def start(self, args, **kw):
        p = subprocess.Popen(args, **kw)
        self.procs.append(p)
        return p

    def stop_all(self):
        for p in self.procs:
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
        for p in self.procs:
            try:
                p.wait(timeout=15)
            except subprocess.TimeoutExpired:
                p.kill()
        self.procs = []


def java_env(extra_opts):
    env = dict(os.environ)
    env["SWARMSHARE_JAVA_OPTS"] = (env.get("SWARMSHARE_JAVA_OPTS", "") + " " + extra_opts).strip()
    env.pop("SWARMSHARE_TRACKER", None)
    return env


def swarmshare(path, seeders, leechers, work, tls_args, java_opts, jfr=None):
    procs = Procs()
    try:
        port = free_port()
        tracker = procs.start([CLI, "tracker", "--port", str(port), "--bind", "127.0.0.1"] + tls_args,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=java_env(java_opts))
        line = tracker.stdout.readline()
        if "listening" not in line:
            raise RuntimeError("tracker did not start: " + line)
        addr = "127.0.0.1:%d" % port
        file_id = None
        sharers = []
        for i in range(seeders):
            p = procs.start([CLI, "share", path, "--tracker", addr, "--json", "-q"] + tls_args,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=java_env(java_opts))
            sharers.append(p)
        for p in sharers:
            line = p.stdout.readline()
            if not line:
                raise RuntimeError("share failed: " + p.stderr.read())
            file_id = json.loads(line)["id"]
        outs = []
        getters = []
        start = time.monotonic()
        for i in range(leechers):
            out = os.path.join(work, "ss-leecher-%d" % i)
            shutil.rmtree(out, ignore_errors=True)
            os.makedirs(out)
            outs.append(out)
            opts = java_opts
            if jfr and i == 0:
                opts += " -XX:StartFlightRecording=filename=%s,settings=profile" % jfr
            getters.append(procs.start([CLI, "get", file_id, "-o", out, "--tracker", addr, "--json", "-q"] + tls_args,
                                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                       env=java_env(opts)))
        results = []
        for p in getters:
            o, e = p.communicate(timeout=900)
            if p.returncode != 0:
                raise RuntimeError("get failed (%d): %s" % (p.returncode, e.strip()))
            results.append(json.loads(o.strip().splitlines()[-1]))
        wall = time.monotonic() - start
        return {"seconds": max(r["seconds"] for r in results), "wall": wall, "outs": outs,
                "paths": [r["path"] for r in results], "peers": [r["peers"] for r in results]}
    finally:
        procs.stop_all()


def libtorrent(path, seeders, leechers, work):
    try:
        out = subprocess.run(["/usr/bin/python3", LT, path, str(seeders), str(leechers), work, str(free_port())],
                             capture_output=True, text=True, timeout=900)
    except (OSError, subprocess.TimeoutExpired) as e:
        return None, str(e)
    if out.returncode != 0:
        return None, out.stderr.strip().splitlines()[-1] if out.stderr.strip() else "failed"
    r = json.loads(out.stdout.strip().splitlines()[-1])
    if not r.get("complete"):
        return None, "did not complete"
    return r["seconds"], None


def have_libtorrent(install):
    ok = subprocess.run(["/usr/bin/python3", "-c", "import libtorrent"], capture_output=True).returncode == 0
    if ok or not install:
        return ok, None if ok else "python3-libtorrent is not installed"
    print("installing python3-libtorrent (apt-get) for the comparison column...", file=sys.stderr)
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    subprocess.run(["apt-get", "update", "-qq"], capture_output=True, env=env)
    r = subprocess.run(["apt-get", "install", "-y", "-qq", "python3-libtorrent"], capture_output=True, text=True, env=env)
    ok = subprocess.run(["/usr/bin/python3", "-c", "import libtorrent"], capture_output=True).returncode == 0
    return ok, None if ok else "could not install python3-libtorrent: " + (r.stderr.strip()[-200:] or "apt-get failed")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--size", default="1G", help="size of the generated file (default 1G)")
    ap.add_argument("--scenarios", default="1:1,1:4,4:1", help="SEEDERS:LEECHERS,... (default 1:1,1:4,4:1)")
    ap.add_argument("--dir", default="/dev/shm/swarmshare-bench",
                    help="work directory (default on tmpfs, so the disk's write speed is not what is measured)")
    ap.add_argument("--no-libtorrent", action="store_true", help="skip the libtorrent column")
    ap.add_argument("--tls", action="store_true", help="also run 1:1 over TLS")
    ap.add_argument("--java-opts", default="", help="extra JVM options for every SwarmShare process")
    ap.add_argument("--jfr", help="record the first leecher of the first scenario with JFR into this file")
    ap.add_argument("--markdown", action="store_true", help="also print a Markdown table")
    args = ap.parse_args()

    size = size_arg(args.size)
    os.makedirs(args.dir, exist_ok=True)
    path = os.path.join(args.dir, "bench-%d.bin" % size)
    print("generating %d MiB of random data in %s" % (size >> 20, path), file=sys.stderr)
    generate(path, size)
    subprocess.run(["cat", path], stdout=subprocess.DEVNULL, check=True)  # into the page cache
    expected = sha256(path)
    ossl = openssl_seconds(path)
    lt_ok, lt_why = (False, "skipped (--no-libtorrent)") if args.no_libtorrent else have_libtorrent(True)
    if not lt_ok:
        print("libtorrent column skipped: %s" % lt_why, file=sys.stderr)

    mib = size / (1 << 20)
    rows = []
    scenarios = [tuple(int(x) for x in s.split(":")) for s in args.scenarios.split(",")]
    runs = [(s, l, False) for s, l in scenarios]
    tls_args = []
    if args.tls:
        runs.append((1, 1, True))
    for i, (s, l, tls) in enumerate(runs):
        label = "%d seeder%s -> %d leecher%s%s" % (s, "" if s == 1 else "s", l, "" if l == 1 else "s", " (TLS)" if tls else "")
        print("running %s ..." % label, file=sys.stderr)
        extra = tls_material(args.dir) if tls else []
        r = swarmshare(path, s, l, args.dir, extra, args.java_opts, args.jfr if i == 0 else None)
        for p in r["paths"]:
            if sha256(p) != expected:
                raise SystemExit("a SwarmShare copy does not match: " + p)
        lt_s = None
        if lt_ok and not tls:
            lt_s, why = libtorrent(path, s, l, args.dir)
            if lt_s is None:
                print("libtorrent %s: %s" % (label, why), file=sys.stderr)
            for k in range(l):
                shutil.rmtree(os.path.join(args.dir, "lt-leecher-%d" % k), ignore_errors=True)
        for o in r["outs"]:
            shutil.rmtree(o, ignore_errors=True)
        rows.append((label, r["seconds"], r["wall"], lt_s))

    print()
    print("file: %d MiB of random bytes in %s; openssl dgst -sha256: %.2f s (%.0f MiB/s)" % (mib, args.dir, ossl, mib / ossl))
    print("%-30s %10s %10s %12s %12s %10s %12s" % ("scenario", "seconds", "MiB/s", "x openssl", "libtorrent s", "lt MiB/s", "lt / ours"))
    for label, sec, wall, lt_s in rows:
        print("%-30s %10.2f %10.0f %12.2f %12s %10s %12s" % (
            label, sec, mib / sec, sec / ossl, "%.2f" % lt_s if lt_s else "-", "%.0f" % (mib / lt_s) if lt_s else "-",
            "%.2f" % (lt_s / sec) if lt_s else "-"))
    print("(seconds: the slowest leecher, from asking the tracker to the verified file under its final name;"
          " per leecher MiB/s)")
    if args.markdown:
        print()
        print("| scenario | SwarmShare s | MiB/s | × openssl | libtorrent s | libtorrent MiB/s | libtorrent ÷ SwarmShare |")
        print("|---|---:|---:|---:|---:|---:|---:|")
        print("| `openssl dgst -sha256` | %.2f | %.0f | 1.00 | | | |" % (ossl, mib / ossl))
        for label, sec, wall, lt_s in rows:
            print("| %s | %.2f | %.0f | %.2f | %s | %s | %s |" % (
                label, sec, mib / sec, sec / ossl, "%.2f" % lt_s if lt_s else "–",
                "%.0f" % (mib / lt_s) if lt_s else "–", "%.2f" % (lt_s / sec) if lt_s else "–"))


def tls_material(work):
    """TLS flags for every process; filled in once TLS lands (docs/SECURITY.md)."""
    raise SystemExit("--tls is not supported by this build yet")


if __name__ == "__main__":
    main()
