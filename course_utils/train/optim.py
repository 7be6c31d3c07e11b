"""The update rule of Krizhevsky, Sutskever & Hinton (2012), with the weight-decay term's sign
right: :class:`AlexNetSGD`."""
from __future__ import annotations

import math
from typing import Callable, Iterable

import torch

__all__ = ["AlexNetSGD"]


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
