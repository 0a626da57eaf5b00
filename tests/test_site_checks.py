"""The concept checks on the built site, answered from the keyboard as a reader would.

Every chapter page has 4 to 8 checks, with ids unique in the book. In every multiple-choice check each
option is picked in turn, with the keyboard: its feedback appears at once and says "Right" for the one right
option only. In every number check the stored answer is typed and gets "Right", and a number far from it
gets "Not quite". Run after ``make book`` (``make test`` does), like tests/test_site.py.
"""

from __future__ import annotations

import json
import re

import pytest
from browser_helpers import ROOT, SITE, chromium_page, require_site

CHAPTERS = sorted(p.stem for p in (ROOT / "book").glob("0[1-9]_*.ipynb"))


@pytest.fixture(scope="module")
def page():
    require_site()
    with chromium_page("the concept-check test") as page:
        yield page


def test_every_chapter_has_4_to_8_checks_with_ids_unique_in_the_book():
    require_site()
    seen = {}
    for chapter in CHAPTERS:
        text = (SITE / "book" / f"{chapter}.html").read_text(encoding="utf-8")
        ids = re.findall(r'<form class="gd-check" data-concept-check="([^"]+)"', text)
        assert 4 <= len(ids) <= 8, f"{chapter}: {len(ids)} concept checks"
        for id in ids:
            assert id not in seen, f"{id} is on {seen.get(id)} and on {chapter}"
            seen[id] = chapter


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_every_option_of_every_check_gives_its_feedback(page, chapter):
    page.goto((SITE / "book" / f"{chapter}.html").as_uri())
    page.wait_for_load_state("load")
    checks = page.locator("form[data-concept-check]")
    assert checks.count() >= 4
    for k in range(checks.count()):
        check = checks.nth(k)
        id = check.get_attribute("data-concept-check")
        status = check.locator(".gd-check-feedback")
        assert status.get_attribute("role") == "status"
        if json.loads(check.get_attribute("data-kind")) == "choice":
            options = check.locator('input[type="radio"]')
            rights = 0
            for i in range(options.count()):
                option = options.nth(i)
                option.focus()
                page.keyboard.press("Space")
                said = status.inner_text()
                right = option.get_attribute("data-right") == "1"
                rights += right
                assert said.startswith("✓ Right." if right else "✗ Not quite."), (id, i, said)
                assert len(said) > len("✗ Not quite. ") + 10, (id, i, said)
            assert rights == 1, id
        else:
            answer = json.loads(check.get_attribute("data-answer"))
            box = check.locator('input[type="text"]')
            box.fill(repr(answer))
            box.press("Enter")
            assert status.inner_text().startswith("✓ Right."), (id, status.inner_text())
            far = answer + 1000 * json.loads(check.get_attribute("data-tolerance")) + 1
            box.fill(repr(far))
            box.press("Enter")
            assert status.inner_text().startswith("✗ Not quite."), (id, status.inner_text())
    assert not page.errors, page.errors
