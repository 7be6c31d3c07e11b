"""Explorers of pooling and of parameter counts (notebooks 01 and 04)."""
from __future__ import annotations

import numpy as np

from .._validate import (
    as_int,
    as_numbers,
    check_cells,
)
from ..layers.pooling import POOL_MODES
from .app import App, app, choice, slider

__all__ = ["pooling_demo_grid", "pooling_explorer", "param_growth_explorer"]


def pooling_demo_grid(seed: int = 4, shape: tuple[int, int] = (6, 6)):
    """A small grid of integers 0-9 to pool by hand (the pooling explorer's default input)."""

    seed = as_int(seed, "seed", 0)
    if not (isinstance(shape, (tuple, list)) and len(shape) == 2):
        raise ValueError(f"shape must be (rows, columns), got {shape!r}")
    shape = tuple(as_int(n, "shape entries", 1) for n in shape)
    check_cells(shape[0] * shape[1], f"a grid of shape {shape}", "pool a small grid")
    return np.random.default_rng(seed).integers(0, 10, shape)


def pooling_explorer(x=None) -> App:
    """Max / average / sum pooling on a small grid: window size, stride, mode and which window
    to highlight (notebook 04). ``x`` (H, W), by default :func:`pooling_demo_grid`."""
    from ..viz.pooling import render_pooling

    x = pooling_demo_grid() if x is None else as_numbers(x, "x")
    if x.ndim != 2:
        raise ValueError(f"x must be one 2-D grid (H, W), got shape {x.shape}")
    check_cells(x.size, f"x of shape {x.shape}", "pool a small grid (about 10 x 10)")
    n = max(x.shape[-2:])
    return app(render_pooling, fixed=dict(x=x), figsize=(8.0, 4.0),
               size=slider("window", 1, n, 2), stride=slider("stride", 1, n, 2),
               mode=choice("mode", list(POOL_MODES)),
               window=slider("highlight window #", 1, n * n, 1))


def param_growth_explorer() -> App:
    """Parameters of a first layer against image size: fully connected vs convolutional
    (notebook 01)."""
    from ..viz.pooling import render_param_growth

    return app(render_param_growth, figsize=(7.5, 4.0),
               channels=choice("channels", [1, 3], 3), units=choice("FC neurons", [100, 1000, 4096],
                                                                 1000),
               filters=choice("conv filters", [16, 64, 256], 64), kernel=choice("kernel", [3, 5, 7]))
