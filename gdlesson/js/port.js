/* gdlesson in the browser: the 2-D objectives, the optimizers, two schedules and the loops of gd.minimize.
 *
 * A line-by-line port of gdlesson/objectives.py (Quadratic, Rosenbrock, LeastSquares with two parameters),
 * gdlesson/optimizers.py, gdlesson/schedules.py (constant, inverse_time) and the full-batch and mini-batch
 * loops of gdlesson/descent.py, in the same order of operations, so that a path computed here equals
 * gd.minimize's to rounding (tests/test_explorables.py checks 1e-12 over every control value).
 * Vectors are plain two-element arrays [w1, w2].
 */
window.GDPort = window.GDPort || (function () {
  "use strict";
  const BLOWUP_FACTOR = 1e10;  // gdlesson.descent.BLOWUP_FACTOR

  // ----- objectives: {valueAndGrad(w) -> [f, g], minimizer, minValue} -----
  function Quadratic(kw) {
    const A = kw.A, b = kw.b || [0, 0];
    const det = A[0][0] * A[1][1] - A[0][1] * A[1][0];
    const wStar = [(A[1][1] * b[0] - A[0][1] * b[1]) / det, (A[0][0] * b[1] - A[1][0] * b[0]) / det];
    return {
      valueAndGrad(w) {            // Aw = A @ w;  f = 0.5 * w @ Aw - b @ w;  g = Aw - b
        const Aw = [A[0][0] * w[0] + A[0][1] * w[1], A[1][0] * w[0] + A[1][1] * w[1]];
        const f = (0.5 * w[0] * Aw[0] + 0.5 * w[1] * Aw[1]) - (b[0] * w[0] + b[1] * w[1]);
        return [f, [Aw[0] - b[0], Aw[1] - b[1]]];
      },
      minimizer: wStar,
      minValue: -0.5 * (b[0] * wStar[0] + b[1] * wStar[1]),
    };
  }

  function Rosenbrock(kw) {
    const a = kw.a === undefined ? 1 : kw.a, bb = kw.b === undefined ? 100 : kw.b;
    return {
      valueAndGrad(w) {            // f = (a - x)^2 + b (y - x^2)^2
        const x = w[0], y = w[1], r = y - x * x;
        const f = (a - x) * (a - x) + bb * (r * r);
        return [f, [2 * (x - a) - 4 * bb * x * r, 2 * bb * r]];
      },
      minimizer: [a, a * a],
      minValue: 0,
    };
  }

  /* LeastSquares(X, y) with two columns: J(w) = |Xw - y|^2 / (2m), its gradient X^T (Xw - y) / m over
   * all rows or over a batch of rows (then m = len(rows)), summed in the order of the rows as NumPy's
   * X[rows].T @ r does. X is [[x_i1, x_i2], ...], y is [y_i, ...]. */
  function LeastSquares(kw) {
    const X = kw.X, y = kw.y, m = y.length;
    function value(w) {          // r = X @ w - y;  np.vdot(r, r) / (2 * len(r))
      let sum = 0;
      for (let i = 0; i < m; i++) {
        const r = (X[i][0] * w[0] + X[i][1] * w[1]) - y[i];
        sum += r * r;
      }
      return sum / (2 * m);
    }
    function batchGrad(w, rows) {  // r = X[rows] @ w - y[rows];  X[rows].T @ r / len(r)
      let g0 = 0, g1 = 0;
      for (const i of rows) {
        const r = (X[i][0] * w[0] + X[i][1] * w[1]) - y[i];
        g0 += X[i][0] * r;
        g1 += X[i][1] * r;
      }
      return [g0 / rows.length, g1 / rows.length];
    }
    const all = Array.from({ length: m }, (_, i) => i);
    // the minimizer, from the normal equations (X^T X) w = X^T y: for drawing only, never for the path
    let a = 0, b = 0, d = 0, u = 0, v = 0;
    for (let i = 0; i < m; i++) {
      a += X[i][0] * X[i][0]; b += X[i][0] * X[i][1]; d += X[i][1] * X[i][1];
      u += X[i][0] * y[i]; v += X[i][1] * y[i];
    }
    const det = a * d - b * b, wStar = [(d * u - b * v) / det, (a * v - b * u) / det];
    return {
      valueAndGrad: (w) => [value(w), batchGrad(w, all)],
      value,
      batchGrad,
      nSamples: m,
      minimizer: wStar,
      minValue: value(wStar),
    };
  }

  // ----- schedules: rate(t) of the 0-based step count t, as gdlesson/schedules.py computes it -----
  const schedules = {
    constant: (kw) => () => kw.lr,
    inverse_time: (kw) => {        // t0 / (t + t1)
      const t0 = kw.t0 === undefined ? 5.0 : kw.t0, t1 = kw.t1 === undefined ? 50.0 : kw.t1;
      return (t) => t0 / (t + t1);
    },
  };

  // ----- optimizers: step(w, g) -> new w; state kept in the closure, as gdlesson keeps it on self -----
  function GradientDescent(kw) {   // lr: a number, or {schedule: <name in schedules>, ...its kwargs}
    if (typeof kw.lr === "number") return { step: (w, g) => [w[0] - kw.lr * g[0], w[1] - kw.lr * g[1]] };
    const rate = schedules[kw.lr.schedule](kwargs(kw.lr, "schedule"));
    let t = 0;                     // Optimizer.t: the schedule sees the 0-based count of the step
    return {
      step(w, g) {
        const lr = rate(t);
        t += 1;
        return [w[0] - lr * g[0], w[1] - lr * g[1]];
      },
    };
  }

  function Momentum(kw) {          // v = beta v + g;  w - lr v  (nesterov: w - lr (g + beta v))
    const beta = kw.beta === undefined ? 0.9 : kw.beta;
    let v = [0, 0];
    return {
      step(w, g) {
        v = [beta * v[0] + g[0], beta * v[1] + g[1]];
        if (kw.nesterov) return [w[0] - kw.lr * (g[0] + beta * v[0]), w[1] - kw.lr * (g[1] + beta * v[1])];
        return [w[0] - kw.lr * v[0], w[1] - kw.lr * v[1]];
      },
    };
  }

  function AdaGrad(kw) {           // G = G + g^2;  w - lr g / (sqrt(G) + eps)
    const eps = kw.eps === undefined ? 1e-8 : kw.eps;
    let G = [0, 0];
    return {
      step(w, g) {
        G = [G[0] + g[0] * g[0], G[1] + g[1] * g[1]];
        return [0, 1].map((i) => w[i] - kw.lr * g[i] / (Math.sqrt(G[i]) + eps));
      },
    };
  }

  function RMSProp(kw) {           // E = beta E + (1 - beta) g^2;  w - lr g / (sqrt(E) + eps)
    const beta = kw.beta === undefined ? 0.9 : kw.beta, eps = kw.eps === undefined ? 1e-8 : kw.eps;
    let E = [0, 0];
    return {
      step(w, g) {
        E = [0, 1].map((i) => beta * E[i] + (1 - beta) * (g[i] * g[i]));
        return [0, 1].map((i) => w[i] - kw.lr * g[i] / (Math.sqrt(E[i]) + eps));
      },
    };
  }

  function Adam(kw) {              // m, s: moving averages of g and g^2, bias-corrected by 1 - beta^t
    const b1 = kw.beta1 === undefined ? 0.9 : kw.beta1, b2 = kw.beta2 === undefined ? 0.999 : kw.beta2;
    const eps = kw.eps === undefined ? 1e-8 : kw.eps;
    let m = [0, 0], s = [0, 0], t = 0;
    return {
      step(w, g) {
        t += 1;
        m = [0, 1].map((i) => b1 * m[i] + (1 - b1) * g[i]);
        s = [0, 1].map((i) => b2 * s[i] + (1 - b2) * (g[i] * g[i]));
        const mHat = m.map((x) => x / (1 - Math.pow(b1, t)));
        const sHat = s.map((x) => x / (1 - Math.pow(b2, t)));
        return [0, 1].map((i) => w[i] - kw.lr * mHat[i] / (Math.sqrt(sHat[i]) + eps));
      },
    };
  }

  const objectives = { Quadratic, Rosenbrock, LeastSquares };
  const optimizers = { GradientDescent, Momentum, AdaGrad, RMSProp, Adam };

  function kwargs(spec, key = "name") {
    const kw = Object.assign({}, spec);
    delete kw[key];
    return kw;
  }

  /* gd.minimize(objective, w0, optimizer, max_iter=steps).path and .losses, for settings of the form
   * {objective: {name, ...kw}, optimizer: {name, ...kw}, w0: [w1, w2], steps: n}. Like minimize, the run
   * stops before a non-finite iterate or a loss above f0 + 1e10 max(|f0|, 1), keeping the rows before.
   * With settings.batch_size, the mini-batch loop instead (see miniBatch). */
  function minimize(settings, orders) {
    if (settings.batch_size !== undefined && settings.batch_size !== null) return miniBatch(settings, orders);
    const objective = objectives[settings.objective.name](kwargs(settings.objective));
    const optimizer = optimizers[settings.optimizer.name](kwargs(settings.optimizer));
    let w = settings.w0.slice();
    let [f, g] = objective.valueAndGrad(w);
    const limit = f + BLOWUP_FACTOR * Math.max(Math.abs(f), 1.0);
    const path = [w], losses = [f];
    let diverged = false;
    for (let k = 1; k <= settings.steps; k++) {
      w = optimizer.step(w, g);
      if (!Number.isFinite(w[0]) || !Number.isFinite(w[1])) { diverged = true; break; }
      [f, g] = objective.valueAndGrad(w);
      if (!(f > -Infinity && f <= limit)) { diverged = true; break; }
      path.push(w);
      losses.push(f);
    }
    return { path, losses, diverged, objective };
  }

  /* gd.minimize(objective, w0, optimizer, batch_size=k, epochs=e, seed=s), for settings with batch_size,
   * epochs (and seed, which the port cannot use): _mini_batch of descent.py. NumPy's random permutations
   * cannot be redrawn here, so orders[j] is the row order of epoch j + 1, the j-th
   * np.random.default_rng(seed).permutation(n), computed by gdlesson and embedded in the page.
   * Returns path and losses (one row per epoch, as minimize records them) and steps: w0 and the iterate
   * after every step of the epochs in path. */
  function miniBatch(settings, orders) {
    const objective = objectives[settings.objective.name](kwargs(settings.objective));
    const optimizer = optimizers[settings.optimizer.name](kwargs(settings.optimizer));
    const n = objective.nSamples, k = settings.batch_size;
    let w = settings.w0.slice();
    let f = objective.value(w);
    const limit = f + BLOWUP_FACTOR * Math.max(Math.abs(f), 1.0);
    const path = [w], losses = [f], steps = [w];
    let diverged = false;
    for (let epoch = 1; epoch <= settings.epochs && !diverged; epoch++) {
      const order = orders[epoch - 1], inEpoch = [];
      for (let start = 0; start < n; start += k) {
        w = optimizer.step(w, objective.batchGrad(w, order.slice(start, start + k)));  // last may be short
        if (!Number.isFinite(w[0]) || !Number.isFinite(w[1])) { diverged = true; break; }
        inEpoch.push(w);
      }
      if (diverged) break;
      f = objective.value(w);      // the full objective at the epoch's w
      if (!(f > -Infinity && f <= limit)) { diverged = true; break; }
      path.push(w);
      losses.push(f);
      for (const step of inEpoch) steps.push(step);
    }
    return { path, losses, steps, diverged, objective };
  }

  return { objectives, optimizers, schedules, minimize, BLOWUP_FACTOR };
})();
