"""The student version of a chapter notebook: markup resolved, solutions out, answer cells in.

One function, :func:`student_notebook`, serves both the student edition (``make student``: every exercise
is practice) and an assignment (``make assignment``: the assigned exercises become nbgrader cells).

For each exercise, in place of its (removed) solution:

* an exercise with code gets a code cell "Your answer to Exercise N" that contains only comments (so a
  notebook with blanks still runs to the end), then the chapter's self-check, guarded so that it says
  "not answered yet" instead of stopping the notebook when the answer's names are not defined;
* an exercise with no code, or a written part, gets a Markdown answer cell.

In an assignment, an assigned exercise's answer cell is an nbgrader "autograded answer" (or, for written
answers, a "manually graded answer"), and a locked "autograder tests" cell follows the self-check: in the
released notebook it holds one comment; the grader's hidden tests are put back in it at grading time.
With ``source=True`` the answer cells carry the book's solution between nbgrader's solution markers, which
makes the instructor's source version (nbgrader strips them when it releases the assignment).
"""

from __future__ import annotations

import ast
import copy

import nbformat

import booksource as bs

BLANK_TAG = "exercise-blank"
ANSWER_TAG = "exercise-answer"


def _nbgrader(cell, grade_id, *, grade, solution, locked, points=None):
    meta = {"grade": grade, "solution": solution, "locked": locked, "schema_version": 3,
            "grade_id": grade_id, "task": False}
    if grade:
        meta["points"] = float(points)
    cell.metadata["nbgrader"] = meta
    return cell


def _code(source, tag):
    cell = nbformat.v4.new_code_cell(source)
    cell.metadata["tags"] = [tag]
    return cell


def _markdown(source, tag):
    cell = nbformat.v4.new_markdown_cell(source)
    cell.metadata["tags"] = [tag]
    return cell


def check_names(source):
    """Top-level names a self-check call uses (so the guard can say which ones are missing)."""
    names = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load) and node.id not in names:
            names.append(node.id)
    return names


def guarded_check(source, heading):
    """The chapter's self-check, wrapped so that an unanswered exercise does not stop the notebook."""
    body = "\n".join("    " + line if line.strip() else "" for line in source.strip().splitlines())
    return (f"# Self-check for {heading}: run it after your answer cell. It tells you what, if anything, "
            "is wrong.\n"
            "try:\n"
            f"{body}\n"
            "except NameError as error:\n"
            "    print(f\"Not checked yet: {error}. Write your answer in the cell above and run it first.\")")


def answer_cell_source(ex, heading, graded, source):
    lines = [f"# Your answer to {heading}."]
    if not graded:
        lines.append("# (Not graded: practice. The self-check below, if any, tells you how you did.)")
    body = "\n\n".join(code.strip() for code in ex.solution_code)
    if source:
        return "\n".join(lines + ["### BEGIN SOLUTION", body, "### END SOLUTION"])
    return "\n".join(lines + ["# YOUR CODE HERE"])


def written_cell_source(ex, heading, index, source):
    intro = f"**Your written answer to {heading}** (replace the line below; keep it short)."
    if source:
        text = "\n\n".join(bs.resolve_markup(t, index) for t in ex.solution_text) or "(See the solution.)"
        return f"{intro}\n\n### BEGIN SOLUTION\n{text}\n### END SOLUTION"
    return f"{intro}\n\nYOUR ANSWER HERE"


def graded_cell_source(heading, points, label, hidden_call):
    return (f"# Graded cell for {heading} ({points:g} points): the grader's tests run here when your "
            "notebook is graded.\n# Leave this cell as it is.\n"
            "### BEGIN HIDDEN TESTS\n"
            f"{hidden_call(label)}\n"
            "### END HIDDEN TESTS")


def exercise_cells(ex, index, spec=None, *, source=False, hidden_call=None):
    """The cells that replace an exercise's solution. ``spec`` is the assignment's entry (None: practice)."""
    heading = ex.heading or (f"Exercise {ex.number}" if ex.number else f"Exercise: {ex.title}")
    cells = []
    auto = spec is not None and spec.get("auto", 0) > 0
    written = spec is not None and spec.get("written", 0) > 0
    if ex.has_code:
        cell = _code(answer_cell_source(ex, heading, auto or written, source and (auto or written)), BLANK_TAG)
        if auto or written:
            _nbgrader(cell, f"answer-{ex.label}", grade=False, solution=True, locked=False)
        cells.append(cell)
        cells += [_code(guarded_check(check, heading), bs.CHECK_TAG) for check in ex.checks]
        if auto:
            test = _code(graded_cell_source(heading, spec["auto"], ex.label, hidden_call), "exercise-graded")
            cells.append(_nbgrader(test, f"test-{ex.label}", grade=True, solution=False, locked=True,
                                   points=spec["auto"]))
    if written or (spec is None and (ex.solution_text or not ex.has_code)):
        cell = _markdown(written_cell_source(ex, heading, index, source and written), ANSWER_TAG)
        if written:
            _nbgrader(cell, f"written-{ex.label}", grade=True, solution=True, locked=False,
                      points=spec["written"])
        cells.append(cell)
    return cells


def student_notebook(nb, index, assigned=None, *, source=False, hidden_call=None, extra=None):
    """The student version of chapter ``nb``.

    Parameters
    ----------
    nb : NotebookNode
        The chapter, as stored in ``book/``.
    index : BookIndex
        From :func:`booksource.book_index`.
    assigned : dict, optional
        ``{label: {"auto": points, "written": points}}`` for the exercises graded in an assignment.
    source : bool
        Write the instructor's source version (solutions between nbgrader's markers).
    hidden_call : callable
        ``hidden_call(label) -> code`` that runs the hidden tests of an exercise.
    extra : list of NotebookNode, optional
        Cells appended at the end (a project).
    """
    assigned = assigned or {}
    exs = {ex.cell: ex for ex in bs.exercises(nb, index)}
    by_start = {ex.first: ex for ex in exs.values() if ex.first >= 0}
    out = copy.deepcopy(nb)
    out.cells = []
    i = 0
    while i < len(nb.cells):
        cell = nb.cells[i]
        if i in by_start:
            ex = by_start[i]
            out.cells += exercise_cells(ex, index, assigned.get(ex.label), source=source, hidden_call=hidden_call)
            i = ex.last + 1
            continue
        if cell.cell_type == "markdown":
            if bs.PLAIN_SOLUTION_RE.search(cell.source):
                i += 1
                continue
            cell = copy.deepcopy(cell)
            cell.source = bs.resolve_markup(cell.source, index)
            out.cells.append(cell)
            # An exercise with no gated solution still gets its answer cell.
            for ex in exs.values():
                if ex.cell == i and ex.first < 0:
                    out.cells += exercise_cells(ex, index, assigned.get(ex.label), source=source,
                                                hidden_call=hidden_call)
        else:
            cell = copy.deepcopy(cell)
            out.cells.append(cell)
            numbered = bs.figure_number(index, cell.metadata) if cell.cell_type == "code" else None
            if numbered:
                number, caption = numbered
                out.cells.append(nbformat.v4.new_markdown_cell(f"*Figure {number}. {caption}*"))
        i += 1
    out.cells += list(extra or [])
    out.nbformat_minor = max(out.nbformat_minor, 5)
    for k, c in enumerate(out.cells):  # unique and the same on every run (new cells got random ids)
        c["id"] = f"cell-{k}"
    return out
