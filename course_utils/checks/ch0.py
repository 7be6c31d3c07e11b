"""Checkers of the exercises in notebook 00 (start here)."""
from __future__ import annotations

import numpy as np

from .core import (
    WrongAnswer,
    call_student,
    checker,
    expect_close,
    expect_shape,
    plain,
)

__all__ = ["check_to_unit_range"]


@checker("to_unit_range")
def check_to_unit_range(student_fn) -> str:
    """Exercise of notebook 00: uint8 pixels (0-255) -> float32 in [0, 1], dividing by 255."""
    rng = np.random.default_rng(0)
    cases = [np.array([[0, 255], [51, 102]], dtype=np.uint8),
             rng.integers(0, 256, (3, 28, 28), dtype=np.uint8),
             rng.integers(0, 128, (2, 5, 4), dtype=np.uint8)]  # dark images: max is not 255
    for k, images in enumerate(cases):
        where = f"case {k + 1}, input of shape {images.shape}"
        got = plain(call_student(student_fn, where, images.copy()))
        expect_shape(got, images.shape, where, "keep one value per pixel, in the same layout")
        if getattr(got, "dtype", None) != np.float32:
            raise WrongAnswer(f"{where}: got dtype {getattr(got, 'dtype', type(got))}, expected "
                              "float32. Hint: convert with .astype(np.float32) before dividing")
        expect_close(got, images.astype(np.float32) / 255, where, rtol=1e-6, atol=1e-7,
                     hint="divide by 255, the largest value a uint8 can hold, not by each "
                          "image's own maximum (a dark image must stay dark)")
    return f"passes {len(cases)} cases, dark images included."

