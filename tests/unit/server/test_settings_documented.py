"""Every setting a user can give (VISDOM_<NAME>, instance/config.py) is documented."""

import pathlib

from app import config

ROOT = pathlib.Path(__file__).resolve().parents[3]


def _documentation():
    pages = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
    return "\n".join(page.read_text(encoding="utf-8") for page in pages)


def test_every_setting_is_documented():
    text = _documentation()
    missing = [
        name
        for name in config._TYPES
        if f"`{name}`" not in text
        and f"VISDOM_{name}" not in text
        and f"`-{name.lower()}`" not in text
    ]
    assert not missing, f"document these settings in README.md or docs/: {missing}"
