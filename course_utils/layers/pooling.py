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
* The layer follows the course's convention: :func:`pool2d_forward` returns ``(out, cache)`` and
  :func:`pool2d_backward` takes ``(dout, cache)``; :func:`pool2d` is the forward pass alone.
* dtypes: integer and bool inputs become float64 (max pooling included), floating ones keep their
  precision (:func:`course_utils._validate.as_floats`).
"""
from __future__ import annotations

import numpy as np

from .._validate import as_floats, as_pair, check_elements, strict_int
from ._cache import Cache, check_cache
from ._sliding import pad2d, window_view
from .sizes import output_size

__all__ = ["POOL_MODES", "pool2d", "pool2d_forward", "pool2d_backward", "pool_output_size"]

POOL_MODES = ("max", "avg", "sum")


def _check_padding(k: int, p: int, axis: str) -> None:
    """PyTorch's rule: padding at most half the window, so every window sees real input."""
    if p > k // 2:
        raise ValueError(f"padding {p} is more than half the window ({k}){axis}: allowed is 0 to "
                         f"{k // 2}, so that every window sees real input")


def _check(x, size, stride, padding, mode) -> Cache:
    """Validate a pooling call; return its cache (x as a float array, the window, stride, padding,
    mode and output size)."""
    if mode not in POOL_MODES:
        raise ValueError(f"unknown pooling mode {mode!r}: allowed are {', '.join(map(repr, POOL_MODES))}")
    x = as_floats(x, "x")
    if x.ndim not in (2, 3, 4):
        raise ValueError(f"x must have 2 (H, W), 3 (C, H, W) or 4 (N, C, H, W) dimensions, "
                         f"got shape {x.shape}")
    k = as_pair(size, "size", 1)
    s = as_pair(k if stride is None else stride, "stride", 1)
    p = as_pair(padding, "padding", 0)
    for axis, kk, pp, n in zip(("height", "width"), k, p, x.shape[-2:]):
        _check_padding(kk, pp, f" along the {axis}")
        if kk > n + 2 * pp:
            raise ValueError(f"the window ({kk}) is larger than the padded input along the {axis} "
                             f"({n} + 2*{pp} = {n + 2 * pp}): choose a window of at most {n + 2 * pp}")
    out_hw = tuple(output_size(n, kk, ss, pp) for n, kk, ss, pp in zip(x.shape[-2:], k, s, p))
    check_elements(int(np.prod(x.shape[:-2], dtype=object)) * out_hw[0] * out_hw[1] * k[0] * k[1],
                   f"the windows of pooling x {x.shape} with size {k} and stride {s} (every "
                   "window's cells)", "use a smaller size, a larger stride or a smaller input")
    return Cache("pool2d", x=x, size=k, stride=s, padding=p, mode=mode, out_hw=out_hw)


def pool_output_size(n: int, size: int, stride: int | None = None, padding: int = 0,
                     strict: bool = False) -> int:
    """Output length of pooling along one axis: ``floor((n - size + 2*padding) / stride) + 1``.

    One axis, so every argument is one integer (``size=(2, 3)`` raises: call it once per axis);
    ``stride=None`` means ``stride = size``; ``padding`` is at most ``size // 2`` (as in PyTorch).
    It is :func:`~course_utils.layers.sizes.output_size` with pooling's defaults, ``strict``
    included: ``strict=True`` raises when some input rows are never read.

    >>> pool_output_size(4, 2), pool_output_size(5, 2), pool_output_size(7, 3, 2, 1)
    (2, 2, 4)
    """
    for name, value in (("size", size), ("stride", stride), ("padding", padding)):
        if isinstance(value, (tuple, list)):
            raise ValueError(f"{name} must be one integer (pool_output_size works along one axis; "
                             f"call it once per axis for a pair), got {value!r}")
    k = strict_int(size, "size", 1)
    s = k if stride is None else strict_int(stride, "stride", 1)
    p = strict_int(padding, "padding", 0)
    _check_padding(k, p, "")
    return output_size(n, k, s, p, strict=strict)


def pool2d_forward(x, size=2, stride=None, mode: str = "max", padding=0) -> tuple[np.ndarray, Cache]:
    """Max, average or sum pooling over the last two axes, and the cache for
    :func:`pool2d_backward` (it holds x and the settings).

    Shapes: x (H, W), (C, H, W) or (N, C, H, W) -> (..., H_out, W_out) with the same leading axes,
            H_out = floor((H - KH + 2*PH) / SH) + 1, W_out = floor((W - KW + 2*PW) / SW) + 1.
    Math:   y[..., i, j] = reduce_{u<KH, v<KW} x_pad[..., i*SH + u, j*SW + v],
            reduce = max, mean (over KH*KW cells, padding included) or sum.

    ``size``/``stride``/``padding``: int or (h, w); ``stride=None`` means ``stride = size``.
    """
    c = _check(x, size, stride, padding, mode)
    win = window_view(pad2d(c.x, c.padding, -np.inf if mode == "max" else 0), c.size, c.stride,
                      c.out_hw)
    if mode == "max":
        return win.max(axis=(-2, -1)), c
    total = win.sum(axis=(-2, -1))
    return (total / (c.size[0] * c.size[1]) if mode == "avg" else total), c


def pool2d(x, size=2, stride=None, mode: str = "max", padding=0) -> np.ndarray:
    """Max, average or sum pooling over the last two axes: the output of :func:`pool2d_forward`.

    Shapes: x (H, W), (C, H, W) or (N, C, H, W) -> (..., H_out, W_out) with the same leading axes.
    Math:   y[..., i, j] = max, mean or sum of x_pad[..., i*SH + u, j*SW + v], u < KH, v < KW.

    >>> x = np.array([[1, 1, 2, 4], [5, 6, 7, 8], [3, 2, 1, 0], [1, 2, 3, 4]])
    >>> pool2d(x, 2, mode="max")
    array([[6., 8.],
           [3., 4.]])
    >>> pool2d(x, 2, mode="avg")
    array([[3.25, 5.25],
           [2.  , 2.  ]])
    """
    return pool2d_forward(x, size, stride, mode, padding)[0]


def pool2d_backward(dout, cache, size=2, stride=None, mode: str = "max", padding=0) -> np.ndarray:
    """Gradient of the loss with respect to ``x``, given its gradient ``dout`` w.r.t. the output.

    ``pool2d_backward(dout, cache)``, with the cache of :func:`pool2d_forward`, is the convention
    of the course's layers. The older form ``pool2d_backward(dout, x, size, stride, mode,
    padding)`` takes the input and the settings instead of the cache and gives the same gradient.

    Shapes: dout (..., H_out, W_out) (the shape ``pool2d`` returns), x (..., H, W) -> dx like x.
    Math:   dx[..., a, b] = sum over windows (i, j) that contain (a, b) of dout[..., i, j] * g, with
            g = 1 if (a, b) is the window's argmax else 0          (max; ties: first in row-major order)
            g = 1 / (KH*KW)                                        (avg)
            g = 1                                                  (sum)
    """
    if isinstance(cache, Cache):
        if (size, stride, mode, padding) != (2, None, "max", 0):
            raise ValueError("pool2d_backward(dout, cache) takes nothing else: the cache holds the "
                             "size, stride, mode and padding")
        c = check_cache(cache, "pool2d")
    else:   # the older form: (dout, x, size, stride, mode, padding)
        c = _check(cache, size, stride, padding, mode)
    x, k, s, p, out_hw = c.x, c.size, c.stride, c.padding, c.out_hw
    dout = as_floats(dout, "dout")
    want = x.shape[:-2] + out_hw
    if dout.shape != want:
        raise ValueError(f"dout has shape {dout.shape} but pool2d of x {x.shape} with size={k}, "
                         f"stride={s}, padding={p} has shape {want}")
    dout = dout.astype(np.result_type(dout, x), copy=False)
    kh, kw = k
    if c.mode == "max":
        win = window_view(pad2d(x, p, -np.inf), k, s, out_hw)            # (..., Ho, Wo, KH, KW)
        first = win.reshape(*win.shape[:-2], kh * kw).argmax(axis=-1)  # first maximum, row-major
        onehot = np.arange(kh * kw) == first[..., None]               # (..., Ho, Wo, KH*KW)
        dwin = (onehot * dout[..., None]).reshape(win.shape)
    else:
        g = 1.0 / (kh * kw) if c.mode == "avg" else 1.0
        dwin = np.broadcast_to((dout * g)[..., None, None], dout.shape + (kh, kw))
    # scatter-add each window cell (u, v) back to its input position: one strided slice per cell
    H, W = x.shape[-2] + 2 * p[0], x.shape[-1] + 2 * p[1]
    dxp = np.zeros(x.shape[:-2] + (H, W), dtype=dout.dtype)
    (ho, wo), (sh, sw) = out_hw, s
    for u in range(kh):
        for v in range(kw):
            dxp[..., u : u + (ho - 1) * sh + 1 : sh, v : v + (wo - 1) * sw + 1 : sw] += dwin[..., u, v]
    return dxp[..., p[0] : H - p[0], p[1] : W - p[1]]
