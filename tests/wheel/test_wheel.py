"""The wheel: built from the sdist, installed in a fresh venv, served and drawn offline.

`make dist` builds the same two files. Here they are built again into a temporary folder
(the sdist first, then the wheel from the sdist alone: what `pip install <sdist>` does on a
machine with no Node.js), the wheel is installed with pip into a new venv outside the
checkout (its dependencies from the package index pip is configured for), and `visdom`
runs from that venv in a temporary working directory without PYTHONPATH, so nothing can
come from the checkout or node_modules. Chromium then opens an env page and may reach
nothing but that server.
"""

import importlib.util
import json
import os
import subprocess
import sys
import tarfile
import tomllib
import zipfile
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.support.server import ROOT, ServerProcess, free_port
from tests.support.ui import UI, VIEWPORT

VERSION = tomllib.loads(Path(ROOT, "pyproject.toml").read_text(encoding="utf-8"))["project"][
    "version"
]


def vendored_names():
    """The files `make setup` writes into app/static/vendor (scripts/vendor.py's list)."""
    spec = importlib.util.spec_from_file_location("vendor", os.path.join(ROOT, "scripts/vendor.py"))
    vendor = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(vendor)
    return vendor.NAMES


def compressed_names():
    """The .br/.gz copies and their manifest that `make setup` writes (scripts/compress.py)."""
    with open(os.path.join(ROOT, "app", "static", "compressed.json"), encoding="utf-8") as f:
        sources = json.load(f)
    return ["compressed.json"] + [f"{rel}{suffix}" for rel in sources for suffix in (".br", ".gz")]


def outside_env():
    """This environment without anything that could lead an import back to the checkout."""
    drop = ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")
    env = {k: v for k, v in os.environ.items() if k not in drop and not k.startswith("VISDOM_")}
    return dict(env, PYTHONUNBUFFERED="1", PYTHONNOUSERSITE="1")


@pytest.fixture(scope="module")
def dist(tmp_path_factory):
    """Build the sdist, then the wheel from it; return (sdist, wheel) paths."""
    out = tmp_path_factory.mktemp("dist")
    cmd = [sys.executable, "-m", "build", "--no-isolation", "--outdir", str(out), ROOT]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    sdist = out / f"visdom_flask-{VERSION}.tar.gz"
    wheel = out / f"visdom_flask-{VERSION}-py3-none-any.whl"
    assert sdist.is_file() and wheel.is_file(), sorted(os.listdir(out))
    return sdist, wheel


@pytest.fixture(scope="module")
def venv(dist, tmp_path_factory):
    """A new venv with the wheel and its declared dependencies; return (root, work dir)."""
    home = tmp_path_factory.mktemp("wheel-venv")
    assert not str(home).startswith(ROOT)
    root, work = home / "venv", home / "work"
    work.mkdir()
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(root)], check=True)
    # This venv's pip installs into the new one (--python): quicker than ensurepip there.
    # --no-compile: no .pyc for every dependency up front (plotly alone has thousands).
    pip = [sys.executable, "-m", "pip", "--python", str(root / "bin" / "python"), "install"]
    pip += ["--quiet", "--no-compile", str(dist[1])]
    done = subprocess.run(pip, cwd=work, env=outside_env(), capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-3000:]
    return root, work


def run_in_venv(venv, code, *args):
    root, work = venv
    cmd = [str(root / "bin" / "python"), "-c", code, *args]
    done = subprocess.run(cmd, cwd=work, env=outside_env(), capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout.split()


def test_the_sdist_and_the_wheel_carry_the_browser_assets(dist):
    sdist, wheel = dist
    names = vendored_names()
    with tarfile.open(sdist) as tar:
        in_sdist = {m.name.partition("/")[2] for m in tar.getmembers()}
    with zipfile.ZipFile(wheel) as z:
        in_wheel = set(z.namelist())
        entry_points = z.read(f"visdom_flask-{VERSION}.dist-info/entry_points.txt").decode()
    for files in (in_sdist, in_wheel):
        assert {f"app/static/vendor/{n}" for n in names} <= files
        # The precompressed copies travel too: the installed server sends them as they are.
        assert {f"app/static/{n}" for n in compressed_names()} <= files
        for page in ("env", "window", "login", "runs", "export"):
            assert f"app/templates/{page}.html" in files
        assert {"app/static/js/pages/env.js", "app/static/css/visdom.css"} <= files
        assert not [f for f in files if "node_modules" in f or f.startswith("tests/")]
    assert "visdom = app.__main__:main" in entry_points


def test_the_installed_package_stands_alone(venv):
    """app and visdom_client import from the venv, report one version and hold the assets."""
    root, _ = venv
    code = (
        "import sys, app, visdom_client, app.version;"
        "print(app.__file__, visdom_client.__file__, app.version.__version__,"
        " visdom_client.__version__)"
    )
    app_file, client_file, server_version, client_version = run_in_venv(venv, code)
    site = str(root / "lib")
    assert app_file.startswith(site) and client_file.startswith(site), (app_file, client_file)
    assert server_version == client_version == VERSION
    cli = subprocess.run(
        [str(root / "bin" / "visdom"), "--version"], capture_output=True, text=True, check=True
    )
    assert cli.stdout.strip() == f"visdom {VERSION}"
    installed = Path(app_file).parent
    for name in vendored_names():
        assert (installed / "static" / "vendor" / name).stat().st_size > 0, name
    for name in compressed_names():
        assert (installed / "static" / name).stat().st_size > 0, name
    mentions = [
        str(path)
        for folder in (installed, Path(client_file).parent)
        for path in folder.rglob("*")
        if path.is_file() and b"node_modules" in path.read_bytes()
    ]
    assert mentions == [], f"installed files that refer to node_modules: {mentions}"


@pytest.fixture(scope="module")
def served(venv):
    """The venv's `visdom` script, started in the venv's work dir with no path to the checkout."""
    root, work = venv
    envs = work / "envs"
    envs.mkdir(exist_ok=True)
    port = free_port()
    cmd = [str(root / "bin" / "visdom"), "-port", str(port), "-env_path", str(envs)]
    cmd += ["-hostname", "127.0.0.1", "-logging_level", "WARNING"]
    server = ServerProcess(str(envs), command=cmd, port=port, cwd=work, environ=outside_env())
    yield server.start(timeout=60)
    server.stop()


CLIENT = """
import sys
import numpy as np
from visdom_client import Visdom

vis = Visdom(
    "http://127.0.0.1", port=int(sys.argv[1]), env="wheel", use_incoming_socket=False,
    raise_exceptions=True,
)
image = np.zeros((3, 24, 32))
image[0] = 1.0
print(vis.image(image, win="I", opts={"title": "img"}))
"""


def test_an_env_page_draws_with_no_request_leaving_the_machine(served, venv, browser):
    ui = None
    origin = f"127.0.0.1:{served.port}"
    elsewhere, sockets = [], []

    def only_this_server(route):
        url = route.request.url
        if urlsplit(url).scheme in ("data", "blob") or urlsplit(url).netloc == origin:
            route.continue_()
        else:
            elsewhere.append(url)
            route.abort()

    context = browser.new_context(viewport=VIEWPORT)
    try:
        context.route("**/*", only_this_server)
        page = context.new_page()
        page.set_default_timeout(15000)
        page.on("websocket", lambda ws: sockets.append(ws.url))
        ui = UI(page, served)
        ui.line("wheel", "L", [0, 1, 2, 3], [3.0, 1.0, 2.0, 0.5], title="loss")
        # The image comes from the installed client (the same wheel), over HTTP.
        assert run_in_venv(venv, CLIENT, str(served.port)) == ["I"]
        ui.open("/env/wheel")
        ui.wait(
            "() => document.querySelector('[data-win=L] .js-plotly-plot')?.data?.[0]?.y?.length"
            " === 4 && !!document.querySelector('[data-win=L] .js-plotly-plot path.js-line')",
            timeout=20,
        )
        ui.wait("() => document.querySelector('[data-win=I] img')?.naturalWidth === 32")
    finally:
        context.close()
    assert not ui.errors, f"JavaScript errors on the page: {ui.errors}"
    assert not elsewhere, f"requests that left 127.0.0.1:{served.port}: {elsewhere}"
    assert sockets and all(urlsplit(u).netloc == origin for u in sockets), sockets
