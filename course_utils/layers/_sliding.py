"""The sliding-window machinery that convolution and pooling share (internal to
:mod:`course_utils.layers`): padding of the last two axes, and a strided view of every window."""
from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view


def pad2d(x: np.ndarray, p: tuple[int, int], value: float = 0) -> np.ndarray:
    """Pad the last two axes of ``x`` by ``p = (ph, pw)`` on both sides with ``value`` (zeros)."""
    if p == (0, 0):
        return x
    width = [(0, 0)] * (x.ndim - 2) + [(p[0], p[0]), (p[1], p[1])]
    return np.pad(x, width, constant_values=value)


def window_view(xp: np.ndarray, k: tuple[int, int], s: tuple[int, int],
                out_hw: tuple[int, int]) -> np.ndarray:
    """Every ``k = (KH, KW)`` window of the (padded) input at strides ``s``, as a view (no copy).

    Shapes: xp (..., Hp, Wp) -> (..., H_out, W_out, KH, KW), with ``out_hw = (H_out, W_out)``.
    """
    win = sliding_window_view(xp, k, axis=(-2, -1))
    return win[..., : (out_hw[0] - 1) * s[0] + 1 : s[0], : (out_hw[1] - 1) * s[1] + 1 : s[1], :, :]
