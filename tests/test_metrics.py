"""Tests for gdlesson.metrics, cross-checked against scikit-learn."""

import numpy as np
import pytest
import sklearn.metrics
from hypothesis import given, settings
from hypothesis import strategies as st

from gdlesson.metrics import accuracy, confusion_matrix, error_rate, mae, mse, r2_score

FAST = settings(max_examples=50, deadline=None)
seeds = st.integers(0, 2**32 - 1)


def regression_pair(seed):
    rng = np.random.default_rng(seed)
    m = rng.integers(2, 50)
    y_true = rng.normal(size=m) * rng.choice([0.01, 1, 100])
    y_pred = y_true + rng.normal(size=m) * rng.choice([0.001, 1, 10])
    return y_true, y_pred


def label_pair(seed):
    rng = np.random.default_rng(seed)
    m, k = rng.integers(1, 60), rng.integers(1, 7)
    return rng.integers(0, k, size=m), rng.integers(0, k, size=m), k


@FAST
@given(seed=seeds)
def test_regression_metrics_match_sklearn(seed):
    y_true, y_pred = regression_pair(seed)
    sk = sklearn.metrics
    assert mse(y_true, y_pred) == pytest.approx(sk.mean_squared_error(y_true, y_pred), rel=1e-12)
    assert mae(y_true, y_pred) == pytest.approx(sk.mean_absolute_error(y_true, y_pred), rel=1e-12)
    assert r2_score(y_true, y_pred) == pytest.approx(sk.r2_score(y_true, y_pred), rel=1e-12, abs=1e-12)


@pytest.mark.filterwarnings("ignore:A single label was found:UserWarning")  # sklearn's, when k == 1
@FAST
@given(seed=seeds)
def test_classification_metrics_match_sklearn(seed):
    y_true, y_pred, k = label_pair(seed)
    expected_accuracy = sklearn.metrics.accuracy_score(y_true, y_pred)
    assert accuracy(y_true, y_pred) == pytest.approx(expected_accuracy, abs=1e-12)
    assert error_rate(y_true, y_pred) == pytest.approx(1 - expected_accuracy, abs=1e-12)
    expected = sklearn.metrics.confusion_matrix(y_true, y_pred, labels=np.arange(k))
    np.testing.assert_array_equal(confusion_matrix(y_true, y_pred, n_classes=k), expected)


def test_small_examples_by_hand():
    assert mse([1, 2, 3], [1, 2, 5]) == pytest.approx(4 / 3)
    assert mae([1, 2, 3], [1, 2, 5]) == pytest.approx(2 / 3)
    assert r2_score([1, 2, 3], [1, 2, 3]) == 1.0
    assert r2_score([1, 2, 3], [2, 2, 2]) == 0.0  # predicting the mean
    assert accuracy([0, 1, 1, 0], [0, 1, 0, 0]) == 0.75
    assert error_rate([0, 1, 1, 0], [0, 1, 0, 0]) == 0.25
    expected = [[1, 0, 0], [1, 1, 0], [0, 0, 1]]  # rows: true class, columns: predicted class
    np.testing.assert_array_equal(confusion_matrix([0, 1, 1, 2], [0, 1, 0, 2]), expected)


def test_column_vectors_as_in_the_w3computing_tutorial():
    y_true = np.array([[1.0], [2.0], [4.0]])
    y_pred = np.array([1.5, 2.0, 3.0])
    assert mse(y_true, y_pred) == mse(y_true.ravel(), y_pred) == pytest.approx(1.25 / 3)
    assert mse(y_true, y_pred.reshape(-1, 1)) == mse(y_true.ravel(), y_pred)
    assert accuracy(np.array([[1], [0]]), np.array([1, 1])) == 0.5


def test_confusion_matrix_details():
    C = confusion_matrix([0, 0, 1], [0, 0, 1], n_classes=4)
    assert C.shape == (4, 4) and C.sum() == 3 and np.trace(C) == 3
    assert C.dtype.kind == "i"
    # labels stored as floats are fine if they are whole numbers
    C = confusion_matrix(np.array([0.0, 1.0]), np.array([1.0, 1.0]))
    np.testing.assert_array_equal(C, [[0, 1], [0, 1]])


@pytest.mark.parametrize("metric", [mse, mae, r2_score, accuracy, error_rate, confusion_matrix])
def test_shapes_are_checked(metric):
    name = metric.__name__
    with pytest.raises(ValueError, match=rf"{name}: `y_pred` must be an array with as many entries as "
                                         r"y_true, which has shape \(3,\); got 'array of shape \(2,\)'"):
        metric([0, 1, 1], [0, 1])
    with pytest.raises(ValueError, match=rf"{name}: `y_true` must be a non-empty array of shape \(m,\) or "
                                         r"\(m, 1\); got 'array of shape \(2, 2\)'"):
        metric(np.ones((2, 2)), np.ones((2, 2)))
    with pytest.raises(ValueError, match=r"`y_pred` must be a non-empty array.*shape \(0,\)"):
        metric([1], [])
    with pytest.raises(ValueError, match=r"`y_true` must be finite \(no NaN or inf\)"):
        metric([0, np.nan], [0, 1])
    with pytest.raises(TypeError, match=r"`y_true` must be an array of numbers"):
        metric(["a", "b"], [0, 1])


def test_r2_of_constant_targets_is_undefined():
    with pytest.raises(ValueError, match=r"r2_score: `y_true` must be not constant \(R\^2 divides by its "
                                         r"variance\); got '3 copies of 2.0'"):
        r2_score([2, 2, 2], [1, 2, 3])


@pytest.mark.parametrize("metric", [accuracy, error_rate, confusion_matrix])
def test_labels_must_be_whole_numbers(metric):
    with pytest.raises(ValueError, match=r"`y_pred` must be integer class labels \(for probabilities, "
                                         r"predict the labels first\); got 'non-integer values such as 0.7'"):
        metric([0, 1], [0, 0.7])


def test_confusion_matrix_rejects_labels_out_of_range():
    with pytest.raises(ValueError, match=r"confusion_matrix: `y_pred` must be labels in \[0, 1\] "
                                         r"\(n_classes=2\); got 'labels from 0 to 2'"):
        confusion_matrix([0, 1], [0, 2], n_classes=2)
    with pytest.raises(ValueError, match=r"`y_true` must be labels in \[0, 1\].*from -1 to 1"):
        confusion_matrix([-1, 1], [0, 1])
    with pytest.raises(ValueError, match=r"`n_classes` must be an integer in \[1, inf\]; got 0"):
        confusion_matrix([0, 1], [0, 1], n_classes=0)
    with pytest.raises(TypeError, match=r"`n_classes` must be an integer"):
        confusion_matrix([0, 1], [0, 1], n_classes=2.0)
