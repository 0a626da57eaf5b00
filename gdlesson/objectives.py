r"""Functions to minimise, each with its analytic gradient.

An objective is anything with three methods:

* ``value(w, rows=None)`` -- the number :math:`f(w)`;
* ``grad(w, rows=None)`` -- the gradient :math:`\nabla f(w)`, an array shaped like ``w``;
* ``value_and_grad(w, rows=None)`` -- both, computed in one pass (they share the work).

and two attributes: ``w_shape``, the shape the parameter ``w`` must have (``None`` means any shape), and
``n_samples``, the number of training samples (``None`` for objectives without data). Objectives built on
data (:class:`LeastSquares`, :class:`LogisticRegression`, :class:`SoftmaxRegression`) average a loss over
samples; ``rows`` is an array of sample indices, so one step can use one sample (stochastic gradient
descent) or a mini-batch, and the average is then taken over ``len(rows)`` samples only.

Every method checks ``w`` (its shape, and that it holds no NaN or inf) and ``rows`` first, so a mistake
is reported in the cell that made it instead of turning into NaN further on.
"""

from __future__ import annotations

import numbers

import numpy as np

from ._validation import check_array, check_int, check_real, fail

__all__ = [
    "Objective",
    "Quadratic",
    "Rosenbrock",
    "LeastSquares",
    "LogisticRegression",
    "SoftmaxRegression",
]


class Objective:
    r"""An objective built from two plain functions: the value and the gradient.

    This is how a student's own function enters the course's tools::

        def f(w):
            return w[0] ** 2 + 10 * w[1] ** 2

        def grad_f(w):
            return np.array([2 * w[0], 20 * w[1]])

        objective = gd.Objective(f, grad_f, w_shape=(2,))

    It is also the base class of every objective in :mod:`gdlesson.objectives`: the public methods check
    their input, then call ``_value``, ``_grad`` and ``_value_and_grad``, which subclasses override.

    Parameters
    ----------
    value : callable
        ``value(w)`` returns the number :math:`f(w)`.
    grad : callable
        ``grad(w)`` returns :math:`\nabla f(w)`, an array of the same shape as ``w``.
    w_shape : tuple of int, optional
        The shape ``w`` must have. ``None`` (the default) accepts any shape.

    Attributes
    ----------
    n_samples : None
        A plain objective has no data, so ``rows`` cannot be used with it.
    w_shape : tuple of int or None

    References
    ----------
    Nocedal, J. and Wright, S. J., *Numerical Optimization*, 2nd ed., Springer, 2006, chapter 2.
    """

    n_samples = None
    w_shape = None

    def __init__(self, value, grad, w_shape=None):
        if not callable(value):
            fail("Objective", "value", "a function of w", value, TypeError)
        if not callable(grad):
            fail("Objective", "grad", "a function of w", grad, TypeError)
        if w_shape is not None:
            if isinstance(w_shape, numbers.Integral):
                w_shape = (w_shape,)
            w_shape = tuple(check_int("Objective", "w_shape", d, low=1) for d in w_shape)
        self._value_fn = value
        self._grad_fn = grad
        self.w_shape = w_shape

    # --- the public methods: check, then compute ---------------------------------------------------

    def value(self, w, rows=None):
        """The objective :math:`f(w)` (averaged over ``rows`` only, when given)."""
        w, rows = self._check_input("value", w, rows)
        return self._check_scalar(self._value(w, rows))

    def grad(self, w, rows=None):
        r"""The gradient :math:`\nabla f(w)`, an array of the same shape as ``w``."""
        w, rows = self._check_input("grad", w, rows)
        return self._check_grad_shape(self._grad(w, rows), w)

    def value_and_grad(self, w, rows=None):
        """Both ``(value, grad)`` in one pass, sharing the work the two have in common."""
        w, rows = self._check_input("value_and_grad", w, rows)
        value, g = self._value_and_grad(w, rows)
        return self._check_scalar(value), self._check_grad_shape(g, w)

    # --- what subclasses override ------------------------------------------------------------------

    def _value(self, w, rows):
        return self._value_fn(w)

    def _grad(self, w, rows):
        return self._grad_fn(w)

    def _value_and_grad(self, w, rows):
        return self._value(w, rows), self._grad(w, rows)

    # --- checks ------------------------------------------------------------------------------------

    def _check_input(self, method, w, rows):
        owner = f"{type(self).__name__}.{method}"
        if self.w_shape is None:
            w = check_array(owner, "w", w)
        else:
            w = check_array(owner, "w", w, shape=self.w_shape)
        if rows is None:
            return w, None
        if self.n_samples is None:
            fail(owner, "rows", "None (this objective has no data samples to select)",
                 f"array of shape {np.shape(rows)}")
        return w, _check_rows(owner, rows, self.n_samples)

    def _check_scalar(self, value):
        value = np.asarray(value, dtype=np.float64)
        if value.size != 1:
            fail(type(self).__name__, "value", "a function returning one number",
                 f"an array of shape {value.shape}")
        return float(value.reshape(()))

    def _check_grad_shape(self, g, w):
        g = np.asarray(g, dtype=np.float64)
        if g.shape != w.shape:
            fail(type(self).__name__, "grad", f"a function returning an array of w's shape {w.shape}",
                 f"an array of shape {g.shape}")
        return g

    def __repr__(self):
        name = getattr(self._value_fn, "__name__", "value")
        grad_name = getattr(self._grad_fn, "__name__", "grad")
        return f"Objective(value={name}, grad={grad_name}, w_shape={self.w_shape})"


def _check_rows(owner, rows, n_samples):
    """``rows`` must be a non-empty 1-D array of integer indices in [0, n_samples)."""
    idx = np.asarray(rows)
    allowed = "a non-empty 1-D array of integer sample indices"
    if idx.size > 0 and idx.dtype.kind not in "iu":
        fail(owner, "rows", allowed, f"array of dtype {idx.dtype}", TypeError)
    if idx.ndim != 1 or idx.size == 0:
        fail(owner, "rows", allowed, f"array of shape {idx.shape}")
    if idx.min() < 0 or idx.max() >= n_samples:
        bad = idx[(idx < 0) | (idx >= n_samples)][:5].tolist()
        fail(owner, "rows", f"indices in [0, {n_samples - 1}] (n_samples={n_samples})",
             f"out-of-range indices {bad}")
    return idx


def _check_data(owner, X, y, *, y_1d_only):
    """Check a design matrix ``X`` (m, n) and targets ``y`` with the same number of rows; copy ``X``."""
    X = check_array(owner, "X", X, ndim=2).copy()
    y = np.asarray(y)
    is_column = y.ndim == 2 and y.shape[1] == 1
    if not (y.ndim == 1 or (is_column and not y_1d_only)):
        if y_1d_only:
            fail(owner, "y", "a 1-D array of shape (m,) (use y.ravel())", f"array of shape {y.shape}")
        fail(owner, "y", "an array of shape (m,) or (m, 1)", f"array of shape {y.shape}")
    if y.shape[0] != X.shape[0]:
        fail(owner, "y", f"an array with one entry per row of X, and X has shape {X.shape}",
             f"array of shape {y.shape}")
    if X.shape[0] == 0:
        fail(owner, "X", "non-empty (at least one sample)", f"array of shape {X.shape}")
    return X, y


class Quadratic(Objective):
    r"""The quadratic bowl :math:`f(w) = \tfrac12 w^\top A w - b^\top w`.

    .. math::
        f(w) = \tfrac{1}{2} w^\top A w - b^\top w, \qquad \nabla f(w) = A w - b.

    ``A = 2 * np.eye(2)`` gives the round bowl :math:`w_1^2 + w_2^2`; ``A = np.diag([1.0, 25.0])`` a
    narrow valley. The eigenvalues of :math:`A` drive everything the theory chapters prove: when
    :math:`A` is positive definite, gradient descent with a constant learning rate converges on this
    function exactly when :math:`0 < \eta < 2/L`, at a speed set by the condition number
    :math:`\kappa = L/\mu`.

    Parameters
    ----------
    A : array_like, shape (n, n)
        A symmetric matrix. When it is positive definite, :math:`f` has one minimizer.
    b : array_like, shape (n,), optional
        Defaults to zeros, which puts the minimizer at the origin.

    Attributes
    ----------
    A : ndarray, shape (n, n)
    b : ndarray, shape (n,)
    L : float
        Largest eigenvalue of :math:`A`, the Lipschitz constant of the gradient (the "smoothness").
    mu : float
        Smallest eigenvalue of :math:`A` (the strong convexity constant when it is > 0).
    condition_number : float
        :math:`\kappa = L/\mu`, or ``inf`` when :math:`\mu \le 0`.
    minimizer : ndarray of shape (n,), or None
        :math:`w^\star = A^{-1} b`; ``None`` when :math:`A` is not positive definite (then there is
        no unique minimizer: a saddle, a valley floor, or a function unbounded below).
    min_value : float or None
        :math:`f(w^\star) = -\tfrac12 b^\top A^{-1} b`, or ``None`` with the minimizer.
    w_shape : tuple
        ``(n,)``.

    References
    ----------
    Boyd, S. and Vandenberghe, L., *Convex Optimization*, Cambridge University Press, 2004, section 9.3.
    """

    def __init__(self, A, b=None):
        A = check_array("Quadratic", "A", A, ndim=2)
        if A.shape[0] != A.shape[1] or A.shape[0] == 0:
            fail("Quadratic", "A", "a square (n, n) matrix", f"array of shape {A.shape}")
        if not np.allclose(A, A.T, rtol=1e-10, atol=1e-12):
            fail("Quadratic", "A", "symmetric (A == A.T); use (A + A.T) / 2, which gives the same f",
                 f"a matrix with max |A - A.T| = {np.abs(A - A.T).max():.3g}")
        n = A.shape[0]
        b = np.zeros(n) if b is None else check_array("Quadratic", "b", b, shape=(n,))
        self.A, self.b, self.w_shape = A.copy(), b.copy(), (n,)  # copies: later edits cannot make L stale
        eigenvalues = np.linalg.eigvalsh(A)  # ascending
        self.mu, self.L = float(eigenvalues[0]), float(eigenvalues[-1])
        self.condition_number = self.L / self.mu if self.mu > 0 else float("inf")
        if self.mu > 0:
            self.minimizer = np.linalg.solve(A, b)
            self.min_value = float(-0.5 * b @ self.minimizer)
        else:
            self.minimizer = None
            self.min_value = None

    def _value(self, w, rows):
        return 0.5 * w @ self.A @ w - self.b @ w

    def _grad(self, w, rows):
        return self.A @ w - self.b

    def _value_and_grad(self, w, rows):
        Aw = self.A @ w
        return 0.5 * w @ Aw - self.b @ w, Aw - self.b

    def __repr__(self):
        return f"Quadratic(L={_short(self.L)}, mu={_short(self.mu)})"


class Rosenbrock(Objective):
    r"""Rosenbrock's banana-shaped valley, a classic hard test for optimizers.

    .. math::
        f(x, y) &= (a - x)^2 + b\,(y - x^2)^2 \\
        \nabla f(x, y) &= \bigl(2(x - a) - 4 b x (y - x^2),\; 2 b (y - x^2)\bigr)

    with :math:`w = (x, y)`. The minimum is :math:`f = 0` at :math:`(a, a^2)`, at the bottom of a long,
    curved, nearly flat valley: finding the valley is easy, following it is slow.

    Parameters
    ----------
    a : float, default 1
        Any finite real number.
    b : float, default 100
        The steepness of the valley walls; must be > 0.

    Attributes
    ----------
    minimizer : ndarray, shape (2,)
        :math:`(a, a^2)`.
    min_value : float
        0.
    w_shape : tuple
        ``(2,)``.

    References
    ----------
    Rosenbrock, H. H., "An automatic method for finding the greatest or least value of a function",
    *The Computer Journal* 3(3):175-184, 1960.
    """

    w_shape = (2,)
    min_value = 0.0

    def __init__(self, a=1, b=100):
        self.a = check_real("Rosenbrock", "a", a)
        self.b = check_real("Rosenbrock", "b", b, low=0.0, low_open=True, high_open=False)
        self.minimizer = np.array([self.a, self.a**2])

    # Products, not ``**2``: NumPy computes a scalar's ``x**2`` with the C library's pow(), which may round
    # differently on another machine (or in the browser port, gdlesson/js/port.js); ``x * x`` is rounded the
    # same by every IEEE-754 machine.
    def _value(self, w, rows):
        x, y = w
        u, r = self.a - x, y - x * x
        return u * u + self.b * (r * r)

    def _grad(self, w, rows):
        x, y = w
        r = y - x * x
        return np.array([2 * (x - self.a) - 4 * self.b * x * r, 2 * self.b * r])

    def __repr__(self):
        return f"Rosenbrock(a={_short(self.a)}, b={_short(self.b)})"


class LeastSquares(Objective):
    r"""Linear least squares, the cost function of linear regression (the w3computing tutorial's convention).

    .. math::
        J(w) = \frac{1}{2m} \lVert X w - y \rVert^2, \qquad \nabla J(w) = \frac{1}{m} X^\top (X w - y)

    where :math:`m` is the number of samples (``len(rows)`` when ``rows`` is given). For a bias term,
    add a column of ones to ``X`` first (:func:`gdlesson.data.add_bias`).

    **Other conventions.** The Stack Abuse tutorial minimises :math:`\tfrac12\lVert Xw - y\rVert^2`
    (half the sum) and many texts the plain mean :math:`\tfrac1m\lVert Xw - y\rVert^2`. All three have
    the same minimizer; their gradients are this one times :math:`m` and times 2. A gradient step
    :math:`w - \eta\,\nabla J` is therefore the same step as :math:`w - (\eta/m)\,\nabla(\text{half sum})`
    or :math:`w - (\eta/2)\,\nabla(\text{mean})`: switching convention only rescales the learning rate.

    Parameters
    ----------
    X : array_like, shape (m, n)
        One row per sample, one column per feature (finite numbers).
    y : array_like, shape (m,) or (m, 1)
        Targets. The shape of ``w`` follows it: ``w`` has shape ``(n,)`` when ``y`` is ``(m,)`` and
        ``(n, 1)`` when ``y`` is the column vector ``(m, 1)`` that the w3computing tutorial uses.
        Mixing the two would make ``X @ w - y`` broadcast to an (m, m) matrix, so the other shape is
        refused.

    Attributes
    ----------
    X, y : ndarray
    n_samples : int
        :math:`m`.
    n_features : int
        :math:`n`.
    w_shape : tuple
        ``(n,)`` or ``(n, 1)``, following ``y``.

    References
    ----------
    Géron, A., *Hands-On Machine Learning with Scikit-Learn, Keras and TensorFlow*, 2nd ed., O'Reilly,
    2019, chapter 4.
    """

    def __init__(self, X, y):
        X, y = _check_data("LeastSquares", X, y, y_1d_only=False)
        self.X = X
        self.y = check_array("LeastSquares", "y", y).copy()
        self.n_samples, self.n_features = X.shape
        self.w_shape = (self.n_features,) + self.y.shape[1:]

    def _residual(self, w, rows):
        if rows is None:
            return self.X @ w - self.y, self.X
        X = self.X[rows]
        return X @ w - self.y[rows], X

    def _value(self, w, rows):
        r, _ = self._residual(w, rows)
        return np.vdot(r, r) / (2 * len(r))

    def _grad(self, w, rows):
        r, X = self._residual(w, rows)
        return X.T @ r / len(r)

    def _value_and_grad(self, w, rows):
        r, X = self._residual(w, rows)
        return np.vdot(r, r) / (2 * len(r)), X.T @ r / len(r)

    def solve(self):
        """The exact minimizer, by ``np.linalg.lstsq`` (shape ``w_shape``), to compare descent with."""
        return np.linalg.lstsq(self.X, self.y, rcond=None)[0]

    def __repr__(self):
        return f"LeastSquares(n_samples={self.n_samples}, n_features={self.n_features})"


def _sigmoid(z):
    r"""The logistic function :math:`1/(1 + e^{-z})`, computed without overflow.

    ``np.exp(-z)`` overflows for z below about -709. With :math:`e = e^{-|z|} \in (0, 1]`, the two
    equal forms :math:`1/(1 + e)` (for z >= 0) and :math:`e/(1 + e)` (for z < 0) never do.
    """
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))


class LogisticRegression(Objective):
    r"""Binary logistic regression: the mean cross-entropy of :math:`p = \sigma(Xw)` for labels in {0, 1}.

    .. math::
        J(w) &= \frac{1}{m} \sum_{i=1}^m \bigl[\log(1 + e^{z_i}) - y_i z_i\bigr], \qquad z = X w \\
        \nabla J(w) &= \frac{1}{m} X^\top \bigl(\sigma(z) - y\bigr), \qquad \sigma(z) = 1/(1 + e^{-z})

    The first line is the usual :math:`-[y \log p + (1 - y) \log(1 - p)]` rewritten with the logits
    :math:`z`: it is computed as ``np.logaddexp(0, z) - y * z``, which stays finite for any
    :math:`z` (``log(sigmoid(z))`` would give ``log(0) = -inf`` once :math:`\sigma(z)` rounds to 0).
    There is no separate bias: add a column of ones to ``X`` (:func:`gdlesson.data.add_bias`).

    Parameters
    ----------
    X : array_like, shape (m, n)
        One row per sample, one column per feature.
    y : array_like, shape (m,)
        Labels, each 0 or 1.

    Attributes
    ----------
    X : ndarray, shape (m, n)
    y : ndarray, shape (m,), float
    n_samples, n_features : int
    w_shape : tuple
        ``(n,)``.

    References
    ----------
    Bishop, C. M., *Pattern Recognition and Machine Learning*, Springer, 2006, section 4.3.2.
    """

    def __init__(self, X, y):
        X, y = _check_data("LogisticRegression", X, y, y_1d_only=True)
        if y.dtype.kind not in "biuf" or not np.all(np.isin(y, (0, 1))):
            fail("LogisticRegression", "y", "labels in {0, 1}", f"values {_some_values(y)}")
        self.X, self.y = X, y.astype(np.float64)
        self.n_samples, self.n_features = X.shape
        self.w_shape = (self.n_features,)

    def _logits(self, w, rows):
        if rows is None:
            return self.X @ w, self.X, self.y
        X = self.X[rows]
        return X @ w, X, self.y[rows]

    def _value(self, w, rows):
        z, _, y = self._logits(w, rows)
        return np.mean(np.logaddexp(0, z) - y * z)

    def _grad(self, w, rows):
        z, X, y = self._logits(w, rows)
        return X.T @ (_sigmoid(z) - y) / len(y)

    def _value_and_grad(self, w, rows):
        z, X, y = self._logits(w, rows)
        return np.mean(np.logaddexp(0, z) - y * z), X.T @ (_sigmoid(z) - y) / len(y)

    def predict_proba(self, w, X=None):
        r"""The probability :math:`\sigma(x^\top w)` of class 1 for each row of ``X`` (default: the training
        data), an array of shape (m,)."""
        w, X = _check_predict("LogisticRegression", self, w, X)
        return _sigmoid(X @ w)

    def predict(self, w, X=None):
        """The predicted labels (ints, 0 or 1): 1 where the probability is at least 0.5, that is where
        ``X @ w >= 0``."""
        w, X = _check_predict("LogisticRegression", self, w, X)
        return (X @ w >= 0).astype(np.int64)

    def __repr__(self):
        return f"LogisticRegression(n_samples={self.n_samples}, n_features={self.n_features})"


class SoftmaxRegression(Objective):
    r"""Multinomial logistic (softmax) regression: the mean cross-entropy for integer labels.

    .. math::
        J(W) &= \frac{1}{m} \sum_{i=1}^m \Bigl[\log \sum_{k} e^{z_{ik}} - z_{i, y_i}\Bigr],
        \qquad Z = X W \\
        \nabla J(W) &= \frac{1}{m} X^\top (P - Y), \qquad P_{ik} = e^{z_{ik}} / \textstyle\sum_j e^{z_{ij}}

    where :math:`Y` is the one-hot matrix of the labels. The log-sum-exp is computed after subtracting
    each row's largest logit, :math:`\log\sum_k e^{z_k} = z_{\max} + \log\sum_k e^{z_k - z_{\max}}`,
    so no exponential can overflow, whatever the size of the logits.

    Parameters
    ----------
    X : array_like, shape (m, n)
        One row per sample, one column per feature. Add a column of ones for a bias.
    y : array_like of int, shape (m,)
        Labels in ``0, 1, ..., n_classes - 1``.
    n_classes : int
        Number of classes, at least 2.

    Attributes
    ----------
    X : ndarray, shape (m, n)
    y : ndarray of int, shape (m,)
    n_samples, n_features, n_classes : int
    w_shape : tuple
        ``(n_features, n_classes)``: one column of weights per class.

    References
    ----------
    Bishop, C. M., *Pattern Recognition and Machine Learning*, Springer, 2006, section 4.3.4.
    """

    def __init__(self, X, y, n_classes):
        X, y = _check_data("SoftmaxRegression", X, y, y_1d_only=True)
        self.n_classes = check_int("SoftmaxRegression", "n_classes", n_classes, low=2)
        if y.dtype.kind not in "biuf" or not np.all(np.isin(y, np.arange(self.n_classes))):
            fail("SoftmaxRegression", "y", f"integer labels in [0, {self.n_classes - 1}] (n_classes="
                 f"{self.n_classes})", f"values {_some_values(y)}")
        self.X, self.y = X, y.astype(np.int64)
        self.n_samples, self.n_features = X.shape
        self.w_shape = (self.n_features, self.n_classes)

    def _logits(self, w, rows):
        if rows is None:
            return self.X @ w, self.X, self.y
        X = self.X[rows]
        return X @ w, X, self.y[rows]

    @staticmethod
    def _log_softmax(Z):
        Z = Z - Z.max(axis=1, keepdims=True)
        return Z - np.log(np.sum(np.exp(Z), axis=1, keepdims=True))

    def _value(self, w, rows):
        Z, _, y = self._logits(w, rows)
        return -np.mean(self._log_softmax(Z)[np.arange(len(y)), y])

    def _grad(self, w, rows):
        return self._value_and_grad(w, rows)[1]

    def _value_and_grad(self, w, rows):
        Z, X, y = self._logits(w, rows)
        log_P = self._log_softmax(Z)
        m = len(y)
        value = -np.mean(log_P[np.arange(m), y])
        P_minus_Y = np.exp(log_P)
        P_minus_Y[np.arange(m), y] -= 1
        return value, X.T @ P_minus_Y / m

    def predict_proba(self, w, X=None):
        """Class probabilities for each row of ``X`` (default: the training data), shape (m, n_classes);
        each row sums to 1."""
        w, X = _check_predict("SoftmaxRegression", self, w, X)
        return np.exp(self._log_softmax(X @ w))

    def predict(self, w, X=None):
        """The most probable class of each row of ``X`` (default: the training data), ints of shape (m,)."""
        w, X = _check_predict("SoftmaxRegression", self, w, X)
        return np.argmax(X @ w, axis=1)

    def __repr__(self):
        return (f"SoftmaxRegression(n_samples={self.n_samples}, n_features={self.n_features}, "
                f"n_classes={self.n_classes})")


def _check_predict(owner, objective, w, X):
    w = check_array(f"{owner}.predict", "w", w, shape=objective.w_shape)
    if X is None:
        return w, objective.X
    X = check_array(f"{owner}.predict", "X", X, ndim=2)
    if X.shape[1] != objective.n_features:
        fail(f"{owner}.predict", "X", f"an array with {objective.n_features} columns, like the training X",
             f"array of shape {X.shape}")
    return w, X


def _some_values(y):
    """A short list of the distinct values in ``y``, for error messages."""
    values = np.unique(y)
    shown = values[:8].tolist()
    return shown if len(values) <= 8 else shown + ["..."]


def _short(x):
    """A float rounded for display: 24.999999999999996 -> 25.0."""
    return repr(float(np.round(x, 10)))
