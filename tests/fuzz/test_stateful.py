"""Valid operations interleaved with junk (hypothesis stateful testing): junk that follows
valid windows (a /win_data write, then /close, /update, /env_state, compare, ...) never
gets a 5xx, and two restarts (one reading the journal of a live server, as after a crash,
one after a clean shutdown) reload every env listed with the same windows."""

import json
import shutil
import tempfile
from urllib.parse import quote

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import Bundle, RuleBasedStateMachine, rule, run_state_machine_as_test

from app import create_app
from app.extensions import socketio

from . import strategies as fz
from .helpers import (
    budget,
    check_healthy,
    check_response,
    check_restart_keeps,
    close_everything,
    describe,
    post,
    register_api_endpoints,
)
from .test_http import doors, matched_endpoint, request_for
from .test_sockets import check_ack, socket_events

ENVS = st.sampled_from(["main", "fuzz", "fuzz_b", "fuzz_c"])


class JunkAfterValid(RuleBasedStateMachine):
    """One server; valid windows, /win_data writes and junk, in any order."""

    windows = Bundle("windows")

    def __init__(self):
        super().__init__()
        self.tmp = tempfile.mkdtemp(prefix="visdom-fuzz-")
        self.app = self._app()
        register_api_endpoints(self.app)
        self.client = self.app.test_client()
        self.sio = socketio.test_client(self.app, flask_test_client=self.client)

    def _app(self):
        return create_app(
            {
                "TESTING": True,
                "ENV_PATH": self.tmp + "/envs",
                "INSTANCE_PATH": self.tmp + "/instance",
                "SAVE_INTERVAL": 3600,
            }
        )

    # -- valid operations -----------------------------------------------------------

    @rule(target=windows, eid=ENVS, win=fz.WIN, data=st.data())
    def create_window(self, eid, win, data):
        body = data.draw(fz.events_body(eid=eid, win=win))
        assert post(self.client, "/events", body).status_code == 200
        return eid, win

    @rule(window=windows, data=st.data())
    def update(self, window, data):
        eid, win = window
        post(self.client, "/update", data.draw(fz.update_body(eid=eid, win=win)))

    @rule(window=windows, data=st.data())
    def write_win_data(self, window, data):
        """Overwrite a window with a window object, whole or missing id/type/content."""
        eid, win = window
        obj = data.draw(fz.window_object() | fz.JUNK)
        raw = data.draw(st.booleans())
        post(
            self.client,
            "/win_data",
            {"eid": eid, "win": win, "data": obj if raw else json.dumps(obj)},
        )

    @rule(
        window=windows,
        data=st.data(),
        then=st.sampled_from(["close", "clear", "update", "read", "compare", "fork", "socket"]),
    )
    def write_win_data_then(self, window, data, then):
        """A /win_data write, at once followed by an operation on what it stored."""
        self.write_win_data(window, data)
        eid, win = window
        if then == "close":
            self.close(window)
        elif then == "clear":
            self.clear(eid)
        elif then == "update":
            self.update(window, data)
        elif then == "read":
            self.read_everything()
        elif then == "compare":
            self.compare([eid, "fuzz" if eid != "fuzz" else "main"])
        elif then == "fork":
            self.fork(eid, "fuzz_c")
        else:
            self.browser_acts_on(
                window, data.draw(st.sampled_from(["close_window", "layout_item_update"]))
            )

    @rule(eid=ENVS, objs=st.lists(fz.window_object(), max_size=3))
    def write_all_win_data(self, eid, objs):
        mapping = {obj.get("id", f"w{n}"): obj for n, obj in enumerate(objs)}
        post(self.client, "/win_data", {"eid": eid, "win": None, "data": json.dumps(mapping)})

    @rule(window=windows)
    def close(self, window):
        eid, win = window
        post(self.client, "/close", {"eid": eid, "win": win})

    @rule(eid=ENVS)
    def clear(self, eid):
        post(self.client, "/close", {"eid": eid, "win": None})

    @rule()
    def read_everything(self):
        check_healthy(self.client, tag="step")

    @rule(eids=st.lists(ENVS, min_size=1, max_size=3))
    def compare(self, eids):
        joined = "+".join(eids)
        post(self.client, "/compare/" + joined, {})
        response = self.client.get("/api/compare/" + joined)
        check_response(response, "envs.compare_json", f"GET /api/compare/{joined}")
        check_ack(self.sio.emit("join_env", {"eids": eids}, callback=True), f"join_env {eids}")
        self.sio.get_received()

    @rule(src=ENVS, dst=ENVS)
    def fork(self, src, dst):
        post(self.client, "/fork_env", {"prev_eid": src, "eid": dst})

    @rule(eid=ENVS)
    def delete(self, eid):
        post(self.client, "/delete_env", {"eid": eid})

    @rule(eids=st.lists(ENVS, max_size=2))
    def save(self, eids):
        post(self.client, "/save", {"data": eids})

    @rule(window=windows, event=st.sampled_from(["close_window", "layout_item_update"]))
    def browser_acts_on(self, window, event):
        eid, win = window
        payload = {"eid": eid, "win": win, "layout": {"x": 0, "y": 0, "w": 4, "h": 3}}
        check_ack(self.sio.emit(event, payload, callback=True), f"{event} {payload}")
        self.sio.get_received()

    # -- junk -----------------------------------------------------------------------

    @rule(window=windows, data=st.data())
    def junk_update(self, window, data):
        eid, win = window
        body = data.draw(fz.mutated(fz.update_body(eid=eid, win=win)))
        post(self.client, "/update", body)

    @rule(data=st.data())
    def junk_to_a_route(self, data):
        rule_, method = data.draw(st.sampled_from(doors(self.app)))
        if rule_.endpoint == "vis_socket.vis_socket":
            return
        path, body, content_type = data.draw(request_for(rule_, method))
        kwargs = (
            {"data": body}
            if isinstance(body, dict)
            else {"data": body, "content_type": content_type}
        )
        with self.client.open(path, method=method, **kwargs) as response:
            endpoint = matched_endpoint(self.app, path, method)
            check_response(response, endpoint, describe(method, path, body))

    @rule(data=st.data())
    def junk_to_a_socket_event(self, data):
        event = data.draw(st.sampled_from(socket_events()))
        value = data.draw(fz.payload(fz.SOCKET_PAYLOADS[event]))
        check_ack(self.sio.emit(event, value, callback=True), f"{event} {value!r:.200}")
        self.sio.get_received()

    # -- the end: healthy, and restarts keep everything ------------------------------

    def teardown(self):
        try:
            before = check_healthy(self.client, tag="end")
            # A second server on the same files while the first still runs: what it reads
            # is the snapshots plus the journals, as after a crash.
            crashed = self._app()
            try:
                check_restart_keeps(before, crashed.test_client())
            finally:
                crashed.extensions["visdom_store"].close()
            self.sio.disconnect()
            self.app.extensions["visdom_store"].close()
            self.app = self._app()
            client = self.app.test_client()
            check_restart_keeps(before, client)
            for eid in before:
                response = client.get("/api/env/" + quote(eid, safe=""))
                assert response.status_code == 200, eid
            close_everything(client)
        finally:
            self.app.extensions["visdom_store"].close()
            shutil.rmtree(self.tmp, ignore_errors=True)


def test_junk_after_valid_windows_never_breaks_the_server():
    run_state_machine_as_test(
        JunkAfterValid, settings=settings(max_examples=budget(80), stateful_step_count=25)
    )
