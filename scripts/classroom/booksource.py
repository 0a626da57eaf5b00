"""Read the book the way the site numbers it, and turn its markup into plain Jupyter Markdown.

Used by ``scripts/student_edition.py`` (``make student``) and ``scripts/classroom/assignment.py``
(``make assignment``). Everything is derived from the chapter notebooks and ``_toc.yml`` when it runs, so
the lead can edit the chapters freely.

* :func:`book_index` walks the pages in table-of-contents order and numbers exercises and figures as
  Sphinx and sphinx-exercise do on the site: one global count each, in reading order (the toc is not
  ``numbered``, so numbers do not restart per chapter). A figure is numbered when its cell has a caption
  (``mystnb.figure.caption``). It also records section labels (``(label)=`` before a heading) and page
  titles, for ``{ref}`` and ``{doc}``.
* :func:`resolve_markup` writes a Markdown cell for Jupyter: ``literalinclude`` with ``:pyobject:`` becomes
  the code itself; ``{numref}``/``{ref}`` become "Figure 3", "Exercise 15" or the section's title;
  ``{doc}`` becomes the page's title; label lines ``(label)=`` are dropped; an ``exercise`` box becomes a
  heading "Exercise 15: Title" and its text.
* :func:`exercises` lists a chapter's exercises with their solution cells, self-check cells and number.
"""

from __future__ import annotations

import ast
import re
import textwrap
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import yaml

ROOT = Path(__file__).resolve().parents[2]
BOOK = ROOT / "book"
CHECK_TAG = "exercise-check"

_FENCE = r"(?P<fence>`{3,}|:{3,})"
EXERCISE_RE = re.compile(
    _FENCE + r"\{exercise\}[ \t]*(?P<title>[^\n]*)\n"
    r"(?P<options>(?:[ \t]*:[\w-]+:[^\n]*\n)*)"
    r"(?P<body>.*?)\n?(?P=fence)[ \t]*$",
    re.M | re.S,
)
START_RE = re.compile(r"^(`{3,}|:{3,})\{solution-start\}\s*(\S+)", re.M)
END_RE = re.compile(r"^(`{3,}|:{3,})\{solution-end\}", re.M)
PLAIN_SOLUTION_RE = re.compile(r"^(`{3,}|:{3,})\{solution\}", re.M)
LITERALINCLUDE_RE = re.compile(
    _FENCE + r"\{literalinclude\}[ \t]*(?P<path>\S+)[ \t]*\n"
    r"(?P<options>(?:[ \t]*:[\w-]+:[^\n]*\n)*)"
    r"(?P=fence)[ \t]*$",
    re.M,
)
ROLE_RE = re.compile(r"\{(?P<role>numref|ref|doc)\}`(?P<content>[^`]+)`")
LABEL_LINE_RE = re.compile(r"^\((?P<label>[\w:.-]+)\)=[ \t]*\n?", re.M)
UNRESOLVED = []  # references resolve_markup could not resolve (the tests require none)
HEADING_RE = re.compile(r"^(#{1,6})[ \t]+(.+?)[ \t]*$", re.M)


@dataclass
class BookIndex:
    """Numbers and titles of everything a reference can point at."""

    exercises: dict = field(default_factory=dict)  # label -> (number, title, page)
    figures: dict = field(default_factory=dict)  # label -> (number, caption, page)
    sections: dict = field(default_factory=dict)  # label -> heading text
    titles: dict = field(default_factory=dict)  # page ("book/01_theory") -> first heading


def toc_pages(root=ROOT):
    """The pages of ``_toc.yml`` in reading order, as paths without extension relative to ``root``."""
    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
    pages = [toc["root"]]
    for part in toc.get("parts", []):
        for chapter in part.get("chapters", []):
            pages.append(chapter["file"])
            pages += [s["file"] for s in chapter.get("sections", [])]
    return pages


def page_path(page, root=ROOT):
    """The source file of a toc page (``.ipynb`` or ``.md``)."""
    for suffix in (".ipynb", ".md"):
        path = root / (page + suffix)
        if path.exists():
            return path
    raise FileNotFoundError(f"booksource: page {page!r} of _toc.yml has no .ipynb or .md file")


def _page_cells(path):
    """``(kind, text, metadata)`` of each cell; a Markdown page is one markdown cell."""
    if path.suffix == ".md":
        return [("markdown", path.read_text(encoding="utf-8"), {})]
    nb = nbformat.read(path, as_version=4)
    return [(c.cell_type, c.source, c.metadata) for c in nb.cells]


def _plain(text):
    """Heading or caption text without Markdown emphasis or roles, for a reference's words."""
    text = ROLE_RE.sub(lambda m: m.group("content").split("<")[0].strip(), text)
    return re.sub(r"[*_`]", "", text).strip()


def book_index(root=ROOT):
    """Number exercises and figures as the site does and collect section labels and page titles."""
    index = BookIndex()
    for page in toc_pages(root):
        for kind, text, metadata in _page_cells(page_path(page, root)):
            if kind == "markdown":
                for heading in HEADING_RE.finditer(text):
                    index.titles.setdefault(page, _plain(heading.group(2)))
                    break
                for label in LABEL_LINE_RE.finditer(text):
                    heading = HEADING_RE.search(text, label.end())
                    if heading:
                        index.sections[label.group("label")] = _plain(heading.group(2))
                for ex in EXERCISE_RE.finditer(text):
                    label = re.search(r":label:\s*(\S+)", ex.group("options"))
                    number = len(index.exercises) + 1
                    key = label.group(1) if label else f"_unlabelled-{number}"
                    index.exercises[key] = (number, ex.group("title").strip(), page)
            elif kind == "code":
                figure = (metadata.get("mystnb") or {}).get("figure") or {}
                if figure.get("caption"):
                    number = len(index.figures) + 1
                    name = figure.get("name") or f"_unnamed-figure-{number}"
                    index.figures[name] = (number, _plain(figure["caption"]), page)
    # Pages included by others (book/errata/ch0N.md) are not in the toc but their labels are targets.
    for path in sorted(root.glob("book/**/*.md")):
        text = path.read_text(encoding="utf-8")
        for label in LABEL_LINE_RE.finditer(text):
            heading = HEADING_RE.search(text, label.end())
            if heading:
                index.sections.setdefault(label.group("label"), _plain(heading.group(2)))
    return index


def figure_number(index, metadata):
    """The site's number of the figure a code cell draws (None when it has no caption)."""
    figure = (metadata.get("mystnb") or {}).get("figure") or {}
    name = figure.get("name")
    if name and name in index.figures:
        return index.figures[name][0], index.figures[name][1]
    return None


# ---------------------------------------------------------------------------------------------------------
# Markup
# ---------------------------------------------------------------------------------------------------------


def _pyobject_source(path, dotted):
    """The source of a function, class or method (``Class.method``) in a Python file, dedented."""
    source = path.read_text(encoding="utf-8")
    tree = ast.parse(source)
    node, parts = tree, dotted.split(".")
    for part in parts:
        body = getattr(node, "body", [])
        found = [n for n in body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
                 and n.name == part]
        if not found:
            raise ValueError(f"booksource: literalinclude: no `{dotted}` in {path}")
        node = found[0]
    start = min([node.lineno] + [d.lineno for d in node.decorator_list])
    lines = source.splitlines()[start - 1:node.end_lineno]
    return textwrap.dedent("\n".join(lines))


def _literalinclude(match, base):
    options = dict(re.findall(r":([\w-]+):[ \t]*([^\n]*)", match.group("options")))
    path = (base / match.group("path")).resolve()
    if "pyobject" in options:
        code = _pyobject_source(path, options["pyobject"].strip())
    else:
        code = path.read_text(encoding="utf-8").rstrip("\n")
    language = options.get("language", "python").strip() or "python"
    return f"```{language}\n{code}\n```"


def _reference(match, index):
    role, content = match.group("role"), match.group("content").strip()
    explicit = re.fullmatch(r"(?P<text>.*?)\s*<(?P<target>[^<>]+)>", content, re.S)
    text, target = (explicit.group("text"), explicit.group("target")) if explicit else (None, content)
    if role == "doc":
        page = target if target.startswith("book/") else f"book/{target}"
        return text or index.titles.get(page, target)
    if target in index.exercises:
        number, title, _ = index.exercises[target]
        name = f"Exercise {number}"
    elif target in index.figures:
        number, caption, _ = index.figures[target]
        name = f"Figure {number}" if role == "numref" else caption
    elif target in index.sections:
        name = index.sections[target]
    else:  # a label no page defines (the site build would fail on it too): keep the words readable
        UNRESOLVED.append(target)
        name = target
    if text and role == "numref":
        number = re.search(r"\d+", name)
        return text.replace("%s", number.group(0)).replace("{number}", number.group(0)) if number else text
    return text or name


def exercise_heading(index, label, title):
    """``Exercise 15: Title`` with the site's number."""
    number = index.exercises[label][0] if label in index.exercises else None
    return f"Exercise {number}: {title}" if number else f"Exercise: {title}"


def resolve_markup(text, index, base=BOOK):
    """A Markdown cell of the book written for Jupyter (see the module docstring)."""
    def exercise(match):
        label = re.search(r":label:\s*(\S+)", match.group("options"))
        heading = exercise_heading(index, label.group(1) if label else None, match.group("title").strip())
        anchor = f'<a id="{label.group(1)}"></a>\n\n' if label else ""
        return f"{anchor}### {heading}\n\n{match.group('body').strip()}"

    text = EXERCISE_RE.sub(exercise, text)
    text = LITERALINCLUDE_RE.sub(lambda m: _literalinclude(m, base), text)
    text = ROLE_RE.sub(lambda m: _reference(m, index), text)
    text = LABEL_LINE_RE.sub(lambda m: f'<a id="{m.group("label")}"></a>\n', text)
    return text


# ---------------------------------------------------------------------------------------------------------
# A chapter's exercises
# ---------------------------------------------------------------------------------------------------------


@dataclass
class Exercise:
    label: str
    number: int
    title: str
    cell: int  # index of the markdown cell holding the exercise box
    first: int = -1  # solution-start cell (inclusive); -1 when there is no gated solution
    last: int = -1  # solution-end cell (inclusive)
    solution_code: list = field(default_factory=list)  # sources of the solution's code cells (no checks)
    solution_text: list = field(default_factory=list)  # the solution's prose (markdown, markup kept)
    checks: list = field(default_factory=list)  # sources of the exercise-check cells
    heading: str = ""  # how answer cells name it; default "Exercise N"

    @property
    def has_code(self):
        return bool(self.solution_code or self.checks)


def is_check(cell):
    return cell.cell_type == "code" and CHECK_TAG in cell.metadata.get("tags", [])


def solution_blocks(nb):
    """The gated solutions of a notebook: a list of ``(label, first_cell, last_cell)``, both inclusive."""
    blocks, open_block = [], None
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "markdown":
            continue
        start = START_RE.search(cell.source)
        if start:
            if open_block is not None:
                raise ValueError(f"solution-start {start.group(2)} in cell {i} inside solution {open_block[0]}")
            open_block = (start.group(2), i)
        if END_RE.search(cell.source):
            if open_block is None:
                raise ValueError(f"solution-end in cell {i} without a solution-start")
            blocks.append((open_block[0], open_block[1], i))
            open_block = None
    if open_block is not None:
        raise ValueError(f"solution-start {open_block[0]} (cell {open_block[1]}) has no solution-end")
    return blocks


def _strip_solution_markup(text):
    text = re.sub(r"^(`{3,}|:{3,})\{solution-start\}[^\n]*\n(?:[ \t]*:[\w-]+:[^\n]*\n)*\1[ \t]*\n?", "", text,
                  flags=re.M)
    text = re.sub(r"^(`{3,}|:{3,})\{solution-end\}[ \t]*\n\1[ \t]*$", "", text, flags=re.M)
    return text.strip()


def exercises(nb, index):
    """The exercises of a chapter notebook, in order, with their solutions."""
    found = {}
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "markdown":
            for m in EXERCISE_RE.finditer(cell.source):
                label = re.search(r":label:\s*(\S+)", m.group("options"))
                if label:
                    key = label.group(1)
                    number = index.exercises.get(key, (0,))[0]
                    found[key] = Exercise(key, number, m.group("title").strip(), i)
    for label, first, last in solution_blocks(nb):
        ex = found.get(label)
        if ex is None:
            raise ValueError(f"booksource: solution for unknown exercise {label}")
        ex.first, ex.last = first, last
        for cell in nb.cells[first:last + 1]:
            if is_check(cell):
                ex.checks.append(cell.source)
            elif cell.cell_type == "code":
                ex.solution_code.append(cell.source)
            else:
                text = _strip_solution_markup(cell.source)
                if text:
                    ex.solution_text.append(text)
    return list(found.values())
