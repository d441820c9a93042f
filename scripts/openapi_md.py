"""Write docs/api.md, the readable form of the OpenAPI document (app.api_spec).

    python scripts/openapi_md.py           # rewrite docs/api.md
    python scripts/openapi_md.py --check   # exit 1 when docs/api.md is out of date

The page is rendered for a server at the root path with login on, so it shows which
operations need a login; a running server serves its own document at
{base_url}/api/openapi.json.
"""

import argparse
import json
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.api_spec import METHODS, build_spec  # noqa: E402

TARGET = ROOT / "docs" / "api.md"
HEADER = """\
# HTTP API reference

Generated from the OpenAPI 3.1 document (`app/api_spec/`) by `scripts/openapi_md.py`: do not
edit it by hand, run the script after changing the spec (a test fails when this page is stale).
A running server serves the document itself at `{base_url}/api/openapi.json`, for its own
base_url and login setting; `info.version` is the server's version.
This page shows a server with login on: an operation marked **login** answers 401 to a
caller who is not signed in (with login off, nothing is asked).

"""


def _type(schema, spec):
    """Return a short text for a JSON Schema (its type, enum, const or $ref name)."""
    if not schema:
        return "any"
    if "$ref" in schema:
        return schema["$ref"].rsplit("/", 1)[-1]
    if "const" in schema:
        return f"`{json.dumps(schema['const'])}`"
    if "enum" in schema:
        return " \\| ".join(f"`{json.dumps(v)}`" for v in schema["enum"])
    for key in ("anyOf", "oneOf", "allOf"):
        if key in schema:
            return (" and " if key == "allOf" else " or ").join(_type(s, spec) for s in schema[key])
    kind = schema.get("type", "any")
    kind = " or ".join(kind) if isinstance(kind, list) else kind
    if kind == "array" and "items" in schema:
        return f"array of {_type(schema['items'], spec)}"
    return kind


def _cell(text):
    return " ".join(str(text).split()).replace("|", "\\|")


def _body_rows(schema):
    rows = ["| field | type | required | description |", "|---|---|---|---|"]
    required = set(schema.get("required", ()))
    for name, prop in schema.get("properties", {}).items():
        desc = _cell(prop.get("description", ""))
        mark = "yes" if name in required else ""
        rows.append(f"| `{name}` | {_type(prop, None)} | {mark} | {desc} |")
    return rows


def _operation(path, method, op, item, spec):
    login = bool(spec.get("security")) and op.get("security") != []
    out = [
        f"### `{method.upper()} {path}`",
        "",
        op["summary"] + (" — **login**" if login else ""),
        "",
    ]
    if op.get("description"):
        out += [" ".join(op["description"].split()), ""]
    params = item.get("parameters", []) + op.get("parameters", [])
    if params:
        out += ["| parameter | in | type | description |", "|---|---|---|---|"]
        for p in params:
            desc = _cell(p.get("description", ""))
            out.append(f"| `{p['name']}` | {p['in']} | {_type(p.get('schema'), spec)} | {desc} |")
        out.append("")
    body = op.get("requestBody")
    if body:
        for media, content in body["content"].items():
            out += [f"Request body (`{media}`{'' if body.get('required') else ', optional'}):", ""]
            schema = content["schema"]
            if schema.get("properties"):
                out += _body_rows(schema) + [""]
            else:
                out += ["Any JSON object.", ""]
    out += ["| status | content | description |", "|---|---|---|"]
    for status, response in op["responses"].items():
        content = response.get("content", {})
        kinds = "; ".join(f"`{m}` {_type(c.get('schema'), spec)}" for m, c in content.items())
        out.append(f"| {status} | {kinds or '—'} | {_cell(response['description'])} |")
    return out + [""]


def render(spec):
    """Return the Markdown text of `spec`."""
    out = [HEADER + " ".join(spec["info"]["description"].split()), ""]
    out += ["## Operations by area", ""]
    for tag in spec["tags"]:
        out += [f"- [{tag['name']}](#{tag['name']}): {tag['description']}"]
    out.append("")
    for tag in spec["tags"]:
        out += [f"## {tag['name']}", "", tag["description"], ""]
        for path, item in spec["paths"].items():
            for method in METHODS:
                op = item.get(method)
                if op and tag["name"] in op["tags"]:
                    out += _operation(path, method, op, item, spec)
    out += ["## Schemas", ""]
    for name, schema in spec["components"]["schemas"].items():
        out += [f"### {name}", "", "```json", json.dumps(schema, indent=2), "```", ""]
    out += ["## Security schemes (login on)", ""]
    for name, scheme in spec["components"].get("securitySchemes", {}).items():
        where = scheme.get("in", scheme.get("scheme"))
        out.append(f"- `{name}` ({scheme['type']}, {where}): {scheme['description']}")
    return "\n".join(out).rstrip() + "\n"


def main(argv=None):
    """Write docs/api.md, or with --check report whether it is current."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail when docs/api.md is stale")
    parser.add_argument("--output", type=pathlib.Path, default=TARGET)
    args = parser.parse_args(argv)
    text = render(build_spec("", login=True, version="(the server's version)"))
    if args.check:
        current = args.output.read_text(encoding="utf-8") if args.output.exists() else ""
        if current != text:
            print(
                f"{args.output} is out of date: run python scripts/openapi_md.py", file=sys.stderr
            )
            return 1
        return 0
    args.output.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
