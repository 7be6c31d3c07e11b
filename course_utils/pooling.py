"""Pooling and the fully connected head: NumPy reference layers for chapter 1 (notebook 04).

Pooling slides a ``KH x KW`` window over each channel with a stride and keeps one number per
window; it has no weights. Three modes:

* ``"max"``: ``y[..., i, j] = max_{u, v} x_pad[..., i*SH + u, j*SW + v]``
* ``"avg"``: ``y[..., i, j] = 1 / (KH*KW) * sum_{u, v} x_pad[..., i*SH + u, j*SW + v]``
* ``"sum"``: ``y[..., i, j] = sum_{u, v} x_pad[..., i*SH + u, j*SW + v]``  (= avg * KH*KW)

with ``0 <= u < KH``, ``0 <= v < KW`` and the output size of a convolution,
``H_out = floor((H - KH + 2*PH) / SH) + 1`` (same for W). Channels are pooled independently.

Conventions, chosen to match PyTorch (``F.max_pool2d``, ``F.avg_pool2d``):

* ``size``, ``stride`` and ``padding`` are an int or an ``(h, w)`` pair; ``stride`` defaults to
  ``size`` (non-overlapping windows).
* Inputs may be ``(H, W)``, ``(C, H, W)`` or ``(N, C, H, W)``: the last two axes are pooled and the
  leading ones are kept, so the output has the input's number of dimensions.
* Padding (at most half the window, as in PyTorch) pads with ``-inf`` for max pooling (a padded
  cell never wins) and with zeros for avg and sum; avg divides by the full window area, padded
  cells included (PyTorch's ``count_include_pad=True``).
* Max pooling's gradient goes to the window's maximum; when several cells tie, to the **first** in
  row-major order within the window (what PyTorch's CPU kernel does). With overlapping windows a
  cell collects the gradients of every window it wins.

The fully connected head (:func:`flatten`, :func:`relu`, :func:`linear`) uses PyTorch's layout for
the weights, ``W (M, D)``, so ``nn.Linear`` weights can be copied in unchanged;
:func:`parameter_counts` compares a fully connected first layer with a convolutional one (notebook 01).
"""
from __future__ import annotations

import numbers

import numpy as np

from ._validate import as_int, as_numbers, check_elements

__all__ = ["POOL_MODES", "pool2d", "pool2d_backward", "pool_output_size", "flatten", "relu",
           "linear", "linear_backward", "parameter_counts"]

POOL_MODES = ("max", "avg", "sum")


def _pair(value, name: str, minimum: int) -> tuple[int, int]:
    """``3 -> (3, 3)``; ``(2, 3) -> (2, 3)``; checks integers ``>= minimum``."""
    items = tuple(value) if isinstance(value, (tuple, list)) else (value, value)
    if len(items) != 2:
        raise ValueError(f"{name} must be an int or a pair (h, w), got {value!r}")
    out = []
    for v in items:
        if isinstance(v, bool) or not isinstance(v, numbers.Integral):
            raise ValueError(f"{name} must be an int or a pair of ints (h, w), got {value!r}")
        if v < minimum:
            raise ValueError(f"{name} must be at least {minimum}, got {value!r}")
        out.append(int(v))
    return out[0], out[1]


def _check(x, size, stride, padding, mode):
    """Validate the arguments; return (x as float array, (KH, KW), (SH, SW), (PH, PW))."""
    if mode not in POOL_MODES:
        raise ValueError(f"unknown pooling mode {mode!r}: allowed are {', '.join(map(repr, POOL_MODES))}")
    x = as_numbers(x, "x")
    if x.ndim not in (2, 3, 4):
        raise ValueError(f"x must have 2 (H, W), 3 (C, H, W) or 4 (N, C, H, W) dimensions, "
                         f"got shape {x.shape}")
    if x.dtype.kind not in "biuf":
        raise ValueError(f"x must hold numbers, got dtype {x.dtype}")
    x = x.astype(np.result_type(x.dtype, np.float32), copy=False)
    k = _pair(size, "size", 1)
    s = _pair(k if stride is None else stride, "stride", 1)
    p = _pair(padding, "padding", 0)
    for axis, kk, pp, n in zip(("height", "width"), k, p, x.shape[-2:]):
        if pp > kk // 2:
            raise ValueError(f"padding {pp} is more than half the window ({kk}) along the {axis}: "
                             f"allowed is 0 to {kk // 2}, so that every window sees real input")
        if kk > n + 2 * pp:
            raise ValueError(f"the window ({kk}) is larger than the padded input along the {axis} "
                             f"({n} + 2*{pp} = {n + 2 * pp}): choose a window of at most {n + 2 * pp}")
    out_hw = [(n - kk + 2 * pp) // ss + 1 for n, kk, ss, pp in zip(x.shape[-2:], k, s, p)]
    check_elements(int(np.prod(x.shape[:-2], dtype=object)) * out_hw[0] * out_hw[1] * k[0] * k[1],
                   f"the windows of pooling x {x.shape} with size {k} and stride {s} (every "
                   "window's cells)", "use a smaller size, a larger stride or a smaller input")
    return x, k, s, p


def pool_output_size(n: int, size: int, stride: int | None = None, padding: int = 0) -> int:
    """Output length of pooling along one axis: ``floor((n - size + 2*padding) / stride) + 1``.

    One axis, so every argument is one integer (``size=(2, 3)`` raises: call it once per axis).

    >>> pool_output_size(4, 2), pool_output_size(5, 2), pool_output_size(7, 3, 2, 1)
    (2, 2, 4)
    """
    for name, value in (("size", size), ("stride", stride), ("padding", padding)):
        if isinstance(value, (tuple, list)):
            raise ValueError(f"{name} must be one integer (pool_output_size works along one axis; "
                             f"call it once per axis for a pair), got {value!r}")
    if isinstance(n, bool) or not isinstance(n, numbers.Integral):
        raise ValueError(f"n (input size) must be an integer, got {type(n).__name__} {n!r}")
    n = as_int(n, "n (input size)", 1)
    k, s, p = (_pair(size, "size", 1)[0], _pair(size if stride is None else stride, "stride", 1)[0],
               _pair(padding, "padding", 0)[0])
    if k > n + 2 * p:
        raise ValueError(f"the window ({k}) is larger than the padded input ({n} + 2*{p})")
    return (n - k + 2 * p) // s + 1


def _windows(xp: np.ndarray, k, s, out_hw) -> np.ndarray:
    """View of every window: (..., H_out, W_out, KH, KW), no copy."""
    win = np.lib.stride_tricks.sliding_window_view(xp, k, axis=(-2, -1))
    return win[..., : (out_hw[0] - 1) * s[0] + 1 : s[0], : (out_hw[1] - 1) * s[1] + 1 : s[1], :, :]


def _pad(x, p, value):
    if p == (0, 0):
        return x
    width = [(0, 0)] * (x.ndim - 2) + [(p[0], p[0]), (p[1], p[1])]
    return np.pad(x, width, constant_values=value)


def pool2d(x, size=2, stride=None, mode: str = "max", padding=0) -> np.ndarray:
    """Max, average or sum pooling over the last two axes.

    Shapes: x (H, W), (C, H, W) or (N, C, H, W) -> (..., H_out, W_out) with the same leading axes,
            H_out = floor((H - KH + 2*PH) / SH) + 1, W_out = floor((W - KW + 2*PW) / SW) + 1.
    Math:   y[..., i, j] = reduce_{u<KH, v<KW} x_pad[..., i*SH + u, j*SW + v],
            reduce = max, mean (over KH*KW cells, padding included) or sum.

    ``size``/``stride``/``padding``: int or (h, w); ``stride=None`` means ``stride = size``.

    >>> x = np.array([[1, 1, 2, 4], [5, 6, 7, 8], [3, 2, 1, 0], [1, 2, 3, 4]])
    >>> pool2d(x, 2, mode="max")
    array([[6., 8.],
           [3., 4.]])
    >>> pool2d(x, 2, mode="avg")
    array([[3.25, 5.25],
           [2.  , 2.  ]])
    """
    x, k, s, p = _check(x, size, stride, padding, mode)
    out_hw = tuple((n - kk + 2 * pp) // ss + 1 for n, kk, ss, pp in zip(x.shape[-2:], k, s, p))
    win = _windows(_pad(x, p, -np.inf if mode == "max" else 0), k, s, out_hw)
    if mode == "max":
        return win.max(axis=(-2, -1))
    total = win.sum(axis=(-2, -1))
    return total / (k[0] * k[1]) if mode == "avg" else total


def pool2d_backward(dout, x, size=2, stride=None, mode: str = "max", padding=0) -> np.ndarray:
    """Gradient of the loss with respect to ``x``, given its gradient ``dout`` w.r.t. the output.

    Shapes: dout (..., H_out, W_out) (the shape ``pool2d`` returns), x (..., H, W) -> dx like x.
    Math:   dx[..., a, b] = sum over windows (i, j) that contain (a, b) of dout[..., i, j] * g, with
            g = 1 if (a, b) is the window's argmax else 0          (max; ties: first in row-major order)
            g = 1 / (KH*KW)                                        (avg)
            g = 1                                                  (sum)
    """
    x, k, s, p = _check(x, size, stride, padding, mode)
    out_hw = tuple((n - kk + 2 * pp) // ss + 1 for n, kk, ss, pp in zip(x.shape[-2:], k, s, p))
    dout = as_numbers(dout, "dout")
    want = x.shape[:-2] + out_hw
    if dout.shape != want:
        raise ValueError(f"dout has shape {dout.shape} but pool2d of x {x.shape} with size={size}, "
                         f"stride={stride}, padding={padding} has shape {want}")
    dout = dout.astype(np.result_type(dout.dtype, x.dtype, np.float32), copy=False)
    kh, kw = k
    if mode == "max":
        win = _windows(_pad(x, p, -np.inf), k, s, out_hw)            # (..., Ho, Wo, KH, KW)
        first = win.reshape(*win.shape[:-2], kh * kw).argmax(axis=-1)  # first maximum, row-major
        onehot = np.arange(kh * kw) == first[..., None]               # (..., Ho, Wo, KH*KW)
        dwin = (onehot * dout[..., None]).reshape(win.shape)
    else:
        g = 1.0 / (kh * kw) if mode == "avg" else 1.0
        dwin = np.broadcast_to((dout * g)[..., None, None], dout.shape + (kh, kw))
    # scatter-add each window cell (u, v) back to its input position: one strided slice per cell
    H, W = x.shape[-2] + 2 * p[0], x.shape[-1] + 2 * p[1]
    dxp = np.zeros(x.shape[:-2] + (H, W), dtype=dout.dtype)
    (ho, wo), (sh, sw) = out_hw, s
    for u in range(kh):
        for v in range(kw):
            dxp[..., u : u + (ho - 1) * sh + 1 : sh, v : v + (wo - 1) * sw + 1 : sw] += dwin[..., u, v]
    return dxp[..., p[0] : H - p[0], p[1] : W - p[1]]


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
