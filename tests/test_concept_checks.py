"""Concept checks: their HTML, their validation, and their feedback in a browser (no built site needed).

The checks on the built pages (how many per chapter, every option of every check) are tested in
tests/test_site_checks.py.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from browser_helpers import chromium_page

import gdlesson as gd

CHOICE = dict(question="Which way does a step of `w - lr * g` move?",
              choices=[("Along g", "That climbs: f grows fastest along g."),
                       ("Against g", "Yes: -g is the steepest way down."),
                       ("Sideways <b>", "No: nothing in the rule turns the step.")],
              correct=1)
NUMBER = dict(question="What is the largest stable learning rate for L = 25?", answer=2 / 25,
              tolerance=0.001, explain="Stable below 2/L = 0.08.", wrong={1 / 25: "That is 1/L."})


def test_the_same_call_gives_the_same_string_and_escapes_the_text():
    first = gd.concept_check("ch0-way", **CHOICE)
    assert first == gd.concept_check("ch0-way", **CHOICE)
    assert 'data-concept-check="ch0-way"' in first
    assert "<code>w - lr * g</code>" in first and "Sideways &lt;b&gt;" in first and "<b>" not in first
    assert first.count('<input type="radio"') == 3 and first.count("data-right=\"1\"") == 1
    right = re.search(r'<input type="radio" data-right="1"[^>]*id="([^"]+)"', first).group(1)
    assert right == "gdq-ch0-way-1"
    assert len(first.encode()) < 10_000


def test_a_number_check_carries_its_answer_tolerance_and_slips():
    text = gd.concept_check("ch0-lr", **NUMBER)
    attributes = dict(re.findall(r'data-(answer|tolerance|wrong)="([^"]*)"', text))
    values = {key: json.loads(value.replace("&quot;", '"')) for key, value in attributes.items()}
    assert values["answer"] == pytest.approx(0.08) and values["tolerance"] == pytest.approx(0.001)
    assert values["wrong"] == [[0.04, "That is 1/L."]]
    assert '<label for="gdq-ch0-lr-x">Your answer</label>' in text


@pytest.mark.parametrize("changes, name, error", [
    ({"id": "a b"}, "id", ValueError),
    ({"question": "  "}, "question", TypeError),
    ({"correct": 3}, "correct", ValueError),
    ({"correct": True}, "correct", ValueError),
    ({"choices": [("only one", "why")]}, "choices", TypeError),
    ({"choices": "ab"}, "choices", TypeError),
    ({"choices": [("a", "why"), ("b",)]}, r"choices\[1\]", TypeError),
    ({"choices": [("a", "why"), ("b", "")]}, r"choices\[1\]\[1\]", TypeError),
    ({"answer": 1.0}, "answer", ValueError),
])
def test_bad_multiple_choice_arguments_name_the_parameter(changes, name, error):
    kwargs = {"id": "ch0-x", **CHOICE, **changes}
    with pytest.raises(error, match=f"concept_check: `{name}` must be"):
        gd.concept_check(**kwargs)


@pytest.mark.parametrize("changes, name, error", [
    ({"tolerance": None}, "tolerance", ValueError),
    ({"tolerance": 0.0}, "tolerance", ValueError),
    ({"answer": float("nan")}, "answer", ValueError),
    ({"explain": None}, "explain", TypeError),
    ({"wrong": {0.0805: "too close to be a slip"}}, "wrong", ValueError),
    ({"correct": 0}, "correct", ValueError),
])
def test_bad_number_arguments_name_the_parameter(changes, name, error):
    kwargs = {"id": "ch0-x", **NUMBER, **changes}
    with pytest.raises(error, match=f"concept_check: `{name}` must be"):
        gd.concept_check(**kwargs)


def test_a_question_needs_choices_or_an_answer():
    with pytest.raises(ValueError, match="`choices` must be"):
        gd.concept_check("ch0-x", "What?")


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    page_file = Path(tmp_path_factory.mktemp("checks")) / "checks.html"
    body = gd.concept_check("ch0-way", **CHOICE) + gd.concept_check("ch0-lr", **NUMBER)
    page_file.write_text(f"<!doctype html><html lang='en'><body>{body}</body></html>", encoding="utf-8")
    with chromium_page("the concept-check test") as page:
        page.goto(page_file.as_uri())
        yield page
        assert not page.errors, page.errors


def feedback(page, id):
    return page.locator(f'[data-concept-check="{id}"] .gd-check-feedback').inner_text()


def test_picking_an_option_with_the_keyboard_shows_its_feedback(page):
    page.focus("#gdq-ch0-way-0")
    page.keyboard.press("Space")
    assert feedback(page, "ch0-way") == "✗ Not quite. That climbs: f grows fastest along g."
    page.keyboard.press("ArrowDown")  # moves the choice to the next option, as radio groups do
    assert feedback(page, "ch0-way") == "✓ Right. Yes: -g is the steepest way down."
    page.keyboard.press("ArrowDown")
    assert feedback(page, "ch0-way").startswith("✗ Not quite. No: nothing")


@pytest.mark.parametrize("typed, expected", [
    ("0.08", "✓ Right. Stable below 2/L = 0.08."),
    ("0,0805", "✓ Right. Stable below 2/L = 0.08."),
    ("2/25", "✓ Right. Stable below 2/L = 0.08."),
    ("0.04", "✗ Not quite. That is 1/L. Stable below 2/L = 0.08."),
    ("0.5", "✗ Not quite. Stable below 2/L = 0.08."),
    ("eight", "Type a number, such as 0.25 or 1/4."),
])
def test_a_typed_number_gets_its_verdict_on_enter(page, typed, expected):
    box = page.locator("#gdq-ch0-lr-x")
    box.fill(typed)
    box.press("Enter")
    assert feedback(page, "ch0-lr") == expected
    assert page.url.endswith("checks.html")  # the form never leaves the page
