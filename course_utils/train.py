"""Training: mini-batch SGD as the notes give it, and one small, fast, device-aware training loop.

``fit(model, (X, y), (X_test, y_test))`` trains with mini-batch SGD and returns a :class:`History`
(one record per epoch, plus every step's loss) that :func:`course_utils.viz.render_history` draws.
``evaluate`` and ``predict`` run a model over a whole data set in batches. :class:`AlexNetSGD` is
the update rule of Krizhevsky, Sutskever & Hinton (2012), with the weight-decay term's sign right.

Nothing runs at import time; torch is imported here because the optimizer subclasses
``torch.optim.Optimizer``.
"""
from __future__ import annotations

import math
import time
from typing import Any, Callable, Iterable, Iterator

import torch

__all__ = ["AlexNetSGD", "History", "fit", "evaluate", "predict", "batches"]

METRICS = ("epoch", "train_loss", "train_acc", "test_loss", "test_acc", "lr", "seconds")


# --- the optimizer --------------------------------------------------------------------------------

class AlexNetSGD(torch.optim.Optimizer):
    r"""Mini-batch SGD with momentum and weight decay, exactly as AlexNet's paper writes it.

    For every parameter tensor ``w`` with mini-batch gradient ``g = <dL/dw>`` (the average over
    the batch) and a velocity ``v`` that starts at 0::

        v <- momentum * v - weight_decay * lr * w - lr * g
        w <- w + v

    (Krizhevsky et al. 2012, section 5: momentum 0.9, weight decay 0.0005, batch 128.) The decay
    term *shrinks* the weights: with ``g = 0`` and ``v = 0``, one step gives
    ``w <- (1 - weight_decay * lr) * w``. (The notes print it with a ``+``, which would make the
    weights grow; that is the erratum.)

    Relation to ``torch.optim.SGD(lr, momentum, weight_decay)`` (dampening 0, no Nesterov), which
    keeps a buffer ``b`` and steps ``b <- momentum * b + (g + weight_decay * w)``,
    ``w <- w - lr * b``: at a **constant** learning rate the two take identical steps, because
    ``v = -lr * b`` satisfies the same recursion (multiply torch's buffer update by ``-lr``).
    When the learning rate changes from ``lr_old`` to ``lr_new``, torch multiplies the *whole*
    buffer by the new rate (its next step carries a momentum term ``momentum * (lr_new / lr_old)
    * v``), while here the velocity built up at ``lr_old`` keeps its size and decays only through
    ``momentum``. After AlexNet's drop by 10, torch slows down at once; this rule coasts on for a
    few dozen steps (about ``1 / (1 - momentum)``).

    Shapes: any; the state ``velocity`` has each parameter's shape.
    """

    def __init__(self, params: Iterable, lr: float, momentum: float = 0.9,
                 weight_decay: float = 5e-4):
        if not (isinstance(lr, (int, float)) and lr > 0 and math.isfinite(lr)):
            raise ValueError(f"lr must be a positive number, got {lr!r}")
        if not (isinstance(momentum, (int, float)) and 0 <= momentum < 1):
            raise ValueError(f"momentum must be in [0, 1), got {momentum!r}")
        if not (isinstance(weight_decay, (int, float)) and weight_decay >= 0):
            raise ValueError(f"weight_decay must be a number >= 0, got {weight_decay!r}")
        super().__init__(params, dict(lr=lr, momentum=momentum, weight_decay=weight_decay))

    @torch.no_grad()
    def step(self, closure: Callable | None = None):
        """One update of every parameter that has a gradient; returns ``closure()``'s loss if given."""
        loss = None
        if closure is not None:
            with torch.enable_grad():
                loss = closure()
        for group in self.param_groups:
            lr, mu, wd = group["lr"], group["momentum"], group["weight_decay"]
            for w in group["params"]:
                if w.grad is None:
                    continue
                state = self.state[w]
                if "velocity" not in state:
                    state["velocity"] = torch.zeros_like(w)
                v = state["velocity"]
                v.mul_(mu).add_(w, alpha=-wd * lr).add_(w.grad, alpha=-lr)  # v <- mu v - wd lr w - lr g
                w.add_(v)                                                    # w <- w + v
        return loss


# --- the history of a run -------------------------------------------------------------------------

class History:
    """Per-epoch records of a training run, plus the loss of every step.

    ``history["test_acc"]`` is the list of one metric over the epochs (keys: ``epoch,
    train_loss, train_acc, test_loss, test_acc, lr, seconds``; test metrics are ``nan`` when
    there was no test set). ``history.records`` are the per-epoch dicts, ``history.step_losses``
    the training loss of each mini-batch in order, ``history.last`` the final record.
    Accuracies are fractions in [0, 1]; ``seconds`` is each epoch's wall time (training and
    evaluation), ``total_seconds`` their sum.
    """

    def __init__(self, label: str = ""):
        self.label = label
        self.records: list[dict[str, float]] = []
        self.step_losses: list[float] = []

    def append(self, **record: float) -> None:
        unknown = set(record) - set(METRICS)
        if unknown:
            raise ValueError(f"unknown metrics {sorted(unknown)}; allowed: {METRICS}")
        self.records.append({k: record.get(k, math.nan) for k in METRICS})

    def __getitem__(self, key: str) -> list[float]:
        if key == "step_losses":
            return list(self.step_losses)
        if key not in METRICS:
            raise KeyError(f"{key!r} is not a metric; allowed: {METRICS + ('step_losses',)}")
        return [r[key] for r in self.records]

    def __len__(self) -> int:
        return len(self.records)

    def __iter__(self) -> Iterator[dict[str, float]]:
        return iter(self.records)

    def keys(self) -> tuple[str, ...]:
        return METRICS

    @property
    def last(self) -> dict[str, float]:
        if not self.records:
            raise ValueError("the history is empty: no epoch has finished")
        return dict(self.records[-1])

    @property
    def total_seconds(self) -> float:
        return float(sum(self["seconds"]))

    def best(self, metric: str = "test_acc") -> float:
        """The best value of a metric over the epochs (max for accuracies, min otherwise)."""
        values = [v for v in self[metric] if not math.isnan(v)]
        if not values:
            raise ValueError(f"no values of {metric!r} were recorded")
        return max(values) if metric.endswith("acc") else min(values)

    def __repr__(self) -> str:
        head = f"History({self.label!r}, {len(self)} epochs)" if self.label else \
            f"History({len(self)} epochs)"
        lines = [head, " epoch  train_loss  train_acc  test_loss  test_acc        lr"]
        for r in self.records:
            lines.append(f"{int(r['epoch']):6d}  {r['train_loss']:10.4f}  {r['train_acc']:9.4f}  "
                         f"{r['test_loss']:9.4f}  {r['test_acc']:8.4f}  {r['lr']:8.2g}")
        return "\n".join(lines)


# --- data in batches ------------------------------------------------------------------------------

def _check_pair(data: Any, what: str) -> tuple[torch.Tensor, torch.Tensor]:
    if not (isinstance(data, (tuple, list)) and len(data) == 2):
        raise ValueError(f"{what} must be an (X, y) pair of tensors or a DataLoader, "
                         f"got {type(data).__name__}")
    X, y = data
    if not (isinstance(X, torch.Tensor) and isinstance(y, torch.Tensor)):
        raise ValueError(f"{what} must hold torch tensors, got ({type(X).__name__}, "
                         f"{type(y).__name__}); convert with torch.as_tensor")
    if len(X) != len(y):
        raise ValueError(f"{what}: X has {len(X)} examples but y has {len(y)}")
    if len(X) == 0:
        raise ValueError(f"{what} is empty")
    if y.dtype != torch.int64 or y.ndim != 1:
        raise ValueError(f"{what}: y must be int64 class labels of shape (N,), got {y.dtype} "
                         f"of shape {tuple(y.shape)}")
    if not X.is_floating_point():
        raise ValueError(f"{what}: X must be floating point, got {X.dtype}")
    return X, y


def batches(data: Any, batch_size: int, device, generator: torch.Generator | None = None
            ) -> Iterator[tuple[torch.Tensor, torch.Tensor]]:
    """Mini-batches ``(X_b, y_b)`` on ``device``: in a random order when ``generator`` is given.

    ``data`` is an ``(X, y)`` pair (shapes (N, ...) and (N,)) or anything iterable over
    ``(X_b, y_b)`` pairs, such as a ``DataLoader`` (it then shuffles, or not, by itself). A pair is
    moved to the device once and indexed with a permutation: no DataLoader overhead.
    """
    if isinstance(data, (tuple, list)):
        X, y = _check_pair(data, "data")
        X, y = X.to(device), y.to(device)
        n = len(X)
        if generator is None:
            order = None
        else:
            order = torch.randperm(n, generator=generator).to(device)
        for start in range(0, n, batch_size):
            if order is None:
                yield X[start:start + batch_size], y[start:start + batch_size]
            else:
                idx = order[start:start + batch_size]
                yield X[idx], y[idx]
    else:
        for xb, yb in data:
            yield xb.to(device), yb.to(device)


def _device(model: torch.nn.Module, device) -> torch.device:
    if device is not None:
        return torch.device(device)
    from .repro import get_device

    return get_device(verbose=False)


def _check_batch_size(batch_size: Any) -> int:
    if isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size < 1:
        raise ValueError(f"batch_size must be a positive integer, got {batch_size!r}")
    return batch_size


# --- evaluation -----------------------------------------------------------------------------------

@torch.no_grad()
def evaluate(model: torch.nn.Module, data: Any, device=None, batch_size: int = 512,
             loss_fn: Callable | None = None) -> dict[str, float]:
    """Mean loss and accuracy of a classifier over a whole data set, in eval mode.

    Shapes: ``data`` = (X (N, ...), y (N,) int64) or a DataLoader of such pairs; the model maps
    (B, ...) to logits (B, K).
    Math: loss = (1/N) sum_n CE(logits_n, y_n) (or ``loss_fn`` with mean reduction, weighted by
    batch size); accuracy = (1/N) #{n : argmax_k logits_nk = y_n}, a fraction in [0, 1].
    The model's train/eval mode is restored afterwards.
    """
    batch_size = _check_batch_size(batch_size)
    device = _device(model, device)
    loss_fn = loss_fn or torch.nn.functional.cross_entropy
    was_training = model.training
    model.to(device).eval()
    total, loss_sum, correct = 0, 0.0, 0
    try:
        for xb, yb in batches(data, batch_size, device):
            logits = model(xb)
            loss_sum += float(loss_fn(logits, yb)) * len(yb)
            correct += int((logits.argmax(1) == yb).sum())
            total += len(yb)
    finally:
        model.train(was_training)
    if total == 0:
        raise ValueError("data is empty")
    return {"loss": loss_sum / total, "accuracy": correct / total}


@torch.no_grad()
def predict(model: torch.nn.Module, X: torch.Tensor, device=None, batch_size: int = 512
            ) -> torch.Tensor:
    """Predicted classes ``argmax_k logits[n, k]``, in eval mode. Shape: X (N, ...) -> (N,) int64 (on CPU)."""
    batch_size = _check_batch_size(batch_size)
    if not isinstance(X, torch.Tensor):
        raise ValueError(f"X must be a torch tensor, got {type(X).__name__}")
    device = _device(model, device)
    was_training = model.training
    model.to(device).eval()
    try:
        out = [model(X[i:i + batch_size].to(device)).argmax(1).cpu()
               for i in range(0, len(X), batch_size)]
    finally:
        model.train(was_training)
    return torch.cat(out) if out else torch.empty(0, dtype=torch.int64)


# --- training -------------------------------------------------------------------------------------

def fit(model: torch.nn.Module, train: Any, test: Any = None, *, epochs: int = 5,
        batch_size: int = 128, lr: float = 0.05, optimizer: Callable | None = None,
        momentum: float = 0.9, weight_decay: float = 0.0, scheduler: Callable | None = None,
        device=None, seed: int = 0, progress: bool = True, loss_fn: Callable | None = None,
        label: str = "", max_steps: int | None = None) -> History:
    """Train a classifier with mini-batch SGD; return its :class:`History`.

    Shapes: ``train``/``test`` = (X (N, ...) float, y (N,) int64) or DataLoaders of such pairs;
    the model maps (B, ...) to logits (B, K).

    Each step takes a mini-batch B, computes the loss L = (1/|B|) sum_{n in B} CE(f(x_n), y_n)
    (so its gradient is the batch average of the per-example gradients) and lets the optimizer
    update the weights. ``optimizer=None`` means ``torch.optim.SGD(lr, momentum, weight_decay)``;
    otherwise it is a callable ``params -> Optimizer`` (e.g. ``lambda p: AlexNetSGD(p, lr=0.01)``),
    and ``lr``/``momentum``/``weight_decay`` are ignored. ``scheduler`` is a callable
    ``optimizer -> scheduler``, stepped once per epoch (a ``ReduceLROnPlateau`` is given the test
    loss, or the training loss without a test set).

    The model and the batches go to ``device`` (default: ``get_device()``). ``seed`` fixes the
    order of the examples (a torch Generator of its own, so it does not touch the global random
    state the weights were initialised from). ``train_loss``/``train_acc`` are averages over the
    epoch's mini-batches as the weights change; test metrics come from :func:`evaluate`.
    ``max_steps`` stops early after that many steps (for quick demonstrations). A tqdm bar
    (the notebook widget in Jupyter) shows one tick per epoch with the metrics; ``progress=False``
    hides it.
    """
    if isinstance(epochs, bool) or not isinstance(epochs, int) or epochs < 1:
        raise ValueError(f"epochs must be a positive integer, got {epochs!r}")
    batch_size = _check_batch_size(batch_size)
    if optimizer is None and not (isinstance(lr, (int, float)) and lr > 0):
        raise ValueError(f"lr must be a positive number, got {lr!r}")
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise ValueError(f"seed must be an integer, got {seed!r}")
    if optimizer is not None and not callable(optimizer):
        raise ValueError("optimizer must be None or a callable params -> torch.optim.Optimizer "
                         "(e.g. lambda p: AlexNetSGD(p, lr=0.01)), not an optimizer instance")
    device = _device(model, device)
    if isinstance(train, (tuple, list)):  # to the device once, not every epoch
        train = tuple(t.to(device) for t in _check_pair(train, "train"))
    if isinstance(test, (tuple, list)):
        test = tuple(t.to(device) for t in _check_pair(test, "test"))
    model.to(device)
    loss_fn = loss_fn or torch.nn.functional.cross_entropy
    params = [p for p in model.parameters() if p.requires_grad]
    opt = (torch.optim.SGD(params, lr=lr, momentum=momentum, weight_decay=weight_decay)
           if optimizer is None else optimizer(params))
    sched = scheduler(opt) if scheduler is not None else None
    plateau = isinstance(sched, torch.optim.lr_scheduler.ReduceLROnPlateau)
    gen = torch.Generator().manual_seed(seed)
    history = History(label)

    from tqdm.auto import tqdm

    bar = tqdm(total=epochs, desc=label or "training", disable=not progress, leave=True)
    steps = 0
    try:
        for epoch in range(1, epochs + 1):
            t0 = time.perf_counter()
            lr_now = opt.param_groups[0]["lr"]
            model.train()
            loss_sum, correct, seen = 0.0, 0, 0
            for xb, yb in batches(train, batch_size, device, generator=gen):
                logits = model(xb)
                loss = loss_fn(logits, yb)
                opt.zero_grad(set_to_none=True)
                loss.backward()
                opt.step()
                value = loss.item()
                if not math.isfinite(value):
                    raise FloatingPointError(f"the loss became {value} at epoch {epoch}, step "
                                             f"{steps + 1}: lower the learning rate (now {lr_now:g})")
                history.step_losses.append(value)
                loss_sum += value * len(yb)
                correct += int((logits.detach().argmax(1) == yb).sum())
                seen += len(yb)
                steps += 1
                if max_steps is not None and steps >= max_steps:
                    break
            record = dict(epoch=epoch, train_loss=loss_sum / seen, train_acc=correct / seen,
                          lr=lr_now)
            if test is not None:
                ev = evaluate(model, test, device=device, loss_fn=loss_fn)
                record.update(test_loss=ev["loss"], test_acc=ev["accuracy"])
            record["seconds"] = time.perf_counter() - t0
            history.append(**record)
            if sched is not None:
                if plateau:
                    sched.step(record.get("test_loss", record["train_loss"]))
                else:
                    sched.step()
            post = {"loss": f"{record['train_loss']:.3f}", "acc": f"{record['train_acc']:.3f}"}
            if test is not None:
                post["test_acc"] = f"{record['test_acc']:.3f}"
            bar.set_postfix(post, refresh=False)
            bar.update(1)
            if max_steps is not None and steps >= max_steps:
                break
    finally:
        bar.close()
    return history
