"""Copy the browser libraries the UI needs from node_modules into app/static/vendor.

`make setup` runs `npm ci` (versions pinned in package.json + package-lock.json), then
this script, then scripts/compress.py (the .br/.gz copies). The vendor folder is
git-ignored. plotly.js comes three times: plotly.js' own basic and cartesian bundles from
npm (scatter/bar/pie, then every 2-D type: what the page loads first) and the full bundle
from the `plotly` Python package (loaded only for other trace types); all must be the
same plotly.js version, checked here.
MathJax's `tex-svg-full` component holds every TeX extension and the SVG fonts, so
that typesetting never fetches more code (the page loads it only for LaTeX labels).
"""

import json
import re
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NODE_MODULES = ROOT / "node_modules"
VENDOR = ROOT / "app" / "static" / "vendor"

# (package, file inside the package, name in app/static/vendor)
FILES = [
    ("socket.io-client", "dist/socket.io.esm.min.js", "socket.io.esm.min.js"),
    ("dompurify", "dist/purify.es.mjs", "purify.es.js"),
    ("gridstack", "dist/gridstack-all.js", "gridstack-all.js"),
    ("gridstack", "dist/gridstack.min.css", "gridstack.min.css"),
    ("mathjax", "es5/tex-svg-full.js", "mathjax-tex-svg.js"),
    ("plotly.js-basic-dist-min", "plotly-basic.min.js", "plotly-basic.min.js"),
    ("plotly.js-cartesian-dist-min", "plotly-cartesian.min.js", "plotly-cartesian.min.js"),
]
PARTIAL_BUNDLES = ("plotly.js-basic-dist-min", "plotly.js-cartesian-dist-min")
# The full plotly.js bundle, from the plotly Python package (a runtime requirement).
PLOTLY_FULL = "plotly.min.js"
NAMES = [dest for _, _, dest in FILES] + [PLOTLY_FULL, "versions.json"]
LICENSES = ["LICENSE", "LICENSE.md", "LICENSE.txt"]


def strip_source_map(text):
    """Drop the sourceMappingURL comment: the maps are not copied."""
    lines = text.splitlines(keepends=True)
    return "".join(line for line in lines if "sourceMappingURL=" not in line)


def package_version(package):
    with open(NODE_MODULES / package / "package.json", encoding="utf-8") as f:
        return json.load(f)["version"]


def plotly_full():
    """The path of the full bundle inside the plotly package, and its plotly.js version."""
    import plotly

    path = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
    head = path.read_text(encoding="utf-8")[:400]
    match = re.search(r"plotly\.js v(\d+\.\d+\.\d+)", head)
    return path, match.group(1) if match else None


def main():
    """Copy FILES (and each package's license) into VENDOR; exit 1 when one is missing."""
    missing = [f"{pkg}/{src}" for pkg, src, _ in FILES if not (NODE_MODULES / pkg / src).is_file()]
    if missing:
        print("error: missing " + ", ".join(missing) + " (run `npm ci` first)", file=sys.stderr)
        return 1
    VENDOR.mkdir(parents=True, exist_ok=True)
    versions = {}
    for pkg, src, dest in FILES:
        text = (NODE_MODULES / pkg / src).read_text(encoding="utf-8")
        (VENDOR / dest).write_text(strip_source_map(text), encoding="utf-8")
        versions[pkg] = package_version(pkg)
        for name in LICENSES:
            lic = NODE_MODULES / pkg / name
            if lic.is_file():
                shutil.copyfile(lic, VENDOR / f"{pkg}.{name}")
                break
    full, full_version = plotly_full()
    for pkg in PARTIAL_BUNDLES:
        if versions[pkg] != full_version:
            print(
                f"error: plotly.js {full_version} in the plotly package, {versions[pkg]} in "
                f"{pkg}: pin the npm package to the same version",
                file=sys.stderr,
            )
            return 1
    (VENDOR / PLOTLY_FULL).write_text(
        strip_source_map(full.read_text(encoding="utf-8")), encoding="utf-8"
    )
    versions["plotly.js"] = full_version
    (VENDOR / "versions.json").write_text(json.dumps(versions, indent=2) + "\n", encoding="utf-8")
    print(f"vendored {len(FILES)} files into {VENDOR.relative_to(ROOT)}: {versions}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
