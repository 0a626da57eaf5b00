r"""Learning-rate schedules: the learning rate as a function of the step count.

A schedule is a small callable object: ``schedule(t)`` returns the learning rate for the step with 0-based
count ``t`` (the first step of a run has ``t = 0``). Pass it to any optimizer as ``lr``::

    opt = gd.GradientDescent(lr=gd.schedules.inverse_time(t0=5, t1=50))

Schedules are pure: the same ``t`` always gives the same value, and calling one changes nothing, so one
schedule can be shared by several optimizers. ``t`` may also be an array, which is handy for plotting the
schedule: ``schedule(np.arange(1000))``.

When :func:`gdlesson.descent.minimize` runs mini-batches, ``t`` counts optimizer steps across epochs
(the w3computing tutorial's ``epoch * m + i``), not epochs.
"""

from __future__ import annotations

import numpy as np

from ._validation import check_int, check_positive, check_real, fail

__all__ = ["Schedule", "constant", "inverse_time", "step_decay", "exponential_decay"]


class Schedule:
    """A named learning-rate rule ``rule(t)`` with its parameters, shown by ``repr``.

    You normally get one from :func:`constant`, :func:`inverse_time`, :func:`step_decay` or
    :func:`exponential_decay` rather than building it yourself.

    Parameters
    ----------
    name : str
        Name shown by ``repr`` (the function that built it).
    rule : callable
        ``rule(t)`` -> learning rate, for a number or an array ``t``.
    **params
        The parameters, shown by ``repr``.
    """

    def __init__(self, name, rule, **params):
        self.name = name
        self.rule = rule
        self.params = params

    def __call__(self, t):
        if np.ndim(t) == 0:
            if not t >= 0:
                fail(self.name, "t", "a step count >= 0", t)
        elif np.size(t) and not np.min(t) >= 0:
            fail(self.name, "t", "step counts >= 0", f"an array with minimum {np.min(t)!r}")
        return self.rule(t)

    def __repr__(self):
        args = ", ".join(f"{key}={value!r}" for key, value in self.params.items())
        return f"{self.name}({args})"


def constant(lr):
    r"""The same learning rate at every step.

    .. math::
        \eta_t = \eta

    Parameters
    ----------
    lr : float
        The learning rate :math:`\eta` > 0.

    Returns
    -------
    Schedule
        Equivalent to passing the number itself as ``lr``; useful where code expects a schedule.
    """
    lr = check_positive("constant", "lr", lr)
    return Schedule("constant", lambda t: lr if np.ndim(t) == 0 else np.full(np.shape(t), lr), lr=lr)


def inverse_time(t0=5.0, t1=50.0):
    r"""Inverse-time decay, the w3computing tutorial's ``learning_rate_schedule``.

    .. math::
        \eta_t = \frac{t_0}{t + t_1}

    It starts at :math:`t_0/t_1` and decays like :math:`1/t`. Decays of this kind (steps that sum to
    infinity while their squares sum to a finite number) are what stochastic gradient descent needs to
    converge instead of jittering around the minimum.

    Parameters
    ----------
    t0 : float, default 5.0
        Numerator :math:`t_0` > 0 (the w3computing tutorial uses 5).
    t1 : float, default 50.0
        Offset :math:`t_1` > 0 (the w3computing tutorial uses 50), so the first rate is ``t0 / t1`` = 0.1.

    Returns
    -------
    Schedule
    """
    t0 = check_positive("inverse_time", "t0", t0)
    t1 = check_positive("inverse_time", "t1", t1)
    return Schedule("inverse_time", lambda t: t0 / (t + t1), t0=t0, t1=t1)


def step_decay(lr, drop, every):
    r"""Piecewise-constant decay: multiply the rate by ``drop`` every ``every`` steps.

    .. math::
        \eta_t = \eta\, d^{\lfloor t / k \rfloor}

    Parameters
    ----------
    lr : float
        Initial learning rate :math:`\eta` > 0.
    drop : float
        Factor :math:`d` in (0, 1] applied at each drop.
    every : int
        Steps :math:`k` >= 1 between drops.

    Returns
    -------
    Schedule
    """
    lr = check_positive("step_decay", "lr", lr)
    drop = check_real("step_decay", "drop", drop, low=0.0, high=1.0, low_open=True, high_open=False)
    every = check_int("step_decay", "every", every, low=1)
    return Schedule("step_decay", lambda t: lr * drop ** (np.floor_divide(t, every)),
                    lr=lr, drop=drop, every=every)


def exponential_decay(lr, rate):
    r"""Exponential decay: multiply the rate by ``rate`` at every step.

    .. math::
        \eta_t = \eta\, r^t = \eta\, e^{-t \ln(1/r)}

    Parameters
    ----------
    lr : float
        Initial learning rate :math:`\eta` > 0.
    rate : float
        Factor :math:`r` in (0, 1] per step; the rate halves every :math:`\ln 2 / \ln(1/r)` steps
        (69 steps for 0.99).

    Returns
    -------
    Schedule

    Notes
    -----
    optax's ``exponential_decay`` and Keras's ``ExponentialDecay`` apply the factor once every
    ``transition_steps``/``decay_steps`` steps instead; use ``rate = decay_rate ** (1 / decay_steps)`` to
    match them.
    """
    lr = check_positive("exponential_decay", "lr", lr)
    rate = check_real("exponential_decay", "rate", rate, low=0.0, high=1.0, low_open=True, high_open=False)
    return Schedule("exponential_decay", lambda t: lr * rate**t, lr=lr, rate=rate)
