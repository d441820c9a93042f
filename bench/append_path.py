"""CPU per single-point append through the whole app, in one thread, without an HTTP server.

    .venv/bin/python bench/append_path.py            # 30,000 appends, best of 5 rounds
    .venv/bin/python bench/append_path.py -n 60000 --cprofile
    .venv/bin/python bench/append_path.py --store redis   # on a redis-server of its own

The app (create_app, embedded store in a temporary folder) is called as a WSGI server
calls it, with upstream-style /update bodies (those of bench/scaleout.py): the figure is the
app's own work per append (Flask, the gate, parsing, the store, the journal write), without
gunicorn, sockets and thread hand-overs. It is a process-CPU figure and the best of five
rounds, so it moves little when other work shares the machine (bench/scaleout.py's rates
do); compare it before and after a change of the write path. With `--store redis` the app
writes to a redis-server started for the run (appendfsync everysec, as bench/scaleout.py):
the figure is then the app's CPU per append on Redis, Redis's own CPU left out.
"""

import argparse
import cProfile
import io
import json
import os
import pstats
import shutil
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)


def make_app(root, store=None):
    from app import create_app

    os.environ["VISDOM_INSTANCE_PATH"] = os.path.join(root, "instance")
    env_path = os.path.join(root, "envs")
    os.makedirs(env_path)
    config = {"ENV_PATH": env_path, "LOGGING_LEVEL": "WARNING"}
    if store:
        config["STORE"] = store
    return create_app(config)


def caller(app):
    """Return call(path, body) -> (status, body bytes), a minimal WSGI server."""

    def call(path, body):
        raw = body.encode()
        environ = {
            "REQUEST_METHOD": "POST",
            "PATH_INFO": path,
            "SCRIPT_NAME": "",
            "QUERY_STRING": "",
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "8097",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(raw),
            "wsgi.errors": sys.stderr,
            "wsgi.version": (1, 0),
            "wsgi.multithread": True,
            "wsgi.multiprocess": False,
            "wsgi.run_once": False,
            "CONTENT_TYPE": "text/plain",
            "CONTENT_LENGTH": str(len(raw)),
            "HTTP_HOST": "127.0.0.1:8097",
            "REMOTE_ADDR": "127.0.0.1",
        }
        status = []
        answer = app(environ, lambda s, headers, exc_info=None: status.append(s))
        try:
            data = b"".join(answer)
        finally:
            getattr(answer, "close", lambda: None)()
        return status[0], data

    return call


def body(n, windows=4):
    return (
        f'{{"eid":"scale","win":"w0_{n % windows}","append":true,"name":"1","opts":{{}},'
        f'"data":[{{"x":[{n}],"y":[{n}.5]}}]}}'
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", type=int, default=30_000, help="appends timed (default 30,000)")
    parser.add_argument("--cprofile", action="store_true", help="print a cProfile of 5,000")
    parser.add_argument(
        "--store", choices=("embedded", "redis"), default="embedded", help="the store appended to"
    )
    args = parser.parse_args()
    root = tempfile.mkdtemp(prefix="visdom-append-path-")
    redis = None
    try:
        if args.store == "redis":
            from scripts.cluster import Cluster

            redis = Cluster(os.path.join(root, "cluster"), n=0)
            redis.start_redis()
        app = make_app(root, redis.store_url if redis else None)
        call = caller(app)
        for k in range(4):
            trace = {"x": [0], "y": [0.5], "name": "1", "type": "scatter"}
            window = {"eid": "scale", "win": f"w0_{k}", "opts": {}, "data": [trace]}
            status, _ = call("/events", json.dumps(window))
            assert status.startswith("200"), status
        bodies = [body(n) for n in range(1, args.n + 2_001)]
        for text in bodies[:2_000]:  # warm: windows long enough to be columns
            status, _ = call("/update", text)
            assert status.startswith("200"), status
        timed = bodies[2_000:]
        size = len(timed) // 5
        rounds = []
        for r in range(5):
            started = time.process_time()
            for text in timed[r * size : (r + 1) * size]:
                call("/update", text)
            rounds.append((time.process_time() - started) / size * 1e6)
        rounds.sort()
        print(
            f"{rounds[0]:.1f} us of CPU per single-point /update (best of 5 rounds of "
            f"{size:,}; median {rounds[2]:.1f} us)"
        )
        if args.cprofile:
            profile = cProfile.Profile()
            profile.enable()
            for n in range(5_000):
                call("/update", body(args.n + 10_000 + n))
            profile.disable()
            pstats.Stats(profile).sort_stats("cumulative").print_stats(40)
        app.extensions["visdom_store"].close()
    finally:
        if redis:
            redis.stop()
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
