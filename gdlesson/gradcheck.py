r"""Checking a gradient against central finite differences.

A hand-derived gradient is the easiest thing in this course to get wrong and the hardest to notice:
descent with a wrong gradient still moves, just not downhill. The cure is cheap: compare ``grad(w)``
with the slope measured numerically, one coordinate at a time.
"""

from __future__ import annotations

import numpy as np

from ._validation import check_array, check_positive, fail

__all__ = ["numerical_gradient", "check_gradient"]

#: Smallest positive float64, so that 0/0 reads as a relative error of 0 and not NaN.
TINY = np.finfo(np.float64).tiny


def numerical_gradient(f, w, h=1e-6):
    r"""The gradient of ``f`` at ``w`` by central differences, in float64.

    .. math::
        \frac{\partial f}{\partial w_i}(w) \approx \frac{f(w + h e_i) - f(w - h e_i)}{2h}

    where :math:`e_i` is the i-th unit vector (for a matrix ``w``, one entry at a time). The error of
    this formula is :math:`O(h^2)` (the one-sided :math:`(f(w + h e_i) - f(w))/h` is only :math:`O(h)`),
    plus a rounding error of about :math:`10^{-16}\,|f| / h`; ``h`` around 1e-6 balances the two in
    float64. For gently curved functions (a quadratic has no :math:`h^2` term at all) a larger ``h``
    such as 1e-5 is more accurate; for steep ones such as :class:`~gdlesson.objectives.Rosenbrock`, keep 1e-6.
    It costs two evaluations of ``f`` per entry of ``w``: a check, not a way to train.

    Parameters
    ----------
    f : callable
        ``f(w)`` returns one number; it is called with float64 arrays of the shape of ``w``.
    w : array_like
        The point, of any shape; finite.
    h : float, default 1e-6
        The step, > 0.

    Returns
    -------
    ndarray of float64, same shape as ``w``

    References
    ----------
    Nocedal, J. and Wright, S. J., *Numerical Optimization*, 2nd ed., Springer, 2006, section 8.1.
    """
    if not callable(f):
        fail("numerical_gradient", "f", "a function of w returning one number", f, TypeError)
    w = check_array("numerical_gradient", "w", w)
    h = check_positive("numerical_gradient", "h", h)
    grad = np.zeros_like(w)
    for i in range(w.size):
        w_plus, w_minus = w.copy(), w.copy()
        w_plus.flat[i] += h
        w_minus.flat[i] -= h
        grad.flat[i] = (_scalar(f, w_plus) - _scalar(f, w_minus)) / (2 * h)
    return grad


def check_gradient(f, grad, w, h=1e-6):
    r"""The largest relative error between ``grad(w)`` and central differences of ``f``.

    .. math::
        \text{error} = \max_i \frac{|a_i - n_i|}{\max(|a_i|, |n_i|, \text{tiny})}

    where :math:`a = ` ``grad(w)`` is the analytic gradient and :math:`n` the
    :func:`numerical_gradient`; ``tiny`` (the smallest positive float64) only keeps :math:`0/0` at 0.
    Reading the result, in float64 (CS231n's rule of thumb):

    * below 1e-7: the gradient is right;
    * 1e-7 to 1e-4: look again (fine for kinks such as ``abs`` or ``max``, suspicious otherwise);
    * above 1e-4: suspicious; above 1e-2: the gradient is almost certainly wrong.

    A relative error is unreliable for an entry whose true value is almost zero (say 1e-12 against a
    numerical 0): test at a few random points rather than at a minimum.

    Parameters
    ----------
    f : callable
        ``f(w)`` returns one number.
    grad : callable
        ``grad(w)`` returns an array of the same shape as ``w``.
    w : array_like
        The point, of any shape; finite.
    h : float, default 1e-6
        The finite-difference step, > 0.

    Returns
    -------
    float
        The largest relative error over all entries of ``w``.

    References
    ----------
    Karpathy, A. et al., CS231n course notes, "Gradient checks",
    https://cs231n.github.io/neural-networks-3/#gradcheck.
    """
    if not callable(f):
        fail("check_gradient", "f", "a function of w returning one number", f, TypeError)
    if not callable(grad):
        fail("check_gradient", "grad", "a function of w returning an array", grad, TypeError)
    w = check_array("check_gradient", "w", w)
    h = check_positive("check_gradient", "h", h)
    analytic = np.asarray(grad(w.copy()), dtype=np.float64)
    if analytic.shape != w.shape:
        fail("check_gradient", "grad", f"a function returning an array of w's shape {w.shape}",
             f"an array of shape {analytic.shape}")
    if not np.all(np.isfinite(analytic)):
        fail("check_gradient", "grad", "a function returning finite numbers",
             "an array containing NaN or inf")
    numerical = numerical_gradient(f, w, h)
    if not np.all(np.isfinite(numerical)):
        fail("check_gradient", "f", "finite at w +/- h in every coordinate", "NaN or inf")
    if w.size == 0:
        return 0.0
    scale = np.maximum(np.maximum(np.abs(analytic), np.abs(numerical)), TINY)
    return float(np.max(np.abs(analytic - numerical) / scale))


def _scalar(f, w):
    value = np.asarray(f(w), dtype=np.float64)
    if value.size != 1:
        fail("numerical_gradient", "f", "a function returning one number", f"an array of shape {value.shape}")
    return float(value.reshape(()))
