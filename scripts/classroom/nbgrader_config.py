"""nbgrader configuration of the course (loaded by scripts/classroom/course.py, and by the nbgrader_config.py
that `make assignment` writes into the course folder _build/classroom, so `nbgrader ...` and formgrader
run there behave as `make grade` does)."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from nbconvert.preprocessors import ClearMetadataPreprocessor  # noqa: E402
from nbgrader.preprocessors import (AssignLatePenalties, CheckCellMetadata, ClearHiddenTests,  # noqa: E402
                                    ClearMarkScheme, ClearSolutions, ComputeChecksums, IgnorePattern,
                                    IncludeHeaderFooter, InstantiateTests, LimitOutput, LockCells,
                                    SaveAutoGrades, SaveCells)

from nbgrader_ext import DeadlineExecute  # noqa: E402

c = get_config()  # noqa: F821  (traitlets config files get this function)

c.CourseDirectory.course_id = "gradient-descent-from-scratch"
# An unanswered cell holds only this comment: it runs (so the rest of the notebook does) and scores 0.
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE"}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"
# Released notebooks keep the chapters' outputs (figures, printed numbers), so they read like the site:
# nbgrader's default list without ClearOutput.
c.GenerateAssignment.preprocessors = [IncludeHeaderFooter, InstantiateTests, LockCells, ClearSolutions,
                                      CheckCellMetadata, ComputeChecksums, SaveCells, ClearHiddenTests,
                                      ClearMarkScheme, ComputeChecksums, CheckCellMetadata]
# Each notebook runs in a fresh kernel with one time limit for the whole notebook (DeadlineExecute).
c.Autograde.autograde_preprocessors = [DeadlineExecute, IgnorePattern, ClearMetadataPreprocessor, LimitOutput,
                                       SaveAutoGrades, AssignLatePenalties, CheckCellMetadata]
c.DeadlineExecute.notebook_timeout = int(os.environ.get("GDLESSON_GRADE_TIMEOUT", "300"))
c.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback", ".*"]
# Kernels keep their history in memory and log only errors (not one warning per kernel about TCP transport).
c.DeadlineExecute.extra_arguments = ["--HistoryManager.hist_file=:memory:", "--IPKernelApp.log_level=ERROR"]
