"""Static files: content-hashed URLs cached for a year, precompressed copies, gzip for JSON.

`url_for('static', filename=...)` builds `{base}/static/<build>/<filename>`, where <build>
is a hash of every static file's content: a new release (or an edited file) makes new
URLs, so a URL names one content forever and browsers may keep it `immutable`. The ES
modules import each other by relative paths, so every module of the graph is loaded
under the same prefix and is versioned too. The plain `{base}/static/<filename>` URL still
answers (revalidated each time), and an old <build> is answered with today's file, not
cached (a page from before an upgrade still loads).

scripts/compress.py writes `<file>.br` and `<file>.gz` next to each text file over 1 KB,
and `compressed.json` with the SHA-256 of the source each copy was made from. A copy is
sent only when it matches the file as it is now, and only when the browser accepts its
encoding (q-values honoured, q=0 refuses): brotli, then gzip, else the file itself. Each
encoding has its own ETag and Content-Length; `Vary: Accept-Encoding` tells caches so.

scripts/bundle.py bundles each page's ES modules into one file (js/bundle/<page>.js) and
writes `bundles.json`, the SHA-256 of every module each bundle was made from: a page loads
its bundle only while all of them are unchanged, else its modules (entry_script).

JSON answers over 1 KB are gzipped when the client accepts gzip and is not on this
machine (compress_json): over a network 28 MB of get_window_data become 11 MB, but on
loopback compressing and inflating them costs more (0.35 s each side) than sending them.
Behind a reverse proxy, VISDOM_PROXY_FIX gives the real client's address. The socket
(Socket.IO) traffic never passes here: it has its own framing.
"""

import gzip
import hashlib
import json
import logging
import mimetypes
import os
import posixpath
import re

from flask import abort, current_app, request, send_file
from werkzeug.security import safe_join

log = logging.getLogger(__name__)

IMMUTABLE = "public, max-age=31536000, immutable"
# Preference when the browser accepts several encodings with the same q-value.
ENCODINGS = (("br", ".br"), ("gzip", ".gz"))
JSON_MIN_BYTES = 1024
# Level 1: about 5x smaller for the JSON this server sends, at a fraction of level 6's CPU
# (a multi-megabyte get_window_data answer must not wait on the compressor).
JSON_GZIP_LEVEL = 1
BUILD_CHARS = 12
LOOPBACK = {"127.0.0.1", "::1"}
# A static import of an ES module: `import ... from './x.js'`, `export ... from`, `import './x.js'`.
IMPORT = re.compile(r"""^\s*(?:import|export)\s[^'"]*?['"](\.{1,2}/[^'"]+)['"]""", re.MULTILINE)


class StaticFiles:
    """What the static folder holds: the build hash, each file's hash, its fresh copies."""

    def __init__(self, folder):
        self.folder = os.path.abspath(folder)
        manifest = {}
        try:
            with open(os.path.join(self.folder, "compressed.json"), encoding="utf-8") as f:
                manifest = json.load(f)
        except (OSError, ValueError):
            pass
        self.digests = {}  # relative path -> sha256 of the file's content
        self.fresh = set()  # relative paths whose .br/.gz copies match the file
        build = hashlib.sha256()
        for rel in sorted(self._files()):
            with open(os.path.join(self.folder, rel), "rb") as f:
                digest = hashlib.sha256(f.read()).hexdigest()
            self.digests[rel] = digest
            build.update(f"{rel}\0{digest}\n".encode())
            if manifest.get(rel) == digest:
                self.fresh.add(rel)
        self.build = build.hexdigest()[:BUILD_CHARS]
        self.bundles = {}  # entry module -> its bundle, when made from the modules as they are
        try:
            with open(os.path.join(self.folder, "bundles.json"), encoding="utf-8") as f:
                bundles = json.load(f)
        except (OSError, ValueError):
            bundles = {}
        for entry, record in bundles.items() if isinstance(bundles, dict) else ():
            if self._bundle_fresh(record):
                self.bundles[entry] = record["bundle"]
            elif entry in self.digests:
                log.warning(
                    "%s changed since its bundle was made: serving its modules "
                    "unbundled (run `make setup` to bundle it again)",
                    entry,
                )

    def _bundle_fresh(self, record):
        """Whether a bundles.json record names a bundle made from today's modules."""
        try:
            bundle, sources = record["bundle"], record["sources"]
            return self.digests.get(bundle) == record["digest"] and all(
                self.digests.get(rel) == digest for rel, digest in sources.items()
            )
        except (KeyError, TypeError, AttributeError):
            return False

    def _files(self):
        for root, _dirs, names in os.walk(self.folder):
            for name in names:
                if name.endswith((".br", ".gz")) or name == "compressed.json":
                    continue
                path = os.path.join(root, name)
                yield os.path.relpath(path, self.folder).replace(os.sep, "/")

    def entry_script(self, entry):
        """The file a page loads for its entry module: its bundle (scripts/bundle.py), or,
        when the modules changed since it was made (or it was never made), the entry."""
        return self.bundles.get(entry, entry)

    def preloads(self, entry):
        """What a page lists as <link rel="modulepreload">: its bundle, or without one every
        module of its graph, so the browser fetches them all at once instead of one level
        of imports after the other."""
        if entry in self.bundles:
            return [self.bundles[entry]]
        return self.module_graph(entry)

    def module_graph(self, entry):
        """Every module `entry` (a path under the folder) imports, directly or not, in order."""
        graph = self.__dict__.setdefault("_graphs", {})
        if entry not in graph:
            seen, todo = [], [entry]
            while todo:
                rel = todo.pop(0)
                if rel in seen or rel not in self.digests:
                    continue
                seen.append(rel)
                with open(os.path.join(self.folder, rel), encoding="utf-8") as f:
                    text = f.read()
                base = posixpath.dirname(rel)
                todo += [posixpath.normpath(posixpath.join(base, m)) for m in IMPORT.findall(text)]
            graph[entry] = seen[1:]
        return graph[entry]


def static_files():
    """The app's StaticFiles, made on first use (the folder is read once per process)."""
    files = current_app.extensions.get("visdom_static")
    if files is None:
        files = StaticFiles(current_app.static_folder)
        current_app.extensions["visdom_static"] = files
    return files


def choose_encoding(accept, available):
    """The content coding to send: the acceptable one with the highest q (br before gzip).

    `accept` is the request's Accept-Encoding (werkzeug's parsed header); `available` the
    codings a copy exists for. "identity" when no copy is acceptable.
    """
    best, best_q = "identity", None
    for coding in ("br", "gzip"):
        if coding not in available:
            continue
        q = accept.quality(coding)
        if q > 0 and (best_q is None or q > best_q):
            best, best_q = coding, q
    if best_q is None:
        return "identity"
    # identity is acceptable unless refused; a client that prefers it outright gets it.
    identity_q = _identity_quality(accept)
    return "identity" if identity_q > best_q else best


def _identity_quality(accept):
    for value, q in accept:
        if value == "identity":
            return q
    # Not named: acceptable (RFC 9110 12.5.3) unless "*;q=0" refuses everything unnamed.
    for value, q in accept:
        if value == "*":
            return q if q > 0 else 0.0
    return 0.001  # acceptable, but any named coding is preferred


def send_static(filename, build=None):
    """Answer one static file: the best encoding, hashed URLs cached a year."""
    files = static_files()
    rel = filename.replace("\\", "/")
    if build is not None and build != files.build and f"{build}/{rel}" in files.digests:
        rel, build = f"{build}/{rel}", None  # a plain URL of a file in a folder (js/..., css/...)
    path = safe_join(files.folder, rel)
    if path is None or rel not in files.digests or not os.path.isfile(path):
        abort(404)
    digest = files.digests[rel]
    available = {c for c, _ in ENCODINGS} if rel in files.fresh else set()
    coding = choose_encoding(request.accept_encodings, available)
    suffix = dict(ENCODINGS).get(coding, "")
    mimetype = _mimetype(rel)
    response = send_file(
        path + suffix,
        mimetype=mimetype,
        conditional=True,
        etag=f"{digest[:20]}-{coding}",
        max_age=None,
    )
    if coding != "identity":
        response.headers["Content-Encoding"] = coding
    if rel in files.fresh:
        response.vary.add("Accept-Encoding")
    if build is not None and build == files.build:
        response.headers["Cache-Control"] = IMMUTABLE
    else:
        response.headers["Cache-Control"] = "no-cache"  # revalidate: the ETag answers 304
    return response


def _mimetype(rel):
    if rel.endswith((".js", ".mjs")):
        return "text/javascript"  # ES modules need a JavaScript type
    return mimetypes.guess_type(rel)[0] or "application/octet-stream"


def compress_json(response):
    """after_request: gzip a JSON answer over JSON_MIN_BYTES when the client accepts gzip."""
    if (
        response.mimetype != "application/json"
        or response.direct_passthrough
        or response.is_streamed
        or response.status_code < 200
        or response.status_code in (204, 304)
        or "Content-Encoding" in response.headers
    ):
        return response
    response.vary.add("Accept-Encoding")
    if request.accept_encodings.quality("gzip") <= 0 or request.remote_addr in LOOPBACK:
        return response
    data = response.get_data()
    if len(data) < JSON_MIN_BYTES:
        return response
    response.set_data(gzip.compress(data, compresslevel=JSON_GZIP_LEVEL, mtime=0))
    response.headers["Content-Encoding"] = "gzip"
    if response.headers.get("ETag"):
        # A strong ETag names one representation: the gzipped one gets its own.
        etag, weak = response.get_etag()
        response.set_etag(etag + "-gzip", weak)
    return response


def init_app(app, base):
    """Serve {base}/static/<build>/<file> and {base}/static/<file>; url_for builds the first."""
    app.static_folder = "static"
    app.add_url_rule(
        base + "/static/<build>/<path:filename>",
        endpoint="static",
        view_func=send_static,
    )
    app.add_url_rule(base + "/static/<path:filename>", endpoint="static", view_func=send_static)

    @app.url_defaults
    def _versioned(endpoint, values):
        if endpoint == "static" and "build" not in values:
            values["build"] = static_files().build

    app.after_request(compress_json)
    app.jinja_env.globals["module_preloads"] = lambda entry: static_files().preloads(entry)
    app.jinja_env.globals["entry_script"] = lambda entry: static_files().entry_script(entry)
