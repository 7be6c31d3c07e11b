"""The adding problem (Hochreiter & Schmidhuber 1997), a task whose answer depends on two inputs
far apart in time."""
from __future__ import annotations

import torch

from .._validate import check_elements, strict_int

__all__ = ["ADDING_BASELINE_MSE", "adding_problem"]

ADDING_BASELINE_MSE = 1 / 6
"""The MSE of the best constant prediction, the mean 1.0: the variance of the sum of two
independent U(0, 1) values, 2 x 1/12 = 1/6 (about 0.167). A model that learned nothing scores
this."""


def adding_problem(n: int, T: int, seed: int = 0) -> tuple[torch.Tensor, torch.Tensor]:
    """``n`` sequences of the adding problem, and their targets.

    Shapes: -> x (n, T, 2) float32, y (n,) float32.
    Each step t carries ``x[:, t, 0]`` ~ U(0, 1) and a marker ``x[:, t, 1]`` in {0, 1}; exactly
    two steps are marked, one in each half of the sequence (a in [0, T//2), b in [T//2, T)), and
    the target is y = x[a, 0] + x[b, 0], the sum of the two marked values. The gap between the
    marks ranges from 1 to T - 1, about T/2 on average, so a model must carry the first value
    across about T/2 steps. ``seed`` fixes everything (a generator of its own: the global random
    state is not touched).
    """
    n = strict_int(n, "n", 1)
    T = strict_int(T, "T", 2)
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise ValueError(f"seed must be an integer, got {seed!r}")
    check_elements(n * T * 2, "the adding problem's inputs x (n, T, 2)", "lower n or T")
    g = torch.Generator().manual_seed(seed)
    values = torch.rand(n, T, generator=g)
    half = T // 2
    first = torch.randint(0, half, (n,), generator=g)
    second = torch.randint(half, T, (n,), generator=g)
    markers = torch.zeros(n, T)
    rows = torch.arange(n)
    markers[rows, first] = 1.0
    markers[rows, second] = 1.0
    x = torch.stack([values, markers], dim=2)
    y = (values * markers).sum(dim=1)
    return x, y
