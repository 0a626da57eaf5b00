"""Checks on the notebooks as committed (no kernel needed; strict nbval re-executes them separately).

The site shows the outputs stored in the notebooks (`execute_notebooks: off`), so what is committed is
what readers see. These tests fail when a chapter notebook:

* was not executed top to bottom in one fresh kernel (`make notebooks` does that), or carries an error;
* has a kernel other than `python3`, or execution timestamps that churn git diffs;
* shows an absolute path of the author's machine, a memory address, or a stray Python warning;
* has a figure with neither alt text nor a caption, or an SVG figure (nbval cannot compare SVG: it
  carries a date);
* is missing from _toc.yml (or _toc.yml names a file that does not exist).

A cell that shows a warning on purpose (say, the divergence warning of chapter 1) carries the cell tag
`shows-warning`; a cell that raises on purpose carries `raises-exception`; a cell that is never run
(a live widget, say) carries both `skip-execution` (nbclient) and `nbval-skip` (nbval).
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
BOOK = ROOT / "book"
NOTEBOOKS = sorted(BOOK.glob("*.ipynb"))

ABSOLUTE_PATH = re.compile(r"(?<![\w.])/(root|home|tmp|work|Users)/")
MEMORY_ADDRESS = re.compile(r" at 0x[0-9a-fA-F]{6,}")
PYTHON_WARNING = re.compile(r"\b(Runtime|Deprecation|PendingDeprecation|Future|User|Syntax)Warning\b")
DATA_URI = re.compile(r"data:[\w/+.-]+;base64,[A-Za-z0-9+/=\\\s]+")
TEXT_MIME = ("text/plain", "text/html", "text/markdown", "text/latex", "application/javascript")


def code_cells(nb):
    return [c for c in nb.cells if c.cell_type == "code" and c.source.strip()]


def output_text(output) -> str:
    """Every text a reader can see in one output, with embedded images (data URIs) left out."""
    if output.output_type == "stream":
        text = output.text
    elif output.output_type == "error":
        text = "\n".join([output.ename, output.evalue, *output.traceback])
    else:
        text = "\n".join(str(output.data[m]) for m in TEXT_MIME if m in output.get("data", {}))
    return DATA_URI.sub("data:<embedded>", text)


def tags(cell) -> set[str]:
    return set(cell.metadata.get("tags", []))


@pytest.fixture(params=NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def nb(request):
    return nbformat.read(request.param, as_version=4)


def test_there_are_notebooks():
    assert NOTEBOOKS, f"no notebooks in {BOOK}"


def test_kernel_is_python3(nb):
    spec = nb.metadata.get("kernelspec", {})
    assert spec.get("name") == "python3", f"kernelspec name must be 'python3'; got {spec.get('name')!r}"
    assert spec.get("language") == "python", f"kernelspec language must be 'python'; got {spec}"


def test_executed_top_to_bottom_in_one_run(nb):
    run = [c for c in code_cells(nb) if "skip-execution" not in tags(c)]
    counts = [c.execution_count for c in run]
    assert counts == list(range(1, len(counts) + 1)), (
        f"code cells must be executed once, in order, in a fresh kernel (`make notebooks`); "
        f"execution counts are {counts}"
    )
    if counts:
        assert any(c.outputs for c in run), "committed without outputs: run `make notebooks`"


def test_cells_not_run_are_skipped_by_nbval_too(nb):
    """A cell tagged `skip-execution` (never run by `make notebooks`, e.g. a live widget) must also be
    tagged `nbval-skip`, or strict nbval would run it and compare against outputs that were never stored."""
    for i, cell in enumerate(code_cells(nb)):
        if "skip-execution" in tags(cell):
            assert "nbval-skip" in tags(cell), f"code cell {i} is tagged skip-execution but not nbval-skip"
            assert cell.execution_count is None and not cell.outputs, (
                f"code cell {i} is tagged skip-execution but carries outputs from an earlier run"
            )


def test_no_errors_unless_expected(nb):
    for i, cell in enumerate(code_cells(nb)):
        errors = [o for o in cell.outputs if o.output_type == "error"]
        if errors and "raises-exception" not in tags(cell):
            pytest.fail(f"code cell {i} raised {errors[0].ename}: {errors[0].evalue}")


def test_no_timing_metadata(nb):
    for i, cell in enumerate(nb.cells):
        assert "execution" not in cell.metadata, (
            f"cell {i} carries execution timestamps (metadata.execution): run `make notebooks`, "
            "which strips them, rather than `jupyter execute --inplace`"
        )


@pytest.mark.parametrize("pattern, what", [
    (ABSOLUTE_PATH, "an absolute path of this machine"),
    (MEMORY_ADDRESS, "a memory address (end plotting lines with ';')"),
])
def test_outputs_are_portable(nb, pattern, what):
    for i, cell in enumerate(code_cells(nb)):
        for output in cell.outputs:
            match = pattern.search(output_text(output))
            assert match is None, f"code cell {i}: an output shows {what}: {match.group(0)!r}"


def test_no_stray_warnings(nb):
    for i, cell in enumerate(code_cells(nb)):
        if "shows-warning" in tags(cell):
            continue
        for output in cell.outputs:
            match = PYTHON_WARNING.search(output_text(output))
            assert match is None, (
                f"code cell {i}: an output carries a {match.group(0)}: fix its cause, or tag the cell "
                "`shows-warning` if the chapter shows it on purpose"
            )


def test_figures_are_png_with_alt_text_or_caption(nb):
    for i, cell in enumerate(code_cells(nb)):
        mimes = {m for o in cell.outputs for m in o.get("data", {})}
        assert "image/svg+xml" not in mimes, f"code cell {i}: SVG figure (use the default PNG inline backend)"
        if "image/png" not in mimes and "image/jpeg" not in mimes:
            continue
        mystnb = cell.metadata.get("mystnb", {})
        alt = mystnb.get("image", {}).get("alt", "").strip()
        caption = mystnb.get("figure", {}).get("caption", "").strip()
        assert alt or caption, (
            f"code cell {i} draws a figure without alt text or caption; add cell metadata "
            '{"mystnb": {"image": {"alt": "..."}, "figure": {"caption": "...", "name": "fig-..."}}}'
        )


def test_toc_and_notebooks_agree():
    import yaml  # installed with jupyter-book

    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    chapters = toc.get("chapters", []) + [ch for part in toc.get("parts", []) for ch in part.get("chapters", [])]
    entries = [toc["root"]] + [ch["file"] for ch in chapters]
    missing = [e for e in entries if not any((ROOT / f"{e}{ext}").is_file() for ext in (".md", ".ipynb"))]
    assert missing == [], f"_toc.yml names pages that do not exist: {missing}"
    unlisted = [p.name for p in NOTEBOOKS if f"book/{p.stem}" not in entries]
    assert unlisted == [], f"notebooks missing from _toc.yml (the site would not show them): {unlisted}"


def test_valid_nbformat(nb):
    nbformat.validate(nb)  # raises ValidationError naming the offending field
