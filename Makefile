# Gradient Descent from Scratch — the two commands are `make book` and `make test`.
# Each first creates (or refreshes) the virtualenv .venv from requirements.txt; only python3 (3.11+) and
# make are needed. See README.md for the same steps without make.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
# The stamp records that .venv holds what requirements.txt and pyproject.toml ask for: when either file is
# newer than the stamp (or the stamp is missing, e.g. a .venv made by hand), pip installs again.
STAMP  := $(VENV)/.requirements.stamp
SITE   := _build/html
JB_FLAGS := -W -n --keep-going
NBVAL_FLAGS := --nbval --nbval-current-env --nbval-sanitize-with nbval_sanitize.cfg

.PHONY: help venv book test unit nbval portable site-test student student-test notebooks lab clean \
        assignment grade grade-export fixture-class grading-test lab-student
# `make test` runs its steps in order, also under `make -j`.
.NOTPARALLEL:

help:
	@echo "make book       build the site into $(SITE) (warnings are errors)"
	@echo "make test       unit tests + strict nbval on book/*.ipynb (twice: 2nd under other numerics) + build + browser test"
	@echo "make notebooks  re-execute every notebook in place (NB=book/0N_name.ipynb for one)"
	@echo "make student    build the student edition (no solutions) into _build/student"
	@echo "make lab        open JupyterLab on book/"
	@echo "make assignment A=week1      build an assignment (nbgrader) into _build/classroom/release/week1"
	@echo "make grade SUBMISSIONS=dir   grade a class in bulk into _build/grades (A=name, TIMEOUT=s, JOBS=n)"
	@echo "make lab-student [A=week1]   open JupyterLab on the student notebooks (an assignment's, or all)"
	@echo "make clean      remove $(SITE) and caches (keeps .venv; rm -rf .venv to start over)"

$(STAMP): requirements.txt pyproject.toml
	@if [ ! -x $(BIN)/python ]; then \
	  $(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
	    { echo "This course needs Python 3.11 or newer; run e.g. 'make PYTHON=python3.12 test'." >&2; exit 1; }; \
	  echo "Creating $(VENV) with $(PYTHON)"; $(PYTHON) -m venv $(VENV); \
	fi
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	@touch $@

venv: $(STAMP)

# --all re-reads every page, so a warning in a page that did not change still fails the build.
book: $(STAMP)
	$(BIN)/jupyter-book build . $(JB_FLAGS) --all

# Unit tests and the repo checks on committed notebooks, then strict nbval on every chapter.
unit: $(STAMP)
	$(BIN)/python -m pytest tests --ignore=tests/test_site.py --ignore=tests/test_student_edition.py \
	  --ignore=tests/test_grading_class.py --ignore=tests/test_site_explorables.py \
  --ignore=tests/test_site_checks.py

nbval: $(STAMP)
	$(BIN)/python -m pytest $(NBVAL_FLAGS) book

# Strict nbval once more under a second numerical set-up (another OpenBLAS kernel, one thread, NumPy's
# SIMD dispatch off; see scripts/alt_numerics_env.py): a cell that prints rounding noise fails here on any
# machine, not only on a learner's.
portable: $(STAMP)
	env $$($(BIN)/python scripts/alt_numerics_env.py) $(BIN)/python -m pytest $(NBVAL_FLAGS) book

# The browser test of the built site (GDLESSON_REQUIRE_BROWSER=1 makes a missing Chromium a failure).
site-test: $(STAMP)
	$(BIN)/python -m pytest tests/test_site.py tests/test_site_explorables.py tests/test_site_checks.py

# The student edition (solutions removed) and the test that nothing of the solutions leaks into it.
student: $(STAMP)
	$(BIN)/python scripts/student_edition.py

student-test: $(STAMP)
	$(BIN)/python -m pytest tests/test_student_edition.py

test: unit nbval portable book student-test grading-test site-test

NB ?=
notebooks: $(STAMP)
	$(BIN)/python scripts/execute_notebooks.py $(NB)

# Jupyter refuses to run as root unless told; containers often run as root.
LAB_FLAGS ?= $(if $(filter 0,$(shell id -u)),--allow-root)
lab: $(STAMP)
	$(BIN)/jupyter lab --notebook-dir=book $(LAB_FLAGS)

# Classroom (nbgrader): assignments from scripts/classroom/assignments.yml, bulk grading, the fixture class.
A ?=
SUBMISSIONS ?=
TIMEOUT ?= 300
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
assignment: $(STAMP)
	@test -n "$(A)" || { echo "make assignment: give A=<name> (see scripts/classroom/assignments.yml)" >&2; exit 1; }
	$(BIN)/python scripts/classroom/assignment.py $(A)

grade: $(STAMP)
	@test -n "$(SUBMISSIONS)" || { echo "make grade: give SUBMISSIONS=<folder with one folder per student>" >&2; exit 1; }
	$(BIN)/python scripts/classroom/grade.py $(SUBMISSIONS) $(if $(A),--assignment $(A)) --timeout $(TIMEOUT) --jobs $(JOBS)

# After grading written answers by hand in formgrader: grades.csv and feedback again, with those points.
grade-export: $(STAMP)
	$(BIN)/python scripts/classroom/grade.py --export-only $(if $(A),--assignment $(A))

# The fixture class of the tests as submissions: make assignment fixture-class grade A=demo SUBMISSIONS=_build/fixture-class
fixture-class: $(STAMP)
	$(BIN)/python scripts/classroom/fixture_class.py _build/fixture-class

# After `book`: the fixture class, and the exercise and figure numbers against the built site (which the
# unit run, before the build, skips).
grading-test: $(STAMP)
	$(BIN)/python -m pytest tests/test_grading_class.py \
	  tests/test_grading_units.py::test_numbers_match_the_built_site

lab-student: $(STAMP)
	$(if $(A),$(BIN)/python scripts/classroom/assignment.py $(A),$(BIN)/python scripts/student_edition.py --no-site)
	$(BIN)/jupyter lab --notebook-dir=$(if $(A),_build/classroom/release/$(A),_build/student/notebooks) $(LAB_FLAGS)

clean:
	rm -rf _build .pytest_cache .hypothesis
	find . -name __pycache__ -not -path "./$(VENV)/*" -prune -exec rm -rf {} +
