/* The contour-map explorable: a landscape, an optimizer, its settings and a start point as controls; the
 * path on the map and its loss curve redraw while a control moves.
 *
 * Every path drawn is computed by GDPort.minimize (port.js), the line-by-line port of gd.minimize. After each
 * change the root element carries, as JSON, data-settings ({objective, optimizer, w0, steps}: the arguments
 * of gd.minimize) and data-path (the iterates drawn, from w0 on), so that anyone can check the drawing
 * against gdlesson from outside. The configuration comes from gdlesson.explorables.map_explorable.
 */
window.GDMap = window.GDMap || (function () {
  "use strict";
  const { viridis, el, control, slider, select, starPath: star } = window.GDUI;  // ui.js
  const BANDS = 14;         // filled-contour look: the height in 14 bands
  const GRID = 150;         // heat-map resolution (cells per side)

  function sig3(x) { return Number(x.toPrecision(3)); }

  function mount(root) {
    const cfg = JSON.parse(root.dataset.config);
    const id = cfg.id;
    const box = el("div", { class: "gd-controls" }, root);
    const figs = el("div", { class: "gd-figures" }, root);
    const map = el("canvas", { class: "gd-map", role: "img", width: 360, height: 360 }, figs);
    const loss = el("canvas", { class: "gd-loss", role: "img", width: 360, height: 260 }, figs);
    const readout = el("output", { class: "gd-readout", "aria-live": "polite" }, root);

    const c = {};
    c.landscape = control(box, `${id}-landscape`, "landscape", select(cfg.landscapes.map((l) => l.label), cfg.defaults.landscape));
    c.kappa = control(box, `${id}-kappa`, "condition number κ", slider(0, cfg.kappas.length - 1, cfg.defaults.kappa));
    c.method = control(box, `${id}-method`, "method", select(cfg.methods.map((m) => m.label), cfg.defaults.method));
    c.lr = control(box, `${id}-lr`, "learning rate η", slider(0, cfg.lrPositions - 1, cfg.defaults.lr));
    for (const p of cfg.params) {
      c[p.key] = control(box, `${id}-${p.key}`, p.label, slider(0, p.values.length - 1, p.default));
    }
    c.steps = control(box, `${id}-steps`, "number of steps", slider(1, cfg.maxSteps, cfg.defaults.steps));
    c.start = control(box, `${id}-start`, "start point", select([], 0));

    let heat = null, heatKey = "", clickStart = null;

    function landscape() { return cfg.landscapes[Number(c.landscape.input.value)]; }
    function method() { return cfg.methods[Number(c.method.input.value)]; }
    function lrValue(L, M) {
      const [lo, hi] = cfg.lrRanges[L.key][M.lrRange], k = Number(c.lr.input.value);
      return sig3(lo * Math.pow(hi / lo, k / (cfg.lrPositions - 1)));
    }

    function objectiveSpec(L) {
      if (!L.stretch) return L.objective;
      const kappa = cfg.kappas[Number(c.kappa.input.value)];
      return { name: "Quadratic", A: [[1, 0], [0, kappa]] };
    }

    function refreshStarts() {
      const L = landscape();
      const labels = L.presets.map((p) => `${p.label} (${p.w0[0]}, ${p.w0[1]})`);
      if (clickStart) labels.push(`clicked (${clickStart[0]}, ${clickStart[1]})`);
      const s = c.start.input, keep = Math.min(Number(s.value) || 0, labels.length - 1);
      s.innerHTML = "";
      labels.forEach((t, i) => el("option", { value: String(i), text: t }, s));
      s.value = String(clickStart ? labels.length - 1 : keep);
    }

    function settings() {
      const L = landscape(), M = method();
      const optimizer = Object.assign({}, M.optimizer, { lr: lrValue(L, M) });
      for (const p of cfg.params) if (M.uses.includes(p.key)) optimizer[p.arg] = p.values[Number(c[p.key].input.value)];
      const i = Number(c.start.input.value);
      const w0 = i < L.presets.length ? L.presets[i].w0 : clickStart;
      return { objective: objectiveSpec(L), optimizer, w0: w0.slice(), steps: Number(c.steps.input.value) };
    }

    function toCanvas(L, w) {
      return [(w[0] - L.xlim[0]) / (L.xlim[1] - L.xlim[0]) * map.width,
              (1 - (w[1] - L.ylim[0]) / (L.ylim[1] - L.ylim[0])) * map.height];
    }

    function heatmap(L, objective) {
      const key = JSON.stringify(objectiveSpec(L)) + L.key;
      if (key === heatKey) return heat;
      const img = new ImageData(GRID, GRID), v = new Float64Array(GRID * GRID);
      let lo = Infinity, hi = -Infinity;
      for (let j = 0; j < GRID; j++) for (let i = 0; i < GRID; i++) {
        const w = [L.xlim[0] + (i + 0.5) / GRID * (L.xlim[1] - L.xlim[0]),
                   L.ylim[1] - (j + 0.5) / GRID * (L.ylim[1] - L.ylim[0])];
        const h = Math.log10(1 + objective.valueAndGrad(w)[0] - objective.minValue);
        v[j * GRID + i] = h; lo = Math.min(lo, h); hi = Math.max(hi, h);
      }
      for (let k = 0; k < v.length; k++) {
        const band = Math.min(Math.floor((v[k] - lo) / (hi - lo) * BANDS), BANDS - 1);
        const rgb = viridis(band / (BANDS - 1));
        img.data.set([rgb[0], rgb[1], rgb[2], 255], 4 * k);
      }
      const off = document.createElement("canvas");
      off.width = off.height = GRID;
      off.getContext("2d").putImageData(img, 0, 0);
      heat = off; heatKey = key;
      return heat;
    }

    function drawMap(L, run) {
      const ctx = map.getContext("2d");
      ctx.imageSmoothingEnabled = false;
      ctx.drawImage(heatmap(L, run.objective), 0, 0, map.width, map.height);
      const pts = run.path.map((w) => toCanvas(L, w));
      ctx.lineJoin = "round";
      for (const [width, color] of [[4, "black"], [2, "white"]]) {   // a white path with a black outline
        ctx.beginPath();
        pts.forEach(([x, y], k) => (k ? ctx.lineTo(x, y) : ctx.moveTo(x, y)));
        ctx.lineWidth = width; ctx.strokeStyle = color; ctx.stroke();
      }
      const [sx, sy] = pts[0], [ex, ey] = pts[pts.length - 1];
      ctx.fillStyle = "white"; ctx.strokeStyle = "black"; ctx.lineWidth = 1.5;
      ctx.fillRect(sx - 5, sy - 5, 10, 10); ctx.strokeRect(sx - 5, sy - 5, 10, 10);       // start: square
      ctx.beginPath(); ctx.arc(ex, ey, 6, 0, 2 * Math.PI); ctx.lineWidth = 3; ctx.strokeStyle = "white"; ctx.stroke();
      ctx.lineWidth = 1; ctx.strokeStyle = "black"; ctx.stroke();                          // end: hollow ring
      const [mx, my] = toCanvas(L, run.objective.minimizer);                               // minimum on top
      star(ctx, mx, my, 9); ctx.fillStyle = "white"; ctx.fill(); ctx.strokeStyle = "black"; ctx.lineWidth = 1.5; ctx.stroke();
    }

    function drawLoss(run) {
      const ctx = loss.getContext("2d"), W = loss.width, H = loss.height;
      const ink = getComputedStyle(root).color, pad = { l: 56, r: 10, t: 12, b: 40 };
      ctx.clearRect(0, 0, W, H);
      const gap = run.losses.map((f) => Math.log10(Math.max(f - run.objective.minValue, 1e-16)));
      let lo = Math.floor(Math.min(...gap)), hi = Math.ceil(Math.max(...gap));
      if (hi === lo) hi = lo + 1;
      const n = Math.max(run.path.length - 1, 1);
      const X = (k) => pad.l + k / n * (W - pad.l - pad.r), Y = (v) => pad.t + (hi - v) / (hi - lo) * (H - pad.t - pad.b);
      ctx.strokeStyle = ink; ctx.fillStyle = ink; ctx.lineWidth = 1; ctx.font = "13px sans-serif";
      ctx.strokeRect(pad.l, pad.t, W - pad.l - pad.r, H - pad.t - pad.b);
      const every = Math.max(1, Math.ceil((hi - lo) / 6));
      ctx.textAlign = "right"; ctx.textBaseline = "middle";
      for (let v = lo; v <= hi; v += every) ctx.fillText(`1e${v}`, pad.l - 4, Y(v));
      ctx.textAlign = "center"; ctx.textBaseline = "top";
      ctx.fillText("0", X(0), H - pad.b + 4); ctx.fillText(String(n), X(n), H - pad.b + 4);
      ctx.fillText("step t", (pad.l + W - pad.r) / 2, H - pad.b + 20);
      ctx.save(); ctx.translate(13, (pad.t + H - pad.b) / 2); ctx.rotate(-Math.PI / 2);
      ctx.fillText("f(wₜ) − f*", 0, -6); ctx.restore();
      ctx.beginPath(); gap.forEach((v, k) => (k ? ctx.lineTo(X(k), Y(v)) : ctx.moveTo(X(k), Y(v))));
      ctx.strokeStyle = "#0072B2"; ctx.lineWidth = 2; ctx.stroke();
    }

    function update() {
      const L = landscape(), M = method();
      c.kappa.wrap.hidden = !L.stretch;
      for (const p of cfg.params) c[p.key].wrap.hidden = !M.uses.includes(p.key);
      const s = settings(), run = window.GDPort.minimize(s);
      c.landscape.shown.textContent = ""; c.method.shown.textContent = ""; c.start.shown.textContent = "";
      c.kappa.shown.textContent = String(cfg.kappas[Number(c.kappa.input.value)]);
      c.lr.shown.textContent = String(s.optimizer.lr);
      for (const p of cfg.params) c[p.key].shown.textContent = String(p.values[Number(c[p.key].input.value)]);
      c.steps.shown.textContent = c.steps.input.value;
      c.lr.input.setAttribute("aria-valuetext", String(s.optimizer.lr));
      drawMap(L, run);
      drawLoss(run);
      const last = run.losses[run.losses.length - 1] - run.objective.minValue;
      const done = run.path.length - 1;
      readout.textContent = `${M.label}, η = ${s.optimizer.lr}: ` + (run.diverged
        ? `diverged at step ${done + 1} (the loss blew up); the path shows the ${done} steps before.`
        : `after ${done} steps f − f* = ${last.toPrecision(3)}, ` +
          `distance to the minimum ${Math.hypot(run.path[done][0] - run.objective.minimizer[0],
                                                run.path[done][1] - run.objective.minimizer[1]).toPrecision(3)}.`);
      map.setAttribute("aria-label", `Map of the ${L.label} with the path of ${M.label}: ${readout.textContent}`);
      loss.setAttribute("aria-label", `Loss curve on a log scale: ${readout.textContent}`);
      root.dataset.settings = JSON.stringify(s);
      root.dataset.path = JSON.stringify(run.path);
    }

    c.landscape.input.addEventListener("change", () => { clickStart = null; refreshStarts(); update(); });
    c.start.input.addEventListener("change", update);
    c.method.input.addEventListener("change", update);
    for (const k of ["kappa", "lr", "steps"].concat(cfg.params.map((p) => p.key))) c[k].input.addEventListener("input", update);
    map.addEventListener("click", (e) => {
      const L = landscape(), r = map.getBoundingClientRect();
      const x = L.xlim[0] + (e.clientX - r.left) / r.width * (L.xlim[1] - L.xlim[0]);
      const y = L.ylim[1] - (e.clientY - r.top) / r.height * (L.ylim[1] - L.ylim[0]);
      clickStart = [Number(x.toFixed(2)), Number(y.toFixed(2))];
      refreshStarts(); update();
    });
    new MutationObserver(update).observe(document.documentElement, { attributes: true, attributeFilter: ["data-theme"] });
    refreshStarts();
    update();
  }

  return { mount };
})();
