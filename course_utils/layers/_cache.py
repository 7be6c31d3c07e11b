"""The forward/backward convention of the NumPy layers (internal to :mod:`course_utils.layers`).

Every layer ``name`` has ``name_forward(inputs..., settings...) -> (out, cache)`` and
``name_backward(dout, cache) -> gradients``: the cache carries what the backward pass needs from
the forward pass, so that backpropagation through time can keep one cache per time step. A cache
is a :class:`Cache`, opaque to callers (pass it back unchanged); the gradients are a
:class:`Gradients` tuple ``(dx, dw, db)`` for layers with weights and the array ``dx`` for layers
without.
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np


class Cache:
    """What a layer's forward pass keeps for its backward pass.

    It holds the layer's validated inputs and settings (references to the arrays, not copies: do
    not change them in place between the two passes). Callers treat it as opaque: they pass it to
    the same layer's ``*_backward`` and nothing else; only the layer reads its fields.
    """

    def __init__(self, layer: str, **fields):
        self.layer = layer
        self.__dict__.update(fields)

    def __repr__(self) -> str:
        def show(v):
            return f"{v.dtype}{v.shape}" if isinstance(v, np.ndarray) else repr(v)
        fields = ", ".join(f"{k}={show(v)}" for k, v in vars(self).items() if k != "layer")
        return f"<{self.layer} cache: {fields}>"


def check_cache(cache, layer: str) -> Cache:
    """``cache`` if it comes from ``layer``'s forward pass, else a ValueError saying what came."""
    if not isinstance(cache, Cache):
        raise ValueError(f"cache must be the second value that {layer}_forward returns, got "
                         f"{type(cache).__name__}")
    if cache.layer != layer:
        raise ValueError(f"cache comes from {cache.layer}_forward, but this is {layer}_backward: "
                         f"pass each layer its own cache")
    return cache


class Gradients(NamedTuple):
    """The gradients of a layer with weights: ``dx``, ``dw``, ``db``, shaped like ``x``, ``w``,
    ``b`` (a tuple: ``dx, dw, db = conv2d_backward(dout, cache)`` unpacks it)."""

    dx: np.ndarray
    dw: np.ndarray
    db: np.ndarray
