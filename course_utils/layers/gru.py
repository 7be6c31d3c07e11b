"""The GRU layer, forward and backward by hand, in two forms: PyTorch's (``form="pytorch"``,
equal to ``nn.GRU(batch_first=True)`` with its own tensors) and the notes' (``form="notes"``,
Cho et al. 2014). The NumPy reference of chapter 5 (notebook 12).

Both take PyTorch's layout: the gates stacked (r, z, n), rows ``[0:H]`` of ``weight_ih (3H, D)``,
``weight_hh (3H, H)``, ``bias_ih (3H,)``, ``bias_hh (3H,)`` for the reset gate r, ``[H:2H]`` for
the update gate z, ``[2H:3H]`` for the candidate n (the notes' h~). With
``r = sigmoid(x W_ir^T + b_ir + h W_hr^T + b_hr)`` and ``z`` likewise::

    pytorch: n = tanh(x W_in^T + b_in + r * (h W_hn^T + b_hn))     h_t = (1 - z) * n + z * h
    notes:   n = tanh(x W_in^T + b_in + (r * h) W_hn^T + b_hn)     h_t = (1 - z) * h + z * n

(the notes have no biases: pass None). They differ twice:

1. **The update gate interpolates the other way round.** The notes' z is PyTorch's 1 - z: since
   ``1 - sigmoid(a) = sigmoid(-a)``, negating the z rows of all four tensors
   (:func:`gru_flip_update_gate`) turns one form's z into the other's, exactly.
2. **The reset gate multiplies before the matrix product in the notes, after it in PyTorch**
   (Cho et al. 2014 vs the cuDNN variant). Unit i's two candidate pre-activations differ by
   ``sum_j W_hn[i, j] (r_j - r_i) h_j + (r_i - 1) b_hn[i]``. At h = 0 that is
   ``(r_i - 1) b_hn[i]``, and r < 1, so agreeing for every input needs **b_hn = 0**; then it
   needs **W_hn[i, j] = 0 whenever units i and j have different reset gates** (r_i and r_j
   differ somewhere unless their rows of W_ir, W_hr and b_ir + b_hr are equal). Both together
   are also enough: the reset then commutes with W_hn. The usual cases: W_hn diagonal (each unit
   resets only itself), or one reset gate shared by all units, with b_hn = 0
   (:func:`gru_forms_agree` tests the condition). In floating point a saturated gate, r = 1.0
   (for example b_ir = 40), also makes them agree. Otherwise the two are different models,
   whatever the conversion.

So ``gru_forward(x, h0, *gru_flip_update_gate(*params), form="notes")`` equals
``gru_forward(x, h0, *params)`` (and ``nn.GRU``) exactly when ``gru_forms_agree(*params)``, and
differs in general.

Convention (CONTRIBUTING.md, "NumPy layers"): ``*_forward`` returns ``(out, cache)``, ``out`` a
named tuple (the states and the gates, for inspection); ``*_backward(dout, cache)`` returns the
gradients of forward's array inputs.
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .._validate import check_choice
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

__all__ = ["GRU_FORMS", "gru_step_forward", "gru_step_backward", "gru_forward", "gru_backward",
           "gru_flip_update_gate", "gru_forms_agree"]

GRU_FORMS = ("pytorch", "notes")
"""The two GRUs of :func:`gru_forward`: PyTorch's ``nn.GRU`` and the notes' (Cho et al. 2014)."""


class GRUGates(NamedTuple):
    """The gates' values, PyTorch's order: reset r, update z, candidate n (the notes' h~); each
    (N, H) for a step, (N, T, H) for a sequence. In the notes' form z weighs the candidate, in
    PyTorch's the old state."""

    r: np.ndarray
    z: np.ndarray
    n: np.ndarray


class GRUStep(NamedTuple):
    """What one GRU step computes: h (N, H) and the gates."""

    h: np.ndarray
    gates: GRUGates


class GRUOutput(NamedTuple):
    """What :func:`gru_forward` computes: every hidden state h (N, T, H) (PyTorch's ``output``),
    the final h_n (N, H), and the gates (N, T, H) each."""

    h: np.ndarray
    h_n: np.ndarray
    gates: GRUGates


def _step(x_t, h_prev, wih, whh, bih, bhh, form):
    """One step on checked arrays: (GRUStep, cache)."""
    H = h_prev.shape[1]
    ai_r, ai_z, ai_n = np.split(affine(x_t, wih, bih), 3, axis=1)
    b_r, b_z, b_n = (None, None, None) if bhh is None else np.split(bhh, 3)
    r = sigmoid(ai_r + affine(h_prev, whh[:H], b_r))
    z = sigmoid(ai_z + affine(h_prev, whh[H:2 * H], b_z))
    if form == "pytorch":
        hn = affine(h_prev, whh[2 * H:], b_n)            # W_hn h + b_hn, before the reset
        n = np.tanh(ai_n + r * hn)
        h = (1 - z) * n + z * h_prev
    else:
        hn = r * h_prev                                   # the reset, before W_hn
        n = np.tanh(ai_n + affine(hn, whh[2 * H:], b_n))
        h = (1 - z) * h_prev + z * n
    return GRUStep(h, GRUGates(r, z, n)), Cache(
        "gru_step", x_t=x_t, h_prev=h_prev, weight_ih=wih, weight_hh=whh, r=r, z=z, n=n, hn=hn,
        form=form, shape=h.shape, dtype=h.dtype, biases=(bih is not None, bhh is not None))


def gru_step_forward(x_t, h_prev, weight_ih, weight_hh, bias_ih=None, bias_hh=None,
                     form: str = "pytorch"):
    """One GRU step, and the cache for :func:`gru_step_backward`.

    Shapes: x_t (N, D), h_prev (N, H) (None: zeros), weight_ih (3H, D), weight_hh (3H, H),
            bias_ih (3H,), bias_hh (3H,) (or None)
            -> GRUStep(h (N, H), gates GRUGates(r, z, n), each (N, H))
    Math:   r = sigmoid(x W_ir^T + b_ir + h W_hr^T + b_hr),  z likewise with the z rows;
            pytorch: n = tanh(x W_in^T + b_in + r * (h W_hn^T + b_hn)),  h_t = (1 - z) n + z h
            notes:   n = tanh(x W_in^T + b_in + (r * h) W_hn^T + b_hn),  h_t = (1 - z) h + z n
    """
    form = check_choice("form", form, GRU_FORMS)
    wih, whh, bih, bhh, H, D = check_weights(weight_ih, weight_hh, bias_ih, bias_hh, 3, "a GRU")
    x_t = check_step_input(x_t, D, H, 3)
    h_prev = check_state(h_prev, "h_prev", x_t.shape[0], H, np.result_type(x_t, wih, whh))
    return _step(x_t, h_prev, wih, whh, bih, bhh, form)


def _step_backward(dh, c) -> StepGradients:
    """Backward of one step on checked arrays."""
    r, z, n, hn = c.r, c.z, c.n, c.hn
    H = r.shape[1]
    whn = c.weight_hh[2 * H:]
    if c.form == "pytorch":          # h_t = (1 - z) n + z h;  n = tanh(ai_n + r * hn)
        dn, dz, dh_prev = dh * (1 - z), dh * (c.h_prev - n), dh * z
        da_n = dn * (1 - n * n)
        dr = da_n * hn
        dgh_n = da_n * r             # gradient of hn = h W_hn^T + b_hn
        dw_hn = dgh_n.T @ c.h_prev
        dh_prev = dh_prev + dgh_n @ whn
    else:                            # h_t = (1 - z) h + z n;  n = tanh(ai_n + (r * h) W_hn^T + b_hn)
        dn, dz, dh_prev = dh * z, dh * (n - c.h_prev), dh * (1 - z)
        da_n = dn * (1 - n * n)
        dgh_n = da_n                 # gradient of (r * h) W_hn^T + b_hn
        drh = da_n @ whn             # gradient of r * h
        dr = drh * c.h_prev
        dw_hn = da_n.T @ hn
        dh_prev = dh_prev + drh * r
    da_r, da_z = dr * r * (1 - r), dz * z * (1 - z)
    dgi = np.concatenate([da_r, da_z, da_n], axis=1)            # (N, 3H): x W_ih^T + b_ih
    dgh_rz = np.concatenate([da_r, da_z], axis=1)               # (N, 2H): the r, z rows of h W_hh^T
    dh_prev = dh_prev + dgh_rz @ c.weight_hh[:2 * H]
    dw_hh = np.concatenate([dgh_rz.T @ c.h_prev, dw_hn], axis=0)
    db_hh = np.concatenate([dgh_rz, dgh_n], axis=1).sum(axis=0)
    return StepGradients(dgi @ c.weight_ih, dh_prev, dgi.T @ c.x_t, dw_hh,
                         dgi.sum(axis=0) if c.biases[0] else None,
                         db_hh if c.biases[1] else None)


def gru_step_backward(dh_t, cache) -> StepGradients:
    """Gradients of one GRU step (either form), from the gradient of its output h_t.

    Shapes: dh_t (N, H) -> StepGradients(dx_t (N, D), dh_prev (N, H), dweight_ih (3H, D),
            dweight_hh (3H, H), dbias_ih (3H,), dbias_hh (3H,)) (a bias that was None: None)
    Math (pytorch): dn = dh (1 - z);  dz = dh (h_{t-1} - n);  da_n = dn (1 - n^2);
            dr = da_n (h W_hn^T + b_hn);  the n rows of the recurrent product get da_n * r;
            da_r = dr r (1 - r);  da_z = dz z (1 - z);  dh_prev = dh z + (recurrent products)
    Math (notes): dn = dh z;  dz = dh (n - h_{t-1});  d(r h) = da_n W_hn;  dr = d(r h) * h_{t-1};
            dh_prev = dh (1 - z) + d(r h) * r + (the r, z rows' products)
    """
    c = check_cache(cache, "gru_step")
    return _step_backward(check_upstream(dh_t, c.shape, "dh_t", c.dtype), c)


def gru_forward(x, h0, weight_ih, weight_hh, bias_ih=None, bias_hh=None, form: str = "pytorch"):
    """A GRU layer over whole sequences, and the cache for :func:`gru_backward`.

    ``form="pytorch"`` is ``nn.GRU(batch_first=True)`` (one layer) with its own tensors;
    ``form="notes"`` is the notes' GRU (Cho et al. 2014): see the module's docstring for the two
    differences and when they coincide (:func:`gru_flip_update_gate`).

    Shapes: x (N, T, D) batch first, h0 (N, H) or None (zeros), weight_ih (3H, D),
            weight_hh (3H, H), bias_ih (3H,), bias_hh (3H,) (or None)
            -> GRUOutput(h (N, T, H), h_n (N, H), gates GRUGates(r, z, n), each (N, T, H))
    Math:   the step of :func:`gru_step_forward` at t = 0 .. T-1 from h0, the same weights at
            every step
    """
    form = check_choice("form", form, GRU_FORMS)
    wih, whh, bih, bhh, H, D = check_weights(weight_ih, weight_hh, bias_ih, bias_hh, 3, "a GRU")
    x = check_sequence(x, D, H, 3, "gru_forward")
    N, T, _ = x.shape
    dtype = np.result_type(x, wih, whh, *(b for b in (bih, bhh) if b is not None))
    h = check_state(h0, "h0", N, H, dtype)
    dtype = np.result_type(dtype, h)
    hs = np.empty((N, T, H), dtype=dtype)
    gates = GRUGates(*(np.empty((N, T, H), dtype=dtype) for _ in range(3)))
    steps = StepCaches()
    for t in range(T):
        out, step_cache = _step(x[:, t], h, wih, whh, bih, bhh, form)
        h = hs[:, t] = out.h
        for stored, value in zip(gates, out.gates):
            stored[:, t] = value
        steps.append(step_cache)
    return GRUOutput(hs, h, gates), Cache("gru", steps=steps, shape=hs.shape, x_shape=x.shape)


def gru_backward(dh_all, cache) -> SequenceGradients:
    """Backpropagation through time for the GRU (either form), by hand.

    ``dh_all[:, t]`` is the gradient of the loss with respect to h_t from outside the layer; for
    a loss on the last state alone it is zero except at ``t = T-1``.

    Shapes: dh_all (N, T, H) -> SequenceGradients(dx (N, T, D), dh0 (N, H), dweight_ih (3H, D),
            dweight_hh (3H, H), dbias_ih (3H,), dbias_hh (3H,)) (a bias that was None: None)
    Math:   walking t = T-1 .. 0, step t receives dh_all[:, t] + (dh_prev of step t+1); the
            weight gradients of the steps add up
    """
    c = check_cache(cache, "gru")
    dh_all = check_upstream(dh_all, c.shape, "dh_all", c.steps[0].dtype)
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


def gru_flip_update_gate(weight_ih, weight_hh, bias_ih=None, bias_hh=None):
    """The same tensors with the update gate's rows negated, so that the new z is the old 1 - z:
    the conversion between the notes' GRU and PyTorch's update gate (its own inverse).

    Since 1 - sigmoid(a) = sigmoid(-a), negating ``[H:2H]`` of all four tensors negates a_z.
    The reset placement is not converted (it cannot be): the forms then agree for every input
    exactly when :func:`gru_forms_agree` says so.

    Shapes: weight_ih (3H, D), weight_hh (3H, H), bias_ih (3H,), bias_hh (3H,) (or None)
            -> the four, same shapes (new arrays; None stays None)
    """
    wih, whh, bih, bhh, H, _ = check_weights(weight_ih, weight_hh, bias_ih, bias_hh, 3, "a GRU")
    flipped = []
    for a in (wih, whh, bih, bhh):
        if a is not None:
            a = a.copy()
            a[H:2 * H] *= -1
        flipped.append(a)
    return tuple(flipped)


def gru_forms_agree(weight_ih, weight_hh, bias_ih=None, bias_hh=None) -> bool:
    """Whether the notes' GRU, after :func:`gru_flip_update_gate`, equals PyTorch's for every input.

    True exactly when the reset gate's placement does not matter: b_hn = 0, and W_hn[i, j] = 0
    for every pair of units i, j whose reset gates differ (whose rows of W_ir, W_hr and
    b_ir + b_hr are not equal). For example W_hn diagonal with b_hn = 0, or one reset gate shared
    by every unit with b_hn = 0. (A reset gate saturated at r = 1.0 in floating point also makes
    the outputs agree; the condition here is the exact one, for real numbers.)

    Shapes: weight_ih (3H, D), weight_hh (3H, H), bias_ih (3H,), bias_hh (3H,) (or None) -> bool
    Math:   n_pytorch - n_notes (pre-activations, unit i) = sum_j W_hn[i, j] (r_j - r_i) h_j
            + (r_i - 1) b_hn[i]
    """
    wih, whh, bih, bhh, H, _ = check_weights(weight_ih, weight_hh, bias_ih, bias_hh, 3, "a GRU")
    b_r = sum(b[:H] for b in (bih, bhh) if b is not None) + np.zeros(H)
    reset_rows = np.concatenate([wih[:H], whh[:H], b_r[:, None]], axis=1)      # (H, D+H+1)
    labels = np.unique(reset_rows, axis=0, return_inverse=True)[1].reshape(-1)
    same_gate = labels[:, None] == labels[None, :]                             # (H, H)
    b_hn_zero = bhh is None or not np.any(bhh[2 * H:])
    return bool(b_hn_zero and not np.any(whh[2 * H:][~same_gate]))
