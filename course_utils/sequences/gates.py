"""Looking inside a trained LSTM (notebook 12): generated bracket text, the gates of every step
through the NumPy reference layer, and the unit that counts, found by measurement.

The task: text over the alphabet ``"()ab"`` in which brackets open and close (never below depth 0,
at most ``max_depth`` open) with letters in between; at every character a small LSTM answers "is a
bracket open here?" (depth > 0). The answer needs the depth itself (after three "(" it takes three
")" to get back to 0), so a trained network keeps a count somewhere; :func:`unit_correlations`
finds where, as the unit whose cell state correlates best with the depth, for any seed.
"""
from __future__ import annotations

import numpy as np

from .._validate import as_float, as_int, as_numbers, check_elements

__all__ = ["BRACKET_ALPHABET", "bracket_sequences", "bracket_text", "unit_correlations",
           "lstm_states"]

BRACKET_ALPHABET = "()ab"
"""The characters of :func:`bracket_sequences`, token i is ``BRACKET_ALPHABET[i]``."""


def bracket_sequences(n: int, T: int, seed: int = 0, max_depth: int = 6, p_open: float = 0.3,
                      p_close: float = 0.25):
    """``n`` random bracket texts of length ``T`` and the depth after each character.

    At each step: "(" with probability ``p_open`` (if fewer than ``max_depth`` are open), else ")"
    with probability ``p_close`` (if one is open), else "a" or "b" with equal chances.

    Shapes: -> tokens (n, T) int64 (indices into :data:`BRACKET_ALPHABET`), depth (n, T) int64
            (brackets open after reading the character: 0 .. max_depth)

    >>> tokens, depth = bracket_sequences(2, 8, seed=3)
    >>> bool((depth >= 0).all() and (np.diff(depth, axis=1) <= 1).all())
    True
    """
    n = as_int(n, "n", 1)
    T = as_int(T, "T", 1)
    seed = as_int(seed, "seed", 0)
    max_depth = as_int(max_depth, "max_depth", 1, 1000)
    p_open = as_float(p_open, "p_open", 0.0, 1.0)
    p_close = as_float(p_close, "p_close", 0.0, 1.0)
    if p_open + p_close > 1:
        raise ValueError(f"p_open + p_close must be at most 1, got {p_open} + {p_close}")
    check_elements(n * T, f"bracket_sequences(n={n}, T={T})", "ask for fewer or shorter texts")
    rng = np.random.default_rng(seed)
    tokens = np.empty((n, T), dtype=np.int64)
    depth = np.empty((n, T), dtype=np.int64)
    d = np.zeros(n, dtype=np.int64)
    for t in range(T):
        u = rng.random(n)
        letter = 2 + rng.integers(0, 2, n)
        opens = (u < p_open) & (d < max_depth)
        closes = ~opens & (u < p_open + p_close) & (d > 0)
        tokens[:, t] = np.where(opens, 0, np.where(closes, 1, letter))
        d = d + opens - closes
        depth[:, t] = d
    return tokens, depth


def bracket_text(tokens) -> str:
    """The characters of one token sequence (T,) as a string: ``[0, 2, 1] -> "(a)"``."""
    t = as_numbers(tokens, "tokens")
    if t.ndim != 1 or t.dtype.kind not in "iu":
        raise ValueError(f"tokens must be one sequence (T,) of integers, got {t.dtype} of shape "
                         f"{t.shape}")
    if t.size and (t.min() < 0 or t.max() >= len(BRACKET_ALPHABET)):
        raise ValueError(f"tokens must lie in 0 .. {len(BRACKET_ALPHABET) - 1} "
                         f"({BRACKET_ALPHABET!r}), got {t.min()} .. {t.max()}")
    return "".join(BRACKET_ALPHABET[i] for i in t)


def unit_correlations(states, target) -> np.ndarray:
    """Pearson correlation of each unit's state with a target, over every sequence and step.

    Shapes: states (N, T, H), target (N, T) -> (H,) in [-1, 1] (0 for a unit that never changes)
    Math:   r_u = cov(s_u, y) / (std(s_u) std(y)) over the N T pairs (s[n, t, u], y[n, t])
    """
    s = as_numbers(states, "states").astype(np.float64)
    y = as_numbers(target, "target").astype(np.float64)
    if s.ndim != 3:
        raise ValueError(f"states must be (N, T, H), got shape {s.shape}")
    if y.shape != s.shape[:2]:
        raise ValueError(f"target must be (N, T) = {s.shape[:2]}, like states' first two axes, "
                         f"got shape {y.shape}")
    if not (np.isfinite(s).all() and np.isfinite(y).all()):
        raise ValueError("states and target must be finite (no NaN or inf)")
    s = s.reshape(-1, s.shape[2]) - s.reshape(-1, s.shape[2]).mean(axis=0)
    y = y.reshape(-1) - y.mean()
    norms = np.sqrt((s * s).sum(axis=0) * (y * y).sum())
    cov = s.T @ y
    return np.divide(cov, norms, out=np.zeros_like(cov), where=norms > 0)


def lstm_states(lstm, x):
    """Every state and gate of a one-layer ``nn.LSTM(batch_first=True)`` on inputs ``x``,
    computed by the NumPy reference :func:`course_utils.rnn.lstm_forward` (float64) from the
    module's own parameter tensors.

    Shapes: x (N, T, D) (a tensor or array) -> LSTMOutput(h, c (N, T, H), h_n, c_n (N, H),
            gates (i, f, g, o), each (N, T, H))
    """
    import torch

    from ..layers.lstm import lstm_forward

    if not isinstance(lstm, torch.nn.LSTM):
        raise ValueError(f"lstm must be a torch.nn.LSTM, got {type(lstm).__name__}")
    if lstm.num_layers != 1 or lstm.bidirectional or not lstm.batch_first or lstm.proj_size:
        raise ValueError("lstm must be one layer, one direction, batch_first=True, no projection")
    x = as_numbers(x, "x").astype(np.float64)
    if x.ndim != 3 or x.shape[2] != lstm.input_size:
        raise ValueError(f"x must be (N, T, {lstm.input_size}) for this LSTM, got shape {x.shape}")
    params = [None if p is None else p.detach().cpu().double().numpy() for p in (
        lstm.weight_ih_l0, lstm.weight_hh_l0, getattr(lstm, "bias_ih_l0", None),
        getattr(lstm, "bias_hh_l0", None))]
    return lstm_forward(x, None, None, *params)[0]
