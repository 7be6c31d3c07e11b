"""Figures of translation with attention (notebook 14): the attention weights as a heat map, and
learning curves of held-out exact match."""
from __future__ import annotations

from typing import Mapping, Sequence

import numpy as np

from .._validate import as_numbers
from ._colours import BLACK, categorical

__all__ = ["render_attention", "render_match_curves"]


def _words(tokens, name: str) -> list[str]:
    if isinstance(tokens, str):
        tokens = tokens.split()
    if not isinstance(tokens, (list, tuple)) or not all(isinstance(t, str) for t in tokens):
        raise ValueError(f"{name} must be a list of words (strings), got {tokens!r:.60}")
    return list(tokens)


def render_attention(fig, source, output, weights, title: str = "", reference=None) -> None:
    """The attention weights of a translation as a heat map, each weight printed in its cell.

    Shapes: ``source`` S words, ``output`` L words, ``weights`` (L or L + 1, S): row t holds the
    weights a_tj (in [0, 1], summing to 1 over j) the decoder gave the source words when it
    emitted output word t; an extra last row is the step that emitted ``<eos>``. Rows are
    output words (top to bottom), columns source words (left to right), so a translation
    that keeps the word order is a diagonal, and a reordering is a step off it. ``reference``
    (optional, L' words) is printed under the map, with whether the output matches it.
    """
    src, out = _words(source, "source"), _words(output, "output")
    if not src:
        raise ValueError("source is empty: nothing was translated")
    w = as_numbers(weights, "weights").astype(float)
    rows = len(out) + (1 if w.ndim == 2 and len(w) == len(out) + 1 else 0)
    if w.ndim != 2 or w.shape != (rows, len(src)):
        raise ValueError(f"weights must have one row per output word (and maybe <eos>) and one "
                         f"column per source word, ({len(out)} or {len(out) + 1}, {len(src)}), "
                         f"got shape {w.shape}")
    if w.size and (not np.isfinite(w).all() or w.min() < -1e-6 or w.max() > 1 + 1e-6):
        raise ValueError("weights must be attention weights in [0, 1]")
    labels = out + ["<eos>"] * (rows - len(out))
    ax = fig.add_subplot(1, 1, 1)
    ax.imshow(w, cmap="Blues", vmin=0.0, vmax=1.0, aspect="auto")  # sequential: weights >= 0
    for t in range(rows):
        for j in range(len(src)):
            if w[t, j] >= 0.005:
                ax.text(j, t, f"{w[t, j]:.2f}", ha="center", va="center", fontsize=9,
                        color="white" if w[t, j] > 0.55 else BLACK)
    ax.set_xticks(range(len(src)), src, rotation=30, ha="right")
    ax.set_yticks(range(rows), labels)
    ax.set_xlabel("source (English), attended to")
    ax.set_ylabel("output (German), emitted")
    if reference is not None:
        ref = _words(reference, "reference")
        verdict = "matches the reference" if ref == out else f"reference: {' '.join(ref)}"
        ax.set_title(f"{title}\n{verdict}" if title else verdict, fontsize=10)
    elif title:
        ax.set_title(title, fontsize=10)
    fig.subplots_adjust(left=0.2, bottom=0.25, top=0.85)


def render_match_curves(fig, curves: Mapping[str, Sequence], title: str = "") -> None:
    """Held-out exact match against training steps, one line per run, one colour per method.

    ``curves``: {method: [run, ...]} with each run a list of (steps, exact match in [0, 1])
    pairs; the mean over a method's runs is drawn thick, each run thin; the last mean is
    printed at the end of its line.
    """
    if not isinstance(curves, Mapping) or not curves:
        raise ValueError("curves must be a non-empty dict {method: [run, ...]}")
    ax = fig.add_subplot(1, 1, 1)
    styles = ("-", "--", ":", "-.")
    for i, (method, runs) in enumerate(curves.items()):
        arrays = [as_numbers(r, f"curves[{method!r}] runs").astype(float) for r in runs]
        if not arrays or any(a.ndim != 2 or a.shape[1] != 2 or not len(a) for a in arrays):
            raise ValueError(f"curves[{method!r}] must be a list of runs, each (steps, exact "
                             "match) pairs")
        if any(a.shape != arrays[0].shape or (a[:, 0] != arrays[0][:, 0]).any() for a in arrays):
            raise ValueError(f"the runs of curves[{method!r}] must share their steps")
        colour, style = categorical(i), styles[i % len(styles)]
        for a in arrays:
            ax.plot(a[:, 0], a[:, 1], color=colour, lw=0.8, alpha=0.5, ls=style)
        mean = np.mean([a[:, 1] for a in arrays], axis=0)
        ax.plot(arrays[0][:, 0], mean, color=colour, lw=2.5, ls=style,
                label=f"{method} (mean of {len(arrays)})")
        ax.annotate(f"{mean[-1]:.2f}", (arrays[0][-1, 0], mean[-1]), xytext=(4, 0),
                    textcoords="offset points", va="center", color=colour)
    ax.set_ylim(-0.03, 1.03)
    ax.set_xlabel("training steps")
    ax.set_ylabel("held-out exact match")
    ax.legend(loc="upper left", fontsize=9)
    if title:
        ax.set_title(title, fontsize=10)
