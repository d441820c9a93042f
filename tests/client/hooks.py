"""A local webhook receiver for the alert tests: a real HTTP server on a thread."""

import http.server
import json
import threading
import time


class Receiver:
    """Collect the JSON bodies POSTed to http://127.0.0.1:<port>/<path>.

    Paths starting with /fail answer 500; /hang never answers (until the test ends).
    """

    def __init__(self):
        self.bodies = []  # (monotonic time, path, body)
        self.hits = []  # every request, failing ones too
        self.release = threading.Event()
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's name
                data = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                receiver.hits.append((time.monotonic(), self.path))
                if self.path.startswith("/hang"):
                    receiver.release.wait(60)
                    return
                if self.path.startswith("/fail"):
                    self.send_response(500)
                    self.end_headers()
                    return
                receiver.bodies.append((time.monotonic(), self.path, json.loads(data)))
                self.send_response(200)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path="/hook"):
        return f"http://127.0.0.1:{self.server.server_address[1]}{path}"

    def received(self, path="/hook", **match):
        """Return the bodies posted to `path` whose fields equal `match`."""
        return [
            (t, body)
            for t, p, body in self.bodies
            if p == path and all(body.get(k) == v for k, v in match.items())
        ]

    def wait(self, path="/hook", timeout=5.0, **match):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = self.received(path, **match)
            if found:
                return found
            time.sleep(0.02)
        return []

    def close(self):
        self.release.set()
        self.server.shutdown()
        self.server.server_close()
