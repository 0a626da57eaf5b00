"""The chapter 3 explorable's HTML: its arguments, its determinism and the data it embeds.

The browser port it runs is checked against gd.minimize on every control value in tests/test_explorables.py,
and the explorable on the built site in tests/test_site_explorables.py.
"""

from __future__ import annotations

import html
import json
import re
import warnings

import numpy as np
import pytest

import gdlesson as gd
from gdlesson import explorable_sgd as es


def config_of(block):
    """The JSON configuration the HTML block carries in its data-config attribute."""
    match = re.search(r'data-config="([^"]*)"', block)
    assert match, "no data-config attribute"
    return json.loads(html.unescape(match.group(1)))


@pytest.fixture(scope="module")
def block():
    return es.sgd_explorable("ch3-sgd")


def test_the_html_is_the_same_string_on_every_call(block):
    assert es.sgd_explorable("ch3-sgd") == block
    other = es.sgd_explorable("ch3-sgd", batch_size=20, lr=0.1, schedule="inverse_time", epochs=10, seed=3)
    assert other == es.sgd_explorable("ch3-sgd", batch_size=20, lr=0.1, schedule="inverse_time", epochs=10,
                                      seed=3)
    assert other != block


def test_the_html_carries_the_contract_the_scripts_and_a_fallback(block):
    assert 'data-explorable="ch3-sgd"' in block
    assert "window.GDPort" in block and "window.GDSgd" in block and "<noscript>" in block
    assert "http://" not in block and "https://" not in block  # nothing to fetch: it works offline
    assert len(block.encode()) < 250_000  # far below the page budget of about 1 MB


def test_the_embedded_row_orders_are_numpys_permutations(block):
    config = config_of(block)
    assert config["seeds"] == list(es.SEEDS)
    assert len(config["orders"]) == len(es.SEEDS)
    for seed, orders in zip(config["seeds"], config["orders"]):
        rng = np.random.default_rng(seed)
        expected = [rng.permutation(100) for _ in range(es.MAX_EPOCHS)]
        assert len(orders) == es.MAX_EPOCHS
        np.testing.assert_array_equal(np.array(orders), np.array(expected))
        assert all(sorted(order) == list(range(100)) for order in orders)


def test_the_row_orders_are_the_ones_minimize_uses():
    """A run built from the embedded orders by hand equals gd.minimize's mini-batch run with that seed."""
    config = config_of(es.sgd_explorable("x"))
    X, y = np.array(config["objective"]["X"]), np.array(config["objective"]["y"])
    cost, w = gd.LeastSquares(X, y), np.array(config["w0"])
    for order in config["orders"][2][:3]:
        for start in range(0, 100, 32):
            w = w - 0.05 * cost.grad(w, rows=np.array(order[start:start + 32]))
    run = gd.minimize(cost, np.array(config["w0"]), gd.GradientDescent(lr=0.05), batch_size=32, epochs=3,
                      seed=config["seeds"][2])
    np.testing.assert_allclose(run.w, w, rtol=1e-13, atol=0)


def test_the_embedded_data_are_chapter_3s(block):
    config = config_of(block)
    X, y = gd.data.make_linear_data(n=100, seed=42)
    np.testing.assert_array_equal(np.array(config["objective"]["X"]), gd.data.add_bias(X))
    np.testing.assert_array_equal(np.array(config["objective"]["y"]), y.ravel())
    assert config["objective"]["name"] == "LeastSquares"
    assert config["w0"] == [0.48, 0.33]


def test_the_defaults_and_the_initial_choice(block):
    assert config_of(block)["defaults"] == {"batch": 0, "lr": 4, "schedule": 0, "epochs": 50, "seed": 0}
    chosen = config_of(es.sgd_explorable("x", batch_size=100, lr=1.0, schedule="inverse_time", epochs=7,
                                         seed=4))["defaults"]
    assert chosen == {"batch": len(es.BATCH_SIZES) - 1, "lr": len(es.LEARNING_RATES) - 1, "schedule": 1,
                      "epochs": 7, "seed": len(es.SEEDS) - 1}


def test_the_schedule_settings_name_gdlessons_schedules(block):
    for schedule in config_of(block)["schedules"]:
        assert len(schedule["lr"]) == len(es.LEARNING_RATES)
        for lr, setting in zip(es.LEARNING_RATES, schedule["lr"]):
            if schedule["key"] == "constant":
                assert setting == lr
            else:
                kwargs = dict(setting)
                rule = getattr(gd.schedules, kwargs.pop("schedule"))(**kwargs)
                assert rule(0) == pytest.approx(lr, rel=1e-12)  # starts at the slider's rate
                assert rule(50) == pytest.approx(lr / 2, rel=1e-12)  # halved after T1 = 50 steps


def test_the_grid_covers_every_control_value():
    grid = list(es.settings_grid())
    assert len(grid) == len(es.BATCH_SIZES) * len(es.LEARNING_RATES) * len(es.SCHEDULES) * len(es.SEEDS)
    assert {s["batch_size"] for s in grid} == set(es.BATCH_SIZES)
    assert {s["seed"] for s in grid} == set(es.SEEDS)
    assert {s["optimizer"]["lr"] for s in grid if not isinstance(s["optimizer"]["lr"], dict)} == \
        set(es.LEARNING_RATES)
    assert {s["optimizer"]["lr"]["t0"] for s in grid if isinstance(s["optimizer"]["lr"], dict)} == \
        {float(f"{50 * lr:.12g}") for lr in es.LEARNING_RATES}
    assert all(s["epochs"] == s["steps"] == es.MAX_EPOCHS for s in grid)


def test_a_grid_setting_runs_in_gdlesson_as_the_contract_says():
    setting = next(s for s in es.settings_grid(epochs=5) if s["batch_size"] == 20
                   and isinstance(s["optimizer"]["lr"], dict) and s["optimizer"]["lr"]["t0"] == 5.0)
    lr = dict(setting["optimizer"]["lr"])
    schedule = getattr(gd.schedules, lr.pop("schedule"))(**lr)
    objective = setting["objective"]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # this setting converges: no warning
        run = gd.minimize(gd.LeastSquares(objective["X"], objective["y"]), np.array(setting["w0"]),
                          gd.GradientDescent(lr=schedule), batch_size=20, epochs=5, seed=setting["seed"])
    assert run.path.shape == (6, 2)
    assert run.losses[-1] < run.losses[0] / 10


@pytest.mark.parametrize("kwargs, name", [
    ({"id": ""}, "id"), ({"id": "a b"}, "id"), ({"id": 3}, "id"),
    ({"id": "x", "batch_size": 3}, "batch_size"), ({"id": "x", "batch_size": 0}, "batch_size"),
    ({"id": "x", "batch_size": True}, "batch_size"), ({"id": "x", "batch_size": "20"}, "batch_size"),
    ({"id": "x", "lr": 0.03}, "lr"), ({"id": "x", "lr": -0.02}, "lr"), ({"id": "x", "lr": None}, "lr"),
    ({"id": "x", "schedule": "step_decay"}, "schedule"), ({"id": "x", "schedule": None}, "schedule"),
    ({"id": "x", "epochs": 0}, "epochs"), ({"id": "x", "epochs": 51}, "epochs"),
    ({"id": "x", "epochs": 2.0}, "epochs"), ({"id": "x", "seed": 5}, "seed"),
    ({"id": "x", "seed": -1}, "seed"),
])
def test_bad_arguments_name_the_parameter_its_value_and_what_is_allowed(kwargs, name):
    with pytest.raises(ValueError, match=f"sgd_explorable: `{name}` must be") as caught:
        es.sgd_explorable(**kwargs)
    assert repr(kwargs[name]) in str(caught.value)


def test_the_allowed_values_are_listed_in_the_error():
    with pytest.raises(ValueError, match=re.escape(str(list(es.BATCH_SIZES)))):
        es.sgd_explorable("x", batch_size=3)
    with pytest.raises(ValueError, match="from 1 to 50"):
        es.sgd_explorable("x", epochs=100)


@pytest.mark.parametrize("kwargs, name", [({"seed": 7}, "seed"), ({"seed": 0, "epochs": 0}, "epochs")])
def test_shuffles_checks_its_arguments(kwargs, name):
    with pytest.raises(ValueError, match=f"shuffles: `{name}`"):
        es.shuffles(**kwargs)
