"""Webhooks: post fired alerts to URLs, each from its own queue and thread.

One thread per URL, so a host that hangs delays only its own alerts, never an append,
the socket broadcast or another URL. Each post is retried with backoff (1 s, 2 s, 4 s);
a URL that keeps failing is logged once per `quiet` seconds, not once per alert. The body
is the alert as JSON, or `{"text"}` for a Slack webhook URL (hooks.slack.com) and
`{"content"}` for a Discord one (discord.com/api/webhooks).
"""

import json
import logging
import queue
import threading
import time
import urllib.error
import urllib.request

log = logging.getLogger(__name__)

RETRIES = (1.0, 2.0, 4.0)  # waits before the 2nd, 3rd and 4th tries
TIMEOUT = 5.0
QUEUE_MAX = 1000


def message(alert):
    """Return the one-paragraph text of an alert (what Slack and Discord show)."""
    parts = [f"[{alert.get('level', 'warn')}] {alert.get('title', 'alert')}"]
    if alert.get("text"):
        parts.append(str(alert["text"]))
    if alert.get("url"):
        parts.append(str(alert["url"]))
    return "\n".join(parts)


def body_for(url, alert):
    """Return the JSON body to post to `url`: Slack's, Discord's or the alert itself."""
    if "hooks.slack.com/" in url:
        return {"text": message(alert)}
    if "discord.com/api/webhooks" in url or "discordapp.com/api/webhooks" in url:
        return {"content": message(alert)[:2000]}
    return alert


class Webhook:
    """One URL: a bounded queue and the thread that empties it."""

    def __init__(self, url, quiet=600.0, timeout=TIMEOUT, retries=RETRIES):
        self.url = url
        self.quiet = quiet
        self.timeout = timeout
        self.retries = retries
        self.queue = queue.Queue(QUEUE_MAX)
        self._last_log = -float("inf")
        self._thread = threading.Thread(target=self._run, name="visdom-webhook", daemon=True)
        self._thread.start()

    def put(self, alert):
        try:
            self.queue.put_nowait(alert)
        except queue.Full:
            self._complain("queue full (the host is too slow); alert dropped")

    def _complain(self, problem):
        now = time.monotonic()
        if now - self._last_log >= self.quiet:
            self._last_log = now
            log.warning("alert webhook %s: %s (logged once per %gs)", self.url, problem, self.quiet)

    def _post(self, alert):
        data = json.dumps(body_for(self.url, alert)).encode("utf-8")
        request = urllib.request.Request(
            self.url, data=data, headers={"Content-Type": "application/json"}, method="POST"
        )
        with urllib.request.urlopen(request, timeout=self.timeout) as answer:
            answer.read()

    def _run(self):
        while True:
            alert = self.queue.get()
            if alert is None:
                return
            problem = None
            for wait in (0.0, *self.retries):
                if wait:
                    time.sleep(wait)
                try:
                    self._post(alert)
                    problem = None
                    break
                except (OSError, urllib.error.URLError, ValueError) as exc:
                    problem = str(exc) or type(exc).__name__
            if problem:
                self._complain(f"gave up after {len(self.retries) + 1} tries: {problem}")

    def stop(self):
        try:
            self.queue.put_nowait(None)
        except queue.Full:
            pass


class Delivery:
    """The server's webhooks, plus the extra URLs single rules name (made on first use)."""

    def __init__(self, urls, quiet=600.0):
        self.quiet = quiet
        self._lock = threading.Lock()
        self._hooks = {}
        self.urls = list(urls)
        for url in self.urls:
            self._hook(url)

    def _hook(self, url):
        with self._lock:
            hook = self._hooks.get(url)
            if hook is None:
                hook = self._hooks[url] = Webhook(url, self.quiet)
            return hook

    def send(self, alert, extra=None):
        """Queue `alert` for every server webhook and `extra` (a rule's own URL)."""
        for url in dict.fromkeys(self.urls + ([extra] if extra else [])):
            self._hook(url).put(alert)

    def stop(self):
        with self._lock:
            for hook in self._hooks.values():
                hook.stop()
