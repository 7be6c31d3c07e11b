"""Exercise checkers: fail loudly with a hint, succeed in one line, and say "not done yet" kindly.

How an exercise works in a notebook::

    def output_size(n, f, s=1, p=0):          # a cell tagged "solution"
        ### BEGIN SOLUTION
        return (n - f + 2 * p) // s + 1
        ### END SOLUTION

    check_output_size(output_size)            # the next cell

In the student version (``make student``) the lines between the markers become a stub that raises
``NotImplementedError("... not done yet ...")``. A checker given an untouched stub prints a
friendly "not done yet" line and returns ``None`` (so *Run All* goes on); a wrong answer raises
:class:`WrongAnswer` (an ``AssertionError``) with what was tried, what was expected and a hint; a
right answer prints one line starting with "Correct".

A checker always answers one of three ways, whatever the student's function does: "Correct",
"Not done yet" (only for the stub's own error, whose message contains :data:`STUB_MESSAGE`), or
:class:`WrongAnswer` naming the failing case with a hint. If the student's code raises, the
``WrongAnswer`` names the case and is chained to their exception (``raise ... from e``), so their
traceback stays visible above it; a ``NotImplementedError`` that is not the stub's (PyTorch raises
one for an operator missing on Apple GPUs) is reported the same way, not as "not done yet".
Answers may be numbers, lists, NumPy arrays or torch tensors of any dtype; float32 answers are
compared with a float32 tolerance.

Writing a checker (call the student's function through :func:`call_student`, so that an error in
their code names the case)::

    @checker("output_size")
    def check_output_size(student_fn):
        for n, f, s, p in CASES:
            where = f"n={n}, f={f}, s={s}, p={p}"
            expect_equal(call_student(student_fn, where, n, f, s, p), output_size(n, f, s, p),
                         where=where, hint="the division by s is rounded down")
        return f"passes {len(CASES)} cases"
"""
from __future__ import annotations

import functools
import numbers
from typing import Any, Callable

import numpy as np

__all__ = ["WrongAnswer", "STUB_MESSAGE", "stub_error", "checker", "call_student", "expect_equal",
           "expect_close",
           "expect_shape", "check_answer", "check_to_unit_range", "check_neuron_weights",
           "check_pool2d", "check_conv2d_naive", "check_output_size",
           "check_lenet_sizes", "LENET_LAYERS",
           "check_conv_params", "check_trainable_subsampling", "check_alexnet_step",
           "check_conv_layer_stats"]

STUB_MESSAGE = "Exercise not done yet: replace this line with your code"
"""The message of the ``NotImplementedError`` that student stubs raise (see tools/make_student.py)."""


class WrongAnswer(AssertionError):
    """A checker's verdict on a wrong answer; the message says where, what, and gives a hint."""


def stub_error() -> NotImplementedError:
    """The error a student stub raises (``raise NotImplementedError(STUB_MESSAGE)``)."""
    return NotImplementedError(STUB_MESSAGE)


def _not_done(name: str) -> None:
    print(f"Not done yet: {name} still raises NotImplementedError. Write your code in place of "
          "the `raise NotImplementedError(...)` line, run that cell, then run this one again.")


_NOT_THE_STUB = ("this NotImplementedError does not come from the exercise's stub: PyTorch raises "
                 "it for an operation the device does not support (on an Apple GPU, run on the "
                 "CPU with the environment variable COURSE_DEVICE=cpu); the traceback above "
                 "shows where")
_STUDENT_RAISED = "the traceback above shows the line of your code that failed on this case"


def _is_stub(error: BaseException) -> bool:
    return isinstance(error, NotImplementedError) and STUB_MESSAGE in str(error)


def _raised(error: Exception) -> str:
    return f"your code raised {type(error).__name__}: {error}"


def call_student(student_fn: Callable, where: str, *args: Any, **kwargs: Any) -> Any:
    """``student_fn(*args, **kwargs)``; if it raises, a :class:`WrongAnswer` naming the case
    ``where``, chained to the student's exception. The stub's own error passes through (the
    checker then says "not done yet")."""
    try:
        return student_fn(*args, **kwargs)
    except Exception as e:
        if _is_stub(e):
            raise
        hint = _NOT_THE_STUB if isinstance(e, NotImplementedError) else _STUDENT_RAISED
        raise WrongAnswer(_message(_raised(e), where, hint)) from e


def checker(name: str) -> Callable:
    """Decorator for a check function that raises :class:`WrongAnswer` or returns a success note.

    The wrapped checker prints ``Correct: <name> <note>`` and returns nothing (so no ``True``
    echoes under the cell); given an untouched stub (the student's code raises the stub's
    ``NotImplementedError(STUB_MESSAGE)``, or the answer is ``...``) it prints a "not done yet"
    line and returns ``None``. Any other exception becomes a :class:`WrongAnswer` chained to it
    (``raise ... from e``), so the student sees their own traceback and a verdict under it.
    """

    def wrap(check: Callable) -> Callable:
        @functools.wraps(check)
        def run(*args: Any, **kwargs: Any):
            if any(a is Ellipsis for a in (*args, *kwargs.values())):
                _not_done(name)
                return None
            try:
                note = check(*args, **kwargs)
            except WrongAnswer:
                raise
            except Exception as e:
                if _is_stub(e):
                    _not_done(name)
                    return None
                hint = (_NOT_THE_STUB if isinstance(e, NotImplementedError) else
                        "the traceback above shows where it failed; check the type and shape "
                        "of what your code returns")
                raise WrongAnswer(_message(f"{name} could not check your answer: "
                                           f"{type(e).__name__}: {e}", "", hint)) from e
            print(f"Correct: {name} {note}".rstrip() if note else f"Correct: {name}.")
            return None

        return run

    return wrap


def _plain(x: Any) -> Any:
    """A torch tensor as a NumPy array (detached, on the CPU); anything else unchanged."""
    if hasattr(x, "detach") and hasattr(x, "cpu") and hasattr(x, "numpy"):
        x = x.detach().cpu()
        return x.float().numpy() if str(x.dtype) == "torch.bfloat16" else x.numpy()
    return x


def _array(x: Any) -> Any:
    """``x`` as a NumPy array if it is a tensor or a (rectangular) list; otherwise unchanged."""
    x = _plain(x)
    if isinstance(x, (list, tuple)):
        try:
            return np.asarray(x)
        except (ValueError, TypeError):
            return x
    return x


def _equal(got: Any, want: Any) -> bool:
    """``got == want`` that never raises: arrays and tensors element-wise (same shape), lists and
    tuples item by item."""
    got, want = _plain(got), _plain(want)
    if isinstance(got, np.ndarray) or isinstance(want, np.ndarray):
        try:
            return bool(np.array_equal(np.asarray(got), np.asarray(want)))
        except (ValueError, TypeError):
            return False
    if isinstance(got, (list, tuple)) and isinstance(want, (list, tuple)):
        return len(got) == len(want) and all(_equal(g, w) for g, w in zip(got, want))
    try:
        return bool(got == want)
    except Exception:  # e.g. a list holding arrays: "truth value ... is ambiguous"
        return False


def expect_equal(got: Any, want: Any, where: str = "", hint: str = "") -> None:
    """Raise :class:`WrongAnswer` unless ``got == want`` (exactly; arrays and tensors
    element-wise, with the same shape)."""
    if not _equal(got, want):
        raise WrongAnswer(_message(f"got {_short(_plain(got))}, expected {_short(_plain(want))}",
                                   where, hint))


def expect_shape(got: Any, shape: tuple, where: str = "", hint: str = "") -> None:
    """Raise :class:`WrongAnswer` unless ``got`` is an array (or tensor) of the given shape."""
    got_shape = getattr(got, "shape", None)
    if got_shape is None:
        raise WrongAnswer(_message(f"got a {type(got).__name__}, expected an array of shape "
                                   f"{tuple(shape)}", where, hint))
    if tuple(got_shape) != tuple(shape):
        raise WrongAnswer(_message(f"got shape {tuple(got_shape)}, expected {tuple(shape)}",
                                   where, hint))


def _numbers(got: Any, where: str, hint: str) -> np.ndarray:
    """``got`` (array-like) as a float64 array, or a :class:`WrongAnswer` if it holds no numbers."""
    a = _array(got)
    if not isinstance(a, np.ndarray) or a.dtype.kind not in "biuf":
        what = (f"an array of dtype {a.dtype}" if isinstance(a, np.ndarray)
                else f"a {type(a).__name__}")
        raise WrongAnswer(_message(f"got {what}, expected an array of real numbers", where, hint))
    return a.astype(float)


def expect_close(got: Any, want: Any, where: str = "", hint: str = "", rtol: float = 1e-6,
                 atol: float = 1e-8) -> None:
    """Raise :class:`WrongAnswer` unless ``got`` has ``want``'s shape and is close to it:
    ``|got - want| <= atol + rtol * |want|`` element-wise.

    An answer in a lower precision than float64 (float32, float16) is held to that precision:
    ``rtol`` and ``atol`` grow to at least 64 * eps of its dtype (``atol`` relative to the largest
    ``|want|``), so a correct float32 computation passes and a real mistake still fails."""
    want = np.asarray(_plain(want), dtype=float)
    got = _plain(got)
    if not hasattr(got, "shape") and want.ndim == 0 and isinstance(got, numbers.Real):
        got = np.asarray(got)
    expect_shape(got, want.shape, where, hint)
    dtype = np.asarray(got).dtype
    got = _numbers(got, where, hint)
    if dtype.kind == "f" and dtype.itemsize < 8:
        eps = float(np.finfo(dtype).eps)
        scale = max(1.0, float(np.abs(want).max(initial=0.0)))
        rtol, atol = max(rtol, 64 * eps), max(atol, 64 * eps * scale)
    if not np.allclose(got, want, rtol=rtol, atol=atol):
        bad = np.argwhere(~np.isclose(got, want, rtol=rtol, atol=atol))
        first = tuple(int(i) for i in bad[0]) if want.ndim else ()
        detail = (f"{len(bad)} of {want.size} values differ; first at index {first}: "
                  f"got {got[first]:.6g}, expected {want[first]:.6g}")
        raise WrongAnswer(_message(detail, where, hint))


def check_answer(name: str, got: Any, want: Any, hint: str = "", rtol: float = 0.0) -> None:
    """Check a single value answer (a number, tuple or string); ``...`` means not done yet.

    >>> check_answer("weights of one neuron", 28 * 28, 784)
    Correct: weights of one neuron = 784.
    """

    @checker(name)
    def run(value):
        if rtol and isinstance(want, (int, float)):
            number = _plain(value)
            try:
                close = (not isinstance(number, (str, bytes)) and
                         bool(np.isclose(float(number), want, rtol=rtol, atol=0)))
            except (TypeError, ValueError):
                close = False
            if not close:
                raise WrongAnswer(_message(f"got {_short(value)}, expected about {want}", "", hint))
        else:
            expect_equal(value, want, hint=hint)
        return f"= {_short(value)}."

    return run(got)


def _short(x: Any) -> str:
    if isinstance(x, np.ndarray):
        return f"array of shape {x.shape}" if x.size > 6 else np.array2string(x, precision=4)
    text = repr(x)
    return text if len(text) <= 80 else text[:77] + "..."


def _message(what: str, where: str, hint: str) -> str:
    msg = f"{where}: {what}" if where else what
    return f"{msg}. Hint: {hint}" if hint else msg + "."


# --- 00 · Start here ----------------------------------------------------------------------------

@checker("to_unit_range")
def check_to_unit_range(student_fn) -> str:
    """Exercise of notebook 00: uint8 pixels (0-255) -> float32 in [0, 1], dividing by 255."""
    rng = np.random.default_rng(0)
    cases = [np.array([[0, 255], [51, 102]], dtype=np.uint8),
             rng.integers(0, 256, (3, 28, 28), dtype=np.uint8),
             rng.integers(0, 128, (2, 5, 4), dtype=np.uint8)]  # dark images: max is not 255
    for k, images in enumerate(cases):
        where = f"case {k + 1}, input of shape {images.shape}"
        got = _plain(call_student(student_fn, where, images.copy()))
        expect_shape(got, images.shape, where, "keep one value per pixel, in the same layout")
        if getattr(got, "dtype", None) != np.float32:
            raise WrongAnswer(f"{where}: got dtype {getattr(got, 'dtype', type(got))}, expected "
                              "float32. Hint: convert with .astype(np.float32) before dividing")
        expect_close(got, images.astype(np.float32) / 255, where, rtol=1e-6, atol=1e-7,
                     hint="divide by 255, the largest value a uint8 can hold, not by each "
                          "image's own maximum (a dark image must stay dark)")
    return f"passes {len(cases)} cases, dark images included."


# --- 01 · Why CNNs and 04 · Pooling and fully connected layers ----------------------------------

@checker("neuron_weights")
def check_neuron_weights(student_fn) -> str:
    """Exercise of notebook 01: weights of one fully connected neuron on an H x W x C image."""
    cases = [(28, 28, 1), (32, 32, 3), (200, 200, 3), (5, 7, 2), (1, 1, 1)]
    for h, w, c in cases:
        got = call_student(student_fn, f"height={h}, width={w}, depth={c}", h, w, c)
        if _equal(got, h * w) and c > 1:
            raise WrongAnswer(f"height={h}, width={w}, depth={c}: got {got}, expected {h * w * c}. "
                              "Hint: the neuron sees every channel of every pixel, so the depth "
                              "multiplies too")
        if _equal(got, h * w * c + 1):
            raise WrongAnswer(f"height={h}, width={w}, depth={c}: got {got}, expected {h * w * c}. "
                              "Hint: count the weights only; the bias is one extra parameter")
        expect_equal(got, h * w * c, where=f"height={h}, width={w}, depth={c}",
                     hint="one weight per input number: height × width × depth")
    return f"passes {len(cases)} cases (784, 3,072 and 120,000 among them)."


@checker("pool2d")
def check_pool2d(student_fn) -> str:
    """Exercise of notebook 04: pool2d(x, size, stride=None, mode) on one 2-D grid (H, W)."""
    from .pooling import pool2d

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
        got = _array(call_student(student_fn, where, x.copy(), **kwargs))
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
    from .conv import conv2d

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
        got = _plain(call_student(student_fn, where, x.copy(), w.copy(), b.copy(), s, p))
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
    from .conv import output_size

    cases = [(32, 5, 1, 0), (7, 3, 1, 0), (7, 3, 2, 0), (7, 3, 2, 1), (28, 2, 2, 0),
             (7, 3, 3, 0), (10, 3, 3, 1), (224, 7, 2, 3), (5, 5, 1, 0), (6, 4, 4, 2), (32, 3, 1, 1)]
    for n, f, s, p in cases:
        where = f"n={n}, f={f}, s={s}, p={p}"
        got, want = _plain(call_student(student_fn, where, n, f, s, p)), output_size(n, f, s, p)
        if isinstance(got, float):
            raise WrongAnswer(f"{where}: got the float {got}, expected the integer {want}. Hint: "
                              "use floor division // (a size is a whole number of positions)")
        if _equal(got, (n - f + 2 * p) / s) and not _equal(got, want):
            raise WrongAnswer(f"{where}: got {got}, expected {want}. Hint: you forgot the + 1: "
                              "the first position is already one output")
        expect_equal(got, want, where,
                     hint="(n - f + 2p) // s counts the steps after the first position; "
                          "the division is rounded down, as PyTorch does")
    return f"passes {len(cases)} cases, the non-integer ones included."


LENET_LAYERS = (("C1: conv 5×5", 5, 1), ("S2: pool 2×2, stride 2", 2, 2), ("C3: conv 5×5", 5, 1),
                ("S4: pool 2×2, stride 2", 2, 2), ("C5: conv 5×5", 5, 1))
"""LeNet-5's spatial layers as (name, window f, stride s), no padding."""


@checker("lenet_sizes")
def check_lenet_sizes(student_fn) -> str:
    """Exercise of notebook 03: lenet_sizes(n) -> the side of every feature map of LeNet-5,
    [n, after C1, after S2, after C3, after S4, after C5]; 32 -> [32, 28, 14, 10, 5, 1]."""
    from .conv import output_size

    for n in (32, 36, 40):
        want = [n]
        for _, f, s in LENET_LAYERS:
            want.append(output_size(want[-1], f, s))
        got = _plain(call_student(student_fn, f"n={n}", n))
        got = list(got) if isinstance(got, (tuple, list, np.ndarray)) else got
        if not isinstance(got, list) or len(got) != len(want):
            raise WrongAnswer(f"n={n}: got {_short(got)}, expected a list of {len(want)} sizes "
                              f"(the input and the 5 layers). Hint: start the list with n itself")
        for k, ((name, f, s), g, w) in enumerate(zip(LENET_LAYERS, got[1:], want[1:]), 1):
            if not _equal(g, w):
                raise WrongAnswer(
                    f"n={n}: after {name} got {g}, expected {w} (sizes so far {want[:k + 1]}). "
                    f"Hint: output_size({want[k - 1]}, {f}, s={s}) — no padding in LeNet-5")
    return "32 → 28 → 14 → 10 → 5 → 1, and the sizes for other inputs."


# --- chapter 2: LeNet-5 and the training rule (notebooks 05 and 07) ----------------------------

@checker("conv_params")
def check_conv_params(student_fn) -> str:
    """``student_fn(in_maps, out_maps, k)``: parameters of a k x k convolution with biases."""
    import torch

    cases = [(1, 6, 5), (6, 16, 5), (16, 120, 5), (3, 64, 3), (64, 64, 1), (3, 96, 11)]
    for c_in, c_out, k in cases:
        want = sum(p.numel() for p in torch.nn.Conv2d(c_in, c_out, k).parameters())
        got = call_student(student_fn, f"in={c_in}, out={c_out}, k={k}", c_in, c_out, k)
        if _equal(got, c_out * c_in * k * k):
            raise WrongAnswer(f"in={c_in}, out={c_out}, k={k}: got {got}, expected {want}. Hint: "
                              "each output map also has one bias")
        expect_equal(got, want, where=f"in={c_in}, out={c_out}, k={k}",
                     hint="each output map has one k x k kernel per input map, plus one bias")
    return f"matches torch.nn.Conv2d on {len(cases)} layers (C1: 156, C3: 2,416, C5: 48,120)."


@checker("trainable_subsampling")
def check_trainable_subsampling(student_fn) -> str:
    """``student_fn(x, coefficient, bias)`` with x (C, H, W) NumPy -> (C, H // 2, W // 2)."""
    import torch

    from .models import TrainableSubsampling

    rng = np.random.default_rng(0)
    for shape in [(1, 2, 2), (2, 4, 6), (6, 28, 28), (16, 10, 10)]:
        x, coef, bias = (rng.standard_normal(shape), rng.standard_normal(shape[0]),
                         rng.standard_normal(shape[0]))
        layer = TrainableSubsampling(shape[0]).double()
        with torch.no_grad():
            layer.coefficient.copy_(torch.from_numpy(coef))
            layer.bias.copy_(torch.from_numpy(bias))
            want = layer(torch.from_numpy(x)[None])[0].numpy()
        where = f"x of shape {shape}"
        hint = "2x2 windows with stride 2 halve the height and the width"
        got = _array(call_student(student_fn, where, x.copy(), coef.copy(), bias.copy()))
        expect_shape(got, want.shape, where=where, hint=hint)
        got = _numbers(got, where, hint)
        mean_version = (want - bias[:, None, None]) / 4 + bias[:, None, None]
        if np.allclose(got, mean_version):
            raise WrongAnswer(f"x of shape {shape}: you averaged the window. Hint: LeNet-5 sums "
                              "the four values (the trainable coefficient can scale them)")
        expect_close(got, want, where=f"x of shape {shape}", rtol=1e-9, atol=1e-9,
                     hint="out[c, i, j] = coefficient[c] * (sum of the 2x2 window at (2i, 2j)) "
                          "+ bias[c]; no squashing yet")
    return "matches course_utils.models.TrainableSubsampling on 4 shapes."


@checker("alexnet_step")
def check_alexnet_step(student_fn) -> str:
    """``student_fn(w, v, g, lr, momentum, weight_decay) -> (w_new, v_new)`` (NumPy arrays)."""
    import torch

    from .train import AlexNetSGD

    rng = np.random.default_rng(1)
    for lr, mu, wd in [(0.01, 0.9, 5e-4), (0.1, 0.0, 0.0), (0.05, 0.5, 0.1), (0.2, 0.9, 0.01)]:
        w, v, g = (rng.standard_normal(5) for _ in range(3))
        p = torch.nn.Parameter(torch.from_numpy(w.copy()))
        opt = AlexNetSGD([p], lr=lr, momentum=mu, weight_decay=wd)
        opt.state[p]["velocity"] = torch.from_numpy(v.copy())
        p.grad = torch.from_numpy(g.copy())
        opt.step()
        want_w, want_v = p.detach().numpy(), opt.state[p]["velocity"].numpy()
        where = f"lr={lr}, momentum={mu}, weight_decay={wd}"
        out = call_student(student_fn, where, w.copy(), v.copy(), g.copy(), lr, mu, wd)
        if not (isinstance(out, tuple) and len(out) == 2):
            raise WrongAnswer(f"{where}: got {_short(out)}; return a pair (w_new, v_new)")
        hint = "return the new weights and the new velocity, each an array of w's shape"
        got_w, got_v = (_numbers(a, where, hint) for a in out)
        expect_shape(got_w, w.shape, where + ", new weights", hint)
        expect_shape(got_v, v.shape, where + ", new velocity", hint)
        wrong_sign = mu * v + wd * lr * w - lr * g
        if wd and np.allclose(got_v, wrong_sign):
            raise WrongAnswer(f"{where}: your decay term has a + sign, which makes the weights "
                              "grow: that is the erratum. Hint: v <- mu v - wd lr w - lr g")
        expect_close(got_v, want_v, where=f"{where}, new velocity", rtol=1e-9, atol=1e-12,
                     hint="v_new = momentum * v - weight_decay * lr * w - lr * g (use the old w)")
        expect_close(got_w, want_w, where=f"{where}, new weights", rtol=1e-9, atol=1e-12,
                     hint="w_new = w + v_new")
    return "takes the same steps as course_utils.train.AlexNetSGD."


# --- chapter 2: classic architectures (notebook 06) -------------------------------------------------

@checker("conv_layer_stats")
def check_conv_layer_stats(student_fn) -> str:
    """``student_fn(n, c_in, c_out, f, s, p) -> (side, params, neurons)`` for a square n×n×c_in
    input and a conv layer of c_out f×f filters with stride s, padding p and biases:
    side = floor((n - f + 2p) / s) + 1, params = c_out·(f·f·c_in + 1), neurons = side²·c_out.
    Checked against ``torch.nn.Conv2d`` run on the meta device (shapes only)."""
    import torch

    cases = [(224, 3, 96, 11, 4, 2), (27, 96, 256, 5, 1, 2), (13, 256, 384, 3, 1, 1),
             (224, 3, 64, 3, 1, 1), (32, 1, 6, 5, 1, 0), (7, 2, 4, 3, 2, 0), (10, 3, 5, 4, 3, 1)]
    for n, c_in, c_out, f, s, p in cases:
        conv = torch.nn.Conv2d(c_in, c_out, f, stride=s, padding=p, device="meta")
        side = conv(torch.empty(1, c_in, n, n, device="meta")).shape[-1]
        want = (side, sum(q.numel() for q in conv.parameters()), side * side * c_out)
        where = f"n={n}, c_in={c_in}, c_out={c_out}, f={f}, s={s}, p={p}"
        got = call_student(student_fn, where, n, c_in, c_out, f, s, p)
        if not (isinstance(got, (tuple, list)) and len(got) == 3):
            raise WrongAnswer(f"{where}: got {_short(got)}, expected a tuple (side, params, neurons)")
        g_side, g_params, g_neurons = got
        expect_equal(g_side, want[0], where + ", output side",
                     hint="side = (n - f + 2p) // s + 1 (rounded down, plus the first position)")
        if _equal(g_params, c_out * f * f * c_in):
            raise WrongAnswer(f"{where}: got {g_params} parameters, expected {want[1]}. Hint: each "
                              "of the c_out filters also has one bias")
        expect_equal(g_params, want[1], where + ", parameters",
                     hint="a filter spans all c_in input maps: f·f·c_in weights + 1 bias, and "
                          "there are c_out filters; the input size n does not matter")
        expect_equal(g_neurons, want[2], where + ", neurons",
                     hint="one neuron per output value: side × side positions in each of the "
                          "c_out maps")
    return (f"matches torch.nn.Conv2d on {len(cases)} layers; AlexNet's conv1 has 55×55×96 = "
            "290,400 neurons sharing 34,944 parameters.")
