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


def _check(gd, name, *args, **kwargs):
    """Run checker ``name`` of the fresh ``gdlesson.checks``; fail with its message unless it passes."""
    ok, message = _verdict(getattr(gd.checks, name), *args, **kwargs)
    if not ok:
        raise Failed(message)
    return message


# ---------------------------------------------------------------------------------------------------------
# Gradients (chapters 1, 2, 3, 5): against the function the exercise fixes, at new points
# ---------------------------------------------------------------------------------------------------------


def ex_ch1_gradient(gd, ns):
    f, grad = _get(ns, "f_ex"), _get(ns, "grad_ex")
    _check(gd, "check_gradient_function", grad, f, reference="ex-ch1-gradient",
           points=_points(101, (2,), n=5, scale=2.0))
    return "f_ex is f(w) = w1^2 + 3 w2^2 and grad_ex is its gradient, at 5 new points."


def ex_ch1_fix_gradient(gd, ns):
    grad = _get(ns, "grad_fixed_rosen")
    _check(gd, "check_gradient_function", grad, reference="ex-ch1-fix-gradient",
           points=_points(102, (2,), n=5, scale=1.5))
    return "grad_fixed_rosen is the gradient of Rosenbrock's function at 5 new points."


def ex_ch2_new_objective(gd, ns):
    f, grad = _get(ns, "himmelblau"), _get(ns, "himmelblau_grad")
    _check(gd, "check_gradient_function", grad, f, reference="ex-ch2-new-objective",
           points=_points(103, (2,), n=5, scale=3.0))
    return "himmelblau and himmelblau_grad are Himmelblau's function and its gradient at 5 new points."


def ex_ch3_ridge(gd, ns):
    f, grad = _get(ns, "ridge_value"), _get(ns, "ridge_grad")
    X, y = gd.data.make_linear_data(n=100, seed=42)  # chapter 3's data, built here, not taken from the notebook
    cost = gd.LeastSquares(gd.data.add_bias(X), y.ravel())
    _check(gd, "check_gradient_function", grad, f, reference=gd.checks.ridge_reference(cost, lam=0.5),
           points=_points(104, (2,), n=5, scale=3.0, shift=np.array([4.0, 3.0])))
    return "ridge_value and ridge_grad are J + lambda/2 theta_1^2 (lambda = 0.5) and its gradient at 5 new points."


def ex_ch5_l2(gd, ns):
    cls = _get(ns, "L2Penalty", "a class")
    # A small new softmax problem (4 pixels, 3 classes), so that the test does not use the notebook's data.
    rng = np.random.default_rng(107)
    problem = gd.SoftmaxRegression(gd.data.add_bias(rng.normal(size=(30, 4))), rng.integers(0, 3, size=30),
                                   n_classes=3)
    for lam in (1e-2, 0.3):
        penalised = cls(problem, lam)
        _check(gd, "check_gradient_function", penalised.grad, penalised,
               reference=gd.checks.ridge_reference(problem, lam=lam),
               points=_points(108, problem.w_shape, n=2, scale=0.5))
    return "L2Penalty's value and gradient are right on a new softmax problem for two values of lambda."


# ---------------------------------------------------------------------------------------------------------
# The mini-batch loop (chapter 3): other sizes, a batch of 1, a single batch
# ---------------------------------------------------------------------------------------------------------


def ex_ch3_minibatch(gd, ns):
    fn = _get(ns, "my_minibatch")
    for settings in ({}, {"n_samples": 13, "batch_size": 5, "epochs": 2, "lr": 0.05, "seed": 7},
                     {"n_samples": 6, "batch_size": 1, "epochs": 2, "lr": 0.1, "seed": 3},
                     {"n_samples": 7, "batch_size": 7, "epochs": 3, "lr": 0.2, "seed": 1}):
        _check(gd, "check_minibatch_loop", fn, **settings)
    return ("my_minibatch visits every row once per epoch in a fresh order and steps correctly, for four "
            "sizes of data and batch.")


# ---------------------------------------------------------------------------------------------------------
# Optimizers (chapter 4 and the Adam project): other settings, more steps, a matrix of parameters
# ---------------------------------------------------------------------------------------------------------


def _optimizer(gd, ns, name, reference, other):
    cls = _get(ns, name, "a class")
    _check(gd, "check_optimizer", cls, reference, n_steps=40)
    _check(gd, "check_optimizer", cls, reference, n_steps=40, **other)
    return _check(gd, "check_optimizer", cls, reference, n_steps=10,
                  w0=np.random.default_rng(105).normal(size=(2, 3)))


def ex_ch4_rmsprop(gd, ns):
    _optimizer(gd, ns, "MyRMSProp", "rmsprop", {"lr": 0.01, "beta": 0.8, "eps": 1e-6})
    return "MyRMSProp matches gd.RMSProp for 40 steps with two settings and on a matrix of parameters."


def project_adam(gd, ns):
    message = _optimizer(gd, ns, "MyAdam", "adam", {"lr": 0.05, "beta1": 0.8, "beta2": 0.99, "eps": 1e-6})
    form = " (in Kingma and Ba's efficient form)" if "efficient form" in message else ""
    return f"MyAdam matches gd.Adam{form} for 40 steps with two settings and on a matrix of parameters."


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
