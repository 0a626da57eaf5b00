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

It drops the CDN Font Awesome stylesheet link that matplotlib's ``to_jshtml()`` animations carry in
their stored HTML output (the theme ships Font Awesome itself), and gives the animation's frame image
the alt text declared in its cell's ``mystnb.image.alt`` metadata.
"""

from __future__ import annotations

import html
import re
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


# matplotlib's ``Animation.to_jshtml()`` output starts with a stylesheet link to Font Awesome 4 on a CDN,
# for its play/pause icons. The theme already ships Font Awesome locally, so the link is dropped.
REMOTE_FONT_AWESOME = re.compile(r"""<link\b[^>]*href=["']https?://[^"']*font-?awesome[^"']*["'][^>]*>\s*""", re.I)
IMG_WITHOUT_ALT = re.compile(r"<img\b(?![^>]*\balt=)", re.I)


def cell_alt_text(node) -> str:
    """The alt text (or else the caption) that the notebook cell holding `node` declares in its metadata."""
    parent = node.parent
    while parent is not None and parent.get("nb_element") != "cell_code":
        parent = parent.parent
    mystnb = (parent.get("cell_metadata") or {}).get("mystnb", {}) if parent is not None else {}
    return (mystnb.get("image", {}).get("alt") or mystnb.get("figure", {}).get("caption") or "").strip()


def fix_html_outputs(app: Sphinx, doctree, docname) -> None:
    """Make raw HTML outputs (e.g. ``HTML(anim.to_jshtml())``) offline and accessible.

    Drops CDN Font Awesome links, and gives an ``<img>`` without ``alt`` (the animation's frame) the alt
    text the cell declares in ``mystnb.image.alt`` — the same metadata a figure cell uses.
    """
    for node in list(doctree.findall(nodes.raw)):
        if "html" not in node.get("format", "").split():
            continue
        text = REMOTE_FONT_AWESOME.sub("", node.astext())
        alt = cell_alt_text(node)
        if alt:
            text = IMG_WITHOUT_ALT.sub(lambda m: f'{m.group(0)} alt="{html.escape(alt)}"', text)
        if text != node.astext():
            node.replace_self(nodes.raw(node.rawsource, text, **node.attributes))


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
    app.connect("missing-reference", resolve_reexports)
    app.connect("doctree-resolved", fix_html_outputs)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
