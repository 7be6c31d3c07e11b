"""Figures of LSTM and GRU gates (notebook 12): one unit's gates and cell state, step by step."""
from __future__ import annotations

from typing import Mapping

import numpy as np
from matplotlib.transforms import blended_transform_factory

from .._validate import as_int, as_numbers
from ._colours import BLACK, BLUE, BLUISH_GREEN, ORANGE, REDDISH_PURPLE

__all__ = ["GATE_COLOURS", "render_gate_trace"]

GATE_COLOURS = {"f": BLUE, "i": ORANGE, "o": REDDISH_PURPLE, "g": BLUISH_GREEN, "c": BLACK,
                "target": "#999999"}
"""Okabe-Ito colours of the gates (forget blue, input orange, output purple, candidate bluish
green), the cell state (black) and the target (grey): no red/green pair carries meaning."""

GATE_NAMES = {"f": "forget f", "i": "input i", "o": "output o", "g": "candidate g"}


def _series(values, name: str, T: int | None) -> np.ndarray:
    a = as_numbers(values, name).astype(float)
    if a.ndim != 1 or (T is not None and len(a) != T):
        want = f"({T},)" if T is not None else "(T,)"
        raise ValueError(f"{name} must be one value per step, shape {want}, got {a.shape}")
    if not np.isfinite(a).all():
        raise ValueError(f"{name} must be finite (no NaN or inf)")
    return a


def render_gate_trace(fig, text: str, gates: Mapping[str, object], cell, step: int = 0,
                      target=None, target_name: str = "target", title: str = "") -> None:
    """One unit of an LSTM read along a sequence: its cell state C_t (top, with the target on a
    second axis) and its gates f, i, o (bottom, in [0, 1]), each character under its step, the
    chosen ``step`` marked and its values written out.

    Shapes: text: T characters; gates: {"f", "i", "o" (and optionally "g")} -> (T,) each;
            cell (T,); target (T,) or None; step in 0 .. T-1
    """
    if not isinstance(text, str) or not text:
        raise ValueError(f"text must be a non-empty string (one character per step), got {text!r}")
    T = len(text)
    c = _series(cell, "cell", T)
    if not isinstance(gates, Mapping) or not {"f", "i", "o"} <= set(gates):
        raise ValueError("gates must be a dict with the keys 'f', 'i' and 'o' (and optionally 'g')")
    unknown = set(gates) - set(GATE_NAMES)
    if unknown:
        raise ValueError(f"gates has unknown keys {sorted(unknown)}; use {sorted(GATE_NAMES)}")
    g = {k: _series(v, f"gates[{k!r}]", T) for k, v in gates.items()}
    y = None if target is None else _series(target, "target", T)
    step = as_int(step, "step", 0, T - 1)
    steps = np.arange(T)

    fig.subplots_adjust(left=0.08, right=0.92, bottom=0.16, top=0.9, hspace=0.25)
    top = fig.add_subplot(2, 1, 1)
    top.plot(steps, c, color=GATE_COLOURS["c"], lw=1.5, label="cell state C (left axis)")
    top.axhline(0, color="0.8", lw=0.8)
    top.set_ylabel("C")
    if y is not None:
        twin = top.twinx()
        twin.step(steps, y, where="mid", color=GATE_COLOURS["target"], lw=1.2, ls="--")
        twin.set_ylabel(f"{target_name} (dashed)", color="0.4")
    top.set_xlim(-0.5, T - 0.5)
    top.set_xticks([])
    top.axvline(step, color="0.5", lw=6, alpha=0.25)
    top.legend(loc="upper left", fontsize=7, framealpha=0.8)
    if title:
        top.set_title(title, fontsize=10)

    bottom = fig.add_subplot(2, 1, 2)
    for k in ("f", "i", "o", "g"):
        if k in g:
            bottom.plot(steps, g[k], color=GATE_COLOURS[k], lw=1.2, label=GATE_NAMES[k],
                        ls="-" if k != "g" else ":")
    bottom.set_ylim(-1.05 if "g" in g else -0.05, 1.05)
    bottom.set_xlim(-0.5, T - 0.5)
    bottom.axvline(step, color="0.5", lw=6, alpha=0.25)
    bottom.set_xticks([])           # the characters as plain text: far cheaper than T tick labels
    under = blended_transform_factory(bottom.transData, bottom.transAxes)
    size = 7 if T <= 60 else 5
    for t, ch in enumerate(text):
        bottom.text(t, -0.03, ch, transform=under, ha="center", va="top", fontsize=size,
                    family="monospace", fontweight="bold" if t == step else "normal")
    bottom.legend(loc="lower left", fontsize=7, ncol=4, framealpha=0.8)
    values = "   ".join(f"{k} = {g[k][step]:.2f}" for k in ("f", "i", "g", "o") if k in g)
    extra = f"   {target_name} = {y[step]:g}" if y is not None else ""
    fig.text(0.5, 0.015, f"step {step}, character {text[step]!r}:   {values}   C = {c[step]:+.2f}"
             + extra, ha="center", fontsize=8, family="monospace")
