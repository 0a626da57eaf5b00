"""The course's own Sphinx extension: a site that reads fully offline, and links that resolve.

MathJax 3 comes from the pinned PyPI package ``sphinx-mathjax-offline`` (see requirements.txt). Its
directory is named ``sphinx-mathjax-offline`` (with hyphens), so it cannot be imported as a Sphinx
extension by name; instead this extension finds the package's files through its distribution record
and copies only what the site needs into ``_build/html/_static/mathjax``:

* ``tex-chtml.js``: the TeX input + CommonHTML output bundle (``mathjax_path`` in _config.yml);
* ``output/chtml/fonts/woff-v2``: the fonts that bundle loads;
* ``input/tex/extensions``: TeX packages that MathJax autoloads on demand (``\\cancel``, ``\\bbox``...);
* ``ui`` and ``a11y``: the right-click menu and its accessibility options (assistive MathML etc.).

The speech-rule engine (``sre``, 4 MB) is left out: it is only loaded if a reader turns on the
"Explorer"/speech options in MathJax's menu. Nothing third-party is committed to the repository.

It resolves cross-references to re-exported names (``gdlesson.minimize`` for
``gdlesson.descent.minimize``), so docstrings can use the names readers type.

Animations are made offline and accessible where they are made, by ``gdlesson.plotting.animation_html``
(no CDN icon font, alt text on the frame, a labelled slider), so a reader running the notebook gets the
same player.

Accessibility and dark mode (the theme offers a light and a dark mode, ``html[data-theme]``):
``static/gdbook.css`` holds the few CSS fixes the site needs (contrast, figures and the animation player in
dark mode; each rule says why), ``static/gdbook.js`` keeps wide outputs in opened solutions reachable by
keyboard, and figures with a transparent background (drawn under ``gdlesson.plotting.use_course_style()``)
get the classes ``dark-light gd-transparent``, so that the theme does not put them on its light plate and
the CSS can give them a dark one.
"""

from __future__ import annotations

import shutil
from importlib import metadata
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.errors import ExtensionError
from sphinx.util.nodes import make_refnode

MATHJAX_DIST = "sphinx-mathjax-offline"
MATHJAX_PARTS = (
    "tex-chtml.js",
    "output/chtml/fonts/woff-v2",
    "input/tex/extensions",
    "ui",
    "a11y",
)


def mathjax_source() -> Path:
    """Return the ``static/mathjax`` directory of the installed sphinx-mathjax-offline package."""
    try:
        dist = metadata.distribution(MATHJAX_DIST)
    except metadata.PackageNotFoundError as exc:
        raise ExtensionError(
            f"gdbook: the package {MATHJAX_DIST!r} is not installed; "
            "run `pip install -r requirements.txt` (or `make book`)."
        ) from exc
    root = Path(dist.locate_file("sphinx-mathjax-offline/static/mathjax"))
    if not (root / "tex-chtml.js").is_file():
        raise ExtensionError(f"gdbook: no tex-chtml.js under {root}; is {MATHJAX_DIST} intact?")
    return root


def copy_mathjax(app: Sphinx, exc: Exception | None) -> None:
    if exc is not None or app.builder.format != "html":
        return
    src = mathjax_source()
    dest = Path(app.outdir) / "_static" / "mathjax"
    for part in MATHJAX_PARTS:
        source, target = src / part, dest / part
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, target, dirs_exist_ok=True)
        else:
            shutil.copy2(source, target)


STATIC = Path(__file__).resolve().parent / "static"
TRANSPARENT_CLASSES = ("dark-light", "gd-transparent")


def add_static_path(app: Sphinx, config) -> None:
    config.html_static_path.append(str(STATIC))


def has_transparent_background(path: Path) -> bool:
    """True for a PNG whose four corners are fully transparent (a figure with ``figure.facecolor: none``)."""
    if path.suffix.lower() != ".png" or not path.is_file():
        return False
    import matplotlib.image  # the notebooks' own dependency; imported only when there is a PNG to read

    pixels = matplotlib.image.imread(path)
    if pixels.ndim != 3 or pixels.shape[2] != 4:
        return False
    corners = pixels[[0, 0, -1, -1], [0, -1, 0, -1], 3]
    return bool((corners == 0).all())


def mark_transparent_figures(app: Sphinx, doctree, docname: str) -> None:
    """Give transparent PNG figures the classes ``dark-light gd-transparent`` (see static/gdbook.css)."""
    for image in doctree.findall(nodes.image):
        uri = image.get("candidates", {}).get("image/png") or image.get("uri", "")
        if "://" in uri or uri.startswith("data:"):
            continue
        if has_transparent_background(Path(app.srcdir) / uri):
            image["classes"].extend(c for c in TRANSPARENT_CLASSES if c not in image["classes"])


def resolve_reexports(app: Sphinx, env, node, contnode):
    """Resolve ``gdlesson.Quadratic`` (the re-exported name) to ``gdlesson.objectives.Quadratic``.

    Docstrings refer to objects by the names readers use (``gdlesson.minimize``, or just ``Objective``
    in a type), while autodoc documents each object in its submodule. When the python domain finds no
    exact match, look for exactly one documented ``gdlesson.<submodule>.<name>`` and link to it.
    """
    if node.get("refdomain") != "py":
        return None
    target = node["reftarget"]
    if target.startswith("gdlesson."):
        name = target[len("gdlesson."):]
    elif "." not in target:
        name = target
    else:
        return None
    objects = env.get_domain("py").objects
    # gdlesson.<submodule>.<name>, where <name> may itself be dotted (Momentum.step)
    matches = [full for full in objects if full.startswith("gdlesson.") and full.split(".", 2)[-1] == name]
    if len(matches) != 1:
        return None
    entry = objects[matches[0]]
    return make_refnode(app.builder, node["refdoc"], entry.docname, entry.node_id, contnode, matches[0])


def setup(app: Sphinx) -> dict:
    mathjax_source()  # fail early, at start-up, when the package is missing
    app.connect("build-finished", copy_mathjax)
    app.connect("config-inited", add_static_path)
    app.add_css_file("gdbook.css")
    app.add_js_file("gdbook.js")
    app.connect("doctree-resolved", mark_transparent_figures)
    app.connect("missing-reference", resolve_reexports)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
