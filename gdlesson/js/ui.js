/* What the explorables share in the browser: making elements, a labelled control with its shown value, a
 * slider, a menu, and matplotlib's viridis colour scale. Loaded before each explorable's own script.
 */
window.GDUI = window.GDUI || (function () {
  "use strict";
  // viridis at 9 stops (matplotlib's), interpolated linearly
  const VIRIDIS = [[68, 1, 84], [71, 44, 122], [59, 81, 139], [44, 113, 142], [33, 144, 141],
                   [39, 173, 129], [92, 200, 99], [170, 220, 50], [253, 231, 37]];

  /* [r, g, b] at t in [0, 1] (0 purple, 1 yellow) */
  function viridis(t) {
    const x = Math.min(Math.max(t, 0), 1) * (VIRIDIS.length - 1), i = Math.min(Math.floor(x), VIRIDIS.length - 2);
    const a = VIRIDIS[i], b = VIRIDIS[i + 1], u = x - i;
    return [0, 1, 2].map((c) => Math.round(a[c] + (b[c] - a[c]) * u));
  }

  /* a new element: attrs are attributes, except text (its text) and html (markup made by gdlesson) */
  function el(tag, attrs, parent) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === "text") node.textContent = v; else if (k === "html") node.innerHTML = v; else node.setAttribute(k, v);
    }
    if (parent) parent.appendChild(node);
    return node;
  }

  /* a row of the controls: a visible label, the input, and an <output> that shows its value */
  function control(box, id, labelText, input) {
    const wrap = el("div", { class: "gd-control" }, box);
    el("label", { for: id, text: labelText }, wrap);
    input.id = id;
    wrap.appendChild(input);
    const shown = el("output", { for: id, class: "gd-value" }, wrap);
    return { wrap, input, shown };
  }

  /* a slider over the whole numbers min..max (an index into a list of values, or a count) */
  function slider(min, max, value) {
    return el("input", { type: "range", min, max, step: 1, value });
  }

  /* a menu of the given labels; its value is the index of the chosen one */
  function select(options, value) {
    const s = el("select");
    options.forEach((o, i) => el("option", { value: String(i), text: o }, s));
    s.value = String(value);
    return s;
  }

  /* the outline of a five-pointed star of radius r at (x, y), as the current canvas path (fill or stroke it) */
  function starPath(ctx, x, y, r) {
    ctx.beginPath();
    for (let k = 0; k < 10; k++) {
      const a = -Math.PI / 2 + k * Math.PI / 5, rr = k % 2 ? r * 0.45 : r;
      ctx.lineTo(x + rr * Math.cos(a), y + rr * Math.sin(a));
    }
    ctx.closePath();
  }

  return { viridis, el, control, slider, select, starPath };
})();
