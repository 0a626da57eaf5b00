"""The explorables: their HTML, and the browser port of gd.minimize against gdlesson itself.

The port (gdlesson/js/port.js) is run in headless Chromium on every combination of control values of each
explorable (gdlesson.explorables.settings_grid, gdlesson.explorable_sgd.settings_grid) and each path is
compared with gd.minimize's to 1e-12; for the mini-batch explorable, every step within the epochs too. The
keyboard test of the explorables on the built pages is in tests/test_site_explorables.py.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from browser_helpers import chromium_page
from contract_helpers import gdlesson_path, gdlesson_run, gdlesson_steps

import gdlesson as gd
from gdlesson import explorable_sgd as es
from gdlesson import explorables as ex

ADAPTIVE = ("AdaGrad", "RMSProp", "Adam")
PLAIN = ("gradient descent", "heavy ball", "Nesterov")


def test_html_is_the_same_string_on_every_call_and_carries_the_contract():
    first = ex.map_explorable("ch2-map")
    assert first == ex.map_explorable("ch2-map")
    assert 'data-explorable="ch2-map"' in first and "window.GDPort" in first and "<noscript>" in first
    assert len(first.encode()) < 100_000  # far below the page budget of about 1 MB


@pytest.mark.parametrize("kwargs, name", [
    ({"id": ""}, "id"), ({"id": "a b"}, "id"), ({"id": "x", "methods": ("SGD",)}, "methods"),
    ({"id": "x", "landscapes": ()}, "landscapes"), ({"id": "x", "kappa": 3}, "kappa"),
    ({"id": "x", "lr": 99}, "lr"), ({"id": "x", "steps": 0}, "steps"),
    ({"id": "x", "method": "Adam"}, "method"), ({"id": "x", "landscape": "moon"}, "landscape"),
])
def test_bad_arguments_name_the_parameter(kwargs, name):
    with pytest.raises(ValueError, match=f"`{name}`"):
        ex.map_explorable(**kwargs)


def test_the_grid_covers_every_slider_value():
    grid = list(ex.settings_grid(landscapes=("round bowl",), methods=("heavy ball",)))
    assert {s["optimizer"]["beta"] for s in grid} == {0.3, 0.5, 0.7, 0.8, 0.9, 0.95, 0.99}
    assert len({s["optimizer"]["lr"] for s in grid}) == ex.LR_POSITIONS
    kappas = {s["objective"]["A"][1][1] for s in ex.settings_grid(landscapes=("stretched bowl",))}
    assert kappas == set(ex.KAPPAS)


@pytest.fixture(scope="module")
def port_page(tmp_path_factory):
    page_file = Path(tmp_path_factory.mktemp("explorable")) / "port.html"
    page_file.write_text("<!doctype html><html><body>" + ex.map_explorable("port") + es.sgd_explorable("sgd")
                         + "</body></html>", encoding="utf-8")
    with chromium_page("the port test") as page:
        page.goto(page_file.as_uri())
        yield page


@pytest.mark.parametrize("methods", [PLAIN, ADAPTIVE], ids=["plain-and-momentum", "adaptive"])
def test_the_browser_port_equals_gdlesson_on_every_control_value(port_page, methods):
    grid = list(ex.settings_grid(methods=methods))
    worst, checked = 0.0, 0
    for start in range(0, len(grid), 250):
        chunk = grid[start:start + 250]
        paths = port_page.evaluate("(all) => all.map((s) => window.GDPort.minimize(s).path)", chunk)
        for settings, js_path in zip(chunk, paths):
            ours = gdlesson_path(settings)
            js = np.array(js_path, dtype=float)
            assert js.shape == ours.shape, (settings, js.shape, ours.shape)
            scale = np.maximum(1.0, np.abs(ours))
            worst = max(worst, float(np.max(np.abs(js - ours) / scale)))
            checked += 1
    assert checked == len(grid) > 1000
    assert worst < 1e-12, f"largest relative difference {worst:.2e} over {checked} runs"


def recorded_run(settings):
    """The mini-batch path and w0 with every step of the epochs in that path, from one recorded run."""
    return gdlesson_run(settings, record=True)[0].path, gdlesson_steps(settings)


def test_recording_the_steps_changes_nothing():
    for settings in es.settings_grid(epochs=3):
        if settings["seed"] == 1 and settings["optimizer"]["lr"] in (0.02, 1.0):
            path, steps = recorded_run(settings)
            np.testing.assert_array_equal(path, gdlesson_run(settings)[0].path)  # same arithmetic, same machine
            every = -(-100 // settings["batch_size"])
            np.testing.assert_array_equal(steps[::every], path)


def relative_gap(js, ours):
    return float(np.max(np.abs(js - ours) / np.maximum(1.0, np.abs(ours))))


def test_the_browser_port_equals_gdlesson_on_every_control_value_of_the_minibatch_explorable(port_page):
    grid = list(es.settings_grid())
    port_page.evaluate("(orders) => { window.testOrders = orders; }",
                       {str(seed): es.shuffles(seed) for seed in es.SEEDS})
    worst = {"path": 0.0, "steps": 0.0}
    checked = diverged = 0
    for start in range(0, len(grid), 40):
        chunk = grid[start:start + 40]
        runs = json.loads(port_page.evaluate(
            "(all) => JSON.stringify(all.map((s) => {"
            " const r = window.GDPort.minimize(s, window.testOrders[s.seed]);"
            " return [r.path, r.steps, r.diverged]; }))", chunk))
        for settings, (js_path, js_steps, js_diverged) in zip(chunk, runs):
            path, steps = recorded_run(settings)
            js_path, js_steps = np.array(js_path, dtype=float), np.array(js_steps, dtype=float)
            where = (settings["optimizer"], settings["batch_size"], settings["seed"])
            assert js_path.shape == path.shape and js_steps.shape == steps.shape, where
            worst["path"] = max(worst["path"], relative_gap(js_path, path))
            worst["steps"] = max(worst["steps"], relative_gap(js_steps, steps))
            checked += 1
            diverged += js_diverged
    assert checked == len(grid) == 800
    assert 0 < diverged < checked  # the grid reaches the divergent rates, and most runs converge
    assert worst["path"] < 1e-12 and worst["steps"] < 1e-12, f"largest relative differences {worst}"


def sgd_controls(page, **positions):
    """Move the mini-batch explorable's controls (slider or menu positions) and return its readout."""
    for name, position in positions.items():
        page.locator(f"#sgd-{name}").evaluate(
            "(e, v) => { e.value = String(v);"
            " e.dispatchEvent(new Event(e.tagName === 'SELECT' ? 'change' : 'input')); }", position)
    return page.locator('[data-explorable="sgd"] output.gd-readout').text_content()


def two_digits(x):
    """The readout's numbers: 2 significant digits, exponent form (no "+") below 0.01 and from 100 on."""
    if x < 0.01 or x >= 100:
        mantissa, exponent = f"{x:.1e}".split("e")
        return f"{mantissa}e{int(exponent)}"
    return f"{x:#.2g}".rstrip(".")  # as JavaScript's toPrecision(2): 0.020, 22


def readout_gaps(page):
    """J - J* after each epoch of gdlesson's run for the mini-batch explorable's data-settings."""
    settings = json.loads(page.locator('[data-explorable="sgd"]').get_attribute("data-settings"))
    cost = gd.LeastSquares(np.array(settings["objective"]["X"]), np.array(settings["objective"]["y"]))
    return gdlesson_run(settings)[0].losses - cost.value(cost.solve())


def test_the_minibatch_readout_says_what_the_run_did_in_words_and_numbers(port_page):
    """Counts are pluralised, the spread of the last epochs is a range (absent for one epoch), numbers carry
    2 significant digits and no "+", and the batch size's value says how many steps an epoch makes."""
    assert [two_digits(x) for x in (0.02, 22.04, 6.04e-5, 10403.6)] == ["0.020", "22", "6.0e-5", "1.0e4"]
    last = len(es.BATCH_SIZES) - 1
    batch = port_page.locator("#sgd-batch")
    text = sgd_controls(port_page, batch=last, lr=es.LEARNING_RATES.index(1.0), schedule=0, epochs=1, seed=0)
    assert "full batch (1 step per epoch), constant α = 1, shuffle seed 0: after 1 epoch (1 step) " in text
    assert text.endswith(f"J − J* = {two_digits(readout_gaps(port_page)[1])}."), text  # no spread of 1 epoch
    assert port_page.locator("#sgd-batch ~ output").text_content() == "100 (1 step/epoch)"
    assert batch.get_attribute("aria-valuetext") == "100 rows per step, 1 step per epoch"
    assert port_page.locator("#sgd-epochs").get_attribute("aria-valuetext") == "1 epoch"

    text = sgd_controls(port_page, epochs=es.MAX_EPOCHS)  # alpha = 1 > 2/L: the full batch climbs
    gaps = readout_gaps(port_page)
    assert gaps[-1] > 1000 and "e+" not in text, text
    assert text.endswith(f"J − J* = {two_digits(gaps[-1])}; over the last 10 epochs J − J* stayed between "
                         f"{two_digits(gaps[-10:].min())} and {two_digits(gaps[-10:].max())}."), text

    text = sgd_controls(port_page, batch=0)  # SGD at alpha = 1: thrown out in epoch 1, stopped in epoch 2
    assert text.endswith("the run blew up in epoch 2; the drawing shows the epoch before."), text
    assert port_page.locator("#sgd-batch ~ output").text_content() == "1 (100 steps/epoch)"
    assert batch.get_attribute("aria-valuetext") == "1 row per step, 100 steps per epoch"
