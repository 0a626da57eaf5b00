"""check_minibatch_loop: right loops pass, by what they do; each mistake gets its own message.

Every "student answer" below is written the way a student would write it, mistakes included; the tests
assert on the printed verdict, so a message that stops naming its mistake fails here.
"""

import numpy as np
import pytest

import gdlesson as gd
from checks_helpers import verdict
from gdlesson._checks_minibatch import _minibatch_problem, _reference_loop
from gdlesson.checks import check_minibatch_loop


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


# =========================================================================================================
# In-place updates, loops that compute their own gradient, student errors
# =========================================================================================================


def in_place(objective, w, lr, batch_size, epochs, seed):  # right numbers, but changes the caller's w
    rng = np.random.default_rng(seed)
    n = objective.n_samples
    for _ in range(epochs):
        order = rng.permutation(n)
        for start in range(0, n, batch_size):
            w -= lr * objective.grad(w, rows=order[start:start + batch_size])
    return w


def test_in_place_update_of_w_fails_with_its_own_message(capsys):
    result = check_minibatch_loop(in_place)
    out = verdict(capsys, result)
    assert result is False
    assert "in_place changed the w it was given, in place" in out and "changes your w0 too" in out
    # which is what happens in the notebook
    X, y = _minibatch_problem(10)
    w0 = np.zeros(2)
    in_place(gd.LeastSquares(X, y), w0, 0.1, 4, 3, 0)
    assert np.any(w0 != 0)


def own_gradient(objective, w, lr, batch_size, epochs, seed, *, scale="mean", draw="global", plain=False):
    """A loop that computes its gradient from X and y, as students write it.

    draw: "global" (np.random.permutation, unseeded) or "copy" (its own generator, X[perm] then slices).
    scale: "mean" (right), "sum" (missing 1/len(rows)), "n" (divides by n), "double" (2x).
    plain: copies X and y to plain arrays first, so the check cannot see the rows it selects.
    """
    X, y = objective.X, objective.y
    if plain:
        X, y = np.asarray(X), np.asarray(y)
    n = len(y)
    rng = np.random.default_rng(seed + 5)
    for _ in range(epochs):
        perm = np.random.permutation(n) if draw == "global" else rng.permutation(n)
        Xs, ys = (X, y) if draw == "global" else (X[perm], y[perm])
        for start in range(0, n, batch_size):
            rows = perm[start:start + batch_size] if draw == "global" else slice(start, start + batch_size)
            Xb, yb = Xs[rows], ys[rows]
            g = Xb.T @ (Xb @ w - yb)
            g = {"mean": g / len(yb), "sum": g, "n": g / n, "double": 2 * g / len(yb)}[scale]
            w = w - lr * g
    return w


@pytest.mark.parametrize("draw, plain", [("global", False), ("copy", False), ("global", True)])
def test_own_gradient_loops_are_judged_by_their_effect(capsys, draw, plain):
    def loop(*args):
        return own_gradient(*args, draw=draw, plain=plain)

    result = check_minibatch_loop(loop)
    out = verdict(capsys, result)
    assert result is True, out
    assert "did not call objective.grad" not in out
    if plain:  # the batches were invisible: checked on problems where the order does not matter
        assert "takes the right steps and draws its batches right, checked by their effect" in out
        assert "every row is used once per epoch, in batches of 4 and a last one of 2, reshuffled every epoch" in out
    else:
        assert "visits every row once per epoch, in a fresh random order, and steps correctly" in out


@pytest.mark.parametrize("plain", [False, True])
@pytest.mark.parametrize("scale, phrase", [
    ("sum", "missing 1/len(rows)"),
    ("n", "divided by n = 10, the number of samples, instead of len(rows)"),
    ("double", "the steps are twice too long"),
])
def test_own_gradient_step_mistakes_are_named(capsys, plain, scale, phrase):
    def loop(*args):
        return own_gradient(*args, scale=scale, plain=plain)

    assert check_minibatch_loop(loop) is False
    out = verdict(capsys)
    assert phrase in out, out


def test_missing_mean_names_the_batch_size(capsys):
    def loop(*args):
        return own_gradient(*args, scale="sum")

    assert check_minibatch_loop(loop, n_samples=12, batch_size=3, epochs=2) is False
    assert "a batch of 3 rows steps 3 times too far" in verdict(capsys)


def test_own_gradient_loop_without_shuffling_or_seed(capsys):
    def fixed_order(objective, w, lr, batch_size, epochs, seed):
        X, y = np.array(objective.X), np.array(objective.y)  # plain copies: rows invisible
        for _ in range(epochs):
            for start in range(0, len(y), batch_size):
                Xb, yb = X[start:start + batch_size], y[start:start + batch_size]
                w = w - lr * Xb.T @ (Xb @ w - yb) / len(yb)
        return w

    assert check_minibatch_loop(fixed_order) is False
    assert "you forgot to shuffle" in verdict(capsys)

    def ignores_seed(objective, w, lr, batch_size, epochs, seed):
        return own_gradient(objective, w, lr, batch_size, epochs, 123, draw="copy", plain=True)

    assert check_minibatch_loop(ignores_seed) is False
    assert "its batches do not depend on the seed" in verdict(capsys)


def test_global_generator_is_seeded_for_the_loop_and_restored(capsys):
    np.random.seed(99)
    before = np.random.get_state()[1].copy()
    outs = []
    for _ in range(2):
        check_minibatch_loop(lambda *a: own_gradient(*a, plain=True))
        outs.append(verdict(capsys))
    assert outs[0] == outs[1]  # the same verdict every run, although the loop draws from np.random
    np.testing.assert_array_equal(np.random.get_state()[1], before)


def test_student_errors_are_verdicts(capsys):
    def typo(objective, w, lr, batch_size, epochs, seed):
        return objective.grad(w, rows=np.arange(objective.n_samples + 1))

    result = check_minibatch_loop(typo)
    out = verdict(capsys, result)
    assert result is False
    assert "typo raised ValueError" in out and "return objective.grad(w, rows=np.arange(" in out

    def wrong_name(objective, w, lr, batch_size, epochs, seed):
        return objective.gradient(w)

    assert check_minibatch_loop(wrong_name) is False
    assert "wrong_name raised AttributeError" in verdict(capsys)
    assert check_minibatch_loop(lambda *a: "w") is False
    assert "not an array of numbers" in verdict(capsys)
    assert check_minibatch_loop(lambda *a: np.full(2, np.nan)) is False
    assert "returned NaN or inf" in verdict(capsys)


def test_student_cannot_change_the_reference_data(capsys):
    def standardises_in_place(objective, w, lr, batch_size, epochs, seed):
        objective.X[:, 1] -= 100.0  # scribbles on the data it was given
        return my_minibatch(objective, w, lr, batch_size, epochs, seed)

    assert check_minibatch_loop(standardises_in_place) is True  # objective.grad uses the check's own copy
    verdict(capsys)
    assert check_minibatch_loop(my_minibatch) is True
    verdict(capsys)


def test_new_minibatch_messages_are_distinct(capsys):
    cases = [(in_place, "changed the w it was given"),
             (lambda *a: own_gradient(*a, scale="sum"), "missing 1/len(rows)"),
             (lambda *a: own_gradient(*a, scale="sum", plain=True), "missing 1/len(rows)"),
             (lambda *a: minibatch_by_hand(*a, divide_by="batch_size"), "instead of its own length"),
             (lambda *a: own_gradient(*a, scale="n"), "divided by n"),
             (lambda *a: own_gradient(*a, scale="double"), "twice too long"),
             (no_shuffle, "forgot to shuffle"), (uphill, "steps up")]
    phrases = {phrase for _, phrase in cases}
    for answer, own in cases:
        check_minibatch_loop(answer)
        out = verdict(capsys)
        assert [phrase for phrase in phrases if phrase in out] == [own], out


def test_minibatch_check_is_the_same_in_a_fresh_process(tmp_path):
    script = tmp_path / "grade.py"
    script.write_text(
        "import numpy as np\n"
        "from gdlesson.checks import check_minibatch_loop\n"
        "def my_minibatch(objective, w, lr, batch_size, epochs, seed):\n"
        "    X, y = objective.X, objective.y\n"
        "    for _ in range(epochs):\n"
        "        perm = np.random.permutation(len(y))\n"
        "        for i in range(0, len(y), batch_size):\n"
        "            rows = perm[i:i + batch_size]\n"
        "            w = w - lr * X[rows].T @ (X[rows] @ w - y[rows])\n"
        "    return w\n"
        "assert check_minibatch_loop(my_minibatch, n_samples=12, batch_size=5, epochs=2, seed=3) is False\n"
    )
    import subprocess
    import sys

    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Check failed: my_minibatch: each step uses the sum")
    assert "missing 1/len(rows)" in done.stdout and done.stdout.count("\n") == 1


def test_own_gradient_loop_that_sums_row_by_row(capsys):
    # the batch's gradient accumulated one row at a time, as a first course in Python would write it
    def row_by_row(objective, w, lr, batch_size, epochs, seed, divide=True):
        rng = np.random.default_rng(seed)
        X, y = objective.X, objective.y
        for _ in range(epochs):
            order = rng.permutation(len(y))
            for start in range(0, len(y), batch_size):
                rows = order[start:start + batch_size]
                g = np.zeros_like(w)
                for xi, yi in zip(X[rows], y[rows]):
                    g = g + xi * (xi @ w - yi)
                w = w - lr * (g / len(rows) if divide else g)
        return w

    assert check_minibatch_loop(row_by_row) is True
    assert "row_by_row matches gd.minimize" in verdict(capsys)
    assert check_minibatch_loop(lambda *a: row_by_row(*a, divide=False)) is False
    assert "missing 1/len(rows)" in verdict(capsys)


def test_own_gradient_sgd_style_inner_loop_over_samples(capsys):
    # batch of one row at a time with X[i]: each selection is one row of the data
    def per_sample(objective, w, lr, batch_size, epochs, seed):
        rng = np.random.default_rng(seed)
        X, y = objective.X, objective.y
        for _ in range(epochs):
            for i in rng.permutation(len(y)):
                w = w - lr * X[i] * (X[i] @ w - y[i])
        return w

    assert check_minibatch_loop(per_sample, batch_size=1) is True
    assert "per_sample matches gd.minimize(..., batch_size=1" in verdict(capsys)


def plain_loop(objective, w, lr, batch_size, epochs, seed, *, draw="fresh"):
    """The data copied to plain arrays (rows invisible to the check), batches drawn as ``draw`` says."""
    X, y = np.array(objective.X), np.array(objective.y)
    n = len(y)
    rng = np.random.default_rng(seed)
    once = rng.permutation(n)
    for _ in range(epochs):
        order = once if draw == "once" else rng.permutation(n)
        stop = n - n % batch_size if draw == "drop_last" else n
        for start in range(0, stop, batch_size):
            if draw == "replacement":
                rows = rng.integers(0, n, size=batch_size)
            else:
                rows = order[start:start + batch_size]
            w = w - lr * X[rows].T @ (X[rows] @ w - y[rows]) / len(rows)
    return w


@pytest.mark.parametrize("draw, phrase", [
    ("replacement", "were never used: you sampled with replacement"),
    ("once", "you shuffled once, before the epoch loop"),
    ("drop_last", "the last, shorter batch is skipped"),
])
def test_invisible_batches_are_judged_on_a_problem_where_order_does_not_matter(capsys, draw, phrase):
    assert check_minibatch_loop(lambda *a: plain_loop(*a, draw=draw)) is False
    out = verdict(capsys)
    assert phrase in out, out


def test_a_loop_that_only_runs_on_two_features_is_judged_by_the_spread(capsys):
    def two_features(objective, w, lr, batch_size, epochs, seed):
        X, y = np.array(objective.X), np.array(objective.y)
        assert w.shape == (2,) and X.shape[1] == 2  # written for this problem only
        return plain_loop(objective, w, lr, batch_size, epochs, seed)

    assert check_minibatch_loop(two_features) is True
    out = verdict(capsys)
    assert "lie within the spread of gd.minimize's over 1000 seeds" in out
    assert "cannot confirm that every epoch is a fresh permutation" in out


def test_invisible_loop_with_one_epoch_too_few(capsys):
    def short(objective, w, lr, batch_size, epochs, seed):
        return plain_loop(objective, w, lr, batch_size, epochs - 1, seed)

    assert check_minibatch_loop(short) is False
    assert "it takes 6 steps; 3 epochs of 10 rows in batches of 4 make 3 x 3 = 9" in verdict(capsys)
