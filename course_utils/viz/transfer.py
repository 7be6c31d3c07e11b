"""Figures of transfer learning (notebooks 08-09): pretrained filters, a code space explored, and
the four transfer scenarios measured."""
from __future__ import annotations

from typing import Mapping, Sequence

import numpy as np

from .._validate import as_float, as_int, as_numbers, check_index, check_panels
from ._colours import SKY_BLUE, categorical

__all__ = ["render_first_filters", "render_code_space", "render_scenario"]


def render_first_filters(fig, weight, columns: int = 8) -> None:
    """The first convolution's filters as colour patches: weight (F, 3, k, k), each filter
    rescaled to [0, 1] on its own, ``(w - min) / (max - min)``, shown as an RGB image."""
    w = as_numbers(weight, "weight").astype(float)
    if w.ndim != 4 or w.shape[1] != 3:
        raise ValueError(f"weight must be first-layer filters (F, 3, k, k), got shape {w.shape}")
    columns = as_int(columns, "columns", 1, 64)
    check_panels(len(w), "the filters")
    rows = -(-len(w) // columns)
    for f, filt in enumerate(w):
        ax = fig.add_subplot(rows, columns, f + 1)
        lo, hi = filt.min(), filt.max()
        ax.imshow(((filt - lo) / (hi - lo if hi > lo else 1.0)).transpose(1, 2, 0),
                  interpolation="nearest")
        ax.set_axis_off()


def render_code_space(fig, images, points, neighbours, similarities, labels, index: int = 0,
                      class_names: Sequence[str] | None = None, title: str = "") -> None:
    """A chosen image, its nearest neighbours in code space, and all codes projected to 2-D.

    Shapes: images (N, H, W, 3) uint8, points (N, 2) (e.g. :func:`pca_project` of the codes),
    neighbours (k,) indices and similarities (k,) (:func:`nearest_codes`), labels (N,).
    The top row shows the image and its neighbours (class, cosine similarity; a neighbour of
    another class in red); below, the 2-D points coloured by class, the image as a star and its
    neighbours circled.
    """
    imgs = as_numbers(images, "images")
    if imgs.ndim != 4 or imgs.shape[-1] != 3:
        raise ValueError(f"images must be (N, H, W, 3), got shape {imgs.shape}")
    n = len(imgs)
    pts = as_numbers(points, "points").astype(float)
    if pts.shape != (n, 2):
        raise ValueError(f"points must be one 2-D point per image, shape ({n}, 2), got {pts.shape}")
    y = as_numbers(labels, "labels").astype(int)
    if y.shape != (n,):
        raise ValueError(f"labels must have one entry per image, shape ({n},), got {y.shape}")
    index = check_index(index, n, "image")
    nb = as_numbers(neighbours, "neighbours").astype(int)
    sim = as_numbers(similarities, "similarities").astype(float)
    if nb.ndim != 1 or sim.shape != nb.shape or not len(nb) or nb.min() < 0 or nb.max() >= n:
        raise ValueError(f"neighbours must be 1-D indices in 0..{n - 1} with one similarity each, "
                         f"got shapes {nb.shape} and {sim.shape}")
    names = list(class_names) if class_names is not None else [str(c) for c in range(y.max() + 1)]
    if len(names) <= y.max():
        raise ValueError(f"class_names must name {y.max() + 1} classes, got {len(names)}")
    k = len(nb)
    check_panels(k + 2, "the image and its neighbours")
    grid = fig.add_gridspec(2, k + 1, height_ratios=(1, 2.4))
    for j, i in enumerate([index, *nb.tolist()]):
        ax = fig.add_subplot(grid[0, j])
        ax.imshow(imgs[i])
        ax.set_xticks([]), ax.set_yticks([])
        if j == 0:
            ax.set_title(f"#{i}: {names[y[i]]}", fontsize=8, fontweight="bold")
        else:
            ax.set_title(f"{names[y[i]]}\ncos {sim[j - 1]:.2f}", fontsize=7,
                         color="black" if y[i] == y[index] else "tab:red")
    ax = fig.add_subplot(grid[1, :])
    for c in np.unique(y):
        sel = y == c
        ax.scatter(pts[sel, 0], pts[sel, 1], s=9, alpha=0.6, label=names[c], color=categorical(c))
    ax.scatter(pts[nb, 0], pts[nb, 1], s=60, facecolors="none", edgecolors="black", linewidths=1)
    ax.scatter(*pts[index], marker="*", s=220, color="black")
    ax.set_xlabel("principal direction 1"), ax.set_ylabel("principal direction 2")
    ax.legend(fontsize=7, ncol=min(4, len(np.unique(y))), loc="best", markerscale=1.5)
    same = int((y[nb] == y[index]).sum())
    ax.set_title(title or f"{same} of {k} nearest neighbours share the image's class", fontsize=9)


def render_scenario(fig, accuracies, recommended: str, rule: str = "", chance: float | None = None,
                    title: str = "") -> None:
    """One scenario of the notes' 2 x 2 grid, measured (notebook 09).

    ``accuracies``: {strategy: test accuracies, one per seed}; each strategy is a bar at its mean
    with one dot per seed and its spread (max - min) printed; ``recommended`` (a key) is the notes'
    rule of thumb for this scenario, drawn in sky blue (and named so on its label); the best mean is marked with a star. ``rule``:
    the notes' text, shown under the title; ``chance``: a dotted line at the chance accuracy.
    """
    if not isinstance(accuracies, Mapping) or not accuracies:
        raise ValueError("accuracies must be a non-empty dict {strategy: accuracies per seed}")
    names = list(accuracies)
    values = []
    for name in names:
        a = as_numbers(accuracies[name], f"accuracies[{name!r}]").astype(float).ravel()
        if not len(a) or not np.all(np.isfinite(a)) or a.min() < 0 or a.max() > 1:
            raise ValueError(f"accuracies[{name!r}] must be one or more accuracies in [0, 1], got "
                             f"{a.tolist()}")
        values.append(a)
    if recommended not in accuracies:
        raise ValueError(f"recommended must be one of the strategies {names}, got {recommended!r}")
    if chance is not None:
        chance = as_float(chance, "chance", 0.0, 1.0)
    check_panels(len(names), "the strategies")
    means = [float(a.mean()) for a in values]
    best = int(np.argmax(means))
    ax = fig.add_subplot(1, 1, 1)
    rows = np.arange(len(names))[::-1]
    colours = [SKY_BLUE if n == recommended else "lightgray" for n in names]
    ax.barh(rows, means, color=colours, edgecolor="black", linewidth=0.5)
    for r, a, m, name in zip(rows, values, means, names):
        ax.scatter(a, np.full(len(a), r), s=14, color="black", zorder=3)
        mark = " ★ best" if name == names[best] else ""
        ax.text(min(m, 0.55) + 0.01 if m < 0.6 else 0.01, r,
                f"{m:.3f} ± {(a.max() - a.min()) / 2:.3f}{mark}", va="center", fontsize=8,
                fontweight="bold" if mark else "normal")
    if chance is not None:
        ax.axvline(chance, color="0.2", ls=":", lw=1)
        ax.text(chance, rows[0] + 0.45, " chance", color="0.2", fontsize=7, va="bottom")
    ax.set_yticks(rows, [f"{n}\n(the notes' rule)" if n == recommended else n for n in names],
                  fontsize=8)
    ax.set_xlim(0, 1)
    ax.set_xlabel("test accuracy (bar: mean over seeds; dots: seeds)")
    gap = means[best] - means[names.index(recommended)]
    verdict = ("the rule's strategy is the best measured" if gap == 0 else
               f"the best measured is {gap:.3f} above the rule's strategy")
    ax.set_title((title + "\n" if title else "") + (f"{rule}\n" if rule else "") + verdict,
                 fontsize=9)
    if fig.get_layout_engine() is None:       # room for the strategy names and three title lines
        fig.subplots_adjust(left=0.27, right=0.97, top=0.8, bottom=0.13)
