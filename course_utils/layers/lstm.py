"""The LSTM layer, forward and backward by hand: the NumPy reference of chapter 5 (notebook 12),
equal to ``nn.LSTM(batch_first=True)`` with its own parameter tensors.

PyTorch stacks the four gates in the order (i, f, g, o): rows ``[0:H]`` of ``weight_ih (4H, D)``,
``weight_hh (4H, H)``, ``bias_ih (4H,)`` and ``bias_hh (4H,)`` belong to the input gate i,
``[H:2H]`` to the forget gate f, ``[2H:3H]`` to the candidate g (the notes' C~_t, which has its
own weights W_C, not the input gate's W_i as the notes write), ``[3H:4H]`` to the output gate o.
One step::

    i = sigmoid(a_i)   f = sigmoid(a_f)   g = tanh(a_g)   o = sigmoid(a_o)
    a = x_t W_ih^T + b_ih + h_{t-1} W_hh^T + b_hh        (N, 4H), split as (a_i, a_f, a_g, a_o)
    c_t = f * c_{t-1} + i * g                             the cell state: a product and a sum
    h_t = o * tanh(c_t)

In the notes' concatenated form each gate is ``sigmoid(W_f [x_t, h_{t-1}] + b_f)``; the rows of
``to_concatenated(weight_ih, weight_hh, bias_ih, bias_hh)`` (:mod:`.rnn`) are those W's.

Convention (CONTRIBUTING.md, "NumPy layers"): ``*_forward`` returns ``(out, cache)``, here ``out``
a named tuple (the states and the gates, for inspection); ``*_backward(dout, cache)`` returns the
gradients of forward's array inputs. An LSTM step has two outputs, h_t and c_t, so its backward
takes the cell state's gradient as an extra, optional argument (``dc_t``; None: zero).
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ._cache import Cache, check_cache
from ._recurrent import (
    StepCaches,
    accumulate,
    affine,
    check_sequence,
    check_state,
    check_step_input,
    check_upstream,
    check_weights,
    sigmoid,
)

__all__ = ["lstm_step_forward", "lstm_step_backward", "lstm_forward", "lstm_backward"]


class LSTMGates(NamedTuple):
    """The gates' values, PyTorch's order: input i, forget f, candidate g (the notes' C~),
    output o; each (N, H) for a step, (N, T, H) for a sequence."""

    i: np.ndarray
    f: np.ndarray
    g: np.ndarray
    o: np.ndarray


class LSTMStep(NamedTuple):
    """What one LSTM step computes: h (N, H), c (N, H) and the gates."""

    h: np.ndarray
    c: np.ndarray
    gates: LSTMGates


class LSTMOutput(NamedTuple):
    """What :func:`lstm_forward` computes: every hidden state h (N, T, H) (PyTorch's ``output``),
    every cell state c (N, T, H), the final h_n and c_n (N, H), and the gates (N, T, H) each."""

    h: np.ndarray
    c: np.ndarray
    h_n: np.ndarray
    c_n: np.ndarray
    gates: LSTMGates


class LSTMStepGradients(NamedTuple):
    """Gradients of one LSTM step, shaped like forward's inputs (None for a bias that was None)."""

    dx_t: np.ndarray
    dh_prev: np.ndarray
    dc_prev: np.ndarray
    dweight_ih: np.ndarray
    dweight_hh: np.ndarray
    dbias_ih: np.ndarray | None
    dbias_hh: np.ndarray | None


class LSTMGradients(NamedTuple):
    """Gradients of an LSTM over a sequence, shaped like forward's inputs (``dh0``, ``dc0`` even
    when h0, c0 were None; None for a bias that was None)."""

    dx: np.ndarray
    dh0: np.ndarray
    dc0: np.ndarray
    dweight_ih: np.ndarray
    dweight_hh: np.ndarray
    dbias_ih: np.ndarray | None
    dbias_hh: np.ndarray | None


def _step(x_t, h_prev, c_prev, wih, whh, bih, bhh):
    """One step on checked arrays: (LSTMStep, cache)."""
    a = affine(x_t, wih, bih) + affine(h_prev, whh, bhh)          # (N, 4H)
    a_i, a_f, a_g, a_o = np.split(a, 4, axis=1)
    gates = LSTMGates(sigmoid(a_i), sigmoid(a_f), np.tanh(a_g), sigmoid(a_o))
    c = gates.f * c_prev + gates.i * gates.g
    tanh_c = np.tanh(c)
    h = gates.o * tanh_c
    return LSTMStep(h, c, gates), Cache(
        "lstm_step", x_t=x_t, h_prev=h_prev, c_prev=c_prev, weight_ih=wih, weight_hh=whh,
        gates=gates, tanh_c=tanh_c, shape=h.shape, dtype=h.dtype,
        biases=(bih is not None, bhh is not None))


def lstm_step_forward(x_t, h_prev, c_prev, weight_ih, weight_hh, bias_ih=None, bias_hh=None):
    """One LSTM step, and the cache for :func:`lstm_step_backward`.

    Shapes: x_t (N, D), h_prev (N, H), c_prev (N, H) (None: zeros), weight_ih (4H, D),
            weight_hh (4H, H), bias_ih (4H,), bias_hh (4H,) (or None)
            -> LSTMStep(h (N, H), c (N, H), gates LSTMGates(i, f, g, o), each (N, H))
    Math:   (a_i, a_f, a_g, a_o) = x_t W_ih^T + b_ih + h_{t-1} W_hh^T + b_hh;
            i, f, o = sigmoid(a_i, a_f, a_o);  g = tanh(a_g);
            c_t = f * c_{t-1} + i * g;  h_t = o * tanh(c_t)
    """
    wih, whh, bih, bhh, H, D = check_weights(weight_ih, weight_hh, bias_ih, bias_hh, 4, "an LSTM")
    x_t = check_step_input(x_t, D, H, 4)
    dtype = np.result_type(x_t, wih, whh)
    h_prev = check_state(h_prev, "h_prev", x_t.shape[0], H, dtype)
    c_prev = check_state(c_prev, "c_prev", x_t.shape[0], H, dtype)
    return _step(x_t, h_prev, c_prev, wih, whh, bih, bhh)


def _step_backward(dh, dc, c) -> LSTMStepGradients:
    """Backward of one step on checked arrays."""
    i, f, g, o = c.gates
    dc = dc + dh * o * (1 - c.tanh_c ** 2)         # h_t = o tanh(c_t) also depends on c_t
    da = np.concatenate([dc * g * i * (1 - i),      # a_i
                         dc * c.c_prev * f * (1 - f),   # a_f
                         dc * i * (1 - g * g),      # a_g
                         dh * c.tanh_c * o * (1 - o)], axis=1)   # a_o        (N, 4H)
    db = da.sum(axis=0)
    return LSTMStepGradients(da @ c.weight_ih, da @ c.weight_hh, dc * f, da.T @ c.x_t,
                             da.T @ c.h_prev, db if c.biases[0] else None,
                             db if c.biases[1] else None)


def lstm_step_backward(dh_t, cache, dc_t=None) -> LSTMStepGradients:
    """Gradients of one LSTM step, from the gradients of its outputs h_t and (optionally) c_t.

    Shapes: dh_t (N, H), dc_t (N, H) or None (zero) -> LSTMStepGradients(dx_t (N, D),
            dh_prev (N, H), dc_prev (N, H), dweight_ih (4H, D), dweight_hh (4H, H),
            dbias_ih (4H,), dbias_hh (4H,)) (a bias that was None: None)
    Math:   dc = dc_t + dh_t * o * (1 - tanh^2 c_t);  dc_prev = dc * f   (no matrix, no squashing:
            why the cell state keeps gradients alive);  da_i = dc g i(1-i);
            da_f = dc c_{t-1} f(1-f);  da_g = dc i (1-g^2);  da_o = dh_t tanh(c_t) o(1-o);
            dx_t = da W_ih;  dh_prev = da W_hh;  dW_ih = da^T x_t;  dW_hh = da^T h_{t-1};
            db_ih = db_hh = sum_n da[n]
    """
    c = check_cache(cache, "lstm_step")
    dh_t = check_upstream(dh_t, c.shape, "dh_t", c.dtype)
    dc_t = np.zeros_like(dh_t) if dc_t is None else check_upstream(dc_t, c.shape, "dc_t", c.dtype)
    return _step_backward(dh_t, dc_t, c)


def lstm_forward(x, h0, c0, weight_ih, weight_hh, bias_ih=None, bias_hh=None):
    """An LSTM layer over whole sequences (``nn.LSTM(batch_first=True)``, one layer), and the
    cache for :func:`lstm_backward` (one step cache per time step).

    Shapes: x (N, T, D) batch first, h0 (N, H) and c0 (N, H) (None: zeros), weight_ih (4H, D),
            weight_hh (4H, H), bias_ih (4H,), bias_hh (4H,) (or None)
            -> LSTMOutput(h (N, T, H), c (N, T, H), h_n (N, H), c_n (N, H),
                          gates LSTMGates(i, f, g, o), each (N, T, H))
            (``nn.LSTM`` returns ``h, (h_n[None], c_n[None])``)
    Math:   the step of :func:`lstm_step_forward` at t = 0 .. T-1, from (h0, c0), with the same
            weights at every step
    """
    wih, whh, bih, bhh, H, D = check_weights(weight_ih, weight_hh, bias_ih, bias_hh, 4, "an LSTM")
    x = check_sequence(x, D, H, 4, "lstm_forward")
    N, T, _ = x.shape
    dtype = np.result_type(x, wih, whh, *(b for b in (bih, bhh) if b is not None))
    h = check_state(h0, "h0", N, H, dtype)
    cell = check_state(c0, "c0", N, H, dtype)
    dtype = np.result_type(dtype, h, cell)
    hs, cs = np.empty((N, T, H), dtype=dtype), np.empty((N, T, H), dtype=dtype)
    gates = LSTMGates(*(np.empty((N, T, H), dtype=dtype) for _ in range(4)))
    steps = StepCaches()
    for t in range(T):
        out, step_cache = _step(x[:, t], h, cell, wih, whh, bih, bhh)
        h, cell = out.h, out.c
        hs[:, t], cs[:, t] = h, cell
        for stored, value in zip(gates, out.gates):
            stored[:, t] = value
        steps.append(step_cache)
    return (LSTMOutput(hs, cs, h, cell, gates),
            Cache("lstm", steps=steps, shape=hs.shape, x_shape=x.shape))


def lstm_backward(dh_all, cache, dc_all=None) -> LSTMGradients:
    """Backpropagation through time for the LSTM, by hand.

    ``dh_all[:, t]`` (and ``dc_all[:, t]``, None: zero) is the gradient of the loss with respect
    to h_t (and c_t) from outside the layer; for a loss on the last state alone it is zero except
    at ``t = T-1``.

    Shapes: dh_all (N, T, H), dc_all (N, T, H) or None -> LSTMGradients(dx (N, T, D), dh0 (N, H),
            dc0 (N, H), dweight_ih (4H, D), dweight_hh (4H, H), dbias_ih (4H,), dbias_hh (4H,))
    Math:   walking t = T-1 .. 0, step t receives dh_all[:, t] + (dh_prev of step t+1) and
            dc_all[:, t] + (dc_prev of step t+1 = dc_{t+1} * f_{t+1}); the weight gradients of
            the steps add up
    """
    c = check_cache(cache, "lstm")
    dtype = c.steps[0].dtype
    dh_all = check_upstream(dh_all, c.shape, "dh_all", dtype)
    dc_all = (np.zeros_like(dh_all) if dc_all is None
              else check_upstream(dc_all, c.shape, "dc_all", dtype))
    N, T, D = c.x_shape
    dx = np.empty((N, T, D), dtype=np.result_type(dh_all, dc_all, c.steps[0].x_t))
    dh_next = np.zeros_like(dh_all[:, 0])
    dc_next = np.zeros_like(dc_all[:, 0])
    totals: list = [None] * 4
    for t in reversed(range(T)):
        g = _step_backward(dh_all[:, t] + dh_next, dc_all[:, t] + dc_next, c.steps[t])
        dx[:, t] = g.dx_t
        dh_next, dc_next = g.dh_prev, g.dc_prev
        accumulate(totals, g)
    return LSTMGradients(dx, dh_next, dc_next, *totals)
