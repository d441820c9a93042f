"""`python -m app import-tensorboard DIR [--env-prefix P] [-env_path PATH] [-store URL]`."""

import argparse
import logging
import time


def build_parser():
    parser = argparse.ArgumentParser(
        prog="visdom import-tensorboard",
        description="Import every run of a TensorBoard logdir into envs once, and exit. "
        "Running it again reads only what was added since (offsets are kept under the env "
        "path, shared with a server that follows the same logdir with -logdir).",
    )
    parser.add_argument("logdir", help="the directory TensorBoard would be given (--logdir)")
    parser.add_argument("--env-prefix", default="", help="put this in front of every env name")
    parser.add_argument("-env_path", "--env_path", default=None, help="where envs are stored")
    parser.add_argument("-store", "--store", default=None, help="redis://... to import into Redis")
    return parser


def main(argv, create_app):
    """Run the import; return the exit status."""
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    config = {"LOGDIR": None}
    if args.env_path:
        config["ENV_PATH"] = args.env_path
    if args.store:
        config["STORE"] = args.store
    app = create_app(config)
    store = app.extensions["visdom_store"]
    from .tailer import Tailer

    tailer = Tailer(app, args.logdir, prefix=args.env_prefix)
    try:
        if not tailer.acquire():
            print(f"error: {tailer.logdir} is being mirrored by a running server (-logdir)")
            return 1
        started = time.perf_counter()
        read = tailer.run_until_idle()
        runs = len(tailer.state["envs"])
        print(
            f"imported {read} bytes of events from {runs} run(s) of {tailer.logdir} "
            f"in {time.perf_counter() - started:.1f} s"
        )
        return 0
    finally:
        tailer.stop()
        store.close()
