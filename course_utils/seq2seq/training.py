"""Training an encoder-decoder in chunks with :func:`course_utils.train.fit`, evaluating in
between (notebook 14's learning curves: teacher forcing against free running)."""
from __future__ import annotations

from typing import Callable

import torch

from .._validate import as_float, as_int, check_callable
from .model import Seq2Seq, Seq2SeqStep

__all__ = ["train_in_chunks"]


def train_in_chunks(model: Seq2Seq, train: tuple, steps: int, every: int, seed: int,
                    teacher_forcing: float = 1.0, lr: float = 3e-3, batch_size: int = 64,
                    clip_grad_norm: float = 1.0, evaluate: Callable | None = None,
                    optimizer: torch.optim.Optimizer | None = None
                    ) -> tuple[list[tuple[int, object]], torch.optim.Optimizer]:
    """Train ``steps`` Adam steps in chunks of ``every`` with ``fit`` and call ``evaluate(model)``
    after each chunk.

    ``train`` = (src (N, S), tgt (N, T)) ids. Each chunk is one ``fit`` call of ``every`` steps
    with its own shuffle (``seed + chunk number``) and the same optimizer, so the chunks add up
    to one run (pass the returned optimizer back to continue it). Returns
    ([(steps done, evaluate(model)), ...], optimizer).
    """
    from ..train import fit

    if not isinstance(model, Seq2Seq):
        raise ValueError(f"model must be a Seq2Seq, got {type(model).__name__}")
    steps, every = as_int(steps, "steps", 1, 1_000_000), as_int(every, "every", 1, 1_000_000)
    seed = as_int(seed, "seed")
    step = Seq2SeqStep(teacher_forcing)
    lr = as_float(lr, "lr", 0.0)
    check_callable(evaluate, "evaluate", "model -> anything (e.g. an accuracy)")
    if optimizer is None:
        optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    elif not isinstance(optimizer, torch.optim.Optimizer):
        raise ValueError(f"optimizer must be None or a torch optimizer to continue, got "
                         f"{type(optimizer).__name__}")
    done, curve = 0, []
    while done < steps:
        n = min(every, steps - done)
        per_epoch = -(-len(train[0]) // batch_size)
        fit(model, train, epochs=-(-n // per_epoch), max_steps=n, batch_size=batch_size,
            optimizer=lambda _params: optimizer, step=step, seed=seed + done,
            clip_grad_norm=clip_grad_norm, progress=False)
        done += n
        curve.append((done, evaluate(model) if evaluate is not None else None))
    return curve, optimizer
