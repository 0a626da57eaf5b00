"""pytest configuration for re-executing the chapters with nbval.

nbval sends every cell with ``store_history=False``. IPython decides whether a trailing ``;`` silences a
cell's last value by looking at the last cell stored in its history, so under nbval ``ax.plot(x, y);``
would print ``[<matplotlib.lines.Line2D at 0x...>]`` although Jupyter (and the stored outputs) show
nothing. Executing with ``store_history=True``, as Jupyter itself does, makes nbval see exactly what a
reader sees. nbval does not compare execution counts, so nothing else changes.
"""

import nbval.kernel


def _execute_like_jupyter(self, cell_input, allow_stdin=None):
    """nbval's ``RunningKernel.execute_cell_input`` with ``store_history=True``; returns the message id."""
    return self.kc.execute(cell_input, store_history=True, allow_stdin=allow_stdin, stop_on_error=False)


nbval.kernel.RunningKernel.execute_cell_input = _execute_like_jupyter
