"""`python -m visdom_client.system --env E`: log this machine's system metrics until
SIGINT/SIGTERM, for jobs that do not use this client (shell scripts, other languages).

The address: --server/--port/--base-url, else VISDOM_SERVER/VISDOM_PORT/VISDOM_BASE_URL or
VISDOM_URL (names.server_address, as every client entry point).
"""

import argparse
import logging
import signal
import sys
import threading

from ..client import Visdom
from . import SystemSampler

logger = logging.getLogger("visdom_client.system")


def main(argv=None):
    """Run the sampler standalone until SIGINT or SIGTERM."""
    parser = argparse.ArgumentParser(
        prog="python -m visdom_client.system",
        description="Log this machine's system metrics to a visdom env (windows system/...).",
    )
    parser.add_argument("--env", required=True, help="the env to log into")
    parser.add_argument("--interval", type=float, default=2.0, help="seconds between samples")
    parser.add_argument("--server", default=None, help="e.g. http://10.0.0.5 (or VISDOM_URL)")
    parser.add_argument("--port", type=int, default=None)
    parser.add_argument("--base-url", default=None)
    args = parser.parse_args(argv)
    if args.interval <= 0:
        parser.error("--interval must be > 0")
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    vis = Visdom(
        server=args.server,
        port=args.port,
        base_url=args.base_url,
        env=args.env,
        nonblocking=True,
        raise_exceptions=False,
        use_incoming_socket=False,
    )
    done = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: done.set())
    sampler = SystemSampler(vis, interval=args.interval)
    logger.info("visdom system metrics: sampling every %gs into env %r", args.interval, vis.env)
    while not done.wait(1.0):
        pass
    sampler.stop()
    vis.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
