"""Explorers of convolution, stride and padding (notebooks 02 and 03)."""
from __future__ import annotations

import numpy as np

from .._validate import (
    as_gray_named,
    as_int,
    as_numbers,
    as_pair,
)
from .app import App, app, choice, fslider, slider

__all__ = ["flashlight_demo_grid", "FLASHLIGHT_KERNELS", "flashlight_explorer",
           "PLAYGROUND_WEIGHTS", "kernel_playground", "stride_padding_explorer"]


def flashlight_demo_grid():
    """A 7x7 "7" drawn with 9s on 0s: the flashlight explorer's default input."""

    return np.array([[0, 0, 0, 0, 0, 0, 0],
                     [0, 9, 9, 9, 9, 9, 0],
                     [0, 0, 0, 0, 9, 0, 0],
                     [0, 0, 0, 9, 0, 0, 0],
                     [0, 0, 9, 0, 0, 0, 0],
                     [0, 0, 9, 0, 0, 0, 0],
                     [0, 0, 0, 0, 0, 0, 0]])


FLASHLIGHT_KERNELS = ("vertical edge", "horizontal edge", "sharpen", "outline", "identity")
"""Kernels offered by :func:`flashlight_explorer` (integer weights: the products stay readable)."""


def flashlight_explorer(image=None, kernels=FLASHLIGHT_KERNELS, stride=1, padding=0) -> App:
    """The sliding window of a convolution, one position at a time: receptive field, products,
    sum and the growing feature map (notebook 02). ``image`` (H, W), small; by default
    :func:`flashlight_demo_grid`.

    ``kernels``: names of :data:`course_utils.conv.KERNELS` (3x3), or a mapping from labels to
    small 2-D arrays of any size, odd or even (at most 7x7). The position slider covers the
    kernel with the most positions; past a smaller kernel's last position the explorer says how
    many it has.
    """
    from collections.abc import Mapping

    from ..layers.conv import kernel
    from ..layers.sizes import output_size
    from ..viz.conv import render_flashlight

    image = flashlight_demo_grid() if image is None else as_numbers(image, "image")
    if image.ndim != 2:
        raise ValueError(f"image must be one 2-D grid (H, W), got shape {image.shape}")
    if isinstance(kernels, Mapping):
        named = {str(label): as_numbers(k, f"kernels[{label!r}]") for label, k in kernels.items()}
    elif isinstance(kernels, str) or not hasattr(kernels, "__iter__"):
        raise ValueError(f"kernels must be a list of kernel names or a mapping from labels to "
                         f"2-D arrays, got {kernels!r}")
    else:
        named = {name: kernel(name) for name in kernels}  # ValueError naming an unknown kernel
    if not named:
        raise ValueError("kernels is empty: give at least one kernel name")
    (sh, sw), (ph, pw) = as_pair(stride, "stride", 1), as_pair(padding, "padding", 0)
    positions = 0
    for label, k in named.items():
        if k.ndim != 2 or not 1 <= min(k.shape) <= max(k.shape) <= 7:
            raise ValueError(f"kernels[{label!r}] must be a 2-D array of 1x1 to 7x7, got shape "
                             f"{k.shape}")
        try:
            positions = max(positions, output_size(image.shape[0], k.shape[0], sh, ph)
                            * output_size(image.shape[1], k.shape[1], sw, pw))
        except ValueError as e:
            raise ValueError(f"image of shape {image.shape} is too small for the "
                             f"{k.shape[0]}×{k.shape[1]} kernel {label!r} with padding "
                             f"{padding}: {e}") from None

    def render(fig, kernel_name, step):
        render_flashlight(fig, image, named[kernel_name], step, stride, padding)

    return app(render, figsize=(8.0, 4.0),
               kernel_name=choice("kernel", list(named)),
               step=slider("position", 0, positions - 1, 0))


PLAYGROUND_WEIGHTS = [f"k{r}{c}" for r in range(3) for c in range(3)]


def kernel_playground(images: dict, preset: str = "sobel x") -> App:
    """Edit a 3x3 kernel, pick a photo, see the feature map (notebook 02).

    ``images`` maps names to (H, W) or (H, W, 3) arrays in [0, 1]. The "kernel" menu offers the
    classic kernels of :data:`course_utils.conv.KERNELS` and "custom"; in "custom" the nine
    sliders (row by row: k00 is the top-left weight) are the kernel. Moving a slider switches
    to "custom", starting from the values the sliders hold.
    """

    from collections.abc import Mapping

    from ..layers.conv import KERNELS
    from ..viz.conv import render_feature_map

    if not isinstance(images, Mapping):
        raise ValueError(f"images must map names to images, got {type(images).__name__}")
    if not images:
        raise ValueError("kernel_playground needs at least one image: images is empty")
    for name, image in images.items():
        as_gray_named(image, f"images[{name!r}]")
    if not (isinstance(preset, str) and (preset in KERNELS or preset == "custom")):
        raise ValueError(f"preset must be one of {list(KERNELS)} or 'custom', got {preset!r}")
    start = np.array(KERNELS[preset], dtype=float) if preset in KERNELS else np.zeros((3, 3))
    presets = [*KERNELS, "custom"]
    menu = choice("kernel", presets, preset if preset in KERNELS else "custom", buttons=False)
    sliders = {name: fslider(name, -4.0, 4.0, float(np.clip(start.flat[k], -4, 4)), 0.25)
               for k, name in enumerate(PLAYGROUND_WEIGHTS)}
    for sl in sliders.values():
        sl.layout.width = "31%"

    def to_custom(change):  # the user edits a weight: the sliders now define the kernel
        if menu.value != "custom" and change["new"] != change["old"]:
            menu.value = "custom"

    for sl in sliders.values():  # before the App observes them, so a move renders once in custom
        sl.observe(to_custom, names="value")

    def render(fig, photo, kernel_name, **weights):
        if kernel_name == "custom":
            k = np.array([weights[name] for name in PLAYGROUND_WEIGHTS], dtype=float).reshape(3, 3)
        else:
            k = np.array(KERNELS[kernel_name], dtype=float)
        render_feature_map(fig, images[photo], k, title=f"{photo} ({kernel_name})")

    return app(render, figsize=(8.5, 3.4),
               photo=choice("photo", list(images), buttons=False), kernel_name=menu, **sliders)


def stride_padding_explorer(n_max: int = 12, f_max: int = 7, s_max: int = 4, p_max: int = 3) -> App:
    """Choose n, f, s, p: every window position on the padded input, the output size, and a
    warning with the padding that fixes a non-integer (n - f + 2p) / s (notebook 03)."""
    from ..viz.conv import render_stride_padding

    n_max, f_max = as_int(n_max, "n_max", 3), as_int(f_max, "f_max", 1)
    s_max, p_max = as_int(s_max, "s_max", 1), as_int(p_max, "p_max", 0)
    if n_max + 2 * p_max > 50:
        raise ValueError(f"n_max + 2 * p_max must be at most 50 (a grid of cells), got "
                         f"n_max={n_max}, p_max={p_max}")
    return app(render_stride_padding, figsize=(6.0, 4.9),
               n=slider("input n", 3, n_max, min(7, n_max)),
               f=slider("window f", 1, f_max, min(3, f_max)),
               s=slider("stride s", 1, s_max, min(2, s_max)), p=slider("padding p", 0, p_max, 0))
