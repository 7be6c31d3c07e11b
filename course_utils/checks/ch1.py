"""Checkers of chapter 1's exercises: notebooks 01 (why CNNs), 02 (convolution), 03 (stride and
padding) and 04 (pooling and fully connected layers)."""
from __future__ import annotations

import numpy as np

from ..models.lenet import LENET_LAYERS
from .core import (
    WrongAnswer,
    answers_equal,
    call_student,
    checker,
    expect_close,
    expect_equal,
    expect_shape,
    plain,
    short_repr,
    to_array,
)

__all__ = ["check_neuron_weights", "check_pool2d", "check_conv2d_naive", "check_output_size",
           "check_lenet_sizes", "LENET_LAYERS"]


# --- 01 · Why CNNs and 04 · Pooling and fully connected layers ----------------------------------

@checker("neuron_weights")
def check_neuron_weights(student_fn) -> str:
    """Exercise of notebook 01: weights of one fully connected neuron on an H x W x C image."""
    cases = [(28, 28, 1), (32, 32, 3), (200, 200, 3), (5, 7, 2), (1, 1, 1)]
    for h, w, c in cases:
        got = call_student(student_fn, f"height={h}, width={w}, depth={c}", h, w, c)
        if answers_equal(got, h * w) and c > 1:
            raise WrongAnswer(f"height={h}, width={w}, depth={c}: got {got}, expected {h * w * c}. "
                              "Hint: the neuron sees every channel of every pixel, so the depth "
                              "multiplies too")
        if answers_equal(got, h * w * c + 1):
            raise WrongAnswer(f"height={h}, width={w}, depth={c}: got {got}, expected {h * w * c}. "
                              "Hint: count the weights only; the bias is one extra parameter")
        expect_equal(got, h * w * c, where=f"height={h}, width={w}, depth={c}",
                     hint="one weight per input number: height × width × depth")
    return f"passes {len(cases)} cases (784, 3,072 and 120,000 among them)."


@checker("pool2d")
def check_pool2d(student_fn) -> str:
    """Exercise of notebook 04: pool2d(x, size, stride=None, mode) on one 2-D grid (H, W)."""
    from ..layers.pooling import pool2d

    rng = np.random.default_rng(4)
    grid = np.array([[1, 1, 2, 4], [5, 6, 7, 8], [3, 2, 1, 0], [1, 2, 3, 4]], dtype=float)
    cases = [(grid, 2, 2, "max"), (grid, 2, 2, "avg"), (grid, 2, 2, "sum"),
             (grid, 2, None, "max"),                                   # stride defaults to size
             (grid, 3, 1, "max"),                                      # overlapping windows
             (rng.standard_normal((5, 7)), 2, 2, "max"),              # leftover row and column
             (rng.standard_normal((6, 9)), 3, 2, "avg"),
             (rng.integers(-5, 6, (7, 5)).astype(float), 2, 3, "sum"),
             (rng.standard_normal((4, 6)), 1, 1, "avg"),
             (-np.abs(rng.standard_normal((4, 4))), 2, 2, "max")]      # all negative
    for x, size, stride, mode in cases:
        where = f"x of shape {x.shape}, size={size}, stride={stride}, mode={mode!r}"
        kwargs = dict(size=size, mode=mode) if stride is None else dict(size=size, stride=stride,
                                                                          mode=mode)
        got = to_array(call_student(student_fn, where, x.copy(), **kwargs))
        want = pool2d(x, size, stride, mode)
        expect_shape(got, want.shape, where,
                     "the output has floor((H - size) / stride) + 1 rows (same for columns); "
                     "a window that would run off the edge is dropped"
                     + ("; stride=None means stride = size" if stride is None else ""))
        hint = {"max": "keep the largest value of each window (start from -inf or the window "
                       "itself, not from 0: values can be negative)",
                "avg": "average = sum of the window / (size * size)",
                "sum": "add up all size * size numbers of the window"}[mode]
        expect_close(got, want, where, hint="window (i, j) covers rows i*stride to i*stride+size-1 "
                     "and the same columns; " + hint)
    return f"passes {len(cases)} cases: all three modes, default and overlapping strides, leftovers."


# --- 02 · Convolution and 03 · Stride and padding -----------------------------------------------

@checker("conv2d_naive")
def check_conv2d_naive(student_fn) -> str:
    """Exercise of notebook 02: conv2d_naive(x, w, b, stride, padding) with explicit loops.

    Shapes: x (N, C, H, W), w (F, C, KH, KW), b (F,) -> (N, F, H_out, W_out); compared with
    :func:`course_utils.conv.conv2d` (itself tested against PyTorch).
    """
    from ..layers.conv import conv2d

    rng = np.random.default_rng(2)
    one = np.arange(16.0).reshape(1, 1, 4, 4)
    cases = [  # (x, w, b, stride, padding, what the case is about)
        (one, np.ones((1, 1, 2, 2)), np.zeros(1), 1, 0, "one channel, one filter, a 2×2 sum"),
        (one, np.array([[[[1.0, 0], [0, -1]]]]), np.zeros(1), 1, 0,
         "a kernel that is not symmetric (no flipping in deep learning's convolution)"),
        (rng.standard_normal((1, 3, 5, 5)), rng.standard_normal((1, 3, 3, 3)), np.zeros(1), 1, 0,
         "three input channels: a filter spans the full depth, sum over channels too"),
        (rng.standard_normal((2, 3, 5, 6)), rng.standard_normal((4, 3, 3, 2)),
         rng.standard_normal(4), 1, 0, "several images and filters, a non-square kernel, a bias"),
        (rng.standard_normal((1, 2, 7, 7)), rng.standard_normal((3, 2, 3, 3)),
         rng.standard_normal(3), 2, 0, "stride 2"),
        (rng.standard_normal((2, 2, 5, 4)), rng.standard_normal((2, 2, 3, 3)),
         rng.standard_normal(2), 1, 1, "padding 1 (zeros around the input)"),
        (rng.standard_normal((1, 1, 8, 7)), rng.standard_normal((2, 1, 4, 3)),
         rng.standard_normal(2), 3, 2, "stride 3 and padding 2"),
    ]
    for k, (x, w, b, s, p, what) in enumerate(cases, 1):
        where = f"case {k} ({what}): x {x.shape}, w {w.shape}, stride={s}, padding={p}"
        want = conv2d(x, w, b, s, p)
        got = plain(call_student(student_fn, where, x.copy(), w.copy(), b.copy(), s, p))
        expect_shape(got, want.shape, where,
                     "the output is (N, F, H_out, W_out) with H_out = "
                     "(H - KH + 2*padding) // stride + 1 (same for W); pad first, then slide")
        hints = {1: "out[n, f, i, j] = sum of w[f] * the window of x starting at row i*stride, "
                    "column j*stride",
                 2: "do not flip the kernel: multiply w[f, c, u, v] with x_pad[n, c, i*s + u, "
                    "j*s + v]",
                 3: "sum over the channels c as well as over the kernel rows and columns",
                 4: "add the bias b[f] once per output value, after the sum",
                 5: "window (i, j) starts at row i*stride and column j*stride of the padded input",
                 6: "pad with np.pad(x, ((0, 0), (0, 0), (p, p), (p, p))) before sliding",
                 7: "use the padded input everywhere, and step by the stride"}
        expect_close(got, want, where, hint=hints[k], rtol=1e-7, atol=1e-9)
    return f"passes {len(cases)} cases: channels, batches, biases, stride and padding."


@checker("output_size")
def check_output_size(student_fn) -> str:
    """Exercise of notebook 03: output_size(n, f, s, p) = floor((n - f + 2p) / s) + 1."""
    from ..layers.conv import output_size

    cases = [(32, 5, 1, 0), (7, 3, 1, 0), (7, 3, 2, 0), (7, 3, 2, 1), (28, 2, 2, 0),
             (7, 3, 3, 0), (10, 3, 3, 1), (224, 7, 2, 3), (5, 5, 1, 0), (6, 4, 4, 2), (32, 3, 1, 1)]
    for n, f, s, p in cases:
        where = f"n={n}, f={f}, s={s}, p={p}"
        got, want = plain(call_student(student_fn, where, n, f, s, p)), output_size(n, f, s, p)
        if isinstance(got, float):
            raise WrongAnswer(f"{where}: got the float {got}, expected the integer {want}. Hint: "
                              "use floor division // (a size is a whole number of positions)")
        if answers_equal(got, (n - f + 2 * p) / s) and not answers_equal(got, want):
            raise WrongAnswer(f"{where}: got {got}, expected {want}. Hint: you forgot the + 1: "
                              "the first position is already one output")
        expect_equal(got, want, where,
                     hint="(n - f + 2p) // s counts the steps after the first position; "
                          "the division is rounded down, as PyTorch does")
    return f"passes {len(cases)} cases, the non-integer ones included."



@checker("lenet_sizes")
def check_lenet_sizes(student_fn) -> str:
    """Exercise of notebook 03: lenet_sizes(n) -> the side of every feature map of LeNet-5,
    [n, after C1, after S2, after C3, after S4, after C5]; 32 -> [32, 28, 14, 10, 5, 1]."""
    from ..layers.conv import output_size

    for n in (32, 36, 40):
        want = [n]
        for _, f, s in LENET_LAYERS:
            want.append(output_size(want[-1], f, s))
        got = plain(call_student(student_fn, f"n={n}", n))
        got = list(got) if isinstance(got, (tuple, list, np.ndarray)) else got
        if not isinstance(got, list) or len(got) != len(want):
            raise WrongAnswer(f"n={n}: got {short_repr(got)}, expected a list of {len(want)} sizes "
                              f"(the input and the 5 layers). Hint: start the list with n itself")
        for k, ((name, f, s), g, w) in enumerate(zip(LENET_LAYERS, got[1:], want[1:]), 1):
            if not answers_equal(g, w):
                raise WrongAnswer(
                    f"n={n}: after {name} got {g}, expected {w} (sizes so far {want[:k + 1]}). "
                    f"Hint: output_size({want[k - 1]}, {f}, s={s}) — no padding in LeNet-5")
    return "32 → 28 → 14 → 10 → 5 → 1, and the sizes for other inputs."

