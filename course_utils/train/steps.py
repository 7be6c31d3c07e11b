"""Training steps: what :func:`~course_utils.train.fit` does with one mini-batch.

``fit`` owns the loop (batches, the optimizer, clipping, the progress bar, the History); a
*step* owns the model's side: it runs the model on a batch and returns the loss and the batch's
metric totals. The protocol is one call::

    step(model, batch, state) -> StepOutput(loss, count, totals)

- ``batch``: the tuple of tensors that :func:`~course_utils.train.batches` yields, on the device,
  floating-point inputs cast to the model's dtype (``(x, y)`` for a classifier).
- ``state``: a dict that lives for one pass over the data (an epoch, or one evaluation) and
  starts empty; a step keeps what must be carried from batch to batch in it (an RNN's hidden
  state). ``state["split"]`` is ``"train"``, ``"test"`` or ``"data"``; ``model.training`` tells
  whether this is a training step (the loss is then backpropagated) or an evaluation.
- ``loss``: a scalar tensor, the mean over ``count`` items (examples, or tokens), so that its
  gradient is the average of the items' gradients. ``totals``: each metric summed over the batch
  (e.g. ``{"acc": number correct}``); a pass reports ``sum(totals) / sum(count)`` per metric and
  ``loss = sum(loss * count) / sum(count)``.
- An optional method ``summary(means) -> dict`` adds metrics derived from the pass's means (a
  language model's perplexity exp(loss)).

Any callable with that signature is a step, so a chapter needing another one (teacher forcing in
an encoder-decoder, say) writes five lines, not a new loop::

    def seq2seq_step(model, batch, state):
        src, tgt = batch                                    # (N, S), (N, T) token ids
        logits = model(src, tgt[:, :-1], teacher_forcing=1.0 if model.training else 0.0)
        loss = F.cross_entropy(logits.flatten(0, 1), tgt[:, 1:].flatten(), ignore_index=PAD)
        return StepOutput(loss, int((tgt[:, 1:] != PAD).sum()))
"""
from __future__ import annotations

import math
from typing import Any, Callable, NamedTuple

import torch

from .._validate import check_callable, strict_int

__all__ = ["StepOutput", "ClassifierStep", "SequenceStep", "check_labels", "sequence_pairs"]


class StepOutput(NamedTuple):
    """What a step returns: ``loss`` (scalar tensor, mean over ``count`` items) and ``totals``
    (metric name -> sum over the batch's items; a pass divides by the total count)."""
    loss: torch.Tensor
    count: int
    totals: dict = {}


def check_labels(y: torch.Tensor, classes: int | None, what: str) -> None:
    """Class labels must lie in [0, classes) (cross-entropy indexes the logits with them)."""
    if not y.numel():
        return
    low, high = int(y.min()), int(y.max())
    if low < 0 or (classes is not None and high >= classes):
        allowed = f"[0, {classes})" if classes is not None else "0, 1, 2, ..."
        raise ValueError(f"{what}: the labels y must be class indices in {allowed}"
                         + (f" for a model with {classes} outputs" if classes is not None else "")
                         + f", got labels from {low} to {high}")


class ClassifierStep:
    """The classifier's step (``fit``'s default): ``(x, y) -> model(x) = logits (B, K)``.

    Math: loss = (1/B) sum_n CE(logits_n, y_n) (or ``loss_fn(logits, y)`` with mean reduction);
    ``acc`` counts argmax_k logits_nk = y_n. With the default loss the labels are checked to lie
    in [0, K) (a clear error instead of an index error deep inside cross-entropy).
    """

    def __init__(self, loss_fn: Callable | None = None):
        check_callable(loss_fn, "loss_fn", "(logits, y) -> loss")
        self.loss_fn = loss_fn or torch.nn.functional.cross_entropy
        self.checks_labels = loss_fn is None

    def __call__(self, model: torch.nn.Module, batch: tuple, state: dict) -> StepOutput:
        xb, yb = batch
        logits = model(xb)
        if self.checks_labels and logits.ndim == 2 and not state.get("labels_checked"):
            check_labels(yb, logits.shape[1], state.get("split", "data"))
        loss = self.loss_fn(logits, yb)
        return StepOutput(loss, len(yb), {"acc": int((logits.detach().argmax(1) == yb).sum())})


class SequenceStep:
    """Next-token prediction over sequences, with truncated backpropagation through time.

    Shapes: batch = (x (N, T) token ids or (N, T, D) inputs, y (N, T) int64 targets); the model
    maps x to logits (N, T, V), or, with ``carry_state=True``, ``model(x, hidden)`` returns
    ``(logits, hidden)`` (``hidden`` is None on a pass's first batch; a tensor or a tuple of
    tensors, as ``nn.LSTM`` returns).
    Math: loss = (1/M) sum over the M targets y_nt != ignore_index of -log softmax(logits_nt)[y_nt]
    (nats per token); ``acc`` counts argmax = y_nt; ``summary`` adds ``ppl`` = exp(loss) and
    ``bits`` = loss / ln 2 (bits per token: per character for a character model).
    Truncated BPTT: with ``carry_state`` the hidden state is carried from batch to batch
    (``state["hidden"]``) but detached, so gradients flow back T steps only. Row n of a batch must
    continue row n of the previous batch: build the data with :func:`sequence_pairs` and train
    with ``shuffle=False``.
    """

    def __init__(self, carry_state: bool = False, ignore_index: int = -100):
        if not isinstance(carry_state, bool):
            raise ValueError(f"carry_state must be True or False, got {carry_state!r}")
        if isinstance(ignore_index, bool) or not isinstance(ignore_index, int):
            raise ValueError(f"ignore_index must be an integer, got {ignore_index!r}")
        self.carry_state, self.ignore_index = carry_state, ignore_index

    def __call__(self, model: torch.nn.Module, batch: tuple, state: dict) -> StepOutput:
        xb, yb = batch
        if yb.ndim != 2 or yb.dtype != torch.int64:
            raise ValueError(f"{state.get('split', 'data')}: sequence targets y must be int64 of "
                             f"shape (N, T), got {yb.dtype} of shape {tuple(yb.shape)}")
        if self.carry_state:
            hidden = state.get("hidden")
            if hidden is not None and _batch_size(hidden) != len(xb):
                hidden = None  # a last, smaller batch starts afresh
            logits, hidden = model(xb, hidden)
            state["hidden"] = _detach(hidden)
        else:
            logits = model(xb)
        if logits.ndim != 3 or logits.shape[:2] != yb.shape:
            raise ValueError(f"the model must return logits of shape (N, T, V) = ({yb.shape[0]}, "
                             f"{yb.shape[1]}, V), got {tuple(logits.shape)}")
        flat, target = logits.flatten(0, 1), yb.flatten()
        loss = torch.nn.functional.cross_entropy(flat, target, ignore_index=self.ignore_index)
        keep = target != self.ignore_index
        correct = int((flat.detach().argmax(1)[keep] == target[keep]).sum())
        return StepOutput(loss, int(keep.sum()), {"acc": correct})

    @staticmethod
    def summary(means: dict) -> dict:
        loss = means["loss"]
        return {"ppl": math.exp(min(loss, 700.0)), "bits": loss / math.log(2)}


def _detach(hidden: Any) -> Any:
    if isinstance(hidden, torch.Tensor):
        return hidden.detach()
    if isinstance(hidden, (tuple, list)):
        return type(hidden)(_detach(h) for h in hidden)
    raise ValueError("with carry_state=True the model must return (logits, hidden) with hidden a "
                     f"tensor or a tuple of tensors, got hidden of type {type(hidden).__name__}")


def _batch_size(hidden: Any) -> int:
    """The batch dimension of a hidden state: dim 1 of nn.RNN/GRU/LSTM's (layers, N, H)."""
    h = hidden[0] if isinstance(hidden, (tuple, list)) else hidden
    return int(h.shape[1] if h.ndim == 3 else h.shape[0])


def sequence_pairs(tokens, batch_size: int, seq_len: int) -> tuple[torch.Tensor, torch.Tensor]:
    """Cut one long token stream into (inputs, next-token targets) for truncated BPTT.

    Shapes: tokens (L,) int -> X, Y of shape (K * B, T) with B = ``batch_size``, T = ``seq_len``,
    K = (L - 1) // (B * T). The stream is split into B equal rows; batch k (rows k*B ... k*B + B - 1
    of X) holds the k-th T-token chunk of every row, so row b of batch k+1 continues row b of
    batch k, and Y is X shifted by one token. Train with ``fit(..., batch_size=B, shuffle=False)``.
    """
    tokens = torch.as_tensor(tokens)
    if tokens.ndim != 1 or tokens.dtype.is_floating_point or tokens.dtype == torch.bool:
        raise ValueError(f"tokens must be a 1-D sequence of integer token ids, got dtype "
                         f"{tokens.dtype} and shape {tuple(tokens.shape)}")
    B, T = strict_int(batch_size, "batch_size", 1), strict_int(seq_len, "seq_len", 1)
    K = (len(tokens) - 1) // (B * T)
    if K < 1:
        raise ValueError(f"tokens has {len(tokens)} ids: too few for one batch of batch_size={B} "
                         f"rows of seq_len={T} (needs at least {B * T + 1})")
    rows_x = tokens[:B * K * T].long().view(B, K, T)
    rows_y = tokens[1:B * K * T + 1].long().view(B, K, T)
    return rows_x.transpose(0, 1).reshape(K * B, T), rows_y.transpose(0, 1).reshape(K * B, T)
