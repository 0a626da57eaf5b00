"""Tests for gdlesson.data: the w3computing tutorial's data, the bias column, the digits and the split."""

import sys

import numpy as np
import pytest
import sklearn.datasets

from gdlesson.data import add_bias, load_digits, make_linear_data, train_test_split


@pytest.fixture
def restore_global_rng():
    state = np.random.get_state()
    yield
    np.random.set_state(state)


def test_make_linear_data_is_the_w3computing_data_exactly(restore_global_rng):
    X, y = make_linear_data()
    np.random.seed(42)  # the w3computing tutorial, line by line
    X_seed = 2 * np.random.rand(100, 1)
    y_seed = 4 + 3 * X_seed + np.random.randn(100, 1)
    np.testing.assert_array_equal(X, X_seed)
    np.testing.assert_array_equal(y, y_seed)
    assert X.shape == y.shape == (100, 1)


def test_make_linear_data_least_squares_answer():
    X, y = make_linear_data()
    theta = np.linalg.lstsq(add_bias(X), y, rcond=None)[0].ravel()
    assert np.round(theta, 4).tolist() == [4.2151, 2.7701]


def test_make_linear_data_leaves_the_global_rng_alone(restore_global_rng):
    np.random.seed(123)
    expected = np.random.rand(3)
    np.random.seed(123)
    make_linear_data(n=50, seed=7)
    np.testing.assert_array_equal(np.random.rand(3), expected)


def test_make_linear_data_n_and_seed():
    X, y = make_linear_data(n=7, seed=1)
    assert X.shape == y.shape == (7, 1)
    assert np.all((0 <= X) & (X < 2))
    assert not np.array_equal(X, make_linear_data(n=7, seed=2)[0])
    np.testing.assert_array_equal(X, make_linear_data(n=7, seed=1)[0])
    # the first n points do not depend on n (X is drawn before y, so only X is a prefix)
    np.testing.assert_array_equal(make_linear_data(n=3, seed=1)[0], make_linear_data(n=7, seed=1)[0][:3])


@pytest.mark.parametrize(
    "kwargs, error, message",
    [
        ({"n": 0}, ValueError, r"make_linear_data: `n` must be an integer in \[1, inf\]; got 0"),
        ({"n": 2.5}, TypeError, r"make_linear_data: `n` must be an integer; got 2.5"),
        ({"seed": -1}, ValueError, r"`seed` must be an integer in \[0, 4294967295\]; got -1"),
        ({"seed": 2**32}, ValueError, r"`seed` must be an integer in \[0, 4294967295\]"),
        ({"seed": None}, TypeError, r"`seed` must be an integer; got None"),
    ],
)
def test_make_linear_data_rejects_bad_input(kwargs, error, message):
    with pytest.raises(error, match=message):
        make_linear_data(**kwargs)


def test_add_bias():
    X = np.arange(6.0).reshape(3, 2)
    Xb = add_bias(X)
    np.testing.assert_array_equal(Xb, [[1, 0, 1], [1, 2, 3], [1, 4, 5]])
    assert Xb.dtype == np.float64
    np.testing.assert_array_equal(add_bias([[2], [3]]), [[1, 2], [1, 3]])
    with pytest.raises(ValueError, match=r"add_bias: `X` must be a 2-D array of shape \(m, n\); for one "
                                         r"feature use X.reshape\(-1, 1\); got 'array of shape \(3,\)'"):
        add_bias(np.ones(3))
    with pytest.raises(ValueError, match=r"add_bias: `X` must be finite"):
        add_bias([[np.nan]])


@pytest.mark.parametrize("n_class, m", [(10, 1797), (2, 360)])
def test_load_digits_is_sklearns_bundled_copy(n_class, m):
    X, y = load_digits(n_class=n_class)
    X_ref, y_ref = sklearn.datasets.load_digits(n_class=n_class, return_X_y=True)
    assert X.shape == (m, 64) and y.shape == (m,)
    assert X.dtype == np.float64 and y.dtype == np.int64
    np.testing.assert_array_equal(X, X_ref)
    np.testing.assert_array_equal(y, y_ref)
    assert set(np.unique(y)) == set(range(n_class))
    assert X.min() == 0 and X.max() == 16


@pytest.mark.parametrize("n_class", [1, 11])
def test_load_digits_rejects_bad_n_class(n_class):
    message = rf"load_digits: `n_class` must be an integer in \[2, 10\]; got {n_class}\."
    with pytest.raises(ValueError, match=message):
        load_digits(n_class=n_class)


def test_load_digits_without_sklearn_says_what_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "sklearn", None)  # makes `import sklearn` fail
    with pytest.raises(ImportError, match=r"load_digits: .*pip install scikit-learn"):
        load_digits()


def test_train_test_split_partitions_the_rows():
    X = np.arange(20).reshape(10, 2)  # row i is (2i, 2i + 1)
    y = np.arange(10) * 10
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, seed=3)
    assert len(X_test) == 3 and len(X_train) == 7  # ceil(0.25 * 10) = 3, scikit-learn's rounding
    rows = np.concatenate([X_train[:, 0], X_test[:, 0]]) // 2
    assert sorted(rows.tolist()) == list(range(10))
    np.testing.assert_array_equal(y_train, X_train[:, 0] * 5)  # pairs stay together
    np.testing.assert_array_equal(y_test, X_test[:, 0] * 5)
    assert X_train.dtype == X.dtype and y_test.dtype == y.dtype
    again = train_test_split(X, y, test_size=0.25, seed=3)
    np.testing.assert_array_equal(again[1], X_test)
    assert not np.array_equal(train_test_split(X, y, test_size=0.25, seed=4)[1], X_test)
    assert len(train_test_split(X, y, test_size=4)[1]) == 4


def test_train_test_split_on_digits():
    X, y = load_digits(n_class=2)
    X_train, X_test, y_train, y_test = train_test_split(X, y)
    assert X_train.shape == (288, 64) and X_test.shape == (72, 64)
    assert y_train.shape == (288,) and y_test.shape == (72,)


@pytest.mark.parametrize(
    "kwargs, error, message",
    [
        ({"test_size": 0.0}, ValueError,
         r"`test_size` must be a fraction in \(0, 1\) or an integer in \[1, 9\]; got 0.0"),
        ({"test_size": 1.0}, ValueError, r"`test_size` must be a fraction in \(0, 1\)"),
        ({"test_size": -0.2}, ValueError, r"`test_size` must be a fraction"),
        ({"test_size": "0.2"}, ValueError, r"`test_size` must be a fraction"),
        ({"test_size": True}, ValueError, r"`test_size` must be a fraction"),
        ({"test_size": 10}, ValueError, r"`test_size` must be an integer in \[1, 9\]; got 10"),
        ({"test_size": 0.99}, ValueError, r"`test_size` must be a fraction leaving at least one of the 10"),
        ({"seed": -1}, ValueError, r"train_test_split: `seed` must be an integer in \[0, inf\]; got -1"),
        ({"seed": 1.5}, TypeError, r"`seed` must be an integer"),
    ],
)
def test_train_test_split_rejects_bad_input(kwargs, error, message):
    with pytest.raises(error, match=message):
        train_test_split(np.ones((10, 2)), np.ones(10), **kwargs)


def test_train_test_split_rejects_mismatched_rows():
    with pytest.raises(ValueError, match=r"train_test_split: `y` must be an array with one entry per row "
                                         r"of X, and X has shape \(10, 2\); got 'array of shape \(9,\)'"):
        train_test_split(np.ones((10, 2)), np.ones(9))
    with pytest.raises(ValueError, match=r"`X` must be an array with at least 2 samples \(rows\)"):
        train_test_split(np.ones((1, 2)), np.ones(1))
