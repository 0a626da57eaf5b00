/* The mini-batch explorable of chapter 3: batch size, learning rate, schedule, epochs and shuffle seed as
 * controls; the path of theta = (intercept, slope) on the level sets of J, and J - J* per epoch.
 *
 * Every run drawn is computed by GDPort.minimize (port.js), the line-by-line port of gd.minimize's
 * mini-batch loop, with the row orders that NumPy draws for each seed (embedded by
 * gdlesson.explorable_sgd.sgd_explorable, with the data and the control values). After each change the root
 * element carries, as JSON, data-settings (the arguments of gd.minimize), data-path (theta after each
 * epoch, from w0 on) and data-steps (theta after every step of those epochs, from w0 on).
 */
window.GDSgd = window.GDSgd || (function () {
  "use strict";
  const { el, control, slider, select, starPath: star } = window.GDUI;  // ui.js
  const GRID = 120;                // level-set resolution (cells per side)
  const BANDS = 12;                // grey bands of log10(J - J*), lighter is lower
  const EPOCH = "#D55E00";         // Okabe-Ito vermillion: theta after each epoch, and the loss curve
  const STEP = "rgba(0, 114, 178, 0.45)";  // Okabe-Ito blue, faint: every step within the epochs

  /* 2 significant digits; below 0.01 and from 100 on in exponent form without "+" (6.0e-5, 1.0e4) */
  function fmt(x) { return x < 0.01 || x >= 100 ? x.toExponential(1).replace("e+", "e") : x.toPrecision(2); }

  /* "1 step", "2 steps" */
  function count(k, noun) { return `${k} ${noun}${k === 1 ? "" : "s"}`; }

  function polyline(ctx, pts) {
    ctx.beginPath();
    pts.forEach(([x, y], k) => (k ? ctx.lineTo(x, y) : ctx.moveTo(x, y)));
  }

  function mount(root) {
    const cfg = JSON.parse(root.dataset.config);
    const id = cfg.id;
    const box = el("div", { class: "gd-controls" }, root);
    const figs = el("div", { class: "gd-figures" }, root);
    const map = el("canvas", { class: "gd-map", role: "img", width: 330, height: 300 }, figs);
    const zoom = el("canvas", { class: "gd-map", role: "img", width: 330, height: 300 }, figs);
    const wide = figs.clientWidth === 0 || figs.clientWidth >= 560;   // a narrow column (phone): a smaller curve
    const loss = el("canvas", { class: "gd-loss", role: "img", width: wide ? 672 : 330, height: wide ? 230 : 250 },
                    figs);
    const readout = el("output", { class: "gd-readout", "aria-live": "polite" }, root);

    const d = cfg.defaults, c = {};
    c.batch = control(box, `${id}-batch`, "batch size k (rows per step)",
                      slider(0, cfg.batchSizes.length - 1, d.batch));
    c.lr = control(box, `${id}-lr`, "learning rate α (at step 0)", slider(0, cfg.lrs.length - 1, d.lr));
    c.epochs = control(box, `${id}-epochs`, "epochs (passes over the data)", slider(1, cfg.maxEpochs, d.epochs));
    c.schedule = control(box, `${id}-schedule`, "schedule of α",
                         select(cfg.schedules.map((s) => s.label), d.schedule));
    c.seed = control(box, `${id}-seed`, "shuffle seed", slider(0, cfg.seeds.length - 1, d.seed));
    // a whole row each: the batch size's value ("1 (100 steps/epoch)") and the schedule's long labels
    for (const name of ["batch", "schedule"]) c[name].wrap.classList.add("gd-row");

    const objective = window.GDPort.objectives.LeastSquares(cfg.objective);
    const n = cfg.objective.y.length;

    function pick(name) { return Number(c[name].input.value); }

    function settings() {
      const k = cfg.batchSizes[pick("batch")], epochs = pick("epochs");
      return { objective: cfg.objective,
               optimizer: { name: "GradientDescent", lr: cfg.schedules[pick("schedule")].lr[pick("lr")] },
               w0: cfg.w0.slice(), steps: epochs, batch_size: k, epochs, seed: cfg.seeds[pick("seed")] };
    }

    // ----- the maps: level sets of J (grey bands), every step faintly, theta after each epoch -----
    const pad = { l: 46, r: 10, t: 10, b: 40 }, lossPad = { l: 62, r: 14, t: 10, b: 40 };
    const views = [{ canvas: map, xlim: cfg.xlim, ylim: cfg.ylim, tick: 1, levels: null },
                   { canvas: zoom, xlim: cfg.zoom.xlim, ylim: cfg.zoom.ylim, tick: 0.5, levels: null }];

    function projection(view) {
      const W = view.canvas.width - pad.l - pad.r, H = view.canvas.height - pad.t - pad.b;
      return (w) => [pad.l + (w[0] - view.xlim[0]) / (view.xlim[1] - view.xlim[0]) * W,
                     pad.t + (1 - (w[1] - view.ylim[0]) / (view.ylim[1] - view.ylim[0])) * H];
    }

    function levelSets(view) {      // computed once per view: J does not change with the controls
      if (view.levels) return view.levels;
      const img = new ImageData(GRID, GRID), h = new Float64Array(GRID * GRID);
      let lo = Infinity, hi = -Infinity;
      for (let j = 0; j < GRID; j++) for (let i = 0; i < GRID; i++) {
        const w = [view.xlim[0] + (i + 0.5) / GRID * (view.xlim[1] - view.xlim[0]),
                   view.ylim[1] - (j + 0.5) / GRID * (view.ylim[1] - view.ylim[0])];
        const v = Math.log10(Math.max(objective.value(w) - objective.minValue, 1e-6));
        h[j * GRID + i] = v; lo = Math.min(lo, v); hi = Math.max(hi, v);
      }
      for (let p = 0; p < h.length; p++) {
        const band = Math.min(Math.floor((h[p] - lo) / (hi - lo) * BANDS), BANDS - 1);
        const grey = Math.round(248 - 100 * band / (BANDS - 1));   // from near white down to mid grey
        img.data.set([grey, grey, grey, 255], 4 * p);
      }
      view.levels = document.createElement("canvas");
      view.levels.width = view.levels.height = GRID;
      view.levels.getContext("2d").putImageData(img, 0, 0);
      return view.levels;
    }

    function ticks(lo, hi, step) {
      const out = [];
      for (let v = Math.ceil(lo / step - 1e-9) * step; v <= hi + 1e-9; v += step) out.push(Number(v.toFixed(6)));
      return out;
    }

    function axes(ctx, W, H, pad, xlabel, ylabel, xticks, yticks) {
      const ink = getComputedStyle(root).color;
      ctx.strokeStyle = ink; ctx.fillStyle = ink; ctx.lineWidth = 1; ctx.font = "13px sans-serif";
      ctx.strokeRect(pad.l, pad.t, W - pad.l - pad.r, H - pad.t - pad.b);
      ctx.textAlign = "center"; ctx.textBaseline = "top";
      for (const [x, text] of xticks) ctx.fillText(text, x, H - pad.b + 4);
      ctx.fillText(xlabel, (pad.l + W - pad.r) / 2, H - pad.b + 21);
      ctx.textAlign = "right"; ctx.textBaseline = "middle";
      for (const [y, text] of yticks) ctx.fillText(text, pad.l - 4, y);
      ctx.save(); ctx.translate(12, (pad.t + H - pad.b) / 2); ctx.rotate(-Math.PI / 2);
      ctx.textAlign = "center"; ctx.fillText(ylabel, 0, 0); ctx.restore();
    }

    function drawMap(view, run) {
      const canvas = view.canvas, ctx = canvas.getContext("2d"), at = projection(view);
      const W = canvas.width, H = canvas.height;
      ctx.clearRect(0, 0, W, H);
      ctx.imageSmoothingEnabled = false;
      ctx.drawImage(levelSets(view), pad.l, pad.t, W - pad.l - pad.r, H - pad.t - pad.b);
      axes(ctx, W, H, pad, "intercept θ₀", "slope θ₁",
           ticks(view.xlim[0], view.xlim[1], view.tick).map((v) => [at([v, 0])[0], String(v)]),
           ticks(view.ylim[0], view.ylim[1], view.tick).map((v) => [at([0, v])[1], String(v)]));
      ctx.save();
      ctx.beginPath(); ctx.rect(pad.l, pad.t, W - pad.l - pad.r, H - pad.t - pad.b); ctx.clip();
      if (view !== views[1]) {                                    // where the zoom looks
        const [x0, y0] = at([cfg.zoom.xlim[0], cfg.zoom.ylim[1]]), [x1, y1] = at([cfg.zoom.xlim[1], cfg.zoom.ylim[0]]);
        ctx.setLineDash([4, 3]); ctx.strokeStyle = "black"; ctx.lineWidth = 1; ctx.strokeRect(x0, y0, x1 - x0, y1 - y0);
        ctx.setLineDash([]);
      }
      ctx.lineJoin = "round";
      polyline(ctx, run.steps.map(at));                           // every step, faintly
      ctx.strokeStyle = STEP; ctx.lineWidth = 1; ctx.stroke();
      const pts = run.path.map(at);                               // theta after each epoch
      polyline(ctx, pts);
      ctx.strokeStyle = "black"; ctx.lineWidth = 1.5; ctx.stroke();
      ctx.fillStyle = EPOCH; ctx.strokeStyle = "black"; ctx.lineWidth = 1;
      for (const [x, y] of pts.slice(1)) { ctx.beginPath(); ctx.arc(x, y, 3, 0, 2 * Math.PI); ctx.fill(); ctx.stroke(); }
      const [sx, sy] = pts[0], [ex, ey] = pts[pts.length - 1];
      ctx.fillStyle = "white"; ctx.lineWidth = 1.5;
      ctx.fillRect(sx - 5, sy - 5, 10, 10); ctx.strokeRect(sx - 5, sy - 5, 10, 10);   // start: square
      ctx.beginPath(); ctx.arc(ex, ey, 7, 0, 2 * Math.PI); ctx.lineWidth = 3; ctx.strokeStyle = "white"; ctx.stroke();
      ctx.lineWidth = 1.5; ctx.strokeStyle = "black"; ctx.stroke();                   // end: ring
      const [mx, my] = at(objective.minimizer);                                         // minimum on top
      star(ctx, mx, my, 9); ctx.fillStyle = "white"; ctx.fill(); ctx.strokeStyle = "black"; ctx.lineWidth = 1.5; ctx.stroke();
      ctx.restore();
    }

    // ----- the loss curve: J - J* after each epoch, log axis -----
    function gaps(run) { return run.losses.map((f) => Math.max(f - objective.minValue, 1e-16)); }

    function drawLoss(run) {
      const ctx = loss.getContext("2d"), W = loss.width, H = loss.height;
      ctx.clearRect(0, 0, W, H);
      const logs = gaps(run).map(Math.log10);
      let lo = Math.floor(Math.min(...logs)), hi = Math.ceil(Math.max(...logs));
      if (hi === lo) hi = lo + 1;
      const E = Math.max(pick("epochs"), 1);
      const pad = lossPad;
      const X = (k) => pad.l + k / E * (W - pad.l - pad.r), Y = (v) => pad.t + (hi - v) / (hi - lo) * (H - pad.t - pad.b);
      const every = Math.max(1, Math.ceil((hi - lo) / 6)), yt = [];
      for (let v = lo; v <= hi; v += every) yt.push([Y(v), `1e${v}`]);
      const step = [1, 2, 5, 10].find((t) => E / t <= 6);
      axes(ctx, W, H, lossPad, "epoch", "J(θ) − J(θ*)", ticks(0, E, step).map((e) => [X(e), String(e)]), yt);
      polyline(ctx, logs.map((v, k) => [X(k), Y(v)]));
      ctx.strokeStyle = EPOCH; ctx.lineWidth = 1.5; ctx.stroke();
      ctx.fillStyle = EPOCH;
      logs.forEach((v, k) => { ctx.beginPath(); ctx.arc(X(k), Y(v), 2.5, 0, 2 * Math.PI); ctx.fill(); });
    }

    function rateText(lr) {
      return typeof lr === "number" ? `constant α = ${lr}` : `αₜ = ${lr.t0}/(t + ${lr.t1})`;
    }

    function describe(s, run) {
      const k = s.batch_size, perEpoch = Math.ceil(n / k);
      const method = k === 1 ? "SGD" : k === n ? "full batch" : `mini-batch of ${k}`;
      const head = `${method} (${count(perEpoch, "step")} per epoch), ${rateText(s.optimizer.lr)}, ` +
                   `shuffle seed ${s.seed}: `;
      const done = run.path.length - 1, g = gaps(run);
      if (run.diverged) {
        const before = done === 0 ? "only the start" : done === 1 ? "the epoch before" : `the ${done} epochs before`;
        return head + `the run blew up in epoch ${done + 1}; the drawing shows ${before}.`;
      }
      const w = run.path[done], last = g.slice(Math.max(1, done - 9));
      const spread = last.length < 2 ? "" : `; over the last ${last.length} epochs J − J* stayed between ` +
        `${fmt(Math.min(...last))} and ${fmt(Math.max(...last))}`;
      return head + `after ${count(done, "epoch")} (${count(done * perEpoch, "step")}) θ = (${w[0].toFixed(3)}, ` +
        `${w[1].toFixed(3)}), J − J* = ${fmt(g[done])}${spread}.`;
    }

    function update() {
      const s = settings(), run = window.GDPort.minimize(s, cfg.orders[pick("seed")]);
      const k = s.batch_size, lr = cfg.lrs[pick("lr")];
      const perEpoch = Math.ceil(n / k);
      c.batch.shown.textContent = `${k} (${count(perEpoch, "step")}/epoch)`;
      c.batch.input.setAttribute("aria-valuetext", `${count(k, "row")} per step, ${count(perEpoch, "step")} per epoch`);
      c.lr.shown.textContent = String(lr);
      c.lr.input.setAttribute("aria-valuetext", String(lr));
      c.schedule.shown.textContent = "";
      c.epochs.shown.textContent = `${s.epochs}`;
      c.epochs.input.setAttribute("aria-valuetext", count(s.epochs, "epoch"));
      c.seed.shown.textContent = String(s.seed);
      c.seed.input.setAttribute("aria-valuetext", `seed ${s.seed}`);
      for (const view of views) drawMap(view, run);
      drawLoss(run);
      readout.textContent = describe(s, run);
      const what = `the path of θ, ${count(run.steps.length - 1, "step")} drawn faintly and a marker after each epoch`;
      map.setAttribute("aria-label", `Level sets of the cost J over intercept and slope, with ${what}. ` +
                       readout.textContent);
      zoom.setAttribute("aria-label", `The same map near the minimum θ* (the dashed box of the first map), with ` +
                        `${what}. ${readout.textContent}`);
      loss.setAttribute("aria-label", `Excess cost J − J* after each epoch, on a log scale: ${readout.textContent}`);
      root.dataset.settings = JSON.stringify(s);
      root.dataset.path = JSON.stringify(run.path);
      root.dataset.steps = JSON.stringify(run.steps);
    }

    for (const name of ["batch", "lr", "epochs", "seed"]) c[name].input.addEventListener("input", update);
    c.schedule.input.addEventListener("change", update);
    new MutationObserver(update).observe(document.documentElement, { attributes: true, attributeFilter: ["data-theme"] });
    update();
  }

  return { mount };
})();
