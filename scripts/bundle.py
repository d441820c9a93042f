"""Bundle each page's ES modules into one file with esbuild: app/static/js/bundle/<page>.js.

A page's modules are ~55 files. On a repeat visit every one is in the browser's cache, yet
the browser reads them one request at a time (~4 ms each here), the page's stylesheets
wait in the same queue, and the page starts ~0.25 s after its HTML. One bundled file per
page is one request, compiled in one task.

`make setup` runs this after scripts/vendor.py (the modules import vendor/ files) and
before scripts/compress.py (the bundles get .br/.gz copies too). It writes
app/static/bundles.json: for each page's entry module, its bundle and the SHA-256 of every
module the bundle was made from. The server (app/assets.py) serves a bundle only while
every one of those modules is unchanged: a developer editing js/ without running setup
again gets the modules themselves, never a stale bundle. The bundle sits at the same depth
as the entry (js/bundle/ beside js/pages/), so `new URL('../../vendor/…', import.meta.url)`
in lib/plotly.js and lib/mathjax.js names the same files. Minified, with a source map.
"""

import hashlib
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STATIC = ROOT / "app" / "static"
PAGES = "js/pages"  # the entry modules, one per page
OUT = "js/bundle"  # their bundles, at the same depth
MANIFEST = "bundles.json"
ESBUILD = ROOT / "node_modules" / ".bin" / "esbuild"


def sha256(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def bundle(static, entry):
    """Bundle one entry module (a path under `static`); return its manifest record."""
    out = f"{OUT}/{entry.rsplit('/', 1)[-1]}"
    with tempfile.TemporaryDirectory() as tmp:
        meta_path = Path(tmp) / "meta.json"
        subprocess.run(
            [
                str(ESBUILD),
                entry,
                "--bundle",
                "--format=esm",
                "--minify",
                "--sourcemap",
                "--log-level=warning",
                f"--outfile={out}",
                f"--metafile={meta_path}",
            ],
            cwd=static,
            check=True,
        )
        meta = json.loads(meta_path.read_text())
    sources = {name: sha256(static / name) for name in sorted(meta["inputs"])}
    return {"bundle": out, "digest": sha256(static / out), "sources": sources}


def main(static=STATIC):
    static = Path(static)
    if not ESBUILD.exists():
        sys.exit(f"error: {ESBUILD} is missing: run `npm ci` (make setup does)")
    (static / OUT).mkdir(parents=True, exist_ok=True)
    entries = sorted(p.relative_to(static).as_posix() for p in (static / PAGES).glob("*.js"))
    manifest = {entry: bundle(static, entry) for entry in entries}
    made = {r["bundle"].rsplit("/", 1)[-1] for r in manifest.values()}
    made |= {name + ".map" for name in made}
    for old in (static / OUT).iterdir():  # a page that is gone leaves no bundle behind
        if old.suffix in (".js", ".map") and old.name not in made:
            old.unlink()
    (static / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n")
    total = sum((static / r["bundle"]).stat().st_size for r in manifest.values())
    print(f"bundled {len(manifest)} pages into {OUT}/ ({total / 1e3:,.0f} KB)")


if __name__ == "__main__":
    main()
