"""check_gradient_function, Reference and ridge_reference: right answers pass, each mistake gets its message.

Every "student answer" below is written the way a student would write it, mistakes included; the tests
assert on the printed verdict, so a message that stops naming its mistake fails here.
"""

import numpy as np
import pytest

import gdlesson as gd
from checks_helpers import verdict
from gdlesson.checks import Reference, check_gradient_function, ridge_reference


# =========================================================================================================
# check_gradient_function
# =========================================================================================================


def f_ex(w):
    return w[0] ** 2 + 3 * w[1] ** 2


def rosen_grad_right(w):
    x, y = w
    return np.array([-2 * (1 - x) - 400 * x * (y - x**2), 200 * (y - x**2)])


def rosen_grad_forgot_inner_2(w):  # chapter 1's "find and fix" exercise
    x, y = w
    return np.array([-2 * (1 - x) - 200 * x * (y - x**2), 200 * (y - x**2)])


@pytest.fixture(scope="module")
def lsq():
    X, y = gd.data.make_linear_data(n=50, seed=1)
    return gd.LeastSquares(gd.data.add_bias(X), y.ravel())


def test_gradient_right_answers_pass(capsys, lsq):
    assert check_gradient_function(lambda w: np.array([2 * w[0], 6 * w[1]]), f_ex, w_shape=(2,)) is True
    assert verdict(capsys, None).startswith("Check passed:")
    assert check_gradient_function(rosen_grad_right, gd.Rosenbrock()) is True
    assert "rosen_grad_right agrees" in verdict(capsys, None)
    Xb, y = lsq.X, lsq.y
    assert check_gradient_function(lambda w: Xb.T @ (Xb @ w - y) / len(y), lsq) is True
    verdict(capsys, None)


def test_gradient_sign_error(capsys, lsq):
    Xb, y = lsq.X, lsq.y
    assert check_gradient_function(lambda w: Xb.T @ (y - Xb @ w) / len(y), lsq) is False
    out = verdict(capsys, None)
    assert "wrong sign" in out and "(y - Xw)" in out


def test_gradient_missing_factor_two(capsys):
    assert check_gradient_function(lambda w: np.array([w[0], 3 * w[1]]), f_ex, w_shape=(2,)) is False
    out = verdict(capsys, None)
    assert "constant factor" in out and "0.5 times" in out and "missing factor 2" in out


def test_gradient_extra_factor_two(capsys, lsq):
    Xb, y = lsq.X, lsq.y
    assert check_gradient_function(lambda w: 2 * Xb.T @ (Xb @ w - y) / len(y), lsq) is False
    assert "extra factor 2" in verdict(capsys, None)


def test_gradient_missing_one_over_m(capsys, lsq):
    Xb, y = lsq.X, lsq.y
    assert check_gradient_function(lambda w: Xb.T @ (Xb @ w - y), lsq) is False
    out = verdict(capsys, None)
    assert "50 times" in out and "m = 50, the number of samples" in out and "did not divide by m" in out


def test_gradient_one_wrong_entry_is_named(capsys):
    w = np.array([[-0.7, 1.3]])
    assert check_gradient_function(rosen_grad_forgot_inner_2, gd.Rosenbrock(), points=w) is False
    out = verdict(capsys, None)
    # the numbers of chapter 1's exercise: entry 0 should be 223.4 and is 110
    assert "at w = [-0.7, 1.3]" in out and "entry 0: expected 223.4, got 110" in out
    assert "1 of its 2 entries are right" in out


def test_gradient_wrong_shape_and_nan(capsys, lsq):
    Xb, y = lsq.X, lsq.y
    assert check_gradient_function(lambda w: (Xb.T @ (Xb @ w - y) / len(y)).reshape(-1, 1), lsq) is False
    assert "shape (2, 1), but w has shape (2,)" in verdict(capsys, None)
    assert check_gradient_function(lambda w: np.full(2, np.nan), f_ex, w_shape=(2,)) is False
    assert "NaN or inf" in verdict(capsys, None)


def test_gradient_zero(capsys):
    assert check_gradient_function(lambda w: np.zeros(2), f_ex, w_shape=2) is False
    assert "returns zeros" in verdict(capsys, None)


def test_gradient_messages_are_distinct(capsys, lsq):
    # each mistake's message names that mistake and no other one
    Xb, y = lsq.X, lsq.y
    cases = [(lambda w: Xb.T @ (y - Xb @ w) / len(y), "wrong sign"),
             (lambda w: 2 * Xb.T @ (Xb @ w - y) / len(y), "extra factor 2"),
             (lambda w: 0.5 * Xb.T @ (Xb @ w - y) / len(y), "missing factor 2"),
             (lambda w: Xb.T @ (Xb @ w - y), "did not divide by m"),
             (lambda w: Xb.T @ (Xb @ w - y) / len(y) ** 2, "divided by the number of samples twice"),
             (lambda w: Xb.T @ (Xb @ w - y) / len(y) + np.array([0.0, 1.0]), "entries are right")]
    for answer, own in cases:
        assert check_gradient_function(answer, lsq) is False
        out = verdict(capsys, None)
        assert [phrase for _, phrase in cases if phrase in out] == [own], out


def test_gradient_misuse_raises():
    with pytest.raises(ValueError, match="check_gradient_function: `w_shape` must be given"):
        check_gradient_function(lambda w: w, lambda w: 0.0)
    with pytest.raises(TypeError, match="`grad`"):
        check_gradient_function("grad", f_ex, w_shape=(2,))
    with pytest.raises(TypeError, match="`objective`"):
        check_gradient_function(lambda w: w, 3.0, w_shape=(2,))
    with pytest.raises(ValueError, match="`n_points`"):
        check_gradient_function(lambda w: w, f_ex, w_shape=(2,), n_points=0)
    with pytest.raises(ValueError, match="`h`"):
        check_gradient_function(lambda w: w, f_ex, w_shape=(2,), h=0)




# =========================================================================================================
# A reference: the function the exercise fixes
# =========================================================================================================


def grad_ex(w):  # right for chapter 1's f(w) = w1^2 + 3 w2^2
    return np.array([2 * w[0], 6 * w[1]])


def test_reference_named_exercises_pass_right_answers(capsys):
    assert check_gradient_function(grad_ex, f_ex, w_shape=(2,), reference="ex-ch1-gradient") is True
    # the text a right answer prints is the same with and without a reference (the notebooks store it)
    assert verdict(capsys) == "Check passed: grad_ex agrees with central differences at 3 points.\n"
    assert check_gradient_function(rosen_grad_right, gd.Rosenbrock(), reference="ex-ch1-fix-gradient") is True
    verdict(capsys)

    def himmelblau(w):
        return (w[0] ** 2 + w[1] - 11) ** 2 + (w[0] + w[1] ** 2 - 7) ** 2

    def himmelblau_grad(w):
        a, b = w[0] ** 2 + w[1] - 11, w[0] + w[1] ** 2 - 7
        return np.array([4 * a * w[0] + 2 * b, 2 * a + 4 * b * w[1]])

    assert check_gradient_function(himmelblau_grad, himmelblau, reference="ex-ch2-new-objective") is True
    verdict(capsys)
    assert check_gradient_function(grad_ex, reference="ex-ch1-gradient") is True  # gradient only
    verdict(capsys)


def test_reference_catches_the_wrong_function_with_a_matching_gradient(capsys):
    # the instructor's case: f_ex = w1^2 + 2 w2^2 with its own right gradient passed without a reference
    def f_wrong(w):
        return w[0] ** 2 + 2 * w[1] ** 2

    def grad_wrong(w):
        return np.array([2 * w[0], 4 * w[1]])

    assert check_gradient_function(grad_wrong, f_wrong, w_shape=(2,)) is True  # consistent, so it passes
    verdict(capsys)
    result = check_gradient_function(grad_wrong, f_wrong, w_shape=(2,), reference="ex-ch1-gradient")
    out = verdict(capsys, result)
    assert result is False
    assert "f_wrong is not the function the exercise asks for" in out
    assert "f(w) = w1^2 + 3 w2^2" in out
    assert "grad_wrong is the gradient of f_wrong, not of the exercise's function" in out
    # a plain function as reference works too, and names the values at the first point
    ref = Reference(f_ex, w_shape=(2,))
    assert check_gradient_function(grad_wrong, f_wrong, reference=ref) is False
    w = np.random.default_rng(0).normal(size=(3, 2))[0]
    out = verdict(capsys)
    assert f"it gives {f_wrong(w):.6g}, where the exercise's function is {f_ex(w):.6g}" in out


def test_reference_says_when_only_the_function_is_wrong(capsys):
    result = check_gradient_function(grad_ex, lambda w: w[0] ** 2 + w[1] ** 2, reference="ex-ch1-gradient")
    out = verdict(capsys, result)
    assert result is False and "grad_ex is right for the exercise's function: fix only your function" in out
    result = check_gradient_function(lambda w: np.array([w[0], w[1]]), lambda w: w[0] ** 2 + w[1] ** 2,
                                     reference="ex-ch1-gradient")
    out = verdict(capsys, result)
    assert "is the gradient of neither; re-derive it from the exercise's formula" in out


def test_reference_misuse_raises():
    with pytest.raises(ValueError, match="check_gradient_function: `reference` must be one of"):
        check_gradient_function(grad_ex, f_ex, reference="ex-ch3-ridge")
    with pytest.raises(TypeError, match="`reference`"):
        check_gradient_function(grad_ex, f_ex, reference=3.0)
    with pytest.raises(TypeError, match="`objective` must be given"):
        check_gradient_function(grad_ex)
    with pytest.raises(ValueError, match="`points` must be points of the reference's shape"):
        check_gradient_function(grad_ex, f_ex, reference="ex-ch1-gradient", points=np.zeros((1, 3)))
    with pytest.raises(ValueError, match="ridge_reference: `lam` must be >= 0"):
        ridge_reference(gd.Rosenbrock(), -1.0)
    with pytest.raises(TypeError, match="Reference: `value`"):
        Reference(3.0)


# =========================================================================================================
# Ridge (chapter 3) and the L2 penalty on a weight matrix (chapter 5)
# =========================================================================================================

LAM = 0.5
D = np.diag([0.0, 1.0])


@pytest.fixture(scope="module")
def ridge(lsq):
    """(cost, ridge_value, right ridge_grad, reference) for chapter 3's exercise, m = 50."""
    def ridge_value(w):
        return lsq.value(w) + 0.5 * LAM * w[1] ** 2

    def ridge_grad(w):
        return lsq.grad(w) + LAM * D @ w

    return lsq, ridge_value, ridge_grad, ridge_reference(lsq, LAM)


def test_ridge_right_answer_passes(capsys, ridge):
    cost, ridge_value, ridge_grad, ref = ridge
    assert check_gradient_function(ridge_grad, ridge_value, w_shape=(2,), reference=ref) is True
    assert verdict(capsys) == "Check passed: ridge_grad agrees with central differences at 3 points.\n"


def test_ridge_penalising_the_intercept_fails_even_when_consistent(capsys, ridge):
    cost, _, _, ref = ridge

    def ridge_value(w):
        return cost.value(w) + 0.5 * LAM * np.sum(w**2)

    def ridge_grad(w):
        return cost.grad(w) + LAM * w

    assert check_gradient_function(ridge_grad, ridge_value, w_shape=(2,)) is True  # consistent
    verdict(capsys)
    assert check_gradient_function(ridge_grad, ridge_value, reference=ref) is False
    out = verdict(capsys)
    assert "ridge_value is not the function the exercise asks for" in out
    assert "penalises the bias row w[0] too" in out
    assert "ridge_grad is the gradient of ridge_value" in out


def test_ridge_wrong_cost_lam_w1_squared(capsys, ridge):
    cost, _, ridge_grad, ref = ridge

    def ridge_value(w):
        return cost.value(w) + LAM * w[1] ** 2

    def ridge_grad_2(w):
        return cost.grad(w) + 2 * LAM * D @ w

    assert check_gradient_function(ridge_grad_2, ridge_value, reference=ref) is False
    out = verdict(capsys)
    assert "the penalty is twice the exercise's: lam * w**2 where the exercise has (lam/2) * w**2" in out
    assert "ridge_grad_2 is the gradient of ridge_value" in out
    assert check_gradient_function(ridge_grad, ridge_value, reference=ref) is False
    assert "ridge_grad is right for the exercise's function: fix only ridge_value" in verdict(capsys)


@pytest.mark.parametrize("answer, phrase", [
    (lambda c, w: c.X.T @ (c.X @ w - c.y) + LAM * D @ w, "missing 1/m, m = 50"),
    (lambda c, w: c.X.T @ (c.y - c.X @ w) / c.n_samples + LAM * D @ w, "Only the data term has the wrong sign"),
    (lambda c, w: c.grad(w) - LAM * D @ w, "Only the penalty has the wrong sign"),
    (lambda c, w: c.grad(w) + 2 * LAM * D @ w, "A factor 2 in the penalty"),
    (lambda c, w: c.grad(w), "The penalty is missing"),
    (lambda c, w: c.grad(w) + LAM * w, "The penalty also acts on the bias row w[0]"),
])
def test_ridge_gradient_mistakes_are_named(capsys, ridge, answer, phrase):
    cost, ridge_value, _, ref = ridge
    assert check_gradient_function(lambda w: answer(cost, w), ridge_value, reference=ref) is False
    out = verdict(capsys)
    assert phrase in out
    assert "chain rule" not in out  # not the generic hint


def test_ridge_gradient_messages_are_distinct(capsys, ridge):
    cost, ridge_value, _, ref = ridge
    cases = [(lambda w: cost.X.T @ (cost.X @ w - cost.y) + LAM * D @ w, "missing 1/m"),
             (lambda w: -cost.grad(w) + LAM * D @ w, "Only the data term has the wrong sign"),
             (lambda w: cost.grad(w) - LAM * D @ w, "Only the penalty has the wrong sign"),
             (lambda w: cost.grad(w) + 2 * LAM * D @ w, "factor 2 in the penalty"),
             (lambda w: cost.grad(w) + LAM * w, "bias row")]
    for answer, own in cases:
        check_gradient_function(answer, ridge_value, reference=ref)
        out = verdict(capsys)
        assert [phrase for _, phrase in cases if phrase in out] == [own], out


def test_ridge_with_lambda_zero_names_the_factor_m(capsys, lsq):
    # the instructors' page promises that the check names m; with lam = 0 the whole gradient is m times off
    ref = ridge_reference(lsq, 0.0)
    assert check_gradient_function(lambda w: lsq.X.T @ (lsq.X @ w - lsq.y), lsq.value, reference=ref) is False
    out = verdict(capsys)
    assert "50 times the right values" in out and "missing 1/m, m = 50" in out
    # without a reference, a plain function does not say m; n_samples= does
    check_gradient_function(lambda w: lsq.X.T @ (lsq.X @ w - lsq.y), lsq.value, w_shape=(2,))
    assert "m = 50" not in verdict(capsys)
    check_gradient_function(lambda w: lsq.X.T @ (lsq.X @ w - lsq.y), lsq.value, w_shape=(2,), n_samples=50)
    assert "missing 1/m, m = 50" in verdict(capsys)


@pytest.fixture(scope="module")
def softmax():
    rng = np.random.default_rng(3)
    X = gd.data.add_bias(rng.normal(size=(40, 4)))
    return gd.SoftmaxRegression(X, rng.integers(0, 3, size=40), n_classes=3)


class L2Penalty:  # chapter 5's exercise, right
    def __init__(self, cost, lam):
        self.cost, self.lam = cost, lam
        self.n_samples, self.w_shape = cost.n_samples, cost.w_shape

    def value(self, w, rows=None):
        return self.cost.value(w, rows) + 0.5 * self.lam * np.sum(w[1:] ** 2)

    def grad(self, w, rows=None):
        g = self.cost.grad(w, rows)
        g[1:] += self.lam * w[1:]
        return g


class L2PenaltyOnBias(L2Penalty):  # penalises every row, the bias row too, in value and gradient alike
    def value(self, w, rows=None):
        return self.cost.value(w, rows) + 0.5 * self.lam * np.sum(w**2)

    def grad(self, w, rows=None):
        return self.cost.grad(w, rows) + self.lam * w


class L2PenaltyGradOnBias(L2Penalty):  # the value is right; the gradient penalises the bias row
    def grad(self, w, rows=None):
        return self.cost.grad(w, rows) + self.lam * w


class L2PenaltyNoShape:  # forgot the attributes gd.minimize needs
    def __init__(self, cost, lam):
        self.cost, self.lam = cost, lam
        self.n_samples = cost.n_samples

    value, grad = L2Penalty.value, L2Penalty.grad


def test_l2_penalty_right_answer_passes(capsys, softmax):
    pen = L2Penalty(softmax, 1e-2)
    assert check_gradient_function(pen.grad, pen, n_points=1) is True
    assert verdict(capsys) == "Check passed: L2Penalty.grad agrees with central differences at 1 point.\n"
    assert check_gradient_function(pen.grad, pen, n_points=1, reference=ridge_reference(softmax, 1e-2)) is True
    assert verdict(capsys) == "Check passed: L2Penalty.grad agrees with central differences at 1 point.\n"


def test_l2_penalty_on_the_bias_row_in_value_and_gradient(capsys, softmax):
    # consistent value and gradient pass the plain gradient check: the instructors' page expected otherwise
    pen = L2PenaltyOnBias(softmax, 1e-2)
    assert check_gradient_function(pen.grad, pen, n_points=1) is True
    verdict(capsys)
    assert check_gradient_function(pen.grad, pen, n_points=1, reference=ridge_reference(softmax, 1e-2)) is False
    out = verdict(capsys)
    assert "L2PenaltyOnBias is not the function the exercise asks for" in out
    assert "penalises the bias row w[0] too" in out
    assert "L2PenaltyOnBias.grad is the gradient of L2PenaltyOnBias" in out


def test_l2_penalty_on_the_bias_row_in_the_gradient_only(capsys, softmax):
    pen = L2PenaltyGradOnBias(softmax, 1e-2)
    assert check_gradient_function(pen.grad, pen, n_points=1) is False  # without a reference: the entries
    out = verdict(capsys)
    assert "entries are right" in out and "All the wrong entries are the bias row w[0]" in out
    assert check_gradient_function(pen.grad, pen, n_points=1, reference=ridge_reference(softmax, 1e-2)) is False
    assert "The penalty also acts on the bias row w[0]" in verdict(capsys)


def test_l2_penalty_missing_w_shape_is_a_verdict_not_an_error(capsys, softmax):
    pen = L2PenaltyNoShape(softmax, 1e-2)
    result = check_gradient_function(pen.grad, pen, n_points=1)
    out = verdict(capsys, result)
    assert result is False
    assert "L2PenaltyNoShape has no attribute `w_shape`" in out and "self.w_shape = cost.w_shape" in out
    assert "check_gradient_function: `w_shape` must be" not in out
    pen.w_shape = softmax.w_shape
    del pen.n_samples
    assert check_gradient_function(pen.grad, pen, n_points=1, reference=ridge_reference(softmax, 1e-2)) is False
    assert "has no attribute `n_samples`" in verdict(capsys)
    pen.n_samples, pen.w_shape = softmax.n_samples, (3, 5)
    assert check_gradient_function(pen.grad, pen, n_points=1, reference=ridge_reference(softmax, 1e-2)) is False
    assert "L2PenaltyNoShape.w_shape is (3, 5), but the exercise's w has shape (5, 3)" in verdict(capsys)


# =========================================================================================================
# A student's function that raises, returns the wrong thing, or NaN: a verdict, never a crash
# =========================================================================================================


def test_student_errors_are_verdicts(capsys):
    def grad_typo(w):
        return np.array([2 * w[0], 6 * w[2]])

    result = check_gradient_function(grad_typo, f_ex, w_shape=(2,))
    out = verdict(capsys, result)
    assert result is False
    assert "grad_typo raised IndexError" in out and "return np.array([2 * w[0], 6 * w[2]])" in out

    def f_raises(w):
        raise ZeroDivisionError("no")

    assert check_gradient_function(grad_ex, f_raises, w_shape=(2,)) is False
    assert "f_raises raised ZeroDivisionError: no" in verdict(capsys)
    assert check_gradient_function(grad_ex, f_raises, reference="ex-ch1-gradient") is False
    assert "f_raises raised ZeroDivisionError" in verdict(capsys)
    assert check_gradient_function(grad_ex, lambda w: np.array([w[0], w[1]]), w_shape=(2,)) is False
    assert "a cost is one number" in verdict(capsys)
    assert check_gradient_function(lambda w: "g", f_ex, w_shape=(2,)) is False
    assert "not an array of numbers" in verdict(capsys)
    assert check_gradient_function(lambda w: None, f_ex, w_shape=(2,)) is False
    assert "returned None: did you forget `return`?" in verdict(capsys)
    assert check_gradient_function(grad_ex, lambda w: np.nan, w_shape=(2,)) is False
    assert "returned nan" in verdict(capsys)


def test_student_code_gets_copies(capsys):
    # a gradient that scribbles on w cannot change the points of the check
    def grad_scribbles(w):
        g = np.array([2 * w[0], 6 * w[1]])
        w[:] = 100.0
        return g

    assert check_gradient_function(grad_scribbles, f_ex, w_shape=(2,)) is True
    verdict(capsys)


# =========================================================================================================
# Grading from another process; nothing a notebook can change
# =========================================================================================================


def test_a_notebook_that_fakes_the_checker_cannot_fool_a_fresh_process(tmp_path):
    # The "answer cell" redefines the checker in its own namespace and rebinds it in gdlesson.checks. A
    # grader in its own process imports the checker before it runs the answer code, so it holds the real
    # function, and calls it with the exercise's reference and its own seed.
    answer = (
        "import numpy as np\n"
        "import gdlesson.checks\n"
        "def check_gradient_function(*args, **kwargs):\n"
        "    print('Check passed: grad_ex agrees with central differences at 3 points.')\n"
        "    return True\n"
        "gdlesson.checks.check_gradient_function = check_gradient_function\n"
        "def f_ex(w):\n"
        "    return w[0] ** 2 + 2 * w[1] ** 2\n"
        "def grad_ex(w):\n"
        "    return np.array([2 * w[0], 4 * w[1]])\n"
    )
    (tmp_path / "answer.py").write_text(answer)
    grader = (
        "import runpy, sys\n"
        "from gdlesson.checks import check_gradient_function\n"
        "ns = runpy.run_path(sys.argv[1])\n"
        "import gdlesson.checks\n"
        "assert gdlesson.checks.check_gradient_function is not check_gradient_function  # the fake\n"
        "ok = check_gradient_function(ns['grad_ex'], ns['f_ex'], reference='ex-ch1-gradient', seed=5, n_points=4)\n"
        "print('GRADE', ok)\n"
    )
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-c", grader, str(tmp_path / "answer.py")], capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("Check failed: f_ex is not the function the exercise asks for")
    assert lines[1] == "GRADE False"


def test_named_references_are_built_afresh_and_read_only():
    with pytest.raises(TypeError):
        _checks_named()["ex-ch1-gradient"] = None
    ref = Reference(f_ex, w_shape=(2,))
    ref.w_shape = (3,)  # a student may change a reference they built; the named one is new at every call
    assert _checks_named()["ex-ch1-gradient"]().w_shape == (2,)


def _checks_named():
    from gdlesson._checks_gradients import _NAMED

    return _NAMED
