"""The recurrent layers (course_utils.rnn) against PyTorch: ``nn.RNN``, ``nn.LSTM``, ``nn.GRU``
(batch first) and their cells are the forward oracles, autograd the backward oracle, and
``torch.autograd.functional.jacobian`` the oracle of the step Jacobians. The notes' forms (the
concatenated W = [W_in, W_rec], the notes' GRU) are checked against torch code written from the
notes' own equations.
"""
from __future__ import annotations

import numpy as np
import pytest
import torch
from torch import nn

from course_utils import rnn

TOL = dict(rtol=1e-10, atol=1e-12)
SHAPES = [(1, 1, 1, 1), (2, 3, 4, 5), (3, 7, 2, 4), (4, 12, 5, 3)]   # (N, T, D, H)
NAMES = ("weight_ih", "weight_hh", "bias_ih", "bias_hh")


def make(cls, D, H, seed, **kw):
    torch.manual_seed(seed)
    return cls(D, H, batch_first=True, **kw).double()


def params(module) -> list[np.ndarray]:
    """The module's four tensors (layer 0, or a cell's) as NumPy arrays."""
    suffix = "" if hasattr(module, "weight_ih") else "_l0"
    return [getattr(module, name + suffix).detach().numpy() for name in NAMES]


def grads(module) -> list[np.ndarray]:
    suffix = "" if hasattr(module, "weight_ih") else "_l0"
    return [getattr(module, name + suffix).grad.numpy() for name in NAMES]


def inputs(N, T, D, H, seed, states=1):
    rng = np.random.default_rng(seed)
    return rng.standard_normal((N, T, D)), [rng.standard_normal((N, H)) for _ in range(states)]


def leaf(a):
    return torch.from_numpy(np.array(a)).requires_grad_()


def close(got, want):
    np.testing.assert_allclose(got, want.detach().numpy() if torch.is_tensor(want) else want, **TOL)


# --- the plain RNN ---------------------------------------------------------------------------

@pytest.mark.parametrize("nonlinearity", ["tanh", "relu"])
@pytest.mark.parametrize("shape", SHAPES, ids=str)
@pytest.mark.parametrize("with_h0", [True, False])
def test_rnn_forward_and_backward_match_nn_rnn(nonlinearity, shape, with_h0):
    N, T, D, H = shape
    m = make(nn.RNN, D, H, sum(shape), nonlinearity=nonlinearity)
    x, (h0,) = inputs(*shape, seed=T)
    xt, h0t = leaf(x), leaf(h0)
    out, h_n = m(xt, h0t[None] if with_h0 else None)
    dh_all = np.random.default_rng(1).standard_normal((N, T, H))
    out.backward(torch.from_numpy(dh_all))

    hs, cache = rnn.rnn_forward(x, h0 if with_h0 else None, *params(m), nonlinearity=nonlinearity)
    close(hs, out)
    close(hs[:, -1], h_n[0])
    g = rnn.rnn_backward(dh_all, cache)
    close(g.dx, xt.grad)
    for got, want in zip(g[2:], grads(m)):
        close(got, want)
    if with_h0:
        close(g.dh0, h0t.grad)


@pytest.mark.parametrize("nonlinearity", ["tanh", "relu", "sigmoid"])
def test_rnn_backward_of_a_loss_on_the_last_state_alone(nonlinearity):
    """Full BPTT when only h_{T-1} is scored: dh_all is zero except at T-1 (autograd on torch code
    written from the formula, since nn.RNN has no sigmoid)."""
    N, T, D, H = 3, 9, 4, 5
    rng = np.random.default_rng(2)
    x, h0 = rng.standard_normal((N, T, D)), rng.standard_normal((N, H))
    p = [rng.standard_normal(s) * 0.6 for s in ((H, D), (H, H), (H,), (H,))]
    leaves = [leaf(a) for a in (x, h0, *p)]
    xt, ht, wih, whh, bih, bhh = leaves
    f = {"tanh": torch.tanh, "relu": torch.relu, "sigmoid": torch.sigmoid}[nonlinearity]
    for t in range(T):
        ht = f(xt[:, t] @ wih.T + bih + ht @ whh.T + bhh)
    w = rng.standard_normal((N, H))
    (ht * torch.from_numpy(w)).sum().backward()          # loss = sum(w * h_{T-1})

    hs, cache = rnn.rnn_forward(x, h0, *p, nonlinearity=nonlinearity)
    close(hs[:, -1], ht)
    dh_all = np.zeros((N, T, H))
    dh_all[:, -1] = w
    for got, want in zip(rnn.rnn_backward(dh_all, cache), leaves):
        close(got, want.grad)


@pytest.mark.parametrize("nonlinearity", ["tanh", "relu"])
def test_rnn_step_matches_rnn_cell_forward_and_backward(nonlinearity):
    N, D, H = 4, 3, 5
    torch.manual_seed(3)
    cell = nn.RNNCell(D, H, nonlinearity=nonlinearity).double()
    rng = np.random.default_rng(3)
    x, h = rng.standard_normal((N, D)), rng.standard_normal((N, H))
    xt, ht = leaf(x), leaf(h)
    out = cell(xt, ht)
    dh = rng.standard_normal((N, H))
    out.backward(torch.from_numpy(dh))
    got, cache = rnn.rnn_step_forward(x, h, *params(cell), nonlinearity=nonlinearity)
    close(got, out)
    g = rnn.rnn_step_backward(dh, cache)
    for a, b in zip(g, [xt.grad, ht.grad, *grads(cell)]):
        close(a, b)


def test_rnn_without_biases_matches_nn_rnn_bias_false():
    m = make(nn.RNN, 3, 4, 5, bias=False)
    x, (h0,) = inputs(2, 6, 3, 4, seed=5)
    xt = leaf(x)
    out, _ = m(xt, torch.from_numpy(h0)[None])
    out.sum().backward()
    hs, cache = rnn.rnn_forward(x, h0, m.weight_ih_l0.detach().numpy(),
                                m.weight_hh_l0.detach().numpy())
    close(hs, out)
    g = rnn.rnn_backward(np.ones_like(hs), cache)
    close(g.dx, xt.grad)
    close(g.dweight_hh, m.weight_hh_l0.grad)
    assert g.dbias_ih is None and g.dbias_hh is None


# --- the notes' concatenated form ---------------------------------------------------------------

def test_the_concatenated_form_is_the_same_layer():
    N, D, H = 3, 4, 5
    m = make(nn.RNN, D, H, 6)
    wih, whh, bih, bhh = params(m)
    W, b = rnn.to_concatenated(wih, whh, bih, bhh)
    assert W.shape == (H, D + H) and b.shape == (H,)
    np.testing.assert_array_equal(W[:, :D], wih)          # W = [W_in, W_rec]
    np.testing.assert_array_equal(W[:, D:], whh)
    x, (h,) = inputs(N, 1, D, H, seed=6)
    # the notes' h_t = tanh(W [x_t, h_{t-1}] + b), written in torch from the notes
    xh = torch.cat([torch.from_numpy(x[:, 0]), torch.from_numpy(h)], dim=1)
    notes = torch.tanh(xh @ torch.from_numpy(W).T + torch.from_numpy(b))
    close(rnn.rnn_step_concat(x[:, 0], h, W, b), notes)
    close(rnn.rnn_step_forward(x[:, 0], h, wih, whh, bih, bhh)[0], notes)
    # back to four tensors: bias_ih = b, bias_hh = 0, and nn.RNN with those gives the same states
    four = rnn.from_concatenated(W, b, D)
    np.testing.assert_array_equal(four[2], b)
    np.testing.assert_array_equal(four[3], np.zeros(H))
    x, (h0,) = inputs(N, 7, D, H, seed=7)
    with torch.no_grad():
        for name, value in zip(NAMES, four):
            getattr(m, name + "_l0").copy_(torch.from_numpy(value))
        out, _ = m(torch.from_numpy(x), torch.from_numpy(h0)[None])
    close(rnn.rnn_forward(x, h0, wih, whh, bih, bhh)[0], out)


def test_the_concatenated_form_of_an_lstm_holds_the_notes_gate_weights():
    D, H = 3, 2
    m = make(nn.LSTM, D, H, 8)
    W, b = rnn.to_concatenated(*params(m))
    assert W.shape == (4 * H, D + H)
    x, (h, c) = inputs(2, 1, D, H, seed=8, states=2)
    xh = np.concatenate([x[:, 0], h], axis=1)
    W_f, b_f = W[H:2 * H], b[H:2 * H]                         # the forget gate, PyTorch's 2nd
    f = 1 / (1 + np.exp(-(xh @ W_f.T + b_f)))                # f_t = sigmoid(W_f [x_t, h_{t-1}] + b_f)
    out, _ = rnn.lstm_step_forward(x[:, 0], h, c, *params(m))
    close(out.gates.f, f)


# --- the Jacobians of chapter 4 ---------------------------------------------------------------

@pytest.mark.parametrize("nonlinearity", ["tanh", "relu", "sigmoid"])
def test_rnn_jacobians_match_autograd(nonlinearity):
    N, T, D, H = 2, 5, 3, 4
    rng = np.random.default_rng(9)
    x, h0 = rng.standard_normal((N, T, D)), rng.standard_normal((N, H))
    p = [rng.standard_normal(s) for s in ((H, D), (H, H), (H,), (H,))]
    hs, cache = rnn.rnn_forward(x, h0, *p, nonlinearity=nonlinearity)
    J = rnn.rnn_jacobians(cache)
    assert J.shape == (N, T, H, H)
    f = {"tanh": torch.tanh, "relu": torch.relu, "sigmoid": torch.sigmoid}[nonlinearity]
    xt, (wih, whh, bih, bhh) = torch.from_numpy(x), map(torch.from_numpy, p)

    def run(h, t0, t1):   # h_{t1-1} from h_{t0-1} = h, by the formula in torch
        for t in range(t0, t1):
            h = f(xt[:, t] @ wih.T + bih + h @ whh.T + bhh)
        return h

    prev = np.concatenate([h0[:, None], hs[:, :-1]], axis=1)   # h_{t-1} for t = 0 .. T-1
    for t in range(T):
        full = torch.autograd.functional.jacobian(lambda h: run(h, t, t + 1),
                                                  torch.from_numpy(prev[:, t]))
        for n in range(N):       # (N, H, N, H): example n's block is dh_t[n] / dh_{t-1}[n]
            close(J[n, t], full[n, :, n, :])
    # dh_{T-1}/dh0 is the product of the T factors, last one first
    full = torch.autograd.functional.jacobian(lambda h: run(h, 0, T), torch.from_numpy(h0))
    for n in range(N):
        product = np.linalg.multi_dot([J[n, t] for t in reversed(range(T))]) if T > 1 else J[n, 0]
        close(product, full[n, :, n, :])


# --- LSTM ------------------------------------------------------------------------------------

@pytest.mark.parametrize("shape", SHAPES, ids=str)
@pytest.mark.parametrize("with_state", [True, False])
def test_lstm_forward_and_backward_match_nn_lstm(shape, with_state):
    N, T, D, H = shape
    m = make(nn.LSTM, D, H, sum(shape) + 1)
    x, (h0, c0) = inputs(*shape, seed=T + 1, states=2)
    xt, h0t, c0t = leaf(x), leaf(h0), leaf(c0)
    out, (h_n, c_n) = m(xt, (h0t[None], c0t[None]) if with_state else None)
    rng = np.random.default_rng(4)
    dh_all, dc_n = rng.standard_normal((N, T, H)), rng.standard_normal((N, H))
    (out * torch.from_numpy(dh_all)).sum().add((c_n[0] * torch.from_numpy(dc_n)).sum()).backward()

    states = (h0, c0) if with_state else (None, None)
    res, cache = rnn.lstm_forward(x, *states, *params(m))
    close(res.h, out)
    close(res.h_n, h_n[0])
    close(res.c_n, c_n[0])
    close(res.h[:, -1], h_n[0])
    close(res.c[:, -1], c_n[0])
    assert all(g.shape == (N, T, H) for g in res.gates)
    dc_all = np.zeros((N, T, H))
    dc_all[:, -1] = dc_n                                  # a loss on the final cell state too
    g = rnn.lstm_backward(dh_all, cache, dc_all)
    close(g.dx, xt.grad)
    for got, want in zip(g[3:], grads(m)):
        close(got, want)
    if with_state:
        close(g.dh0, h0t.grad)
        close(g.dc0, c0t.grad)


def test_lstm_gates_and_cell_states_match_an_lstm_cell_step_by_step():
    """Every gate and every c_t against nn.LSTMCell, plus a loss on every cell state (dc_all)."""
    N, T, D, H = 3, 6, 4, 5
    torch.manual_seed(11)
    cell = nn.LSTMCell(D, H).double()
    x, (h, c) = inputs(N, T, D, H, seed=11, states=2)
    xt, ht, ct = leaf(x), leaf(h), leaf(c)
    wih, whh, bih, bhh = (getattr(cell, n) for n in NAMES)
    rng = np.random.default_rng(12)
    dh_all, dc_all = rng.standard_normal((N, T, H)), rng.standard_normal((N, T, H))
    res, cache = rnn.lstm_forward(x, h, c, *params(cell))
    loss, hh, cc = 0, ht, ct
    for t in range(T):
        a = xt[:, t] @ wih.T + bih + hh @ whh.T + bhh
        i, f, g, o = a.chunk(4, dim=1)                    # PyTorch's order (i, f, g, o)
        for got, want in zip(res.gates, (torch.sigmoid(i), torch.sigmoid(f), torch.tanh(g),
                                         torch.sigmoid(o))):
            close(got[:, t], want)
        hh, cc = cell(xt[:, t], (hh, cc))
        close(res.c[:, t], cc)
        close(res.h[:, t], hh)
        loss = loss + (hh * torch.from_numpy(dh_all[:, t])).sum() \
            + (cc * torch.from_numpy(dc_all[:, t])).sum()
    loss.backward()
    grads_ = rnn.lstm_backward(dh_all, cache, dc_all)
    for got, want in zip(grads_, [xt.grad, ht.grad, ct.grad, *grads(cell)]):
        close(got, want)


def test_lstm_step_matches_lstm_cell_forward_and_backward():
    N, D, H = 2, 3, 4
    torch.manual_seed(13)
    cell = nn.LSTMCell(D, H).double()
    rng = np.random.default_rng(13)
    x, h, c = rng.standard_normal((N, D)), rng.standard_normal((N, H)), rng.standard_normal((N, H))
    xt, ht, ct = leaf(x), leaf(h), leaf(c)
    h1, c1 = cell(xt, (ht, ct))
    dh, dc = rng.standard_normal((N, H)), rng.standard_normal((N, H))
    ((h1 * torch.from_numpy(dh)).sum() + (c1 * torch.from_numpy(dc)).sum()).backward()
    out, cache = rnn.lstm_step_forward(x, h, c, *params(cell))
    close(out.h, h1)
    close(out.c, c1)
    for got, want in zip(rnn.lstm_step_backward(dh, cache, dc), [xt.grad, ht.grad, ct.grad,
                                                                 *grads(cell)]):
        close(got, want)
    # without dc_t, the cell state's gradient is zero: only h_t is scored
    g0 = rnn.lstm_step_backward(dh, cache)
    xt.grad = None
    h1, _ = cell(xt, (ht, ct))
    (h1 * torch.from_numpy(dh)).sum().backward()
    close(g0.dx_t, xt.grad)


# --- GRU -------------------------------------------------------------------------------------

@pytest.mark.parametrize("shape", SHAPES, ids=str)
@pytest.mark.parametrize("with_h0", [True, False])
def test_gru_forward_and_backward_match_nn_gru(shape, with_h0):
    N, T, D, H = shape
    m = make(nn.GRU, D, H, sum(shape) + 2)
    x, (h0,) = inputs(*shape, seed=T + 2)
    xt, h0t = leaf(x), leaf(h0)
    out, h_n = m(xt, h0t[None] if with_h0 else None)
    dh_all = np.random.default_rng(5).standard_normal((N, T, H))
    out.backward(torch.from_numpy(dh_all))
    res, cache = rnn.gru_forward(x, h0 if with_h0 else None, *params(m))
    close(res.h, out)
    close(res.h_n, h_n[0])
    g = rnn.gru_backward(dh_all, cache)
    close(g.dx, xt.grad)
    for got, want in zip(g[2:], grads(m)):
        close(got, want)
    if with_h0:
        close(g.dh0, h0t.grad)


def test_gru_step_matches_gru_cell_forward_and_backward():
    N, D, H = 3, 2, 4
    torch.manual_seed(14)
    cell = nn.GRUCell(D, H).double()
    rng = np.random.default_rng(14)
    x, h = rng.standard_normal((N, D)), rng.standard_normal((N, H))
    xt, ht = leaf(x), leaf(h)
    out_t = cell(xt, ht)
    dh = rng.standard_normal((N, H))
    out_t.backward(torch.from_numpy(dh))
    out, cache = rnn.gru_step_forward(x, h, *params(cell))
    close(out.h, out_t)
    for got, want in zip(rnn.gru_step_backward(dh, cache), [xt.grad, ht.grad, *grads(cell)]):
        close(got, want)


def notes_gru_torch(x, h, W_z, W_r, W_h, biases=None):
    """The notes' GRU in torch, from the notes' equations (concatenated form, optional biases
    (b_z, b_r, b_h)): z = sigmoid(W_z [x, h]), r = sigmoid(W_r [x, h]),
    h~ = tanh(W_h [x, r * h]), h_t = (1 - z) * h + z * h~. Returns every h_t (N, T, H)."""
    b_z, b_r, b_h = biases if biases is not None else (0, 0, 0)
    out = []
    for t in range(x.shape[1]):
        xh = torch.cat([x[:, t], h], dim=1)
        z, r = torch.sigmoid(xh @ W_z.T + b_z), torch.sigmoid(xh @ W_r.T + b_r)
        cand = torch.tanh(torch.cat([x[:, t], r * h], dim=1) @ W_h.T + b_h)
        h = (1 - z) * h + z * cand
        out.append(h)
    return torch.stack(out, dim=1)


@pytest.mark.parametrize("with_biases", [False, True])
def test_the_notes_gru_forward_and_backward_match_the_notes_equations(with_biases):
    N, T, D, H = 3, 6, 4, 5
    rng = np.random.default_rng(15)
    x, h0 = rng.standard_normal((N, T, D)), rng.standard_normal((N, H))
    W_z, W_r, W_h = (rng.standard_normal((H, D + H)) for _ in range(3))
    b = [rng.standard_normal(H) for _ in range(3)] if with_biases else None
    leaves = [leaf(a) for a in (x, h0, W_z, W_r, W_h)]
    b_t = [leaf(v) for v in b] if with_biases else None
    want = notes_gru_torch(*leaves, b_t)
    dh_all = rng.standard_normal((N, T, H))
    want.backward(torch.from_numpy(dh_all))
    # PyTorch's layout: gates (r, z, n), each W split into its x and h columns
    wih = np.concatenate([W_r[:, :D], W_z[:, :D], W_h[:, :D]])
    whh = np.concatenate([W_r[:, D:], W_z[:, D:], W_h[:, D:]])
    bih = np.concatenate([b[1], b[0], b[2]]) if with_biases else None
    res, cache = rnn.gru_forward(x, h0, wih, whh, bih, None, form="notes")
    close(res.h, want)
    g = rnn.gru_backward(dh_all, cache)
    close(g.dx, leaves[0].grad)
    close(g.dh0, leaves[1].grad)
    W_grads = [w.grad.numpy() for w in leaves[2:]]       # W_z, W_r, W_h
    close(g.dweight_ih, np.concatenate([W_grads[1][:, :D], W_grads[0][:, :D], W_grads[2][:, :D]]))
    close(g.dweight_hh, np.concatenate([W_grads[1][:, D:], W_grads[0][:, D:], W_grads[2][:, D:]]))
    assert g.dbias_hh is None
    if with_biases:
        close(g.dbias_ih, np.concatenate([b_t[1].grad, b_t[0].grad, b_t[2].grad]))


def test_the_notes_gru_step_backward_with_both_biases_matches_autograd():
    N, D, H = 2, 3, 4
    rng = np.random.default_rng(16)
    x, h = rng.standard_normal((N, D)), rng.standard_normal((N, H))
    p = [rng.standard_normal(s) for s in ((3 * H, D), (3 * H, H), (3 * H,), (3 * H,))]
    leaves = [leaf(a) for a in (x, h, *p)]
    xt, ht, wih, whh, bih, bhh = leaves
    gi, gh_rz = xt @ wih.T + bih, ht @ whh[:2 * H].T + bhh[:2 * H]
    r = torch.sigmoid(gi[:, :H] + gh_rz[:, :H])
    z = torch.sigmoid(gi[:, H:2 * H] + gh_rz[:, H:])
    n = torch.tanh(gi[:, 2 * H:] + (r * ht) @ whh[2 * H:].T + bhh[2 * H:])
    out_t = (1 - z) * ht + z * n
    dh = rng.standard_normal((N, H))
    out_t.backward(torch.from_numpy(dh))
    out, cache = rnn.gru_step_forward(x, h, *p, form="notes")
    close(out.h, out_t)
    for got, want in zip(rnn.gru_step_backward(dh, cache), leaves):
        close(got, want.grad)


GROUPS = np.array([0, 0, 0, 1, 1])                          # two groups of units (H = 5)


def gru_params(seed, w_hn="full", b_hn=True, reset="own", D=4, H=5):
    """Random GRU tensors, with W_hn "full", "diagonal", "zero" or "blocks" (zero between GROUPS),
    b_hn random or zero, and reset gates of each unit's "own", "shared" by all units, shared
    within each of the "groups", or a number (every unit's reset pre-activation)."""
    rng = np.random.default_rng(seed)
    wih, whh = rng.standard_normal((3 * H, D)), rng.standard_normal((3 * H, H))
    bih, bhh = rng.standard_normal(3 * H), rng.standard_normal(3 * H)
    if w_hn == "diagonal":
        whh[2 * H:] = np.diag(rng.standard_normal(H))
    elif w_hn == "blocks":
        whh[2 * H:] *= GROUPS[:, None] == GROUPS[None, :]
    elif w_hn == "zero":
        whh[2 * H:] = 0
    if not b_hn:
        bhh[2 * H:] = 0
    if reset in ("shared", "groups"):                      # equal rows: equal gates
        rows = np.zeros(H, int) if reset == "shared" else [3 * g for g in GROUPS]
        for a in (wih, whh, bih, bhh):
            a[:H] = a[rows]
    elif reset != "own":
        wih[:H], whh[:H], bih[:H], bhh[:H] = 0, 0, reset, 0
    return wih, whh, bih, bhh


def both_forms(p, seed):
    """PyTorch's GRU (nn.GRU itself) and the notes' GRU after the z conversion, on one input."""
    D, H = p[0].shape[1], p[1].shape[1]
    x, (h0,) = inputs(3, 8, D, H, seed=seed)
    m = make(nn.GRU, D, H, 0)
    with torch.no_grad():
        for name, value in zip(NAMES, p):
            getattr(m, name + "_l0").copy_(torch.from_numpy(value))
        pytorch, _ = m(torch.from_numpy(x), torch.from_numpy(h0)[None])
    notes, _ = rnn.gru_forward(x, h0, *rnn.gru_flip_update_gate(*p), form="notes")
    return pytorch.numpy(), notes, rnn.gru_forward(x, h0, *p)[0]


AGREE = {"diagonal W_hn, b_hn = 0": dict(w_hn="diagonal", b_hn=False),
         "one reset gate for all units, b_hn = 0": dict(reset="shared", b_hn=False),
         "W_hn zero between groups sharing a reset gate, b_hn = 0":
             dict(w_hn="blocks", reset="groups", b_hn=False),
         "W_hn zero and b_hn = 0 (no candidate recurrence)": dict(w_hn="zero", b_hn=False)}
DIFFER = {"general": {}, "diagonal W_hn, b_hn != 0": dict(w_hn="diagonal"),
          "full W_hn, b_hn = 0": dict(b_hn=False),
          "one reset gate for all units, b_hn != 0": dict(reset="shared"),
          "W_hn in blocks, reset gates not shared": dict(w_hn="blocks", b_hn=False),
          "reset gates in groups, W_hn full": dict(reset="groups", b_hn=False)}


@pytest.mark.parametrize("case", sorted(AGREE))
def test_the_two_gru_forms_coincide_exactly_where_the_reset_placement_does_not_matter(case):
    p = gru_params(17, **AGREE[case])
    assert rnn.gru_forms_agree(*p)
    pytorch, notes, ours = both_forms(p, seed=20)
    close(notes.h, pytorch)
    close(notes.gates.z, 1 - ours.gates.z)               # the notes' z is PyTorch's 1 - z


@pytest.mark.parametrize("case", sorted(DIFFER))
def test_the_two_gru_forms_differ_in_general(case):
    """Each part of the condition is needed: without it the reset placement changes the model,
    although the z conversion alone is exact (the z gates of step 0 agree)."""
    p = gru_params(21, **DIFFER[case])
    assert not rnn.gru_forms_agree(*p)
    pytorch, notes, ours = both_forms(p, seed=24)
    assert np.abs(pytorch - notes.h).max() > 1e-3
    close(notes.gates.z[:, 0], 1 - ours.gates.z[:, 0])


def test_a_saturated_reset_gate_makes_the_forms_agree_in_floating_point():
    """r = sigmoid(40) = 1.0 exactly in float64: the reset does nothing, wherever it sits (the
    exact condition, for real numbers, still says no)."""
    p = gru_params(19, reset=40.0)
    pytorch, notes, _ = both_forms(p, seed=20)
    close(notes.h, pytorch)
    assert not rnn.gru_forms_agree(*p)


def test_flipping_the_update_gate_twice_gives_the_tensors_back():
    p = gru_params(25, D=3, H=2)
    for a, b in zip(rnn.gru_flip_update_gate(*rnn.gru_flip_update_gate(*p)), p):
        np.testing.assert_array_equal(a, b)
    assert rnn.gru_flip_update_gate(p[0], p[1])[2:] == (None, None)


# --- the dtype policy and the caches ---------------------------------------------------------

def float_params(gates, D, H, dtype):
    rng = np.random.default_rng(26)
    return [rng.standard_normal(s).astype(dtype) for s in ((gates * H, D), (gates * H, H),
                                                           (gates * H,), (gates * H,))]


RUNS = {  # layer: (gates, forward on (x, params), backward)
    "rnn": (1, lambda x, p: rnn.rnn_forward(x, None, *p), rnn.rnn_backward),
    "lstm": (4, lambda x, p: rnn.lstm_forward(x, None, None, *p), rnn.lstm_backward),
    "gru": (3, lambda x, p: rnn.gru_forward(x, None, *p), rnn.gru_backward),
    "gru-notes": (3, lambda x, p: rnn.gru_forward(x, None, *p, form="notes"), rnn.gru_backward),
}


@pytest.mark.parametrize("layer", sorted(RUNS))
def test_float32_stays_float32_and_integers_become_float64(layer):
    gates, forward, backward = RUNS[layer]
    N, T, D, H = 2, 3, 4, 3
    x = np.random.default_rng(27).standard_normal((N, T, D))
    out32, cache32 = forward(x.astype(np.float32), float_params(gates, D, H, np.float32))
    out64, _ = forward(x, float_params(gates, D, H, np.float64))
    h32, h64 = (o if isinstance(o, np.ndarray) else o.h for o in (out32, out64))
    assert h32.dtype == np.float32
    np.testing.assert_allclose(h32, h64, rtol=1e-4, atol=1e-5)
    assert all(g is None or g.dtype == np.float32
               for g in backward(np.ones((N, T, H), np.float32), cache32))
    # integers (and a uint8 that would wrap around) become float64
    xi = np.arange(N * T * D, dtype=np.uint8).reshape(N, T, D) % 3
    pi = [np.ones_like(a, dtype=np.int64) for a in float_params(gates, D, H, np.float64)]
    out_i, cache_i = forward(xi, pi)
    h_i = out_i if isinstance(out_i, np.ndarray) else out_i.h
    assert h_i.dtype == np.float64
    np.testing.assert_allclose(h_i, (forward(xi.astype(float), [a * 1.0 for a in pi])[0]
                                     if layer == "rnn" else
                                     forward(xi.astype(float), [a * 1.0 for a in pi])[0].h))
    assert all(g is None or g.dtype == np.float64
               for g in backward(np.ones((N, T, H), np.int64), cache_i))


def test_each_backward_refuses_another_layers_cache():
    x = np.zeros((1, 2, 3))
    caches = {name: RUNS[name][1](x, float_params(RUNS[name][0], 3, 2, np.float64))[1]
              for name in ("rnn", "lstm", "gru")}
    dh = np.zeros((1, 2, 2))
    for name, backward in (("rnn", rnn.rnn_backward), ("lstm", rnn.lstm_backward),
                           ("gru", rnn.gru_backward)):
        other = caches["gru" if name == "rnn" else "rnn"]
        with pytest.raises(ValueError, match="cache"):
            backward(dh, other)
    with pytest.raises(ValueError, match="cache"):
        rnn.rnn_jacobians(caches["lstm"])
    with pytest.raises(ValueError, match="cache"):
        rnn.rnn_step_backward(np.zeros((1, 2)), caches["rnn"])   # the sequence's, not a step's


# --- bad shapes ------------------------------------------------------------------------------

X, H0 = np.zeros((2, 3, 4)), np.zeros((2, 5))
P = {g: float_params(g, 4, 5, np.float64) for g in (1, 3, 4)}
BAD = [
    ("rnn wrong D", lambda: rnn.rnn_forward(np.zeros((2, 3, 6)), H0, *P[1]), "x has D = 6"),
    ("rnn 2-D x", lambda: rnn.rnn_forward(np.zeros((3, 4)), H0, *P[1]), "x must have 3 dim"),
    ("rnn wrong H in h0", lambda: rnn.rnn_forward(X, np.zeros((2, 4)), *P[1]), "h0 must"),
    ("rnn wrong N in h0", lambda: rnn.rnn_forward(X, np.zeros((3, 5)), *P[1]), "h0 must"),
    ("rnn weight_hh not square", lambda: rnn.rnn_forward(X, H0, P[1][0], np.zeros((5, 4))),
     r"weight_hh must have shape \(H, H\)"),
    ("rnn weight_ih rows", lambda: rnn.rnn_forward(X, H0, np.zeros((4, 4)), P[1][1]),
     "weight_ih must have shape"),
    ("rnn weight_hh 1-D", lambda: rnn.rnn_forward(X, H0, P[1][0], np.zeros(5)), "weight_hh"),
    ("rnn bias_ih", lambda: rnn.rnn_forward(X, H0, *P[1][:2], np.zeros(4)), "bias_ih"),
    ("rnn bias_hh", lambda: rnn.rnn_forward(X, H0, *P[1][:3], np.zeros(6)), "bias_hh"),
    ("rnn nonlinearity", lambda: rnn.rnn_forward(X, H0, *P[1], nonlinearity="softmax"),
     "nonlinearity"),
    ("rnn empty sequence", lambda: rnn.rnn_forward(np.zeros((2, 0, 4)), H0, *P[1]), "x must"),
    ("rnn dh_all shape", lambda: rnn.rnn_backward(np.zeros((2, 3, 4)),
                                                  rnn.rnn_forward(X, H0, *P[1])[1]), "dh_all"),
    ("rnn step x_t", lambda: rnn.rnn_step_forward(X, H0, *P[1]), "x_t"),
    ("lstm with rnn weights", lambda: rnn.lstm_forward(X, None, None, *P[1]), "weight_hh"),
    ("lstm c0", lambda: rnn.lstm_forward(X, H0, np.zeros((2, 4)), *P[4]), "c0"),
    ("lstm bias", lambda: rnn.lstm_forward(X, H0, H0, *P[4][:2], np.zeros(5)), "bias_ih"),
    ("lstm dc_all", lambda: rnn.lstm_backward(np.zeros((2, 3, 5)), rnn.lstm_forward(
        X, None, None, *P[4])[1], np.zeros((2, 3))), "dc_all"),
    ("gru weight_ih rows", lambda: rnn.gru_forward(X, H0, P[4][0], P[3][1]), "weight_ih"),
    ("gru form", lambda: rnn.gru_forward(X, H0, *P[3], form="cho"), "form"),
    ("gru wrong D", lambda: rnn.gru_forward(np.zeros((2, 3, 1)), H0, *P[3]), "x has D"),
    ("concat rows", lambda: rnn.to_concatenated(np.zeros((5, 4)), np.zeros((4, 4))), "weight_hh"),
    ("from_concatenated input_size", lambda: rnn.from_concatenated(np.zeros((5, 9)), None, 9),
     "W must"),
    ("step_concat W", lambda: rnn.rnn_step_concat(np.zeros((2, 4)), H0, np.zeros((5, 8))),
     "x_t has D"),
    ("ragged x", lambda: rnn.rnn_forward([[[1.0], [2.0, 3.0]]], None, *P[1]), "x must"),
    ("string weights", lambda: rnn.rnn_forward(X, H0, "w", *P[1][1:]), "weight_ih"),
]


@pytest.mark.parametrize("call,match", [b[1:] for b in BAD], ids=[b[0] for b in BAD])
def test_bad_shapes_raise_a_value_error_naming_the_argument(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_sizes_are_checked_before_anything_is_allocated():
    from course_utils._validate import MAX_ELEMENTS

    big = np.broadcast_to(np.float32(0), (MAX_ELEMENTS // 100, 50, 1))   # no memory behind it
    with pytest.raises(ValueError, match="values"):
        rnn.rnn_forward(big, None, np.zeros((4, 1)), np.zeros((4, 4)))
