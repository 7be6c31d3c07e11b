"""A recurrent regressor (plain RNN, LSTM or GRU -> the last hidden state -> one number), and the
gradient of the loss with respect to every step's state."""
from __future__ import annotations

import numpy as np
import torch
from torch import nn

from .._validate import check_choice, strict_int

__all__ = ["CELLS", "SequenceRegressor", "state_gradient_norms"]

CELLS = ("rnn", "lstm", "gru")
"""The recurrent cells of :class:`SequenceRegressor`."""

_MODULES = {"rnn": nn.RNN, "lstm": nn.LSTM, "gru": nn.GRU}


class SequenceRegressor(nn.Module):
    """Read a sequence with one recurrent layer and predict one number from its last state.

    Shapes: x (N, T, input_size) -> (N,).
    Math:   h_t = cell(x_t, h_{t-1}) (and C_t for the LSTM), h_0 = 0;  y_hat = w . h_T + b.
    ``cell`` is ``"rnn"`` (h_t = f(W_ih x_t + b_ih + W_hh h_{t-1} + b_hh), f = ``nonlinearity``,
    tanh or relu), ``"lstm"`` or ``"gru"`` (PyTorch's equations; their nonlinearity is fixed:
    pass ``"tanh"``). The weights live in ``self.rnn``, an ``nn.RNN``/``nn.LSTM``/``nn.GRU``
    (``batch_first=True``), and ``self.head``, an ``nn.Linear(hidden_size, 1)``, initialised as
    PyTorch does (seed the global generator first).

    ``forward(x)`` runs ``self.rnn`` (PyTorch's fast loop). ``forward(x, keep_states=True)`` unrolls
    the same equations one step at a time with the same weights (written out below, so the
    result is the same up to rounding) and keeps every step's hidden state h_t, (N, H) each, in
    the list ``self.states_h`` (and the LSTM's cell states C_t in ``self.states_c``; None for the
    other cells), with ``retain_grad()``: after ``loss.backward()``, ``self.states_h[t].grad`` is
    dL/dh_t. About 2.5x slower for the LSTM, as fast for the RNN.
    """

    def __init__(self, cell: str = "rnn", input_size: int = 2, hidden_size: int = 64,
                 nonlinearity: str = "tanh"):
        super().__init__()
        self.cell = check_choice("cell", cell, CELLS)
        input_size = strict_int(input_size, "input_size", 1)
        hidden_size = strict_int(hidden_size, "hidden_size", 1)
        if hidden_size > 4096 or input_size > 4096:
            raise ValueError(f"hidden_size and input_size must be at most 4096 here, got "
                             f"{hidden_size} and {input_size}")
        if cell == "rnn":
            self.nonlinearity = check_choice("nonlinearity", nonlinearity, ("tanh", "relu"))
            self.rnn = nn.RNN(input_size, hidden_size, nonlinearity=nonlinearity,
                              batch_first=True)
        else:
            if nonlinearity != "tanh":
                raise ValueError(f"nonlinearity must be 'tanh' for cell={cell!r} (an LSTM's and "
                                 f"a GRU's activations are fixed), got {nonlinearity!r}")
            self.nonlinearity = "tanh"
            self.rnn = _MODULES[cell](input_size, hidden_size, batch_first=True)
        self.head = nn.Linear(hidden_size, 1)
        self.input_size, self.hidden_size = input_size, hidden_size
        self.states_h: list[torch.Tensor] | None = None
        self.states_c: list[torch.Tensor] | None = None

    def _check(self, x: torch.Tensor) -> None:
        if not isinstance(x, torch.Tensor):
            raise ValueError(f"x must be a torch tensor (N, T, {self.input_size}), got "
                             f"{type(x).__name__}")
        if x.ndim != 3 or x.shape[2] != self.input_size or x.shape[1] < 1:
            raise ValueError(f"x must have shape (N, T, {self.input_size}) with T >= 1, got "
                             f"{tuple(x.shape)}")

    def forward(self, x: torch.Tensor, keep_states: bool = False) -> torch.Tensor:
        self._check(x)
        if not isinstance(keep_states, bool):
            raise ValueError(f"keep_states must be True or False, got {keep_states!r}")
        if not keep_states:
            out, _ = self.rnn(x)
            return self.head(out[:, -1]).squeeze(-1)
        h = self._unroll(x)
        return self.head(h).squeeze(-1)

    def _unroll(self, x: torch.Tensor) -> torch.Tensor:
        """The recurrence one step at a time, keeping (and retaining the gradients of) the states."""
        r = self.rnn
        w_ih, w_hh, b_ih, b_hh = r.weight_ih_l0, r.weight_hh_l0, r.bias_ih_l0, r.bias_hh_l0
        N, T, _ = x.shape
        h = x.new_zeros(N, self.hidden_size)
        c = x.new_zeros(N, self.hidden_size) if self.cell == "lstm" else None
        keep = torch.is_grad_enabled()
        states_h, states_c = [], []
        act = torch.tanh if self.nonlinearity == "tanh" else torch.relu
        for t in range(T):
            gi = nn.functional.linear(x[:, t], w_ih, b_ih)
            gh = nn.functional.linear(h, w_hh, b_hh)
            if self.cell == "rnn":
                h = act(gi + gh)
            elif self.cell == "lstm":  # gates in PyTorch's order: input, forget, cell, output
                i, f, g, o = (gi + gh).chunk(4, dim=1)
                c = torch.sigmoid(f) * c + torch.sigmoid(i) * torch.tanh(g)
                h = torch.sigmoid(o) * torch.tanh(c)
            else:  # GRU, PyTorch's form: reset r, update z, candidate n
                ir, iz, in_ = gi.chunk(3, dim=1)
                hr, hz, hn = gh.chunk(3, dim=1)
                rg, z = torch.sigmoid(ir + hr), torch.sigmoid(iz + hz)
                n = torch.tanh(in_ + rg * hn)
                h = (1 - z) * n + z * h
            if keep and h.requires_grad:
                h.retain_grad()
                if c is not None:
                    c.retain_grad()
            states_h.append(h)
            if c is not None:
                states_c.append(c)
        self.states_h = states_h
        self.states_c = states_c if self.cell == "lstm" else None
        return h


def state_gradient_norms(model: SequenceRegressor, x: torch.Tensor, y: torch.Tensor) -> dict:
    """How strongly the loss reaches back to each step's state: mean_n ||dl_n/dh_t||.

    Shapes: x (N, T, D), y (N,) -> ``{"h": array (T,), "c": array (T,) or None}`` (``c`` for an
    LSTM's cell states).
    Math: l_n = (y_hat_n - y_n)^2, the squared error of example n; entry t of ``h`` is
    (1/N) sum_n ||dl_n/dh_t^(n)||_2, the norm of the gradient of example n's loss with respect
    to its own hidden state at step t, averaged over the batch (independent of the batch size).
    By the chain rule dl/dh_t = dl/dh_T . dh_T/dh_{T-1} ... dh_{t+1}/dh_t, so a curve falling
    geometrically as t moves away from T is the vanishing gradient itself.
    Runs ``model(x, keep_states=True)`` and backpropagates into the states only (the
    parameters' ``.grad`` are left as they were); the model's train/eval mode is kept.
    """
    if not isinstance(model, SequenceRegressor):
        raise ValueError(f"model must be a SequenceRegressor, got {type(model).__name__}")
    if not isinstance(y, torch.Tensor):
        raise ValueError(f"y must be a torch tensor (N,), got {type(y).__name__}")
    model._check(x)
    if y.shape != (x.shape[0],):
        raise ValueError(f"y must have shape (N,) = ({x.shape[0]},), got {tuple(y.shape)}")
    p = next(model.parameters())
    x, y = x.to(p.device, p.dtype), y.to(p.device, p.dtype)
    with torch.enable_grad():
        pred = model(x, keep_states=True)
        loss = ((pred - y) ** 2).sum()
        states = model.states_h + (model.states_c or [])
        loss.backward(inputs=states)
    out = {}
    for key, states in (("h", model.states_h), ("c", model.states_c)):
        out[key] = None if states is None else np.array(
            [float(s.grad.norm(dim=1).mean()) for s in states])
    return out
