"""Building blocks of the OpenAPI document: shared schemas, parameters and responses.

Every area module (windows, envs, runs, alerts, ui, auth) builds its operations with these helpers, so
one error shape ({"error", "status", "field"}, app.common.error_response) and one way of
writing a JSON body serve the whole document.
"""

ERROR = {"$ref": "#/components/schemas/Error"}
WINDOW = {"$ref": "#/components/schemas/Window"}
ENV_ID = {"$ref": "#/components/schemas/EnvId"}
EXPERIMENT = {"$ref": "#/components/schemas/Experiment"}

SCHEMAS = {
    "Error": {
        "type": "object",
        "description": "Every refusal of the API: the message, the HTTP status and, when "
        "one request field is to blame, its name (e.g. `data[0].type`).",
        "required": ["error", "status"],
        "properties": {
            "error": {"type": "string"},
            "status": {"type": "integer", "minimum": 400, "maximum": 599},
            "field": {"type": "string"},
            "success": {
                "const": False,
                "description": "Also there on upstream 0.3.0's own refusals (`/upload_env`, "
                "`/experiments/log` on a readonly server), which 0.3.0 clients read.",
            },
        },
    },
    "EnvId": {
        "type": "string",
        "description": "An env name. `/` is replaced by `_` (upstream's escape); names that "
        "cannot be a file name (control characters, `..`, too long) are refused with 400.",
    },
    "Window": {
        "type": "object",
        "description": "A stored window (pane) object: `id`, `type` (plot, image, "
        "image_history, text, properties, network, embeddings), `title`, `content`, "
        "`width`, `height`, `i`, ... (docs/socket-protocol.md).",
        "properties": {
            "id": {"type": "string"},
            "type": {"type": "string"},
            "title": {"type": ["string", "null"]},
        },
    },
    "EnvContent": {
        "type": "object",
        "required": ["eid", "windows", "reload", "seq"],
        "properties": {
            "eid": ENV_ID,
            "windows": {"type": "array", "items": WINDOW},
            "reload": {"type": "object"},
            "seq": {"type": "integer"},
        },
    },
    "CompareContent": {
        "type": "object",
        "required": ["eids", "windows", "reload", "seqs"],
        "properties": {
            "eids": {"type": "array", "items": ENV_ID},
            "windows": {"type": "array", "items": WINDOW},
            "reload": {"type": "object"},
            "seqs": {"type": "object", "additionalProperties": {"type": "integer"}},
        },
    },
    "Experiment": {
        "type": "object",
        "description": "Upstream 0.3.0's experiment record (delta §3.2.1).",
        "required": ["env_id", "name", "status", "params", "metrics", "tags"],
        "properties": {
            "env_id": {"type": "string"},
            "name": {"type": "string"},
            "description": {"type": "string"},
            "status": {
                "enum": ["running", "finished", "failed", "crashed"],
                "description": "`crashed` (on read): running, but no heartbeat for RUN_TIMEOUT.",
            },
            "created_at": {"type": "number"},
            "finished_at": {"type": ["number", "null"]},
            "params": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["key", "dtype"],
                    "properties": {
                        "key": {"type": "string"},
                        "value": {},
                        "dtype": {"enum": ["bool", "int", "float", "str"]},
                    },
                },
            },
            "metrics": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["key", "step", "timestamp"],
                    "properties": {
                        "key": {"type": "string"},
                        "value": {},
                        "step": {},
                        "timestamp": {"type": "number"},
                    },
                },
            },
            "tags": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["key"],
                    "properties": {"key": {"type": "string"}, "value": {}},
                },
            },
        },
    },
    "Views": {
        "type": "object",
        "description": "Saved window layouts: {env: {view name: {window id: [order, h, w]}}}.",
        "additionalProperties": {
            "type": "object",
            "additionalProperties": {"type": "object"},
        },
    },
}

# What each refusal status means on this server, for the responses' descriptions.
STATUS_TEXT = {
    400: "Bad input: the message names the field (`field`).",
    403: "The caller may not change anything (readonly server, or a viewer account).",
    404: "No such env, window, experiment or path.",
    409: "The request conflicts with what is stored (an unreadable env file, a finished "
    "experiment, no previous embeddings selection).",
    413: "The request body is larger than the server's limit (MAX_CONTENT_LENGTH).",
    503: "The server cannot store changes now: the disk refused a write (nothing changed), or "
    "Redis cannot be reached (any request; `Retry-After: 1`; a change cut off while being "
    "stored may have been stored: docs/deploy.md).",
}


def error(status, schema=ERROR):
    """Return the response object of a JSON refusal with `status`."""
    return {
        "description": STATUS_TEXT[status],
        "content": {"application/json": {"schema": schema}},
    }


def json_response(description, schema):
    """Return a 200-style response object with a JSON body."""
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def text_response(description, schema=None, media="text/plain"):
    """Return a response object with a text body (upstream clients read the text)."""
    return {
        "description": description,
        "content": {media: {"schema": schema or {"type": "string"}}},
    }


def json_body(properties, required=(), description=None, extra=True):
    """Return a requestBody of one JSON object.

    Upstream clients post JSON with no JSON content type and may use the NaN/Infinity
    tokens; the server decodes every body as JSON whatever the header says.
    """
    schema = {"type": "object", "properties": properties}
    if required:
        schema["required"] = list(required)
    if not extra:
        schema["additionalProperties"] = False
    body = {"required": bool(required), "content": {"application/json": {"schema": schema}}}
    if description:
        body["description"] = description
    return body


def path_param(name, description):
    """Return a required string path parameter."""
    return {
        "name": name,
        "in": "path",
        "required": True,
        "description": description,
        "schema": {"type": "string", "minLength": 1},
    }


EID_PARAM = path_param(
    "eid", "The env id (the server route accepts `/` inside it; it becomes `_`)."
)
WIN_PARAM = path_param("win", "The window id.")
EIDS_PARAM = path_param("eids", "Env ids joined by `+` (e.g. `a+b`); duplicates count once.")

EID_FIELD = {
    "type": ["string", "null"],
    "description": "The env id; null or absent means `main`.",
}
WIN_FIELD = {"type": ["string", "null"], "description": "The window id."}


def operation(endpoint, tag, summary, *, description=None, responses, **extra):
    """Return one operation; `x-endpoint` names the Flask endpoint that serves it (its
    operationId, `<method>_<endpoint>`, is set when the document is put together)."""
    op = {"tags": [tag], "summary": summary}
    if description:
        op["description"] = description
    op.update(extra)
    op["responses"] = {str(status): response for status, response in responses.items()}
    op["x-endpoint"] = endpoint
    return op


def refusals(*statuses):
    """Return the JSON refusal responses for `statuses`."""
    return {s: error(s) for s in sorted(set(statuses))}


# The refusals every write may answer: bad input, not allowed, a conflict with what is
# stored, a body over the limit, a disk that refuses the write.
WRITE = (400, 403, 409, 413, 503)
