"""Page weight and redraw time of every explorable on the built site, measured in headless Chromium.

Run after ``make book``:

    .venv/bin/python benchmarks/bench_explorables.py

For each element with ``data-explorable`` on each page: the bytes it adds to its page (its markup in the
page's HTML file: configuration, embedded data, style and script), and the time from a control's change to
the end of the redraw, for every position of every slider and every option of every menu (the change is
dispatched as the browser would and the handler redraws synchronously, so ``performance.now()`` around it
measures the whole redraw). Targets from issue 14: at most about 1 MB per explorable, a redraw within about
100 ms. The script prints; it does not fail a build (timings depend on the machine).
"""

from __future__ import annotations

import os
import re
import shutil
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SITE = ROOT / "_build" / "html"
MOVE = ("(e, v) => { const t = performance.now(); e.value = v;"
        " e.dispatchEvent(new Event(e.tagName === 'SELECT' ? 'change' : 'input', {bubbles: true}));"
        " e.dispatchEvent(new Event('change', {bubbles: true})); return performance.now() - t; }")
VALUES = ("(e) => e.tagName === 'SELECT' ? Array.from(e.options).map((o) => o.value)"
          " : Array.from({length: Math.round((+e.max - +e.min) / (+e.step || 1)) + 1},"
          " (_, k) => String(+e.min + k * (+e.step || 1)))")


def element_bytes(text, id):
    """Bytes of the element's markup: from its opening tag to the end of its inline script."""
    start = text.index(f'data-explorable="{id}"')
    start = text.rindex("<", 0, start)
    end = text.index("</script>", start) + len("</script>")
    return len(text[start:end].encode("utf-8"))


def main():
    executable = os.environ.get("GDLESSON_CHROMIUM") or shutil.which("chromium")
    if not executable or not (SITE / "index.html").is_file():
        sys.exit("needs Chromium and a built site (make book)")
    from playwright.sync_api import sync_playwright
    pages = sorted(p for p in SITE.rglob("*.html") if "data-explorable=" in p.read_text(encoding="utf-8"))
    rows = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=executable, args=["--headless", "--no-sandbox"])
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        for path in pages:
            text = path.read_text(encoding="utf-8")
            page.goto(path.as_uri())
            page.wait_for_load_state("load")
            for id in dict.fromkeys(re.findall(r'<[^<>]*\sdata-explorable="([^"]+)"', text)):
                root = page.locator(f'[data-explorable="{id}"]')
                times = []
                controls = root.locator("input[type=range], select")
                for k in range(controls.count()):
                    control = controls.nth(k)
                    if not control.is_visible():
                        continue
                    first = control.evaluate("(e) => e.value")
                    for value in control.evaluate(VALUES):
                        times.append(control.evaluate(MOVE, value))
                    control.evaluate(MOVE, first)
                rows.append((path.relative_to(SITE).as_posix(), id, element_bytes(text, id),
                             len(path.read_bytes()), times))
        browser.close()
    print(f"{'page':34} {'explorable':11} {'adds':>9} {'page':>9} {'moves':>6} {'median':>8} {'p95':>8}"
          f" {'max':>8}")
    for page_name, id, size, total, times in rows:
        times = sorted(times)
        p95 = times[min(len(times) - 1, int(0.95 * len(times)))]
        print(f"{page_name:34} {id:11} {size / 1000:7.0f} kB {total / 1000:7.0f} kB {len(times):6d}"
              f" {statistics.median(times):6.1f} ms {p95:6.1f} ms {times[-1]:6.1f} ms")
    worst = max(max(t) for *_, t in rows)
    heaviest = max(size for _, _, size, _, _ in rows)
    print(f"targets: at most about 1 MB per explorable (heaviest {heaviest / 1e6:.3f} MB), a redraw within "
          f"about 100 ms (slowest {worst:.1f} ms)")


if __name__ == "__main__":
    main()
