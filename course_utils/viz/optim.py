"""Figures of optimisation: gradient descent with and without momentum on a 2-D loss surface
(notebook 06)."""
from __future__ import annotations

import functools

import numpy as np

from .._validate import (
    MAX_ITERATIONS,
    as_float,
    as_int,
)
from ..toys.surfaces import check_surface, momentum_path, surface_loss

__all__ = ["render_momentum"]

_SURFACE_VIEW = {"ravine": (-2.5, 2.5, -1.2, 1.2), "rosenbrock": (-2.0, 2.0, -1.0, 3.0),
                 "bumpy": (-2.5, 2.5, -2.5, 2.5)}


@functools.lru_cache(maxsize=None)
def _surface_grid(surface: str):
    """The (X, Y, L) grid (120 x 120) of a surface's view, computed once per surface."""
    x0, x1, y0, y1 = _SURFACE_VIEW[surface]
    X, Y = np.meshgrid(np.linspace(x0, x1, 120), np.linspace(y0, y1, 120))
    return X, Y, surface_loss(surface, X, Y)


def render_momentum(fig, surface: str = "ravine", lr: float = 0.05, momentum: float = 0.9,
                    steps: int = 50, start_x: float = -2.0, start_y: float = 1.0,
                    noise: float = 0.0) -> None:
    """Gradient descent with and without momentum on a 2-D loss surface: the paths on the
    contour plot (left) and the loss per step (right, log scale).

    Both runs use AlexNet's rule v <- momentum * v - lr * grad, w <- w + v (plain: momentum 0)
    from the same start, with the same gradient noise (``noise`` > 0 imitates mini-batches).
    """
    from matplotlib.ticker import MaxNLocator

    check_surface(surface)
    lr, momentum = as_float(lr, "lr", finite=False), as_float(momentum, "momentum")
    start_x, start_y = as_float(start_x, "start_x"), as_float(start_y, "start_y")
    noise = as_float(noise, "noise")
    steps = as_int(steps, "steps", 1, MAX_ITERATIONS)
    x0, x1, y0, y1 = _SURFACE_VIEW[surface]
    if not (x0 <= start_x <= x1 and y0 <= start_y <= y1):
        raise ValueError(f"start ({start_x:g}, {start_y:g}) is outside the {surface} view "
                         f"x in [{x0}, {x1}], y in [{y0}, {y1}]: move the start sliders")
    if not 0 <= momentum < 1:
        raise ValueError(f"momentum must be in [0, 1), got {momentum}: with 1 or more the "
                         "velocity never decays")
    if lr <= 0:
        raise ValueError(f"the learning rate must be > 0, got {lr}")
    X, Y, Z = _surface_grid(surface)
    runs = [("plain (momentum 0)", 0.0, "tab:blue")]
    if momentum > 0:
        runs.append((f"momentum {momentum:g}", momentum, "tab:orange"))
    fig.set_layout_engine("none")   # fixed axes positions: constrained layout triples the time
    ax = fig.add_axes((0.06, 0.1, 0.52, 0.8))
    ax2 = fig.add_axes((0.66, 0.14, 0.32, 0.76))
    ax.contour(X, Y, np.log1p(Z), levels=14, cmap="viridis", linewidths=0.8)
    notes = []
    for name, mu, color in runs:
        path = momentum_path(surface, (start_x, start_y), lr, mu, steps, noise=noise)
        diverged = len(path) < steps + 1
        loss = surface_loss(surface, path[:, 0], path[:, 1])
        ax.plot(path[:, 0], path[:, 1], "-o", color=color, markersize=2, linewidth=1.2,
                label=name)
        ax2.plot(np.arange(len(loss)), np.log10(np.maximum(loss, 1e-12)), color=color, label=name)
        end = f"diverged after {len(path) - 1} steps" if diverged else f"final loss {loss[-1]:.2g}"
        notes.append(f"{name.split(' (')[0]}: {end}")
    ax.plot([start_x], [start_y], "k*", markersize=9)
    ax.set_xlim(x0, x1), ax.set_ylim(y0, y1)
    ax.set_title(f"{surface}, lr {lr:g}, {steps} steps" + (f", noise {noise:g}" if noise else ""),
                 fontsize=9)
    ax.legend(fontsize=7, loc="lower right")
    ax2.set_xlabel("step", fontsize=8)
    ax2.set_title("log10 of the loss", fontsize=9)
    ax2.tick_params(labelsize=7)
    ax.tick_params(labelsize=7)
    ax.set_xticks(np.linspace(x0, x1, 5)), ax.set_yticks(np.linspace(y0, y1, 5))
    ax2.xaxis.set_major_locator(MaxNLocator(4)), ax2.yaxis.set_major_locator(MaxNLocator(5))
    ax2.grid(alpha=0.3)
    ax2.text(0.02, 0.02, "\n".join(notes), transform=ax2.transAxes, fontsize=7, va="bottom")
