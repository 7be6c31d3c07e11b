"""Convolution, the NumPy reference: one-channel correlation and convolution, the conv layer forward
and backward (its sizes live in :mod:`course_utils.layers.sizes`).

Deep-learning libraries call *cross-correlation* "convolution": the kernel slides over the input
without being flipped. Everything here follows that convention (as ``torch.nn.functional.conv2d``
does); :func:`convolve2d` is the textbook convolution (kernel flipped) for comparison.

Conventions
-----------
* Layouts are PyTorch's: inputs ``x (N, C, H, W)``, filters ``w (F, C, KH, KW)``, bias ``b (F,)``.
* ``stride`` and ``padding`` are an int (the same for height and width) or an ``(h, w)`` pair.
  Padding is with zeros, on both sides.
* Output size per spatial axis (the brackets are floor, as PyTorch computes it)::

      n_out = floor((n - f + 2p) / s) + 1

* The layer follows the course's convention: :func:`conv2d_forward` returns ``(out, cache)`` and
  :func:`conv2d_backward` takes ``(dout, cache)``; :func:`conv2d` is the forward pass alone.
* dtypes: integer and bool inputs become float64, floating ones keep their precision
  (:func:`course_utils._validate.as_floats`).

Bad input (wrong number of dimensions, channel mismatch, stride < 1, negative padding, a window
larger than the padded input, arrays larger than :data:`course_utils._validate.MAX_ELEMENTS`)
raises ``ValueError`` that says what was wrong and what is allowed, before anything is allocated.
Inputs may be NumPy arrays, nested lists or torch tensors.
"""
from __future__ import annotations

import time
import timeit

import numpy as np

from .._validate import (
    as_float,
    as_floats,
    as_int,
    as_pair,
    check_elements,
    check_iterations,
)
from ._cache import Cache, Gradients, check_cache
from ._sliding import pad2d, window_view
from .sizes import output_size

__all__ = ["KERNELS", "correlate2d", "convolve2d", "conv2d_naive", "conv2d", "conv2d_forward",
           "conv2d_backward", "benchmark_conv2d", "kernel"]

KERNELS: dict[str, tuple] = {
    "identity": ((0, 0, 0), (0, 1, 0), (0, 0, 0)),
    "box blur": ((1 / 9,) * 3,) * 3,
    "gaussian blur": ((1 / 16, 2 / 16, 1 / 16), (2 / 16, 4 / 16, 2 / 16), (1 / 16, 2 / 16, 1 / 16)),
    "sharpen": ((0, -1, 0), (-1, 5, -1), (0, -1, 0)),
    "vertical edge": ((1, 0, -1), (1, 0, -1), (1, 0, -1)),
    "horizontal edge": ((1, 1, 1), (0, 0, 0), (-1, -1, -1)),
    "sobel x": ((1, 0, -1), (2, 0, -2), (1, 0, -1)),
    "sobel y": ((1, 2, 1), (0, 0, 0), (-1, -2, -1)),
    "laplacian": ((0, 1, 0), (1, -4, 1), (0, 1, 0)),
    "outline": ((-1, -1, -1), (-1, 8, -1), (-1, -1, -1)),
}
"""Classic 3x3 kernels (as nested tuples, so nobody changes them by accident); see :func:`kernel`.
Applied by cross-correlation, "sobel x" responds to bright-to-dark left-to-right edges."""


def kernel(name: str) -> np.ndarray:
    """One of :data:`KERNELS` as a float (3, 3) array.

    >>> kernel("sobel x")
    array([[ 1.,  0., -1.],
           [ 2.,  0., -2.],
           [ 1.,  0., -1.]])
    """
    if not isinstance(name, str) or name not in KERNELS:
        raise ValueError(f"unknown kernel {name!r}; choose one of {list(KERNELS)}")
    return np.array(KERNELS[name], dtype=float)


# --- checks shared by the layers ------------------------------------------------------------------

def _check_conv(x, w, b, stride, padding):
    """Validate a conv call; return (x, w, b, (sh, sw), (ph, pw), (Ho, Wo))."""
    x = as_floats(x, "x", 4, "(N, C, H, W)")
    w = as_floats(w, "w", 4, "(F, C, KH, KW)")
    (N, C, H, W), (F, Cw, KH, KW) = x.shape, w.shape
    if C != Cw:
        raise ValueError(f"channel mismatch: x has C={C} channels but the filters w expect {Cw} "
                         f"(w has shape {w.shape} = (F, C, KH, KW))")
    if min(x.shape) == 0 or min(w.shape) == 0:
        raise ValueError(f"empty input: x {x.shape}, w {w.shape}; every dimension must be >= 1")
    if b is not None:
        b = as_floats(b, "b", 1, "(F,)")
        if b.shape != (F,):
            raise ValueError(f"b must have shape (F,) = ({F},), one bias per filter, got {b.shape}")
    s, p = as_pair(stride, "stride", 1), as_pair(padding, "padding", 0)
    for axis, n, f, _si, pi in (("height", H, KH, s[0], p[0]), ("width", W, KW, s[1], p[1])):
        if f > n + 2 * pi:
            raise ValueError(f"the window is larger than the padded input along the {axis}: "
                             f"{f} > {n} + 2*{pi} = {n + 2 * pi}; use a smaller kernel or more "
                             "padding")
    out = (output_size(H, KH, s[0], p[0]), output_size(W, KW, s[1], p[1]))
    # sizes of what the layers allocate, checked before allocating any of it
    check_elements(N * C * (H + 2 * p[0]) * (W + 2 * p[1]),
                   f"the padded input (N, C, H + 2*{p[0]}, W + 2*{p[1]})",
                   "use less padding or a smaller input")
    check_elements(N * F * out[0] * out[1], f"the output (N, F, H_out, W_out) = "
                   f"({N}, {F}, {out[0]}, {out[1]})", "use a larger stride, less padding or a "
                   "smaller input")
    check_elements(C * KH * KW * out[0] * out[1], f"one image's window matrix (C*KH*KW, "
                   f"H_out*W_out) = ({C * KH * KW}, {out[0] * out[1]})", "use a larger stride, "
                   "less padding or a smaller input")
    return x, w, b, s, p, out


# --- one channel ----------------------------------------------------------------------------------

def correlate2d(image, kernel, stride=1, padding=0) -> np.ndarray:
    """2-D cross-correlation of one channel: what deep learning calls convolution.

    Shapes: image (H, W), kernel (KH, KW) -> (H_out, W_out), ``H_out = floor((H - KH + 2p)/s) + 1``.
    Math:   out[i, j] = sum_{u, v} kernel[u, v] * image_pad[i*s + u, j*s + v]

    >>> correlate2d(np.arange(16.).reshape(4, 4), np.ones((2, 2)), stride=2)
    array([[10., 18.],
           [42., 50.]])
    """
    image = as_floats(image, "image", 2, "(H, W)")
    kernel = as_floats(kernel, "kernel", 2, "(KH, KW)")
    return conv2d(image[None, None], kernel[None, None], None, stride, padding)[0, 0]


def convolve2d(image, kernel, mode: str = "valid") -> np.ndarray:
    """True (textbook) 2-D convolution of one channel: the kernel is flipped before sliding.

    Shapes: image (H, W), kernel (KH, KW) -> "valid" (H - KH + 1, W - KW + 1) or
    "full" (H + KH - 1, W + KW - 1).
    Math:   out[i, j] = sum_{u, v} kernel[u, v] * image[i - u, j - v]   (indices of the full output;
            "valid" keeps the positions where the kernel lies inside the image)

    It equals :func:`correlate2d` with the kernel rotated by 180 degrees.

    >>> convolve2d(np.array([[0., 1, 0]]), np.array([[1., 2]]), mode="full")
    array([[0., 1., 2., 0.]])
    """
    if mode not in ("valid", "full"):
        raise ValueError(f"mode must be 'valid' or 'full', got {mode!r}")
    image = as_floats(image, "image", 2, "(H, W)")
    kernel = as_floats(kernel, "kernel", 2, "(KH, KW)")
    padding = (kernel.shape[0] - 1, kernel.shape[1] - 1) if mode == "full" else 0
    return correlate2d(image, kernel[::-1, ::-1], 1, padding)


_CHUNK_ELEMENTS = 2**17
"""conv2d gathers the windows of this many elements' worth of images at a time (512 KB float32)."""

# --- layers ---------------------------------------------------------------------------------------

def conv2d_naive(x, w, b=None, stride=1, padding=0) -> np.ndarray:
    """A convolution layer with explicit loops: slow, written to be read.

    Shapes: x (N, C, H, W), w (F, C, KH, KW), b (F,) or None -> (N, F, H_out, W_out)
    with ``H_out = floor((H - KH + 2 ph) / sh) + 1`` (same for W).
    Math:   out[n, f, i, j] = b[f] + sum_{c, u, v} w[f, c, u, v] * x_pad[n, c, i*sh + u, j*sw + v]
    """
    x, w, b, (sh, sw), p, (Ho, Wo) = _check_conv(x, w, b, stride, padding)
    N, F, KH, KW = x.shape[0], w.shape[0], w.shape[2], w.shape[3]
    check_iterations(N * F * Ho * Wo, f"conv2d_naive on x {x.shape} and w {w.shape} "
                     "(N*F*H_out*W_out)", "use conv2d, the vectorised version, for inputs this large")
    xp = pad2d(x, p)
    out = np.zeros((N, F, Ho, Wo), dtype=np.result_type(*(a for a in (x, w, b) if a is not None)))
    for n in range(N):                       # each image
        for f in range(F):                   # each filter
            for i in range(Ho):              # each output row
                for j in range(Wo):          # each output column
                    window = xp[n, :, i * sh:i * sh + KH, j * sw:j * sw + KW]  # (C, KH, KW)
                    out[n, f, i, j] = np.sum(window * w[f])
            if b is not None:
                out[n, f] += b[f]
    return out


def conv2d_forward(x, w, b=None, stride=1, padding=0) -> tuple[np.ndarray, Cache]:
    """A convolution layer, vectorised: im2col (a strided window view) and one matrix product.

    Shapes: x (N, C, H, W), w (F, C, KH, KW), b (F,) or None -> out (N, F, H_out, W_out)
    with ``H_out = floor((H - KH + 2 ph) / sh) + 1`` (same for W), and the cache for
    :func:`conv2d_backward` (it holds x, w, the stride and the padding).
    Math:   out[n, f, i, j] = b[f] + sum_{c, u, v} w[f, c, u, v] * x_pad[n, c, i*sh + u, j*sw + v]

    How ("im2col"): every window ``x_pad[n, :, i*sh:i*sh+KH, j*sw:j*sw+KW]`` becomes one column
    of a matrix ``cols`` of shape (C*KH*KW, H_out*W_out) per image, built with KH*KW slab copies
    (one per kernel offset (u, v), not one per window); then each image's layer is one matrix
    product ``w.reshape(F, C*KH*KW) @ cols`` (+ b). Same results as
    :func:`conv2d_naive`, hundreds of times faster. (:func:`conv2d_backward` shows the other way
    to gather windows, ``numpy.lib.stride_tricks.sliding_window_view``, a zero-copy view.)
    """
    x, w, b, (sh, sw), (ph, pw), (Ho, Wo) = _check_conv(x, w, b, stride, padding)
    N, C, H, W = x.shape
    F, _, KH, KW = w.shape
    K, HW = C * KH * KW, Ho * Wo
    dtype = np.result_type(x, w) if b is None else np.result_type(x, w, b)
    # the padded input, channels first: (C, N, H + 2ph, W + 2pw)
    xp = np.zeros((C, N, H + 2 * ph, W + 2 * pw), dtype=dtype)
    xp[:, :, ph:ph + H, pw:pw + W] = x.transpose(1, 0, 2, 3)
    w2 = w.reshape(F, K).astype(dtype, copy=False)                    # (F, K)
    out = np.empty((N, F, Ho, Wo), dtype=dtype)
    # a few images at a time, so the column buffer stays small (~512 KB) and is reused
    chunk = max(1, min(N, _CHUNK_ELEMENTS // (K * HW)))
    cols = np.empty((C, KH, KW, chunk, Ho, Wo), dtype=dtype)       # im2col, transposed
    for n0 in range(0, N, chunk):
        m = min(chunk, N - n0)
        c = cols[:, :, :, :m]
        for u in range(KH):        # cols[c, u, v, n, i, j] = x_pad[n0 + n, c, i*sh + u, j*sw + v]
            for v in range(KW):
                c[:, u, v] = xp[:, n0:n0 + m, u:u + sh * (Ho - 1) + 1:sh,
                                v:v + sw * (Wo - 1) + 1:sw]
        # out[n, f, (i, j)] = sum_k w2[f, k] * cols[k, n, (i, j)]: one matrix product per image
        np.matmul(w2, c.reshape(K, m, HW).transpose(1, 0, 2), out=out[n0:n0 + m].reshape(m, F, HW))
    if b is not None:
        out += b[:, None, None]
    return out, Cache("conv2d", x=x, w=w, stride=(sh, sw), padding=(ph, pw),
                      out_hw=(Ho, Wo), dtype=dtype)


def conv2d(x, w, b=None, stride=1, padding=0) -> np.ndarray:
    """A convolution layer: the output of :func:`conv2d_forward` (which explains how), no cache.

    Shapes: x (N, C, H, W), w (F, C, KH, KW), b (F,) or None -> (N, F, H_out, W_out).
    Math:   out[n, f, i, j] = b[f] + sum_{c, u, v} w[f, c, u, v] * x_pad[n, c, i*sh + u, j*sw + v]
    """
    return conv2d_forward(x, w, b, stride, padding)[0]


def conv2d_backward(dout, cache, w=None, stride=None, padding=None) -> Gradients:
    """Gradients of a convolution layer given the upstream gradient ``dout = dL/d out``.

    ``conv2d_backward(dout, cache)``, with the cache of :func:`conv2d_forward`, is the convention
    of the course's layers. The older form ``conv2d_backward(dout, x, w, stride=1, padding=0)``
    takes the layer's inputs instead of the cache and gives the same gradients.

    Shapes: dout (N, F, H_out, W_out), x (N, C, H, W), w (F, C, KH, KW)
            -> Gradients(dx (N, C, H, W), dw (F, C, KH, KW), db (F,)), a tuple
    Math (s = stride, x_pad = x zero-padded):
        db[f]          = sum_{n, i, j} dout[n, f, i, j]
        dw[f, c, u, v] = sum_{n, i, j} dout[n, f, i, j] * x_pad[n, c, i*s + u, j*s + v]
        dx_pad[n, c, i*s + u, j*s + v] += sum_f dout[n, f, i, j] * w[f, c, u, v]
    then dx is dx_pad with the padding cut off (the padded zeros are constants). ``db`` is the
    gradient a bias would get, also when the forward pass had none.
    """
    if isinstance(cache, Cache):
        if not (w is None and stride is None and padding is None):
            raise ValueError("conv2d_backward(dout, cache) takes nothing else: the cache holds w, "
                             "the stride and the padding")
        c = check_cache(cache, "conv2d")
        x, w, s, p, (Ho, Wo), dtype = c.x, c.w, c.stride, c.padding, c.out_hw, c.dtype
    else:   # the older form: (dout, x, w, stride, padding)
        x, w, _, s, p, (Ho, Wo) = _check_conv(cache, w, None, 1 if stride is None else stride,
                                              0 if padding is None else padding)
        dtype = np.result_type(x, w)
    N, C, H, W = x.shape
    F, _, KH, KW = w.shape
    dout = as_floats(dout, "dout", 4, "(N, F, H_out, W_out)")
    if dout.shape != (N, F, Ho, Wo):
        raise ValueError(f"dout must have the forward output's shape (N, F, H_out, W_out) = "
                         f"{(N, F, Ho, Wo)}, got {dout.shape}")
    dout = dout.astype(np.result_type(dout, dtype), copy=False)
    db = dout.sum(axis=(0, 2, 3))
    xp = pad2d(x, p)
    win = window_view(xp, (KH, KW), s, (Ho, Wo))                  # (N, C, Ho, Wo, KH, KW)
    dw = np.tensordot(dout, win, axes=([0, 2, 3], [0, 2, 3])).astype(dout.dtype, copy=False)
    dxp = np.zeros(xp.shape, dtype=dout.dtype)
    for u in range(KH):
        for v in range(KW):
            # every output (i, j) saw x_pad[.., i*s + u, j*s + v] through weight w[:, :, u, v]
            dxp[:, :, u:u + s[0] * (Ho - 1) + 1:s[0], v:v + s[1] * (Wo - 1) + 1:s[1]] += \
                np.einsum("nfij,fc->ncij", dout, w[:, :, u, v])
    return Gradients(dxp[:, :, p[0]:p[0] + H, p[1]:p[1] + W], dw, db)


# --- speed ----------------------------------------------------------------------------------------

def benchmark_conv2d(repeats: int = 30, number: int = 10, shape=(8, 3, 32, 32),
                     filters=(16, 3, 3, 3), padding: int = 1, verbose: bool = True,
                     pause: float = 0.3) -> dict:
    """Time :func:`conv2d` against ``torch.nn.functional.conv2d`` (float32, CPU, best of ``repeats``
    rounds of ``number`` calls, in up to three alternating blocks).

    Each block starts after ``pause`` seconds of rest, so that neither library's idle worker
    threads are still spinning on the cores while the other one is timed.
    Returns ``{"numpy_s": ..., "torch_s": ..., "ratio": numpy_s / torch_s}`` (seconds per call);
    the course's target is a ratio of at most 4 on x (8, 3, 32, 32), w (16, 3, 3, 3), padding 1.
    """
    repeats, number = as_int(repeats, "repeats", 1), as_int(number, "number", 1)
    pause = as_float(pause, "pause", 0.0, 60.0)
    padding = as_int(padding, "padding", 0)
    for name, dims in (("shape", shape), ("filters", filters)):
        if not (isinstance(dims, (tuple, list)) and len(dims) == 4):
            raise ValueError(f"{name} must be 4 sizes, (N, C, H, W) for shape and (F, C, KH, KW) "
                             f"for filters, got {dims!r}")
        dims = [as_int(d, f"{name} entries", 1) for d in dims]
        check_elements(int(np.prod(dims, dtype=object)), f"an array of {name} {tuple(dims)}",
                       f"choose a smaller {name}")
    if shape[1] != filters[1]:
        raise ValueError(f"shape has C={shape[1]} channels but filters expect {filters[1]}")
    _check_conv(np.broadcast_to(np.float32(0), tuple(shape)),   # sizes only: views, no memory
                np.broadcast_to(np.float32(0), tuple(filters)), None, 1, padding)
    import torch
    import torch.nn.functional as F

    rng = np.random.default_rng(0)
    x = rng.standard_normal(shape).astype(np.float32)
    w = rng.standard_normal(filters).astype(np.float32)
    b = rng.standard_normal(filters[0]).astype(np.float32)
    xt, wt, bt = map(torch.from_numpy, (x, w, b))
    np.testing.assert_allclose(conv2d(x, w, b, 1, padding), F.conv2d(xt, wt, bt, padding=padding),
                               rtol=1e-4, atol=1e-4)
    run_numpy = lambda: conv2d(x, w, b, 1, padding)  # noqa: E731
    run_torch = lambda: F.conv2d(xt, wt, bt, padding=padding)  # noqa: E731
    t_numpy = t_torch = float("inf")
    blocks = max(1, min(3, repeats))
    with torch.no_grad():
        # blocks of repeats, alternating, so that both see the same load on a shared machine; the
        # pause lets the other library's worker threads stop spinning (OpenBLAS and OpenMP threads
        # busy-wait for a while after each call and would steal the cores from the one timed)
        for _ in range(blocks):
            for run, which in ((run_torch, "torch"), (run_numpy, "numpy")):
                time.sleep(pause)
                run()  # warm up
                best = min(timeit.repeat(run, number=number, repeat=-(-repeats // blocks))) / number
                if which == "numpy":
                    t_numpy = min(t_numpy, best)
                else:
                    t_torch = min(t_torch, best)
    result = {"numpy_s": t_numpy, "torch_s": t_torch, "ratio": t_numpy / t_torch}
    if verbose:
        print(f"conv2d x{tuple(shape)} w{tuple(filters)} padding {padding}: NumPy "
              f"{t_numpy * 1e6:.0f} µs, torch {t_torch * 1e6:.0f} µs, "
              f"ratio {result['ratio']:.2f} (target <= 4)")
    return result
