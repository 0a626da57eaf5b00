r"""Checking an optimizer written by hand against :mod:`gdlesson.optimizers` (see :mod:`gdlesson.checks`)."""

from __future__ import annotations

import contextlib
import copy
import io
from types import MappingProxyType

import numpy as np

from ._checks_report import StudentError, call, describe_error, failed, fmt, passed
from ._validation import check_array, check_int, fail
from .objectives import Quadratic
from .optimizers import AdaGrad, Adam, GradientDescent, Momentum, RMSProp


# The reference optimizers and the hyperparameters the check uses unless you pass others. The test
# problem is a small quadratic with curvatures 1, 4 and 10 (so 2/L = 0.2); its last coordinate starts
# near the minimum, where gradients are small and the place of eps (inside or outside the square root)
# changes the numbers.
# Read-only: a student's code cannot change what the check compares with.
_REFERENCES = MappingProxyType({
    "sgd": (GradientDescent, MappingProxyType({"lr": 0.05})),
    "momentum": (Momentum, MappingProxyType({"lr": 0.02, "beta": 0.9})),
    "nesterov": (Momentum, MappingProxyType({"lr": 0.02, "beta": 0.9, "nesterov": True})),
    "adagrad": (AdaGrad, MappingProxyType({"lr": 0.5, "eps": 1e-8})),
    "rmsprop": (RMSProp, MappingProxyType({"lr": 0.05, "beta": 0.9, "eps": 1e-8})),
    "adam": (Adam, MappingProxyType({"lr": 0.1, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8})),
})


def _problem(w0=None):
    """(gradient function, start), built afresh at every call.

    By default f(w) = w'Aw/2 - b'w with A = diag(1, 4, 10), b = (1, -2, 0), from (-1, 1, 0.002). With a
    start ``w0`` of any shape: f(w) = sum(c * w**2) / 2 - sum(b * w), the curvatures c spread evenly over
    [1, 10] and b over [1, -2], entry by entry.
    """
    if w0 is None:
        quadratic = Quadratic(np.diag([1.0, 4.0, 10.0]), b=np.array([1.0, -2.0, 0.0]))
        return quadratic.grad, np.array([-1.0, 1.0, 0.002])
    c = np.linspace(1.0, 10.0, w0.size).reshape(w0.shape)
    b = np.linspace(1.0, -2.0, w0.size).reshape(w0.shape)
    return (lambda w: c * w - b), w0.copy()


def check_optimizer(optimizer, reference, *, n_steps=25, w0=None, **hyperparams):
    r"""Check an optimizer you wrote against the one in :mod:`gdlesson.optimizers`.

    Both run ``n_steps`` steps on a small quadratic, each from the same start with the gradient at its
    own iterate: :math:`w_t = ` ``opt.step(w_{t-1}, grad(w_{t-1}))``. The check passes when every iterate
    agrees to a relative error of :math:`10^{-9}` and ``step`` never changes the ``w`` it is given.
    Otherwise the message names the first step where the iterates differ, expected against got, and, when
    your numbers match one of these mistakes, names it:

    * a sign error (stepping up the gradient), for every reference;
    * changing ``w`` in place (``w -= ...``) instead of returning a new array;
    * momentum as an average, :math:`v \leftarrow \beta v + (1-\beta) g` (the w3computing tutorial's form), where
      the course uses :math:`v \leftarrow \beta v + g`; heavy ball where Nesterov was asked, and the reverse;
    * RMSProp without the :math:`(1-\beta)` in its average;
    * ``eps`` inside the square root, :math:`g/\sqrt{s + \epsilon}`, for AdaGrad, RMSProp and Adam;
    * Adam without bias correction, or with only one of the two moments corrected;
    * a first step that returns NaN or inf (Adam counting steps from 0 divides by :math:`1-\beta^0 = 0`).

    Right answers written differently pass: momentum in the :math:`\Delta w` form (the same numbers), and
    Adam in Kingma and Ba's "efficient" form (section 2 of their paper), which folds the bias corrections
    into the learning rate, :math:`\eta_t = \eta\sqrt{1-\beta_2^t}/(1-\beta_1^t)`, and adds
    :math:`\epsilon` to :math:`\sqrt{s_t}` instead of :math:`\sqrt{\hat s_t}`. That is Adam with
    :math:`\epsilon` scaled by :math:`\sqrt{1-\beta_2^t}`, so it differs from the reference only where
    :math:`\sqrt{\hat s}` is comparable to :math:`\epsilon` (by about :math:`10^{-6}` on the test
    problem). It is recognised by matching that form to :math:`10^{-9}`, not by a looser tolerance, and
    the pass message says so.

    An error raised by your class, a ``step`` that returns None, an array of the wrong shape or NaN fail
    the check with a message; they never raise out of it.

    **For graders.** The check keeps no state between calls and builds its test problem and references
    afresh each time; ``check_optimizer(ns["MyAdam"], reference="adam", n_steps=40, lr=0.05)`` in a
    fresh process returns the same verdict as in the notebook, and ``w0=np.ones((2, 3))`` checks it on a
    matrix of parameters.

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
    w0 : array_like, optional
        The start, of any shape (a matrix of weights, say). Default: the 3-vector (-1, 1, 0.002) of the
        quadratic with curvatures 1, 4 and 10. With ``w0`` the problem is
        :math:`\sum_i (c_i w_i^2/2 - b_i w_i)` with the :math:`c_i` spread evenly over [1, 10] and the
        :math:`b_i` over [1, -2].
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
    if w0 is not None:
        w0 = check_array(owner, "w0", w0)
        if w0.size == 0:
            fail(owner, "w0", "a non-empty array", "an empty array")
    ref_class, defaults = _REFERENCES[reference]
    for key in hyperparams:
        if key not in defaults and not (key == "nesterov" and reference == "momentum"):
            fail(owner, key, f"a hyperparameter of the {reference} reference, one of {sorted(defaults)}",
                 hyperparams[key], TypeError)

    if isinstance(optimizer, type):
        params = {**defaults, **hyperparams}
        kwargs = {k: v for k, v in params.items() if k != "nesterov" or "nesterov" in hyperparams}
        try:
            with contextlib.redirect_stdout(io.StringIO()), np.errstate(all="ignore"):
                optimizer(**kwargs)
        except TypeError as err:
            args = ", ".join(f"{k}={v!r}" for k, v in kwargs.items())
            return failed(f"could not build {optimizer.__name__}({args}): {err}. Give __init__ these "
                          "parameter names, or pass an object you built yourself.")
        except Exception as err:  # noqa: BLE001 - the student's __init__ failed: a verdict, not a crash
            args = ", ".join(f"{k}={v!r}" for k, v in kwargs.items())
            return failed(f"could not build {optimizer.__name__}({args}): {describe_error(err)}.")
        name = optimizer.__name__
        make_student = lambda: optimizer(**kwargs)  # noqa: E731 - a fresh object per run
    else:
        if not callable(getattr(optimizer, "step", None)):
            fail(owner, "optimizer", "a class or an object with a step(w, g) method", optimizer, TypeError)
        params = {k: getattr(optimizer, k, v) for k, v in defaults.items()}
        params.update(hyperparams)
        name = type(optimizer).__name__
        try:
            template = copy.deepcopy(optimizer)
        except Exception as err:  # noqa: BLE001
            return failed(f"could not copy your {name} object to run it afresh ({describe_error(err)}); "
                          "pass the class instead.")

        def make_student():
            fresh = copy.deepcopy(template)
            if callable(getattr(fresh, "reset", None)):
                fresh.reset()
            return fresh

    reference_opt = ref_class(**params)
    ref_text = repr(reference_opt)
    expected = _run_optimizer(reference_opt, n_steps, w0).path
    try:
        student = call(make_student, what=f"building {name}")
    except StudentError as err:
        return failed(err.reason)
    run = _run_optimizer(student, n_steps, w0, student=True)

    if run.problem:
        return failed(f"{name}: {run.problem}")
    if run.mutated:
        return failed(f"{name}.step changed the w it was given: it must return a new array "
                       "and leave w alone. Write `return w - ...` instead of `w -= ...` (or copy first, "
                       "w = w.copy()).")
    diff = _first_difference(run.path, expected, rtol=1e-9)
    if diff is None:
        return passed(f"{name} matches {ref_text} for {n_steps} steps.")
    for variant, make in _right_variants(reference, params):
        with np.errstate(all="ignore"):
            path = _run_optimizer(make(), n_steps, w0).path
        if path.shape == run.path.shape and _first_difference(run.path, path, rtol=1e-9) is None:
            gap = float(np.max(np.abs(run.path - expected)))
            return passed(f"{name} matches {ref_text} for {n_steps} steps, {variant} (here the two forms "
                          f"differ by at most {gap:.1e}).")

    t = diff
    detail = (f"iterates first differ at step {t}: expected w_{t} = {fmt(expected[t], 8)}, got "
              f"{fmt(run.path[t], 8)} (largest difference {np.max(np.abs(run.path[t] - expected[t])):.2e}).")
    for mistake, make in _mistakes(reference, params):
        with np.errstate(all="ignore"):
            path = _run_optimizer(make(), n_steps, w0).path
        if path.shape == run.path.shape and _first_difference(run.path, path, rtol=1e-6) is None:
            return failed(f"{name} vs {ref_text}: {detail} {mistake}")
    return failed(f"{name} vs {ref_text}: {detail} Compare your step with the rule in the reference's "
                   "docstring, line by line, at that step.")


class _Run:
    """The iterates of one optimizer on the test problem, and what went wrong, if anything."""

    def __init__(self, path, mutated=False, problem=None):
        self.path, self.mutated, self.problem = path, mutated, problem


def _run_optimizer(opt, n_steps, w0=None, student=False):
    """Run ``opt`` on the test problem; return its iterates w_0 ... w_n (rows) as a :class:`_Run`.

    With ``student=True`` an error raised by ``opt.step`` becomes the run's problem (a verdict).
    """
    grad, start = _problem(w0)
    path, mutated = [start], False
    for t in range(1, n_steps + 1):
        w = path[-1].copy()
        g = grad(w)
        if student:
            try:
                new = call(opt.step, w, g.copy(), what=f"step {t}")
            except StudentError as err:
                return _Run(np.array(path), problem=err.reason)
        else:
            new = opt.step(w, g)
        mutated = mutated or not np.array_equal(w, path[-1])
        if new is None:
            return _Run(np.array(path), problem="step returned None: did you forget `return`?")
        try:
            new = np.array(new, dtype=np.float64)  # a copy, so that later in-place changes cannot reach it
        except (TypeError, ValueError):
            return _Run(np.array(path), problem=f"step {t} returned {type(new).__name__}, not an array of "
                        "numbers.")
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


class _AdamEfficient(Adam):
    """Kingma and Ba's efficient form: lr_t = lr * sqrt(1 - beta2**t) / (1 - beta1**t), eps on sqrt(s)."""

    def step(self, w, g):
        w, g, lr = self._begin(w, g)
        self.m = self.beta1 * self.m + (1 - self.beta1) * g
        self.s = self.beta2 * self.s + (1 - self.beta2) * g**2
        lr_t = lr * np.sqrt(1 - self.beta2**self.t) / (1 - self.beta1**self.t)
        return w - lr_t * self.m / (np.sqrt(self.s) + self.eps)


def _right_variants(reference, params):
    """(description, factory) pairs: other correct forms of the reference, accepted with their own message."""
    if reference == "adam":
        return [("in Kingma and Ba's efficient form (lr_t = lr * sqrt(1 - beta2**t) / (1 - beta1**t), eps "
                 "added to sqrt(s)), which is Adam with eps scaled by sqrt(1 - beta2**t)",
                 lambda: _AdamEfficient(**params))]
    return []


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
            ("Your velocity is an average, v = beta * v + (1 - beta) * g (the w3computing tutorial's "
             "form). The course "
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


