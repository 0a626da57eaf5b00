r"""Explorables: interactive figures that run in the reader's browser, with no kernel and no network.

:func:`map_explorable` returns one self-contained block of HTML: the controls (a landscape, a method, its
settings, the number of steps, a start point), a map with the path, the loss curve, and the script that
draws them. Display it with ``IPython.display.HTML``: the static site and a running notebook show the same
figure. The paths are computed in the browser by ``gdlesson/js/port.js``, a line-by-line port of
:func:`gdlesson.minimize` and of the optimizers and objectives it uses, in the same order of operations;
``tests/test_explorables.py`` checks that the port and gdlesson agree to 1e-12 for every value of every
control.

The contract, for checking an explorable from outside: its root element carries
``data-explorable="<id>"`` and, after every change, ``data-settings`` and ``data-path`` as JSON.
``data-path`` is the list of iterates drawn, ``[[w1, w2], ...]``, starting at ``w0``; ``data-settings``
is ``{"objective": {"name": ..., **kwargs}, "optimizer": {"name": ..., **kwargs}, "w0": [w1, w2],
"steps": n}``, such that ``gd.minimize(gd.<objective name>(**kwargs), np.array(w0),
gd.<optimizer name>(**kwargs), max_iter=n).path`` equals ``data-path``.
"""

from __future__ import annotations

import html
import json
from importlib import resources

from ._validation import fail

__all__ = ["map_explorable", "settings_grid", "LANDSCAPES", "METHODS", "KAPPAS"]

#: The landscapes the map explorable offers: what the chapters use.
LANDSCAPES = {
    "round bowl": {
        "objective": {"name": "Quadratic", "A": [[2.0, 0.0], [0.0, 2.0]]},
        "xlim": [-10, 10], "ylim": [-10, 10],
        "lr": {"plain": [0.001, 2.0], "adaptive": [0.001, 5.0]},
        "presets": [("Stack Abuse's start", [-8.049328, 5.224994]), ("a corner", [9.0, -9.0])],
    },
    "stretched bowl": {
        "objective": None,  # A = diag(1, kappa), kappa from its own control
        "xlim": [-10, 10], "ylim": [-10, 10],
        "lr": {"plain": [0.0001, 1.0], "adaptive": [0.001, 5.0]},
        "presets": [("chapter 2's start", [-9.0, 2.0]), ("on the steep axis", [0.0, 8.0])],
    },
    "Rosenbrock": {
        "objective": {"name": "Rosenbrock", "a": 1.0, "b": 100.0},
        "xlim": [-2, 2], "ylim": [-1, 3],
        "lr": {"plain": [0.00001, 0.01], "adaptive": [0.0001, 1.0]},
        "presets": [("chapter 2's start", [-1.5, 2.0]), ("the valley's far end", [-1.0, 1.0])],
    },
}

#: The methods: the optimizer (its fixed keyword arguments) and the settings that have a control.
METHODS = {
    "gradient descent": ({"name": "GradientDescent"}, "plain", []),
    "heavy ball": ({"name": "Momentum", "nesterov": False}, "plain", ["beta"]),
    "Nesterov": ({"name": "Momentum", "nesterov": True}, "plain", ["beta"]),
    "AdaGrad": ({"name": "AdaGrad", "eps": 1e-8}, "adaptive", []),
    "RMSProp": ({"name": "RMSProp", "eps": 1e-8}, "adaptive", ["beta"]),
    "Adam": ({"name": "Adam", "eps": 1e-8}, "adaptive", ["beta1", "beta2"]),
}

_PARAMS = [  # key (= keyword argument), label, the values its slider offers, the default value
    ("beta", "β (momentum or decay)", [0.3, 0.5, 0.7, 0.8, 0.9, 0.95, 0.99], 0.9),
    ("beta1", "β₁ (first moment)", [0.0, 0.5, 0.9, 0.99], 0.9),
    ("beta2", "β₂ (second moment)", [0.9, 0.99, 0.999], 0.999),
]
KAPPAS = [2, 10, 25, 100]
LR_POSITIONS = 25  # log-spaced learning rates, rounded to 3 significant digits
MAX_STEPS = 300

_CSS = """
.gd-explorable { border: 1px solid rgba(128, 128, 128, 0.5); border-radius: 6px; padding: 0.75rem;
  margin: 1rem 0; color: inherit; font-size: 0.95rem; }
.gd-explorable .gd-controls { display: grid; gap: 0.4rem 1.2rem; margin-bottom: 0.6rem;
  grid-template-columns: repeat(auto-fill, minmax(min(28rem, 100%), 1fr)); }
.gd-explorable .gd-control { display: grid; grid-template-columns: 9.5rem 1fr 3.5rem; align-items: center;
  gap: 0.4rem; }
.gd-explorable .gd-control[hidden] { display: none; }
.gd-explorable select, .gd-explorable input { min-width: 0; color: inherit; background: transparent; }
.gd-explorable .gd-control > select { grid-column: 2 / -1; width: 100%; }
.gd-explorable .gd-control > select ~ output { display: none; }
@media (max-width: 36rem) {  /* phones: each label above its control, so menus keep their full width */
  .gd-explorable .gd-control { grid-template-columns: 1fr 3.5rem; }
  .gd-explorable .gd-control > label { grid-column: 1 / -1; }
  .gd-explorable .gd-control > select { grid-column: 1 / -1; }
}
.gd-explorable select option { color: #222; background: #fff; }
.gd-explorable .gd-figures { display: flex; flex-wrap: wrap; gap: 0.75rem; }
.gd-explorable canvas { width: 100%; max-width: 360px; height: auto; }
.gd-explorable .gd-readout { display: block; margin-top: 0.4rem; }
"""


def _script(name):
    return resources.files("gdlesson").joinpath("js", name).read_text(encoding="utf-8")


def _check_id(owner, id):
    """An element id for a page: letters, digits and '-'."""
    if not isinstance(id, str) or not id or not all(ch.isalnum() or ch == "-" for ch in id):
        fail(owner, "id", "a non-empty name of letters, digits and '-'", id)


def _block(id, config, *, app, mounter, css="", kind=""):
    """The HTML every explorable shares.

    The root element with its configuration as JSON, the style, a line for readers without JavaScript,
    the shared scripts (``ui.js``, ``port.js``), the explorable's own script ``app`` and the call that
    mounts it once, ``window.<mounter>.mount(root)``. ``kind`` is an extra class of the root, ``css``
    style added to the shared ``_CSS``.
    """
    attribute = html.escape(json.dumps(config, sort_keys=True, separators=(",", ":")), quote=True)
    mount = (f'document.querySelectorAll(\'[data-explorable="{id}"]\').forEach(function (root) {{'
             f' if (!root.dataset.mounted) {{ root.dataset.mounted = "1"; window.{mounter}.mount(root); }} }});')
    classes = f"gd-explorable {kind}".strip()
    return (f'<div class="{classes}" data-explorable="{id}" data-config="{attribute}">\n'
            f"<style>{_CSS}{css}</style>\n"
            "<noscript>This interactive figure needs JavaScript.</noscript>\n"
            f"<script>\n{_script('ui.js')}\n{_script('port.js')}\n{_script(app)}\n{mount}\n</script>\n</div>")


def map_explorable(id, *, landscapes=("round bowl", "stretched bowl", "Rosenbrock"),
                   methods=("gradient descent", "heavy ball", "Nesterov"), landscape=None, method=None,
                   kappa=25, lr=None, steps=100):
    """HTML of a contour-map explorable: a path on a landscape, redrawn as the reader moves the controls.

    Parameters
    ----------
    id : str
        A name unique on its page (letters, digits and ``-``); the root element's ``data-explorable``.
    landscapes, methods : sequence of str
        Keys of ``LANDSCAPES`` and ``METHODS``, in the order of the menus.
    landscape, method : str, optional
        The initial choice (default: the first of each).
    kappa : int
        The initial condition number of the stretched bowl, one of ``KAPPAS``.
    lr : int, optional
        The initial position of the learning-rate slider, 0 to ``LR_POSITIONS - 1`` (default: the middle).
    steps : int
        The initial number of steps, 1 to ``MAX_STEPS``.

    Returns
    -------
    str
        A block of HTML with its style and script; the same string on every call with the same arguments.
    """
    owner = "map_explorable"
    _check_id(owner, id)
    for name, chosen, known in [("landscapes", landscapes, LANDSCAPES), ("methods", methods, METHODS)]:
        if not chosen or any(key not in known for key in chosen):
            fail(owner, name, f"a non-empty sequence of keys of {list(known)}", list(chosen))
    landscape = landscapes[0] if landscape is None else landscape
    method = methods[0] if method is None else method
    if landscape not in landscapes:
        fail(owner, "landscape", f"one of {list(landscapes)}", landscape)
    if method not in methods:
        fail(owner, "method", f"one of {list(methods)}", method)
    if kappa not in KAPPAS:
        fail(owner, "kappa", f"one of {KAPPAS}", kappa)
    lr = LR_POSITIONS // 2 if lr is None else lr
    if not isinstance(lr, int) or not 0 <= lr < LR_POSITIONS:
        fail(owner, "lr", f"a slider position from 0 to {LR_POSITIONS - 1}", lr)
    if not isinstance(steps, int) or not 1 <= steps <= MAX_STEPS:
        fail(owner, "steps", f"a whole number from 1 to {MAX_STEPS}", steps)

    config = {
        "id": id,
        "landscapes": [dict(key=name, label=name, stretch=LANDSCAPES[name]["objective"] is None,
                            objective=LANDSCAPES[name]["objective"], xlim=LANDSCAPES[name]["xlim"],
                            ylim=LANDSCAPES[name]["ylim"],
                            presets=[{"label": lab, "w0": w0} for lab, w0 in LANDSCAPES[name]["presets"]])
                       for name in landscapes],
        "methods": [dict(label=name, optimizer=METHODS[name][0], lrRange=METHODS[name][1], uses=METHODS[name][2])
                    for name in methods],
        "lrRanges": {name: LANDSCAPES[name]["lr"] for name in landscapes},
        "params": [dict(key=key, arg=key, label=label, values=values, default=values.index(default))
                   for key, label, values, default in _PARAMS
                   if any(key in METHODS[m][2] for m in methods)],
        "kappas": KAPPAS,
        "lrPositions": LR_POSITIONS,
        "maxSteps": MAX_STEPS,
        "defaults": {"landscape": landscapes.index(landscape), "method": methods.index(method),
                     "kappa": KAPPAS.index(kappa), "lr": lr, "steps": steps},
    }
    return _block(id, config, app="map.js", mounter="GDMap")


def _learning_rates(low, high):
    """The values of the learning-rate slider: LR_POSITIONS log-spaced numbers, 3 significant digits."""
    return [float(f"{low * (high / low) ** (k / (LR_POSITIONS - 1)):.3g}") for k in range(LR_POSITIONS)]


def settings_grid(landscapes=("round bowl", "stretched bowl", "Rosenbrock"),
                  methods=("gradient descent", "heavy ball", "Nesterov"), steps=MAX_STEPS):
    """Every combination of control values of a map explorable, as ``data-settings`` dictionaries.

    One start point per landscape (its first preset): the start moves the path, not the update rule.
    ``steps`` is the slider's maximum, so every shorter run is a prefix of one of these paths.
    """
    params = {key: values for key, _, values, _ in _PARAMS}
    for name in landscapes:
        land = LANDSCAPES[name]
        objectives = [land["objective"]] if land["objective"] else [
            {"name": "Quadratic", "A": [[1, 0], [0, kappa]]} for kappa in KAPPAS]
        for objective in objectives:
            for method in methods:
                spec, scale, uses = METHODS[method]
                combos = [{}]
                for key in uses:
                    combos = [dict(combo, **{key: value}) for combo in combos for value in params[key]]
                for lr in _learning_rates(*land["lr"][scale]):
                    for combo in combos:
                        yield {"objective": objective, "optimizer": dict(spec, lr=lr, **combo),
                               "w0": land["presets"][0][1], "steps": steps}
