"""Figures of vanishing and exploding gradients in recurrent networks (notebook 11): Jacobian
products against the number of steps, the terms of backpropagation through time, ||dL/dh_t||
along a sequence, training with and without gradient clipping, and success against the lag."""
from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from .._validate import as_int, as_numbers, check_panels
from ._colours import BLACK, categorical

__all__ = ["render_jacobian_norms", "render_vanishing", "render_bptt_terms",
           "render_state_gradients", "render_clipping", "render_success"]


def _mapping(value, name: str, what: str) -> Mapping:
    if not isinstance(value, Mapping) or not value:
        raise ValueError(f"{name} must be a non-empty dict of {what}, got "
                         f"{type(value).__name__}")
    return value


def _curve_axes(ax, curves: Mapping, title: str, show_bound: bool) -> None:
    """One panel: each JacobianNorms as a solid line, its bound dashed in the same colour."""
    for k, (label, c) in enumerate(curves.items()):
        if not all(hasattr(c, a) for a in ("log10_norm", "log10_bound", "gamma", "lambda1")):
            raise ValueError(f"curves[{label!r}] must be a JacobianNorms (from "
                             "course_utils.sequences.jacobian_product_norms)")
        steps = np.arange(1, len(c.log10_norm) + 1)
        y = np.where(np.isfinite(c.log10_norm), c.log10_norm, np.nan)
        gl = c.gamma * c.lambda1
        ax.plot(steps, y, color=categorical(k), lw=2,
                label=f"{label}: γλ₁ = {gl:.2g}, at k={steps[-1]}: 10^{y[-1]:.1f}"
                if np.isfinite(y[-1]) else f"{label}: γλ₁ = {gl:.2g} (exactly 0)")
        if show_bound:
            ax.plot(steps, c.log10_bound, color=categorical(k), lw=1, ls="--")
    ax.axhline(0, color=BLACK, lw=0.6)
    ax.set_xlabel("k (steps back)")
    ax.set_ylabel("log₁₀ ‖∂h_k/∂h_0‖")
    ax.set_title(title, fontsize=10)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=7, loc="lower left")


def render_jacobian_norms(fig, panels: Mapping, ylim: tuple[float, float] = (-20, 10)) -> None:
    """log10 ||dh_k/dh_0||_2 against k, one panel per entry of ``panels`` (e.g. per activation),
    one solid line per curve and its bound k log10(gamma lambda_1) dashed in the same colour.

    ``panels`` maps a panel title to ``{label: JacobianNorms}`` (from
    :func:`course_utils.sequences.jacobian_product_norms`). ``ylim`` clips the y axis (log10).
    """
    panels = _mapping(panels, "panels", "{title: {label: JacobianNorms}}")
    check_panels(len(panels), "panels")
    axes = fig.subplots(1, len(panels), squeeze=False, sharey=True)[0]
    fig.subplots_adjust(left=0.07, right=0.99, bottom=0.14, top=0.9, wspace=0.08)
    for ax, (title, curves) in zip(axes, panels.items()):
        _curve_axes(ax, _mapping(curves, f"panels[{title!r}]", "JacobianNorms"), title, True)
        ax.set_ylim(*ylim)
    for ax in axes[1:]:
        ax.set_ylabel("")


def render_vanishing(fig, nonlinearity: str = "tanh", lambda1: float = 1.0, T: int = 50,
                     hidden_size: int = 32, seed: int = 0) -> None:
    """The explorer's figure: log10 ||dh_k/dh_0|| against k for one activation and one largest
    singular value lambda_1 of W_rec, the bound (gamma lambda_1)^k dashed, and what the bound
    guarantees written in the title (see :func:`course_utils.sequences.jacobian_product_norms`)."""
    from ..sequences.jacobians import jacobian_product_norms

    T = as_int(T, "T", 1, 1000)
    c = jacobian_product_norms(nonlinearity, lambda1, T, hidden_size=hidden_size, seed=seed)
    gl = c.gamma * c.lambda1
    verdict = ("γλ₁ < 1: vanishing guaranteed" if gl < 1 else
               "γλ₁ ≥ 1: no guarantee, it may vanish or explode")
    ax = fig.subplots()
    fig.subplots_adjust(left=0.1, right=0.98, bottom=0.15, top=0.9)
    _curve_axes(ax, {nonlinearity: c}, f"{nonlinearity}, λ₁ = {c.lambda1:.2g}, γ = {c.gamma:g}: "
                f"{verdict}", True)
    finite = c.log10_norm[np.isfinite(c.log10_norm)]
    low = min(-5.0, float(finite.min()) - 1 if len(finite) else -5.0)
    high = max(3.0, float(finite.max()) + 1 if len(finite) else 3.0)
    ax.set_ylim(max(low, -60), min(high, 60))
    ax.text(0.99, 0.97, f"mean f′ = {c.mean_fprime:.3f}\nbound: dashed", transform=ax.transAxes,
            ha="right", va="top", fontsize=8)


def render_bptt_terms(fig, term_norms, title: str = "") -> None:
    """||term_j|| of dL/dW_rec against the number of steps T-1-j between the loss and step j
    (:func:`course_utils.sequences.bptt_terms`), log scale, with each term's share of the sum of
    the norms written for the nearest and farthest steps.

    Shapes: term_norms (T,) (index j = step; the last is next to the loss).
    """
    norms = as_numbers(term_norms, "term_norms").astype(float)
    if norms.ndim != 1 or len(norms) < 2:
        raise ValueError(f"term_norms must be a 1-D array of at least 2 norms, got shape "
                         f"{norms.shape}")
    if (norms < 0).any() or not np.isfinite(norms).all():
        raise ValueError("term_norms must be finite norms >= 0")
    lag = np.arange(len(norms))[::-1]              # step j is T-1-j steps from the loss
    ax = fig.subplots()
    fig.subplots_adjust(left=0.1, right=0.98, bottom=0.15, top=0.9)
    ax.bar(lag, np.log10(np.maximum(norms, 1e-300)), color=categorical(0), width=0.8)
    share = norms / norms.sum() if norms.sum() > 0 else norms
    ax.set_xlabel("steps between the loss and the use of W_rec (T−1−j)")
    ax.set_ylabel("log₁₀ ‖term j‖")
    ax.set_title(title or f"dL/dW_rec = sum of {len(norms)} terms: the nearest has "
                 f"{share[-1]:.0%} of the total norm, the farthest {share[0]:.1e}", fontsize=9)
    ax.grid(alpha=0.3, axis="y")


def render_state_gradients(fig, curves: Mapping, title: str = "") -> None:
    """mean_n ||dl_n/dh_t|| against the step t (log scale), one line per model: how much of the
    loss's gradient reaches each step's state (:func:`course_utils.sequences.state_gradient_norms`).
    The first/last ratio is in each label.

    ``curves`` maps labels to arrays (T,) of positive norms.
    """
    curves = _mapping(curves, "curves", "label -> array (T,)")
    ax = fig.subplots()
    fig.subplots_adjust(left=0.1, right=0.98, bottom=0.15, top=0.9)
    for k, (label, values) in enumerate(curves.items()):
        v = as_numbers(values, f"curves[{label!r}]").astype(float)
        if v.ndim != 1 or not len(v) or (v < 0).any():
            raise ValueError(f"curves[{label!r}] must be a 1-D array of norms >= 0")
        ratio = v[0] / v[-1] if v[-1] > 0 else float("nan")
        ax.plot(np.arange(len(v)), np.log10(np.maximum(v, 1e-300)), color=categorical(k), lw=2,
                label=f"{label}: first/last = {ratio:.1e}")
    ax.set_xlabel("step t (the loss reads the last one)")
    ax.set_ylabel("log₁₀ mean ‖∂ℓ/∂h_t‖")
    ax.set_title(title or "how far back the gradient reaches", fontsize=10)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)


def render_clipping(fig, runs: Mapping, clip: float | None = None) -> None:
    """Training runs side by side: the loss of every step (left) and the gradient norm before
    clipping (right), both log10; a run that diverged ends with a cross at the step where the
    loss or the gradient stopped being finite. ``clip`` draws the clipping threshold.

    ``runs`` maps labels to :class:`course_utils.sequences.LongLagResult` (or any object with
    ``step_losses``, ``step_grad_norms`` and ``diverged_at``).
    """
    runs = _mapping(runs, "runs", "label -> LongLagResult")
    ax_loss, ax_norm = fig.subplots(1, 2)
    fig.subplots_adjust(left=0.08, right=0.98, bottom=0.15, top=0.95, wspace=0.25)
    for k, (label, r) in enumerate(runs.items()):
        if not all(hasattr(r, a) for a in ("step_losses", "step_grad_norms", "diverged_at")):
            raise ValueError(f"runs[{label!r}] must be a LongLagResult (step_losses, "
                             "step_grad_norms, diverged_at)")
        colour = categorical(k)
        for ax, values in ((ax_loss, r.step_losses), (ax_norm, r.step_grad_norms)):
            v = np.asarray(values, dtype=float)
            with np.errstate(divide="ignore", invalid="ignore"):
                y = np.where(np.isfinite(v) & (v > 0), np.log10(np.abs(v)), np.nan)
            steps = np.arange(1, len(v) + 1)
            ax.plot(steps, y, color=colour, lw=1, label=label +
                    (f" (diverged at step {r.diverged_at})" if r.diverged_at else ""))
            if r.diverged_at:
                ok = np.flatnonzero(np.isfinite(y))
                if len(ok):
                    ax.plot(steps[ok[-1]], y[ok[-1]], marker="x", color=colour, ms=10, mew=2)
    if clip is not None:
        ax_norm.axhline(np.log10(clip), color=BLACK, ls="--", lw=1)
        ax_norm.text(1, np.log10(clip), f" clip = {clip:g}", va="bottom", fontsize=8)
    ax_loss.set_ylabel("log₁₀ training MSE")
    ax_norm.set_ylabel("log₁₀ ‖g‖ before clipping")
    for ax in (ax_loss, ax_norm):
        ax.set_xlabel("step")
        ax.grid(alpha=0.3)
    ax_loss.legend(fontsize=7)


def render_success(fig, table: Mapping, baseline: float | None = None) -> None:
    """Fraction of runs solved against the sequence length T, one line per cell, with
    "solved/runs" written at each point (a table from
    :func:`course_utils.sequences.success_rate`: ``{(cell, T): (solved, runs, median MSE)}``)."""
    table = _mapping(table, "table", "(cell, T) -> (solved, runs, median MSE)")
    cells: dict[str, list] = {}
    for key, value in table.items():
        if not (isinstance(key, tuple) and len(key) == 2 and isinstance(value, tuple)
                and len(value) == 3):
            raise ValueError("table must map (cell, T) to (solved, runs, median MSE), as "
                             "success_rate returns")
        cells.setdefault(key[0], []).append((int(key[1]),) + tuple(value))
    ax = fig.subplots()
    fig.subplots_adjust(left=0.1, right=0.98, bottom=0.15, top=0.9)
    markers = "osD^v"
    for k, (cell, rows) in enumerate(cells.items()):
        rows.sort()
        Ts = [r[0] for r in rows]
        rate = [r[1] / r[2] for r in rows]
        ax.plot(Ts, rate, marker=markers[k % len(markers)], color=categorical(k), lw=2,
                label=cell)
        for T, solved, runs, _ in rows:
            ax.annotate(f"{solved}/{runs}", (T, solved / runs), textcoords="offset points",
                        xytext=(0, 6 + 8 * k), ha="center", fontsize=8, color=categorical(k))
    ax.set_xscale("log")
    Ts = sorted({T for rows in cells.values() for T, *_ in rows})
    ax.set_xticks(Ts, [str(T) for T in Ts])
    ax.minorticks_off()
    ax.set_ylim(-0.08, 1.5)                      # room above 1 for the "solved/runs" labels
    ax.set_yticks([0, 0.25, 0.5, 0.75, 1])
    ax.set_xlabel("sequence length T")
    ax.set_ylabel("fraction of runs solved")
    ax.set_title("adding problem: solved = held-out MSE < 0.05"
                 + (f" (baseline {baseline:.3f})" if baseline else ""), fontsize=10)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8, loc="lower left")
