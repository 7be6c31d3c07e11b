"""Figures of images and digits: one digit and its numbers, grids of digits (with their
predictions), the channels of a colour image, the misclassified digits."""
from __future__ import annotations

from typing import Sequence

import numpy as np

from .._validate import (
    as_images,
    as_int,
    as_labels_for,
    as_numbers,
    as_per_image,
    check_index,
    check_panels,
)

__all__ = ["render_digit", "render_digit_grid", "render_image_channels", "render_misclassified"]


def render_digit(fig, images: np.ndarray, labels: np.ndarray, index: int = 0, row: int = 10,
                 col: int = 10, size: int = 8) -> None:
    """One 28x28 digit as a picture, and a ``size`` x ``size`` patch of it as the numbers a network
    receives (0 = white, 255 = black). The patch's top-left corner is (``row``, ``col``).

    Shapes: images (N, H, W) uint8, labels (N,).
    """
    images = as_images(images)
    labels = as_labels_for(labels, len(images))
    row, col, size = as_int(row, "row"), as_int(col, "col"), as_int(size, "size")
    i = check_index(index, len(images), "digit")
    img = np.asarray(images[i])
    h, w = img.shape
    if not 1 <= size <= min(h, w):
        raise ValueError(f"patch size must be between 1 and {min(h, w)}, got {size}")
    if not (0 <= row <= h - size and 0 <= col <= w - size):
        raise ValueError(f"a {size}x{size} patch at row {row}, column {col} leaves the {h}x{w} "
                         f"image: row and column must be between 0 and {h - size}")
    ax_img, ax_num = fig.subplots(1, 2)
    for ax in (ax_img, ax_num):
        ax.set_xticks([]), ax.set_yticks([])
    ax_img.imshow(img, cmap="gray_r", vmin=0, vmax=255)
    ax_img.add_patch(_rectangle((col - 0.5, row - 0.5), size, size))
    ax_img.set_title(f"digit #{i}: label {int(labels[i])}")
    patch = img[row:row + size, col:col + size]
    ax_num.imshow(patch, cmap="gray_r", vmin=0, vmax=255, alpha=0.6)
    for (r, c), v in np.ndenumerate(patch):
        ax_num.text(c, r, str(v), ha="center", va="center", fontsize=8,
                    color="white" if v > 170 else "black")
    ax_num.set_title(f"rows {row}-{row + size - 1}, columns {col}-{col + size - 1}")


def _rectangle(xy, width, height):
    from matplotlib.patches import Rectangle

    return Rectangle(xy, width, height, fill=False, edgecolor="tab:red", linewidth=2)


def render_digit_grid(fig, images: np.ndarray, labels: Sequence[int], ncols: int = 10,
                      predictions: Sequence[int] | None = None) -> None:
    """A grid of digits titled with their labels (and predictions, red where wrong).

    Shapes: images (N, H, W), labels (N,), predictions (N,) or None.
    """
    images = as_images(images)
    n = len(images)
    if n == 0:
        raise ValueError("no images to show")
    check_panels(n, f"{n} images", "show fewer images")
    ncols = as_int(ncols, "ncols")
    if ncols < 1:
        raise ValueError(f"ncols must be at least 1, got {ncols}")
    labels = as_labels_for(labels, n)
    if predictions is not None:
        predictions = as_labels_for(predictions, n, "predictions")
    nrows = -(-n // ncols)
    axes = fig.subplots(nrows, min(ncols, n), squeeze=False)
    for k, ax in enumerate(axes.flat):
        ax.set_axis_off()
        if k >= n:
            continue
        ax.imshow(images[k], cmap="gray_r")
        if predictions is None:
            ax.set_title(str(int(labels[k])), fontsize=9)
        else:
            ok = int(predictions[k]) == int(labels[k])
            ax.set_title(f"{int(labels[k])}→{int(predictions[k])}", fontsize=9,
                         color="black" if ok else "red")


def render_image_channels(fig, image: np.ndarray, title: str = "") -> None:
    """An RGB image and its three channels, each a 2-D grid of intensities.

    Shape: image (H, W, 3) float in [0, 1].
    """
    image = as_numbers(image, "image")
    if image.ndim != 3 or image.shape[2] != 3:
        raise ValueError(f"expected an (H, W, 3) RGB image, got shape {image.shape}")
    axes = fig.subplots(1, 4)
    axes[0].imshow(image)
    axes[0].set_title(title or f"{image.shape[0]}×{image.shape[1]}×3")
    for ax, c, name, cmap in zip(axes[1:], range(3), ("red", "green", "blue"),
                                 ("Reds", "Greens", "Blues")):
        ax.imshow(image[:, :, c], cmap=cmap, vmin=0, vmax=1)
        ax.set_title(f"{name} channel")
    for ax in axes:
        ax.set_axis_off()


def render_misclassified(fig, images: np.ndarray, labels, predictions, confidence=None,
                         max_n: int = 20, ncols: int = 10) -> None:
    """The first ``max_n`` misclassified digits, titled "true→predicted" (and the probability
    the model gave its wrong answer). Shapes: images (N, H, W), labels/predictions (N,),
    confidence (N,) or None."""
    labels = as_numbers(labels, "labels")
    if labels.ndim != 1:
        raise ValueError(f"labels must have shape (N,), got {labels.shape}")
    predictions = as_per_image(predictions, len(labels), "predictions")
    images = as_images(images)
    if len(images) != len(labels):
        raise ValueError(f"images has {len(images)} images but labels has {len(labels)} entries")
    if confidence is not None:
        confidence = as_per_image(confidence, len(labels), "confidence")
    max_n, ncols = as_int(max_n, "max_n", 1), as_int(ncols, "ncols")
    check_panels(min(max_n, len(labels)), f"max_n={max_n} digits", "use a smaller max_n")
    wrong = np.flatnonzero(labels != predictions)[:max_n]
    if len(wrong) == 0:
        raise ValueError("no misclassified digits: every prediction is right")
    if ncols < 1:
        raise ValueError(f"ncols must be at least 1, got {ncols}")
    nrows = -(-len(wrong) // ncols)
    axes = fig.subplots(nrows, min(ncols, len(wrong)), squeeze=False)
    for ax in axes.flat:
        ax.set_axis_off()
    for ax, k in zip(axes.flat, wrong):
        ax.imshow(np.asarray(images[k]), cmap="gray_r")
        text = f"{labels[k]}→{predictions[k]}"
        if confidence is not None:
            text += f" ({float(confidence[k]):.2f})"
        ax.set_title(text, fontsize=8, color="tab:red")
