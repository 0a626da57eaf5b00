"""Tests for gdlesson.plotting: what each function draws, its labels, and its input checks."""

import re

import matplotlib

matplotlib.use("Agg")  # no window, before pyplot is used

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.colors import LogNorm  # noqa: E402
from matplotlib.contour import ContourSet  # noqa: E402
from matplotlib.quiver import Quiver  # noqa: E402

from gdlesson import plotting  # noqa: E402
from gdlesson.objectives import Quadratic, Rosenbrock  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


@pytest.fixture
def bowl():
    return Quadratic(2 * np.eye(2))  # f(w) = w1^2 + w2^2


def contour_set(ax):
    (cs,) = [c for c in ax.collections if isinstance(c, ContourSet)]
    return cs


def quivers(ax):
    return [c for c in ax.collections if isinstance(c, Quiver)]


# ----------------------------------------------------------------------------------------------- contour


def test_contour_draws_filled_levels_with_labels_and_colorbar(bowl):
    fig, ax = plt.subplots()
    out = plotting.contour(bowl, ax=ax, n=50)
    assert out is ax
    assert ax.get_xlabel() == r"$w_1$" and ax.get_ylabel() == r"$w_2$"
    cs = contour_set(ax)
    assert cs.filled and cs.get_cmap().name == "viridis"
    assert cs.levels[0] <= 0.0 and cs.levels[-1] >= 200.0  # f ranges over [0, 200] on [-10, 10]^2
    (cax,) = ax.child_axes
    assert cax.get_ylabel() == r"$f(w)$"
    assert ax.get_xlim() == (-10.0, 10.0) and ax.get_ylim() == (-10.0, 10.0)
    assert ax.get_aspect() == 1.0


def test_contour_creates_a_figure_when_ax_is_none(bowl):
    ax = plotting.contour(bowl, n=20, colorbar=False)
    assert isinstance(ax, matplotlib.axes.Axes)
    assert ax.child_axes == []


def test_contour_lines_cmap_and_explicit_levels(bowl):
    ax = plotting.contour(bowl, (-2, 2), (-1, 1), filled=False, cmap="cividis", levels=[0.5, 1, 2], n=30)
    cs = contour_set(ax)
    assert not cs.filled
    assert cs.get_cmap().name == "cividis"
    np.testing.assert_array_equal(cs.levels, [0.5, 1, 2])


def test_contour_grid_values_match_objective_value_point_by_point():
    W1, W2 = np.meshgrid(np.linspace(-2, 2, 7), np.linspace(-1, 3, 5))
    A = np.array([[3.0, 1.0], [1.0, 2.0]])
    for objective in (Quadratic(A, b=[1.0, -2.0]), Rosenbrock(a=1.5, b=50)):
        Z = plotting._grid_values("contour", objective, W1, W2)
        expected = [objective.value(np.array([a, b])) for a, b in zip(W1.flat, W2.flat)]
        np.testing.assert_allclose(Z.ravel(), expected, rtol=1e-12)


def test_contour_plain_function_vectorised_or_not_gives_the_same_map():
    def f_vectorised(w1, w2):
        return np.abs(w1) + 2 * w2**2

    def f_scalar_only(w1, w2):
        return (w1 if w1 > 0 else -w1) + 2 * w2**2  # `if` fails on arrays, so contour loops

    W1, W2 = np.meshgrid(np.linspace(-3, 3, 9), np.linspace(-3, 3, 9))
    np.testing.assert_allclose(plotting._grid_values("contour", f_vectorised, W1, W2),
                               plotting._grid_values("contour", f_scalar_only, W1, W2))
    ax = plotting.contour(f_scalar_only, (-3, 3), (-3, 3), n=9)
    assert contour_set(ax).levels[-1] >= 21.0  # max of f on the grid is 3 + 2 * 9


def test_contour_log_levels_for_rosenbrock():
    ax = plotting.contour(Rosenbrock(), (-2, 2), (-1, 3), log=True, n=60)
    cs = contour_set(ax)
    assert isinstance(cs.norm, LogNorm)
    ratios = cs.levels[1:] / cs.levels[:-1]
    np.testing.assert_allclose(ratios, ratios[0])  # geometric spacing
    assert cs.levels[0] > 0 and len(cs.levels) == 30
    assert ax.child_axes[0].get_yscale() == "log"
    assert ax.get_aspect() == 1.0


def test_contour_log_levels_span_at_most_ten_decades():
    # the grid hits the minimum almost exactly, so the smallest positive value is about 1e-30
    ax = plotting.contour(lambda w1, w2: (w1 - 1e-15) ** 2 + w2**2, (-1, 1), (-1, 1), n=21, log=True)
    levels = contour_set(ax).levels
    np.testing.assert_allclose([levels[0], levels[-1]], [2e-10, 2.0])


def test_contour_marks_the_minimum(bowl):
    ax = plotting.contour(bowl, n=20, mark_min=(1.0, -2.0))
    (star,) = [line for line in ax.get_lines() if line.get_label() == "minimum"]
    assert (star.get_xdata()[0], star.get_ydata()[0]) == (1.0, -2.0)
    ax = plotting.contour(Rosenbrock(a=2), (-3, 3), (-1, 5), n=20, mark_min=True)
    (star,) = [line for line in ax.get_lines() if line.get_label() == "minimum"]
    assert (star.get_xdata()[0], star.get_ydata()[0]) == (2.0, 4.0)


def test_contour_keeps_its_limits_when_a_trajectory_leaves_the_map(bowl):
    ax = plotting.contour(bowl, (-5, 5), (-5, 5), n=20)
    plotting.trajectory([[0, 0], [30, -40]], ax=ax)
    assert ax.get_xlim() == (-5.0, 5.0) and ax.get_ylim() == (-5.0, 5.0)


def test_contour_does_not_touch_global_rcparams(bowl):
    before = dict(matplotlib.rcParams)
    plotting.contour(bowl, n=20, mark_min=True)
    plotting.trajectory([[1, 1], [0, 0]], label="GD")
    plotting.digit_grid(np.zeros((2, 64)), [0, 1])
    assert dict(matplotlib.rcParams) == before


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        ({"xlim": (10, -10)}, ValueError, r"contour: `xlim` must be a pair \(low, high\) with low < high"),
        ({"ylim": (0, np.inf)}, ValueError, r"`ylim` must be a finite real number; got inf"),
        ({"xlim": (1, 2, 3)}, ValueError, r"`xlim` must be a pair"),
        ({"n": 1}, ValueError, r"`n` must be an integer in \[2, 2000\]; got 1"),
        ({"levels": 1}, ValueError, r"`levels` must be an integer in \[2, inf\]"),
        ({"levels": [3, 2, 1]}, ValueError, r"`levels` must be an int >= 2 or an increasing array"),
        ({"cmap": "virdis"}, ValueError, r"`cmap` must be a matplotlib colormap name .*did you mean 'viridis'"),
        ({"cmap": 3}, ValueError, r"`cmap` must be a matplotlib colormap name"),
        ({"mark_min": (1, 2, 3)}, ValueError, r"`mark_min` must be an array of shape \(2,\); got 'array of"),
        ({"ax": "left"}, TypeError, r"`ax` must be a matplotlib Axes or None; got 'left'"),
    ],
)
def test_contour_rejects_bad_arguments(bowl, kwargs, error, match):
    with pytest.raises(error, match=match):
        plotting.contour(bowl, n=kwargs.pop("n", 10), **kwargs)


def test_contour_rejects_bad_objectives():
    with pytest.raises(ValueError, match=r"`log` must be False for a function with negative values"):
        plotting.contour(Quadratic(np.eye(2), b=[1.0, 1.0]), n=10, log=True)
    with pytest.raises(ValueError, match=r"`objective_or_func` must be an objective of two parameters"):
        plotting.contour(Quadratic(np.eye(3)), n=10)
    non_finite = r"`objective_or_func` must be finite on the grid .*got 'a non-finite value at w = \(0.556, -1\)'"
    with pytest.raises(ValueError, match=non_finite):
        plotting.contour(lambda w1, w2: np.where(w1 > 0.5, np.inf, w1), (-1, 1), (-1, 1), n=10)
    with pytest.raises(TypeError, match=r"`objective_or_func` must be an objective with value\(w\)"):
        plotting.contour("w1**2", n=10)
    with pytest.raises(ValueError, match=r"`mark_min` must be a point \(w1, w2\) for an objective without"):
        plotting.contour(lambda w1, w2: w1**2 + w2**2, n=10, mark_min=True)


# -------------------------------------------------------------------------------------------- trajectory

PATH = np.array([[-8.0, 5.0], [-4.0, 2.5], [-2.0, 1.25], [-2.0, 1.25], [1.0, -0.5]])


def test_trajectory_draws_line_arrows_and_final_point():
    fig, ax = plt.subplots()
    out = plotting.trajectory(PATH, ax=ax, color="C1")
    assert out is ax
    line, final = ax.get_lines()
    np.testing.assert_array_equal(line.get_xydata(), PATH)
    np.testing.assert_array_equal(final.get_xydata(), PATH[-1:])
    (arrows,) = quivers(ax)
    assert len(arrows.U) == len(PATH) - 1  # one arrow per step (a zero step is a zero arrow)
    np.testing.assert_array_equal(np.column_stack([arrows.U, arrows.V]), np.diff(PATH, axis=0))
    np.testing.assert_array_equal(arrows.get_offsets(), PATH[:-1])
    assert matplotlib.colors.same_color(arrows.get_facecolor(), "C1")
    assert matplotlib.colors.same_color(line.get_color(), "C1")
    assert ax.get_xlabel() == r"$w_1$" and ax.get_ylabel() == r"$w_2$"
    assert ax.get_legend() is None


def test_trajectory_options():
    ax = plotting.trajectory(PATH, arrows=False, final=False, marker="")
    (line,) = ax.get_lines()
    assert quivers(ax) == [] and line.get_marker() == ""
    ax = plotting.trajectory(PATH[:1])  # only w0: a point, no arrows
    assert quivers(ax) == [] and len(ax.get_lines()) == 2


def test_trajectory_label_makes_a_legend_with_the_minimum(bowl):
    ax = plotting.contour(bowl, n=20, mark_min=(0, 0))
    plotting.trajectory(PATH, ax=ax, label="GD, lr = 0.1")
    plotting.trajectory(PATH / 2, ax=ax, label="Momentum, lr = 0.1")
    texts = [t.get_text() for t in ax.get_legend().get_texts()]
    assert texts == ["minimum", "GD, lr = 0.1", "Momentum, lr = 0.1"]
    colors = [line.get_color() for line in ax.get_lines() if line.get_label().startswith(("GD", "Mom"))]
    assert colors[0] != colors[1]  # each run gets the next colour of the cycle


@pytest.mark.parametrize(
    "path, match",
    [
        ([1.0, 2.0, 3.0], r"trajectory: `path` must be an array of shape \(k, 2\) .*got 'array of shape \(3,\)'"),
        (np.zeros((4, 3)), r"`path` must be an array of shape \(k, 2\) .*\(4, 3\)"),
        (np.zeros((0, 2)), r"`path` must be an array of shape \(k, 2\) with k >= 1"),
        ([[0.0, 1.0], [np.nan, 1.0]], r"`path` must be finite \(no NaN or inf\)"),
    ],
)
def test_trajectory_rejects_bad_paths(path, match):
    with pytest.raises(ValueError, match=match):
        plotting.trajectory(path)


# -------------------------------------------------------------------------------------------- loss_curve


def test_loss_curve_log_scale_and_labels():
    losses = np.array([8.0, 4.0, 2.0, 1.0])
    fig, ax = plt.subplots()
    out = plotting.loss_curve(losses, ax=ax)
    assert out is ax
    assert ax.get_yscale() == "log"
    (line,) = ax.get_lines()
    np.testing.assert_array_equal(line.get_xdata(), [0, 1, 2, 3])
    np.testing.assert_array_equal(line.get_ydata(), losses)
    assert ax.get_xlabel() == r"step $t$" and ax.get_ylabel() == r"$f(w_t)$"


def test_loss_curve_minimum_plots_the_gap_and_hides_exact_zeros():
    ax = plotting.loss_curve([3.0, 1.5, 1.0, 1.0 + 1e-15], minimum=1.0, label="GD")
    y = ax.get_lines()[0].get_ydata()
    np.testing.assert_allclose(y[:2], [2.0, 0.5])
    assert np.isnan(y[2]) and np.isnan(y[3])  # zero up to rounding: not drawn on a log axis
    assert ax.get_ylabel() == r"$f(w_t) - f^\star$"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["GD"]


def test_loss_curve_linear_scale_allows_negative_losses_and_custom_labels():
    ax = plotting.loss_curve([1.0, -2.0], log=False, color="C2", xlabel="epoch", ylabel="J")
    assert ax.get_yscale() == "linear"
    assert matplotlib.colors.same_color(ax.get_lines()[0].get_color(), "C2")
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("epoch", "J")


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"losses": [1.0, 0.0]}, r"`losses` must be > 0 for log=True \(or pass minimum=f\* .*smallest value is 0.0"),
        ({"losses": [[1.0, 2.0]]}, r"loss_curve: `losses` must be an array with ndim 1"),
        ({"losses": []}, r"`losses` must be a non-empty 1-D array"),
        ({"losses": [1.0, np.inf]}, r"`losses` must be finite"),
        ({"losses": [2.0, 1.0], "minimum": 1.5}, r"`minimum` must be <= every loss"),
    ],
)
def test_loss_curve_rejects_bad_input(kwargs, match):
    with pytest.raises(ValueError, match=match):
        plotting.loss_curve(**kwargs)


# -------------------------------------------------------------------------------------------- digit_grid


def test_digit_grid_shapes_titles_and_blank_cells():
    images = np.arange(5 * 64, dtype=float).reshape(5, 64)
    axes = plotting.digit_grid(images, labels=[7, 1, 0, 4, 9], ncols=3)
    assert axes.shape == (2, 3)
    assert [ax.get_title() for ax in axes.flat[:5]] == ["7", "1", "0", "4", "9"]
    (image,) = axes[0, 0].get_images()
    assert image.get_array().shape == (8, 8) and image.get_cmap().name == "gray_r"
    np.testing.assert_array_equal(image.get_array(), images[0].reshape(8, 8))
    assert all(not ax.axison for ax in axes.flat)
    assert axes[1, 2].get_images() == []


def test_digit_grid_predictions_and_given_axes():
    fig, axes = plt.subplots(1, 3)
    out = plotting.digit_grid(np.ones((3, 8, 8)), [3, 5, 7], predictions=[3, 8, 7], axes=axes, cmap="cividis")
    assert out.shape == (3,) and all(a is b for a, b in zip(out, axes))
    assert [ax.get_title() for ax in axes] == ["3→3", "5→8", "7→7"]
    assert axes[1].title.get_fontweight() == "bold" and axes[0].title.get_fontweight() == "normal"
    assert axes[0].get_images()[0].get_cmap().name == "cividis"


def test_digit_grid_without_labels_has_no_titles():
    axes = plotting.digit_grid(np.zeros((3, 16)), ncols=2)
    assert axes.shape == (2, 2)
    assert axes[0, 0].get_images()[0].get_array().shape == (4, 4)
    assert all(ax.get_title() == "" for ax in axes.flat)


@pytest.mark.parametrize(
    "args, kwargs, match",
    [
        ((np.zeros((2, 63)),), {}, r"digit_grid: `images` must be an array of shape \(k, h, w\), .*\(2, 63\)"),
        ((np.zeros(64),), {}, r"`images` must be .*shape \(64,\)"),
        ((np.zeros((2, 64)), [1, 2, 3]), {}, r"`labels` must be one label per image, shape \(2,\); .*\(3,\)"),
        ((np.zeros((2, 64)),), {"predictions": [1, 2]}, r"`labels` must be given when predictions are"),
        ((np.zeros((2, 64)), [1, 2]), {"predictions": [1]}, r"`predictions` must be one label per image"),
        ((np.zeros((2, 64)),), {"ncols": 0}, r"`ncols` must be an integer in \[1, inf\]; got 0"),
        ((np.zeros((2, 64)),), {"cmap": "gray_rr"}, r"`cmap` .*did you mean 'gray_r'"),
    ],
)
def test_digit_grid_rejects_bad_input(args, kwargs, match):
    with pytest.raises(ValueError, match=match):
        plotting.digit_grid(*args, **kwargs)


def test_digit_grid_needs_enough_axes():
    fig, axes = plt.subplots(1, 2)
    with pytest.raises(ValueError, match=r"`axes` must be at least 3 Axes \(one per image\); got '2 Axes'"):
        plotting.digit_grid(np.zeros((3, 64)), axes=axes)


# --------------------------------------------------------------------------------------- gradient_arrows


def test_gradient_arrows_point_downhill_with_given_scale():
    q = Quadratic(np.diag([1.0, 25.0]))
    points = np.array([[6.0, 2.0], [-5.0, -1.0]])
    fig, ax = plt.subplots()
    out = plotting.gradient_arrows(q, points, ax=ax, scale=0.5)
    assert out is ax
    (arrows,) = quivers(ax)
    minus_g = -np.array([q.grad(w) for w in points])
    np.testing.assert_allclose(np.column_stack([arrows.U, arrows.V]), minus_g)
    assert arrows.scale == 2.0  # an arrow of length 0.5 * |grad| in data units
    assert ax.get_xlabel() == r"$w_1$" and ax.get_ylabel() == r"$w_2$"


def test_gradient_arrows_are_normal_to_the_level_set():
    q = Quadratic(np.array([[3.0, 1.0], [1.0, 2.0]]))
    w = np.array([1.0, -2.0])
    ax = plotting.gradient_arrows(q, w)
    (arrows,) = quivers(ax)
    arrow = np.array([arrows.U[0], arrows.V[0]])
    # the level set through w is the ellipse w^T A w = c; its tangent there is perpendicular to A w
    tangent = np.array([[0.0, -1.0], [1.0, 0.0]]) @ (q.A @ w)
    assert abs(arrow @ tangent) < 1e-12 * np.linalg.norm(arrow) * np.linalg.norm(tangent)
    assert arrow @ (q.A @ w) < 0  # and it points downhill


def test_gradient_arrows_auto_scale_fits_the_map(bowl):
    ax = plotting.contour(bowl, n=20, colorbar=False)
    points = [[5.0, 5.0], [-2.0, 1.0]]
    plotting.gradient_arrows(bowl, points, ax=ax)
    (arrows,) = quivers(ax)
    longest = np.linalg.norm(2 * np.array([5.0, 5.0]))
    np.testing.assert_allclose(longest / arrows.scale, 0.15 * 20.0)  # 15% of the x range


def test_gradient_arrows_rejects_bad_input(bowl):
    with pytest.raises(TypeError, match=r"gradient_arrows: `objective` must be an objective with a grad"):
        plotting.gradient_arrows(lambda w: w, [[0.0, 0.0]])
    with pytest.raises(ValueError, match=r"`points` must be an array of shape \(k, 2\) .*\(2, 3\)"):
        plotting.gradient_arrows(bowl, np.zeros((2, 3)))
    with pytest.raises(ValueError, match=r"`scale` must be > 0; got -1.0"):
        plotting.gradient_arrows(bowl, [[1.0, 1.0]], scale=-1.0)


def test_animation_html_plays_offline_with_alt_text():
    from matplotlib.animation import FuncAnimation

    fig, ax = plt.subplots(figsize=(2, 2), dpi=30)
    (line,) = ax.plot([], [])
    anim = FuncAnimation(fig, lambda t: line.set_data([0, t], [0, t]) or (line,), frames=3)
    html = plotting.animation_html(anim, alt='a "line" growing')
    assert "<link" not in html and "fa-play" not in html  # no icon font from a CDN
    assert 'alt="a &quot;line&quot; growing"' in html
    assert html.count("data:image/png;base64") == 3  # every frame embedded in the page
    assert "&#9654;" in html  # the play button as a plain character


def test_animation_html_rejects_bad_input():
    with pytest.raises(TypeError, match="`anim`"):
        plotting.animation_html("not an animation", alt="x")
    fig, ax = plt.subplots()
    from matplotlib.animation import FuncAnimation

    anim = FuncAnimation(fig, lambda t: (), frames=1)
    with pytest.raises(TypeError, match="`alt`"):
        plotting.animation_html(anim, alt="")
    with pytest.raises(ValueError, match="`embed_limit_mb`"):
        plotting.animation_html(anim, alt="x", embed_limit_mb=0)
    assert "alt=" in plotting.animation_html(anim, alt="x")  # the same animation, valid input


def test_animation_html_labels_the_frame_slider_and_follows_the_page_colours():
    from matplotlib.animation import FuncAnimation

    fig, ax = plt.subplots(figsize=(2, 2), dpi=30)
    anim = FuncAnimation(fig, lambda t: (), frames=2)
    html = plotting.animation_html(anim, alt="two frames")
    (slider_id,) = re.findall(r'<input id="(_anim_slider[0-9a-f]+)"', html)
    assert f'<label for="{slider_id}" class="anim-slider-label">Frame</label>' in html
    assert html.index("anim-slider-label") < html.index('<input id="_anim_slider')
    assert "color: inherit" in html and "background: transparent" in html  # buttons take the page's colours


# ------------------------------------------------------------------------------------------- course style


def wcag_contrast(c1, c2):
    """WCAG 2.1 contrast ratio of two colours (relative luminance of the sRGB channels)."""

    def luminance(color):
        rgb = np.array(matplotlib.colors.to_rgb(color))
        linear = np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
        return float(linear @ [0.2126, 0.7152, 0.0722])

    hi, lo = sorted([luminance(c1), luminance(c2)], reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_course_ink_reads_on_white_and_on_black():
    assert wcag_contrast(plotting.INK, "white") >= 4.5
    assert wcag_contrast(plotting.INK, "black") >= 4.5
    # ... and it is the lightest such grey on white: one step lighter falls below 4.5:1
    assert wcag_contrast("#777777", "white") < 4.5


def test_use_course_style_sets_the_rcparams_and_draws_transparent_figures(tmp_path):
    with matplotlib.rc_context():  # undo the global change after the test
        plotting.use_course_style()
        for key, value in plotting.COURSE_STYLE.items():
            assert matplotlib.rcParams[key] == matplotlib.rcParams.validate[key](value), key
        fig, ax = plt.subplots(figsize=(2, 2), dpi=50)
        ax.plot([0, 1], [0, 1], label="line")
        ax.legend(loc="lower right")
        fig.savefig(tmp_path / "f.png")  # no bbox_inches: pixel = display coordinates
        x, y = ax.transAxes.transform((0.25, 0.75))  # inside the panel, away from the line and legend
        axes = plotting.digit_grid(np.zeros((2, 64)), [0, 1], predictions=[0, 7])
    rgba = plt.imread(tmp_path / "f.png")
    assert rgba.shape[2] == 4 and rgba[0, 0, 3] == 0  # the corner, outside the Axes, is transparent
    panel = rgba[rgba.shape[0] - int(y), int(x)]
    assert panel[3] == 1 and np.all(panel[:3] == 1)  # the plot panel is opaque white
    same = matplotlib.colors.same_color
    assert same(ax.xaxis.label.get_color(), plotting.INK) and same(ax.title.get_color(), plotting.INK)
    assert same(ax.get_legend().get_texts()[0].get_color(), "black")
    right, wrong = axes.flat[0].title, axes.flat[1].title
    assert same(right.get_color(), plotting.INK) and same(wrong.get_color(), "#d55e00")
    assert matplotlib.rcParams["figure.facecolor"] != "none"  # rc_context restored the defaults


def test_digit_grid_titles_are_black_by_default():
    axes = plotting.digit_grid(np.zeros((2, 64)), [0, 1], predictions=[0, 7])
    assert matplotlib.colors.same_color(axes.flat[0].title.get_color(), "black")

