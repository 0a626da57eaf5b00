"""Hidden tests: what the grader runs in each graded cell. Never handed out.

The released notebooks say only "the grader's tests run here". At grading time nbgrader puts back the
full graded cell, which calls :func:`run` from this file (found through the environment variable
``GDLESSON_HIDDEN_TESTS``, set by ``scripts/classroom/grade.py``)::

    run("ex-ch1-gradient", globals())

:func:`run` loads a fresh copy of ``gdlesson`` from this repository under a private module name, so a
student who redefines ``check_gradient_function`` in the notebook, changes ``gd.Rosenbrock``, or edits a
``gdlesson`` folder next to the notebook changes nothing here. Printing "Check passed" gains nothing
either: the verdict is this cell's exception or its absence. The tests use other points, seeds, shapes and
settings than the self-checks, and the reference function where the exercise fixes it (a gradient that
matches the student's own wrong ``f`` fails). On failure the cell raises ``AssertionError`` with one
message saying what is wrong; on success it prints ``Passed: ...``. Either way that message reaches the
grade table and the student's feedback.

What this does not defend against: code that tampers with the Python process itself (replacing
``builtins``, NumPy functions or IPython's machinery). The student's code runs in the same kernel as the
tests; only a sandbox per submission (a container) would close that, see book/instructors.md.
"""

from __future__ import annotations

import contextlib
import importlib.util
import io
import sys
import warnings
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
PRIVATE = "_gdlesson_grader"


class Failed(AssertionError):
    """A hidden test's verdict: the message says what is wrong."""


def fresh_gdlesson(root=ROOT):
    """A new copy of the ``gdlesson`` package from ``root``, under a private name."""
    for name in [m for m in sys.modules if m == PRIVATE or m.startswith(PRIVATE + ".")]:
        del sys.modules[name]
    package = root / "gdlesson"
    spec = importlib.util.spec_from_file_location(PRIVATE, package / "__init__.py",
                                                  submodule_search_locations=[str(package)])
    module = importlib.util.module_from_spec(spec)
    sys.modules[PRIVATE] = module
    spec.loader.exec_module(module)
    importlib.import_module(PRIVATE + ".checks")
    return module


def run(label, namespace):
    """Run the hidden tests of exercise ``label`` on the student's ``namespace`` (the notebook's globals)."""
    __tracebackhide__ = True  # IPython leaves this frame out of the traceback
    if label not in TESTS:
        raise KeyError(f"hidden_tests: no hidden tests for {label!r}; known: {sorted(TESTS)}")
    gd = fresh_gdlesson()
    noise = io.StringIO()
    failure = None
    try:
        with contextlib.redirect_stdout(noise), contextlib.redirect_stderr(noise), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            message = TESTS[label](gd, namespace)
    except Failed as error:
        failure = str(error)
    except Exception as error:  # the student's code raised: that is the verdict, not a grader crash
        failure = f"your code raised {type(error).__name__}: {error}"
    if failure is not None:
        raise AssertionError(failure) from None
    print(f"Passed: {message}")


# ---------------------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------------------


def _fmt(x, digits=6):
    arr = np.asarray(x, dtype=np.float64)
    if arr.ndim == 0:
        return f"{float(arr):.{digits}g}"
    return "[" + ", ".join(f"{v:.{digits}g}" for v in arr.ravel()) + "]"


def _get(ns, name, what="a function"):
    if name not in ns:
        raise Failed(f"`{name}` is not defined: write it in your answer cell (and check that the notebook runs "
                     "from top to bottom without an error before it).")
    obj = ns[name]
    if not callable(obj):
        raise Failed(f"`{name}` should be {what}; it is a {type(obj).__name__}.")
    return obj


def _points(seed, shape, n=5, scale=1.0, shift=0.0):
    return shift + scale * np.random.default_rng(seed).normal(size=(n,) + tuple(shape))


def _verdict(check, *args, **kwargs):
    """Run a gdlesson checker quietly: (passed, its message without the "Check ...: " prefix)."""
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        ok = check(*args, **kwargs)
    lines = [line for line in buffer.getvalue().strip().splitlines() if line.strip()]
    message = " ".join(lines)
    for prefix in ("Check passed: ", "Check failed: "):
        message = message.replace(prefix, "")
    return bool(ok), message


def _values(fn, points):
    return np.array([float(np.asarray(fn(w.copy()), dtype=np.float64)) for w in points])


def _same_values(fn, ref, points, name, what, mistakes=()):
    """Fail unless ``fn`` equals ``ref`` at every point; name a known mistake when one reproduces it."""
    got, expected = _values(fn, points), _values(ref, points)
    if np.allclose(got, expected, rtol=1e-9, atol=1e-12):
        return
    for message, wrong in mistakes:
        if np.allclose(got, _values(wrong, points), rtol=1e-9, atol=1e-12):
            raise Failed(f"{name}: {message}")
    k = int(np.flatnonzero(~np.isclose(got, expected, rtol=1e-9, atol=1e-12))[0])
    raise Failed(f"{name} is not {what}: at w = {_fmt(points[k], 4)} it gives {got[k]:.6g}, where {what} is "
                 f"{expected[k]:.6g}.")


def _grad_mistake(grad, points, mistakes):
    """The message of the first known mistake that reproduces ``grad`` at every point (or None)."""
    got = np.array([np.asarray(grad(w.copy()), dtype=np.float64) for w in points])
    for message, wrong in mistakes:
        expected = np.array([wrong(w) for w in points])
        if got.shape == expected.shape and np.allclose(got, expected, rtol=1e-9, atol=1e-12):
            return message
    return None


def _gradient(gd, grad, ref, points, name, mistakes=()):
    """The checker's verdict on ``grad`` against the reference function ``ref`` (named mistakes first)."""
    ok, message = _verdict(gd.checks.check_gradient_function, grad, ref, points=points)
    if ok:
        return
    named = _grad_mistake(grad, points, mistakes)
    raise Failed(f"{name}: {named}" if named else message)


# ---------------------------------------------------------------------------------------------------------
# Gradients (chapters 1, 2, 3, 5)
# ---------------------------------------------------------------------------------------------------------


def ex_ch1_gradient(gd, ns):
    f, grad = _get(ns, "f_ex"), _get(ns, "grad_ex")
    ref = lambda w: w[0] ** 2 + 3 * w[1] ** 2  # noqa: E731  (the exercise fixes f)
    points = _points(101, (2,), n=5, scale=2.0)
    _same_values(f, ref, points, "f_ex", "the exercise's f(w) = w1^2 + 3 w2^2")
    _gradient(gd, grad, ref, points, "grad_ex")
    return "f_ex is f(w) = w1^2 + 3 w2^2 and grad_ex is its gradient, at 5 new points."


def ex_ch1_fix_gradient(gd, ns):
    grad = _get(ns, "grad_fixed_rosen")
    rosen = gd.Rosenbrock()
    points = _points(102, (2,), n=5, scale=1.5)
    _gradient(gd, grad, rosen.value, points, "grad_fixed_rosen")
    return "grad_fixed_rosen is the gradient of Rosenbrock's function at 5 new points."


def _himmelblau(w):
    return (w[0] ** 2 + w[1] - 11) ** 2 + (w[0] + w[1] ** 2 - 7) ** 2


def ex_ch2_new_objective(gd, ns):
    f, grad = _get(ns, "himmelblau"), _get(ns, "himmelblau_grad")
    points = _points(103, (2,), n=5, scale=3.0)
    _same_values(f, _himmelblau, points, "himmelblau", "Himmelblau's function")
    _gradient(gd, grad, _himmelblau, points, "himmelblau_grad")
    return "himmelblau and himmelblau_grad are Himmelblau's function and its gradient at 5 new points."


def _ridge_problem(gd):
    X, y = gd.data.make_linear_data(n=100, seed=42)  # chapter 3's data
    Xb, y = gd.data.add_bias(X), y.ravel()
    return Xb, y, gd.LeastSquares(Xb, y)


def ex_ch3_ridge(gd, ns):
    f, grad = _get(ns, "ridge_value"), _get(ns, "ridge_grad")
    Xb, y, cost = _ridge_problem(gd)
    lam, D = 0.5, np.diag([0.0, 1.0])
    ref_value = lambda w: cost.value(w) + lam / 2 * w[1] ** 2  # noqa: E731
    points = _points(104, (2,), n=5, scale=3.0, shift=np.array([4.0, 3.0]))
    _same_values(f, ref_value, points, "ridge_value", "J(theta) + lambda/2 theta_1^2 with lambda = 0.5", mistakes=[
        ("it penalises the intercept too: the penalty is lambda/2 theta_1^2, on the slope only, not "
         "lambda/2 (theta_0^2 + theta_1^2).", lambda w: cost.value(w) + lam / 2 * (w @ w)),
        ("the penalty is lambda theta_1^2, twice too large: it is lambda/2 theta_1^2 (the 1/2 cancels the 2 "
         "of the derivative).", lambda w: cost.value(w) + lam * w[1] ** 2),
        ("it uses the sum of squares where J is the mean (1/(2m)): build it on `cost.value`.",
         lambda w: 0.5 * np.sum((Xb @ w - y) ** 2) + lam / 2 * w[1] ** 2),
    ])
    _gradient(gd, grad, ref_value, points, "ridge_grad", mistakes=[
        ("it penalises the intercept too: the penalty's gradient is lambda D theta with D = diag(0, 1), not "
         "lambda theta.", lambda w: cost.grad(w) + lam * w),
        ("the penalty's gradient is 2 lambda theta_1: the derivative of lambda/2 theta_1^2 is lambda theta_1.",
         lambda w: cost.grad(w) + 2 * lam * D @ w),
        ("the data term is summed over the samples without the 1/m of the mean: X^T(X theta - y)/m.",
         lambda w: Xb.T @ (Xb @ w - y) + lam * D @ w),
        ("the penalty's gradient has the wrong sign: + lambda D theta.", lambda w: cost.grad(w) - lam * D @ w),
        ("the data term has the wrong sign: X^T(X theta - y)/m, not X^T(y - X theta)/m.",
         lambda w: -cost.grad(w) + lam * D @ w),
    ])
    return "ridge_value and ridge_grad match J + lambda/2 theta_1^2 (lambda = 0.5) and its gradient at 5 new points."


# ---------------------------------------------------------------------------------------------------------
# The mini-batch loop (chapter 3)
# ---------------------------------------------------------------------------------------------------------


def _identity_problem(gd, n):
    """Least squares with X = I: a batch moves only its own rows' coordinates, whatever the order."""
    class Recording(gd.LeastSquares):
        calls = 0

        def grad(self, w, rows=None):
            type(self).calls += 1
            return super().grad(w, rows=rows)
    return Recording(np.eye(n), np.ones(n)), Recording


def _after_epoch(sizes, lr):
    """Coordinate values after one epoch from w = 0, for a row in a batch of each size."""
    return np.sort(np.concatenate([np.full(size, lr / size) for size in sizes]))


def ex_ch3_minibatch(gd, ns):
    fn = _get(ns, "my_minibatch")
    n, k, lr = 10, 4, 0.1
    objective, Recording = _identity_problem(gd, n)

    # 1. One epoch on X = I, y = 1: each row moves its own coordinate once, by lr / (its batch's size).
    #    This holds for any order, so it also checks loops that shuffle their own way.
    last_batches = []
    for seed in (0, 1, 2, 3):
        w_in = np.zeros(n)
        w = fn(objective, w_in, lr, k, 1, seed)
        if w is None:
            raise Failed("my_minibatch returned None: end it with `return w`.")
        w = np.asarray(w, dtype=np.float64)
        if w.shape != (n,):
            raise Failed(f"my_minibatch returned an array of shape {w.shape}; it should return the final w, "
                         f"of the same shape as the w it was given, {(n,)}.")
        if not np.array_equal(w_in, np.zeros(n)):
            raise Failed("my_minibatch changed the caller's array in place (`w -= ...`): after the call, the w "
                         "that was passed in holds the result. Write `w = w - lr * g`, which makes a new "
                         "array, so the caller's starting point is left alone.")
        expected = _after_epoch([k, k, n - 2 * k], lr)
        if not np.allclose(np.sort(w), expected, rtol=1e-9, atol=1e-12):
            raise Failed(_minibatch_mistake(np.sort(w), n, k, lr))
        last_batches.append(frozenset(np.flatnonzero(np.isclose(w, lr / (n - 2 * k)))))
    if all(batch == frozenset({n - 2, n - 1}) for batch in last_batches):
        raise Failed("the rows are visited in their stored order every time (the last batch is always rows 8 "
                     "and 9): you forgot to shuffle. Draw a fresh order each epoch with rng.permutation(n).")

    # 2. Two epochs: shuffled again at the start of each epoch (not once before the loop)?
    mixed = False
    for seed in (0, 1, 2, 3):
        w = np.asarray(fn(objective, np.zeros(n), lr, k, 2, seed), dtype=np.float64)
        small, big = lr / k, lr / (n - 2 * k)
        allowed = {1 - (1 - a) * (1 - b): (a == big) + (b == big) for a in (small, big) for b in (small, big)}
        visits = 0
        for value in w:
            match = [v for v in allowed if np.isclose(value, v, rtol=1e-9, atol=1e-12)]
            if not match:
                raise Failed(f"after 2 epochs the coordinates should each have been stepped twice (once per "
                             f"epoch), but one is {value:.6g}; check the epoch loop (epochs={2}).")
            visits += allowed[match[0]]
            mixed |= allowed[match[0]] == 1
        if visits != 2 * (n - 2 * k):
            raise Failed("over 2 epochs the short last batch should hold 2 rows each epoch; check the epoch "
                         "loop and the batches.")
    if not mixed:
        raise Failed("every epoch visits the rows in the same order: you shuffled once, before the epoch loop. "
                     "Draw a fresh permutation at the start of each epoch.")

    # 3. Other sizes with gdlesson's checker, which sees the batches when the loop calls objective.grad.
    if Recording.calls:
        for settings in ({"n_samples": 13, "batch_size": 5, "epochs": 2, "lr": 0.05, "seed": 7},
                         {"n_samples": 6, "batch_size": 1, "epochs": 2, "lr": 0.1, "seed": 3},
                         {"n_samples": 7, "batch_size": 7, "epochs": 3, "lr": 0.2, "seed": 1}):
            ok, message = _verdict(gd.checks.check_minibatch_loop, fn, **settings)
            if not ok:
                raise Failed(message)
    return ("my_minibatch visits every row once per epoch, reshuffles every epoch, averages each batch over "
            "its own rows and leaves the caller's w alone.")


def _minibatch_mistake(got, n, k, lr):
    """Name what a wrong one-epoch result on the X = I problem means."""
    last = n - 2 * k
    if np.all(got < 0):
        return "it steps up the gradient: the rule is w - lr * g."
    if np.allclose(got, lr):
        return ("each batch's gradient is a sum over its rows, not a mean: divide by len(rows), the size of "
                "the batch (the last one is shorter).")
    if np.allclose(got, lr / k):
        return ("the last, shorter batch is divided by batch_size instead of its own length; the gradient of a "
                "batch is the mean over its rows: divide by len(rows).")
    if np.sum(np.isclose(got, 0)) == last and np.allclose(got[last:], lr / k):
        return "the last, shorter batch is skipped, so some rows are never used in an epoch."
    if np.any(np.isclose(got, 0)):
        return ("some rows were never used in the epoch and others used twice: you sampled with replacement. "
                "An epoch is one pass over a permutation of the rows: order = rng.permutation(n), then batches "
                "order[i:i + batch_size].")
    return (f"after one epoch on a test problem where each row moves only its own coordinate, the coordinates "
            f"should be {lr / k:g} (rows in the full batches) and {lr / last:g} (the rows of the short last "
            f"batch); got {_fmt(got, 4)}.")


# ---------------------------------------------------------------------------------------------------------
# Optimizers (chapter 4 and the Adam project)
# ---------------------------------------------------------------------------------------------------------


def _build(cls, name, **hyper):
    if not isinstance(cls, type):
        raise Failed(f"`{name}` should be a class; it is a {type(cls).__name__}.")
    try:
        return cls(**hyper)
    except TypeError as error:
        args = ", ".join(f"{k}={v}" for k, v in hyper.items())
        raise Failed(f"{name}({args}) failed: {error}. The exercise asks for these keyword arguments.") from None


def _run_optimizer(opt, name, w0, grad, steps):
    path, w = [], w0.copy()
    for _ in range(steps):
        before = w.copy()
        w_new = opt.step(w, grad(w))
        if not np.array_equal(w, before):
            raise Failed(f"{name}.step changed the w it was given (`w -= ...`); return a new array instead.")
        w = np.asarray(w_new, dtype=np.float64)
        if w.shape != w0.shape:
            raise Failed(f"{name}.step returned shape {w.shape} for w of shape {w0.shape}.")
        path.append(w)
    return np.array(path)


_A = np.diag([1.0, 4.0, 10.0])
_B = np.array([1.0, -2.0, 0.0])
_W0 = np.array([-1.0, 1.0, 0.002])


def ex_ch4_rmsprop(gd, ns):
    cls = _get(ns, "MyRMSProp", "a class")
    for hyper in ({}, {"lr": 0.01, "beta": 0.8, "eps": 1e-6}):
        ok, message = _verdict(gd.checks.check_optimizer, cls, "rmsprop", n_steps=40, **hyper)
        if not ok:
            raise Failed(message)
    # A matrix of parameters, as chapter 5's weights are.
    grads = np.random.default_rng(105).normal(size=(6, 2, 3))
    mine, ref = _build(cls, "MyRMSProp", lr=0.01), gd.RMSProp(lr=0.01)
    w_mine = w_ref = np.ones((2, 3))
    for g in grads:
        w_mine, w_ref = np.asarray(mine.step(w_mine, g)), ref.step(w_ref, g)
    if w_mine.shape != (2, 3) or not np.allclose(w_mine, w_ref, rtol=1e-9, atol=1e-12):
        raise Failed("MyRMSProp agrees on a vector but not on a 2 x 3 matrix of parameters: keep every "
                     "operation elementwise (np.zeros_like(w), g**2, np.sqrt).")
    return "MyRMSProp matches gd.RMSProp for 40 steps with two settings and on a matrix of parameters."


def _adam_paths(w0, grad, steps, lr, beta1, beta2, eps):
    """Adam's iterates in the standard form and in Kingma & Ba's efficient form."""
    paths = {}
    for form in ("standard", "efficient"):
        w, m, v, path = w0.copy(), np.zeros_like(w0), np.zeros_like(w0), []
        for t in range(1, steps + 1):
            g = grad(w)
            m = beta1 * m + (1 - beta1) * g
            v = beta2 * v + (1 - beta2) * g**2
            if form == "standard":
                w = w - lr * (m / (1 - beta1**t)) / (np.sqrt(v / (1 - beta2**t)) + eps)
            else:
                lr_t = lr * np.sqrt(1 - beta2**t) / (1 - beta1**t)
                w = w - lr_t * m / (np.sqrt(v) + eps)
            path.append(w)
        paths[form] = np.array(path)
    return paths


def project_adam(gd, ns):
    cls = _get(ns, "MyAdam", "a class")
    grad = lambda w: _A @ w - _B  # noqa: E731
    for hyper in ({"lr": 0.1, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8},
                  {"lr": 0.05, "beta1": 0.8, "beta2": 0.99, "eps": 1e-6}):
        got = _run_optimizer(_build(cls, "MyAdam", **hyper), "MyAdam", _W0, grad, 30)
        refs = _adam_paths(_W0, grad, 30, **hyper)
        if not any(np.allclose(got, ref, rtol=1e-9, atol=1e-12) for ref in refs.values()):
            ok, message = _verdict(gd.checks.check_optimizer, cls, "adam", n_steps=30, **hyper)
            raise Failed(message if not ok else
                         f"MyAdam differs from Adam with {hyper} within 30 steps on a small quadratic.")
    w0 = np.random.default_rng(106).normal(size=(2, 2))
    got = _run_optimizer(_build(cls, "MyAdam", lr=0.05), "MyAdam", w0, lambda w: 2 * w, 5)
    refs = _adam_paths(w0, lambda w: 2 * w, 5, 0.05, 0.9, 0.999, 1e-8)
    if not any(np.allclose(got, ref, rtol=1e-9, atol=1e-12) for ref in refs.values()):
        raise Failed("MyAdam agrees on a vector but not on a 2 x 2 matrix of parameters: keep every operation "
                     "elementwise.")
    return "MyAdam matches Adam (standard or Kingma & Ba's efficient form) for 30 steps with two settings."


def ex_ch5_l2(gd, ns):
    cls = _get(ns, "L2Penalty", "a class")
    # A small new softmax problem (4 pixels, 3 classes), so that the test does not use the notebook's data.
    rng = np.random.default_rng(107)
    problem = gd.SoftmaxRegression(gd.data.add_bias(rng.normal(size=(30, 4))), rng.integers(0, 3, size=30),
                                   n_classes=3)
    for lam in (1e-2, 0.3):
        try:
            penalised = cls(problem, lam)
        except TypeError as error:
            raise Failed(f"L2Penalty(cost, lam) failed: {error}.") from None
        points = _points(108, problem.w_shape, n=2, scale=0.5)

        def ref_value(w, lam=lam):
            return problem.value(w) + lam / 2 * np.sum(w[1:] ** 2)
        _same_values(penalised.value, ref_value, points, "L2Penalty.value",
                     f"the cost plus lambda/2 times the squared pixel weights (bias row left out), lambda = {lam}",
                     mistakes=[("it penalises the bias row too: leave row 0 (the bias) out of the penalty.",
                                lambda w, lam=lam: problem.value(w) + lam / 2 * np.sum(w**2))])
        _gradient(gd, penalised.grad, ref_value, points, "L2Penalty.grad", mistakes=[
            ("it penalises the bias row too: the penalty's gradient is zero in row 0.",
             lambda w, lam=lam: problem.grad(w) + lam * w)])
    return "L2Penalty's value and gradient are right on a new softmax problem for two values of lambda."


TESTS = {
    "ex-ch1-gradient": ex_ch1_gradient,
    "ex-ch1-fix-gradient": ex_ch1_fix_gradient,
    "ex-ch2-new-objective": ex_ch2_new_objective,
    "ex-ch3-minibatch": ex_ch3_minibatch,
    "ex-ch3-ridge": ex_ch3_ridge,
    "ex-ch4-rmsprop": ex_ch4_rmsprop,
    "ex-ch5-l2": ex_ch5_l2,
    "project-adam": project_adam,
}
