"""Figures of the classic architectures and the depth experiment (notebook 07): parameters per
layer, and gradient norms per layer."""
from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from .._validate import (
    as_int,
    as_numbers,
    check_panels,
)
from ._colours import categorical

__all__ = ["render_param_bars", "render_grad_norms", "render_depth_gradients"]


_WEIGHT_KINDS = ("Conv2d", "Linear")


def render_param_bars(fig, summaries: dict, what: str = "params", log: bool = False,
                      sharex: bool = False, labels: str = "modules") -> None:
    """One horizontal bar per weight layer (Conv2d, Linear) of each model: its parameters, or its
    output values per example ("neurons"); conv layers blue, fully connected orange.

    ``summaries`` maps a model's name to a :class:`course_utils.models.Summary` (or any iterable of
    rows with ``name, kind, params, outputs``). Each panel's title gives the total and the share
    of the fully connected layers: FC share = sum(FC params) / sum(all params). ``sharex``: one
    x scale for every panel, so that bars compare across models. ``labels``: "modules" (the
    modules' dotted names, ``features.0``) or "numbered" (the weight layers counted in order,
    ``conv1 ... conv5, fc6 ... fc8``, as papers name them).
    """
    if what not in ("params", "outputs"):
        raise ValueError(f"what must be 'params' or 'outputs', got {what!r}")
    if labels not in ("modules", "numbered"):
        raise ValueError(f"labels must be 'modules' or 'numbered', got {labels!r}")
    if not isinstance(summaries, Mapping):
        raise ValueError(f"summaries must map model names to summaries, got "
                         f"{type(summaries).__name__}")
    if not summaries:
        raise ValueError("no models to draw: summaries is empty")
    check_panels(len(summaries), f"{len(summaries)} summaries")
    for title, rows in summaries.items():
        if isinstance(rows, (str, bytes)) or not hasattr(rows, "__iter__") or not all(
                hasattr(r, a) for r in rows for a in ("name", "kind", "params", "outputs")):
            raise ValueError(f"summaries[{title!r}] must be a Summary (rows with name, kind, "
                             f"params and outputs), got {type(rows).__name__}")
    axes = fig.subplots(1, len(summaries), squeeze=False, sharex=bool(sharex))[0]
    for ax, (title, rows) in zip(axes, summaries.items()):
        rows = [r for r in rows if r.kind in _WEIGHT_KINDS]
        if not rows:
            raise ValueError(f"{title} has no Conv2d or Linear layers to draw")
        values = np.array([getattr(r, what) for r in rows], dtype=float)
        fc = np.array([r.kind == "Linear" for r in rows])
        y = np.arange(len(rows))[::-1]
        ax.barh(y, values, color=np.where(fc, "tab:orange", "tab:blue"), height=0.75)
        step = max(1, len(rows) // 20)  # at most ~20 tick labels per panel
        names = ([r.name for r in rows] if labels == "modules" else
                 [f"{'fc' if r.kind == 'Linear' else 'conv'}{k}" for k, r in enumerate(rows, 1)])
        ax.set_yticks(y[::step], names[::step], fontsize=7)
        if log:
            ax.set_xscale("log")
        total = values.sum()
        unit = "parameters" if what == "params" else "output values"
        ax.set_title(f"{title}: {total / 1e6:.1f}M {unit}\nFC share {values[fc].sum() / total:.1%}",
                     fontsize=9)
        ax.tick_params(axis="x", labelsize=7)
        ax.grid(axis="x", alpha=0.3)
    from matplotlib.patches import Patch

    axes[0].legend(handles=[Patch(color="tab:blue", label="conv"),
                            Patch(color="tab:orange", label="fully connected")],
                   fontsize=7, loc="lower right")


_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def _pow10_label(value: float, _pos=None) -> str:
    """Tick label ``10⁻⁸`` for a power of ten on a log axis, in plain text (no mathtext)."""
    exponent = np.log10(value) if value > 0 else np.nan
    if not np.isfinite(exponent) or abs(exponent - round(exponent)) > 1e-9:
        return ""
    return "10" + str(int(round(exponent))).translate(_SUPERSCRIPT)


def _pow10_formatter():
    from matplotlib.ticker import FuncFormatter

    return FuncFormatter(_pow10_label)


def render_grad_norms(fig, norms: dict, title: str = "", ax=None) -> None:
    """Per-layer gradient norms ``||dL/dW_l||`` against the layer index l = 1 (input side) ... L,
    one line per model, log scale (a constant factor per layer is a straight line). Norms of
    exactly 0 (dead layers) are left out of the line and counted in the legend.

    ``norms`` maps labels to sequences of positive floats (see
    :func:`course_utils.models.layer_grad_norms`). Draws into ``ax`` if given, else a new axes.
    """
    if not isinstance(norms, Mapping):
        raise ValueError(f"norms must map labels to lists of norms, got {type(norms).__name__}")
    if not norms:
        raise ValueError("no gradient norms to draw")
    norms = {label: as_numbers(values, f"norms[{label!r}]").astype(float)
             for label, values in norms.items()}
    ax = ax if ax is not None else fig.subplots()
    for k, (label, values) in enumerate(norms.items()):   # colours: the Okabe–Ito cycle
        values = np.asarray(values, dtype=float)
        if values.ndim != 1 or not len(values):
            raise ValueError(f"{label}: expected a non-empty list of per-layer norms")
        zero = values <= 0  # a log scale cannot show 0: leave a gap and say so in the legend
        if zero.all():
            label = f"{label} (all 0)"
        elif zero.any():
            label = f"{label} ({int(zero.sum())} layers at 0)"
        ax.plot(np.arange(1, len(values) + 1), np.where(zero, np.nan, values), marker="o",
                markersize=3, label=label, color=categorical(k))
    from matplotlib.ticker import MaxNLocator

    ax.set_yscale("log")
    ax.yaxis.set_major_formatter(_pow10_formatter())  # plain-text 10⁻⁸: mathtext labels cost ~50 ms a figure
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel("weight layer (1 = next to the input)")
    ax.set_ylabel("‖∂L/∂W‖")
    ax.set_title(title or "gradient norm per layer", fontsize=10)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)


def render_depth_gradients(fig, X, y, depth: int = 20, init: str = "default", norm: str = "none",
                           width: int = 8, seed: int = 0, norms: dict | None = None) -> None:
    """Gradient norm per layer at initialisation for a plain and a residual net of the same depth
    (:func:`course_utils.models.plain_net`, :func:`course_utils.models.residual_net`, as in
    notebook 07: 3×3 convs of ``width`` maps after a stride-2 stem, head pooled to 2×2), on one batch.

    Shapes: X (N, 1, H, W) float, y (N,) int64. ``norm``: "none" or "batch". The weights are drawn
    with a torch generator seeded by ``seed``, without touching the global random state.
    ``norms``: what :func:`course_utils.models.grad_norms_by_setting` returns for these arguments,
    if the caller keeps it (the depth explorer does, per setting); ``None`` computes it.
    """
    import torch

    if norm not in ("none", "batch"):
        raise ValueError(f"norm must be 'none' or 'batch', got {norm!r}")
    depth = as_int(depth, "depth")
    if depth < 4 or depth % 2:
        raise ValueError(f"depth must be even and at least 4 (a residual block has 2 layers), got {depth}")
    width, seed = as_int(width, "width", 1), as_int(seed, "seed", 0)
    if not (isinstance(X, torch.Tensor) and X.ndim == 4 and X.is_floating_point()):
        raise ValueError(f"X must be a float torch tensor of images (N, C, H, W), got "
                         f"{type(X).__name__} of shape {tuple(getattr(X, 'shape', ()))}")
    if not (isinstance(y, torch.Tensor) and y.dtype == torch.int64 and y.shape == (len(X),)):
        raise ValueError(f"y must be int64 class labels of shape ({len(X)},), one per image in X, "
                         f"got {type(y).__name__} {getattr(y, 'dtype', '')} of shape "
                         f"{tuple(getattr(y, 'shape', ()))}")
    if len(y) and (int(y.min()) < 0 or int(y.max()) >= 10):
        raise ValueError(f"y must be class labels in [0, 10) (the nets have 10 outputs), got "
                         f"{int(y.min())} to {int(y.max())}")
    if norms is None:
        from ..models.resnets import grad_norms_by_setting

        norms = grad_norms_by_setting(X, y, depth, init, norm, width, seed)
    ratio = {k: v[0] / v[-1] for k, v in norms.items()}
    fig.subplots_adjust(left=0.1, bottom=0.16)
    render_grad_norms(fig, norms, title=f"at initialisation (init={init}, norm={norm}): first/last "
                      f"layer = {ratio[f'plain-{depth}']:.1e} plain, "
                      f"{ratio[f'residual-{depth}']:.1e} residual")
