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

Writing a checker::

    @checker("output_size")
    def check_output_size(student_fn):
        for n, f, s, p in CASES:
            expect_equal(student_fn(n, f, s, p), output_size(n, f, s, p),
                         where=f"n={n}, f={f}, s={s}, p={p}", hint="the division by s is rounded down")
        return f"passes {len(CASES)} cases"
"""
from __future__ import annotations

import functools
from typing import Any, Callable

import numpy as np

__all__ = ["WrongAnswer", "STUB_MESSAGE", "stub_error", "checker", "expect_equal", "expect_close",
           "expect_shape", "check_answer", "check_to_unit_range", "check_neuron_weights",
           "check_pool2d"]

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


def checker(name: str) -> Callable:
    """Decorator for a check function that raises :class:`WrongAnswer` or returns a success note.

    The wrapped checker prints ``Correct: <name> <note>`` and returns nothing (so no ``True``
    echoes under the cell); given an untouched
    stub (the student's code raises ``NotImplementedError``, or the answer is ``...``) it prints a
    "not done yet" line and returns ``None``. Any other exception from the student's code
    propagates, so the student sees their own traceback.
    """

    def wrap(check: Callable) -> Callable:
        @functools.wraps(check)
        def run(*args: Any, **kwargs: Any):
            if any(a is Ellipsis for a in (*args, *kwargs.values())):
                _not_done(name)
                return None
            try:
                note = check(*args, **kwargs)
            except NotImplementedError:
                _not_done(name)
                return None
            print(f"Correct: {name} {note}".rstrip() if note else f"Correct: {name}.")
            return None

        return run

    return wrap


def expect_equal(got: Any, want: Any, where: str = "", hint: str = "") -> None:
    """Raise :class:`WrongAnswer` unless ``got == want`` (exactly; arrays element-wise)."""
    same = (np.array_equal(np.asarray(got), np.asarray(want))
            if isinstance(want, np.ndarray) or isinstance(got, np.ndarray) else got == want)
    if not same:
        raise WrongAnswer(_message(f"got {_short(got)}, expected {_short(want)}", where, hint))


def expect_shape(got: Any, shape: tuple, where: str = "", hint: str = "") -> None:
    """Raise :class:`WrongAnswer` unless ``got`` is an array of the given shape."""
    got_shape = getattr(got, "shape", None)
    if got_shape is None:
        raise WrongAnswer(_message(f"got a {type(got).__name__}, expected an array of shape "
                                   f"{tuple(shape)}", where, hint))
    if tuple(got_shape) != tuple(shape):
        raise WrongAnswer(_message(f"got shape {tuple(got_shape)}, expected {tuple(shape)}",
                                   where, hint))


def expect_close(got: Any, want: Any, where: str = "", hint: str = "", rtol: float = 1e-6,
                 atol: float = 1e-8) -> None:
    """Raise :class:`WrongAnswer` unless ``got`` has ``want``'s shape and is close to it."""
    want = np.asarray(want)
    if hasattr(got, "detach"):  # a torch tensor
        got = got.detach().cpu().numpy()
    expect_shape(np.asarray(got) if not hasattr(got, "shape") and np.ndim(got) == want.ndim == 0
                 else got, want.shape, where, hint)
    got = np.asarray(got, dtype=float)
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
            if not np.isclose(value, want, rtol=rtol, atol=0):
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
        got = student_fn(images.copy())
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
        got = student_fn(h, w, c)
        if got == h * w:
            raise WrongAnswer(f"height={h}, width={w}, depth={c}: got {got}, expected {h * w * c}. "
                              "Hint: the neuron sees every channel of every pixel, so the depth "
                              "multiplies too")
        if got == h * w * c + 1:
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
        got = student_fn(x.copy(), **kwargs)
        want = pool2d(x, size, stride, mode)
        expect_shape(np.asarray(got) if isinstance(got, list) else got, want.shape, where,
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
