"""Every number the prose of a chapter states comes from that chapter's code or outputs.

A number typed by hand from an output drifts when the computation changes; a number typed from memory may
never have been computed at all. This test reads each chapter notebook and collects the numbers in its
markdown cells (decimals, integers, percentages and powers of ten such as ``2 \\times 10^{-9}``), then looks
for each in the notebook's code cells and stored outputs. A prose number matches a computed one when the
computed value, rounded to the digits the prose shows, equals it ("about 0.51" matches an output 0.508; "5.6"
does not match 5.538).

Not checked: headings, cross-references ("chapter 4", "section 3.6", "Exercise 15", labels), code in
backticks or fenced blocks (that is code, and it joins the haystack), and the few constants each chapter lists
in ``ALLOWED`` below with the reason they need no computation (a year, an exact identity of the math).
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CHAPTERS = sorted((ROOT / "book").glob("0*.ipynb"))

# Numbers the prose may state without a computation, per chapter: value -> why.
ALLOWED: dict[str, dict[str, str]] = {
    "01_theory": {
        "0.0016": "10^-4 * 4^2, the arithmetic written out in the text",
        "0.9998": "1 - 2 * 10^-4, the factor written out in the text",
        "1.8": "0.3 * 6 in the exercise solution's arithmetic 1 - 1.8 = -0.8",
        "10^{-7}": "CS231n's threshold for a right gradient, a quoted constant",
        "10^{10}": "gd.minimize's blow-up threshold, a constant of the library the text describes",
        "19": "19/21 = 1 - 2/21, the exact rate of the exercise",
        "21": "19/21 = 1 - 2/21, the exact rate of the exercise",
        "2.05": "eta * L = 0.205 * 10, written out in the text",
        "2.1": "eta * L = 0.21 * 10, written out in the text",
        "59": "the index in the ratio ||e_60|| / ||e_59||",
        "80": "|(4, 8)|^2 = 16 + 64 under the square root",
    },
    "02_contours": {
        "10^{-7}": "CS231n's threshold for a right gradient, a quoted constant",
    },
    "03_linear_regression": {
        "1951": "the year of Robbins and Monro's paper",
    },
    "04_momentum_adaptive": {
        "1964": "the year of Polyak's heavy-ball paper",
        "2011": "the year of Duchi, Hazan and Singer's AdaGrad paper",
        "2012": "the year of Hinton's lecture notes that introduced RMSProp",
        "2015": "the year of Kingma and Ba's Adam paper",
    },
}

FENCE = re.compile(r"^(```+|~~~+).*?^\1\s*$", re.S | re.M)
INLINE_CODE = re.compile(r"`[^`\n]*`")
REFERENCE = re.compile(r"\{(?:ref|numref|doc|eq|prf:ref)\}`[^`]*`|\([\w-]+\)=|:label:.*|:class:.*")
NAMED = re.compile(r"(?i)\b(?:chapters?|sections?|exercises?|figures?|tables?|cells?|steps? \d+ to|seeds? \d+ to)\s+"
                   r"\d+(?:\.\d+)*(?:\s*(?:-|–|to|and)\s*\d+(?:\.\d+)*)?")
SCI = re.compile(r"(?<![\w.])(?:(\d+(?:\.\d+)?)\s*\\times\s*)?10\^\{?(-?\d+)\}?")
NUMBER = re.compile(r"(?<![\w.^_\\])-?\d+(?:,\d{3})*(?:\.\d+)?(?![\w.]*\d)")
COMPUTED = re.compile(r"-?\d+(?:\.\d+)?(?:e[-+]?\d+)?", re.I)


def _cells(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def _text_outputs(cell: dict) -> str:
    parts = []
    for out in cell.get("outputs", []):
        if out.get("output_type") == "stream":
            parts.append("".join(out.get("text", "")))
        data = out.get("data", {})
        for kind in ("text/plain", "text/html", "text/markdown"):
            if kind in data:
                parts.append("".join(data[kind]))
    return "\n".join(parts)


def computed_values(path: Path) -> list[float]:
    """Every number in the notebook's code, outputs and fenced or backticked code of its markdown."""
    hay = []
    for cell in _cells(path):
        src = "".join(cell["source"])
        if cell["cell_type"] == "code":
            hay += [src, _text_outputs(cell)]
        else:
            hay += [m.group(0) for m in FENCE.finditer(src)]
            hay += INLINE_CODE.findall(src)
    values = []
    for text in hay:
        for token in COMPUTED.findall(text):
            try:
                values.append(float(token))
            except ValueError:
                pass
    return values


def prose_numbers(path: Path) -> list[tuple[str, float, float]]:
    """(as written, value, the rounding unit it was written to) for each number in the markdown prose."""
    found = []
    for cell in _cells(path):
        if cell["cell_type"] != "markdown":
            continue
        text = "".join(cell["source"])
        text = FENCE.sub(" ", text)
        text = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
        for pattern in (INLINE_CODE, REFERENCE, NAMED):
            text = pattern.sub(" ", text)
        for m in SCI.finditer(text):
            mantissa, exponent = m.group(1), int(m.group(2))
            if mantissa is None:
                found.append((m.group(0), 10.0 ** exponent, 10.0 ** exponent))
            else:
                decimals = len(mantissa.split(".")[1]) if "." in mantissa else 0
                value = float(mantissa) * 10.0 ** exponent
                found.append((m.group(0), value, 10.0 ** (exponent - decimals)))
        text = SCI.sub(" ", text)
        for m in NUMBER.finditer(text):
            written = m.group(0).replace(",", "")
            percent = text[m.end():m.end() + 2].lstrip().startswith("%")
            decimals = len(written.split(".")[1]) if "." in written else 0
            value = float(written)
            found.append((m.group(0) + ("%" if percent else ""), value, 10.0 ** -decimals))
    return found


def matches(value: float, unit: float, computed: list[float]) -> bool:
    """True when some computed number, rounded to `unit`, is `value` (sign-insensitive)."""
    for c in computed:
        for candidate in (c, -c):
            if math.isclose(candidate, value, rel_tol=1e-12, abs_tol=1e-300):
                return True
            if abs(candidate - value) <= unit / 2 * (1 + 1e-9):
                return True
    return False


def unchecked(path: Path) -> list[str]:
    computed = computed_values(path)
    allowed = ALLOWED.get(path.stem, {})
    missing = []
    for written, value, unit in prose_numbers(path):
        if written.rstrip("%") in allowed or matches(value, unit, computed):
            continue
        if written.endswith("%") and matches(value / 100, unit / 100, computed):  # 85% from 0.85
            continue
        missing.append(written)
    return sorted(set(missing))


@pytest.mark.parametrize("path", CHAPTERS, ids=[p.stem for p in CHAPTERS])
def test_every_prose_number_comes_from_code_or_outputs(path):
    missing = unchecked(path)
    assert not missing, (
        f"{path.name}: these numbers in the prose appear in no code or output of the notebook (print them, "
        f"or list a true constant in ALLOWED with its reason): {missing}"
    )


def test_the_reader_is_not_fooled():
    """The parser itself: rounding, powers of ten and references."""
    assert matches(0.51, 0.01, [0.508]) and not matches(5.6, 0.1, [5.538])
    assert matches(2e-9, 1e-9, [2.3e-09]) and not matches(1e-10, 1e-10, [3.1e-10, 2.0])
    computed = [float(x) for x in COMPUTED.findall("f = 1.37e-10, w = [0.5 2.]")]
    assert computed == [1.37e-10, 0.5, 2.0]
