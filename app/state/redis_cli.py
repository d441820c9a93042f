"""`python -m app redis import|export ENV_PATH [--store URL]`: move envs between an env
folder (upstream's env files) and Redis."""

import argparse
import os

from .embedded import EmbeddedStore
from .redis_store import RedisStore


def main(argv):
    parser = argparse.ArgumentParser(
        prog="visdom redis", description="Copy envs between an env folder and Redis."
    )
    parser.add_argument("action", choices=("import", "export"))
    parser.add_argument("env_path", help="the env folder (upstream's <env>.json files)")
    parser.add_argument(
        "--store",
        default=os.environ.get("VISDOM_STORE") or "redis://localhost:6379/0",
        help="the Redis URL (default: VISDOM_STORE, else redis://localhost:6379/0)",
    )
    args = parser.parse_args(argv)
    redis_store = RedisStore(args.store, args.env_path, save_interval=3600)
    try:
        if args.action == "export":
            for eid in redis_store.save_all():
                print(f"exported {eid}")
            return 0
        files = EmbeddedStore(args.env_path, save_interval=3600)
        try:
            for eid in files.env_ids():
                content = files.env_content(eid)
                windows = {w["id"]: w for w in content["windows"]}
                redis_store.import_env(eid, windows, content["reload"])
                print(f"imported {eid} ({len(windows)} windows)")
        finally:
            files.files.close()  # reading only: no snapshot is written
    finally:
        redis_store.close()
    return 0
