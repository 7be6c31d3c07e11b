"""Figures of recurrent networks (notebook 10): the network unrolled over a sequence, drawn from
the states it actually computed, and a text coloured by one hidden unit's state."""
from __future__ import annotations

import numpy as np

from .._validate import as_int, as_numbers, check_cells
from ._colours import BLUE, ORANGE
from ._tables import bare_axes, format_number

__all__ = ["render_unrolled", "render_text_states"]

MAX_STEPS = 24
"""The most time steps :func:`render_unrolled` draws side by side."""

MAX_UNITS = 16
"""The most hidden units (and input values) drawn per column."""

_CMAP = "RdBu_r"   # diverging, centred at 0: blue negative, red positive (colour-blind safe)


def _finite(name: str, a: np.ndarray) -> np.ndarray:
    if not np.isfinite(a).all():
        raise ValueError(f"{name} must be finite (no NaN or inf)")
    return a.astype(np.float64)


def render_unrolled(fig, x, hs, step: int, labels=None, terms=None, numbers: bool = True) -> None:
    """The recurrent layer unrolled over one sequence, computed up to ``step``.

    Top panel: for each time t, the input x_t (a column of D cells) and the hidden state h_t (H
    cells), coloured on a diverging scale centred at 0 (blue < 0 < red, tanh's range [-1, 1]),
    with their values written in at step ``step`` (``numbers``, when D and H are at most 8);
    the arrows are the two weight matrices, the same at every step: W_in from x_t up to h_t,
    W_rec from h_{t-1} across to h_t. Steps after ``step`` are not computed yet (empty). Bottom
    panel (with ``terms``): step ``step`` in numbers, unit by unit: the input's contribution
    W_in x_t + b_ih, the recurrent one W_rec h_{t-1} + b_hh, and h_t = tanh(their sum).

    Shapes: x (T, D), hs (T, H) (one sequence; at most 16 of D and H are drawn), labels: T
            strings (the tokens), terms: (input part (T, H), recurrent part (T, H)) or None
    """
    from matplotlib import colormaps
    from matplotlib.collections import PatchCollection
    from matplotlib.patches import Rectangle

    x = _finite("x", as_numbers(x, "x"))
    hs = _finite("hs", as_numbers(hs, "hs"))
    if x.ndim != 2 or hs.ndim != 2 or len(x) != len(hs) or not len(x):
        raise ValueError(f"x must be (T, D) and hs (T, H) for the same T >= 1, got shapes "
                         f"{x.shape} and {hs.shape}")
    T, H = hs.shape
    if T > MAX_STEPS:
        raise ValueError(f"hs has {T} steps, more than the {MAX_STEPS} drawn side by side: pass "
                         "a shorter sequence")
    step = as_int(step, "step", 0, T - 1)
    if labels is None:
        labels = [f"x{t}" for t in range(T)]
    if isinstance(labels, str) or len(labels) != T:
        raise ValueError(f"labels must be a list of {T} strings, one per step, got {labels!r}")
    if terms is not None:
        if len(terms) != 2:
            raise ValueError("terms must be (input part, recurrent part), two (T, H) arrays")
        terms = [_finite(n, as_numbers(a, n)) for n, a in zip(("terms[0]", "terms[1]"), terms)]
        if any(a.shape != hs.shape for a in terms):
            raise ValueError(f"terms must be two arrays shaped like hs {hs.shape}, got "
                             f"{[a.shape for a in terms]}")
    check_cells(T * (min(H, MAX_UNITS) + min(x.shape[1], MAX_UNITS)), "the unrolled picture")
    cmap = colormaps[_CMAP]
    xs, hv = x[:, :MAX_UNITS], hs[:, :MAX_UNITS]
    D, Hd = xs.shape[1], hv.shape[1]
    ax = fig.add_axes((0.02, 0.40 if terms is not None else 0.05, 0.96,
                       0.55 if terms is not None else 0.88))
    bare_axes(ax)
    gap = 2.4                                   # horizontal distance between steps
    top = D + 1.6                               # where the hidden column starts
    show_numbers = numbers and Hd <= 8 and D <= 8
    cells, values, empty, arrows = [], [], [], []     # drawn as two collections and one quiver

    def column(x0, y0, vals, numbers=False):
        for i, v in enumerate(vals):
            cells.append(Rectangle((x0, y0 + i), 1, 1))
            values.append(v)
            if numbers:
                ax.text(x0 + 0.5, y0 + i + 0.5, format_number(round(float(v), 2)), ha="center",
                        va="center", fontsize=6.5, color="white" if abs(v) > 0.6 else "black")

    column(-gap, top, np.zeros(Hd))
    ax.text(-gap + 0.5, top + Hd + 0.3, "h₋₁ = 0", ha="center", va="bottom", fontsize=8)
    for t in range(T):
        x0 = t * gap
        done = t <= step
        if done:
            column(x0, 0, xs[t], show_numbers and t == step)      # numbers: step t only
            column(x0, top, hv[t], show_numbers and t == step)
        else:
            empty += [Rectangle((x0, 0), 1, D), Rectangle((x0, top), 1, Hd)]
        ax.text(x0 + 0.5, -0.35, str(labels[t])[:10], ha="center", va="top", fontsize=8,
                color="black" if done else "0.6")
        arrows += [(x0 + 0.5, D + 0.05, 0, top - D - 0.1, done),               # W_in: x_t -> h_t
                   (x0 - gap + 1.05, top + Hd / 2, gap - 1.1, 0, done)]       # W_rec: h_{t-1} -> h_t
    cells_drawn = PatchCollection(cells, cmap=cmap, edgecolor="0.3", linewidth=0.6)
    cells_drawn.set_array(np.clip(values, -1, 1))
    cells_drawn.set_clim(-1, 1)                                  # centred at 0
    ax.add_collection(cells_drawn)
    if empty:
        ax.add_collection(PatchCollection(empty, facecolor="none", edgecolor="0.6",
                                          linestyle=":"))
    a = np.array([a[:4] for a in arrows], dtype=float)
    ax.quiver(a[:, 0], a[:, 1], a[:, 2], a[:, 3], angles="xy", scale_units="xy", scale=1,
              color=["black" if a[4] else "0.75" for a in arrows], width=0.0025, headwidth=5,
              headlength=6, headaxislength=5)
    x0 = step * gap
    ax.add_patch(Rectangle((x0 - 0.25, -1.4), 1.5, top + Hd + 2.0, fill=False, ec=ORANGE, lw=2))
    ax.text(x0 + 0.5, top + Hd + 0.7, f"t = {step}", ha="center", va="bottom", fontsize=8,
            color=ORANGE, fontweight="bold")
    ax.text(-gap - 0.3, D / 2, "x_t", ha="right", va="center", fontsize=8)
    ax.text(-gap - 0.3, top + Hd / 2, "h_t", ha="right", va="center", fontsize=8)
    ax.text(-gap / 2 + 0.5, top + Hd / 2 + 0.2, "W_rec", fontsize=7, ha="center",
            va="bottom", color="0.3")
    ax.text(0.65, (D + top) / 2, "W_in", fontsize=7, ha="left", va="center", color="0.3")
    ax.set_xlim(-gap - 1.6, (T - 1) * gap + 1.6)
    ax.set_ylim(-1.6, top + Hd + 2.1)
    ax.set_title(f"step {step} of {T}: h_{step} = tanh(W_in x_{step} + W_rec h_{step - 1} + b)"
                 f"  (the same W_in, W_rec at every step)", fontsize=9)
    if terms is None:
        return
    bx = fig.add_axes((0.08, 0.07, 0.88, 0.25))
    units = np.arange(Hd)
    inp, rec = terms[0][step, :MAX_UNITS], terms[1][step, :MAX_UNITS]
    bx.bar(units - 0.2, inp, 0.38, color=BLUE, label="W_in x_t + b_ih")
    bx.bar(units + 0.2, rec, 0.38, color=ORANGE, label="W_rec h_{t-1} + b_hh")
    bx.plot(units, hv[step], "kD", ms=4, label="h_t = tanh(sum)")
    bx.axhline(0, color="0.5", lw=0.6)
    bx.set_xticks(units, [f"unit {u}" for u in units] if Hd <= 8 else units, fontsize=7)
    bx.tick_params(axis="y", labelsize=7)
    bx.legend(fontsize=7, ncol=3, loc="upper center", bbox_to_anchor=(0.5, 1.32), frameon=False)
    if Hd <= 8:
        bx.set_title("h_t: " + "  ".join(format_number(round(float(v), 2)) for v in hv[step]),
                     fontsize=7, loc="right", y=1.0, pad=14)


def render_text_states(fig, text: str, values, title: str = "", columns: int = 64,
                       limit: float | None = None) -> None:
    """A text with each character's background coloured by one hidden unit's state as the
    network read it (diverging scale centred at 0: blue < 0 < red), line breaks kept.

    Shapes: text of length L, values (L,) (the unit's state after reading each character);
    lines longer than ``columns`` characters wrap. ``limit``: the colour scale's end, by default
    the largest |value|.
    """
    from matplotlib import colormaps
    from matplotlib.colors import ListedColormap, Normalize

    if not isinstance(text, str) or not text:
        raise ValueError(f"text must be a non-empty string, got {type(text).__name__}")
    v = _finite("values", as_numbers(values, "values"))
    if v.shape != (len(text),):
        raise ValueError(f"values must hold one number per character, ({len(text)},), got "
                         f"shape {v.shape}")
    columns = as_int(columns, "columns", 8, 200)
    rows, r, c = [], 0, 0
    for ch in text:
        rows.append((r, c))
        if ch == "\n" or c == columns - 1:
            r, c = r + 1, 0
        else:
            c += 1
    n_rows = r + 1
    check_cells(n_rows * columns, f"the text ({len(text):,} characters)", "pass a shorter text")
    if n_rows > 40:
        raise ValueError(f"the text needs {n_rows} rows of {columns} characters, more than 40: "
                         "pass a shorter text")
    grid = np.full((n_rows, columns), np.nan)
    for (r, c), value in zip(rows, v):
        grid[r, c] = value
    lim = float(np.abs(v).max()) if limit is None else float(limit)
    lim = lim if lim > 0 else 1.0
    ax = fig.add_axes((0.01, 0.02, 0.86, 0.9))
    cmap = ListedColormap(colormaps[_CMAP](np.linspace(0.12, 0.88, 256)),  # pale: text readable
                          name=_CMAP).with_extremes(bad="white")
    im = ax.imshow(grid, cmap=cmap, norm=Normalize(-lim, lim), aspect="auto",
                   interpolation="nearest")
    for (r, c), ch in zip(rows, text):
        if ch not in "\n ":
            ax.text(c, r, ch, ha="center", va="center", fontsize=7, family="monospace")
        elif ch == "\n":
            ax.text(c, r, "↵", ha="center", va="center", fontsize=6, color="0.4")
    bare_axes(ax)
    cax = fig.add_axes((0.89, 0.1, 0.02, 0.75))
    fig.colorbar(im, cax=cax).ax.tick_params(labelsize=7)
    if title:
        ax.set_title(title, fontsize=9)
