"""One helper, one template for the errors users see.

Every public function of :mod:`gdlesson` checks its input with these helpers, so a mistake is reported in
the cell that made it, as ``"<Owner>: `name` must be <what is allowed>; got <value>."``.
"""

from __future__ import annotations

import numbers

import numpy as np


def fail(owner, name, allowed, got, error=ValueError):
    """Raise ``error`` with the course's one message template."""
    raise error(f"{owner}: `{name}` must be {allowed}; got {got!r}.")


def _is_real(value):
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def check_real(owner, name, value, *, low=None, high=None, low_open=False, high_open=True):
    """Check that ``value`` is a finite real number in the given interval and return it as a float.

    ``low_open``/``high_open`` say whether the ends are excluded. ``high_open`` defaults to True because
    most ranges in the course are half-open, such as ``beta`` in [0, 1).
    """
    if not _is_real(value) or not np.isfinite(value):
        fail(owner, name, "a finite real number", value, TypeError if not _is_real(value) else ValueError)
    value = float(value)
    if low is not None and (value < low or (low_open and value == low)):
        fail(owner, name, _interval(low, high, low_open, high_open), value)
    if high is not None and (value > high or (high_open and value == high)):
        fail(owner, name, _interval(low, high, low_open, high_open), value)
    return value


def check_positive(owner, name, value):
    """A finite real number > 0 (learning rates, eps, ...)."""
    return check_real(owner, name, value, low=0.0, low_open=True)


def check_int(owner, name, value, *, low=None, high=None, allow_none=False):
    """An integer in [low, high] (both ends included), or None when ``allow_none``."""
    if value is None and allow_none:
        return None
    if not isinstance(value, numbers.Integral) or isinstance(value, bool):
        allowed = "an integer" + (" or None" if allow_none else "")
        fail(owner, name, allowed, value, TypeError)
    value = int(value)
    if (low is not None and value < low) or (high is not None and value > high):
        lo = "-inf" if low is None else low
        hi = "inf" if high is None else high
        fail(owner, name, f"an integer in [{lo}, {hi}]", value)
    return value


def check_array(owner, name, value, *, ndim=None, shape=None):
    """A finite float64 array (no NaN or inf), optionally of a given ``ndim`` or ``shape``."""
    try:
        arr = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        fail(owner, name, "an array of real numbers", value, TypeError)
    if ndim is not None and arr.ndim not in np.atleast_1d(ndim):
        fail(owner, name, f"an array with ndim {ndim}", f"array of shape {arr.shape}")
    if shape is not None and arr.shape != tuple(shape):
        fail(owner, name, f"an array of shape {tuple(shape)}", f"array of shape {arr.shape}")
    if not np.all(np.isfinite(arr)):
        fail(owner, name, "finite (no NaN or inf)", "an array containing NaN or inf")
    return arr


def _interval(low, high, low_open, high_open):
    left = "(" if low_open else "["
    right = ")" if high_open else "]"
    lo = "-inf" if low is None else _fmt(low)
    hi = "inf" if high is None else _fmt(high)
    if high is None:
        return f"> {lo}" if low_open else f">= {lo}"
    return f"in {left}{lo}, {hi}{right}"


def _fmt(x):
    return str(int(x)) if float(x).is_integer() else repr(x)
