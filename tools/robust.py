#!/usr/bin/env python3
"""Do the notebooks' claims hold on other trajectories? Execute every notebook with papermill for
other seeds and thread counts, without comparing outputs, and report which assert failed where.

    python tools/robust.py                                   # every notebook, the default runs
    python tools/robust.py notebooks/06_training_cnns.ipynb  # one notebook
    python tools/robust.py --grid                            # SEED 0, 1, 2 x 1 and 2 threads
    python tools/robust.py --run 3:1 --run 4:2               # explicit SEED:THREADS pairs

A notebook's `assert`s carry the claims its prose makes. Floating-point results differ between
CPUs, thread counts and BLAS kernels, so a claim that holds on one trajectory only is not a claim.
Other seeds and thread counts stand in for other machines. The default runs are SEED=1 with two
torch threads and SEED=2 with one; together with the committed run (SEED=0, `make execute`) and
nbval's run in `make test` (SEED=0, one thread) every claim is checked for three seeds and both
thread counts.

Each run is a fresh kernel with the network off (as in the tests), the notebook's own folder as the
working directory, and the parameters injected by papermill after the cell tagged `parameters`.
The executed copies go to build/robust/ (for reading the failure), the table to the terminal and
to build/robust/report.md. Exit status 1 if any run failed. It takes about twice `make bench`:
too slow for every CI run, so run it before resolving anything that touches a notebook.
"""
from __future__ import annotations

import argparse
import os
import re
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
from nbrun import offline_env  # tools/ is on sys.path: this script lives there

DEFAULT_RUNS = ((1, 2), (2, 1))  # (SEED, torch threads)
GRID_RUNS = tuple((s, t) for s in (0, 1, 2) for t in (1, 2))


@dataclass
class Outcome:
    notebook: str
    seed: int
    threads: int
    seconds: float
    failure: str | None  # None: every cell ran and every assert held


_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def _first_error(nb) -> str | None:
    """'cell N: Error: message [the failing line]' for the first error output in ``nb``."""
    for i, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []) if cell.cell_type == "code" else []:
            if out.get("output_type") == "error":
                # IPython marks the failing line with an arrow: "----> 12 assert x > y"
                marked = [m.group(1).strip() for line in out.get("traceback", [])
                          for m in [re.search(r"^-+> *\d* (.*)$", _ANSI.sub("", line), re.M)] if m]
                where = f" [{marked[-1][:100]}]" if marked else ""
                return f"cell {i}: {out.get('ename')}: {out.get('evalue')}".rstrip(": ") + where
    return None


def run_one(path: Path, seed: int, threads: int, out_dir: Path, timeout: int) -> Outcome:
    """Execute ``path`` with SEED=seed and ``threads`` torch threads; never raises for the
    notebook's own errors (they are the result)."""
    import nbformat
    import papermill as pm

    out = out_dir / f"{path.stem}.seed{seed}.threads{threads}.ipynb"
    env = offline_env()
    env.update(OMP_NUM_THREADS=str(threads), MKL_NUM_THREADS=str(threads))
    old = dict(os.environ)
    os.environ.clear()
    os.environ.update(env)  # the kernel papermill starts inherits this environment
    t = time.perf_counter()
    failure = None
    try:
        pm.execute_notebook(str(path), str(out), parameters={"SEED": seed}, cwd=str(path.parent),
                            kernel_name="python3", progress_bar=False, log_output=False,
                            execution_timeout=timeout)
    except pm.PapermillExecutionError:
        failure = _first_error(nbformat.read(out, as_version=4)) or "an error (see the copy)"
    except Exception as e:  # the kernel died, a timeout, a missing parameters cell...
        failure = f"{type(e).__name__}: {e}".splitlines()[0][:200]
    finally:
        os.environ.clear()
        os.environ.update(old)
    return Outcome(path.name, seed, threads, time.perf_counter() - t, failure)


def report(outcomes: list[Outcome]) -> str:
    lines = ["| notebook | SEED | threads | time | result |", "|---|---:|---:|---:|---|"]
    for o in outcomes:
        result = "pass" if o.failure is None else f"**FAIL** {o.failure}"
        lines.append(f"| {o.notebook} | {o.seed} | {o.threads} | {o.seconds:.0f} s | {result} |")
    failed = sum(o.failure is not None for o in outcomes)
    lines.append("")
    lines.append(f"{len(outcomes) - failed} passed, {failed} failed")
    return "\n".join(lines)


def _pair(text: str) -> tuple[int, int]:
    try:
        seed, threads = (int(v) for v in text.split(":"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"--run wants SEED:THREADS, e.g. 3:1, got {text!r}")
    if seed < 0 or threads < 1:
        raise argparse.ArgumentTypeError("SEED must be >= 0 and THREADS >= 1")
    return seed, threads


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("notebooks", nargs="*", type=Path,
                    help="notebooks to run (default: notebooks/NN_*.ipynb)")
    ap.add_argument("--run", action="append", type=_pair, metavar="SEED:THREADS",
                    help="a run to make (repeatable); default: 1:2 and 2:1")
    ap.add_argument("--grid", action="store_true", help="SEED 0, 1, 2 each with 1 and 2 threads")
    ap.add_argument("--out", type=Path, default=ROOT / "build" / "robust")
    ap.add_argument("--timeout", type=int, default=600, help="seconds per cell")
    args = ap.parse_args(argv)
    notebooks = args.notebooks or sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    runs = GRID_RUNS if args.grid else tuple(args.run or DEFAULT_RUNS)
    args.out.mkdir(parents=True, exist_ok=True)
    outcomes = []
    for path in notebooks:
        for seed, threads in runs:
            o = run_one(path.resolve(), seed, threads, args.out, args.timeout)
            status = "pass" if o.failure is None else f"FAIL {o.failure}"
            print(f"{o.notebook:34s} SEED={seed} threads={threads} {o.seconds:6.1f} s  {status}",
                  flush=True)
            outcomes.append(o)
    table = report(outcomes)
    (args.out / "report.md").write_text(table + "\n")
    print("\n" + table)
    return 1 if any(o.failure for o in outcomes) else 0


if __name__ == "__main__":
    sys.exit(main())
