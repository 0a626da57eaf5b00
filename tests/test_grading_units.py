"""Fast tests of the classroom scripts (no kernel): book numbering, markup, the hidden tests' verdicts.

The slow end-to-end test, a whole fixture class graded by nbgrader, is tests/test_grading_class.py.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import nbformat
import numpy as np
import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts" / "classroom"))
import assignment  # noqa: E402
import booksource as bs  # noqa: E402
import course  # noqa: E402
import hidden_tests  # noqa: E402
import student  # noqa: E402


@pytest.fixture(scope="module")
def index():
    return bs.book_index()


def test_exercise_numbers_are_global_in_toc_order(index):
    numbers = [number for number, _, _ in index.exercises.values()]
    assert numbers == list(range(1, len(numbers) + 1))
    pages = [page for _, _, page in index.exercises.values()]
    toc = bs.toc_pages()
    assert pages == sorted(pages, key=toc.index)
    assert index.exercises["ex-ch1-gradient"][0] == 1


def test_numbers_match_the_built_site(index):
    """Every "Exercise N" and "Fig. N" link of the built site names the number we derive (skipped unbuilt)."""
    pages = sorted((ROOT / "_build" / "html" / "book").glob("0*.html"))
    if not pages:
        pytest.skip("the site is not built (make book)")
    newest_source = max(p.stat().st_mtime for p in (ROOT / "book").glob("*.ipynb"))
    if min(p.stat().st_mtime for p in pages) < newest_source:
        pytest.skip("the built site is older than the chapters (make book)")
    seen = 0
    for page in pages:
        html = page.read_text(encoding="utf-8")
        for target, text in re.findall(r'href="[^"]*#([\w-]+)"[^>]*>(.*?)</a>', html, re.S):
            m = re.match(r"\s*(Exercise|Fig\.) (\d+)", re.sub("<[^>]+>", "", text))
            if m and target in index.exercises | index.figures:
                table = index.exercises if m.group(1) == "Exercise" else index.figures
                assert table[target][0] == int(m.group(2)), (page.name, target)
                seen += 1
    assert seen > 20


def test_markup_is_resolved_for_jupyter(index):
    nb = nbformat.read(ROOT / "book" / "04_momentum_adaptive.ipynb", as_version=4)
    out = student.student_notebook(nb, index)
    text = "\n".join(c.source for c in out.cells if c.cell_type == "markdown")
    for markup in ("{numref}", "{ref}", "{doc}", "{literalinclude}", "{exercise}", "{solution", ":pyobject:"):
        assert markup not in text
    assert re.search(r"^### Exercise 15: RMSProp by hand", text, re.M)
    assert "def step(self, w, g):" in text  # Adam.step and friends inlined
    assert re.search(r"\bFigure \d+\b", text) and re.search(r"\bExercise 1[6-9]\b", text)


def test_every_reference_of_every_chapter_resolves(index):
    bs.UNRESOLVED.clear()
    for path in sorted((ROOT / "book").glob("0*.ipynb")):
        student.student_notebook(nbformat.read(path, as_version=4), index)
    # A label that no source defines is the book's error (make book fails on it); one that a source defines
    # but the resolver missed is ours.
    sources = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "book").rglob("*.*")
                        if p.suffix in (".md", ".ipynb"))
    missed = [label for label in bs.UNRESOLVED if f"({label})=" in sources or f'"name": "{label}"' in sources]
    assert missed == []


def test_blanks_run_and_written_exercises_get_an_answer_cell(index):
    nb = nbformat.read(ROOT / "book" / "01_theory.ipynb", as_version=4)
    out = student.student_notebook(nb, index)
    blanks = [c for c in out.cells if student.BLANK_TAG in c.metadata.get("tags", [])]
    assert blanks and all("raise" not in c.source for c in blanks)
    for cell in blanks:
        compile(cell.source, "blank", "exec")
    answers = [c for c in out.cells if student.ANSWER_TAG in c.metadata.get("tags", [])]
    assert any("Exercise 4" in c.source for c in answers)  # "Predict the number of steps" is written
    checks = [c for c in out.cells if bs.CHECK_TAG in c.metadata.get("tags", [])]
    assert checks and all("except NameError" in c.source for c in checks)


def test_source_version_carries_solutions_and_hidden_calls(index):
    notebooks = assignment.source_notebooks("demo", index)
    assert list(notebooks) == ["01_theory", "03_linear_regression", "04_momentum_adaptive"]
    cells = [c for nb in notebooks.values() for c in nb.cells if "nbgrader" in c.metadata]
    ids = {c.metadata.nbgrader["grade_id"] for c in cells}
    assert {"test-ex-ch1-gradient", "written-ex-ch1-steps", "test-project-adam"} <= ids
    for c in cells:
        if c.metadata.nbgrader["grade_id"].startswith("test-"):
            assert "### BEGIN HIDDEN TESTS" in c.source and c.metadata.nbgrader["locked"]
    assert sum(c.metadata.nbgrader.get("points", 0) for c in cells) == 12


def test_assignments_file_is_validated():
    assert course.assignment_spec("demo")["ex-ch3-minibatch"] == {"auto": 3, "written": 0}
    assert course.assignment_spec("week1")["ex-ch3-minibatch"] == {"auto": 4, "written": 1}
    with pytest.raises(SystemExit, match="must be one of"):
        course.assignment_spec("no-such-assignment")


# ---------------------------------------------------------------------------------------------------------
# Hidden tests, called directly with a namespace as the notebook's globals would be
# ---------------------------------------------------------------------------------------------------------


def _ns(code):
    import gdlesson as gd
    X, y = gd.data.make_linear_data(n=100, seed=42)
    Xb, y = gd.data.add_bias(X), y.ravel()
    ns = {"np": np, "gd": gd, "Xb": Xb, "y": y, "cost": gd.LeastSquares(Xb, y)}
    exec(code, ns)
    return ns


def _verdict(label, code, capsys):
    try:
        hidden_tests.run(label, _ns(code))
    except AssertionError as error:
        return False, str(error)
    return True, capsys.readouterr().out


MINIBATCH = """
def my_minibatch(objective, w, lr, batch_size, epochs, seed):
    rng = np.random.default_rng(seed)
    for _ in range(epochs):
        order = rng.permutation(objective.n_samples)
        for start in range(0, objective.n_samples, batch_size):
            w = w - lr * objective.grad(w, rows=order[start:start + batch_size])
    return w
"""


@pytest.mark.parametrize("code, passes, phrase", [
    (MINIBATCH, True, "Passed"),
    (MINIBATCH.replace("w = w - lr", "w -= lr"), False, "in place"),
    (MINIBATCH.replace("order = rng.permutation(objective.n_samples)", "order = np.arange(objective.n_samples)"),
     False, "forgot to shuffle"),
    (MINIBATCH.replace("    for _ in range(epochs):\n        order = rng.permutation(objective.n_samples)\n",
                       "    order = rng.permutation(objective.n_samples)\n    for _ in range(epochs):\n"),
     False, "shuffled once"),
    (MINIBATCH.replace("range(0, objective.n_samples, batch_size)",
                       "range(0, objective.n_samples - batch_size + 1, batch_size)"), False, "skipped"),
    (MINIBATCH.replace("rng.permutation(objective.n_samples)",
                       "rng.integers(0, objective.n_samples, objective.n_samples)"), False, "replacement"),
])
def test_hidden_minibatch_verdicts(code, passes, phrase, capsys):
    ok, message = _verdict("ex-ch3-minibatch", code, capsys)
    assert ok is passes and phrase in message, message


RIDGE = """
lam = 0.5
def ridge_value(w):
    return cost.value(w) + 0.5 * lam * w[1] ** 2
def ridge_grad(w):
    return cost.grad(w) + lam * np.array([0.0, w[1]])
"""


@pytest.mark.parametrize("code, passes, phrase", [
    (RIDGE, True, "Passed"),
    (RIDGE.replace("lam * np.array([0.0, w[1]])", "lam * w").replace("w[1] ** 2", "(w @ w)"), False,
     "penalises the bias row"),
    (RIDGE.replace("cost.grad(w) + lam", "Xb.T @ (Xb @ w - y) + lam"), False, "missing 1/m"),
    (RIDGE.replace("cost.grad(w) + lam", "cost.grad(w) - lam"), False, "wrong sign"),
    (RIDGE.replace("0.5 * lam", "lam").replace("lam * np.array", "2 * lam * np.array"), False, "twice"),
])
def test_hidden_ridge_verdicts(code, passes, phrase, capsys):
    ok, message = _verdict("ex-ch3-ridge", code, capsys)
    assert ok is passes and phrase in message, message


def test_hidden_tests_ignore_a_tampered_checker(capsys, monkeypatch):
    import gdlesson.checks
    monkeypatch.setattr(gdlesson.checks, "check_gradient_function", lambda *a, **k: print("Check passed") or True)
    ok, message = _verdict("ex-ch1-gradient", "def f_ex(w):\n    return w[0]**2 + 3*w[1]**2\n"
                           "def grad_ex(w):\n    return np.array([2*w[0], 3*w[1]])\n", capsys)
    assert not ok and "grad_ex" in message


def test_hidden_adam_accepts_both_forms_and_names_mistakes(capsys):
    project = course.load_projects()["project-adam"]
    assert _verdict("project-adam", project["solution"], capsys)[0]
    efficient = project["solution"].replace(
        "        m_hat = self.m / (1 - self.beta1**self.t)\n"
        "        v_hat = self.v / (1 - self.beta2**self.t)\n"
        "        return w - self.lr * m_hat / (np.sqrt(v_hat) + self.eps)",
        "        lr_t = self.lr * np.sqrt(1 - self.beta2**self.t) / (1 - self.beta1**self.t)\n"
        "        return w - lr_t * self.m / (np.sqrt(self.v) + self.eps)")
    assert efficient != project["solution"]
    assert _verdict("project-adam", efficient, capsys)[0]
    no_correction = project["solution"].replace("m_hat / (np.sqrt(v_hat)", "self.m / (np.sqrt(self.v)")
    ok, message = _verdict("project-adam", no_correction, capsys)
    assert not ok and message


def test_hidden_tests_pass_the_book_solutions(index, capsys):
    """Every exercise with hidden tests: the book's own solution passes them (run in a fresh namespace)."""
    checked = []
    for page in ("book/01_theory", "book/02_contours", "book/03_linear_regression", "book/04_momentum_adaptive",
                 "book/05_ocr_digits"):
        nb = nbformat.read(bs.page_path(page), as_version=4)
        for ex in bs.exercises(nb, index):
            if ex.label in hidden_tests.TESTS:
                ns = _ns("")
                for code in ex.solution_code:
                    try:
                        exec(code, ns)
                    except Exception:
                        pass  # the solution's later lines use the chapter's variables; the definitions came first
                hidden_tests.run(ex.label, ns)
                assert "Passed" in capsys.readouterr().out
                checked.append(ex.label)
    assert sorted(checked) == sorted(set(hidden_tests.TESTS) - {"project-adam"})


def test_a_notebook_that_could_not_be_graded_gets_a_reason():
    import grade
    assert "time limit of 30 s" in grade._failure_reason("NotebookTimeout: the notebook did not finish within "
                                                         "its time limit of 30 s (cell 3 ...)", 30)
    assert "did not stop" in grade._failure_reason("nbclient.exceptions.CellTimeoutError: A cell timed out", 30)
    assert grade._failure_reason("nbclient.exceptions.DeadKernelError: Kernel died", 30).startswith("crashed")
    assert grade._failure_reason("[ERROR] something else\nValueError: odd", 30).endswith("ValueError: odd")


def test_a_file_that_is_not_a_notebook_is_named(tmp_path):
    import grade
    path = tmp_path / "01_theory.ipynb"
    path.write_text("not json", encoding="utf-8")
    nb, reason = grade.read_notebook(path)
    assert nb is None and reason.startswith("not a notebook: 01_theory.ipynb")
