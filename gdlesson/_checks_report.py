"""Shared reporting for :mod:`gdlesson.checks`: the one-line verdict, names, numbers, and safe calls.

Every checker ends with :func:`passed` or :func:`failed`, which print one line and return a bool. The
student's code is always run through :func:`call`, so that an exception inside it becomes a failing
verdict that names the error and the student's line, instead of a traceback from inside the checker.
Nothing here keeps state between calls.
"""

from __future__ import annotations

import contextlib
import io
import linecache
import os
import re
import sysconfig
import traceback

import numpy as np

# Frames in these folders are not the student's: gdlesson itself, NumPy, the standard library and
# installed packages. The student's line is the last frame of a traceback outside all of them.
_NOT_STUDENT = tuple(os.path.abspath(p) + os.sep for p in {
    os.path.dirname(os.path.abspath(__file__)), os.path.dirname(os.path.abspath(np.__file__)),
    sysconfig.get_paths()["stdlib"], sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]})


def passed(message):
    """Print ``Check passed: <message>`` (one line) and return True."""
    print(f"Check passed: {_one_line(message)}")
    return True


def failed(message):
    """Print ``Check failed: <message>`` (one line) and return False."""
    print(f"Check failed: {_one_line(message)}")
    return False


def _one_line(message):
    """The message on one line: an error message from the student's code may hold line breaks."""
    return re.sub(r"\s*\n\s*", " ", message)


def name_of(fn, default):
    """A readable name for the student's function, class or object, for the messages."""
    name = getattr(fn, "__qualname__", None) or getattr(fn, "__name__", None)
    if not isinstance(name, str):
        name = type(fn).__qualname__  # an object (an objective, an optimizer): its class name
    if "<lambda>" in name:
        return default
    return name.rsplit("<locals>.", 1)[-1]  # a function defined inside another: just its own name


def fmt(x, digits=4):
    """An array or number rounded for a message: ``[1.2, -0.5]``."""
    arr = np.asarray(x, dtype=np.float64)
    if arr.ndim == 0:
        return f"{float(arr):.{digits}g}"
    if arr.size > 6:
        return f"an array of shape {arr.shape}"
    return "[" + ", ".join(f"{v:.{digits}g}" for v in arr.ravel()) + "]"


class StudentError(Exception):
    """The student's code raised; ``reason`` says what and where, for a failing verdict."""

    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason


def call(fn, *args, what="your code"):
    """``fn(*args)``, quietly; an exception inside it becomes :class:`StudentError` with a readable reason.

    The reason names the error and the last line outside ``gdlesson`` that the traceback passes through,
    which is the student's line (a notebook cell has no useful file name, so only the line is shown).
    KeyboardInterrupt and SystemExit are not caught. What the student's code prints (a loss per epoch)
    and NumPy's floating-point warnings (overflow in a diverging run) are held back, so that the check's
    verdict stays the one line it prints; the verdict itself reports NaN and inf.
    """
    try:
        with contextlib.redirect_stdout(io.StringIO()), np.errstate(all="ignore"):
            return fn(*args)
    except Exception as err:  # noqa: BLE001 - any error in the student's code is a verdict, not a crash
        raise StudentError(f"{what} raised {describe_error(err)}.") from err


def describe_error(err):
    """``TypeError: message (at line 3: `w = w - lr * g`)`` for an exception from the student's code."""
    text = f"{type(err).__name__}: {err}".rstrip(": .")
    frames = [f for f in traceback.extract_tb(err.__traceback__)
              if not os.path.abspath(f.filename).startswith(_NOT_STUDENT)]
    if frames:
        frame = frames[-1]
        line = (frame.line or linecache.getline(frame.filename, frame.lineno)).strip()
        where = f"line {frame.lineno}" + (f": `{line}`" if line else "")
        text += f" (at {where})"
    return text
