"""The built site, as a reader sees it: every page in headless Chromium, with no network.

Run after building the site (`make test` does both; or `make book` then `pytest tests/test_site.py`).
Each page of the book (from _toc.yml) is opened from _build/html through file:// — the way a reader
opens a downloaded copy — in Debian's Chromium driven by Playwright (which downloads no browser of its
own: it is pointed at /usr/bin/chromium). Every request that is not a local file is refused and recorded.
For each page the test checks that:

* no request tried to leave the machine and no local file failed to load;
* the browser console shows no error and the page raised no JavaScript exception;
* math was typeset by the local MathJax (an ``mjx-container`` for every math element, no raw ``\\(``
  or ``\\[`` left in the prose);
* every image loaded (``naturalWidth > 0``) and has alt text or a caption;
* headings in the article never skip a level.

When Chromium (or the Playwright package, or the built site) is missing the tests are skipped with a hint,
unless GDLESSON_REQUIRE_BROWSER=1 (set by .ci/run), which turns the skip into a failure.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SITE = ROOT / "_build" / "html"
REQUIRE = os.environ.get("GDLESSON_REQUIRE_BROWSER") == "1"
INSTALL_HINT = (
    "install Debian's Chromium with `sudo apt-get install -y chromium` (or set GDLESSON_CHROMIUM to a "
    "Chromium/Chrome binary)"
)
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    # no DNS at all: any host other than loopback fails to resolve
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
]


def skip_or_fail(reason: str):
    if REQUIRE:
        pytest.fail(f"{reason} (GDLESSON_REQUIRE_BROWSER=1 turns this skip into a failure)")
    pytest.skip(reason)


def toc_pages() -> list[str]:
    """Every page of the book, in _toc.yml order, as paths relative to the site root (book/intro.html)."""
    import yaml  # installed with jupyter-book

    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    chapters = toc.get("chapters", []) + [ch for part in toc.get("parts", []) for ch in part.get("chapters", [])]
    return [f"{name}.html" for name in [toc["root"]] + [ch["file"] for ch in chapters]]


def find_chromium() -> str | None:
    explicit = os.environ.get("GDLESSON_CHROMIUM")
    if explicit:
        return explicit if Path(explicit).is_file() else None
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


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


@pytest.mark.parametrize("page_path", toc_pages())
def test_page_reads_offline(browser, page_path):
    page_file = SITE / page_path
    assert page_file.is_file(), f"{page_path} is in _toc.yml but was not built"
    url = page_file.as_uri()

    context = browser.new_context()
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
        page.goto(url, wait_until="load", timeout=30_000)
        report = page.evaluate(INSPECT_PAGE)
        page.wait_for_timeout(200)  # let late console messages (fonts, async scripts) arrive
    finally:
        context.close()

    problems = []
    if remote:
        problems.append(f"requests to other hosts (the site must read offline): {remote}")
    local_failures = [f for f in failed if f.startswith("file://")]
    if local_failures:
        problems.append(f"local files failed to load: {local_failures}")
    if console_errors:
        problems.append(f"console errors: {console_errors}")
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


def test_math_pages_exist():
    """The math check above must have something to check: the intro page carries math."""
    html = (SITE / "book" / "intro.html").read_text(encoding="utf-8") if (SITE / "book" / "intro.html").exists() else ""
    if not html:
        skip_or_fail(f"no built site in {SITE}: run `make book` first")
    assert 'class="math' in html
    assert "_static/mathjax/tex-chtml.js" in html, "MathJax must load from the site's own _static folder"
