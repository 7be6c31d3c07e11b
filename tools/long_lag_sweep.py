#!/usr/bin/env python3
"""The long version of notebook 11's experiment: the adding problem (Hochreiter & Schmidhuber
1997) for a tanh RNN, an LSTM and a GRU at several lengths T and seeds, with the training set-up
of the calibration (hidden 64, batch 64, Adam 3e-3, gradient clipping at 1.0). Too slow for a
notebook's 90 s (about three quarters of an hour on one CPU core), so it runs here and writes its results to
course_utils/sequences/long_lag_runs.py, which the notebook reads (`recorded_long_lag()`).

    python tools/long_lag_sweep.py                      # the recorded sweep (about 45 min)
    python tools/long_lag_sweep.py --Ts 10 20 --seeds 0 --steps 300 --out /tmp/runs.py   # a quick try

Runs go one after the other on one thread (OMP_NUM_THREADS=1, torch.set_num_threads(1)); the
file is rewritten after each run, so an interrupted sweep keeps what it finished.
"""
from __future__ import annotations

import argparse
import datetime
import os
import platform
import pprint
import sys
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

HEADER = '''"""Recorded runs of tools/long_lag_sweep.py (generated: do not edit by hand; re-run the tool).

The adding problem for each cell, length T and seed, trained with SETTINGS; each run is
(cell, T, seed, held-out MSE, seconds). Read them with
:func:`course_utils.sequences.recorded_long_lag`.
"""
'''


def write(path: Path, settings: dict, runs: list) -> None:
    lines = [HEADER, "SETTINGS = " + pprint.pformat(settings, width=90), "", "RUNS = ["]
    lines += [f"    ({c!r}, {T}, {s}, {m!r}, {sec:.1f})," for c, T, s, m, sec in runs]
    lines += ["]", ""]
    path.write_text("\n".join(lines), encoding="utf-8")


def main() -> int:
    import torch

    from course_utils.sequences import train_long_lag

    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--cells", nargs="+", default=["rnn", "lstm", "gru"])
    p.add_argument("--Ts", nargs="+", type=int, default=[50, 100, 20])
    p.add_argument("--seeds", nargs="+", type=int, default=[0, 1])
    p.add_argument("--steps", type=int, default=2000)
    p.add_argument("--hidden", type=int, default=64)
    p.add_argument("--out", type=Path, default=ROOT / "course_utils/sequences/long_lag_runs.py")
    args = p.parse_args()
    torch.set_num_threads(1)
    settings = dict(steps=args.steps, hidden_size=args.hidden, batch_size=64, lr=3e-3, clip=1.0,
                    optimizer="adam", n_test=1000, torch=torch.__version__,
                    machine=f"{platform.machine()}, {os.cpu_count()} CPUs, one thread",
                    date=datetime.date.today().isoformat())
    runs: list = []
    for T in args.Ts:
        for cell in args.cells:
            for seed in args.seeds:
                r = train_long_lag(cell, T, seed, steps=args.steps, hidden_size=args.hidden,
                                   batch_size=64, lr=3e-3, clip=1.0, n_test=1000)
                runs.append((cell, T, seed, round(r.test_mse, 6), r.seconds))
                print(f"{cell:>4} T={T:>3} seed={seed}: MSE {r.test_mse:.4f} ({r.seconds:.0f} s)",
                      flush=True)
                write(args.out, settings, runs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
