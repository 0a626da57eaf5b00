"""Re-execute the book's notebooks in place, without timing metadata.

Usage (from the repository root; `make notebooks` runs it with the project's .venv):

    python scripts/execute_notebooks.py                          # every book/*.ipynb
    python scripts/execute_notebooks.py book/03_linear_regression.ipynb   # one (or several)

Each notebook runs top to bottom in a fresh `python3` kernel whose working directory is the notebook's
folder, as nbval and JupyterLab run it. Cell execution timestamps (`metadata.execution`), which
`jupyter nbconvert --execute` and `jupyter execute --inplace` write and which would churn every git diff,
are removed before the notebook is written back. A cell that raises stops the run with the error.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
BOOK = ROOT / "book"
TIMEOUT = 600  # seconds per cell


def execute(path: Path) -> float:
    """Execute the notebook at `path` in place; return the wall time in seconds."""
    nb = nbformat.read(path, as_version=4)
    start = time.perf_counter()
    client = NotebookClient(
        nb,
        timeout=TIMEOUT,
        kernel_name="python3",
        coalesce_streams=True,  # one stdout output per cell, however the kernel flushed it: stable diffs
        resources={"metadata": {"path": str(path.parent)}},
    )
    client.execute()
    elapsed = time.perf_counter() - start
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
    nbformat.validate(nb)
    nbformat.write(nb, path)
    return elapsed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path,
                        help="notebooks to execute (default: every book/*.ipynb)")
    args = parser.parse_args(argv)
    paths = args.notebooks or sorted(BOOK.glob("*.ipynb"))
    if not paths:
        print(f"execute_notebooks: no notebooks found in {BOOK}", file=sys.stderr)
        return 1
    for path in paths:
        if path.suffix != ".ipynb" or not path.is_file():
            print(f"execute_notebooks: `notebooks` must be existing .ipynb files; got {path}.", file=sys.stderr)
            return 2
    for path in paths:
        print(f"executing {path} ...", end=" ", flush=True)
        print(f"{execute(path.resolve()):.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
