"""Real redis-server processes for the tests: one server, or a three-node Redis Cluster.

Used by tests/contract (the store contract over Redis) and tests/serve (`-store redis://`).
(The cluster tests start Redis through scripts/cluster.py, the script users run.)
"""

import os
import shutil
import subprocess
import tempfile
import time

import pytest
import redis

from .server import free_port


def require_redis():
    """Skip (or fail under VISDOM_REQUIRE_REDIS=1) when redis-server is not installed."""
    if shutil.which("redis-server") and shutil.which("redis-cli"):
        return
    message = "redis-server is not installed (apt-get install redis-server; make test does it)"
    if os.environ.get("VISDOM_REQUIRE_REDIS") == "1":
        pytest.fail(message + " and VISDOM_REQUIRE_REDIS=1")
    pytest.skip(message)


def wait_until_answering(port, proc, timeout):
    """Return (time.monotonic()) once the redis-server `proc` on `port` answers PING, after
    loading its data (it answers LOADING meanwhile); AssertionError if it exits or the
    `timeout` passes first."""
    client = redis.Redis(port=port, socket_connect_timeout=0.2, socket_timeout=1)
    deadline = time.monotonic() + timeout
    try:
        while True:
            try:
                if client.ping():
                    return time.monotonic()
            except redis.RedisError:  # refused, or LOADING while it reads its AOF
                pass
            if time.monotonic() > deadline or proc.poll() is not None:
                raise AssertionError(f"redis-server on port {port} did not start")
            time.sleep(0.002)
    finally:
        client.close()


class RedisProcesses:
    """redis-server processes on free ports in a temporary folder, stopped by stop()."""

    def __init__(self):
        require_redis()
        self.dir = tempfile.mkdtemp(prefix="visdom-redis-")
        self.procs, self.ports = [], []

    def start(self, *extra):
        port = free_port()
        while port > 50000:  # a cluster node also listens on port + 10000
            port = free_port()
        log = open(os.path.join(self.dir, f"{port}.log"), "wb")  # noqa: SIM115
        cmd = ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--dir", self.dir]
        cmd += ["--save", "", "--appendonly", "no", *extra]
        self.procs.append((subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT), log))
        self.ports.append(port)
        wait_until_answering(port, self.procs[-1][0], timeout=10)
        return port

    def flush(self):
        for port in self.ports:
            client = redis.Redis(port=port)
            client.flushall()
            client.close()

    def stop(self):
        for proc, log in self.procs:
            proc.terminate()
            proc.wait(timeout=10)
            log.close()
        shutil.rmtree(self.dir, ignore_errors=True)


def start_server():
    """Start one redis-server; return (RedisProcesses, url)."""
    servers = RedisProcesses()
    port = servers.start()
    return servers, f"redis://127.0.0.1:{port}/0"


def start_cluster(nodes=3):
    """Start a local Redis Cluster of `nodes` masters; return (RedisProcesses, url)."""
    servers = RedisProcesses()
    for _ in range(nodes):
        port = servers.start("--cluster-enabled", "yes", "--cluster-config-file", f"n{_}.conf")
    addresses = [f"127.0.0.1:{port}" for port in servers.ports]
    subprocess.run(
        ["redis-cli", "--cluster", "create", *addresses, "--cluster-replicas", "0"]
        + ["--cluster-yes"],
        check=True,
        capture_output=True,
        timeout=30,
    )
    deadline = time.monotonic() + 20
    for port in servers.ports:
        client = redis.Redis(port=port)
        while client.cluster("info").get("cluster_state") != "ok":
            if time.monotonic() > deadline:
                raise AssertionError("the Redis Cluster did not come up")
            time.sleep(0.05)
        client.close()
    return servers, f"redis://127.0.0.1:{servers.ports[0]}/0"
