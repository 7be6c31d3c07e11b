"""Drive an App's controls across their whole ranges (used by the widget tests and the benchmark)."""
from __future__ import annotations

import itertools
import random


def control_values(control, max_values: int = 12) -> list:
    """Every value of a control, or (for long ranges) both ends plus evenly spaced ones."""
    options = getattr(control, "options", None)
    if options is not None and not hasattr(control, "min"):
        labels = getattr(control, "_options_values", None) or [o[1] if isinstance(o, tuple) else o
                                                               for o in options]
        return list(labels)
    if isinstance(control.value, bool):
        return [False, True]
    lo, hi, step = control.min, control.max, getattr(control, "step", 1) or 1
    n = int(round((hi - lo) / step)) + 1
    if n <= max_values:
        return [lo + i * step for i in range(n)]
    picks = {round(i * (n - 1) / (max_values - 1)) for i in range(max_values)}
    vals = [lo + i * step for i in sorted(picks)]
    return [type(control.value)(v) if isinstance(control.value, int) else float(v) for v in vals]


def drive(app, max_combos: int = 250, seed: int = 0) -> list:
    """Set the controls to many combinations (all of them when there are at most ``max_combos``,
    else every single-control sweep plus a random sample of combinations). Returns the Results."""
    names = list(app.controls)
    grids = [control_values(app.controls[n]) for n in names]
    total = 1
    for g in grids:
        total *= len(g)
    if total <= max_combos:
        combos = list(itertools.product(*grids))
    else:
        start = tuple(app.controls[n].value for n in names)
        combos = [start[:i] + (v,) + start[i + 1:] for i, g in enumerate(grids) for v in g]
        rnd = random.Random(seed)
        combos += [tuple(rnd.choice(g) for g in grids) for _ in range(max_combos - len(combos))]
        combos += [tuple(g[0] for g in grids), tuple(g[-1] for g in grids)]
    results = []
    for combo in combos:
        values = dict(zip(names, combo))
        results.append((values, app.set(**values)))
    return results
