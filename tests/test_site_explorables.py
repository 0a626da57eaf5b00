"""The explorables on the built site, driven from the keyboard as a reader would.

For every element with ``data-explorable`` on every page of the book: each visible control is focused and
moved with an arrow key; the drawing must change (``data-settings`` and ``data-path``), and ``data-path`` must
equal gdlesson's own run for ``data-settings`` (``gd.minimize(gd.<objective>(**kw), w0, gd.<optimizer>(**kw),
max_iter=steps).path``) to 1e-12. The test also times a redraw and checks the learning-rate slider's values
against ``gdlesson.explorables``. Run after ``make book`` (``make test`` does), like tests/test_site.py.
"""

from __future__ import annotations

import json
import os
import warnings
from pathlib import Path

import numpy as np
import pytest

import gdlesson as gd
from gdlesson import explorables as ex

ROOT = Path(__file__).resolve().parent.parent
SITE = ROOT / "_build" / "html"
REQUIRE = os.environ.get("GDLESSON_REQUIRE_BROWSER") == "1"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1"]


def skip_or_fail(reason):
    if REQUIRE:
        pytest.fail(f"{reason} (GDLESSON_REQUIRE_BROWSER=1 turns this skip into a failure)")
    pytest.skip(reason)


def gdlesson_path(settings):
    objective, optimizer = dict(settings["objective"]), dict(settings["optimizer"])
    make_objective, make_optimizer = getattr(gd, objective.pop("name")), getattr(gd, optimizer.pop("name"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a diverging setting warns; its path is still compared
        return gd.minimize(make_objective(**objective), np.array(settings["w0"], dtype=float),
                           make_optimizer(**optimizer), max_iter=settings["steps"]).path


def pages_with_explorables():
    return sorted(p for p in SITE.rglob("*.html") if "data-explorable=" in p.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def page():
    import shutil
    executable = os.environ.get("GDLESSON_CHROMIUM") or shutil.which("chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        executable = None
    if not executable:
        skip_or_fail("the explorable test needs Chromium and playwright")
    if not (SITE / "index.html").is_file():
        skip_or_fail(f"no built site in {SITE}: run `make book` first")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        errors = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.errors = errors
        yield page
        browser.close()


def state(root):
    return root.get_attribute("data-settings"), root.get_attribute("data-path")


def assert_matches_gdlesson(root, where):
    settings = json.loads(root.get_attribute("data-settings"))
    drawn = np.array(json.loads(root.get_attribute("data-path")), dtype=float)
    ours = gdlesson_path(settings)
    assert drawn.shape == ours.shape, (where, settings)
    gap = np.max(np.abs(drawn - ours) / np.maximum(1.0, np.abs(ours)))
    assert gap < 1e-12, (where, settings, gap)


def test_the_site_has_an_explorable():
    if not (SITE / "index.html").is_file():
        skip_or_fail(f"no built site in {SITE}: run `make book` first")
    assert pages_with_explorables(), "no page of the built site carries data-explorable"


def test_every_control_moves_the_drawing_and_the_drawing_is_gdlessons(page):
    moved = 0
    for html in pages_with_explorables():
        page.goto(html.as_uri())
        roots = page.locator("[data-explorable]")
        for r in range(roots.count()):
            root = roots.nth(r)
            name = root.get_attribute("data-explorable")
            root.scroll_into_view_if_needed()
            assert_matches_gdlesson(root, f"{name}: as loaded")
            controls = root.locator("select, input")
            for c in range(controls.count()):
                control = controls.nth(c)
                if not control.is_visible():
                    continue
                cid = control.get_attribute("id")
                at_end = control.evaluate(
                    "(e) => e.tagName === 'SELECT' ? e.selectedIndex === e.options.length - 1"
                    " : Number(e.value) === Number(e.max)")
                key = ("ArrowUp" if at_end else "ArrowDown") if control.evaluate("(e) => e.tagName") == "SELECT" \
                    else ("ArrowLeft" if at_end else "ArrowRight")
                before = state(root)
                control.focus()
                page.keyboard.press(key)
                assert state(root) != before, f"{name}: {key} on #{cid} did not change the drawing"
                assert_matches_gdlesson(root, f"{name}: after {key} on #{cid}")
                moved += 1
    assert moved >= 6
    assert not page.errors, page.errors


def test_a_redraw_takes_well_under_100_ms_and_the_lr_slider_offers_gdlessons_values(page):
    html = pages_with_explorables()[0]
    page.goto(html.as_uri())
    root = page.locator("[data-explorable]").first
    rid = root.get_attribute("data-explorable")
    slider = page.locator(f"#{rid}-lr")
    times, values = [], []
    for k in range(ex.LR_POSITIONS):
        ms = slider.evaluate("(e, k) => { const t = performance.now(); e.value = String(k);"
                             " e.dispatchEvent(new Event('input')); return performance.now() - t; }", k)
        times.append(ms)
        values.append(json.loads(root.get_attribute("data-settings"))["optimizer"]["lr"])
    settings = json.loads(root.get_attribute("data-settings"))
    landscape = next(name for name, land in ex.LANDSCAPES.items()
                     if land["objective"] in (settings["objective"], None))
    scale = next(m[1] for m in ex.METHODS.values() if m[0]["name"] == settings["optimizer"]["name"])
    assert values == ex._learning_rates(*ex.LANDSCAPES[landscape]["lr"][scale])
    print(f"redraw times over {len(times)} learning rates: median {np.median(times):.1f} ms, "
          f"max {max(times):.1f} ms")
    assert np.median(times) < 100
