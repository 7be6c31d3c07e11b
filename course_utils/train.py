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

from ._validate import (MAX_ITERATIONS, as_float, as_int, as_numbers, check_callable,
                        check_elements)

__all__ = ["AlexNetSGD", "History", "fit", "evaluate", "predict", "batches", "random_shift",
           "affine_images", "random_affine",
           "confusion_matrix", "LOSS_SURFACES", "surface_loss", "surface_grad", "momentum_path"]

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
        if not (isinstance(weight_decay, (int, float)) and 0 <= weight_decay < math.inf):
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
    device = _device(None, device)
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
    """``device`` as a torch.device that exists here (None: :func:`course_utils.get_device`).

    Names are parsed as ``COURSE_DEVICE`` is by :func:`course_utils.repro.get_device`: "cpu",
    "cuda", "cuda:N" or "mps"; an unknown name or a device this machine lacks is a ValueError.
    """
    from .repro import _mps_available, get_device

    if device is None:
        return get_device(verbose=False)
    if isinstance(device, torch.device):
        parsed = device
    elif isinstance(device, str):
        try:
            parsed = torch.device(device.strip())
        except (RuntimeError, ValueError):
            raise ValueError(f"device={device!r} is not a device torch knows (allowed: cpu, cuda, "
                             "cuda:N, mps, or None for the course's choice)") from None
    else:
        raise ValueError(f"device must be None, a name such as 'cpu' or 'cuda', or a torch.device; "
                         f"got {type(device).__name__} {device!r}")
    if parsed.type == "cuda":
        if not torch.cuda.is_available():
            raise ValueError(f"device={device!r} but CUDA is not available here; use device=None "
                             "(the course picks one) or 'cpu'")
        if parsed.index is not None and parsed.index >= torch.cuda.device_count():
            raise ValueError(f"device={device!r} but this machine has "
                             f"{torch.cuda.device_count()} CUDA device(s)")
    elif parsed.type == "mps" and not _mps_available():
        raise ValueError(f"device={device!r} but MPS is not available here; use device=None "
                         "or 'cpu'")
    elif parsed.type not in ("cpu", "cuda", "mps"):
        raise ValueError(f"device={device!r}: the course runs on cpu, cuda or mps")
    return parsed


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


def random_shift(x: torch.Tensor, max_shift: int = 2, generator: torch.Generator | None = None
                 ) -> torch.Tensor:
    """Translate each image by its own random whole-pixel offset (data augmentation).

    Shapes: (N, C, H, W) -> (N, C, H, W). Math: out[n, c, i, j] = x_pad[n, c, i + dy_n, j + dx_n]
    with dy_n, dx_n uniform in {0, ..., 2 * max_shift} and x_pad the input padded by
    ``max_shift`` pixels that repeat the border (the background, for digits).
    LeCun et al. (1998) trained LeNet-5 on distorted copies of the digits the same way.
    """
    _check_images(x)
    if isinstance(max_shift, bool) or not isinstance(max_shift, int) or max_shift < 0:
        raise ValueError(f"max_shift must be an integer >= 0, got {max_shift!r}")
    if max_shift == 0:
        return x
    N, C, H, W = x.shape
    check_elements(N * C * (H + 2 * max_shift) * (W + 2 * max_shift),
                   f"the images padded by max_shift={max_shift} on every side",
                   "use a max_shift smaller than the images")
    s = max_shift
    pad = torch.nn.functional.pad(x, (s, s, s, s), mode="replicate")
    offsets = torch.randint(0, 2 * s + 1, (2, N), generator=generator).to(x.device)
    rows = offsets[0][:, None] + torch.arange(H, device=x.device)            # (N, H)
    cols = offsets[1][:, None] + torch.arange(W, device=x.device)            # (N, W)
    n = torch.arange(N, device=x.device)[:, None, None]
    out = pad.permute(0, 2, 3, 1)[n, rows[:, :, None], cols[:, None, :]]     # (N, H, W, C)
    return out.permute(0, 3, 1, 2).contiguous()


def _check_images(x: Any) -> None:
    if not isinstance(x, torch.Tensor):
        raise ValueError(f"x must be a torch tensor of images (N, C, H, W), got "
                         f"{type(x).__name__}; convert with torch.as_tensor")
    if x.ndim != 4:
        raise ValueError(f"expected images (N, C, H, W), got shape {tuple(x.shape)}")
    if not x.is_floating_point():
        raise ValueError(f"x must hold floating-point images, got {x.dtype}")


def affine_images(x: torch.Tensor, angle, scale, shift) -> torch.Tensor:
    """Rotate, scale and translate each image about its centre (bilinear, border repeated).

    Shapes: x (N, C, H, W); angle (N,) in degrees (counter-clockwise as displayed), scale (N,),
    shift (N, 2) in pixels (dx to the right, dy down) -> (N, C, H, W).
    Math: out(p) = x(c + R(-angle) (p - c - shift) / scale) for every pixel centre p, with c the
    image centre; values between pixel centres are interpolated bilinearly.
    """
    _check_images(x)
    N, _, H, W = x.shape
    values = {}
    for name, value in (("angle", angle), ("scale", scale), ("shift", shift)):
        try:
            t = torch.as_tensor(value if isinstance(value, torch.Tensor) else
                                as_numbers(value, name), dtype=x.dtype, device=x.device)
        except (TypeError, RuntimeError, ValueError) as e:
            raise ValueError(f"{name} must be numbers (one per image), got {value!r}: "
                             f"{e}") from None
        if not bool(torch.isfinite(t).all()):
            raise ValueError(f"{name} must be finite numbers, got {value!r}")
        values[name] = t
    angle, scale = values["angle"].reshape(-1), values["scale"].reshape(-1)
    if values["shift"].numel() % 2:
        raise ValueError(f"shift must hold (dx, dy) pairs, one per image, got shape "
                         f"{tuple(values['shift'].shape)}")
    shift = values["shift"].reshape(-1, 2)
    if not len(angle) == len(scale) == len(shift) == N:
        raise ValueError(f"angle, scale and shift need one entry per image ({N}), got "
                         f"{len(angle)}, {len(scale)}, {len(shift)}")
    if bool((scale <= 0).any()):
        raise ValueError("scale must be > 0")
    a = -torch.deg2rad(angle)   # y points down, so a counter-clockwise turn on screen is negative
    cos, sin = torch.cos(a) / scale, torch.sin(a) / scale
    # affine_grid maps output coordinates (x right, y down, in [-1, 1]) to input coordinates
    theta = torch.zeros(N, 2, 3, dtype=x.dtype, device=x.device)
    theta[:, 0, 0], theta[:, 0, 1] = cos, (H / W) * sin
    theta[:, 1, 0], theta[:, 1, 1] = -(W / H) * sin, cos
    t = torch.stack([shift[:, 0] * 2 / W, shift[:, 1] * 2 / H], dim=1)      # pixels -> [-1, 1]
    theta[:, :, 2] = -(theta[:, :, :2] @ t[:, :, None])[:, :, 0]
    grid = torch.nn.functional.affine_grid(theta, list(x.shape), align_corners=False)
    return torch.nn.functional.grid_sample(x, grid, mode="bilinear", padding_mode="border",
                                           align_corners=False)


def random_affine(x: torch.Tensor, max_shift: float = 2.0, max_rotation: float = 10.0,
                  max_scale: float = 0.1, generator: torch.Generator | None = None
                  ) -> torch.Tensor:
    """Random planar distortions (data augmentation), one per image, as LeCun et al. (1998) used.

    Shapes: (N, C, H, W) -> (N, C, H, W). Each image gets, uniformly at random, a rotation in
    [-max_rotation, max_rotation] degrees, a scale in [1 - max_scale, 1 + max_scale] and a shift
    in [-max_shift, max_shift] pixels along each axis (see :func:`affine_images`).
    """
    _check_images(x)
    for name, value in (("max_shift", max_shift), ("max_rotation", max_rotation),
                        ("max_scale", max_scale)):
        as_float(value, name)
    if min(max_shift, max_rotation, max_scale) < 0 or max_scale >= 1:
        raise ValueError("max_shift and max_rotation must be >= 0 and max_scale in [0, 1), got "
                         f"{max_shift}, {max_rotation}, {max_scale}")
    u = torch.rand(len(x), 4, generator=generator) * 2 - 1                  # uniform in [-1, 1)
    return affine_images(x, u[:, 0] * max_rotation, 1 + u[:, 1] * max_scale,
                         u[:, 2:] * max_shift)


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
    device = _device(model, device)
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
    device = _device(model, device)
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
    device = _device(model, device)
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


# --- confusion matrix -----------------------------------------------------------------------------

def confusion_matrix(labels, predictions, num_classes: int | None = None):
    """Counts of (true class, predicted class) pairs: ``C[i, j] = #{n : y_n = i, yhat_n = j}``.

    Shapes: labels (N,), predictions (N,) integers in [0, K) -> int64 (K, K); rows are true
    classes, columns predictions, so the diagonal holds the correct ones. Accepts NumPy arrays,
    lists or tensors.
    """
    import numpy as np

    y, p = _class_indices(labels, "labels"), _class_indices(predictions, "predictions")
    if y.shape != p.shape:
        raise ValueError(f"labels has {y.size} entries but predictions has {p.size}")
    if num_classes is None:
        num_classes = int(max(y.max(initial=-1), p.max(initial=-1))) + 1
        check_elements(num_classes**2, f"the confusion matrix for the largest class index "
                       f"{num_classes - 1} ({num_classes:,} classes)", "check labels and "
                       "predictions, or pass num_classes")
    else:
        num_classes = as_int(num_classes, "num_classes", 1)
        check_elements(num_classes**2, f"the (num_classes, num_classes) = ({num_classes:,}, "
                       f"{num_classes:,}) confusion matrix", "use fewer classes")
    if y.size and (min(y.min(), p.min()) < 0 or max(y.max(), p.max()) >= num_classes):
        raise ValueError(f"classes must be integers in [0, {num_classes}), got labels in "
                         f"[{y.min()}, {y.max()}] and predictions in [{p.min()}, {p.max()}]")
    return np.bincount(y * num_classes + p, minlength=num_classes**2).reshape(num_classes,
                                                                              num_classes)


def _class_indices(values, name: str):
    """Labels or predictions as a flat int64 array; non-integers (0.5, NaN, strings) raise."""
    import numpy as np

    a = as_numbers(values, name).ravel()
    if a.dtype.kind == "f":
        if not (np.isfinite(a).all() and (a == np.round(a)).all()):
            bad = a[~(np.isfinite(a) & (a == np.round(a)))][0]
            raise ValueError(f"{name} must be integer class indices, got {bad}")
    return a.astype(np.int64)


# --- momentum on a 2-D loss surface (notebook 07's widget) ------------------------------------------

LOSS_SURFACES = ("ravine", "rosenbrock", "bumpy")
"""2-D losses L(x, y) for :func:`momentum_path`:

* ravine:     L = (x^2 + 20 y^2) / 2, a narrow valley (condition number 20), minimum 0 at (0, 0)
* rosenbrock: L = (1 - x)^2 + 5 (y - x^2)^2, a curved valley, minimum 0 at (1, 1)
* bumpy:      L = (x^2 + 2 y^2) / 4 - 0.4 cos(3x) cos(3y) + 0.4, local minima around the global
              one at (0, 0), where L = 0
"""


def _check_surface(surface: str) -> str:
    if surface not in LOSS_SURFACES:
        raise ValueError(f"surface must be one of {LOSS_SURFACES}, got {surface!r}")
    return surface


def _surface_xy(x, y):
    """x and y as float arrays of one broadcast shape."""
    import numpy as np

    x, y = as_numbers(x, "x").astype(float), as_numbers(y, "y").astype(float)
    try:
        np.broadcast_shapes(x.shape, y.shape)
    except ValueError:
        raise ValueError(f"x and y must have the same shape (or broadcast), got {x.shape} and "
                         f"{y.shape}") from None
    return x, y


def surface_loss(surface: str, x, y):
    """L(x, y) of a named surface (see :data:`LOSS_SURFACES`); x, y arrays of any (equal) shape."""
    import numpy as np

    _check_surface(surface)
    x, y = _surface_xy(x, y)
    if surface == "ravine":
        return 0.5 * (x**2 + 20 * y**2)
    if surface == "rosenbrock":
        return (1 - x) ** 2 + 5 * (y - x**2) ** 2
    return 0.25 * (x**2 + 2 * y**2) - 0.4 * np.cos(3 * x) * np.cos(3 * y) + 0.4


def surface_grad(surface: str, x, y):
    """(dL/dx, dL/dy) of a named surface, by hand (tests check it against autograd)."""
    import numpy as np

    _check_surface(surface)
    x, y = _surface_xy(x, y)
    if surface == "ravine":
        return x, 20 * y
    if surface == "rosenbrock":
        return -2 * (1 - x) - 20 * x * (y - x**2), 10 * (y - x**2)
    return (0.5 * x + 1.2 * np.sin(3 * x) * np.cos(3 * y),
            y + 1.2 * np.cos(3 * x) * np.sin(3 * y))


def momentum_path(surface: str, start, lr: float, momentum: float = 0.0, steps: int = 50,
                  noise: float = 0.0, seed: int = 0, limit: float = 1e3):
    """The points visited by AlexNet's rule on a 2-D surface, from ``start``.

    Math: v <- momentum * v - lr * (grad L(w) + noise * eps), w <- w + v, with eps ~ N(0, I)
    standing in for mini-batch noise (``noise=0``: exact gradients; ``momentum=0``: plain
    gradient descent). Shape: -> (T + 1, 2) float, T <= ``steps``; the path stops early once a
    coordinate leaves [-limit, limit] or stops being finite (divergence). ``steps`` is at most
    :data:`course_utils._validate.MAX_ITERATIONS` (a Python loop).
    """
    import numpy as np

    _check_surface(surface)
    lr, momentum = as_float(lr, "lr", finite=False), as_float(momentum, "momentum")
    if not lr > 0:
        raise ValueError(f"lr must be > 0, got {lr}")
    if not 0 <= momentum < 1:
        raise ValueError(f"momentum must be in [0, 1), got {momentum}")
    if isinstance(steps, bool) or not isinstance(steps, (int, np.integer)) or steps < 1:
        raise ValueError(f"steps must be a positive integer, got {steps!r}")
    if steps > MAX_ITERATIONS:
        raise ValueError(f"steps must be at most {MAX_ITERATIONS:,} (one Python loop step each), "
                         f"got {steps:,}")
    noise = as_float(noise, "noise")
    if noise < 0:
        raise ValueError(f"noise must be >= 0, got {noise}")
    seed = as_int(seed, "seed", 0)
    limit = as_float(limit, "limit", finite=False)
    try:
        w = np.array(as_numbers(start, "start"), dtype=float).reshape(2)
    except ValueError as e:
        raise ValueError(f"start must be a point (x, y) of two numbers, got {start!r}") from e
    if not np.isfinite(w).all():
        raise ValueError(f"start must be a finite point (x, y), got {start!r}")
    rng = np.random.default_rng(seed)
    v = np.zeros(2)
    path = [w.copy()]
    for _ in range(int(steps)):
        g = np.array(surface_grad(surface, w[0], w[1]), dtype=float)
        if noise:
            g = g + noise * rng.standard_normal(2)
        v = momentum * v - lr * g
        w = w + v
        if not np.all(np.isfinite(w)) or np.abs(w).max() > limit:
            break
        path.append(w.copy())
    return np.array(path)
