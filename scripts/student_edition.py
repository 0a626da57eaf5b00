"""Build the student edition of the course into _build/student/ (`make student` runs this).

Usage (from the repository root, with the project's .venv):

    python scripts/student_edition.py                  # notebooks and site
    python scripts/student_edition.py --no-site        # notebooks only (a few seconds)

It writes

* ``_build/student/notebooks/0N_name.ipynb``: each chapter with every solution removed (the cells from
  ``solution-start`` to ``solution-end``, inclusive), written for Jupyter by ``scripts/classroom/student.py``
  (the same code that builds assignments): the book's markup resolved (included code written out,
  references as "Figure 3" and "Exercise 15", exercise boxes as headings "Exercise 15: Title", numbered as
  on the site); after each exercise with code, an answer cell that contains only comments, so that the
  notebook still runs to the end, and the exercise's self-check (the solution cell tagged
  ``exercise-check``), guarded so that it says "not checked yet" while the answer is missing; a Markdown
  answer cell for each exercise with a written part. Outputs of the chapter's own cells are kept, so the
  notebooks read like the site. A copy of the ``gdlesson`` package sits next to them, so they run from
  that folder.
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
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts" / "classroom"))
import booksource  # noqa: E402
import student  # noqa: E402

BOOK = ROOT / "book"
OUT = ROOT / "_build" / "student"
STAGING = ROOT / "_build" / ".student-src"
SITE_BUILD = ROOT / "_build" / ".student-build"
STAMP = OUT / ".built"  # written last: its time tells the tests whether the edition is up to date
INSTRUCTOR_PAGES = {"book/instructors"}  # left out of the student site
CHECK_TAG = booksource.CHECK_TAG
BLANK_TAG = student.BLANK_TAG
ANSWER_TAG = student.ANSWER_TAG

_PLAIN_SOLUTION = re.compile(r"^(`{3,}|:{3,})\{solution\}", re.M)


# --------------------------------------------------------------------------------------------------------
# Reading the solutions out of a chapter
# --------------------------------------------------------------------------------------------------------


solution_blocks = booksource.solution_blocks


is_check = booksource.is_check


def site_notebook(nb):
    """The chapter for the student site: solution cells (and plain ``{solution}`` cells) removed."""
    drop = set()
    for _, first, last in solution_blocks(nb):
        drop.update(range(first, last + 1))
    out = copy.deepcopy(nb)
    out.cells = [c for i, c in enumerate(nb.cells)
                 if i not in drop and not (c.cell_type == "markdown" and _PLAIN_SOLUTION.search(c.source))]
    return out


def student_notebook(nb, index=None):
    """The chapter for students (see the module docstring); ``index`` from :func:`booksource.book_index`."""
    return student.student_notebook(nb, index or booksource.book_index())


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
    index = booksource.book_index()
    for path in chapters():
        nb = student_notebook(nbformat.read(path, as_version=4), index)
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
* `notebooks/`: one notebook per chapter, without solutions. Each exercise with code has an answer cell
  ("Your answer to Exercise N"): write your code there and run it, then run the self-check cell after it,
  which checks your answer with `gdlesson.checks` and tells you what, if anything, is wrong. Exercises
  with a written part have a Markdown cell for your answer. The notebooks run from top to bottom even
  before you answer anything.

Run the notebooks from the `notebooks/` folder (`jupyter lab` there): the `gdlesson` package next to them
is the course's companion module. They need Python 3.11+, NumPy, matplotlib, scikit-learn, ipywidgets
and JupyterLab.
"""


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-site", action="store_true", help="write the notebooks only")
    args = parser.parse_args(argv)
    start, started = time.perf_counter(), time.time()
    OUT.mkdir(parents=True, exist_ok=True)
    STAMP.unlink(missing_ok=True)
    for path in write_notebooks():
        print(f"wrote {path.relative_to(ROOT)}")
    if not args.no_site:
        print(f"built {build_site().relative_to(ROOT)}")
        STAMP.write_text("notebooks and site built by scripts/student_edition.py\n", encoding="utf-8")
        # Dated when the build started: a chapter saved during the build makes the edition out of date.
        os.utime(STAMP, (started, started))
    print(f"student edition in {OUT.relative_to(ROOT)} ({time.perf_counter() - start:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
