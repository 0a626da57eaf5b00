"""nbgrader extensions of the course: a time limit per notebook, and the per-exercise grade table.

* :class:`DeadlineExecute` is nbgrader's ``Execute`` preprocessor with one time limit for the whole
  notebook (nbgrader's own limit is per cell). When the limit is reached, the running cell is interrupted
  and :class:`NotebookTimeout` stops the notebook; nbgrader then drops it, and ``grade.py`` scores its
  exercises 0 with the reason.
* :class:`GradeTableExport` is an nbgrader export plugin (``nbgrader export --exporter
  nbgrader_ext.GradeTableExport``) that writes one row per student and exercise, with the message of the
  graded cell (the hidden tests' diagnosis) read from the autograded notebook.
"""

from __future__ import annotations

import csv
import json
import math
import os
import time

import nbformat
from nbgrader.api import MissingEntry
from nbgrader.plugins import ExportPlugin
from nbgrader.preprocessors import Execute
from traitlets import Integer, Unicode

FIELDS = ["student", "assignment", "exercise", "points", "max_points", "message"]


class NotebookTimeout(RuntimeError):
    """The notebook ran past its time limit."""


class DeadlineExecute(Execute):
    """nbgrader's ``Execute`` with one time limit for the whole notebook."""

    notebook_timeout = Integer(300, help="Seconds a whole notebook may run.").tag(config=True)

    def preprocess(self, nb, resources=None, km=None):
        self._deadline = time.monotonic() + self.notebook_timeout
        self.timeout = self.notebook_timeout
        nb, resources = super().preprocess(nb, resources, km)
        self._check_deadline(len(nb.cells))
        return nb, resources

    def _check_deadline(self, index):
        if time.monotonic() >= self._deadline:
            raise NotebookTimeout(f"the notebook did not finish within its time limit of {self.notebook_timeout} s "
                                  f"(cell {index} was still running: an endless loop?)")

    def _get_timeout(self, cell):
        return max(1, math.ceil(self._deadline - time.monotonic()))

    def preprocess_cell(self, cell, resources, index):
        self._check_deadline(index - 1)
        return super().preprocess_cell(cell, resources, index)


def cell_message(cell):
    """The verdict a graded cell printed: its error, or its "Passed: ..." line."""
    for output in cell.get("outputs", []):
        if output.output_type == "error":
            if output.ename == "AssertionError":
                return output.evalue
            return f"{output.ename}: {output.evalue}".strip()
    text = "".join(o.get("text", "") for o in cell.get("outputs", []) if o.output_type == "stream")
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    passed = [line for line in lines if line.startswith("Passed:")]
    return passed[-1] if passed else (lines[-1] if lines else "")


class GradeTableExport(ExportPlugin):
    """One CSV row per student and graded cell: student, assignment, exercise, points, max_points, message."""

    reasons = Unicode("", help="JSON file with {student: {notebook: reason}} for notebooks not graded.").tag(config=True)
    names = Unicode("", help="JSON file with {grade_id: exercise name}.").tag(config=True)
    autograded = Unicode("", help="The course's autograded folder.").tag(config=True)

    def export(self, gradebook):
        reasons = json.loads(open(self.reasons).read()) if self.reasons and os.path.exists(self.reasons) else {}
        names = json.loads(open(self.names).read()) if self.names else {}
        rows = []
        for assignment_id in self.assignment:
            assignment = gradebook.find_assignment(assignment_id)
            for student_id in self.student:
                for notebook in assignment.notebooks:
                    rows += self._notebook_rows(gradebook, assignment_id, student_id, notebook, reasons, names)
        with open(self.to, "w", newline="", encoding="utf-8") as f:
            writer = csv.DictWriter(f, fieldnames=FIELDS)
            writer.writeheader()
            writer.writerows(rows)
        self.log.info("Wrote %d rows to %s", len(rows), self.to)

    def _notebook_rows(self, gb, assignment_id, student_id, notebook, reasons, names):
        reason = reasons.get(student_id, {}).get(notebook.name)
        path = os.path.join(self.autograded, student_id, assignment_id, notebook.name + ".ipynb")
        cells = {}
        if reason is None and os.path.exists(path):
            nb = nbformat.read(path, as_version=4)
            cells = {c.metadata.get("nbgrader", {}).get("grade_id"): c for c in nb.cells}
        elif reason is None:
            reason = "not graded: the grader could not run this notebook (see _build/grades/grading.log)"
        rows = []
        for cell in notebook.grade_cells:
            name = names.get(cell.name, cell.name)
            row = {"student": student_id, "assignment": assignment_id, "exercise": name,
                   "max_points": f"{cell.max_score:g}"}
            try:
                grade = gb.find_grade(cell.name, notebook.name, assignment_id, student_id)
            except MissingEntry:
                grade = None
            if reason is not None:
                row.update(points="0", message=reason)
            elif cell.cell_type == "markdown":  # a written answer, graded by hand
                comment = self._comment(gb, cell.name, notebook.name, assignment_id, student_id)
                if grade is not None and grade.manual_score is not None:
                    row.update(points=f"{grade.manual_score:g}", message=comment or "graded by hand")
                elif grade is not None and grade.auto_score == 0:
                    row.update(points="0", message="no written answer")
                else:
                    row.update(points="", message="written answer: to be graded by hand (nbgrader formgrader)")
            else:
                score = grade.score if grade is not None else 0
                row.update(points=f"{score:g}", message=cell_message(cells.get(cell.name, {})))
            rows.append(row)
        return rows

    @staticmethod
    def _comment(gb, name, notebook, assignment, student):
        try:
            comment = gb.find_comment(name, notebook, assignment, student)
        except MissingEntry:
            return ""
        return comment.manual_comment or ""
