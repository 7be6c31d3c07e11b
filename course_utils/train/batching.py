"""Data in mini-batches for :func:`~course_utils.train.fit`: the checks of (X, y) pairs and of
tuples of tensors, ``batches`` itself, and casting inputs to the model's dtype."""
from __future__ import annotations

from typing import Any, Iterator

import torch

from ..repro import resolve_device

__all__ = ["batches", "check_data", "check_tensors", "check_batch_size", "check_model",
           "model_dtype", "cast_to", "check_finite"]


def check_tensors(data: Any, what: str, classification: bool) -> tuple[torch.Tensor, ...]:
    """A classifier's (X, y) pair, checked; or, for other steps, any tuple of tensors of one length."""
    arity_ok = len(data) == 2 if classification else len(data) >= 1
    if not (isinstance(data, (tuple, list)) and arity_ok):
        raise ValueError(f"{what} must be an (X, y) pair of tensors or a DataLoader, "
                         f"got {type(data).__name__} of {len(data)} items")
    if not all(isinstance(t, torch.Tensor) for t in data):
        raise ValueError(f"{what} must hold torch tensors, got "
                         f"({', '.join(type(t).__name__ for t in data)}); convert with "
                         "torch.as_tensor")
    X = data[0]
    for t in data[1:]:
        if len(t) != len(X):
            raise ValueError(f"{what}: X has {len(X)} examples but "
                             f"{'y' if classification else 'a tensor'} has {len(t)}")
    if len(X) == 0:
        raise ValueError(f"{what} is empty")
    if classification:
        y = data[1]
        if y.dtype != torch.int64 or y.ndim != 1:
            raise ValueError(f"{what}: y must be int64 class labels of shape (N,), got {y.dtype} "
                             f"of shape {tuple(y.shape)}")
        if not X.is_floating_point():
            raise ValueError(f"{what}: X must be floating point, got {X.dtype}")
    return tuple(data)


def check_data(data: Any, what: str, classification: bool = True) -> Any:
    """A tuple of tensors is checked; a bare tensor or array is refused; anything else must iterate."""
    if isinstance(data, (tuple, list)):
        return check_tensors(data, what, classification)
    if hasattr(data, "shape") or not hasattr(data, "__iter__"):
        raise ValueError(f"{what} must be an (X, y) pair of tensors or a DataLoader of (X_b, y_b) "
                         f"batches, got {type(data).__name__}")
    return data


def batches(data: Any, batch_size: int, device, generator: torch.Generator | None = None,
            classification: bool = True) -> Iterator[tuple[torch.Tensor, ...]]:
    """Mini-batches ``(X_b, y_b)`` on ``device``: in a random order when ``generator`` is given.

    ``data`` is an ``(X, y)`` pair (shapes (N, ...) and (N,) int64 labels; with
    ``classification=False`` any tuple of tensors sharing the first dimension N, e.g. sequences
    X (N, T) and targets Y (N, T)) or anything iterable over batches, such as a ``DataLoader``
    (it then shuffles, or not, by itself). A tuple is moved to the device once and indexed with
    a permutation: no DataLoader overhead.
    """
    batch_size = check_batch_size(batch_size)
    device = resolve_device(device)
    if isinstance(data, (tuple, list)):
        tensors = tuple(t.to(device) for t in check_tensors(data, "data", classification))
        n = len(tensors[0])
        order = None if generator is None else torch.randperm(n, generator=generator).to(device)
        for start in range(0, n, batch_size):
            if order is None:
                yield tuple(t[start:start + batch_size] for t in tensors)
            else:
                idx = order[start:start + batch_size]
                yield tuple(t[idx] for t in tensors)
    else:
        for batch in data:
            yield tuple(t.to(device) for t in batch)


def check_batch_size(batch_size: Any) -> int:
    if isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size < 1:
        raise ValueError(f"batch_size must be a positive integer, got {batch_size!r}")
    return batch_size


def check_model(model: Any) -> torch.nn.Module:
    if not isinstance(model, torch.nn.Module):
        raise ValueError(f"model must be a torch.nn.Module, got {type(model).__name__}")
    return model


def model_dtype(model: torch.nn.Module) -> torch.dtype | None:
    """The dtype of the model's first floating-point parameter (inputs are cast to it), or None."""
    for p in model.parameters():
        if p.is_floating_point():
            return p.dtype
    return None


def cast_to(X: torch.Tensor, dtype: torch.dtype | None) -> torch.Tensor:
    """A floating-point batch in the model's dtype (float64 data for a float32 model, say)."""
    return X.to(dtype) if dtype is not None and X.is_floating_point() and X.dtype != dtype else X


def check_finite(X: torch.Tensor, what: str) -> None:
    if not X.is_floating_point():
        return
    bad = ~torch.isfinite(X.reshape(len(X), -1)).all(dim=1)
    if bool(bad.any()):
        first = int(bad.nonzero()[0, 0])
        raise ValueError(f"{what}: X has NaN or infinite values in {int(bad.sum())} of {len(X)} "
                         f"examples (the first is example {first}); clean or drop them before "
                         "training")
