"""gdlesson: gradient descent from scratch, the companion module of the course.

NumPy (and matplotlib for plots) only, small enough to be read as part of the course.

* :mod:`gdlesson.objectives` -- functions to minimise, with analytic gradients
* :mod:`gdlesson.optimizers` -- GradientDescent, Momentum (and Nesterov), AdaGrad, RMSProp, Adam
* :mod:`gdlesson.schedules` -- learning-rate schedules
* :mod:`gdlesson.descent` -- the loop: :func:`~gdlesson.descent.minimize` and its :class:`~gdlesson.descent.Result`
* :mod:`gdlesson.gradcheck` -- checking a gradient by central differences
* :mod:`gdlesson.data`, :mod:`gdlesson.metrics`, :mod:`gdlesson.plotting`
* :mod:`gdlesson.checks` -- self-checks for the exercises
* :mod:`gdlesson.concept_checks` -- :func:`~gdlesson.concept_checks.concept_check`, questions with feedback on the page
* :mod:`gdlesson.explorables` -- interactive figures for the static site (no kernel): the contour map;
  :mod:`gdlesson.explorable_sgd` (chapter 3) and :mod:`gdlesson.explorable_rates` (chapter 4)
"""

from . import checks, concept_checks, data, explorable_rates, explorable_sgd, explorables, metrics, plotting, schedules
from .concept_checks import concept_check
from .descent import ConvergenceWarning, Result, minimize
from .gradcheck import check_gradient, numerical_gradient
from .objectives import (
    LeastSquares,
    LogisticRegression,
    Objective,
    Quadratic,
    Rosenbrock,
    SoftmaxRegression,
)
from .optimizers import AdaGrad, Adam, GradientDescent, Momentum, Optimizer, RMSProp

__version__ = "0.1.0"

__all__ = [
    "Objective",
    "Quadratic",
    "Rosenbrock",
    "LeastSquares",
    "LogisticRegression",
    "SoftmaxRegression",
    "Optimizer",
    "GradientDescent",
    "Momentum",
    "AdaGrad",
    "RMSProp",
    "Adam",
    "minimize",
    "Result",
    "ConvergenceWarning",
    "check_gradient",
    "concept_check",
    "numerical_gradient",
    "schedules",
    "checks",
    "data",
    "explorables",
    "explorable_sgd",
    "explorable_rates",
    "metrics",
    "plotting",
]
