"""The fully connected head: NumPy reference layers for chapter 1 (notebook 04), and the
parameter count that motivates convolutions (notebook 01).

The head (:func:`flatten`, :func:`relu`, :func:`linear`) uses PyTorch's layout for
the weights, ``W (M, D)``, so ``nn.Linear`` weights can be copied in unchanged;
:func:`parameter_counts` compares a fully connected first layer with a convolutional one (notebook 01).

Each layer follows the course's convention: ``*_forward`` returns ``(out, cache)`` and
``*_backward`` takes ``(dout, cache)``; the plain name (``linear``) is the forward pass alone.
dtypes: integer and bool inputs become float64 (a uint8 image never wraps around), floating ones
keep their precision (:func:`course_utils._validate.as_floats`).
"""
from __future__ import annotations

import numpy as np

from .._validate import as_floats, as_int, check_elements
from ._cache import Cache, Gradients, check_cache

__all__ = ["flatten", "flatten_forward", "flatten_backward", "relu", "relu_forward",
           "relu_backward", "linear", "linear_forward", "linear_backward", "parameter_counts"]


def _check_dout(dout, shape: tuple, layer: str) -> np.ndarray:
    """``dout`` as floats of the forward output's ``shape``."""
    dout = as_floats(dout, "dout")
    if dout.shape != shape:
        raise ValueError(f"dout must have the shape of {layer}'s output, {shape}, got {dout.shape}")
    return dout


def flatten_forward(x) -> tuple[np.ndarray, Cache]:
    """Flatten each example into a vector, in C order (as ``torch.flatten(x, 1)``), and the cache
    for :func:`flatten_backward` (the input's shape).

    Shapes: x (N, d1, d2, ...) -> (N, d1*d2*...).
    """
    x = as_floats(x, "x")
    if x.ndim < 2:
        raise ValueError(f"x must have a batch axis and at least one more, got shape {x.shape}")
    return x.reshape(x.shape[0], -1), Cache("flatten", shape=x.shape)


def flatten(x) -> np.ndarray:
    """Flatten each example into a vector, in C order (as ``torch.flatten(x, 1)``).

    Shapes: x (N, d1, d2, ...) -> (N, d1*d2*...).
    """
    return flatten_forward(x)[0]


def flatten_backward(dout, cache) -> np.ndarray:
    """Gradient of :func:`flatten`: ``dout`` reshaped back to the input's shape.

    Shapes: dout (N, d1*d2*...) -> dx (N, d1, d2, ...).
    """
    shape = check_cache(cache, "flatten").shape
    return _check_dout(dout, (shape[0], int(np.prod(shape[1:]))), "flatten").reshape(shape)


def relu_forward(x) -> tuple[np.ndarray, Cache]:
    """Rectified linear unit, element-wise: ``max(x, 0)``, any shape; and the cache for
    :func:`relu_backward` (x)."""
    x = as_floats(x, "x")
    return np.maximum(x, 0), Cache("relu", x=x)


def relu(x) -> np.ndarray:
    """Rectified linear unit, element-wise: ``max(x, 0)``. Any shape."""
    return relu_forward(x)[0]


def relu_backward(dout, cache) -> np.ndarray:
    """Gradient of :func:`relu`: ``dx = dout * (x > 0)`` (0 at x = 0, as PyTorch). Any shape."""
    x = check_cache(cache, "relu").x
    dout = _check_dout(dout, x.shape, "relu")
    return np.where(x > 0, dout, 0).astype(np.result_type(dout, x), copy=False)


def linear_forward(x, w, b=None) -> tuple[np.ndarray, Cache]:
    """A fully connected layer: every output neuron sees every input number; and the cache for
    :func:`linear_backward` (x and w).

    Shapes: x (N, D), w (M, D) (PyTorch's ``nn.Linear.weight`` layout), b (M,) -> (N, M).
    Math:   z[n, m] = b[m] + sum_d w[m, d] * x[n, d]      (z = x W^T + b)
    Parameters: M*D weights + M biases.
    """
    x, w = as_floats(x, "x"), as_floats(w, "w")
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
        b = as_floats(b, "b")
        if b.shape != (w.shape[0],):
            raise ValueError(f"b must have shape ({w.shape[0]},), one bias per output, got {b.shape}")
        z = z + b
    return z, Cache("linear", x=x, w=w, dtype=z.dtype)


def linear(x, w, b=None) -> np.ndarray:
    """A fully connected layer: every output neuron sees every input number.

    Shapes: x (N, D), w (M, D) (PyTorch's ``nn.Linear.weight`` layout), b (M,) -> (N, M).
    Math:   z[n, m] = b[m] + sum_d w[m, d] * x[n, d]      (z = x W^T + b)
    Parameters: M*D weights + M biases.
    """
    return linear_forward(x, w, b)[0]


def linear_backward(dz, cache, w=None) -> Gradients:
    """Gradients of a fully connected layer.

    ``linear_backward(dz, cache)``, with the cache of :func:`linear_forward`, is the convention of
    the course's layers; the older form ``linear_backward(dz, x, w)`` takes the inputs instead.

    Shapes: dz (N, M), x (N, D), w (M, D) -> Gradients(dx (N, D), dw (M, D), db (M,)), a tuple.
    Math:   dx = dz W,  dW = dz^T x,  db = sum_n dz[n]
    """
    if isinstance(cache, Cache):
        if w is not None:
            raise ValueError("linear_backward(dz, cache) takes nothing else: the cache holds w")
        c = check_cache(cache, "linear")
        x, w, dtype = c.x, c.w, c.dtype
    else:   # the older form: (dz, x, w)
        x, w = as_floats(cache, "x"), as_floats(w, "w")
        dtype = np.result_type(x, w)
    dz = as_floats(dz, "dz")
    if dz.ndim != 2 or x.ndim != 2 or w.ndim != 2 or dz.shape != (x.shape[0], w.shape[0]) \
            or x.shape[1] != w.shape[1]:
        raise ValueError(f"expected dz (N, M), x (N, D), w (M, D); got dz {dz.shape}, x {x.shape}, "
                         f"w {w.shape}")
    dz = dz.astype(np.result_type(dz, dtype), copy=False)
    return Gradients(dz @ w, dz.T @ x, dz.sum(axis=0))


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
