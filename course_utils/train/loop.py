"""One small, fast, device-aware training loop for classifiers.

``fit(model, (X, y), (X_test, y_test))`` trains with mini-batch SGD and returns a :class:`History`
(one record per epoch, plus every step's loss) that :func:`course_utils.viz.render_history` draws.
``evaluate`` and ``predict`` run a model over a whole data set in batches; ``batches`` yields the
mini-batches.
"""
from __future__ import annotations

import math
import time
from typing import Any, Callable, Iterator

import torch

from .._validate import as_float, check_callable
from ..repro import resolve_device

__all__ = ["METRICS", "History", "fit", "evaluate", "predict", "batches"]

METRICS = ("epoch", "train_loss", "train_acc", "test_loss", "test_acc", "lr", "seconds")


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


def _check_data(data: Any, what: str) -> Any:
    """An (X, y) pair is checked; a bare tensor or array is refused; anything else must iterate."""
    if isinstance(data, (tuple, list)):
        return _check_pair(data, what)
    if hasattr(data, "shape") or not hasattr(data, "__iter__"):
        raise ValueError(f"{what} must be an (X, y) pair of tensors or a DataLoader of (X_b, y_b) "
                         f"batches, got {type(data).__name__}")
    return data


def batches(data: Any, batch_size: int, device, generator: torch.Generator | None = None
            ) -> Iterator[tuple[torch.Tensor, torch.Tensor]]:
    """Mini-batches ``(X_b, y_b)`` on ``device``: in a random order when ``generator`` is given.

    ``data`` is an ``(X, y)`` pair (shapes (N, ...) and (N,)) or anything iterable over
    ``(X_b, y_b)`` pairs, such as a ``DataLoader`` (it then shuffles, or not, by itself). A pair is
    moved to the device once and indexed with a permutation: no DataLoader overhead.
    """
    batch_size = _check_batch_size(batch_size)
    device = resolve_device(device)
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


def _check_batch_size(batch_size: Any) -> int:
    if isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size < 1:
        raise ValueError(f"batch_size must be a positive integer, got {batch_size!r}")
    return batch_size


def _check_model(model: Any) -> torch.nn.Module:
    if not isinstance(model, torch.nn.Module):
        raise ValueError(f"model must be a torch.nn.Module, got {type(model).__name__}")
    return model


def _model_dtype(model: torch.nn.Module) -> torch.dtype | None:
    """The dtype of the model's first floating-point parameter (inputs are cast to it), or None."""
    for p in model.parameters():
        if p.is_floating_point():
            return p.dtype
    return None


def _cast(X: torch.Tensor, dtype: torch.dtype | None) -> torch.Tensor:
    """A floating-point batch in the model's dtype (float64 data for a float32 model, say)."""
    return X.to(dtype) if dtype is not None and X.is_floating_point() and X.dtype != dtype else X


def _check_finite(X: torch.Tensor, what: str) -> None:
    bad = ~torch.isfinite(X.reshape(len(X), -1)).all(dim=1)
    if bool(bad.any()):
        first = int(bad.nonzero()[0, 0])
        raise ValueError(f"{what}: X has NaN or infinite values in {int(bad.sum())} of {len(X)} "
                         f"examples (the first is example {first}); clean or drop them before "
                         "training")


def _check_labels(y: torch.Tensor, classes: int | None, what: str) -> None:
    """Class labels must lie in [0, classes) (cross-entropy indexes the logits with them)."""
    if not len(y):
        return
    low, high = int(y.min()), int(y.max())
    if low < 0 or (classes is not None and high >= classes):
        allowed = f"[0, {classes})" if classes is not None else "0, 1, 2, ..."
        raise ValueError(f"{what}: the labels y must be class indices in {allowed}"
                         + (f" for a model with {classes} outputs" if classes is not None else "")
                         + f", got labels from {low} to {high}")


def _num_outputs(model: torch.nn.Module, X: torch.Tensor, what: str) -> int | None:
    """The number of logits the model gives one example of ``X`` (None if not (1, K))."""
    was_training = model.training
    model.eval()
    try:
        with torch.no_grad():
            out = model(X[:1])
    except (RuntimeError, ValueError, TypeError) as e:
        raise ValueError(f"the model does not accept {what} X of shape (N, "
                         f"{', '.join(map(str, X.shape[1:]))}): {e}") from e
    finally:
        model.train(was_training)
    return int(out.shape[1]) if isinstance(out, torch.Tensor) and out.ndim == 2 else None


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
    model = _check_model(model)
    device = resolve_device(device)
    check_callable(loss_fn, "loss_fn", "(logits, y) -> loss")
    checked_labels = loss_fn is None
    loss_fn = loss_fn or torch.nn.functional.cross_entropy
    was_training = model.training
    data = _check_data(data, "data")
    dtype = _model_dtype(model)
    model.to(device).eval()
    total, loss_sum, correct = 0, 0.0, 0
    try:
        for xb, yb in batches(data, batch_size, device):
            logits = model(_cast(xb, dtype))
            if checked_labels and logits.ndim == 2:
                _check_labels(yb, logits.shape[1], "data")
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
    model = _check_model(model)
    if not isinstance(X, torch.Tensor):
        raise ValueError(f"X must be a torch tensor, got {type(X).__name__}")
    device = resolve_device(device)
    dtype = _model_dtype(model)
    was_training = model.training
    model.to(device).eval()
    try:
        out = [model(_cast(X[i:i + batch_size].to(device), dtype)).argmax(1).cpu()
               for i in range(0, len(X), batch_size)]
    finally:
        model.train(was_training)
    return torch.cat(out) if out else torch.empty(0, dtype=torch.int64)


# --- training -------------------------------------------------------------------------------------

def fit(model: torch.nn.Module, train: Any, test: Any = None, *, epochs: int = 5,
        batch_size: int = 128, lr: float = 0.05, optimizer: Callable | None = None,
        momentum: float = 0.9, weight_decay: float = 0.0, scheduler: Callable | None = None,
        device=None, seed: int = 0, progress: bool = True, loss_fn: Callable | None = None,
        label: str = "", max_steps: int | None = None, augment: Callable | None = None,
        callback: Callable | None = None) -> History:
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
    ``augment`` (e.g. ``lambda x, g: random_shift(x, 2, g)``) transforms each training batch's
    inputs; it gets the batch and the run's generator, so augmentation is seeded too.
    ``callback(model, record)`` runs after each epoch (e.g. to record the weight norm).
    ``max_steps`` stops early after that many steps (for quick demonstrations; 0 trains nothing
    and returns an empty History). A tqdm bar (the notebook widget in Jupyter) shows one tick per
    epoch with the metrics; ``progress=False`` hides it.

    Every argument is checked before training starts (a ValueError names it), and so are (X, y)
    pairs: X finite, labels in [0, K) for a model with K outputs; floating-point inputs are cast
    to the model's dtype (float64 data for a float32 model). Training stops with a
    ``FloatingPointError`` naming the epoch and step the moment the loss (before that step's
    update) or, at the end of an epoch, a weight is NaN or infinite.
    """
    model = _check_model(model)
    if isinstance(epochs, bool) or not isinstance(epochs, int) or epochs < 1:
        raise ValueError(f"epochs must be a positive integer, got {epochs!r}")
    batch_size = _check_batch_size(batch_size)
    if optimizer is None:
        if not (isinstance(lr, (int, float)) and not isinstance(lr, bool) and 0 < lr < math.inf):
            raise ValueError(f"lr must be a positive finite number, got {lr!r}")
        as_float(momentum, "momentum", 0.0)
        if not momentum < 1:
            raise ValueError(f"momentum must be in [0, 1), got {momentum!r}")
        as_float(weight_decay, "weight_decay", 0.0)
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise ValueError(f"seed must be an integer, got {seed!r}")
    if max_steps is not None and (isinstance(max_steps, bool) or not isinstance(max_steps, int)
                                  or max_steps < 0):
        raise ValueError(f"max_steps must be None (no limit) or an integer >= 0, got {max_steps!r}")
    if augment is not None and not callable(augment):
        raise ValueError("augment must be None or a callable (X_batch, generator) -> X_batch")
    if optimizer is not None and not callable(optimizer):
        raise ValueError("optimizer must be None or a callable params -> torch.optim.Optimizer "
                         "(e.g. lambda p: AlexNetSGD(p, lr=0.01)), not an optimizer instance")
    check_callable(scheduler, "scheduler", "optimizer -> learning-rate scheduler")
    check_callable(loss_fn, "loss_fn", "(logits, y) -> loss")
    check_callable(callback, "callback", "(model, record) -> None, run after each epoch")
    device = resolve_device(device)
    train = _check_data(train, "train")
    test = None if test is None else _check_data(test, "test")
    dtype = _model_dtype(model)
    checked_labels = loss_fn is None
    for name, pair in (("train", train), ("test", test)):
        if isinstance(pair, tuple):
            _check_finite(pair[0], name)
            _check_labels(pair[1], None, name)
    if isinstance(train, tuple):  # to the device once, not every epoch
        train = tuple(t.to(device) for t in train)
        train = (_cast(train[0], dtype), train[1])
    if isinstance(test, tuple):
        test = tuple(t.to(device) for t in test)
        test = (_cast(test[0], dtype), test[1])
    model.to(device)
    if isinstance(train, tuple) and checked_labels:
        classes = _num_outputs(model, train[0], "train")
        for name, pair in (("train", train), ("test", test)):
            if isinstance(pair, tuple):
                _check_labels(pair[1], classes, name)
    if max_steps == 0:
        return History(label)
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
                xb = _cast(xb, dtype)
                if augment is not None:
                    xb = augment(xb, gen)
                logits = model(xb)
                if checked_labels and logits.ndim == 2 and not isinstance(train, tuple):
                    _check_labels(yb, logits.shape[1], "train")
                loss = loss_fn(logits, yb)
                value = loss.item()
                if not math.isfinite(value):  # stop before the update: the weights stay finite
                    raise FloatingPointError(
                        f"the loss became {value} at epoch {epoch}, step {steps + 1} (this step's "
                        f"update was not made): lower the learning rate (now {lr_now:g})"
                        + ("" if isinstance(train, tuple) else ", and check the inputs for NaN"))
                opt.zero_grad(set_to_none=True)
                loss.backward()
                opt.step()
                history.step_losses.append(value)
                loss_sum += value * len(yb)
                correct += int((logits.detach().argmax(1) == yb).sum())
                seen += len(yb)
                steps += 1
                if max_steps is not None and steps >= max_steps:
                    break
            if params and not bool(torch.stack([torch.isfinite(p).all() for p in params]).all()):
                raise FloatingPointError(f"the weights became NaN or infinite during epoch {epoch} "
                                         f"(by step {steps}): lower the learning rate (now "
                                         f"{lr_now:g})")
            if seen == 0:
                raise ValueError("train gave no batches: it is empty")
            record = dict(epoch=epoch, train_loss=loss_sum / seen, train_acc=correct / seen,
                          lr=lr_now)
            if test is not None:
                ev = evaluate(model, test, device=device, loss_fn=loss_fn)
                record.update(test_loss=ev["loss"], test_acc=ev["accuracy"])
            record["seconds"] = time.perf_counter() - t0
            history.append(**record)
            if callback is not None:
                callback(model, history.last)
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

