r"""Checking a mini-batch gradient-descent loop written by hand (see :mod:`gdlesson.checks`).

The loop is judged by what it does. The problem handed to it records the rows of every
``objective.grad(w, rows=...)`` call, and its ``X`` and ``y`` record every selection of rows
(``X[rows]``, ``X[perm]``, ``Xs[i:i + k]``), so a loop that computes its own gradient is seen as well as one
that calls ``objective.grad``. The recorded batches are checked (a fresh permutation every epoch, the
right sizes and count) and replayed: the reference steps on those batches must give the returned ``w``,
and when they do not, the same batches replayed with a known mistake (a sum instead of a mean, the last
batch divided by ``batch_size``, ...) name it. A loop whose batches cannot be seen (it copied the data
to plain arrays) is checked on two problems where the order of the rows does not matter: identical rows
(every batch has the same gradient, so the steps can be compared exactly) and X = I (each row moves only
its own coordinate, by lr / the size of its batch, so the result shows how often each row was used and in
which size of batch).
"""

from __future__ import annotations

from types import MappingProxyType

import numpy as np

from ._checks_report import StudentError, call, failed, fmt, name_of, passed
from ._validation import check_int, check_positive, fail
from .data import add_bias
from .objectives import LeastSquares

_OWNER = "check_minibatch_loop"


# =========================================================================================================
# The problem handed to the student's loop
# =========================================================================================================


class _TrackedRows(np.ndarray):
    """``X`` or ``y`` as the student sees them: an array that logs every selection of its rows.

    ``_rows`` holds, for each row, its index in the original data; ``X[perm]`` then ``Xs[0:4]`` logs the
    rows ``perm`` then ``perm[0:4]``. Arrays computed from it (``X @ w``, ``X.T``) are not tracked, except
    copies and element-wise results of the same shape and layout (``X.copy()``, ``y - X @ w``).
    """

    @classmethod
    def wrap(cls, arr, log):
        out = np.array(arr, dtype=np.float64).view(cls)
        out._rows, out._log = np.arange(len(arr)), log
        return out

    def __array_finalize__(self, obj):
        self._log = getattr(obj, "_log", None)
        rows = getattr(obj, "_rows", None)
        same = rows is not None and self.shape == obj.shape and self.strides == obj.strides
        self._rows = rows if same else None

    def __getitem__(self, key):
        out = super().__getitem__(key)
        if getattr(self, "_rows", None) is None or self._log is None or self.ndim == 0:
            return out
        first = key[0] if isinstance(key, tuple) and key else key
        if isinstance(key, tuple) and not key or first is Ellipsis or first is None:
            return out
        if isinstance(first, slice) and first == slice(None):
            if isinstance(out, _TrackedRows) and out.ndim >= 1 and out.shape[0] == len(self._rows):
                out._rows = self._rows
            return out
        try:
            rows = np.atleast_1d(np.asarray(self._rows[first]))
        except (IndexError, TypeError, ValueError):
            return out
        if rows.dtype.kind not in "iu" or rows.ndim != 1:
            return out
        if len(self._rows) == self._log.n:  # a selection from all the rows (X, or X[perm]): a batch or an order
            self._log.append(rows.copy())   # (rows picked out of a batch, Xb[j], are not logged again)
        if isinstance(out, _TrackedRows):
            single = np.ndim(first) == 0 and not isinstance(first, slice)  # X[i]: one row, its entries
            out._rows = None if single else rows
        return out


class _RowLog(list):
    """The row selections of one run, in order; ``n`` is the number of rows of the data."""

    def __init__(self, n):
        super().__init__()
        self.n = n


class _StudentProblem:
    """The least-squares problem handed to the loop; its own copies of the data compute the gradients."""

    def __init__(self, X, y, log):
        self._cost = LeastSquares(X.copy(), y.copy())
        self.X = _TrackedRows.wrap(X, log)
        self.y = _TrackedRows.wrap(y, log)
        self.n_samples, self.n_features = X.shape
        self.w_shape = self._cost.w_shape
        self.calls = []

    def value(self, w, rows=None):
        return self._cost.value(np.asarray(w), rows)

    def grad(self, w, rows=None):
        self.calls.append(None if rows is None else np.asarray(rows).copy())
        return self._cost.grad(np.asarray(w), rows)

    def value_and_grad(self, w, rows=None):
        self.calls.append(None if rows is None else np.asarray(rows).copy())
        return self._cost.value_and_grad(np.asarray(w), rows)

    def __repr__(self):
        return f"LeastSquares(n_samples={self.n_samples}, n_features={self.n_features})"


def _minibatch_problem(n_samples):
    """A small, noisy straight-line problem with a bias column: X of shape (n, 2), y of shape (n,)."""
    rng = np.random.default_rng(2024)
    x = rng.uniform(0, 2, size=(n_samples, 1))
    y = 4 + 3 * x[:, 0] + rng.normal(size=n_samples)
    return add_bias(x), y


def _same_gradient_problem(n_samples):
    """n identical rows: every batch has the same mean gradient, whatever rows it holds."""
    return add_bias(np.full((n_samples, 1), 1.5)), np.full(n_samples, 2.0)


class _Run:
    """What the student's loop returned and did: ``w`` (or a failure message), its grad calls and row log."""

    def __init__(self, w=None, problem=None, calls=(), log=()):
        self.w, self.problem, self.calls, self.log = w, problem, list(calls), list(log)


def _run_student(student_fn, name, X, y, lr, k, epochs, seed):
    """Run the loop on (X, y) from w = 0; NumPy's global generator is seeded with ``seed`` and restored."""
    log = _RowLog(len(X))
    objective = _StudentProblem(X, y, log)
    w0 = np.zeros(objective.w_shape)
    w_in = w0.copy()
    state = np.random.get_state()
    np.random.seed(seed)  # a loop that draws from np.random.permutation gets the same draws every run
    try:
        got = call(student_fn, objective, w_in, lr, k, epochs, seed, what=name)
    except StudentError as err:
        return _Run(problem=err.reason)
    finally:
        np.random.set_state(state)
    if got is None:
        return _Run(problem=f"{name} returned None: end it with `return w`.")
    if isinstance(got, tuple):
        return _Run(problem=f"{name} returned a tuple of {len(got)} items; it should return only the final w.")
    if not np.array_equal(w_in, w0):
        return _Run(problem=_IN_PLACE.format(name=name))
    try:
        w = np.array(got, dtype=np.float64)
    except (TypeError, ValueError):
        return _Run(problem=f"{name} returned {type(got).__name__}, not an array of numbers.")
    if w.shape != w0.shape:
        return _Run(problem=f"{name} returned an array of shape {w.shape}; it should return the final w, of "
                    f"shape {w0.shape} (only w, not a tuple).")
    if not np.all(np.isfinite(w)):
        return _Run(problem=f"{name} returned NaN or inf: its steps blew up (is the step too long?).")
    return _Run(w, calls=objective.calls, log=log)


# =========================================================================================================
# The reference loop, right or with one known mistake switched on
# =========================================================================================================

# How a step scales the mean gradient of a batch of r rows (batch size k, n rows in all), by mistake.
_SCALES = MappingProxyType({
    "mean": lambda r, k, n: 1.0,
    "sum": lambda r, k, n: float(r),       # no division at all: missing 1/len(rows)
    "batch_size": lambda r, k, n: r / k,   # the sum divided by batch_size, also for the shorter last batch
    "n": lambda r, k, n: r / n,            # the sum divided by n, the number of samples
    "double": lambda r, k, n: 2.0,         # the gradient of the mean without its 1/2
})


def _replay(objective, w, lr, batches, *, k, scale="mean", uphill=False):
    """Gradient steps over the given batches (rows arrays), with the gradient scaled as ``scale`` says."""
    n = objective.n_samples
    for rows in batches:
        g = objective.grad(w, rows=rows) * _SCALES[scale](len(rows), k, n)
        w = w + lr * g if uphill else w - lr * g
    return w


def _epoch_batches(n, batch_size, epochs, seed, *, orders="shuffle", replacement=None, drop_last=False):
    """The batches of a loop, as gd.minimize draws them or with a known mistake in how they are drawn."""
    rng = np.random.default_rng(seed)
    once = rng.permutation(n) if orders == "once" else None
    batches = []
    for _ in range(epochs):
        if replacement is None:
            order = {"shuffle": rng.permutation(n) if orders == "shuffle" else None, "none": np.arange(n),
                     "once": once}[orders]
            epoch = [order[i:i + batch_size] for i in range(0, n, batch_size)]
        elif replacement == "integers":
            epoch = [rng.integers(0, n, size=batch_size) for _ in range(0, n, batch_size)]
        else:
            epoch = [rng.choice(n, size=batch_size) for _ in range(0, n, batch_size)]
        batches += [rows for rows in epoch if not (drop_last and len(rows) < batch_size)]
    return batches


def _reference_loop(objective, w, lr, batch_size, epochs, seed, *, orders="shuffle", scale="mean",
                    drop_last=False, replacement=None, uphill=False):
    """Mini-batch gradient descent, right (as :func:`gdlesson.minimize` runs it) or with one mistake.

    orders: "shuffle" (a fresh permutation each epoch), "none" (rows in their stored order) or "once"
    (one permutation for every epoch). scale: how each step scales the batch's mean gradient (see
    ``_SCALES``; "batch_size" divides the last, shorter batch by ``batch_size``). drop_last: the shorter
    batch is skipped. replacement: "integers" or "choice" draws each batch with replacement, ceil(n / k)
    batches an epoch. uphill: steps w + lr * g (a sign error).
    """
    batches = _epoch_batches(objective.n_samples, batch_size, epochs, seed, orders=orders,
                             replacement=replacement, drop_last=drop_last)
    return _replay(objective, w, lr, batches, k=batch_size, scale=scale, uphill=uphill)


# =========================================================================================================
# The check
# =========================================================================================================


def check_minibatch_loop(student_fn, *, n_samples=10, batch_size=4, epochs=3, lr=0.1, seed=0):
    r"""Check your own mini-batch gradient descent against :func:`gdlesson.minimize`.

    Your function must have this signature and return the final parameters::

        def my_minibatch(objective, w, lr, batch_size, epochs, seed):
            ...          # for each epoch: a fresh permutation of the rows, then batches of batch_size
            return w

    ``objective`` is a least-squares problem like :class:`~gdlesson.objectives.LeastSquares`
    (straight-line data with a bias column, ``n_samples`` rows, so ``w`` has shape (2,)); use
    ``objective.grad(w, rows=batch_rows)`` for the gradient of a batch, or ``objective.X`` and
    ``objective.y`` to compute it yourself, :math:`X_b^\top (X_b w - y_b)/\mathrm{len(rows)}`. The default
    sizes leave a shorter last batch (10 rows in batches of 4: 4, 4, 2), which is where loops often go
    wrong.

    The check is by effect. It records the rows of every ``objective.grad`` call and of every selection
    of rows of ``objective.X`` and ``objective.y`` your function makes, and looks at them: each epoch must
    visit every row exactly once (no sampling with replacement), in a fresh random order (shuffled, and
    shuffled again every epoch), for exactly ``epochs`` epochs, with batches of ``batch_size`` rows and a
    shorter last one. It then replays your batches with the right steps, which must give your ``w``; when
    they do not, it replays them with each known mistake: a sum where the step needs the mean (a missing
    ``1/len(rows)``), the last batch divided by ``batch_size``, a division by ``n``, a factor 2, a sign
    error. A loop whose batches it cannot see (the data copied to plain arrays) is run on two problems
    where the order of the rows does not matter: identical rows, where every batch has the same gradient
    (its steps are compared exactly, with the same mistakes), and :math:`X = I`, :math:`y = 1`, where each
    row moves only its own coordinate by ``lr / len(batch)`` (which shows sampling with replacement, a
    skipped last batch, no shuffling or shuffling once). A loop that runs only on two features is compared
    with the spread of :func:`gdlesson.minimize`'s results over 1000 seeds, and the message says what
    could not be confirmed.

    Your loop gets its own copy of ``w``; a loop that changes it in place (``w -= ...``) fails, because
    in the notebook it would change the caller's ``w0``. NumPy's global generator is seeded with ``seed``
    while your loop runs (and restored afterwards), so a loop using ``np.random.permutation`` gets a
    verdict that does not change from run to run. An error raised by your function, a wrong return value,
    NaN or inf fail the check with a message; they never raise out of it.

    **For graders.** The check builds its problem afresh at every call and keeps no state;
    ``check_minibatch_loop(ns["my_minibatch"], n_samples=12, batch_size=5, epochs=2, seed=3)`` in a fresh
    process gives the same verdict as in the notebook.

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
        True when your loop is right. The verdict is also printed, as one line.
    """
    if not callable(student_fn):
        fail(_OWNER, "student_fn", "your function student_fn(objective, w, lr, batch_size, epochs, seed)",
             student_fn, TypeError)
    n = check_int(_OWNER, "n_samples", n_samples, low=2)
    k = check_int(_OWNER, "batch_size", batch_size, low=1, high=n)
    epochs = check_int(_OWNER, "epochs", epochs, low=1)
    lr = check_positive(_OWNER, "lr", lr)
    seed = check_int(_OWNER, "seed", seed, low=0)
    name = name_of(student_fn, "your function")

    X, y = _minibatch_problem(n)
    run = _run_student(student_fn, name, X, y, lr, k, epochs, seed)
    if run.problem:
        return failed(run.problem)
    plain = LeastSquares(X, y)
    w0 = np.zeros(2)
    expected = _reference_loop(plain, w0, lr, k, epochs, seed)
    right = (f"{name} matches gd.minimize(..., batch_size={k}, epochs={epochs}, seed={seed}).")
    other_shuffles = (f"{name} visits every row once per epoch, in a fresh random order, and steps "
                      "correctly. (Its shuffles differ from gd.minimize's: draw each epoch's order "
                      "with rng.permutation(n) from rng = np.random.default_rng(seed) to match it to "
                      "the last digit.)")

    if run.calls:  # it called objective.grad: its batches are those calls
        problem = _check_batches(run.calls, n, k, epochs)
        if problem:
            return failed(f"{name}: {problem}")
        replay = _replay(plain, w0, lr, run.calls, k=k)
        if not _close(run.w, replay):
            if _close(run.w, _replay(plain, w0, lr, run.calls, k=k, uphill=True)):
                return failed(f"{name}: {_UPHILL}")
            return failed(f"{name} returned w = {fmt(run.w, 8)}, but the steps w - lr * "
                          f"objective.grad(w, rows) over the batches it used give {fmt(replay, 8)}. Check "
                          "that you update w with every batch and return the final w.")
        return passed(right if _close(run.w, expected) else other_shuffles)

    # It computed its gradients itself: its batches are its selections of rows of X and y.
    if _close(run.w, expected):
        return passed(right)
    batches = _batches_from_log(run.log, n, k)
    if batches:
        if _close(run.w, _replay(plain, w0, lr, batches, k=k)):
            problem = _check_batches(batches, n, k, epochs)
            return failed(f"{name}: {problem}") if problem else passed(other_shuffles)
        for message, options in _STEP_MISTAKES:
            if _close(run.w, _replay(plain, w0, lr, batches, k=k, **options), rtol=1e-8):
                problem = _check_batches(batches, n, k, epochs)
                also = f" Also, {problem}" if problem else ""
                return failed(f"{name}: {message.format(k=k, n=n)}{also}")
    for message, kwargs in _loop_mistakes(n, k, epochs):
        if _close(run.w, _reference_loop(plain, w0, lr, k, **kwargs, seed=seed), rtol=1e-8):
            return failed(f"{name}: {message.format(k=k, n=n)}")
    return _judge_unseen(student_fn, name, run, plain, n, k, epochs, lr, seed, expected, bool(batches))


def _close(a, b, rtol=1e-10):
    return np.allclose(a, b, rtol=rtol, atol=1e-12)


def _batches_from_log(log, n, k):
    """The batches a loop used, from its selections of rows: X[rows] then y[rows] count once.

    Selections of more than ``batch_size`` rows (a whole shuffled copy, X[perm]) are orders, not batches.
    """
    events = []
    for rows in log:
        if events and np.array_equal(events[-1], rows):
            continue
        events.append(rows)
    return [rows for rows in events if len(rows) <= k or k == n]


def _judge_unseen(student_fn, name, run, plain, n, k, epochs, lr, seed, expected, saw_batches):
    """A loop whose batches could not be replayed: judge its steps on same-gradient data, then by spread."""
    Xs, ys = _same_gradient_problem(n)
    probe = _run_student(student_fn, name, Xs, ys, lr, k, epochs, seed)
    if probe.problem:
        return failed(probe.problem)
    same = LeastSquares(Xs, ys)
    w0 = np.zeros(2)
    order = _epoch_batches(n, k, epochs, 0)  # any order: every batch has the same gradient here
    if not _close(probe.w, _replay(same, w0, lr, order, k=k), rtol=1e-8):
        for message, options in _STEP_MISTAKES:
            if _close(probe.w, _replay(same, w0, lr, order, k=k, **options), rtol=1e-8):
                return failed(f"{name}: {message.format(k=k, n=n)}")
        w, per_epoch = w0, -(-n // k)
        for steps in range(1, 3 * epochs * per_epoch + 1):
            w = w - lr * same.grad(w)
            if _close(probe.w, w, rtol=1e-8):
                if n % k and steps == epochs * (n // k):  # the short batch skipped, or an epoch missing?
                    problem, _ = _identity_probe(student_fn, name, n, k, lr, seed)
                    if problem == _DROP_LAST:
                        return failed(f"{name}: {_DROP_LAST}")
                return failed(f"{name}: it takes {steps} steps; {epochs} epochs of {n} rows in batches of "
                              f"{k} make {epochs} x {per_epoch} = {epochs * per_epoch}.")
        return failed(f"{name} returned w = {fmt(run.w, 8)}; gd.minimize with the same settings gives "
                      f"{fmt(expected, 8)}. Its steps are off even on data where every batch has the same "
                      "gradient: each step should be w = w - lr * X_b.T @ (X_b @ w - y_b) / len(rows).")
    # The steps are right. Does the result depend on the seed, as a shuffled loop's does?
    others = [_run_student(student_fn, name, plain.X, plain.y, lr, k, epochs, s) for s in (seed + 1, seed + 2)]
    bad = next((r.problem for r in others if r.problem), None)
    if bad:
        return failed(bad)
    seeds = [seed, seed + 1, seed + 2]
    ws = np.array([run.w] + [r.w for r in others])
    if np.allclose(ws, ws[0], rtol=1e-12, atol=1e-14):
        if _close(run.w, _reference_loop(plain, w0, lr, k, epochs, seed, orders="none"), rtol=1e-8):
            return failed(f"{name}: " + _NOT_SHUFFLED.format(order="0, 1, 2"))
        return failed(f"{name} returns the same w = {fmt(run.w, 8)} for seeds {seed}, {seed + 1} and "
                      f"{seed + 2}: its batches do not depend on the seed. Draw each epoch's order with "
                      "rng.permutation(n) from rng = np.random.default_rng(seed).")
    # How does it draw its batches? On X = I, y = 1 each row moves only its own coordinate, by lr / (the
    # size of its batch), whatever the order: the result shows each row's batch sizes, epoch by epoch.
    problem, usable = _identity_probe(student_fn, name, n, k, lr, seed)
    if problem:
        return failed(f"{name}: {problem}")
    if usable:
        r = n - k * (-(-n // k) - 1)  # the size of the last batch
        batches = (f"in batches of {k} and a last one of {r}, reshuffled every epoch" if r < k else
                   f"in batches of {k} (with n a multiple of batch_size the check cannot tell whether it "
                   "reshuffles every epoch)")
        return passed(f"{name} takes the right steps and draws its batches right, checked by their effect: "
                      "on data where every batch has the same gradient it matches the reference exactly, and "
                      f"on data where each row moves only its own coordinate every row is used once per "
                      f"epoch, {batches}.")
    # Its loop does not run on that problem (it assumes two features?): compare with the spread of results.
    spread = np.array([_reference_loop(plain, w0, lr, k, epochs, s) for s in range(1000)])
    low, high = spread.min(axis=0), spread.max(axis=0)
    margin = 0.5 * (high - low)
    outside = [i for i, w in enumerate(ws) if np.any((w < low - margin) | (w > high + margin))]
    seen = ("" if saw_batches else " The check could not see which rows each batch used (the data were "
            "copied to plain arrays), so it cannot confirm that every epoch is a fresh permutation; index "
            "objective.X and objective.y directly, or call objective.grad(w, rows=...), and it can.")
    if not outside:
        return passed(f"{name} takes the right steps (on data where every batch has the same gradient it "
                      "matches the reference exactly) and its results for three seeds lie within the "
                      f"spread of gd.minimize's over 1000 seeds.{seen}")
    return failed(f"{name} takes the right steps on data where every batch has the same gradient, but on "
                  f"the test problem, with seed={seeds[outside[0]]}, it returns w = {fmt(ws[outside[0]], 8)}, "
                  f"far outside the range gd.minimize reaches with any of 1000 seeds ({fmt(low, 4)} to "
                  f"{fmt(high, 4)}): check how each batch's rows are chosen.{seen}")


def _identity_probe(student_fn, name, n, k, lr, seed):
    """(what is wrong with how the loop draws its batches, or None; whether the probe could run).

    On X = I (n features), y = 1, from w = 0, one epoch moves row i's coordinate to lr / (size of its
    batch), so the sorted result must be lr / k for the rows of full batches and lr / r for the r rows of
    the short last batch. A second epoch moves it to a + b (1 - a) with a, b those fractions; with fresh
    shuffles some row is in a full batch once and in the short batch once.
    """
    X, y = np.eye(n), np.ones(n)
    per_epoch = -(-n // k)
    r = n - k * (per_epoch - 1)
    full, short = lr / k, lr / r
    one_epoch = np.sort(np.r_[np.full(n - r, full), np.full(r, short)])
    short_rows = []
    for s in (seed, seed + 1, seed + 2):
        run = _run_student(student_fn, name, X, y, lr, k, 1, s)
        if run.problem:
            return None, False
        w = run.w
        if _close(np.sort(w), one_epoch, rtol=1e-8):
            short_rows.append(frozenset(np.flatnonzero(np.isclose(w, short, rtol=1e-8))) if r < k else None)
            continue
        unused = np.isclose(w, 0.0, atol=1e-14)
        if r < k and np.sum(unused) == r and _close(w[~unused], full, rtol=1e-8):
            return _DROP_LAST, True
        if unused.any():
            return (f"after one epoch {int(np.sum(unused))} of the {n} rows were never used: "
                    + _REPLACEMENT[_REPLACEMENT.index("you sampled"):]), True
        return (f"after one epoch on data where each row moves only its own coordinate, the coordinates "
                f"should be {full:g} (rows of full batches) and {short:g} (rows of the short last batch); "
                f"got {fmt(np.sort(w), 4)}: some rows are used more than once or in batches of the wrong "
                "size."), True
    if r == k:
        return None, True
    if all(rows == frozenset(range(n - r, n)) for rows in short_rows):
        return _NOT_SHUFFLED.format(order="0, 1, 2"), True
    if len(set(short_rows)) == 1:
        return (f"the same rows end up in the short last batch for seeds {seed}, {seed + 1} and {seed + 2}: its "
                "batches do not depend on the seed. Draw each epoch's order with rng.permutation(n) from "
                "rng = np.random.default_rng(seed)."), True
    mixed = full + short * (1 - full)
    allowed = np.array([full + full * (1 - full), short + short * (1 - short), mixed])
    reshuffled = False
    for s in (seed, seed + 1, seed + 2):
        run = _run_student(student_fn, name, X, y, lr, k, 2, s)
        if run.problem:
            return run.problem, True
        if not np.all(np.any(np.isclose(run.w[:, None], allowed[None, :], rtol=1e-8), axis=1)):
            return ("with epochs=2 each row should be used once in each epoch, but after two epochs some "
                    f"coordinates are {fmt(np.sort(run.w), 4)}; check the epoch loop."), True
        reshuffled |= bool(np.any(np.isclose(run.w, mixed, rtol=1e-8)))
    if not reshuffled:
        return _SHUFFLED_ONCE, True
    return None, True


_IN_PLACE = ("{name} changed the w it was given, in place (w -= ... or w[...] = ... writes into the "
             "caller's array), so running it in the notebook changes your w0 too. Write w = w - lr * g, "
             "which makes a new array, or start with w = w.copy().")
_UPHILL = "it steps up the gradient: w + lr * g where the rule is w - lr * g."
_MISSING_MEAN = ("each step uses the sum of the batch's gradients instead of their mean (missing "
                 "1/len(rows)): divide X_b.T @ (X_b @ w - y_b) by len(rows). Without it a batch of {k} rows "
                 "steps {k} times too far, and lr means something different for every batch size.")
_OVER_N = ("each batch's gradient is divided by n = {n}, the number of samples, instead of len(rows), the "
           "rows in the batch: the mean is over the batch.")
_DOUBLE = ("the steps are twice too long: the gradient of the course's cost (1/2m) |Xw - y|^2 has no "
           "factor 2 (the 1/2 cancels it); you differentiated the mean without its 1/2.")
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
        (_LAST_SCALE, {"epochs": epochs, "scale": "batch_size"}),
        (_MISSING_MEAN, {"epochs": epochs, "scale": "sum"}),
        (_DROP_LAST, {"epochs": epochs, "drop_last": True}),
        (_REPLACEMENT, {"epochs": epochs, "replacement": "integers"}),
        (_REPLACEMENT, {"epochs": epochs, "replacement": "choice"}),
        (f"it runs {epochs + 1} epochs, one more than epochs={epochs}.", {"epochs": epochs + 1}),
        (_UPHILL, {"epochs": epochs, "uphill": True}),
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


# (message, options of _replay) for the step mistakes, tried on the loop's own batches.
_STEP_MISTAKES = (
    (_MISSING_MEAN, {"scale": "sum"}),
    (_LAST_SCALE, {"scale": "batch_size"}),
    (_OVER_N, {"scale": "n"}),
    (_DOUBLE, {"scale": "double"}),
    (_UPHILL, {"uphill": True}),
)
