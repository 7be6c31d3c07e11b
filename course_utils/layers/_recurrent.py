"""What the recurrent layers share (internal to :mod:`course_utils.layers`): the checks of
PyTorch's parameter layout, of sequences and states, a sigmoid that never overflows, and the
gradient tuples of the steps and the sequences.

PyTorch's layout, used unchanged by ``rnn.py``, ``lstm.py`` and ``gru.py`` (G gates stacked on
the first axis, in PyTorch's order: 1 for the plain RNN, 4 (i, f, g, o) for the LSTM, 3 (r, z, n)
for the GRU)::

    weight_ih (G*H, D)   weight_hh (G*H, H)   bias_ih (G*H,)   bias_hh (G*H,)   (None: no bias)
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .._validate import as_floats, check_elements, check_iterations


def sigmoid(a: np.ndarray) -> np.ndarray:
    """The logistic function 1 / (1 + exp(-a)), element-wise, without overflow for large |a|
    (dtype kept)."""
    e = np.exp(-np.abs(a))
    return np.where(a >= 0, 1 / (1 + e), e / (1 + e)).astype(a.dtype, copy=False)


def check_weights(weight_ih, weight_hh, bias_ih, bias_hh, gates: int, layer: str):
    """The four parameter tensors in PyTorch's layout for ``gates`` stacked gates, as floats.

    Returns ``(weight_ih, weight_hh, bias_ih, bias_hh, H, D)``; a missing bias stays None.
    """
    stack = "H" if gates == 1 else f"{gates}*H"
    wih = as_floats(weight_ih, "weight_ih", 2, f"({stack}, D) for {layer}")
    whh = as_floats(weight_hh, "weight_hh", 2, f"({stack}, H) for {layer}")
    H, D = whh.shape[1], wih.shape[1]
    if H < 1 or whh.shape[0] != gates * H:
        raise ValueError(f"weight_hh must have shape ({stack}, H) for {layer}, so ({gates * H}, "
                         f"{H}) for its {H} columns, got {whh.shape}")
    if wih.shape[0] != gates * H:
        raise ValueError(f"weight_ih must have shape ({stack}, D) = ({gates * H}, D) for {layer} "
                         f"with H = {H} (weight_hh has shape {whh.shape}), got {wih.shape}")
    if D < 1:
        raise ValueError(f"weight_ih must have at least one column (D >= 1), got {wih.shape}")
    biases = []
    for name, b in (("bias_ih", bias_ih), ("bias_hh", bias_hh)):
        if b is not None:
            b = as_floats(b, name)
            if b.shape != (gates * H,):
                raise ValueError(f"{name} must have shape ({gates * H},), one bias per row of "
                                 f"weight_{name[-2:]} ({stack} with H = {H}), or be None; got "
                                 f"{b.shape}")
        biases.append(b)
    return wih, whh, biases[0], biases[1], H, D


def check_sequence(x, D: int, H: int, gates: int, layer: str) -> np.ndarray:
    """``x`` (N, T, D), batch first, as floats; its sizes checked before anything is allocated."""
    x = as_floats(x, "x", 3, "(N, T, D), batch first (one sequence: x[None])")
    N, T, Dx = x.shape
    if Dx != D:
        stack = "H" if gates == 1 else f"{gates}*H"
        raise ValueError(f"x has D = {Dx} features per step but weight_ih expects {D} (weight_ih "
                         f"has shape ({stack}, D) with D = {D})")
    if N < 1 or T < 1:
        raise ValueError(f"x must hold at least one sequence of at least one step, got shape "
                         f"{x.shape}")
    check_iterations(T, f"{layer} over T = {T} steps", "use shorter sequences")
    check_elements(N * T * H * max(gates, 2), f"the states and gates (N, T, {gates}*H) of {layer} "
                   f"for x {x.shape} and H = {H}", "use a smaller batch or shorter sequences")
    return x


def check_step_input(x_t, D: int, H: int, gates: int, source: str = "weight_ih") -> np.ndarray:
    """``x_t`` (N, D), one time step of a batch, as floats (``source``: the weights that fix D)."""
    x_t = as_floats(x_t, "x_t", 2, "(N, D), one step of a batch (x[:, t])")
    if x_t.shape[1] != D:
        raise ValueError(f"x_t has D = {x_t.shape[1]} features but {source} expects {D}")
    check_elements(x_t.shape[0] * gates * H, f"the gates (N, {gates}*H) for x_t {x_t.shape}",
                   "use a smaller batch")
    return x_t


def check_state(h, name: str, N: int, H: int, dtype) -> np.ndarray:
    """A state ``h`` (N, H) as floats; None is the zero state, of dtype ``dtype``."""
    if h is None:
        return np.zeros((N, H), dtype=dtype)
    h = as_floats(h, name, 2, "(N, H)")
    if h.shape != (N, H):
        raise ValueError(f"{name} must have shape (N, H) = ({N}, {H}) (N from x, H from weight_hh), "
                         f"got {h.shape}")
    return h


def check_upstream(d, shape: tuple, name: str, dtype) -> np.ndarray:
    """An upstream gradient of the forward output's ``shape``, in the result dtype."""
    d = as_floats(d, name)
    if d.shape != shape:
        raise ValueError(f"{name} must have the shape of the forward output, {shape}, got {d.shape}")
    return d.astype(np.result_type(d, dtype), copy=False)


def affine(x, w, b):
    """``x W^T + b`` (b may be None)."""
    out = x @ w.T
    return out if b is None else out + b


class StepGradients(NamedTuple):
    """Gradients of one step of an RNN or a GRU, shaped like forward's inputs (a bias that was
    None has the gradient None)."""

    dx_t: np.ndarray
    dh_prev: np.ndarray
    dweight_ih: np.ndarray
    dweight_hh: np.ndarray
    dbias_ih: np.ndarray | None
    dbias_hh: np.ndarray | None


class SequenceGradients(NamedTuple):
    """Gradients of an RNN or a GRU over a whole sequence, shaped like forward's inputs (``dh0``
    even when h0 was None, the zero state)."""

    dx: np.ndarray
    dh0: np.ndarray
    dweight_ih: np.ndarray
    dweight_hh: np.ndarray
    dbias_ih: np.ndarray | None
    dbias_hh: np.ndarray | None


class StepCaches(list):
    """The step caches of a sequence, one per time step, in order (a list with a short repr)."""

    def __repr__(self) -> str:
        return f"[{len(self)} step caches, the first {self[0]!r}, ...]" if self else "[]"


def accumulate(total: list, grads) -> None:
    """Add a step's weight gradients (the last four fields) into ``total`` (None stays None)."""
    for k, g in enumerate(grads[-4:]):
        if g is not None:
            total[k] = g if total[k] is None else total[k] + g
