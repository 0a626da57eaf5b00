r"""Data sets for the course: the w3computing tutorial's line, scikit-learn's bundled digits, and helpers.

Every function here is deterministic: it takes a ``seed`` and uses its own random generator, so it never
touches (or depends on) NumPy's global random state.
"""

from __future__ import annotations

import math
import numbers

import numpy as np

from ._validation import check_array, check_int, fail

__all__ = ["make_linear_data", "add_bias", "load_digits", "train_test_split"]


def make_linear_data(n=100, seed=42):
    r"""Noisy points around the line :math:`y = 4 + 3x`, exactly as the w3computing tutorial makes them.

    .. math::
        x_i \sim \mathcal{U}[0, 2), \qquad y_i = 4 + 3 x_i + \varepsilon_i, \qquad
        \varepsilon_i \sim \mathcal{N}(0, 1)

    The w3computing tutorial calls ``np.random.seed(42)`` and then ``2 * np.random.rand(100, 1)`` and
    ``4 + 3 * X + np.random.randn(100, 1)``. This function draws the same numbers in the same order from
    ``np.random.RandomState(seed)`` -- the generator behind that legacy global API -- so the result is
    identical while NumPy's global state is left alone. With the defaults, the least-squares line through
    the points is :math:`y \approx 4.2151 + 2.7701\,x`, not the true :math:`4 + 3x`: 100 noisy points
    only estimate it.

    Parameters
    ----------
    n : int, default 100
        Number of points, >= 1.
    seed : int, default 42
        Seed of the generator, in [0, 2**32 - 1].

    Returns
    -------
    X : ndarray, shape (n, 1)
        The feature, a column vector (add the bias column with :func:`add_bias`).
    y : ndarray, shape (n, 1)
        The targets, a column vector.

    References
    ----------
    "Implementing Gradient Descent from Scratch in Python", w3computing.com (the w3computing tutorial).
    """
    n = check_int("make_linear_data", "n", n, low=1)
    seed = check_int("make_linear_data", "seed", seed, low=0, high=2**32 - 1)
    rng = np.random.RandomState(seed)
    X = 2 * rng.rand(n, 1)
    y = 4 + 3 * X + rng.randn(n, 1)
    return X, y


def add_bias(X):
    r"""Prepend a column of ones to ``X``, so that ``w[0]`` acts as the intercept.

    .. math::
        \begin{pmatrix} x_1^\top \\ \vdots \\ x_m^\top \end{pmatrix} \mapsto
        \begin{pmatrix} 1 & x_1^\top \\ \vdots & \vdots \\ 1 & x_m^\top \end{pmatrix},
        \qquad \hat y = w_0 + w_1 x_1 + \dots + w_n x_n

    This is the w3computing tutorial's ``np.c_[np.ones((100, 1)), X]``.

    Parameters
    ----------
    X : array_like, shape (m, n)
        A 2-D array of finite numbers. For one feature stored as shape (m,), pass ``X.reshape(-1, 1)``.

    Returns
    -------
    ndarray of float64, shape (m, n + 1)
    """
    X = check_array("add_bias", "X", X)
    if X.ndim != 2:
        fail("add_bias", "X", "a 2-D array of shape (m, n); for one feature use X.reshape(-1, 1)",
             f"array of shape {X.shape}")
    return np.hstack([np.ones((X.shape[0], 1)), X])


def load_digits(n_class=10):
    r"""The 8x8 handwritten digits bundled with scikit-learn (no download), as ``(X, y)``.

    1797 images in total (about 180 per digit); ``n_class=2`` keeps only the 0s and 1s (360 images), as
    the Stack Abuse tutorial does. This is
    ``sklearn.datasets.load_digits(n_class=n_class, return_X_y=True)``, returned unchanged: same rows in
    the same order.

    Parameters
    ----------
    n_class : int, default 10
        Keep the digits ``0, ..., n_class - 1``; in [2, 10].

    Returns
    -------
    X : ndarray of float64, shape (m, 64)
        One image per row, pixels row by row, grey levels from 0 to 16 (not scaled).
        ``X[i].reshape(8, 8)`` is the i-th image.
    y : ndarray of int, shape (m,)
        The digit each image shows.

    Raises
    ------
    ImportError
        When scikit-learn is missing (the book needs it, ``gdlesson`` does not): ``pip install scikit-learn``.

    References
    ----------
    Alpaydin, E. and Kaynak, C., "Optical Recognition of Handwritten Digits", UCI Machine Learning
    Repository, 1998. https://doi.org/10.24432/C50P49
    """
    n_class = check_int("load_digits", "n_class", n_class, low=2, high=10)
    try:
        from sklearn import datasets
    except ImportError as error:
        raise ImportError(
            "load_digits: the digits data ship with scikit-learn, which is not installed. "
            "Install it with `pip install scikit-learn` (or `pip install -r requirements.txt`)."
        ) from error
    X, y = datasets.load_digits(n_class=n_class, return_X_y=True)
    return X.astype(np.float64), y.astype(np.int64)


def train_test_split(X, y, test_size=0.2, seed=0):
    r"""Shuffle the samples and split them into a training part and a test part.

    The rows are put in the order ``np.random.default_rng(seed).permutation(m)``; the first
    :math:`\lceil t\, m \rceil` of them, with :math:`t` = ``test_size``, form the test set (the rounding
    scikit-learn uses), the others the training set.

    This is NOT scikit-learn's ``train_test_split``: it draws a different permutation, so the same
    ``seed`` / ``random_state`` gives a different split. Chapter 5 reproduces the Stack Abuse tutorial's
    published error rates with scikit-learn's own function for that reason.

    Parameters
    ----------
    X : array_like
        Samples in rows: shape (m,) or (m, n) or more dimensions.
    y : array_like
        Targets or labels, one per row of ``X``: shape (m,) or (m, 1) or more dimensions.
    test_size : float or int, default 0.2
        A fraction in (0, 1), or a number of test samples in [1, m - 1].
    seed : int, default 0
        Seed of the shuffle, >= 0.

    Returns
    -------
    X_train, X_test, y_train, y_test : ndarray
        In scikit-learn's order; dtypes are kept.
    """
    X, y = np.asarray(X), np.asarray(y)
    if X.ndim == 0 or y.ndim == 0 or X.shape[0] != y.shape[0]:
        fail("train_test_split", "y", f"an array with one entry per row of X, and X has shape {X.shape}",
             f"array of shape {y.shape}")
    m = X.shape[0]
    if m < 2:
        fail("train_test_split", "X", "an array with at least 2 samples (rows)", f"array of shape {X.shape}")
    seed = check_int("train_test_split", "seed", seed, low=0)
    if isinstance(test_size, numbers.Integral) and not isinstance(test_size, bool):
        n_test = check_int("train_test_split", "test_size", test_size, low=1, high=m - 1)
    elif isinstance(test_size, numbers.Real) and not isinstance(test_size, bool) and 0 < test_size < 1:
        n_test = math.ceil(test_size * m)
        if n_test >= m:
            fail("train_test_split", "test_size", f"a fraction leaving at least one of the {m} samples "
                 "for training", test_size)
    else:
        fail("train_test_split", "test_size", f"a fraction in (0, 1) or an integer in [1, {m - 1}]",
             test_size)
    order = np.random.default_rng(seed).permutation(m)
    test, train = order[:n_test], order[n_test:]
    return X[train], X[test], y[train], y[test]
