"""The fully connected head: NumPy reference layers for chapter 1 (notebook 04), and the
parameter count that motivates convolutions (notebook 01).

The head (:func:`flatten`, :func:`relu`, :func:`linear`) uses PyTorch's layout for
the weights, ``W (M, D)``, so ``nn.Linear`` weights can be copied in unchanged;
:func:`parameter_counts` compares a fully connected first layer with a convolutional one (notebook 01).
"""
from __future__ import annotations

import numpy as np

from .._validate import as_int, as_numbers, check_elements

__all__ = ["flatten", "relu", "linear", "linear_backward", "parameter_counts"]


def flatten(x) -> np.ndarray:
    """Flatten each example into a vector, in C order (as ``torch.flatten(x, 1)``).

    Shapes: x (N, d1, d2, ...) -> (N, d1*d2*...).
    """
    x = as_numbers(x, "x")
    if x.ndim < 2:
        raise ValueError(f"x must have a batch axis and at least one more, got shape {x.shape}")
    return x.reshape(x.shape[0], -1)


def relu(x) -> np.ndarray:
    """Rectified linear unit, element-wise: ``max(x, 0)``. Any shape."""
    return np.maximum(as_numbers(x, "x"), 0)


def linear(x, w, b=None) -> np.ndarray:
    """A fully connected layer: every output neuron sees every input number.

    Shapes: x (N, D), w (M, D) (PyTorch's ``nn.Linear.weight`` layout), b (M,) -> (N, M).
    Math:   z[n, m] = b[m] + sum_d w[m, d] * x[n, d]      (z = x W^T + b)
    Parameters: M*D weights + M biases.
    """
    x, w = as_numbers(x, "x"), as_numbers(w, "w")
    if x.ndim != 2:
        raise ValueError(f"x must be (N, D) (flatten it first), got shape {x.shape}")
    if w.ndim != 2:
        raise ValueError(f"w must be (M, D), got shape {w.shape}")
    if w.shape[1] != x.shape[1]:
        raise ValueError(f"x has {x.shape[1]} features per example but w expects {w.shape[1]} "
                         f"(w has shape {w.shape} = (outputs, inputs))")
    check_elements(x.shape[0] * w.shape[0], f"the output (N, M) = ({x.shape[0]}, {w.shape[0]}) "
                   "of x and w", "use a smaller batch x or fewer outputs in w")
    z = x @ w.T
    if b is not None:
        b = as_numbers(b, "b")
        if b.shape != (w.shape[0],):
            raise ValueError(f"b must have shape ({w.shape[0]},), one bias per output, got {b.shape}")
        z = z + b
    return z


def linear_backward(dz, x, w) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Gradients of a fully connected layer.

    Shapes: dz (N, M), x (N, D), w (M, D) -> dx (N, D), dw (M, D), db (M,).
    Math:   dx = dz W,  dW = dz^T x,  db = sum_n dz[n]
    """
    dz, x, w = as_numbers(dz, "dz"), as_numbers(x, "x"), as_numbers(w, "w")
    if dz.ndim != 2 or x.ndim != 2 or w.ndim != 2 or dz.shape != (x.shape[0], w.shape[0]) \
            or x.shape[1] != w.shape[1]:
        raise ValueError(f"expected dz (N, M), x (N, D), w (M, D); got dz {dz.shape}, x {x.shape}, "
                         f"w {w.shape}")
    return dz @ w, dz.T @ x, dz.sum(axis=0)


def parameter_counts(side: int, channels: int = 3, units: int = 1000, filters: int = 64,
                     kernel: int = 3) -> dict[str, int]:
    """Parameters of a first layer on a ``side x side x channels`` image.

    one neuron (fully connected): side*side*channels weights
    fully connected layer:        units * (side*side*channels + 1)     (weights + biases)
    convolutional layer:          filters * (kernel*kernel*channels + 1), whatever the image size

    >>> parameter_counts(200, 3, 1000, 64, 3)
    {'one neuron': 120000, 'fully connected layer': 120001000, 'conv layer': 1792}
    """
    side, channels, units, filters, kernel = (
        as_int(v, name, 1) for name, v in dict(side=side, channels=channels, units=units,
                                               filters=filters, kernel=kernel).items())
    d = side * side * channels
    return {"one neuron": d, "fully connected layer": units * (d + 1),
            "conv layer": filters * (kernel * kernel * channels + 1)}
