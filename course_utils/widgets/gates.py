"""Explorers of gated recurrent cells (notebook 12): step through a sequence and watch one LSTM
unit's gates and cell state."""
from __future__ import annotations

from typing import Mapping

import numpy as np

from .._validate import as_numbers
from .app import App, app, choice, slider, toggle

__all__ = ["gate_explorer", "gate_explorer_demo"]


def gate_explorer(text: str, gates: Mapping[str, object], cell, target=None,
                   correlations=None, target_name: str = "target") -> App:
    """Step through one sequence and watch a chosen unit: its forget, input and output gates
    (and, on demand, the candidate g) and its cell state C, beside the target (notebook 12).

    Shapes: text: T characters; gates: {"i", "f", "g", "o"} -> (T, H) each (one sequence of
    :func:`~course_utils.rnn.lstm_forward`'s gates); cell (T, H); target (T,) or None;
    correlations (H,) or None: each unit's correlation with the target
    (:func:`~course_utils.sequences.gates.unit_correlations`); the units are then offered
    strongest first, each labelled with its r.
    """
    from ..viz.gates import render_gate_trace

    if not isinstance(text, str) or not text:
        raise ValueError(f"text must be a non-empty string (one character per step), got {text!r}")
    T = len(text)
    c = as_numbers(cell, "cell").astype(float)
    if c.ndim != 2 or c.shape[0] != T:
        raise ValueError(f"cell must be (T, H) with T = len(text) = {T}, got shape {c.shape}")
    H = c.shape[1]
    if not isinstance(gates, Mapping) or set(gates) != {"i", "f", "g", "o"}:
        raise ValueError("gates must be a dict with exactly the keys 'i', 'f', 'g', 'o' (the "
                         "LSTM's gates), each (T, H)")
    g = {}
    for k, v in gates.items():
        g[k] = as_numbers(v, f"gates[{k!r}]").astype(float)
        if g[k].shape != (T, H):
            raise ValueError(f"gates[{k!r}] must be (T, H) = {(T, H)} like cell, got {g[k].shape}")
    if correlations is None:
        order, labels = list(range(H)), [f"unit {u}" for u in range(H)]
    else:
        r = as_numbers(correlations, "correlations").astype(float)
        if r.shape != (H,) or not np.isfinite(r).all():
            raise ValueError(f"correlations must be (H,) = ({H},) finite numbers, one per unit, "
                             f"got shape {r.shape}")
        order = [int(u) for u in np.argsort(-np.abs(r), kind="stable")]
        labels = [f"unit {u} (r = {r[u]:+.2f})" for u in order]
    unit_of = dict(zip(labels, order))

    def render(fig, unit: str, step: int, candidate: bool) -> None:
        u = unit_of[unit]
        shown = {k: g[k][:, u] for k in ("f", "i", "o")} | ({"g": g["g"][:, u]} if candidate else {})
        render_gate_trace(fig, text, shown, c[:, u], step, target, target_name,
                          title=f"{unit}: cell state and {target_name} (top), gates (bottom)")

    return app(render, figsize=(8.5, 4.2),
               unit=choice("unit", labels, labels[0], buttons=False),
               step=slider("step", 0, T - 1, min(T - 1, T // 2)),
               candidate=toggle("show the candidate g", False))


def gate_explorer_demo() -> App:
    """The inspector on a random (untrained) LSTM reading a generated bracket text: for tests."""
    from ..layers.lstm import lstm_forward
    from ..sequences.gates import (
        BRACKET_ALPHABET,
        bracket_sequences,
        bracket_text,
        unit_correlations,
    )

    tokens, depth = bracket_sequences(1, 40, seed=0)
    x = np.eye(len(BRACKET_ALPHABET))[tokens]                       # (1, 40, 4) one-hot
    rng = np.random.default_rng(0)
    H = 4
    out = lstm_forward(x, None, None, rng.standard_normal((4 * H, 4)),
                       rng.standard_normal((4 * H, H)), rng.standard_normal(4 * H), None)[0]
    gates = {k: v[0] for k, v in out.gates._asdict().items()}
    return gate_explorer(bracket_text(tokens[0]), gates, out.c[0], depth[0],
                          unit_correlations(out.c, depth), target_name="depth")
