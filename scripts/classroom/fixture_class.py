"""Write the fixture class (tests/fixtures/class/class.yml) as a folder of submissions.

Usage: ``python scripts/classroom/fixture_class.py [OUT]`` (default ``_build/fixture-class``), after
``make assignment A=demo``. Each student's notebooks are the released ones with the answer cells filled in
(and written answers) from the YAML file, as a student would hand them in (outputs cleared, to keep the folder small). Used by
``make fixture-class`` and tests/test_grading_class.py.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import nbformat
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
import course  # noqa: E402

CLASS = course.ROOT / "tests" / "fixtures" / "class" / "class.yml"
OUT = course.ROOT / "_build" / "fixture-class"


def load_class(path=CLASS):
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def write_class(out=OUT, path=CLASS, course_dir=course.COURSE):
    spec = load_class(path)
    release = course_dir / "release" / spec["assignment"]
    if not release.is_dir():
        raise SystemExit(f"fixture_class: build the assignment first: make assignment A={spec['assignment']}")
    if out.exists():
        shutil.rmtree(out)
    for student, entry in spec["students"].items():
        folder = out / student
        folder.mkdir(parents=True)
        answers = dict(entry.get("answers") or {})
        written = dict(entry.get("written") or {})
        graded = dict(entry.get("graded_cells") or {})  # a student who rewrites the locked graded cells
        used = set()
        for path in sorted(release.glob("*.ipynb")):
            if path.stem in entry.get("missing", []):
                continue
            if path.stem in entry.get("not_a_notebook", []):
                (folder / path.name).write_text("I wrote my answers in Word, see the attachment.\n", encoding="utf-8")
                continue
            nb = nbformat.read(path, as_version=4)
            for cell in nb.cells:
                if cell.cell_type == "code":
                    cell.outputs, cell.execution_count = [], None
                grade_id = cell.metadata.get("nbgrader", {}).get("grade_id", "")
                label = grade_id.removeprefix("answer-")
                if grade_id.startswith("answer-") and label in answers:
                    cell.source = cell.source.replace("# YOUR CODE HERE", answers[label].rstrip())
                    used.add(label)
                if grade_id.startswith("test-") and grade_id.removeprefix("test-") in graded:
                    cell.source = graded[grade_id.removeprefix("test-")]
                written_label = grade_id.removeprefix("written-")
                if grade_id.startswith("written-") and written_label in written:
                    cell.source = cell.source.replace("YOUR ANSWER HERE", written[written_label].rstrip())
            nbformat.write(nb, folder / path.name)
        unused = set(answers) - used - {label for label in answers if entry.get("missing") or
                                         entry.get("not_a_notebook")}
        if unused:
            raise SystemExit(f"fixture_class: {student}: no answer cell for {sorted(unused)} in {release}")
    return out


if __name__ == "__main__":
    print(f"wrote {write_class(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT)}")
