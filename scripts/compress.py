"""Write brotli (.br) and gzip (.gz) copies next to every static file worth compressing.

`make setup` runs this after scripts/vendor.py (and so `make dist` ships the copies in the
sdist and the wheel). The server (app/assets.py) sends a copy instead of the file when the
browser accepts its encoding and the copy was made from the file as it is now: each run
writes app/static/compressed.json, the SHA-256 of every source next to its copies. A file
changed since (a developer editing js/ without running setup again) is sent uncompressed,
never stale. Compressing needs the `brotli` package (requirements-dev.txt); serving the
copies needs nothing beyond the standard library.
"""

import gzip
import hashlib
import json
import sys
from pathlib import Path

import brotli

ROOT = Path(__file__).resolve().parent.parent
STATIC = ROOT / "app" / "static"
MANIFEST = STATIC / "compressed.json"
# Text formats only (images are compressed already); below MIN_BYTES the headers cost more.
SUFFIXES = {".js", ".mjs", ".css", ".svg", ".json", ".html", ".map", ".txt"}
MIN_BYTES = 1024
ENCODINGS = {".br": "br", ".gz": "gzip"}


def sources(static=STATIC):
    """The files to compress: text formats over MIN_BYTES, never a copy or the manifest."""
    for path in sorted(static.rglob("*")):
        if not path.is_file() or path.suffix in ENCODINGS or path.name == MANIFEST.name:
            continue
        if path.suffix in SUFFIXES and path.stat().st_size >= MIN_BYTES:
            yield path


def compress(data):
    """Return {suffix: bytes} for the data (the best brotli and gzip levels: done once)."""
    # mtime=0: the same input gives the same bytes (reproducible sdists and wheels).
    return {
        ".br": brotli.compress(data, quality=11),
        ".gz": gzip.compress(data, compresslevel=9, mtime=0),
    }


def write_if_changed(path, data):
    if not path.is_file() or path.read_bytes() != data:
        path.write_bytes(data)


def main(static=STATIC):
    """Compress every source whose copies are missing or stale; write the manifest."""
    manifest_path = static / MANIFEST.name
    old = json.loads(manifest_path.read_text()) if manifest_path.is_file() else {}
    manifest = {}
    before = after = 0
    for path in sources(static):
        data = path.read_bytes()
        digest = hashlib.sha256(data).hexdigest()
        rel = path.relative_to(static).as_posix()
        copies = {suffix: path.with_name(path.name + suffix) for suffix in ENCODINGS}
        if old.get(rel) != digest or not all(p.is_file() for p in copies.values()):
            for suffix, packed in compress(data).items():
                write_if_changed(copies[suffix], packed)
        manifest[rel] = digest
        before += len(data)
        after += copies[".br"].stat().st_size
    # Copies of files that are gone (or too small now) would be served for nothing: drop them.
    for path in static.rglob("*"):
        if (
            path.suffix in ENCODINGS
            and path.with_suffix("").relative_to(static).as_posix() not in manifest
        ):
            path.unlink()
    text = json.dumps(manifest, indent=1, sort_keys=True) + "\n"
    write_if_changed(manifest_path, text.encode())
    print(
        f"compressed {len(manifest)} static files: {before / 1e6:.1f} MB -> {after / 1e6:.1f} MB (brotli)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
