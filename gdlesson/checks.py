r"""Self-checks for the exercises: call one on your own code and it tells you what, if anything, is wrong.

Three checkers, one for each kind of code the exercises ask you to write:

* :func:`check_gradient_function` -- a gradient you derived by hand, against central differences or,
  with ``reference=``, against the function the exercise fixes (:class:`Reference`,
  :func:`ridge_reference`);
* :func:`check_optimizer` -- an optimizer class with ``step(w, g)``, against the one in
  :mod:`gdlesson.optimizers`;
* :func:`check_minibatch_loop` -- a mini-batch gradient-descent loop, against
  :func:`gdlesson.descent.minimize`, judged by what it does.

Each prints one short verdict and returns ``True`` (passed) or ``False`` (not yet). A wrong answer never
raises: an error inside your code, a wrong shape, NaN or a missing attribute is a failing verdict that
says what happened (for an error: its message and your line). The message says what differs (the point,
the step, the numbers) and, when the difference matches a mistake many students make, names that mistake
and its fix. Only a wrong *call* of the checker itself (say ``reference="adamw"``) raises, with the
course's usual error message.

How a checker decides is plain NumPy that you can read: it runs your code and a reference on a small
problem, compares the numbers with a tight tolerance, and, when they differ, replays a short list of known
mistakes (each written out as a student might write it) to see which one reproduces your numbers. The
code is in four small modules: ``gdlesson/_checks_gradients.py``, ``_checks_optimizers.py``,
``_checks_minibatch.py`` and ``_checks_report.py`` (the one-line verdicts and the safe calls).

**For graders.** The checkers keep no state between calls: each call builds its test problems and
references afresh from its arguments, gives your code copies, and reads nothing a notebook can change.
A grading script can import them in its own process and call them with the student's objects, the
exercise's reference and its own seeds and sizes, and use the returned bool.
"""

from __future__ import annotations

from ._checks_gradients import Reference, check_gradient_function, ridge_reference
from ._checks_minibatch import check_minibatch_loop
from ._checks_optimizers import check_optimizer

__all__ = ["check_gradient_function", "check_optimizer", "check_minibatch_loop", "Reference", "ridge_reference"]
