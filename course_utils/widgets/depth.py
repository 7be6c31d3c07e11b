"""Explorers of depth: why deep nets need shortcuts (notebook 07)."""
from __future__ import annotations

from .._validate import (
    as_int,
)
from .app import App, app, choice, slider

__all__ = ["depth_gradient_explorer", "depth_gradient_demo"]


def depth_gradient_explorer(X, y, width: int = 8, precompute: bool = True) -> App:
    """Gradient norm per layer at initialisation, plain vs residual, for a chosen depth,
    initialisation (PyTorch's default or He's) and normalisation (none or batch norm) (notebook 07).

    Shapes: X (N, C, H, W) float (a small batch: every update runs both nets on it), y (N,) int64.
    """
    import torch

    from ..models.resnets import grad_norms_by_setting
    from ..viz.depth import render_depth_gradients

    if not (isinstance(X, torch.Tensor) and X.ndim == 4 and X.is_floating_point()):
        raise ValueError(f"X must be a float torch tensor of images (N, C, H, W), got "
                         f"{type(X).__name__} of shape {tuple(getattr(X, 'shape', ()))}")
    if not (isinstance(y, torch.Tensor) and y.dtype == torch.int64 and y.shape == (len(X),)):
        raise ValueError(f"y must be int64 labels of shape ({len(X)},), one per image in X, got "
                         f"{type(y).__name__} of shape {tuple(getattr(y, 'shape', ()))}")
    width = as_int(width, "width", 1)
    controls = dict(depth=slider("depth (weight layers)", 4, 40, 20, 2),
                    init=choice("init", ["default", "he"], "default"),
                    norm=choice("norm", ["none", "batch"], "none"))
    seed = 0
    cache: dict[tuple[int, str, str], dict] = {}  # (depth, init, norm) -> norms, for this X, y, width

    def norms_for(depth, init, norm):
        key = (depth, init, norm)
        if key not in cache:
            cache[key] = grad_norms_by_setting(X, y, depth, init, norm, width, seed)
        return cache[key]

    if precompute:  # run every setting's two nets once now (~3 s), so each update only draws
        for depth in range(controls["depth"].min, controls["depth"].max + 1, 2):
            for init in controls["init"].options:
                for norm in controls["norm"].options:
                    norms_for(depth, init, norm)

    def render(fig, depth, init, norm):
        render_depth_gradients(fig, X, y, depth, init, norm, width, seed,
                               norms=norms_for(depth, init, norm))

    return app(render, figsize=(7.5, 3.3), **controls)


def depth_gradient_demo() -> App:
    """depth_gradient_explorer on 8 test digits, average-pooled to 14×14."""
    import torch

    from ..data import mnist_tensors

    X, y = mnist_tensors("test", size=28)
    return depth_gradient_explorer(torch.nn.functional.avg_pool2d(X[:8], 2), y[:8])
