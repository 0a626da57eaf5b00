"""Concept checks: short questions with immediate feedback, on the static site and in a running notebook.

:func:`concept_check` returns one self-contained block of HTML: the question and its options as a plain
form (readable with no script at all), the feedback for every option, and a small script,
``gdlesson/js/check.js``, that shows the feedback as soon as the reader picks an option or checks a
number. Display it with ``IPython.display.HTML``. Nothing is random and nothing is fetched: the same call
gives the same string, so notebooks with their outputs stay reproducible, and the page works offline.

Two kinds of question:

* **multiple choice**: ``choices=[(text, feedback), ...]`` and ``correct=`` the index of the right one;
  every option has its one-line feedback, which for a wrong option says why it is wrong;
* **a number**: ``answer=`` and ``tolerance=``; ``explain=`` says how to get it, and ``wrong=`` maps
  common slips to the reason they are wrong.

The text is plain: HTML is shown as typed (escaped), and a span in backticks is set as code.
"""

from __future__ import annotations

import html
import json
import math
import numbers
import re

from ._validation import check_real, fail
from .explorables import _check_id, _script

__all__ = ["concept_check"]

_CSS = """
.gd-check { border: 1px solid rgba(128, 128, 128, 0.5); border-left-width: 4px; border-radius: 6px;
  padding: 0.6rem 0.9rem; margin: 1rem 0; color: inherit; }
.gd-check fieldset { border: 0; margin: 0; padding: 0; min-width: 0; }
.gd-check legend { padding: 0; margin-bottom: 0.4rem; font-size: 1rem; font-weight: 600; line-height: 1.5; }
.gd-check .gd-check-kind { display: block; font-size: 0.85em; font-weight: 400; opacity: 0.9; }
.gd-check .gd-check-option { display: flex; gap: 0.5rem; align-items: baseline; margin: 0.2rem 0; }
.gd-check .gd-check-option input { flex: none; }
.gd-check input[type=text] { width: 9rem; color: inherit; background: transparent;
  border: 1px solid #767676; border-radius: 4px; padding: 0.1rem 0.3rem; }
.gd-check button { color: inherit; background: transparent; border: 1px solid #767676; border-radius: 4px;
  padding: 0.1rem 0.6rem; margin-left: 0.4rem; cursor: pointer; }
.gd-check .gd-check-feedback { margin: 0.4rem 0 0; min-height: 1.2em; }
.gd-check .gd-check-feedback:empty { display: none; }
.gd-check.gd-right { border-left-color: #2a9d8f; }
.gd-check.gd-wrong { border-left-color: #d55e00; }
"""

_CODE = re.compile(r"`([^`]+)`")


def _markup(text):
    """Plain text to HTML: everything escaped, spans in backticks as <code>."""
    return _CODE.sub(lambda m: f"<code>{m.group(1)}</code>", html.escape(text, quote=False))


def _text(owner, name, value):
    if not isinstance(value, str) or not value.strip():
        fail(owner, name, "a non-empty string", value, TypeError)
    return value.strip()


def _attribute(value):
    return html.escape(json.dumps(value, ensure_ascii=False, separators=(",", ":")), quote=True)


def concept_check(id, question, *, choices=None, correct=None, answer=None, tolerance=None, explain=None,
                  wrong=None):
    """HTML of a concept check: a question, its options or a number box, and feedback at once.

    Give either ``choices`` and ``correct`` (multiple choice) or ``answer``, ``tolerance`` and
    ``explain`` (a number), not both.

    Parameters
    ----------
    id : str
        A name unique in the book (letters, digits and ``-``), such as ``"ch3-batch-noise"``; the root
        element's ``data-concept-check``.
    question : str
        The question, plain text (``code`` in backticks).
    choices : sequence of (str, str), optional
        2 to 6 options, each ``(text, feedback)``: the feedback is shown when the reader picks the option;
        for a wrong option it says, in a line, why it is wrong.
    correct : int, optional
        The index of the right option in ``choices``.
    answer : float, optional
        The number asked for.
    tolerance : float, optional
        A typed number ``x`` is right when ``|x - answer| <= tolerance``; > 0.
    explain : str, optional
        How to get the number, shown after every attempt (a number question only).
    wrong : dict of float to str, optional
        Common slips: a typed number within ``tolerance`` of a key gets its reason (a number question only).

    Returns
    -------
    str
        A block of HTML with its style and script; the same string on every call with the same arguments.

    Examples
    --------
    >>> from IPython.display import HTML                                 # doctest: +SKIP
    >>> HTML(concept_check("ch1-sign", "Which way does a gradient step move w?",
    ...                    choices=[("Along the gradient", "That climbs: f grows fastest along it."),
    ...                             ("Against the gradient", "Yes: -grad f is the steepest way down.")],
    ...                    correct=1))                                    # doctest: +SKIP
    """
    owner = "concept_check"
    _check_id(owner, id)
    question = _text(owner, "question", question)
    numeric = [answer, tolerance, explain, wrong]
    if choices is not None:
        if any(value is not None for value in numeric):
            fail(owner, "answer", "None with `choices` (a question is multiple choice or a number)", answer)
        body, data = _choice_body(owner, id, choices, correct), {"kind": "choice"}
    elif answer is not None:
        if correct is not None:
            fail(owner, "correct", "None for a number question (it has `answer`)", correct)
        body, data = _number_body(owner, id, answer, tolerance, explain, wrong)
    else:
        fail(owner, "choices", "a list of (text, feedback) pairs, or give `answer` for a number question",
             choices)
    kind = "Concept check" if data["kind"] == "choice" else "Concept check: type a number"
    attributes = " ".join(f'data-{key}="{_attribute(value)}"' for key, value in sorted(data.items()))
    mount = (f'document.querySelectorAll(\'[data-concept-check="{id}"]\').forEach(function (root) {{'
             f' if (!root.dataset.mounted) {{ root.dataset.mounted = "1"; window.GDCheck.mount(root); }} }});')
    return (f'<form class="gd-check" data-concept-check="{id}" {attributes}>\n'
            f"<style>{_CSS}</style>\n"
            f'<fieldset>\n<legend><span class="gd-check-kind">{kind}</span>{_markup(question)}</legend>\n'
            f"{body}</fieldset>\n"
            '<p class="gd-check-feedback" role="status" aria-live="polite"></p>\n'
            f"<script>\n{_script('check.js')}\n{mount}\n</script>\n</form>")


def _choice_body(owner, id, choices, correct):
    if isinstance(choices, (str, bytes)) or not hasattr(choices, "__len__") or not 2 <= len(choices) <= 6:
        fail(owner, "choices", "a list of 2 to 6 (text, feedback) pairs", choices, TypeError)
    rows = []
    for k, pair in enumerate(choices):
        if not isinstance(pair, (tuple, list)) or len(pair) != 2:
            fail(owner, f"choices[{k}]", "a pair (text, feedback)", pair, TypeError)
        text, feedback = _text(owner, f"choices[{k}][0]", pair[0]), _text(owner, f"choices[{k}][1]", pair[1])
        key, tip = f"gdq-{id}-{k}", html.escape(_markup(feedback), quote=True)
        rows.append(f'<div class="gd-check-option"><input type="radio" name="gdq-{id}" id="{key}" value="{k}" '
                    f'data-feedback="{tip}"><label for="{key}">{_markup(text)}</label></div>\n')
    if not isinstance(correct, numbers.Integral) or isinstance(correct, bool) or not 0 <= correct < len(rows):
        fail(owner, "correct", f"the index of the right option, 0 to {len(rows) - 1}", correct)
    rows[correct] = rows[correct].replace('type="radio"', 'type="radio" data-right="1"', 1)
    return "".join(rows)


def _number_body(owner, id, answer, tolerance, explain, wrong):
    answer = check_real(owner, "answer", answer)
    if tolerance is None:
        fail(owner, "tolerance", "a number > 0 (how far a typed number may be from `answer`)", tolerance)
    tolerance = check_real(owner, "tolerance", tolerance, low=0.0, low_open=True)
    explain = _text(owner, "explain", explain)
    slips = []
    for value, reason in (wrong or {}).items():
        value = check_real(owner, "wrong (a key)", value)
        if abs(value - answer) <= 2 * tolerance:
            fail(owner, "wrong", f"slips farther than 2 * tolerance = {2 * tolerance:g} from the answer",
                 value)
        slips.append([_number(value), _markup(_text(owner, f"wrong[{value!r}]", reason))])
    data = {"kind": "number", "answer": _number(answer), "tolerance": _number(tolerance), "explain": _markup(explain),
            "wrong": slips}
    body = (f'<label for="gdq-{id}-x">Your answer</label> '
            f'<input type="text" inputmode="decimal" autocomplete="off" id="gdq-{id}-x" name="gdq-{id}">'
            '<button type="submit">Check</button>\n')
    return body, data


def _number(value):
    """A float written with the digits that matter (17 significant at most; the same on every machine)."""
    return float(f"{value:.12g}") if math.isfinite(value) else value
