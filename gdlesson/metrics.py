r"""How good is a model? Regression and classification metrics in plain NumPy.

Each function takes ``(y_true, y_pred)`` in scikit-learn's order and returns a float (or, for
:func:`confusion_matrix`, an array). Targets may be shaped ``(m,)`` or ``(m, 1)`` -- the w3computing
tutorial keeps its targets as column vectors -- and the two may differ in that respect only: any other
shape mismatch is an error, because ``y_true - y_pred`` with shapes (m, 1) and (m,) would silently
broadcast to an (m, m) matrix.
"""

from __future__ import annotations

import numpy as np

from ._validation import check_int, fail

__all__ = ["mse", "mae", "r2_score", "accuracy", "error_rate", "confusion_matrix"]


def _pair(owner, y_true, y_pred, *, labels=False):
    """Check two target arrays and return them flattened to shape (m,)."""
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    for name, y in (("y_true", y_true), ("y_pred", y_pred)):
        if not (y.ndim == 1 or (y.ndim == 2 and y.shape[1] == 1)) or y.shape[0] == 0:
            fail(owner, name, "a non-empty array of shape (m,) or (m, 1)", f"array of shape {y.shape}")
    if y_true.shape[0] != y_pred.shape[0]:
        fail(owner, "y_pred", f"an array with as many entries as y_true, which has shape {y_true.shape}",
             f"array of shape {y_pred.shape}")
    y_true, y_pred = y_true.ravel(), y_pred.ravel()
    for name, y in (("y_true", y_true), ("y_pred", y_pred)):
        if y.dtype.kind not in "biuf":
            fail(owner, name, "an array of numbers", f"array of dtype {y.dtype}", TypeError)
        if not np.all(np.isfinite(y)):
            fail(owner, name, "finite (no NaN or inf)", "an array containing NaN or inf")
        if labels and not np.all(y == np.round(y)):
            fail(owner, name, "integer class labels (for probabilities, predict the labels first)",
                 f"non-integer values such as {float(y[y != np.round(y)][0])}")
    return y_true.astype(np.float64), y_pred.astype(np.float64)


def mse(y_true, y_pred):
    r"""Mean squared error.

    .. math::
        \mathrm{MSE} = \frac{1}{m} \sum_{i=1}^m (y_i - \hat y_i)^2

    Note that :class:`~gdlesson.objectives.LeastSquares` minimises half of this (the w3computing tutorial's
    convention).

    Parameters
    ----------
    y_true, y_pred : array_like, shape (m,) or (m, 1)

    Returns
    -------
    float
        >= 0; 0 for a perfect fit. In squared units of ``y``.

    References
    ----------
    scikit-learn's ``sklearn.metrics.mean_squared_error`` computes the same number.
    """
    y_true, y_pred = _pair("mse", y_true, y_pred)
    return float(np.mean((y_true - y_pred) ** 2))


def mae(y_true, y_pred):
    r"""Mean absolute error.

    .. math::
        \mathrm{MAE} = \frac{1}{m} \sum_{i=1}^m |y_i - \hat y_i|

    Parameters
    ----------
    y_true, y_pred : array_like, shape (m,) or (m, 1)

    Returns
    -------
    float
        >= 0, in the units of ``y``; less sensitive to a few large errors than :func:`mse`.

    References
    ----------
    scikit-learn's ``sklearn.metrics.mean_absolute_error`` computes the same number.
    """
    y_true, y_pred = _pair("mae", y_true, y_pred)
    return float(np.mean(np.abs(y_true - y_pred)))


def r2_score(y_true, y_pred):
    r"""Coefficient of determination :math:`R^2`: the share of the variance of ``y`` the model explains.

    .. math::
        R^2 = 1 - \frac{\sum_i (y_i - \hat y_i)^2}{\sum_i (y_i - \bar y)^2}

    1 is a perfect fit, 0 is no better than predicting the mean :math:`\bar y`, and it is negative for
    worse than that (it has no lower bound).

    Parameters
    ----------
    y_true : array_like, shape (m,) or (m, 1)
        Must not be constant (the denominator would be 0).
    y_pred : array_like, shape (m,) or (m, 1)

    Returns
    -------
    float
        In (-inf, 1].

    References
    ----------
    scikit-learn's ``sklearn.metrics.r2_score`` computes the same number (for non-constant ``y_true``).
    """
    y_true, y_pred = _pair("r2_score", y_true, y_pred)
    total = np.sum((y_true - y_true.mean()) ** 2)
    if total == 0:
        fail("r2_score", "y_true", "not constant (R^2 divides by its variance)",
             f"{len(y_true)} copies of {y_true[0]}")
    return float(1 - np.sum((y_true - y_pred) ** 2) / total)


def accuracy(y_true, y_pred):
    r"""The fraction of labels predicted correctly.

    .. math::
        \mathrm{accuracy} = \frac{1}{m} \sum_{i=1}^m [\,\hat y_i = y_i\,]

    Parameters
    ----------
    y_true, y_pred : array_like of int, shape (m,) or (m, 1)
        Class labels (integer values; pass predicted labels, not probabilities).

    Returns
    -------
    float
        In [0, 1].

    References
    ----------
    scikit-learn's ``sklearn.metrics.accuracy_score`` computes the same number.
    """
    y_true, y_pred = _pair("accuracy", y_true, y_pred, labels=True)
    return float(np.mean(y_true == y_pred))


def error_rate(y_true, y_pred):
    r"""The fraction of labels predicted wrongly, :math:`1 - \mathrm{accuracy}`.

    .. math::
        \mathrm{error\ rate} = \frac{1}{m} \sum_{i=1}^m [\,\hat y_i \neq y_i\,]

    A fraction in [0, 1]: the Stack Abuse tutorial prints it as a percentage (multiply by 100).

    Parameters
    ----------
    y_true, y_pred : array_like of int, shape (m,) or (m, 1)
        Class labels.

    Returns
    -------
    float
        In [0, 1].
    """
    y_true, y_pred = _pair("error_rate", y_true, y_pred, labels=True)
    return float(np.mean(y_true != y_pred))


def confusion_matrix(y_true, y_pred, n_classes=None):
    r"""Count how often each true class is predicted as each class.

    .. math::
        C_{jk} = \#\{\, i : y_i = j \text{ and } \hat y_i = k \,\}

    Rows are true classes and columns predicted ones (scikit-learn's convention), so the diagonal holds
    the correct predictions and ``C.sum()`` is the number of samples.

    Parameters
    ----------
    y_true, y_pred : array_like of int, shape (m,) or (m, 1)
        Labels in ``0, ..., n_classes - 1``.
    n_classes : int, optional
        Number of classes, >= 1. By default, one more than the largest label present in either array.

    Returns
    -------
    ndarray of int, shape (n_classes, n_classes)

    References
    ----------
    scikit-learn's ``sklearn.metrics.confusion_matrix`` with ``labels=range(n_classes)`` gives the same
    matrix.
    """
    y_true, y_pred = _pair("confusion_matrix", y_true, y_pred, labels=True)
    y_true, y_pred = y_true.astype(np.int64), y_pred.astype(np.int64)
    largest = int(max(y_true.max(), y_pred.max()))
    if n_classes is None:
        n_classes = largest + 1
    n_classes = check_int("confusion_matrix", "n_classes", n_classes, low=1)
    for name, y in (("y_true", y_true), ("y_pred", y_pred)):
        if y.min() < 0 or y.max() >= n_classes:
            fail("confusion_matrix", name, f"labels in [0, {n_classes - 1}] (n_classes={n_classes})",
                 f"labels from {int(y.min())} to {int(y.max())}")
    counts = np.bincount(n_classes * y_true + y_pred, minlength=n_classes**2)
    return counts.reshape(n_classes, n_classes)
