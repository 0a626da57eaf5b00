/* The course's own JavaScript, added to every page by book/_ext/gdbook.py.

   Keyboard access to scrollable outputs inside solutions. The theme (pydata-sphinx-theme) makes every
   scrollable code block or output focusable (tabindex 0), so that keyboard users can scroll it, and
   recomputes this when elements are added to the page. Opening a collapsed solution (sphinx-togglebutton)
   only changes a class, so its wide outputs would stay unreachable by keyboard (axe-core:
   scrollable-region-focusable). Here the same rule is applied again whenever a class or `open` attribute
   changes in the article, once the toggle's 0.3 s transition has ended. */
(() => {
  const SCROLLABLE = [
    "pre", ".nboutput > .output_area", ".cell_output > .output", ".jp-RenderedHTMLCommon",
    ".pst-scrollable-table-container",
  ].join(", ");
  const updateTabStops = () => {
    document.querySelectorAll(SCROLLABLE).forEach((el) => {
      el.tabIndex = el.scrollWidth > el.clientWidth || el.scrollHeight > el.clientHeight ? 0 : -1;
    });
  };
  let timer = null;
  const later = () => {
    clearTimeout(timer);
    timer = setTimeout(updateTabStops, 350);
  };
  const watch = () => {
    const main = document.getElementById("main-content");
    if (main) {
      new MutationObserver(later).observe(main, {
        subtree: true, attributes: true, attributeFilter: ["class", "open"],
      });
    }
  };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", watch);
  else watch();
})();
