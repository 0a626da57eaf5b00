r"""Pictures of gradient descent: contour maps, trajectories, loss curves and digit grids.

Every function draws on the Axes you pass as ``ax=`` (or on a new figure when ``ax`` is None) and returns
it, so plots compose::

    fig, ax = plt.subplots()
    gd.plotting.contour(gd.Quadratic(2 * np.eye(2)), ax=ax, mark_min=(0, 0))
    gd.plotting.trajectory(result.path, ax=ax, label="GD, lr = 0.1");

Axes are labelled in LaTeX (:math:`w_1`, :math:`w_2`, step :math:`t`) and the default colormaps
(``viridis`` for maps, ``gray_r`` for digits) read well for colour-blind readers and in greyscale.
Nothing here changes matplotlib's global settings or calls ``plt.show()``, except
:func:`use_course_style`, which a notebook calls once, on purpose, so that its figures read on a light
and on a dark page.
"""

from __future__ import annotations

import difflib

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.colors import Colormap, LogNorm
from matplotlib.ticker import LogLocator

from ._validation import check_array, check_int, check_positive, check_real, fail

W1_LABEL, W2_LABEL = r"$w_1$", r"$w_2$"

# The grey of every text, tick and frame line outside the plot panel under the course style. #767676 is the
# lightest grey with a contrast of at least 4.5:1 (WCAG AA for text) against white (4.54:1), and it reaches
# 4.6:1 against black, so the same PNG reads on a light page and, on a black backdrop, on a dark one.
INK = "#767676"

COURSE_STYLE = {
    # The figure around the Axes is transparent: titles, tick labels and colorbars sit on the page itself.
    "figure.facecolor": "none",
    "savefig.facecolor": "none",
    # The plot panel stays white, so every data colour (black lines, the dark end of viridis) reads as drawn.
    "axes.facecolor": "white",
    "axes.edgecolor": INK,
    "axes.labelcolor": INK,
    "axes.titlecolor": INK,
    "text.color": INK,
    "xtick.color": INK,
    "ytick.color": INK,
    # A legend has a white box (inside the panel or not), so its text can be black.
    "legend.facecolor": "white",
    "legend.framealpha": 0.9,
    "legend.labelcolor": "black",
}


def use_course_style():
    """Draw every later figure so that it reads on a light page and on a dark one (the site has both).

    Call it once, in a notebook's imports cell, after ``import gdlesson as gd``::

        gd.plotting.use_course_style()

    It updates matplotlib's global settings (``matplotlib.rcParams``) with ``COURSE_STYLE``:

    * the figure background is transparent, so the page shows around the plot instead of a white card
      that glares on a dark page;
    * the plot panel (the Axes) stays white, so data colours read exactly as drawn;
    * titles, labels, ticks and frames are the grey ``INK`` (#767676), whose contrast is at least 4.5:1
      on white and on black; legends keep black text on their white box.

    For one figure only, use ``with plt.rc_context(gd.plotting.COURSE_STYLE):`` instead. Sizes, fonts and
    colormaps are left alone.

    Returns
    -------
    None
    """
    matplotlib.rcParams.update(COURSE_STYLE)


def contour(objective_or_func, xlim=(-10, 10), ylim=(-10, 10), *, ax=None, levels=30, log=False,
            filled=True, cmap="viridis", colorbar=True, n=200, mark_min=None):
    r"""Draw the level sets of a function of two parameters.

    Parameters
    ----------
    objective_or_func : objective or callable
        An objective with ``value(w)`` for ``w`` of shape ``(2,)`` (such as
        :class:`~gdlesson.objectives.Quadratic` or :class:`~gdlesson.objectives.Rosenbrock`), or a plain
        function ``f(w1, w2)``. A plain function is first called on the whole grid at once and, when that
        fails, point by point.
    xlim, ylim : tuple of float
        The ranges of :math:`w_1` and :math:`w_2` to draw; the Axes keeps these limits, so a trajectory
        drawn later that leaves the map is clipped instead of stretching the picture.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure is created when None.
    levels : int or array_like
        How many contour levels, or the levels themselves (increasing).
    log : bool
        Space the levels logarithmically, for functions whose values span many orders of magnitude
        (Rosenbrock). Needs :math:`f \ge 0` on the grid. The levels run from the smallest positive value
        (or :math:`10^{-10}` times the largest, if that is more) to the largest; values below get the
        colour of the lowest level.
    filled : bool
        Filled contours (``contourf``) when True, contour lines when False.
    cmap : str or matplotlib.colors.Colormap
        The colormap; ``"viridis"`` and ``"cividis"`` are colour-blind safe.
    colorbar : bool
        Add a colorbar labelled :math:`f(w)`.
    n : int
        Grid points along each axis (at least 2).
    mark_min : array_like of shape (2,) or True, optional
        Mark this point with a star labelled ``"minimum"`` (shown once you call ``ax.legend()``, or when a
        labelled :func:`trajectory` is drawn). True marks ``objective.minimizer``.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on.
    """
    owner = "contour"
    x_lo, x_hi = _check_limits(owner, "xlim", xlim)
    y_lo, y_hi = _check_limits(owner, "ylim", ylim)
    n = check_int(owner, "n", n, low=2, high=2000)
    cmap = _check_cmap(owner, cmap)
    W1, W2 = np.meshgrid(np.linspace(x_lo, x_hi, n), np.linspace(y_lo, y_hi, n))
    Z = _grid_values(owner, objective_or_func, W1, W2)
    levels, norm, Z = _contour_levels(owner, Z, levels, log)
    w_min = None if mark_min is None else _minimum_point(owner, objective_or_func, mark_min)

    ax = _axes(ax)
    draw = ax.contourf if filled else ax.contour
    contours = draw(W1, W2, Z, levels=levels, norm=norm, cmap=cmap)
    if colorbar:
        cax = ax.inset_axes([1.03, 0, 0.04, 1])  # beside the map and exactly as tall, whatever the aspect
        ticks = LogLocator() if log else None  # powers of ten on a log scale
        ax.figure.colorbar(contours, cax=cax, label=r"$f(w)$", ticks=ticks)
    if w_min is not None:
        ax.plot(*w_min, marker="*", markersize=14, color="white", markeredgecolor="black",
                linestyle="none", label="minimum", zorder=4)
    ax.set_xlim(x_lo, x_hi)
    ax.set_ylim(y_lo, y_hi)
    if 1 / 3 <= (y_hi - y_lo) / (x_hi - x_lo) <= 3:
        ax.set_aspect("equal")  # circles look like circles and gradients look normal to level sets
    ax.set_xlabel(W1_LABEL)
    ax.set_ylabel(W2_LABEL)
    return ax


def trajectory(path, *, ax=None, label=None, color=None, arrows=True, marker="o", final=True):
    """Draw the iterates of a run: a line through the points, an arrow for every step, the end marked.

    Parameters
    ----------
    path : array_like of shape (k, 2)
        The iterates as rows, first row :math:`w_0` (``Result.path`` of :func:`~gdlesson.descent.minimize`).
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure is created when None. Draw the :func:`contour` first.
    label : str, optional
        Legend label, such as ``"GD, lr = 0.1"``; when given, the legend is (re)drawn in the upper
        right (call ``ax.legend(loc=...)`` afterwards to move it).
    color : color, optional
        Line and arrow colour; the Axes' next colour when None.
    arrows : bool
        Draw an arrow from each iterate to the next (one :meth:`~matplotlib.axes.Axes.quiver`, which
        stays fast for thousands of steps).
    marker : str
        Marker of the iterates (``""`` for none).
    final : bool
        Highlight the last iterate with a large white-edged marker.

    Notes
    -----
    For long runs (hundreds of steps) pass ``marker=""``: the markers of tiny steps merge into a thick
    bead. Arrows of tiny steps shrink with the step, so they do no harm.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on.
    """
    path = _check_path("trajectory", path)
    ax = _axes(ax)
    (line,) = ax.plot(path[:, 0], path[:, 1], marker=marker, markersize=3, linewidth=1,
                      color=color, label=label, zorder=3)
    color = line.get_color()
    if arrows and len(path) > 1:
        steps = np.diff(path, axis=0)  # arrow t starts at w_t and ends at w_(t+1)
        ax.quiver(path[:-1, 0], path[:-1, 1], steps[:, 0], steps[:, 1], angles="xy", scale_units="xy",
                  scale=1, units="inches", width=0.012, headwidth=7, headlength=10, headaxislength=9,
                  minlength=0, color=color, zorder=4)  # head sizes in inches: equal in every panel
    if final:
        ax.plot(*path[-1], marker="o", markersize=9, color=color, markeredgecolor="white",
                markeredgewidth=1.5, linestyle="none", zorder=5)
    ax.set_xlabel(W1_LABEL)
    ax.set_ylabel(W2_LABEL)
    if label is not None:
        ax.legend(loc="upper right")  # a fixed place: "best" is slow on long runs
    return ax


def loss_curve(losses, *, ax=None, log=True, label=None, color=None, xlabel=r"step $t$", ylabel=None,
               minimum=None):
    r"""Plot the loss against the step.

    Parameters
    ----------
    losses : array_like of shape (k,)
        The loss at each step, first entry at step 0 (``Result.losses``).
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure is created when None.
    log : bool
        Logarithmic y axis, where linear convergence is a straight line. Needs positive values: pass
        ``minimum`` for a loss whose minimum is 0 or negative.
    label : str, optional
        Legend label; when given, the legend is (re)drawn in the upper right.
    color : color, optional
        Line colour (pass the trajectory's colour to match a map); the Axes' next colour when None.
    xlabel, ylabel : str, optional
        Axis labels. The default y label is :math:`f(w_t)`, or :math:`f(w_t) - f^\star` with ``minimum``.
    minimum : float, optional
        The optimal value :math:`f^\star`; the curve then shows the gap :math:`f(w_t) - f^\star`. Gaps
        that are zero up to rounding are left out of a log plot (they would be :math:`-\infty`).

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on.
    """
    owner = "loss_curve"
    values = check_array(owner, "losses", losses, ndim=1)
    if values.size == 0:
        fail(owner, "losses", "a non-empty 1-D array", "an empty array")
    if minimum is not None:
        minimum = check_real(owner, "minimum", minimum)
        values = values - minimum
        rounding = 1e-12 * max(1.0, abs(minimum))
        if values.min() < -rounding:
            fail(owner, "minimum", "<= every loss (it is the optimal value f*)",
                 f"{minimum} above the smallest loss {values.min() + minimum}")
        if log:
            values = np.where(values > rounding, values, np.nan)  # NaN points are not drawn
    elif log and values.min() <= 0:
        fail(owner, "losses", "> 0 for log=True (or pass minimum=f* to plot f - f*, or log=False)",
             f"an array whose smallest value is {values.min()}")

    ax = _axes(ax)
    ax.plot(np.arange(values.size), values, label=label, color=color)
    if log:
        ax.set_yscale("log")
    if ylabel is None:
        ylabel = r"$f(w_t) - f^\star$" if minimum is not None else r"$f(w_t)$"
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if label is not None:
        ax.legend(loc="upper right")  # a fixed place: "best" is slow on long runs
    return ax


def digit_grid(images, labels=None, *, predictions=None, ncols=10, axes=None, cmap="gray_r"):
    """Show small images (such as 8x8 digits) in a grid, titled with their labels or predictions.

    Parameters
    ----------
    images : array_like of shape (k, d) or (k, h, w)
        The images; a flat row of length ``d`` must be a square (64 gives 8x8).
    labels : array_like of shape (k,), optional
        The true labels, used as titles.
    predictions : array_like of shape (k,), optional
        Predicted labels (needs ``labels``). Titles read ``"label→prediction"``; wrong predictions are
        titled in bold orange so they stand out without relying on colour alone.
    ncols : int
        Images per row.
    axes : array of matplotlib.axes.Axes, optional
        At least ``k`` Axes to draw on; a new figure with the right grid is created when None.
    cmap : str or matplotlib.colors.Colormap
        The colormap; ``"gray_r"`` draws ink dark on white.

    Returns
    -------
    numpy.ndarray of matplotlib.axes.Axes
        The Axes of the grid, of shape ``(nrows, ncols)`` when created here (unused cells are blank), or
        ``axes`` as passed. The figure is ``axes.flat[0].figure``.
    """
    owner = "digit_grid"
    images = _check_images(owner, images)
    k = len(images)
    ncols = check_int(owner, "ncols", ncols, low=1)
    cmap = _check_cmap(owner, cmap)
    labels = _check_labels(owner, "labels", labels, k)
    predictions = _check_labels(owner, "predictions", predictions, k)
    if predictions is not None and labels is None:
        fail(owner, "labels", "given when predictions are (titles read label→prediction)", None)

    if axes is None:
        ncols = min(ncols, k)
        nrows = -(-k // ncols)  # ceiling division
        _, axes = plt.subplots(nrows, ncols, figsize=(0.9 * ncols, 1.1 * nrows), squeeze=False)
    axes = np.asarray(axes, dtype=object)
    if axes.size < k:
        fail(owner, "axes", f"at least {k} Axes (one per image)", f"{axes.size} Axes")

    for i, ax in enumerate(axes.flat):
        ax.set_axis_off()
        if i >= k:
            continue
        ax.imshow(images[i], cmap=cmap, interpolation="nearest")
        if predictions is not None:
            wrong = predictions[i] != labels[i]
            # A right prediction keeps the style's title colour (black by default, grey under
            # use_course_style, so it reads on a dark page too); a wrong one is bold orange.
            emphasis = {"color": "#d55e00", "fontweight": "bold"} if wrong else {"fontweight": "normal"}
            ax.set_title(f"{labels[i]}→{predictions[i]}", fontsize=9, **emphasis)
        elif labels is not None:
            ax.set_title(f"{labels[i]}", fontsize=9)
    return axes


def gradient_arrows(objective, points, *, ax=None, scale=None, color="white"):
    r"""Draw the negative gradient :math:`-\nabla f(w)` as an arrow at each point.

    On a :func:`contour` map with equal aspect the arrows cross the level sets at right angles: the
    gradient is normal to the contour through its point, and :math:`-\nabla f` points downhill.

    Parameters
    ----------
    objective : objective
        Anything with ``grad(w)`` for ``w`` of shape ``(2,)``.
    points : array_like of shape (k, 2) or (2,)
        Where to draw the arrows.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure is created when None.
    scale : float, optional
        The arrow at :math:`w` runs from :math:`w` to :math:`w - \text{scale}\cdot\nabla f(w)` (in data
        units). When None, the longest arrow is 15% of the width of the x range already on the Axes (or of
        the points' spread, when the Axes is empty).
    color : color
        Fill colour of the arrows (they have a thin black edge, so white reads on light maps too).

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on.
    """
    owner = "gradient_arrows"
    if not callable(getattr(objective, "grad", None)):
        fail(owner, "objective", "an objective with a grad(w) method", objective, TypeError)
    points = _check_path(owner, np.atleast_2d(points) if np.ndim(points) == 1 else points, name="points")
    minus_g = -np.array([objective.grad(w) for w in points], dtype=np.float64)
    if minus_g.shape != points.shape or not np.all(np.isfinite(minus_g)):
        fail(owner, "objective", "an objective whose grad(w) is a finite array of shape (2,)",
             f"gradients of shape {minus_g.shape}")

    ax = _axes(ax)
    if scale is None:
        width = np.ptp(ax.get_xlim()) if ax.has_data() else max(np.ptp(points[:, 0]), 1.0)
        longest = np.max(np.linalg.norm(minus_g, axis=1))
        scale = 0.15 * width / longest if longest > 0 else 1.0
    scale = check_positive(owner, "scale", scale)
    ax.quiver(points[:, 0], points[:, 1], minus_g[:, 0], minus_g[:, 1], angles="xy", scale_units="xy",
              scale=1 / scale, color=color, edgecolor="black", linewidth=0.5, width=0.008, zorder=4)
    ax.set_xlabel(W1_LABEL)
    ax.set_ylabel(W2_LABEL)
    return ax



# The icon-font classes of matplotlib's JavaScript player, and the plain characters that replace them.
_PLAYER_BUTTONS = {
    "fa-minus": "&minus;", "fa-fast-backward": "|&#9664;&#9664;", "fa-step-backward": "|&#9664;",
    "fa-play fa-flip-horizontal": "&#9664;", "fa-pause": "||", "fa-play": "&#9654;",
    "fa-step-forward": "&#9654;|", "fa-fast-forward": "&#9654;&#9654;|", "fa-plus": "+",
}

# Buttons drawn in the colour of the surrounding text on a transparent ground, so the player reads on a
# light page and on a dark one (site or JupyterLab theme) without knowing which; the slider gets a label.
_PLAYER_STYLE = """<style>
.animation .anim-buttons button {
    color: inherit; background: transparent; border: 1px solid currentColor; border-radius: 4px;
    height: 1.9em; cursor: pointer;
}
.animation .anim-buttons button:hover, .animation .anim-buttons button:focus-visible {
    background: rgba(127, 127, 127, 0.25);
}
.animation .anim-slider-label { margin-right: 0.5em; }
.animation input[type=range].anim-slider { vertical-align: middle; max-width: 80%; }
</style>
"""


def animation_html(anim, alt, *, embed_limit_mb=1.0):
    """An animation as a self-contained HTML player that works offline, with alt text.

    matplotlib's ``anim.to_jshtml()`` renders every frame to a PNG and wraps them in a small JavaScript
    player, so the animation plays on a static web page with no Python kernel. It also links an icon font
    from a content-delivery network for its buttons: read offline, the buttons are blank and the browser
    tries to reach the network. This function removes that link, writes the buttons as plain characters
    drawn in the colour of the surrounding text (so the player reads on light and dark pages), labels the
    frame slider, and gives the frame image an alt text for screen readers.

    Parameters
    ----------
    anim : matplotlib.animation.Animation
        The animation, e.g. a ``FuncAnimation``.
    alt : str
        What the animation shows, for readers who cannot see it.
    embed_limit_mb : float, default 1.0
        Largest size of the embedded frames in MB; matplotlib drops frames beyond it (with a warning), so
        keep animations small: few frames, a small figure, a modest dpi.

    Returns
    -------
    str
        The HTML; in a notebook show it with ``IPython.display.HTML(animation_html(anim, alt))``.
    """
    owner = "animation_html"
    if not hasattr(anim, "to_jshtml"):
        fail(owner, "anim", "a matplotlib animation (it has to_jshtml())", type(anim).__name__, TypeError)
    if not isinstance(alt, str) or not alt.strip():
        fail(owner, "alt", "a non-empty description of the animation", alt, TypeError)
    embed_limit_mb = check_positive(owner, "embed_limit_mb", embed_limit_mb)
    with plt.rc_context({"animation.embed_limit": embed_limit_mb}):
        html = anim.to_jshtml(default_mode="once")
    start = html.find("<link")
    if start >= 0:
        html = html[:start] + html[html.index(">", start) + 1:]
    for icon, text in _PLAYER_BUTTONS.items():
        html = html.replace(f'<i class="fa {icon}"></i>', text)
    alt_attr = alt.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
    # matplotlib composites every frame onto white (its HTML writer declares no transparency), so the
    # frames stay light cards in dark mode, as figures with an opaque background do.
    html = html.replace("<img id=", f'<img alt="{alt_attr}" id=', 1)
    # A visible label for the frame slider (screen readers announce "Frame", and axe's `label` rule holds).
    start = html.find('<input id="_anim_slider')
    if start < 0:
        raise RuntimeError("animation_html: matplotlib's player has no frame slider; is matplotlib too new?")
    slider_id = html[start:].split('"', 2)[1]
    html = f'{html[:start]}<label for="{slider_id}" class="anim-slider-label">Frame</label>\n    {html[start:]}'
    return _PLAYER_STYLE + html


# ----------------------------------------------------------------------------------------------------
# Helpers: input checks and the grid of values.


def _axes(ax):
    """The Axes to draw on: ``ax`` itself, or the Axes of a new figure."""
    if ax is None:
        _, ax = plt.subplots()
    elif not isinstance(ax, matplotlib.axes.Axes):
        fail("plotting", "ax", "a matplotlib Axes or None", ax, TypeError)
    return ax


def _check_limits(owner, name, lim):
    """A pair ``(low, high)`` of finite numbers with low < high."""
    if np.shape(lim) != (2,):
        fail(owner, name, "a pair (low, high)", lim)
    low, high = (check_real(owner, name, v) for v in lim)
    if not low < high:
        fail(owner, name, "a pair (low, high) with low < high", lim)
    return low, high


def _check_cmap(owner, cmap):
    """A Colormap or the name of one; a misspelt name gets a suggestion."""
    if isinstance(cmap, Colormap):
        return cmap
    if not isinstance(cmap, str) or cmap not in matplotlib.colormaps:
        close = difflib.get_close_matches(str(cmap), list(matplotlib.colormaps), n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        fail(owner, "cmap", f"a matplotlib colormap name such as 'viridis' or 'cividis'{hint}", cmap)
    return matplotlib.colormaps[cmap]


def _check_path(owner, path, name="path"):
    """Iterates as a finite array of shape (k, 2) with k >= 1."""
    arr = check_array(owner, name, path)
    if arr.ndim != 2 or arr.shape[1] != 2 or arr.shape[0] < 1:
        fail(owner, name, "an array of shape (k, 2) with k >= 1 (one row per iterate)",
             f"array of shape {arr.shape}")
    return arr


def _check_images(owner, images):
    """Images as a finite array of shape (k, h, w); flat square rows are reshaped."""
    arr = check_array(owner, "images", images)
    if arr.ndim == 2 and arr.shape[0] >= 1:
        side = int(round(np.sqrt(arr.shape[1])))
        if side * side == arr.shape[1]:
            return arr.reshape(-1, side, side)
    if arr.ndim == 3 and arr.shape[0] >= 1:
        return arr
    fail(owner, "images", "an array of shape (k, h, w), or (k, d) with d a square such as 64",
         f"array of shape {arr.shape}")


def _check_labels(owner, name, labels, k):
    """None, or a 1-D sequence with one label per image."""
    if labels is None:
        return None
    arr = np.asarray(labels)
    if arr.shape != (k,):
        fail(owner, name, f"one label per image, shape ({k},)", f"array of shape {arr.shape}")
    return arr


def _grid_values(owner, f, W1, W2):
    """f evaluated at every grid point, as an array shaped like W1."""
    if callable(getattr(f, "value", None)):
        w_shape = getattr(f, "w_shape", None)
        if w_shape is not None and tuple(w_shape) != (2,):
            fail(owner, "objective_or_func", "an objective of two parameters (w_shape (2,))",
                 f"an objective with w_shape {tuple(w_shape)}")
        Z = _fast_grid_values(f, W1, W2)
        if Z is None:
            Z = np.array([f.value(np.array(w)) for w in zip(W1.flat, W2.flat)]).reshape(W1.shape)
    elif callable(f):
        try:
            Z = np.asarray(f(W1, W2), dtype=np.float64)  # a vectorised f(w1, w2) does it in one call
        except (TypeError, ValueError):
            Z = None
        if Z is None or Z.shape != W1.shape:
            Z = np.array([f(w1, w2) for w1, w2 in zip(W1.flat, W2.flat)], dtype=np.float64)
            Z = Z.reshape(W1.shape)
    else:
        fail(owner, "objective_or_func", "an objective with value(w) or a function f(w1, w2)", f, TypeError)
    if not np.all(np.isfinite(Z)):
        bad = np.argwhere(~np.isfinite(Z))[0]
        fail(owner, "objective_or_func", "finite on the grid (narrow xlim/ylim?)",
             f"a non-finite value at w = ({W1[tuple(bad)]:.3g}, {W2[tuple(bad)]:.3g})")
    return Z


def _fast_grid_values(objective, W1, W2):
    """The whole grid in one NumPy expression for the quadratic and Rosenbrock objectives, else None.

    The formulas are the objectives' own; one grid point is checked against ``objective.value`` so a
    subclass that changes ``value`` falls back to the slow loop instead of being drawn wrongly.
    """
    from .objectives import Quadratic, Rosenbrock

    if isinstance(objective, Quadratic):
        A, b = objective.A, objective.b
        Z = 0.5 * (A[0, 0] * W1**2 + (A[0, 1] + A[1, 0]) * W1 * W2 + A[1, 1] * W2**2) - b[0] * W1 - b[1] * W2
    elif isinstance(objective, Rosenbrock):
        Z = (objective.a - W1) ** 2 + objective.b * (W2 - W1**2) ** 2
    else:
        return None
    i, j = np.array(W1.shape) // 3
    if not np.isclose(Z[i, j], objective.value(np.array([W1[i, j], W2[i, j]])), rtol=1e-9, atol=1e-12):
        return None
    return Z


def _contour_levels(owner, Z, levels, log):
    """The levels, the colour norm and the values to draw (zeros lifted to the lowest level on log)."""
    if not isinstance(levels, (int, np.integer)) or isinstance(levels, bool):
        levels = check_array(owner, "levels", levels, ndim=1)
        if levels.size < 2 or np.any(np.diff(levels) <= 0):
            fail(owner, "levels", "an int >= 2 or an increasing array of at least 2 levels", levels)
        if log and levels[0] <= 0:
            fail(owner, "levels", "> 0 when log=True", levels)
        return levels, (LogNorm(levels[0], levels[-1]) if log else None), Z
    levels = check_int(owner, "levels", levels, low=2)
    if not log:
        return levels, None, Z
    if Z.min() < 0:
        fail(owner, "log", "False for a function with negative values on the grid",
             f"log=True with min f = {Z.min():.3g}")
    positive = Z[Z > 0]
    if positive.size == 0 or positive.min() == Z.max():
        fail(owner, "log", "False for a function that is constant or zero on the grid", log)
    low = max(positive.min(), 1e-10 * Z.max())  # at most ten decades, even if the grid hits f* = 0
    return np.geomspace(low, Z.max(), levels), LogNorm(low, Z.max()), np.maximum(Z, low)


def _minimum_point(owner, objective, mark_min):
    """The point to mark: ``mark_min`` itself, or ``objective.minimizer`` when it is True."""
    if mark_min is True:
        if getattr(objective, "minimizer", None) is None:
            fail(owner, "mark_min", "a point (w1, w2) for an objective without a minimizer", mark_min)
        mark_min = objective.minimizer
    return check_array(owner, "mark_min", mark_min, shape=(2,))
