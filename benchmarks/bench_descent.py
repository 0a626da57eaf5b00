"""Speed of gdlesson.minimize: overhead against bare NumPy loops, and linear scaling in the number of steps.

Run from the repository root:

    .venv/bin/python benchmarks/bench_descent.py

Every time is the best of k repetitions (time.perf_counter), which filters out noise from other processes.
The script prints a table with PASS/FAIL against the targets of issues 2 and 14 and always exits 0: it is a
measurement, not a test (timings depend on the machine and on what else is running).
"""

from __future__ import annotations

import argparse
import os
import time

import numpy as np

import gdlesson as gd

OVERHEAD_TARGET = 1.15  # minimize / bare NumPy loop, full batch, LeastSquares 20 000 x 100 (issue 2)
STEP_TARGET = 1.5  # minimize / bare NumPy loop, per step on a 2-D quadratic (issue 14)
SCALING_TARGET = 12.0  # time(T = 20 000) / time(T = 2 000) on a 2-D quadratic; linear is 10 (issue 2)


def best_of(k, *fns):
    """Smallest wall-clock time of ``k`` calls of each function, one tuple entry per function.

    The functions take turns (a, b, a, b, ...), so a slow spell of the machine hits them alike.
    """
    best = [float("inf")] * len(fns)
    for _ in range(k):
        for i, fn in enumerate(fns):
            start = time.perf_counter()
            fn()
            best[i] = min(best[i], time.perf_counter() - start)
    return best


def bare_numpy_loop(X, y, w0, lr, n_steps):
    """The same work as minimize with GradientDescent on LeastSquares, written out by hand.

    One X @ w and one X.T @ r per step, the loss of every iterate recorded, the iterates kept.
    """
    m = len(y)
    w = w0
    r = X @ w - y
    path, losses = [w], [r @ r / (2 * m)]
    g = X.T @ r / m
    for _ in range(n_steps):
        w = w - lr * g
        r = X @ w - y
        path.append(w)
        losses.append(r @ r / (2 * m))
        g = X.T @ r / m
    return np.array(path), np.array(losses)


def bare_quadratic_loop(A, b, w0, lr, n_steps):
    """The same work as minimize with GradientDescent on Quadratic(A, b), written out by hand.

    Per step: the update, then one A @ w shared by the gradient and the loss, the iterate and the loss kept.
    """
    w = w0
    Aw = A @ w
    path, losses = [w], [float(0.5 * w @ Aw - b @ w)]
    g = Aw - b
    for _ in range(n_steps):
        w = w - lr * g
        Aw = A @ w
        path.append(w)
        losses.append(float(0.5 * w @ Aw - b @ w))
        g = Aw - b
    return np.array(path), np.array(losses)


def stack_abuse_vstack_loop(grad, value, w0, lr, n_steps):
    """The history of Stack Abuse's "Gradient Descent in Python: Implementation and Theory":
    ``np.vstack`` every step, which copies the whole history each time (O(T^2))."""
    w = w0
    w_history, f_history = w, value(w)
    for _ in range(n_steps):
        w = w - lr * grad(w)
        w_history = np.vstack((w_history, w))
        f_history = np.vstack((f_history, value(w)))
    return w_history, f_history


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7, help="k in best-of-k (default 7)")
    parser.add_argument("--steps", type=int, default=50, help="steps of the LeastSquares runs (default 50)")
    args = parser.parse_args(argv)
    k = args.repeat
    rows = []

    # 1. Overhead: full-batch minimize against the bare loop, LeastSquares with 20 000 x 100 data.
    rng = np.random.default_rng(0)
    X = rng.normal(size=(20_000, 100))
    y = X @ rng.normal(size=100) + rng.normal(size=20_000)
    objective = gd.LeastSquares(X, y)
    w0, lr, T = np.zeros(100), 0.5, args.steps
    result = gd.minimize(objective, w0, gd.GradientDescent(lr), max_iter=T)
    _, bare_losses = bare_numpy_loop(X, y, w0, lr, T)
    assert np.allclose(result.losses, bare_losses, rtol=1e-12), "the two loops must do the same computation"
    t_bare, t_min = best_of(k, lambda: bare_numpy_loop(X, y, w0, lr, T),
                            lambda: gd.minimize(objective, w0, gd.GradientDescent(lr), max_iter=T))
    rows.append((f"minimize / bare NumPy loop (LeastSquares 20000x100, T={T})",
                 f"{t_min * 1e3:.1f} ms / {t_bare * 1e3:.1f} ms", t_min / t_bare, OVERHEAD_TARGET))

    # 2. Per-step cost on a tiny problem (what grids of runs pay): minimize against the bare loop, per step.
    # The runs are short (about 10 ms), so 3k of them cost little and give the best-of more quiet moments.
    quad = gd.Quadratic(np.diag([1.0, 10.0]))
    start = np.array([1.0, 1.0])
    T_small = 2_000
    result = gd.minimize(quad, start, gd.GradientDescent(0.001), max_iter=T_small)
    bare_path, bare_losses = bare_quadratic_loop(quad.A, quad.b, start, 0.001, T_small)
    assert np.allclose(result.path, bare_path, rtol=1e-12), "the two loops must do the same computation"
    assert np.allclose(result.losses, bare_losses, rtol=1e-12), "the two loops must do the same computation"
    t_bare, t_min = best_of(3 * k, lambda: bare_quadratic_loop(quad.A, quad.b, start, 0.001, T_small),
                            lambda: gd.minimize(quad, start, gd.GradientDescent(0.001), max_iter=T_small))
    rows.append((f"minimize / bare NumPy loop, per step (2-D quadratic, T={T_small})",
                 f"{t_min / T_small * 1e6:.2f} us / {t_bare / T_small * 1e6:.2f} us", t_min / t_bare,
                 STEP_TARGET))

    # 3. Scaling: T = 20 000 steps against T = 2 000 on a 2-D quadratic (history must grow in O(1) per step).
    def run(n):
        return gd.minimize(quad, start, gd.GradientDescent(0.001), max_iter=n)

    assert run(2_000).n_iter == 2_000
    t_small, t_large = best_of(k, lambda: run(2_000), lambda: run(20_000))
    rows.append(("minimize, T=20000 / T=2000 (2-D quadratic)",
                 f"{t_large * 1e3:.0f} ms / {t_small * 1e3:.0f} ms", t_large / t_small, SCALING_TARGET))

    # For comparison, not a target: the Stack Abuse tutorial's np.vstack history on the same problem.
    v_small, v_large = best_of(max(2, k // 2),
                               lambda: stack_abuse_vstack_loop(quad.grad, quad.value, start, 0.001, 2_000),
                               lambda: stack_abuse_vstack_loop(quad.grad, quad.value, start, 0.001, 20_000))
    rows.append(("Stack Abuse np.vstack loop, T=20000 / T=2000 (reference)",
                 f"{v_large * 1e3:.0f} ms / {v_small * 1e3:.0f} ms", v_large / v_small, None))

    width = max(len(r[0]) for r in rows)
    print(f"best of {k} runs (time.perf_counter); {blas_kernel()}\n")
    print(f"{'measurement':<{width}}  {'times':>22}  {'ratio':>6}  {'target':>7}  result")
    for name, times, ratio, target in rows:
        verdict = "-" if target is None else ("PASS" if ratio <= target else "FAIL")
        shown_target = "-" if target is None else f"<= {target:g}"
        print(f"{name:<{width}}  {times:>22}  {ratio:6.2f}  {shown_target:>7}  {verdict}")
    return 0


def blas_kernel():
    """Which BLAS kernel NumPy runs, and the environment variables that choose it (they change timings)."""
    chosen = ", ".join(f"{name}={os.environ[name]}" for name in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")
                       if name in os.environ) or "no OPENBLAS_CORETYPE"
    try:
        from threadpoolctl import threadpool_info  # installed with scikit-learn
    except ImportError:
        return f"BLAS kernel unknown ({chosen})"
    kernels = [f"{pool['internal_api']} {pool.get('architecture', '?')}" for pool in threadpool_info()
               if pool["user_api"] == "blas"]
    return f"BLAS: {', '.join(kernels) or 'unknown'} ({chosen})"


if __name__ == "__main__":
    raise SystemExit(main())
