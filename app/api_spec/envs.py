"""Env endpoints: upstream's (/env_state /save /fork_env /delete_env /upload_env, POST
/env and /compare), 0.3.0's /health, and the UI's JSON reads of envs."""

from .common import (
    EID_FIELD,
    EID_PARAM,
    EIDS_PARAM,
    ENV_ID,
    WRITE,
    json_body,
    json_response,
    operation,
    refusals,
    text_response,
)

TAG = "envs"
EMPTY = text_response("Empty.", {"const": ""})
ENV_LIST = {"type": "array", "items": ENV_ID}


def paths():
    """Return the path items of the env endpoints."""
    return {
        "/env_state": {
            "post": operation(
                "envs.env_state",
                TAG,
                "List the env ids",
                description="Any JSON body (or none).",
                requestBody=json_body({}),
                responses={
                    200: json_response("Every env id of the server.", ENV_LIST),
                    **refusals(400, 413),
                },
            )
        },
        "/save": {
            "post": operation(
                "envs.save",
                TAG,
                "Write the listed envs to disk now",
                requestBody=json_body(
                    {"data": {"type": "array", "items": ENV_ID}}, required=["data"]
                ),
                responses={
                    200: json_response("The ids written (unknown ids are left out).", ENV_LIST),
                    **refusals(*WRITE),
                },
            )
        },
        "/fork_env": {
            "post": operation(
                "envs.fork_env",
                TAG,
                "Copy env `prev_eid` to `eid` and save the copy",
                requestBody=json_body(
                    {"prev_eid": ENV_ID, "eid": ENV_ID}, required=["prev_eid", "eid"]
                ),
                responses={
                    200: text_response("The new env id, as plain text."),
                    **refusals(*WRITE, 404),
                },
            )
        },
        "/delete_env": {
            "post": operation(
                "envs.delete_env",
                TAG,
                "Delete an env and its file",
                description="An explicit `eid` is required; `main` cannot be deleted (400).",
                requestBody=json_body({"eid": ENV_ID}, required=["eid"]),
                responses={200: EMPTY, **refusals(*WRITE, 404)},
            )
        },
        "/upload_env": {
            "post": operation(
                "envs.upload_env",
                TAG,
                "Create a new env from an env JSON file",
                description="The file must be a JSON object with `jsons` and `reload` "
                "(what the server writes to disk); at most 100 MB. The new id is "
                "`uploaded_<file stem>_<8 hex>`. Its own refusals carry 0.3.0's "
                '`"success": false` too.',
                requestBody={
                    "required": True,
                    "content": {
                        "multipart/form-data": {
                            "schema": {
                                "type": "object",
                                "properties": {
                                    "file": {
                                        "type": "string",
                                        "contentMediaType": "application/octet-stream",
                                        "description": "The env file (JSON).",
                                    }
                                },
                                "required": ["file"],
                            }
                        }
                    },
                },
                responses={
                    200: json_response(
                        "The env was created and saved.",
                        {
                            "type": "object",
                            "required": ["success", "eid", "message"],
                            "properties": {
                                "success": {"const": True},
                                "eid": ENV_ID,
                                "message": {"type": "string"},
                            },
                        },
                    ),
                    **refusals(400, 403, 409, 413, 503),
                },
            )
        },
        "/env/{eid}": {
            "parameters": [EID_PARAM],
            "post": operation(
                "envs.env_post",
                TAG,
                "Create the env named in the body (the upstream client's constructor)",
                description="With login off, the first call sets the client-session "
                "cookie `user_password` that routes callback events to this client.",
                requestBody=json_body({"eid": EID_FIELD}),
                # 404: a path id the router cannot match (a newline in it).
                responses={200: EMPTY, **refusals(*WRITE, 404)},
            ),
        },
        "/compare/{eids}": {
            "parameters": [EIDS_PARAM],
            "post": operation(
                "envs.compare_post",
                TAG,
                "The merged compare view of the envs",
                requestBody=json_body(
                    {"show_all": {"type": "boolean", "description": "Every window too."}}
                ),
                responses={
                    200: json_response(
                        "The compare view.", {"$ref": "#/components/schemas/CompareContent"}
                    ),
                    **refusals(400, 404, 409, 413),
                },
            ),
        },
        "/api/env/{eid}": {
            "parameters": [EID_PARAM],
            "get": operation(
                "envs.env_json",
                TAG,
                "One env's windows, big plots decimated (strict JSON): what the env page "
                "draws first (it preloads this URL and joins the socket with "
                '`join_env {"eid", "windows": false}`)',
                responses={
                    200: json_response(
                        "The env content.", {"$ref": "#/components/schemas/EnvContent"}
                    ),
                    **refusals(400, 404, 409),
                },
            ),
        },
        "/api/compare/{eids}": {
            "parameters": [EIDS_PARAM],
            "get": operation(
                "envs.compare_json",
                TAG,
                "The merged compare view of several envs, big plots decimated",
                parameters=[
                    {
                        "name": "show_all",
                        "in": "query",
                        "description": "`1`, `true` or `yes`: every window of every env too.",
                        "schema": {"type": "string"},
                    }
                ],
                responses={
                    200: json_response(
                        "The compare view.", {"$ref": "#/components/schemas/CompareContent"}
                    ),
                    **refusals(400, 404, 409),
                },
            ),
        },
        "/health": {
            "get": operation(
                "envs.health",
                "server",
                "Health check (no login needed; upstream 0.3.0's)",
                security=[],
                responses={
                    200: json_response(
                        "The server is up.",
                        {
                            "type": "object",
                            "required": ["status"],
                            "properties": {"status": {"const": "ok"}},
                        },
                    )
                },
            )
        },
        "/healthz": {
            "get": operation(
                "envs.healthz",
                "server",
                "Health check as plain text (no login needed)",
                security=[],
                responses={200: text_response("`ok`.", {"const": "ok"})},
            )
        },
    }
