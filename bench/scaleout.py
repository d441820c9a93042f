"""Scale-out: single-point appends/s from a C load generator (wrk) against 1 and 2 processes.

    .venv/bin/python bench/scaleout.py                # 10 s per run
    .venv/bin/python bench/scaleout.py -d 5 -c 32
    .venv/bin/python bench/scaleout.py --only embedded --profile /tmp/flame
    .venv/bin/python bench/scaleout.py --ratio 7     # Redis/embedded, rounds alternating

Each run starts its own redis-server, server processes and (for the "nginx" rows) nginx
on free ports of 127.0.0.1 (scripts/cluster.py), and points `wrk` at them with a small Lua
script that POSTs upstream-style single-point appends to /update (each wrk thread its own
few windows). Rows: the embedded store (one process, no Redis), then 1 and 2 processes on
Redis, hit directly (one wrk per process, connections split) and through nginx
(round-robin, as the wrk connections carry no cookies). CPU per append of the app
processes, Redis, nginx and wrk comes from /proc/<pid>/stat deltas over the timed run;
the cost model at the end turns them into a prediction for N processes on C cores.

`--only embedded` (or `redis`) runs only those rows. `--ratio N` runs only the embedded
store and one process on Redis, both up, alternating for N rounds, and prints the median of
the N ratios (the rates of separate runs drift with the machine by more than 5%). `--profile DIR` records a py-spy
profile of the server processes during each timed run (DIR/<row>.svg, a flame graph; or
`--profile-format raw`, collapsed stacks for scripts): only the samples of threads that hold
the GIL, taken without pausing the process, so the graph shows where the app's CPU goes
(waits on locks and sockets are left out). py-spy comes with requirements-dev.txt; it takes
CPU of its own, so the rates of a profiled run are a little lower than those of a plain one.
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

import requests

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "scripts"))
sys.path.insert(0, ROOT)

import soak_lib  # noqa: E402  (bench/, this script's folder)
from cluster import NGINX, NGINX_MAIN, TEMPLATE, Cluster, render_nginx, wait_http  # noqa: E402

from tests.support.server import ServerProcess, free_port  # noqa: E402

WRK = shutil.which("wrk") or "/usr/bin/wrk"
TICK = os.sysconf("SC_CLK_TCK")

LUA = r"""
local threads = {}
function setup(thread)
  thread:set("tid", #threads)
  table.insert(threads, thread)
end
function init(args)
  n = 0
  windows = tonumber(args[1] or "4")
end
function request()
  n = n + 1
  local body = string.format(
    '{"eid":"scale","win":"w%d_%d","append":true,"name":"1","opts":{},' ..
    '"data":[{"x":[%d],"y":[%d.5]}]}', tid, n %% windows, n, n)
  return wrk.format("POST", "/update", {["Content-Type"] = "text/plain"}, body)
end
function done(summary, latency, requests)
  io.write(string.format('WRK {"requests":%d,"duration_us":%d,"errors":%d,' ..
    '"p50_us":%d,"p99_us":%d}\n', summary.requests, summary.duration,
    summary.errors.status + summary.errors.connect + summary.errors.read +
    summary.errors.write + summary.errors.timeout,
    latency:percentile(50), latency:percentile(99)))
end
""".replace("%%", "%")


def cpu_seconds(pids):
    """Sum of user+system CPU seconds of `pids` and all their descendants."""
    children = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    fields = f.read().rsplit(")", 1)[1].split()
                children.setdefault(int(fields[1]), []).append((int(entry), fields))
            except OSError:
                continue
    total, todo, seen = 0.0, list(pids), set()
    while todo:
        pid = todo.pop()
        if pid in seen:
            continue
        seen.add(pid)
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / TICK
        except OSError:
            continue
        todo.extend(child for child, _ in children.get(pid, ()))
    return total


def run_wrk(urls, connections, duration, threads, lua):
    """Run one wrk per url (connections split); return merged stats and wrk CPU seconds."""
    procs = []
    per = max(1, connections // len(urls))
    for url in urls:
        cmd = [WRK, "-t", str(threads), "-c", str(per), "-d", f"{duration}s", "-s", lua, url]
        cmd += ["--", "4"]
        procs.append(subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True))
    stats, wrk_cpu = [], 0.0
    for proc in procs:
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        wrk_cpu += usage.ru_utime + usage.ru_stime
        line = [ln for ln in proc.stdout.read().splitlines() if ln.startswith("WRK ")]
        if not line:
            raise RuntimeError(f"wrk printed no summary (exit {proc.returncode})")
        stats.append(json.loads(line[-1][4:]))
    requests_ = sum(s["requests"] for s in stats)
    seconds = max(s["duration_us"] for s in stats) / 1e6
    return {
        "rate": requests_ / seconds,
        "requests": requests_,
        "errors": sum(s["errors"] for s in stats),
        # the slowest wrk's percentiles (per-process distributions are close)
        "p50_ms": max(s["p50_us"] for s in stats) / 1000,
        "p99_ms": max(s["p99_us"] for s in stats) / 1000,
    }, wrk_cpu


def round_robin_nginx(cluster):
    """nginx from the shipped template, minus ip_hash (wrk sends no cookies, one address)."""
    tmp = os.path.join(cluster.root, "nginx-rr")
    os.makedirs(tmp, exist_ok=True)
    port = free_port()
    body = render_nginx(TEMPLATE, f"127.0.0.1:{port}", [s.port for s in cluster.servers])
    body = body.replace("    ip_hash;\n", "")
    conf = os.path.join(tmp, "nginx.conf")
    user = "user root;" if os.geteuid() == 0 else ""
    with open(conf, "w") as f:
        f.write(NGINX_MAIN.format(workers=1, user=user, tmp=tmp, body=body))
    proc = subprocess.Popen(
        [
            NGINX,
            "-p",
            tmp,
            "-c",
            conf,
            "-e",
            os.path.join(tmp, "e.log"),
            "-g",
            "daemon off;",
        ]
    )
    wait_http(f"http://127.0.0.1:{port}/healthz", proc, "nginx")
    return proc, f"http://127.0.0.1:{port}"


def shared_store(cluster):
    """True when a window written through one process is seen by the other (RedisStore)."""
    if len(cluster.servers) < 2:
        return None
    a, b = cluster.servers[:2]
    body = {"eid": "probe", "win": "p", "opts": {}, "data": [{"content": "x", "type": "text"}]}
    requests.post(a.url + "/events", data=json.dumps(body), timeout=10)
    r = requests.post(
        b.url + "/win_exists", data=json.dumps({"eid": "probe", "win": "p"}), timeout=10
    )
    return r.text.strip() == "true"


def make_windows(servers, threads, windows=4):
    """Create the line windows wrk appends to (on every process: the store may not be shared)."""
    for server in servers:
        for tid in range(threads):
            for k in range(windows):
                body = {
                    "eid": "scale",
                    "win": f"w{tid}_{k}",
                    "opts": {},
                    "data": [{"x": [0], "y": [0.5], "name": "1", "type": "scatter"}],
                }
                r = requests.post(server.url + "/events", data=json.dumps(body), timeout=10)
                r.raise_for_status()


def py_spy():
    """The py-spy next to this interpreter (the venv's), else the one on PATH."""
    found = soak_lib.py_spy()
    if not found:
        raise SystemExit("py-spy is not installed (pip install -r requirements-dev.txt)")
    return found


def start_profiles(label, pids, args):
    """Start one py-spy per server process (its gunicorn worker included) for the timed run."""
    if not args.profile:
        return []
    os.makedirs(args.profile, exist_ok=True)
    stem = re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-")
    procs = []
    for k, pid in enumerate(pids):
        ext = {"flamegraph": "svg", "raw": "txt", "speedscope": "json"}[args.profile_format]
        name = f"{stem}.{ext}" if len(pids) == 1 else f"{stem}-{k + 1}.{ext}"
        out = os.path.join(args.profile, name)
        cmd = [py_spy(), "record", "--subprocesses", "--gil", "--nonblocking"]
        cmd += ["-f", args.profile_format, "-o", out, "--pid", str(pid)]
        cmd += ["-d", str(args.d), "-r", str(args.rate)]
        procs.append((subprocess.Popen(cmd, stdout=subprocess.DEVNULL), out))
    return procs


def finish_profiles(procs):
    for proc, out in procs:
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.terminate()  # it writes what it has on SIGTERM... or nothing
            proc.wait()
        print(f"flame graph: {out}" if os.path.exists(out) else f"py-spy wrote no {out}")


def measure(label, servers, redis_pid, urls, args, lua, nginx_pid=None):
    make_windows(servers, args.t)
    warm, _ = run_wrk(urls, args.c, 2, args.t, lua)  # windows exist, caches warm
    pids = [s.proc.pid for s in servers]
    before = (cpu_seconds(pids), cpu_seconds([redis_pid]) if redis_pid else 0.0)
    ngx0 = cpu_seconds([nginx_pid]) if nginx_pid else 0.0
    profiles = start_profiles(label, pids, args)
    stats, wrk_cpu = run_wrk(urls, args.c, args.d, args.t, lua)
    app_cpu = cpu_seconds(pids) - before[0]
    redis_cpu = (cpu_seconds([redis_pid]) - before[1]) if redis_pid else 0.0
    nginx_cpu = (cpu_seconds([nginx_pid]) - ngx0) if nginx_pid else 0.0
    finish_profiles(profiles)
    n = max(1, stats["requests"])
    stats.update(
        label=label,
        app_us=app_cpu / n * 1e6,
        redis_us=redis_cpu / n * 1e6,
        nginx_us=nginx_cpu / n * 1e6,
        wrk_us=wrk_cpu / n * 1e6,
    )
    return stats


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-d", type=int, default=10, help="seconds per timed run (default 10)")
    parser.add_argument("-c", type=int, default=32, help="wrk connections in all (default 32)")
    parser.add_argument("-t", type=int, default=1, help="wrk threads per wrk (default 1)")
    parser.add_argument("--fsync", choices=("always", "everysec"), default="everysec")
    parser.add_argument(
        "--only", choices=("embedded", "redis"), help="run only the embedded or the Redis rows"
    )
    parser.add_argument(
        "--profile", metavar="DIR", help="record a py-spy flame graph per timed run into DIR"
    )
    parser.add_argument(
        "--profile-format", choices=("flamegraph", "raw", "speedscope"), default="flamegraph"
    )
    parser.add_argument(
        "--rate", type=int, default=100, help="py-spy samples per second (default 100)"
    )
    parser.add_argument(
        "--ratio",
        type=int,
        metavar="N",
        help="only the Redis/embedded ratio: N rounds alternating the two, both servers up",
    )
    args = parser.parse_args()
    if not os.path.exists(WRK):
        raise SystemExit("wrk is not installed (make system-packages)")
    root = tempfile.mkdtemp(prefix="visdom-scaleout-")
    lua = os.path.join(root, "append.lua")
    with open(lua, "w") as f:
        f.write(LUA)
    if args.ratio:
        try:
            ratio_rounds(root, args, lua)
        finally:
            shutil.rmtree(root, ignore_errors=True)
        return
    rows = []
    try:
        if args.only in (None, "embedded"):
            env_path = os.path.join(root, "embedded", "envs")
            os.makedirs(env_path)
            single = ServerProcess(env_path).start()
            try:
                rows.append(
                    measure("1 process, embedded store", [single], None, [single.url], args, lua)
                )
            finally:
                single.stop()
        for n in (1, 2) if args.only in (None, "redis") else ():
            cluster = Cluster(os.path.join(root, f"redis{n}"), n=n, fsync=args.fsync)
            cluster.start(nginx=False)
            try:
                shared = shared_store(cluster)
                note = "" if shared in (None, True) else " [store NOT shared]"
                urls = [s.url for s in cluster.servers]
                rows.append(
                    measure(
                        f"{n} on Redis, direct{note}",
                        cluster.servers,
                        cluster.redis.pid,
                        urls,
                        args,
                        lua,
                    )
                )
                proc, front = round_robin_nginx(cluster)
                try:
                    rows.append(
                        measure(
                            f"{n} on Redis, nginx{note}",
                            cluster.servers,
                            cluster.redis.pid,
                            [front],
                            args,
                            lua,
                            proc.pid,
                        )
                    )
                finally:
                    proc.terminate()
                    proc.wait()
            finally:
                cluster.stop()
    finally:
        shutil.rmtree(root, ignore_errors=True)
    report(rows, args)


def ratio_rounds(root, args, lua):
    """One process on Redis against the embedded store, alternating round by round with
    both servers running, so that a slower or busier minute of the machine weighs on both
    sides alike; print each round's rates and the median of the ratios."""
    env_path = os.path.join(root, "embedded", "envs")
    os.makedirs(env_path)
    single = ServerProcess(env_path).start()
    cluster = Cluster(os.path.join(root, "redis1"), n=1, fsync=args.fsync)
    cluster.start(nginx=False)
    ratios = []
    try:
        print(
            f"{'round':<7}{'embedded/s':>11}{'Redis/s':>9}{'ratio':>7}{'app us':>14}{'p99 ms':>14}"
        )
        for k in range(args.ratio):
            emb = measure("embedded", [single], None, [single.url], args, lua)
            red = measure(
                "redis", cluster.servers, cluster.redis.pid, [cluster.servers[0].url], args, lua
            )
            ratios.append(red["rate"] / emb["rate"])
            print(
                f"{k + 1:<7}{emb['rate']:>11.0f}{red['rate']:>9.0f}{ratios[-1]:>7.3f}"
                f"{emb['app_us']:>7.0f}/{red['app_us']:<6.0f}{emb['p99_ms']:>7.1f}/{red['p99_ms']:.1f}"
            )
    finally:
        single.stop()
        cluster.stop()
    ratios.sort()
    print(
        f"\nRedis / embedded, 1 process, {args.c} connections, {args.d} s per run: median "
        f"{ratios[len(ratios) // 2]:.3f} (lowest {ratios[0]:.3f}, highest {ratios[-1]:.3f})"
    )


def report(rows, args):
    cores = os.cpu_count()
    print(
        f"\nwrk: {args.c} connections, {args.d} s per run, single-point appends to /update, "
        f"Redis appendfsync {args.fsync}, {cores} cores\n"
    )
    head = f"{'setup':<34}{'appends/s':>10}{'vs 1':>7}{'p50 ms':>8}{'p99 ms':>8}{'err':>5}"
    head += f"{'app us':>8}{'redis us':>9}{'nginx us':>9}{'wrk us':>8}"
    print(head)
    base = {}
    for row in rows:
        kind = row["label"].split(", ", 1)[1].split(" [")[0]
        ratio = row["rate"] / base[kind] if kind in base else 1.0
        base.setdefault(kind, row["rate"])
        print(
            f"{row['label']:<34}{row['rate']:>10.0f}{ratio:>7.2f}{row['p50_ms']:>8.1f}"
            f"{row['p99_ms']:>8.1f}{row['errors']:>5}{row['app_us']:>8.0f}{row['redis_us']:>9.0f}"
            f"{row['nginx_us']:>9.0f}{row['wrk_us']:>8.0f}"
        )
    one = next((r for r in rows if r["label"].startswith("1 on Redis, direct")), None)
    if one is None:
        return
    app, red = one["app_us"], one["redis_us"]
    ngx = next((r["nginx_us"] for r in rows if r["label"].startswith("1 on Redis, nginx")), 0)
    print(
        "\ncost model (CPU per append, from the 1-process Redis runs): "
        f"app {app:.0f} us, Redis {red:.0f} us, nginx {ngx:.0f} us.\n"
        "  one app process is one core of Python: at most 1e6/app appends/s each;\n"
        "  Redis runs commands on one core: at most 1e6/redis appends/s in all;\n"
        "  a machine with C cores for the servers (load generator and nginx elsewhere):\n"
        "  rate(N) ~ min(N, C) * 1e6/app, capped by 1e6/redis."
    )
    for n_proc in (1, 2, 4, 8, 16):
        rate = min(n_proc * 1e6 / app, 1e6 / red if red else float("inf"))
        print(
            f"  N={n_proc:<3} (N cores for servers, Redis on its own core): ~{rate:,.0f} appends/s"
        )
    here = cores / (app + red + ngx + one["wrk_us"]) * 1e6
    print(
        f"  on this machine everything shares {cores} cores: at most ~{here:,.0f} appends/s "
        "whatever N (app + Redis + nginx + wrk per append)."
    )


if __name__ == "__main__":
    main()
