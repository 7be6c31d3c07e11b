"""The checker toolkit: fail loudly with a hint, succeed in one line, and say "not done yet" kindly.

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
           "expect_close", "expect_shape", "check_answer"]
# The helpers plain, to_array, answers_equal, answer_numbers, short_repr and format_message are
# public for the chapter modules (ch0, ch1, ch2, ...) that write checkers with them.

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
        raise WrongAnswer(format_message(_raised(e), where, hint)) from e


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
                raise WrongAnswer(format_message(f"{name} could not check your answer: "
                                           f"{type(e).__name__}: {e}", "", hint)) from e
            print(f"Correct: {name} {note}".rstrip() if note else f"Correct: {name}.")
            return None

        return run

    return wrap


def plain(x: Any) -> Any:
    """A torch tensor as a NumPy array (detached, on the CPU); anything else unchanged."""
    if hasattr(x, "detach") and hasattr(x, "cpu") and hasattr(x, "numpy"):
        x = x.detach().cpu()
        return x.float().numpy() if str(x.dtype) == "torch.bfloat16" else x.numpy()
    return x


def to_array(x: Any) -> Any:
    """``x`` as a NumPy array if it is a tensor or a (rectangular) list; otherwise unchanged."""
    x = plain(x)
    if isinstance(x, (list, tuple)):
        try:
            return np.asarray(x)
        except (ValueError, TypeError):
            return x
    return x


def answers_equal(got: Any, want: Any) -> bool:
    """``got == want`` that never raises: arrays and tensors element-wise (same shape), lists and
    tuples item by item."""
    got, want = plain(got), plain(want)
    if isinstance(got, np.ndarray) or isinstance(want, np.ndarray):
        try:
            return bool(np.array_equal(np.asarray(got), np.asarray(want)))
        except (ValueError, TypeError):
            return False
    if isinstance(got, (list, tuple)) and isinstance(want, (list, tuple)):
        return len(got) == len(want) and all(answers_equal(g, w) for g, w in zip(got, want))
    try:
        return bool(got == want)
    except Exception:  # e.g. a list holding arrays: "truth value ... is ambiguous"
        return False


def expect_equal(got: Any, want: Any, where: str = "", hint: str = "") -> None:
    """Raise :class:`WrongAnswer` unless ``got == want`` (exactly; arrays and tensors
    element-wise, with the same shape)."""
    if not answers_equal(got, want):
        raise WrongAnswer(format_message(f"got {short_repr(plain(got))}, expected {short_repr(plain(want))}",
                                   where, hint))


def expect_shape(got: Any, shape: tuple, where: str = "", hint: str = "") -> None:
    """Raise :class:`WrongAnswer` unless ``got`` is an array (or tensor) of the given shape."""
    got_shape = getattr(got, "shape", None)
    if got_shape is None:
        raise WrongAnswer(format_message(f"got a {type(got).__name__}, expected an array of shape "
                                   f"{tuple(shape)}", where, hint))
    if tuple(got_shape) != tuple(shape):
        raise WrongAnswer(format_message(f"got shape {tuple(got_shape)}, expected {tuple(shape)}",
                                   where, hint))


def answer_numbers(got: Any, where: str, hint: str) -> np.ndarray:
    """``got`` (array-like) as a float64 array, or a :class:`WrongAnswer` if it holds no numbers."""
    a = to_array(got)
    if not isinstance(a, np.ndarray) or a.dtype.kind not in "biuf":
        what = (f"an array of dtype {a.dtype}" if isinstance(a, np.ndarray)
                else f"a {type(a).__name__}")
        raise WrongAnswer(format_message(f"got {what}, expected an array of real numbers", where, hint))
    return a.astype(float)


def expect_close(got: Any, want: Any, where: str = "", hint: str = "", rtol: float = 1e-6,
                 atol: float = 1e-8) -> None:
    """Raise :class:`WrongAnswer` unless ``got`` has ``want``'s shape and is close to it:
    ``|got - want| <= atol + rtol * |want|`` element-wise.

    An answer in a lower precision than float64 (float32, float16) is held to that precision:
    ``rtol`` and ``atol`` grow to at least 64 * eps of its dtype (``atol`` relative to the largest
    ``|want|``), so a correct float32 computation passes and a real mistake still fails."""
    want = np.asarray(plain(want), dtype=float)
    got = plain(got)
    if not hasattr(got, "shape") and want.ndim == 0 and isinstance(got, numbers.Real):
        got = np.asarray(got)
    expect_shape(got, want.shape, where, hint)
    dtype = np.asarray(got).dtype
    got = answer_numbers(got, where, hint)
    if dtype.kind == "f" and dtype.itemsize < 8:
        eps = float(np.finfo(dtype).eps)
        scale = max(1.0, float(np.abs(want).max(initial=0.0)))
        rtol, atol = max(rtol, 64 * eps), max(atol, 64 * eps * scale)
    if not np.allclose(got, want, rtol=rtol, atol=atol):
        bad = np.argwhere(~np.isclose(got, want, rtol=rtol, atol=atol))
        first = tuple(int(i) for i in bad[0]) if want.ndim else ()
        detail = (f"{len(bad)} of {want.size} values differ; first at index {first}: "
                  f"got {got[first]:.6g}, expected {want[first]:.6g}")
        raise WrongAnswer(format_message(detail, where, hint))


def check_answer(name: str, got: Any, want: Any, hint: str = "", rtol: float = 0.0) -> None:
    """Check a single value answer (a number, tuple or string); ``...`` means not done yet.

    >>> check_answer("weights of one neuron", 28 * 28, 784)
    Correct: weights of one neuron = 784.
    """

    @checker(name)
    def run(value):
        if rtol and isinstance(want, (int, float)):
            number = plain(value)
            try:
                close = (not isinstance(number, (str, bytes)) and
                         bool(np.isclose(float(number), want, rtol=rtol, atol=0)))
            except (TypeError, ValueError):
                close = False
            if not close:
                raise WrongAnswer(format_message(f"got {short_repr(value)}, expected about {want}", "", hint))
        else:
            expect_equal(value, want, hint=hint)
        return f"= {short_repr(value)}."

    return run(got)


def short_repr(x: Any) -> str:
    if isinstance(x, np.ndarray):
        return f"array of shape {x.shape}" if x.size > 6 else np.array2string(x, precision=4)
    text = repr(x)
    return text if len(text) <= 80 else text[:77] + "..."


def format_message(what: str, where: str, hint: str) -> str:
    msg = f"{where}: {what}" if where else what
    return f"{msg}. Hint: {hint}" if hint else msg + "."
