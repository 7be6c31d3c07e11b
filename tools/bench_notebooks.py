#!/usr/bin/env python3
"""The course's benchmark: per notebook, wall time and the kernel's peak memory (fresh kernel,
network off, as the tests run them); per widget, the renderer's time per update; and the speed of
the NumPy conv2d against torch's. Prints tables; `--strict` exits 1 when a budget is exceeded.

Budgets (issue #2): each notebook <= 90 s and <= 1.5 GB; the whole course <= 10 min;
each widget update <= 100 ms; vectorised conv2d <= 4x torch's time. These are benchmarks, read by
a person: the test suite makes no timed assertion (a busy machine must not fail CI), so this is
where the conv2d speed target is checked.

    python tools/bench_notebooks.py                 # everything
    python tools/bench_notebooks.py --only widgets  # notebooks | widgets | conv
"""
from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "tools"), str(ROOT / "tests")]

NB_SECONDS, NB_MB, COURSE_SECONDS, WIDGET_MS, CONV_RATIO = 90, 1536, 600, 100, 4.0


def bench_notebooks(paths) -> bool:
    import nbrun

    ok, total = True, 0.0
    print(f"{'notebook':34} {'time (s)':>9} {'peak (MB)':>10}  status")
    for path in paths:
        r = nbrun.run_file(path, save=False, allow_errors=True)
        total += r.seconds
        over = r.seconds > NB_SECONDS or (r.peak_mb or 0) > NB_MB or r.errors
        ok &= not over
        status = "ERRORS" if r.errors else ("OVER BUDGET" if over else "ok")
        peak = f"{r.peak_mb:10.0f}" if r.peak_mb else f"{'?':>10}"
        print(f"{path.name:34} {r.seconds:9.1f} {peak}  {status}", flush=True)
    ok &= total <= COURSE_SECONDS
    print(f"{'whole course':34} {total:9.1f} {'':10}  "
          f"{'ok' if total <= COURSE_SECONDS else 'OVER BUDGET'} (budget {COURSE_SECONDS} s)\n")
    return ok


def bench_widgets() -> bool:
    from course_utils.widgets import demo_apps
    from widget_driver import drive

    ok = True
    print(f"{'widget':30} {'updates':>8} {'median (ms)':>12} {'max (ms)':>9}  status")
    for name, make in sorted(demo_apps().items()):
        app = make()
        app.update()  # warm-up (fonts, caches)
        times = [r.seconds * 1000 for _, r in drive(app, max_combos=60)]
        med, worst = statistics.median(times), max(times)
        ok &= med <= WIDGET_MS
        print(f"{name:30} {len(times):8d} {med:12.1f} {worst:9.1f}  "
              f"{'ok' if med <= WIDGET_MS else 'OVER BUDGET'}", flush=True)
    print()
    return ok


def bench_conv() -> bool:
    try:
        from course_utils.conv import benchmark_conv2d
    except ImportError:
        print("conv2d: course_utils.conv.benchmark_conv2d not available\n")
        return True
    ratio = benchmark_conv2d()
    ratio = ratio["ratio"] if isinstance(ratio, dict) else ratio
    print(f"conv2d (NumPy) / F.conv2d (torch) time on x (8,3,32,32), w (16,3,3,3), padding 1: "
          f"{ratio:.2f}x  {'ok' if ratio <= CONV_RATIO else 'OVER BUDGET'} (budget {CONV_RATIO}x)\n")
    return ratio <= CONV_RATIO


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("notebooks", nargs="*", type=Path)
    ap.add_argument("--only", choices=["notebooks", "widgets", "conv"])
    ap.add_argument("--strict", action="store_true", help="exit 1 if a budget is exceeded")
    args = ap.parse_args(argv)
    import os
    import platform

    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, "
          f"Python {platform.python_version()}\n")
    ok = True
    if args.only in (None, "conv"):
        ok &= bench_conv()
    if args.only in (None, "widgets"):
        ok &= bench_widgets()
    if args.only in (None, "notebooks"):
        paths = args.notebooks or sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
        ok &= bench_notebooks(paths)
    return 0 if (ok or not args.strict) else 1


if __name__ == "__main__":
    sys.exit(main())
