"""Redis killed with SIGKILL under load and started again: what the appends saw, what was kept.

    .venv/bin/python bench/redis_outage.py                   # 3 rounds, 4 writers
    .venv/bin/python bench/redis_outage.py --rounds 5 --writers 8 --outage 6

Starts redis-server (AOF, `appendfsync always`) on a free port in a temporary folder and
one server process with STORE=redis://. Each round: `--writers` threads append single
points (one window each, every x distinct) for `--before` s, Redis is killed (SIGKILL),
`--outage` s later started again on the same port and folder, the writers go on for
`--after` s. A Socket.IO page joined to the env times the first push after the restart.
At the end a fresh server process reads every env back from Redis. Printed per round and
in total:

- appends answered during the outage, by status (goal: all 503), and their answer
  time p50/p99/max (goal <= 100 ms);
- the time from Redis answering PING again to the first 200 (goal <= 1 s), and to the
  first push the page receives;
- acked points lost (goal 0), and points answered 503 that were stored anyway (a commit
  that ran while its answer was lost: docs/deploy.md, "When Redis goes away");
- tracebacks in the server's log (goal 0).

Figures measured while other work runs on the machine are noisy.
"""

import argparse
import collections
import os
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

import socketio  # noqa: E402

from tests.support.outage import AofRedis, make_windows, run_outage  # noqa: E402
from tests.support.server import ServerProcess  # noqa: E402


def tracebacks(log):
    """Count the tracebacks in a log by their last line (the exception)."""
    found = collections.Counter()
    lines = log.splitlines()
    for i, line in enumerate(lines):
        if line.startswith("Traceback"):
            j = i + 1
            while j < len(lines) and (lines[j].startswith(" ") or not lines[j].strip()):
                j += 1
            found[lines[j] if j < len(lines) else "?"] += 1
    return found


def first_push_after(pushed, moment):
    later = [t for t, _ in pushed if t > moment]
    return min(later) - moment if later else None


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--writers", type=int, default=4)
    parser.add_argument("--before", type=float, default=2.0, help="s of appends before the kill")
    parser.add_argument("--outage", type=float, default=4.0, help="s Redis stays down")
    parser.add_argument("--after", type=float, default=3.0, help="s of appends after restart")
    parser.add_argument("--pause", type=float, default=0.0, help="s between a writer's appends")
    args = parser.parse_args(argv)

    store = AofRedis()
    store.start()
    server = ServerProcess(args=["-store", store.url]).start()
    fresh = None
    outcomes = []
    try:
        for n in range(1, args.rounds + 1):
            eid = f"outage{n}"
            make_windows(server.url, eid, args.writers)
            page = socketio.Client(reconnection=False, request_timeout=30)
            pushed = []
            page.on(
                "window_update", lambda data, pushed=pushed: pushed.append((time.monotonic(), data))
            )
            page.connect(server.root, transports=["websocket"], wait_timeout=30)
            page.call("join_env", {"eid": eid}, timeout=10)
            outcome = run_outage(
                server.url,
                store,
                eid,
                args.writers,
                args.before,
                args.outage,
                args.after,
                args.pause,
            )
            time.sleep(0.5)
            page.disconnect()
            outcome.push = first_push_after(pushed, outcome.answering)
            outcomes.append((eid, outcome))
        fresh = ServerProcess(args=["-store", store.url]).start()
        print(
            f"redis outage bench: {args.writers} writers, {args.rounds} rounds "
            f"({args.before:g} s before, {args.outage:g} s down, {args.after:g} s after)"
        )
        lost = refused_stored = acked = 0
        for eid, outcome in outcomes:
            outcome.read_stored(fresh.url, eid)
            print(f"round {eid}:")
            for line in outcome.figures():
                print("  " + line)
            push = "-" if outcome.push is None else f"{outcome.push * 1000:.1f} ms"
            print(f"  Redis answering again -> first push on the page: {push}")
            lost += len(outcome.lost())
            refused_stored += len(outcome.refused_but_stored())
            acked += len(outcome.acked())
        during = [r for _, o in outcomes for r in o.during()]
        p50, p99, most = outcomes[0][1].latency(during)
        recoveries = [o.recovery() for _, o in outcomes]
        print("total:")
        print(f"  answered during the outages by status: {outcomes[0][1].statuses(during)}")
        print(
            f"  answer time during the outages: p50 {p50 * 1000:.1f} ms, p99 {p99 * 1000:.1f} ms, "
            f"max {most * 1000:.1f} ms (goal <= 100 ms)"
        )
        worst = max((r for r in recoveries if r is not None), default=None)
        print(
            f"  Redis answering -> first 200, worst round: "
            f"{'-' if worst is None else f'{worst * 1000:.1f} ms'} (goal <= 1 s)"
            f"{'' if None not in recoveries else ' (a round never recovered)'}"
        )
        print(
            f"  acked points: {acked}, lost: {lost} (goal 0); answered 503 but stored: "
            f"{refused_stored}"
        )
        errors = tracebacks(server.output(limit=None))
        print(f"  tracebacks in the server log: {sum(errors.values())}")
        for line, count in errors.most_common(5):
            print(f"    {count} x {line[:160]}")
    finally:
        server.stop()
        server.close()
        if fresh is not None:
            fresh.stop()
            fresh.close()
        store.stop()


if __name__ == "__main__":
    main()
