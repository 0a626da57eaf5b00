"""Build an assignment's notebooks from the book: `make assignment A=<name>`.

Usage (from the repository root, with the project's .venv)::

    python scripts/classroom/assignment.py week1

For assignment ``A`` of ``scripts/classroom/assignments.yml`` it writes, in nbgrader's course folder
``_build/classroom``:

* ``source/A/``: the instructor's version, one notebook per chapter the assignment draws on, built from
  ``book/`` now (see ``student.py``): the assigned exercises' answer cells hold the book's solution
  between nbgrader's solution markers, and their graded cells the call of the hidden tests; a copy of
  ``gdlesson`` sits next to the notebooks;
* ``release/A/``: what students get, made by nbgrader (``generate_assignment``) from the source: the
  solutions and the hidden tests removed, graded cells locked, checksums recorded in the gradebook
  (``gradebook.db``, created or updated).
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

import nbformat

sys.path.insert(0, str(Path(__file__).resolve().parent))
import booksource as bs  # noqa: E402
import course  # noqa: E402
import student  # noqa: E402


def hidden_call(label):
    """The code of a graded cell: the hidden tests of ``label``, from the grader's copy of this repository."""
    return ("import os as _gd_os, runpy as _gd_runpy\n"
            f"_gd_runpy.run_path(_gd_os.environ.get('GDLESSON_HIDDEN_TESTS', {str(course.HIDDEN_TESTS)!r}))"
            f"['run']({label!r}, globals())")


def project_cells(key, project, spec, index, *, source):
    """The cells of a project (projects.yml): its text, then an answer, the self-check and a graded cell."""
    ex = bs.Exercise(key, 0, project["title"], -1, solution_code=[project["solution"]],
                     checks=[project["check"]] if project.get("check") else [],
                     heading=f"the project \"{project['title']}\"")
    cells = [nbformat.v4.new_markdown_cell(f'<a id="{key}"></a>\n\n### Project: {project["title"]}\n\n'
                                           + project["text"].strip())]
    return cells + student.exercise_cells(ex, index, spec, source=source, hidden_call=hidden_call)


def exercise_names(spec, index, projects):
    """``{grade_id: name}``: how the grade table names each graded cell ("Exercise 15", ...)."""
    names = {}
    for label, entry in spec.items():
        if label in index.exercises:
            name = f"Exercise {index.exercises[label][0]}"
        else:
            name = f"Project: {projects[label]['title']}"
        if entry["auto"]:
            names[f"test-{label}"] = name
        if entry["written"]:
            names[f"written-{label}"] = f"{name} (written)"
    return names


def chapters_of(spec, index, projects):
    pages = []
    for label in spec:
        if label in index.exercises:
            page = index.exercises[label][2]
        elif label in projects:
            page = projects[label]["chapter"]
        else:
            raise SystemExit(f"assignment: {label} is neither an exercise label of the book nor a project of "
                             f"{course.PROJECTS.relative_to(course.ROOT)}.")
        if page not in pages:
            pages.append(page)
    return sorted(pages, key=bs.toc_pages().index)


def source_notebooks(name, index=None):
    """``{notebook name: NotebookNode}`` of the instructor's version of assignment ``name``."""
    spec = course.assignment_spec(name)
    index = index or bs.book_index()
    projects = course.load_projects()
    notebooks = {}
    for page in chapters_of(spec, index, projects):
        nb = nbformat.read(bs.page_path(page), as_version=4)
        extra = []
        for key, project in projects.items():
            if project["chapter"] == page and key in spec:
                extra += project_cells(key, project, spec[key], index, source=True)
        out = student.student_notebook(nb, index, spec, source=True, hidden_call=hidden_call, extra=extra)
        out.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
        notebooks[Path(page).name] = out
    return notebooks


def build(name, course_dir=course.COURSE, quiet=False):
    """Write source/ and release/ of assignment ``name``; return the release folder."""
    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory

    index = bs.book_index()
    spec = course.assignment_spec(name)
    course.write_course_config(course_dir)
    source = course_dir / "source" / name
    if source.exists():
        shutil.rmtree(source)
    source.mkdir(parents=True)
    for stem, nb in source_notebooks(name, index).items():
        nbformat.validate(nb)
        nbformat.write(nb, source / f"{stem}.ipynb")
    shutil.copytree(course.ROOT / "gdlesson", source / "gdlesson", ignore=shutil.ignore_patterns("__pycache__"))
    names = exercise_names(spec, index, course.load_projects())
    (course_dir / f"{name}.names.json").write_text(__import__("json").dumps(names, indent=1), encoding="utf-8")

    config = course.nbgrader_config(course_dir)
    api = NbGraderAPI(CourseDirectory(config=config), config=config)
    result = api.generate_assignment(name, force=True, create=True)
    if not result["success"]:
        sys.stderr.write(result.get("log", "") + result.get("error", ""))
        raise SystemExit(f"assignment: nbgrader generate_assignment {name} failed (log above).")
    release = course_dir / "release" / name
    (course_dir / ".last-assignment").write_text(name + "\n", encoding="utf-8")
    if not quiet:
        total = sum(e["auto"] + e["written"] for e in spec.values())
        print(f"assignment {name}: {len(spec)} exercises, {total:g} points")
        for grade_id, ex_name in names.items():
            print(f"  {ex_name:<40} {grade_id}")
        print(f"instructor's version: {source}")
        print(f"student version (hand this out): {release}")
    return release


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("assignment", help="a name from scripts/classroom/assignments.yml")
    args = parser.parse_args(argv)
    build(args.assignment)
    return 0


if __name__ == "__main__":
    sys.exit(main())
