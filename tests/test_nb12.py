"""Notebook 12's library: bracket texts, unit correlations, an LSTM's states through the NumPy
layer, the gate renderer and explorer, and the chapter's checkers. Oracles: the depth recounted
character by character, np.corrcoef, nn.LSTM itself."""
import numpy as np
import pytest
import torch
from matplotlib.figure import Figure
from torch import nn

from course_utils.checks import GATE_BEHAVIOURS, WrongAnswer, check_cell_update, check_gate_roles
from course_utils.sequences.gates import (
    BRACKET_ALPHABET,
    bracket_sequences,
    bracket_text,
    lstm_states,
    unit_correlations,
)
from course_utils.viz import render_gate_trace
from course_utils.widgets.gates import gate_explorer, gate_explorer_demo


@pytest.mark.parametrize("seed,max_depth", [(0, 6), (3, 2), (7, 1)])
def test_bracket_depth_is_the_recounted_depth(seed, max_depth):
    tokens, depth = bracket_sequences(20, 50, seed=seed, max_depth=max_depth)
    assert tokens.shape == depth.shape == (20, 50)
    for row, d_row in zip(tokens, depth):
        d = 0
        for ch, want in zip(bracket_text(row), d_row):
            d += {"(": 1, ")": -1}.get(ch, 0)
            assert 0 <= d <= max_depth and d == want
    again = bracket_sequences(20, 50, seed=seed, max_depth=max_depth)
    assert all(np.array_equal(a, b) for a, b in zip((tokens, depth), again))
    assert set(np.unique(tokens)) <= set(range(len(BRACKET_ALPHABET)))


def test_unit_correlations_match_corrcoef():
    rng = np.random.default_rng(0)
    target = rng.integers(0, 5, (6, 9)).astype(float)
    states = rng.standard_normal((6, 9, 4))
    states[..., 1] += 3 * target
    states[..., 3] = 2.0                                     # a unit that never changes
    got = unit_correlations(states, target)
    for u in range(3):
        want = np.corrcoef(states[..., u].ravel(), target.ravel())[0, 1]
        assert got[u] == pytest.approx(want, abs=1e-12)
    assert got[3] == 0 and got[1] > 0.9


def test_lstm_states_equal_nn_lstm():
    torch.manual_seed(0)
    lstm = nn.LSTM(4, 5, batch_first=True)
    x = torch.randn(3, 7, 4)
    out, (h_n, c_n) = lstm(x)
    states = lstm_states(lstm, x)
    np.testing.assert_allclose(states.h, out.detach().numpy(), atol=1e-6)
    np.testing.assert_allclose(states.c_n, c_n[0].detach().numpy(), atol=1e-6)
    assert states.gates.f.shape == (3, 7, 5) and (0 < states.gates.f).all()


def test_render_gate_trace_draws_two_panels():
    fig = Figure()
    T = 5
    render_gate_trace(fig, "(a)b(", {k: np.linspace(0, 1, T) for k in "fiog"}, np.arange(T),
                      step=2, target=[1, 1, 0, 0, 1], target_name="depth")
    assert len(fig.axes) == 3                                # C, its twin for the target, gates


def test_gate_explorer_orders_units_by_correlation():
    T, H = 6, 3
    gates = {k: np.full((T, H), 0.5) for k in "ifgo"}
    app = gate_explorer("(a)b((", gates, np.zeros((T, H)), correlations=[0.1, -0.9, 0.5])
    assert app.controls["unit"].options[0].startswith("unit 1 (r = -0.90)")
    assert app.last.kind == "figure"


def test_gate_explorer_demo_draws():
    app = gate_explorer_demo()
    assert app.last.kind == "figure"
    assert app.set(candidate=True).kind == "figure"


def _cell_update(xh, c_prev, W_f, b_f, W_i, b_i, W_C, b_C):
    def sig(a):
        return 1 / (1 + np.exp(-a))
    return sig(xh @ W_f.T + b_f) * c_prev + sig(xh @ W_i.T + b_i) * np.tanh(xh @ W_C.T + b_C)


def test_check_cell_update_accepts_the_equation_and_names_the_erratum(capsys):
    check_cell_update(_cell_update)
    assert capsys.readouterr().out.startswith("Correct")

    def with_w_i(xh, c_prev, W_f, b_f, W_i, b_i, W_C, b_C):
        return _cell_update(xh, c_prev, W_f, b_f, W_i, b_i, W_i, b_C)

    with pytest.raises(WrongAnswer, match="erratum"):
        check_cell_update(with_w_i)

    def no_forget(xh, c_prev, W_f, b_f, W_i, b_i, W_C, b_C):
        return _cell_update(xh, 0 * c_prev, W_f, b_f, W_i, b_i, W_C, b_C)

    with pytest.raises(WrongAnswer, match="C_t = f"):
        check_cell_update(no_forget)


def test_check_gate_roles(capsys):
    right = dict(zip(GATE_BEHAVIOURS, ["forget", "input", "candidate", "output", "forget",
                                       "update"]))
    check_gate_roles(lambda: right)
    assert capsys.readouterr().out.startswith("Correct")
    with pytest.raises(WrongAnswer, match="update|factor"):
        check_gate_roles(lambda: right | {GATE_BEHAVIOURS[5]: "reset"})
    with pytest.raises(WrongAnswer, match="one of"):
        check_gate_roles(lambda: right | {GATE_BEHAVIOURS[0]: "memory"})
