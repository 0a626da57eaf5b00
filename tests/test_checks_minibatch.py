"""check_minibatch_loop: right loops pass, by what they do; each mistake gets its own message.

Every "student answer" below is written the way a student would write it, mistakes included; the tests
assert on the printed verdict, so a message that stops naming its mistake fails here.
"""

import numpy as np
import pytest

import gdlesson as gd
from gdlesson._checks_minibatch import _minibatch_problem, _reference_loop
from gdlesson.checks import check_minibatch_loop


def verdict(capsys, result=None):
    """The checker's printed line, after asserting that it printed exactly one line (and returned a bool)."""
    assert result is None or isinstance(result, bool)
    out = capsys.readouterr().out
    assert out.count("\n") == 1, out
    return out


# =========================================================================================================
# check_minibatch_loop
# =========================================================================================================


def my_minibatch(objective, w, lr, batch_size, epochs, seed):  # right (chapter 3's exercise)
    rng = np.random.default_rng(seed)
    n = objective.n_samples
    for _ in range(epochs):
        order = rng.permutation(n)
        for start in range(0, n, batch_size):
            w = w - lr * objective.grad(w, rows=order[start:start + batch_size])
    return w


def minibatch_by_hand(objective, w, lr, batch_size, epochs, seed, divide_by=None, shuffle=True):
    """The loop with the gradient computed from X and y; divide_by="batch_size" is the classic slip."""
    rng = np.random.default_rng(seed)
    X, y = objective.X, objective.y
    n = len(y)
    for _ in range(epochs):
        order = rng.permutation(n) if shuffle else np.arange(n)
        for start in range(0, n, batch_size):
            rows = order[start:start + batch_size]
            r = X[rows] @ w - y[rows]
            w = w - lr * X[rows].T @ r / (batch_size if divide_by == "batch_size" else len(rows))
    return w


def no_shuffle(objective, w, lr, batch_size, epochs, seed):
    n = objective.n_samples
    for _ in range(epochs):
        for start in range(0, n, batch_size):
            w = w - lr * objective.grad(w, rows=np.arange(start, min(start + batch_size, n)))
    return w


def shuffle_once(objective, w, lr, batch_size, epochs, seed):
    order = np.random.default_rng(seed).permutation(objective.n_samples)
    for _ in range(epochs):
        for start in range(0, objective.n_samples, batch_size):
            w = w - lr * objective.grad(w, rows=order[start:start + batch_size])
    return w


def with_replacement(objective, w, lr, batch_size, epochs, seed):
    rng = np.random.default_rng(seed)
    for _ in range(epochs * objective.n_samples // batch_size):
        w = w - lr * objective.grad(w, rows=rng.integers(0, objective.n_samples, size=batch_size))
    return w


def one_epoch_too_many(objective, w, lr, batch_size, epochs, seed):
    return my_minibatch(objective, w, lr, batch_size, epochs + 1, seed)


def drops_last_batch(objective, w, lr, batch_size, epochs, seed):
    rng = np.random.default_rng(seed)
    n = objective.n_samples
    for _ in range(epochs):
        order = rng.permutation(n)
        for b in range(n // batch_size):
            w = w - lr * objective.grad(w, rows=order[b * batch_size:(b + 1) * batch_size])
    return w


def full_batch(objective, w, lr, batch_size, epochs, seed):
    for _ in range(epochs):
        w = w - lr * objective.grad(w)
    return w


def uphill(objective, w, lr, batch_size, epochs, seed):
    rng = np.random.default_rng(seed)
    for _ in range(epochs):
        order = rng.permutation(objective.n_samples)
        for start in range(0, objective.n_samples, batch_size):
            w = w + lr * objective.grad(w, rows=order[start:start + batch_size])
    return w


def other_rng(objective, w, lr, batch_size, epochs, seed):  # right, but shuffles with its own generator
    rng = np.random.default_rng(seed + 1)
    idx = np.arange(objective.n_samples)
    for _ in range(epochs):
        rng.shuffle(idx)
        for start in range(0, objective.n_samples, batch_size):
            w = w - lr * objective.grad(w, rows=idx[start:start + batch_size])
    return w


def test_minibatch_right_answers_pass(capsys):
    assert check_minibatch_loop(my_minibatch) is True
    assert "my_minibatch matches gd.minimize" in verdict(capsys, None)
    assert check_minibatch_loop(minibatch_by_hand) is True  # gradients from X and y: compared by result
    assert "matches gd.minimize" in verdict(capsys, None)
    assert check_minibatch_loop(other_rng) is True
    assert "Its shuffles differ from gd.minimize's" in verdict(capsys, None)
    assert check_minibatch_loop(my_minibatch, n_samples=12, batch_size=3, epochs=2, lr=0.05, seed=7) is True
    verdict(capsys, None)


def test_minibatch_agrees_with_gd_minimize():
    # the checker's reference is gd.minimize itself: same seed, same batches, same answer
    X, y = _minibatch_problem(10)
    cost = gd.LeastSquares(X, y)
    res = gd.minimize(cost, np.zeros(2), gd.GradientDescent(lr=0.1), batch_size=4, epochs=3, seed=0)
    np.testing.assert_array_equal(_reference_loop(cost, np.zeros(2), 0.1, 4, 3, 0), res.w)


@pytest.mark.parametrize("answer, expected", [
    (no_shuffle, "you forgot to shuffle"),
    (shuffle_once, "you shuffled once, before the epoch loop"),
    (with_replacement, "you sampled with replacement"),
    (one_epoch_too_many, "which is 4 epochs of 3 batches; epochs=3"),
    (drops_last_batch, "the last, shorter batch is skipped"),
    (full_batch, "without rows="),
    (uphill, "steps up the gradient"),
])
def test_minibatch_mistakes_seen_in_the_batches(capsys, answer, expected):
    assert check_minibatch_loop(answer) is False
    out = verdict(capsys, None)
    assert out.startswith("Check failed:") and expected in out


@pytest.mark.parametrize("kwargs, expected", [
    ({"divide_by": "batch_size"}, "divided by batch_size instead of its own length"),
    ({"shuffle": False}, "you forgot to shuffle"),
])
def test_minibatch_mistakes_seen_in_the_result(capsys, kwargs, expected):
    def answer(objective, w, lr, batch_size, epochs, seed):
        return minibatch_by_hand(objective, w, lr, batch_size, epochs, seed, **kwargs)

    assert check_minibatch_loop(answer) is False
    assert expected in verdict(capsys, None)


def test_minibatch_unknown_mistake_and_bad_return(capsys):
    def half_lr(objective, w, lr, batch_size, epochs, seed):
        return minibatch_by_hand(objective, w, lr / 2, batch_size, epochs, seed)

    assert check_minibatch_loop(half_lr) is False
    assert "Its steps are off even on data where every batch has the same gradient" in verdict(capsys, None)

    def returns_tuple(objective, w, lr, batch_size, epochs, seed):
        return my_minibatch(objective, w, lr, batch_size, epochs, seed), []

    assert check_minibatch_loop(returns_tuple) is False
    assert "returned a tuple of 2 items; it should return only the final w" in verdict(capsys, None)
    assert check_minibatch_loop(lambda *args: None) is False
    assert "returned None" in verdict(capsys, None)


def test_minibatch_messages_are_distinct(capsys):
    # each mistake's message names that mistake and no other one
    cases = [(no_shuffle, "forgot to shuffle"), (shuffle_once, "shuffled once"),
             (with_replacement, "with replacement"), (one_epoch_too_many, "4 epochs"),
             (drops_last_batch, "is skipped"), (full_batch, "without rows="), (uphill, "steps up"),
             (lambda *a: minibatch_by_hand(*a, divide_by="batch_size"), "instead of its own length")]
    for answer, own in cases:
        check_minibatch_loop(answer)
        out = verdict(capsys, None)
        assert [phrase for _, phrase in cases if phrase in out] == [own], out


def test_minibatch_misuse_raises():
    with pytest.raises(TypeError, match="check_minibatch_loop: `student_fn` must be"):
        check_minibatch_loop("my_minibatch")
    with pytest.raises(ValueError, match="`batch_size` must be an integer in"):
        check_minibatch_loop(my_minibatch, batch_size=11)
    with pytest.raises(ValueError, match="`lr`"):
        check_minibatch_loop(my_minibatch, lr=-1.0)
