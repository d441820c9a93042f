"""Try several server processes on one machine: Redis, N servers and nginx, one command.

    .venv/bin/python scripts/cluster.py            # 2 processes, nginx on http://127.0.0.1:8080/
    .venv/bin/python scripts/cluster.py -n 3 -port 9000 -dir /tmp/vis -- -enable_login

Everything lives in one folder (a new temporary one unless -dir is given): redis/ (the
append-only file), envs/, instance/ (the shared secret key and accounts), logs. Ctrl-C
stops all of it. The servers run `python -m app` with VISDOM_STORE=redis://...; nginx uses
deploy/nginx-visdom.conf with the servers' ports filled in. tests/cluster and
bench/scaleout.py start clusters through `Cluster` below.
"""

import argparse
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time

import requests

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from tests.support.server import ServerProcess, free_port  # noqa: E402

TEMPLATE = os.path.join(ROOT, "deploy", "nginx-visdom.conf")
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
REDIS = shutil.which("redis-server") or "/usr/bin/redis-server"

NGINX_MAIN = """worker_processes {workers};
{user}
pid {tmp}/nginx.pid;
error_log {tmp}/nginx-error.log warn;
events {{ worker_connections 4096; }}
http {{
    access_log off;
    client_body_temp_path {tmp}/body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
{body}
}}
"""


def render_nginx(template, listen, backends):
    """Return the template with `listen` (host:port) and the backend ports filled in."""
    with open(template, encoding="utf-8") as f:
        text = f.read()
    lines = [f"    server 127.0.0.1:{port} max_fails=1 fail_timeout=10s;" for port in backends]
    text, n = re.subn(r"(?m)^    server 127\.0\.0\.1:\d+ [^\n]*\n", "", text)
    if n == 0:
        raise ValueError(f"{template}: no `server 127.0.0.1:PORT ...;` line in the upstream")
    text = text.replace("    ip_hash;\n", "    ip_hash;\n" + "\n".join(lines) + "\n", 1)
    return text.replace("listen 80;", f"listen {listen};", 1)


def wait_http(url, proc, what, timeout=30):
    deadline = time.monotonic() + timeout
    while True:
        try:
            requests.get(url, timeout=2)
            return
        except requests.RequestException:
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"{what} did not start") from None
            time.sleep(0.1)


class Cluster:
    """Redis + N `python -m app` processes on one store + nginx, in folder `root`."""

    def __init__(self, root, n=2, port=None, args=(), env=None, fsync="everysec", accounts=()):
        self.root = root
        self.accounts = list(accounts)  # (name, password) made before the servers start
        self.n = n
        self.port = port or free_port()
        self.args = list(args)
        self.extra_env = dict(env or {})
        self.fsync = fsync
        self.redis = None
        self.redis_port = free_port()
        self.servers = []
        self.nginx = None

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    @property
    def store_url(self):
        return f"redis://127.0.0.1:{self.redis_port}/0"

    def start(self, nginx=True):
        try:
            self.start_redis()
            self._prepare_instance()
            for _ in range(self.n):
                self.add_server()
            if nginx:
                self.start_nginx()
        except BaseException:
            self.stop()
            raise
        return self

    def start_redis(self):
        data = os.path.join(self.root, "redis")
        os.makedirs(data, exist_ok=True)
        cmd = [REDIS, "--port", str(self.redis_port), "--bind", "127.0.0.1", "--dir", data]
        cmd += ["--save", "", "--appendonly", "yes", "--appendfsync", self.fsync]
        cmd += ["--daemonize", "no", "--logfile", os.path.join(self.root, "redis.log")]
        self.redis = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, start_new_session=True)
        import redis

        client = redis.Redis(port=self.redis_port)
        deadline = time.monotonic() + 15
        while True:
            try:
                client.ping()
                return
            except redis.ConnectionError:
                if self.redis.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("redis-server did not start") from None
                time.sleep(0.05)

    def _prepare_instance(self):
        """One instance folder for all processes; the secret key made BEFORE any starts
        (processes starting together would each make their own)."""
        self.instance = os.path.join(self.root, "instance")
        os.makedirs(self.instance, mode=0o700, exist_ok=True)
        key = os.path.join(self.instance, "secret_key")
        if not os.path.exists(key):
            with open(os.open(key, os.O_WRONLY | os.O_CREAT, 0o600), "w") as f:
                f.write(secrets.token_hex(32) + "\n")
        # STORE in instance/config.py as well as VISDOM_STORE: either way selects Redis.
        with open(os.path.join(self.instance, "config.py"), "w") as f:
            f.write(f"STORE = {self.store_url!r}\n")
        self.env_path = os.path.join(self.root, "envs")
        os.makedirs(self.env_path, exist_ok=True)
        env = dict(os.environ, VISDOM_INSTANCE_PATH=self.instance, **self.extra_env)
        for name, password in self.accounts:
            subprocess.run(
                [sys.executable, "-m", "app", "users", "add", name, "--password-stdin"],
                input=password + "\n",
                text=True,
                check=True,
                cwd=ROOT,
                env=env,
                stdout=subprocess.DEVNULL,
            )

    def add_server(self):
        env = {
            "VISDOM_STORE": self.store_url,
            "VISDOM_INSTANCE_PATH": self.instance,
            **self.extra_env,
        }
        server = ServerProcess(self.env_path, self.args, env=env)
        server.log_path = os.path.join(self.root, f"server-{server.port}.log")
        try:
            server.start()
        except BaseException:
            server.stop()
            raise
        self.servers.append(server)
        return server

    def start_nginx(self):
        tmp = os.path.join(self.root, "nginx")
        os.makedirs(tmp, exist_ok=True)
        body = render_nginx(TEMPLATE, f"127.0.0.1:{self.port}", [s.port for s in self.servers])
        user = "user root;" if os.geteuid() == 0 else ""
        conf = os.path.join(tmp, "nginx.conf")
        with open(conf, "w") as f:
            f.write(NGINX_MAIN.format(workers=1, user=user, tmp=tmp, body=body))
        log = os.path.join(tmp, "nginx-error.log")
        cmd = [NGINX, "-p", tmp, "-c", conf, "-e", log, "-g", "daemon off;"]
        self.nginx = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, start_new_session=True)
        wait_http(self.url + "/healthz", self.nginx, "nginx")

    def backend(self, port):
        """Return the server listening on `port`."""
        return next(s for s in self.servers if s.port == port)

    def stop(self):
        for proc in (self.nginx,):
            if proc is not None and proc.poll() is None:
                proc.terminate()
                proc.wait(timeout=10)
        for server in self.servers:
            server.stop()
        if self.redis is not None and self.redis.poll() is None:
            self.redis.terminate()
            self.redis.wait(timeout=10)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", type=int, default=2, help="server processes (default 2)")
    parser.add_argument("-port", type=int, default=8080, help="nginx port (default 8080)")
    parser.add_argument("-dir", default=None, help="folder for everything (default: a new one)")
    parser.add_argument(
        "-fsync", choices=("always", "everysec"), default="always", help="Redis appendfsync"
    )
    parser.add_argument(
        "-user", action="append", default=[], help="NAME:PASSWORD: an account made at start"
    )
    parser.add_argument("server_args", nargs="*", help="after --: flags for every server")
    args = parser.parse_args(argv)
    root = args.dir or tempfile.mkdtemp(prefix="visdom-cluster-")
    os.makedirs(root, exist_ok=True)
    accounts = [tuple(user.split(":", 1)) for user in args.user]
    cluster = Cluster(
        root, args.n, args.port, args.server_args, fsync=args.fsync, accounts=accounts
    )
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        cluster.start()
        print(f"Redis      {cluster.store_url}  (appendfsync {args.fsync})")
        for server in cluster.servers:
            print(f"server     {server.url}/  (log {server.log_path})")
        print(f"nginx      {cluster.url}/   <- point browsers and scripts here")
        print(f"folder     {root}\nCtrl-C stops everything.", flush=True)
        while all(s.proc.poll() is None for s in cluster.servers):
            time.sleep(0.5)
        print("a server process exited; stopping", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 0
    finally:
        cluster.stop()


if __name__ == "__main__":
    sys.exit(main())
