#!/usr/bin/env python3
"""Execute notebooks the way the course's tests do: a fresh kernel, the notebook's own folder as
working directory, the network off, in order; report wall time and the kernel's peak memory.

    python tools/nbrun.py notebooks/02_convolution.ipynb      # execute and save in place
    python tools/nbrun.py --check notebooks/*.ipynb            # execute, don't save
    python tools/nbrun.py --param EPOCHS=3 notebooks/05_lenet5.ipynb

Notebooks are committed executed: run this after changing a notebook or code it uses. Used as a
library by tools/bench_notebooks.py, tools/robust.py, tests/test_student.py (which executes only
the cells the exercises need) and tests/test_browser.py (``offline_env``). The thread count is
inherited: the tests set one thread (conftest.py), ``make execute`` uses torch's default.
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OFFLINE_DIR = ROOT / "tools" / "offline"


def offline_env(env: dict | None = None) -> dict:
    """Environment for a process whose Python has the network switched off (see offline/)."""
    env = dict(os.environ if env is None else env)
    path = env.get("PYTHONPATH", "")
    if str(OFFLINE_DIR) not in path.split(os.pathsep):
        env["PYTHONPATH"] = os.pathsep.join(p for p in (str(OFFLINE_DIR), path) if p)
    env["COURSE_OFFLINE"] = "1"
    env["MPLBACKEND"] = "module://matplotlib_inline.backend_inline"
    return env


@dataclass
class RunResult:
    path: Path
    seconds: float
    peak_mb: float | None
    errors: list  # (cell index, ename, evalue)


def inject_parameters(nb, params: dict) -> None:
    """Add a cell after the one tagged ``parameters`` that sets ``params`` (as papermill does)."""
    import nbformat

    if not params:
        return
    src = "\n".join(f"{k} = {v}" for k, v in params.items())
    idx = next((i for i, c in enumerate(nb.cells)
                if "parameters" in c.get("metadata", {}).get("tags", [])), None)
    if idx is None:
        raise ValueError("the notebook has no cell tagged 'parameters'")
    nb.cells.insert(idx + 1, nbformat.v4.new_code_cell(
        src, metadata={"tags": ["injected-parameters"], "slideshow": {"slide_type": "skip"}}))


def _peak_mb(km) -> float | None:
    pid = getattr(getattr(km, "provisioner", None), "pid", None)
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except (OSError, TypeError, ValueError):
        pass
    try:  # not Linux: the current RSS, a lower bound
        import psutil

        return psutil.Process(pid).memory_info().rss / 2**20
    except Exception:
        return None


def execute(nb, path: Path, allow_errors: bool = False, timeout: int = 600) -> RunResult:
    """Execute ``nb`` (a NotebookNode, changed in place) as if it lived at ``path``."""
    from nbclient import NotebookClient

    old = dict(os.environ)
    os.environ.clear()
    os.environ.update(offline_env(old))
    try:
        client = NotebookClient(nb, timeout=timeout, kernel_name="python3",
                                allow_errors=allow_errors, record_timing=False,
                                resources={"metadata": {"path": str(Path(path).parent)}})
        t = time.perf_counter()
        peak = None
        with client.setup_kernel():
            for index, cell in enumerate(nb.cells):
                client.execute_cell(cell, index)
            peak = _peak_mb(client.km)
            client.set_widgets_metadata()
        seconds = time.perf_counter() - t
    finally:
        os.environ.clear()
        os.environ.update(old)
    errors = [(i, o.get("ename"), o.get("evalue")) for i, c in enumerate(nb.cells)
              if c.cell_type == "code" for o in c.get("outputs", []) if o.output_type == "error"]
    return RunResult(Path(path), seconds, peak, errors)


def run_file(path: Path, save: bool = True, params: dict | None = None, **kw) -> RunResult:
    import nbformat

    nb = nbformat.read(path, as_version=4)
    inject_parameters(nb, params or {})
    result = execute(nb, path, **kw)
    if save and not params:
        nbformat.write(nb, path)
    return result


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("notebooks", nargs="+", type=Path)
    ap.add_argument("--check", action="store_true", help="execute only; do not save")
    ap.add_argument("--param", action="append", default=[], metavar="NAME=VALUE",
                    help="override a parameter (the notebook is then not saved)")
    args = ap.parse_args(argv)
    params = dict(p.split("=", 1) for p in args.param)
    failed = 0
    for path in args.notebooks:
        r = run_file(path, save=not args.check, params=params, allow_errors=True)
        status = "FAIL" if r.errors else "ok  "
        peak = f"{r.peak_mb:7.0f} MB" if r.peak_mb else "      ? MB"
        print(f"{status} {path}  {r.seconds:6.1f} s {peak}", flush=True)
        for i, ename, evalue in r.errors:
            print(f"     cell {i}: {ename}: {evalue}")
        failed += bool(r.errors)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
