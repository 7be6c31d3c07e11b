"""Long-time-lag experiments: train a recurrent regressor on the adding problem with the course's
training loop, and repeat it over cells, sequence lengths and seeds."""
from __future__ import annotations

import math
import time
from typing import NamedTuple

import numpy as np
import torch

from .._validate import as_float, check_choice, check_elements, check_iterations, strict_int
from ..train.loop import fit
from ..train.steps import StepOutput
from .jacobians import orthogonal_matrix
from .models import CELLS, SequenceRegressor
from .tasks import ADDING_BASELINE_MSE, adding_problem

__all__ = ["SUCCESS_MSE", "LongLagResult", "RegressionStep", "recurrent_init", "set_forget_bias",
           "train_long_lag",
           "long_lag_sweep", "success_rate", "format_sweep", "recorded_long_lag"]

SUCCESS_MSE = 0.05
"""A run *solves* the adding problem when its held-out MSE is below this: far under the baseline
1/6 = 0.167 (the mean predicted), far above what a solved run reaches (about 0.001-0.01)."""

TEST_SEED_OFFSET = 1_000_003
"""The held-out set of seed s is ``adding_problem(n_test, T, seed=s + TEST_SEED_OFFSET)``: other
sequences than the training ones."""


class RegressionStep:
    """The step of :func:`~course_utils.train.fit` for one number per example.

    Shapes: batch = (x (B, ...), y (B,)); the model maps x to (B,).
    Math: loss = (1/B) sum_n (y_hat_n - y_n)^2 (the MSE); no other metric.
    """

    def __call__(self, model: torch.nn.Module, batch: tuple, state: dict) -> StepOutput:
        xb, yb = batch
        pred = model(xb)
        if pred.shape != yb.shape:
            raise ValueError(f"{state.get('split', 'data')}: the model must give one number per "
                             f"example, shape {tuple(yb.shape)}, got {tuple(pred.shape)}")
        return StepOutput(torch.nn.functional.mse_loss(pred, yb.to(pred.dtype)), len(yb))


class LongLagResult(NamedTuple):
    """One training run on the adding problem (:func:`train_long_lag`)."""
    cell: str
    T: int
    seed: int
    test_mse: float            # held-out MSE after training (inf if training diverged)
    step_losses: np.ndarray    # training MSE of every step (the last one inf/NaN if it diverged)
    step_grad_norms: np.ndarray  # global gradient norm of every step, before clipping
    seconds: float
    model: SequenceRegressor | None  # the trained model (eval mode); None for a recorded run
    diverged_at: int | None = None   # the step (1, 2, ...) where the loss or gradient stopped
    #                                  being finite, when training diverged

    @property
    def solved(self) -> bool:
        """Held-out MSE below :data:`SUCCESS_MSE`."""
        return self.test_mse < SUCCESS_MSE


def _check_seed(seed, name: str = "seed") -> int:
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise ValueError(f"{name} must be an integer, got {seed!r}")
    return seed


class _Trace:
    """Each training step's loss and gradient norm (before clipping), recorded as they happen, so
    that a run that diverges (``fit`` raises) still has its record up to that step: parameter
    hooks add up ||dL/dtheta||^2 during backward; the step records the loss."""

    def __init__(self, params):
        self.losses: list[float] = []
        self.squares: list[float] = []
        self.handles = [p.register_hook(self._hook) for p in params]

    def _hook(self, grad):
        self.squares[-1] += float(grad.detach().double().pow(2).sum())

    def step(self, inner):
        def traced(model, batch, state):
            out = inner(model, batch, state)
            if model.training and torch.is_grad_enabled():
                self.losses.append(float(out.loss.detach()))
                self.squares.append(0.0)
            return out
        return traced

    def close(self) -> tuple[np.ndarray, np.ndarray]:
        for h in self.handles:
            h.remove()
        norms = np.sqrt(np.array(self.squares))
        if self.losses and not math.isfinite(self.losses[-1]):
            norms[-1] = np.nan  # the loss was not finite: fit stopped before backpropagating
        return np.array(self.losses), norms


def recurrent_init(model: SequenceRegressor, weight_scale: float, seed: int) -> None:
    """W_hh <- weight_scale x Q, Q a random orthogonal matrix per gate (:func:`orthogonal_matrix`
    with seeds seed, seed + 1, ...): every singular value of each gate's recurrent matrix, the
    largest lambda_1 included, equals weight_scale."""
    if not isinstance(model, SequenceRegressor):
        raise ValueError(f"model must be a SequenceRegressor, got {type(model).__name__}")
    weight_scale = as_float(weight_scale, "weight_scale", 0.0, 100.0)
    seed = _check_seed(seed)
    w = model.rnn.weight_hh_l0
    H = model.hidden_size
    with torch.no_grad():
        for k in range(w.shape[0] // H):
            q = orthogonal_matrix(H, weight_scale, seed + k)
            w[k * H:(k + 1) * H] = torch.from_numpy(q).to(w.dtype)


def set_forget_bias(model: SequenceRegressor, value: float) -> None:
    """An LSTM's forget-gate bias set to ``value``: PyTorch stacks the gates (i, f, g, o), so rows
    H:2H of ``bias_ih_l0`` become ``value`` and those of ``bias_hh_l0`` 0 (only their sum acts).
    With the inputs and the state at 0, the forget gate is then f = sigmoid(value): 0.73 for the
    customary 1 (Gers et al. 2000; Jozefowicz et al. 2015), against about 0.5 at PyTorch's
    initialisation."""
    if not isinstance(model, SequenceRegressor):
        raise ValueError(f"model must be a SequenceRegressor, got {type(model).__name__}")
    if model.cell != "lstm":
        raise ValueError(f"forget_bias needs an LSTM (the only cell with a forget gate), got "
                         f"cell={model.cell!r}")
    value = as_float(value, "forget_bias", -100.0, 100.0)
    H = model.hidden_size
    with torch.no_grad():
        model.rnn.bias_ih_l0[H:2 * H] = value
        model.rnn.bias_hh_l0[H:2 * H] = 0.0


def train_long_lag(cell: str, T: int, seed: int, steps: int = 300, hidden_size: int = 64,
                   batch_size: int = 64, lr: float = 3e-3, clip: float | None = 1.0,
                   nonlinearity: str = "tanh", n_test: int = 1000, optimizer: str = "adam",
                   weight_scale: float | None = None, forget_bias: float | None = None,
                   progress: bool = False, device="cpu") -> LongLagResult:
    """Train a :class:`SequenceRegressor` on the adding problem with T steps; return the run.

    ``steps`` updates (``optimizer`` "adam", or "sgd": plain SGD without momentum, learning rate
    ``lr``) on mini-batches of ``batch_size`` fresh sequences (one epoch over
    ``steps * batch_size`` sequences, each seen once, as in Hochreiter & Schmidhuber's on-line
    setting), the gradient rescaled to norm ``clip`` when larger (None: no clipping), through
    :func:`course_utils.train.fit`. Everything follows ``seed``: the initial weights
    (``torch.manual_seed(seed)``), the training sequences (``adding_problem(..., seed=seed)``)
    and the batch order; the held-out set is ``adding_problem(n_test, T, seed +
    TEST_SEED_OFFSET)``. ``weight_scale`` (None: PyTorch's initialisation) sets the recurrent
    matrix to weight_scale x a random orthogonal matrix (:func:`recurrent_init`), so that its
    largest singular value is lambda_1 = weight_scale. ``forget_bias`` (LSTM only; None:
    PyTorch's initialisation) sets the forget gate's bias before training (:func:`set_forget_bias`).

    ``test_mse`` is the held-out MSE at the end (the baseline, predicting the mean, scores 1/6).
    ``step_losses`` and ``step_grad_norms`` (the global norm before clipping) hold every step's
    value; if the loss or the gradient stops being finite, ``fit`` stops before that step's
    update, and the run comes back with ``diverged_at`` = that step and ``test_mse`` = inf
    instead of raising.

    Cost on one CPU core (hidden 32, batch 64): about 1.5 ms per step of a tanh RNN at T = 10,
    4 ms at T = 40; an LSTM about 2.5 times that.
    """
    cell = check_choice("cell", cell, CELLS)
    T = strict_int(T, "T", 2)
    seed = _check_seed(seed)
    steps = strict_int(steps, "steps", 1)
    hidden_size = strict_int(hidden_size, "hidden_size", 1)
    batch_size = strict_int(batch_size, "batch_size", 1)
    n_test = strict_int(n_test, "n_test", 1)
    optimizer = check_choice("optimizer", optimizer, ("adam", "sgd"))
    as_float(lr, "lr", 0.0)
    if not lr > 0:
        raise ValueError(f"lr must be > 0, got {lr!r}")
    if clip is not None:
        as_float(clip, "clip", 0.0)
        if not clip > 0:
            raise ValueError(f"clip must be None (no clipping) or > 0, got {clip!r}")
    if weight_scale is not None:
        weight_scale = as_float(weight_scale, "weight_scale", 0.0, 100.0)
    if forget_bias is not None:
        forget_bias = as_float(forget_bias, "forget_bias", -100.0, 100.0)
        if cell != "lstm":
            raise ValueError(f"forget_bias needs cell='lstm' (the only cell with a forget gate), "
                             f"got cell={cell!r}")
    check_iterations(steps * T, "steps x T", "lower steps or T")
    check_elements(steps * batch_size * T * 2, "the training sequences (steps x batch_size, T, 2)",
                   "lower steps, batch_size or T")
    x, y = adding_problem(steps * batch_size, T, seed=seed)
    test = adding_problem(n_test, T, seed=seed + TEST_SEED_OFFSET)
    torch.manual_seed(seed)
    model = SequenceRegressor(cell, 2, hidden_size, nonlinearity)
    if weight_scale is not None:
        recurrent_init(model, weight_scale, seed)
    if forget_bias is not None:
        set_forget_bias(model, forget_bias)
    make = ((lambda p: torch.optim.Adam(p, lr=lr)) if optimizer == "adam"
            else (lambda p: torch.optim.SGD(p, lr=lr, momentum=0.0)))
    trace = _Trace(list(model.parameters()))
    t0 = time.perf_counter()
    diverged_at = None
    try:
        history = fit(model, (x, y), test, epochs=1, batch_size=batch_size, optimizer=make,
                      step=trace.step(RegressionStep()), clip_grad_norm=clip, seed=seed,
                      progress=progress, device=device, label=f"{cell} T={T} seed={seed}")
        test_mse = float(history.last["test_loss"])
    except FloatingPointError:
        diverged_at, test_mse = len(trace.losses), math.inf
    finally:
        losses, norms = trace.close()
    seconds = time.perf_counter() - t0
    model.eval()
    return LongLagResult(cell, T, seed, test_mse, losses, norms, seconds, model, diverged_at)


def long_lag_sweep(cells=("rnn", "lstm"), Ts=(10, 20, 40), seeds=(0, 1, 2), **kwargs
                   ) -> list[LongLagResult]:
    """:func:`train_long_lag` for every cell x T x seed (in that nesting); ``kwargs`` go to it."""
    cells = [check_choice("cell", c, CELLS) for c in _as_list(cells, "cells")]
    Ts = [strict_int(T, "Ts", 2) for T in _as_list(Ts, "Ts")]
    seeds = [_check_seed(s, "seeds") for s in _as_list(seeds, "seeds")]
    if len(cells) * len(Ts) * len(seeds) > 200:
        raise ValueError(f"cells x Ts x seeds = {len(cells) * len(Ts) * len(seeds)} runs; at "
                         "most 200 here")
    return [train_long_lag(c, T, s, **kwargs) for c in cells for T in Ts for s in seeds]


def _as_list(values, name: str) -> list:
    if isinstance(values, (str, int)) or not hasattr(values, "__iter__"):
        values = [values]
    values = list(values)
    if not values:
        raise ValueError(f"{name} must not be empty")
    return values


def _check_results(results) -> list[LongLagResult]:
    results = list(results) if hasattr(results, "__iter__") else None
    if not results or not all(isinstance(r, LongLagResult) for r in results):
        raise ValueError("results must be a non-empty list of LongLagResult (from "
                         "train_long_lag or long_lag_sweep)")
    return results


def success_rate(results, threshold: float = SUCCESS_MSE) -> dict:
    """The fraction of runs solved, per (cell, T): ``{(cell, T): (solved, runs, median MSE)}``.

    A run is solved when its held-out MSE is below ``threshold`` (default :data:`SUCCESS_MSE`).
    """
    results = _check_results(results)
    threshold = as_float(threshold, "threshold", 0.0)
    groups: dict = {}
    for r in results:
        groups.setdefault((r.cell, r.T), []).append(r.test_mse)
    return {key: (sum(m < threshold for m in mses), len(mses), float(np.median(mses)))
            for key, mses in sorted(groups.items(), key=lambda kv: (CELLS.index(kv[0][0]),
                                                                    kv[0][1]))}


def format_sweep(results, threshold: float = SUCCESS_MSE) -> str:
    """A text table: one row per T, per cell "solved/runs (median held-out MSE)"."""
    table = success_rate(results, threshold)
    cells = [c for c in CELLS if any(k[0] == c for k in table)]
    Ts = sorted({k[1] for k in table})
    lines = [f"{'T':>5} | " + " | ".join(f"{c:^20}" for c in cells)]
    for T in Ts:
        row = []
        for c in cells:
            if (c, T) in table:
                k, n, med = table[(c, T)]
                row.append(f"{k}/{n} ({med:.4f})".center(20))
            else:
                row.append(" " * 20)
        lines.append(f"{T:>5} | " + " | ".join(row))
    lines.append(f"solved: held-out MSE < {threshold:g} (baseline, the mean predicted: "
                 f"{ADDING_BASELINE_MSE:.3f}); in brackets the median MSE")
    return "\n".join(lines) if not math.isnan(threshold) else ""


def recorded_long_lag() -> tuple[list[LongLagResult], dict]:
    """The runs recorded by ``tools/long_lag_sweep.py`` (too long for a notebook), as
    (list of :class:`LongLagResult` without curves or models, the sweep's settings: steps,
    hidden size, optimizer, torch version, machine, date)."""
    from . import long_lag_runs

    runs = [LongLagResult(cell, T, seed, mse, np.empty(0), np.empty(0), seconds, None)
            for cell, T, seed, mse, seconds in long_lag_runs.RUNS]
    return runs, dict(long_lag_runs.SETTINGS)
