"""Explorers of recurrent networks' gradients (notebook 11)."""
from __future__ import annotations

from .._validate import as_int
from .app import App, app, choice, fslider, slider

__all__ = ["vanishing_explorer"]


def vanishing_explorer(hidden_size: int = 32, seed: int = 0) -> App:
    """log10 ||dh_k/dh_0|| against k in a random recurrent layer, for a chosen activation,
    largest singular value lambda_1 of W_rec and sequence length T, with the bound
    (gamma lambda_1)^k (:func:`course_utils.viz.render_vanishing`). Each update takes a few tens
    of milliseconds (T = 100, H = 32)."""
    from ..viz.recurrent import render_vanishing

    hidden_size = as_int(hidden_size, "hidden_size", 1, 256)
    seed = as_int(seed, "seed", 0)
    return app(render_vanishing, fixed=dict(hidden_size=hidden_size, seed=seed),
               figsize=(7.0, 3.6),
               nonlinearity=choice("activation", ["sigmoid", "tanh", "relu"], "tanh"),
               lambda1=fslider("λ₁ of W_rec", 0.25, 8.0, 1.0, 0.25),
               T=slider("T (steps)", 5, 100, 50, 5))
