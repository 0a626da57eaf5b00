r"""The chapter 4 explorable: a rate map of heavy ball (or Nesterov) over (learning rate, momentum).

:func:`rate_map_explorable` returns one self-contained block of HTML. On the quadratic
:math:`f(w) = \tfrac12 w^\top A w` with :math:`A = \mathrm{diag}(1, \kappa)` (so :math:`\mu = 1`,
:math:`L = \kappa`, :math:`f^\star = 0` at :math:`w^\star = 0`) it runs every cell of a grid of learning rates
(``LR_COLUMNS`` of them, log-spaced from ``LR_SPAN[0] / L`` to ``LR_SPAN[1] / L``, beyond every stability
limit) and momenta (``BETAS``, 0 to 0.99) for ``STEPS`` steps from ``W0`` and colours the cell by its
measured rate (:func:`measured_rate`). Cells that do not converge are hatched; theory's optimum
(:func:`theory_optimum`) is marked with a star and the stability limit (:func:`stability_limit`) with a
dashed line; the selected cell's path (the minimum marked with a star too) and loss curve are drawn beside
the map.

Every run is computed in the browser by ``GDPort.minimize`` (``gdlesson/js/port.js``, the port of
:func:`gdlesson.minimize` that ``tests/test_explorables.py`` checks to 1e-12); the drawing code is
``gdlesson/js/ratemap.js``. The theory (optimum, limits) is computed here, in Python, and embedded.

The contract of every explorable holds: the root element carries ``data-explorable="<id>"``, and after every
change ``data-settings`` (the selected cell's ``{"objective", "optimizer", "w0", "steps"}``) and
``data-path`` (its iterates from ``w0``, equal to ``gd.minimize(...).path``). It also carries ``data-map``,
the measured rate of every cell (``null`` for a run that blew up), and ``data-optimum``, theory's optimum
with the rate measured by a run there. ``tests/test_explorable_rates.py`` checks both against gdlesson.
"""

from __future__ import annotations

import math

import numpy as np

from ._validation import fail
from .explorables import _block, _check_id

__all__ = ["rate_map_explorable", "learning_rates", "measured_rate", "converges", "theory_optimum",
           "stability_limit", "KAPPAS", "METHODS", "BETAS", "LR_COLUMNS", "LR_SPAN", "STEPS", "W0"]

KAPPAS = (2, 10, 100, 1000)  #: the condition numbers the control offers
METHODS = {"heavy ball": False, "Nesterov": True}  #: method -> ``nesterov`` of :class:`gdlesson.Momentum`
BETAS = tuple(round(0.025 * j, 3) for j in range(40)) + (0.99,)  #: the map's rows: 0, 0.025, ..., 0.975, 0.99
LR_COLUMNS = 40  #: the map's columns
LR_SPAN = (0.2, 5.0)  #: the learning rates, in units of 1/L (the stability limit is below 4/L)
STEPS = 240  #: steps of every run; the rate is measured between steps STEPS/3 and 2 STEPS/3
W0 = (-9.0, 2.0)  #: the start of every run (chapter 2's start on the stretched bowl)
NO_CONVERGENCE = 1 - 1e-6  #: a measured rate above this counts as no convergence

_CSS_RATES = """
.gd-ratemap .gd-figures canvas.gd-rates { max-width: 440px; cursor: crosshair; }
.gd-ratemap .gd-figures canvas.gd-path { max-width: 300px; }
.gd-ratemap .gd-figures canvas.gd-loss { max-width: 300px; }
.gd-ratemap .gd-legend { list-style: none; margin: 0.4rem 0 0; padding: 0; display: flex; flex-wrap: wrap;
  gap: 0.2rem 1.2rem; }
.gd-ratemap .gd-legend li { display: flex; align-items: center; gap: 0.35rem; margin: 0; }
.gd-ratemap .gd-legend svg { flex: none; }
"""


def learning_rates(kappa):
    """The map's learning rates for condition number ``kappa``: ``LR_COLUMNS`` values, 3 significant digits.

    They are :math:`c_k / L` with :math:`c_k` log-spaced from ``LR_SPAN[0]`` to ``LR_SPAN[1]`` and
    :math:`L = \\kappa`, so that every condition number shows the same part of the stability region.
    """
    low, high = LR_SPAN
    return [float(f"{low * (high / low) ** (k / (LR_COLUMNS - 1)) / kappa:.3g}") for k in range(LR_COLUMNS)]


def theory_optimum(kappa, method="heavy ball"):
    r"""Theory's best setting on a quadratic with curvatures in :math:`[\mu, L] = [1, \kappa]`.

    Heavy ball (Polyak, 1964):

    .. math::
        \eta = \frac{4}{(\sqrt L + \sqrt\mu)^2}, \qquad
        \beta = \Bigl(\frac{\sqrt\kappa - 1}{\sqrt\kappa + 1}\Bigr)^2, \qquad
        \text{rate } \frac{\sqrt\kappa - 1}{\sqrt\kappa + 1}.

    Nesterov, in the form of :class:`gdlesson.Momentum` with ``nesterov=True`` (Lessard, Recht and
    Packard, 2016):

    .. math::
        \eta = \frac{4}{3L + \mu}, \qquad
        \beta = \frac{\sqrt{3\kappa + 1} - 2}{\sqrt{3\kappa + 1} + 2}, \qquad
        \text{rate } 1 - \frac{2}{\sqrt{3\kappa + 1}}.

    The rate is the factor by which the error :math:`\lVert w_t - w^\star\rVert` shrinks per step in the
    long run (the spectral radius of the iteration); no other ``(lr, beta)`` has a smaller one over all
    curvatures in :math:`[\mu, L]`, and for heavy ball none has a smaller one on the two curvatures
    :math:`\mu` and :math:`L` alone. Rates measured over a finite run differ a little: for Nesterov, some
    cells of the map read up to 1 % faster than this rate over 240 steps.

    Returns
    -------
    dict
        ``{"lr": ..., "beta": ..., "rate": ...}``.
    """
    _check_kappa("theory_optimum", kappa, any_positive=True)
    _check_method("theory_optimum", method, METHODS)
    mu, L = 1.0, float(kappa)
    if METHODS[method]:
        root = math.sqrt(3 * kappa + 1)
        return {"lr": 4 / (3 * L + mu), "beta": (root - 2) / (root + 2), "rate": 1 - 2 / root}
    rate = (math.sqrt(kappa) - 1) / (math.sqrt(kappa) + 1)
    return {"lr": 4 / (math.sqrt(L) + math.sqrt(mu)) ** 2, "beta": rate**2, "rate": rate}


def stability_limit(kappa, beta, method="heavy ball"):
    r"""The largest stable learning rate for momentum ``beta`` on curvatures up to :math:`L = \kappa`.

    Heavy ball converges for :math:`0 < \eta < 2(1 + \beta)/L`, Nesterov for
    :math:`0 < \eta < 2(1 + \beta)/\bigl((1 + 2\beta) L\bigr)`: at the limit the steepest direction's
    recurrence has a root :math:`-1`, and beyond it that direction grows.
    """
    _check_kappa("stability_limit", kappa, any_positive=True)
    _check_method("stability_limit", method, METHODS)
    if not isinstance(beta, (int, float)) or isinstance(beta, bool) or not 0 <= beta < 1:
        fail("stability_limit", "beta", "a number in [0, 1)", beta)
    return 2 * (1 + beta) / ((1 + 2 * beta) * kappa if METHODS[method] else kappa)


def measured_rate(losses, steps=STEPS, f_star=0.0):
    r"""The rate per step that a run's losses show, as the rate map colours it.

    With :math:`q_k = (f_k - f^\star)/(f_0 - f^\star)` and the *envelope* :math:`E_k = \max_{k \le j \le n}
    q_j` (the level the loss stays below from step :math:`k` on, :math:`n` = ``steps``), fit a straight line
    to :math:`\ln E_k` over the window :math:`m \le k \le 2m`, :math:`m = \lfloor n/3 \rfloor`, by least
    squares; its slope :math:`s` gives the rate

    .. math::
        r = e^{s/2}, \qquad s = \frac{\sum_k (k - \bar k) \ln E_k}{\sum_k (k - \bar k)^2},
        \quad \bar k = \tfrac32 m,

    the factor per step of the error (the loss, quadratic in the error, shrinks by :math:`r^2`). The
    envelope makes it blind to the phase of an oscillating loss, the fit averages the steps of the envelope
    from one peak to the next, and the window skips the start-up. On the map's grid the measured rate is
    within 3 % of the iteration's spectral radius (``tests/test_explorable_rates.py``). At theory's
    optimum the error behaves like :math:`(a + bt)\,r^t` (a double root), and the window reads about
    0.85 % above :math:`r` for ``steps=240``.

    Parameters
    ----------
    losses : array_like
        The losses of a run of ``steps`` steps (``gd.minimize(...).losses``: ``steps + 1`` values from
        ``f_0``).
    steps : int
        The number of steps the run was asked for, >= 3.
    f_star : float
        The minimum value :math:`f^\star`.

    Returns
    -------
    float or None
        :math:`r` (1: the loss did not shrink over the window; 0: it fell below the smallest float), or None
        when the run stopped early because the loss blew up (fewer than ``steps + 1`` losses).
    """
    if not isinstance(steps, int) or isinstance(steps, bool) or steps < 3:
        fail("measured_rate", "steps", "a whole number >= 3", steps)
    losses = np.asarray(losses, dtype=float)
    if losses.ndim != 1 or not 1 <= losses.shape[0] <= steps + 1:
        fail("measured_rate", "losses", f"a 1-D sequence of 1 to steps + 1 = {steps + 1} losses",
             f"shape {losses.shape}")
    if losses.shape[0] < steps + 1:
        return None
    m = steps // 3
    q = (losses[m:] - f_star) / (losses[0] - f_star)
    envelope = np.maximum.accumulate(q[::-1])[::-1][:m + 1]  # E_m, ..., E_2m (E_k = max of q from k on)
    if envelope[-1] == 0:
        return 0.0
    centred = np.arange(m + 1) - m / 2  # k - k_bar
    slope = np.sum(centred * np.log(envelope)) / np.sum(centred * centred)
    return float(np.exp(slope / 2))


def converges(rate):
    """Whether a :func:`measured_rate` counts as convergence on the map (below 1 - 1e-6, not None)."""
    return rate is not None and rate < NO_CONVERGENCE


def _check_kappa(owner, kappa, any_positive=False):
    if any_positive:
        if not isinstance(kappa, (int, float)) or isinstance(kappa, bool) or not kappa >= 1:
            fail(owner, "kappa", "a condition number >= 1", kappa)
    elif kappa not in KAPPAS or isinstance(kappa, bool):
        fail(owner, "kappa", f"one of {list(KAPPAS)}", kappa)


def _check_method(owner, method, allowed):
    if method not in allowed:
        fail(owner, "method", f"one of {list(allowed)}", method)


def _nearest(values, target, log=False):
    key = (lambda v: abs(math.log(v) - math.log(target))) if log else (lambda v: abs(v - target))
    return min(range(len(values)), key=lambda i: key(values[i]))


def rate_map_explorable(id, *, kappa=100, method="heavy ball", methods=("heavy ball", "Nesterov"),
                        lr=None, beta=None):
    r"""HTML of the rate map: measured convergence rate over (learning rate, momentum), cell by cell.

    The map runs :class:`gdlesson.Momentum` on :math:`f(w) = \tfrac12 w^\top \mathrm{diag}(1, \kappa)\, w`
    from ``W0`` for ``STEPS`` steps at every learning rate of :func:`learning_rates` and every
    :math:`\beta` of ``BETAS``, and colours each cell by its :func:`measured_rate` (viridis; yellow is fast).
    Hatched cells do not converge. The star is :func:`theory_optimum`, e.g. Polyak's
    :math:`\eta = 4/(\sqrt L + \sqrt\mu)^2`, :math:`\beta = ((\sqrt\kappa - 1)/(\sqrt\kappa + 1))^2` with rate
    :math:`(\sqrt\kappa - 1)/(\sqrt\kappa + 1)`; the dashed line is :func:`stability_limit`,
    :math:`\eta = 2(1 + \beta)/L` for heavy ball. The selected cell (two sliders, or a click on the map) is
    outlined and its path and loss curve are drawn beside the map. A new condition number or method moves
    the selection to the cell nearest its star, as the default ``lr`` and ``beta`` do.

    Parameters
    ----------
    id : str
        A name unique on its page (letters, digits and ``-``); the root element's ``data-explorable``.
    kappa : int
        The initial condition number, one of ``KAPPAS``.
    method : str
        The initial method, one of ``methods``.
    methods : sequence of str
        Keys of ``METHODS`` offered by the method menu, in its order.
    lr, beta : int, optional
        The initially selected cell: a column 0 to ``LR_COLUMNS - 1`` and a row 0 to ``len(BETAS) - 1``
        (default: the cell nearest theory's optimum).

    Returns
    -------
    str
        A block of HTML with its style and script; the same string on every call with the same arguments.
    """
    owner = "rate_map_explorable"
    _check_id(owner, id)
    _check_kappa(owner, kappa)
    if isinstance(methods, str) or not methods or any(m not in METHODS for m in methods) \
            or len(set(methods)) != len(methods):
        fail(owner, "methods", f"a non-empty sequence of distinct keys of {list(METHODS)}", methods)
    methods = list(methods)
    _check_method(owner, method, methods)
    optimum = theory_optimum(kappa, method)
    if lr is None:
        lr = _nearest(learning_rates(kappa), optimum["lr"], log=True)
    if not isinstance(lr, int) or isinstance(lr, bool) or not 0 <= lr < LR_COLUMNS:
        fail(owner, "lr", f"a column from 0 to {LR_COLUMNS - 1}, or None", lr)
    if beta is None:
        beta = _nearest(BETAS, optimum["beta"])
    if not isinstance(beta, int) or isinstance(beta, bool) or not 0 <= beta < len(BETAS):
        fail(owner, "beta", f"a row from 0 to {len(BETAS) - 1}, or None", beta)

    config = {
        "id": id,
        "kappas": list(KAPPAS),
        "betas": list(BETAS),
        "steps": STEPS,
        "w0": list(W0),
        "noConvergence": NO_CONVERGENCE,
        "methods": [{"label": m, "nesterov": METHODS[m]} for m in methods],
        "lrs": {str(k): learning_rates(k) for k in KAPPAS},
        "theory": {str(k): {m: dict(theory_optimum(k, m),
                                    limits=[stability_limit(k, b, m) for b in BETAS])
                            for m in methods} for k in KAPPAS},
        "defaults": {"kappa": KAPPAS.index(kappa), "method": methods.index(method), "lr": lr, "beta": beta},
    }
    return _block(id, config, app="ratemap.js", mounter="GDRateMap", css=_CSS_RATES, kind="gd-ratemap")
