#!/usr/bin/python3
"""The swarm benchmark: real SwarmShare processes started through the CLI on loopback, beside
`openssl dgst -sha256` of the same file and the same scenarios run by libtorrent, all in one run.

Two scenarios:

  matrix (default)  SEEDERS:LEECHERS combinations (--scenarios) of a --size file (default 1G),
                    uncapped, each once, beside openssl, libtorrent and, per row, `dd bs=1M
                    conv=fsync` writing the same size in the same directory.
  capped            one tracker, one seeder capped at --seed-rate (default 16M, i.e. 16 MiB/s:
                    `share --max-rate`), a --size file (default 64M), --leechers processes
                    (default 8) started together; libtorrent under the same cap in the same run
                    (the seeder's loopback peers moved into its global peer class so the cap
                    applies). --runs times (default 5), ours and libtorrent's interleaved;
                    per-run figures, median and min-max.

Files go to a fresh directory on disk (under /var/tmp, removed afterwards) unless --tmpfs (a
fresh directory under /dev/shm, removed afterwards) or --dir DIR (kept, the generated file is
reused; only the copies are removed).

Run it with bin/swarm-bench, which finds a JDK and builds the CLI first. Prints a table (and,
with --markdown, a Markdown table for docs/PERFORMANCE.md; with --json, one JSON object last)."""
import argparse
import json
import os
import queue
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
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


def dd_seconds(work, size):
    """The disk's own anchor: `dd bs=1M conv=fsync` writing SIZE bytes of zeros in the work
    directory, as a user would time the disk (on tmpfs the fsync is free and this times the
    kernel taking in that much new page cache). Run after a row's own copies are removed, so it
    never leaves warm memory behind for SwarmShare to reuse."""
    path = os.path.join(work, "dd-anchor.bin")
    t = time.monotonic()
    subprocess.run(["dd", "if=/dev/zero", "of=" + path, "bs=1M", "count=%d" % (size >> 20), "conv=fsync",
                    "status=none"], check=True)
    d = time.monotonic() - t
    os.remove(path)
    return d


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
                try:
                    p.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    print("swarm-bench: process %d did not end after SIGKILL" % p.pid, file=sys.stderr)
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


def libtorrent_run(path, seeders, leechers, work, extra=(), timeout=900):
    """libtorrent_bench.py in a process of its own: (its JSON result, None) or (None, why)."""
    try:
        out = subprocess.run(["/usr/bin/python3", LT, path, str(seeders), str(leechers), work, str(free_port())]
                             + list(extra), capture_output=True, text=True, timeout=timeout)
    except (OSError, subprocess.TimeoutExpired) as e:
        return None, str(e)
    if out.returncode != 0:
        return None, out.stderr.strip().splitlines()[-1] if out.stderr.strip() else "failed"
    r = json.loads(out.stdout.strip().splitlines()[-1])
    if not r.get("complete"):
        return None, "did not complete"
    return r, None


def libtorrent(path, seeders, leechers, work):
    r, why = libtorrent_run(path, seeders, leechers, work)
    return (r["seconds"], None) if r else (None, why)


class Lines:
    """A process's stdout read on a thread of its own, so its pipe never fills; lines are taken
    one at a time with a deadline."""

    def __init__(self, stream):
        self.q = queue.Queue()
        threading.Thread(target=self._pump, args=(stream,), daemon=True).start()

    def _pump(self, stream):
        try:
            for line in stream:
                self.q.put(line)
        except (OSError, ValueError):
            pass
        self.q.put(None)

    def next(self, timeout):
        """The next line, or None at end of stream or after timeout seconds."""
        try:
            return self.q.get(timeout=timeout)
        except queue.Empty:
            return None


def tail(path, n=5):
    try:
        with open(path, errors="replace") as f:
            return " | ".join(line.strip() for line in f.read().strip().splitlines()[-n:])
    except OSError:
        return ""


def capped_ours(path, leechers, rate_text, work, java_opts, timeout, jfr=None):
    """One tracker, one seeder with `share --max-rate RATE`, then LEECHERS `get --json` processes
    started together. Returns the figures of the run; raises RuntimeError if it fails. Every
    process started here is ended here, by its own PID."""
    procs = Procs()
    logs = []

    def log(name):
        f = open(os.path.join(work, name), "w")
        logs.append(f)
        return f

    outs = []
    try:
        port = free_port()
        addr = "127.0.0.1:%d" % port
        tracker = procs.start([CLI, "tracker", "--port", str(port), "--bind", "127.0.0.1"],
                              stdout=subprocess.PIPE, stderr=log("tracker.log"), text=True, env=java_env(java_opts))
        line = Lines(tracker.stdout).next(120)
        if not line or "listening" not in line:
            raise RuntimeError("tracker did not start: %s" % ((line or "").strip() or tail(logs[-1].name)))
        seeder = procs.start([CLI, "share", path, "--tracker", addr, "--max-rate", rate_text, "--json", "-q"],
                             stdout=subprocess.PIPE, stderr=log("seeder.log"), text=True, env=java_env(java_opts))
        line = Lines(seeder.stdout).next(300)
        if not line:
            raise RuntimeError("share failed: " + tail(logs[-1].name))
        shared = json.loads(line)
        file_id = shared["id"]
        for i in range(leechers):
            out = os.path.join(work, "ss-leecher-%d" % i)
            shutil.rmtree(out, ignore_errors=True)
            os.makedirs(out)
            outs.append(out)
        os.sync()  # the previous run's writes are not flushed during this one
        getters = []
        errs = [log("leecher-%d.err" % i) for i in range(leechers)]
        start = time.monotonic()
        for i, out in enumerate(outs):
            opts = java_opts
            if jfr and i == 0:
                opts += " -XX:StartFlightRecording=filename=%s,settings=profile" % jfr
            getters.append(procs.start([CLI, "get", file_id, "-o", out, "--tracker", addr, "--json", "-q"],
                                       stdout=subprocess.PIPE, stderr=errs[i], text=True, env=java_env(opts)))
        verified_at = [None] * leechers   # when the result line (the file verified, in place) was read
        exited_at = [None] * leechers
        results = [None] * leechers

        def wait(i, p):
            last = None
            for line in p.stdout:   # ends when the process exits, or is ended by stop_all
                if line.strip():
                    last = line
                    if '"verified"' in line:
                        verified_at[i] = time.monotonic()
            try:
                p.wait(timeout=30)   # its stdout is closed: it is exiting
            except subprocess.TimeoutExpired:
                results[i] = "still running 30 s after closing its output"
                return
            exited_at[i] = time.monotonic()
            try:
                r = json.loads(last) if p.returncode == 0 and last else None
            except ValueError:
                r = None
            results[i] = r if r is not None else "exit code %d: %s" % (
                p.returncode, tail(errs[i].name, 3) or "no JSON result")

        waiters = [threading.Thread(target=wait, args=(i, p), daemon=True) for i, p in enumerate(getters)]
        for w in waiters:
            w.start()
        for w in waiters:   # the leechers still running at start + timeout are failed, then ended
            w.join(timeout=max(0.0, start + timeout - time.monotonic()))
        late = [i for i, w in enumerate(waiters) if w.is_alive()]
        if late:
            raise RuntimeError("leecher%s %s: no result within %g s" % (
                "" if len(late) == 1 else "s", ", ".join(map(str, late)), timeout))
        failed = ["leecher %d: %s" % (i, r if isinstance(r, str) else "no result")
                  for i, r in enumerate(results) if not isinstance(r, dict)]
        failed += ["leecher %d: not verified" % i for i, r in enumerate(results)
                   if isinstance(r, dict) and (r.get("verified") is not True or verified_at[i] is None)]
        if failed:
            raise RuntimeError("; ".join(failed))
        return {"slowest_seconds": max(r["seconds"] for r in results),
                "wall_seconds": round(max(verified_at) - start, 3),
                "wall_exit_seconds": round(max(exited_at) - start, 3),
                "leecher_seconds": [r["seconds"] for r in results],
                "leecher_wall_seconds": [round(t - start, 3) for t in verified_at],
                "seeder_sent": seeder_sent(results),
                "paths": [r["path"] for r in results]}
    finally:
        procs.stop_all()
        for f in logs:
            f.close()


def seeder_sent(results):
    """Bytes the seeder sent, from the leechers' bytesFromPeer (keyed by peer id; share --json
    names the seeder by address only). A leecher's own id is never in its own map, so a peer id
    in every leecher's map is the seeder's. None when that does not single out one peer."""
    maps = [r.get("bytesFromPeer") or {} for r in results]
    common = set(maps[0]).intersection(*maps[1:]) if maps else set()
    if len(common) != 1:
        return None
    peer = common.pop()
    return sum(m[peer] for m in maps)


def capped_libtorrent(path, leechers, rate, work, timeout):
    os.sync()
    r, why = libtorrent_run(path, 1, leechers, work, ["--seed-rate", str(rate), "--timeout", str(timeout)],
                            timeout + 120)
    if r is None:
        raise RuntimeError(why)
    return {"seconds": r["seconds"], "leecher_seconds": r["leecher_seconds"], "seeder_sent": r["seeder_uploaded"],
            "paths": [os.path.join(work, "lt-leecher-%d" % i, os.path.basename(path)) for i in range(leechers)]}


def spread(values):
    v = [x for x in values if x is not None]
    if not v:
        return None
    return {"median": round(statistics.median(v), 3), "min": min(v), "max": max(v), "n": len(v)}


def one_side(run, key, label, k, args, work, prefix, expected, go):
    """Runs one side of a capped run, checks every copy's SHA-256, records the result or the
    error under KEY, and removes the leechers' directories whatever happened."""
    try:
        r = go()
        bad = [p for p in r.pop("paths") if sha256(p) != expected]
        if bad:
            raise RuntimeError("SHA-256 mismatch: " + ", ".join(bad))
        run[key] = r
    except (RuntimeError, ValueError, KeyError, OSError, subprocess.SubprocessError) as e:
        run[key + "_error"] = str(e)
        print("run %d: %s failed: %s" % (k + 1, label, e), file=sys.stderr)
    finally:
        for i in range(args.leechers):
            shutil.rmtree(os.path.join(work, "%s-%d" % (prefix, i)), ignore_errors=True)


def capped(args, work, path, expected, size, lt_ok):
    """The uplink-capped scenario; returns the process exit code."""
    rate = size_arg(args.seed_rate)
    mib = 1 << 20
    floor = size / rate
    runs = []
    print("capped: 1 seeder at --max-rate %s (%.1f MiB/s) -> %d leecher%s, %d runs, interleaved with libtorrent%s"
          % (args.seed_rate, rate / mib, args.leechers, "" if args.leechers == 1 else "s", args.runs,
             "" if lt_ok else " (skipped)"), file=sys.stderr)
    for k in range(args.runs):
        run = {"run": k + 1, "ours": None, "libtorrent": None}
        print("run %d/%d: SwarmShare ..." % (k + 1, args.runs), file=sys.stderr)
        one_side(run, "ours", "SwarmShare", k, args, work, "ss-leecher", expected,
                 lambda: capped_ours(path, args.leechers, args.seed_rate, work, args.java_opts, args.timeout,
                                     args.jfr if k == 0 else None))
        if lt_ok:
            print("run %d/%d: libtorrent ..." % (k + 1, args.runs), file=sys.stderr)
            one_side(run, "libtorrent", "libtorrent", k, args, work, "lt-leecher", expected,
                     lambda: capped_libtorrent(path, args.leechers, rate, work, args.timeout))
        runs.append(run)

    def fig(run, side, key):
        return run[side][key] if run.get(side) else None

    summary = {"ours_slowest_seconds": spread([fig(r, "ours", "slowest_seconds") for r in runs]),
               "ours_wall_seconds": spread([fig(r, "ours", "wall_seconds") for r in runs]),
               "libtorrent_seconds": spread([fig(r, "libtorrent", "seconds") for r in runs])}
    warnings = []
    for r in runs:
        o, t = r.get("ours"), r.get("libtorrent")
        # SwarmShare's limiter may burst one second's worth; libtorrent's does not.
        if o and o["seeder_sent"] is not None and o["seeder_sent"] > rate * (o["slowest_seconds"] + 1) * 1.05:
            warnings.append("run %d: the SwarmShare seeder sent %.1f MiB in %.2f s: more than the cap allows"
                            % (r["run"], o["seeder_sent"] / mib, o["slowest_seconds"]))
        if t and t["seeder_sent"] > rate * t["seconds"] * 1.10:
            warnings.append("run %d: the libtorrent seeder sent %.1f MiB in %.2f s: its cap did not apply"
                            % (r["run"], t["seeder_sent"] / mib, t["seconds"]))

    def f(x, fmt="%.2f"):
        return "-" if x is None else fmt % x

    def sent_mib(side):
        return side["seeder_sent"] / mib if side and side["seeder_sent"] is not None else None

    print()
    print("capped: 1 seeder, upload capped at %.1f MiB/s (share --max-rate %s; libtorrent upload_rate_limit %d), "
          "-> %d leecher%s (started together); %d MiB random file in %s (%s)"
          % (rate / mib, args.seed_rate, rate, args.leechers, "" if args.leechers == 1 else "s", size / mib,
             work, fs_type(work)))
    print("floor SIZE/RATE: %.2f s (the seeder must send every byte at least once)" % floor)
    print("%-8s %14s %12s %16s %14s %16s" % ("run", "ours slowest s", "ours wall s", "ours seeder MiB", "libtorrent s",
                                              "lt seeder MiB"))
    for r in runs:
        o, t = r.get("ours"), r.get("libtorrent")
        print("%-8s %14s %12s %16s %14s %16s" % (
            r["run"], f(o and o["slowest_seconds"]), f(o and o["wall_seconds"]),
            f(sent_mib(o), "%.1f"), f(t and t["seconds"]), f(sent_mib(t), "%.1f")))
    for name, key in (("median", "median"), ("min", "min"), ("max", "max")):
        print("%-8s %14s %12s %16s %14s %16s" % (
            name, f(summary["ours_slowest_seconds"] and summary["ours_slowest_seconds"][key]),
            f(summary["ours_wall_seconds"] and summary["ours_wall_seconds"][key]), "",
            f(summary["libtorrent_seconds"] and summary["libtorrent_seconds"][key]), ""))
    print("(ours slowest s: the slowest leecher's own `seconds` from get --json, JVM start excluded; ours wall s:"
          " from starting the %d get processes to the last one printing its result (file verified and in place);"
          " libtorrent s: from"
          " adding the leechers' torrents to the last one seeding; seeder MiB: payload the seeder sent)"
          % args.leechers)
    for r in runs:
        if r.get("ours"):
            print("run %s ours per leecher s: %s (wall: %s; all exited at %.2f)" % (
                r["run"], " ".join("%.2f" % x for x in r["ours"]["leecher_seconds"]),
                " ".join("%.2f" % x for x in r["ours"]["leecher_wall_seconds"]), r["ours"]["wall_exit_seconds"]))
        if r.get("libtorrent"):
            print("run %s libtorrent per leecher s: %s" % (
                r["run"], " ".join(f(x) for x in r["libtorrent"]["leecher_seconds"])))
        for side in ("ours_error", "libtorrent_error"):
            if r.get(side):
                print("run %s %s: %s" % (r["run"], side.replace("_", " "), r[side]))
    for w in warnings:
        print("WARNING: " + w)
    if args.markdown:
        print()
        print("| run | SwarmShare slowest leecher s | SwarmShare wall s | libtorrent s |")
        print("|---|---:|---:|---:|")
        for r in runs:
            o, t = r.get("ours"), r.get("libtorrent")
            print("| %s | %s | %s | %s |" % (r["run"], f(o and o["slowest_seconds"]), f(o and o["wall_seconds"]),
                                            f(t and t["seconds"])))
        for key in ("median", "min", "max"):
            print("| %s | %s | %s | %s |" % (key, *(f(summary[k] and summary[k][key]) for k in (
                "ours_slowest_seconds", "ours_wall_seconds", "libtorrent_seconds"))))
    failed = any(r.get("ours_error") or r.get("libtorrent_error") for r in runs)
    if args.json:
        print(json.dumps({"scenario": "capped", "commit": commit(), "size": size, "seed_rate": rate,
                          "seed_rate_arg": args.seed_rate, "leechers": args.leechers, "runs": runs,
                          "summary": summary, "floor_seconds": round(floor, 3), "dir": work, "fs": fs_type(work),
                          "libtorrent": lt_ok, "warnings": warnings, "ok": not failed}))
    return 1 if failed else 0


def commit():
    try:
        r = subprocess.run(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                           timeout=10)
        d = subprocess.run(["git", "-C", ROOT, "status", "--porcelain", "--untracked-files=no"],
                           capture_output=True, text=True, timeout=10)
        return r.stdout.strip() + ("-dirty" if d.stdout.strip() else "") if r.returncode == 0 else None
    except (OSError, subprocess.TimeoutExpired):
        return None


MEMORY_FS = {"tmpfs", "ramfs"}


def fs_type(path):
    """The type of the file system PATH is on, from /proc/self/mounts (the longest mount point)."""
    path = os.path.realpath(path)
    best, kind = "", "?"
    try:
        with open("/proc/self/mounts") as f:
            for line in f:
                parts = line.split()
                if len(parts) < 3:
                    continue
                mnt = parts[1].replace("\\040", " ")
                if (path == mnt or path.startswith(mnt.rstrip("/") + "/")) and len(mnt) >= len(best):
                    best, kind = mnt, parts[2]
    except OSError:
        pass
    return kind


def work_dir(args):
    """(directory, whether to remove it afterwards): --dir as given, else a fresh one under
    /dev/shm (--tmpfs), else a fresh one on disk: under /var/tmp, or bench-out/ in the
    checkout if /var/tmp is in memory."""
    if args.dir:
        os.makedirs(args.dir, exist_ok=True)
        return args.dir, False
    if args.tmpfs:
        return tempfile.mkdtemp(prefix="swarmshare-bench-", dir="/dev/shm"), True
    for base in ("/var/tmp", os.path.join(ROOT, "bench-out")):
        try:
            os.makedirs(base, exist_ok=True)
        except OSError:
            continue
        if fs_type(base) not in MEMORY_FS and os.access(base, os.W_OK):
            return tempfile.mkdtemp(prefix="swarmshare-bench-", dir=base), True
    raise SystemExit("swarm-bench: /var/tmp and bench-out/ are both in memory; pass --dir DIR on a disk")


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
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter,
                                 epilog="examples:\n"
                                        "  bin/swarm-bench --size 1G --scenarios 1:1,1:4,4:1 --tls --markdown\n"
                                        "  bin/swarm-bench --scenario capped --leechers 8 --size 64M --seed-rate 16M"
                                        " --runs 5 --json")
    ap.add_argument("--scenario", choices=("matrix", "capped"), default="matrix",
                    help="matrix: the --scenarios combinations, uncapped (default); capped: one seeder under"
                         " --seed-rate, --leechers leechers, --runs runs, beside libtorrent under the same cap")
    ap.add_argument("--size", help="size of the generated file (default 1G; 64M for --scenario capped)")
    ap.add_argument("--scenarios", help="matrix: SEEDERS:LEECHERS,... (default 1:1,1:4,4:1)")
    ap.add_argument("--leechers", type=int, help="capped: leecher processes started together (default 8)")
    ap.add_argument("--seed-rate", help="capped: the seeder's upload cap per second, as for share --max-rate"
                                        " (default 16M = 16 MiB/s)")
    ap.add_argument("--runs", type=int, help="capped: runs, ours and libtorrent's interleaved (default 5)")
    ap.add_argument("--timeout", type=float, default=600,
                    help="capped: seconds one side of a run may take before it is stopped and failed (default 600)")
    where = ap.add_mutually_exclusive_group()
    where.add_argument("--dir", help="work directory, kept afterwards (the generated file is reused; copies are"
                                     " removed). Default: a fresh directory on disk under /var/tmp, removed"
                                     " afterwards")
    where.add_argument("--tmpfs", action="store_true",
                       help="work in a fresh directory on tmpfs (/dev/shm), removed afterwards, so the disk's"
                            " write speed is not part of what is measured")
    ap.add_argument("--no-libtorrent", action="store_true", help="skip the libtorrent column")
    ap.add_argument("--tls", action="store_true", help="matrix: also run 1:1 over TLS 1.3 (keys made with keytool in DIR/tls)")
    ap.add_argument("--java-opts", default="",
                    help="extra JVM options for every SwarmShare process, e.g. --java-opts '-Xlog:gc -Dx=y'")
    ap.add_argument("--jfr", help="record the first leecher of the first scenario (or run) with JFR into this file")
    ap.add_argument("--markdown", action="store_true", help="also print a Markdown table")
    ap.add_argument("--json", action="store_true", help="end with one JSON object holding the figures")
    # JVM options start with a dash, which argparse takes for an option of ours: bind the value
    # that follows --java-opts to it, so "--java-opts -Dx=y" works as "--java-opts=-Dx=y" does.
    argv = sys.argv[1:]
    for i, a in enumerate(argv[:-1]):
        if a == "--java-opts":
            argv[i:i + 2] = ["--java-opts=" + argv[i + 1]]
            break
    args = ap.parse_args(argv)
    if args.scenario == "capped":
        if args.scenarios or args.tls:
            ap.error("--scenarios and --tls apply to --scenario matrix")
        args.leechers = 8 if args.leechers is None else args.leechers
        args.seed_rate = args.seed_rate or "16M"
        args.runs = 5 if args.runs is None else args.runs
        if args.leechers < 1 or args.runs < 1:
            ap.error("--leechers and --runs must be at least 1")
        try:
            if size_arg(args.seed_rate) <= 0:
                raise ValueError
        except (ValueError, IndexError):
            ap.error("--seed-rate: '%s' is not a rate; write for example 16M" % args.seed_rate)
    elif args.leechers is not None or args.seed_rate or args.runs is not None:
        ap.error("--leechers, --seed-rate and --runs apply to --scenario capped")
    try:
        size = size_arg(args.size or ("64M" if args.scenario == "capped" else "1G"))
    except (ValueError, IndexError):
        ap.error("--size: '%s' is not a size; write for example 64M or 1G" % args.size)

    # End this run's processes (try/finally) when stopped with SIGTERM as with Ctrl-C.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    work, remove = work_dir(args)
    try:
        return run(args, size, work)
    finally:
        if remove:
            shutil.rmtree(work, ignore_errors=True)


def run(args, size, work):
    path = os.path.join(work, "bench-%d.bin" % size)
    print("generating %d MiB of random data in %s (%s)" % (size >> 20, path, fs_type(work)), file=sys.stderr)
    generate(path, size)
    subprocess.run(["cat", path], stdout=subprocess.DEVNULL, check=True)  # into the page cache
    expected = sha256(path)
    lt_ok, lt_why = (False, "skipped (--no-libtorrent)") if args.no_libtorrent else have_libtorrent(True)
    if not lt_ok:
        print("libtorrent column skipped: %s" % lt_why, file=sys.stderr)
    if args.scenario == "capped":
        return capped(args, work, path, expected, size, lt_ok)
    ossl = openssl_seconds(path)

    mib = size / (1 << 20)
    rows = []
    scenarios = [tuple(int(x) for x in s.split(":")) for s in (args.scenarios or "1:1,1:4,4:1").split(",")]
    runs = [(s, l, False) for s, l in scenarios]
    tls_args = []
    if args.tls:
        runs.append((1, 1, True))
    for i, (s, l, tls) in enumerate(runs):
        label = "%d seeder%s -> %d leecher%s%s" % (s, "" if s == 1 else "s", l, "" if l == 1 else "s", " (TLS)" if tls else "")
        print("running %s ..." % label, file=sys.stderr)
        extra = tls_material(work) if tls else []
        r = swarmshare(path, s, l, work, extra, args.java_opts, args.jfr if i == 0 else None)
        for p in r["paths"]:
            if sha256(p) != expected:
                raise SystemExit("a SwarmShare copy does not match: " + p)
        for o in r["outs"]:
            shutil.rmtree(o, ignore_errors=True)
        dd = dd_seconds(work, size)
        lt_s = None
        if lt_ok and not tls:
            lt_s, why = libtorrent(path, s, l, work)
            if lt_s is None:
                print("libtorrent %s: %s" % (label, why), file=sys.stderr)
            for k in range(l):
                shutil.rmtree(os.path.join(work, "lt-leecher-%d" % k), ignore_errors=True)
        rows.append((label, r["seconds"], r["wall"], lt_s, dd))

    print()
    print("file: %d MiB of random bytes in %s (%s); openssl dgst -sha256: %.2f s (%.0f MiB/s)"
          % (mib, work, fs_type(work), ossl, mib / ossl))
    print("%-30s %10s %10s %12s %8s %8s %12s %10s %12s" % (
        "scenario", "seconds", "MiB/s", "x openssl", "dd s", "x dd", "libtorrent s", "lt MiB/s", "lt / ours"))
    for label, sec, wall, lt_s, dd in rows:
        print("%-30s %10.2f %10.0f %12.2f %8.2f %8.2f %12s %10s %12s" % (
            label, sec, mib / sec, sec / ossl, dd, sec / dd, "%.2f" % lt_s if lt_s else "-",
            "%.0f" % (mib / lt_s) if lt_s else "-", "%.2f" % (lt_s / sec) if lt_s else "-"))
    print("(seconds: the slowest leecher, from asking the tracker to the verified file under its final name;"
          " per leecher MiB/s; dd: `dd bs=1M conv=fsync` writing the same size in the same directory,"
          " right after the row)")
    if args.markdown:
        print()
        print("| scenario | SwarmShare s | MiB/s | × openssl | `dd` s | × `dd` | libtorrent s | libtorrent MiB/s"
              " | libtorrent ÷ SwarmShare |")
        print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
        print("| `openssl dgst -sha256` | %.2f | %.0f | 1.00 | | | | | |" % (ossl, mib / ossl))
        for label, sec, wall, lt_s, dd in rows:
            print("| %s | %.2f | %.0f | %.2f | %.2f | %.2f | %s | %s | %s |" % (
                label, sec, mib / sec, sec / ossl, dd, sec / dd, "%.2f" % lt_s if lt_s else "–",
                "%.0f" % (mib / lt_s) if lt_s else "–", "%.2f" % (lt_s / sec) if lt_s else "–"))
    if args.json:
        print(json.dumps({"scenario": "matrix", "commit": commit(), "size": size, "dir": work, "fs": fs_type(work),
                          "openssl_seconds": round(ossl, 3),
                          "rows": [{"scenario": label, "seconds": sec, "wall_seconds": round(wall, 3),
                                    "dd_seconds": round(dd, 3), "libtorrent_seconds": lt_s}
                                   for label, sec, wall, lt_s, dd in rows]}))
    return 0


def tls_material(work):
    """TLS flags for every process: a CA, one node key it signed (shared by all the processes of
    the run) and a trust store with the CA, made with keytool as docs/SECURITY.md shows, once per
    work directory. The store password reaches keytool and SwarmShare through the environment
    (SWARMSHARE_TLS_PASSWORD), never a command line."""
    tls = os.path.join(work, "tls")
    node, trust, pw_file = (os.path.join(tls, n) for n in ("node.p12", "trust.p12", "password"))
    if not (os.path.exists(node) and os.path.exists(trust) and os.path.exists(pw_file)):
        shutil.rmtree(tls, ignore_errors=True)
        os.makedirs(tls)
        with open(os.open(pw_file, os.O_WRONLY | os.O_CREAT, 0o600), "w") as f:
            f.write(os.urandom(16).hex())
        with open(pw_file) as f:
            password = f.read().strip()
        keytool = os.path.join(os.environ.get("JAVA_HOME", "/usr"), "bin", "keytool")
        env = dict(os.environ, SWARMSHARE_TLS_PASSWORD=password)
        pw = ["-storepass:env", "SWARMSHARE_TLS_PASSWORD"]
        ec = ["-keyalg", "EC", "-groupname", "secp256r1", "-storetype", "PKCS12"]
        ca, ca_pem, csr, crt = (os.path.join(tls, n) for n in ("ca.p12", "ca.pem", "node.csr", "node.pem"))
        print("making TLS keys with keytool in %s ..." % tls, file=sys.stderr)
        for args in (
                ["-genkeypair", "-alias", "ca", "-dname", "CN=Bench CA", "-ext", "bc:c", "-validity", "30",
                 "-keystore", ca] + ec + pw,
                ["-exportcert", "-rfc", "-alias", "ca", "-keystore", ca, "-file", ca_pem] + pw,
                ["-importcert", "-noprompt", "-alias", "ca", "-file", ca_pem, "-storetype", "PKCS12",
                 "-keystore", trust] + pw,
                ["-genkeypair", "-alias", "node", "-dname", "CN=bench-node", "-validity", "30", "-keystore", node]
                + ec + pw,
                ["-certreq", "-alias", "node", "-keystore", node, "-file", csr] + pw,
                ["-gencert", "-alias", "ca", "-keystore", ca, "-infile", csr, "-outfile", crt, "-rfc",
                 "-validity", "30"] + pw,
                ["-importcert", "-noprompt", "-alias", "ca", "-file", ca_pem, "-keystore", node] + pw,
                ["-importcert", "-alias", "node", "-file", crt, "-keystore", node] + pw):
            subprocess.run([keytool] + args, check=True, env=env, capture_output=True)
    with open(pw_file) as f:
        os.environ["SWARMSHARE_TLS_PASSWORD"] = f.read().strip()
    return ["--tls-keystore", node, "--tls-truststore", trust]


if __name__ == "__main__":
    sys.exit(main())
