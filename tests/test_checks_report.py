"""The shared side of gdlesson.checks: one-line verdicts, names, the student's line, docstring examples."""

import doctest

import numpy as np
import pytest

import gdlesson as gd
from gdlesson import _checks_gradients, _checks_minibatch, _checks_optimizers, checks
from gdlesson._checks_report import StudentError, call, describe_error, failed, name_of, passed


def test_verdicts_print_one_line_and_return_a_bool(capsys):
    assert passed("fine.") is True
    assert failed("not yet.") is False
    assert capsys.readouterr().out == "Check passed: fine.\nCheck failed: not yet.\n"


class Penalty:
    def value(self, w):
        return 0.0

    def grad(self, w):
        return w


def test_names_of_student_code():
    def ridge_grad(w):
        return w

    assert name_of(ridge_grad, "your gradient") == "ridge_grad"
    assert name_of(lambda w: w, "your gradient") == "your gradient"
    assert name_of(Penalty().grad, "x") == "Penalty.grad"
    assert name_of(Penalty(), "x") == "Penalty"
    assert name_of(Penalty, "x") == "Penalty"


def test_an_error_names_the_students_line_not_gdlesson_or_numpy():
    cost = gd.LeastSquares(np.ones((3, 2)), np.zeros(3))

    def my_step(w):
        return cost.grad(w, rows=[7])  # the error is raised inside gdlesson, the mistake is here

    with pytest.raises(StudentError) as info:
        call(my_step, np.zeros(2), what="my_step")
    reason = info.value.reason
    assert reason.startswith("my_step raised ValueError: LeastSquares.grad: `rows` must be")
    assert "return cost.grad(w, rows=[7])" in reason and reason.endswith(").")
    try:
        np.linalg.inv(np.zeros((2, 2)))  # raised inside NumPy's own Python code
    except np.linalg.LinAlgError as err:
        text = describe_error(err)
    assert "LinAlgError: Singular matrix" in text and "np.linalg.inv(np.zeros((2, 2)))" in text


def test_keyboard_interrupt_is_not_swallowed():
    def stop(w):
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        call(stop, 0)


def test_public_names():
    assert set(checks.__all__) == {"check_gradient_function", "check_optimizer", "check_minibatch_loop",
                                   "Reference", "ridge_reference"}
    assert gd.checks.check_gradient_function is _checks_gradients.check_gradient_function


@pytest.mark.parametrize("module", [_checks_gradients, _checks_optimizers, _checks_minibatch])
def test_docstring_examples_run_as_written(module):
    globs = {"np": np, "gd": gd, "RMSProp": gd.RMSProp, **{n: getattr(checks, n) for n in checks.__all__}}
    finder, attempted = doctest.DocTestFinder(), 0
    for name, obj in vars(module).items():
        if getattr(obj, "__module__", None) != module.__name__:
            continue
        for test in finder.find(obj, name, globs=dict(globs)):
            runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
            runner.run(test)
            result = runner.summarize(verbose=False)
            assert result.failed == 0, name
            attempted += result.attempted
    assert attempted > 0 or module is _checks_minibatch


def test_a_verdict_is_one_line_even_when_the_error_message_is_not(capsys):
    def grad(w):
        raise ValueError("first line\n   second line")

    assert gd.checks.check_gradient_function(grad, lambda w: 0.0, w_shape=(2,)) is False
    out = capsys.readouterr().out
    assert out.count("\n") == 1 and "ValueError: first line second line" in out


def test_what_student_code_prints_is_held_back(capsys):
    def chatty_loop(objective, w, lr, batch_size, epochs, seed):
        rng = np.random.default_rng(seed)
        for epoch in range(epochs):
            order = rng.permutation(objective.n_samples)
            for start in range(0, objective.n_samples, batch_size):
                w = w - lr * objective.grad(w, rows=order[start:start + batch_size])
            print(f"epoch {epoch}: loss {objective.value(w):.4f}")
        return w

    assert gd.checks.check_minibatch_loop(chatty_loop) is True
    out = capsys.readouterr().out
    assert out.count("\n") == 1 and out.startswith("Check passed: chatty_loop matches gd.minimize")

    class ChattyGD:
        def __init__(self, lr):
            print("built")
            self.lr = lr

        def step(self, w, g):
            print("step")
            return w - self.lr * g

    assert gd.checks.check_optimizer(ChattyGD, reference="sgd") is True
    assert capsys.readouterr().out.count("\n") == 1


def test_module_tables_are_read_only():
    from gdlesson import _checks_minibatch as mb

    with pytest.raises(TypeError):
        mb._SCALES["mean"] = mb._SCALES["sum"]
