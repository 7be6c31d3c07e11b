"""Figures of image captioning (notebook 15): a caption with the attention of each word over the
image, and a gallery of captions sorted into the notes' three columns."""
from __future__ import annotations

import textwrap
from typing import Sequence

import numpy as np

from .._validate import as_numbers, check_panels
from ._colours import BLACK, categorical

__all__ = ["render_caption", "render_caption_gallery"]


def _image(image, name: str = "image") -> np.ndarray:
    a = as_numbers(image, name).astype(float)
    if a.ndim == 3 and a.shape[0] == 3:
        a = a.transpose(1, 2, 0)
    if a.ndim != 3 or a.shape[2] != 3 or a.shape[0] != a.shape[1] or not np.isfinite(a).all():
        raise ValueError(f"{name} must be a square colour image (3, S, S) or (S, S, 3), got shape "
                         f"{a.shape}")
    return np.clip(a, 0, 1)


def _words(words, name: str) -> list[str]:
    if isinstance(words, str):
        words = words.split()
    if not isinstance(words, (list, tuple)) or not all(isinstance(w, str) for w in words):
        raise ValueError(f"{name} must be a list of words (strings), got {words!r:.60}")
    return list(words)


def render_caption(fig, image, words, weights=None, title: str = "", per_row: int = 6) -> None:
    """An image and its caption, then one panel per emitted word showing where the decoder
    looked: the image brightened in proportion to the attention weight of each grid cell
    (weight / largest weight of that step), the word and the step's largest weight above it.

    Shapes: image (3, S, S) or (S, S, 3) in [0, 1]; ``words`` L words; ``weights`` (L or L + 1,
    G, G) with G dividing S (row t: the weights when word t was emitted; an extra row is the
    ``<eos>`` step), or None for the image and caption alone.
    """
    img = _image(image)
    out = _words(words, "words")
    side = img.shape[0]
    rows_w = 0
    if weights is not None:
        w = as_numbers(weights, "weights").astype(float)
        if w.ndim != 3 or w.shape[0] not in (len(out), len(out) + 1) or w.shape[1] != w.shape[2] \
                or not w.shape[1] or side % w.shape[1]:
            raise ValueError(f"weights must be ({len(out)} or {len(out) + 1}, G, G) with G "
                             f"dividing the image side {side}, got shape {w.shape}")
        if not np.isfinite(w).all() or (w.size and w.min() < -1e-6):
            raise ValueError("weights must be attention weights (finite, >= 0)")
        rows_w = len(w)
    labels = out + ["<eos>"] * (rows_w - len(out))
    per_row = max(1, int(per_row))
    panels = 1 + rows_w
    check_panels(panels, "the caption", "show a shorter caption")
    nrows = -(-panels // per_row)
    axes = fig.subplots(nrows, per_row, squeeze=False).ravel()
    for ax in axes:
        ax.set_axis_off()
    axes[0].imshow(img, interpolation="nearest")
    axes[0].set_title("image", fontsize=9)
    for t in range(rows_w):
        ax = axes[t + 1]
        cell = side // w.shape[1]
        up = np.kron(w[t], np.ones((cell, cell)))
        light = up / up.max() if up.max() > 0 else up
        ax.imshow(img * (0.15 + 0.85 * light[:, :, None]), interpolation="nearest")
        ax.set_title(f"{labels[t]}\nmax {w[t].max():.2f}", fontsize=9)
    caption = " ".join(out) if out else "(empty caption)"
    lines = [piece for part in (title.split("\n") if title else []) + [caption]
             for piece in textwrap.wrap(part, 100) or [""]]
    fig.suptitle("\n".join(lines), fontsize=10)
    height = fig.get_size_inches()[1]
    top = 1 - (0.19 * len(lines) + 0.45) / height     # the title's lines, then a panel title
    fig.subplots_adjust(left=0.02, right=0.98, bottom=0.02, top=max(top, 0.3),
                        wspace=0.1, hspace=0.55)


def render_caption_gallery(fig, images: Sequence, captions: Sequence, columns: Sequence[int],
                           names: Sequence[str], per_column: int = 3) -> None:
    """Images with their generated captions in three columns, as in the notes' table.

    ``images`` (N, 3, S, S); ``captions`` N word lists; ``columns`` N column indices into
    ``names`` (e.g. ``captioning.COLUMNS``). The first ``per_column`` captions of each column are
    shown, under the column's name and its share of all N captions (a column with none says so).
    """
    imgs = as_numbers(images, "images")
    caps = [_words(c, f"captions[{i}]") for i, c in enumerate(captions)]
    cols = [int(c) for c in as_numbers(columns, "columns").ravel()]
    names = [str(n) for n in names]
    if imgs.ndim != 4 or not (len(imgs) == len(caps) == len(cols)) or not len(imgs):
        raise ValueError(f"images (N, 3, S, S), captions and columns must have the same length "
                         f"N >= 1, got {imgs.shape}, {len(caps)}, {len(cols)}")
    if any(c < 0 or c >= len(names) for c in cols) or not names:
        raise ValueError(f"columns must be indices into names (0..{len(names) - 1}), got "
                         f"{sorted(set(cols))}")
    per_column = max(1, int(per_column))
    check_panels(per_column * len(names), "the gallery", "show fewer captions per column")
    axes = fig.subplots(per_column, len(names), squeeze=False)
    for j, name in enumerate(names):
        idx = [i for i, c in enumerate(cols) if c == j]
        axes[0, j].set_title(f"{name}\n({len(idx)} of {len(cols)}, {len(idx) / len(cols):.0%})",
                             fontsize=10, color=categorical(j) if j else BLACK)
        for r in range(per_column):
            ax = axes[r, j]
            ax.set_xticks([])
            ax.set_yticks([])
            if r < len(idx):
                i = idx[r]
                ax.imshow(_image(imgs[i], f"images[{i}]"), interpolation="nearest")
                ax.set_xlabel("\n".join(textwrap.wrap(" ".join(caps[i]) or "(empty)", 24)),
                              fontsize=8)
            else:
                ax.set_axis_off()
                if r == 0:
                    ax.text(0.5, 0.5, "none", ha="center", va="center", transform=ax.transAxes)
    fig.subplots_adjust(left=0.02, right=0.98, bottom=0.06, top=0.9, wspace=0.05, hspace=0.55)
