"""What the browser UI reads and writes: pages, plot ranges and downloads, saved views,
experiments, the standalone export, user CSS, plotly.js, and this document itself."""

from .common import (
    EID_PARAM,
    EIDS_PARAM,
    ENV_ID,
    EXPERIMENT,
    WIN_PARAM,
    WRITE,
    error,
    json_body,
    json_response,
    operation,
    path_param,
    refusals,
    text_response,
)

HTML = text_response("The page.", media="text/html")
VIEWS = {"$ref": "#/components/schemas/Views"}


def _number(name, description):
    return {"name": name, "in": "query", "description": description, "schema": {"type": "number"}}


RANGE_TRACE = {
    "type": "object",
    "required": ["index", "total"],
    "properties": {
        "index": {"type": "integer"},
        "total": {"type": "integer"},
        "shown": {"type": "integer"},
        "raw": {"type": "boolean"},
        "whole": {"const": True},
        "columns": {"type": "object", "additionalProperties": {"type": "array"}},
    },
}
DOWNLOAD_TRACE = {
    "type": "object",
    "required": ["name", "x", "y", "walltime"],
    "properties": {
        "name": {"type": "string"},
        "x": {"type": "array"},
        "y": {"type": "array"},
        "walltime": {"type": ["array", "null"]},
    },
}


def _page(endpoint, summary, params=(), statuses=(400, 404)):
    return operation(
        endpoint,
        "pages",
        summary,
        parameters=list(params),
        responses={200: HTML, **refusals(*statuses)},
    )


def data_paths():
    """Return the path items of the UI's data endpoints."""
    return {
        "/api/window/{eid}/{win}": {
            "parameters": [EID_PARAM, WIN_PARAM],
            "get": operation(
                "data.window_range",
                "plots",
                "The points of a plot in an x-range, decimated to the pane's width",
                description="Every raw point in range when they fit 4 per pixel, else a "
                "MinMaxLTTB decimation to 2 per pixel. Strict JSON: NaN and ±Inf are null.",
                parameters=[
                    _number("x0", "Left end of the range (absent: from the first point)."),
                    _number("x1", "Right end of the range (absent: to the last point)."),
                    {
                        "name": "px",
                        "in": "query",
                        "description": "The pane's width in pixels (default 600).",
                        "schema": {"type": "integer", "minimum": 1},
                    },
                    {
                        "name": "by",
                        "in": "query",
                        "description": "Another plot window of the env: x becomes that plot's "
                        "y at the same step (a metric against a metric); 404 naming `by` when "
                        "it is not a plot window.",
                        "schema": {"type": "string"},
                    },
                    {
                        "name": "envelope",
                        "in": "query",
                        "description": "`1`/`true`/`yes`: per trace and pixel the mean, min "
                        "(`lo`) and max (`hi`) of the raw points instead of chosen points.",
                        "schema": {"type": "string"},
                    },
                ],
                responses={
                    200: json_response(
                        "The traces' points.",
                        {
                            "type": "object",
                            "required": ["eid", "win", "traces"],
                            "properties": {
                                "eid": ENV_ID,
                                "win": {"type": "string"},
                                "seq": {"type": "integer"},
                                "traces": {"type": "array", "items": RANGE_TRACE},
                                "envelope": {
                                    "type": "boolean",
                                    "description": "Present with `by` or `envelope`.",
                                },
                                "x_by": {
                                    "type": "object",
                                    "description": "With `by`: the window x comes from.",
                                    "properties": {
                                        "win": {"type": "string"},
                                        "title": {"description": "Its title, as stored."},
                                    },
                                },
                            },
                        },
                    ),
                    **refusals(400, 404, 409),
                },
            ),
        },
        "/api/window_data/{eid}/{win}": {
            "parameters": [EID_PARAM, WIN_PARAM],
            "get": operation(
                "download.window_data",
                "plots",
                "A plot's full stored data as a CSV or JSON download",
                parameters=[
                    {
                        "name": "format",
                        "in": "query",
                        "schema": {"enum": ["json", "csv"], "default": "json"},
                    }
                ],
                responses={
                    200: {
                        "description": "Every stored point (never decimated), as an attachment.",
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "required": ["eid", "win", "traces"],
                                    "properties": {
                                        "eid": ENV_ID,
                                        "win": {"type": "string"},
                                        "title": {"type": ["string", "null"]},
                                        "traces": {"type": "array", "items": DOWNLOAD_TRACE},
                                    },
                                }
                            },
                            "text/csv": {
                                "schema": {
                                    "type": "string",
                                    "description": "Header `trace,x,y,wall_time`.",
                                }
                            },
                        },
                    },
                    **refusals(400, 404, 409),
                },
            ),
        },
        "/api/views": {
            "get": operation(
                "views.list_views",
                "views",
                "The saved views",
                responses={200: json_response("The views object.", VIEWS)},
            ),
            "post": operation(
                "views.save_views",
                "views",
                "Replace the saved views (every browser is told)",
                requestBody=json_body({"views": VIEWS}, required=["views"]),
                responses={200: json_response("The views now stored.", VIEWS), **refusals(*WRITE)},
            ),
        },
        "/api/experiments": {
            "get": operation(
                "experiments.experiment_list",
                "experiments",
                "Every experiment of the server",
                responses={
                    200: json_response(
                        "One entry per env that holds an experiment.",
                        {
                            "type": "object",
                            "required": ["experiments"],
                            "properties": {
                                "experiments": {
                                    "type": "array",
                                    "items": {
                                        "type": "object",
                                        "required": ["eid", "experiment"],
                                        "properties": {"eid": ENV_ID, "experiment": EXPERIMENT},
                                    },
                                }
                            },
                        },
                    )
                },
            )
        },
        "/experiments/log": {
            "post": operation(
                "experiments.log",
                "experiments",
                "Log an experiment's params and tags, append metrics, or finish it",
                description="Upstream 0.3.0's experiment log (one experiment per env). "
                "`log` merges `params`/`tags` and sets `name`/`description`; `metrics` "
                "appends one observation per key at `step`; `finish` sets `status`.",
                requestBody=json_body(
                    {
                        "eid": {"type": ["string", "null"]},
                        "action": {"enum": ["log", "metrics", "finish"], "default": "log"},
                        "name": {"type": "string"},
                        "description": {"type": "string"},
                        "params": {"type": "object"},
                        "tags": {"type": "object"},
                        "metrics": {"type": "object", "minProperties": 1},
                        "step": {},
                        "status": {"enum": ["finished", "failed"]},
                    }
                ),
                responses={
                    200: json_response("The whole experiment record.", EXPERIMENT),
                    **refusals(*WRITE, 404),
                },
            )
        },
        "/user/style.css": {
            "get": operation(
                "views.user_css",
                "pages",
                "The user's CSS (<config dir>/visdom/style.css, then <env_path>/style.css)",
                parameters=[
                    {
                        "name": "v",
                        "in": "query",
                        "description": "The hash of the CSS the page links (the pages add it): "
                        "when it is the current one the answer is cached `immutable`, else "
                        "`no-cache`.",
                        "schema": {"type": "string"},
                    }
                ],
                responses={200: text_response("The stylesheet.", media="text/css")},
            )
        },
        "/export/{eid}.html": {
            "parameters": [EID_PARAM],
            "get": operation(
                "export.export_env",
                "envs",
                "The env as one standalone HTML file that opens offline",
                responses={
                    200: text_response("The HTML file, as an attachment.", media="text/html"),
                    **refusals(400, 404, 409),
                },
            ),
        },
        "/api/openapi.json": {
            "get": operation(
                "openapi.openapi_json",
                "server",
                "This document",
                description="Public (no login needed): it holds no data, and a client needs "
                "it to learn how to sign in.",
                security=[],
                responses={200: json_response("The OpenAPI 3.1 document.", {"type": "object"})},
            )
        },
    }


def page_paths():
    """Return the path items of the HTML pages and plotly.js."""
    eid = path_param("eid", "The env id.")
    win = path_param("win", "The window id (may contain `/`).")
    return {
        "/": {"get": _page("pages.index", "The main env's page", statuses=())},
        "/env/{eid}": {"parameters": [EID_PARAM], "get": _page("pages.env_page", "An env's page")},
        "/compare/{eids}": {
            "parameters": [EIDS_PARAM],
            "get": _page("pages.compare_page", "Several envs merged on one page"),
        },
        "/window/{eid}/{win}": {
            "parameters": [eid, win],
            "get": _page("pages.window_page", "One window alone on a page (notebooks embed it)"),
        },
        "/runs": {"get": _page("runs.runs_page", "The runs table", statuses=())},
        "/alerts": {
            "get": _page("alerts.alerts_page", "The alert rules and what fired", statuses=())
        },
        "/vendor/plotly.min.js": {
            "get": operation(
                "pages.plotly_js",
                "pages",
                "plotly.js from the installed plotly package (no CDN)",
                responses={
                    200: text_response("plotly.js.", media="text/javascript"),
                    404: error(404),
                },
            )
        },
    }
