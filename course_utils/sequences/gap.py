"""The notes' small and large gaps as a task with the gap as a dial (notebook 10).

"The clouds are in the *sky*": the word to predict depends on one a few steps back. "A girl walked
into a bar ... 'Certainly *Miss*'": it depends on one far back, with many words in between. Here
the first step shows one of ``classes`` cues (the subject), ``gap`` steps of noise follow (the
words in between), and a last step asks for the cue (the word that depends on it): a network
answers right only if its hidden state carried the cue across the gap. Chance is 1 / classes.
"""
from __future__ import annotations

import time
from typing import NamedTuple

import numpy as np
import torch
from torch import nn

from .._validate import as_float, check_elements, check_iterations, strict_int

__all__ = ["GAP_SOLVED", "gap_task", "GapClassifier", "GapResult", "train_gap", "gap_sweep"]

GAP_SOLVED = 0.9
"""A run *solves* the gap task when its held-out accuracy is at least this (chance is 1/4 with
the default four classes; a solved run reaches about 1.0)."""

GAP_TEST_SEED_OFFSET = 1_000_003
"""The held-out set of seed s is ``gap_task(n_test, gap, seed=s + GAP_TEST_SEED_OFFSET)``."""


def _seed(seed, name: str = "seed") -> int:
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
        raise ValueError(f"{name} must be an integer, got {seed!r}")
    return int(seed)


def gap_task(n: int, gap: int, classes: int = 4, noise: float = 1.0, seed: int = 0
             ) -> tuple[torch.Tensor, torch.Tensor]:
    """``n`` sequences of the gap task, and their answers.

    Shapes: -> x (n, gap + 2, classes + 1) float32, y (n,) int64 in [0, classes).
    Step 0: the cue, the one-hot vector of class y in the first ``classes`` channels. Steps
    1 .. gap: distractors, Gaussian noise of standard deviation ``noise`` in those same channels
    (continuous values that keep pushing the hidden state around). Step gap + 1: the query, a 1
    in the last channel and zeros elsewhere. ``seed`` fixes everything (a generator of its own:
    the global random state is not touched).

    >>> x, y = gap_task(2, gap=3, seed=0)
    >>> tuple(x.shape), tuple(y.shape), x[:, -1, -1].tolist()
    ((2, 5, 5), (2,), [1.0, 1.0])
    """
    n = strict_int(n, "n", 1)
    gap = strict_int(gap, "gap", 0)
    classes = strict_int(classes, "classes", 2)
    noise = as_float(noise, "noise", 0.0)
    seed = _seed(seed)
    check_elements(n * (gap + 2) * (classes + 1), f"the gap task's inputs x (n, gap + 2, classes "
                   f"+ 1) = ({n}, {gap + 2}, {classes + 1})", "lower n or gap")
    g = torch.Generator().manual_seed(seed)
    y = torch.randint(0, classes, (n,), generator=g)
    x = torch.zeros(n, gap + 2, classes + 1)
    x[:, 1:gap + 1, :classes] = noise * torch.randn(n, gap, classes, generator=g)
    x[torch.arange(n), 0, y] = 1.0
    x[:, -1, classes] = 1.0
    return x, y


class GapClassifier(nn.Module):
    """A one-layer recurrent network that answers from its last hidden state.

    Shapes: x (N, T, D) -> logits (N, classes); D = classes + 1 for :func:`gap_task`.
    Math:   h_t = tanh(W_ih x_t + b_ih + W_hh h_{t-1} + b_hh) (``nn.RNN``), logits = W_out h_T + b
    """

    def __init__(self, classes: int = 4, hidden_size: int = 32, input_size: int | None = None):
        super().__init__()
        classes = strict_int(classes, "classes", 2)
        hidden_size = strict_int(hidden_size, "hidden_size", 1)
        input_size = classes + 1 if input_size is None else strict_int(input_size, "input_size", 1)
        self.rnn = nn.RNN(input_size, hidden_size, batch_first=True)
        self.out = nn.Linear(hidden_size, classes)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if not (isinstance(x, torch.Tensor) and x.ndim == 3 and x.shape[2] == self.rnn.input_size):
            raise ValueError(f"x must be a tensor (N, T, {self.rnn.input_size}), got "
                             f"{type(x).__name__} of shape {tuple(getattr(x, 'shape', ()))}")
        return self.out(self.rnn(x)[0][:, -1])


class GapResult(NamedTuple):
    """One training run on the gap task (:func:`train_gap`)."""
    gap: int
    seed: int
    accuracy: float              # held-out accuracy after training
    step_losses: np.ndarray      # training loss of every step
    step_grad_norms: np.ndarray  # global gradient norm of every step, before clipping
    seconds: float
    model: GapClassifier         # the trained model (eval mode)

    @property
    def solved(self) -> bool:
        """Held-out accuracy at least :data:`GAP_SOLVED`."""
        return self.accuracy >= GAP_SOLVED


def train_gap(gap: int, seed: int, steps: int = 400, hidden_size: int = 32, classes: int = 4,
              noise: float = 1.0, batch_size: int = 64, lr: float = 3e-3,
              clip: float | None = 1.0, n_test: int = 1000) -> GapResult:
    """Train a :class:`GapClassifier` on the gap task with a fixed budget; return the run.

    ``steps`` Adam updates (learning rate ``lr``) on mini-batches of ``batch_size`` fresh
    sequences (one epoch over ``steps * batch_size`` of them), the gradient rescaled to norm
    ``clip`` when larger (None: no clipping), through :func:`course_utils.train.fit` on the CPU.
    Everything follows ``seed``: the initial weights (``torch.manual_seed(seed)``, which reseeds
    the global random state), the training sequences and the batch order; the held-out set is
    ``gap_task(n_test, gap, seed=seed + GAP_TEST_SEED_OFFSET)``.

    Cost on one CPU core (hidden 32, batch 64, 400 steps): about 1 s at gap 8, 2 s at gap 32.
    """
    from ..train.loop import evaluate, fit

    gap = strict_int(gap, "gap", 0)
    seed = _seed(seed)
    steps = strict_int(steps, "steps", 1)
    hidden_size = strict_int(hidden_size, "hidden_size", 1)
    classes = strict_int(classes, "classes", 2)
    batch_size = strict_int(batch_size, "batch_size", 1)
    n_test = strict_int(n_test, "n_test", 1)
    if not as_float(lr, "lr", 0.0) > 0:
        raise ValueError(f"lr must be > 0, got {lr!r}")
    if clip is not None and not as_float(clip, "clip", 0.0) > 0:
        raise ValueError(f"clip must be None (no clipping) or > 0, got {clip!r}")
    check_iterations(steps * (gap + 2), "steps x (gap + 2)", "lower steps or gap")
    x, y = gap_task(steps * batch_size, gap, classes, noise, seed=seed)
    test = gap_task(n_test, gap, classes, noise, seed=seed + GAP_TEST_SEED_OFFSET)
    torch.manual_seed(seed)
    model = GapClassifier(classes, hidden_size)
    t0 = time.perf_counter()
    history = fit(model, (x, y), epochs=1, batch_size=batch_size,
                  optimizer=lambda p: torch.optim.Adam(p, lr=lr), clip_grad_norm=clip, seed=seed,
                  progress=False, device="cpu", label=f"gap={gap} seed={seed}")
    seconds = time.perf_counter() - t0
    model.eval()
    accuracy = float(evaluate(model, test, device="cpu")["accuracy"])
    return GapResult(gap, seed, accuracy, np.array(history.step_losses),
                     np.array(history.step_grad_norms), seconds, model)


def gap_sweep(gaps=(2, 4, 8, 16, 32), seeds=(0, 1, 2), **kwargs) -> list[GapResult]:
    """:func:`train_gap` for every gap x seed (in that nesting); ``kwargs`` go to it."""
    if isinstance(gaps, (str, bytes)) or not hasattr(gaps, "__iter__"):
        raise ValueError(f"gaps must be a list of integers, got {gaps!r}")
    if isinstance(seeds, (str, bytes)) or not hasattr(seeds, "__iter__"):
        raise ValueError(f"seeds must be a list of integers, got {seeds!r}")
    gaps = [strict_int(g, "gaps", 0) for g in gaps]
    seeds = [_seed(s, "seeds") for s in seeds]
    if not gaps or not seeds:
        raise ValueError("gaps and seeds must each hold at least one value")
    if len(gaps) * len(seeds) > 100:
        raise ValueError(f"gaps x seeds = {len(gaps) * len(seeds)} runs; at most 100 here")
    return [train_gap(g, s, **kwargs) for g in gaps for s in seeds]
