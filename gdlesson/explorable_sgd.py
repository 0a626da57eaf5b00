"""The chapter 3 explorable: stochastic and mini-batch gradient descent on the regression, in the browser.

(Being written in this session; see issue 14.)
"""

__all__ = []
