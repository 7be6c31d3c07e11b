"""One small, fast, device-aware training loop for every chapter.

``fit(model, (X, y), (X_test, y_test))`` trains with mini-batch SGD and returns a :class:`History`
(one record per epoch, plus every step's loss and gradient norm) that
:func:`course_utils.viz.render_history` draws. What happens to one batch is a *step*
(:mod:`course_utils.train.steps`): a classifier's by default, a sequence model's with
``step=SequenceStep(...)``, or any ``step(model, batch, state) -> StepOutput``. ``evaluate`` and
``predict`` run a model over a whole data set in batches; ``batches`` yields the mini-batches.
"""
from __future__ import annotations

import math
import time
from typing import Any, Callable

import torch

from .._validate import as_float, check_callable
from ..repro import resolve_device
from .batching import (
    batches,
    cast_to,
    check_batch_size,
    check_data,
    check_finite,
    check_model,
    model_dtype,
)
from .history import METRICS, History, check_metric_names
from .steps import ClassifierStep, StepOutput, check_labels

__all__ = ["METRICS", "History", "fit", "evaluate", "predict", "batches"]


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


def _check_step(step: Any, loss_fn: Any) -> Callable:
    check_callable(step, "step", "(model, batch, state) -> StepOutput(loss, count, totals)")
    if step is None:
        return ClassifierStep(loss_fn)
    if loss_fn is not None:
        raise ValueError("give loss_fn or step, not both: a step computes its own loss "
                         "(loss_fn configures the default classifier step)")
    return step


def _first_step(step: Callable, model, batch: tuple, state: dict, split: str) -> Any:
    """The first call of a pass: an exception of the model's is reported with the batch's shapes."""
    try:
        return step(model, batch, state)
    except (RuntimeError, TypeError) as e:
        shapes = ", ".join(f"{tuple(t.shape)} {str(t.dtype).replace('torch.', '')}"
                           for t in batch)
        raise ValueError(f"the step failed on the first {split} batch ({shapes}): {e}") from e


def _output(out: Any, split: str) -> StepOutput:
    """A step's result, checked: (loss scalar tensor, count >= 1, totals)."""
    if not (isinstance(out, tuple) and 2 <= len(out) <= 3):
        raise ValueError(f"a step must return StepOutput(loss, count, totals), got "
                         f"{type(out).__name__}")
    out = StepOutput(*out)
    if not (isinstance(out.loss, torch.Tensor) and out.loss.numel() == 1):
        raise ValueError(f"{split}: the step's loss must be a scalar tensor, got "
                         f"{getattr(out.loss, 'shape', type(out.loss).__name__)}")
    if isinstance(out.count, bool) or not isinstance(out.count, int) or out.count < 0:
        raise ValueError(f"{split}: the step's count must be an integer >= 0, got {out.count!r}")
    return out


class _Totals:
    """Sums of ``loss * count`` and of each metric over a pass; ``means()`` divides by the count."""

    def __init__(self):
        self.count, self.loss, self.totals = 0, 0.0, {}

    def add(self, loss: float, out: StepOutput) -> None:
        self.loss += loss * out.count
        self.count += out.count
        for k, v in out.totals.items():
            self.totals[k] = self.totals.get(k, 0) + v

    def means(self, step: Callable) -> dict[str, float]:
        if self.count == 0:
            raise ValueError("the data gave no batches, or only empty ones: it is empty")
        means = {"loss": self.loss / self.count}
        means.update((k, v / self.count) for k, v in self.totals.items())
        if hasattr(step, "summary"):
            means.update(step.summary(means))
        return means


# --- evaluation -----------------------------------------------------------------------------------

@torch.no_grad()
def _evaluate(model, data, device, batch_size, step, split, labels_checked=False) -> dict:
    """The step's means over a whole data set, in eval mode (the mode is restored afterwards)."""
    was_training = model.training
    dtype = model_dtype(model)
    model.to(device).eval()
    state: dict[str, Any] = {"split": split, "labels_checked": labels_checked}
    sums = _Totals()
    classification = isinstance(step, ClassifierStep)
    try:
        for i, batch in enumerate(batches(data, batch_size, device,
                                          classification=classification)):
            batch = (cast_to(batch[0], dtype),) + batch[1:]
            out = _output(_first_step(step, model, batch, state, split) if i == 0
                          else step(model, batch, state), split)
            sums.add(float(out.loss), out)
    finally:
        model.train(was_training)
    return sums.means(step)


def evaluate(model: torch.nn.Module, data: Any, device=None, batch_size: int = 512,
             loss_fn: Callable | None = None, step: Callable | None = None) -> dict[str, float]:
    """Mean loss and metrics of a model over a whole data set, in eval mode, without gradients.

    Classifier (default): ``data`` = (X (N, ...), y (N,) int64) or a DataLoader of such pairs;
    the model maps (B, ...) to logits (B, K). Returns ``{"loss", "accuracy"}`` with
    loss = (1/N) sum_n CE(logits_n, y_n) (or ``loss_fn`` with mean reduction, weighted by batch
    size) and accuracy = (1/N) #{n : argmax_k logits_nk = y_n}, a fraction in [0, 1].
    With a ``step`` (see :mod:`course_utils.train.steps`): the step's ``loss`` and metrics, each
    the total over the data divided by the total count (per token for a ``SequenceStep``), plus
    its ``summary`` (e.g. ``ppl``). The model's train/eval mode is restored afterwards.
    A step with ``carry_state=True`` reads ``data`` as :func:`sequence_pairs` lays it out, so
    ``batch_size`` must be the one the pairs were cut with (``fit`` uses its own ``batch_size``).
    """
    batch_size = check_batch_size(batch_size)
    model = check_model(model)
    device = resolve_device(device)
    step = _check_step(step, loss_fn)
    data = check_data(data, "data", isinstance(step, ClassifierStep))
    means = _evaluate(model, data, device, batch_size, step, "data")
    if isinstance(step, ClassifierStep):
        return {"loss": means["loss"], "accuracy": means["acc"]}
    return means


@torch.no_grad()
def predict(model: torch.nn.Module, X: torch.Tensor, device=None, batch_size: int = 512
            ) -> torch.Tensor:
    """Predicted classes ``argmax_k logits[n, k]``, in eval mode. Shape: X (N, ...) -> (N,) int64 (on CPU)."""
    batch_size = check_batch_size(batch_size)
    model = check_model(model)
    if not isinstance(X, torch.Tensor):
        raise ValueError(f"X must be a torch tensor, got {type(X).__name__}")
    device = resolve_device(device)
    dtype = model_dtype(model)
    was_training = model.training
    model.to(device).eval()
    try:
        out = [model(cast_to(X[i:i + batch_size].to(device), dtype)).argmax(1).cpu()
               for i in range(0, len(X), batch_size)]
    finally:
        model.train(was_training)
    return torch.cat(out) if out else torch.empty(0, dtype=torch.int64)


# --- training -------------------------------------------------------------------------------------

def _check_settings(epochs, optimizer, lr, momentum, weight_decay, seed, max_steps, augment,
                    scheduler, callback, clip_grad_norm, shuffle) -> None:
    if isinstance(epochs, bool) or not isinstance(epochs, int) or epochs < 1:
        raise ValueError(f"epochs must be a positive integer, got {epochs!r}")
    if optimizer is None:
        if not (isinstance(lr, (int, float)) and not isinstance(lr, bool) and 0 < lr < math.inf):
            raise ValueError(f"lr must be a positive finite number, got {lr!r}")
        as_float(momentum, "momentum", 0.0)
        if not momentum < 1:
            raise ValueError(f"momentum must be in [0, 1), got {momentum!r}")
        as_float(weight_decay, "weight_decay", 0.0)
    elif not callable(optimizer):
        raise ValueError("optimizer must be None or a callable params -> torch.optim.Optimizer "
                         "(e.g. lambda p: AlexNetSGD(p, lr=0.01)), not an optimizer instance")
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise ValueError(f"seed must be an integer, got {seed!r}")
    if max_steps is not None and (isinstance(max_steps, bool) or not isinstance(max_steps, int)
                                  or max_steps < 0):
        raise ValueError(f"max_steps must be None (no limit) or an integer >= 0, got {max_steps!r}")
    if augment is not None and not callable(augment):
        raise ValueError("augment must be None or a callable (X_batch, generator) -> X_batch")
    check_callable(scheduler, "scheduler", "optimizer -> learning-rate scheduler")
    check_callable(callback, "callback", "(model, record) -> None or a dict of extra metrics, "
                   "run after each epoch")
    if clip_grad_norm is not None:
        as_float(clip_grad_norm, "clip_grad_norm", 0.0)
        if not clip_grad_norm > 0:
            raise ValueError(f"clip_grad_norm must be None (no clipping) or > 0, got "
                             f"{clip_grad_norm!r}")
    if not isinstance(shuffle, bool):
        raise ValueError(f"shuffle must be True or False, got {shuffle!r}")


def _grad_norm(params: list[torch.Tensor]) -> torch.Tensor:
    """||g||_2 over every parameter's gradient (as torch.nn.utils.clip_grad_norm_ measures it),
    accumulated in float64 so that large finite float32 gradients do not overflow the square."""
    grads = [p.grad.detach() for p in params if p.grad is not None]
    if not grads:
        return torch.zeros((), dtype=torch.float64)
    return torch.linalg.vector_norm(torch.stack(
        [torch.linalg.vector_norm(g, dtype=torch.float64) for g in grads]))


def _update(loss: torch.Tensor, opt, params: list, clip: float | None, where: str,
            clean_inputs: bool) -> tuple[float, float]:
    """One update from a step's loss: backpropagate, measure the gradient norm ||g||_2, rescale g
    to norm ``clip`` if it is larger, step. Returns (loss, norm before clipping); raises a
    FloatingPointError, before any update, when either is NaN or infinite."""
    value = loss.item()
    lr = opt.param_groups[0]["lr"]
    if not math.isfinite(value):  # stop before the update: the weights stay finite
        raise FloatingPointError(
            f"the loss became {value} at {where} (this step's update was not made): lower the "
            f"learning rate (now {lr:g})" + ("" if clean_inputs else ", and check the inputs for "
                                             "NaN"))
    opt.zero_grad(set_to_none=True)
    loss.backward()
    norm = float(_grad_norm(params))
    if not math.isfinite(norm):
        raise FloatingPointError(
            f"the gradient norm became {norm} at {where} (this step's update was not made): lower "
            f"the learning rate (now {lr:g})" + (" or clip the gradient (clip_grad_norm)"
                                                 if clip is None else ""))
    if clip is not None and norm > clip:
        for p in params:
            if p.grad is not None:
                p.grad.mul_(clip / (norm + 1e-6))
    opt.step()
    return value, norm


def _add_metrics(history: History, extra: Any) -> None:
    """A callback's extra metrics (None, or a dict name -> number) into the last record."""
    if extra is None:
        return
    if not isinstance(extra, dict):
        raise ValueError(f"callback must return None or a dict of extra metrics, got "
                         f"{type(extra).__name__}")
    check_metric_names(extra, "callback metrics")
    history.records[-1].update((k, float(v)) for k, v in extra.items())


def fit(model: torch.nn.Module, train: Any, test: Any = None, *, epochs: int = 5,
        batch_size: int = 128, lr: float = 0.05, optimizer: Callable | None = None,
        momentum: float = 0.9, weight_decay: float = 0.0, scheduler: Callable | None = None,
        device=None, seed: int = 0, progress: bool = True, loss_fn: Callable | None = None,
        label: str = "", max_steps: int | None = None, augment: Callable | None = None,
        callback: Callable | None = None, step: Callable | None = None,
        clip_grad_norm: float | None = None, shuffle: bool = True) -> History:
    """Train a model with mini-batch SGD (or any optimizer); return its :class:`History`.

    Shapes (classifier, the default): ``train``/``test`` = (X (N, ...) float, y (N,) int64) or
    DataLoaders of such pairs; the model maps (B, ...) to logits (B, K). Another ``step`` (e.g.
    ``SequenceStep()`` for targets (N, T), see :mod:`course_utils.train.steps`) takes any tuple of
    tensors with a common first dimension, and decides what the model computes and what the loss
    and metrics are; the loop below stays the same.

    Each step takes a mini-batch B, computes the loss L (a mean over the batch's items, so its
    gradient is the average of their gradients), backpropagates, records the gradient norm
    ||g||_2 (``history.step_grad_norms``), rescales g to norm ``clip_grad_norm`` if it is larger,
    and lets the optimizer update the weights. ``optimizer=None`` means
    ``torch.optim.SGD(lr, momentum, weight_decay)``; otherwise it is a callable
    ``params -> Optimizer`` (e.g. ``lambda p: AlexNetSGD(p, lr=0.01)``), and
    ``lr``/``momentum``/``weight_decay`` are ignored. ``scheduler`` is a callable
    ``optimizer -> scheduler``, stepped once per epoch (a ``ReduceLROnPlateau`` is given the test
    loss, or the training loss without a test set).

    The model and the batches go to ``device`` (default: ``get_device()``). ``seed`` fixes the
    order of the examples (a torch Generator of its own, so it does not touch the global random
    state the weights were initialised from); ``shuffle=False`` keeps the data's order (truncated
    BPTT needs it). Training metrics are averages over the epoch's mini-batches as the weights
    change; test metrics come from a pass in eval mode. ``augment`` (e.g.
    ``lambda x, g: random_shift(x, 2, g)``) transforms each training batch's inputs; it gets the
    batch and the run's generator, so augmentation is seeded too. ``callback(model, record)``
    runs after each epoch (e.g. to record the weight norm); a dict it returns is added to the
    record (names ``train_<name>``/``test_<name>``, e.g. ``{"test_bleu": 31.2}``).
    ``max_steps`` stops early after that many steps (for quick demonstrations; 0 trains nothing
    and returns an empty History). A tqdm bar (the notebook widget in Jupyter) shows one tick per
    epoch with the metrics; ``progress=False`` hides it.

    Every argument is checked before training starts (a ValueError names it), and so are (X, y)
    pairs: X finite, labels in [0, K) for a model with K outputs; floating-point inputs are cast
    to the model's dtype (float64 data for a float32 model). Training stops with a
    ``FloatingPointError`` naming the epoch and step the moment the loss or the gradient norm
    (before that step's update) or, at the end of an epoch, a weight is NaN or infinite.
    """
    model = check_model(model)
    batch_size = check_batch_size(batch_size)
    _check_settings(epochs, optimizer, lr, momentum, weight_decay, seed, max_steps, augment,
                    scheduler, callback, clip_grad_norm, shuffle)
    step = _check_step(step, loss_fn)
    classification = isinstance(step, ClassifierStep)
    if getattr(step, "carry_state", False) and shuffle:
        raise ValueError("a step that carries its state from batch to batch (truncated BPTT) "
                         "needs the batches in order: pass shuffle=False")
    # a step that carries its state reads the test data in the layout of sequence_pairs too: row b
    # of one batch continues row b of the last, so it must be read in batches of the same size
    eval_batch = batch_size if getattr(step, "carry_state", False) else 512
    device = resolve_device(device)
    train = check_data(train, "train", classification)
    test = None if test is None else check_data(test, "test", classification)
    dtype = model_dtype(model)
    for name, data in (("train", train), ("test", test)):
        if isinstance(data, tuple):
            check_finite(data[0], name)
            if classification:
                check_labels(data[1], None, name)
    if isinstance(train, tuple):  # to the device once, not every epoch
        train = (cast_to(train[0].to(device), dtype),) + tuple(t.to(device) for t in train[1:])
    if isinstance(test, tuple):
        test = (cast_to(test[0].to(device), dtype),) + tuple(t.to(device) for t in test[1:])
    model.to(device)
    if isinstance(train, tuple) and classification and step.checks_labels:
        classes = _num_outputs(model, train[0], "train")
        for name, data in (("train", train), ("test", test)):
            if isinstance(data, tuple):
                check_labels(data[1], classes, name)
    if max_steps == 0:
        return History(label)
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
            state: dict[str, Any] = {"split": "train", "labels_checked": isinstance(train, tuple)}
            sums = _Totals()
            for batch in batches(train, batch_size, device, gen if shuffle else None,
                                 classification):
                xb = cast_to(batch[0], dtype)
                if augment is not None:
                    xb = augment(xb, gen)
                batch = (xb,) + batch[1:]
                out = _output(_first_step(step, model, batch, state, "train") if steps == 0
                              else step(model, batch, state), "train")
                value, norm = _update(out.loss, opt, params, clip_grad_norm,
                                      f"epoch {epoch}, step {steps + 1}", isinstance(train, tuple))
                history.step_losses.append(value)
                history.step_grad_norms.append(norm)
                sums.add(value, out)
                steps += 1
                if max_steps is not None and steps >= max_steps:
                    break
            if params and not bool(torch.stack([torch.isfinite(p).all() for p in params]).all()):
                raise FloatingPointError(f"the weights became NaN or infinite during epoch {epoch} "
                                         f"(by step {steps}): lower the learning rate (now "
                                         f"{lr_now:g})")
            if sums.count == 0:
                raise ValueError("train gave no batches: it is empty")
            record: dict[str, float] = {"epoch": epoch, "lr": lr_now}
            record.update((f"train_{k}", v) for k, v in sums.means(step).items())
            if test is not None:
                means = _evaluate(model, test, device, eval_batch, step, "test",
                                  isinstance(test, tuple))
                record.update((f"test_{k}", v) for k, v in means.items())
            record["seconds"] = time.perf_counter() - t0
            history.append(**record)
            if callback is not None:
                _add_metrics(history, callback(model, history.last))
            if sched is not None:
                if plateau:
                    sched.step(record.get("test_loss", record["train_loss"]))
                else:
                    sched.step()
            bar.set_postfix(_postfix(history.last), refresh=False)
            bar.update(1)
            if max_steps is not None and steps >= max_steps:
                break
    finally:
        bar.close()
    return history


def _postfix(record: dict[str, float]) -> dict[str, str]:
    """The progress bar's figures: the training loss, then accuracy/perplexity/test metrics."""
    shown = {"loss": "train_loss", "acc": "train_acc", "ppl": "train_ppl", "test_acc": "test_acc",
             "test_ppl": "test_ppl", "test_bleu": "test_bleu"}
    return {k: f"{record[m]:.3f}" for k, m in shown.items()
            if m in record and not math.isnan(record[m])}
