"""Checkers of chapter 1's exercises: notebooks 01 (why CNNs), 02 (convolution), 03 (stride and
padding) and 04 (pooling and fully connected layers): the coding exercises, one predict-then-check
question per notebook (the answer is a function returning the prediction, so the student stub
works), and the max-pooling backward pass (checked against PyTorch's autograd; students check
their own with :func:`~course_utils.checks.gradients.grad_check`)."""
from __future__ import annotations

import numpy as np

from ..models.lenet import LENET_LAYERS
from .core import (
    WrongAnswer,
    answer_numbers,
    answers_equal,
    call_student,
    checker,
    expect_close,
    expect_equal,
    expect_shape,
    format_message,
    plain,
    short_repr,
    to_array,
)

__all__ = ["check_neuron_weights", "check_pool2d", "check_conv2d_naive", "check_output_size",
           "check_lenet_sizes", "LENET_LAYERS", "check_cnn_parameters", "check_flip_factors",
           "FLIP_KERNELS", "check_rows_lost", "LOST_ROWS_LAYERS",
           "check_centre_gradient", "POOL_GRADIENT_GRID", "check_maxpool_backward"]


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



# --- predict, then check: one question per notebook (answers are functions, see core.py) ---------

def _one_int(got, where: str, hint: str) -> int:
    """``got`` as a Python int, or a WrongAnswer saying that one whole number is expected."""
    got = plain(got)
    if isinstance(got, np.ndarray) and got.size == 1:
        got = got.reshape(()).item()
    if isinstance(got, (bool, np.bool_)) or not isinstance(got, (int, np.integer, float, np.floating)):
        raise WrongAnswer(f"{where}: got {short_repr(got)}, expected one whole number. Hint: {hint}")
    if float(got) != round(float(got)):
        raise WrongAnswer(f"{where}: got {got}, expected a whole number. Hint: {hint}")
    return int(round(float(got)))


@checker("cnn_parameters")
def check_cnn_parameters(student_fn) -> str:
    """Question of notebook 01: the parameter count of its small CNN, predicted before counting.

    The CNN: conv 3x3 (1 -> 8, padding 1), ReLU, max pool 2; conv 3x3 (8 -> 16, padding 1), ReLU,
    max pool 2; flatten; linear 16*7*7 -> 10. The reference count comes from ``torch.nn``."""
    from torch import nn

    cnn = nn.Sequential(nn.Conv2d(1, 8, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                        nn.Conv2d(8, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                        nn.Flatten(), nn.Linear(16 * 7 * 7, 10))
    want = sum(p.numel() for p in cnn.parameters())                     # 80 + 1,168 + 7,850
    where = "the small CNN's parameters"
    got = _one_int(call_student(student_fn, where), where,
                   "add the parameters of the three layers with weights")
    mistakes = {
        8 * 10 + 16 * 10 + 10 * (16 * 7 * 7 + 1):
            "the second convolution's filters are 3×3×8, not 3×3: a filter spans every map of its "
            "input (here the 8 maps of the first convolution), so it has 3·3·8 weights",
        8 * 9 + 16 * 72 + 10 * 16 * 7 * 7:
            "every filter and every output neuron also has one bias",
        80 + 1168 + 10 * (16 * 28 * 28 + 1):
            "the two 2×2 max pools shrink 28×28 to 14×14, then 7×7, before the fully connected "
            "layer: it sees 16·7·7 numbers",
        80 + 1168 + 10 * (16 * 14 * 14 + 1):
            "there are two 2×2 max pools: 28 → 14 → 7, so the fully connected layer sees 16·7·7",
        80 + 1168 + 10 * (8 * 7 * 7 + 1):
            "the volume entering the fully connected layer has the depth of the last convolution (16)",
        10 * (16 * 7 * 7 + 1):
            "the convolutions have parameters too: F·(k·k·C + 1) each",
    }
    if got != want:
        raise WrongAnswer(format_message(
            f"got {got:,}, expected {want:,}", where, mistakes.get(
                got, "conv layers have F·(k·k·C + 1) parameters (C = maps entering the layer), "
                     "pooling none, the fully connected layer 10·(16·7·7 + 1); add them up")))
    return (f"= {want:,}: 80 (conv 1) + 1,168 (conv 2) + 7,850 (fully connected); most of them "
            "sit in the last layer.")


FLIP_KERNELS = ("vertical edge", "horizontal edge", "gaussian blur", "sharpen")
"""The kernels of notebook 02's question: the textbook convolution (kernel flipped) is
``c * cross-correlation`` with c = +1 or -1 for each of them."""


@checker("flip_factors")
def check_flip_factors(student_fn) -> str:
    """Question of notebook 02: for each kernel of :data:`FLIP_KERNELS`, the number c with
    convolution = c × cross-correlation (on any input), predicted before computing either.

    The answer: a dict {kernel name: c}, or a list of the four c in that order. The reference
    compares the 180° rotation of each kernel with the kernel itself."""
    from ..layers.conv import kernel

    where = "flip factors"
    got = plain(call_student(student_fn, where))
    if isinstance(got, dict):
        missing = [k for k in FLIP_KERNELS if k not in got]
        if missing:
            raise WrongAnswer(f"{where}: the dict has no entry for {missing}. Hint: one number per "
                              f"kernel, keys {list(FLIP_KERNELS)}")
        got = [got[k] for k in FLIP_KERNELS]
    got = to_array(got)
    if not isinstance(got, np.ndarray) or got.shape != (len(FLIP_KERNELS),) or got.dtype.kind not in "biuf":
        raise WrongAnswer(f"{where}: got {short_repr(got)}, expected 4 numbers (a dict or a list "
                          f"in the order {list(FLIP_KERNELS)}). Hint: each is +1 or -1")
    for name, c in zip(FLIP_KERNELS, got.tolist()):
        k = kernel(name)
        rotated = k[::-1, ::-1]
        want = 1 if np.array_equal(rotated, k) else -1 if np.array_equal(rotated, -k) else None
        if c != want:
            how = ("its 180° rotation is the kernel itself (it is symmetric about its centre), so "
                   "flipping changes nothing" if want == 1 else
                   "its 180° rotation swaps the +1 side and the -1 side, which is the kernel "
                   "negated, so the convolution is minus the cross-correlation")
            raise WrongAnswer(f"{where}: {name!r}: got {c}, expected {want}. Hint: convolution = "
                              f"cross-correlation with the kernel rotated by 180°; for {name!r} "
                              f"{how}")
    return ("(+1 for symmetric kernels, -1 for the edge detectors, whose rotation is their "
            "negative).")


LOST_ROWS_LAYERS = (("ResNet's stem: 7×7 conv, stride 2, padding 3, on 224", (224, 7, 2, 3)),
                    ("2×2 max pool, stride 2, on 225", (225, 2, 2, 0)),
                    ("3×3 conv, stride 2, padding 1, on 224", (224, 3, 2, 1)),
                    ("3×3 conv, stride 3, padding 1, on 9", (9, 3, 3, 1)))
"""The layers (description, (n, f, s, p)) of notebook 03's question: how many rows of the real
(unpadded) input does no window read?"""


@checker("rows_lost")
def check_rows_lost(student_fn) -> str:
    """Question of notebook 03: for each layer of :data:`LOST_ROWS_LAYERS`, the number of real
    input rows that no window reads (a list of 4 integers), predicted before the formula is shown.
    The reference is :func:`course_utils.layers.unread_rows` (tested against autograd)."""
    where = "rows never read"
    got = to_array(plain(call_student(student_fn, where)))
    n_layers = len(LOST_ROWS_LAYERS)
    if not isinstance(got, np.ndarray) or got.shape != (n_layers,) or got.dtype.kind not in "biuf":
        raise WrongAnswer(f"{where}: got {short_repr(got)}, expected a list of {n_layers} whole "
                          "numbers, one per layer, in the order of the table")
    from ..layers import unread_rows

    for (what, (n, f, s, p)), g in zip(LOST_ROWS_LAYERS, got.tolist()):
        want = unread_rows(n, f, s, p)
        if g != want:
            left = (n - f + 2 * p) % s
            raise WrongAnswer(
                f"{where}: {what}: got {g}, expected {want}. Hint: the windows leave "
                f"(n - f + 2p) mod s = ({n} - {f} + {2 * p}) mod {s} = {left} row(s) at the end "
                f"of the padded input unread; the last {p} row(s) of the padded input are "
                f"padding, so {want} real row(s) are lost")
    return ("(ResNet's stem and the 3×3 stride-2 layer skip only padding; the pool on 225 and "
            "the stride-3 layer on 9 lose a real row: padding 1 covers one of its 2 skipped rows).")


POOL_GRADIENT_GRID = np.array([[1, 3, 2, 0, 4],
                               [2, 5, 1, 6, 1],
                               [0, 2, 9, 1, 3],
                               [4, 1, 2, 3, 0],
                               [1, 7, 0, 2, 5]], dtype=float)
"""Notebook 04's question: 3×3 max pooling with stride 2 on this grid, dL/dy = 1 everywhere."""


@checker("centre_gradient")
def check_centre_gradient(student_fn) -> str:
    """Question of notebook 04: (dL/dx at the centre, number of non-zero entries of dL/dx) for 3×3
    max pooling, stride 2, on :data:`POOL_GRADIENT_GRID` with dL/dy all ones; autograd answers."""
    import torch
    import torch.nn.functional as F

    xt = torch.tensor(POOL_GRADIENT_GRID, requires_grad=True)
    F.max_pool2d(xt[None, None], 3, 2).sum().backward()
    grad = xt.grad.numpy()
    want = (int(grad[2, 2]), int(np.count_nonzero(grad)))
    where = "(gradient at the centre, non-zero gradients)"
    got = to_array(plain(call_student(student_fn, where)))
    if not isinstance(got, np.ndarray) or got.shape != (2,) or got.dtype.kind not in "biuf":
        raise WrongAnswer(f"{where}: got {short_repr(got)}, expected two whole numbers")
    centre, nonzero = got.tolist()
    if centre != want[0]:
        hint = ("the 9 at the centre is the maximum of every 3×3 window that contains it, and with "
                "stride 2 all 4 windows contain it: a cell collects the gradient of each window it "
                "wins, so they add up" if centre == 1 else
                "count the windows: (5 - 3) // 2 + 1 = 2 per axis, 4 in all; which of them contain "
                "the centre, and which cell wins each?")
        raise WrongAnswer(f"{where}: the centre got {centre}, expected {want[0]}. Hint: {hint}")
    if nonzero != want[1]:
        raise WrongAnswer(f"{where}: {nonzero} non-zero gradients, expected {want[1]}. Hint: every "
                          "window sends its whole gradient to its maximum, and all four windows "
                          "have the same maximum here")
    return "(4, 1): one cell wins all four overlapping windows and collects all their gradient."


# --- 04 · the backward pass of max pooling ------------------------------------------------------

def _maxpool_variants(dout, x, size, stride):
    """The gradients that typical wrong max-pool backward passes return, keyed by their hint."""
    Ho, Wo = dout.shape
    variants = {}

    def build(pick, accumulate=True, scale=True):
        dx = np.zeros_like(x, dtype=float)
        for i in range(Ho):
            for j in range(Wo):
                win = x[i * stride:i * stride + size, j * stride:j * stride + size]
                for (u, v) in pick(win, i, j):
                    g = dout[i, j] if scale else 1.0
                    if accumulate:
                        dx[u, v] += g
                    else:
                        dx[u, v] = g
        return dx

    def first(win, i, j):
        u, v = divmod(int(np.argmax(win)), size)
        return [(i * stride + u, j * stride + v)]

    def last(win, i, j):
        k = win.size - 1 - int(np.argmax(win.ravel()[::-1]))
        u, v = divmod(k, size)
        return [(i * stride + u, j * stride + v)]

    def every_tie(win, i, j):
        return [(i * stride + u, j * stride + v) for u, v in np.argwhere(win == win.max())]

    def local(win, i, j):
        return [divmod(int(np.argmax(win)), size)]

    def no_stride(win, i, j):
        u, v = divmod(int(np.argmax(win)), size)
        return [(i + u, j + v)] if i + u < x.shape[0] and j + v < x.shape[1] else []

    variants["overlap"] = build(first, accumulate=False)
    variants["last tie"] = build(last)
    variants["every tie"] = build(every_tie)
    variants["no dout"] = build(first, scale=False)
    variants["local"] = build(local)
    variants["no stride"] = build(no_stride)
    return variants


MAXPOOL_HINTS = {
    "overlap": "with overlapping windows (stride < window) a cell can be the maximum of several "
               "windows: add their gradients (dx[...] += ...), do not overwrite them",
    "last tie": "when a window holds its maximum twice, PyTorch gives the gradient to the FIRST "
                "one in row-major order (np.argmax does that); yours goes to the last",
    "every tie": "when a window holds its maximum twice, only one cell gets the gradient (the "
                 "first in row-major order, as np.argmax returns it), not every tied cell",
    "no dout": "each window sends dout[i, j] (its own gradient) to its maximum, not 1",
    "local": "np.argmax gives the position inside the window: add the window's corner "
             "(i*stride, j*stride) to get the position in x",
    "no stride": "window (i, j) starts at row i*stride and column j*stride, not at (i, j)",
}


@checker("maxpool_backward")
def check_maxpool_backward(student_fn) -> str:
    """Exercise of notebook 04: ``maxpool_backward(dout, x, size, stride=None)`` for one 2-D grid
    ``x (H, W)`` and ``dout (H_out, W_out)`` -> ``dx (H, W)``, compared with PyTorch's autograd
    on ``F.max_pool2d`` (ties: the first maximum of a window in row-major order, as PyTorch)."""
    import torch
    import torch.nn.functional as F

    rng = np.random.default_rng(9)
    grid = np.array([[1, 1, 2, 4], [5, 6, 7, 8], [3, 2, 1, 0], [1, 2, 3, 4]], dtype=float)
    cases = [  # (x, size, stride, what the case is about)
        (grid, 2, 2, "the 4×4 grid of section 1, 2×2 windows side by side"),
        (rng.standard_normal((6, 6)), 2, 2, "random values, 2×2 windows, stride 2"),
        (rng.standard_normal((5, 7)), 2, 2, "a leftover row and column no window reads"),
        (rng.standard_normal((5, 5)), 3, 2, "overlapping windows: 3×3, stride 2"),
        (rng.standard_normal((7, 6)), 3, 1, "windows overlapping a lot: 3×3, stride 1"),
        (rng.standard_normal((7, 8)), 2, 3, "stride 3 > window 2: gaps between windows"),
        (-np.abs(rng.standard_normal((4, 6))), 2, None, "all negative, stride=None (= size)"),
        (rng.integers(0, 3, (6, 6)).astype(float), 2, 2, "ties: a maximum held twice"),
        (rng.integers(0, 2, (5, 7)).astype(float), 3, 2, "ties and overlapping windows"),
    ]
    for k, (x, size, stride, what) in enumerate(cases, 1):
        s = size if stride is None else stride
        Ho, Wo = (x.shape[0] - size) // s + 1, (x.shape[1] - size) // s + 1
        dout = rng.integers(1, 10, (Ho, Wo)).astype(float)     # distinct-ish, positive
        where = (f"case {k} ({what}): x {x.shape}, size={size}, stride={stride}, "
                 f"dout {dout.shape}")
        xt = torch.tensor(x, requires_grad=True)
        F.max_pool2d(xt[None, None], size, s).backward(torch.tensor(dout)[None, None])
        want = xt.grad.numpy()
        args = (dout.copy(), x.copy(), size) + (() if stride is None else (stride,))
        got = to_array(call_student(student_fn, where, *args))
        expect_shape(got, x.shape, where, "dx has the shape of x: one gradient per input cell "
                     "(cells that no window reads, or that win no window, get 0)"
                     + ("; stride=None means stride = size" if stride is None else ""))
        got_numbers = answer_numbers(got, where, "return an array of numbers, the shape of x")
        if not np.allclose(got_numbers, want):
            hint = next((MAXPOOL_HINTS[name] for name, dx in _maxpool_variants(dout, x, size, s).items()
                         if not np.allclose(dx, want) and np.allclose(got_numbers, dx)),
                        "for each window (i, j), find the position of its maximum (np.argmax on "
                        "the window, np.unravel_index or divmod to get the row and column), add "
                        "the window's corner (i*stride, j*stride), and add dout[i, j] there")
            expect_close(got, want, where, hint=hint)
    return (f"matches PyTorch's autograd on {len(cases)} cases: overlapping windows, gaps, "
            "leftovers, negative values and ties.")
