"""Tests for gdlesson.gradcheck: central differences and the relative-error check."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from gdlesson.gradcheck import check_gradient, numerical_gradient

FAST = settings(max_examples=50, deadline=None)
shapes = hnp.array_shapes(min_dims=0, max_dims=3, min_side=1, max_side=3)


def sum_of_exp(w):
    return float(np.sum(np.exp(0.5 * w)))


def grad_sum_of_exp(w):
    return 0.5 * np.exp(0.5 * w)  # never near 0, so every relative error is meaningful


@FAST
@given(shape=shapes, seed=st.integers(0, 2**32 - 1))
def test_numerical_gradient_of_any_shape(shape, seed):
    w = np.random.default_rng(seed).uniform(-2, 2, size=shape)
    numerical = numerical_gradient(sum_of_exp, w)
    assert numerical.shape == w.shape and numerical.dtype == np.float64
    np.testing.assert_allclose(numerical, grad_sum_of_exp(w), rtol=1e-7)
    assert check_gradient(sum_of_exp, grad_sum_of_exp, w) < 1e-7


def test_central_differences_are_exact_for_a_quadratic_up_to_rounding():
    w = np.array([[1.0, -2.0], [0.5, 3.0]])
    numerical = numerical_gradient(lambda v: float(np.sum(v**2)), w)
    np.testing.assert_allclose(numerical, 2 * w, rtol=1e-9)


def test_a_wrong_gradient_is_caught():
    w = np.array([1.0, -2.0, 3.0])
    f = lambda v: float(np.sum(v**2))  # noqa: E731
    assert check_gradient(f, lambda v: 2 * v, w) < 1e-9
    # the classic slip: forgetting the factor 2 gives |2w - w| / |2w| = 1/2 in every entry
    assert check_gradient(f, lambda v: v, w) == pytest.approx(0.5, rel=1e-8)
    # a sign error gives the largest possible relative error, 2
    assert check_gradient(f, lambda v: -2 * v, w) == pytest.approx(2.0, rel=1e-8)
    # one wrong entry is enough
    assert check_gradient(f, lambda v: 2 * v * np.array([1.0, 1.0, 1.01]), w) > 1e-3


def test_zero_gradient_reads_as_zero_error_not_nan():
    error = check_gradient(lambda v: float(np.sum(v**2)), lambda v: 2 * v, np.zeros(3))
    assert error == 0.0


def test_w_is_not_modified_and_scalars_work():
    w = np.array([0.3, 0.7])
    before = w.copy()
    check_gradient(sum_of_exp, grad_sum_of_exp, w)
    np.testing.assert_array_equal(w, before)
    assert numerical_gradient(lambda v: float(v) ** 3, 2.0) == pytest.approx(12.0, rel=1e-9)
    assert check_gradient(lambda v: float(v) ** 3, lambda v: 3 * v**2, 2.0) < 1e-8


def test_numerical_gradient_accepts_lists_and_ints():
    numerical = numerical_gradient(lambda v: float(v[0] * v[1]), [2, 3])
    np.testing.assert_allclose(numerical, [3.0, 2.0], rtol=1e-9)


@pytest.mark.parametrize("h", [0, -1e-6, np.nan, np.inf])
def test_h_must_be_positive(h):
    with pytest.raises(ValueError, match="`h` must be"):
        numerical_gradient(sum_of_exp, np.ones(2), h=h)
    with pytest.raises(ValueError, match="check_gradient: `h` must be"):
        check_gradient(sum_of_exp, grad_sum_of_exp, np.ones(2), h=h)


def test_bad_input_is_reported():
    w = np.ones(2)
    with pytest.raises(ValueError, match=r"check_gradient: `grad` must be a function returning an array of "
                                         r"w's shape \(2,\); got 'an array of shape \(2, 1\)'"):
        check_gradient(sum_of_exp, lambda v: np.ones((2, 1)), w)
    with pytest.raises(ValueError, match=r"`grad` must be a function returning finite numbers"):
        check_gradient(sum_of_exp, lambda v: np.array([1.0, np.nan]), w)
    with pytest.raises(ValueError, match=r"check_gradient: `f` must be finite at w \+/- h"):
        check_gradient(lambda v: np.nan, grad_sum_of_exp, w)
    with pytest.raises(ValueError, match=r"numerical_gradient: `f` must be a function returning one number; "
                                         r"got 'an array of shape \(2,\)'"):
        numerical_gradient(lambda v: v, w)
    with pytest.raises(TypeError, match=r"check_gradient: `f` must be a function"):
        check_gradient("f", grad_sum_of_exp, w)
    with pytest.raises(TypeError, match=r"check_gradient: `grad` must be a function"):
        check_gradient(sum_of_exp, None, w)
    with pytest.raises(TypeError, match=r"numerical_gradient: `f` must be a function"):
        numerical_gradient(3, w)
    with pytest.raises(ValueError, match=r"check_gradient: `w` must be finite"):
        check_gradient(sum_of_exp, grad_sum_of_exp, [1.0, np.inf])
    with pytest.raises(ValueError, match=r"numerical_gradient: `w` must be finite"):
        numerical_gradient(sum_of_exp, [np.nan])
