"""Figures of the character language model (notebook 13): the next-character distribution at a
temperature, with the text sampled from it; and a line coloured by the model's surprise."""
from __future__ import annotations

from typing import Sequence

import numpy as np

from .._validate import as_float, as_int, as_numbers, check_cells
from ._colours import BLUE, ORANGE
from ._tables import bare_axes

__all__ = ["render_sampling", "render_surprisal", "show_char"]

_SHOWN = {"\n": "\\n", " ": "␣", "\t": "\\t"}


def show_char(c: str) -> str:
    """A character as a label: a newline as ``\\n``, a space as ``␣``, others as themselves."""
    return _SHOWN.get(c, c)


def _wrap(text: str, width: int, lines: int) -> str:
    out = []
    for raw in text.split("\n"):
        while len(raw) > width:
            out.append(raw[:width])
            raw = raw[width:]
        out.append(raw)
    return "\n".join(out[:lines]) + ("\n…" if len(out) > lines else "")


def render_sampling(fig, probs, chars: Sequence[str], sample: str, base=None, prompt: str = "",
                    skipped: Sequence[str] = (), temperature: float = 1.0, top_k: int = 0,
                    top: int = 16, title: str = "") -> None:
    """The next character's distribution after the prompt, and a sample drawn at that setting.

    Shapes: probs (V,) the distribution sampled from (``next_char_probs`` at this temperature and
    top-k), base (V,) the model's own distribution (temperature 1, all characters) or None,
    chars (V,) the vocabulary. Left: the ``top`` most likely characters under ``base`` (or
    ``probs``), as bars of ``probs`` with ``base`` outlined, each bar's probability written beside
    it, and the entropy H = -sum p log2 p in the title. Right: the prompt (in brackets) and the
    sampled continuation, in a fixed-width font.
    """
    p = as_numbers(probs, "probs").astype(float)
    V = len(chars)
    if p.shape != (V,):
        raise ValueError(f"probs must have one probability per character, shape ({V},), got "
                         f"{p.shape}")
    q = None if base is None else as_numbers(base, "base").astype(float)
    if q is not None and q.shape != (V,):
        raise ValueError(f"base must have shape ({V},) like probs, got {q.shape}")
    if not isinstance(sample, str) or not isinstance(prompt, str):
        raise ValueError("sample and prompt must be strings")
    temperature = as_float(temperature, "temperature", 0.0)
    top_k = as_int(top_k, "top_k", 0)
    top = as_int(top, "top", 1, 60)
    check_cells(2 * top, "the bars' labels")
    order = np.argsort(-(q if q is not None else p), kind="stable")[:top]
    ax = fig.add_axes((0.08, 0.1, 0.25, 0.78))
    y = np.arange(len(order))[::-1]
    ax.barh(y, p[order], color=BLUE, height=0.7, label="sampled from")
    if q is not None:
        ax.barh(y, q[order], fill=False, edgecolor=ORANGE, linewidth=1.4, height=0.7,
                linestyle="--", label="model (T = 1)")
    ax.set_yticks(y, [show_char(chars[i]) for i in order], fontfamily="monospace")
    ax.set_xlim(0, 1.3 * max(float(p[order].max()), float(q[order].max()) if q is not None
                             else 0.0, 0.05))
    for yi, i in zip(y, order):
        ax.text(p[i], yi, f" {p[i]:.2f}", va="center", fontsize=7)
    ax.set_xlabel("probability of the next character")
    nz = p[p > 0]
    entropy = float(-(nz * np.log2(nz)).sum())
    setting = "argmax (T = 0)" if temperature == 0 else (
        f"T = {temperature:g}" + (f", top-{top_k}" if top_k else ""))
    ax.set_title(f"{setting}\nH = {entropy:.2f} bits", fontsize=9)
    ax.legend(loc="lower right", fontsize=7, frameon=False)
    tx = fig.add_axes((0.38, 0.04, 0.6, 0.86))
    bare_axes(tx)
    head = (f"prompt {prompt!r}" if prompt else "empty prompt: the model starts after a newline")
    if skipped:
        head += f"\nskipped (not in the vocabulary): {' '.join(map(repr, skipped))}"
    tx.text(0, 1, head + "\n" + "─" * 62 + "\n" + _wrap(prompt + sample, 62, 16), va="top",
            ha="left", fontsize=8.5, fontfamily="monospace", parse_math=False,
            transform=tx.transAxes)
    if title:
        fig.suptitle(title, fontsize=10)


def render_surprisal(fig, lines: Sequence[str], nats: Sequence, labels: Sequence[str] = (),
                     title: str = "") -> None:
    """Lines of text, each character shaded by the model's surprise at it, -log2 p (bits).

    ``nats[i]`` holds one value per character of ``lines[i]`` (-log p in nats, shown in bits);
    darker means more surprising, on one scale for all lines (0 to the largest). Each line's
    label says its mean in bits per character.
    """
    if isinstance(lines, str) or not lines:
        raise ValueError("lines must be a non-empty list of strings")
    if len(nats) != len(lines):
        raise ValueError(f"nats must hold one array per line ({len(lines)}), got {len(nats)}")
    bits = []
    for i, (line, v) in enumerate(zip(lines, nats)):
        a = as_numbers(v, f"nats[{i}]").astype(float) / np.log(2)
        if not isinstance(line, str) or a.shape != (len(line),):
            raise ValueError(f"nats[{i}] must have one value per character of lines[{i}] "
                             f"({len(line)}), got shape {a.shape}")
        bits.append(a)
    width = max(len(s) for s in lines)
    check_cells(width * len(lines), "the characters")
    labels = list(labels) or [""] * len(lines)
    if len(labels) != len(lines):
        raise ValueError(f"labels must name each of the {len(lines)} lines")
    from matplotlib import colormaps
    from matplotlib.cm import ScalarMappable
    from matplotlib.patches import Rectangle

    cmap = colormaps["Purples"]
    vmax = max(float(max(b.max(initial=0.0) for b in bits)), 1e-9)
    ax = fig.add_axes((0.02, 0.3, 0.96, 0.6))
    bare_axes(ax)
    ax.set_xlim(0, width)
    ax.set_ylim(-2 * len(lines) + 0.5, 1.2)
    for r, (line, b, lab) in enumerate(zip(lines, bits, labels)):
        yy = -2 * r
        ax.text(0, yy + 0.75, f"{lab}  mean {b.mean():.2f} bits/char" if len(b) else lab,
                fontsize=8, va="bottom")
        for j, (c, v) in enumerate(zip(line, b)):
            ax.add_patch(Rectangle((j, yy - 0.45), 1, 0.9, color=cmap(0.1 + 0.85 * v / vmax),
                                   linewidth=0))
            ax.text(j + 0.5, yy, c, ha="center", va="center", fontsize=7, fontfamily="monospace",
                    color="white" if v / vmax > 0.55 else "black", parse_math=False)
    if title:
        ax.set_title(title, fontsize=9)
    sm = ScalarMappable(cmap=cmap)
    sm.set_clim(0, vmax)
    cax = fig.add_axes((0.3, 0.2, 0.4, 0.035))
    bar = fig.colorbar(sm, cax=cax, orientation="horizontal")
    bar.ax.tick_params(labelsize=7)
    bar.set_label("surprise, bits (−log2 p)", fontsize=8)
