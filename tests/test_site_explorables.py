"""The explorables on the built site, driven from the keyboard as a reader would.

For every element with ``data-explorable`` on every page of the book: each visible control is focused and
moved with an arrow key; the drawing must change (``data-settings`` and ``data-path``), and ``data-path`` must
equal gdlesson's own run for ``data-settings`` (``gd.minimize(gd.<objective>(**kw), w0, gd.<optimizer>(**kw),
max_iter=steps).path``, or with ``batch_size=k, epochs=e, seed=s`` for a mini-batch explorable; ``lr`` may be
``{"schedule": <a gdlesson.schedules function>, **kw}``) to 1e-12, and so must ``data-steps``, where an
explorable draws every step of a mini-batch run. The test also times redraws and checks the sliders' values
against ``gdlesson.explorables`` and ``gdlesson.explorable_sgd``. Run after ``make book`` (``make test``
does), like tests/test_site.py.
"""

from __future__ import annotations

import json

import numpy as np
import pytest
from browser_helpers import SITE, chromium_page, require_site
from contract_helpers import gdlesson_path, gdlesson_steps

from gdlesson import explorable_sgd as es
from gdlesson import explorables as ex



def pages_with_explorables():
    return sorted(p for p in SITE.rglob("*.html") if "data-explorable=" in p.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def page():
    require_site()
    with chromium_page("the explorable test") as page:
        yield page


def state(root):
    return root.get_attribute("data-settings"), root.get_attribute("data-path")


def short(settings):
    """data-settings without the data, for messages."""
    return {key: value for key, value in settings.items() if key != "objective"}


def assert_matches_gdlesson(root, where):
    settings = json.loads(root.get_attribute("data-settings"))
    drawn = {"data-path": gdlesson_path(settings)}
    if root.get_attribute("data-steps") is not None:
        drawn["data-steps"] = gdlesson_steps(settings)
    for attribute, ours in drawn.items():
        shown = np.array(json.loads(root.get_attribute(attribute)), dtype=float)
        assert shown.shape == ours.shape, (where, attribute, short(settings))
        gap = np.max(np.abs(shown - ours) / np.maximum(1.0, np.abs(ours)))
        assert gap < 1e-12, (where, attribute, short(settings), gap)


def test_the_site_has_an_explorable():
    require_site()
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


def test_the_minibatch_explorable_redraws_well_under_100_ms_and_offers_gdlessons_values(page):
    """Every position of every slider of chapter 3's explorable, timed, with the values data-settings shows."""
    pages = [p for p in pages_with_explorables() if 'data-explorable="ch3-sgd"' in p.read_text(encoding="utf-8")]
    if not pages:
        pytest.fail("no page of the built site carries the chapter 3 explorable (ch3-sgd)")
    page.goto(pages[0].as_uri())
    root = page.locator('[data-explorable="ch3-sgd"]')
    move = ("(e, k) => { const t = performance.now(); e.value = String(k);"
            " e.dispatchEvent(new Event(e.tagName === 'SELECT' ? 'change' : 'input'));"
            " return performance.now() - t; }")
    controls = {"batch": ("batch_size", es.BATCH_SIZES), "seed": ("seed", es.SEEDS),
                "epochs": ("epochs", range(1, es.MAX_EPOCHS + 1)), "schedule": (None, es.SCHEDULES),
                "lr": (None, es.LEARNING_RATES)}
    times = {}
    for name, (key, values) in controls.items():
        control = page.locator(f"#ch3-sgd-{name}")
        start = 0 if name != "epochs" else 1
        shown, times[name] = [], []
        for k, _ in enumerate(values):
            times[name].append(control.evaluate(move, k + start))
            settings = json.loads(root.get_attribute("data-settings"))
            shown.append(settings[key] if key else settings["optimizer"]["lr"])
        if key:
            assert shown == list(values), name
        elif name == "lr":  # the last schedule is still chosen: inverse time, starting at each rate
            assert [lr["t0"] / lr["t1"] for lr in shown] == pytest.approx(es.LEARNING_RATES, rel=1e-12)
        else:
            assert isinstance(shown[0], float) and shown[1]["schedule"] == "inverse_time"
    assert_matches_gdlesson(root, "after the timing run")
    every = [ms for ms in times.values() for ms in ms]
    print(f"ch3-sgd redraw times over {len(every)} moves: median {np.median(every):.1f} ms, "
          f"max {max(every):.1f} ms; batch size 1 to 100: {', '.join(f'{ms:.0f}' for ms in times['batch'])} ms")
    assert np.median(every) < 100
    assert not page.errors, page.errors


def test_the_minibatch_explorables_values_and_menu_show_whole_on_a_wide_and_a_narrow_page(page):
    """The schedule menu is wide enough for its longest label, and the batch size's value stays on one line,
    at the test's 1280 px and on a phone's 400 px."""
    pages = [p for p in pages_with_explorables() if 'data-explorable="ch3-sgd"' in p.read_text(encoding="utf-8")]
    if not pages:
        pytest.fail("no page of the built site carries the chapter 3 explorable (ch3-sgd)")
    menu_fits = ("(s) => { const ctx = document.createElement('canvas').getContext('2d');"
                 " ctx.font = getComputedStyle(s).font;"
                 " const text = Math.max(...[...s.options].map((o) => ctx.measureText(o.text).width));"
                 " return [text, s.getBoundingClientRect().width]; }")
    lines = ("(o) => { const r = o.getBoundingClientRect();"
             " return [o.textContent, r.height / parseFloat(getComputedStyle(o).lineHeight)]; }")
    try:
        for width in (1280, 400):
            page.set_viewport_size({"width": width, "height": 900})
            page.goto(pages[0].as_uri())
            text, box = page.locator("#ch3-sgd-schedule").evaluate(menu_fits)
            assert text + 24 <= box, f"at {width} px the schedule menu ({box:.0f} px) cuts its label ({text:.0f} px)"
            batch = page.locator("#ch3-sgd-batch")
            for position in (0, len(es.BATCH_SIZES) - 1):  # the longest values: 1 (100 steps/epoch), 100 (1 ...)
                batch.evaluate("(e, k) => { e.value = String(k); e.dispatchEvent(new Event('input')); }", position)
                shown, height = page.locator("#ch3-sgd-batch ~ output").evaluate(lines)
                assert height < 1.5, f"at {width} px the batch size's value {shown!r} wraps onto a second line"
    finally:
        page.set_viewport_size({"width": 1280, "height": 900})
