"""Learning-rate schedules: values by hand, purity, arrays, repr and validation."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gdlesson import schedules as S

SCHEDULES = [
    S.constant(0.1),
    S.inverse_time(5, 50),
    S.step_decay(0.1, drop=0.5, every=10),
    S.exponential_decay(0.1, rate=0.9),
]


def test_constant():
    sched = S.constant(0.1)
    assert [sched(t) for t in (0, 1, 1000)] == [0.1, 0.1, 0.1]


def test_inverse_time_is_the_w3computing_schedule():
    sched = S.inverse_time(t0=5, t1=50)
    # the w3computing tutorial: learning_rate_schedule(t) = 5 / (t + 50)
    assert sched(0) == pytest.approx(0.1)
    assert sched(50) == pytest.approx(0.05)
    assert sched(950) == pytest.approx(0.005)
    assert S.inverse_time()(0) == pytest.approx(0.1)  # defaults: the w3computing tutorial's t0=5, t1=50


def test_step_decay():
    sched = S.step_decay(0.1, drop=0.5, every=10)
    assert [sched(t) for t in (0, 9, 10, 19, 20, 35)] == pytest.approx([0.1, 0.1, 0.05, 0.05, 0.025, 0.0125])


def test_exponential_decay():
    sched = S.exponential_decay(0.1, rate=0.9)
    assert [sched(t) for t in (0, 1, 2)] == pytest.approx([0.1, 0.09, 0.081])
    assert sched(100) == pytest.approx(0.1 * math.exp(100 * math.log(0.9)))


@settings(max_examples=50, deadline=None)
@given(which=st.integers(0, len(SCHEDULES) - 1), t=st.integers(0, 10**6), other=st.integers(0, 10**6))
def test_schedules_are_pure(which, t, other):
    sched = SCHEDULES[which]
    first = sched(t)
    sched(other)  # calling with another t changes nothing
    assert sched(t) == first
    assert first >= 0  # decays may underflow to 0 for huge t


@pytest.mark.parametrize("sched", SCHEDULES, ids=repr)
def test_array_input_matches_scalar_calls(sched):
    t = np.arange(40)
    np.testing.assert_allclose(sched(t), [sched(int(k)) for k in t], rtol=1e-15)


def test_reprs():
    assert [repr(s) for s in SCHEDULES] == [
        "constant(lr=0.1)",
        "inverse_time(t0=5.0, t1=50.0)",
        "step_decay(lr=0.1, drop=0.5, every=10)",
        "exponential_decay(lr=0.1, rate=0.9)",
    ]


@pytest.mark.parametrize("sched", SCHEDULES, ids=repr)
def test_negative_step_count_is_rejected(sched):
    with pytest.raises(ValueError, match="`t` must be a step count >= 0"):
        sched(-1)
    with pytest.raises(ValueError, match="`t` must be step counts >= 0"):
        sched(np.array([0, -3]))


@pytest.mark.parametrize(
    "build, name",
    [
        (lambda v: S.constant(v), "lr"),
        (lambda v: S.inverse_time(t0=v), "t0"),
        (lambda v: S.inverse_time(t1=v), "t1"),
        (lambda v: S.step_decay(v, 0.5, 10), "lr"),
        (lambda v: S.exponential_decay(v, 0.9), "lr"),
    ],
)
@pytest.mark.parametrize("value", [0.0, -1.0, np.nan, np.inf])
def test_positive_parameters(build, name, value):
    with pytest.raises(ValueError, match=f"`{name}` must be"):
        build(value)


@pytest.mark.parametrize("value", [0.0, -0.5, 1.5, np.nan])
def test_drop_and_rate_in_0_1(value):
    allowed = r"(in \(0, 1\]|a finite real number)"  # nan is reported as not finite
    with pytest.raises(ValueError, match=rf"`drop` must be {allowed}"):
        S.step_decay(0.1, value, 10)
    with pytest.raises(ValueError, match=rf"`rate` must be {allowed}"):
        S.exponential_decay(0.1, value)


@pytest.mark.parametrize("every, error", [(0, ValueError), (-5, ValueError), (2.5, TypeError)])
def test_every_is_a_positive_integer(every, error):
    with pytest.raises(error, match="`every` must be an integer"):
        S.step_decay(0.1, 0.5, every)


def test_non_number_parameter_is_a_type_error():
    with pytest.raises(TypeError, match="`lr` must be a finite real number"):
        S.constant("0.1")
