"""The Jacobians of a recurrent layer and their products: where vanishing and exploding gradients
come from (notebook 11), computed with the NumPy reference layer :mod:`course_utils.rnn`.

One step h_t = f(a_t), a_t = W_in x_t + W_rec h_{t-1} + b has the Jacobian
dh_t/dh_{t-1} = diag(f'(a_t)) W_rec, a matrix. Backpropagation through time multiplies them:
dh_k/dh_j = J_k J_{k-1} ... J_{j+1}. With gamma a bound on f' (:data:`GAMMA`: 1/4 for the
sigmoid, 1 for tanh and ReLU) and lambda_1 the largest singular value of W_rec, each factor has
norm at most gamma lambda_1, so ||dh_k/dh_j|| <= (gamma lambda_1)^(k-j): if gamma lambda_1 < 1 the
product vanishes geometrically (sufficient), and it can only explode if gamma lambda_1 > 1
(necessary, not sufficient) (Pascanu, Mikolov & Bengio 2013).
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .._validate import as_float, as_floats, check_choice, check_elements, strict_int
from ..layers.rnn import (
    NONLINEARITIES,
    rnn_forward,
    rnn_jacobians,
    rnn_step_backward,
    rnn_step_forward,
)

__all__ = ["GAMMA", "orthogonal_matrix", "JacobianNorms", "jacobian_product_norms",
           "bptt_terms"]

GAMMA = {"sigmoid": 0.25, "tanh": 1.0, "relu": 1.0}
"""gamma, the largest value of f' (the bound in Pascanu et al.): sigma'(0) = 1/4, tanh'(0) = 1,
ReLU' = 1 for a > 0."""


def orthogonal_matrix(size: int, scale: float = 1.0, seed: int = 0) -> np.ndarray:
    """``scale`` times a random orthogonal matrix (Haar-distributed, seeded).

    Shapes: -> (size, size) float64.
    Math: Q from the QR decomposition of a Gaussian matrix (signs fixed by R's diagonal); every
    singular value of scale x Q equals ``scale``: lambda_1 = scale, and so is every |eigenvalue|.
    """
    size = strict_int(size, "size", 1)
    if size > 2048:
        raise ValueError(f"size must be at most 2048 here, got {size}")
    scale = as_float(scale, "scale", 0.0)
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise ValueError(f"seed must be an integer, got {seed!r}")
    rng = np.random.default_rng(seed)
    q, r = np.linalg.qr(rng.standard_normal((size, size)))
    return scale * q * np.sign(np.diag(r))


class JacobianNorms(NamedTuple):
    """:func:`jacobian_product_norms`' result; index k-1 holds step k = 1..T."""
    log10_norm: np.ndarray   # (T,) log10 of the mean over the sequences of ||dh_k/dh_0||_2
    #                          (-inf where every product is exactly 0: ReLU units all off)
    log10_bound: np.ndarray  # (T,) k log10(gamma lambda_1), the bound's logarithm
    mean_fprime: float       # f'(a_t) averaged over units, steps and examples
    gamma: float
    lambda1: float


def jacobian_product_norms(nonlinearity: str, lambda1: float, T: int, hidden_size: int = 32,
                           batch: int = 8, input_scale: float = 1.0, seed: int = 0
                           ) -> JacobianNorms:
    """||dh_k/dh_0||_2 for k = 1..T in a random recurrent layer whose W_rec has largest singular
    value ``lambda1``.

    The layer: W_rec = lambda1 x a random orthogonal matrix (:func:`orthogonal_matrix`, so every
    singular value is lambda1), W_in (H, 1) ~ N(0, 1), no biases, h_0 = 0, inputs
    x_t ~ N(0, input_scale^2) (``batch`` sequences of one value per step), all from ``seed``.
    Each step's Jacobian J_t = diag(f'(a_t)) W_rec comes from :func:`course_utils.rnn.rnn_jacobians`;
    the product P_k = J_k P_{k-1} is renormalised at every step and its log kept, so the result
    neither overflows nor underflows (log10 norms from -300 to +300 and beyond are fine).
    Returns log10 of the mean over the sequences of ||P_k||_2 (spectral norm) with the bound
    k log10(gamma lambda1) (:data:`GAMMA`), which no curve can cross.
    """
    nonlinearity = check_choice("nonlinearity", nonlinearity, NONLINEARITIES)
    lambda1 = as_float(lambda1, "lambda1", 0.0, 1e3)
    if not lambda1 > 0:
        raise ValueError(f"lambda1 must be > 0, got {lambda1}")
    T = strict_int(T, "T", 1)
    H = strict_int(hidden_size, "hidden_size", 1)
    batch = strict_int(batch, "batch", 1)
    input_scale = as_float(input_scale, "input_scale", 0.0, 1e3)
    check_elements(batch * T * H * H, f"the Jacobians (batch, T, H, H) = ({batch}, {T}, {H}, {H})",
                   "lower batch, T or hidden_size")
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise ValueError(f"seed must be an integer, got {seed!r}")
    rng = np.random.default_rng(seed)
    w_hh = orthogonal_matrix(H, lambda1, seed)
    w_ih = rng.standard_normal((H, 1))
    x = input_scale * rng.standard_normal((batch, T, 1))
    with np.errstate(over="ignore", invalid="ignore"):
        _, cache = rnn_forward(x, None, w_ih, w_hh, nonlinearity=nonlinearity)
    J = rnn_jacobians(cache)                                     # (batch, T, H, H)
    J = np.nan_to_num(J, nan=0.0, posinf=0.0, neginf=0.0)        # a ReLU layer that overflowed
    gamma = GAMMA[nonlinearity]
    fprime = J[..., 0] / w_hh[:, 0] if np.all(w_hh[:, 0] != 0) else None
    P = np.broadcast_to(np.eye(H), (batch, H, H)).copy()
    logs = np.zeros(batch)
    out = np.empty((batch, T))
    for t in range(T):
        P = J[:, t] @ P
        s = np.linalg.norm(P, 2, axis=(1, 2))
        zero = s == 0
        logs = np.where(zero, -np.inf, logs + np.log10(np.where(zero, 1.0, s)))
        P = P / np.where(zero, 1.0, s)[:, None, None]
        out[:, t] = logs
    top = out.max(axis=0)                                       # log10 of the mean norm,
    safe = np.where(np.isfinite(top), top, 0.0)                 # computed without overflow
    with np.errstate(divide="ignore"):
        mean_log = np.where(np.isfinite(top), safe + np.log10(
            np.mean(10.0 ** (out - safe), axis=0)), -np.inf)
    bound = np.arange(1, T + 1) * np.log10(gamma * lambda1)
    mean_fp = float(np.mean(fprime)) if fprime is not None else float("nan")
    return JacobianNorms(mean_log, bound, mean_fp, gamma, lambda1)


def bptt_terms(x, h0, weight_ih, weight_hh, bias_ih=None, bias_hh=None, dh_last=None,
               nonlinearity: str = "tanh") -> np.ndarray:
    """The gradient of a loss on the last state with respect to W_rec, as the sum over every step
    j of the term that uses W_rec at step j: the full sum the notes' one-path formula leaves out.

    Shapes: x (N, T, D), h0 (N, H) or None, weights as :func:`course_utils.rnn.rnn_forward`,
            dh_last (N, H) = dL/dh_{T-1} (None: ones) -> terms (T, H, H); ``terms.sum(0)`` is
            rnn_backward's dweight_hh for that loss.
    Math:   dL/dW_rec = sum_{j=0}^{T-1} (g_j * f'(a_j))^T h_{j-1},  with
            g_j = dL/dh_j = dL/dh_{T-1} J_{T-1} ... J_{j+1}
            (the product of the T-1-j step Jacobians from the end back to j): term j reaches W_rec
            through a path of T-1-j steps, so when the Jacobians shrink the gradient, the terms
            of the distant steps (small j) vanish and the sum is the recent steps' alone.
    Walks back with :func:`course_utils.rnn.rnn_step_backward` one step at a time.
    """
    nonlinearity = check_choice("nonlinearity", nonlinearity, NONLINEARITIES)
    x = as_floats(x, "x", 3, "(N, T, D)")
    N, T, _ = x.shape
    h = h0
    caches = []
    for t in range(T):
        h, cache = rnn_step_forward(x[:, t], h, weight_ih, weight_hh, bias_ih, bias_hh,
                                    nonlinearity)
        caches.append(cache)
    g = np.ones_like(h) if dh_last is None else as_floats(dh_last, "dh_last")
    if g.shape != h.shape:
        raise ValueError(f"dh_last must have the shape of a hidden state {h.shape}, got {g.shape}")
    terms = np.empty((T,) + np.shape(weight_hh), dtype=np.result_type(h, g))
    for j in reversed(range(T)):
        step = rnn_step_backward(g, caches[j])
        terms[j] = step.dweight_hh
        g = step.dh_prev
    return terms
