"""Figures of training: curves, LeNet-5's feature maps, the confusion matrix (notebooks 05
and 07)."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Sequence

import numpy as np

from .._validate import (
    as_images,
    as_int,
    as_labels_for,
    as_numbers,
    check_cells,
    check_index,
)
from ._colours import BLUE, categorical

__all__ = ["render_history", "render_feature_maps", "render_confusion"]


_HISTORY_LABELS = {"train_loss": "training loss", "train_acc": "training accuracy",
                   "test_loss": "test loss", "test_acc": "test accuracy", "lr": "learning rate",
                   "seconds": "seconds per epoch", "step_losses": "training loss per step",
                   "step_grad_norms": "gradient norm per step (before clipping)",
                   "train_ppl": "training perplexity", "test_ppl": "test perplexity",
                   "train_bits": "training bits per token", "test_bits": "test bits per token",
                   "test_bleu": "test BLEU"}
_PER_STEP = ("step_losses", "step_grad_norms")


def render_history(fig, histories, metrics: Sequence[str] = ("train_loss", "test_acc"),
                   logy: bool = False, smooth: int = 1) -> None:
    """Training curves: one panel per metric, one line per run.

    ``histories`` maps labels to :class:`course_utils.train.History` objects (a single History is
    drawn unlabelled). Metrics: ``train_loss, train_acc, test_loss, test_acc, lr, seconds`` or
    any other metric the runs recorded (``train_ppl``, ``test_bleu``, ...) against the epoch, or
    ``step_losses`` / ``step_grad_norms`` against the step (averaged over ``smooth`` steps).
    ``logy`` puts loss panels on a log scale. Accuracies are drawn in percent.
    """
    from matplotlib.ticker import MaxNLocator

    if not isinstance(histories, dict):
        histories = {"": histories}
    if not histories:
        raise ValueError("no histories to draw")
    for label, h in histories.items():
        if not (hasattr(h, "step_losses") and hasattr(h, "__getitem__") and hasattr(h, "keys")):
            raise ValueError(f"histories must map labels to History objects (what fit returns), "
                             f"got {type(h).__name__} for {label!r}")
    smooth = as_int(smooth, "smooth")
    if isinstance(metrics, str):
        metrics = (metrics,)
    recorded = list(dict.fromkeys(k for h in histories.values() for k in h.keys()))
    bad = [m for m in metrics if m not in recorded and m not in _PER_STEP]
    if bad or not metrics:
        raise ValueError(f"unknown metrics {bad}: no run recorded them; choose from "
                         f"{recorded + list(_PER_STEP)}")
    if int(smooth) < 1:
        raise ValueError(f"smooth must be >= 1, got {smooth}")
    axes = fig.subplots(1, len(metrics), squeeze=False)[0]
    for ax, metric in zip(axes, metrics):
        for k, (label, h) in enumerate(histories.items()):   # colours: the Okabe–Ito cycle
            if metric in _PER_STEP:
                y = np.asarray(h[metric], dtype=float)
                if smooth > 1 and len(y) >= smooth:
                    y = np.convolve(y, np.ones(smooth) / smooth, mode="valid")
                x = np.arange(1, len(y) + 1) + (smooth - 1 if len(y) else 0)
            elif metric not in h.keys():
                continue                                 # a run without this metric
            else:
                x, y = np.asarray(h["epoch"]), np.asarray(h[metric], dtype=float)
                if metric.endswith("acc"):
                    y = 100 * y
            if not np.all(np.isnan(y)) and len(y):
                ax.plot(x, y, marker="o" if metric not in _PER_STEP and len(x) <= 30 else None,
                        markersize=3, label=label or None, color=categorical(k))
        ax.set_xlabel("step" if metric in _PER_STEP else "epoch")
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))   # no "epoch 1.25"
        ax.set_title(_HISTORY_LABELS.get(metric, metric.replace("_", " "))
                     + (" (%)" if metric.endswith("acc") else ""),
                     fontsize=10)
        if logy and ("loss" in metric or metric in ("lr", "step_grad_norms")):
            ax.set_yscale("log")
        ax.grid(alpha=0.3)
        if any(histories) and ax.get_legend_handles_labels()[0]:
            ax.legend(fontsize=8)


def _mosaic(maps: np.ndarray, ncols: int, gap: float = np.nan) -> np.ndarray:
    """Tile (C, H, W) maps into one (rows * (H + 1) - 1, ncols * (W + 1) - 1) image, NaN between."""
    C, H, W = maps.shape
    nrows = -(-C // ncols)
    out = np.full((nrows * (H + 1) - 1, ncols * (W + 1) - 1), gap)
    for k in range(C):
        r, c = divmod(k, ncols)
        out[r * (H + 1):r * (H + 1) + H, c * (W + 1):c * (W + 1) + W] = maps[k]
    return out


def render_feature_maps(fig, images: np.ndarray, maps: dict, labels: Sequence[int] | None = None,
                        index: int = 0, layers: Sequence[str] = ("C1", "C3"),
                        title: str = "") -> None:
    """One input digit and its feature maps in the chosen layers, each layer as a mosaic.

    Shapes: images (N, H, W); ``maps`` {layer name: (N, C, h, w)} (e.g. LeNet-5's C1 (N, 6, 28,
    28) and C3 (N, 16, 10, 10)); labels (N,). Each layer shares one colour scale, symmetric
    around 0 (blue negative, red positive), so maps of one layer can be compared.
    """
    images = as_images(images)
    if not isinstance(maps, Mapping):
        raise ValueError(f"maps must map layer names to arrays (N, C, h, w), got "
                         f"{type(maps).__name__}")
    if isinstance(layers, str):
        layers = (layers,)
    unknown = [name for name in layers if name not in maps]
    if unknown or not layers:
        raise ValueError(f"no maps for layers {unknown}; available: {list(maps)}")
    i = check_index(index, len(images), "digit")
    if labels is not None:
        labels = as_labels_for(labels, i + 1)
    for name in layers:
        m = as_numbers(maps[name], f"maps[{name!r}]")
        if m.ndim == 4 and len(m) <= i:
            raise ValueError(f"maps[{name!r}] has maps for {len(m)} digits; digit #{i} has none")
    widths = [1.0] + [1.6 if np.asarray(maps[name]).shape[1] <= 8 else 1.8 for name in layers]
    axes = fig.subplots(1, 1 + len(layers), gridspec_kw={"width_ratios": widths})
    axes[0].imshow(np.asarray(images[i]), cmap="gray_r")
    head = f"digit #{i}" + (f", label {int(labels[i])}" if labels is not None else "")
    axes[0].set_title(title + ("\n" if title else "") + head, fontsize=9)
    for ax, name in zip(axes[1:], layers):
        m = np.asarray(maps[name])
        if m.ndim != 4:
            raise ValueError(f"maps[{name!r}] must be (N, C, h, w), got shape {m.shape}")
        fm = m[i]
        C = fm.shape[0]
        ncols = 3 if C <= 6 else 4
        lim = float(np.abs(m).max()) or 1.0
        ax.imshow(_mosaic(fm, ncols), cmap="RdBu_r", vmin=-lim, vmax=lim, interpolation="nearest")
        ax.set_title(f"{name}: {C} maps of {fm.shape[1]}×{fm.shape[2]}", fontsize=9)
    for ax in axes:
        ax.set_xticks([]), ax.set_yticks([])


def render_confusion(fig, labels, predictions, num_classes: int = 10,
                     class_names: Sequence[str] | None = None, title: str = "") -> None:
    """Confusion matrix with counts: rows are true classes, columns predictions; off-diagonal
    cells (the errors) in red, the diagonal's counts (the correct ones) in bold blue (no red/green
    pair: colour-blind safe). Shapes: labels (N,), predictions (N,) ints in [0, num_classes)."""
    from ..train.metrics import confusion_matrix

    num_classes = as_int(num_classes, "num_classes", 1)
    check_cells(num_classes, f"the class labels of num_classes={num_classes} (one tick each)",
                "use fewer classes")
    cm = confusion_matrix(labels, predictions, num_classes)
    names = list(class_names) if class_names is not None else [str(k) for k in range(num_classes)]
    if len(names) != num_classes:
        raise ValueError(f"class_names has {len(names)} names for {num_classes} classes")
    ax = fig.subplots()
    errors = cm.copy()
    np.fill_diagonal(errors, 0)
    ax.imshow(np.where(np.eye(num_classes, dtype=bool), np.nan, errors), cmap="Reds",
              vmin=0, vmax=max(1, errors.max()))
    for (r, c), v in np.ndenumerate(cm):
        if v:
            dark = r != c and errors[r, c] > 0.6 * errors.max()
            ax.text(c, r, str(v), ha="center", va="center", fontsize=8,
                    color=BLUE if r == c else ("white" if dark else "black"),
                    fontweight="bold" if r == c else None)
    ax.set_xticks(range(num_classes), names, fontsize=8)
    ax.set_yticks(range(num_classes), names, fontsize=8)
    ax.set_xlabel("predicted")
    ax.set_ylabel("true")
    acc = np.trace(cm) / max(1, cm.sum())
    ax.set_title((title + ": " if title else "") + f"{cm.sum() - np.trace(cm)} errors of "
                 f"{cm.sum()} ({100 * acc:.1f}% correct)", fontsize=10)
