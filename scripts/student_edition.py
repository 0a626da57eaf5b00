"""Build the student edition of the course into _build/student/ (`make student` runs this).

Usage (from the repository root, with the project's .venv):

    python scripts/student_edition.py                  # notebooks and site
    python scripts/student_edition.py --no-site        # notebooks only (a few seconds)

It writes

* ``_build/student/notebooks/0N_name.ipynb``: each chapter with every solution removed (the cells from
  ``solution-start`` to ``solution-end``, inclusive) and, after each exercise that has code in its
  solution, a "your code here" cell that raises ``NotImplementedError`` with a friendly message,
  followed by the exercise's check cell (the solution cell tagged ``exercise-check``, which calls one of
  :mod:`gdlesson.checks`). Exercise boxes become plain Markdown, which any Jupyter shows. Outputs of the
  chapter's own cells are kept, so the notebooks read like the site. A copy of the ``gdlesson`` package
  sits next to them, so they run from that folder.
* ``_build/student/html/``: the site built from the same chapters with the solution cells removed and
  sphinx-exercise's ``hide_solutions: true``, which hides ``{solution}`` directives. That option alone is
  not enough for gated solutions: sphinx-exercise drops the ``solution-start`` node but keeps the cells up
  to ``solution-end`` and the end node, whose HTML writer then fails ("departing unknown node type:
  solution_end_node", sphinx-exercise 1.x). Hence the removal of those cells here. The page sources
  (``_sources/``, with the full notebooks) and the download button are left out, and so is the
  instructors' page.

The site is built with warnings as errors (``-W -n --keep-going``), from a staging copy of the book in
``_build/.student-src`` (never edit it; it is rewritten on every run).
"""

from __future__ import annotations

import argparse
import copy
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import yaml

ROOT = Path(__file__).resolve().parent.parent
BOOK = ROOT / "book"
OUT = ROOT / "_build" / "student"
STAGING = ROOT / "_build" / ".student-src"
SITE_BUILD = ROOT / "_build" / ".student-build"
STAMP = OUT / ".built"  # written last: its time tells the tests whether the edition is up to date
INSTRUCTOR_PAGES = {"book/instructors"}  # left out of the student site
CHECK_TAG = "exercise-check"
BLANK_TAG = "exercise-blank"

_START = re.compile(r"^(`{3,}|:{3,})\{solution-start\}\s*(\S+)", re.M)
_END = re.compile(r"^(`{3,}|:{3,})\{solution-end\}", re.M)
_PLAIN_SOLUTION = re.compile(r"^(`{3,}|:{3,})\{solution\}", re.M)
_EXERCISE = re.compile(
    r"^(?P<fence>`{3,}|:{3,})\{exercise\}[ \t]*(?P<title>[^\n]*)\n"  # opening fence and title
    r"(?P<options>(?:[ \t]*:[\w-]+:[^\n]*\n)*)"  # :label: and other options
    r"(?P<body>.*?)\n(?P=fence)[ \t]*$",  # body up to the matching closing fence
    re.M | re.S,
)


# --------------------------------------------------------------------------------------------------------
# Reading the solutions out of a chapter
# --------------------------------------------------------------------------------------------------------


def solution_blocks(nb):
    """The gated solutions of a notebook: a list of ``(label, first_cell, last_cell)``, both inclusive."""
    blocks, open_block = [], None
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "markdown":
            continue
        start = _START.search(cell.source)
        if start:
            if open_block is not None:
                raise ValueError(f"solution-start {start.group(2)} in cell {i} inside solution {open_block[0]}")
            open_block = (start.group(2), i)
        if _END.search(cell.source):
            if open_block is None:
                raise ValueError(f"solution-end in cell {i} without a solution-start")
            blocks.append((open_block[0], open_block[1], i))
            open_block = None
    if open_block is not None:
        raise ValueError(f"solution-start {open_block[0]} (cell {open_block[1]}) has no solution-end")
    return blocks


def exercise_titles(nb):
    """``{label: title}`` of every exercise in a notebook."""
    titles = {}
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for m in _EXERCISE.finditer(cell.source):
                label = re.search(r":label:\s*(\S+)", m.group("options"))
                if label:
                    titles[label.group(1)] = m.group("title").strip()
    return titles


def is_check(cell):
    return cell.cell_type == "code" and CHECK_TAG in cell.metadata.get("tags", [])


def _clean(cell):
    """A copy of a code cell without outputs or execution count."""
    cell = copy.deepcopy(cell)
    cell.outputs, cell.execution_count = [], None
    return cell


# --------------------------------------------------------------------------------------------------------
# The two student versions of a chapter
# --------------------------------------------------------------------------------------------------------


def site_notebook(nb):
    """The chapter for the student site: solution cells (and plain ``{solution}`` cells) removed."""
    drop = set()
    for _, first, last in solution_blocks(nb):
        drop.update(range(first, last + 1))
    out = copy.deepcopy(nb)
    out.cells = [c for i, c in enumerate(nb.cells)
                 if i not in drop and not (c.cell_type == "markdown" and _PLAIN_SOLUTION.search(c.source))]
    return out


def blank_cell(title, has_check):
    then = " Then run the next cell to check it." if has_check else ""
    source = (f"# Exercise: {title}\n"
              f"# Your code here: replace the `raise` line below with your answer.{then}\n"
              f"raise NotImplementedError(\"Your turn! Write your answer to '{title}' in this cell, in place "
              f"of this line.\")")
    cell = nbformat.v4.new_code_cell(source)
    cell.metadata["tags"] = [BLANK_TAG]
    return cell


def exercise_as_markdown(source):
    """Turn ```` ```{exercise} Title ```` boxes into plain Markdown that every notebook viewer shows."""
    def plain(m):
        label = re.search(r":label:\s*(\S+)", m.group("options"))
        tag = f" ({label.group(1)})" if label else ""
        return f"**Exercise{tag}: {m.group('title').strip()}**\n\n{m.group('body').strip()}"
    return _EXERCISE.sub(plain, source)


def student_notebook(nb):
    """The chapter for students: no solutions; a blank and the check after each exercise with code."""
    titles = exercise_titles(nb)
    blocks = {first: (label, last) for label, first, last in solution_blocks(nb)}
    out = copy.deepcopy(nb)
    out.cells = []
    i = 0
    while i < len(nb.cells):
        cell = nb.cells[i]
        if i in blocks:
            label, last = blocks[i]
            inside = nb.cells[i:last + 1]
            checks = [_clean(c) for c in inside if is_check(c)]
            if any(c.cell_type == "code" for c in inside):
                out.cells.append(blank_cell(titles.get(label, label), bool(checks)))
                out.cells.extend(checks)
            i = last + 1
            continue
        if cell.cell_type == "markdown":
            if _PLAIN_SOLUTION.search(cell.source):
                i += 1
                continue
            cell = copy.deepcopy(cell)
            cell.source = exercise_as_markdown(cell.source)
        out.cells.append(cell)
        i += 1
    out.nbformat_minor = max(out.nbformat_minor, 5)
    for k, cell in enumerate(out.cells):  # unique and the same on every run (new cells got random ids)
        cell["id"] = f"cell-{k}"
    return out


# --------------------------------------------------------------------------------------------------------
# Building
# --------------------------------------------------------------------------------------------------------


def chapters():
    return sorted(BOOK.glob("[0-9][0-9]_*.ipynb"))


def write_notebooks(out=OUT):
    """Write the student notebooks (and a copy of gdlesson beside them); return their paths."""
    folder = out / "notebooks"
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    paths = []
    for path in chapters():
        nb = student_notebook(nbformat.read(path, as_version=4))
        nbformat.validate(nb)
        nbformat.write(nb, folder / path.name)
        paths.append(folder / path.name)
    shutil.copytree(ROOT / "gdlesson", folder / "gdlesson", ignore=shutil.ignore_patterns("__pycache__"))
    (out / "README.md").write_text(_README, encoding="utf-8")
    return paths


def _student_toc(toc):
    """The table of contents without the instructors' pages (and without parts left empty)."""
    toc = copy.deepcopy(toc)
    for part in toc.get("parts", []):
        part["chapters"] = [c for c in part.get("chapters", []) if c.get("file") not in INSTRUCTOR_PAGES]
    toc["parts"] = [p for p in toc.get("parts", []) if p.get("chapters")]
    return toc


def _student_config(config):
    config = copy.deepcopy(config)
    config["title"] = f"{config.get('title', 'Course')} (student edition)"
    sphinx_config = config.setdefault("sphinx", {}).setdefault("config", {})
    sphinx_config["hide_solutions"] = True
    # The page sources and the download button would hand out the chapters with their solutions.
    sphinx_config["html_copy_source"] = False
    sphinx_config.setdefault("html_theme_options", {})["use_download_button"] = False
    return config


def stage_site_sources(staging=STAGING):
    """Copy the book into ``staging``, with the student config, toc and chapters."""
    if staging.exists():
        shutil.rmtree(staging)
    staging.mkdir(parents=True)
    skip = {p.name for p in chapters()} | {Path(p).name + ".md" for p in INSTRUCTOR_PAGES}
    shutil.copytree(BOOK, staging / "book",
                    ignore=lambda d, names: [n for n in names if (Path(d) == BOOK and n in skip)
                                             or n in ("__pycache__", ".ipynb_checkpoints")])
    shutil.copytree(ROOT / "gdlesson", staging / "gdlesson", ignore=shutil.ignore_patterns("__pycache__"))
    for path in chapters():
        nbformat.write(site_notebook(nbformat.read(path, as_version=4)), staging / "book" / path.name)
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    (staging / "_config.yml").write_text(yaml.safe_dump(_student_config(config), sort_keys=False),
                                         encoding="utf-8")
    (staging / "_toc.yml").write_text(yaml.safe_dump(_student_toc(toc), sort_keys=False), encoding="utf-8")
    return staging


def build_site(out=OUT):
    """Build the student site into ``out/html`` with warnings as errors; return the folder."""
    staging = stage_site_sources()
    if SITE_BUILD.exists():
        shutil.rmtree(SITE_BUILD)
    jupyter_book = Path(sys.executable).with_name("jupyter-book")
    command = [str(jupyter_book), "build", str(staging), "--path-output", str(SITE_BUILD),
               "-W", "-n", "--keep-going", "--all"]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    if result.returncode != 0:
        sys.stderr.write(result.stdout[-4000:] + result.stderr[-4000:])
        raise SystemExit(f"student_edition: the site build failed (exit code {result.returncode}).")
    html = out / "html"
    if html.exists():
        shutil.rmtree(html)
    shutil.move(str(SITE_BUILD / "_build" / "html"), str(html))
    return html


_README = """# Gradient Descent from Scratch: student edition

* `html/index.html`: the course website, without solutions. Open it in a browser; it works offline.
* `notebooks/`: one notebook per chapter, without solutions. Each exercise has a cell that says
  "Your code here": replace its `raise NotImplementedError(...)` line with your answer and run it,
  then run the cell after it, which checks your answer with `gdlesson.checks` and tells you what, if
  anything, is wrong.

Run the notebooks from the `notebooks/` folder (`jupyter lab` there): the `gdlesson` package next to them
is the course's companion module. They need Python 3.11+, NumPy, matplotlib, scikit-learn, ipywidgets
and JupyterLab.
"""


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-site", action="store_true", help="write the notebooks only")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    OUT.mkdir(parents=True, exist_ok=True)
    STAMP.unlink(missing_ok=True)
    for path in write_notebooks():
        print(f"wrote {path.relative_to(ROOT)}")
    if not args.no_site:
        print(f"built {build_site().relative_to(ROOT)}")
        STAMP.write_text("notebooks and site built by scripts/student_edition.py\n", encoding="utf-8")
    print(f"student edition in {OUT.relative_to(ROOT)} ({time.perf_counter() - start:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
