"""Merge several envs into one compare view (upstream protocol section 10, without its bugs).

Plots that share a title across at least two envs become one window whose traces are
renamed "<env number>_<trace name>"; env numbers follow the order the envs were given.
With `show_all` (0.3.0's "show all windows" toggle) every window of every env is also
shown, as "<eid>_env_<win>" titled "[<env number>] <title>".
"""

import copy
import html

from .window import new_content_id

LEGEND_ID = "window_compare_legend"


def _plot_titles(windows):
    by_title = {}
    for win in windows.values():
        if win.get("type") == "plot" and win.get("title"):
            by_title.setdefault(win["title"], []).append(win)
    return by_title


def compare_windows(envs, show_all=False):
    """Return the merged windows for `envs`, a list of (eid, {win_id: window}) pairs."""
    merged = {}
    order = []
    for number, (_eid, windows) in enumerate(envs):
        for title, wins in _plot_titles(windows).items():
            if title not in merged:
                merged[title] = {"envs": set(), "traces": [], "first": wins[0]}
                order.append(title)
            entry = merged[title]
            entry["envs"].add(number)
            for win in wins:
                for k, trace in enumerate(win["content"].get("data", [])):
                    trace = copy.deepcopy(trace)
                    trace["name"] = f"{number}_{trace.get('name', k + 1)}"
                    entry["traces"].append(trace)
    result = []
    for i, title in enumerate(order):
        entry = merged[title]
        if len(entry["envs"]) < 2:
            continue
        first = entry["first"]
        layout = dict(copy.deepcopy(first["content"].get("layout") or {}), showlegend=True)
        win = {key: value for key, value in first.items() if key != "content"}
        win.update(
            id=first["id"] + "_compare",
            contentID=new_content_id(),
            content={"data": entry["traces"], "layout": layout},
            has_compare=True,
            i=i + 2,
        )
        result.append(win)
    if show_all:
        result.extend(_every_window(envs, start=len(order) + 2))
    result.append(legend_window([eid for eid, _ in envs]))
    return result


def _every_window(envs, start):
    """Return a copy of every window of every env, renamed so that none collide."""
    copies = []
    for number, (eid, windows) in enumerate(envs):
        ordered = sorted(
            windows.values(),
            key=lambda w: (not isinstance(w.get("i"), int), w.get("i") or 0),
        )
        for win in ordered:
            copy_ = copy.deepcopy(win)
            title = win.get("title") or win["id"]
            copy_.update(
                id=f"{eid}_env_{win['id']}",
                title=f"[{number}] {title}",
                source_env=eid,
                source_win=win["id"],
                has_compare=True,
                i=start + len(copies),
            )
            copies.append(copy_)
    return copies


def legend_window(eids):
    """Return the text window that maps env numbers to env names.

    Env names are data: they are HTML-escaped in `content`, and also given as plain
    `rows` for a browser that builds the table with textContent.
    """
    rows = [[str(n), eid] for n, eid in enumerate(eids)]
    return {
        "command": "window",
        "id": LEGEND_ID,
        "title": "compare_legend",
        "inflate": True,
        "width": None,
        "height": None,
        "contentID": "compare_legend",
        "type": "text",
        "content": "<br>".join(f"{n}: {html.escape(eid)}" for n, eid in rows),
        "rows": rows,
        "layout": {"title": "compare_legend"},
        "i": 1,
        "has_compare": True,
    }
