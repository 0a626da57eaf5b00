r"""Optimizers: the update rules of gradient descent and its descendants.

Every optimizer is a small object with two methods:

* ``step(w, g)`` takes the parameters ``w`` and the gradient ``g`` at ``w`` and returns the **new**
  parameters. It never modifies ``w`` or ``g`` in place.
* ``reset()`` forgets everything learned so far (the step counter ``t`` and the state arrays), so the same
  object can start a fresh run. :func:`gdlesson.descent.minimize` calls it for you at the start of every
  run.

State arrays (``v`` for :class:`Momentum`, ``G`` for :class:`AdaGrad`, ``E`` for :class:`RMSProp`, ``m`` and
``s`` for :class:`Adam`) are ``None`` until the first step, which creates them as ``np.zeros_like(w)``;
they are plain attributes, so you can inspect them between steps. ``t`` counts the steps taken since the
last reset.

The learning rate ``lr`` is either a number > 0 or a *schedule*: any callable that maps the 0-based step
count ``t`` to a learning rate, such as those in :mod:`gdlesson.schedules`.

Symbols used in the docstrings: :math:`w` parameters, :math:`g_t` the gradient passed to the
:math:`t`-th step, :math:`\eta` the learning rate ``lr``, :math:`\beta` (:math:`\beta_1, \beta_2`) decay
rates, :math:`\epsilon` ``eps``. Squares, square roots and divisions of vectors are element-wise.
"""

from __future__ import annotations

import numbers

import numpy as np

from ._validation import check_positive, check_real, fail

__all__ = ["Optimizer", "GradientDescent", "Momentum", "AdaGrad", "RMSProp", "Adam"]


def _check_lr(owner, lr):
    """A learning rate is a finite number > 0 or a schedule (a callable of the step count)."""
    if callable(lr):
        return lr
    if not isinstance(lr, numbers.Real) or isinstance(lr, bool):
        fail(owner, "lr", "a number > 0 or a schedule (a callable of the step t)", lr, TypeError)
    return check_positive(owner, "lr", lr)


def _check_beta(owner, name, value):
    return check_real(owner, name, value, low=0.0, high=1.0)  # [0, 1)


class Optimizer:
    r"""Base class: learning-rate handling, step counting, state creation and ``reset()``.

    A subclass lists the names of its state arrays in ``state_names`` and its hyperparameters (shown by
    ``repr``) in ``hyper_names``, and writes ``step(w, g)``, which starts with
    ``w, g, lr = self._begin(w, g)``.

    Parameters
    ----------
    lr : float or callable
        Learning rate :math:`\eta` > 0, or a schedule ``lr(t)`` of the 0-based step count ``t``.
    """

    state_names: tuple = ()
    hyper_names: tuple = ("lr",)

    def __init__(self, lr):
        self.lr = _check_lr(type(self).__name__, lr)
        self.reset()

    def reset(self):
        """Forget the state: ``t = 0`` and every state array back to ``None``."""
        self.t = 0
        for name in self.state_names:
            setattr(self, name, None)

    def current_lr(self):
        """The learning rate the next step will use (``lr(t)`` for a schedule)."""
        if not callable(self.lr):
            return self.lr
        lr = self.lr(self.t)
        is_number = isinstance(lr, (numbers.Real, np.ndarray)) and not isinstance(lr, bool)
        value = float(lr) if is_number and np.size(lr) == 1 else float("nan")
        if not 0 < value < np.inf:
            fail(type(self).__name__, "lr", f"a schedule returning finite numbers > 0 (at t={self.t})", lr)
        return value

    def _begin(self, w, g):
        """Shared start of every ``step``: check shapes, create the state, return ``(w, g, lr)``.

        It also advances the step counter, so inside ``step`` ``self.t`` is the 1-based number of the
        step being taken (what Adam's bias correction needs), while the schedule saw the 0-based count.
        """
        owner = type(self).__name__
        w = np.asarray(w, dtype=np.float64)
        g = np.asarray(g, dtype=np.float64)
        if g.shape != w.shape:
            fail(owner, "g", f"an array of the same shape as w {w.shape}", f"array of shape {g.shape}")
        if self.t == 0:
            for name in self.state_names:
                setattr(self, name, np.zeros_like(w))
        elif self.state_names and getattr(self, self.state_names[0]).shape != w.shape:
            shape = getattr(self, self.state_names[0]).shape
            raise ValueError(
                f"{owner}: `w` has shape {w.shape} but the optimizer's state has shape {shape} from "
                "earlier steps; call reset() before using this optimizer on a new problem."
            )
        lr = self.current_lr()
        self.t += 1
        return w, g, lr

    def step(self, w, g):  # pragma: no cover - every subclass defines it
        raise NotImplementedError

    def __repr__(self):
        args = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.hyper_names)
        return f"{type(self).__name__}({args})"


class GradientDescent(Optimizer):
    r"""Plain gradient descent.

    .. math::
        w_t = w_{t-1} - \eta\, g_t

    Parameters
    ----------
    lr : float or callable
        Learning rate :math:`\eta` > 0, or a schedule ``lr(t)``. On a quadratic whose Hessian has largest
        eigenvalue :math:`L`, the iterates converge for :math:`0 < \eta < 2/L` and diverge above.

    Notes
    -----
    This is the w3computing tutorial's ``theta = theta - learning_rate * gradients`` and the Stack Abuse
    tutorial's rule with ``momentum=0``. It keeps no state (only the step counter ``t``).

    Examples
    --------
    >>> GradientDescent(lr=0.1).step(np.array([1.0, 2.0]), np.array([1.0, -1.0]))
    array([0.9, 2.1])
    """

    def step(self, w, g):
        r"""Return :math:`w - \eta\, g` (a new array)."""
        w, g, lr = self._begin(w, g)
        return w - lr * g


class Momentum(Optimizer):
    r"""Gradient descent with heavy-ball momentum (Polyak), optionally Nesterov's variant.

    .. math::
        v_t &= \beta\, v_{t-1} + g_t \\
        w_t &= w_{t-1} - \eta\, v_t \qquad \text{(heavy ball)} \\
        w_t &= w_{t-1} - \eta\, (g_t + \beta\, v_t) \qquad \text{(nesterov=True)}

    with :math:`v_0 = 0`.

    Parameters
    ----------
    lr : float or callable
        Learning rate :math:`\eta` > 0, or a schedule ``lr(t)``.
    beta : float, default 0.9
        Momentum :math:`\beta` in [0, 1). ``beta=0`` is plain gradient descent.
    nesterov : bool, default False
        Use Nesterov's accelerated gradient. Needs ``beta > 0``.

    Attributes
    ----------
    v : ndarray or None
        The velocity :math:`v_t`: a running, decaying sum of past gradients.
    t : int
        Steps taken since the last reset.

    Notes
    -----
    *Other ways to write the same method.* The Stack Abuse tutorial writes momentum as
    :math:`\Delta w_t = -\eta\, g_t + \alpha\, \Delta w_{t-1}`, :math:`w_t = w_{t-1} + \Delta w_t`. With
    :math:`\alpha = \beta` and :math:`v_t = -\Delta w_t / \eta` it is exactly this rule (for a constant
    ``lr``). Keras's ``SGD(momentum=...)`` stores that :math:`\Delta w`; PyTorch's ``SGD`` and optax's
    ``sgd`` store :math:`v` as here.

    The w3computing tutorial uses an exponential moving average, :math:`v_t = \beta v_{t-1} + (1-\beta) g_t`,
    :math:`w_t = w_{t-1} - \eta v_t`. Its :math:`v` is :math:`(1-\beta)` times ours, so it equals this class
    with learning rate :math:`\eta (1-\beta)`: with ``beta=0.9`` its steps are ten times shorter.

    *Nesterov.* The usual description evaluates the gradient at a look-ahead point:
    :math:`v_t = \beta v_{t-1} + \nabla f(w_{t-1} - \eta\beta v_{t-1})`, :math:`w_t = w_{t-1} - \eta v_t`.
    Writing :math:`\theta_t = w_t - \eta\beta v_t` (the look-ahead point) turns it into the rule above, with
    the gradient taken at the current iterate :math:`\theta`; both produce the same sequence of look-ahead
    points, on any function. The current-gradient form is the one PyTorch and optax implement, and it fits
    ``step(w, g)``: the gradient is the one at ``w``.

    On a quadratic with largest curvature :math:`L`, heavy ball is stable for
    :math:`0 < \eta < 2(1+\beta)/L`.

    References
    ----------
    Polyak, B. T., "Some methods of speeding up the convergence of iteration methods", USSR Computational
    Mathematics and Mathematical Physics 4(5), 1964. Y. Nesterov, "A method for solving the convex
    programming problem with convergence rate O(1/k^2)", Soviet Mathematics Doklady 27, 1983.
    """

    state_names = ("v",)
    hyper_names = ("lr", "beta", "nesterov")

    def __init__(self, lr, beta=0.9, nesterov=False):
        self.beta = _check_beta("Momentum", "beta", beta)
        if not isinstance(nesterov, (bool, np.bool_)):
            fail("Momentum", "nesterov", "True or False", nesterov, TypeError)
        if nesterov and self.beta == 0:
            fail("Momentum", "beta", "> 0 when nesterov=True (Nesterov's look-ahead follows the velocity, "
                 "which beta=0 switches off; beta=0 with nesterov=False is plain gradient descent)", beta)
        self.nesterov = bool(nesterov)
        super().__init__(lr)

    def step(self, w, g):
        """Update the velocity ``v`` and return the new parameters (a new array)."""
        w, g, lr = self._begin(w, g)
        self.v = self.beta * self.v + g
        if self.nesterov:
            return w - lr * (g + self.beta * self.v)
        return w - lr * self.v


class AdaGrad(Optimizer):
    r"""AdaGrad: a learning rate per coordinate, shrinking with the gradients seen so far.

    .. math::
        G_t &= G_{t-1} + g_t^2 \\
        w_t &= w_{t-1} - \eta\, \frac{g_t}{\sqrt{G_t} + \epsilon}

    with :math:`G_0 = 0`.

    Parameters
    ----------
    lr : float or callable
        Learning rate :math:`\eta` > 0, or a schedule ``lr(t)``.
    eps : float, default 1e-8
        :math:`\epsilon` > 0, keeps the division finite where :math:`G = 0`.

    Attributes
    ----------
    G : ndarray or None
        Sum of squared gradients, per coordinate.
    t : int
        Steps taken since the last reset.

    Notes
    -----
    The first step moves every coordinate with a non-zero gradient by almost exactly ``lr``
    (:math:`g/|g|`), whatever the gradient's size. Because :math:`G` only grows, the steps keep shrinking,
    which helps on sparse problems and can stall long runs.

    Conventions differ: this class and PyTorch's ``Adagrad`` put :math:`\epsilon` outside the square root
    and start from :math:`G_0 = 0` (PyTorch's default ``eps`` is 1e-10); Keras's ``Adagrad`` and optax's
    ``adagrad`` start from :math:`G_0 = 0.1` and add :math:`\epsilon` (default 1e-7) inside the square
    root, :math:`g/\sqrt{G + \epsilon}`, which tames the first steps. The w3computing
    tutorial's ``adagrad`` is this rule.

    References
    ----------
    Duchi, J., Hazan, E., Singer, Y., "Adaptive subgradient methods for online learning and stochastic
    optimization", Journal of Machine Learning Research 12, 2011.
    """

    state_names = ("G",)
    hyper_names = ("lr", "eps")

    def __init__(self, lr, eps=1e-8):
        self.eps = check_positive("AdaGrad", "eps", eps)
        super().__init__(lr)

    def step(self, w, g):
        """Accumulate ``g**2`` into ``G`` and return the new parameters (a new array)."""
        w, g, lr = self._begin(w, g)
        self.G = self.G + g**2
        return w - lr * g / (np.sqrt(self.G) + self.eps)


class RMSProp(Optimizer):
    r"""RMSProp: divide each coordinate by a running root mean square of its gradients.

    .. math::
        E_t &= \beta\, E_{t-1} + (1 - \beta)\, g_t^2 \\
        w_t &= w_{t-1} - \eta\, \frac{g_t}{\sqrt{E_t} + \epsilon}

    with :math:`E_0 = 0`.

    Parameters
    ----------
    lr : float or callable
        Learning rate :math:`\eta` > 0, or a schedule ``lr(t)``.
    beta : float, default 0.9
        Decay :math:`\beta` in [0, 1) of the moving average of squared gradients (Hinton's 0.9).
    eps : float, default 1e-8
        :math:`\epsilon` > 0, keeps the division finite where :math:`E = 0`.

    Attributes
    ----------
    E : ndarray or None
        Moving average of squared gradients, per coordinate.
    t : int
        Steps taken since the last reset.

    Notes
    -----
    Unlike AdaGrad, old gradients are forgotten, so the step size does not decay to zero. There is no bias
    correction: :math:`E_1 = (1-\beta) g_1^2`, so the first step has length about
    :math:`\eta/\sqrt{1-\beta}` (3.16 ``lr`` for ``beta=0.9``) per coordinate.

    Conventions differ: PyTorch's ``RMSprop`` (its ``alpha`` is our ``beta``, default 0.99) puts
    :math:`\epsilon` outside the square root as here; optax's ``rmsprop`` puts it inside by default
    (:math:`g/\sqrt{E + \epsilon}`), which matters only when :math:`E` is tiny. The w3computing
    tutorial's ``rmsprop`` is this rule.

    References
    ----------
    Hinton, G., Srivastava, N., Swersky, K., "Neural networks for machine learning", lecture 6e, 2012.
    """

    state_names = ("E",)
    hyper_names = ("lr", "beta", "eps")

    def __init__(self, lr, beta=0.9, eps=1e-8):
        self.beta = _check_beta("RMSProp", "beta", beta)
        self.eps = check_positive("RMSProp", "eps", eps)
        super().__init__(lr)

    def step(self, w, g):
        """Update the average ``E`` of ``g**2`` and return the new parameters (a new array)."""
        w, g, lr = self._begin(w, g)
        self.E = self.beta * self.E + (1 - self.beta) * g**2
        return w - lr * g / (np.sqrt(self.E) + self.eps)


class Adam(Optimizer):
    r"""Adam: momentum and RMSProp together, with bias-corrected moments (Kingma & Ba, Algorithm 1).

    .. math::
        m_t &= \beta_1\, m_{t-1} + (1 - \beta_1)\, g_t \\
        s_t &= \beta_2\, s_{t-1} + (1 - \beta_2)\, g_t^2 \\
        \hat m_t &= m_t / (1 - \beta_1^t) \\
        \hat s_t &= s_t / (1 - \beta_2^t) \\
        w_t &= w_{t-1} - \eta\, \frac{\hat m_t}{\sqrt{\hat s_t} + \epsilon}

    with :math:`m_0 = s_0 = 0` and :math:`t = 1, 2, \dots` the number of the step.

    Parameters
    ----------
    lr : float or callable
        Learning rate :math:`\eta` > 0 (the paper's :math:`\alpha`; 0.001 there), or a schedule ``lr(t)``.
    beta1 : float, default 0.9
        Decay :math:`\beta_1` in [0, 1) of the first moment (the average gradient).
    beta2 : float, default 0.999
        Decay :math:`\beta_2` in [0, 1) of the second moment (the average squared gradient).
    eps : float, default 1e-8
        :math:`\epsilon` > 0, added outside the square root.

    Attributes
    ----------
    m, s : ndarray or None
        Raw (biased) first and second moments. The paper calls :math:`s` "v"; the w3computing tutorial calls
        :math:`m` "v" and :math:`s` "s".
    m_hat, s_hat : ndarray or None
        The bias-corrected moments :math:`\hat m_t, \hat s_t` of the last step (``None`` before it), kept
        so that you can compare them with the raw ones.
    t : int
        Steps taken since the last reset.

    Notes
    -----
    The moments start at zero, so early averages are too small; dividing by :math:`1-\beta^t` undoes
    exactly that bias. Thanks to it the first step has length about ``lr`` in every coordinate with a
    non-zero gradient.

    Conventions differ: PyTorch's ``Adam`` and optax's ``adam`` compute this rule (:math:`\epsilon`
    outside the square root of the corrected :math:`\hat s`). TensorFlow/Keras's ``Adam`` uses the
    cheaper form at the end of the paper's section 2: its ``epsilon`` (default 1e-7) is added to
    :math:`\sqrt{s_t}` before correction, the paper's :math:`\hat\epsilon`, so it acts as a larger
    :math:`\epsilon` early on. The w3computing tutorial's ``adam`` is this
    rule.

    References
    ----------
    Kingma, D. P., Ba, J., "Adam: A method for stochastic optimization", ICLR 2015 (arXiv:1412.6980).
    """

    state_names = ("m", "s")
    hyper_names = ("lr", "beta1", "beta2", "eps")

    def __init__(self, lr, beta1=0.9, beta2=0.999, eps=1e-8):
        self.beta1 = _check_beta("Adam", "beta1", beta1)
        self.beta2 = _check_beta("Adam", "beta2", beta2)
        self.eps = check_positive("Adam", "eps", eps)
        super().__init__(lr)

    def reset(self):
        """Forget the state: ``t = 0``; ``m``, ``s``, ``m_hat`` and ``s_hat`` back to ``None``."""
        super().reset()
        self.m_hat = self.s_hat = None

    def step(self, w, g):
        """Update both moments, correct their bias and return the new parameters (a new array)."""
        w, g, lr = self._begin(w, g)  # self.t is now the 1-based step number
        self.m = self.beta1 * self.m + (1 - self.beta1) * g
        self.s = self.beta2 * self.s + (1 - self.beta2) * g**2
        self.m_hat = self.m / (1 - self.beta1**self.t)
        self.s_hat = self.s / (1 - self.beta2**self.t)
        return w - lr * self.m_hat / (np.sqrt(self.s_hat) + self.eps)
