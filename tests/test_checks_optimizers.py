"""check_optimizer: right answers (in every accepted form) pass, each mistake gets its own message.

Every "student answer" below is written the way a student would write it, mistakes included; the tests
assert on the printed verdict, so a message that stops naming its mistake fails here.
"""

import numpy as np
import pytest

import gdlesson as gd
from checks_helpers import verdict
from gdlesson.checks import check_optimizer


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


class MomentumAverage(MyMomentum):  # the w3computing tutorial's form
    def __init__(self, lr, beta=0.9):
        super().__init__(lr, beta, average=True)


class AlwaysNesterov(MyMomentum):  # wrote Nesterov's rule where heavy ball was asked
    def __init__(self, lr, beta=0.9):
        super().__init__(lr, beta, nesterov=True)


class DeltaWMomentum:  # the Stack Abuse tutorial's form: the same method, written with the step itself
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
# Right answers written differently, and student errors
# =========================================================================================================


class AdamEfficient(MyAdam):
    """Kingma and Ba's efficient form: the corrections folded into the learning rate, eps on sqrt(s)."""

    def step(self, w, g):
        if self.m is None:
            self.m, self.s = np.zeros_like(w), np.zeros_like(w)
        self.t += 1
        self.m = self.beta1 * self.m + (1 - self.beta1) * g
        self.s = self.beta2 * self.s + (1 - self.beta2) * g**2
        lr_t = self.lr * np.sqrt(1 - self.beta2**self.t) / (1 - self.beta1**self.t)
        return w - lr_t * self.m / (np.sqrt(self.s) + self.eps)


def test_adam_efficient_form_is_accepted_and_said_so(capsys):
    result = check_optimizer(AdamEfficient, reference="adam")
    out = verdict(capsys, result)
    assert result is True
    assert out.startswith("Check passed: AdamEfficient matches Adam(lr=0.1, beta1=0.9, beta2=0.999, eps=1e-08)")
    assert "Kingma and Ba's efficient form" in out and "eps scaled by sqrt(1 - beta2**t)" in out
    # the forms really differ on the test problem (by about 1e-6), so this is not the plain pass
    gap = float(out.split("differ by at most ")[1].split(")")[0])
    assert 1e-7 < gap < 1e-4


def test_adam_efficient_form_with_its_own_mistake_still_fails(capsys):
    class EfficientUphill(AdamEfficient):
        def step(self, w, g):
            return 2 * w - super().step(w, g)

    assert check_optimizer(EfficientUphill, reference="adam") is False
    assert verdict(capsys).startswith("Check failed:")


def test_student_errors_are_verdicts(capsys):
    class StepRaises(MyRMSProp):
        def step(self, w, g):
            return w - self.lr * g[3]

    result = check_optimizer(StepRaises, reference="rmsprop")
    out = verdict(capsys, result)
    assert result is False
    assert "StepRaises: step 1 raised IndexError" in out and "return w - self.lr * g[3]" in out

    class InitRaises:
        def __init__(self, lr, beta=0.9, eps=1e-8):
            raise RuntimeError("not yet")

    assert check_optimizer(InitRaises, reference="rmsprop") is False
    assert "could not build InitRaises(lr=0.05, beta=0.9, eps=1e-08): RuntimeError: not yet" in verdict(capsys)

    class ReturnsText(MyRMSProp):
        def step(self, w, g):
            return "w"

    assert check_optimizer(ReturnsText, reference="rmsprop") is False
    assert "step 1 returned str, not an array of numbers" in verdict(capsys)

    class WrongShape(MyRMSProp):
        def step(self, w, g):
            return np.append(w, 0.0)

    assert check_optimizer(WrongShape, reference="rmsprop") is False
    assert "step returned an array of shape (4,) for w of shape (3,)" in verdict(capsys)


def test_references_cannot_be_changed_by_student_code():
    from gdlesson import _checks_optimizers as mod

    with pytest.raises(TypeError):
        mod._REFERENCES["adam"] = (gd.GradientDescent, {"lr": 0.1})
    with pytest.raises(TypeError):
        mod._REFERENCES["adam"][1]["lr"] = 1.0


def test_optimizer_check_is_the_same_in_a_fresh_process(tmp_path):
    # a grader imports the checker in its own process and calls it with the student's class
    script = tmp_path / "grade.py"
    script.write_text(
        "import numpy as np\n"
        "from gdlesson.checks import check_optimizer\n"
        "class MyAdam:\n"
        "    def __init__(self, lr, beta1=0.9, beta2=0.999, eps=1e-8):\n"
        "        self.lr, self.b1, self.b2, self.eps, self.t, self.m, self.s = lr, beta1, beta2, eps, 0, 0.0, 0.0\n"
        "    def step(self, w, g):\n"
        "        self.t += 1\n"
        "        self.m = self.b1 * self.m + (1 - self.b1) * g\n"
        "        self.s = self.b2 * self.s + (1 - self.b2) * g * g\n"
        "        m_hat, s_hat = self.m / (1 - self.b1**self.t), self.s / (1 - self.b2**self.t)\n"
        "        return w - self.lr * m_hat / (np.sqrt(s_hat) + self.eps)\n"
        "assert check_optimizer(MyAdam, reference='adam', n_steps=40, lr=0.05) is True\n"
    )
    import subprocess
    import sys

    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout == ("Check passed: MyAdam matches Adam(lr=0.05, beta1=0.9, beta2=0.999, eps=1e-08) "
                           "for 40 steps.\n")


def test_a_start_of_any_shape(capsys):
    w0 = np.random.default_rng(4).normal(size=(2, 3))
    assert check_optimizer(MyRMSProp, reference="rmsprop", w0=w0, n_steps=10) is True
    assert verdict(capsys).startswith("Check passed: MyRMSProp matches RMSProp(")

    class FlatState(MyRMSProp):  # works on a vector only
        def step(self, w, g):
            if self.E is None:
                self.E = np.zeros(len(w))
            self.E = self.beta * self.E + (1 - self.beta) * np.sum(g**2, axis=tuple(range(1, g.ndim)))
            return w - self.lr * g / (np.sqrt(self.E) + self.eps)

    assert check_optimizer(FlatState, reference="rmsprop") is True  # on the 3-vector it is right
    verdict(capsys)
    assert check_optimizer(FlatState, reference="rmsprop", w0=w0) is False
    out = verdict(capsys)
    assert "FlatState: step 1 raised ValueError: operands could not be broadcast together" in out
    assert "return w - self.lr * g / (np.sqrt(self.E) + self.eps)" in out  # the line that failed
    with pytest.raises(ValueError, match="check_optimizer: `w0` must be finite"):
        check_optimizer(MyRMSProp, reference="rmsprop", w0=[np.nan, 1.0])
