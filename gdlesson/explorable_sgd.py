r"""The chapter 3 explorable: stochastic and mini-batch gradient descent on the regression, in the browser.

:func:`sgd_explorable` returns one self-contained block of HTML: controls for the batch size, the learning
rate, its schedule, the number of epochs and the shuffle seed; the path of :math:`\theta = (\theta_0,
\theta_1)` on the level sets of chapter 3's cost :math:`J`, one marker per epoch with every step in between
drawn faintly, on the whole map and zoomed in on the minimum; and the excess cost :math:`J - J^\star`
per epoch on a log axis. Display it with ``IPython.display.HTML``.

The runs are computed in the browser by ``gdlesson/js/port.js``, a line-by-line port of the mini-batch loop
of :func:`gdlesson.minimize` and of :class:`gdlesson.LeastSquares`. The one thing JavaScript cannot redo is
NumPy's random generator, so the row orders (one ``np.random.default_rng(seed).permutation(100)`` per
epoch, for each seed the explorable offers) are computed here and embedded in the page.
``tests/test_explorables.py`` checks the port against gdlesson to 1e-12 on every value of every control.

The contract of :mod:`gdlesson.explorables`, for mini-batches: the root element carries
``data-explorable="<id>"`` and, after every change, ``data-settings``, ``data-path`` and ``data-steps`` as
JSON. ``data-settings`` is ``{"objective": {"name": "LeastSquares", "X": ..., "y": ...}, "optimizer":
{"name": "GradientDescent", "lr": lr}, "w0": [..], "steps": e, "batch_size": k, "epochs": e, "seed": s}``,
where ``lr`` is a number or ``{"schedule": <a function of gdlesson.schedules>, **its keyword arguments}``.
``data-path`` equals ``gd.minimize(gd.LeastSquares(X, y), np.array(w0), gd.GradientDescent(lr=lr),
batch_size=k, epochs=e, seed=s).path`` (one row per epoch); ``data-steps`` holds ``w0`` and the iterate
after every step of those epochs.
"""

from __future__ import annotations

import numbers

import numpy as np

from . import data
from ._validation import fail
from .explorables import _block, _check_id

__all__ = ["sgd_explorable", "settings_grid", "shuffles", "BATCH_SIZES", "LEARNING_RATES", "SCHEDULES",
           "SEEDS", "MAX_EPOCHS", "T1"]

#: The batch sizes offered: 1 (stochastic gradient descent) to 100, all the rows (full batch). 32 does not
#: divide 100, so its last batch of an epoch has 4 rows.
BATCH_SIZES = (1, 2, 5, 10, 20, 32, 50, 100)
#: The learning rates offered, 1-2-5 steps on a log scale; they include chapter 3's 0.002, 0.02 and 0.1.
LEARNING_RATES = (0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0)
#: The schedules offered: a constant rate, or chapter 3's inverse-time decay
#: ``gd.schedules.inverse_time(t0=T1 * lr, t1=T1)``, which starts at ``lr`` and halves by step ``T1``.
SCHEDULES = ("constant", "inverse_time")
#: The offset :math:`t_1` of the inverse-time schedule: chapter 3's (and the w3computing tutorial's) 50.
T1 = 50.0
#: The shuffle seeds offered (``seed`` of :func:`gdlesson.minimize`).
SEEDS = (0, 1, 2, 3, 4)
#: The largest number of epochs: chapter 3's budget.
MAX_EPOCHS = 50
#: Chapter 3's start, Turin's intercept 0.48 and slope 0.33.
W0 = (0.48, 0.33)

_SCHEDULE_LABELS = {"constant": "constant: αₜ = α", "inverse_time": "inverse time: αₜ = α·50/(t + 50)"}

_SGD_CSS = """
.gd-sgd .gd-controls { grid-template-columns: repeat(auto-fill, minmax(min(19rem, 100%), 1fr)); }
.gd-sgd .gd-control { grid-template-columns: 8.5rem 1fr 6.5rem; }
.gd-sgd .gd-value { font-variant-numeric: tabular-nums; }
.gd-sgd .gd-control.gd-row { grid-column: 1 / -1; grid-template-columns: 8.5rem 1fr 10rem; }
.gd-sgd canvas.gd-map { max-width: calc(50% - 0.4rem); }
.gd-sgd canvas.gd-loss { max-width: 100%; }
@media (max-width: 36rem) {  /* phones: labels above their controls, one map per row */
  .gd-sgd .gd-control { grid-template-columns: 1fr 6.5rem; }
  .gd-sgd .gd-control.gd-row { grid-template-columns: 1fr 10rem; }
  .gd-sgd canvas.gd-map { max-width: 100%; }
}
"""


def _data():
    """Chapter 3's data: the design matrix with its column of ones (100, 2) and the targets (100,)."""
    X, y = data.make_linear_data(n=100, seed=42)
    return data.add_bias(X), y.ravel()


def shuffles(seed, epochs=MAX_EPOCHS):
    """The row orders of the first ``epochs`` epochs of :func:`gdlesson.minimize` with ``seed``.

    Parameters
    ----------
    seed : int
        One of ``SEEDS``.
    epochs : int
        Number of epochs, 1 to ``MAX_EPOCHS``.

    Returns
    -------
    list of list of int
        ``epochs`` lists, each a permutation of the 100 rows: the ``order`` that ``minimize`` draws at the
        start of each epoch, ``np.random.default_rng(seed).permutation(100)``, drawn ``epochs`` times.
    """
    _check_choice("shuffles", "seed", seed, SEEDS)
    _check_epochs("shuffles", epochs)
    rng = np.random.default_rng(seed)
    return [rng.permutation(100).tolist() for _ in range(epochs)]


def _lr_setting(lr, schedule):
    """The ``lr`` of ``data-settings``: a number, or a schedule of :mod:`gdlesson.schedules` by name."""
    if schedule == "constant":
        return lr
    return {"schedule": "inverse_time", "t0": float(f"{T1 * lr:.12g}"), "t1": T1}


def settings_grid(epochs=MAX_EPOCHS):
    """Every combination of control values, as ``data-settings`` dictionaries with ``epochs`` epochs.

    With the slider's maximum (the default), every shorter run is a prefix of one of these paths: the
    row orders of the first epochs do not depend on how many follow.
    """
    _check_epochs("settings_grid", epochs)
    X, y = _data()
    objective = {"name": "LeastSquares", "X": X.tolist(), "y": y.tolist()}
    for batch_size in BATCH_SIZES:
        for lr in LEARNING_RATES:
            for schedule in SCHEDULES:
                for seed in SEEDS:
                    yield {"objective": objective,
                           "optimizer": {"name": "GradientDescent", "lr": _lr_setting(lr, schedule)},
                           "w0": list(W0), "steps": epochs, "batch_size": batch_size, "epochs": epochs,
                           "seed": seed}


def sgd_explorable(id, *, batch_size=1, lr=0.02, schedule="constant", epochs=MAX_EPOCHS, seed=0):
    r"""HTML of the mini-batch explorable on chapter 3's regression, redrawn as the reader moves a control.

    The reader chooses the batch size :math:`k`, the learning rate :math:`\alpha`, its schedule (constant,
    or the inverse-time decay :math:`\alpha_t = \alpha\, t_1/(t + t_1)` with :math:`t_1 = 50`, that is
    ``gd.schedules.inverse_time(t0=50 * lr, t1=50)``), the number of epochs and the shuffle seed. The
    figure shows the path of :math:`\theta` on the level sets of :math:`J` from chapter 3's start
    :math:`(0.48, 0.33)` and the excess cost :math:`J(\theta) - J(\theta^\star)` after each epoch.

    Parameters
    ----------
    id : str
        A name unique on its page (letters, digits and ``-``); the root element's ``data-explorable``.
    batch_size : int, default 1
        The initial batch size, one of ``BATCH_SIZES`` (1 is stochastic gradient descent, 100 full batch).
    lr : float, default 0.02
        The initial learning rate (the first rate of a schedule), one of ``LEARNING_RATES``.
    schedule : str, default "constant"
        The initial schedule, one of ``SCHEDULES``: ``"constant"`` or ``"inverse_time"``.
    epochs : int, default 50
        The initial number of epochs, 1 to ``MAX_EPOCHS``.
    seed : int, default 0
        The initial shuffle seed, one of ``SEEDS``.

    Returns
    -------
    str
        A block of HTML with its style, data and script; the same string on every call with the same
        arguments (about 105 kB, most of it the data and the embedded row orders).
    """
    owner = "sgd_explorable"
    _check_id(owner, id)
    _check_choice(owner, "batch_size", batch_size, BATCH_SIZES)
    _check_choice(owner, "lr", lr, LEARNING_RATES)
    if schedule not in SCHEDULES:
        fail(owner, "schedule", f"one of {list(SCHEDULES)}", schedule)
    _check_epochs(owner, epochs)
    _check_choice(owner, "seed", seed, SEEDS)

    X, y = _data()
    config = {
        "id": id,
        "objective": {"name": "LeastSquares", "X": X.tolist(), "y": y.tolist()},
        "w0": list(W0),
        "batchSizes": list(BATCH_SIZES),
        "lrs": list(LEARNING_RATES),
        "schedules": [{"key": key, "label": _SCHEDULE_LABELS[key],
                       "lr": [_lr_setting(value, key) for value in LEARNING_RATES]} for key in SCHEDULES],
        "maxEpochs": MAX_EPOCHS,
        "seeds": list(SEEDS),
        "orders": [shuffles(s) for s in SEEDS],
        "xlim": [0, 6], "ylim": [0, 5],  # chapter 3's maps
        "zoom": {"xlim": [3.25, 5.25], "ylim": [1.75, 3.75]},  # around the minimum (4.2151, 2.7701)
        "defaults": {"batch": BATCH_SIZES.index(batch_size), "lr": LEARNING_RATES.index(lr),
                     "schedule": SCHEDULES.index(schedule), "epochs": epochs, "seed": SEEDS.index(seed)},
    }
    return _block(id, config, app="sgd.js", mounter="GDSgd", css=_SGD_CSS, kind="gd-sgd")


def _check_choice(owner, name, value, allowed):
    """``value`` must be one of ``allowed`` (numbers; True and False are not numbers here)."""
    if not isinstance(value, numbers.Real) or isinstance(value, bool) or value not in allowed:
        fail(owner, name, f"one of {list(allowed)}", value)


def _check_epochs(owner, epochs):
    if not isinstance(epochs, numbers.Integral) or isinstance(epochs, bool) or not 1 <= epochs <= MAX_EPOCHS:
        fail(owner, "epochs", f"a whole number from 1 to {MAX_EPOCHS}", epochs)
