"""Shared pieces of the classroom scripts: paths, the assignments file, nbgrader's configuration."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
COURSE = Path(os.environ.get("GDLESSON_COURSE_DIR", ROOT / "_build" / "classroom")).resolve()  # nbgrader's course folder (source, release, autograded, gradebook.db)
ASSIGNMENTS = HERE / "assignments.yml"
PROJECTS = HERE / "projects.yml"
HIDDEN_TESTS = HERE / "hidden_tests.py"

if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))
# nbgrader runs `alembic` (its database migrations) as a command: the venv's bin must be on PATH even when
# the script is started as .venv/bin/python without activating the venv.
_BIN = str(Path(sys.executable).parent)
if _BIN not in os.environ.get("PATH", "").split(os.pathsep):
    os.environ["PATH"] = _BIN + os.pathsep + os.environ.get("PATH", "")


def load_assignments(path=ASSIGNMENTS):
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def load_projects(path=PROJECTS):
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def assignment_spec(name, path=ASSIGNMENTS):
    """``{label: {"auto": points, "written": points}}`` for assignment ``name``, validated."""
    import hidden_tests
    assignments = load_assignments(path)
    if name not in assignments:
        raise SystemExit(f"assignment: `A` must be one of {sorted(assignments)} (see {path.relative_to(ROOT)}); "
                         f"got {name!r}.")
    spec = {}
    for label, value in (assignments[name].get("exercises") or {}).items():
        if isinstance(value, dict):
            unknown = set(value) - {"auto", "written"}
            if unknown:
                raise SystemExit(f"assignment {name}: {label} has unknown keys {sorted(unknown)}; allowed: auto, written.")
            entry = {"auto": value.get("auto", 0), "written": value.get("written", 0)}
        else:
            entry = {"auto": value, "written": 0} if label in hidden_tests.TESTS else {"auto": 0, "written": value}
        if entry["auto"] and label not in hidden_tests.TESTS:
            raise SystemExit(f"assignment {name}: {label} has `auto` points but no hidden tests in "
                             f"{HIDDEN_TESTS.relative_to(ROOT)}.")
        for key, points in entry.items():
            if not isinstance(points, (int, float)) or points < 0:
                raise SystemExit(f"assignment {name}: points of {label} must be a number >= 0; got {points!r}.")
        spec[label] = entry
    if not spec:
        raise SystemExit(f"assignment {name}: it lists no exercises.")
    return spec


def nbgrader_config(course=COURSE):
    """The traitlets Config nbgrader runs with (scripts/classroom/nbgrader_config.py, rooted at ``course``)."""
    from traitlets.config.loader import PyFileConfigLoader
    config = PyFileConfigLoader("nbgrader_config.py", path=str(HERE)).load_config()
    config.CourseDirectory.root = str(course)
    # A generous lock timeout: several grading processes write to one SQLite gradebook.
    config.CourseDirectory.db_url = f"sqlite:///{course / 'gradebook.db'}?timeout=120"
    return config


def write_course_config(course=COURSE):
    """nbgrader_config.py in the course folder, so that `nbgrader ...` (and formgrader) there match make grade."""
    course.mkdir(parents=True, exist_ok=True)
    (course / "nbgrader_config.py").write_text(
        "# Written by scripts/classroom/assignment.py: the course's settings, with this folder as the root.\n"
        "c = get_config()  # noqa: F821\n"
        f"load_subconfig({str(HERE / 'nbgrader_config.py')!r})  # noqa: F821\n"
        "c.CourseDirectory.root = __import__('os').path.dirname(__import__('os').path.abspath(__file__))\n"
        f"c.CourseDirectory.db_url = 'sqlite:///' + c.CourseDirectory.root + '/gradebook.db?timeout=120'\n"
        f"__import__('os').environ.setdefault('GDLESSON_HIDDEN_TESTS', {str(HIDDEN_TESTS)!r})\n",
        encoding="utf-8")
