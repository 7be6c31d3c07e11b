"""The number tables of the figures (internal to :mod:`course_utils.viz`): a 2-D array drawn as
pale coloured cells with the numbers written in, and the number formats they use.

There are two table styles today: :func:`grid_table` (the pooling figures) and
:func:`number_table` (the convolution figures, several tables per axes). They draw slightly
differently (colour range, line widths, number format above 10), so merging them would change
committed figures; new figures use :func:`number_table`.
"""
from __future__ import annotations

import numpy as np


def grid_table(ax, values: np.ndarray, fmt, cmap: str, covered: np.ndarray | None = None) -> None:
    """Draw a 2-D array as a table of coloured cells with their values written in."""
    lo, hi = float(np.min(values)), float(np.max(values))
    ax.imshow(values, cmap=cmap, vmin=lo, vmax=hi + 0.6 * (hi - lo) + 1e-9, alpha=0.6)  # pale
    if covered is not None and not covered.all():
        ax.imshow(np.where(covered, np.nan, 1.0), cmap="Greys", vmin=0, vmax=2.5)
    for (r, c), v in np.ndenumerate(values):
        grey = covered is not None and not covered[r, c]
        ax.text(c, r, fmt(v), ha="center", va="center", fontsize=10, in_layout=False,
                color="0.45" if grey else "black")
    h, w = values.shape
    ax.hlines(np.arange(-0.5, h + 0.5), -0.5, w - 0.5, color="white", linewidth=1.5)
    ax.vlines(np.arange(-0.5, w + 0.5), -0.5, h - 0.5, color="white", linewidth=1.5)
    ax.set_axis_off()  # no ticks: they would cost more than the whole drawing


def format_grid_number(v: float) -> str:
    return f"{v:.0f}" if float(v).is_integer() else f"{v:.2f}".rstrip("0")

def bare_axes(ax) -> None:
    """No frame, ticks or tick labels (hiding the axes also skips their costly layout)."""
    ax.set_axis_off()
    ax.xaxis.set_visible(False)
    ax.yaxis.set_visible(False)


def format_number(v: float) -> str:
    v = float(v) + 0.0  # no "-0"
    if abs(v) < 5e-13:
        v = 0.0
    if v.is_integer():
        return f"{v:.0f}"
    return f"{v:.2f}".rstrip("0") if abs(v) < 10 else f"{v:.1f}"


def number_table(ax, values: np.ndarray, cmap: str = "Blues", mask: np.ndarray | None = None,
                grey: np.ndarray | None = None, fontsize: float = 9, vlim=None,
                labels: np.ndarray | None = None, at: tuple[float, float] = (0, 0),
                alone: bool = True) -> None:
    """A 2-D array as a table of pale coloured cells with the numbers (or ``labels``) written in.

    ``mask`` (bool, same shape): cells to leave blank (not computed yet); ``grey``: cells drawn
    grey (zero padding). ``at`` = (x, y) of the top-left cell's centre, so that several tables can
    share one axes (much faster to draw than one axes each); ``alone`` sets the axes' limits to
    this table and hides the axes.
    """
    values = np.asarray(values, dtype=float)
    shown = values if mask is None else np.where(mask, np.nan, values)
    lo, hi = vlim if vlim is not None else (np.nanmin(values), np.nanmax(values))
    h, w = values.shape
    x0, y0 = at
    extent = (x0 - 0.5, x0 + w - 0.5, y0 + h - 0.5, y0 - 0.5)
    ax.imshow(shown, cmap=cmap, vmin=lo, vmax=hi if hi > lo else lo + 1, alpha=0.5,  # pale
              extent=extent)
    if grey is not None and grey.any():
        ax.imshow(np.where(grey, 1.0, np.nan), cmap="Greys", vmin=0, vmax=4, extent=extent)
    for (r, c), v in np.ndenumerate(values):
        if mask is None or not mask[r, c]:
            ax.text(x0 + c, y0 + r, format_number(v) if labels is None else labels[r, c],
                    ha="center", va="center", fontsize=fontsize,
                    color="0.45" if grey is not None and grey[r, c] else "black", in_layout=False)
    ax.hlines(y0 + np.arange(-0.5, h + 0.5), x0 - 0.5, x0 + w - 0.5, color="white", linewidth=1)
    ax.vlines(x0 + np.arange(-0.5, w + 0.5), y0 - 0.5, y0 + h - 0.5, color="white", linewidth=1)
    if alone:
        ax.set_xlim(x0 - 0.5, x0 + w - 0.5), ax.set_ylim(y0 + h - 0.5, y0 - 0.5)
        bare_axes(ax)
