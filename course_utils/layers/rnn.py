"""The plain recurrent layer (Elman RNN), forward and backpropagation through time by hand:
the NumPy reference of chapter 4 (notebooks 10 and 11).

One step, in PyTorch's layout (``nn.RNN``'s ``weight_ih_l0``, ``weight_hh_l0``, ``bias_ih_l0``,
``bias_hh_l0`` copy in unchanged)::

    h_t = f(x_t W_ih^T + b_ih + h_{t-1} W_hh^T + b_hh)        f = tanh, relu (or sigmoid)

and the same step in the notes' concatenated form, ``h_t = tanh(W [x_t, h_{t-1}] + b)`` with
``W = [W_in, W_rec]`` (:func:`to_concatenated`, :func:`from_concatenated`,
:func:`rnn_step_concat`): the two are one layer written two ways.

The course's layer convention (CONTRIBUTING.md, "NumPy layers"): ``*_forward`` returns
``(out, cache)``, ``*_backward(dout, cache)`` the gradients of forward's array inputs as a named
tuple. :func:`rnn_forward` keeps one step cache per time step and :func:`rnn_backward` walks them
in reverse, adding up the weight gradients of the steps. dtypes: integers and bools become
float64, floating inputs keep their precision (float32 in, float32 out).
"""
from __future__ import annotations

import numpy as np

from .._validate import as_floats, as_int, check_choice, check_elements
from ._cache import Cache, check_cache
from ._recurrent import (
    SequenceGradients,
    StepCaches,
    StepGradients,
    accumulate,
    affine,
    check_sequence,
    check_state,
    check_step_input,
    check_upstream,
    check_weights,
    sigmoid,
)

__all__ = ["NONLINEARITIES", "rnn_step_forward", "rnn_step_backward", "rnn_forward",
           "rnn_backward", "rnn_jacobians", "to_concatenated", "from_concatenated",
           "rnn_step_concat"]

NONLINEARITIES = ("tanh", "relu", "sigmoid")
"""The activations f of :func:`rnn_forward`: ``nn.RNN`` has tanh and relu; sigmoid is the notes'
other example (its derivative is at most 1/4, tanh's at most 1)."""

_F = {"tanh": np.tanh, "relu": lambda a: np.maximum(a, 0), "sigmoid": sigmoid}


def _derivative(h: np.ndarray, nonlinearity: str) -> np.ndarray:
    """f'(a_t), written with h_t = f(a_t): 1 - h^2 (tanh), h (1 - h) (sigmoid), [h > 0] (relu)."""
    if nonlinearity == "tanh":
        return 1 - h * h
    if nonlinearity == "sigmoid":
        return h * (1 - h)
    return (h > 0).astype(h.dtype)


def _step(x_t, h_prev, wih, whh, bih, bhh, nonlinearity):
    """One step on checked arrays: (h_t, cache)."""
    h = _F[nonlinearity](affine(x_t, wih, bih) + affine(h_prev, whh, bhh))
    return h, Cache("rnn_step", x_t=x_t, h_prev=h_prev, weight_ih=wih, weight_hh=whh, h=h,
                    nonlinearity=nonlinearity, biases=(bih is not None, bhh is not None))


def rnn_step_forward(x_t, h_prev, weight_ih, weight_hh, bias_ih=None, bias_hh=None,
                     nonlinearity: str = "tanh"):
    """One time step of a recurrent layer, and the cache for :func:`rnn_step_backward`.

    Shapes: x_t (N, D), h_prev (N, H) (None: zeros), weight_ih (H, D), weight_hh (H, H),
            bias_ih (H,), bias_hh (H,) (or None) -> h_t (N, H)
    Math:   h_t = f(a_t),  a_t = x_t W_ih^T + b_ih + h_{t-1} W_hh^T + b_hh
    """
    nonlinearity = check_choice("nonlinearity", nonlinearity, NONLINEARITIES)
    wih, whh, bih, bhh, H, D = check_weights(weight_ih, weight_hh, bias_ih, bias_hh, 1, "an RNN")
    x_t = check_step_input(x_t, D, H, 1)
    h_prev = check_state(h_prev, "h_prev", x_t.shape[0], H, np.result_type(x_t, wih, whh))
    return _step(x_t, h_prev, wih, whh, bih, bhh, nonlinearity)


def _step_backward(dh, c) -> StepGradients:
    """Backward of one step on checked arrays."""
    da = dh * _derivative(c.h, c.nonlinearity)                  # (N, H): dL/da_t
    db = da.sum(axis=0)
    return StepGradients(da @ c.weight_ih, da @ c.weight_hh, da.T @ c.x_t, da.T @ c.h_prev,
                         db if c.biases[0] else None, db if c.biases[1] else None)


def rnn_step_backward(dh_t, cache) -> StepGradients:
    """Gradients of one step, from the gradient of its output h_t.

    Shapes: dh_t (N, H) -> StepGradients(dx_t (N, D), dh_prev (N, H), dweight_ih (H, D),
            dweight_hh (H, H), dbias_ih (H,), dbias_hh (H,)) (a bias that was None: None)
    Math:   da = dh_t * f'(a_t);  dx_t = da W_ih;  dh_prev = da W_hh;
            dW_ih = da^T x_t;  dW_hh = da^T h_{t-1};  db_ih = db_hh = sum_n da[n]
    """
    c = check_cache(cache, "rnn_step")
    dh_t = check_upstream(dh_t, c.h.shape, "dh_t", c.h.dtype)
    return _step_backward(dh_t, c)


def rnn_forward(x, h0, weight_ih, weight_hh, bias_ih=None, bias_hh=None,
                nonlinearity: str = "tanh"):
    """A recurrent layer over whole sequences (``nn.RNN(batch_first=True)``, one layer), and the
    cache for :func:`rnn_backward` (one step cache per time step).

    Shapes: x (N, T, D) batch first, h0 (N, H) or None (zeros), weight_ih (H, D),
            weight_hh (H, H), bias_ih (H,), bias_hh (H,) (or None) -> h (N, T, H), every hidden
            state (``h[:, -1]`` is the last one, PyTorch's ``h_n[0]``)
    Math:   h_t = f(x_t W_ih^T + b_ih + h_{t-1} W_hh^T + b_hh),  t = 0 .. T-1,  h_{-1} = h0;
            the same weights at every step (the unrolled network shares them)
    """
    nonlinearity = check_choice("nonlinearity", nonlinearity, NONLINEARITIES)
    wih, whh, bih, bhh, H, D = check_weights(weight_ih, weight_hh, bias_ih, bias_hh, 1, "an RNN")
    x = check_sequence(x, D, H, 1, "rnn_forward")
    N, T, _ = x.shape
    dtype = np.result_type(x, wih, whh, *(b for b in (bih, bhh) if b is not None))
    h = check_state(h0, "h0", N, H, dtype)
    hs = np.empty((N, T, H), dtype=np.result_type(dtype, h))
    steps = StepCaches()
    for t in range(T):
        h, step_cache = _step(x[:, t], h, wih, whh, bih, bhh, nonlinearity)
        hs[:, t] = h
        steps.append(step_cache)
    return hs, Cache("rnn", steps=steps, shape=hs.shape, x_shape=x.shape, weight_hh=whh,
                     nonlinearity=nonlinearity)


def rnn_backward(dh_all, cache) -> SequenceGradients:
    """Backpropagation through time, by hand: the gradients of x, h0 and every parameter.

    ``dh_all[:, t]`` is the gradient of the loss with respect to h_t from outside the layer (the
    layer above, or a loss on h_t); for a loss on the last state alone it is zero except at
    ``t = T-1``. Walking back, the gradient reaching h_t is that plus what h_{t+1} sends back.

    Shapes: dh_all (N, T, H) -> SequenceGradients(dx (N, T, D), dh0 (N, H), dweight_ih (H, D),
            dweight_hh (H, H), dbias_ih (H,), dbias_hh (H,)) (a bias that was None: None)
    Math:   g_{T-1} = dh_all[:, T-1];  g_{t-1} = dh_all[:, t-1] + (g_t * f'(a_t)) W_hh;
            dW = sum_t (step t's dW), the weights being shared;  dh0 = (g_0 * f'(a_0)) W_hh
    """
    c = check_cache(cache, "rnn")
    dh_all = check_upstream(dh_all, c.shape, "dh_all", c.steps[0].h.dtype)
    N, T, D = c.x_shape
    dx = np.empty((N, T, D), dtype=np.result_type(dh_all, c.steps[0].x_t))
    dh_next = np.zeros_like(dh_all[:, 0])
    totals: list = [None] * 4
    for t in reversed(range(T)):
        g = _step_backward(dh_all[:, t] + dh_next, c.steps[t])
        dx[:, t] = g.dx_t
        dh_next = g.dh_prev
        accumulate(totals, g)
    return SequenceGradients(dx, dh_next, *totals)


def rnn_jacobians(cache) -> np.ndarray:
    """The Jacobians dh_t/dh_{t-1} of every step, from :func:`rnn_forward`'s cache: the factors
    whose product vanishes or explodes (chapter 4).

    Shapes: cache of rnn_forward on x (N, T, D) -> J (N, T, H, H), ``J[n, t] = dh_t/dh_{t-1}``
            for example n (row i: unit i of h_t; column j: unit j of h_{t-1})
    Math:   dh_t/dh_{t-1} = diag(f'(a_t)) W_hh, i.e. J[n, t, i, j] = f'(a_t[n, i]) W_hh[i, j]
            (a matrix: "f' * W_rec > 1" is not a condition on it); dh_k/dh_j is the product
            J[:, k] @ J[:, k-1] @ ... @ J[:, j+1]
    """
    c = check_cache(cache, "rnn")
    N, T, H = c.shape
    check_elements(N * T * H * H, f"the Jacobians (N, T, H, H) = ({N}, {T}, {H}, {H})",
                   "pass a smaller batch or shorter sequences to rnn_forward")
    fprime = np.stack([_derivative(s.h, c.nonlinearity) for s in c.steps], axis=1)  # (N, T, H)
    return fprime[..., None] * c.weight_hh


def to_concatenated(weight_ih, weight_hh, bias_ih=None, bias_hh=None):
    """PyTorch's four tensors as the notes' ``W = [W_in, W_rec]`` and one bias ``b``.

    Works for any number G of stacked gates (LSTM: rows i, f, g, o of W are the notes' W_i, W_f,
    W_C, W_o, each (H, D+H)).

    Shapes: weight_ih (G, D), weight_hh (G, H), bias_ih (G,), bias_hh (G,) (or None)
            -> W (G, D+H), b (G,)
    Math:   W = [W_ih | W_hh] (columns side by side),  b = b_ih + b_hh (a None bias counts as 0),
            so W [x_t, h_{t-1}] + b = W_ih x_t + b_ih + W_hh h_{t-1} + b_hh
    """
    wih = as_floats(weight_ih, "weight_ih", 2, "(G, D)")
    whh = as_floats(weight_hh, "weight_hh", 2, "(G, H)")
    if whh.shape[0] != wih.shape[0]:
        raise ValueError(f"weight_hh must have as many rows as weight_ih ({wih.shape[0]}), got "
                         f"shape {whh.shape}")
    b = np.zeros(wih.shape[0], dtype=np.result_type(wih, whh))
    for name, bias in (("bias_ih", bias_ih), ("bias_hh", bias_hh)):
        if bias is not None:
            bias = as_floats(bias, name)
            if bias.shape != (wih.shape[0],):
                raise ValueError(f"{name} must have shape ({wih.shape[0]},), one per row of the "
                                 f"weights, or be None; got {bias.shape}")
            b = b + bias
    return np.concatenate([wih, whh], axis=1), b


def from_concatenated(W, b, input_size: int):
    """The notes' ``W = [W_in, W_rec]`` and ``b`` as PyTorch's four tensors.

    One bias cannot tell which part came from b_ih and which from b_hh: all of it goes to
    ``bias_ih`` and ``bias_hh`` is zeros (only the sum matters to every layer but the GRU, whose
    reset gate multiplies b_hn alone).

    Shapes: W (G, D+H), b (G,) or None, input_size D -> (weight_ih (G, D), weight_hh (G, H),
            bias_ih (G,), bias_hh (G,))
    Math:   W_ih = W[:, :D],  W_hh = W[:, D:],  b_ih = b,  b_hh = 0
    """
    W = as_floats(W, "W", 2, "(G, D+H)")
    D = as_int(input_size, "input_size", 1)
    if W.shape[1] <= D:
        raise ValueError(f"W must have more than input_size = {D} columns ([W_in | W_rec], "
                         f"D + H of them), got shape {W.shape}")
    if b is None:
        b = np.zeros(W.shape[0], dtype=W.dtype)
    b = as_floats(b, "b")
    if b.shape != (W.shape[0],):
        raise ValueError(f"b must have shape ({W.shape[0]},), one per row of W, got {b.shape}")
    return W[:, :D].copy(), W[:, D:].copy(), b.copy(), np.zeros_like(b)


def rnn_step_concat(x_t, h_prev, W, b=None, nonlinearity: str = "tanh") -> np.ndarray:
    """One step in the notes' form, ``h_t = f(W [x_t, h_{t-1}] + b)``: the same value as
    :func:`rnn_step_forward` with the tensors of :func:`from_concatenated`.

    Shapes: x_t (N, D), h_prev (N, H), W (H, D+H), b (H,) or None -> h_t (N, H)
    Math:   h_t = f([x_t, h_{t-1}] W^T + b)  (each row of x_t and h_prev joined end to end)
    """
    nonlinearity = check_choice("nonlinearity", nonlinearity, NONLINEARITIES)
    W = as_floats(W, "W", 2, "(H, D+H)")
    h_prev = as_floats(h_prev, "h_prev", 2, "(N, H)")
    H = h_prev.shape[1]
    if W.shape[0] != H or W.shape[1] <= H:
        raise ValueError(f"W must have shape (H, D+H) with H = {H} (from h_prev), got {W.shape}")
    x_t = check_step_input(x_t, W.shape[1] - H, H, 1, "W (H, D+H)")
    if x_t.shape[0] != h_prev.shape[0]:
        raise ValueError(f"x_t and h_prev must have the same batch size N, got {x_t.shape[0]} "
                         f"and {h_prev.shape[0]}")
    if b is not None:
        b = as_floats(b, "b")
        if b.shape != (H,):
            raise ValueError(f"b must have shape ({H},), one per hidden unit, got {b.shape}")
    return _F[nonlinearity](affine(np.concatenate([x_t, h_prev], axis=1), W, b))
