"""Upstream's window endpoints: /events /update /close /win_exists /win_data /win_hash."""

from .common import (
    EID_FIELD,
    ERROR,
    WIN_FIELD,
    WINDOW,
    WRITE,
    json_body,
    operation,
    refusals,
    text_response,
)

TAG = "windows"

TRACES = {
    "type": "array",
    "items": {"type": "object"},
    "description": "Plotly traces, or one `{type, content}` object for the other pane types.",
}
WINDOW_FIELDS = {
    "eid": EID_FIELD,
    "win": {
        "type": ["string", "null"],
        "description": "The window id; null or absent makes a new `window_<hex>` id.",
    },
    "data": TRACES,
    "layout": {"type": "object", "description": "The plotly layout (plot windows)."},
    "opts": {"type": "object", "description": "Options: title, width, height, caption, ..."},
}
WIN_ID = text_response("The window id, as plain text.")


def _plain_or_json(description):
    """A refusal as JSON, or as plain text for those upstream clients read literally."""
    return {
        "description": description,
        "content": {
            "application/json": {"schema": ERROR},
            "text/plain": {"schema": {"type": "string"}},
        },
    }


def paths():
    """Return the path items of the window endpoints."""
    update_refusals = refusals(*WRITE)
    update_refusals[400] = _plain_or_json(
        "Bad input (JSON naming the field; image-slider refusals as plain text)."
    )
    update_refusals[404] = _plain_or_json(
        "`win does not exist` (plain text) when `append` is not set; JSON for a missing env."
    )
    return {
        "/events": {
            "post": operation(
                "plotting.events",
                TAG,
                "Create or replace a window",
                description="The pane type comes from `data[0].type`; an existing id is "
                "replaced and keeps its place. The env is created when missing.",
                requestBody=json_body(WINDOW_FIELDS, required=["data"]),
                responses={200: WIN_ID, **refusals(*WRITE)},
            )
        },
        "/update": {
            "post": operation(
                "plotting.update",
                TAG,
                "Append to, replace or remove data of a window",
                description="`append: true` adds points (and creates a missing window); "
                "`name` picks a trace; `delete: true` removes it (with `data: []` and no "
                "name: the whole window, as 0.3.0's confusion_matrix does). `data` may be "
                "absent for an opts/layout-only update.",
                requestBody=json_body(
                    {
                        **WINDOW_FIELDS,
                        "win": {"type": "string", "description": "The window id."},
                        "data": {"type": ["array", "object"]},
                        "append": {"type": "boolean"},
                        "name": {"type": ["string", "null"], "description": "A trace name."},
                        "delete": {"type": "boolean"},
                        "updateDir": {"enum": ["appendRow", "prependRow", "appendColumn"]},
                    },
                    required=["win"],
                ),
                responses={200: WIN_ID, **update_refusals},
            )
        },
        "/close": {
            "post": operation(
                "plotting.close",
                TAG,
                "Remove one window, or every window of the env when `win` is null",
                requestBody=json_body({"eid": EID_FIELD, "win": WIN_FIELD}),
                responses={
                    200: text_response("Empty.", {"const": ""}),
                    **refusals(*WRITE, 404),
                },
            )
        },
        "/win_exists": {
            "post": operation(
                "plotting.win_exists",
                TAG,
                "Does the window exist?",
                requestBody=json_body({"eid": EID_FIELD, "win": WIN_FIELD}),
                responses={
                    200: text_response("`true` or `false`.", {"enum": ["true", "false"]}),
                    **refusals(400, 409, 413),
                },
            )
        },
        "/win_data": {
            "post": operation(
                "plotting.win_data",
                TAG,
                "Read a window (or all of an env's), or overwrite it with `data`",
                description="Without `data`: the window object, or {id: window} for every "
                "window when `win` is null, in upstream's JSON (NaN and Infinity tokens "
                "kept). With `data` (a JSON string or object): the stored window, or the "
                "whole window map when `win` is null, is replaced.",
                requestBody=json_body(
                    {
                        "eid": EID_FIELD,
                        "win": WIN_FIELD,
                        "data": {"type": ["string", "object"]},
                    }
                ),
                responses={
                    200: {
                        "description": "The window(s) (a read), or empty (a write).",
                        "content": {
                            "application/json": {
                                "schema": {
                                    "anyOf": [
                                        WINDOW,
                                        {"type": "object", "additionalProperties": WINDOW},
                                    ]
                                }
                            },
                            "text/plain": {"schema": {"const": ""}},
                        },
                    },
                    **refusals(*WRITE, 404),
                },
            )
        },
        "/win_hash": {
            "post": operation(
                "plotting.win_hash",
                TAG,
                "The md5 of the stored window, or `false`",
                requestBody=json_body({"eid": EID_FIELD, "win": WIN_FIELD}),
                responses={
                    200: text_response(
                        "32 hex digits, or `false` when there is no such window.",
                        {"type": "string", "pattern": "^([0-9a-f]{32}|false)$"},
                    ),
                    **refusals(400, 404, 409, 413),
                },
            )
        },
    }
