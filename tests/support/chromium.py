"""Debian's Chromium for Playwright: where it is, the flags it needs, and the launch.

Without the networking flags it stalls on a machine with no internet access; as root it
needs --no-sandbox. VISDOM_CHROMIUM points at another binary.
"""

import os

CHROMIUM = os.environ.get("VISDOM_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    # Chromium 156 builds its omnibox popup (a WebUI page of ~200 modules, in a renderer of
    # its own) for every new tab, headless too: ~0.2 s of CPU per tab, beside the page
    # under test on a 2-core machine. No page of ours is in it.
    "--disable-features=WebUIOmniboxPopup,WebUIOmniboxAimPopup",
]


def require_chromium():
    """Skip the test when Chromium is missing, or fail under VISDOM_REQUIRE_BROWSER=1 (CI)."""
    import pytest

    if os.path.exists(CHROMIUM):
        return
    if os.environ.get("VISDOM_REQUIRE_BROWSER") == "1":
        pytest.fail(f"Chromium is required (VISDOM_REQUIRE_BROWSER=1) but {CHROMIUM} is missing")
    pytest.skip(f"Chromium not found at {CHROMIUM} (run `make chromium`)")


def launch_chromium(playwright, **options):
    """Launch headless Chromium with the flags above through a Playwright instance."""
    return playwright.chromium.launch(
        executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS, **options
    )
