"""One writer process of bench/soak.py (run by the upstream client's Python or ours).

    python bench/soak_writer.py KIND PORT EID OWN SHARED MEDIA WID COUNT LOG RESET_EVERY \
        MEDIA_EVERY

KIND is "upstream" (visdom 0.2.4) or "ours" (visdom_client); OWN/SHARED are line window
ids ("-" for none), MEDIA is "img:<win>", "txt:<win>" or "-"; COUNT 0 means "until the
deadline". It prints "ready", waits for "go <start> <deadline>" on stdin, writes, and
logs every call to LOG (the format is in bench/soak_lib.py's docstring).
"""

import os
import sys
import time

import numpy as np
import requests

kind, port, eid, own, shared, media, wid, count, log_path, reset_every, media_every = sys.argv[1:12]
port, wid, count = int(port), int(wid), int(count)
reset_every, media_every = float(reset_every), int(media_every)

# Record the status of every HTTP answer: upstream's client returns the error page's text
# (or False) and ours raises, and neither says which status it was. Upstream sends with no
# timeout: a hang longer than 60 s is one anyway, and the writer must move on.
last = {}
_send = requests.sessions.Session.send


def send(self, request, **kw):
    if kw.get("timeout") is None:
        kw["timeout"] = 60
    try:
        response = _send(self, request, **kw)
    except Exception as exc:
        last["status"] = type(exc).__name__
        raise
    last["status"] = response.status_code
    return response


requests.sessions.Session.send = send

if kind == "upstream":
    from visdom import Visdom
else:
    from visdom_client import Visdom
vis = Visdom(server="http://127.0.0.1", port=port, env=eid, use_incoming_socket=False)
rng = np.random.default_rng(wid)
log = open(log_path, "w", encoding="utf-8")
samples = 0
print("ready", flush=True)
sys.stdout = open(os.devnull, "w")  # nobody reads the pipe any more
_go, start, deadline = sys.stdin.readline().split()
start, deadline = float(start), float(deadline)


def call(key, win, x, fn, *args, **kw):
    global samples
    last.pop("status", None)
    t0 = time.time()
    try:
        answer = fn(*args, win=win, **kw)
    except Exception as exc:  # our client raises on a refused request
        answer = repr(exc)
    t1 = time.time()
    ok = answer == win
    if not ok and samples < 3:
        samples += 1
        log.write("# " + str(answer)[:200].replace("\n", " ") + "\n")
    log.write(f"{key} {x!r} {t0:.4f} {t1:.4f} {int(ok)} {last.get('status', '-')}\n")
    return t1


def snapshot(key, win):
    t0 = time.time()
    try:
        answer = requests.post(
            f"http://127.0.0.1:{port}/win_data", json={"eid": eid, "win": win}, timeout=30
        )
        answer.raise_for_status()
        xs = ",".join(repr(float(x)) for x in answer.json()["content"]["data"][0]["x"])
    except Exception:
        xs = None
    log.write(f"S {key} {t0:.4f} {time.time():.4f} {xs or '-'}\n")
    return xs is not None


def line(y, x, win, update="append"):
    return vis.line(Y=np.array([y]), X=np.array([x]), win=win, update=update)


def media_write(seq):
    mode, win = media.split(":", 1)
    if mode == "img":
        # A 28x28 digit-like image most of the time, a 3x224x224 photo-sized one now and then.
        big = seq % 30 == 29
        arr = rng.random((3, 224, 224)) if big else rng.random((28, 28))
        call("img", win, seq, vis.image, arr, opts={"caption": f"{wid}:{seq}"})
    else:
        html = f"<b>{win}</b> seq <i>{seq}</i> · ünïcode ∞ — {'x' * (seq % 50)}"
        call("txt", win, seq, vis.text, html)


epoch, i, flushed, pending = 0, 0, time.time(), []
while (count and i < count) or (not count and time.time() < deadline):
    if reset_every and not count:
        now_epoch = int((time.time() - start) // reset_every)
        if now_epoch != epoch:
            # Replace the window by one point so that the stored data stays bounded (a
            # growing store would hide a leak in the server's memory figures).
            epoch = now_epoch
            pending = (["own"] if own != "-" else []) + (["shared"] if wid == 0 else [])
    for key in list(pending):
        # First read what the window holds, so that the points of the epoch that ends are
        # checked against the store too; while the read fails (Redis down), keep the epoch.
        win = own if key == "own" else shared
        if snapshot(key, win):
            call("reset_" + key, win, -1.0, line, 0.0, -1.0, update=None)
            pending.remove(key)
    if own != "-":
        call("own", own, float(i), line, float(i % 97), float(i))
    call(
        "shared",
        shared,
        float(wid * 1_000_000_000 + i),
        line,
        float(i % 89),
        float(wid * 1_000_000_000 + i),
    )
    if media != "-" and i % media_every == 0:
        media_write(i // media_every)
    i += 1
    if time.time() - flushed > 1:
        log.flush()
        flushed = time.time()
log.close()
