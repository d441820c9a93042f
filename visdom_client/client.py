"""The Visdom class: upstream's constructor and env/window methods over one transport."""

import atexit
import json
import logging
import time
import warnings
import weakref
from urllib.parse import urlparse, urlunparse

from . import liveness
from .alerts import AlertMixin
from .analysis import AnalysisMixin
from .errors import ServerError, VisdomError, bad_type, bad_value
from .events import EventListener
from .experiments import ExperimentMixin
from .media import MediaMixin
from .names import new_window_id, normalise_base_url, sanitise_env, server_address
from .notebook import NotebookMixin
from .plots import PlotMixin
from .sender import BackgroundSender
from .system import SystemSampler
from .transport import (
    OfflineLog,
    Transport,
    encode,
    hash_password,
    read_log,
    ssl_verify_option,
)

logger = logging.getLogger("visdom_client")

# Requests whose answer nobody waits for: queued in non-blocking mode.
QUEUED_ENDPOINTS = ("events", "update", "close")


class Visdom(PlotMixin, AnalysisMixin, MediaMixin, ExperimentMixin, AlertMixin, NotebookMixin):
    """A drop-in replacement for upstream `visdom.Visdom` (0.2.4 and 0.3.0).

    `ssl_verify`: None verifies https certificates, False does not, a string is a CA bundle
    path (https only). The HTTP session is closed after `session_idle_timeout` seconds
    without a request (checked every `session_idle_check_interval` seconds) and reopened,
    logging in again, by the next one.

    `server`, `port`, `base_url`: when not given, from VISDOM_SERVER, VISDOM_PORT,
    VISDOM_BASE_URL or VISDOM_URL (names.server_address), else upstream's defaults
    (http://localhost, 8097, "/").

    Extra keyword arguments: `nonblocking=True` sends from a background thread and merges
    consecutive appends to a trace; `token` authenticates the event socket; `timeout` is
    the HTTP timeout in seconds; `system_metrics=True` starts `self.system_metrics()` (CPU,
    memory, disk, network and GPU windows under `system/`, sampled every 2 s).
    """

    def __init__(
        self,
        server=None,
        endpoint="events",
        port=None,
        base_url=None,
        ipv6=True,
        http_proxy_host=None,
        http_proxy_port=None,
        env="main",
        send=True,
        raise_exceptions=None,
        use_incoming_socket=True,
        log_to_filename=None,
        username=None,
        password=None,
        proxies=None,
        offline=False,
        use_polling=False,
        session_idle_timeout=600,
        session_idle_check_interval=60,
        ssl_verify=None,
        *,
        nonblocking=False,
        token=None,
        timeout=60.0,
        system_metrics=False,
    ):
        server, port, base_url = server_address(server, port, base_url)
        parsed = urlparse(server)
        if not parsed.scheme:
            parsed = urlparse(f"http://{server}")
        verify = ssl_verify_option(ssl_verify, parsed.scheme)
        self.server_base_name = parsed.netloc
        self.server = urlunparse((parsed.scheme, parsed.netloc, "", "", "", ""))
        self.endpoint = endpoint
        self.port = port
        self.base_url = normalise_base_url(base_url)
        self.ipv6 = ipv6
        if not isinstance(env, str):
            raise bad_type("env", "a string", env)
        self.env = sanitise_env(env)
        self.env_list = {self.env}
        self.ssl_verify = verify
        self.session_idle_timeout = session_idle_timeout
        self.session_idle_check_interval = session_idle_check_interval
        self.send = send
        self.raise_exceptions = True if raise_exceptions is None else bool(raise_exceptions)
        self.use_socket = bool(use_incoming_socket or use_polling) and not offline
        self.use_polling = use_polling
        self.log_to_filename = log_to_filename
        self.offline = offline
        self.proxies = proxies
        self.nonblocking = nonblocking
        self.token = token
        self.win_data = {}
        self._drawn = set()  # (eid, win) of windows this client created or appended to
        self.http_proxy_host = self.http_proxy_port = None
        if proxies and "http" in proxies:
            self.http_proxy_host, _, self.http_proxy_port = proxies["http"].rpartition(":")
        if http_proxy_host is not None or http_proxy_port is not None:
            warnings.warn(
                "http_proxy_host/http_proxy_port are deprecated; use proxies={'http': ...}",
                DeprecationWarning,
                stacklevel=2,
            )
            self.http_proxy_host, self.http_proxy_port = http_proxy_host, http_proxy_port
        self.username = username
        if username and not password:
            raise bad_value("password", "a password when username is given", "none")
        self.password = hash_password(password) if username else None
        self._log = OfflineLog(log_to_filename) if log_to_filename else None
        self._events = None
        self._sender = None
        self._closed = False
        self._socket_checked = False
        self._heartbeat = None
        self._samplers = []
        if offline:
            if log_to_filename is None:
                raise bad_value("log_to_filename", "a file path when offline=True", "None")
            self._transport = None
            if system_metrics:  # the samples go to the log, for replay_log
                self.system_metrics()
            return
        root = f"{self.server}:{self.port}{self.base_url}"
        self._transport = Transport(
            root,
            proxies,
            username,
            self.password,
            self.raise_exceptions,
            timeout,
            verify,
            session_idle_timeout,
            session_idle_check_interval,
        )
        if token:
            self._transport.headers["Authorization"] = f"Bearer {token}"
        if username:
            self._transport.login()
        if nonblocking:
            self._sender = BackgroundSender(self._post_strict)
            atexit.register(_shutdown_at_exit, weakref.ref(self))
        # The first request names the env as given; the server escapes it.
        if send and self._send({"eid": env}, endpoint="env/" + env) is False:
            logger.warning("visdom: could not connect to the server at %s", root)
        if system_metrics:
            self.system_metrics()

    # context manager and shutdown -----------------------------------------------------------

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.shutdown(status="failed" if exc_info[0] is not None else None)
        return False

    @property
    def session(self):
        """Return the requests.Session used for every request (None when offline)."""
        return None if self._transport is None else self._transport.session

    def flush(self, timeout=None):
        """Wait until queued requests (non-blocking mode) are sent; return True if all were."""
        if self._sender is None:
            return True
        done = self._sender.flush(timeout)
        error = self._sender.take_error()
        if error is not None and self.raise_exceptions:
            raise error
        return done

    def shutdown(self, timeout=10.0, status=None):
        """Send what is queued, end the runs kept alive (`status`: "finished" unless an
        uncaught exception is on its way, then "failed"), close the socket and the session."""
        if self._closed:
            return
        for sampler in self._samplers:
            sampler.stop()
        self._closed = True
        if self._sender is not None:
            self._sender.stop(timeout)
        if self._heartbeat is not None:
            self._heartbeat.end(status or liveness.exit_status())
        if self._events is not None:
            self._events.close()
        if self._transport is not None:
            self._transport.close()

    # run liveness (liveness.py) ------------------------------------------------------------

    def keep_alive(self, env=None):
        """Keep the run of `env` "running" while this process lives (a heartbeat thread);
        at exit it is marked "finished", or "failed" after an uncaught exception.

        vis.experiment() and vis.log_metrics() call it; call it yourself for a run that
        only plots. The server makes the env's experiment record if there is none.
        """
        if self._transport is None or not self.send or self._closed:
            return
        if self._heartbeat is None:
            self._heartbeat = liveness.Heartbeat(self._post_heartbeat)
        self._heartbeat.start(sanitise_env(self.env if env is None else env))

    # system metrics (system/) ---------------------------------------------------------------

    def system_metrics(self, interval=2.0, env=None):
        """Start sampling CPU, memory, disk, network and NVIDIA GPU figures every `interval`
        seconds into windows titled `system/...` of `env` (default: this client's env); return
        the SystemSampler (`.stop()` ends it; so do shutdown() and the process's exit)."""
        sampler = SystemSampler(self, env=env, interval=interval)
        self._samplers.append(sampler)
        return sampler

    def _forget_run(self, eid):
        if self._heartbeat is not None:
            self._heartbeat.forget(eid)

    def _post_heartbeat(self, body, timeout):
        transport = self._transport
        response = transport.session.post(
            transport.url("api/heartbeat"),
            data=encode(body),
            headers={"Content-Type": "application/json"},
            timeout=timeout,
        )
        response.raise_for_status()
        return response.text

    # sending --------------------------------------------------------------------------------

    def _post_strict(self, endpoint, body):
        return self._transport._post(endpoint, encode(body))

    def _request(self, request):
        """Send a builders.Request."""
        if request.merge_key is not None and self._sender is not None and self.send:
            return self._enqueue_point(request)
        return self._send(request.body, endpoint=request.endpoint)

    def _enqueue_point(self, request):
        """Queue a one-point append: _send's work, trimmed for the training-loop hot path."""
        body = request.body
        if body["eid"] is None:
            body["eid"] = self.env
        eid = body["eid"]
        self.env_list.add(eid)
        self._drawn.add((eid, body["win"]))
        if self._log is not None:
            self._log.write(request.endpoint, body)
        if self._closed:
            raise VisdomError("this Visdom client was shut down")
        self._sender.submit(request.endpoint, body, request.merge_key)
        return body["win"]

    def _send(self, msg, endpoint="events", quiet=False, from_log=False, create=True):
        """Send a raw message to an endpoint (e.g. plotly traces); return the server's text.

        Fills `eid` with the default env and, when `create` is true, a `win` key that is None
        with a new window id. Offline, or in non-blocking mode for window requests, returns
        the window id (or True) without waiting.
        """
        if msg.get("eid") is None:
            msg["eid"] = self.env
        self.env_list.add(msg["eid"])
        if not self.send:
            return msg, endpoint
        if "win" in msg and msg["win"] is None and create:
            msg["win"] = new_window_id()
        self._remember(endpoint, msg)
        if self._log is not None and not from_log:
            self._log.write(endpoint, msg)
        if self.offline:
            return msg["win"] if "win" in msg else True
        if self._closed:
            raise VisdomError("this Visdom client was shut down")
        if self._sender is not None:
            if endpoint in QUEUED_ENDPOINTS:
                self._sender.submit(endpoint, msg)
                return msg.get("win", True)
            self.flush()
        return self._transport.post(endpoint, msg, quiet=quiet)

    def _remember(self, endpoint, msg):
        eid, win = msg.get("eid"), msg.get("win")
        if endpoint in ("events", "update") and win is not None and not msg.get("delete"):
            self._drawn.add((eid, win))
        elif endpoint == "close":
            self._drawn = {k for k in self._drawn if k[0] != eid or win not in (None, k[1])}
        elif endpoint == "delete_env":
            self._drawn = {k for k in self._drawn if k[0] != eid}

    def _is_drawn(self, win, env):
        return (self.env if env is None else env, win) in self._drawn

    # envs and windows -----------------------------------------------------------------------

    def save(self, envs):
        """Ask the server to write the given envs to disk; return the JSON list it wrote."""
        if not isinstance(envs, list) or not all(isinstance(e, str) for e in envs):
            raise bad_type("envs", "a list of env names", envs)
        return self._send({"data": envs}, "save")

    def fork_env(self, prev_eid, eid):
        """Copy env `prev_eid` to a new env `eid`."""
        for argument, value in (("prev_eid", prev_eid), ("eid", eid)):
            if not isinstance(value, str):
                raise bad_type(argument, "an env name (str)", value)
        return self._send({"prev_eid": prev_eid, "eid": eid}, endpoint="fork_env")

    def get_window_data(self, win=None, env=None):
        """Return the JSON text of a window (or of every window of the env when win is None)."""
        return self._send({"win": win, "eid": env}, endpoint="win_data", create=False)

    def set_window_data(self, data, win=None, env=None):
        """Overwrite a window (or all windows of the env) with JSON text from get_window_data."""
        body = {"win": win, "eid": env, "data": data}
        return self._send(body, endpoint="win_data", create=False)

    def close(self, win=None, env=None):
        """Close window `win`, or every window of the env when win is None."""
        return self._send({"win": win, "eid": env}, endpoint="close", create=False)

    def delete_env(self, env):
        """Delete an env and its saved file."""
        return self._send({"eid": env}, endpoint="delete_env")

    def delete_envs(self, env_list):
        """Delete several envs, one request each; return the list of the server's answers."""
        if not isinstance(env_list, list):
            raise bad_type("env_list", "a list of env names", env_list)
        for i, env in enumerate(env_list):
            if not isinstance(env, str):
                raise bad_type(f"env_list[{i}]", "an env name (str)", env)
        return [self.delete_env(env) for env in env_list]

    def get_env_state(self, env):
        """Return the {win_id: window} map of env `env`, or None if it does not exist.

        Sent as POST /win_data {"win": null, "eid": env}, which this server and upstream's
        (0.2.4 and 0.3.0) all answer with the window map. Upstream 0.3.0's own client posts
        {"eid": env} to /env_state instead, a request identical to its get_env_list().
        """
        if not isinstance(env, str):
            raise bad_type("env", "an env name (str)", env)
        if self.offline:
            return None
        try:
            body = {"win": None, "eid": env}
            answer = self._send(body, endpoint="win_data", quiet=True, create=False)
        except ServerError as exc:
            if exc.status_code == 404:
                return None
            raise
        if not isinstance(answer, str):
            return None if answer is False else answer
        state = json.loads(answer) if answer else None
        if not isinstance(state, dict) or "error" in state:
            return None
        return state

    def win_exists(self, win, env=None):
        """Return True/False whether the window exists, or None if the server is unreachable."""
        if win is None:
            raise bad_value("win", "a window id", "None")
        try:
            answer = self._send({"win": win, "eid": env}, endpoint="win_exists", quiet=True)
        except VisdomError as exc:
            logger.warning("visdom: win_exists failed: %s", exc)
            return None
        return {"true": True, "false": False}.get(answer)

    def get_env_list(self):
        """Return the names of the envs on the server (offline: the envs this client used)."""
        if self.offline:
            return list(self.env_list)
        answer = self._send({}, endpoint="env_state", quiet=True)
        return json.loads(answer) if answer else []

    def win_hash(self, win, env=None):
        """Return the md5 of a window's content, or None if it does not exist."""
        if win is None:
            raise bad_value("win", "a window id", "None")
        try:
            answer = self._send({"win": win, "env": env, "eid": env}, endpoint="win_hash")
        except VisdomError as exc:
            logger.warning("visdom: win_hash failed: %s", exc)
            return None
        if isinstance(answer, str) and len(answer) == 32:
            return answer
        return None

    def check_connection(self, timeout_seconds=0):
        """Return True if the server answers, retrying for up to timeout_seconds."""
        deadline = time.monotonic() + timeout_seconds
        while True:
            if self.offline:
                return False
            if self.win_exists("") is not None:
                return True
            if time.monotonic() >= deadline:
                return False
            time.sleep(0.1)

    def replay_log(self, log_filename, env=None):
        """Re-send every request of a log file (into `env` instead of the logged envs if given)."""
        count = 0
        for endpoint, msg in read_log(log_filename):
            if env is not None:
                msg["eid"] = env
            self._send(msg, endpoint, from_log=True)
            count += 1
        return count

    # events ---------------------------------------------------------------------------------

    @property
    def socket_alive(self):
        """Return True while the event socket is connected (connecting it on first use).

        The first read waits up to 5 seconds for the connection, as upstream's constructor
        does; later reads answer at once.
        """
        if not self.use_socket or self._transport is None or not self.send or self._closed:
            return False
        listener = self._event_listener()
        listener.start()
        wait = 0 if self._socket_checked else 5.0
        self._socket_checked = True
        return listener.wait_connected(wait)

    def register_event_handler(self, handler, target, env=None):
        """Call handler(event) for every browser event on window `target`.

        The env is `env`, else the env this client drew `target` in, else the default env.
        """
        if not callable(handler):
            raise bad_type("handler", "a callable taking the event dict", handler)
        if not self.use_socket:
            raise VisdomError(
                "event handlers need the event socket: create Visdom with "
                "use_incoming_socket=True (the default) and offline=False"
            )
        eid = env if env is not None else self._env_of(target)
        listener = self._event_listener()
        listener.add(eid, target, handler)
        if not listener.wait_connected(5.0):
            logger.warning("visdom: event socket not connected yet; events will arrive later")

    def clear_event_handlers(self, target, env=None):
        """Remove every handler of window `target` (in `env` only, if given)."""
        if self._events is not None:
            self._events.clear(target, env)

    def _env_of(self, target):
        envs = [eid for eid, win in self._drawn if win == target]
        return self.env if not envs or self.env in envs else envs[0]

    def _event_listener(self):
        if self._events is None:
            transport = self._transport

            def headers():
                cookie = transport.cookie_header()
                return {"Cookie": cookie} if cookie else {}

            self._events = EventListener(
                f"{self.server}:{self.port}",
                f"{self.base_url}/socket.io",
                headers=headers,
                token=self.token,
                polling=self.use_polling,
            )
        return self._events


def _shutdown_at_exit(ref):
    client = ref()
    if client is not None:
        client.shutdown()
