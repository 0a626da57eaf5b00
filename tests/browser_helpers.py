"""What the browser tests share: finding Chromium and playwright, and a page to drive with no network.

A missing browser skips a test with the reason, or fails it when ``GDLESSON_REQUIRE_BROWSER=1`` (as CI sets
it, after installing Chromium).
"""

from __future__ import annotations

import os
import shutil
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SITE = ROOT / "_build" / "html"
REQUIRE = os.environ.get("GDLESSON_REQUIRE_BROWSER") == "1"
INSTALL_HINT = ("install Debian's Chromium with `sudo apt-get install -y chromium` (or set GDLESSON_CHROMIUM "
                "to a Chromium/Chrome binary) and playwright (`pip install -r requirements.txt`)")
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    # no DNS at all: any host other than loopback fails to resolve
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
]


def skip_or_fail(reason):
    if REQUIRE:
        pytest.fail(f"{reason} (GDLESSON_REQUIRE_BROWSER=1 turns this skip into a failure)")
    pytest.skip(reason)


def find_chromium():
    explicit = os.environ.get("GDLESSON_CHROMIUM")
    if explicit:
        return explicit if Path(explicit).is_file() else None
    for name in ("chromium", "chromium-browser", "google-chrome"):
        if shutil.which(name):
            return shutil.which(name)
    return None


def require_site():
    if not (SITE / "index.html").is_file():
        skip_or_fail(f"no built site in {SITE}: run `make book` first")


@contextmanager
def chromium_page(what, viewport=(1280, 900)):
    """A page in headless Chromium; ``page.errors`` collects the page's script errors and console errors.

    ``what`` names the test in the skip message ("the concept-check test").
    """
    executable = find_chromium()
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        executable = None
    if not executable:
        skip_or_fail(f"{what} needs Chromium and playwright: {INSTALL_HINT}")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        page = browser.new_page(viewport={"width": viewport[0], "height": viewport[1]})
        page.errors = []
        page.on("pageerror", lambda e: page.errors.append(str(e)))
        page.on("console", lambda m: page.errors.append(m.text) if m.type == "error" else None)
        try:
            yield page
        finally:
            browser.close()
