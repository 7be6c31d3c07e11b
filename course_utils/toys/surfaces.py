"""Toy problems small enough to see whole.

Here: 2-D loss surfaces L(x, y) and the path of gradient descent with momentum on them
(notebook 06's momentum explorer draws them with :func:`course_utils.viz.render_momentum`).
"""
from __future__ import annotations

from .._validate import MAX_ITERATIONS, as_float, as_int, as_numbers

__all__ = ["LOSS_SURFACES", "check_surface", "surface_loss", "surface_grad", "momentum_path"]


LOSS_SURFACES = ("ravine", "rosenbrock", "bumpy")
"""2-D losses L(x, y) for :func:`momentum_path`:

* ravine:     L = (x^2 + 20 y^2) / 2, a narrow valley (condition number 20), minimum 0 at (0, 0)
* rosenbrock: L = (1 - x)^2 + 5 (y - x^2)^2, a curved valley, minimum 0 at (1, 1)
* bumpy:      L = (x^2 + 2 y^2) / 4 - 0.4 cos(3x) cos(3y) + 0.4, local minima around the global
              one at (0, 0), where L = 0
"""


def check_surface(surface: str) -> str:
    """``surface`` if it names one of :data:`LOSS_SURFACES`, else a ValueError listing them."""
    if surface not in LOSS_SURFACES:
        raise ValueError(f"surface must be one of {LOSS_SURFACES}, got {surface!r}")
    return surface


def _surface_xy(x, y):
    """x and y as float arrays of one broadcast shape."""
    import numpy as np

    x, y = as_numbers(x, "x").astype(float), as_numbers(y, "y").astype(float)
    try:
        np.broadcast_shapes(x.shape, y.shape)
    except ValueError:
        raise ValueError(f"x and y must have the same shape (or broadcast), got {x.shape} and "
                         f"{y.shape}") from None
    return x, y


def surface_loss(surface: str, x, y):
    """L(x, y) of a named surface (see :data:`LOSS_SURFACES`); x, y arrays of any (equal) shape."""
    import numpy as np

    check_surface(surface)
    x, y = _surface_xy(x, y)
    if surface == "ravine":
        return 0.5 * (x**2 + 20 * y**2)
    if surface == "rosenbrock":
        return (1 - x) ** 2 + 5 * (y - x**2) ** 2
    return 0.25 * (x**2 + 2 * y**2) - 0.4 * np.cos(3 * x) * np.cos(3 * y) + 0.4


def surface_grad(surface: str, x, y):
    """(dL/dx, dL/dy) of a named surface, by hand (tests check it against autograd)."""
    import numpy as np

    check_surface(surface)
    x, y = _surface_xy(x, y)
    if surface == "ravine":
        return x, 20 * y
    if surface == "rosenbrock":
        return -2 * (1 - x) - 20 * x * (y - x**2), 10 * (y - x**2)
    return (0.5 * x + 1.2 * np.sin(3 * x) * np.cos(3 * y),
            y + 1.2 * np.cos(3 * x) * np.sin(3 * y))


def momentum_path(surface: str, start, lr: float, momentum: float = 0.0, steps: int = 50,
                  noise: float = 0.0, seed: int = 0, limit: float = 1e3):
    """The points visited by AlexNet's rule on a 2-D surface, from ``start``.

    Math: v <- momentum * v - lr * (grad L(w) + noise * eps), w <- w + v, with eps ~ N(0, I)
    standing in for mini-batch noise (``noise=0``: exact gradients; ``momentum=0``: plain
    gradient descent). Shape: -> (T + 1, 2) float, T <= ``steps``; the path stops early once a
    coordinate leaves [-limit, limit] or stops being finite (divergence). ``steps`` is at most
    :data:`course_utils._validate.MAX_ITERATIONS` (a Python loop).
    """
    import numpy as np

    check_surface(surface)
    lr, momentum = as_float(lr, "lr", finite=False), as_float(momentum, "momentum")
    if not lr > 0:
        raise ValueError(f"lr must be > 0, got {lr}")
    if not 0 <= momentum < 1:
        raise ValueError(f"momentum must be in [0, 1), got {momentum}")
    if isinstance(steps, bool) or not isinstance(steps, (int, np.integer)) or steps < 1:
        raise ValueError(f"steps must be a positive integer, got {steps!r}")
    if steps > MAX_ITERATIONS:
        raise ValueError(f"steps must be at most {MAX_ITERATIONS:,} (one Python loop step each), "
                         f"got {steps:,}")
    noise = as_float(noise, "noise")
    if noise < 0:
        raise ValueError(f"noise must be >= 0, got {noise}")
    seed = as_int(seed, "seed", 0)
    limit = as_float(limit, "limit", finite=False)
    try:
        w = np.array(as_numbers(start, "start"), dtype=float).reshape(2)
    except ValueError as e:
        raise ValueError(f"start must be a point (x, y) of two numbers, got {start!r}") from e
    if not np.isfinite(w).all():
        raise ValueError(f"start must be a finite point (x, y), got {start!r}")
    rng = np.random.default_rng(seed)
    v = np.zeros(2)
    path = [w.copy()]
    for _ in range(int(steps)):
        g = np.array(surface_grad(surface, w[0], w[1]), dtype=float)
        if noise:
            g = g + noise * rng.standard_normal(2)
        v = momentum * v - lr * g
        w = w + v
        if not np.all(np.isfinite(w)) or np.abs(w).max() > limit:
            break
        path.append(w.copy())
    return np.array(path)
