"""Callbacks: a python-socketio client subscribed to envs, dispatching events to handlers."""

import logging
import queue
import threading

import socketio

logger = logging.getLogger("visdom_client")


class EventListener:
    """Receive browser events for subscribed envs and call the handlers of their target.

    Handlers run one at a time, in arrival order, on a dedicated thread; a handler that
    raises is logged and the others keep running. Reconnects (e.g. after a server restart)
    re-subscribe every env.
    """

    def __init__(self, url, socketio_path, headers=None, token=None, polling=False):
        self.url = url
        self.socketio_path = socketio_path.strip("/")
        self._headers = headers or (lambda: {})
        self._token = token
        self._polling = polling
        self._handlers = {}  # (eid, target) -> [handler, ...]
        self._lock = threading.Lock()
        self._events = queue.Queue()
        self._sio = None
        self._dispatcher = None
        self.connected = threading.Event()
        self.subscribed = set()

    # public API ---------------------------------------------------------------------------

    def add(self, eid, target, handler):
        """Register handler for events of window `target` in env `eid`; connect if needed."""
        with self._lock:
            new_env = eid not in self._envs()
            self._handlers.setdefault((eid, target), []).append(handler)
        self._ensure_started()
        if new_env and self.connected.is_set():
            self._subscribe(eid)

    def start(self):
        """Connect the socket (if not yet connected) without subscribing to anything."""
        self._ensure_started()

    def clear(self, target, eid=None):
        """Remove the handlers of `target` (in `eid`, or in every env when eid is None)."""
        with self._lock:
            for key in list(self._handlers):
                if key[1] == target and (eid is None or key[0] == eid):
                    del self._handlers[key]

    def handlers_for(self, eid, target):
        """Return a copy of the handlers registered for (eid, target)."""
        with self._lock:
            return list(self._handlers.get((eid, target), ()))

    def wait_connected(self, timeout):
        """Block until the socket is connected and subscribed; return True on success."""
        return self.connected.wait(timeout)

    def close(self):
        """Disconnect and stop the dispatcher thread."""
        sio, self._sio = self._sio, None
        if sio is not None:
            try:
                sio.disconnect()
            except Exception:  # noqa: BLE001 - best effort on shutdown
                logger.debug("socket disconnect failed", exc_info=True)
        if self._dispatcher is not None:
            self._events.put(None)
            self._dispatcher.join(timeout=5)
            self._dispatcher = None
        self.connected.clear()

    # internals ----------------------------------------------------------------------------

    def _envs(self):
        return {eid for eid, _ in self._handlers}

    def _ensure_started(self):
        if self._sio is not None:
            return
        self._dispatcher = threading.Thread(
            target=self._dispatch_loop, name="visdom-events", daemon=True
        )
        self._dispatcher.start()
        sio = socketio.Client(
            reconnection=True,
            reconnection_delay=0.2,
            reconnection_delay_max=2,
            randomization_factor=0.2,
        )
        sio.on("connect", self._on_connect)
        sio.on("disconnect", self._on_disconnect)
        sio.on("event", self._on_event)
        self._sio = sio
        threading.Thread(target=self._connect, name="visdom-connect", daemon=True).start()

    def _connect(self):
        sio = self._sio
        if sio is None:
            return
        try:
            sio.connect(
                self.url,
                headers=self._headers,
                auth={"token": self._token} if self._token else None,
                transports=["polling"] if self._polling else None,
                socketio_path=self.socketio_path,
                wait_timeout=10,
                retry=True,
            )
        except Exception as exc:  # noqa: BLE001 - reported, the client keeps working
            logger.warning("visdom: cannot connect the event socket to %s: %s", self.url, exc)

    def _subscribe(self, eid):
        sio = self._sio
        if sio is None:
            return
        try:
            # A call (not an emit) so that the subscription is acknowledged before we
            # report being connected.
            sio.call("subscribe_events", {"eid": eid}, timeout=10)
            self.subscribed.add(eid)
        except Exception as exc:  # noqa: BLE001 - a reconnect will retry
            logger.warning("visdom: subscribing to events of %r failed: %s", eid, exc)

    def _on_connect(self):
        threading.Thread(target=self._resubscribe, name="visdom-subscribe", daemon=True).start()

    def _resubscribe(self):
        self.subscribed = set()
        with self._lock:
            envs = sorted(self._envs())
        for eid in envs:
            self._subscribe(eid)
        self.connected.set()
        logger.info("visdom: event socket connected, subscribed to %s", envs)

    def _on_disconnect(self, *args):
        self.connected.clear()
        logger.info("visdom: event socket disconnected")

    def _on_event(self, event):
        self._events.put(event)

    def _dispatch_loop(self):
        while True:
            event = self._events.get()
            if event is None:
                return
            self.dispatch(event)

    def dispatch(self, event):
        """Call every handler registered for the event's env and target."""
        if not isinstance(event, dict) or "target" not in event:
            return
        for handler in self.handlers_for(event.get("eid"), event["target"]):
            try:
                handler(event)
            except Exception:
                logger.exception("visdom: event handler %r failed on %s", handler, event)
