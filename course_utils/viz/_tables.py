"""The number tables of the figures (internal to :mod:`course_utils.viz`): a 2-D array drawn as
pale coloured cells with the numbers written in, and the number format they use.

One renderer, :func:`number_table`, draws every table; the pooling figures use it in their own
style through :func:`grid_table` (paler colours, thicker lines, two decimals above 10), which
only sets its arguments.
"""
from __future__ import annotations

import numpy as np


def bare_axes(ax) -> None:
    """No frame, ticks or tick labels (hiding the axes also skips their costly layout)."""
    ax.set_axis_off()
    ax.xaxis.set_visible(False)
    ax.yaxis.set_visible(False)


def format_number(v: float, wide: bool = False) -> str:
    """A table cell's number: integers without decimals, others with up to two (trailing zeros
    dropped), from 10 up with one unless ``wide``; never "-0" (nor "0." or "1." for 1e-14, 0.999).

    >>> format_number(3.0), format_number(-0.0), format_number(2.50), format_number(0.999)
    ('3', '0', '2.5', '1')
    >>> format_number(12.75)
    '12.8'
    >>> format_number(12.75, wide=True)
    '12.75'
    """
    v = float(v) + 0.0  # no "-0"
    if abs(v) < 5e-13:
        v = 0.0
    if v.is_integer():
        return f"{v:.0f}"
    if abs(v) >= 10 and not wide:
        return f"{v:.1f}"
    text = f"{v:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def format_grid_number(v: float) -> str:
    """:func:`format_number` as the pooling tables write it (``wide``: two decimals above 10)."""
    return format_number(v, wide=True)


def number_table(ax, values: np.ndarray, cmap: str = "Blues", mask: np.ndarray | None = None,
                 grey: np.ndarray | None = None, fontsize: float = 9, vlim=None,
                 labels: np.ndarray | None = None, at: tuple[float, float] = (0, 0),
                 alone: bool = True, alpha: float = 0.5, line_width: float = 1.0,
                 grey_vmax: float = 4.0) -> None:
    """A 2-D array as a table of pale coloured cells with the numbers (or ``labels``) written in.

    ``mask`` (bool, same shape): cells to leave blank (not computed yet); ``grey``: cells drawn
    grey (zero padding, or cells no window reaches), the darker the smaller ``grey_vmax``.
    ``vlim`` = (lo, hi) of the colour map (default: the values' range); ``alpha`` how pale the
    colours are; ``line_width`` the white lines between cells. ``at`` = (x, y) of the top-left
    cell's centre, so that several tables can share one axes (much faster to draw than one axes
    each); ``alone`` sets the axes' limits to this table and hides the axes.
    """
    values = np.asarray(values, dtype=float)
    shown = values if mask is None else np.where(mask, np.nan, values)
    lo, hi = vlim if vlim is not None else (np.nanmin(values), np.nanmax(values))
    h, w = values.shape
    x0, y0 = at
    extent = (x0 - 0.5, x0 + w - 0.5, y0 + h - 0.5, y0 - 0.5)
    ax.imshow(shown, cmap=cmap, vmin=lo, vmax=hi if hi > lo else lo + 1, alpha=alpha,  # pale
              extent=extent)
    if grey is not None and grey.any():
        ax.imshow(np.where(grey, 1.0, np.nan), cmap="Greys", vmin=0, vmax=grey_vmax, extent=extent)
    for (r, c), v in np.ndenumerate(values):
        if mask is None or not mask[r, c]:
            ax.text(x0 + c, y0 + r, format_number(v) if labels is None else labels[r, c],
                    ha="center", va="center", fontsize=fontsize,
                    color="0.45" if grey is not None and grey[r, c] else "black", in_layout=False)
    ax.hlines(y0 + np.arange(-0.5, h + 0.5), x0 - 0.5, x0 + w - 0.5, color="white",
              linewidth=line_width)
    ax.vlines(x0 + np.arange(-0.5, w + 0.5), y0 - 0.5, y0 + h - 0.5, color="white",
              linewidth=line_width)
    if alone:
        ax.set_xlim(x0 - 0.5, x0 + w - 0.5), ax.set_ylim(y0 + h - 0.5, y0 - 0.5)
        bare_axes(ax)


def grid_table(ax, values: np.ndarray, fmt, cmap: str, covered: np.ndarray | None = None) -> None:
    """:func:`number_table` in the pooling figures' style: cells outside ``covered`` (reached by
    no window) grey, numbers written by ``fmt``, a colour range stretched by 60% (paler)."""
    values = np.asarray(values, dtype=float)
    lo, hi = float(np.min(values)), float(np.max(values))
    number_table(ax, values, cmap, grey=None if covered is None else ~covered, fontsize=10,
                 vlim=(lo, hi + 0.6 * (hi - lo) + 1e-9), alpha=0.6, line_width=1.5, grey_vmax=2.5,
                 labels=np.array([[fmt(v) for v in row] for row in values]).reshape(values.shape))
