"""Checkers of chapter 5's exercises: notebook 12 (LSTM and GRU)."""
from __future__ import annotations

import numpy as np

from .core import WrongAnswer, answers_equal, call_student, checker, expect_close, plain

__all__ = ["GATE_CHOICES", "GATE_BEHAVIOURS", "check_cell_update", "check_gate_roles"]

GATE_CHOICES = ("forget", "input", "candidate", "output", "update", "reset")
"""The answers :func:`check_gate_roles` accepts: the LSTM's gates f, i, o and candidate C~
(PyTorch's g), the GRU's update z and reset r."""

GATE_BEHAVIOURS = (
    "carry the count unchanged across 100 letters",
    "let a letter go by without adding anything to the count",
    "make '(' add to the count and ')' take away from it",
    "keep the count out of h_t until the next layer needs it",
    "wipe the count at the end of a sentence",
    "GRU (PyTorch's convention): copy h_{t-1} straight into h_t",
)
"""The behaviours of the gate exercise, in order; the student maps each to one of
:data:`GATE_CHOICES`."""

_ROLES = {  # behaviour -> (gate, why)
    GATE_BEHAVIOURS[0]: ("forget", "C_t = f * C_{t-1} + ...: f close to 1 keeps C_{t-1}, step "
                                   "after step"),
    GATE_BEHAVIOURS[1]: ("input", "i close to 0 switches off the new term i * C~, whatever the "
                                  "candidate"),
    GATE_BEHAVIOURS[2]: ("candidate", "the candidate C~ = tanh(W_C [x, h] + b_C) is the only "
                                      "signed term: its sign says add or take away"),
    GATE_BEHAVIOURS[3]: ("output", "h_t = o * tanh(C_t): o close to 0 hides C_t from h_t while "
                                   "C_t keeps it"),
    GATE_BEHAVIOURS[4]: ("forget", "f close to 0 multiplies C_{t-1} away"),
    GATE_BEHAVIOURS[5]: ("update", "PyTorch: h_t = (1 - z) * n + z * h_{t-1}, so z close to 1 "
                                   "copies h_{t-1} (in the notes' convention z close to 0 does)"),
}


def _sigmoid(a):
    return 1 / (1 + np.exp(-a))


@checker("cell_update")
def check_cell_update(student_fn) -> str:
    """``student_fn(xh, c_prev, W_f, b_f, W_i, b_i, W_C, b_C) -> C_t``: the forget gate, the input
    gate, the candidate and the cell update of an LSTM, in the notes' concatenated form.

    Shapes: xh (N, D + H) = [x_t, h_{t-1}], c_prev (N, H), W_* (H, D + H), b_* (H,) -> C_t (N, H).
    Oracle: ``torch.nn.LSTMCell`` given the same numbers (its c output).
    """
    import torch

    for N, D, H, seed in ((3, 2, 4, 0), (1, 5, 3, 1), (5, 3, 6, 2)):
        rng = np.random.default_rng(seed)
        x, h = rng.standard_normal((N, D)), rng.standard_normal((N, H))
        c_prev = 2 * rng.standard_normal((N, H))
        W = {k: 0.8 * rng.standard_normal((H, D + H)) for k in "ifCo"}
        b = {k: rng.standard_normal(H) for k in "ifCo"}
        cell = torch.nn.LSTMCell(D, H).double()
        stacked = np.concatenate([W[k] for k in "ifCo"])      # PyTorch's order (i, f, g, o)
        with torch.no_grad():
            cell.weight_ih.copy_(torch.from_numpy(stacked[:, :D]))
            cell.weight_hh.copy_(torch.from_numpy(stacked[:, D:]))
            cell.bias_ih.copy_(torch.from_numpy(np.concatenate([b[k] for k in "ifCo"])))
            cell.bias_hh.zero_()
            _, want = cell(torch.from_numpy(x), (torch.from_numpy(h), torch.from_numpy(c_prev)))
        xh = np.concatenate([x, h], axis=1)
        where = f"N={N}, D={D}, H={H}"
        got = call_student(student_fn, where, xh.copy(), c_prev.copy(), W["f"].copy(),
                           b["f"].copy(), W["i"].copy(), b["i"].copy(), W["C"].copy(),
                           b["C"].copy())
        f, i = _sigmoid(xh @ W["f"].T + b["f"]), _sigmoid(xh @ W["i"].T + b["i"])
        with_w_i = f * c_prev + i * np.tanh(xh @ W["i"].T + b["C"])
        got_plain = plain(got)
        if (isinstance(got_plain, np.ndarray) and got_plain.shape == with_w_i.shape
                and got_plain.dtype.kind == "f" and np.allclose(got_plain, with_w_i)):
            raise WrongAnswer(f"{where}: your candidate uses W_i, the input gate's weights, as the "
                              "notes write. Hint: that is the erratum; the candidate has its own "
                              "weights, C~ = tanh(W_C [x_t, h_{t-1}] + b_C)")
        expect_close(got, want.numpy(), where=where, rtol=1e-6, atol=1e-8,
                     hint="C_t = f * C_{t-1} + i * C~ (element-wise), with f = sigmoid(xh W_f^T "
                          "+ b_f), i = sigmoid(xh W_i^T + b_i), C~ = tanh(xh W_C^T + b_C); xh is "
                          "(N, D + H), so multiply by the transposed weights")
    return "C_t = f * C_{t-1} + i * C~ equals nn.LSTMCell's cell state in 3 cases."


@checker("gate_roles")
def check_gate_roles(student_fn) -> str:
    """``student_fn() -> {behaviour: gate}`` for every behaviour of :data:`GATE_BEHAVIOURS`, each
    gate one of :data:`GATE_CHOICES`. Oracle: the cell equations (each behaviour has one gate
    that does it)."""
    got = call_student(student_fn, "gate_roles()")
    if not isinstance(got, dict):
        raise WrongAnswer(f"gate_roles() returned a {type(got).__name__}, expected a dict "
                          "{behaviour: gate}. Hint: keep the dict of the exercise and fill in "
                          "each value")
    missing = [k for k in GATE_BEHAVIOURS if k not in got]
    if missing:
        raise WrongAnswer(f"the answer lacks the behaviour {missing[0]!r}. Hint: keep the keys "
                          "of the exercise's dict as they are")
    for behaviour in GATE_BEHAVIOURS:
        answer = got[behaviour]
        if answer is Ellipsis:
            raise WrongAnswer(f"{behaviour!r} has no answer yet (...). Hint: choose one of "
                              f"{', '.join(GATE_CHOICES)}")
        if not isinstance(answer, str) or answer.strip().lower() not in GATE_CHOICES:
            raise WrongAnswer(f"{behaviour!r}: got {answer!r}. Hint: answer with one of "
                              f"{', '.join(map(repr, GATE_CHOICES))}")
        gate = _ROLES[behaviour][0]
        if not answers_equal(answer.strip().lower(), gate):
            raise WrongAnswer(f"{behaviour!r}: got {answer!r}, which is not the gate that does "
                              "this. Hint: write out C_t = f * C_{t-1} + i * C~ and "
                              "h_t = o * tanh(C_t) (GRU: h_t = (1 - z) * n + z * h_{t-1}) and "
                              "ask which factor must be near 0, near 1, or carry a sign")
    return (f"all {len(GATE_BEHAVIOURS)} behaviours matched to their gates; the inspector below "
            "shows the counting unit doing the first three.")
