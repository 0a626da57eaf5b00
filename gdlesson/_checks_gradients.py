r"""Checking a hand-written gradient, and the function it belongs to (see :mod:`gdlesson.checks`).

The check has two sources of truth. Without a reference it can only ask whether ``grad`` is the
gradient of the student's own function. With one (:class:`Reference`, :func:`ridge_reference` or the name
of an exercise) it also asks whether the student's function is the one the exercise fixes, and it knows
the function's parts (a data term, a penalty), so it can say which part of a gradient is off.
"""

from __future__ import annotations

import numbers
from types import MappingProxyType

import numpy as np

from ._checks_report import StudentError, call, failed, fmt, name_of, passed
from ._validation import check_int, check_positive, check_real, fail
from .gradcheck import numerical_gradient
from .objectives import Rosenbrock

_OWNER = "check_gradient_function"


# =========================================================================================================
# References: the functions the exercises fix
# =========================================================================================================


class _Term:
    """One part of a reference function: its value, its exact gradient (or None) and what kind it is.

    ``kind`` chooses the hints: ``"data"`` (a mean over samples: a factor m means a missing 1/m),
    ``"penalty"`` (a factor 2 means the 1/2 of lam/2 was dropped), ``"bias"`` (a decoy: a penalty on the
    bias that the exercise does not have; its coefficient should be 0) or ``"whole"`` (no parts).
    """

    def __init__(self, label, value, grad, kind):
        self.label, self.value, self.grad, self.kind = label, value, grad, kind


class Reference:
    r"""The function an exercise fixes, for :func:`check_gradient_function` to check an answer against.

    With a reference the check compares the student's function with it (a function that is not the one
    the exercise asks for fails, even when its gradient matches it) and the student's gradient with the
    reference's gradient.

    Parameters
    ----------
    value : callable or objective
        The function, ``value(w) -> float``, or an object with a ``value(w)`` method (such as
        :class:`gdlesson.Rosenbrock` or :class:`gdlesson.LeastSquares`); then its ``grad``, ``w_shape``
        and ``n_samples`` are used unless given here.
    grad : callable, optional
        Its exact gradient, ``grad(w) -> array``. Without one, central differences of ``value`` are used.
    w_shape : int or tuple of int, optional
        The shape of ``w``, so that the check can draw points.
    n_samples : int, optional
        :math:`m` when the function is a mean over samples: a gradient that is :math:`m` times too large is
        then reported as a missing :math:`1/m`, with its value.
    name : str, default "the exercise's function"
        How the messages call it.

    See Also
    --------
    ridge_reference : a cost plus an L2 penalty that leaves the bias out, with its parts named.

    Examples
    --------
    >>> ref = Reference(lambda w: w[0] ** 2 + 3 * w[1] ** 2, w_shape=(2,), name="f(w) = w1^2 + 3 w2^2")
    >>> def f_ex(w):
    ...     return w[0] ** 2 + 2 * w[1] ** 2
    >>> def grad_ex(w):
    ...     return np.array([2 * w[0], 4 * w[1]])
    >>> check_gradient_function(grad_ex, f_ex, reference=ref)  # doctest: +ELLIPSIS
    Check failed: f_ex is not the function the exercise asks for: at w = [0.1257, -0.1321] it gives ...
    False
    """

    def __init__(self, value, grad=None, *, w_shape=None, n_samples=None, name="the exercise's function"):
        owner = "Reference"
        f = value.value if hasattr(value, "value") else value
        if not callable(f):
            fail(owner, "value", "a function value(w) or an object with a value(w) method", value, TypeError)
        if grad is None and callable(getattr(value, "grad", None)):
            grad = value.grad
        if grad is not None and not callable(grad):
            fail(owner, "grad", "a function grad(w) or None", grad, TypeError)
        if w_shape is None:
            w_shape = getattr(value, "w_shape", None)
        if n_samples is None:
            n_samples = getattr(value, "n_samples", None)
        self.w_shape = None if w_shape is None else _shape(owner, "w_shape", w_shape)
        self.n_samples = None if n_samples is None else check_int(owner, "n_samples", n_samples, low=1)
        if not isinstance(name, str):
            fail(owner, "name", "a string", name, TypeError)
        self.name = name
        kind = "data" if self.n_samples else "whole"
        self._terms = (_Term("the function", f, grad, kind),)
        self._decoys = ()

    def value(self, w):
        """The reference function at ``w`` (the sum of its parts)."""
        return float(sum(float(t.value(w)) for t in self._terms))

    def grad(self, w):
        """Its gradient at ``w``: exact when every part has one, else central differences."""
        if all(t.grad is not None for t in self._terms):
            return sum(np.asarray(t.grad(w), dtype=np.float64) for t in self._terms)
        return numerical_gradient(self.value, w)

    def __repr__(self):
        return f"Reference({self.name!r}, w_shape={self.w_shape}, n_samples={self.n_samples})"


def ridge_reference(cost, lam, *, name=None):
    r"""The reference for an L2 penalty that leaves the bias out: ``cost`` plus :math:`\tfrac\lambda2\lVert w_{1:}\rVert^2`.

    .. math::
        J_\lambda(w) = J(w) + \frac{\lambda}{2} \sum_{i \ge 1} w_i^2, \qquad
        \nabla J_\lambda(w) = \nabla J(w) + \lambda\, D w, \quad D = \mathrm{diag}(0, 1, \dots, 1),

    where :math:`w_0` (the intercept, or the bias row of a weight matrix) is not penalised. This is
    chapter 3's ridge exercise (``w`` of shape (2,), slope :math:`w_1`) and chapter 5's
    ``L2Penalty`` (``W`` of shape (65, 10), bias row ``W[0]``). The check then names a missing
    :math:`1/m` in the data term, a sign error in one of the two terms, a factor 2 in the penalty and a
    penalty on the bias row, in the function as well as in the gradient.

    Parameters
    ----------
    cost : objective
        The unpenalised cost: an object with ``value(w)``, ``grad(w)``, ``w_shape`` and ``n_samples``,
        such as :class:`gdlesson.LeastSquares` or :class:`gdlesson.SoftmaxRegression`.
    lam : float
        :math:`\lambda`, >= 0.
    name : str, optional
        How the messages call it. Default: ``"J(w) + (lam/2) |w[1:]|^2"`` with the value of lam.

    Returns
    -------
    Reference

    Examples
    --------
    >>> X, y = gd.data.make_linear_data(n=20, seed=0)
    >>> cost = gd.LeastSquares(gd.data.add_bias(X), y.ravel())
    >>> def ridge_value(w):
    ...     return cost.value(w) + 0.25 * w[1] ** 2
    >>> def ridge_grad(w):
    ...     return cost.grad(w) + np.array([0.0, 0.5 * w[1]])
    >>> check_gradient_function(ridge_grad, ridge_value, reference=ridge_reference(cost, lam=0.5))
    Check passed: ridge_grad agrees with central differences at 3 points.
    True
    """
    owner = "ridge_reference"
    for attr in ("value", "grad"):
        if not callable(getattr(cost, attr, None)):
            fail(owner, "cost", f"an objective with value(w), grad(w), w_shape and n_samples (no {attr})",
                 cost, TypeError)
    if getattr(cost, "w_shape", None) is None:
        fail(owner, "cost", "an objective with a w_shape", cost, TypeError)
    lam = check_real(owner, "lam", lam, low=0.0)
    ref = Reference(cost, cost.grad, name=name or f"J(w) + ({lam:g}/2) |w[1:]|^2")
    rest = (slice(1, None),)  # w[1:]: every row but the first (the bias)

    def penalty(w):
        return 0.5 * lam * float(np.sum(np.asarray(w)[rest] ** 2))

    def penalty_grad(w):
        g = lam * np.array(w, dtype=np.float64)
        g[0] = 0.0
        return g

    def bias_penalty(w):
        return 0.5 * lam * float(np.sum(np.asarray(w)[0] ** 2))

    def bias_grad(w):
        g = np.zeros(np.shape(w))
        g[0] = lam * np.asarray(w)[0]
        return g

    ref._terms = (_Term("the data term", cost.value, cost.grad, "data"),
                  _Term("the penalty", penalty, penalty_grad, "penalty"))
    ref._decoys = (_Term("a penalty on the bias w[0]", bias_penalty, bias_grad, "bias"),)
    return ref


def _quadratic_1_3():
    return Reference(lambda w: w[0] ** 2 + 3 * w[1] ** 2, lambda w: np.array([2 * w[0], 6 * w[1]]),
                     w_shape=(2,), name="f(w) = w1^2 + 3 w2^2")


def _himmelblau():
    def value(w):
        return (w[0] ** 2 + w[1] - 11) ** 2 + (w[0] + w[1] ** 2 - 7) ** 2

    def grad(w):
        a, b = w[0] ** 2 + w[1] - 11, w[0] + w[1] ** 2 - 7
        return np.array([4 * a * w[0] + 2 * b, 2 * a + 4 * b * w[1]])

    return Reference(value, grad, w_shape=(2,), name="Himmelblau's function")


# The exercises whose function needs no data, by label; built afresh at every call.
_NAMED = MappingProxyType({
    "ex-ch1-gradient": _quadratic_1_3,
    "ex-ch1-fix-gradient": lambda: Reference(Rosenbrock(), name="Rosenbrock's function"),
    "ex-ch2-new-objective": _himmelblau,
})


def _as_reference(reference):
    """The ``reference`` argument as a :class:`Reference` (None stays None)."""
    if reference is None or isinstance(reference, Reference):
        return reference
    if isinstance(reference, str):
        if reference not in _NAMED:
            fail(_OWNER, "reference", f"one of {sorted(_NAMED)}, a function, an objective or a Reference "
                 "(for the ridge and L2 exercises: gd.checks.ridge_reference(cost, lam))", reference)
        return _NAMED[reference]()
    if callable(reference) or callable(getattr(reference, "value", None)):
        return Reference(reference)
    fail(_OWNER, "reference", "an exercise label, a function, an objective or a Reference", reference,
         TypeError)


# =========================================================================================================
# The check
# =========================================================================================================


def check_gradient_function(grad, objective=None, *, reference=None, w_shape=None, points=None, n_points=3,
                            seed=0, h=1e-6, rtol=1e-5, n_samples=None):
    r"""Check a hand-written gradient, against central differences or against the exercise's function.

    At a few random points :math:`w` (or at the ``points`` you give), every entry :math:`a_i` of
    ``grad(w)`` is compared with the expected :math:`n_i`: the central difference of ``objective``
    (:func:`~gdlesson.gradcheck.numerical_gradient`) or, with a ``reference``, the reference's gradient.
    An entry is wrong when

    .. math::
        |a_i - n_i| > \mathrm{rtol}\,\max(|a_i|, |n_i|) + 10^{-7} \max(1, |f(w)|),

    where the second term allows for the rounding error of the differences. When entries are wrong, the
    message gives the first point where they are, expected against got, and recognises these patterns:
    zeros, the opposite sign everywhere (a sign error), the same factor everywhere (a missing or extra 2,
    or a sum over samples where the course averages: a missing :math:`1/m`, named with the value of
    :math:`m` when it is known), and a few wrong entries among right ones (it names them). With a
    reference made of parts (:func:`ridge_reference`) it also names the part that is off: a missing
    :math:`1/m` or a sign error in the data term only, a sign error or a factor 2 in the penalty, a
    penalty on the bias row.

    With a ``reference``, ``objective`` (your function) is first compared with it at the same points: a
    function that is not the one the exercise asks for fails with its own message, even when the gradient
    matches it, and the message says whether your gradient is right for the exercise's function or only
    for yours.

    **For graders.** Everything the check needs comes from its arguments: it keeps no state between
    calls, builds its references afresh, and never lets your code change them (it passes copies of
    ``w``). A grader can call it in a fresh process, e.g. ``check_gradient_function(ns["ridge_grad"],
    ns["ridge_value"], reference=ridge_reference(cost, lam=0.5), seed=1, n_points=5)``, and use the
    returned bool; the verdict line goes to ``sys.stdout``.

    Parameters
    ----------
    grad : callable
        Your gradient: ``grad(w)`` returns an array of the same shape as ``w``.
    objective : callable or objective, optional
        Your function: a function ``f(w)`` returning one number, or any object with a ``value(w)``
        method, such as :class:`gdlesson.Rosenbrock` or your own objective class (then its ``w_shape``
        and ``n_samples`` attributes are used, and a missing ``w_shape`` fails the check). May be omitted
        when ``reference`` is given; then only the gradient is checked.
    reference : str, callable, objective or Reference, optional
        The function the exercise fixes: the label of an exercise whose function needs no data
        (``"ex-ch1-gradient"``, ``"ex-ch1-fix-gradient"``, ``"ex-ch2-new-objective"``), a
        :class:`Reference` (such as :func:`ridge_reference`), or a function or objective (wrapped as
        ``Reference(reference)``). Default: no reference; ``grad`` is checked against ``objective``.
    w_shape : int or tuple of int, optional
        The shape of ``w``. Default: the reference's, else ``objective.w_shape``. Needed when
        ``objective`` is a plain function and neither ``points`` nor a reference with a shape is given.
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
    n_samples : int, optional
        :math:`m`, to name a missing :math:`1/m`. Default: the reference's, else
        ``objective.n_samples``.

    Returns
    -------
    bool
        True when every entry agrees at every point (and, with a reference, your function is the
        exercise's). The verdict is also printed, as one line.

    Examples
    --------
    >>> def grad_f(w):
    ...     return np.array([2 * w[0], 6 * w[1]])
    >>> check_gradient_function(grad_f, lambda w: w[0] ** 2 + 3 * w[1] ** 2, w_shape=(2,))
    Check passed: grad_f agrees with central differences at 3 points.
    True
    >>> check_gradient_function(grad_f, reference="ex-ch1-gradient")
    Check passed: grad_f agrees with central differences at 3 points.
    True
    """
    if not callable(grad):
        fail(_OWNER, "grad", "your gradient function, grad(w) -> array", grad, TypeError)
    ref = _as_reference(reference)
    f = None
    if objective is not None:
        f = objective.value if hasattr(objective, "value") else objective
        if not callable(f):
            fail(_OWNER, "objective", "a function f(w) or an object with a value(w) method", objective,
                 TypeError)
    elif ref is None:
        fail(_OWNER, "objective", "given (your function f, or your objective) when there is no reference",
             None, TypeError)
    h = check_positive(_OWNER, "h", h)
    rtol = check_positive(_OWNER, "rtol", rtol)
    if n_samples is not None:
        n_samples = check_int(_OWNER, "n_samples", n_samples, low=1)
    name = name_of(grad, "your gradient")
    fname = name_of(objective, "your function")

    problem = _attribute_problem(objective, ref, w_shape, points)
    if problem:
        return failed(problem)
    points = _gradient_points(objective, ref, w_shape, points, n_points, seed)
    m = n_samples or (ref.n_samples if ref is not None else None) or _int_or_none(objective, "n_samples")
    try:
        got = np.array([_evaluate_grad(grad, w, name) for w in points])
        if ref is not None:
            if f is not None:
                mine = np.array([_evaluate_f(f, w, fname) for w in points])
                theirs = np.array([ref.value(w.copy()) for w in points])
                k = _first_disagreement(mine, theirs)
                if k is not None:
                    return failed(_wrong_function(f, fname, grad, name, ref, points, k, mine, theirs, h, seed,
                                                  m))
            expected = np.array([ref.grad(w.copy()) for w in points])
            values = [ref.value(w.copy()) for w in points]
        else:
            expected = np.array([_numerical(f, w, h, fname) for w in points])
            values = [_evaluate_f(f, w, fname) for w in points]
    except StudentError as err:
        return failed(err.reason)
    atol = np.array([1e-7 * max(1.0, abs(v)) for v in values]).reshape((-1,) + (1,) * (points.ndim - 1))

    bad = _wrong(got, expected, rtol, atol)
    if not bad.any():
        where = "1 point" if len(points) == 1 else f"{len(points)} points"
        return passed(f"{name} agrees with central differences at {where}.")
    return failed(_diagnose(name, got, expected, bad, atol, points, ref, m, rtol))


def _wrong(a, b, rtol, atol):
    return np.abs(a - b) > rtol * np.maximum(np.abs(a), np.abs(b)) + atol


def _shape(owner, name, shape):
    """A shape as a tuple of positive ints (an int n means (n,))."""
    if isinstance(shape, numbers.Integral):
        shape = (shape,)
    try:
        return tuple(check_int(owner, name, d, low=1) for d in shape)
    except TypeError:
        fail(owner, name, "a tuple of positive integers, e.g. (2,)", shape, TypeError)


_MISSING = object()


def _int_or_none(obj, attr):
    value = getattr(obj, attr, None) if obj is not None else None
    return int(value) if isinstance(value, numbers.Integral) and value > 0 else None


def _attribute_problem(objective, ref, w_shape, points):
    """What is wrong with the attributes of the student's objective class (a message), or None.

    Only an object with a ``value`` method is looked at (a plain function has no attributes to give).
    """
    if objective is None or not hasattr(objective, "value"):
        return None
    cls = type(objective).__name__
    shape = getattr(objective, "w_shape", _MISSING)
    if shape is _MISSING or shape is None:
        if w_shape is None and points is None:
            return (f"{cls} has no attribute `w_shape`, so the check cannot tell the shape of w (and "
                    f"gd.minimize needs it too). Set it in __init__, e.g. self.w_shape = cost.w_shape.")
    else:
        try:
            shape = _shape(_OWNER, "w_shape", shape)
        except (TypeError, ValueError):
            return f"{cls}.w_shape is {shape!r}; it should be the shape of w, a tuple such as (2,)."
        if ref is not None and ref.w_shape is not None and shape != ref.w_shape:
            return f"{cls}.w_shape is {shape}, but the exercise's w has shape {ref.w_shape}."
    if ref is not None and ref.n_samples is not None:
        ns = getattr(objective, "n_samples", _MISSING)
        if ns is _MISSING or ns is None:
            return (f"{cls} has no attribute `n_samples` (gd.minimize needs it for mini-batches). Set it in "
                    "__init__, e.g. self.n_samples = cost.n_samples.")
        if ns != ref.n_samples:
            return f"{cls}.n_samples is {ns!r}, but the data have {ref.n_samples} samples."
    return None


def _gradient_points(objective, ref, w_shape, points, n_points, seed):
    """The points to check at, as a float64 array of shape (k,) + w_shape."""
    ref_shape = ref.w_shape if ref is not None else None
    if points is not None:
        pts = np.asarray(points, dtype=np.float64)
        if pts.ndim == 0 or pts.shape[0] == 0 or not np.all(np.isfinite(pts)):
            fail(_OWNER, "points", "a non-empty, finite array of points stacked along axis 0",
                 f"array of shape {pts.shape}")
        if ref_shape is not None and pts.shape[1:] != ref_shape:
            fail(_OWNER, "points", f"points of the reference's shape {ref_shape}, stacked along axis 0",
                 f"array of shape {pts.shape}")
        return pts
    if w_shape is None:
        w_shape = ref_shape
    if w_shape is None:
        w_shape = getattr(objective, "w_shape", None)
    if w_shape is None:
        fail(_OWNER, "w_shape", "given (e.g. w_shape=(2,)) when the objective does not say its shape "
             "and no points are given", None)
    w_shape = _shape(_OWNER, "w_shape", w_shape)
    n_points = check_int(_OWNER, "n_points", n_points, low=1)
    seed = check_int(_OWNER, "seed", seed, low=0)
    return np.random.default_rng(seed).normal(size=(n_points,) + w_shape)


def _evaluate_grad(grad, w, name):
    """``grad(w)`` as a float64 array of w's shape; a problem raises :class:`StudentError`."""
    out = call(grad, w.copy(), what=name)
    if out is None:
        raise StudentError(f"{name} returned None: did you forget `return`?")
    try:
        g = np.asarray(out, dtype=np.float64)
    except (TypeError, ValueError):
        raise StudentError(f"{name} returned {type(out).__name__} {out!r:.60}, not an array of numbers.")
    if g.shape != w.shape:
        hint = " (use .ravel() or reshape)" if g.size == w.size else ""
        raise StudentError(f"{name} returned an array of shape {g.shape}, but w has shape {w.shape}; a "
                           f"gradient has one entry per entry of w{hint}.")
    if not np.all(np.isfinite(g)):
        raise StudentError(f"{name} returned NaN or inf at w = {fmt(w)}.")
    return g


def _evaluate_f(f, w, fname):
    """``f(w)`` as a float; a problem raises :class:`StudentError`."""
    out = call(f, w.copy(), what=fname)
    if out is None:
        raise StudentError(f"{fname} returned None: did you forget `return`?")
    try:
        v = np.asarray(out, dtype=np.float64)
    except (TypeError, ValueError):
        raise StudentError(f"{fname} returned {type(out).__name__} {out!r:.60}, not a number.")
    if v.size != 1:
        raise StudentError(f"{fname} returned an array of shape {v.shape}; a cost is one number (did you "
                           "forget a sum or a mean?).")
    v = float(v.reshape(-1)[0])
    if not np.isfinite(v):
        raise StudentError(f"{fname} returned {v} at w = {fmt(w)}.")
    return v


def _numerical(f, w, h, fname):
    """Central differences of the student's f at w; a problem in f raises :class:`StudentError`."""
    return numerical_gradient(lambda x: _evaluate_f(f, x, fname), w.copy(), h)


def _first_disagreement(mine, theirs):
    """The first index where two arrays of function values differ beyond rounding, or None."""
    close = np.isclose(mine, theirs, rtol=1e-8, atol=1e-10 * np.maximum(1.0, np.abs(theirs)))
    return None if close.all() else int(np.flatnonzero(~close)[0])


# --- Diagnosis -------------------------------------------------------------------------------------------


def _fit(target, columns, tol):
    """Coefficients c with target = sum_j c_j columns_j, or None when no combination reproduces target.

    Columns that are zero (a penalty with lam = 0) carry no information: their coefficient is NaN.
    """
    target = np.ravel(target)
    cols = [np.ravel(c) for c in columns]
    big = max([np.linalg.norm(target)] + [np.linalg.norm(c) for c in cols])
    use = [j for j, c in enumerate(cols) if np.linalg.norm(c) > 1e-12 * big]
    if not use or big == 0:
        return None
    A = np.stack([cols[j] for j in use], axis=1)
    if len(target) <= len(use):
        return None  # as many unknowns as equations: any target would fit
    c = np.linalg.lstsq(A, target, rcond=None)[0]
    if np.linalg.norm(A @ c - target) > tol * big:
        return None
    coef = np.full(len(cols), np.nan)
    coef[use] = c
    return coef


def _named_number(c, m):
    """c as one of the numbers mistakes produce (1, -1, 0, 2, 1/2, m, 1/m, ...), or None."""
    candidates = [1.0, -1.0, 0.0, 2.0, 0.5, -2.0, -0.5]
    if m:
        candidates += [m, 1.0 / m, -m, 2.0 * m]
    for cand in candidates:
        if abs(c - cand) <= 1e-6 * max(1.0, abs(cand)):
            return cand
    return None


def _term_phrases(coef, terms, m, *, in_gradient):
    """What is off in each part, from the fitted coefficients (expected: 1 for terms, 0 for decoys)."""
    phrases = []
    for c, term in zip(coef, terms):
        if np.isnan(c):
            continue
        want = 0.0 if term.kind == "bias" else 1.0
        got = _named_number(c, m)
        if got == want:
            continue
        phrases.append(_term_phrase(term, c if got is None else got, m, in_gradient))
    return phrases


def _term_phrase(term, c, m, in_gradient):
    """One part's mistake, in words."""
    if term.kind == "bias":
        if in_gradient:
            return ("the penalty also acts on the bias row w[0]: its gradient has a lam * w[0] term in the "
                    "bias row's entries, but the exercise penalises only w[1:] and leaves the bias alone")
        return ("it penalises the bias row w[0] too, but the exercise penalises only w[1:] and leaves the "
                "bias alone")
    what = term.label
    if c == 0.0:
        return f"{what} is missing" + (" (its gradient lam * w[1:] was left out)" if term.kind == "penalty"
                                       else "")
    if c == -1.0:
        other = "the penalty" if term.kind == "data" else "the data term"
        return (f"only {what} has the wrong sign (a sign error in one term: a dropped minus, or (y - Xw) "
                f"where the derivative gives (Xw - y)); {other} is right")
    if term.kind == "penalty" and c == 2.0:
        return ("a factor 2 in the penalty: the derivative of (lam/2) * w**2 is lam * w, the 1/2 cancels "
                "the 2 of the square" if in_gradient else
                "the penalty is twice the exercise's: lam * w**2 where the exercise has (lam/2) * w**2")
    if term.kind == "penalty" and c == 0.5:
        return ("the penalty's gradient is half of lam * w: the derivative of (lam/2) * w**2 is lam * w"
                if in_gradient else "the penalty is half the exercise's: write (lam/2) * w**2")
    if term.kind == "data" and m and c == m:
        return (f"{what} is m = {m} times too large (missing 1/m, m = {m}, the number of samples): you "
                "summed over the samples but did not divide by m, while the cost is a mean")
    if term.kind == "data" and m and c == 1.0 / m:
        return f"{what} is divided by m = {m} twice"
    if term.kind == "data" and c == 2.0:
        return f"{what} has an extra factor 2: with a 1/2 in front of the square, the 2 of the derivative cancels it"
    if term.kind == "data" and c == 0.5:
        return f"{what} misses a factor 2: the derivative of a square u^2 is 2u times the derivative of u"
    return f"{what} is {c:.4g} times what it should be"


def _wrong_function(f, fname, grad, name, ref, points, k, mine, theirs, h, seed, m):
    """The message for a function that is not the exercise's: where, by how much, which part, and the gradient."""
    msg = (f"{fname} is not the function the exercise asks for: at w = {fmt(points[k])} it gives "
           f"{mine[k]:.6g}, where {ref.name} is {theirs[k]:.6g}.")
    # more points than parts, so that a fit of the parts means something
    extra = np.random.default_rng(seed + 1).normal(size=(8,) + points.shape[1:])
    pts = np.concatenate([points, extra])
    try:
        values = np.array([_evaluate_f(f, w, fname) for w in pts])
    except StudentError:
        values = None
    terms = ref._terms + ref._decoys
    if values is not None and len(terms) > 1:
        cols = [np.array([t.value(w.copy()) for w in pts]) for t in terms]
        coef = _fit(values, cols, 1e-9)
        phrases = _term_phrases(coef, terms, m, in_gradient=False) if coef is not None else []
        if phrases:
            msg += " In words: " + "; ".join(phrases) + "."
    # Is the gradient right for the exercise, or for the student's own function? The second question is
    # asked along three random directions d per point, (f(w + hd) - f(w - hd)) / 2h against grad(w) . d,
    # which costs six evaluations of f instead of two per entry of w.
    try:
        got = np.array([_evaluate_grad(grad, w, name) for w in points])
        dirs = np.random.default_rng(seed + 2).normal(size=(len(points), 3) + points.shape[1:])
        dirs /= np.sqrt(np.sum(dirs**2, axis=tuple(range(2, dirs.ndim)), keepdims=True))
        slopes = np.array([[(_evaluate_f(f, w + h * d, fname) - _evaluate_f(f, w - h * d, fname)) / (2 * h)
                            for d in ds] for w, ds in zip(points, dirs)])
    except StudentError:
        return msg
    expected = np.array([ref.grad(w.copy()) for w in points])
    atol = 1e-7 * max(1.0, float(np.max(np.abs(theirs))), float(np.max(np.abs(mine))))
    claimed = np.sum(got[:, None] * dirs, axis=tuple(range(2, dirs.ndim)))
    if not _wrong(got, expected, 1e-5, atol).any():
        return msg + f" {_cap(name)} is right for the exercise's function: fix only {fname}."
    if not _wrong(claimed, slopes, 1e-5, atol).any():
        return (msg + f" {_cap(name)} is the gradient of {fname}, not of the exercise's function: fix the "
                "function, then the gradient the same way.")
    return msg + f" {_cap(name)} is the gradient of neither; re-derive it from the exercise's formula."


def _cap(text):
    """A name that starts a sentence: ``your gradient`` -> ``Your gradient``; a student's ``grad_ex`` stays."""
    return "Y" + text[1:] if text.startswith("your ") else text


def _diagnose(name, got, expected, bad, atol, points, ref, m, rtol):
    """The message for a gradient that disagrees with the expected one."""
    k = int(np.flatnonzero(bad.reshape(len(points), -1).any(axis=1))[0])  # first point that fails
    where = f"at w = {fmt(points[k])}"
    if np.allclose(got, 0.0) and not np.allclose(expected, 0.0):
        return f"{name} returns zeros {where}, where the gradient is {fmt(expected[k])}."
    if not _wrong(got, -expected, rtol, atol).any():
        return (f"{name} has the wrong sign: {where} expected {fmt(expected[k])}, got {fmt(got[k])}. It "
                "points uphill, so descent with it climbs; look for a dropped minus sign or (y - Xw) where "
                "the derivative gives (Xw - y).")
    factor = _common_factor(got, expected, atol)
    if factor is not None:
        return (f"{name} is off by a constant factor {where}: expected {fmt(expected[k])}, got "
                f"{fmt(got[k])}, {factor:.4g} times the right values. " + _factor_hint(factor, m))
    if ref is not None and len(ref._terms) + len(ref._decoys) > 1:
        terms = ref._terms + ref._decoys
        cols = [np.array([t.grad(w.copy()) for w in points]) for t in terms]
        coef = _fit(got, cols, 1e-7)
        phrases = _term_phrases(coef, terms, m, in_gradient=True) if coef is not None else []
        if phrases:
            return (f"{name} is wrong {where}: expected {fmt(expected[k])}, got {fmt(got[k])}. "
                    + "; ".join(p[:1].upper() + p[1:] for p in phrases) + ".")
    entries = [np.unravel_index(i, points.shape[1:]) for i in np.flatnonzero(bad[k])]
    shown = "; ".join(f"entry {tuple(int(j) for j in e) if len(e) > 1 else int(e[0])}: expected "
                      f"{expected[k][e]:.6g}, got {got[k][e]:.6g}" for e in entries[:3])
    more = f" (and {len(entries) - 3} more)" if len(entries) > 3 else ""
    right = bad[k].size - len(entries)
    bias_row = points.ndim > 2 and all(int(e[0]) == 0 for e in entries) and \
        len(entries) == int(np.prod(points.shape[2:]))
    hint = (" All the wrong entries are the bias row w[0]: check what your gradient does to it."
            if bias_row else "")
    return (f"{name} is wrong {where}: {shown}{more}. {right} of its {bad[k].size} entries are right; "
            f"re-derive the wrong ones (the chain rule: did you keep the inner derivative?).{hint}")


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
        return (f"That is m = {m}, the number of samples (missing 1/m, m = {m}): you summed over the "
                "samples but did not divide by m, while the cost is a mean.")
    if m and np.isclose(c, 1 / m):
        return f"That is 1/m with m = {m}: you divided by the number of samples twice."
    return "Look for a constant you dropped or added while differentiating."
