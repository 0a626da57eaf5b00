"""The student edition (`make student`): no solution reaches it, and its notebooks run to the end unanswered.

The edition is built by ``scripts/student_edition.py`` into ``_build/student``. This module builds it once
when it is missing or older than any of its sources, and otherwise uses the one on disk (building takes
about 20 s; running the five notebooks, with every answer cell still empty, about 40 s, in parallel).

"Distinctive strings" are taken from the solutions of the source chapters programmatically: code lines,
plain-word phrases of the prose and lines of printed output that appear nowhere outside the solutions.
The positive control takes strings the same way from the visible parts of the chapters (exercise texts,
ordinary code cells) and finds them in the student site, which shows that the search would see a leak.
"""

from __future__ import annotations

import html as html_lib
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
import student_edition as se  # noqa: E402
import booksource  # noqa: E402

OUT = ROOT / "_build" / "student"
CHAPTERS = se.chapters()
SOURCES = [*ROOT.glob("book/**/*.*"), *ROOT.glob("gdlesson/*.py"), ROOT / "scripts" / "student_edition.py",
           *ROOT.glob("scripts/classroom/*.py"),
           ROOT / "_config.yml", ROOT / "_toc.yml"]


@pytest.fixture(scope="module")
def edition():
    """The student edition folder, rebuilt when it is missing or out of date."""
    stamp = OUT / ".built"
    newest = max(p.stat().st_mtime for p in SOURCES if p.is_file() and ".ipynb_checkpoints" not in p.parts)
    if not stamp.exists() or stamp.stat().st_mtime < newest:
        subprocess.run([sys.executable, str(ROOT / "scripts" / "student_edition.py")], cwd=ROOT, check=True)
    return OUT


# --------------------------------------------------------------------------------------------------------
# Distinctive strings
# --------------------------------------------------------------------------------------------------------


def normalise(text):
    return " ".join(text.split())


def cell_text(cell):
    parts = [cell.source]
    for out in cell.get("outputs", []):
        if "text" in out:
            parts.append(out["text"])
        parts.extend(str(v) for k, v in out.get("data", {}).items() if k.startswith("text/plain"))
    return "\n".join(parts)


_DIRECTIVE_LINE = re.compile(r"^\s*(`{3,}|:{3,}).*$|^\s*:[\w-]+:.*$", re.M)
_PHRASE = re.compile(r"[A-Za-z][A-Za-z ,;]{34,}[A-Za-z]")


def strings_of(cell):
    """Candidate strings of one cell: code lines, plain-word phrases, printed lines (each >= 20 chars)."""
    found = []
    if cell.cell_type == "code":
        found += [line.strip() for line in cell.source.splitlines() if len(line.strip()) >= 24]
        for out in cell.get("outputs", []):
            if out.get("output_type") == "stream":
                found += [line.strip() for line in out["text"].splitlines() if len(line.strip()) >= 20]
    else:
        prose = normalise(_DIRECTIVE_LINE.sub(" ", cell.source))
        # math, inline code, roles, emphasis and links render differently: take phrases between them
        for part in re.split(r"\$[^$]*\$|`[^`]*`|\{[a-z]+\}|\*+|\[|\]\([^)]*\)", prose):
            found += [m.group(0).strip() for m in _PHRASE.finditer(part) if m.group(0).count(" ") >= 5]
    return [normalise(s) for s in found]


def split_chapter(nb):
    """(cells inside solutions by label, cells outside any solution)."""
    inside, in_any = {}, set()
    for label, first, last in se.solution_blocks(nb):
        inside[label] = [c for c in nb.cells[first:last + 1] if not se.is_check(c)]
        in_any.update(range(first, last + 1))
    outside = [c for i, c in enumerate(nb.cells) if i not in in_any]
    return inside, outside


@pytest.fixture(scope="module")
def solution_strings():
    """{(chapter, label): [distinctive strings]} for every solution of every chapter.

    A string is distinctive when it appears nowhere a student may legitimately see it: outside the
    solutions of every chapter, in the book's Markdown pages, or in gdlesson's code (the API page and the
    chapters' literalincludes show it).
    """
    split = {path.name: split_chapter(nbformat.read(path, as_version=4)) for path in CHAPTERS}
    visible = [cell_text(c) for _, outside in split.values() for c in outside]
    visible += [p.read_text(encoding="utf-8") for p in [*ROOT.glob("book/**/*.md"), *ROOT.glob("gdlesson/*.py")]]
    visible = normalise("\n".join(visible))
    result = {}
    for name, (inside, _) in split.items():
        for label, cells in inside.items():
            result[(name, label)] = sorted({s for c in cells for s in strings_of(c) if s not in visible})
    return result


@pytest.fixture(scope="module")
def visible_strings():
    """Strings the student edition must show: from exercise texts and untagged code cells."""
    result = []
    for path in CHAPTERS:
        nb = nbformat.read(path, as_version=4)
        _, outside = split_chapter(nb)
        for cell in outside:
            if cell.cell_type == "markdown" and "{exercise}" in cell.source:
                result += [(path.name, s) for s in strings_of(cell)]
            elif cell.cell_type == "code" and not cell.metadata.get("tags"):
                result += [(path.name, s) for s in strings_of(cell)[:2]]
    return result


def html_text(path):
    text = path.read_text(encoding="utf-8", errors="replace")
    text = re.sub(r"<script.*?</script>|<style.*?</style>", " ", text, flags=re.S)
    return normalise(html_lib.unescape(re.sub(r"<[^>]+>", "", text)))


@pytest.fixture(scope="module")
def site_text(edition):
    """{file name: text} of every text file of the student site (HTML with its tags removed)."""
    texts = {}
    for path in (edition / "html").rglob("*"):
        if path.suffix == ".html":
            texts[str(path.relative_to(edition))] = html_text(path)
        elif path.suffix in {".js", ".txt", ".ipynb", ".json", ".md", ".py"}:
            texts[str(path.relative_to(edition))] = normalise(path.read_text(encoding="utf-8", errors="replace"))
    return texts


# --------------------------------------------------------------------------------------------------------
# Nothing leaks
# --------------------------------------------------------------------------------------------------------


def test_every_solution_has_distinctive_strings(solution_strings):
    assert len(solution_strings) >= 20  # 4-5 exercises in each of five chapters
    empty = [key for key, strings in solution_strings.items() if not strings]
    assert not empty, f"solutions with nothing distinctive to search for: {empty}"


def test_the_search_sees_visible_text(site_text, visible_strings):
    # positive control: the same extraction finds the exercise texts and chapter code in the site
    pages = {name: text for name, text in site_text.items() if name.endswith(".html")}
    missing = [(ch, s) for ch, s in visible_strings
               if s not in pages[f"html/book/{Path(ch).stem}.html"]]
    assert len(visible_strings) > 100
    assert not missing, missing[:5]


def test_no_solution_reaches_the_site(site_text, solution_strings):
    leaks = [(key, s, name) for key, strings in solution_strings.items() for s in strings
             for name, text in site_text.items() if s in text]
    assert not leaks, leaks[:5]


def test_site_hands_out_no_full_notebooks(edition):
    html = edition / "html"
    assert not (html / "_sources").exists()
    assert not list(html.rglob("*.ipynb"))
    assert not (html / "book" / "instructors.html").exists()
    assert "(student edition)" in (html / "index.html").read_text(encoding="utf-8") or \
        "(student edition)" in (html / "book" / "intro.html").read_text(encoding="utf-8")


def student_notebooks(edition):
    return {path.name: nbformat.read(edition / "notebooks" / path.name, as_version=4) for path in CHAPTERS}


def test_no_solution_reaches_the_notebooks(edition, solution_strings):
    notebooks = student_notebooks(edition)
    texts = {name: normalise("\n".join(cell_text(c) for c in nb.cells)) for name, nb in notebooks.items()}
    leaks = [(key, s) for key, strings in solution_strings.items() for s in strings if s in texts[key[0]]]
    assert not leaks, leaks[:5]
    for nb in notebooks.values():
        for cell in nb.cells:
            assert not re.search(r"\{solution(-start|-end)?\}", cell.source), cell.source[:200]


def test_each_exercise_with_code_gets_a_blank_then_its_check(edition):
    index = booksource.book_index()
    for path in CHAPTERS:
        source = nbformat.read(path, as_version=4)
        nb = nbformat.read(edition / "notebooks" / path.name, as_version=4)
        blocks = se.solution_blocks(source)
        with_code = [b for b in blocks if any(c.cell_type == "code" for c in source.cells[b[1]:b[2] + 1])]
        blanks = [i for i, c in enumerate(nb.cells) if se.BLANK_TAG in c.metadata.get("tags", [])]
        assert len(blanks) == len(with_code) >= 4
        checks_in_source = [c.source for c in source.cells if se.is_check(c)]
        checks_in_student = [nb.cells[i + 1].source for i in blanks
                             if i + 1 < len(nb.cells) and se.is_check(nb.cells[i + 1])]
        # every check, right after its blank, in order, guarded against a missing answer
        assert len(checks_in_student) == len(checks_in_source)
        for mine, theirs in zip(checks_in_student, checks_in_source):
            assert "except NameError" in mine and all(line.strip() in mine for line in theirs.splitlines())
        for (label, _, _), i in zip(with_code, blanks):
            number = index.exercises[label][0]
            assert "raise" not in nb.cells[i].source and f"Exercise {number}." in nb.cells[i].source
            heading = next(c.source for c in reversed(nb.cells[:i]) if c.cell_type == "markdown")
            assert f"### Exercise {number}: " in heading
        text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
        for markup in ("{exercise}", "{numref}", "{ref}", "{doc}", "{literalinclude}"):
            assert markup not in text  # plain Markdown for any viewer
        written = [c for c in nb.cells if se.ANSWER_TAG in c.metadata.get("tags", [])]
        assert written and all("YOUR ANSWER HERE" in c.source for c in written)


# --------------------------------------------------------------------------------------------------------
# The notebooks run to the end with every answer cell empty
# --------------------------------------------------------------------------------------------------------


def run_unanswered(path):
    """Execute a student notebook as handed out; return the executed notebook (errors are recorded)."""
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = []
    client = NotebookClient(nb, timeout=300, kernel_name="python3", allow_errors=True,
                            resources={"metadata": {"path": str(path.parent)}})
    client.execute()
    return nb


def test_student_notebooks_run_to_the_end_unanswered(edition):
    paths = [edition / "notebooks" / p.name for p in CHAPTERS]
    with ThreadPoolExecutor(max_workers=len(paths)) as pool:
        runs = list(pool.map(run_unanswered, paths))
    for path, nb in zip(paths, runs):
        errors = [(i, o.ename) for i, c in enumerate(nb.cells) if c.cell_type == "code"
                  and "raises-exception" not in c.metadata.get("tags", [])
                  for o in c.get("outputs", []) if o.get("output_type") == "error"]
        assert errors == [], f"{path.name}: {errors}"
        ran = [c for c in nb.cells if c.cell_type == "code" and "skip-execution" not in c.metadata.get("tags", [])]
        assert ran and all(c.execution_count for c in ran)
        checks = [c for c in nb.cells if se.is_check(c)]
        for cell in checks:  # an unanswered exercise's self-check says so instead of stopping the notebook
            text = "".join(o.get("text", "") for o in cell.outputs)
            assert "Not checked yet" in text, text
