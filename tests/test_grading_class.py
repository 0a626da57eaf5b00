"""CI grades a fixture class end to end with nbgrader (`make grading-test`, part of `make test`).

From the book as it is now: build assignment `demo` (scripts/classroom/assignments.yml), write the fixture
class of tests/fixtures/class/class.yml as submissions (12 students: correct answers in other styles, the
named mistakes, a blank, a crash, an endless loop, a tampered checker, a missing notebook, a file that is
not a notebook), grade it with `grade.py` in a course folder of its own, and compare the grade table with
the one the YAML file expects: every row, exactly, and a phrase of each message. Takes about two and a half minutes
on two cores (each notebook runs in its own kernel; the endless loop runs into the time limit).
"""

from __future__ import annotations

import csv
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
SCRIPTS = ROOT / "scripts" / "classroom"
CLASS = ROOT / "tests" / "fixtures" / "class" / "class.yml"
TIMEOUT = 30  # seconds per notebook; a chapter takes 4-10 s on a loaded 2-core machine


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    work = tmp_path_factory.mktemp("class")
    env = {**os.environ, "GDLESSON_COURSE_DIR": str(work / "course")}
    run = lambda *args: subprocess.run([sys.executable, *map(str, args)], cwd=ROOT, env=env, check=True,  # noqa: E731
                                       capture_output=True, text=True)
    run(SCRIPTS / "assignment.py", "demo")
    run(SCRIPTS / "fixture_class.py", work / "submissions")
    start = time.perf_counter()
    result = run(SCRIPTS / "grade.py", work / "submissions", "--assignment", "demo", "--timeout", TIMEOUT,
                 "--out", work / "grades")
    seconds = time.perf_counter() - start
    print(f"\ngraded the fixture class in {seconds:.0f} s\n{result.stdout}")
    rows = list(csv.DictReader(open(work / "grades" / "grades.csv", encoding="utf-8")))
    names = yaml.safe_load((work / "course" / "demo.names.json").read_text(encoding="utf-8"))
    return rows, names, work


def expected_table(names):
    spec = yaml.safe_load(CLASS.read_text(encoding="utf-8"))
    table = {}
    for student, entry in spec["students"].items():
        for label, (points, phrase) in entry["expect"].items():
            table[(student, names[f"test-{label}"])] = (points, phrase)
        written = names["written-ex-ch1-steps"]
        if "01_theory" in entry.get("not_a_notebook", []):
            table[(student, written)] = (0, "not a notebook")
        elif "ex-ch1-steps" in (entry.get("written") or {}):
            table[(student, written)] = ("", "to be graded by hand")
        else:
            table[(student, written)] = (0, "no written answer")
    return table


def test_grade_table_is_exactly_the_expected_one(graded):
    rows, names, _ = graded
    expected = expected_table(names)
    got = {(r["student"], r["exercise"]): r for r in rows}
    assert len(got) == len(rows), "one row per student and exercise"
    assert set(got) == set(expected)
    wrong = []
    for key, (points, phrase) in sorted(expected.items()):
        row = got[key]
        got_points = float(row["points"]) if row["points"] != "" else ""
        if got_points != points or phrase not in row["message"] or row["assignment"] != "demo":
            wrong.append((key, points, phrase, row["points"], row["message"]))
    assert wrong == []


def test_max_points_come_from_the_assignments_file(graded):
    rows, names, _ = graded
    assignments = yaml.safe_load((SCRIPTS / "assignments.yml").read_text(encoding="utf-8"))
    points = {names[f"test-{label}"] if f"test-{label}" in names else names[f"written-{label}"]: value
              for label, value in assignments["demo"]["exercises"].items()}
    assert {r["exercise"]: float(r["max_points"]) for r in rows} == points


def test_each_student_gets_feedback_with_the_diagnosis(graded):
    rows, _, work = graded
    for student in {r["student"] for r in rows}:
        text = (work / "grades" / "feedback" / f"{student}.md").read_text(encoding="utf-8")
        for row in rows:
            if row["student"] == student:
                assert row["message"][:60].replace("|", "\\|") in text
    # nbgrader's HTML feedback, with the graded cells' verdicts, for a student whose notebooks ran
    html = (work / "grades" / "feedback" / "s03-several" / "03_linear_regression.html").read_text(encoding="utf-8")
    assert "penalises the bias row" in html


# Last: it changes the gradebook and rewrites the table and the feedback.
def test_a_written_answer_graded_by_hand_reaches_the_table(graded):
    """Score the one written answer as formgrader does (nbgrader's Gradebook), then export again."""
    rows, names, work = graded
    sys.path.insert(0, str(SCRIPTS))
    os.environ["GDLESSON_COURSE_DIR"] = str(work / "course")
    try:
        import course
        from nbgrader.api import Gradebook
        config = course.nbgrader_config(work / "course")
        with Gradebook(config.CourseDirectory.db_url, config.CourseDirectory.course_id) as gb:
            grade = gb.find_grade("written-ex-ch1-steps", "01_theory", "demo", "s01-reference")
            grade.manual_score = 1
            comment = gb.find_comment("written-ex-ch1-steps", "01_theory", "demo", "s01-reference")
            comment.manual_comment = "Right, and the reason for (a) is the one that matters."
            gb.db.commit()
    finally:
        del os.environ["GDLESSON_COURSE_DIR"]
    env = {**os.environ, "GDLESSON_COURSE_DIR": str(work / "course")}
    subprocess.run([sys.executable, str(SCRIPTS / "grade.py"), "--export-only", "--assignment", "demo", "--out",
                    str(work / "grades")], cwd=ROOT, env=env, check=True, capture_output=True, text=True)
    again = list(csv.DictReader(open(work / "grades" / "grades.csv", encoding="utf-8")))
    row = next(r for r in again if r["student"] == "s01-reference" and r["exercise"] == names["written-ex-ch1-steps"])
    assert row["points"] == "1" and "the reason for (a)" in row["message"]
    assert [r for r in again if r is not row and r["student"] != "s01-reference"] == \
        [r for r in rows if r["student"] != "s01-reference"]
    summary = (work / "grades" / "feedback" / "s01-reference.md").read_text(encoding="utf-8")
    assert "Points: 12 of 12" in summary
