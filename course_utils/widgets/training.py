"""Explorers of training: LeNet-5's feature maps (notebook 05), momentum on a loss surface
(notebook 06)."""
from __future__ import annotations

from .._validate import (
    as_int,
)
from .app import App, app, choice, fslider, slider

__all__ = ["feature_map_explorer", "momentum_explorer", "lenet_feature_demo"]


def feature_map_explorer(models: dict, X, y=None, n: int = 100,
                         layers: tuple = ("C1", "C3")) -> App:
    """Pick a test digit (and a network), see its C1 and C3 feature maps (notebook 05).

    ``models`` maps names to LeNet-5 models (anything with ``features(x) -> dict``); ``X`` is
    (N, 1, 32, 32), ``y`` (N,). The maps of the first ``n`` digits are computed once, in eval
    mode, so moving the slider only draws.
    """
    import torch

    from ..viz.training import render_feature_maps

    if not isinstance(models, dict) or not models:
        raise ValueError("feature_map_explorer needs at least one model: models maps names to "
                         f"LeNet-5 models, got {models!r}")
    for name, model in models.items():
        if not (isinstance(model, torch.nn.Module) and hasattr(model, "features")):
            raise ValueError(f"models[{name!r}] must be a LeNet-5 (a torch module with "
                             f"features(x)), got {type(model).__name__}")
    if not (isinstance(X, torch.Tensor) and X.ndim == 4):
        raise ValueError(f"X must be a torch tensor of images (N, 1, 32, 32), got "
                         f"{type(X).__name__} of shape {tuple(getattr(X, 'shape', ()))}")
    n = as_int(n, "n", 1)
    X = X[:n]
    if not len(X):
        raise ValueError("X is empty")
    if y is not None and not (isinstance(y, torch.Tensor) and y.ndim == 1 and len(y) >= len(X)):
        raise ValueError(f"y must be a tensor of labels with one per digit ({len(X)}), got "
                         f"{type(y).__name__} of shape {tuple(getattr(y, 'shape', ()))}")
    if isinstance(layers, str):
        layers = (layers,)
    maps = {}
    for name, model in models.items():
        was_training = model.training
        model.eval()
        device = next(model.parameters()).device
        with torch.no_grad():
            feats = model.features(X.to(device))
        model.train(was_training)
        unknown = [k for k in layers if k not in feats]
        if unknown or not layers:
            raise ValueError(f"layers must name some of the model's layers {list(feats)}, got "
                             f"{list(layers)}")
        maps[name] = {k: feats[k].cpu().numpy() for k in layers}
    images = X[:, 0].cpu().numpy()
    labels = None if y is None else y[:n].cpu().numpy()

    def render(fig, network, index, layer):
        shown = layers if layer == "all" else (layer,)
        render_feature_maps(fig, images, maps[network], labels, index, shown, title=network)

    return app(render, figsize=(8.0, 3.0),
               network=choice("network", list(models)),
               index=slider("digit #", 0, len(images) - 1, 0),
               layer=choice("layers", ["all", *layers]))


def momentum_explorer(surface: str = "ravine") -> App:
    """Gradient descent with and without momentum on a 2-D loss surface (notebook 06): choose
    the surface, learning rate, momentum, number of steps, start point and gradient noise."""
    from ..toys.surfaces import LOSS_SURFACES, check_surface
    from ..viz.optim import render_momentum

    check_surface(surface)
    return app(render_momentum, figsize=(7.5, 3.3),
               surface=choice("surface", list(LOSS_SURFACES), surface),
               lr=fslider("learning rate", 0.005, 0.1, 0.02, 0.005, ".3f"),
               momentum=fslider("momentum", 0.0, 0.95, 0.9, 0.05),
               steps=slider("steps", 10, 200, 60, 10),
               start_x=fslider("start x", -2.0, 2.0, -2.0, 0.5),
               start_y=fslider("start y", -1.0, 1.0, 1.0, 0.5),
               noise=fslider("gradient noise", 0.0, 2.0, 0.0, 0.5))


def lenet_feature_demo() -> App:
    """feature_map_explorer on untrained (seeded) classic and modern LeNet-5s and 30 test digits."""
    import torch

    from ..data import mnist_tensors
    from ..models.lenet import LeNet5

    X, y = mnist_tensors("test", size=32)
    with torch.random.fork_rng():  # seeded weights, without touching the caller's random state
        torch.manual_seed(0)
        models = {"classic": LeNet5("classic"), "modern": LeNet5("modern")}
    return feature_map_explorer(models, X, y, n=30)
