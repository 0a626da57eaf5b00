/* The rate map explorable (chapter 4): the measured convergence rate of heavy ball (or Nesterov) over a grid
 * of (learning rate, momentum) on f(w) = w^T diag(1, kappa) w / 2, theory's optimum, the stability limit,
 * and the selected cell's path and loss curve.
 *
 * Every run is GDPort.minimize (port.js, the tested port of gd.minimize); the rate of a run is measured as
 * gdlesson.explorable_rates.measured_rate measures it. The theory (optimum, limits) comes from Python in
 * data-config. After each change the root carries data-settings and data-path (the selected run, the
 * contract of every explorable), data-map (every cell's measured rate, null for a run that blew up) and
 * data-optimum (theory's optimum and the rate measured there).
 */
window.GDRateMap = window.GDRateMap || (function () {
  "use strict";
  const { el, control, slider, select } = window.GDUI;  // ui.js
  const DECADES = 3;  // colour scale: -log10(1 - rate) from 0 (rate 0) to 3 (rate 0.999 and slower)
  const TICKS = [0, 0.5, 0.8, 0.9, 0.95, 0.98, 0.99, 0.995, 0.999];
  const HATCH = ["#d0d0d0", "#505050"];  // cells that do not converge: light grey with dark hatching
  const PAD = { l: 50, r: 92, t: 10, b: 46 };  // the rate map's margins (the colour bar on the right)

  function viridis(t) { return `rgb(${window.GDUI.viridis(t).join(",")})`; }
  // position on the colour scale: 1 (yellow) for the fastest rate 0, 0 (purple) for 0.999 and slower
  function shade(rate) { return 1 - Math.min(-Math.log10(Math.max(1 - rate, 1e-12)), DECADES) / DECADES; }

  function fmt(x) { return String(Number(x.toPrecision(3))); }

  // the page's background behind an element: the first ancestor's background colour that is not transparent
  function background(node) {
    for (let e = node; e && e.nodeType === 1; e = e.parentElement) {
      const c = getComputedStyle(e).backgroundColor;
      if (c && c !== "transparent" && !/^rgba\(.*,\s*0\)$/.test(c)) return c;
    }
    return "white";
  }

  /* gdlesson.explorable_rates.measured_rate: r = exp(s/2), s the least-squares slope of ln E_k against k over
   * m <= k <= 2m (m = steps/3), E_k = max_{j>=k} q_j the envelope of q_j = (f_j - f*) / (f_0 - f*); null when
   * the run blew up (fewer than steps + 1 losses). */
  function measuredRate(losses, steps, fStar) {
    if (losses.length < steps + 1) return null;
    const m = Math.floor(steps / 3), f0 = losses[0] - fStar, env = new Float64Array(m + 1);
    let e = -Infinity;
    for (let k = losses.length - 1; k >= m; k--) {
      e = Math.max(e, (losses[k] - fStar) / f0);
      if (k <= 2 * m) env[k - m] = e;
    }
    if (env[m] === 0) return 0;
    let num = 0, den = 0;
    for (let i = 0; i <= m; i++) { const c = i - m / 2; num += c * Math.log(env[i]); den += c * c; }
    return Math.exp(num / den / 2);
  }

  function star(ctx, x, y, r) {
    window.GDUI.starPath(ctx, x, y, r);
    ctx.fillStyle = "white"; ctx.fill(); ctx.strokeStyle = "black"; ctx.lineWidth = 1.5; ctx.stroke();
  }

  function hatch(ctx, x, y, w, h) {
    ctx.fillStyle = HATCH[0]; ctx.fillRect(x, y, w, h);
    ctx.save(); ctx.beginPath(); ctx.rect(x, y, w, h); ctx.clip();
    ctx.strokeStyle = HATCH[1]; ctx.lineWidth = 1; ctx.beginPath();
    for (let d = -h; d < w; d += 4) { ctx.moveTo(x + d, y + h); ctx.lineTo(x + d + h, y); }
    ctx.stroke(); ctx.restore();
  }

  function legend(root) {   // the symbols of the map, as text with small drawings
    const svg = (body) => `<svg width="18" height="18" viewBox="0 0 18 18" aria-hidden="true">${body}</svg>`;
    const items = [
      [svg(`<defs><pattern id="${root.dataset.explorable}-hatch" width="4" height="4" patternUnits="userSpaceOnUse"`
           + ` patternTransform="rotate(45)"><rect width="4" height="4" fill="${HATCH[0]}"/><line x1="0" y1="0"`
           + ` x2="0" y2="4" stroke="${HATCH[1]}" stroke-width="1.5"/></pattern></defs><rect x="1" y="1"`
           + ` width="16" height="16" fill="url(#${root.dataset.explorable}-hatch)"/>`),
       "no convergence: the loss blows up or does not shrink"],
      [svg('<polygon points="9,1 11,7 17,7 12,11 14,17 9,13 4,17 6,11 1,7 7,7" fill="white" stroke="black"/>'),
       "theory's optimum (map); the minimum w* = 0 (path)"],
      [svg('<line x1="1" y1="9" x2="17" y2="9" stroke="black" stroke-width="3"/><line x1="1" y1="9" x2="17"'
           + ' y2="9" stroke="white" stroke-width="1.5" stroke-dasharray="3 2"/>'), "stability limit"],
      [svg('<rect x="2" y="2" width="14" height="14" fill="none" stroke="black" stroke-width="3"/><rect x="2"'
           + ' y="2" width="14" height="14" fill="none" stroke="white" stroke-width="1.5"/>'), "selected cell"],
    ];
    const list = el("ul", { class: "gd-legend" });
    for (const [icon, text] of items) el("li", { html: `${icon}<span>${text}</span>` }, list);
    return list;
  }

  function mount(root) {
    const cfg = JSON.parse(root.dataset.config);
    const id = cfg.id, nB = cfg.betas.length, nL = cfg.lrs[String(cfg.kappas[0])].length;
    const box = el("div", { class: "gd-controls" }, root);
    const figs = el("div", { class: "gd-figures" }, root);
    const rates = el("canvas", { class: "gd-rates", role: "img", width: 440, height: 400 }, figs);
    const side = el("div", { class: "gd-side" }, figs);
    const pathCv = el("canvas", { class: "gd-path", role: "img", width: 300, height: 300 }, side);
    const lossCv = el("canvas", { class: "gd-loss", role: "img", width: 300, height: 220 }, side);
    root.appendChild(legend(root));
    el("p", { class: "gd-readout", text: "Colour: the rate r measured in each cell, the factor by which the "
      + "error shrinks per step; smaller is faster (yellow fast, purple slow). It is fitted between steps "
      + `${cfg.steps / 3} and ${2 * cfg.steps / 3} of a ${cfg.steps}-step run from w₀ = (${cfg.w0.join(", ")}): `
      + "the shaded window and the orange fit line in the loss plot. Right: the selected cell's path (square: "
      + "start, ring: last iterate, star: minimum) and its loss." }, root);
    const readout = el("output", { class: "gd-readout", "aria-live": "polite" }, root);

    const c = {};
    c.kappa = control(box, `${id}-kappa`, "condition number κ = L/μ",
                      select(cfg.kappas.map(String), cfg.defaults.kappa));
    c.method = control(box, `${id}-method`, "method", select(cfg.methods.map((m) => m.label), cfg.defaults.method));
    c.lr = control(box, `${id}-lr`, "learning rate η (column)",
                   slider(0, nL - 1, cfg.defaults.lr));
    c.beta = control(box, `${id}-beta`, "momentum β (row)",
                     slider(0, nB - 1, cfg.defaults.beta));
    if (cfg.methods.length < 2) c.method.wrap.hidden = true;

    const maps = {};  // key "kappa|method" -> {rates, image, optimumRate}: computed once per key

    function kappa() { return cfg.kappas[Number(c.kappa.input.value)]; }
    function method() { return cfg.methods[Number(c.method.input.value)]; }
    function lrs() { return cfg.lrs[String(kappa())]; }
    function theory() { return cfg.theory[String(kappa())][method().label]; }
    function spec(lr, beta) {
      return { objective: { name: "Quadratic", A: [[1, 0], [0, kappa()]] },
               // beta = 0 is plain gradient descent for both methods (and gdlesson's Nesterov needs beta > 0)
               optimizer: { name: "Momentum", lr, beta, nesterov: method().nesterov && beta > 0 },
               w0: cfg.w0.slice(), steps: cfg.steps };
    }

    // canvas geometry of the map: columns are learning rates (log scale), rows momenta (bottom: beta = 0)
    const plotW = rates.width - PAD.l - PAD.r, plotH = rates.height - PAD.t - PAD.b;
    const cellW = plotW / nL, cellH = plotH / nB;
    const colX = (i) => PAD.l + i * cellW, rowY = (j) => PAD.t + (nB - 1 - j) * cellH;
    function lrX(lr) {   // continuous position of a learning rate (log scale through the column centres)
      const L = lrs(), t = Math.log(lr / L[0]) / Math.log(L[nL - 1] / L[0]);
      return colX(0) + cellW / 2 + t * (nL - 1) * cellW;
    }
    function betaY(beta) {  // continuous position of a momentum (linear between the row centres)
      const B = cfg.betas;
      let j = 0;
      while (j < nB - 2 && beta > B[j + 1]) j++;
      const u = (beta - B[j]) / (B[j + 1] - B[j]);
      return rowY(j) + cellH / 2 - u * cellH;
    }

    function computeMap() {
      const key = `${kappa()}|${method().label}`;
      if (maps[key]) return maps[key];
      const L = lrs(), grid = [];
      for (let j = 0; j < nB; j++) {
        const row = [];
        for (let i = 0; i < nL; i++) {
          const run = window.GDPort.minimize(spec(L[i], cfg.betas[j]));
          row.push(measuredRate(run.losses, cfg.steps, run.objective.minValue));
        }
        grid.push(row);
      }
      const T = theory(), atOptimum = window.GDPort.minimize(spec(T.lr, T.beta));
      const image = document.createElement("canvas");
      image.width = rates.width; image.height = rates.height;
      const ctx = image.getContext("2d");
      for (let j = 0; j < nB; j++) for (let i = 0; i < nL; i++) {
        const r = grid[j][i], x = Math.floor(colX(i)), y = Math.floor(rowY(j));
        const w = Math.floor(colX(i + 1)) - x, h = Math.floor(rowY(j - 1)) - y;
        if (r === null || r >= cfg.noConvergence) hatch(ctx, x, y, w, h);
        else { ctx.fillStyle = viridis(shade(r)); ctx.fillRect(x, y, w, h); }
      }
      maps[key] = { grid, image, optimumRate: measuredRate(atOptimum.losses, cfg.steps, atOptimum.objective.minValue) };
      return maps[key];
    }

    function drawRates(M, sel) {
      const ctx = rates.getContext("2d"), ink = getComputedStyle(root).color, T = theory(), L = lrs();
      ctx.clearRect(0, 0, rates.width, rates.height);
      ctx.drawImage(M.image, 0, 0);
      ctx.lineJoin = "round";
      for (const [width, color, dash] of [[3, "black", []], [1.5, "white", [5, 4]]]) {   // stability limit
        ctx.save(); ctx.beginPath(); ctx.rect(PAD.l, PAD.t, plotW, plotH); ctx.clip();
        ctx.beginPath();
        cfg.betas.forEach((b, j) => { const x = lrX(T.limits[j]), y = rowY(j) + cellH / 2; j ? ctx.lineTo(x, y) : ctx.moveTo(x, y); });
        ctx.setLineDash(dash); ctx.lineWidth = width; ctx.strokeStyle = color; ctx.stroke(); ctx.restore();
      }
      const sx = colX(sel.i), sy = rowY(sel.j);                                                // selected cell
      ctx.lineWidth = 3; ctx.strokeStyle = "black"; ctx.strokeRect(sx - 1, sy - 1, cellW + 2, cellH + 2);
      ctx.lineWidth = 1.5; ctx.strokeStyle = "white"; ctx.strokeRect(sx - 1, sy - 1, cellW + 2, cellH + 2);
      star(ctx, lrX(T.lr), betaY(T.beta), 8);           // theory's optimum, over the selection that starts there
      // axes, in the page's text colour
      ctx.fillStyle = ink; ctx.strokeStyle = ink; ctx.lineWidth = 1; ctx.font = "13px sans-serif";
      ctx.strokeRect(PAD.l, PAD.t, plotW, plotH);
      ctx.textAlign = "center"; ctx.textBaseline = "top";
      const lo = L[0], hi = L[nL - 1];
      for (let e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++) {
        for (const m of [1, 2, 5]) {
          const v = m * Math.pow(10, e);
          if (v < lo * 0.999 || v > hi * 1.001) continue;
          const x = lrX(v);
          ctx.beginPath(); ctx.moveTo(x, PAD.t + plotH); ctx.lineTo(x, PAD.t + plotH + 4); ctx.stroke();
          ctx.fillText(fmt(v), x, PAD.t + plotH + 6);
        }
      }
      ctx.fillText("learning rate η (log scale)", PAD.l + plotW / 2, PAD.t + plotH + 26);
      ctx.textAlign = "right"; ctx.textBaseline = "middle";
      for (const j of [0, 8, 16, 24, 32, nB - 1]) {
        const y = rowY(j) + cellH / 2;
        ctx.beginPath(); ctx.moveTo(PAD.l - 4, y); ctx.lineTo(PAD.l, y); ctx.stroke();
        ctx.fillText(String(cfg.betas[j]), PAD.l - 6, y);
      }
      ctx.save(); ctx.translate(12, PAD.t + plotH / 2); ctx.rotate(-Math.PI / 2);
      ctx.textAlign = "center"; ctx.fillText("momentum β", 0, 0); ctx.restore();
      // the colour bar: rate per step, on the scale of -log10(1 - rate)
      const bx = rates.width - PAD.r + 14, bw = 14, barY = (t) => PAD.t + (1 - t) * plotH;
      for (let p = 0; p < plotH; p++) {
        ctx.fillStyle = viridis(1 - p / plotH); ctx.fillRect(bx, PAD.t + p, bw, 1.5);
      }
      ctx.fillStyle = ink; ctx.strokeRect(bx, PAD.t, bw, plotH);
      ctx.textAlign = "left"; ctx.textBaseline = "middle";
      for (const r of TICKS) {
        const y = barY(shade(r));
        ctx.beginPath(); ctx.moveTo(bx + bw, y); ctx.lineTo(bx + bw + 3, y); ctx.stroke();
        ctx.fillText(String(r), bx + bw + 5, y);
      }
      ctx.save(); ctx.translate(rates.width - 8, PAD.t + plotH / 2); ctx.rotate(Math.PI / 2);
      ctx.textAlign = "center"; ctx.fillText("measured rate per step", 0, 0); ctx.restore();
    }

    function drawPath(run) {
      const ctx = pathCv.getContext("2d"), W = pathCv.width, H = pathCv.height, ink = getComputedStyle(root).color;
      const half = 10, X = (x) => (x + half) / (2 * half) * W, Y = (y) => (half - y) / (2 * half) * H;
      ctx.clearRect(0, 0, W, H);
      ctx.save(); ctx.strokeStyle = ink; ctx.globalAlpha = 0.45; ctx.lineWidth = 1;
      const f0 = run.losses[0];
      for (let k = 0; k < 9; k++) {           // level sets f = f0 / 4^k: ellipses with semi-axes sqrt(2f), sqrt(2f/kappa)
        const f = f0 / Math.pow(4, k);
        ctx.beginPath();
        ctx.ellipse(X(0), Y(0), Math.sqrt(2 * f) / (2 * half) * W, Math.sqrt(2 * f / kappa()) / (2 * half) * H, 0, 0, 2 * Math.PI);
        ctx.stroke();
      }
      ctx.restore();
      ctx.strokeStyle = ink; ctx.strokeRect(0.5, 0.5, W - 1, H - 1);
      const pts = run.path.map((w) => [X(w[0]), Y(w[1])]);
      ctx.save(); ctx.beginPath(); ctx.rect(0, 0, W, H); ctx.clip(); ctx.lineJoin = "round";
      for (const [width, color] of [[4, "black"], [2, "#E69F00"]]) {
        ctx.beginPath(); pts.forEach(([x, y], k) => (k ? ctx.lineTo(x, y) : ctx.moveTo(x, y)));
        ctx.lineWidth = width; ctx.strokeStyle = color; ctx.stroke();
      }
      const [sx, sy] = pts[0], [ex, ey] = pts[pts.length - 1];
      ctx.fillStyle = "white"; ctx.strokeStyle = "black"; ctx.lineWidth = 1.5;
      ctx.fillRect(sx - 5, sy - 5, 10, 10); ctx.strokeRect(sx - 5, sy - 5, 10, 10);
      ctx.beginPath(); ctx.arc(ex, ey, 6, 0, 2 * Math.PI); ctx.lineWidth = 3; ctx.strokeStyle = "white"; ctx.stroke();
      ctx.lineWidth = 1; ctx.strokeStyle = "black"; ctx.stroke();
      ctx.restore();
      star(ctx, X(0), Y(0), 8);
      // the axes' label last, on a box of the page's background, so that no path runs through it
      const label = "w₁, w₂ from −10 to 10";
      ctx.font = "13px sans-serif"; ctx.textAlign = "left"; ctx.textBaseline = "top";
      ctx.fillStyle = background(root); ctx.fillRect(2, 2, ctx.measureText(label).width + 8, 19);
      ctx.fillStyle = ink; ctx.fillText(label, 6, 4);
    }

    function drawLoss(run, rate) {
      const ctx = lossCv.getContext("2d"), W = lossCv.width, H = lossCv.height, ink = getComputedStyle(root).color;
      const pad = { l: 56, r: 10, t: 10, b: 40 }, n = cfg.steps, m = Math.floor(n / 3);
      const f0 = run.losses[0] - run.objective.minValue;
      const q = run.losses.map((f) => Math.log10(Math.max((f - run.objective.minValue) / f0, 1e-300)));
      let lo = Math.floor(Math.min(...q)), hi = Math.max(Math.ceil(Math.max(...q)), 1);
      if (hi === lo) hi = lo + 1;
      const X = (k) => pad.l + k / n * (W - pad.l - pad.r), Y = (v) => pad.t + (hi - v) / (hi - lo) * (H - pad.t - pad.b);
      ctx.clearRect(0, 0, W, H);
      ctx.fillStyle = "rgba(128, 128, 128, 0.25)";                     // the window where the rate is measured
      ctx.fillRect(X(m), pad.t, X(2 * m) - X(m), H - pad.t - pad.b);
      ctx.strokeStyle = ink; ctx.fillStyle = ink; ctx.lineWidth = 1; ctx.font = "13px sans-serif";
      ctx.strokeRect(pad.l, pad.t, W - pad.l - pad.r, H - pad.t - pad.b);
      // ticks every 1, 2, 5, 10, 20, 50 or 100 decades, at multiples of that step (at most 6 of them)
      const every = [1, 2, 5, 10, 20, 50, 100].find((d) => (hi - lo) / d <= 5) || 100;
      ctx.textAlign = "right"; ctx.textBaseline = "middle";
      for (let v = Math.floor(hi / every) * every; v >= lo; v -= every) {
        ctx.beginPath(); ctx.moveTo(pad.l - 3, Y(v)); ctx.lineTo(pad.l, Y(v)); ctx.stroke();
        ctx.fillText(v === 0 ? "1" : `1e${v}`, pad.l - 5, Y(v));
      }
      ctx.textAlign = "center"; ctx.textBaseline = "top";
      for (const k of [0, m, 2 * m, n]) ctx.fillText(String(k), X(k), H - pad.b + 4);
      ctx.fillText("step t", (pad.l + W - pad.r) / 2, H - pad.b + 20);
      ctx.save(); ctx.translate(13, (pad.t + H - pad.b) / 2); ctx.rotate(-Math.PI / 2);
      ctx.fillText("(f − f*) / (f₀ − f*)", 0, -6); ctx.restore();
      ctx.save(); ctx.beginPath(); ctx.rect(pad.l, pad.t, W - pad.l - pad.r, H - pad.t - pad.b); ctx.clip();
      ctx.beginPath(); q.forEach((v, k) => (k ? ctx.lineTo(X(k), Y(v)) : ctx.moveTo(X(k), Y(v))));
      ctx.strokeStyle = "#0072B2"; ctx.lineWidth = 2; ctx.stroke();
      if (rate !== null && rate < cfg.noConvergence && rate > 0) {   // the fitted line, slope 2 log10(r)
        const env = [];
        let e = -Infinity;
        for (let k = q.length - 1; k >= m; k--) { e = Math.max(e, q[k]); if (k <= 2 * m) env.push(e); }
        const mid = env.reduce((a, b) => a + b, 0) / env.length, slope = 2 * Math.log10(rate);
        ctx.beginPath(); ctx.moveTo(X(m), Y(mid - slope * m / 2)); ctx.lineTo(X(2 * m), Y(mid + slope * m / 2));
        ctx.setLineDash([6, 3]); ctx.strokeStyle = "#D55E00"; ctx.lineWidth = 2; ctx.stroke();
      }
      ctx.restore();
    }

    function update() {
      const M = computeMap(), T = theory(), L = lrs();
      const sel = { i: Number(c.lr.input.value), j: Number(c.beta.input.value) };
      const s = spec(L[sel.i], cfg.betas[sel.j]), run = window.GDPort.minimize(s);
      const rate = M.grid[sel.j][sel.i], k = kappa(), name = method().label;
      c.kappa.shown.textContent = ""; c.method.shown.textContent = "";
      c.lr.shown.textContent = String(s.optimizer.lr); c.beta.shown.textContent = String(s.optimizer.beta);
      c.lr.input.setAttribute("aria-valuetext", `η = ${s.optimizer.lr}`);
      c.beta.input.setAttribute("aria-valuetext", `β = ${s.optimizer.beta}`);
      drawRates(M, sel); drawPath(run); drawLoss(run, rate);
      const what = `${name}, κ = ${k}, η = ${s.optimizer.lr}, β = ${s.optimizer.beta}`
        + `${s.optimizer.beta === 0 ? " (plain gradient descent)" : ""}: `;
      const result = rate === null ? `no convergence: the loss blew up at step ${run.path.length}.`
        : rate >= cfg.noConvergence ? `no convergence: the loss did not shrink between steps ${cfg.steps / 3} and ${cfg.steps}.`
        : `measured rate ${fmt(rate)} per step (the error shrinks tenfold every ${fmt(Math.log(0.1) / Math.log(rate))} steps).`;
      const best = ` Theory's optimum: η = ${fmt(T.lr)}, β = ${fmt(T.beta)}, rate ${fmt(T.rate)}`
        + ` (measured there: ${fmt(M.optimumRate)}); stability limit at this β: η < ${fmt(T.limits[sel.j])}.`;
      readout.textContent = what + result + best;
      let worse = 0, fastest = null;
      M.grid.forEach((row, j) => row.forEach((r, i) => {
        if (r === null || r >= cfg.noConvergence) worse++;
        else if (!fastest || r < fastest.r) fastest = { r, i, j };
      }));
      rates.setAttribute("aria-label", `Rate map of ${name} for κ = ${k}: ${nL} learning rates from ${L[0]} to `
        + `${L[nL - 1]} (log scale) by ${nB} momenta from 0 to ${cfg.betas[nB - 1]}; ${worse} of ${nL * nB} cells `
        + `do not converge, beyond the stability limit η = 2(1 + β)/L${method().nesterov ? "(1 + 2β)" : ""}; `
        + (fastest ? `the fastest cell, rate ${fmt(fastest.r)}, is η = ${L[fastest.i]}, β = ${cfg.betas[fastest.j]}; ` : "")
        + `theory's optimum (star) is η = ${fmt(T.lr)}, β = ${fmt(T.beta)}. Selected cell: ${what}${result}`);
      pathCv.setAttribute("aria-label", `Path of the selected cell on the contours of f (start: square, last `
        + `iterate: ring, minimum: star). ${what}${result}`);
      lossCv.setAttribute("aria-label", `Loss of the selected cell on a log scale against the step, the `
        + `measuring window shaded. ${what}${result}`);
      root.dataset.settings = JSON.stringify(s);
      root.dataset.path = JSON.stringify(run.path);
      root.dataset.map = JSON.stringify({ kappa: k, method: name, lrs: L, betas: cfg.betas, steps: cfg.steps, rates: M.grid });
      root.dataset.optimum = JSON.stringify({ kappa: k, method: name, lr: T.lr, beta: T.beta, rate: T.rate,
                                              measured: M.optimumRate });
    }

    // a new condition number or method moves the selection to the cell nearest its star, as the Python
    // default does (explorable_rates._nearest: the log-nearest column, the nearest row)
    function selectOptimum() {
      const T = theory(), L = lrs();
      let i = 0, j = 0;
      for (let k = 1; k < nL; k++) {
        if (Math.abs(Math.log(L[k]) - Math.log(T.lr)) < Math.abs(Math.log(L[i]) - Math.log(T.lr))) i = k;
      }
      for (let k = 1; k < nB; k++) if (Math.abs(cfg.betas[k] - T.beta) < Math.abs(cfg.betas[j] - T.beta)) j = k;
      c.lr.input.value = String(i); c.beta.input.value = String(j);
    }
    c.kappa.input.addEventListener("change", () => { selectOptimum(); update(); });
    c.method.input.addEventListener("change", () => { selectOptimum(); update(); });
    c.lr.input.addEventListener("input", update);
    c.beta.input.addEventListener("input", update);
    rates.addEventListener("click", (e) => {   // a click on a cell selects it
      const r = rates.getBoundingClientRect();
      const x = (e.clientX - r.left) / r.width * rates.width, y = (e.clientY - r.top) / r.height * rates.height;
      const i = Math.floor((x - PAD.l) / cellW), j = nB - 1 - Math.floor((y - PAD.t) / cellH);
      if (i < 0 || i >= nL || j < 0 || j >= nB) return;
      c.lr.input.value = String(i); c.beta.input.value = String(j);
      update();
    });
    new MutationObserver(update).observe(document.documentElement, { attributes: true, attributeFilter: ["data-theme"] });
    update();
  }

  return { mount, measuredRate };
})();
