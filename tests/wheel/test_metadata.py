"""The package's metadata: dependencies agree with the pins, one version everywhere."""

import re
import subprocess
import sys
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tests.support.server import ROOT

PYPROJECT = tomllib.loads(Path(ROOT, "pyproject.toml").read_text(encoding="utf-8"))["project"]


def pins(filename):
    """Return {canonical name: pinned version} for the `name==version` lines of a file."""
    found = {}
    for line in Path(ROOT, filename).read_text(encoding="utf-8").splitlines():
        line = line.split("#")[0].strip()
        if line and not line.startswith("-"):
            req = Requirement(line)
            (spec,) = req.specifier
            assert spec.operator == "==", f"{filename}: {line!r} is not a pin"
            found[canonicalize_name(req.name)] = spec.version
    return found


def ranges(requirements):
    return {canonicalize_name(Requirement(r).name): Requirement(r) for r in requirements}


def test_the_wheel_depends_on_exactly_the_pinned_runtime_packages():
    """pyproject's ranges name requirements.txt's packages, and every pin satisfies its range."""
    pinned, declared = pins("requirements.txt"), ranges(PYPROJECT["dependencies"])
    assert sorted(declared) == sorted(pinned)
    outside = {n: (pinned[n], str(r.specifier)) for n, r in declared.items()}
    outside = {n: v for n, v in outside.items() if not declared[n].specifier.contains(v[0])}
    assert not outside, f"pins outside pyproject.toml's ranges (pin, range): {outside}"


def test_each_extra_range_holds_its_dev_pin():
    """Extras (e.g. eventlet for -async_mode eventlet) are pinned in requirements-dev.txt."""
    dev = pins("requirements-dev.txt")
    for extra, requirements in PYPROJECT.get("optional-dependencies", {}).items():
        for name, req in ranges(requirements).items():
            assert name in dev, f"extra {extra!r}: {name} has no pin in requirements-dev.txt"
            assert req.specifier.contains(dev[name]), (extra, name, dev[name], str(req))


def test_one_version_number_in_one_place():
    """Server, client and metadata report pyproject's version; no other file spells one."""
    version = PYPROJECT["version"]
    code = "import app.version, visdom_client; print(app.version.__version__, visdom_client.__version__)"
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    assert out == [version, version], "stale editable install? run `make setup`"
    cli = [sys.executable, "-m", "app", "--version"]
    shown = subprocess.run(cli, cwd=ROOT, capture_output=True, text=True, check=True).stdout
    assert shown.strip() == f"visdom {version}"
    spelled = re.compile(r"""(__version__|^version)\s*=\s*["']\d+\.\d+""", re.M)
    homes = [
        str(path.relative_to(ROOT))
        for folder in ("app", "visdom_client")
        for path in Path(ROOT, folder).rglob("*.py")
        if spelled.search(path.read_text(encoding="utf-8"))
    ]
    assert homes == [], f"a version literal outside pyproject.toml: {homes}"
