r"""The descent loop: :func:`minimize` runs an optimizer on an objective and records what happened.

.. code-block:: python

    result = gd.minimize(gd.Quadratic(np.diag([1.0, 10.0])), w0=[1.0, 1.0],
                         optimizer=gd.GradientDescent(lr=0.1), max_iter=200, gtol=1e-6)
    result.w, result.path, result.losses, result.n_iter, result.converged, result.diverged

The loop is the one every chapter writes by hand first (the ``gradient_descent`` of Stack Abuse's
"Gradient Descent in Python: Implementation and Theory"), with three differences: the history grows in O(1)
per step (that tutorial calls ``np.vstack`` every step, which copies the whole history and makes a run of T
steps cost O(T²)); the loss is recorded without an extra pass over the data; and divergence is detected
and reported instead of filling the history with ``nan``.
"""

from __future__ import annotations

import math
import numbers
import warnings
from dataclasses import dataclass

import numpy as np

from ._validation import check_array, check_int, check_positive, fail
from .objectives import LeastSquares, LogisticRegression, Quadratic, Rosenbrock, SoftmaxRegression
from .optimizers import AdaGrad, Adam, GradientDescent, Momentum, RMSProp

__all__ = ["minimize", "Result", "ConvergenceWarning", "BLOWUP_FACTOR"]

#: A run is declared diverged when the loss rises above ``f(w0) + BLOWUP_FACTOR * max(|f(w0)|, 1)``
#: (or stops being finite). A descent method that climbs that high is not coming back.
BLOWUP_FACTOR = 1e10


class ConvergenceWarning(UserWarning):
    """The run used all its steps (or epochs) without meeting ``tol`` or ``gtol``: the result may not be
    converged."""


@dataclass(repr=False)
class Result:
    """What :func:`minimize` returns.

    Attributes
    ----------
    w : ndarray
        The last recorded iterate (the last *finite* one if the run diverged).
    path : ndarray
        The recorded iterates, one per row, starting with ``w0``: shape ``(n_iter + 1,) + w.shape``. One
        row per step in full batch, one row per epoch with mini-batches. Never contains NaN or inf.
    losses : ndarray
        The full objective ``f`` at each row of ``path``, starting with ``f(w0)``: shape ``(n_iter + 1,)``.
    n_iter : int
        Number of steps (full batch) or epochs (mini-batch) recorded after the start.
    converged : bool
        True when the stopping test (``tol``, ``gtol`` or both) stopped the run; always False when both are
        None.
    diverged : bool
        True when the run stopped because the loss or the iterate stopped being finite or blew up.
    """

    w: np.ndarray
    path: np.ndarray
    losses: np.ndarray
    n_iter: int
    converged: bool
    diverged: bool

    def __repr__(self):
        if self.w.size <= 6:
            w = " ".join(np.array2string(self.w, precision=4, separator=", ").split())
        else:
            w = f"<array of shape {self.w.shape}>"
        return (f"Result(w={w}, loss={self.losses[-1]:.6g} (from {self.losses[0]:.6g}), "
                f"n_iter={self.n_iter}, converged={self.converged}, diverged={self.diverged})")


def minimize(objective, w0, optimizer, *, max_iter=1000, tol=None, gtol=None, batch_size=None, epochs=None,
             seed=None, callback=None):
    r"""Minimise ``objective`` from ``w0`` with ``optimizer``; return a :class:`Result`.

    Full batch (``batch_size=None``): up to ``max_iter`` steps of

    .. math::
        g_k = \nabla f(w_{k-1}), \qquad w_k = \mathrm{step}(w_{k-1}, g_k),

    recording ``w_k`` and ``f(w_k)`` after every step. Each step costs one call of
    ``objective.value_and_grad``: the gradient computed at ``w_k`` together with the recorded loss is the
    one the next step uses.

    Mini-batch (``batch_size=k``; ``k=1`` is stochastic gradient descent): ``epochs`` passes over the data.
    Each pass visits every sample exactly once, in a fresh random order (a permutation drawn from
    ``np.random.default_rng(seed)``), in batches of ``k`` rows; the gradient of a batch is the mean over
    its rows, so the last batch of a pass, when ``k`` does not divide ``n_samples``, is averaged over its
    true size. ``w`` and the full objective are recorded once per epoch.

    Parameters
    ----------
    objective : object
        Anything with ``value(w)`` and ``grad(w)`` (and preferably ``value_and_grad(w)``), such as the
        objectives of :mod:`gdlesson.objectives`. Mini-batches also need ``n_samples`` and the ``rows=``
        argument. If it has ``w_shape``, ``w0`` must have that shape.
    w0 : array_like
        Starting point, finite.
    optimizer : object
        Anything with ``step(w, g)`` returning the new ``w`` as a new array (the history keeps the
        arrays it returns), such as :class:`gdlesson.optimizers.GradientDescent`.
        Its ``reset()`` is called at the start, so every run starts from fresh state and ``t = 0``
        (re-using one optimizer for several runs is safe).
    max_iter : int, default 1000
        Maximum number of steps, >= 1 (full batch only; with ``batch_size``, ``epochs`` sets the length).
    tol : float, optional
        Stop as soon as :math:`|f_k - f_{k-1}| <` ``tol`` (the Stack Abuse tutorial's rule), checked after
        every step in full batch and after every epoch with mini-batches. Must be > 0; None (default) runs
        all steps. A small change in ``f`` can also mean a slow step or a jump across the valley; ``gtol``
        is not fooled by either.
    gtol : float, optional
        Stop as soon as the gradient is short, :math:`\lVert \nabla f(w_k) \rVert <` ``gtol``, checked at
        the same times as ``tol`` (not at ``w0``: a run takes at least one step). The norm is the Euclidean
        norm of all the gradient's entries (``np.linalg.norm``; the Frobenius norm for a matrix ``w``). Must
        be a finite number > 0; None (default) skips the test. *Which gradient:* in full batch, the one the
        loop already has (computed with the recorded loss, for the next step), so the test costs only the
        norm. With mini-batches, the *full* gradient at the end of each epoch, computed with the recorded
        loss by ``value_and_grad`` instead of ``value``. That costs one extra gradient pass over the data per
        epoch (for :class:`~gdlesson.objectives.LeastSquares`, one more :math:`X^\top r`), but the
        mini-batch gradients would not do: they are noisy, and their noise does not vanish at the minimum.

        With both ``tol`` and ``gtol``, the run stops only when both tests pass at the same step:

        .. math::
            |f_k - f_{k-1}| < \mathrm{tol} \quad\text{and}\quad \lVert \nabla f(w_k) \rVert < \mathrm{gtol}.
    batch_size : int, optional
        Rows per step, in [1, ``objective.n_samples``]; None (default) is full batch.
    epochs : int, optional
        Number of passes over the data, >= 1. Required with ``batch_size`` and only allowed with it.
    seed : int or numpy.random.Generator, optional
        Seeds the shuffles of the mini-batch mode; the same seed gives the same run. None draws fresh
        entropy (a different run every time). Full batch uses no randomness.
    callback : callable, optional
        Called as ``callback(k, w, loss)`` for every recorded row, starting with ``k = 0`` for ``w0``: ``k``
        is the step (full batch) or the epoch (mini-batch). Do not modify ``w``.

    Returns
    -------
    Result
        ``w``, ``path``, ``losses``, ``n_iter``, ``converged``, ``diverged``.

    Warns
    -----
    RuntimeWarning
        When the run diverges: the loss or the iterate becomes NaN/inf, or the loss rises above
        ``f(w0) + BLOWUP_FACTOR * max(|f(w0)|, 1)``. The run stops, ``diverged`` is True, and ``path`` and
        ``losses`` keep only the finite rows. The message names the step and suggests a fix (for a
        quadratic, the bound :math:`2/L` on ``lr``).
    ConvergenceWarning
        When ``tol`` or ``gtol`` was given but not met within ``max_iter`` steps (or ``epochs`` epochs).
        The message gives the last change in ``f`` and the last gradient norm, for the tests asked for.

    Notes
    -----
    NumPy's floating-point warnings (overflow, invalid value) are silenced inside the loop: a diverging
    run reports itself once, through the RuntimeWarning above, instead of through a stream of overflow
    messages.
    """
    w, gtol, batch_size, epochs, rng = _check_arguments(
        objective, w0, optimizer, max_iter, tol, gtol, batch_size, epochs, seed, callback)
    value_and_grad, value, batch_grad = _computations(objective, optimizer)
    converged = _stopping_test(tol, gtol)
    if hasattr(optimizer, "reset"):
        optimizer.reset()
    with np.errstate(over="ignore", invalid="ignore", divide="ignore", under="ignore"):
        f0, g = value_and_grad(w)
        f0 = float(f0)
        if not math.isfinite(f0):
            fail("minimize", "w0", "a point where the objective is finite", f"f(w0) = {f0}")
        limit = f0 + BLOWUP_FACTOR * max(abs(f0), 1.0)
        if batch_size is None:
            run = _full_batch(value_and_grad, optimizer, w, f0, g, limit, max_iter, converged, callback)
        else:
            # the end of an epoch needs the full gradient only for the gtol test
            end_of_epoch = value_and_grad if gtol is not None else lambda w: (value(w), None)
            run = _mini_batch(end_of_epoch, batch_grad, objective.n_samples, optimizer, w, f0, limit,
                              batch_size, epochs, rng, converged, callback)
    path, losses, stopped, trouble, g = run
    n_iter = len(losses) - 1
    if trouble is not None:
        rows = "1 finite row" if n_iter == 0 else f"{n_iter + 1} finite rows"
        warnings.warn(f"minimize: {trouble}; {_hint(objective, optimizer)}. The result keeps the "
                      f"{rows} before it (diverged=True).", RuntimeWarning, stacklevel=2)
    elif converged is not None and not stopped:
        length = f"max_iter={max_iter} steps" if batch_size is None else f"epochs={epochs} epochs"
        unmet = {}  # each test asked for: its setting, and where the run ended
        if tol is not None:
            unmet["tol"] = (tol, f"last change |f_k - f_(k-1)| = {abs(losses[-1] - losses[-2]):.3g}")
        if gtol is not None:
            unmet["gtol"] = (gtol, f"last gradient norm ||grad f(w_k)|| = {np.linalg.norm(g):.3g}")
        settings = " and ".join(f"{name}={value!r}" for name, (value, _) in unmet.items())
        ends = ", ".join(end for _, end in unmet.values())
        warnings.warn(f"minimize: ran {length} without meeting {settings} ({ends}); increase max_iter (or "
                      f"epochs) or loosen {' or '.join(unmet)}.", ConvergenceWarning, stacklevel=2)
    return Result(w=path[-1], path=np.array(path), losses=np.array(losses), n_iter=n_iter,
                  converged=stopped, diverged=trouble is not None)


def _full_batch(value_and_grad, optimizer, w, f, g, limit, max_iter, converged, callback):
    """One recorded row per step; returns ``(path, losses, stopped, trouble, g)``, ``g`` at the last row."""
    path, losses = [w], [f]
    if callback is not None:
        callback(0, w, f)
    step = optimizer.step
    for k in range(1, max_iter + 1):
        w = step(w, g)
        if not _all_finite(w):
            return path, losses, False, f"the iterate became non-finite at step {k}", None
        f_prev = f
        f, g = value_and_grad(w)  # the loss at w_k and the gradient the next step needs
        f = float(f)
        if not -math.inf < f <= limit:  # also catches nan
            return path, losses, False, _what_happened(f, losses[0], f"step {k}"), None
        path.append(w)
        losses.append(f)
        if callback is not None:
            callback(k, w, f)
        if converged is not None and converged(f, f_prev, g):
            return path, losses, True, None, g
    return path, losses, False, None, g


def _mini_batch(end_of_epoch, batch_grad, n, optimizer, w, f, limit, batch_size, epochs, rng, converged,
                callback):
    """One recorded row per epoch; returns ``(path, losses, stopped, trouble, g)``, ``g`` at the last row
    (None unless ``end_of_epoch`` computes it)."""
    path, losses, g = [w], [f], None
    if callback is not None:
        callback(0, w, f)
    n_steps = 0
    for epoch in range(1, epochs + 1):
        order = rng.permutation(n)
        for start in range(0, n, batch_size):
            rows = order[start:start + batch_size]  # the last batch may be shorter
            w = optimizer.step(w, batch_grad(w, rows))
            n_steps += 1
            if not _all_finite(w):
                return path, losses, False, (f"the iterate became non-finite at step {n_steps} "
                                             f"(epoch {epoch})"), None
        f_prev = f
        f, g = end_of_epoch(w)  # the full objective (and, for gtol, its full gradient) at the epoch's w
        f = float(f)
        if not -math.inf < f <= limit:
            return path, losses, False, _what_happened(f, losses[0], f"epoch {epoch}"), None
        path.append(w)
        losses.append(f)
        if callback is not None:
            callback(epoch, w, f)
        if converged is not None and converged(f, f_prev, g):
            return path, losses, True, None, g
    return path, losses, False, None, g


def _stopping_test(tol, gtol):
    """The test that ends a run early, ``converged(f, f_prev, g)``: every test asked for passes at once.

    None when neither ``tol`` nor ``gtol`` is given (the run takes all its steps).
    """
    if tol is None and gtol is None:
        return None

    def converged(f, f_prev, g):
        return (tol is None or abs(f - f_prev) < tol) and (gtol is None or np.linalg.norm(g) < gtol)

    return converged


def _all_finite(w):
    """``np.isfinite(w).all()``, twice as fast on the tiny arrays of the 2-D examples."""
    finite = np.isfinite(w)
    return np.count_nonzero(finite) == finite.size


def _what_happened(f, f0, where):
    if math.isnan(f) or math.isinf(f):
        return f"the loss became {f} at {where}"
    return f"the loss blew up from {f0:.4g} to {f:.4g} at {where}"


def _hint(objective, optimizer):
    """Suggest a fix; for a quadratic, compare lr with the stability bound of the optimizer."""
    lr = getattr(optimizer, "lr", None)
    if callable(lr):
        return f"try a schedule with smaller values (lr={lr!r})"
    if not isinstance(lr, numbers.Real):
        return "try a smaller learning rate"
    L = getattr(objective, "L", None)
    bound = None
    if isinstance(L, numbers.Real) and L > 0:
        if type(optimizer) is GradientDescent:
            bound, name = 2 / L, "2/L"
        elif type(optimizer) is Momentum and not optimizer.nesterov:
            bound, name = 2 * (1 + optimizer.beta) / L, "2(1+beta)/L"
    if bound is not None and lr >= bound:
        shown = np.format_float_positional(bound, precision=4, unique=True, trim="0")
        return f"lr={lr:.6g} is probably above {name} = {shown} — try a smaller lr"
    return f"lr={lr:.6g} is probably too large — try a smaller lr"


def _check_arguments(objective, w0, optimizer, max_iter, tol, gtol, batch_size, epochs, seed, callback):
    """Validate everything up front, so that a mistake is reported before any work is done."""
    if not (callable(getattr(objective, "value", None)) and callable(getattr(objective, "grad", None))):
        fail("minimize", "objective", "an object with value(w) and grad(w) methods (e.g. gd.Quadratic)",
             objective, TypeError)
    if not callable(getattr(optimizer, "step", None)):
        fail("minimize", "optimizer", "an object with a step(w, g) method (e.g. gd.GradientDescent(lr=0.1))",
             optimizer, TypeError)
    w = check_array("minimize", "w0", w0)
    w_shape = getattr(objective, "w_shape", None)
    if w_shape is not None and w.shape != tuple(w_shape):
        fail("minimize", "w0", f"an array of shape {tuple(w_shape)} for {objective!r}",
             f"array of shape {w.shape}")
    max_iter = check_int("minimize", "max_iter", max_iter, low=1)
    if tol is not None:
        check_positive("minimize", "tol", tol)  # the loop and the messages use tol as given
    if gtol is not None:
        is_number = isinstance(gtol, numbers.Real) and not isinstance(gtol, bool)
        if not (is_number and 0 < gtol < math.inf):
            fail("minimize", "gtol", "None or a finite number > 0 (stop when the gradient norm falls below "
                 "it)", gtol, ValueError if is_number else TypeError)
        gtol = float(gtol)
    if callback is not None and not callable(callback):
        fail("minimize", "callback", "None or a function callback(k, w, loss)", callback, TypeError)
    if not (seed is None or isinstance(seed, np.random.Generator)
            or (isinstance(seed, numbers.Integral) and not isinstance(seed, bool) and seed >= 0)):
        fail("minimize", "seed", "None, an integer >= 0 or a numpy.random.Generator", seed, TypeError)
    rng = None
    if batch_size is None:
        if epochs is not None:
            fail("minimize", "epochs", "None in full batch (batch_size=None), where max_iter sets the "
                 "number of steps; pass batch_size to run epochs", epochs)
    else:
        n = getattr(objective, "n_samples", None)
        if n is None:
            fail("minimize", "batch_size", f"None for {objective!r}, which has no data samples "
                 "(n_samples is None)", batch_size)
        batch_size = check_int("minimize", "batch_size", batch_size, low=1, high=n)
        if epochs is None:
            fail("minimize", "epochs", "an integer >= 1 when batch_size is set (the number of passes "
                 "over the data)", epochs)
        epochs = check_int("minimize", "epochs", epochs, low=1)
        rng = np.random.default_rng(seed)
    return w, gtol, batch_size, epochs, rng


#: The objectives and optimizers of gdlesson itself, for which :func:`_computations` may skip the checks.
_OWN_OBJECTIVES = (Quadratic, Rosenbrock, LeastSquares, LogisticRegression, SoftmaxRegression)
_OWN_OPTIMIZERS = (GradientDescent, Momentum, AdaGrad, RMSProp, Adam)


def _computations(objective, optimizer):
    """Choose, once per run, the three functions the loop calls: ``value_and_grad(w)``, ``value(w)`` and
    ``batch_grad(w, rows)``.

    The public methods of gdlesson's objectives check ``w`` (and ``rows``) on every call, which costs
    more than the arithmetic on a small problem. Inside the loop, with gdlesson's own objective and
    optimizer, those checks cannot fail: ``w0`` was checked once, the optimizers return float64 arrays of
    the shape they were given, the loop checks every iterate for NaN and inf before using it, and the rows
    of a batch come from a permutation. So the loop calls the computations behind the checks
    (``_value_and_grad``, ``_value``, ``_grad``), which return the same numbers. Any other objective or
    optimizer (a subclass too) goes through the public methods, as a student's code would.
    """
    if type(objective) in _OWN_OBJECTIVES and type(optimizer) in _OWN_OPTIMIZERS:
        return (lambda w: objective._value_and_grad(w, None), lambda w: objective._value(w, None),
                objective._grad)
    if hasattr(objective, "value_and_grad"):
        value_and_grad = objective.value_and_grad
    else:
        def value_and_grad(w):
            return objective.value(w), objective.grad(w)
    return value_and_grad, objective.value, lambda w, rows: objective.grad(w, rows=rows)
