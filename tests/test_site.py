"""The built site, as a reader sees it: every page in headless Chromium, with no network.

Run after building the site (`make test` does both; or `make book` then `pytest tests/test_site.py`).
Each page of the book (from _toc.yml) is opened once from _build/html through file:// — the way a reader
opens a downloaded copy — in Debian's Chromium driven by Playwright (which downloads no browser of its
own: it is pointed at /usr/bin/chromium), at the theme's desktop width (1280 px). Every request that is
not a local file is refused and recorded. For each page the tests check that:

* no request tried to leave the machine and no local file failed to load;
* the browser console shows no error and the page raised no JavaScript exception;
* math was typeset by the local MathJax (an ``mjx-container`` for every math element, no raw ``\\(``
  or ``\\[`` left in the prose);
* every image loaded (``naturalWidth > 0``) and has alt text or a caption;
* headings in the article never skip a level;
* axe-core (the copy shipped by the PyPI package axe-playwright-python; nothing is downloaded) finds no
  WCAG 2.1 A/AA violation (tags wcag2a, wcag2aa, wcag21a, wcag21aa) in light mode and in dark mode, with
  the collapsed solutions opened, so that their content is checked too;
* no figure is shrunk so far that its text becomes too small to read (see ``MIN_TEXT_PX``).

When Chromium (or the Playwright package, or the built site) is missing the tests are skipped with a hint,
unless GDLESSON_REQUIRE_BROWSER=1 (set by .ci/run), which turns the skip into a failure.
"""

from __future__ import annotations

import base64
import io
from pathlib import Path

import pytest
from browser_helpers import CHROMIUM_FLAGS, INSTALL_HINT, ROOT, SITE, find_chromium, skip_or_fail


# The theme's desktop layout: at this width the article column is its usual ~670 px, between the two
# sidebars. Figure sizes are judged here.
VIEWPORT = {"width": 1280, "height": 800}
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# The axe rules whose result depends on colours: the only ones that can change between light and dark mode
# (the others look at the DOM, ARIA and text alternatives, which the theme switch leaves alone).
COLOUR_RULES = ["color-contrast", "link-in-text-block"]

# Figure text: matplotlib's tick labels, axis labels and legends are 10 pt by default, which a PNG of
# d dpi draws 10/72*d px tall (13.9 px at the notebooks' 100 dpi). Shown at a fraction r of its natural
# width, that text is 10/72*d*r CSS px. Below 9 px text in a figure is hard to read on a screen (the size
# of the smallest UI labels); at 100 dpi this floor is a scale of 9/13.9 = 0.65.
DEFAULT_FONT_PT = 10
MIN_TEXT_PX = 9.0


def toc_pages() -> list[str]:
    """Every page of the book, in _toc.yml order, as paths relative to the site root (book/intro.html)."""
    import yaml  # installed with jupyter-book

    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    chapters = toc.get("chapters", []) + [ch for part in toc.get("parts", []) for ch in part.get("chapters", [])]
    return [f"{name}.html" for name in [toc["root"]] + [ch["file"] for ch in chapters]]


@pytest.fixture(scope="module")
def browser():
    executable = find_chromium()
    if executable is None:
        skip_or_fail(f"browser test needs Chromium: {INSTALL_HINT}")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        skip_or_fail("browser test needs the playwright package: `pip install -r requirements.txt`")
    if not (SITE / "index.html").is_file():
        skip_or_fail(f"no built site in {SITE}: run `make book` first")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


# Runs in the page once it has loaded: waits for MathJax, forces every image to load, and reports.
INSPECT_PAGE = """
async () => {
  const article = document.querySelector("article.bd-article") || document.body;
  const mathNodes = article.querySelectorAll(".math");
  if (mathNodes.length > 0) {
    const start = Date.now();
    while (!(window.MathJax && MathJax.startup && MathJax.startup.promise)) {
      if (Date.now() - start > 15000) break;
      await new Promise(r => setTimeout(r, 50));
    }
    if (window.MathJax && MathJax.startup && MathJax.startup.promise) await MathJax.startup.promise;
  }
  // Images below the fold may be lazy: make them load now, then wait for each to decode.
  const images = Array.from(document.images);
  for (const img of images) img.loading = "eager";
  const broken = [];
  for (const img of images) {
    try { await img.decode(); } catch (e) { /* recorded below */ }
    if (!img.complete || img.naturalWidth === 0) broken.push(img.getAttribute("src"));
  }
  const noAlt = images
    .filter(img => article.contains(img))
    .filter(img => !(img.getAttribute("alt") || "").trim())
    .filter(img => { const fig = img.closest("figure"); return !(fig && fig.querySelector("figcaption")); })
    .map(img => img.getAttribute("src"));
  // Prose text only: skip code, outputs and scripts, where a backslash-paren may be legitimate.
  const walker = document.createTreeWalker(article, NodeFilter.SHOW_TEXT, {
    acceptNode: n => n.parentElement.closest("pre, code, script, style, mjx-container, .cell_output")
      ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT,
  });
  const rawMath = [];
  while (walker.nextNode()) {
    const text = walker.currentNode.nodeValue;
    if (text.includes("\\\\(") || text.includes("\\\\[")) rawMath.push(text.trim().slice(0, 80));
  }
  const levels = Array.from(article.querySelectorAll("h1, h2, h3, h4, h5, h6")).map(h => +h.tagName[1]);
  return {
    mathNodes: mathNodes.length,
    mjx: article.querySelectorAll("mjx-container").length,
    images: images.length, broken, noAlt, rawMath, levels,
    title: document.title,
  };
}
"""


# Freezes the page for measuring: no CSS transitions (sphinx-togglebutton fades opened solutions in over
# 0.3 s and the theme fades colours for 0.15 s; axe would otherwise measure a half-faded colour).
FREEZE_CSS = "*, *::before, *::after { transition: none !important; animation: none !important; }"

# Opens every collapsed solution (sphinx-togglebutton) the way a reader does, with a click on its button, so
# that axe and the figure check see its content.
OPEN_SOLUTIONS = """
() => document.querySelectorAll(".admonition.toggle.toggle-hidden").forEach(admonition => {
  (admonition.querySelector("button.toggle-button") || admonition.querySelector(".admonition-title")).click();
})
"""

# Every image of the article: its natural and displayed width, and the figure it belongs to.
MEASURE_FIGURES = """
() => Array.from(document.querySelectorAll("article.bd-article img")).map(img => {
  const fig = img.closest("figure");
  const number = fig && fig.querySelector(".caption-number");
  return {
    src: img.getAttribute("src"), natural: img.naturalWidth, shown: img.width,
    figure: fig ? (fig.id || "") : "", number: number ? number.textContent.trim() : "",
    animation: !!img.closest(".animation"), classes: img.className,
    background: getComputedStyle(img).backgroundColor, filter: getComputedStyle(img).filter,
  };
})
"""

# Runs axe-core on the page (already injected) and returns its violations, each node located for a human:
# for anything inside a notebook cell's output, which code cell it is and how its source begins.
#
# Code blocks: Pygments colours every token by its class, so thousands of spans share a handful of
# colours on one background. Rather than measuring every span (most of axe's time on a chapter), the
# colour rules skip div.highlight and then check one span of each token class per kind of code block
# (input or output, language), plus the block with the fewest spans among those with bare text.
RUN_AXE = """
async ({tags, colourRules, colourOnly}) => {
  const kinds = new Map();
  for (const pre of document.querySelectorAll("div.highlight pre")) {
    const block = pre.closest("div[class*='highlight-']") || pre;
    const kind = block.className + (pre.closest(".cell_output") ? " (output)" : "");
    if (!kinds.has(kind)) kinds.set(kind, {spans: new Map(), plain: null});
    const k = kinds.get(kind);
    for (const span of pre.querySelectorAll("span")) {
      if (span.textContent.trim() && !k.spans.has(span.className)) k.spans.set(span.className, span);
    }
    const bareText = Array.from(pre.childNodes).some(n => n.nodeType === 3 && n.nodeValue.trim());
    const size = pre.querySelectorAll("*").length;
    if (bareText && (k.plain === null || size < k.plain.size)) k.plain = {pre, size};
  }
  const representatives = [];
  for (const k of kinds.values()) {
    representatives.push(...k.spans.values());
    if (k.plain) representatives.push(k.plain.pre);
  }
  const runs = [];
  if (!colourOnly) {
    const others = {};
    for (const r of colourRules) others[r] = {enabled: false};
    runs.push([document, {runOnly: {type: "tag", values: tags}, rules: others}]);
  }
  runs.push([{exclude: [["div.highlight"]]}, {runOnly: {type: "rule", values: colourRules}}]);
  if (representatives.length) {
    runs.push([{include: representatives}, {runOnly: {type: "rule", values: ["color-contrast"]}}]);
  }
  const cells = Array.from(document.querySelectorAll("article.bd-article div.cell"));
  const where = el => {
    const cell = el && el.closest("div.cell");
    if (!cell) return "";
    const source = cell.querySelector(".cell_input pre");
    const first = source ? source.textContent.trim().split("\\n")[0].slice(0, 70) : "";
    const part = el.closest(".cell_output") ? "the output of" : "the source of";
    return `in ${part} code cell ${cells.indexOf(cell) + 1} (counting code cells only; it begins: ${first})`;
  };
  const violations = [];
  for (const [context, options] of runs) {
    // preload: false — axe would fetch the stylesheets again by XHR to read them, which Chromium refuses
    // for file:// pages; the one rule that needs them (css-orientation-lock) then reports "incomplete".
    const result = await axe.run(context, {...options, resultTypes: ["violations"], preload: false});
    for (const v of result.violations) {
      violations.push({
        id: v.id, impact: v.impact, help: v.help,
        nodes: v.nodes.map(n => {
          let el = null;
          try { el = document.querySelector(n.target[n.target.length - 1]); } catch (e) { /* shadow DOM */ }
          return {target: n.target.join(" "), html: n.html.slice(0, 160), summary: n.failureSummary,
                  where: where(el)};
        }),
      });
    }
  }
  return violations;
}
"""


def axe_source() -> str:
    """The axe-core script shipped inside the axe-playwright-python package (no download)."""
    try:
        from axe_playwright_python.base import AXE_FILE_PATH
    except ImportError:
        skip_or_fail("the accessibility check needs axe-playwright-python: `pip install -r requirements.txt`")
    return Path(AXE_FILE_PATH).read_text(encoding="utf-8")


def png_is_transparent(page_file: Path, src: str) -> bool:
    """True when the PNG's four corners are fully transparent (a figure drawn under use_course_style)."""
    from PIL import Image

    if src.startswith("data:") or not (page_file.parent / src).is_file():
        return False
    with Image.open(page_file.parent / src) as image:
        if image.mode != "RGBA":
            return False
        w, h = image.size
        return all(image.getpixel(xy)[3] == 0 for xy in [(0, 0), (w - 1, 0), (0, h - 1), (w - 1, h - 1)])


def png_dpi(page_file: Path, src: str) -> float | None:
    """The dpi a PNG records (matplotlib writes its savefig dpi into the pHYs chunk), or None."""
    from PIL import Image  # installed with matplotlib

    if src.startswith("data:image/png;base64,"):
        data = io.BytesIO(base64.b64decode(src.split(",", 1)[1]))
    elif src.startswith("data:"):
        return None
    else:
        data = page_file.parent / src
        if not data.is_file():
            return None
    with Image.open(data) as image:
        dpi = image.info.get("dpi")
    return float(dpi[0]) if dpi else None


# Every code cell (solutions opened) whose code is wider than its box: the longest line and the two widths.
CODE_THAT_SCROLLS = """
() => Array.from(document.querySelectorAll("div.cell_input pre"))
  .filter((pre) => pre.scrollWidth > pre.clientWidth + 1)
  .map((pre) => [pre.scrollWidth, pre.clientWidth,
                 pre.textContent.split("\\n").reduce((a, b) => (b.length > a.length ? b : a), "")])
"""


@pytest.fixture(scope="module")
def visit(browser):
    """Open each page once (light mode, 1280 px wide) and record everything the tests below check."""
    cache: dict[str, dict] = {}
    axe = axe_source()

    def run(page_path: str) -> dict:
        if page_path in cache:
            return cache[page_path]
        page_file = SITE / page_path
        assert page_file.is_file(), f"{page_path} is in _toc.yml but was not built"
        context = browser.new_context(viewport=VIEWPORT, color_scheme="light")
        page = context.new_page()
        remote, failed, console_errors = [], [], []

        def refuse_remote(route):
            if route.request.url.startswith(("file://", "data:", "blob:")):
                route.continue_()
            else:
                remote.append(route.request.url)
                route.abort()

        page.route("**/*", refuse_remote)
        page.on("requestfailed", lambda req: failed.append(f"{req.url} ({req.failure})"))
        page.on("console", lambda msg: msg.type == "error" and console_errors.append(f"{msg.text} @ {msg.location}"))
        page.on("pageerror", lambda exc: console_errors.append(f"uncaught: {exc}"))
        try:
            page.goto(page_file.as_uri(), wait_until="load", timeout=30_000)
            report = page.evaluate(INSPECT_PAGE)
            page.wait_for_timeout(200)  # let late console messages (fonts, async scripts) arrive
            report["console_errors"] = list(console_errors)
            report["remote"], report["failed"] = list(remote), list(failed)  # what the page itself loaded
            page.add_style_tag(content=FREEZE_CSS)
            page.evaluate(OPEN_SOLUTIONS)
            page.wait_for_timeout(500)  # book/_ext/static/gdbook.js updates tab stops 350 ms after a toggle
            report["figures"] = page.evaluate(MEASURE_FIGURES)
            report["code_scroll"] = page.evaluate(CODE_THAT_SCROLLS)
            page.evaluate(axe)
            args = {"tags": AXE_TAGS, "colourRules": COLOUR_RULES}
            background = "getComputedStyle(document.body).backgroundColor"
            report["theme"] = {"mode": page.evaluate("document.documentElement.dataset.theme"),
                               "light": page.evaluate(background)}
            report["axe"] = {"light": page.evaluate(RUN_AXE, {**args, "colourOnly": False})}
            # The theme's dark mode is html[data-theme=dark] (what its switch and a dark system setting
            # set; test_theme_follows_the_reader_s_dark_setting checks the latter on a fresh page).
            page.evaluate("document.documentElement.dataset.theme = 'dark'")
            report["theme"]["dark"] = page.evaluate(background)
            report["axe"]["dark"] = page.evaluate(RUN_AXE, {**args, "colourOnly": True})
            report["figures_dark"] = page.evaluate(MEASURE_FIGURES)
        finally:
            context.close()
        for figure in report["figures"]:
            figure["dpi"] = png_dpi(page_file, figure["src"])
        cache[page_path] = report
        return report

    return run


@pytest.mark.parametrize("page_path", toc_pages())
def test_page_reads_offline(visit, page_path):
    report = visit(page_path)
    problems = []
    if report["remote"]:
        problems.append(f"requests to other hosts (the site must read offline): {report['remote']}")
    local_failures = [f for f in report["failed"] if f.startswith("file://")]
    if local_failures:
        problems.append(f"local files failed to load: {local_failures}")
    if report["console_errors"]:
        problems.append(f"console errors: {report['console_errors']}")
    if report["broken"]:
        problems.append(f"images that did not load: {report['broken']}")
    if report["noAlt"]:
        problems.append(f"images with neither alt text nor a caption: {report['noAlt']}")
    if report["mjx"] < report["mathNodes"]:
        problems.append(f"MathJax typeset {report['mjx']} of {report['mathNodes']} math elements")
    if report["rawMath"]:
        problems.append(f"untypeset TeX left in the text: {report['rawMath']}")
    levels = report["levels"]
    if not levels or levels[0] != 1:
        problems.append(f"the article should start with an h1; heading levels are {levels}")
    skips = [f"h{a} -> h{b}" for a, b in zip(levels, levels[1:]) if b > a + 1]
    if skips:
        problems.append(f"heading levels skip ({', '.join(skips)}): {levels}")
    assert problems == [], f"{page_path} ({report['title']}):\n  " + "\n  ".join(problems)


def describe_violations(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"{v['id']} ({v['impact']}): {v['help']}")
        for node in v["nodes"]:
            lines.append(f"    at {node['target']}" + (f"\n      {node['where']}" if node["where"] else ""))
            lines.append(f"      html: {node['html']}")
            lines.append("      " + (node["summary"] or "").replace("\n", "\n      "))
    return "\n".join(lines)


@pytest.mark.parametrize("mode", ["light", "dark"])
@pytest.mark.parametrize("page_path", toc_pages())
def test_page_has_no_wcag_violations(visit, page_path, mode):
    """axe-core, WCAG 2.1 A and AA, in the theme's light and dark mode.

    A violation inside a notebook output names the code cell; such a fix belongs in the notebook (or in
    gdlesson, when a gdlesson function made the output), a theme violation in book/_ext/static/gdbook.css.
    """
    report = visit(page_path)
    theme = report["theme"]
    assert theme["mode"] == "light", f"the page opened in {theme['mode']} mode under a light system setting"
    if mode == "dark":  # the switch took effect: the page background became a dark one
        rgb = [int(c) for c in theme["dark"].strip("rgba()").split(",")[:3]]
        assert theme["dark"] != theme["light"] and max(rgb) < 64, f"dark mode left the page at {theme['dark']}"
    violations = report["axe"][mode]
    assert violations == [], f"{page_path}, {mode} mode, axe-core found:\n{describe_violations(violations)}"


def figure_text_px(figure: dict) -> float | None:
    """How tall matplotlib's default 10-pt text is on screen, in CSS px, or None when the PNG has no dpi."""
    if not figure["natural"] or figure["dpi"] is None:
        return None
    return DEFAULT_FONT_PT / 72 * figure["dpi"] * figure["shown"] / figure["natural"]


@pytest.mark.parametrize("page_path", toc_pages())
def test_figure_text_is_not_shrunk_below_9px(visit, page_path):
    report = visit(page_path)
    small, unknown = [], []
    for figure in report["figures"]:
        name = figure["number"] or figure["figure"] or ("animation frame" if figure["animation"] else figure["src"])
        px = figure_text_px(figure)
        if px is None:
            if figure["natural"]:
                unknown.append(name)
            continue
        if px < MIN_TEXT_PX:
            small.append(
                f"{name}: {figure['natural']} px wide at {figure['dpi']:.0f} dpi, shown at {figure['shown']} px "
                f"(scale {figure['shown'] / figure['natural']:.2f}), so 10-pt text is {px:.1f} px"
            )
    assert unknown == [], f"{page_path}: PNGs without a dpi record, so their text size is unknown: {unknown}"
    assert small == [], (
        f"{page_path}: figures whose 10-pt text is shown below {MIN_TEXT_PX:g} px at {VIEWPORT['width']} px "
        "wide; make the figure narrower (figsize) or its fonts larger:\n  " + "\n  ".join(small)
    )


@pytest.mark.parametrize("page_path", toc_pages())
def test_code_cells_fit_the_reading_column(visit, page_path):
    """No code cell needs a horizontal scroll bar at 1280 px (code lines stay within 88 characters)."""
    wide = visit(page_path)["code_scroll"]
    assert wide == [], f"{page_path}: code cells wider than the column ([scroll, box, longest line]): {wide}"


@pytest.mark.parametrize("page_path", toc_pages())
def test_transparent_figures_sit_on_a_dark_backdrop_in_dark_mode(visit, page_path):
    """Figures drawn under use_course_style are marked by book/_ext/gdbook.py and styled by gdbook.css."""
    page_file = SITE / page_path
    problems = []
    for light, dark in zip(visit(page_path)["figures"], visit(page_path)["figures_dark"]):
        transparent = png_is_transparent(page_file, light["src"])
        marked = "gd-transparent" in light["classes"].split()
        if transparent != marked:
            problems.append(f"{light['number'] or light['src']}: transparent PNG {transparent}, marked {marked}")
        elif marked and not (light["background"] == "rgba(0, 0, 0, 0)" and dark["background"] == "rgb(0, 0, 0)"
                             and dark["filter"] == "none"):
            problems.append(f"{light['number']}: backdrop {light['background']} (light), {dark['background']} "
                            f"with filter {dark['filter']} (dark)")
    assert problems == [], f"{page_path}:\n  " + "\n  ".join(problems)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_theme_follows_the_reader_s_dark_setting(browser, scheme):
    """The theme's mode follows the system setting (default_mode: auto), so dark mode is real for readers."""
    page_file = SITE / toc_pages()[0]
    if not page_file.is_file():
        skip_or_fail(f"no built site in {SITE}: run `make book` first")
    context = browser.new_context(viewport=VIEWPORT, color_scheme=scheme)
    try:
        page = context.new_page()
        page.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file://") else r.abort())
        page.goto(page_file.as_uri(), wait_until="load")
        assert page.evaluate("document.documentElement.dataset.theme") == scheme
    finally:
        context.close()


def test_math_pages_exist():
    """The math check above must have something to check: the intro page carries math."""
    html = (SITE / "book" / "intro.html").read_text(encoding="utf-8") if (SITE / "book" / "intro.html").exists() else ""
    if not html:
        skip_or_fail(f"no built site in {SITE}: run `make book` first")
    assert 'class="math' in html
    assert "_static/mathjax/tex-chtml.js" in html, "MathJax must load from the site's own _static folder"
