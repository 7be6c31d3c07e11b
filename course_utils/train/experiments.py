"""The small training experiments of notebook 06, as tested functions instead of slide-long code.

* :func:`twin_sgd_runs`: two copies of one network trained on the same batches, one with
  :class:`~course_utils.train.AlexNetSGD`, one with ``torch.optim.SGD``, under a learning-rate
  schedule given step by step; how far apart their weights are, and how long each step is.
* :func:`sgd_experiment`: one AlexNet-style run (``fit`` with ``AlexNetSGD``) that also records the
  weight norm after every epoch; :func:`format_runs` prints a few of them one line each.
* :func:`weight_norm`: ||w||_2 over all of a model's parameters.
"""
from __future__ import annotations

import copy
from typing import Any, Callable, NamedTuple

import numpy as np

from .._validate import as_float, as_int, check_callable

__all__ = ["weight_norm", "twin_sgd_runs", "sgd_experiment", "format_runs"]


def _check_module(model: Any, name: str = "model"):
    import torch

    if not isinstance(model, torch.nn.Module):
        raise ValueError(f"{name} must be a torch.nn.Module, got {type(model).__name__}")
    return model


def weight_norm(model) -> float:
    """||w||_2 = sqrt(sum over every parameter tensor p of sum(p^2)), as a Python float."""
    import torch

    params = [p.detach().flatten() for p in _check_module(model).parameters()]
    if not params:
        raise ValueError("model has no parameters, so it has no weight norm")
    return float(torch.cat(params).double().norm())


def _make(make_model: Any, seed: int):
    """``make_model()`` after ``torch.manual_seed(seed)``, checked to be a module."""
    import torch

    if isinstance(make_model, torch.nn.Module):
        raise ValueError("make_model must build the network (e.g. lambda: LeNet5('modern')), "
                         f"not be one: got the module {type(make_model).__name__}")
    check_callable(make_model, "make_model", "() -> torch.nn.Module (a fresh network)",
                   allow_none=False)
    torch.manual_seed(seed)
    return _check_module(make_model(), "make_model()")


def _check_sgd(momentum: Any, weight_decay: Any) -> tuple[float, float]:
    momentum = as_float(momentum, "momentum", 0.0)
    if momentum >= 1:
        raise ValueError(f"momentum must be in [0, 1), got {momentum}")
    return momentum, as_float(weight_decay, "weight_decay", 0.0)


class TwinRuns(NamedTuple):
    """What :func:`twin_sgd_runs` measures, one entry per step (arrays of shape (T,))."""

    gaps: np.ndarray           # max_j |w_AlexNetSGD[j] - w_torch[j]| after the step
    steps_alexnet: np.ndarray  # ||w_{i+1} - w_i||_2 of the AlexNetSGD copy
    steps_torch: np.ndarray    # the same for the torch.optim.SGD copy


def twin_sgd_runs(make_model: Callable, data, lrs, *, batch_size: int = 128,
                  momentum: float = 0.9, weight_decay: float = 5e-4, seed: int = 0) -> TwinRuns:
    """Train two copies of one network on the same batches: ``AlexNetSGD`` against
    ``torch.optim.SGD`` with the same momentum and weight decay; ``lrs[t]`` is the learning rate
    of step t (so ``len(lrs)`` steps).

    ``make_model()`` builds the network after ``torch.manual_seed(seed)``; the second copy is a
    deep copy, so both start from the same weights. ``data`` = (X (N, ...), y (N,)); step t
    takes ``batch_size`` indices drawn with replacement by a generator seeded with ``seed``, and
    both copies get the cross-entropy loss of that batch. At a constant rate the two rules are
    the same algorithm (v = -lr * b), so ``gaps`` stays at float rounding; after a change of the
    rate PyTorch rescales its whole momentum buffer and the copies part.
    Returns :class:`TwinRuns` (gaps, steps_alexnet, steps_torch), arrays of shape (T,).
    """
    import torch
    import torch.nn.functional as F

    from .optim import AlexNetSGD

    seed = as_int(seed, "seed", 0)
    batch_size = as_int(batch_size, "batch_size", 1)
    momentum, weight_decay = _check_sgd(momentum, weight_decay)
    if isinstance(lrs, (str, bytes)) or not hasattr(lrs, "__len__"):
        raise ValueError(f"lrs must be a sequence of learning rates, one per step, got {lrs!r}")
    lrs = [as_float(lr, "lrs[]", 0.0) for lr in lrs]
    if not lrs or min(lrs) <= 0:
        raise ValueError(f"lrs must hold at least one step, each rate > 0, got {lrs}")
    if not (isinstance(data, (tuple, list)) and len(data) == 2
            and all(isinstance(t, torch.Tensor) for t in data) and len(data[0]) == len(data[1])
            and len(data[0]) > 0):
        raise ValueError("data must be a pair (X, y) of tensors with one label per example")
    X, y = data
    a = _make(make_model, seed)
    b = copy.deepcopy(a)
    opt_a = AlexNetSGD(a.parameters(), lr=lrs[0], momentum=momentum, weight_decay=weight_decay)
    opt_b = torch.optim.SGD(b.parameters(), lr=lrs[0], momentum=momentum,
                            weight_decay=weight_decay)
    flat = lambda model: torch.cat([p.detach().flatten() for p in model.parameters()])  # noqa: E731
    gen = torch.Generator().manual_seed(seed)
    gaps, steps_a, steps_b = [], [], []
    for lr in lrs:
        idx = torch.randint(0, len(X), (batch_size,), generator=gen)
        before_a, before_b = flat(a), flat(b)
        for model, opt in ((a, opt_a), (b, opt_b)):
            for group in opt.param_groups:
                group["lr"] = lr
            opt.zero_grad()
            F.cross_entropy(model(X[idx]), y[idx]).backward()
            opt.step()
        after_a, after_b = flat(a), flat(b)
        gaps.append((after_a - after_b).abs().max().item())
        steps_a.append((after_a - before_a).norm().item())
        steps_b.append((after_b - before_b).norm().item())
    return TwinRuns(np.array(gaps), np.array(steps_a), np.array(steps_b))


def sgd_experiment(make_model: Callable, train, test=None, *, epochs: int = 3,
                   batch_size: int = 32, lr: float = 0.02, momentum: float = 0.9,
                   weight_decay: float = 5e-4, seed: int = 0, device=None):
    """One run of AlexNet's rule: ``fit`` with ``AlexNetSGD(lr, momentum, weight_decay)``.

    The network is ``make_model()`` after ``torch.manual_seed(seed)`` (so runs with one seed start
    from the same weights), trained on ``train`` = (X, y) and evaluated on ``test`` after every
    epoch; ``seed`` also fixes the batch order. Returns ``fit``'s History with one extra list,
    ``history.norms``: the weight norm ||w||_2 (:func:`weight_norm`) after each epoch.
    """
    from .loop import fit
    from .optim import AlexNetSGD

    seed = as_int(seed, "seed", 0)
    momentum, weight_decay = _check_sgd(momentum, weight_decay)
    lr = as_float(lr, "lr", 0.0)
    if lr <= 0:
        raise ValueError(f"lr must be > 0, got {lr}")
    model = _make(make_model, seed)
    norms: list[float] = []
    history = fit(model, train, test, epochs=epochs, batch_size=batch_size, lr=lr,
                  optimizer=lambda p: AlexNetSGD(p, lr=lr, momentum=momentum,
                                                 weight_decay=weight_decay),
                  device=device, seed=seed, progress=False,
                  callback=lambda m, record: norms.append(weight_norm(m)))
    history.norms = norms
    return history


def format_runs(runs: dict, title: str = "") -> str:
    """One line per run of ``{name: History}`` (as :func:`sgd_experiment` returns): the final
    training loss, test accuracy, weight norm (if recorded) and the run's seconds."""
    if not isinstance(runs, dict) or not runs:
        raise ValueError(f"runs must be a non-empty dict {{name: History}}, got {runs!r}")
    lines = []
    for name, h in runs.items():
        if not (hasattr(h, "last") and hasattr(h, "total_seconds")):
            raise ValueError(f"runs[{name!r}] must be a History (what fit returns), got "
                             f"{type(h).__name__}")
        norm = f", |w| {h.norms[-1]:.2f}" if getattr(h, "norms", None) else ""
        lines.append(f"{title} {name:>7}: training loss {h.last['train_loss']:.3f}, "
                     f"test accuracy {h.last['test_acc']:.1%}{norm}, {h.total_seconds:.1f} s")
    return "\n".join(lines)
