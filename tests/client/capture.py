"""A tiny HTTP server that records every POST body and answers like the visdom server."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ANSWERS = {
    "win_exists": "true",
    "env_state": '["main", "probe"]',
    "win_hash": "0123456789abcdef0123456789abcdef",
    "win_data": '{"id": "L"}',
    "save": '["main", "probe"]',
}


class CaptureServer:
    """Record (endpoint, body) per call, grouped by the names posted to /__mark__."""

    def __init__(self):
        self.calls = []  # [name, [(endpoint, body text), ...]]
        self.results = {}
        # Our client's run heartbeats (a thread of its own, at any moment): kept apart, as
        # they belong to no call and upstream sends none.
        self.heartbeats = []
        self.lock = threading.Lock()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()

    def reset(self):
        with self.lock:
            self.calls, self.results, self.heartbeats = [], {}, []

    def record(self, endpoint, body):
        with self.lock:
            if endpoint == "__mark__":
                self.calls.append([body, []])
            elif endpoint == "api/heartbeat":
                self.heartbeats.append(body)
            elif endpoint == "__result__":
                name, result = json.loads(body)
                self.results[name] = result
            else:
                if not self.calls:
                    self.calls.append(["<constructor>", []])
                self.calls[-1][1].append((endpoint, body))

    def _handler_class(self):
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's naming
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length).decode("utf-8")
                endpoint = self.path.lstrip("/")
                server.record(endpoint, body)
                if endpoint.startswith("env/") or endpoint in ("", "update", "events"):
                    answer = self._window_id(body)
                else:
                    answer = ANSWERS.get(endpoint, "")
                payload = answer.encode("utf-8")
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=UTF-8")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def _window_id(self, body):
                try:
                    return str(json.loads(body).get("win") or "")
                except ValueError:
                    return ""

            def log_message(self, *args):
                pass

        return Handler
