"""Test support: the one place for what the test folders, bench/ and scripts/ share.

Plain helpers (no fixtures, no pytest needed to import them) that bench/*.py and
scripts/*.py import too: they put the repository root on sys.path, as pytest does
(pyproject: `pythonpath = ["."]`), so `tests.support` resolves from there.

server.py       ServerProcess, the one way to start a server process: `python -m app` on a
                free port (or any other command: gunicorn, flask, the wheel's `visdom`,
                upstream's server) with an env path (a temporary one by default), env files
                written first, extra flags and variables, base_url, HTTPS; start, stop,
                kill, restart, close. Also ROOT, free_port, login_env and FAST_HASH.
waiting.py      wait_for (alias poll): call a predicate until it is truthy, or fail naming
                what was awaited.
chromium.py     Debian's Chromium for Playwright: CHROMIUM, CHROMIUM_ARGS, require_chromium
                (skip, or fail under VISDOM_REQUIRE_BROWSER=1) and launch_chromium.
upstream.py     The real upstream clients: upstream_python("0.2.4" | "0.3.0") finds their
                venvs ($VISDOM_UPSTREAM_PYTHON / $VISDOM_UPSTREAM3_PYTHON or .venv-upstream /
                .venv-upstream3) and skips or fails as the suite requires; PRELUDE,
                run_script and Upstream run client scripts against a server.
redis.py        Real redis-server processes on free ports: one server or a three-node
                Redis Cluster (tests/contract, tests/serve).
ui.py           UI: a Playwright page of the env UI plus the server as a training script
                sees it; VIEWPORT; stored_window, text_window, png_data_url for env files.
app_fixtures.py The in-process app fixtures (app, client, store, post, plot and the autouse
                no_developer_settings), imported by the conftests of tests/api,
                tests/socket and tests/fuzz: defined once, in scope only where imported.

The fixtures every folder uses (env_path, make_app, clean_environ, server_factory,
live_server, login_server, browser) are defined once, in tests/conftest.py; a folder's
conftest holds only what that folder alone uses (browser: server, ui, subscribe,
browser_context; client: shared_server, vis, eid, browser_factory; compat: compat_server,
upstream; contract: the backends; cluster: cluster_factory). tests/unit is split into
unit/server (app.*) and unit/client (visdom_client.*); unit/test_layers.py checks both.
"""
