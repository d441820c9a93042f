"""Live messages in sequence order: stale ones ignored, gaps resynced, env resets followed,
layout echoes harmless; appends drawn merged, once per frame (also in a hidden tab)."""

import json

import requests

from .test_layout import NODE, drag, node

GD = "(win) => document.querySelector(`[data-win='${win}'] .plot-pane`)"
WS = "window.visdomPage.workspace"

COUNT_EXTENDS = """() => {
  window.__extends = 0;
  const orig = Plotly.extendTraces;
  Plotly.extendTraces = (...a) => { window.__extends++; return orig(...a); };
  return true;
}"""


def plot_xy(ui, win, trace=0):
    return ui.page.evaluate(
        f"([win, i]) => {{ const t = ({GD})(win).data[i]; return [t.x, t.y]; }}", [win, trace]
    )


def wait_plot(ui, win):
    ui.pane(win).locator(".plot-pane .main-svg").first.wait_for()


def seq(ui, eid):
    return ui.page.evaluate(f"(eid) => {WS}.seq.get(eid) ?? null", eid)


def append(ui, eid, win, x, y, name="a"):
    body = {"eid": eid, "win": win, "name": name, "append": True, "opts": {}, "layout": {}}
    body["data"] = [{"x": x, "y": y, "name": name, "type": "scatter"}]
    assert ui.post("update", body) == win


# ---- the pure parts -------------------------------------------------------------------


def test_sequencer_classifies_messages(ui):
    ui.text("sync_mod", "T", "x")
    ui.open("/env/sync_mod")
    got = ui.module(
        "workspace/seq.js",
        "const s = new m.Sequencer(); s.reset({a: 3});"
        " return [s.accept('a', 3), s.accept('a', 2), s.accept('a', 4), s.accept('a', 6),"
        " s.accept('a', 5), s.accept('a', undefined), s.get('a'),"
        " s.accept('b', 7), s.accept('b', 8), s.accept('b', 10)];",
    )
    assert got == ["stale", "stale", "apply", "gap", "apply", "apply", 5, "apply", "apply", "gap"]
    acks = ui.module(
        "workspace/seq.js",
        "return [m.ackSeqs({eid: 'e', seq: 4}, ['e']), m.ackSeqs({seqs: {a: 1, b: 2}}, ['a', 'b']),"
        " m.ackSeqs({eid: 'e', windows: []}, ['e'])];",
    )
    assert acks == [{"e": 4}, {"a": 1, "b": 2}, {}]


def test_merge_deltas_keeps_order_and_alignment(ui):
    ui.text("sync_mod2", "T", "x")
    ui.open("/env/sync_mod2")
    deltas = [
        {"kind": "append_traces", "traces": [{"index": 0, "x": [1], "y": [10]}], "layout": {}},
        {
            "kind": "append_traces",
            "traces": [
                {"index": 1, "x": [1], "y": [None]},
                {"index": 0, "x": [2, 3], "y": [20, 30], "text": ["b", "c"]},
            ],
            "layout": {"title": "t1"},
        },
        {"kind": "append_traces", "traces": [{"index": 0, "x": [4], "y": [40]}], "layout": {}},
        {"kind": "new_trace", "trace": {"name": "n", "x": [0], "y": [0]}},
        {"kind": "append_traces", "traces": [{"index": 2, "x": [5], "y": [50]}]},
    ]
    ops = ui.module("panes/plot/delta.js", "return m.mergeDeltas(arg);", deltas)
    assert [op["kind"] for op in ops] == ["append_traces", "new_trace", "append_traces"]
    assert ops[0]["traces"] == [
        # text padded with nulls where a delta had none, so it stays aligned with x and y
        {"index": 0, "x": [1, 2, 3, 4], "y": [10, 20, 30, 40], "text": [None, "b", "c", None]},
        {"index": 1, "x": [1], "y": [None]},
    ]
    assert ops[0]["layout"] == {"title": "t1"}
    assert ops[2]["traces"] == [{"index": 2, "x": [5], "y": [50]}]
    groups = ui.module(
        "panes/plot/delta.js",
        "return m.extendGroups(arg, [{x: [], y: []}, {x: [], y: [], text: []}]);",
        [{"index": 0, "x": [1], "y": [2]}, {"index": 1, "x": [3], "y": [4], "text": ["t"]}],
    )
    assert groups == [
        {"keys": ["x", "y"], "update": {"x": [[1]], "y": [[2]]}, "indices": [0]},
        {
            "keys": ["x", "y", "text"],
            "update": {"x": [[3]], "y": [[4]], "text": [["t"]]},
            "indices": [1],
        },
    ]


# ---- coalescing -----------------------------------------------------------------------


def inject_appends(ui, eid, win, n, traces=1):
    """Hand the page n single-point append deltas at once, numbered after what it shows."""
    ui.page.evaluate(
        f"""([eid, win, n, traces]) => {{
          const ws = {WS};
          const base = ws.seq.get(eid) ?? 0;
          for (let i = 0; i < n; i++) {{
            const tr = [];
            for (let t = 0; t < traces; t++) tr.push({{index: t, x: [100 + i], y: [i * (t + 1)]}});
            ws.onWindowUpdate({{eid, win, kind: 'append_traces', traces: tr, seq: base + 1 + i}});
          }}
        }}""",
        [eid, win, n, traces],
    )


def test_a_burst_of_deltas_is_drawn_with_one_extend(ui):
    ui.line("sync_burst", "L", [0, 1, 2], [0, 1, 2])
    page = ui.open("/env/sync_burst")
    wait_plot(ui, "L")
    page.evaluate(COUNT_EXTENDS)
    inject_appends(ui, "sync_burst", "L", 500)
    ui.wait(f"({GD})('L').data[0].x.length === 503")
    x, y = plot_xy(ui, "L")
    assert x == [0, 1, 2] + [100 + i for i in range(500)]
    assert y == [0, 1, 2] + list(range(500))
    page.wait_for_timeout(200)
    assert page.evaluate("window.__extends") == 1


def test_a_hidden_tab_catches_up_in_one_draw(ui):
    trace = {"type": "scatter", "mode": "lines"}
    ui.post(
        "events",
        {
            "eid": "sync_hidden",
            "win": "L",
            "opts": {},
            "layout": {},
            "data": [
                {**trace, "x": [0], "y": [0], "name": "a"},
                {**trace, "x": [0], "y": [0], "name": "b"},
            ],
        },
    )
    page = ui.open("/env/sync_hidden")
    wait_plot(ui, "L")
    page.evaluate(COUNT_EXTENDS)
    page.evaluate(
        "() => { Object.defineProperty(document, 'hidden', {configurable: true, get: () => true});"
        " document.dispatchEvent(new Event('visibilitychange')); }"
    )
    inject_appends(ui, "sync_hidden", "L", 3000, traces=2)
    page.wait_for_timeout(600)
    # Nothing drawn while hidden ...
    assert page.evaluate("window.__extends") == 0
    assert page.evaluate(f"({GD})('L').data[0].x.length") == 1
    # ... and everything in one draw (both traces in one call) when visible again.
    page.evaluate(
        "() => { Object.defineProperty(document, 'hidden', {configurable: true, get: () => false});"
        " document.dispatchEvent(new Event('visibilitychange')); }"
    )
    ui.wait(f"({GD})('L').data[1].x.length === 3001")
    assert page.evaluate("window.__extends") == 1
    x, y = plot_xy(ui, "L", 1)
    assert x == [0] + [100 + i for i in range(3000)]
    assert y == [0] + [2 * i for i in range(3000)]


# ---- sequence numbers (the server numbers every change of an env) ---------------------


def test_stale_messages_are_ignored_and_a_gap_resyncs(ui):
    ui.text("sync_seq", "T", "first")
    page = ui.open("/env/sync_seq")
    base = seq(ui, "sync_seq")
    assert isinstance(base, int), "the join_env ack carries the env's seq"
    # Already in the snapshot: ignored.
    page.evaluate(
        f"(seq) => {WS}.onWindowUpdate({{eid: 'sync_seq', win: 'T', kind: 'append_text',"
        " text: 'STALE', seq})",
        base,
    )
    page.wait_for_timeout(300)
    assert ui.pane("T").locator(".text-pane").text_content() == "first"
    assert page.evaluate(f"{WS}.resyncs") == 0
    # Two ahead: a message was lost, so the page takes a new snapshot; this message claims
    # to be newer than a snapshot taken after it arrived, so it is dropped.
    fake = {"id": "FAKE", "type": "text", "content": "fake", "title": "", "contentID": "f"}
    page.evaluate(
        f"([win, seq]) => {WS}.onWindow({{eid: 'sync_seq', window: win, seq}})", [fake, base + 2]
    )
    ui.wait(f"{WS}.resyncs === 1 && !{WS}.loading")
    page.wait_for_timeout(200)
    assert ui.pane("FAKE").count() == 0
    assert seq(ui, "sync_seq") == base
    # In step again: the next real change is applied.
    ui.post(
        "update", {"eid": "sync_seq", "win": "T", "data": [{"content": "second", "type": "text"}]}
    )
    ui.wait("document.querySelector('[data-win=T] .text-pane').textContent === 'firstsecond'")
    assert seq(ui, "sync_seq") == base + 1
    assert page.evaluate(f"{WS}.resyncs") == 1


def test_a_lost_message_resyncs_the_env(ui):
    ui.line("sync_gap", "L", [0], [0])
    page = ui.open("/env/sync_gap")
    wait_plot(ui, "L")
    assert isinstance(seq(ui, "sync_gap"), int)
    # Lose the next window_update on its way to the workspace.
    page.evaluate(
        f"""() => {{
          const ws = {WS};
          const orig = ws.onWindowUpdate;
          window.__dropped = 0;
          ws.onWindowUpdate = function (msg) {{
            if (!window.__dropped) {{ window.__dropped = 1; return; }}
            return orig.call(this, msg);
          }};
        }}"""
    )
    append(ui, "sync_gap", "L", [1], [10])
    append(ui, "sync_gap", "L", [2], [20])
    ui.wait(f"({GD})('L').data[0].x.length === 3")
    assert plot_xy(ui, "L") == [[0, 1, 2], [0, 10, 20]]
    assert page.evaluate("window.__dropped") == 1
    assert page.evaluate(f"{WS}.resyncs") == 1
    append(ui, "sync_gap", "L", [3], [30])
    ui.wait(f"({GD})('L').data[0].x.length === 4")
    assert plot_xy(ui, "L") == [[0, 1, 2, 3], [0, 10, 20, 30]]
    assert page.evaluate(f"{WS}.resyncs") == 1


def test_close_of_several_windows_is_one_message(ui):
    for win in ("A", "B", "C"):
        ui.text("sync_clear", win, win)
    page = ui.open("/env/sync_clear")
    base = seq(ui, "sync_clear")
    ui.post("close", {"eid": "sync_clear", "win": None})
    ui.wait("() => document.querySelectorAll('.grid-stack-item').length === 0")
    page.wait_for_timeout(200)
    assert seq(ui, "sync_clear") == base + 1
    assert page.evaluate(f"{WS}.resyncs") == 0
    assert page.evaluate("document.body.dataset.windows") == "0"


def test_env_reset_resyncs_the_page(ui):
    ui.text("sync_reset", "OLD", "old window")
    ui.text("sync_reset_src", "S", "from the source env")
    page = ui.open("/env/sync_reset")
    # A /win_data write of every window replaces the env wholesale.
    new = {"id": "NEW", "type": "text", "content": "written", "title": "", "contentID": "n1"}
    new.update({"command": "window", "inflate": True, "width": None, "height": None, "i": 0})
    ui.post("win_data", {"eid": "sync_reset", "win": None, "data": json.dumps({"NEW": new})})
    ui.pane("NEW").locator(".text-pane").wait_for()
    assert ui.pane("NEW").locator(".text-pane").text_content() == "written"
    ui.pane("OLD").wait_for(state="detached")
    # A fork into the open env.
    ui.post("fork_env", {"prev_eid": "sync_reset_src", "eid": "sync_reset"})
    ui.pane("S").locator(".text-pane").wait_for()
    assert page.locator(".grid-stack-item").count() == 1
    # Deleting it empties the page, which then says the env does not exist.
    ui.post("delete_env", {"eid": "sync_reset"})
    ui.wait("document.querySelectorAll('.grid-stack-item').length === 0")
    ui.wait("document.body.dataset.missing === 'true'")
    assert page.evaluate("document.body.dataset.connection") == "online"


def test_layout_echo_is_a_no_op(ui):
    ui.text("sync_lay", "A", "a")
    ui.text("sync_lay", "B", "b")
    page = ui.open("/env/sync_lay")
    page.evaluate(
        """() => {
          const socket = window.visdomPage.socket;
          const orig = socket.emit.bind(socket);
          window.__layoutEmits = 0;
          socket.emit = (ev, ...a) => {
            if (ev === 'layout_item_update') window.__layoutEmits++;
            return orig(ev, ...a);
          };
        }"""
    )
    before = node(ui, "A")
    # The layout it already has: nothing moves, nothing is sent.
    layout = dict(zip("xywh", before, strict=True))
    page.evaluate(f"(layout) => {WS}.onLayout({{eid: 'sync_lay', win: 'A', layout}})", layout)
    assert node(ui, "A") == before
    # Another browser's move is applied without being sent back.
    moved = {**layout, "x": 60}
    page.evaluate(f"(layout) => {WS}.onLayout({{eid: 'sync_lay', win: 'A', layout}})", moved)
    assert node(ui, "A")[0] == 60
    page.wait_for_timeout(200)
    assert page.evaluate("window.__layoutEmits") == 0
    # This page's own drag comes back from the server (numbered like every change) and
    # changes nothing: no second round of layout_item_update, the window stays put.
    start = seq(ui, "sync_lay")
    drag(page, ui.pane("B").locator(".pane-bar"), 600, 0)
    ui.wait(f"({NODE})('[data-win=B]')[0] > 25")
    sent = ui.wait("window.__layoutEmits")
    ui.wait(f"(want) => {WS}.seq.get('sync_lay') === want", start + sent)
    page.wait_for_timeout(300)
    assert page.evaluate("window.__layoutEmits") == sent
    dragged = node(ui, "B")
    stored = requests.get(ui.server.url + "/api/env/sync_lay", timeout=5).json()["reload"]["B"]
    assert [stored[k] for k in "xywh"] == dragged


def test_compare_view_follows_each_env_by_its_own_seq(ui):
    for eid, ys in [("sync_ca", [1, 2]), ("sync_cb", [2, 1])]:
        ui.line(eid, "loss_" + eid, [0, 1], ys, title="loss", name="train")
    page = ui.open("/compare/sync_ca+sync_cb")
    ui.wait_loaded("sync_ca+sync_cb")
    seqs = [seq(ui, "sync_ca"), seq(ui, "sync_cb")]
    assert all(isinstance(s, int) for s in seqs), seqs
    # A message the snapshot already holds does not rebuild the view.
    page.evaluate(
        f"(s) => {WS}.onWindowUpdate({{eid: 'sync_cb', win: 'loss_sync_cb',"
        " kind: 'append_traces', traces: [], seq: s})",
        seqs[1],
    )
    page.wait_for_timeout(400)
    assert page.evaluate(f"{WS}.resyncs") == 0
    # Appends to both envs reach the merged plot, each env numbered on its own.
    for i in range(1, 6):
        append(ui, "sync_cb", "loss_sync_cb", [1 + i], [i], name="train")
    append(ui, "sync_ca", "loss_sync_ca", [2], [3], name="train")
    ui.wait(
        "() => { const d = document.querySelector('[data-type=plot] .plot-pane').data;"
        " return d && d.length === 2 && d[0].x.length === 3 && d[1].x.length === 7; }"
    )
    ui.wait(f"(want) => {WS}.seq.get('sync_cb') === want", seqs[1] + 5)
    assert seq(ui, "sync_ca") == seqs[0] + 1
    ys = page.evaluate("document.querySelector('[data-type=plot] .plot-pane').data[1].y")
    assert ys == [2, 1, 1, 2, 3, 4, 5]


def test_text_appends_draw_once_per_frame(ui):
    ui.text("sync_text", "T", "log")
    page = ui.open("/env/sync_text")
    # Text windows always download as HTML; an SVG one also as SVG.
    assert ui.pane("T").locator(".pane-download").all_text_contents() == ["HTML"]
    page.evaluate(
        f"""() => {{
          const ws = {WS};
          const base = ws.seq.get('sync_text');
          for (let i = 0; i < 300; i++) {{
            ws.onWindowUpdate({{eid: 'sync_text', win: 'T', kind: 'append_text',
                                text: `<br>line ${{i}}`, seq: base + 1 + i}});
          }}
          ws.onWindowUpdate({{eid: 'sync_text', win: 'T', kind: 'append_text', seq: base + 301,
                              text: '<svg xmlns="http://www.w3.org/2000/svg"><rect width="5" height="5"/></svg>'}});
        }}"""
    )
    ui.wait("document.querySelectorAll('[data-win=T] .text-pane br').length === 300")
    assert ui.pane("T").locator(".text-pane").text_content().endswith("line 299")
    # The download button follows what the deferred draw shows (an SVG now).
    ui.wait("document.querySelectorAll('[data-win=T] .pane-download').length === 2")
    assert "SVG" in ui.pane("T").locator(".pane-download").all_text_contents()
