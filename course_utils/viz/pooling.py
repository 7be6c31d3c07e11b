"""Figures of pooling and of parameter counts (notebooks 01 and 04)."""
from __future__ import annotations

from typing import Sequence

import numpy as np

from .._validate import (
    as_int,
    as_numbers,
    check_cells,
)
from ._colours import BLUE, BLUISH_GREEN, VERMILION
from ._tables import format_grid_number, grid_table

__all__ = ["render_pooling", "render_param_growth"]


def render_pooling(fig, x: np.ndarray, size: int = 2, stride: int = 2, mode: str = "max",
                   window: int = 1) -> None:
    """Pooling on a small grid: the input with every window position outlined and one window
    highlighted, the output grid, and the arithmetic of the highlighted window.

    Shape: x (H, W), small (up to about 10 x 10 so the numbers stay readable). ``window`` counts
    output cells in row-major order from 1; past the last one raises ValueError (saying how many
    there are), which an explorer shows as a message.
    Math: y[i, j] = max / mean / sum of x[i*stride : i*stride + size, j*stride : j*stride + size].
    """
    from matplotlib.collections import PatchCollection
    from matplotlib.patches import Rectangle

    from ..layers.pooling import pool2d

    x = as_numbers(x, "x").astype(float)
    if x.ndim != 2:
        raise ValueError(f"expected one 2-D grid (H, W), got shape {x.shape}")
    check_cells(x.size, f"x of shape {x.shape}", "pool a small grid (about 10 x 10)")
    size, stride, window = as_int(size, "size"), as_int(stride, "stride"), as_int(window, "window")
    H, W = x.shape
    if size > min(H, W):
        raise ValueError(f"a {size}×{size} window does not fit in the {H}×{W} input: "
                         f"choose a window of at most {min(H, W)}")
    y = pool2d(x, size, stride, mode)  # checks stride >= 1 and the mode
    Ho, Wo = y.shape
    if not 1 <= int(window) <= Ho * Wo:
        raise ValueError(f"a {size}×{size} window with stride {stride} has {Ho * Wo} position"
                         f"{'s' if Ho * Wo > 1 else ''} on this {H}×{W} input: choose window # 1 "
                         f"to {Ho * Wo}")
    k = int(window) - 1
    i, j = divmod(k, Wo)
    covered = np.zeros_like(x, dtype=bool)
    covered[: (Ho - 1) * stride + size, : (Wo - 1) * stride + size] = True

    fig.set_layout_engine("none")  # fixed margins: a layout pass would double the drawing time
    ax_in, ax_out = fig.subplots(1, 2, gridspec_kw=dict(width_ratios=[W, max(Wo, 2)], left=0.02,
                                                        right=0.98, bottom=0.02, top=0.86, wspace=0.1))
    grid_table(ax_in, x, format_grid_number, "Blues", covered)
    grid_table(ax_out, y, format_grid_number, "Oranges")
    ax_in.add_collection(PatchCollection(  # every window position, thin and dotted
        [Rectangle((c * stride - 0.5, r * stride - 0.5), size, size) for r in range(Ho)
         for c in range(Wo)], facecolor="none", edgecolor="0.35", linewidth=0.8, linestyle=":"))
    ax_in.add_patch(Rectangle((j * stride - 0.5, i * stride - 0.5), size, size, fill=True,
                              facecolor="gold", alpha=0.35, edgecolor="none"))
    ax_in.add_patch(Rectangle((j * stride - 0.5, i * stride - 0.5), size, size, fill=False,
                              edgecolor="tab:red", linewidth=2.5))
    ax_out.add_patch(Rectangle((j - 0.5, i - 0.5), 1, 1, fill=False, edgecolor="tab:red",
                               linewidth=2.5))
    cells = x[i * stride : i * stride + size, j * stride : j * stride + size]
    if mode == "max":
        r, c = np.unravel_index(np.argmax(cells), cells.shape)
        ax_in.add_patch(Rectangle((j * stride + c - 0.45, i * stride + r - 0.45), 0.9, 0.9,
                                  fill=False, edgecolor="black", linewidth=1.5))
    nums = [format_grid_number(v) for v in cells.ravel()]
    shown = nums if len(nums) <= 9 else nums[:8] + ["…"]
    if mode == "max":
        expr = f"max({', '.join(shown)}) = {format_grid_number(y[i, j])}"
    elif mode == "sum":
        expr = f"{' + '.join(shown)} = {format_grid_number(y[i, j])}"
    else:
        expr = f"({' + '.join(shown)}) / {size * size} = {format_grid_number(y[i, j])}"
    uncovered = int((~covered).sum())
    ax_in.set_title(f"input {H}×{W}" + (f" ({uncovered} grey cells: no window reaches them)"
                                        if uncovered else ""), fontsize=10)
    ax_out.set_title(f"{mode} pool: {Ho}×{Wo}", fontsize=10)
    fig.suptitle(f"window {k + 1} of {Ho * Wo}, size {size}, stride {stride}:  {expr}", fontsize=11)


def render_param_growth(fig, channels: int = 3, units: int = 1000, filters: int = 64,
                        kernel: int = 3, max_side: int = 256, marks: Sequence[int] = (28, 32, 200)
                        ) -> None:
    """Parameters of one first layer against the image side, log scale: a fully connected
    neuron (side²·channels), a fully connected layer of ``units`` neurons, and a convolutional
    layer of ``filters`` kernels (constant). See :func:`parameter_counts`.
    ``max_side`` is at most 100,000 (one point every 4 pixels).
    """
    channels, units = as_int(channels, "channels", 1), as_int(units, "units", 1)
    filters, kernel = as_int(filters, "filters", 1), as_int(kernel, "kernel", 1)
    max_side = as_int(max_side, "max_side")
    if max_side < 8:
        raise ValueError(f"max_side must be at least 8, got {max_side}")
    if max_side > 100_000:
        raise ValueError(f"max_side must be at most 100,000 (the curve has a point every 4 "
                         f"pixels), got {max_side:,}")
    if isinstance(marks, (str, bytes)) or not hasattr(marks, "__iter__"):
        raise ValueError(f"marks must be a list of image sides, got {marks!r}")
    marks = [as_int(m, "marks entries", 1) for m in marks]
    if kernel > max_side:
        raise ValueError(f"a {kernel}×{kernel} kernel is larger than the largest image ({max_side})")
    sides = np.unique(np.r_[np.arange(4, max_side + 1, 4), max_side])
    from ..layers.dense import parameter_counts

    counts = [parameter_counts(int(s), channels, units, filters, kernel) for s in sides]
    fig.set_layout_engine("none")  # fixed margins: faster than a layout pass
    ax = fig.subplots(gridspec_kw=dict(left=0.11, right=0.98, bottom=0.13, top=0.97))
    styles = {"one neuron": BLUE, "fully connected layer": VERMILION, "conv layer": BLUISH_GREEN}
    labels = {"one neuron": "one fully connected neuron",
              "fully connected layer": f"fully connected layer, {units:,} neurons",
              "conv layer": f"conv layer, {filters} filters {kernel}×{kernel}×{channels}"}
    for key, color in styles.items():
        ax.plot(sides, [c[key] for c in counts], color=color, label=labels[key])
    marks = [s for s in marks if s <= max_side]
    for n, s in enumerate(marks):  # numbers on the neuron's curve, and the layer's at the end
        keys = ("one neuron", "fully connected layer") if n == len(marks) - 1 else ("one neuron",)
        for key in keys:
            v = parameter_counts(s, channels, units, filters, kernel)[key]
            ax.plot([s], [v], "o", color=styles[key], markersize=4)
            ax.annotate(f"{s}×{s}×{channels}: {v:,}", (s, v), textcoords="offset points",
                        xytext=(-20, 8 + 10 * (n % 2)) if key == "one neuron" else (-60, 8),
                        fontsize=8, color=styles[key])
    ax.set_yscale("log")
    ax.minorticks_off()
    top = int(np.ceil(np.log10(max(c["fully connected layer"] for c in counts))))
    powers = range(1, top + 1)  # plain labels: mathtext (10^k) would cost more than the plot
    suffix = ["", "k", "M", "G", "T"]  # 10 -> "10", 1000 -> "1k", 10**8 -> "100M"
    ax.set_yticks([10.0 ** k for k in powers],
                  [f"{10 ** (k % 3)}{suffix[k // 3]}" if k < 15 else f"1e{k}" for k in powers])
    ax.set_xlabel(f"image side (pixels), image = side × side × {channels}")
    ax.set_ylabel("parameters of the first layer")
    ax.grid(True, which="major", alpha=0.3)
    ax.legend(fontsize=8, loc="upper left")
