"""Pooling: the NumPy reference layer for chapter 1 (notebook 04).

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
"""
from __future__ import annotations

import numbers

import numpy as np

from .._validate import as_int, as_numbers, as_pair, check_elements
from ._sliding import pad2d, window_view
from .conv import output_size

__all__ = ["POOL_MODES", "pool2d", "pool2d_backward", "pool_output_size"]

POOL_MODES = ("max", "avg", "sum")


def _check(x, size, stride, padding, mode):
    """Validate the arguments; return (x as float array, (KH, KW), (SH, SW), (PH, PW),
    (H_out, W_out))."""
    if mode not in POOL_MODES:
        raise ValueError(f"unknown pooling mode {mode!r}: allowed are {', '.join(map(repr, POOL_MODES))}")
    x = as_numbers(x, "x")
    if x.ndim not in (2, 3, 4):
        raise ValueError(f"x must have 2 (H, W), 3 (C, H, W) or 4 (N, C, H, W) dimensions, "
                         f"got shape {x.shape}")
    if x.dtype.kind not in "biuf":
        raise ValueError(f"x must hold numbers, got dtype {x.dtype}")
    x = x.astype(np.result_type(x.dtype, np.float32), copy=False)
    k = as_pair(size, "size", 1)
    s = as_pair(k if stride is None else stride, "stride", 1)
    p = as_pair(padding, "padding", 0)
    for axis, kk, pp, n in zip(("height", "width"), k, p, x.shape[-2:]):
        if pp > kk // 2:
            raise ValueError(f"padding {pp} is more than half the window ({kk}) along the {axis}: "
                             f"allowed is 0 to {kk // 2}, so that every window sees real input")
        if kk > n + 2 * pp:
            raise ValueError(f"the window ({kk}) is larger than the padded input along the {axis} "
                             f"({n} + 2*{pp} = {n + 2 * pp}): choose a window of at most {n + 2 * pp}")
    out_hw = tuple((n - kk + 2 * pp) // ss + 1 for n, kk, ss, pp in zip(x.shape[-2:], k, s, p))
    check_elements(int(np.prod(x.shape[:-2], dtype=object)) * out_hw[0] * out_hw[1] * k[0] * k[1],
                   f"the windows of pooling x {x.shape} with size {k} and stride {s} (every "
                   "window's cells)", "use a smaller size, a larger stride or a smaller input")
    return x, k, s, p, out_hw


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
    k, s, p = (as_pair(size, "size", 1)[0], as_pair(size if stride is None else stride, "stride", 1)[0],
               as_pair(padding, "padding", 0)[0])
    if k > n + 2 * p:
        raise ValueError(f"the window ({k}) is larger than the padded input ({n} + 2*{p})")
    return output_size(n, k, s, p)


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
    x, k, s, p, out_hw = _check(x, size, stride, padding, mode)
    win = window_view(pad2d(x, p, -np.inf if mode == "max" else 0), k, s, out_hw)
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
    x, k, s, p, out_hw = _check(x, size, stride, padding, mode)
    dout = as_numbers(dout, "dout")
    want = x.shape[:-2] + out_hw
    if dout.shape != want:
        raise ValueError(f"dout has shape {dout.shape} but pool2d of x {x.shape} with size={size}, "
                         f"stride={stride}, padding={padding} has shape {want}")
    dout = dout.astype(np.result_type(dout.dtype, x.dtype, np.float32), copy=False)
    kh, kw = k
    if mode == "max":
        win = window_view(pad2d(x, p, -np.inf), k, s, out_hw)            # (..., Ho, Wo, KH, KW)
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


