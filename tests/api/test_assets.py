"""Static files: hashed URLs cached immutable, precompressed copies by Accept-Encoding, JSON gzip."""

import gzip
import importlib.util
import json
import re
from pathlib import Path

import brotli
import pytest

from app.assets import IMMUTABLE, StaticFiles

ROOT = Path(__file__).resolve().parents[2]
STATIC = ROOT / "app" / "static"


def load_script(name):
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def load_compress():
    return load_script("compress")


@pytest.fixture
def build(app):
    with app.app_context():
        from app.assets import static_files

        return static_files().build


@pytest.fixture
def unbundled(app):
    """The app as a developer sees it after editing a module without `make setup`: no
    bundle is fresh, so the pages load their modules one by one."""
    with app.app_context():
        from app.assets import static_files

        files = static_files()
        kept, files.bundles = files.bundles, {}
        yield
        files.bundles = kept


def get(client, url, **kwargs):
    """GET and read the whole answer, its file closed (send_file answers hold one open)."""
    resp = client.get(url, **kwargs)
    resp.get_data()
    resp.close()
    return resp


def asset_urls(html):
    return re.findall(r'(?:src|href)="(/static/[^"]+)"', html)


def test_pages_link_hashed_urls_that_are_cached_for_a_year(client, build):
    page = get(client, "/env/main")
    assert page.status_code == 200
    # The page itself changes with the envs: never cached as immutable.
    assert "immutable" not in page.headers.get("Cache-Control", "")
    urls = asset_urls(page.get_data(as_text=True))
    assert any(u.endswith("/js/bundle/env.js") for u in urls)
    assert urls and all(u.startswith(f"/static/{build}/") for u in urls), urls
    for url in urls:
        resp = get(client, url, headers={"Accept-Encoding": "identity"})
        assert resp.status_code == 200, url
        assert resp.headers["Cache-Control"] == IMMUTABLE
        name = url.split(f"/static/{build}/", 1)[1]
        assert resp.get_data() == (STATIC / name).read_bytes()


def test_relative_imports_resolve_under_the_same_prefix(client, build):
    """The ES modules import each other relatively: every module is versioned too."""
    env_js = get(client, f"/static/{build}/js/pages/env.js").get_data(as_text=True)
    imports = re.findall(r"from '(\.[^']+)'", env_js)
    assert imports
    for rel in imports:
        target = (STATIC / "js" / "pages" / rel).resolve().relative_to(STATIC).as_posix()
        resp = get(client, f"/static/{build}/{target}")
        assert resp.status_code == 200, target
        assert resp.headers["Cache-Control"] == IMMUTABLE
    # The plotly bundles the page loads lazily sit under the same prefix.
    for name in (
        "vendor/plotly-basic.min.js",
        "vendor/plotly-cartesian.min.js",
        "vendor/plotly.min.js",
    ):
        assert get(client, f"/static/{build}/{name}").status_code == 200


def test_plain_and_old_build_urls_still_answer_but_are_revalidated(client, build):
    plain = get(client, "/static/js/pages/env.js")
    assert plain.status_code == 200 and plain.headers["Cache-Control"] == "no-cache"
    old = get(client, "/static/0123456789ab/js/pages/env.js")
    assert old.status_code == 200 and old.headers["Cache-Control"] == "no-cache"
    assert old.headers["ETag"] == plain.headers["ETag"]
    assert get(client, f"/static/{build}/js/nothing-here.js").status_code == 404
    assert get(client, f"/static/{build}/../__init__.py").status_code == 404
    assert get(client, f"/static/{build}/compressed.json").status_code == 404
    assert get(client, f"/static/{build}/js/pages/env.js.br").status_code == 404


NEGOTIATION = [
    ("br, gzip, deflate", "br"),
    ("gzip, deflate, br, zstd", "br"),
    ("gzip", "gzip"),
    ("gzip;q=1.0, br;q=0.5", "gzip"),
    ("br;q=0, gzip", "gzip"),
    ("br;q=0, gzip;q=0", "identity"),
    ("deflate", "identity"),
    ("", "identity"),
    (None, "identity"),
    ("*", "br"),
    ("*;q=0, gzip", "gzip"),
    ("identity;q=0, br", "br"),
    ("identity, gzip;q=0.5", "identity"),
]


@pytest.mark.parametrize(("accept", "coding"), NEGOTIATION)
def test_the_encoding_follows_accept_encoding(client, build, accept, coding):
    name = "js/pages/env.js"
    headers = {} if accept is None else {"Accept-Encoding": accept}
    resp = get(client, f"/static/{build}/{name}", headers=headers)
    assert resp.status_code == 200
    body = resp.get_data()
    suffix = {"br": ".br", "gzip": ".gz", "identity": ""}[coding]
    sent = (STATIC / (name + suffix)).read_bytes()
    assert body == sent
    assert int(resp.headers["Content-Length"]) == len(sent)
    assert resp.headers.get("Content-Encoding", "identity") == coding
    assert "Accept-Encoding" in resp.headers["Vary"]
    assert resp.headers["ETag"].endswith(f'-{coding}"')
    assert resp.headers["Content-Type"].startswith("text/javascript")
    original = (STATIC / name).read_bytes()
    decoded = {"br": brotli.decompress, "gzip": gzip.decompress}.get(coding, bytes)(body)
    assert decoded == original


def test_each_encoding_has_its_own_etag_and_revalidates(client, build):
    url = f"/static/{build}/vendor/plotly-cartesian.min.js"
    tags = {}
    for accept in ("br", "gzip", "identity"):
        resp = get(client, url, headers={"Accept-Encoding": accept})
        tags[accept] = resp.headers["ETag"]
        again = get(client, url, headers={"Accept-Encoding": accept, "If-None-Match": tags[accept]})
        assert again.status_code == 304
    assert len(set(tags.values())) == 3
    # A gzip ETag does not validate the brotli copy.
    assert (
        get(
            client, url, headers={"Accept-Encoding": "br", "If-None-Match": tags["gzip"]}
        ).status_code
        == 200
    )


def test_every_compressed_copy_decompresses_to_its_source_byte_for_byte():
    manifest = json.loads((STATIC / "compressed.json").read_text())
    assert "vendor/plotly.min.js" in manifest and "js/pages/env.js" in manifest
    for rel in manifest:
        original = (STATIC / rel).read_bytes()
        assert brotli.decompress((STATIC / (rel + ".br")).read_bytes()) == original, rel
        assert gzip.decompress((STATIC / (rel + ".gz")).read_bytes()) == original, rel
    # Every text file over 1 KB has copies; small ones are not worth it.
    compress = load_compress()
    assert sorted(p.relative_to(STATIC).as_posix() for p in compress.sources()) == sorted(manifest)


def test_a_copy_older_than_its_file_is_never_sent(tmp_path):
    """A developer edits a module without running setup: the stale copies are ignored."""
    compress = load_compress()
    (tmp_path / "js").mkdir()
    src = tmp_path / "js" / "a.js"
    src.write_text("export const a = 1;\n" * 200)
    (tmp_path / "tiny.css").write_text("a{}")
    compress.main(static=tmp_path)
    assert (tmp_path / "js" / "a.js.br").is_file() and not (tmp_path / "tiny.css.br").exists()
    files = StaticFiles(tmp_path)
    assert files.fresh == {"js/a.js"}
    before = files.build
    src.write_text("export const a = 2;\n" * 200)
    files = StaticFiles(tmp_path)
    assert files.fresh == set() and files.build != before
    compress.main(static=tmp_path)
    assert brotli.decompress((tmp_path / "js" / "a.js.br").read_bytes()) == src.read_bytes()
    assert StaticFiles(tmp_path).fresh == {"js/a.js"}
    src.unlink()
    compress.main(static=tmp_path)
    assert not list(tmp_path.rglob("*.br")) and not list(tmp_path.rglob("*.gz"))


REMOTE = {"REMOTE_ADDR": "10.1.2.3"}


def test_big_json_answers_are_gzipped_when_accepted(client, post):
    xs = list(range(3000))
    body = {
        "eid": "main",
        "win": "big",
        "data": [{"x": xs, "y": xs, "type": "scatter", "name": "ü"}],
    }
    assert post("/events", body).status_code == 200
    request = json.dumps({"eid": "main", "win": "big"})

    def win_data(accept, environ=REMOTE):
        headers = {"Accept-Encoding": accept}
        return client.post("/win_data", data=request, headers=headers, environ_base=environ)

    plain, packed = win_data("identity"), win_data("gzip, br")
    assert plain.status_code == packed.status_code == 200
    assert "Content-Encoding" not in plain.headers
    assert packed.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed.headers["Vary"]
    data = packed.get_data()
    assert int(packed.headers["Content-Length"]) == len(data) < len(plain.get_data()) / 3
    assert gzip.decompress(data) == plain.get_data()
    assert "Content-Encoding" not in win_data("gzip;q=0").headers
    # A client on this machine gets the bytes as they are (compressing costs it more).
    local = win_data("gzip", {"REMOTE_ADDR": "127.0.0.1"})
    assert "Content-Encoding" not in local.headers and local.get_data() == plain.get_data()


def test_small_json_answers_stay_plain(client):
    resp = get(client, "/healthz", headers={"Accept-Encoding": "gzip"}, environ_base=REMOTE)
    assert resp.status_code == 200
    assert len(resp.get_data()) < 1024 and "Content-Encoding" not in resp.headers


def test_pages_preload_their_whole_module_graph(client, build, unbundled):
    """Without a bundle, every module the entry imports (directly or not) is preloaded;
    nothing else."""
    html = get(client, "/env/main").get_data(as_text=True)
    assert re.search(r'<script type="module" src="/static/[0-9a-f]+/js/pages/env.js">', html)
    preloads = re.findall(r'<link rel="modulepreload" href="/static/[0-9a-f]+/([^"]+)"', html)
    assert "js/workspace/workspace.js" in preloads and "js/panes/plot/plot.js" in preloads
    assert "js/pages/runs.js" not in preloads and "js/export/standalone.js" not in preloads
    assert len(preloads) == len(set(preloads))
    for rel in preloads:
        assert (STATIC / rel).is_file(), rel
    # The graph is closed: each preloaded module's relative imports are preloaded too.
    names = set(preloads) | {"js/pages/env.js"}
    for rel in names:
        text = (STATIC / rel).read_text(encoding="utf-8")
        for target in re.findall(r"^\s*(?:import|export)\s[^'\"]*?'(\.{1,2}/[^']+)'", text, re.M):
            resolved = (
                (STATIC / rel).parent.joinpath(target).resolve().relative_to(STATIC).as_posix()
            )
            assert resolved in names, (rel, target)
    # plotly.js' basic bundle starts with the page too: an async script in the head, which
    # lib/plotly.js adopts (it compiles while the modules load).
    assert re.search(
        r'<script async data-plotly="basic" src="/static/[0-9a-f]+/vendor/plotly-basic.min.js">',
        html.split("</head>")[0],
    )
    runs = get(client, "/runs").get_data(as_text=True)
    assert "js/runs/data.js" in runs and "plotly-basic" not in runs


PAGES = {"/env/main": "env", "/runs": "runs", "/alerts": "alerts"}


def test_pages_load_one_bundle_of_their_modules(client, build):
    """`make setup` bundles each page's modules (scripts/bundle.py): the page loads one file."""
    for url, name in PAGES.items():
        html = get(client, url).get_data(as_text=True)
        bundle = f"/static/{build}/js/bundle/{name}.js"
        assert f'<script type="module" src="{bundle}">' in html, url
        preloads = re.findall(r'<link rel="modulepreload" href="([^"]+)"', html)
        assert preloads == [bundle], url
        assert f"js/pages/{name}.js" not in html, url
        resp = get(client, bundle, headers={"Accept-Encoding": "br"})
        assert resp.status_code == 200 and resp.headers["Cache-Control"] == IMMUTABLE
        assert resp.headers["Content-Encoding"] == "br", url
        assert brotli.decompress(resp.get_data()) == (STATIC / f"js/bundle/{name}.js").read_bytes()


def test_each_bundle_is_made_from_every_module_of_its_page_as_it_is_now():
    manifest = json.loads((STATIC / "bundles.json").read_text())
    files = StaticFiles(STATIC)
    assert set(manifest) == {f"js/pages/{p.name}" for p in (STATIC / "js/pages").glob("*.js")}
    for entry, record in manifest.items():
        assert files.entry_script(entry) == record["bundle"] == f"js/bundle/{entry[9:]}"
        # esbuild's inputs hold every module the entry imports, as they are today.
        assert {entry, *files.module_graph(entry)} <= set(record["sources"]), entry
        for rel, digest in record["sources"].items():
            assert files.digests[rel] == digest, rel


def test_a_bundle_older_than_its_modules_is_never_served(tmp_path):
    """A developer edits a module without running setup: the page gets its modules."""
    bundle = load_script("bundle")
    (tmp_path / "js" / "pages").mkdir(parents=True)
    (tmp_path / "js" / "lib").mkdir()
    (tmp_path / "js" / "pages" / "p.js").write_text(
        "import { a } from '../lib/a.js';\nconsole.log(a, import.meta.url);\n"
    )
    lib = tmp_path / "js" / "lib" / "a.js"
    lib.write_text("export const a = 'first-version';\n")
    bundle.main(static=tmp_path)
    made = tmp_path / "js" / "bundle" / "p.js"
    assert "first-version" in made.read_text() and "import.meta.url" in made.read_text()
    files = StaticFiles(tmp_path)
    assert files.entry_script("js/pages/p.js") == "js/bundle/p.js"
    assert files.preloads("js/pages/p.js") == ["js/bundle/p.js"]

    lib.write_text("export const a = 'second-version';\n")
    files = StaticFiles(tmp_path)
    assert files.entry_script("js/pages/p.js") == "js/pages/p.js"
    assert files.preloads("js/pages/p.js") == ["js/lib/a.js"]
    made.write_text(made.read_text().replace("first-version", "second-version"))
    assert StaticFiles(tmp_path).entry_script("js/pages/p.js") == "js/pages/p.js"  # hand-made

    bundle.main(static=tmp_path)
    assert "second-version" in made.read_text()
    assert StaticFiles(tmp_path).entry_script("js/pages/p.js") == "js/bundle/p.js"
    for broken in ("{", "[]", '{"js/pages/p.js": 3}', '{"js/pages/p.js": {"bundle": 1}}'):
        (tmp_path / "bundles.json").write_text(broken)
        assert StaticFiles(tmp_path).entry_script("js/pages/p.js") == "js/pages/p.js"
