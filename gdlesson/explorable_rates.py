"""The chapter 4 explorable: a rate map of heavy ball over (learning rate, momentum), in the browser.

(Being written in this session; see issue 14.)
"""

__all__ = []
