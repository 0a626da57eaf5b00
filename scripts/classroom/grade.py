"""Grade a folder of submissions in bulk with nbgrader: `make grade SUBMISSIONS=<folder> [A=<assignment>]`.

Usage (from the repository root, with the project's .venv)::

    python scripts/classroom/grade.py SUBMISSIONS [--assignment A] [--timeout 300] [--jobs 2]
    python scripts/classroom/grade.py --export-only --assignment A   # after grading written answers by hand

``SUBMISSIONS`` holds one folder per student, named by student id, with that student's notebooks of the
assignment (``<id>/01_theory.ipynb``, or nbgrader's ``<id>/<assignment>/01_theory.ipynb``). The assignment
must have been built first (``make assignment A=...``); without ``--assignment`` the last one built is used.

Steps, all done by nbgrader in the course folder ``_build/classroom`` except the bookkeeping around it:

1. *collect*: each student's notebooks are copied to ``submitted/<id>/<A>/``. A file that is not a
   notebook (not JSON, not nbformat 4) is left out and recorded with the reason, as is a missing one;
2. *autograde*: nbgrader runs each notebook in a fresh kernel, with the graded cells (and their hidden
   tests) restored from the gradebook, so nothing a student changed in them counts, and one time limit for
   the whole notebook (``--timeout``). Students are graded in parallel (``--jobs`` worker processes), the
   notebooks of one student one after another. A notebook whose kernel dies or that runs out of time is
   scored 0 with the reason; nothing a submission does stops the others;
3. *feedback*: nbgrader's HTML feedback per notebook, plus one summary per student,
   ``_build/grades/feedback/<id>.md``, with the points and the diagnosis of each exercise;
4. *export*: ``_build/grades/grades.csv``, one row per student and exercise (student, assignment,
   exercise, points, max_points, message), by the export plugin of ``nbgrader_ext.py``. Written answers
   have empty points until they are graded by hand in formgrader; run ``--export-only`` (``make
   grade-export``) afterwards.
"""

from __future__ import annotations

import argparse
import csv
import json
import multiprocessing
import os
import re
import shutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import course  # noqa: E402

GRADES = course.ROOT / "_build" / "grades"
STUDENT_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.@+-]*$")


def last_assignment(course_dir=course.COURSE):
    marker = course_dir / ".last-assignment"
    return marker.read_text(encoding="utf-8").strip() if marker.exists() else None


def release_notebooks(assignment, course_dir=course.COURSE):
    release = course_dir / "release" / assignment
    if not release.is_dir():
        raise SystemExit(f"grade: assignment {assignment!r} has not been built; run `make assignment A={assignment}` "
                         "first.")
    return sorted(p.stem for p in release.glob("*.ipynb"))


def read_notebook(path):
    """The notebook at ``path``, or the reason it cannot be graded."""
    import nbformat
    try:
        nb = nbformat.read(path, as_version=4)
        nbformat.validate(nb)
    except Exception as error:  # not JSON, not a notebook, or an invalid one
        first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        return None, f"not a notebook: {path.name} could not be read as a Jupyter notebook ({first[:160]})"
    return nb, None


def collect(submissions, assignment, notebooks, course_dir=course.COURSE):
    """Copy valid notebooks into nbgrader's submitted/ folder; return (students, {student: {nb: reason}})."""
    import nbformat
    students, reasons = [], {}
    for folder in sorted(p for p in submissions.iterdir() if p.is_dir()):
        student = folder.name
        if not STUDENT_ID.match(student):
            print(f"grade: skipping folder {folder.name!r}: a student id is letters, digits and _.@+- only")
            continue
        students.append(student)
        base = folder / assignment if (folder / assignment).is_dir() else folder
        dest = course_dir / "submitted" / student / assignment
        if dest.exists():
            shutil.rmtree(dest)
        dest.mkdir(parents=True)
        if (base / "timestamp.txt").exists():
            shutil.copy(base / "timestamp.txt", dest / "timestamp.txt")
        for name in notebooks:
            path = base / f"{name}.ipynb"
            if not path.exists():
                reasons.setdefault(student, {})[name] = f"missing: no {name}.ipynb was handed in"
                continue
            nb, reason = read_notebook(path)
            if reason:
                reasons.setdefault(student, {})[name] = reason
                continue
            nbformat.write(nb, dest / f"{name}.ipynb")
    return students, reasons


def _failure_reason(log, timeout):
    """Why nbgrader could not grade a notebook, from its log."""
    if "NotebookTimeout" in log:
        match = re.search(r"NotebookTimeout: ([^\n]+)", log)
        return match.group(1) if match else f"the notebook did not finish within {timeout} s"
    if "CellTimeoutError" in log or "Timeout waiting for execute reply" in log:
        return (f"the notebook did not finish within its time limit of {timeout} s, and its kernel did not stop "
                "when interrupted")
    if "DeadKernelError" in log or "Kernel died" in log or "kernel died" in log:
        return "crashed: the kernel died while running the notebook (os._exit, a segfault or out of memory)"
    if "UnresponsiveKernelError" in log or "unresponsive" in log:
        return f"the kernel stopped responding and could not be interrupted (time limit {timeout} s)"
    last = [line for line in log.strip().splitlines() if line.strip()]
    return "not graded: nbgrader failed on this notebook: " + (last[-1][:200] if last else "no log")


def grade_student(job):
    """Autograde one student's notebooks, one after another (runs in a worker process)."""
    student, assignment, notebooks, course_dir, timeout = job
    os.environ["GDLESSON_GRADE_TIMEOUT"] = str(timeout)
    _quiet_sqlalchemy()
    from nbgrader.converters import Autograde
    from nbgrader.coursedir import CourseDirectory
    from nbgrader.utils import capture_log

    results = {}
    for name in notebooks:
        config = course.nbgrader_config(Path(course_dir))
        config.CourseDirectory.assignment_id = assignment
        config.CourseDirectory.student_id = student
        config.CourseDirectory.notebook_id = name
        coursedir = CourseDirectory(config=config)
        app = Autograde(coursedir=coursedir, config=config)
        app.force = True
        app.create_student = True
        start = time.perf_counter()
        for attempt in range(3):  # a locked SQLite gradebook is retried
            out = capture_log(app)
            if out["success"] or "database is locked" not in out.get("log", "") + out.get("error", ""):
                break
            time.sleep(1 + attempt)
        log = out.get("log", "") + "\n" + out.get("error", "")
        results[name] = {"success": bool(out["success"]), "seconds": time.perf_counter() - start,
                         "reason": None if out["success"] else _failure_reason(log, timeout),
                         "log": "" if out["success"] else log[-6000:]}
    _feedback(student, assignment, Path(course_dir))
    return student, results


def _feedback(student, assignment, course_dir):
    """nbgrader's HTML feedback for one student's autograded notebooks."""
    from nbgrader.converters import GenerateFeedback
    from nbgrader.coursedir import CourseDirectory
    from nbgrader.utils import capture_log
    if not list((course_dir / "autograded" / student / assignment).glob("*.ipynb")):
        return
    config = course.nbgrader_config(course_dir)
    config.CourseDirectory.assignment_id = assignment
    config.CourseDirectory.student_id = student
    app = GenerateFeedback(coursedir=CourseDirectory(config=config), config=config)
    app.force = True
    capture_log(app)


def _quiet_sqlalchemy():
    """nbgrader 0.9 triggers SQLAlchemy's autoflush warnings on every new submission; they are harmless."""
    import warnings
    from sqlalchemy.exc import SAWarning
    warnings.filterwarnings("ignore", category=SAWarning)


def run_autograde(students, assignment, course_dir, timeout, jobs):
    course_dir = Path(course_dir)
    work = []
    for student in students:
        present = sorted(p.stem for p in (course_dir / "submitted" / student / assignment).glob("*.ipynb"))
        autograded = course_dir / "autograded" / student / assignment
        if autograded.exists():
            shutil.rmtree(autograded)
        if present:
            work.append((student, assignment, present, str(course_dir), timeout))
    context = multiprocessing.get_context("spawn")
    with context.Pool(processes=max(1, jobs)) as pool:
        return dict(pool.imap_unordered(grade_student, work))


def hand_graded(students, assignment, course_dir):
    """The students with at least one score given by hand (formgrader) in the gradebook."""
    from nbgrader.api import Gradebook, MissingEntry
    config = course.nbgrader_config(course_dir)
    found = []
    with Gradebook(config.CourseDirectory.db_url, config.CourseDirectory.course_id) as gb:
        for student in students:
            try:
                submission = gb.find_submission(assignment, student)
            except MissingEntry:
                continue
            if any(g.manual_score is not None for nb in submission.notebooks for g in nb.grades):
                found.append(student)
    return found


def generate_feedback(students, assignment, course_dir):
    for student in students:
        _feedback(student, assignment, course_dir)


def export(students, assignment, course_dir, reasons_path, to):
    from nbgrader.api import Gradebook
    from nbgrader_ext import GradeTableExport
    config = course.nbgrader_config(course_dir)
    plugin = GradeTableExport(to=str(to), student=students, assignment=[assignment], reasons=str(reasons_path),
                              names=str(course_dir / f"{assignment}.names.json"),
                              autograded=str(course_dir / "autograded"))
    with Gradebook(config.CourseDirectory.db_url, config.CourseDirectory.course_id) as gb:
        plugin.export(gb)


def write_feedback(grades_csv, assignment, course_dir, out):
    """One summary per student (<id>.md) and nbgrader's HTML feedback next to it (<id>/)."""
    rows = list(csv.DictReader(open(grades_csv, encoding="utf-8")))
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    for student in sorted({r["student"] for r in rows}):
        mine = [r for r in rows if r["student"] == student]
        got = sum(float(r["points"]) for r in mine if r["points"] != "")
        total = sum(float(r["max_points"]) for r in mine)
        pending = [r for r in mine if r["points"] == ""]
        lines = [f"# Feedback for {student}: {assignment}", "",
                 f"Points: {got:g} of {total:g}" + (f" ({len(pending)} written answer(s) still to be graded)"
                                                    if pending else ""), "",
                 "| Exercise | Points | What the grader found |", "| --- | --- | --- |"]
        for r in mine:
            points = f"{r['points']}/{r['max_points']}" if r["points"] != "" else f"?/{r['max_points']}"
            message = r["message"].replace("|", "\\|").replace("\n", " ")
            lines.append(f"| {r['exercise']} | {points} | {message} |")
        html = course_dir / "feedback" / student / assignment
        if html.is_dir():
            shutil.copytree(html, out / student, ignore=shutil.ignore_patterns("gdlesson", "*.py"))
            lines += ["", f"Your notebooks as graded, with every output: `{student}/` (HTML, one per notebook)."]
        (out / f"{student}.md").write_text("\n".join(lines) + "\n", encoding="utf-8")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("submissions", nargs="?", type=Path, help="folder with one subfolder per student")
    parser.add_argument("--assignment", "-a", default=None, help="assignment name (default: the last one built)")
    parser.add_argument("--timeout", type=int, default=300, help="seconds per notebook (default 300)")
    parser.add_argument("--jobs", "-j", type=int, default=os.cpu_count() or 1, help="parallel graders")
    parser.add_argument("--out", type=Path, default=GRADES, help="output folder (default _build/grades)")
    parser.add_argument("--export-only", action="store_true",
                        help="only re-export grades.csv and feedback (after grading written answers by hand)")
    args = parser.parse_args(argv)
    _quiet_sqlalchemy()
    course_dir = course.COURSE
    assignment = args.assignment or last_assignment(course_dir)
    if not assignment:
        raise SystemExit("grade: no assignment given and none built yet; run `make assignment A=<name>`.")
    if args.timeout < 1:
        raise SystemExit(f"grade: `--timeout` must be a whole number of seconds >= 1; got {args.timeout}.")
    notebooks = release_notebooks(assignment, course_dir)
    args.out.mkdir(parents=True, exist_ok=True)
    reasons_path = args.out / "reasons.json"
    state_path = args.out / "students.json"
    start = time.perf_counter()

    if not args.export_only:
        if args.submissions is None or not args.submissions.is_dir():
            raise SystemExit(f"grade: `SUBMISSIONS` must be a folder with one subfolder per student; got "
                             f"{args.submissions}.")
        os.environ["GDLESSON_HIDDEN_TESTS"] = str(course.HIDDEN_TESTS)
        os.environ["MPLBACKEND"] = "agg"  # figures are not needed to grade; drawing them is half the time
        students, reasons = collect(args.submissions, assignment, notebooks, course_dir)
        if not students:
            raise SystemExit(f"grade: {args.submissions} has no student folders.")
        print(f"grading {assignment} for {len(students)} students ({len(notebooks)} notebooks each, "
              f"{args.jobs} in parallel, {args.timeout} s per notebook)")
        results = run_autograde(students, assignment, course_dir, args.timeout, args.jobs)
        with open(args.out / "grading.log", "w", encoding="utf-8") as log:
            for student, per_nb in sorted(results.items()):
                for name, result in per_nb.items():
                    log.write(f"{student} {name}: {'graded' if result['success'] else result['reason']} "
                              f"({result['seconds']:.1f} s)\n")
                    if not result["success"]:
                        reasons.setdefault(student, {})[name] = result["reason"]
                        log.write(result["log"] + "\n")
        reasons_path.write_text(json.dumps(reasons, indent=1, sort_keys=True), encoding="utf-8")
        state_path.write_text(json.dumps({"assignment": assignment, "students": students}), encoding="utf-8")
    else:
        students = json.loads(state_path.read_text(encoding="utf-8"))["students"]
        # nbgrader's HTML feedback again for those with scores given by hand (the others did not change)
        generate_feedback(hand_graded(students, assignment, course_dir), assignment, course_dir)

    grades_csv = args.out / "grades.csv"
    export(students, assignment, course_dir, reasons_path, grades_csv)
    write_feedback(grades_csv, assignment, course_dir, args.out / "feedback")
    print(f"wrote {grades_csv.relative_to(course.ROOT) if grades_csv.is_relative_to(course.ROOT) else grades_csv} "
          f"and feedback/ ({time.perf_counter() - start:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
