"""Drive an App's controls across their whole ranges (used by the widget tests and the benchmark),
and one step at a time (what the browser test does)."""
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


def neighbour(control):
    """The value one move away from the control's current one, as the browser test makes it: a
    slider one step up (one step down at its maximum; the ArrowRight / ArrowLeft key), the next
    option of toggle buttons or a dropdown (the first after the last), a check box flipped."""
    options = getattr(control, "options", None)
    if options is not None and not hasattr(control, "min"):
        values = control_values(control)
        return values[(values.index(control.value) + 1) % len(values)]
    if isinstance(control.value, bool):
        return not control.value
    step = getattr(control, "step", 1) or 1
    up = control.value + step
    return up if up <= control.max + 1e-9 else control.value - step


def output_key(result) -> tuple:
    """What a student sees of a Result: the PNG bytes, or the message."""
    return (result.kind, result.png if result.kind == "figure" else result.message)


def move_each_control(app) -> list:
    """Move every control one step from the app's start (:func:`neighbour`) and back, one at a
    time, through the control itself (its observers fire as in the browser). Returns, per control,
    (name, start output, output after the move, output after moving back, whether every control
    is back at its value before the move: False when moving this one changed another, e.g. a
    weight slider that switches a preset menu to "custom")."""
    app.update()
    out = []
    for name, control in app.controls.items():
        before, start = dict(app.values), output_key(app.last)
        control.value = neighbour(control)
        moved = output_key(app.last)
        control.value = before[name]
        out.append((name, start, moved, output_key(app.last), app.values == before))
    return out
