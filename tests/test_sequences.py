"""course_utils.sequences: the adding problem, the recurrent regressor and its state gradients,
each against an independent route (the targets recomputed from the marker positions, nn.RNN /
nn.LSTM / nn.GRU as the oracle of the unrolled loop, torch.autograd.grad for the state
gradients)."""
from __future__ import annotations

import numpy as np
import pytest
import torch

from course_utils import sequences as sq


def test_adding_problem_has_two_marks_one_per_half_and_the_sum_as_target():
    x, y = sq.adding_problem(500, 11, seed=3)
    assert x.shape == (500, 11, 2) and y.shape == (500,)
    assert x.dtype == torch.float32 and y.dtype == torch.float32
    marks = x[:, :, 1]
    assert set(marks.unique().tolist()) <= {0.0, 1.0}
    assert (marks.sum(1) == 2).all()
    assert (marks[:, :5].sum(1) == 1).all() and (marks[:, 5:].sum(1) == 1).all()
    for n in range(0, 500, 37):  # the target by another route: the two marked positions
        a, b = [int(i) for i in np.flatnonzero(marks[n].numpy())]
        assert float(y[n]) == pytest.approx(float(x[n, a, 0]) + float(x[n, b, 0]), abs=1e-6)
    assert ((x[:, :, 0] >= 0) & (x[:, :, 0] < 1)).all()


def test_adding_problem_is_seeded_and_leaves_the_global_state_alone():
    torch.manual_seed(0)
    before = torch.rand(1)
    torch.manual_seed(0)
    a = sq.adding_problem(4, 6, seed=1)
    after = torch.rand(1)
    assert torch.equal(before, after)
    b = sq.adding_problem(4, 6, seed=1)
    c = sq.adding_problem(4, 6, seed=2)
    assert torch.equal(a[0], b[0]) and not torch.equal(a[0], c[0])


def test_the_baseline_mse_is_the_variance_of_the_target():
    _, y = sq.adding_problem(200_000, 4, seed=0)
    assert float(((y - 1.0) ** 2).mean()) == pytest.approx(sq.ADDING_BASELINE_MSE, rel=0.01)
    assert float(y.mean()) == pytest.approx(1.0, abs=0.005)


@pytest.mark.parametrize("cell", sq.CELLS)
def test_the_unrolled_loop_matches_pytorchs_layer(cell):
    torch.manual_seed(0)
    model = sq.SequenceRegressor(cell, input_size=3, hidden_size=5).double()
    x = torch.randn(4, 7, 3, dtype=torch.float64)
    fast = model(x)
    slow = model(x, keep_states=True)
    torch.testing.assert_close(slow, fast, rtol=1e-12, atol=1e-12)
    # every kept state against the oracle's output sequence (and, for the LSTM, its last C)
    out, last = model.rnn(x)
    got = torch.stack(model.states_h, dim=1)
    torch.testing.assert_close(got, out, rtol=1e-12, atol=1e-12)
    if cell == "lstm":
        torch.testing.assert_close(model.states_c[-1], last[1][0], rtol=1e-12, atol=1e-12)
    else:
        assert model.states_c is None


def test_relu_rnn_matches_nn_rnn():
    torch.manual_seed(1)
    model = sq.SequenceRegressor("rnn", hidden_size=6, nonlinearity="relu").double()
    x = torch.rand(3, 9, 2, dtype=torch.float64)
    torch.testing.assert_close(model(x, keep_states=True), model(x), rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("cell", sq.CELLS)
def test_state_gradient_norms_match_autograd(cell):
    torch.manual_seed(0)
    model = sq.SequenceRegressor(cell, hidden_size=6).double()
    x, y = sq.adding_problem(5, 8, seed=0)
    x, y = x.double(), y.double()
    for p in model.parameters():
        p.grad = torch.full_like(p, 7.0)
    got = sq.state_gradient_norms(model, x, y)
    # the parameters' gradients are left alone
    assert all(torch.equal(p.grad, torch.full_like(p, 7.0)) for p in model.parameters())
    pred = model(x, keep_states=True)
    states = model.states_h + (model.states_c or [])
    grads = torch.autograd.grad(((pred - y) ** 2).sum(), states)
    want_h = [float(g.norm(dim=1).mean()) for g in grads[:8]]
    np.testing.assert_allclose(got["h"], want_h, rtol=1e-10)
    if cell == "lstm":
        np.testing.assert_allclose(got["c"], [float(g.norm(dim=1).mean()) for g in grads[8:]],
                                   rtol=1e-10)
    else:
        assert got["c"] is None
    # and per example, by finite differences at the last step: dl_n/dh_T = 2 (y_hat - y) w
    with torch.no_grad():
        err = model(x) - y
    w = model.head.weight[0].detach()
    np.testing.assert_allclose(got["h"][-1], float((2 * err.abs()).mean() * w.norm()), rtol=1e-10)


def test_retained_state_gradients_after_backward():
    torch.manual_seed(0)
    model = sq.SequenceRegressor("rnn", hidden_size=4)
    x, y = sq.adding_problem(3, 5, seed=0)
    loss = ((model(x, keep_states=True) - y) ** 2).mean()
    loss.backward()
    assert all(h.grad is not None and h.grad.shape == (3, 4) for h in model.states_h)


def test_train_long_lag_records_the_run_and_is_reproducible():
    a = sq.train_long_lag("rnn", 6, seed=0, steps=20, hidden_size=8, batch_size=16, n_test=64)
    b = sq.train_long_lag("rnn", 6, seed=0, steps=20, hidden_size=8, batch_size=16, n_test=64)
    assert len(a.step_losses) == 20 and len(a.step_grad_norms) == 20
    assert a.test_mse == b.test_mse and np.array_equal(a.step_losses, b.step_losses)
    # the held-out MSE, recomputed from the model
    xt, yt = sq.adding_problem(64, 6, seed=0 + sq.experiments.TEST_SEED_OFFSET)
    with torch.no_grad():
        mse = float(((a.model(xt) - yt) ** 2).mean())
    assert a.test_mse == pytest.approx(mse, rel=1e-5)
    assert a.solved == (a.test_mse < sq.SUCCESS_MSE)


def test_a_short_adding_problem_is_learned():
    r = sq.train_long_lag("lstm", 4, seed=0, steps=600, hidden_size=16, batch_size=32,
                          n_test=256)
    assert r.test_mse < 0.3 * sq.ADDING_BASELINE_MSE


def test_sweep_and_success_table():
    runs = sq.long_lag_sweep(("rnn", "gru"), (4,), (0, 1), steps=3, hidden_size=4,
                             batch_size=8, n_test=16)
    assert [(r.cell, r.T, r.seed) for r in runs] == [("rnn", 4, 0), ("rnn", 4, 1),
                                                      ("gru", 4, 0), ("gru", 4, 1)]
    table = sq.success_rate(runs, threshold=10.0)
    assert table[("rnn", 4)][:2] == (2, 2) and table[("gru", 4)][:2] == (2, 2)
    assert sq.success_rate(runs, threshold=1e-9)[("rnn", 4)][0] == 0
    text = sq.format_sweep(runs)
    assert "2" in text and "rnn" in text and "gru" in text


# --- jacobians.py: the products, the bound, the terms of BPTT, against autograd ---------------

def _torch_rnn(x, w_ih, w_hh, nonlinearity):
    """h_k (N, H) for k = 1..T as a function of h_0, in torch (the oracle's route)."""
    f = {"tanh": torch.tanh, "relu": torch.relu, "sigmoid": torch.sigmoid}[nonlinearity]

    def run(h0, k):
        h = h0
        for t in range(k):
            h = f(torch.from_numpy(x[t]) @ torch.from_numpy(w_ih).T + h @ torch.from_numpy(w_hh).T)
        return h
    return run


@pytest.mark.parametrize("nonlinearity", ["sigmoid", "tanh", "relu"])
def test_jacobian_product_norms_match_autograd_and_respect_the_bound(nonlinearity):
    T, H, lam = 12, 6, 1.7
    got = sq.jacobian_product_norms(nonlinearity, lam, T, hidden_size=H, batch=3, seed=5)
    # the same layer, rebuilt from the documented recipe
    rng = np.random.default_rng(5)
    w_hh = sq.orthogonal_matrix(H, lam, 5)
    w_ih = rng.standard_normal((H, 1))
    x = rng.standard_normal((3, T, 1))
    want = np.zeros((3, T))
    for n in range(3):
        run = _torch_rnn(x[n][:, None, :], w_ih, w_hh, nonlinearity)
        for k in range(1, T + 1):
            J = torch.autograd.functional.jacobian(lambda h0, k=k: run(h0, k)[0],
                                                   torch.zeros(1, H, dtype=torch.float64))
            want[n, k - 1] = np.linalg.norm(J[:, 0].numpy(), 2)
    np.testing.assert_allclose(got.log10_norm, np.log10(want.mean(0)), rtol=1e-8, atol=1e-8)
    assert (got.log10_norm <= got.log10_bound + 1e-9).all()
    np.testing.assert_allclose(got.log10_bound, np.arange(1, T + 1) * np.log10(
        {"sigmoid": 0.25, "tanh": 1.0, "relu": 1.0}[nonlinearity] * lam))


def test_orthogonal_matrix_has_every_singular_value_equal_to_the_scale():
    q = sq.orthogonal_matrix(7, 2.5, seed=3)
    np.testing.assert_allclose(np.linalg.svd(q, compute_uv=False), 2.5, rtol=1e-12)
    np.testing.assert_allclose(np.abs(np.linalg.eigvals(q)), 2.5, rtol=1e-10)


def test_products_do_not_overflow_or_underflow():
    big = sq.jacobian_product_norms("relu", 8.0, 400, hidden_size=8, batch=2)
    small = sq.jacobian_product_norms("sigmoid", 0.25, 400, hidden_size=8, batch=2)
    assert np.isfinite(big.log10_norm).all() and big.log10_norm[-1] > 100
    assert np.isfinite(small.log10_norm).all() and small.log10_norm[-1] < -300


def test_bptt_terms_sum_to_the_autograd_gradient_and_far_terms_vanish():
    rng = np.random.default_rng(0)
    N, T, D, H = 3, 15, 2, 5
    x = rng.standard_normal((N, T, D))
    w_ih, b = rng.standard_normal((H, D)), rng.standard_normal(H)
    w_hh = sq.orthogonal_matrix(H, 0.5, 1)
    dh = rng.standard_normal((N, H))
    terms = sq.bptt_terms(x, None, w_ih, w_hh, b, None, dh_last=dh)
    xt, wt = torch.from_numpy(x), torch.tensor(w_hh, requires_grad=True)
    h = torch.zeros(N, H, dtype=torch.float64)
    for t in range(T):
        h = torch.tanh(xt[:, t] @ torch.from_numpy(w_ih).T + torch.from_numpy(b) + h @ wt.T)
    (h * torch.from_numpy(dh)).sum().backward()
    np.testing.assert_allclose(terms.sum(0), wt.grad.numpy(), rtol=1e-10, atol=1e-12)
    norms = np.linalg.norm(terms, axis=(1, 2))
    assert norms[0] < 1e-3 * norms[-1]       # lambda_1 = 0.5: 14 steps back, at most 0.5^14


# --- train_long_lag: the record of a run that diverges ----------------------------------------

def test_the_trace_matches_fit_and_a_diverging_run_is_returned_not_raised():
    from course_utils.train import fit

    r = sq.train_long_lag("rnn", 5, seed=1, steps=15, hidden_size=6, batch_size=8, n_test=8)
    # the same run through fit directly: its recorded gradient norms are the oracle
    x, y = sq.adding_problem(15 * 8, 5, seed=1)
    torch.manual_seed(1)
    model = sq.SequenceRegressor("rnn", 2, 6)
    h = fit(model, (x, y), None, epochs=1, batch_size=8, seed=1, progress=False, device="cpu",
            optimizer=lambda p: torch.optim.Adam(p, lr=3e-3), step=sq.RegressionStep(),
            clip_grad_norm=1.0)
    np.testing.assert_allclose(r.step_grad_norms, h.step_grad_norms, rtol=1e-6)
    np.testing.assert_allclose(r.step_losses, h.step_losses, rtol=1e-6)
    bad = sq.train_long_lag("rnn", 10, seed=0, steps=200, hidden_size=16, optimizer="sgd",
                            lr=1.0, weight_scale=3.0, clip=None, n_test=8)
    assert bad.diverged_at is not None and bad.test_mse == float("inf")
    assert len(bad.step_losses) == bad.diverged_at and not bad.solved


def test_recurrent_init_sets_lambda1():
    torch.manual_seed(0)
    m = sq.SequenceRegressor("lstm", hidden_size=5)
    sq.recurrent_init(m, 1.5, seed=2)
    for k in range(4):
        s = torch.linalg.svdvals(m.rnn.weight_hh_l0[k * 5:(k + 1) * 5].detach().double())
        np.testing.assert_allclose(s.numpy(), 1.5, rtol=1e-6)


def test_set_forget_bias_opens_the_forget_gate():
    """The forget gate, read by the NumPy reference (course_utils.rnn.lstm_forward, itself tested
    against nn.LSTM) at zero input and zero state, is sigmoid(value); the other gates keep their
    biases; train_long_lag(forget_bias=...) starts from that model."""
    from course_utils import rnn

    torch.manual_seed(0)
    m = sq.SequenceRegressor("lstm", hidden_size=5)
    before = [p.detach().clone() for p in (m.rnn.bias_ih_l0, m.rnn.bias_hh_l0)]
    sq.set_forget_bias(m, 1.0)
    params = [p.detach().double().numpy() for p in (m.rnn.weight_ih_l0, m.rnn.weight_hh_l0,
                                                     m.rnn.bias_ih_l0, m.rnn.bias_hh_l0)]
    out = rnn.lstm_forward(np.zeros((1, 1, 2)), None, None, *params)[0]
    np.testing.assert_allclose(out.gates.f, 1 / (1 + np.exp(-1.0)), rtol=1e-12)
    for p, b in zip((m.rnn.bias_ih_l0, m.rnn.bias_hh_l0), before):
        keep = torch.cat([torch.arange(0, 5), torch.arange(10, 20)])
        assert torch.equal(p.detach()[keep], b[keep])
    r = sq.train_long_lag("lstm", 5, seed=0, steps=1, hidden_size=5, forget_bias=1.0, n_test=8,
                          lr=1e-9)
    f_bias = r.model.rnn.bias_ih_l0 + r.model.rnn.bias_hh_l0
    np.testing.assert_allclose(f_bias[5:10].detach().numpy(), 1.0, atol=1e-6)


# --- the figures of notebook 11 draw what they are given ----------------------------------------

def test_the_recurrent_figures_draw():
    from matplotlib.figure import Figure

    from course_utils import viz

    curves = {"tanh": {f"{lam}": sq.jacobian_product_norms("tanh", lam, 10, hidden_size=4)
                       for lam in (0.5, 2.0)}}
    viz.render_jacobian_norms(Figure(), curves)
    fig = Figure()
    viz.render_vanishing(fig, "relu", 8.0, 30)
    assert "no guarantee" in fig.axes[0].get_title()
    fig = Figure()
    viz.render_vanishing(fig, "sigmoid", 3.0, 10)
    assert "vanishing guaranteed" in fig.axes[0].get_title()
    viz.render_bptt_terms(Figure(), [1e-5, 1e-3, 1.0])
    viz.render_state_gradients(Figure(), {"rnn": [1e-8, 1e-4, 1.0]})
    runs = {"a": sq.LongLagResult("rnn", 5, 0, np.inf, np.array([1.0, np.inf]),
                                  np.array([2.0, np.nan]), 0.0, None, 2),
            "b": sq.LongLagResult("rnn", 5, 0, 0.1, np.array([1.0, 0.5]), np.array([2.0, 1.0]),
                                  0.0, None)}
    fig = Figure()
    viz.render_clipping(fig, runs, clip=1.0)
    assert len(fig.axes) == 2
    fig = Figure()
    viz.render_success(fig, {("rnn", 10): (3, 3, 0.01), ("rnn", 40): (0, 3, 0.16),
                             ("lstm", 40): (3, 3, 0.001)}, baseline=1 / 6)
    assert len(fig.axes[0].lines) == 2


def test_recorded_runs_are_well_formed():
    runs, settings = sq.recorded_long_lag()
    assert runs and {"steps", "hidden_size", "lr", "clip", "torch"} <= set(settings)
    assert all(r.cell in sq.CELLS and r.T >= 2 and 0 <= r.test_mse < 10 for r in runs)
