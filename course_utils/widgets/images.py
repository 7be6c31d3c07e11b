"""Explorers of images: browse the digits and read a patch as numbers (notebook 00)."""
from __future__ import annotations

from .._validate import (
    as_images,
    as_per_image,
)
from .app import App, app, slider

__all__ = ["digit_explorer"]


def digit_explorer(images, labels) -> App:
    """Browse digits, and read any 8x8 patch of one as the numbers a network sees (notebook 00)."""
    from ..viz.images import render_digit

    checked = as_images(images)
    as_per_image(labels, len(checked), "labels")
    if not len(checked):
        raise ValueError("images is empty")
    h, w = checked.shape[1:3]
    if min(h, w) < 8:
        raise ValueError(f"images must be at least 8×8 pixels (the patch is 8×8), got {h}×{w}")
    return app(render_digit, fixed=dict(images=images, labels=labels, size=8), figsize=(7.5, 3.6),
               index=slider("digit #", 0, len(images) - 1, 0),
               row=slider("patch row", 0, h - 8, 10), col=slider("patch column", 0, w - 8, 10))
