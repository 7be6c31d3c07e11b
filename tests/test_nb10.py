"""Notebook 10's library: the gap task, the unrolled-network figures and explorer, and chapter 4's
checkers. Oracles: PyTorch's layers (nn.RNN, nn.RNNCell, nn.Embedding) and direct counts."""
import numpy as np
import pytest
import torch
from matplotlib.figure import Figure
from torch import nn

from course_utils import checks, sequences, viz, widgets
from course_utils.checks import WrongAnswer

# --- the gap task ---------------------------------------------------------------------------------


def test_gap_task_layout():
    x, y = sequences.gap_task(500, gap=6, classes=3, noise=0.5, seed=1)
    assert x.shape == (500, 8, 4) and x.dtype == torch.float32
    assert y.shape == (500,) and y.dtype == torch.int64 and set(y.tolist()) == {0, 1, 2}
    np.testing.assert_array_equal(x[:, 0, :3].argmax(1), y)            # the cue, one-hot
    assert torch.all(x[:, 0].sum(1) == 1) and torch.all(x[:, :-1, 3] == 0)
    assert torch.all(x[:, -1] == torch.tensor([0.0, 0.0, 0.0, 1.0]))   # the query
    noise = x[:, 1:-1, :3]
    assert abs(float(noise.std()) - 0.5) < 0.03 and abs(float(noise.mean())) < 0.03


def test_gap_task_is_seeded_and_leaves_the_global_state_alone():
    torch.manual_seed(123)
    before = torch.rand(1)
    torch.manual_seed(123)
    a = sequences.gap_task(20, 3, seed=4)
    assert torch.equal(torch.rand(1), before)
    b = sequences.gap_task(20, 3, seed=4)
    c = sequences.gap_task(20, 3, seed=5)
    assert torch.equal(a[0], b[0]) and torch.equal(a[1], b[1])
    assert not torch.equal(a[0], c[0])


def test_gap_zero_is_cue_then_query():
    x, y = sequences.gap_task(4, gap=0, seed=0)
    assert x.shape == (4, 2, 5)


def test_gap_classifier_reads_the_last_state_of_nn_rnn():
    torch.manual_seed(0)
    model = sequences.GapClassifier(classes=4, hidden_size=6)
    x, _ = sequences.gap_task(3, 5, seed=0)
    hs, h_n = model.rnn(x)
    np.testing.assert_allclose(model(x).detach(), model.out(h_n[0]).detach(), atol=1e-6)
    assert model(x).shape == (3, 4)


def test_train_gap_reports_its_own_test_accuracy():
    r = sequences.train_gap(1, seed=0, steps=60, hidden_size=16, n_test=300)
    assert len(r.step_losses) == len(r.step_grad_norms) == 60
    x, y = sequences.gap_task(300, 1, seed=0 + 1_000_003)
    with torch.no_grad():
        acc = float((r.model(x).argmax(1) == y).float().mean())
    assert r.accuracy == pytest.approx(acc)
    assert r.solved == (r.accuracy >= sequences.GAP_SOLVED)


def test_a_short_gap_is_learned_and_training_is_reproducible():
    a = sequences.train_gap(1, seed=3, steps=150, hidden_size=16, n_test=300)
    b = sequences.train_gap(1, seed=3, steps=150, hidden_size=16, n_test=300)
    assert a.accuracy > 0.9                          # chance is 0.25
    np.testing.assert_array_equal(a.step_losses, b.step_losses)


def test_gap_sweep_nests_gaps_then_seeds():
    runs = sequences.gap_sweep([0, 1], [5, 6], steps=3, hidden_size=4, n_test=10)
    assert [(r.gap, r.seed) for r in runs] == [(0, 5), (0, 6), (1, 5), (1, 6)]


# --- the figures and the explorer ---------------------------------------------------------------

def _sequence(T=5, D=3, H=4, seed=0):
    torch.manual_seed(seed)
    cell = nn.RNN(D, H, batch_first=True).double()
    x = torch.randn(T, D, dtype=torch.float64)
    hs = cell(x[None])[0][0].detach().numpy()
    weights = [p.detach().numpy() for p in (cell.weight_ih_l0, cell.weight_hh_l0, cell.bias_ih_l0,
                                            cell.bias_hh_l0)]
    return x.numpy(), hs, weights


def test_render_unrolled_draws_the_computed_steps_only():
    x, hs, (wih, whh, bih, bhh) = _sequence()
    prev = np.vstack([np.zeros((1, 4)), hs[:-1]])
    terms = (x @ wih.T + bih, prev @ whh.T + bhh)
    np.testing.assert_allclose(np.tanh(terms[0] + terms[1]), hs, atol=1e-12)  # nn.RNN's states
    for step in (0, 2, 4):
        fig = Figure()
        viz.render_unrolled(fig, x, hs, step, list("abcde"), terms)
        cells = fig.axes[0].collections[0]
        assert len(cells.get_paths()) == (step + 1) * (3 + 4) + 4   # x_t, h_t up to step; h_-1
        np.testing.assert_allclose(cells.get_array()[-4:], np.clip(hs[step], -1, 1))
        assert len(fig.axes) == 2


def test_render_unrolled_rejects_what_does_not_fit():
    x, hs, _ = _sequence()
    with pytest.raises(ValueError, match="step"):
        viz.render_unrolled(Figure(), x, hs, 5)
    with pytest.raises(ValueError, match="labels"):
        viz.render_unrolled(Figure(), x, hs, 0, ["a"])
    with pytest.raises(ValueError, match="terms"):
        viz.render_unrolled(Figure(), x, hs, 0, None, (hs, hs[:2]))
    with pytest.raises(ValueError, match="steps"):
        viz.render_unrolled(Figure(), np.zeros((30, 2)), np.zeros((30, 2)), 0)


def test_render_text_states_colours_each_character():
    text = "Kent.\nAy, my lord.\n"
    values = np.linspace(-1, 1, len(text))
    fig = Figure()
    viz.render_text_states(fig, text, values, title="unit 3")
    image = fig.axes[0].images[0].get_array()
    assert image.shape == (3, 64)
    assert image[0, 0] == values[0] and image[1, 0] == values[6]      # a new row after "\n"
    assert np.ma.is_masked(image[2, 0])                               # nothing after the last "\n"
    with pytest.raises(ValueError, match="values"):
        viz.render_text_states(Figure(), text, values[:-1])


def test_unrolled_explorer_shows_every_step_and_explains_the_end():
    x, _, weights = _sequence(T=4)
    app = widgets.unrolled_explorer({"long": (list("abcd"), x), "short": (["a", "b"], x[:2])},
                                    *weights)
    for step in range(4):
        assert app.set(sequence="long", step=step).kind == "figure"
    r = app.set(sequence="short", step=3)
    assert r.kind == "message" and "past its end" in r.message


# --- the checkers ---------------------------------------------------------------------------------

def test_correct_answers_pass(capsys):
    checks.check_rnn_step(lambda x, h, W, b: np.tanh(np.concatenate([x, h], 1) @ W.T + b))
    checks.check_rnn_step(lambda x, h, W, b: torch.tanh(
        torch.cat([torch.from_numpy(x), torch.from_numpy(h)], 1).float() @ torch.from_numpy(W).T.float()
        + torch.from_numpy(b).float()))
    checks.check_rnn_parameters(lambda D, H: sum(p.numel() for p in nn.RNN(D, H).parameters()))
    checks.check_embedding_lookup(lambda ids, t: np.eye(len(t))[ids] @ t)
    checks.check_embedding_lookup(lambda ids, t: t[ids])          # the same numbers
    assert capsys.readouterr().out.count("Correct") == 5


@pytest.mark.parametrize("wrong,hint", [
    (lambda x, h, W, b: np.concatenate([x, h], 1) @ W.T + b, "tanh"),
    (lambda x, h, W, b: np.tanh(np.concatenate([h, x], 1) @ W.T + b), "x_t first"),
    (lambda x, h, W, b: np.tanh(np.concatenate([x, h], 1) @ W.T), "add b"),
])
def test_rnn_step_mistakes_get_a_hint(wrong, hint):
    with pytest.raises(WrongAnswer, match=hint):
        checks.check_rnn_step(wrong)


@pytest.mark.parametrize("wrong,hint", [
    (lambda D, H: H * D + H * H + H, "two bias"),
    (lambda D, H: H * D + H * H, "biases"),
    (lambda D, H: H * D + 2 * H, "W_hh"),
    (lambda D, H: 4 * H * (D + H), "weight_ih"),
])
def test_rnn_parameters_mistakes_get_a_hint(wrong, hint):
    with pytest.raises(WrongAnswer, match=hint):
        checks.check_rnn_parameters(wrong)


def test_embedding_lookup_one_hot_without_the_table_gets_a_hint():
    with pytest.raises(WrongAnswer, match="multiply them by the table"):
        checks.check_embedding_lookup(lambda ids, t: np.eye(len(t))[ids])
    with pytest.raises(WrongAnswer, match="one-hot"):
        checks.check_embedding_lookup(lambda ids, t: t[::-1][ids])
