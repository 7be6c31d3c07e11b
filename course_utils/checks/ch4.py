"""Checkers of chapter 4's exercises, notebook 10 (recurrent networks): one step of the notes'
recurrence, the parameters of ``nn.RNN``, and the embedding lookup as a one-hot product. The
oracles are PyTorch's own layers (``nn.RNNCell``, ``nn.RNN``, ``nn.Embedding``)."""
from __future__ import annotations

import numpy as np

from .core import (
    WrongAnswer,
    answers_equal,
    call_student,
    checker,
    expect_close,
    expect_equal,
    expect_shape,
)

__all__ = ["check_rnn_step", "check_rnn_parameters", "check_embedding_lookup"]


@checker("rnn_step")
def check_rnn_step(student_fn) -> str:
    """``student_fn(x_t, h_prev, W, b)``: the notes' step h_t = tanh(W [x_t, h_{t-1}] + b) on NumPy
    arrays x_t (N, D), h_prev (N, H), W (H, D+H), b (H,) -> h_t (N, H). Oracle: ``nn.RNNCell``
    with W split into weight_ih = W[:, :D] and weight_hh = W[:, D:]."""
    import torch

    rng = np.random.default_rng(10)
    cases = [(1, 1, 1), (2, 3, 4), (5, 2, 3), (3, 4, 2)]   # (N, D, H): D != H catches a swap
    for N, D, H in cases:
        x, h = rng.standard_normal((N, D)), rng.standard_normal((N, H))
        W, b = rng.standard_normal((H, D + H)), rng.standard_normal(H)
        cell = torch.nn.RNNCell(D, H).double()
        with torch.no_grad():
            cell.weight_ih.copy_(torch.from_numpy(W[:, :D]))
            cell.weight_hh.copy_(torch.from_numpy(W[:, D:]))
            cell.bias_ih.copy_(torch.from_numpy(b))
            cell.bias_hh.zero_()
            want = cell(torch.from_numpy(x), torch.from_numpy(h)).numpy()
        where = f"x_t {x.shape}, h_prev {h.shape}, W {W.shape}, b {b.shape}"
        got = call_student(student_fn, where, x.copy(), h.copy(), W.copy(), b.copy())
        expect_shape(got, (N, H), where=where,
                     hint="one row per example, one column per hidden unit: (N, H)")
        z = np.concatenate([x, h], axis=1) @ W.T + b
        if answers_equal(np.round(np.asarray(got, dtype=float), 8), np.round(z, 8)):
            raise WrongAnswer(f"{where}: got W [x_t, h_prev] + b, the pre-activation. Hint: "
                              "apply np.tanh to it")
        expect_close(got, want, rtol=1e-6, atol=1e-8, where=where,
                     hint="join each example's x_t and h_prev end to end "
                          "(np.concatenate([x_t, h_prev], axis=1), x_t first: W's first D columns "
                          "are W_in), multiply by W transposed, add b, apply np.tanh")
    return (f"passes {len(cases)} cases: one step of W = [W_in, W_rec] equals nn.RNNCell with "
            "weight_ih = W_in and weight_hh = W_rec.")


@checker("rnn_parameters")
def check_rnn_parameters(student_fn) -> str:
    """``student_fn(input_size, hidden_size)``: the number of parameters of
    ``nn.RNN(input_size, hidden_size)`` (one layer). Oracle: PyTorch's own count."""
    import torch

    cases = [(10, 20), (1, 1), (50, 128), (300, 64), (3, 7)]
    for D, H in cases:
        want = sum(p.numel() for p in torch.nn.RNN(D, H).parameters())
        where = f"input_size={D}, hidden_size={H}"
        got = call_student(student_fn, where, D, H)
        if answers_equal(got, H * D + H * H + H):
            raise WrongAnswer(f"{where}: got {got}, expected {want}. Hint: nn.RNN has two bias "
                              "vectors, bias_ih and bias_hh (H each), where the notes write one b")
        if answers_equal(got, H * D + H * H):
            raise WrongAnswer(f"{where}: got {got}, expected {want}. Hint: add the biases "
                              "(nn.RNN has two of H values each)")
        if answers_equal(got, H * D + 2 * H):
            raise WrongAnswer(f"{where}: got {got}, expected {want}. Hint: the recurrent weights "
                              "W_hh (H x H) count too")
        expect_equal(got, want, where=where,
                     hint="weight_ih is H x D, weight_hh is H x H, bias_ih and bias_hh are H each")
    return ("passes 5 cases: H·D + H·H + 2H, whatever the sequence length (the same weights at "
            "every step).")


@checker("embedding_lookup")
def check_embedding_lookup(student_fn) -> str:
    """``student_fn(ids, table)``: the embedding of each id written as a one-hot product,
    ``one_hot(ids) @ table``, for ids (L,) int and table (V, E) -> (L, E). Oracle:
    ``nn.Embedding.from_pretrained(table)(ids)``."""
    import torch

    rng = np.random.default_rng(11)
    cases = [(np.array([2, 0, 2, 5]), 6, 3), (np.array([0]), 1, 4), (np.array([3, 1]), 4, 1),
             (np.array([7, 7, 7]), 9, 2)]
    for ids, V, E in cases:
        table = rng.standard_normal((V, E))
        emb = torch.nn.Embedding.from_pretrained(torch.from_numpy(table))
        want = emb(torch.from_numpy(ids)).numpy()
        where = f"ids={ids.tolist()}, table ({V}, {E})"
        got = call_student(student_fn, where, ids.copy(), table.copy())
        if V > 1 and answers_equal(np.shape(got), (len(ids), V)):
            raise WrongAnswer(f"{where}: got shape {np.shape(got)}, the one-hot rows (L, V). "
                              "Hint: multiply them by the table, (L, V) @ (V, E) -> (L, E)")
        expect_shape(got, (len(ids), E), where=where,
                     hint="one row per id, one column per embedding dimension: (L, E)")
        expect_close(got, want, rtol=1e-6, atol=1e-8, where=where,
                     hint="np.eye(V)[ids] is the one-hot matrix (row i: a 1 at column ids[i]); "
                          "multiply it by the table")
    return ("passes 4 cases: multiplying by a one-hot row picks one row of the table, which is "
            "all nn.Embedding does.")
