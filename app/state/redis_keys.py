"""The names RedisStore (Python) and its Lua scripts (redis_lua.py) share.

Every env's keys carry the hash tag {<tag>} (redis_store.env_tag), so one script touches
one slot of a Redis Cluster:

    visdom:envs            sorted set: the env ids, by creation time
    visdom:views           the saved views (raw JSON text)
    visdom:alive:<owner>   one per running server process, kept alive while it runs
    visdom:liveness        hash: env id -> its run's last heartbeat (JSON)
    visdom:alert_rules     hash: rule id -> alert rule (JSON)
    visdom:alerts          list: fired alerts (JSON), the last ones kept
    visdom:claim:<key>     an alert rule's rate limit (SET NX EX)
    v{T}:seq               the env's sequence number, INCRed by each change
    v{T}:lock              the env's write lock: a token "<owner>:<random>" with a TTL
    v{T}:want              the lock token of the process waiting for the lock (short TTL)
    v{T}:go                list: one item pushed when the lock is dropped while wanted
                           (the waiter blocks on it with BLPOP instead of polling)
    v{T}:log               the last LOG_MAX changes: JSON list of the windows each touched
    v{T}:meta              hash: eid, gen (changes when the env is recreated), next_i, extra
    v{T}:win               hash: window id -> window JSON, numeric columns as references
    v{T}:wcols             hash: window id -> the tokens of its columns
    v{T}:reload            hash: window id -> layout item JSON
    v{T}:undo              closed windows that undo restores (JSON)
    v{T}:watch             hash: owner -> "1" for each server process with a page on the
                           env (kept alive by its owner, expires WATCH_TTL_MS after the
                           last renewal); without it COMMIT publishes nothing
    v{T}:c:<token>         a numeric column: float64/int64 little-endian, append-only

The scripts receive the env's keys in ENV_KEYS order: Python indexes them with `Key.X`,
the Lua text writes KEYS[$K_X] (Key.X + 1, filled in by `lua()`). Ops, sync modes, meta
fields and lock holds likewise: one constant here, `$OP_X`, `$MODE_X`, `$META_X`,
`$HOLD_X` in the Lua text.
"""

import string

ENVS_KEY = "visdom:envs"
VIEWS_KEY = "visdom:views"
ALIVE_PREFIX = "visdom:alive:"
LIVENESS_KEY = "visdom:liveness"
RULES_KEY = "visdom:alert_rules"
ALERTS_KEY = "visdom:alerts"
CLAIM_PREFIX = "visdom:claim:"
COLUMN_PREFIX = "c:"  # after the env's prefix "v{T}:"

ENV_KEYS = ("seq", "lock", "log", "meta", "win", "wcols", "reload", "undo", "want", "go", "watch")


class Key:
    """Index of each env key in Replica.keys (Lua: KEYS[index + 1])."""

    SEQ, LOCK, LOG, META, WIN, WCOLS, RELOAD, UNDO, WANT, GO, WATCH = range(len(ENV_KEYS))


class Meta:
    """Fields of the v{T}:meta hash."""

    EID = "eid"
    GEN = "gen"
    NEXT_I = "next_i"
    EXTRA = "extra"


class Op:
    """The (op, a, b) triples of COMMIT: what one locked write changes."""

    COL_APPEND = "ca"  # APPEND bytes b to column a
    COL_SET = "cs"  # SET column a to bytes b (a new column)
    COL_DEL = "cd"  # DEL column a
    WIN_SET = "ws"  # window a's JSON is b
    WIN_COLS = "wc"  # window a's column tokens are b ("": none)
    WIN_DEL = "wd"  # window a is gone (with its token list)
    RELOAD_SET = "rs"  # layout item of window a is b
    RELOAD_DEL = "rd"  # window a has no layout item
    META_SET = "ms"  # meta field a is b
    UNDO = "u"  # the undo stack is a ("": empty)
    LOG = "l"  # one change: INCR seq and log a (the windows it touched, JSON, or "*")


class Hold:
    """What COMMIT does with the lock after the change (its ARGV[5])."""

    RELEASE = "0"  # drop it
    KEEP = "1"  # keep it (a longer TTL) unless another process waits for it (v{T}:want)
    KEEP_ANYWAY = "2"  # keep it even so (this process's turn is not over)


class Mode:
    """What SYNC sends back."""

    OK = "ok"  # nothing new
    DELTA = "delta"  # only the windows the log names since the caller's seq
    ALL = "all"  # every window (new generation, or the log does not reach back)


def _names():
    names = {f"K_{k}": v + 1 for k, v in vars(Key).items() if k.isupper()}
    for prefix, namespace in (("OP_", Op), ("MODE_", Mode), ("META_", Meta), ("HOLD_", Hold)):
        names.update({prefix + k: v for k, v in vars(namespace).items() if k.isupper()})
    return names


LUA_NAMES = _names()


def lua(template):
    """Return a Lua script with $K_SEQ.. (key numbers), $OP_.., $MODE_.., $META_.., $HOLD_..
    filled in."""
    return string.Template(template).substitute(LUA_NAMES)
