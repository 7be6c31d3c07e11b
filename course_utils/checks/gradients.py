"""Finite differences: check a backward pass you wrote yourself, without PyTorch.

The idea (cs231n's "gradient check"): for a scalar function ``f`` of an array ``x``, nudge one
number of ``x`` at a time and watch ``f`` move,

    df/dx[i] ≈ (f(x + eps e_i) - f(x - eps e_i)) / (2 eps)        (central differences),

then compare with the gradient your backward pass computed. A layer's backward pass takes the
gradient ``dout`` of the loss with respect to the layer's output; pick any ``dout`` and check the
scalar ``f(x) = sum(dout * layer(x))``, whose gradient with respect to ``x`` is exactly what
``backward(dout, x)`` must return::

    dout = rng.standard_normal(pool2d(x, 3, 2).shape)
    grad_check(lambda x: np.sum(dout * pool2d(x, 3, 2)), x, my_backward(dout, x, 3, 2))

Where ``f`` is not differentiable (max pooling with two equal values in a window, ReLU at 0) the
two sides can disagree by construction: use random inputs, which have no ties.
"""
from __future__ import annotations

import numbers
from typing import Callable

import numpy as np

from .._validate import as_float, as_numbers

__all__ = ["numerical_gradient", "grad_check"]

MAX_GRAD_CHECK_ELEMENTS = 20_000
"""Central differences call ``f`` twice per number of ``x``: beyond this, use a smaller ``x``."""


def _scalar(f: Callable, x: np.ndarray) -> float:
    out = f(x)
    value = out.detach().cpu().numpy() if hasattr(out, "detach") else out
    try:
        value = np.asarray(value)
    except (ValueError, TypeError):
        value = np.asarray(None)
    if value.size != 1 or value.dtype.kind not in "biuf":
        raise ValueError(f"f must return one real number (for a layer: np.sum(dout * layer(x))), "
                         f"got {type(out).__name__} {str(out)[:60]}")
    return float(value.reshape(()))


def numerical_gradient(f: Callable, x, eps: float = 1e-6) -> np.ndarray:
    """Central-difference gradient of the scalar function ``f`` at ``x``.

    Shapes: x any shape -> the same shape.
    Math:   g[i] = (f(x + eps e_i) - f(x - eps e_i)) / (2 eps); error O(eps²) for smooth f.

    >>> numerical_gradient(lambda v: np.sum(v ** 2), np.array([1.0, -2.0])).round(6)
    array([ 2., -4.])
    """
    if not callable(f):
        raise ValueError(f"f must be a function of x returning one number, got {type(f).__name__}")
    x = as_numbers(x, "x")
    if x.dtype.kind not in "biuf" or x.size == 0:
        raise ValueError(f"x must be a non-empty array of real numbers, got dtype {x.dtype} "
                         f"and shape {x.shape}")
    if x.size > MAX_GRAD_CHECK_ELEMENTS:
        raise ValueError(f"x has {x.size:,} numbers; a gradient check calls f twice per number: "
                         f"use at most {MAX_GRAD_CHECK_ELEMENTS:,} (a smaller x checks as well)")
    eps = as_float(eps, "eps", minimum=1e-12, maximum=1.0)
    x = x.astype(float)                                   # float64: differences of 1e-6 need it
    grad = np.zeros_like(x)
    flat, gflat = x.reshape(-1), grad.reshape(-1)
    for i in range(flat.size):
        old = flat[i]
        flat[i] = old + eps
        up = _scalar(f, x)
        flat[i] = old - eps
        down = _scalar(f, x)
        flat[i] = old
        gflat[i] = (up - down) / (2 * eps)
    return grad


def grad_check(f: Callable, x, grad, eps: float = 1e-6, tol: float = 1e-6) -> float:
    """Compare ``grad`` (your backward pass) with the central-difference gradient of ``f`` at
    ``x``; print the verdict and return the largest relative error.

    Relative error per number: |a - n| / max(|a| + |n|, 1e-12) (a: yours, n: numerical); a
    correct float64 backward pass gives about 1e-10, a wrong one more than 1e-2.

    >>> err = grad_check(lambda v: np.sum(v ** 3), np.array([1.0, 2.0]), np.array([3.0, 12.0]))
    ... # doctest: +ELLIPSIS
    gradient check passed: largest relative error ...e-1... (tolerance 1e-06) over 2 numbers.
    """
    numeric = numerical_gradient(f, x, eps)
    if hasattr(grad, "detach"):
        grad = grad.detach().cpu().numpy()
    ours = as_numbers(grad, "grad")
    if ours.shape != numeric.shape:
        raise ValueError(f"grad has shape {ours.shape} but x has shape {numeric.shape}: a gradient "
                         "has one number per number of x")
    if ours.dtype.kind not in "biuf":
        raise ValueError(f"grad must hold real numbers, got dtype {ours.dtype}")
    if isinstance(tol, bool) or not isinstance(tol, numbers.Real):
        raise ValueError(f"tol must be a number, got {tol!r}")
    tol = as_float(tol, "tol", minimum=0.0, maximum=1.0)
    ours = ours.astype(float)
    rel = np.abs(ours - numeric) / np.maximum(np.abs(ours) + np.abs(numeric), 1e-12)
    worst = float(np.nanmax(rel)) if np.isfinite(rel).any() else float("inf")
    if not np.isfinite(ours).all():
        worst = float("inf")
    if worst <= tol:
        print(f"gradient check passed: largest relative error {worst:.1e} (tolerance {tol:g}) "
              f"over {rel.size:,} numbers.")
    else:
        at = np.unravel_index(int(np.nanargmax(np.where(np.isfinite(rel), rel, np.inf))), rel.shape)
        at = tuple(int(i) for i in at)
        print(f"gradient check FAILED: largest relative error {worst:.1e} (tolerance {tol:g}) at "
              f"index {at}: yours {ours[at]:.6g}, numerical {numeric[at]:.6g}. "
              f"{int((rel > tol).sum())} of {rel.size} numbers differ.")
    return worst
