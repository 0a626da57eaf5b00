"""minimize and Result: convergence table, the w3computing tutorial's regression, stopping rules, divergence,
validation."""

import re
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import gdlesson as gd
from gdlesson import schedules as S
from gdlesson.descent import ConvergenceWarning, Result, minimize

QUAD = gd.Quadratic(np.diag([1.0, 10.0]), b=np.array([1.0, 1.0]))  # minimizer (1, 0.1)
ROSEN = gd.Rosenbrock()  # minimizer (1, 1)

# --- convergence table (optax's alias_test): every optimizer x (Quadratic, Rosenbrock) ------------------
# (name, optimizer, max_iter, tolerance on max |w - w*|); Quadratic from (-2, 2), Rosenbrock from (-1.2, 1).
QUADRATIC_TABLE = [
    ("GradientDescent", lambda: gd.GradientDescent(0.15), 300, 1e-8),
    ("Momentum", lambda: gd.Momentum(0.05, beta=0.8), 300, 1e-8),
    ("Nesterov", lambda: gd.Momentum(0.05, beta=0.8, nesterov=True), 300, 1e-8),
    ("AdaGrad", lambda: gd.AdaGrad(0.5), 500, 1e-8),
    ("RMSProp", lambda: gd.RMSProp(S.exponential_decay(0.05, 0.99)), 1000, 1e-8),
    ("Adam", lambda: gd.Adam(0.05), 1000, 1e-8),
]
# Rosenbrock's curved valley is hard for methods without momentum: plain GD crawls along it (its lr is
# capped near 2/1001.6 by the curvature across the valley) and AdaGrad/RMSProp stall a few 1e-3 away once
# their steps have shrunk; the table states that with looser tolerances. Adam with a constant lr reaches
# 1e-9 around step 3000 and later wanders off again (to ~1e-4 by step 6000: with g ~ 0, m/sqrt(s) stays
# of order one), so its row stops at 3000 steps.
ROSENBROCK_TABLE = [
    ("GradientDescent", lambda: gd.GradientDescent(1.9e-3), 6000, 1e-2),
    ("Momentum", lambda: gd.Momentum(2e-3, beta=0.9), 2500, 1e-6),
    ("Nesterov", lambda: gd.Momentum(1e-3, beta=0.9, nesterov=True), 4000, 1e-6),
    ("AdaGrad", lambda: gd.AdaGrad(1.5), 5000, 1e-2),
    ("RMSProp", lambda: gd.RMSProp(S.exponential_decay(0.02, 0.999)), 5000, 1e-2),
    ("Adam", lambda: gd.Adam(0.05), 3000, 1e-6),
]


@pytest.mark.parametrize("name, make, max_iter, tolerance", QUADRATIC_TABLE,
                         ids=[r[0] for r in QUADRATIC_TABLE])
def test_convergence_table_quadratic(name, make, max_iter, tolerance):
    result = minimize(QUAD, [-2.0, 2.0], make(), max_iter=max_iter)
    assert not result.diverged
    np.testing.assert_allclose(result.w, QUAD.minimizer, rtol=0, atol=tolerance)
    assert result.losses[-1] == pytest.approx(QUAD.min_value, abs=1e-10)


@pytest.mark.parametrize("name, make, max_iter, tolerance", ROSENBROCK_TABLE,
                         ids=[r[0] for r in ROSENBROCK_TABLE])
def test_convergence_table_rosenbrock(name, make, max_iter, tolerance):
    result = minimize(ROSEN, [-1.2, 1.0], make(), max_iter=max_iter)
    assert not result.diverged
    np.testing.assert_allclose(result.w, ROSEN.minimizer, rtol=0, atol=tolerance)


# --- the linear regression of w3computing's "Implementing Gradient Descent from Scratch in Python" -----


@pytest.fixture(scope="module")
def regression():
    X, y = gd.data.make_linear_data(n=100, seed=42)
    return gd.LeastSquares(gd.data.add_bias(X), y)


def test_lstsq_reference_numbers(regression):
    np.testing.assert_allclose(regression.solve().ravel(), [4.2151, 2.7701], atol=1e-4)


def test_full_batch_reaches_the_least_squares_solution(regression):
    w0 = np.zeros(regression.w_shape)
    result = minimize(regression, w0, gd.GradientDescent(lr=0.5), max_iter=2000)
    np.testing.assert_allclose(result.w, regression.solve(), rtol=0, atol=1e-6)
    assert result.path.shape == (2001,) + regression.w_shape
    assert result.losses.shape == (2001,)
    assert result.n_iter == 2000
    np.testing.assert_array_equal(result.path[0], w0)
    assert result.losses[0] == pytest.approx(regression.value(w0))
    assert result.losses[-1] == pytest.approx(regression.value(result.w))
    assert np.all(np.diff(result.losses) <= 1e-15)  # lr < 2/L: the loss never goes up


@pytest.mark.parametrize(
    "optimizer, batch_size, epochs, atol",
    [
        (gd.GradientDescent(S.inverse_time(5, 50)), 1, 20, 0.05),  # the w3computing tutorial's SGD schedule
        (gd.GradientDescent(0.05), 10, 100, 0.02),
        # 16 does not divide 100: each epoch ends with a 4-row batch
        (gd.Adam(S.step_decay(0.1, drop=0.5, every=200)), 16, 100, 0.05),
    ],
    ids=["sgd", "minibatch-10", "adam-minibatch-16"],
)
def test_stochastic_and_mini_batch_get_close(regression, optimizer, batch_size, epochs, atol):
    w0 = np.zeros(regression.w_shape)
    result = minimize(regression, w0, optimizer, batch_size=batch_size, epochs=epochs, seed=0)
    np.testing.assert_allclose(result.w, regression.solve(), rtol=0, atol=atol)
    assert result.n_iter == epochs and result.path.shape[0] == epochs + 1  # one row per epoch
    assert optimizer.t == epochs * -(-100 // batch_size)  # every sample once per epoch


def test_mini_batch_is_reproducible_from_seed(regression):
    w0 = np.zeros(regression.w_shape)
    runs = [minimize(regression, w0, gd.GradientDescent(0.05), batch_size=7, epochs=3, seed=s)
            for s in (1, 1, 2)]
    np.testing.assert_array_equal(runs[0].path, runs[1].path)
    assert not np.array_equal(runs[0].path, runs[2].path)


def test_partial_last_batch_is_averaged_over_its_true_size():
    # 3 samples, batch_size=2: each epoch is a 2-row step then a 1-row step. Check against a hand loop.
    X = np.array([[1.0, 0.0], [1.0, 1.0], [1.0, 2.0]])
    y = np.array([1.0, 2.0, 4.0])
    ls = gd.LeastSquares(X, y)
    lr, seed = 0.1, 3
    result = minimize(ls, np.zeros(2), gd.GradientDescent(lr), batch_size=2, epochs=2, seed=seed)
    rng, w = np.random.default_rng(seed), np.zeros(2)
    for _ in range(2):
        order = rng.permutation(3)
        for rows in (order[:2], order[2:]):
            r = X[rows] @ w - y[rows]
            w = w - lr * X[rows].T @ r / len(rows)  # mean over the rows actually in the batch
    np.testing.assert_allclose(result.w, w, rtol=1e-14)


@settings(max_examples=15, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(2, 30), epochs=st.integers(1, 20))
def test_batch_size_n_equals_full_batch(seed, n, epochs):
    rng = np.random.default_rng(seed)
    X = np.column_stack([np.ones(n), rng.normal(size=n)])
    ls = gd.LeastSquares(X, rng.normal(size=n))
    full = minimize(ls, np.zeros(2), gd.Momentum(0.1), max_iter=epochs)
    batch = minimize(ls, np.zeros(2), gd.Momentum(0.1), batch_size=n, epochs=epochs, seed=seed)
    np.testing.assert_allclose(batch.path, full.path, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(batch.losses, full.losses, rtol=1e-10, atol=1e-12)


# --- stopping rules -----------------------------------------------------------------------------------


def test_tol_stops_when_the_change_in_loss_is_small():
    result = minimize(QUAD, [-2.0, 2.0], gd.GradientDescent(0.1), max_iter=10_000, tol=1e-10)
    assert result.converged and not result.diverged
    assert result.n_iter < 10_000
    assert abs(result.losses[-1] - result.losses[-2]) < 1e-10
    assert np.all(np.abs(np.diff(result.losses[:-1])) >= 1e-10)  # it did not stop earlier than needed
    assert len(result.path) == len(result.losses) == result.n_iter + 1


def test_max_iter_stops_and_warns_only_when_tol_was_given():
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no warning at all without tol
        result = minimize(QUAD, [-2.0, 2.0], gd.GradientDescent(0.01), max_iter=25)
    assert result.n_iter == 25 and not result.converged and len(result.path) == 26
    with pytest.warns(ConvergenceWarning, match=r"max_iter=25 steps without meeting tol=1e-12"):
        result = minimize(QUAD, [-2.0, 2.0], gd.GradientDescent(0.01), max_iter=25, tol=1e-12)
    assert result.n_iter == 25 and not result.converged
    assert issubclass(ConvergenceWarning, UserWarning)


def test_tol_per_epoch_in_mini_batch(regression):
    w0 = np.zeros(regression.w_shape)
    result = minimize(regression, w0, gd.GradientDescent(0.05), batch_size=10, epochs=500, seed=0, tol=1e-4)
    assert result.converged and result.n_iter < 500
    assert abs(result.losses[-1] - result.losses[-2]) < 1e-4
    with pytest.warns(ConvergenceWarning, match="epochs=2 epochs"):
        minimize(regression, w0, gd.GradientDescent(0.05), batch_size=10, epochs=2, seed=0, tol=1e-12)


# --- the gradient-norm test, gtol (issue 13) ----------------------------------------------------------

PARABOLA = gd.Quadratic(np.array([[2.0]]))  # f(x) = x**2, f'(x) = 2x


def test_gtol_stops_at_the_first_step_with_a_short_gradient():
    result = minimize(QUAD, [-2.0, 2.0], gd.GradientDescent(0.1), max_iter=10_000, gtol=1e-6)
    assert result.converged and not result.diverged and 1 < result.n_iter < 10_000
    norms = [np.linalg.norm(QUAD.grad(w)) for w in result.path]
    assert norms[-1] < 1e-6
    assert min(norms[1:-1]) >= 1e-6  # it did not stop earlier than needed


@pytest.mark.parametrize("lr, tol, max_iter", [(1.0, 1e-8, 100), (1e-4, 1e-2, 1000)],
                         ids=["jumps-across", "crawls"])
def test_the_runs_that_fool_tol_are_not_called_converged_by_gtol(lr, tol, max_iter):
    # Chapter 1's two runs on f(x) = x^2 from x0 = 2: |f_1 - f_0| < tol after one step, far from 0.
    last_norm = 4 * abs(1 - 2 * lr) ** max_iter  # |f'(x_k)| = 2 |x_k| with x_k = (1 - 2 lr)^k x0
    fooled = minimize(PARABOLA, [2.0], gd.GradientDescent(lr), max_iter=max_iter, tol=tol)
    assert fooled.converged and fooled.n_iter == 1 and abs(fooled.w[0]) > 1.9
    for stopping in (dict(gtol=1e-3), dict(tol=tol, gtol=1e-3)):  # gtol alone, and both together
        with pytest.warns(ConvergenceWarning, match=r"gtol=0\.001 \(.*last gradient norm") as record:
            result = minimize(PARABOLA, [2.0], gd.GradientDescent(lr), max_iter=max_iter, **stopping)
        assert not result.converged and result.n_iter == max_iter
        assert np.linalg.norm(PARABOLA.grad(result.w)) == pytest.approx(last_norm, rel=1e-9)
        assert f"{last_norm:.3g}" in str(record[0].message)


def _first_step(passes):
    """The first k >= 1 where passes[k] is true."""
    return next(k for k in range(1, len(passes)) if passes[k])


def test_tol_and_gtol_together_stop_only_when_both_pass():
    # Heavy-ball momentum swings across the valley. At a turn of the swing the loss barely changes while
    # the gradient is still long (tol passes, gtol does not); near the bottom the iterate passes at speed,
    # with a short gradient and a large change in loss (gtol passes, tol does not).
    make = lambda: gd.Momentum(0.1, beta=0.9)  # noqa: E731
    tol, gtol = 1e-5, 0.03
    free = minimize(QUAD, [-2.0, 2.0], make(), max_iter=400)  # no stopping test: the whole path
    small_change = np.r_[False, np.abs(np.diff(free.losses)) < tol]
    short_grad = np.array([np.linalg.norm(QUAD.grad(w)) < gtol for w in free.path])
    k_tol, k_gtol, k_both = (_first_step(small_change), _first_step(short_grad),
                             _first_step(small_change & short_grad))
    assert k_tol < k_both and k_gtol < k_both  # the case where "and" differs from either test alone
    for stopping, k in ((dict(tol=tol), k_tol), (dict(gtol=gtol), k_gtol),
                        (dict(tol=tol, gtol=gtol), k_both)):
        result = minimize(QUAD, [-2.0, 2.0], make(), max_iter=400, **stopping)
        assert result.converged and result.n_iter == k, stopping
        np.testing.assert_array_equal(result.path, free.path[:k + 1])  # the test only ends the run


def test_gtol_is_not_checked_at_w0():
    result = minimize(QUAD, QUAD.minimizer, gd.GradientDescent(0.1), max_iter=50, gtol=1e-6)
    assert result.converged and result.n_iter == 1  # one step, like tol


def test_gtol_in_mini_batch_uses_the_full_gradient_at_the_end_of_each_epoch(regression):
    w0 = np.zeros(regression.w_shape)
    free = minimize(regression, w0, gd.GradientDescent(0.1), batch_size=10, epochs=200, seed=0)
    gtol = 2 * np.linalg.norm(regression.grad(free.w))  # reached before the last epoch
    result = minimize(regression, w0, gd.GradientDescent(0.1), batch_size=10, epochs=200, seed=0, gtol=gtol)
    assert result.converged and result.n_iter < 200
    norms = [np.linalg.norm(regression.grad(w)) for w in result.path]  # full gradients at recorded rows
    assert norms[-1] < gtol and min(norms[1:-1]) >= gtol
    np.testing.assert_array_equal(result.path, free.path[:result.n_iter + 1])
    np.testing.assert_allclose(result.losses, free.losses[:result.n_iter + 1], rtol=1e-14)


def test_gtol_measures_all_the_entries_of_a_matrix_gradient():
    rng = np.random.default_rng(1)
    X = gd.data.add_bias(rng.normal(size=(30, 2)))
    soft = gd.SoftmaxRegression(X, rng.integers(0, 3, size=30), 3)
    result = minimize(soft, np.zeros(soft.w_shape), gd.GradientDescent(0.5), max_iter=5000, gtol=1e-3)
    assert result.converged
    assert np.linalg.norm(soft.grad(result.w)) < 1e-3 <= np.linalg.norm(soft.grad(result.path[-2]))


def test_a_gtol_that_is_never_met_changes_nothing_but_the_warning():
    plain = minimize(QUAD, [-2.0, 2.0], gd.Adam(0.05), max_iter=30)
    message = r"max_iter=30 steps without meeting gtol=1e-12 \(last gradient norm .*\); .* loosen gtol\."
    with pytest.warns(ConvergenceWarning, match=message):
        with_gtol = minimize(QUAD, [-2.0, 2.0], gd.Adam(0.05), max_iter=30, gtol=1e-12)
    np.testing.assert_array_equal(with_gtol.path, plain.path)
    np.testing.assert_array_equal(with_gtol.losses, plain.losses)
    assert not with_gtol.converged and with_gtol.n_iter == plain.n_iter == 30


def test_the_warning_names_both_tests_when_both_were_asked_for(regression):
    message = r"epochs=2 epochs without meeting tol=1e-12 and gtol=1e-09 \(last change .*, last gradient norm"
    with pytest.warns(ConvergenceWarning, match=message) as record:
        minimize(regression, np.zeros(regression.w_shape), gd.GradientDescent(0.05), batch_size=10, epochs=2,
                 seed=0, tol=1e-12, gtol=1e-9)
    assert str(record[0].message).endswith("loosen tol or gtol.")


def test_callback_sees_every_recorded_row():
    seen = []
    result = minimize(QUAD, [-2.0, 2.0], gd.GradientDescent(0.1), max_iter=5,
                      callback=lambda k, w, loss: seen.append((k, w.copy(), loss)))
    assert [k for k, _, _ in seen] == [0, 1, 2, 3, 4, 5]
    np.testing.assert_array_equal(np.array([w for _, w, _ in seen]), result.path)
    np.testing.assert_array_equal([loss for _, _, loss in seen], result.losses)


def test_optimizer_is_reset_at_the_start():
    opt = gd.Adam(0.05)
    first = minimize(QUAD, [-2.0, 2.0], opt, max_iter=20)
    second = minimize(QUAD, [-2.0, 2.0], opt, max_iter=20)  # same object, used again
    np.testing.assert_array_equal(first.path, second.path)
    assert opt.t == 20


def test_any_object_with_value_and_grad_works():
    class Bowl:  # no value_and_grad, no w_shape
        def value(self, w):
            return float(w @ w)

        def grad(self, w):
            return 2 * w

    result = minimize(Bowl(), [3.0, -4.0, 1.0], gd.GradientDescent(0.25), max_iter=3)
    # w_k = (1 - 0.25*2)**k * w0 = 0.5**k * w0
    np.testing.assert_allclose(result.path[-1], 0.125 * np.array([3.0, -4.0, 1.0]))


def test_result_repr_is_short_and_readable():
    result = minimize(QUAD, [-2.0, 2.0], gd.GradientDescent(0.1), max_iter=3)
    text = repr(result)
    assert text.startswith("Result(w=[") and "n_iter=3" in text and "diverged=False" in text
    assert "\n" not in text
    big = Result(w=np.zeros(50), path=np.zeros((2, 50)), losses=np.zeros(2), n_iter=1, converged=False,
                 diverged=False)
    assert "array of shape (50,)" in repr(big) and len(repr(big)) < 200


# --- the loop skips per-call checks only where they cannot fail (issue 14) --------------------------------


def _problems():
    rng = np.random.default_rng(7)
    X = gd.data.add_bias(rng.normal(size=(40, 2)))
    labels = (X[:, 1] + 0.5 * rng.normal(size=40) > 0).astype(int)
    return [
        ("quadratic", gd.Quadratic(np.array([[3.0, 1.0], [1.0, 2.0]]), b=[1.0, -1.0]), [2.0, -1.0], None),
        ("rosenbrock", ROSEN, [-1.2, 1.0], None),
        ("least-squares", gd.LeastSquares(X, X @ [1.0, 2.0, -1.0]), np.zeros(3), 7),
        ("least-squares-column", gd.LeastSquares(X, (X @ [1.0, 2.0, -1.0])[:, None]), np.zeros((3, 1)), 40),
        ("logistic", gd.LogisticRegression(X, labels), np.zeros(3), 1),
        ("softmax", gd.SoftmaxRegression(X, labels + (X[:, 2] > 0), 3), np.zeros((3, 3)), 16),
    ]


@pytest.mark.parametrize("name, objective, w0, batch_size", _problems(), ids=[p[0] for p in _problems()])
@pytest.mark.parametrize("make", [lambda: gd.GradientDescent(0.01), lambda: gd.Adam(S.inverse_time(5, 50))],
                         ids=["gd", "adam-schedule"])
def test_the_unchecked_loop_gives_the_same_numbers_as_the_public_methods(name, objective, w0, batch_size,
                                                                         make):
    # minimize calls the computations behind the checks only for gdlesson's own objective and optimizer;
    # a subclass of the optimizer sends every call through the public, checking methods. Both must give
    # the same run to the last bit: same process, same arithmetic, so exact equality is the claim here.
    optimizer = make()
    checked = type("Checked", (type(optimizer),), {})(optimizer.lr)
    runs = {"batch": dict(max_iter=60, tol=1e-9)}
    if batch_size is not None:
        runs["mini-batch"] = dict(batch_size=batch_size, epochs=4, seed=3, tol=1e-6)
    for kwargs in runs.values():
        with warnings.catch_warnings(record=True) as fast_warnings:
            warnings.simplefilter("always")
            fast = minimize(objective, w0, optimizer, **kwargs)
        with warnings.catch_warnings(record=True) as slow_warnings:
            warnings.simplefilter("always")
            slow = minimize(objective, w0, checked, **kwargs)
        np.testing.assert_array_equal(fast.path, slow.path)
        np.testing.assert_array_equal(fast.losses, slow.losses)
        assert (fast.n_iter, fast.converged, fast.diverged) == (slow.n_iter, slow.converged, slow.diverged)
        assert [str(w.message) for w in fast_warnings] == [str(w.message) for w in slow_warnings]


def test_an_optimizer_of_your_own_still_gets_the_objectives_checks():
    class Grows:  # returns one more coordinate than it was given: a bug the objective must report
        def step(self, w, g):
            return np.append(w - 0.1 * g, 0.0)

    with pytest.raises(ValueError, match=r"Quadratic\.value_and_grad: `w` must be an array of shape \(2,\)"):
        minimize(QUAD, [1.0, 1.0], Grows(), max_iter=5)


# --- divergence ---------------------------------------------------------------------------------------


def test_divergence_is_flagged_with_a_hint_and_finite_history():
    quad = gd.Quadratic(2 * np.eye(2))  # L = 2, so GD needs lr < 2/L = 1
    hint = r"at step \d+; lr=1\.1 is probably above 2/L = 1\.0 — try a smaller lr"
    with pytest.warns(RuntimeWarning, match=hint):
        result = minimize(quad, [1.0, 1.0], gd.GradientDescent(1.1), max_iter=100_000)
    assert result.diverged and not result.converged
    assert np.all(np.isfinite(result.path)) and np.all(np.isfinite(result.losses))
    assert result.n_iter < 100_000
    assert len(result.path) == len(result.losses) == result.n_iter + 1
    np.testing.assert_array_equal(result.w, result.path[-1])


def test_a_huge_lr_gives_one_warning_and_keeps_the_start():
    # the loss explodes at the first step; no NumPy overflow warning leaks out, only minimize's own
    with pytest.warns(RuntimeWarning, match="minimize:") as record:
        result = minimize(ROSEN, [-1.2, 1.0], gd.GradientDescent(1e3), max_iter=100)
    assert len(record) == 1
    assert "lr=1000 is probably too large" in str(record[0].message)
    assert result.diverged and result.n_iter == 0
    np.testing.assert_array_equal(result.path, [[-1.2, 1.0]])


def test_nan_loss_is_flagged_and_not_recorded():
    class Cliff:  # a bowl whose value is nan beyond |w| > 10
        def value(self, w):
            return float(w @ w) if np.abs(w).max() <= 10 else float("nan")

        def grad(self, w):
            return 2 * w

    # lr = 1.5: w_k = (1 - 3)**k * w0 = (-2)**k, so |w| passes 10 at step 4
    with pytest.warns(RuntimeWarning, match="the loss became nan at step 4"):
        result = minimize(Cliff(), [1.0], gd.GradientDescent(1.5), max_iter=100)
    np.testing.assert_array_equal(result.path.ravel(), [1.0, -2.0, 4.0, -8.0])
    assert np.all(np.isfinite(result.losses))


def test_momentum_divergence_hint_uses_its_own_bound():
    quad = gd.Quadratic(2 * np.eye(2))  # heavy ball needs lr < 2(1 + beta)/L = 1.5 for beta = 0.5
    with pytest.warns(RuntimeWarning, match=r"2\(1\+beta\)/L = 1\.5"):
        minimize(quad, [1.0, 1.0], gd.Momentum(1.6, beta=0.5), max_iter=100_000)


def test_mini_batch_divergence_is_flagged(regression):
    with pytest.warns(RuntimeWarning, match="try a smaller lr"):
        result = minimize(regression, np.zeros(regression.w_shape), gd.GradientDescent(5.0),
                          batch_size=1, epochs=50, seed=0)
    assert result.diverged and np.all(np.isfinite(result.path))


# --- validation ---------------------------------------------------------------------------------------


def test_w0_with_nan():
    with pytest.raises(ValueError, match="`w0` must be finite"):
        minimize(QUAD, [np.nan, 1.0], gd.GradientDescent(0.1))


def test_w0_of_the_wrong_shape_shows_both_shapes():
    shapes = r"`w0` must be an array of shape \(2,\).*got 'array of shape \(3,\)'"
    with pytest.raises(ValueError, match=shapes):
        minimize(QUAD, [1.0, 2.0, 3.0], gd.GradientDescent(0.1))


def test_w0_where_the_objective_is_not_finite():
    class Log:
        def value(self, w):
            return float(-np.log(w[0]))

        def grad(self, w):
            return np.array([-1 / w[0]])

    with np.errstate(divide="ignore"):
        with pytest.raises(ValueError, match="`w0` must be a point where the objective is finite"):
            minimize(Log(), [0.0], gd.GradientDescent(0.1))


@pytest.mark.parametrize("batch_size, error", [(0, ValueError), (101, ValueError), (2.5, TypeError)])
def test_batch_size_range(regression, batch_size, error):
    with pytest.raises(error, match="`batch_size` must be an integer"):
        minimize(regression, np.zeros(regression.w_shape), gd.GradientDescent(0.1), batch_size=batch_size,
                 epochs=1)


def test_batch_size_on_an_objective_without_samples():
    with pytest.raises(ValueError, match=r"`batch_size` must be None for Rosenbrock.*no data samples"):
        minimize(ROSEN, [0.0, 0.0], gd.GradientDescent(0.1), batch_size=1, epochs=1)


def test_epochs_required_with_batch_size_and_only_then(regression):
    w0 = np.zeros(regression.w_shape)
    with pytest.raises(ValueError, match="`epochs` must be an integer >= 1 when batch_size is set"):
        minimize(regression, w0, gd.GradientDescent(0.1), batch_size=10)
    with pytest.raises(ValueError, match="`epochs` must be an integer in"):
        minimize(regression, w0, gd.GradientDescent(0.1), batch_size=10, epochs=0)
    with pytest.raises(ValueError, match=r"`epochs` must be None in full batch"):
        minimize(regression, w0, gd.GradientDescent(0.1), epochs=10)


@pytest.mark.parametrize("max_iter, error", [(0, ValueError), (-1, ValueError), (10.0, TypeError)])
def test_max_iter(max_iter, error):
    with pytest.raises(error, match="`max_iter` must be an integer"):
        minimize(QUAD, [0.0, 0.0], gd.GradientDescent(0.1), max_iter=max_iter)


@pytest.mark.parametrize("tol", [0.0, -1e-6, np.nan])
def test_tol_must_be_positive(tol):
    with pytest.raises(ValueError, match="`tol` must be"):
        minimize(QUAD, [0.0, 0.0], gd.GradientDescent(0.1), tol=tol)


@pytest.mark.parametrize("gtol, error", [(0.0, ValueError), (-1e-6, ValueError), (np.nan, ValueError),
                                         (np.inf, ValueError), ("1e-6", TypeError), (True, TypeError)])
def test_gtol_must_be_a_finite_positive_number_or_none(gtol, error):
    allowed = r"`gtol` must be None or a finite number > 0 \(stop when the gradient norm falls below it\)"
    with pytest.raises(error, match=f"minimize: {allowed}; got {re.escape(repr(gtol))}\\."):
        minimize(QUAD, [0.0, 0.0], gd.GradientDescent(0.1), gtol=gtol)


def test_optimizer_needs_a_step_method():
    with pytest.raises(TypeError, match=r"`optimizer` must be an object with a step\(w, g\) method"):
        minimize(QUAD, [0.0, 0.0], 0.1)


def test_objective_needs_value_and_grad():
    with pytest.raises(TypeError, match=r"`objective` must be an object with value\(w\) and grad\(w\)"):
        minimize(lambda w: w @ w, [0.0, 0.0], gd.GradientDescent(0.1))


def test_callback_and_seed_types(regression):
    with pytest.raises(TypeError, match="`callback` must be None or a function"):
        minimize(QUAD, [0.0, 0.0], gd.GradientDescent(0.1), callback="print")
    with pytest.raises(TypeError, match="`seed` must be None, an integer >= 0"):
        minimize(regression, np.zeros(regression.w_shape), gd.GradientDescent(0.1), batch_size=5, epochs=1,
                 seed="abc")
