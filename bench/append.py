"""Single-point update='append' calls per second with the upstream visdom 0.2.4 client,
at 0, 1k, 10k and 100k points already in the window.

    make bench                       # our server
    .venv/bin/python bench/append.py --upstream-server   # also upstream's, side by side

Starts a fresh server per run on a free port with a temporary env path (autosave and
journal on, as in production) and drives it with the real upstream client from
.venv-upstream (or $VISDOM_UPSTREAM_PYTHON). The goal: the rate at 100k is at least
90% of the rate at 0, i.e. an append costs the same whatever the window holds.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

import requests

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)  # run as a script from anywhere

from tests.support.server import ServerProcess, free_port  # noqa: E402

SIZES = (0, 1_000, 10_000, 100_000)

CLIENT = r"""
import json, sys, time
import numpy as np
import visdom
port, size, n = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
vis = visdom.Visdom(port=port, server="http://127.0.0.1", env="bench", use_incoming_socket=False)
win = "w%d" % size
if size:
    xs = np.arange(size, dtype=float)
    vis.line(Y=xs, X=xs, win=win)
else:
    vis.line(Y=np.array([0.0]), X=np.array([0.0]), win=win)
    size = 1
for i in range(20):  # warm up connections and code paths
    vis.line(Y=np.array([1.0]), X=np.array([float(size + i)]), win=win, update="append")
# Let the first autosave of the freshly created window pass: the figure is the steady
# state of a long run, whose periodic snapshots are still inside the timed loop.
time.sleep(2.0)
start = time.perf_counter()
for i in range(n):
    vis.line(Y=np.array([1.0]), X=np.array([float(size + 20 + i)]), win=win, update="append")
took = time.perf_counter() - start
print(json.dumps({"rate": n / took}))
"""


def upstream_python():
    return os.environ.get("VISDOM_UPSTREAM_PYTHON") or os.path.join(
        ROOT, ".venv-upstream", "bin", "python"
    )


def start_upstream(env_path):
    """Start upstream's own server (side-by-side runs); return (process, port)."""
    port = free_port()
    code = "from visdom.server.run_server import main; main()"
    cmd = [upstream_python(), "-c", code, "-port", str(port), "-env_path", env_path]
    cmd += ["-bind_local", "-logging_level", "WARNING"]
    proc = subprocess.Popen(
        cmd,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        stdin=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            requests.post(f"http://127.0.0.1:{port}/env_state", data="{}", timeout=1)
            return proc, port
        except requests.ConnectionError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("upstream server did not start")


def measure(kind, size, n):
    with tempfile.TemporaryDirectory() as tmp:
        env_path = os.path.join(tmp, "envs")
        os.makedirs(env_path)
        if kind == "ours":
            server = ServerProcess(env_path).start()
            port, stop = server.port, server.stop
        else:
            proc, port = start_upstream(env_path)

            def stop():
                proc.terminate()
                proc.wait(timeout=20)

        try:
            out = subprocess.run(
                [upstream_python(), "-c", CLIENT, str(port), str(size), str(n)],
                capture_output=True,
                text=True,
                timeout=1800,
                check=True,
            )
            return json.loads(out.stdout.strip().splitlines()[-1])["rate"]
        finally:
            stop()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=2000, help="timed appends per size")
    parser.add_argument("--repeat", type=int, default=3, help="runs per size (best is kept)")
    parser.add_argument("--upstream-server", action="store_true", help="also run upstream's server")
    args = parser.parse_args()
    kinds = ["ours"] + (["upstream"] if args.upstream_server else [])
    for kind in kinds:
        rates = {}
        for size in SIZES:
            rates[size] = max(measure(kind, size, args.n) for _ in range(args.repeat))
        print(f"{kind} server, upstream 0.2.4 client, {args.n} single-point appends per size:")
        for size in SIZES:
            ratio = rates[size] / rates[0]
            print(
                f"  {size:>7} points in window: {rates[size]:8.1f} appends/s  ({ratio:6.1%} of rate at 0)"
            )
        verdict = "met" if rates[SIZES[-1]] >= 0.9 * rates[0] else "NOT met"
        print(f"  goal (rate at 100k >= 90% of rate at 0): {verdict}")


if __name__ == "__main__":
    main()
