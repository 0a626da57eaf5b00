r"""Self-checks for the exercises: call one on your own code and it tells you what, if anything, is wrong.

Three checkers, one for each kind of code the exercises ask you to write:

* :func:`check_gradient_function` -- a gradient you derived by hand, against central differences;
* :func:`check_optimizer` -- an optimizer class with ``step(w, g)``, against the one in
  :mod:`gdlesson.optimizers`;
* :func:`check_minibatch_loop` -- a mini-batch gradient-descent loop, against
  :func:`gdlesson.descent.minimize`.

Each prints one short verdict and returns ``True`` (passed) or ``False`` (not yet). A wrong answer never
raises: the message says what differs (the point, the step, the numbers) and, when the difference matches
a mistake many students make, names that mistake and its fix. Only a wrong *call* of the checker itself
(say ``reference="adamw"``) raises, with the course's usual error message. Errors raised inside your own
code are not caught, so that the traceback points at your line.

How a checker decides is plain NumPy that you can read below: it runs your code and a reference on a
small problem, compares the numbers with a tight tolerance, and, when they differ, replays a short list
of known mistakes (each written out as a student might write it) to see which one reproduces your
numbers.
"""

from __future__ import annotations

import copy
import numbers

import numpy as np

from ._validation import check_int, check_positive, fail
from .data import add_bias
from .gradcheck import numerical_gradient
from .objectives import LeastSquares, Quadratic
from .optimizers import AdaGrad, Adam, GradientDescent, Momentum, RMSProp

__all__ = ["check_gradient_function", "check_optimizer", "check_minibatch_loop"]


def _passed(message):
    print(f"Check passed: {message}")
    return True


def _failed(message):
    print(f"Check failed: {message}")
    return False


def _name(fn, default):
    """A readable name for the student's function or class, for the messages."""
    name = getattr(fn, "__qualname__", None) or getattr(fn, "__name__", None)
    if name is None or "<lambda>" in name:
        return default
    return name.rsplit("<locals>.", 1)[-1]  # a function defined inside another: just its own name


def _fmt(x, digits=4):
    """An array or number rounded for a message: ``[1.2, -0.5]``."""
    arr = np.asarray(x, dtype=np.float64)
    if arr.ndim == 0:
        return f"{float(arr):.{digits}g}"
    if arr.size > 6:
        return f"an array of shape {arr.shape}"
    return "[" + ", ".join(f"{v:.{digits}g}" for v in arr.ravel()) + "]"


# =========================================================================================================
# 1. Gradients
# =========================================================================================================


def check_gradient_function(grad, objective, *, w_shape=None, points=None, n_points=3, seed=0, h=1e-6,
                            rtol=1e-5):
    r"""Check a hand-written gradient against central differences of the function.

    At a few random points :math:`w` (or at the ``points`` you give), every entry :math:`a_i` of
    ``grad(w)`` is compared with the central difference :math:`n_i` of the function
    (:func:`~gdlesson.gradcheck.numerical_gradient`). An entry is wrong when

    .. math::
        |a_i - n_i| > \mathrm{rtol}\,\max(|a_i|, |n_i|) + 10^{-7} \max(1, |f(w)|),

    where the second term allows for the rounding error of the differences. When entries are wrong, the
    message gives the first point where they are, expected against got, and recognises three patterns:
    the opposite sign everywhere (a sign error), the same factor everywhere (a missing or extra 2, or a
    sum over samples where the course averages, a factor ``m``), and a few wrong entries among right ones
    (it names them).

    Parameters
    ----------
    grad : callable
        Your gradient: ``grad(w)`` returns an array of the same shape as ``w``.
    objective : callable or objective
        The function whose gradient ``grad`` should be: a function ``f(w)`` returning one number, or any
        object with a ``value(w)`` method, such as :class:`gdlesson.Rosenbrock` or your own objective
        class (then its ``w_shape`` and ``n_samples`` attributes are used when it has them).
    w_shape : tuple of int, optional
        The shape of ``w``. Needed when ``objective`` is a plain function and ``points`` is not given.
    points : array_like, optional
        Points to check at, stacked along the first axis (shape ``(k,) + w_shape``). Default:
        ``n_points`` points drawn from a standard normal distribution.
    n_points : int, default 3
        How many random points to check at when ``points`` is not given, >= 1.
    seed : int, default 0
        Seed of the random points.
    h : float, default 1e-6
        Step of the central differences, > 0.
    rtol : float, default 1e-5
        Relative tolerance, > 0.

    Returns
    -------
    bool
        True when every entry agrees at every point. The verdict is also printed.

    Examples
    --------
    >>> def grad_f(w):
    ...     return np.array([2 * w[0], 6 * w[1]])
    >>> check_gradient_function(grad_f, lambda w: w[0] ** 2 + 3 * w[1] ** 2, w_shape=(2,))
    Check passed: grad_f agrees with central differences at 3 points.
    True
    """
    owner = "check_gradient_function"
    if not callable(grad):
        fail(owner, "grad", "your gradient function, grad(w) -> array", grad, TypeError)
    f = objective.value if hasattr(objective, "value") else objective
    if not callable(f):
        fail(owner, "objective", "a function f(w) or an object with a value(w) method", objective, TypeError)
    h = check_positive(owner, "h", h)
    rtol = check_positive(owner, "rtol", rtol)
    points = _gradient_points(owner, objective, w_shape, points, n_points, seed)
    name = _name(grad, "your gradient")

    got = []
    for w in points:
        g = np.asarray(grad(w.copy()), dtype=np.float64)
        if g.shape != w.shape:
            hint = " (use .ravel() or reshape)" if g.size == w.size else ""
            return _failed(f"{name} returned an array of shape {g.shape}, but w has shape {w.shape}; "
                           f"a gradient has one entry per entry of w{hint}.")
        if not np.all(np.isfinite(g)):
            return _failed(f"{name} returned NaN or inf at w = {_fmt(w)}.")
        got.append(g)
    got = np.array(got)
    expected = np.array([numerical_gradient(f, w, h) for w in points])
    scale = np.array([1e-7 * max(1.0, abs(float(f(w)))) for w in points])
    atol = scale.reshape((-1,) + (1,) * (points.ndim - 1))

    def wrong(a, b):
        return np.abs(a - b) > rtol * np.maximum(np.abs(a), np.abs(b)) + atol

    bad = wrong(got, expected)
    if not bad.any():
        where = "1 point" if len(points) == 1 else f"{len(points)} points"
        return _passed(f"{name} agrees with central differences at {where}.")

    k = int(np.flatnonzero(bad.reshape(len(points), -1).any(axis=1))[0])  # first point that fails
    where = f"at w = {_fmt(points[k])}"
    if np.allclose(got, 0.0) and not np.allclose(expected, 0.0):
        return _failed(f"{name} returns zeros {where}, where the gradient is {_fmt(expected[k])}.")
    if not wrong(got, -expected).any():
        return _failed(f"{name} has the wrong sign: {where} expected {_fmt(expected[k])}, got "
                       f"{_fmt(got[k])}. It points uphill, so descent with it climbs; look for a dropped "
                       "minus sign or (y - Xw) where the derivative gives (Xw - y).")
    factor = _common_factor(got, expected, atol)
    if factor is not None:
        return _failed(f"{name} is off by a constant factor {where}: expected {_fmt(expected[k])}, got "
                       f"{_fmt(got[k])}, {factor:.4g} times the right values. "
                       + _factor_hint(factor, getattr(objective, "n_samples", None)))
    entries = [np.unravel_index(i, points.shape[1:]) for i in np.flatnonzero(bad[k])]
    shown = "; ".join(f"entry {tuple(int(j) for j in e) if len(e) > 1 else int(e[0])}: expected "
                      f"{expected[k][e]:.6g}, got {got[k][e]:.6g}" for e in entries[:3])
    more = f" (and {len(entries) - 3} more)" if len(entries) > 3 else ""
    right = bad[k].size - len(entries)
    return _failed(f"{name} is wrong {where}: {shown}{more}. {right} of its {bad[k].size} entries are "
                   "right; re-derive the wrong ones (the chain rule: did you keep the inner derivative?).")


def _gradient_points(owner, objective, w_shape, points, n_points, seed):
    """The points to check at, as a float64 array of shape (k,) + w_shape."""
    if points is not None:
        pts = np.asarray(points, dtype=np.float64)
        if pts.ndim == 0 or pts.shape[0] == 0 or not np.all(np.isfinite(pts)):
            fail(owner, "points", "a non-empty, finite array of points stacked along axis 0",
                 f"array of shape {pts.shape}")
        return pts
    if w_shape is None:
        w_shape = getattr(objective, "w_shape", None)
    if w_shape is None:
        fail(owner, "w_shape", "given (e.g. w_shape=(2,)) when the objective does not say its shape "
             "and no points are given", None)
    w_shape = (w_shape,) if isinstance(w_shape, numbers.Integral) else tuple(w_shape)
    n_points = check_int(owner, "n_points", n_points, low=1)
    rng = np.random.default_rng(seed)
    return rng.normal(size=(n_points,) + w_shape)


def _common_factor(got, expected, atol):
    """The number c with got = c * expected in every entry (None when there is no such number)."""
    usable = np.abs(expected) > 1e3 * atol
    if not usable.any():
        return None
    ratios = got[usable] / expected[usable]
    c = float(np.median(ratios))
    same = np.allclose(got, c * expected, rtol=1e-6, atol=float(np.max(atol)) * 10)
    return c if same else None


def _factor_hint(c, m):
    """What a gradient that is c times the right one usually means."""
    if c < 0:
        return "The sign is wrong too (a dropped minus). " + _factor_hint(-c, m)
    if np.isclose(c, 2):
        return ("An extra factor 2: with a 1/2 in front of the square, the 2 from the derivative cancels "
                "it.")
    if np.isclose(c, 0.5):
        return "A missing factor 2: the derivative of a square u^2 is 2u times the derivative of u."
    if m and np.isclose(c, m):
        return (f"That is m = {m}, the number of samples: you summed over the samples but did not divide "
                "by m, while the cost is a mean.")
    if m and np.isclose(c, 1 / m):
        return f"That is 1/m with m = {m}: you divided by the number of samples twice."
    return "Look for a constant you dropped or added while differentiating."


# =========================================================================================================
# 2. Optimizers
# =========================================================================================================

# The reference optimizers and the hyperparameters the check uses unless you pass others. The test
# problem is a small quadratic with curvatures 1, 4 and 10 (so 2/L = 0.2); its last coordinate starts
# near the minimum, where gradients are small and the place of eps (inside or outside the square root)
# changes the numbers.
_REFERENCES = {
    "sgd": (GradientDescent, {"lr": 0.05}),
    "momentum": (Momentum, {"lr": 0.02, "beta": 0.9}),
    "nesterov": (Momentum, {"lr": 0.02, "beta": 0.9, "nesterov": True}),
    "adagrad": (AdaGrad, {"lr": 0.5, "eps": 1e-8}),
    "rmsprop": (RMSProp, {"lr": 0.05, "beta": 0.9, "eps": 1e-8}),
    "adam": (Adam, {"lr": 0.1, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8}),
}
_PROBLEM = Quadratic(np.diag([1.0, 4.0, 10.0]), b=np.array([1.0, -2.0, 0.0]))
_W0 = np.array([-1.0, 1.0, 0.002])


def check_optimizer(optimizer, reference, *, n_steps=25, **hyperparams):
    r"""Check an optimizer you wrote against the one in :mod:`gdlesson.optimizers`.

    Both run ``n_steps`` steps on a small quadratic, each from the same start with the gradient at its
    own iterate: :math:`w_t = ` ``opt.step(w_{t-1}, grad(w_{t-1}))``. The check passes when every iterate
    agrees to a relative error of :math:`10^{-9}` and ``step`` never changes the ``w`` it is given.
    Otherwise the message names the first step where the iterates differ, expected against got, and, when
    your numbers match one of these mistakes, names it:

    * a sign error (stepping up the gradient), for every reference;
    * changing ``w`` in place (``w -= ...``) instead of returning a new array;
    * momentum as an average, :math:`v \leftarrow \beta v + (1-\beta) g` (seed 000's form), where the
      course uses :math:`v \leftarrow \beta v + g`; heavy ball where Nesterov was asked, and the reverse;
    * RMSProp without the :math:`(1-\beta)` in its average;
    * ``eps`` inside the square root, :math:`g/\sqrt{s + \epsilon}`, for AdaGrad, RMSProp and Adam;
    * Adam without bias correction, or with only one of the two moments corrected;
    * a first step that returns NaN or inf (Adam counting steps from 0 divides by :math:`1-\beta^0 = 0`).

    Parameters
    ----------
    optimizer : class or object
        Your optimizer. A class is built as ``optimizer(lr=..., beta=..., ...)`` with the hyperparameters
        of the reference (``nesterov`` is passed only when you give it in ``hyperparams``); an object is
        copied, ``reset()`` if it has that method, and its attributes ``lr``, ``beta``, ... are read to
        build the reference. Either way it needs ``step(w, g)`` returning the new parameters.
    reference : {"sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam"}
        The method your optimizer implements.
    n_steps : int, default 25
        Number of steps compared, >= 1.
    **hyperparams
        Hyperparameters to use instead of the defaults (``lr``, ``beta``, ``beta1``, ``beta2``, ``eps``,
        ``nesterov``, as the reference takes them).

    Returns
    -------
    bool
        True when your optimizer matches the reference. The verdict is also printed.

    Examples
    --------
    >>> check_optimizer(RMSProp, reference="rmsprop")
    Check passed: RMSProp matches RMSProp(lr=0.05, beta=0.9, eps=1e-08) for 25 steps.
    True
    """
    owner = "check_optimizer"
    if reference not in _REFERENCES:
        fail(owner, "reference", f"one of {sorted(_REFERENCES)}", reference)
    n_steps = check_int(owner, "n_steps", n_steps, low=1)
    ref_class, defaults = _REFERENCES[reference]
    for key in hyperparams:
        if key not in defaults and not (key == "nesterov" and reference == "momentum"):
            fail(owner, key, f"a hyperparameter of the {reference} reference, one of {sorted(defaults)}",
                 hyperparams[key], TypeError)

    if isinstance(optimizer, type):
        params = {**defaults, **hyperparams}
        kwargs = {k: v for k, v in params.items() if k != "nesterov" or "nesterov" in hyperparams}
        try:
            optimizer(**kwargs)
        except TypeError as err:
            args = ", ".join(f"{k}={v!r}" for k, v in kwargs.items())
            return _failed(f"could not build {optimizer.__name__}({args}): {err}. Give __init__ these "
                           "parameter names, or pass an object you built yourself.")
        name = optimizer.__name__
        make_student = lambda: optimizer(**kwargs)  # noqa: E731 - a fresh object per run
    else:
        if not callable(getattr(optimizer, "step", None)):
            fail(owner, "optimizer", "a class or an object with a step(w, g) method", optimizer, TypeError)
        params = {k: getattr(optimizer, k, v) for k, v in defaults.items()}
        params.update(hyperparams)
        name = type(optimizer).__name__
        template = copy.deepcopy(optimizer)

        def make_student():
            fresh = copy.deepcopy(template)
            if callable(getattr(fresh, "reset", None)):
                fresh.reset()
            return fresh

    reference_opt = ref_class(**params)
    expected = _run_optimizer(reference_opt, n_steps).path
    run = _run_optimizer(make_student(), n_steps)
    ref_text = repr(reference_opt)

    if run.problem:
        return _failed(f"{name}: {run.problem}")
    if run.mutated:
        return _failed(f"{name}.step changed the w it was given: it must return a new array "
                       "and leave w alone. Write `return w - ...` instead of `w -= ...` (or copy first, "
                       "w = w.copy()).")
    diff = _first_difference(run.path, expected, rtol=1e-9)
    if diff is None:
        return _passed(f"{name} matches {ref_text} for {n_steps} steps.")

    t = diff
    detail = (f"iterates first differ at step {t}: expected w_{t} = {_fmt(expected[t], 8)}, got "
              f"{_fmt(run.path[t], 8)} (largest difference {np.max(np.abs(run.path[t] - expected[t])):.2e}).")
    for mistake, make in _mistakes(reference, params):
        with np.errstate(all="ignore"):
            path = _run_optimizer(make(), n_steps).path
        if path.shape == run.path.shape and _first_difference(run.path, path, rtol=1e-6) is None:
            return _failed(f"{name} vs {ref_text}: {detail} {mistake}")
    return _failed(f"{name} vs {ref_text}: {detail} Compare your step with the rule in the reference's "
                   "docstring, line by line, at that step.")


class _Run:
    """The iterates of one optimizer on the test problem, and what went wrong, if anything."""

    def __init__(self, path, mutated=False, problem=None):
        self.path, self.mutated, self.problem = path, mutated, problem


def _run_optimizer(opt, n_steps):
    """Run ``opt`` on the test problem; return its iterates w_0 ... w_n (rows) as a :class:`_Run`."""
    path, mutated = [_W0.copy()], False
    for t in range(1, n_steps + 1):
        w = path[-1].copy()
        g = _PROBLEM.grad(w)
        new = opt.step(w, g)
        mutated = mutated or not np.array_equal(w, path[-1])
        if new is None:
            return _Run(np.array(path), problem="step returned None: did you forget `return`?")
        new = np.array(new, dtype=np.float64)  # a copy, so that later in-place changes cannot reach it
        if new.shape != w.shape:
            return _Run(np.array(path), problem=f"step returned an array of shape {new.shape} for w of "
                        f"shape {w.shape}.")
        if not np.all(np.isfinite(new)):
            hint = (" For Adam, the bias correction divides by 1 - beta**t, which is 0 when t = 0: count "
                    "steps from 1 (add 1 to t before correcting).") if t == 1 else ""
            return _Run(np.array(path), problem=f"step {t} returned NaN or inf.{hint}")
        path.append(new)
    return _Run(np.array(path), mutated=mutated)


def _first_difference(path, expected, rtol):
    """The first step t where two sequences of iterates differ, or None when they agree."""
    for t in range(len(expected)):
        if not np.allclose(path[t], expected[t], rtol=rtol, atol=1e-12):
            return t
    return None


# --- Known mistakes, each written as a student might write it. ------------------------------------------


class _SignError:
    """Steps up the gradient: ``w + ...`` where the rule says ``w - ...``."""

    def __init__(self, right):
        self.right = right

    def step(self, w, g):
        return 2 * w - self.right.step(w, g)  # w + (w - right_step) = w + lr * update


class _MomentumAverage(Momentum):
    """``v = beta * v + (1 - beta) * g`` (an average) where the course writes ``v = beta * v + g``."""

    def step(self, w, g):
        w, g, lr = self._begin(w, g)
        self.v = self.beta * self.v + (1 - self.beta) * g
        if self.nesterov:
            return w - lr * (g + self.beta * self.v)
        return w - lr * self.v


class _RMSPropNoOneMinusBeta(RMSProp):
    """``E = beta * E + g**2``: the (1 - beta) is missing."""

    def step(self, w, g):
        w, g, lr = self._begin(w, g)
        self.E = self.beta * self.E + g**2
        return w - lr * g / (np.sqrt(self.E) + self.eps)


class _RMSPropEpsInside(RMSProp):
    """``g / sqrt(E + eps)`` where the course writes ``g / (sqrt(E) + eps)``."""

    def step(self, w, g):
        w, g, lr = self._begin(w, g)
        self.E = self.beta * self.E + (1 - self.beta) * g**2
        return w - lr * g / np.sqrt(self.E + self.eps)


class _AdaGradEpsInside(AdaGrad):
    """``g / sqrt(G + eps)`` where the course writes ``g / (sqrt(G) + eps)``."""

    def step(self, w, g):
        w, g, lr = self._begin(w, g)
        self.G = self.G + g**2
        return w - lr * g / np.sqrt(self.G + self.eps)


class _AdamVariant(Adam):
    """Adam with some bias corrections left out, or eps inside the square root."""

    def __init__(self, *args, correct_m=True, correct_s=True, eps_inside=False, **kwargs):
        self.correct_m, self.correct_s, self.eps_inside = correct_m, correct_s, eps_inside
        super().__init__(*args, **kwargs)

    def step(self, w, g):
        w, g, lr = self._begin(w, g)
        self.m = self.beta1 * self.m + (1 - self.beta1) * g
        self.s = self.beta2 * self.s + (1 - self.beta2) * g**2
        m_hat = self.m / (1 - self.beta1**self.t) if self.correct_m else self.m
        s_hat = self.s / (1 - self.beta2**self.t) if self.correct_s else self.s
        if self.eps_inside:
            return w - lr * m_hat / np.sqrt(s_hat + self.eps)
        return w - lr * m_hat / (np.sqrt(s_hat) + self.eps)


_EPS_INSIDE = ("eps is inside the square root, g / sqrt(s + eps); the course (and PyTorch) add it outside, "
               "g / (sqrt(s) + eps). The two differ where the squared gradients are small.")


def _mistakes(reference, params):
    """(message, factory) pairs: the known mistakes for this reference, built with its hyperparameters."""
    ref_class = _REFERENCES[reference][0]
    mistakes = [("Your steps go the wrong way: you add the update to w where the rule subtracts it "
                 "(w + lr * ... instead of w - lr * ...).", lambda: _SignError(ref_class(**params)))]
    if reference in ("momentum", "nesterov"):
        other = {**params, "nesterov": reference == "momentum"}
        mistakes += [
            ("Your velocity is an average, v = beta * v + (1 - beta) * g (seed 000's form). The course "
             "writes v = beta * v + g; the average form takes steps (1 - beta) times as long, so with the "
             "same lr it is a different optimizer. Drop the (1 - beta).",
             lambda: _MomentumAverage(**params)),
            ("Your steps match Nesterov's rule, w - lr * (g + beta * v), but heavy-ball momentum returns "
             "w - lr * v." if reference == "momentum" else
             "Your steps match heavy-ball momentum, w - lr * v: Nesterov's rule returns "
             "w - lr * (g + beta * v), a look-ahead along the new velocity.",
             lambda: Momentum(**other)),
        ]
    if reference == "rmsprop":
        mistakes += [
            ("The (1 - beta) is missing from the average: E = beta * E + (1 - beta) * g**2. Without it E "
             "is about 1 / (1 - beta) = 10 times too large and the steps about 3 times too short.",
             lambda: _RMSPropNoOneMinusBeta(**params)),
            (_EPS_INSIDE, lambda: _RMSPropEpsInside(**params)),
        ]
    if reference == "adagrad":
        mistakes += [(_EPS_INSIDE, lambda: _AdaGradEpsInside(**params))]
    if reference == "adam":
        mistakes += [
            ("Bias correction is missing: divide m by (1 - beta1**t) and s by (1 - beta2**t), with t = 1 "
             "at the first step. Without it the first steps are far too short (m starts at zero).",
             lambda: _AdamVariant(**params, correct_m=False, correct_s=False)),
            ("Only m is bias-corrected: s also needs s_hat = s / (1 - beta2**t).",
             lambda: _AdamVariant(**params, correct_s=False)),
            ("Only s is bias-corrected: m also needs m_hat = m / (1 - beta1**t).",
             lambda: _AdamVariant(**params, correct_m=False)),
            (_EPS_INSIDE, lambda: _AdamVariant(**params, eps_inside=True)),
        ]
    return mistakes


# =========================================================================================================
# 3. Mini-batch loops
# =========================================================================================================


class _RecordingLeastSquares(LeastSquares):
    """Least squares that remembers the ``rows`` of every gradient it computes (None for full batch)."""

    def __init__(self, X, y):
        super().__init__(X, y)
        self.calls = []

    def grad(self, w, rows=None):
        self.calls.append(None if rows is None else np.asarray(rows).copy())
        return super().grad(w, rows)

    def value_and_grad(self, w, rows=None):
        self.calls.append(None if rows is None else np.asarray(rows).copy())
        return super().value_and_grad(w, rows)


def _minibatch_problem(n_samples):
    """A small, noisy straight-line problem with a bias column: X of shape (n, 2), y of shape (n,)."""
    rng = np.random.default_rng(2024)
    x = rng.uniform(0, 2, size=(n_samples, 1))
    y = 4 + 3 * x[:, 0] + rng.normal(size=n_samples)
    return add_bias(x), y


def _reference_loop(objective, w, lr, batch_size, epochs, seed, *, orders="shuffle", last_scale=False,
                    drop_last=False, replacement=None, uphill=False):
    """Mini-batch gradient descent, right or with one of the known mistakes switched on.

    orders: "shuffle" (a fresh permutation each epoch, as :func:`gdlesson.minimize`), "none" (rows in
    their stored order) or "once" (one permutation for every epoch). last_scale: the last, shorter batch
    is divided by ``batch_size`` instead of its own length. drop_last: the shorter batch is skipped.
    replacement: "integers" or "choice" draws each batch with replacement, ceil(n / k) batches an epoch.
    uphill: steps w + lr * g (a sign error).
    """
    rng = np.random.default_rng(seed)
    n = objective.n_samples
    once = rng.permutation(n) if orders == "once" else None
    for _ in range(epochs):
        if replacement is None:
            order = {"shuffle": rng.permutation(n) if orders == "shuffle" else None, "none": np.arange(n),
                     "once": once}[orders]
            batches = [order[i:i + batch_size] for i in range(0, n, batch_size)]
        elif replacement == "integers":
            batches = [rng.integers(0, n, size=batch_size) for _ in range(0, n, batch_size)]
        else:
            batches = [rng.choice(n, size=batch_size) for _ in range(0, n, batch_size)]
        for rows in batches:
            if drop_last and len(rows) < batch_size:
                continue
            g = objective.grad(w, rows=rows)
            if last_scale:
                g = g * len(rows) / batch_size  # the sum over the batch divided by batch_size
            w = w + lr * g if uphill else w - lr * g
    return w


def check_minibatch_loop(student_fn, *, n_samples=10, batch_size=4, epochs=3, lr=0.1, seed=0):
    r"""Check your own mini-batch gradient descent against :func:`gdlesson.minimize`.

    Your function must have this signature and return the final parameters::

        def my_minibatch(objective, w, lr, batch_size, epochs, seed):
            ...          # for each epoch: a fresh permutation of the rows, then batches of batch_size
            return w

    ``objective`` is a :class:`~gdlesson.objectives.LeastSquares` problem (straight-line data with a bias
    column, ``n_samples`` rows, so ``w`` has shape (2,)); use ``objective.grad(w, rows=batch_rows)`` for
    the gradient of a batch, or ``objective.X`` and ``objective.y`` to compute it yourself. The default
    sizes leave a shorter last batch (10 rows in batches of 4: 4, 4, 2), which is where loops often go
    wrong.

    The check records the rows of every ``objective.grad`` call your function makes and looks at them:
    each epoch must visit every row exactly once (no sampling with replacement), in a fresh random order
    (shuffled, and shuffled again every epoch), for exactly ``epochs`` epochs, with batches of
    ``batch_size`` rows and a shorter last one. It then replays your batches to check the returned ``w``.
    If you compute gradients yourself (no ``objective.grad`` calls to look at), it compares your ``w``
    with the reference and with the same loop with each known mistake switched on: not shuffling,
    shuffling once, dividing the last batch by the full batch size, dropping the last batch, sampling
    with replacement, one epoch too many or too few, a sign error.

    Parameters
    ----------
    student_fn : callable
        Your loop, ``student_fn(objective, w, lr, batch_size, epochs, seed) -> w``.
    n_samples : int, default 10
        Rows in the test problem, >= 2.
    batch_size : int, default 4
        Batch size passed to your function, in [1, n_samples].
    epochs : int, default 3
        Epochs passed to your function, >= 1.
    lr : float, default 0.1
        Learning rate passed to your function, > 0.
    seed : int, default 0
        Seed passed to your function. Use it as ``rng = np.random.default_rng(seed)`` and draw each
        epoch's order with ``rng.permutation(n)`` to match :func:`gdlesson.minimize` to the last digit.

    Returns
    -------
    bool
        True when your loop is right. The verdict is also printed.
    """
    owner = "check_minibatch_loop"
    if not callable(student_fn):
        fail(owner, "student_fn", "your function student_fn(objective, w, lr, batch_size, epochs, seed)",
             student_fn, TypeError)
    n = check_int(owner, "n_samples", n_samples, low=2)
    k = check_int(owner, "batch_size", batch_size, low=1, high=n)
    epochs = check_int(owner, "epochs", epochs, low=1)
    lr = check_positive(owner, "lr", lr)
    seed = check_int(owner, "seed", seed)
    name = _name(student_fn, "your function")

    X, y = _minibatch_problem(n)
    objective = _RecordingLeastSquares(X, y)
    plain = LeastSquares(X, y)
    w0 = np.zeros(2)
    got = student_fn(objective, w0.copy(), lr, k, epochs, seed)
    if got is None:
        return _failed(f"{name} returned None: end it with `return w`.")
    if isinstance(got, tuple):
        return _failed(f"{name} returned a tuple of {len(got)} items; it should return only the final w.")
    got = np.asarray(got, dtype=np.float64)
    if got.shape != w0.shape:
        return _failed(f"{name} returned an array of shape {got.shape}; it should return the final w, of "
                       f"shape {w0.shape} (only w, not a tuple).")
    expected = _reference_loop(plain, w0, lr, k, epochs, seed)
    if objective.calls:
        problem = _check_batches(objective.calls, n, k, epochs)
        if problem:
            return _failed(f"{name}: {problem}")
        replay = w0
        for rows in objective.calls:
            replay = replay - lr * plain.grad(replay, rows=rows)
        if not np.allclose(got, replay, rtol=1e-10, atol=1e-12):
            uphill = w0
            for rows in objective.calls:
                uphill = uphill + lr * plain.grad(uphill, rows=rows)
            if np.allclose(got, uphill, rtol=1e-8, atol=1e-12):
                return _failed(f"{name}: it steps up the gradient: w + lr * g where the rule is w - lr * g.")
            return _failed(f"{name} returned w = {_fmt(got, 8)}, but the steps w - lr * "
                           f"objective.grad(w, rows) over the batches it used give {_fmt(replay, 8)}. Check "
                           "that you update w with every batch and return the final w.")
        if not np.allclose(got, expected, rtol=1e-10, atol=1e-12):
            return _passed(f"{name} visits every row once per epoch, in a fresh random order, and steps "
                           "correctly. (Its shuffles differ from gd.minimize's: draw each epoch's order "
                           "with rng.permutation(n) from rng = np.random.default_rng(seed) to match it to "
                           "the last digit.)")
        return _passed(f"{name} matches gd.minimize(..., batch_size={k}, epochs={epochs}, seed={seed}).")

    # No objective.grad calls to look at: compare the result with the known mistakes.
    if np.allclose(got, expected, rtol=1e-10, atol=1e-12):
        return _passed(f"{name} matches gd.minimize(..., batch_size={k}, epochs={epochs}, seed={seed}).")
    for message, kwargs in _loop_mistakes(n, k, epochs):
        if np.allclose(got, _reference_loop(plain, w0, lr, k, **kwargs, seed=seed), rtol=1e-8, atol=1e-12):
            return _failed(f"{name}: {message}")
    return _failed(f"{name} returned w = {_fmt(got, 8)}; gd.minimize with the same settings gives "
                   f"{_fmt(expected, 8)}. Your function did not call objective.grad(w, rows=...), so the "
                   "check cannot see your batches; call it, and the check can say more.")


_NOT_SHUFFLED = ("the rows are visited in their stored order, {order}..., every epoch: you forgot to "
                 "shuffle. Draw a fresh order at the start of each epoch with rng.permutation(n).")
_SHUFFLED_ONCE = ("every epoch visits the rows in the same order: you shuffled once, before the epoch loop. "
                  "Draw a fresh permutation inside the loop, at the start of each epoch.")
_REPLACEMENT = ("a row appears twice in one epoch: you sampled with replacement (rng.integers or "
                "rng.choice). An epoch is one pass over a permutation of the rows: order = "
                "rng.permutation(n), then batches order[i:i + batch_size].")
_LAST_SCALE = ("the last, shorter batch is divided by batch_size instead of its own length. The gradient "
               "of a batch is the mean over its rows: divide by len(rows).")
_DROP_LAST = ("the last, shorter batch is skipped, so some rows are never used in an epoch. Use "
              "range(0, n, batch_size); the slice order[i:i + batch_size] gives the shorter last batch.")


def _loop_mistakes(n, k, epochs):
    """(message, options of :func:`_reference_loop`) for each known mistake of a mini-batch loop."""
    mistakes = [
        (_NOT_SHUFFLED.format(order="0, 1, 2"), {"epochs": epochs, "orders": "none"}),
        (_LAST_SCALE, {"epochs": epochs, "last_scale": True}),
        (_DROP_LAST, {"epochs": epochs, "drop_last": True}),
        (_REPLACEMENT, {"epochs": epochs, "replacement": "integers"}),
        (_REPLACEMENT, {"epochs": epochs, "replacement": "choice"}),
        (f"it runs {epochs + 1} epochs, one more than epochs={epochs}.", {"epochs": epochs + 1}),
        ("it steps up the gradient: w + lr * g where the rule is w - lr * g.", {"epochs": epochs, "uphill": True}),
    ]
    if epochs > 1:
        mistakes += [(_SHUFFLED_ONCE, {"epochs": epochs, "orders": "once"}),
                     (f"it runs {epochs - 1} epochs, one fewer than epochs={epochs}.", {"epochs": epochs - 1})]
    return mistakes


def _check_batches(calls, n, k, epochs):
    """What is wrong with the recorded batches (a message), or None when they are right."""
    if any(rows is None for rows in calls):
        return ("it called objective.grad(w) without rows=, which is the gradient over all the data (full "
                "batch). Pass the batch: objective.grad(w, rows=batch_rows).")
    sizes = [len(rows) for rows in calls]
    per_epoch = -(-n // k)  # ceil(n / k) batches
    if any(len(np.unique(rows)) < len(rows) for rows in calls):
        return _REPLACEMENT
    if len(calls) % per_epoch == 0 and len(calls) // per_epoch != epochs and sum(sizes) % n == 0:
        ran = len(calls) // per_epoch
        return f"it made {len(calls)} steps, which is {ran} epochs of {per_epoch} batches; epochs={epochs}."
    if n % k and len(calls) == epochs * (n // k) and all(s == k for s in sizes):
        return _DROP_LAST
    if len(calls) != epochs * per_epoch:
        return (f"it made {len(calls)} steps; {epochs} epochs of {n} rows in batches of {k} make "
                f"{epochs} x {per_epoch} = {epochs * per_epoch}.")
    epoch_orders = []
    for e in range(epochs):
        batch = calls[e * per_epoch:(e + 1) * per_epoch]
        order = np.concatenate(batch)
        if len(order) != n or not np.array_equal(np.sort(order), np.arange(n)):
            return _REPLACEMENT
        expected_sizes = [k] * (per_epoch - 1) + [n - k * (per_epoch - 1)]
        if [len(b) for b in batch] != expected_sizes:
            return f"an epoch's batches have sizes {[len(b) for b in batch]}; expected {expected_sizes}."
        epoch_orders.append(order)
    if all(np.array_equal(order, np.arange(n)) for order in epoch_orders):
        return _NOT_SHUFFLED.format(order="0, 1, 2")
    if epochs > 1 and all(np.array_equal(order, epoch_orders[0]) for order in epoch_orders):
        return _SHUFFLED_ONCE
    return None
