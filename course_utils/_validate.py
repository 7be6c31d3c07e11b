"""Shared argument checks and the size limits that keep a call from exhausting a small machine.

The course runs on Binder pods with 2 GB of memory. A typo such as ``padding=100000`` or
``steps=10**9`` must fail at once with a ``ValueError`` that names the argument, not hang the
kernel or kill it by asking for hundreds of gigabytes. So every function that allocates arrays or
loops in Python checks the size it is about to create *before* allocating, against one of these
limits:

* :data:`MAX_ELEMENTS` = 50,000,000 values in one array (400 MB as float64, 200 MB as float32: a
  few such temporaries still fit in 2 GB);
* :data:`MAX_ITERATIONS` = 1,000,000 steps of a loop written in Python (a few seconds);
* :data:`MAX_CELLS` = 2,500 numbers written into one figure as text (a 50 x 50 table);
* :data:`MAX_PANELS` = 400 small axes (panels) in one figure.

Helpers raise ``ValueError("<argument> must be ..., got ...")``; nothing here imports torch.

This module is the one home of argument checks that more than one module needs: sizes and pairs
of sizes (convolution, pooling and their figures), choices among names, batches of images and
their labels (the figures and the explorers). A module keeps a check for itself only when no other
module needs it.
"""
from __future__ import annotations

import math
import numbers
from typing import Any

import numpy as np

MAX_ELEMENTS = 50_000_000
"""The most values one array may hold (sized for a 2 GB Binder pod)."""

MAX_ITERATIONS = 1_000_000
"""The most steps of a Python loop one call may run (a few seconds)."""

MAX_CELLS = 2_500
"""The most numbers a renderer writes into one figure as text."""

MAX_PANELS = 400
"""The most small axes (one per image or map) a renderer puts in one figure."""


def check_elements(count: int, what: str, fix: str = "") -> None:
    """Raise ``ValueError`` if an array of ``count`` values (``what``) would exceed MAX_ELEMENTS."""
    if count > MAX_ELEMENTS:
        raise ValueError(f"{what} would hold {count:,} values, more than the {MAX_ELEMENTS:,} one "
                         f"array may hold here (the limit that fits a 2 GB Binder pod)"
                         + (f": {fix}" if fix else ""))


def check_iterations(count: int, what: str, fix: str = "") -> None:
    """Raise ``ValueError`` if a Python loop of ``count`` steps (``what``) exceeds the limit."""
    if count > MAX_ITERATIONS:
        raise ValueError(f"{what} would take {count:,} loop steps, more than the "
                         f"{MAX_ITERATIONS:,} allowed (a few seconds)" + (f": {fix}" if fix else ""))


def check_cells(count: int, what: str, fix: str = "") -> None:
    """Raise ``ValueError`` if a figure would write more than MAX_CELLS numbers (``what``)."""
    if count > MAX_CELLS:
        raise ValueError(f"{what} has {count:,} cells, more than the {MAX_CELLS:,} a figure can "
                         "show as numbers" + (f": {fix}" if fix else ""))


def check_panels(count: int, what: str, fix: str = "") -> None:
    """Raise ``ValueError`` if a figure would need more than MAX_PANELS axes (``what``)."""
    if count > MAX_PANELS:
        raise ValueError(f"{what} would need {count:,} panels, more than the {MAX_PANELS} one "
                         "figure can hold" + (f": {fix}" if fix else ""))


def as_int(value: Any, name: str, minimum: int | None = None, maximum: int | None = None) -> int:
    """``value`` as a Python int in [minimum, maximum]; bools, strings and non-integers raise.

    Integer-valued floats (``3.0``) are accepted, as ``range``-like sliders may produce them.
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ValueError(f"{name} must be an integer, got {type(value).__name__} {value!r}")
    if not isinstance(value, numbers.Integral):
        if not (math.isfinite(value) and float(value).is_integer()):
            raise ValueError(f"{name} must be an integer, got {value!r}")
    value = int(value)
    if minimum is not None and value < minimum:
        raise ValueError(f"{name} must be at least {minimum:,}, got {value:,}")
    if maximum is not None and value > maximum:
        raise ValueError(f"{name} must be at most {maximum:,}, got {value:,}")
    return value


def as_float(value: Any, name: str, minimum: float | None = None, maximum: float | None = None,
             finite: bool = True) -> float:
    """``value`` as a float in [minimum, maximum] (finite unless ``finite=False``)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ValueError(f"{name} must be a number, got {type(value).__name__} {value!r}")
    value = float(value)
    if math.isnan(value) or (finite and math.isinf(value)):
        raise ValueError(f"{name} must be a finite number, got {value}")
    if minimum is not None and value < minimum:
        raise ValueError(f"{name} must be at least {minimum:g}, got {value:g}")
    if maximum is not None and value > maximum:
        raise ValueError(f"{name} must be at most {maximum:g}, got {value:g}")
    return value


def as_array(value: Any, name: str) -> np.ndarray:
    """``value`` (an array, nested list or CPU/GPU tensor) as a NumPy array, any dtype; a ragged
    list raises ``ValueError`` naming ``name``."""
    if hasattr(value, "detach") and hasattr(value, "cpu"):  # a torch tensor
        value = value.detach().cpu()
        value = (value.float() if str(value.dtype) == "torch.bfloat16" else value).numpy()
    try:
        return np.asarray(value)
    except (ValueError, TypeError) as e:
        raise ValueError(f"{name} must be an array of numbers of one rectangular shape (no ragged "
                         f"lists), got {type(value).__name__}: {e}") from None


def as_numbers(value: Any, name: str) -> np.ndarray:
    """``value`` (an array, nested list or CPU/GPU tensor) as a NumPy array of numbers.

    Ragged lists, strings, ``None`` and objects raise ``ValueError`` naming ``name``; booleans and
    integers are kept as they are (callers cast).
    """
    a = as_array(value, name)
    if a.dtype.kind not in "biuf":
        raise ValueError(f"{name} must hold numbers, got {type(value).__name__} of dtype {a.dtype}")
    return a


def as_floats(value: Any, name: str, ndim: int | None = None, layout: str = "") -> np.ndarray:
    """``value`` as a floating NumPy array: the dtype policy of the NumPy layers, in one place.

    * Floating inputs keep their precision (float16, float32, float64 stay as they are), so a
      layer's result dtype is ``np.result_type`` of its floating inputs.
    * Integer and bool inputs become float64 before any arithmetic (a uint8 image never wraps
      around, and an int8 one is not narrowed to float32).
    * Anything else (strings, objects, complex numbers, ragged lists) raises ``ValueError`` naming
      ``name``; so does a number of dimensions other than ``ndim`` (when given), described by
      ``layout`` (for example ``"(N, C, H, W)"``).

    >>> as_floats(np.array([200, 100], dtype=np.uint8), "x") * 2
    array([400., 200.])
    >>> as_floats(np.ones(2, dtype=np.float32), "x").dtype
    dtype('float32')
    """
    a = as_array(value, name)
    if ndim is not None and a.ndim != ndim:
        raise ValueError(f"{name} must have {ndim} dimensions {layout}, got shape {a.shape}")
    if a.dtype.kind not in "biuf":
        raise ValueError(f"{name} must hold numbers, got {type(value).__name__} of dtype {a.dtype}")
    return a if a.dtype.kind == "f" else a.astype(np.float64)


def check_callable(value: Any, name: str, what: str, allow_none: bool = True) -> None:
    """Raise ``ValueError`` unless ``value`` is callable (or None when allowed)."""
    if (value is None and not allow_none) or (value is not None and not callable(value)):
        raise ValueError(f"{name} must be {'None or ' if allow_none else ''}a callable {what}, "
                         f"got {type(value).__name__} {value!r}")


def strict_int(value, name: str, minimum: int) -> int:
    """``value`` as a Python int >= ``minimum``, or a ValueError naming ``name``.

    Stricter than :func:`as_int`: floats, even ``3.0``, are refused (sizes, strides, padding).
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise ValueError(f"{name} must be an integer, got {value!r}")
    if value < minimum:
        allowed = "at least 1" if minimum == 1 else f"at least {minimum}"
        raise ValueError(f"{name} must be {allowed}, got {value}")
    return int(value)


def as_pair(value, name: str, minimum: int) -> tuple[int, int]:
    """An int or an (h, w) pair of ints, each >= ``minimum``, as a pair."""
    if isinstance(value, (tuple, list)):
        if len(value) != 2:
            raise ValueError(f"{name} must be an int or an (h, w) pair, got {value!r}")
        return strict_int(value[0], f"{name}[0]", minimum), strict_int(value[1], f"{name}[1]", minimum)
    v = strict_int(value, name, minimum)
    return v, v



def check_choice(kind: str, value, options: tuple[str, ...]) -> str:
    """``value`` if it is one of ``options`` (strings), else a ValueError naming ``kind``."""
    if not isinstance(value, str):
        raise ValueError(f"{kind} must be a string, one of {', '.join(map(repr, options))}; "
                         f"got {type(value).__name__} {value!r}")
    if value not in options:
        raise ValueError(f"unknown {kind} {value!r}; available: {', '.join(map(repr, options))}")
    return value


def check_index(index: int, n: int, what: str) -> int:
    """``index`` as an int in [0, n), or a ValueError naming ``what`` and the range."""
    index = as_int(index, "index")
    if not 0 <= index < n:
        raise ValueError(f"{what} index {index} is out of range: choose 0 to {n - 1}")
    return index


def as_images(images, name: str = "images") -> np.ndarray:
    """A batch of 2-D images (N, H, W) as an array (a tensor is copied to the CPU)."""
    a = as_numbers(images, name)
    if a.ndim != 3:
        tip = (f"; for (N, 1, H, W) tensors such as mnist_tensors' X pass {name}[:, 0]"
               if a.ndim == 4 and a.shape[1] == 1 else "")
        raise ValueError(f"{name} must be a batch of 2-D images (N, H, W), got shape {a.shape}"
                         + tip)
    return a


def as_per_image(values, n: int, name: str) -> np.ndarray:
    """Labels (or predictions, confidences) with one entry per image: shape (n,)."""
    a = as_numbers(values, name)
    if a.ndim != 1 or len(a) != n:
        raise ValueError(f"{name} must have one entry per image, shape ({n},), got shape {a.shape}")
    return a


def as_labels_for(labels, n: int, name: str = "labels") -> np.ndarray:
    """Labels for (at least) the first n images: a 1-D array of length >= n."""
    a = as_numbers(labels, name)
    if a.ndim != 1 or len(a) < n:
        raise ValueError(f"{name} must have one entry per image ({n} images), got shape {a.shape}")
    return a


def as_gray(image: np.ndarray) -> np.ndarray:
    """An (H, W) image as is, or an (H, W, 3) RGB image as luminance (ITU-R 601 weights)."""
    image = as_numbers(image, "image").astype(float)
    if image.ndim == 3 and image.shape[2] == 3:
        return image @ np.array([0.299, 0.587, 0.114])
    if image.ndim != 2:
        raise ValueError(f"expected an (H, W) gray or (H, W, 3) RGB image, got shape {image.shape}")
    return image


def as_gray_named(image, name: str) -> np.ndarray:
    """:func:`as_gray`, with ``name`` in front of any error message."""
    try:
        return as_gray(as_numbers(image, name))
    except ValueError as e:
        raise ValueError(f"{name}: {e}") from None
