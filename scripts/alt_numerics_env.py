"""Print the environment of a second numerical set-up, for checking that stored outputs are portable.

Usage (from the repository root; `make portable` runs it):

    env $(python scripts/alt_numerics_env.py) pytest --nbval ... book

A learner's laptop computes with another BLAS kernel, another number of threads and other SIMD
instructions than ours, and each of these may change the last bits of a result. Strict nbval compares
printed text, so a cell that prints noise digits passes on one machine and fails on the next. Running the
book a second time under a deliberately different set-up finds such cells on any machine:

* OpenBLAS forced to its oldest kernel of this architecture (Prescott: SSE3 on x86-64; ARMV8 on 64-bit
  ARM), which takes different code paths, with one thread (other blockings and summation orders);
* NumPy's run-time SIMD dispatch switched off for every optional feature this CPU has
  (``NPY_DISABLE_CPU_FEATURES``), so its loops run the baseline code instead.

Only features the CPU really has are named, because NumPy warns about the others (and a warning would
change every notebook's output). An older kernel is the safe direction: it runs on any CPU of the family.
``OPENBLAS_L2_SIZE``, when the machine sets it, is left as it is.
"""

from __future__ import annotations

import platform

from numpy._core import _multiarray_umath as umath

CORETYPE = {"x86_64": "Prescott", "amd64": "Prescott", "aarch64": "ARMV8", "arm64": "ARMV8"}


def alternative_environment() -> dict[str, str]:
    """The variables of the second set-up for this machine, as a name -> value mapping."""
    env = {"OPENBLAS_NUM_THREADS": "1"}
    coretype = CORETYPE.get(platform.machine().lower())
    if coretype:
        env["OPENBLAS_CORETYPE"] = coretype
    found = [name for name in umath.__cpu_dispatch__ if umath.__cpu_features__.get(name)]
    if found:
        env["NPY_DISABLE_CPU_FEATURES"] = ",".join(found)
    return env


if __name__ == "__main__":
    print(" ".join(f"{name}={value}" for name, value in alternative_environment().items()))
