"""The exercise checkers: a right answer passes, and each common mistake fails with its own message.

Every "student answer" below is written the way a student would write it, mistakes included; the tests
assert on the printed verdict, so a message that stops naming its mistake fails here.
"""

import numpy as np
import pytest

import gdlesson as gd
from gdlesson.checks import check_gradient_function, check_minibatch_loop, check_optimizer


def verdict(capsys, result):
    """The checker's printed line, after asserting that it printed exactly one line."""
    out = capsys.readouterr().out
    assert out.count("\n") == 1, out
    return out


# =========================================================================================================
# check_gradient_function
# =========================================================================================================


def f_ex(w):
    return w[0] ** 2 + 3 * w[1] ** 2


def rosen_grad_right(w):
    x, y = w
    return np.array([-2 * (1 - x) - 400 * x * (y - x**2), 200 * (y - x**2)])


def rosen_grad_forgot_inner_2(w):  # chapter 1's "find and fix" exercise
    x, y = w
    return np.array([-2 * (1 - x) - 200 * x * (y - x**2), 200 * (y - x**2)])


@pytest.fixture(scope="module")
def lsq():
    X, y = gd.data.make_linear_data(n=50, seed=1)
    return gd.LeastSquares(gd.data.add_bias(X), y.ravel())


def test_gradient_right_answers_pass(capsys, lsq):
    assert check_gradient_function(lambda w: np.array([2 * w[0], 6 * w[1]]), f_ex, w_shape=(2,)) is True
    assert verdict(capsys, None).startswith("Check passed:")
    assert check_gradient_function(rosen_grad_right, gd.Rosenbrock()) is True
    assert "rosen_grad_right agrees" in verdict(capsys, None)
    Xb, y = lsq.X, lsq.y
    assert check_gradient_function(lambda w: Xb.T @ (Xb @ w - y) / len(y), lsq) is True
    verdict(capsys, None)


def test_gradient_sign_error(capsys, lsq):
    Xb, y = lsq.X, lsq.y
    assert check_gradient_function(lambda w: Xb.T @ (y - Xb @ w) / len(y), lsq) is False
    out = verdict(capsys, None)
    assert "wrong sign" in out and "(y - Xw)" in out


def test_gradient_missing_factor_two(capsys):
    assert check_gradient_function(lambda w: np.array([w[0], 3 * w[1]]), f_ex, w_shape=(2,)) is False
    out = verdict(capsys, None)
    assert "constant factor" in out and "0.5 times" in out and "missing factor 2" in out


def test_gradient_extra_factor_two(capsys, lsq):
    Xb, y = lsq.X, lsq.y
    assert check_gradient_function(lambda w: 2 * Xb.T @ (Xb @ w - y) / len(y), lsq) is False
    assert "extra factor 2" in verdict(capsys, None)


def test_gradient_missing_one_over_m(capsys, lsq):
    Xb, y = lsq.X, lsq.y
    assert check_gradient_function(lambda w: Xb.T @ (Xb @ w - y), lsq) is False
    out = verdict(capsys, None)
    assert "50 times" in out and "m = 50, the number of samples" in out and "did not divide by m" in out


def test_gradient_one_wrong_entry_is_named(capsys):
    w = np.array([[-0.7, 1.3]])
    assert check_gradient_function(rosen_grad_forgot_inner_2, gd.Rosenbrock(), points=w) is False
    out = verdict(capsys, None)
    # the numbers of chapter 1's exercise: entry 0 should be 223.4 and is 110
    assert "at w = [-0.7, 1.3]" in out and "entry 0: expected 223.4, got 110" in out
    assert "1 of its 2 entries are right" in out


def test_gradient_wrong_shape_and_nan(capsys, lsq):
    Xb, y = lsq.X, lsq.y
    assert check_gradient_function(lambda w: (Xb.T @ (Xb @ w - y) / len(y)).reshape(-1, 1), lsq) is False
    assert "shape (2, 1), but w has shape (2,)" in verdict(capsys, None)
    assert check_gradient_function(lambda w: np.full(2, np.nan), f_ex, w_shape=(2,)) is False
    assert "NaN or inf" in verdict(capsys, None)


def test_gradient_zero(capsys):
    assert check_gradient_function(lambda w: np.zeros(2), f_ex, w_shape=2) is False
    assert "returns zeros" in verdict(capsys, None)


def test_gradient_messages_are_distinct(capsys, lsq):
    # each mistake's message names that mistake and no other one
    Xb, y = lsq.X, lsq.y
    cases = [(lambda w: Xb.T @ (y - Xb @ w) / len(y), "wrong sign"),
             (lambda w: 2 * Xb.T @ (Xb @ w - y) / len(y), "extra factor 2"),
             (lambda w: 0.5 * Xb.T @ (Xb @ w - y) / len(y), "missing factor 2"),
             (lambda w: Xb.T @ (Xb @ w - y), "did not divide by m"),
             (lambda w: Xb.T @ (Xb @ w - y) / len(y) ** 2, "divided by the number of samples twice"),
             (lambda w: Xb.T @ (Xb @ w - y) / len(y) + np.array([0.0, 1.0]), "entries are right")]
    for answer, own in cases:
        assert check_gradient_function(answer, lsq) is False
        out = verdict(capsys, None)
        assert [phrase for _, phrase in cases if phrase in out] == [own], out


def test_gradient_misuse_raises():
    with pytest.raises(ValueError, match="check_gradient_function: `w_shape` must be given"):
        check_gradient_function(lambda w: w, lambda w: 0.0)
    with pytest.raises(TypeError, match="`grad`"):
        check_gradient_function("grad", f_ex, w_shape=(2,))
    with pytest.raises(TypeError, match="`objective`"):
        check_gradient_function(lambda w: w, 3.0, w_shape=(2,))
    with pytest.raises(ValueError, match="`n_points`"):
        check_gradient_function(lambda w: w, f_ex, w_shape=(2,), n_points=0)
    with pytest.raises(ValueError, match="`h`"):
        check_gradient_function(lambda w: w, f_ex, w_shape=(2,), h=0)


# =========================================================================================================
# check_optimizer
# =========================================================================================================


class MyRMSProp:  # right (chapter 4's exercise)
    def __init__(self, lr, beta=0.9, eps=1e-8):
        self.lr, self.beta, self.eps = lr, beta, eps
        self.E = None

    def step(self, w, g):
        if self.E is None:
            self.E = np.zeros_like(w)
        self.E = self.beta * self.E + (1 - self.beta) * g**2
        return w - self.lr * g / (np.sqrt(self.E) + self.eps)


class RMSPropNoOneMinusBeta(MyRMSProp):
    def step(self, w, g):
        if self.E is None:
            self.E = np.zeros_like(w)
        self.E = self.beta * self.E + g**2
        return w - self.lr * g / (np.sqrt(self.E) + self.eps)


class RMSPropEpsInside(MyRMSProp):
    def step(self, w, g):
        if self.E is None:
            self.E = np.zeros_like(w)
        self.E = self.beta * self.E + (1 - self.beta) * g**2
        return w - self.lr * g / np.sqrt(self.E + self.eps)


class RMSPropInPlace(MyRMSProp):
    def step(self, w, g):
        if self.E is None:
            self.E = np.zeros_like(w)
        self.E = self.beta * self.E + (1 - self.beta) * g**2
        w -= self.lr * g / (np.sqrt(self.E) + self.eps)
        return w


class MyAdam:
    def __init__(self, lr, beta1=0.9, beta2=0.999, eps=1e-8, correct=True, first_t=1):
        self.lr, self.beta1, self.beta2, self.eps = lr, beta1, beta2, eps
        self.correct, self.first_t = correct, first_t
        self.m = self.s = None
        self.t = 0

    def step(self, w, g):
        if self.m is None:
            self.m, self.s = np.zeros_like(w), np.zeros_like(w)
        self.t += 1
        t = self.t - 1 + self.first_t
        self.m = self.beta1 * self.m + (1 - self.beta1) * g
        self.s = self.beta2 * self.s + (1 - self.beta2) * g * g
        if self.correct:
            m_hat, s_hat = self.m / (1 - self.beta1**t), self.s / (1 - self.beta2**t)
        else:
            m_hat, s_hat = self.m, self.s
        return w - self.lr * m_hat / (np.sqrt(s_hat) + self.eps)


class AdamSignError(MyAdam):
    def step(self, w, g):
        return 2 * w - super().step(w, g)


class AdamNoBiasCorrection(MyAdam):
    def __init__(self, lr, beta1=0.9, beta2=0.999, eps=1e-8):
        super().__init__(lr, beta1, beta2, eps, correct=False)


class AdamFromZero(MyAdam):  # counts steps from 0: 1 - beta**0 = 0
    def __init__(self, lr, beta1=0.9, beta2=0.999, eps=1e-8):
        super().__init__(lr, beta1, beta2, eps, first_t=0)


class AdamCorrectsOnlyM(MyAdam):
    def step(self, w, g):
        if self.m is None:
            self.m, self.s = np.zeros_like(w), np.zeros_like(w)
        self.t += 1
        self.m = self.beta1 * self.m + (1 - self.beta1) * g
        self.s = self.beta2 * self.s + (1 - self.beta2) * g**2
        return w - self.lr * (self.m / (1 - self.beta1**self.t)) / (np.sqrt(self.s) + self.eps)


class MyMomentum:
    def __init__(self, lr, beta=0.9, average=False, nesterov=False):
        self.lr, self.beta, self.average, self.nesterov = lr, beta, average, nesterov
        self.v = None

    def step(self, w, g):
        if self.v is None:
            self.v = np.zeros_like(w)
        self.v = self.beta * self.v + ((1 - self.beta) * g if self.average else g)
        if self.nesterov:
            return w - self.lr * (g + self.beta * self.v)
        return w - self.lr * self.v


class MomentumAverage(MyMomentum):  # seed 000's form
    def __init__(self, lr, beta=0.9):
        super().__init__(lr, beta, average=True)


class AlwaysNesterov(MyMomentum):  # wrote Nesterov's rule where heavy ball was asked
    def __init__(self, lr, beta=0.9):
        super().__init__(lr, beta, nesterov=True)


class DeltaWMomentum:  # seed 001's form: the same method, written with the step itself
    def __init__(self, lr, beta=0.9):
        self.lr, self.beta, self.dw = lr, beta, None

    def step(self, w, g):
        self.dw = -self.lr * g if self.dw is None else -self.lr * g + self.beta * self.dw
        return w + self.dw


@pytest.mark.parametrize("answer, reference, kwargs", [
    (MyRMSProp, "rmsprop", {}),
    (MyRMSProp(lr=0.05), "rmsprop", {}),  # an instance works too
    (gd.RMSProp, "rmsprop", {}),
    (MyAdam, "adam", {}),
    (MyMomentum, "momentum", {}),
    (DeltaWMomentum, "momentum", {}),
    (MyMomentum, "nesterov", {"nesterov": True}),
    (MyMomentum, "momentum", {"lr": 0.01, "beta": 0.5}),
    (gd.AdaGrad, "adagrad", {}),
    (gd.GradientDescent, "sgd", {"lr": 0.1}),
])
def test_optimizer_right_answers_pass(capsys, answer, reference, kwargs):
    assert check_optimizer(answer, reference=reference, **kwargs) is True
    assert verdict(capsys, None).startswith("Check passed:")


@pytest.mark.parametrize("answer, reference, kwargs, expected", [
    (AdamSignError, "adam", {}, "wrong way: you add the update"),
    (AdamNoBiasCorrection, "adam", {}, "Bias correction is missing"),
    (AdamCorrectsOnlyM, "adam", {}, "Only m is bias-corrected"),
    (AdamFromZero, "adam", {}, "step 1 returned NaN or inf. For Adam, the bias correction divides by"),
    (RMSPropEpsInside, "rmsprop", {}, "eps is inside the square root"),
    (RMSPropNoOneMinusBeta, "rmsprop", {}, "The (1 - beta) is missing"),
    (RMSPropInPlace, "rmsprop", {}, "step changed the w it was given"),
    (MomentumAverage, "momentum", {}, "Your velocity is an average"),
    (MyMomentum, "nesterov", {}, "Your steps match heavy-ball momentum"),
    (AlwaysNesterov, "momentum", {}, "Your steps match Nesterov's rule"),
])
def test_optimizer_mistakes_are_named(capsys, answer, reference, kwargs, expected):
    with np.errstate(all="ignore"):  # AdamFromZero divides by zero, which is the point
        assert check_optimizer(answer, reference=reference, **kwargs) is False
    out = verdict(capsys, None)
    assert out.startswith("Check failed:") and expected in out


def test_optimizer_reports_first_differing_step(capsys):
    class LateBug(MyRMSProp):  # right for 4 steps, then the learning rate doubles
        def step(self, w, g):
            self.t = getattr(self, "t", 0) + 1
            w_new = super().step(w, g)
            return w_new if self.t < 5 else w - 2 * (w - w_new)

    assert check_optimizer(LateBug, reference="rmsprop") is False
    out = verdict(capsys, None)
    assert "first differ at step 5" in out and "largest difference" in out
    assert "Compare your step with the rule" in out  # no known mistake matches


def test_optimizer_adagrad_eps_inside(capsys):
    class AdaGradEpsInside:
        def __init__(self, lr, eps=1e-8):
            self.lr, self.eps, self.G = lr, eps, 0.0

        def step(self, w, g):
            self.G = self.G + g**2
            return w - self.lr * g / np.sqrt(self.G + self.eps)

    assert check_optimizer(AdaGradEpsInside, reference="adagrad") is False
    assert "eps is inside the square root" in verdict(capsys, None)


def test_optimizer_returns_none_and_bad_signature(capsys):
    class Forgot(MyRMSProp):
        def step(self, w, g):
            super().step(w, g)

    assert check_optimizer(Forgot, reference="rmsprop") is False
    assert "did you forget `return`" in verdict(capsys, None)

    class NoEps:
        def __init__(self, lr, beta=0.9):
            self.lr = lr

        def step(self, w, g):
            return w - self.lr * g

    assert check_optimizer(NoEps, reference="rmsprop") is False
    assert "could not build NoEps(lr=0.05, beta=0.9, eps=1e-08)" in verdict(capsys, None)


def test_optimizer_mistake_messages_are_distinct(capsys):
    # each mistake's message names that mistake and no other one
    cases = [(AdamSignError, "adam", "wrong way"), (AdamNoBiasCorrection, "adam", "Bias correction is missing"),
             (AdamCorrectsOnlyM, "adam", "Only m is"), (RMSPropEpsInside, "rmsprop", "eps is inside"),
             (RMSPropNoOneMinusBeta, "rmsprop", "(1 - beta) is missing"),
             (RMSPropInPlace, "rmsprop", "changed the w"), (MomentumAverage, "momentum", "is an average"),
             (MyMomentum, "nesterov", "match heavy-ball"), (AlwaysNesterov, "momentum", "match Nesterov")]
    for answer, reference, own in cases:
        check_optimizer(answer, reference=reference)
        out = verdict(capsys, None)
        assert [phrase for _, _, phrase in cases if phrase in out] == [own], out


def test_optimizer_misuse_raises():
    with pytest.raises(ValueError, match="check_optimizer: `reference` must be one of"):
        check_optimizer(MyRMSProp, reference="adamw")
    with pytest.raises(TypeError, match="`beta1` must be a hyperparameter of the rmsprop reference"):
        check_optimizer(MyRMSProp, reference="rmsprop", beta1=0.9)
    with pytest.raises(TypeError, match="`optimizer` must be a class or an object with a step"):
        check_optimizer(3, reference="sgd")
    with pytest.raises(ValueError, match="`n_steps`"):
        check_optimizer(MyRMSProp, reference="rmsprop", n_steps=0)


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
    from gdlesson.checks import _minibatch_problem, _reference_loop

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
    assert "did not call objective.grad(w, rows=...)" in verdict(capsys, None)

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
