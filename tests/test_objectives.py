"""Tests for gdlesson.objectives: gradients, known answers, numerical stability, bad input."""

import re
import warnings

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from gdlesson.data import add_bias, make_linear_data
from gdlesson.gradcheck import check_gradient, numerical_gradient
from gdlesson.objectives import (
    LeastSquares,
    LogisticRegression,
    Objective,
    Quadratic,
    Rosenbrock,
    SoftmaxRegression,
)

FAST = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
seeds = st.integers(0, 2**32 - 1)


def random_problem(seed, kind):
    """A random objective, a random point w and random mini-batch rows, all from one seed."""
    rng = np.random.default_rng(seed)
    m, n, k = rng.integers(1, 30), rng.integers(1, 6), rng.integers(2, 6)
    X = rng.normal(size=(m, n))
    rows = rng.integers(0, m, size=rng.integers(1, m + 1))  # repeats allowed, like any index array
    if kind == "quadratic":
        B = rng.normal(size=(n, n))
        return Quadratic(B + B.T, rng.normal(size=n)), rng.normal(size=n), None
    if kind == "rosenbrock":
        return Rosenbrock(rng.uniform(-2, 2), rng.uniform(1, 200)), rng.uniform(-2, 2, size=2), None
    if kind == "least_squares_column":
        return LeastSquares(X, 3 * rng.normal(size=(m, 1))), rng.normal(size=(n, 1)), rows
    if kind == "least_squares_flat":
        return LeastSquares(X, 3 * rng.normal(size=m)), rng.normal(size=n), rows
    if kind == "logistic":
        return LogisticRegression(X, rng.integers(0, 2, size=m)), 0.5 * rng.normal(size=n), rows
    return SoftmaxRegression(X, rng.integers(0, k, size=m), k), 0.5 * rng.normal(size=(n, k)), rows


KINDS = ["quadratic", "rosenbrock", "least_squares_column", "least_squares_flat", "logistic", "softmax"]


# --- gradients against central differences ---------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("use_rows", [False, True])
@FAST
@given(seed=seeds)
def test_gradient_matches_central_differences(kind, use_rows, seed):
    objective, w, rows = random_problem(seed, kind)
    rows = rows if use_rows else None
    value, analytic = objective.value_and_grad(w, rows)
    # Central differences carry a rounding error of about 1e-16 |f| / h, so an entry much smaller than
    # |f| cannot be resolved to a relative 1e-7 (CS231n's caveat). Skipped: points near a stationary
    # point, where the whole gradient is tiny next to f (about 0.5% of draws), and points with one entry
    # far smaller than the others (tested in the next test, relative to the whole gradient).
    assume(np.max(np.abs(analytic)) >= 1e-2 * abs(value))
    assume(np.min(np.abs(analytic)) >= 1e-2 * np.max(np.abs(analytic)))
    # Rosenbrock is steep (large third derivatives), so the O(h^2) term wants h small: the default
    # 1e-6. The others are gently curved and the rounding term wants h larger: 1e-5.
    h = 1e-6 if kind == "rosenbrock" else 1e-5
    error = check_gradient(lambda v: objective.value(v, rows), lambda v: objective.grad(v, rows), w, h)
    assert error < 1e-7


@pytest.mark.parametrize("kind", KINDS)
@FAST
@given(seed=seeds)
def test_gradient_error_relative_to_whole_gradient(kind, seed):
    objective, w, rows = random_problem(seed, kind)
    value, analytic = objective.value_and_grad(w, rows)
    assume(np.max(np.abs(analytic)) >= 1e-2 * abs(value))  # not next to a stationary point (see above)
    h = 1e-6 if kind == "rosenbrock" else 1e-5
    numerical = numerical_gradient(lambda v: objective.value(v, rows), w, h)
    assert np.max(np.abs(analytic - numerical)) <= 1e-7 * np.max(np.abs(analytic))


@pytest.mark.parametrize("kind", KINDS)
@FAST
@given(seed=seeds)
def test_value_and_grad_agree_with_value_and_grad(kind, seed):
    objective, w, rows = random_problem(seed, kind)
    value, g = objective.value_and_grad(w, rows)
    assert isinstance(value, float)
    assert value == pytest.approx(objective.value(w, rows), rel=1e-14, abs=1e-14)
    np.testing.assert_allclose(g, objective.grad(w, rows), rtol=1e-14, atol=1e-14)
    assert g.shape == objective.w_shape == np.shape(w)


@pytest.mark.parametrize("kind", ["least_squares_column", "least_squares_flat", "logistic", "softmax"])
@FAST
@given(seed=seeds)
def test_rows_select_samples(kind, seed):
    objective, w, rows = random_problem(seed, kind)
    everything = np.arange(objective.n_samples)
    assert objective.value(w, everything) == pytest.approx(objective.value(w), rel=1e-12)
    # rows=... is the same objective built on the selected samples only (averaged over len(rows))
    subset_args = (objective.X[rows], objective.y[rows])
    if kind == "softmax":
        subset_args += (objective.n_classes,)
    subset = type(objective)(*subset_args)
    value, g = objective.value_and_grad(w, rows)
    assert value == pytest.approx(subset.value(w), rel=1e-12)
    np.testing.assert_allclose(g, subset.grad(w), rtol=1e-10, atol=1e-14)


def test_objective_wraps_plain_functions():
    def f(w):
        return w[0] ** 2 + 10 * w[1] ** 2

    def grad_f(w):
        return np.array([2 * w[0], 20 * w[1]])

    objective = Objective(f, grad_f, w_shape=(2,))
    assert objective.value([1.0, 2.0]) == 41.0
    np.testing.assert_array_equal(objective.grad([1.0, 2.0]), [2.0, 40.0])
    value, g = objective.value_and_grad(np.array([1.0, 2.0]))
    assert value == 41.0 and g.tolist() == [2.0, 40.0]
    assert objective.n_samples is None and objective.w_shape == (2,)
    assert repr(objective) == "Objective(value=f, grad=grad_f, w_shape=(2,))"
    # without w_shape, any shape goes
    free = Objective(lambda w: float(np.sum(w**2)), lambda w: 2 * w)
    assert free.value(np.ones((2, 3))) == 6.0


# --- known answers ----------------------------------------------------------------------------------


def test_quadratic_knows_its_minimizer_and_eigenvalues():
    A = np.array([[3.0, 1.0], [1.0, 2.0]])
    b = np.array([1.0, -1.0])
    q = Quadratic(A, b)
    eigenvalues = np.linalg.eigvalsh(A)
    assert q.L == pytest.approx(eigenvalues[-1]) and q.mu == pytest.approx(eigenvalues[0])
    assert q.condition_number == pytest.approx(eigenvalues[-1] / eigenvalues[0])
    np.testing.assert_allclose(A @ q.minimizer, b, atol=1e-14)
    np.testing.assert_allclose(q.grad(q.minimizer), 0, atol=1e-14)
    assert q.min_value == pytest.approx(q.value(q.minimizer), abs=1e-15)
    # every other point is higher
    rng = np.random.default_rng(0)
    assert all(q.value(q.minimizer + rng.normal(size=2)) > q.min_value for _ in range(100))


def test_quadratic_bowl_and_repr():
    bowl = Quadratic(2 * np.eye(2))
    assert bowl.value([3.0, 4.0]) == 25.0  # w1^2 + w2^2
    np.testing.assert_array_equal(bowl.minimizer, [0.0, 0.0])
    np.testing.assert_array_equal(bowl.b, [0.0, 0.0])
    assert repr(Quadratic(np.diag([1.0, 25.0]))) == "Quadratic(L=25.0, mu=1.0)"
    rotated = np.array([[13.0, 12.0], [12.0, 13.0]])  # eigenvalues 25 and 1, not exactly in float
    assert repr(Quadratic(rotated)) == "Quadratic(L=25.0, mu=1.0)"


def test_objectives_keep_their_own_copy_of_the_data():
    A, X = np.eye(2), np.ones((3, 1))
    q, ls = Quadratic(A), LeastSquares(X, np.zeros(3))
    A[0, 0], X[:] = 100.0, 2.0  # editing the caller's arrays afterwards...
    assert q.L == 1.0 and q.value([1.0, 0.0]) == 0.5  # ...changes nothing
    assert ls.value([1.0]) == 0.5


def test_quadratic_without_minimizer():
    saddle = Quadratic(np.diag([1.0, -1.0]))
    assert saddle.minimizer is None and saddle.min_value is None
    assert saddle.condition_number == np.inf
    assert saddle.value([0.0, 2.0]) == -2.0


def test_rosenbrock_minimum():
    r = Rosenbrock(a=2, b=50)
    np.testing.assert_array_equal(r.minimizer, [2.0, 4.0])
    assert r.value(r.minimizer) == 0.0 == r.min_value
    np.testing.assert_array_equal(r.grad(r.minimizer), [0.0, 0.0])
    assert Rosenbrock().value([0.0, 0.0]) == 1.0
    assert Rosenbrock().value([-1.0, 1.0]) == 4.0
    assert repr(Rosenbrock()) == "Rosenbrock(a=1.0, b=100.0)"


def test_least_squares_on_the_w3computing_data():
    X, y = make_linear_data()
    objective = LeastSquares(add_bias(X), y)
    theta = objective.solve()
    assert theta.shape == objective.w_shape == (2, 1)
    np.testing.assert_allclose(theta.ravel(), [4.2151, 2.7701], atol=5e-5)
    np.testing.assert_allclose(objective.grad(theta), 0, atol=1e-12)
    # the w3computing tutorial's compute_cost, written out
    w = np.array([[1.0], [-2.0]])
    m = len(y)
    assert objective.value(w) == pytest.approx(np.sum((add_bias(X) @ w - y) ** 2) / (2 * m), rel=1e-14)
    assert repr(objective) == "LeastSquares(n_samples=100, n_features=2)"


def test_least_squares_w_shape_follows_y():
    X, y = make_linear_data(n=20)
    flat = LeastSquares(add_bias(X), y.ravel())
    column = LeastSquares(add_bias(X), y)
    assert flat.w_shape == (2,) and column.w_shape == (2, 1)
    w = np.array([1.0, 2.0])
    assert flat.value(w) == pytest.approx(column.value(w.reshape(2, 1)), rel=1e-15)
    assert flat.solve().shape == (2,)


def test_least_squares_other_conventions_only_rescale_the_gradient():
    X, y = make_linear_data(n=30)
    Xb, m = add_bias(X), 30
    objective = LeastSquares(Xb, y)
    w = np.array([[0.5], [-1.0]])
    g = objective.grad(w)
    mean_without_half = numerical_gradient(lambda v: np.mean((Xb @ v - y) ** 2), w, 1e-5)
    half_sum = numerical_gradient(lambda v: 0.5 * np.sum((Xb @ v - y) ** 2), w, 1e-5)
    np.testing.assert_allclose(mean_without_half, 2 * g, rtol=1e-8)
    np.testing.assert_allclose(half_sum, m * g, rtol=1e-8)


def test_logistic_value_matches_the_textbook_formula():
    rng = np.random.default_rng(1)
    X, y = rng.normal(size=(50, 3)), rng.integers(0, 2, size=50)
    objective = LogisticRegression(X, y)
    w = rng.normal(size=3)
    p = 1 / (1 + np.exp(-X @ w))
    assert objective.value(w) == pytest.approx(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)), rel=1e-12)
    np.testing.assert_allclose(objective.predict_proba(w), p, rtol=1e-14)
    np.testing.assert_array_equal(objective.predict(w), (p >= 0.5).astype(int))
    np.testing.assert_array_equal(objective.predict(w, X[:5]), objective.predict(w)[:5])
    assert objective.value(np.zeros(3)) == pytest.approx(np.log(2))
    assert repr(objective) == "LogisticRegression(n_samples=50, n_features=3)"
    # labels as bools or floats are fine
    assert LogisticRegression(X, y.astype(bool)).value(w) == objective.value(w)
    assert LogisticRegression(X, y.astype(float)).value(w) == objective.value(w)


def test_softmax_value_matches_the_textbook_formula():
    rng = np.random.default_rng(2)
    X, y = rng.normal(size=(40, 4)), rng.integers(0, 3, size=40)
    objective = SoftmaxRegression(X, y, n_classes=3)
    W = rng.normal(size=(4, 3))
    P = np.exp(X @ W) / np.exp(X @ W).sum(axis=1, keepdims=True)
    assert objective.value(W) == pytest.approx(-np.mean(np.log(P[np.arange(40), y])), rel=1e-12)
    np.testing.assert_allclose(objective.predict_proba(W), P, rtol=1e-13)
    np.testing.assert_array_equal(objective.predict(W), P.argmax(axis=1))
    assert objective.value(np.zeros((4, 3))) == pytest.approx(np.log(3))
    assert objective.w_shape == (4, 3)
    assert repr(objective) == "SoftmaxRegression(n_samples=40, n_features=4, n_classes=3)"


def test_softmax_with_two_classes_is_logistic_regression():
    rng = np.random.default_rng(3)
    X, y = rng.normal(size=(30, 3)), rng.integers(0, 2, size=30)
    w = rng.normal(size=3)
    W = np.column_stack([np.zeros(3), w])  # logits (0, x.w): P(class 1) = sigmoid(x.w)
    softmax, logistic = SoftmaxRegression(X, y, 2), LogisticRegression(X, y)
    assert softmax.value(W) == pytest.approx(logistic.value(w), rel=1e-13)
    np.testing.assert_allclose(softmax.grad(W)[:, 1], logistic.grad(w), rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(softmax.predict_proba(W)[:, 1], logistic.predict_proba(w), rtol=1e-13)


# --- huge logits: no overflow, no NaN ---------------------------------------------------------------


@pytest.mark.parametrize("scale", [1e3, 1e6, 1e150])
def test_logistic_is_stable_for_huge_logits(scale):
    X = np.array([[1.0], [-1.0], [1.0], [-1.0]])
    y = np.array([1, 0, 0, 1])  # two right with logit +-scale, two wrong
    objective = LogisticRegression(X, y)
    w = np.array([scale])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        value, g = objective.value_and_grad(w)
        proba = objective.predict_proba(w)
    assert value == pytest.approx(scale / 2, rel=1e-12)  # mean of (0, 0, scale, scale)
    np.testing.assert_allclose(g, [0.5], rtol=1e-12)  # X^T (sigmoid(z) - y) / m = (0+0+1+1)/4
    np.testing.assert_array_equal(proba, [1.0, 0.0, 1.0, 0.0])


@pytest.mark.parametrize("scale", [1e3, 1e6, 1e150])
def test_softmax_is_stable_for_huge_logits(scale):
    X = np.eye(3)
    W = scale * np.array([[1.0, 0.0, -1.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]])
    objective = SoftmaxRegression(X, np.array([0, 0, 2]), 3)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        value, g = objective.value_and_grad(W)
        proba = objective.predict_proba(W)
    # sample 0 is right (loss 0), sample 1 has logits (0, scale, 0) and label 0 (loss scale), sample 2 right
    assert value == pytest.approx(scale / 3, rel=1e-12)
    assert np.all(np.isfinite(g)) and np.all(np.isfinite(proba))
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, rtol=1e-15)
    np.testing.assert_allclose(g[1], [-1 / 3, 1 / 3, 0.0], atol=1e-15)


# --- bad input --------------------------------------------------------------------------------------


def raises(error, text):
    """``pytest.raises`` matching ``text`` literally (no regex escaping by hand)."""
    return pytest.raises(error, match=re.escape(text))


def test_objective_rejects_bad_functions():
    with raises(TypeError, "Objective: `value` must be a function of w; got 3.0."):
        Objective(3.0, lambda w: w)
    with raises(TypeError, "Objective: `grad` must be a function of w; got 'grad'."):
        Objective(lambda w: 0.0, "grad")
    with raises(ValueError, "Objective: `w_shape` must be an integer in [1, inf]; got 0."):
        Objective(lambda w: 0.0, lambda w: w, w_shape=(2, 0))
    wrong_grad = Objective(lambda w: float(w @ w), lambda w: np.zeros(3))
    with raises(ValueError, "Objective: `grad` must be a function returning an array of w's shape (2,); "
                            "got 'an array of shape (3,)'."):
        wrong_grad.grad(np.ones(2))
    vector_value = Objective(lambda w: w, lambda w: w)
    with raises(ValueError, "Objective: `value` must be a function returning one number; "
                            "got 'an array of shape (2,)'."):
        vector_value.value(np.ones(2))
    with raises(ValueError, "Objective.value: `rows` must be None (this objective has no data samples"):
        Objective(lambda w: 0.0, lambda w: w).value(np.ones(2), rows=[0])


@pytest.mark.parametrize("method", ["value", "grad", "value_and_grad"])
def test_w_of_wrong_shape_or_not_finite(method):
    q = Quadratic(np.eye(2))
    with raises(ValueError, f"Quadratic.{method}: `w` must be an array of shape (2,); "
                            "got 'array of shape (3,)'."):
        getattr(q, method)(np.ones(3))
    with raises(ValueError, f"Quadratic.{method}: `w` must be finite (no NaN or inf)"):
        getattr(q, method)(np.array([1.0, np.nan]))
    with raises(TypeError, "`w` must be an array of real numbers"):
        getattr(q, method)("ab")
    X, y = make_linear_data(n=10)
    ls = LeastSquares(add_bias(X), y)
    with raises(ValueError, "`w` must be an array of shape (2, 1); got 'array of shape (2,)'."):
        getattr(ls, method)(np.ones(2))
    sm = SoftmaxRegression(np.ones((4, 3)), [0, 1, 2, 0], 3)
    with raises(ValueError, "`w` must be an array of shape (3, 3); got 'array of shape (3,)'."):
        getattr(sm, method)(np.ones(3))


INDICES = "`rows` must be a non-empty 1-D array of integer sample indices"
IN_RANGE = "`rows` must be indices in [0, 9] (n_samples=10)"


@pytest.mark.parametrize(
    "rows, error, text",
    [
        ([0, 10], ValueError, f"{IN_RANGE}; got 'out-of-range indices [10]'."),
        ([-1, 2], ValueError, f"{IN_RANGE}; got 'out-of-range indices [-1]'."),
        ([], ValueError, f"{INDICES}; got 'array of shape (0,)'."),
        ([[0, 1]], ValueError, f"{INDICES}; got 'array of shape (1, 2)'."),
        ([0.0, 1.0], TypeError, f"{INDICES}; got 'array of dtype float64'."),
        (np.ones(10, dtype=bool), TypeError, f"{INDICES}; got 'array of dtype bool'."),
    ],
)
def test_rows_validation(rows, error, text):
    X, y = make_linear_data(n=10)
    objective = LeastSquares(add_bias(X), y)
    for method in ("value", "grad", "value_and_grad"):
        with pytest.raises(error, match=re.escape(f"LeastSquares.{method}: ") + ".*" + re.escape(text)):
            getattr(objective, method)(np.zeros((2, 1)), rows=rows)


def test_quadratic_rejects_bad_matrices():
    with raises(ValueError, "Quadratic: `A` must be a square (n, n) matrix; got 'array of shape (2, 3)'."):
        Quadratic(np.ones((2, 3)))
    with raises(ValueError, "Quadratic: `A` must be an array with ndim 2; got 'array of shape (3,)'."):
        Quadratic(np.ones(3))
    with raises(ValueError, "`A` must be symmetric (A == A.T); use (A + A.T) / 2, which gives the same f; "
                            "got 'a matrix with max |A - A.T| = 1'."):
        Quadratic(np.array([[1.0, 1.0], [0.0, 1.0]]))
    with raises(ValueError, "Quadratic: `A` must be finite (no NaN or inf)"):
        Quadratic(np.array([[1.0, np.inf], [np.inf, 1.0]]))
    with raises(ValueError, "Quadratic: `b` must be an array of shape (2,); got 'array of shape (3,)'."):
        Quadratic(np.eye(2), b=np.ones(3))


def test_rosenbrock_rejects_bad_parameters():
    with raises(ValueError, "Rosenbrock: `b` must be > 0; got 0.0."):
        Rosenbrock(b=0)
    with raises(ValueError, "Rosenbrock: `a` must be a finite real number; got nan."):
        Rosenbrock(a=np.nan)
    with raises(ValueError, "Rosenbrock.value: `w` must be an array of shape (2,); "
                            "got 'array of shape (3,)'."):
        Rosenbrock().value(np.ones(3))


@pytest.mark.parametrize("cls", [LeastSquares, LogisticRegression, SoftmaxRegression])
def test_data_objectives_reject_bad_data(cls):
    name, extra = cls.__name__, ((2,) if cls is SoftmaxRegression else ())
    X, y = np.ones((5, 2)), np.array([0, 1, 0, 1])
    with raises(ValueError, f"{name}: `y` must be an array with one entry per row of X, "
                            "and X has shape (5, 2); got 'array of shape (4,)'."):
        cls(X, y, *extra)
    with raises(ValueError, f"{name}: `X` must be an array with ndim 2; got 'array of shape (4,)'."):
        cls(np.ones(4), y, *extra)
    with raises(ValueError, f"{name}: `X` must be finite (no NaN or inf)"):
        cls(np.full((4, 2), np.nan), y, *extra)
    with raises(ValueError, f"{name}: `X` must be non-empty (at least one sample); "
                            "got 'array of shape (0, 2)'."):
        cls(np.ones((0, 2)), np.ones(0), *extra)


def test_least_squares_rejects_bad_y():
    with raises(ValueError, "LeastSquares: `y` must be an array of shape (m,) or (m, 1); "
                            "got 'array of shape (5, 2)'."):
        LeastSquares(np.ones((5, 2)), np.ones((5, 2)))
    with raises(ValueError, "LeastSquares: `y` must be finite (no NaN or inf)"):
        LeastSquares(np.ones((2, 2)), [1.0, np.nan])


def test_classifiers_reject_bad_labels():
    X = np.ones((4, 2))
    with raises(ValueError, "LogisticRegression: `y` must be labels in {0, 1}; got 'values [-1, 1]'."):
        LogisticRegression(X, [-1, 1, 1, -1])
    with raises(ValueError, "LogisticRegression: `y` must be labels in {0, 1}; "
                            "got 'values [0.0, 0.5, 1.0]'."):
        LogisticRegression(X, [0, 0.5, 1, 1])
    with raises(ValueError, "`y` must be a 1-D array of shape (m,) (use y.ravel()); "
                            "got 'array of shape (4, 1)'."):
        LogisticRegression(X, np.zeros((4, 1)))
    with raises(ValueError, "SoftmaxRegression: `y` must be integer labels in [0, 2] (n_classes=3); "
                            "got 'values [0, 3]'."):
        SoftmaxRegression(X, [0, 3, 0, 3], 3)
    with raises(ValueError, "`y` must be integer labels in [0, 2] (n_classes=3); "
                            "got 'values [-1, 0, 1, 2]'."):
        SoftmaxRegression(X, [0, -1, 1, 2], 3)
    with raises(ValueError, "`y` must be integer labels in [0, 2] (n_classes=3); "
                            "got 'values [0.0, 1.0, 1.5, 2.0]'."):
        SoftmaxRegression(X, [0, 1.5, 1, 2], 3)
    with raises(ValueError, "SoftmaxRegression: `n_classes` must be an integer in [2, inf]; got 1."):
        SoftmaxRegression(X, [0, 0, 0, 0], 1)
    with raises(TypeError, "SoftmaxRegression: `n_classes` must be an integer; got 2.0."):
        SoftmaxRegression(X, [0, 0, 0, 0], 2.0)


@pytest.mark.parametrize("cls", [LogisticRegression, SoftmaxRegression])
def test_predict_rejects_bad_input(cls):
    name, extra = cls.__name__, ((2,) if cls is SoftmaxRegression else ())
    objective = cls(np.ones((4, 3)), [0, 1, 0, 1], *extra)
    w = np.zeros(objective.w_shape)
    with raises(ValueError, f"{name}.predict: `X` must be an array with 3 columns, like the training X; "
                            "got 'array of shape (2, 2)'."):
        objective.predict(w, np.ones((2, 2)))
    with raises(ValueError, f"{name}.predict: `w` must be an array of shape {objective.w_shape}; "
                            "got 'array of shape (7,)'."):
        objective.predict_proba(np.zeros(7))
