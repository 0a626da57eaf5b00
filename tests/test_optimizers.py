"""Optimizers: hand-computed first steps, known equivalences, properties and validation.

The hand-computed steps use f(w) = a*w**2/2 with a = 2, so g = a*w, from w0 = 1 with lr = 0.1. Each
expected value is written as the arithmetic done by hand, with the intermediate numbers spelled out.
"""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import gdlesson as gd
from gdlesson.optimizers import AdaGrad, Adam, GradientDescent, Momentum, Optimizer, RMSProp

A = 2.0  # curvature of f(w) = A * w**2 / 2


def run_on_parabola(opt, n_steps, w0=1.0):
    """Iterates w1, ..., wn of ``opt`` on f(w) = A*w**2/2, as a list of floats."""
    w = np.array([w0])
    out = []
    for _ in range(n_steps):
        w = opt.step(w, A * w)
        out.append(float(w[0]))
    return out


def quadratic_run(opt, A_mat, w0, n_steps, grad_at=None):
    """Iterates of ``opt`` on f(w) = w^T A w / 2 (gradient A w)."""
    w = np.asarray(w0, dtype=float)
    path = [w]
    for _ in range(n_steps):
        w = opt.step(w, A_mat @ w)
        path.append(w)
    return np.array(path)


# --- first steps against hand-computed values ---------------------------------------------------------


def test_gradient_descent_first_steps():
    # w1 = 1 - 0.1*2 = 0.8; w2 = 0.8 - 0.1*1.6 = 0.64; w3 = 0.64 - 0.1*1.28 = 0.512
    assert run_on_parabola(GradientDescent(lr=0.1), 3) == pytest.approx([0.8, 0.64, 0.512], abs=1e-15)


def test_momentum_first_steps():
    # g1 = 2,    v1 = 2,              w1 = 1 - 0.2 = 0.8
    # g2 = 1.6,  v2 = 0.9*2 + 1.6 = 3.4,  w2 = 0.8 - 0.34 = 0.46
    # g3 = 0.92, v3 = 0.9*3.4 + 0.92 = 3.98, w3 = 0.46 - 0.398 = 0.062
    opt = Momentum(lr=0.1, beta=0.9)
    assert run_on_parabola(opt, 3) == pytest.approx([0.8, 0.46, 0.062], abs=1e-14)
    assert opt.v == pytest.approx([3.98])
    assert opt.t == 3


def test_nesterov_first_steps():
    # g1 = 2,      v1 = 2,                      w1 = 1 - 0.1*(2 + 1.8) = 0.62
    # g2 = 1.24,   v2 = 1.8 + 1.24 = 3.04,      w2 = 0.62 - 0.1*(1.24 + 2.736) = 0.2224
    # g3 = 0.4448, v3 = 2.736 + 0.4448 = 3.1808, w3 = 0.2224 - 0.1*(0.4448 + 2.86272) = -0.108352
    opt = Momentum(lr=0.1, beta=0.9, nesterov=True)
    assert run_on_parabola(opt, 3) == pytest.approx([0.62, 0.2224, -0.108352], abs=1e-14)


def test_adagrad_first_steps():
    eps = 1e-8
    # g1 = 2,   G1 = 4,           w1 = 1 - 0.1*2/(2 + eps)                 (about 0.9)
    w1 = 1 - 0.1 * 2 / (2 + eps)
    # g2 = 2*w1, G2 = 4 + g2**2,  w2 = w1 - 0.1*g2/(sqrt(G2) + eps)        (about 0.9 - 0.18/2.6907)
    g2 = 2 * w1
    G2 = 4 + g2**2
    w2 = w1 - 0.1 * g2 / (np.sqrt(G2) + eps)
    opt = AdaGrad(lr=0.1, eps=eps)
    got = run_on_parabola(opt, 2)
    assert got == pytest.approx([w1, w2], abs=1e-15)
    assert got == pytest.approx([0.9, 0.9 - 0.18 / 2.6907248], abs=1e-7)  # the rounded hand values
    assert opt.G == pytest.approx([G2])


def test_rmsprop_first_steps():
    # E1 = 0.1*4 = 0.4, w1 = 1 - 0.1*2/sqrt(0.4) = 1 - 0.3162278 = 0.6837722
    # g2 = 1.3675445, E2 = 0.9*0.4 + 0.1*1.3675445**2 = 0.5470178,
    # w2 = 0.6837722 - 0.1*1.3675445/sqrt(0.5470178) = 0.6837722 - 0.1849016 = 0.4988706
    opt = RMSProp(lr=0.1, beta=0.9)
    got = run_on_parabola(opt, 2)
    assert got == pytest.approx([0.6837722, 0.4988706], abs=1e-7)
    assert opt.E == pytest.approx([0.5470178], abs=1e-7)


def test_adam_first_steps_and_bias_correction():
    # step 1: m1 = 0.1*2 = 0.2, s1 = 0.001*4 = 0.004, m_hat = 0.2/0.1 = 2, s_hat = 0.004/0.001 = 4
    #         w1 = 1 - 0.1*2/(2 + eps) = 0.9
    opt = Adam(lr=0.1)
    (w1,) = run_on_parabola(opt, 1)
    assert w1 == pytest.approx(0.9, abs=1e-8)
    assert opt.m == pytest.approx([0.2]) and opt.s == pytest.approx([0.004])
    assert opt.m_hat == pytest.approx([2.0]) and opt.s_hat == pytest.approx([4.0])
    # step 2: g2 = 1.8, m2 = 0.9*0.2 + 0.1*1.8 = 0.36, s2 = 0.999*0.004 + 0.001*3.24 = 0.007236
    #         m_hat = 0.36/0.19 = 1.8947368, s_hat = 0.007236/0.001999 = 3.6198099
    #         w2 = 0.9 - 0.1*1.8947368/sqrt(3.6198099) = 0.9 - 0.0995878 = 0.8004122
    w2 = float(opt.step(np.array([w1]), np.array([A * w1]))[0])
    assert opt.m == pytest.approx([0.36]) and opt.s == pytest.approx([0.007236])
    assert opt.m_hat == pytest.approx([1.8947368]) and opt.s_hat == pytest.approx([3.6198099])
    assert w2 == pytest.approx(0.8004122, abs=1e-7)
    assert opt.t == 2


def test_schedule_is_called_with_zero_based_step_count():
    seen = []

    def lr(t):
        seen.append(t)
        return [0.1, 0.2, 0.3][t]

    # w1 = 1 - 0.1*2 = 0.8; w2 = 0.8 - 0.2*1.6 = 0.48; w3 = 0.48 - 0.3*0.96 = 0.192
    assert run_on_parabola(GradientDescent(lr), 3) == pytest.approx([0.8, 0.48, 0.192])
    assert seen == [0, 1, 2]


# --- equivalences -------------------------------------------------------------------------------------

A_MAT = np.array([[3.0, 1.0], [1.0, 2.0]])
W0 = np.array([1.0, -2.0])


def test_momentum_with_beta_zero_is_gradient_descent():
    a = quadratic_run(Momentum(lr=0.2, beta=0.0), A_MAT, W0, 30)
    b = quadratic_run(GradientDescent(lr=0.2), A_MAT, W0, 30)
    np.testing.assert_allclose(a, b, rtol=0, atol=1e-15)


def test_w3computing_ema_momentum_equals_momentum_with_scaled_lr():
    lr, beta = 0.3, 0.9
    # the w3computing tutorial: v = beta*v + (1 - beta)*g; w = w - lr*v
    w, v, ema = W0.copy(), np.zeros(2), [W0]
    for _ in range(40):
        v = beta * v + (1 - beta) * (A_MAT @ w)
        w = w - lr * v
        ema.append(w)
    ours = quadratic_run(Momentum(lr=lr * (1 - beta), beta=beta), A_MAT, W0, 40)
    np.testing.assert_allclose(ours, np.array(ema), rtol=1e-12, atol=1e-14)


def test_stack_abuse_delta_w_form_equals_momentum():
    lr, alpha = 0.1, 0.8
    # the Stack Abuse tutorial: delta_w = -lr*grad + alpha*delta_w; w = w + delta_w
    w, delta_w, theirs = W0.copy(), np.zeros(2), [W0]
    for _ in range(40):
        delta_w = -lr * (A_MAT @ w) + alpha * delta_w
        w = w + delta_w
        theirs.append(w)
    opt = Momentum(lr=lr, beta=alpha)
    ours = quadratic_run(opt, A_MAT, W0, 40)
    np.testing.assert_allclose(ours, np.array(theirs), rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(opt.v, -delta_w / lr, rtol=1e-12, atol=1e-14)  # v = -delta_w / lr


@pytest.mark.parametrize(
    "grad, lr", [(lambda w: A_MAT @ w, 0.1), (gd.Rosenbrock().grad, 0.001)], ids=["quadratic", "rosenbrock"]
)
def test_nesterov_current_gradient_form_equals_look_ahead_form(grad, lr):
    # the two forms give the same look-ahead points theta = w - lr*beta*v, on any function
    beta = 0.9
    w0 = np.array([-1.2, 1.0])
    # look-ahead form: v = beta*v + grad(w - lr*beta*v); w = w - lr*v
    w, v, look_ahead_points = w0.copy(), np.zeros(2), [w0]
    for _ in range(50):
        v = beta * v + grad(w - lr * beta * v)
        w = w - lr * v
        look_ahead_points.append(w - lr * beta * v)
    opt = Momentum(lr=lr, beta=beta, nesterov=True)
    theta, ours = w0, [w0]
    for _ in range(50):
        theta = opt.step(theta, grad(theta))
        ours.append(theta)
    np.testing.assert_allclose(np.array(ours), np.array(look_ahead_points), rtol=1e-10, atol=1e-12)


# --- properties ---------------------------------------------------------------------------------------

ALL = [
    lambda lr: GradientDescent(lr),
    lambda lr: Momentum(lr, beta=0.9),
    lambda lr: Momentum(lr, beta=0.5, nesterov=True),
    lambda lr: AdaGrad(lr),
    lambda lr: RMSProp(lr),
    lambda lr: Adam(lr),
]
finite = st.floats(-100, 100, allow_nan=False)


@settings(max_examples=30, deadline=None)
@given(which=st.integers(0, len(ALL) - 1), w=st.lists(finite, min_size=1, max_size=5), data=st.data())
def test_step_never_mutates_its_inputs_and_returns_a_new_array(which, w, data):
    w = np.array(w)
    g = np.array(data.draw(st.lists(finite, min_size=len(w), max_size=len(w))))
    w_copy, g_copy = w.copy(), g.copy()
    opt = ALL[which](0.1)
    for _ in range(3):
        new = opt.step(w, g)
        assert new is not w and new is not g
        assert not np.shares_memory(new, w) and not np.shares_memory(new, g)
    np.testing.assert_array_equal(w, w_copy)
    np.testing.assert_array_equal(g, g_copy)


@settings(max_examples=30, deadline=None)
@given(which=st.integers(0, len(ALL) - 1), w=st.lists(finite, min_size=1, max_size=5), data=st.data())
def test_tiny_lr_changes_almost_nothing(which, w, data):
    # lr = 0 is rejected (see validation below); a tiny lr must move w by a tiny amount
    w = np.array(w)
    g = np.array(data.draw(st.lists(finite, min_size=len(w), max_size=len(w))))
    opt = ALL[which](1e-12)
    new = w
    for _ in range(3):
        new = opt.step(new, g)
    np.testing.assert_allclose(new, w, rtol=0, atol=1e-9)


@settings(max_examples=50, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    n=st.integers(1, 4),
    fraction=st.floats(0.01, 0.99),
)
def test_gradient_descent_step_below_2_over_L_lowers_a_convex_quadratic(seed, n, fraction):
    rng = np.random.default_rng(seed)
    M = rng.normal(size=(n, n))
    quad = gd.Quadratic(M @ M.T + 0.1 * np.eye(n), b=rng.normal(size=n))
    w = rng.normal(size=n) * 3
    g = quad.grad(w)
    if np.linalg.norm(g) < 1e-3:  # at (numerically) the minimum nothing can decrease
        return
    new = GradientDescent(lr=fraction * 2 / quad.L).step(w, g)
    assert quad.value(new) < quad.value(w)


# --- state, reset, repr -------------------------------------------------------------------------------


@pytest.mark.parametrize("make", ALL)
def test_state_is_created_on_first_step_and_cleared_by_reset(make):
    opt = make(0.1)
    for name in opt.state_names:
        assert getattr(opt, name) is None
    first = quadratic_run(opt, A_MAT, W0, 5)
    for name in opt.state_names:
        assert getattr(opt, name).shape == (2,)
    assert opt.t == 5
    opt.reset()
    assert opt.t == 0
    for name in opt.state_names:
        assert getattr(opt, name) is None
    np.testing.assert_array_equal(quadratic_run(opt, A_MAT, W0, 5), first)  # a fresh start again


@pytest.mark.parametrize("make", [m for m in ALL[1:]])
def test_shape_change_mid_run_says_call_reset(make):
    opt = make(0.1)
    opt.step(np.zeros(2), np.ones(2))
    with pytest.raises(ValueError, match=r"call reset\(\)"):
        opt.step(np.zeros(3), np.ones(3))
    opt.reset()
    assert opt.step(np.zeros(3), np.ones(3)).shape == (3,)


def test_gradient_shape_must_match_w():
    with pytest.raises(ValueError, match="`g`"):
        GradientDescent(0.1).step(np.zeros(2), np.ones(3))


def test_reprs():
    assert repr(Adam(lr=0.01)) == "Adam(lr=0.01, beta1=0.9, beta2=0.999, eps=1e-08)"
    assert repr(GradientDescent(0.1)) == "GradientDescent(lr=0.1)"
    assert repr(Momentum(0.1, beta=0.5, nesterov=True)) == "Momentum(lr=0.1, beta=0.5, nesterov=True)"
    assert repr(AdaGrad(0.5)) == "AdaGrad(lr=0.5, eps=1e-08)"
    assert repr(RMSProp(0.01)) == "RMSProp(lr=0.01, beta=0.9, eps=1e-08)"
    assert repr(GradientDescent(gd.schedules.inverse_time(5, 50))) == (
        "GradientDescent(lr=inverse_time(t0=5.0, t1=50.0))")


def test_every_optimizer_is_an_optimizer():
    for make in ALL:
        assert isinstance(make(0.1), Optimizer)


# --- validation ---------------------------------------------------------------------------------------

ALL_CLASSES = [GradientDescent, Momentum, AdaGrad, RMSProp, Adam]


@pytest.mark.parametrize("cls", ALL_CLASSES)
@pytest.mark.parametrize("lr", [0, 0.0, -0.1, np.nan, np.inf, -np.inf])
def test_lr_must_be_finite_and_positive(cls, lr):
    with pytest.raises(ValueError, match=rf"{cls.__name__}: `lr` must be"):
        cls(lr)


@pytest.mark.parametrize("cls", ALL_CLASSES)
@pytest.mark.parametrize("lr", ["0.1", None, [0.1], True])
def test_lr_of_the_wrong_type_is_a_type_error(cls, lr):
    with pytest.raises(TypeError, match="`lr` must be a number > 0 or a schedule"):
        cls(lr)


@pytest.mark.parametrize("bad", [-0.1, 0.0, np.nan, "0.1"])
def test_schedule_returning_a_bad_lr_fails_at_the_step(bad):
    opt = GradientDescent(lambda t: bad)
    with pytest.raises(ValueError, match=r"`lr` must be a schedule returning finite numbers > 0 \(at t=0\)"):
        opt.step(np.zeros(2), np.ones(2))


@pytest.mark.parametrize(
    "cls, name", [(Momentum, "beta"), (RMSProp, "beta"), (Adam, "beta1"), (Adam, "beta2")]
)
@pytest.mark.parametrize("value", [-0.1, 1.0, 1.5, np.nan])
def test_betas_must_be_in_0_1(cls, name, value):
    with pytest.raises(ValueError, match=rf"`{name}` must be"):
        cls(0.1, **{name: value})


@pytest.mark.parametrize("cls", [AdaGrad, RMSProp, Adam])
@pytest.mark.parametrize("eps", [0.0, -1e-8, np.inf])
def test_eps_must_be_positive(cls, eps):
    with pytest.raises(ValueError, match="`eps` must be"):
        cls(0.1, eps=eps)


def test_nesterov_needs_momentum_and_says_why():
    with pytest.raises(ValueError, match=r"`beta` must be > 0 when nesterov=True.*look-ahead"):
        Momentum(0.1, beta=0.0, nesterov=True)


def test_nesterov_must_be_a_bool():
    with pytest.raises(TypeError, match="`nesterov` must be True or False"):
        Momentum(0.1, nesterov="yes")


def test_error_message_follows_the_template():
    with pytest.raises(ValueError) as info:
        Momentum(0.1, beta=1.5)
    assert str(info.value) == "Momentum: `beta` must be in [0, 1); got 1.5."
