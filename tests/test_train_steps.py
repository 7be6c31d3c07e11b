"""fit's step hook for sequence models: per-token loss, perplexity, truncated BPTT with carried
state, gradient clipping with the pre-clip norm recorded, a custom teacher-forcing step, BLEU.

Oracles: PyTorch run over the whole sequence at once (for the carried state), torch's own
clip_grad_norm_ and a hand-made SGD step (for clipping), F.cross_entropy over every token (for
the per-token loss), nltk's corpus_bleu (for BLEU)."""
from __future__ import annotations

import math

import pytest
import torch
from torch import nn
from torch.nn import functional as F

from course_utils.train import (
    ClassifierStep,
    History,
    SequenceStep,
    StepOutput,
    bleu,
    evaluate,
    fit,
    sequence_pairs,
)

V = 7  # vocabulary of the toy streams


class CharLSTM(nn.Module):
    """Embedding -> LSTM -> logits; forward(x, hidden) -> (logits (N, T, V), (h, c))."""

    def __init__(self, vocab=V, hidden=16):
        super().__init__()
        self.emb = nn.Embedding(vocab, 8)
        self.lstm = nn.LSTM(8, hidden, batch_first=True)
        self.out = nn.Linear(hidden, vocab)

    def forward(self, x, hidden=None):
        h, hidden = self.lstm(self.emb(x), hidden)
        return self.out(h), hidden


def periodic_stream(n=2_001, seed=0):
    """A stream that a recurrent net can predict: a fixed random period of 5 symbols, repeated."""
    g = torch.Generator().manual_seed(seed)
    period = torch.randint(0, V, (5,), generator=g)
    return period.repeat(n // 5 + 1)[:n]


def test_sequence_pairs_rows_continue_from_batch_to_batch():
    tokens = torch.arange(100)
    X, Y = sequence_pairs(tokens, batch_size=3, seq_len=4)
    K = 99 // 12
    assert X.shape == Y.shape == (K * 3, 4)
    assert torch.equal(Y, X + 1)                          # the targets are the next tokens
    for k in range(K - 1):                                # row b of batch k+1 continues row b
        for b in range(3):
            assert X[(k + 1) * 3 + b, 0] == X[k * 3 + b, -1] + 1
    rows = [torch.cat([X[k * 3 + b] for k in range(K)]) for b in range(3)]
    assert torch.equal(torch.cat(rows), tokens[:K * 12])  # the stream, cut into 3 rows, in order


def test_carried_state_equals_running_each_row_at_once():
    """TBPTT with carried (detached) state computes the same forward pass as the whole row."""
    torch.manual_seed(0)
    model = CharLSTM()
    tokens = periodic_stream(400)
    B, T = 4, 9
    X, Y = sequence_pairs(tokens, B, T)
    got = evaluate(model, (X, Y), device="cpu", batch_size=B, step=SequenceStep(carry_state=True))
    K = len(X) // B
    rows_x = torch.stack([torch.cat([X[k * B + b] for k in range(K)]) for b in range(B)])
    rows_y = torch.stack([torch.cat([Y[k * B + b] for k in range(K)]) for b in range(B)])
    with torch.no_grad():
        logits, _ = model(rows_x)
        want = F.cross_entropy(logits.flatten(0, 1), rows_y.flatten()).item()
        acc = (logits.argmax(-1) == rows_y).float().mean().item()
    assert got["loss"] == pytest.approx(want, rel=1e-5)
    assert got["acc"] == pytest.approx(acc)
    assert got["ppl"] == pytest.approx(math.exp(want), rel=1e-5)
    assert got["bits"] == pytest.approx(want / math.log(2), rel=1e-5)
    without = evaluate(model, (X, Y), device="cpu", batch_size=B, step=restart_every_batch)
    assert without["loss"] != pytest.approx(want, rel=1e-4)  # the carried state matters


def test_fit_reads_carried_test_data_in_its_own_batch_size():
    """fit's test metrics with a carried state are those of each row run at once (as above), also
    when the test data has more rows than one evaluation batch of 512 would keep in order."""
    torch.manual_seed(0)
    model = CharLSTM()
    B, T = 4, 3
    X, Y = sequence_pairs(periodic_stream(3_001), B, T)    # 1,000 rows: more than 512
    h = fit(model, (X[:8], Y[:8]), (X, Y), epochs=1, batch_size=B, shuffle=False, seed=0,
            step=SequenceStep(carry_state=True), optimizer=lambda p: torch.optim.SGD(p, lr=0.1),
            progress=False, device="cpu")
    K = len(X) // B
    rows_x = torch.stack([torch.cat([X[k * B + b] for k in range(K)]) for b in range(B)])
    rows_y = torch.stack([torch.cat([Y[k * B + b] for k in range(K)]) for b in range(B)])
    with torch.no_grad():
        want = F.cross_entropy(model(rows_x)[0].flatten(0, 1), rows_y.flatten()).item()
    assert h.last["test_loss"] == pytest.approx(want, rel=1e-5)


def restart_every_batch(model, batch, state):
    """A step that restarts the LSTM at every batch: what carrying the state avoids."""
    x, y = batch
    logits, _ = model(x)
    return StepOutput(F.cross_entropy(logits.flatten(0, 1), y.flatten()), y.numel())


def test_per_token_loss_ignores_padding():
    torch.manual_seed(0)
    model = nn.Sequential(nn.Embedding(V, V))
    X = torch.randint(0, V, (6, 5))
    Y = torch.randint(0, V, (6, 5))
    Y[:, 3:] = -1                                          # padding
    got = evaluate(model, (X, Y), device="cpu", batch_size=4, step=SequenceStep(ignore_index=-1))
    with torch.no_grad():
        logits = model(X)
        keep = Y != -1
        want = F.cross_entropy(logits[keep], Y[keep], reduction="sum").item() / keep.sum().item()
    assert got["loss"] == pytest.approx(want, rel=1e-6)


def test_a_language_model_learns_with_tbptt_and_clipping():
    torch.manual_seed(0)
    model = CharLSTM()
    X, Y = sequence_pairs(periodic_stream(), batch_size=8, seq_len=10)
    before = evaluate(model, (X, Y), device="cpu", batch_size=8,
                      step=SequenceStep(carry_state=True))
    h = fit(model, (X, Y), (X, Y), epochs=6, batch_size=8, shuffle=False, device="cpu",
            progress=False, optimizer=lambda p: torch.optim.Adam(p, lr=1e-2),
            step=SequenceStep(carry_state=True), clip_grad_norm=0.25, seed=0)
    assert {"train_ppl", "test_ppl", "train_bits", "test_bits"} <= set(h.keys())
    assert before["ppl"] > 4.0 and h.last["test_ppl"] < 1.2    # 5 symbols in a fixed order
    assert h.best("test_ppl") == min(h["test_ppl"]) and h.best("test_acc") == max(h["test_acc"])
    assert len(h.step_grad_norms) == len(h.step_losses) == 6 * (len(X) // 8)
    assert max(h.step_grad_norms) > 0.25                 # clipping had something to do
    assert "ppl" in repr(h)


def test_clipping_records_the_norm_before_clipping_and_updates_with_the_clipped_gradient():
    torch.manual_seed(0)
    model = nn.Linear(3, 2)
    X, y = torch.randn(8, 3) * 10, torch.tensor([0, 1] * 4)
    twin = nn.Linear(3, 2)
    twin.load_state_dict(model.state_dict())
    h = fit(model, (X, y), epochs=1, batch_size=8, lr=0.1, momentum=0.0, clip_grad_norm=0.5,
            device="cpu", progress=False, seed=0)
    loss = F.cross_entropy(twin(X), y)   # one batch of all 8: the order does not matter
    loss.backward()
    norm = nn.utils.clip_grad_norm_(twin.parameters(), 0.5)
    with torch.no_grad():
        for p in twin.parameters():
            p -= 0.1 * p.grad
    assert norm.item() > 0.5
    assert h.step_grad_norms[0] == pytest.approx(norm.item(), rel=1e-6)
    for a, b in zip(model.parameters(), twin.parameters()):
        torch.testing.assert_close(a, b)


def test_without_clipping_the_norm_is_recorded_and_nothing_changes():
    torch.manual_seed(0)
    model = nn.Linear(3, 2)
    X, y = torch.randn(8, 3), torch.tensor([0, 1] * 4)
    twin = nn.Linear(3, 2)
    twin.load_state_dict(model.state_dict())
    h = fit(model, (X, y), epochs=1, batch_size=8, lr=0.1, momentum=0.0, device="cpu",
            progress=False, seed=0)
    F.cross_entropy(twin(X), y).backward()
    want = torch.sqrt(sum((p.grad ** 2).sum() for p in twin.parameters())).item()
    assert h.step_grad_norms == [pytest.approx(want, rel=1e-6)]


def copy_data(n=256, T=4, seed=0):
    """Sequence to sequence: copy a 4-token sequence (tokens 2..6), BOS=1 starts the target."""
    g = torch.Generator().manual_seed(seed)
    src = torch.randint(2, V, (n, T), generator=g)
    tgt = torch.cat([torch.ones(n, 1, dtype=torch.long), src], 1)
    return src, tgt


class TinySeq2Seq(nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(V, 16)
        self.enc = nn.GRU(16, 32, batch_first=True)
        self.dec = nn.GRU(16, 32, batch_first=True)
        self.out = nn.Linear(32, V)

    def forward(self, src, tgt_in, teacher_forcing: float, generator=None):
        _, h = self.enc(self.emb(src))
        tok, logits = tgt_in[:, :1], []
        for t in range(tgt_in.shape[1]):
            o, h = self.dec(self.emb(tok), h)
            logits.append(self.out(o))
            use_truth = (t + 1 < tgt_in.shape[1] and
                         torch.rand((), generator=generator).item() < teacher_forcing)
            tok = tgt_in[:, t + 1:t + 2] if use_truth else logits[-1].argmax(-1)
        return torch.cat(logits, 1)


def test_a_custom_teacher_forcing_step_and_bleu_from_the_callback():
    torch.manual_seed(0)
    gen = torch.Generator().manual_seed(0)

    def seq2seq_step(model, batch, state):
        src, tgt = batch
        ratio = 0.5 if model.training else 0.0      # free running when evaluating
        logits = model(src, tgt[:, :-1], ratio, gen)
        return StepOutput(F.cross_entropy(logits.flatten(0, 1), tgt[:, 1:].flatten()),
                          tgt[:, 1:].numel())

    src, tgt = copy_data()
    src_test, tgt_test = copy_data(64, seed=1)

    def test_bleu(model, record):
        with torch.no_grad():
            model.eval()
            out = model(src_test, tgt_test[:, :-1], 0.0).argmax(-1)
            model.train()
        return {"test_bleu": bleu([o.tolist() for o in out], [[t.tolist()] for t in
                                                               tgt_test[:, 1:]])}

    model = TinySeq2Seq()
    h = fit(model, (src, tgt), (src_test, tgt_test), epochs=12, batch_size=32, device="cpu",
            progress=False, optimizer=lambda p: torch.optim.Adam(p, lr=1e-2),
            step=seq2seq_step, callback=test_bleu, seed=0)
    assert h["test_bleu"][0] < h.last["test_bleu"]
    assert h.last["test_bleu"] > 50 and h.best("test_bleu") == max(h["test_bleu"])
    assert h.last["test_loss"] < h["test_loss"][0] / 2
    assert math.isnan(h.last["test_acc"])                # this step reports no accuracy


def test_the_classifier_step_is_the_default():
    torch.manual_seed(0)
    X, y = torch.randn(40, 3), torch.arange(40) % 2
    a, b = nn.Linear(3, 2), nn.Linear(3, 2)
    b.load_state_dict(a.state_dict())
    ha = fit(a, (X, y), (X, y), epochs=2, batch_size=8, device="cpu", progress=False, seed=1)
    hb = fit(b, (X, y), (X, y), epochs=2, batch_size=8, device="cpu", progress=False, seed=1,
             step=ClassifierStep())
    assert ha["test_acc"] == hb["test_acc"] and ha.step_losses == hb.step_losses


def test_history_takes_a_run_s_own_metrics():
    h = History()
    h.append(epoch=1, train_loss=2.0, test_bleu=10.0, test_ppl=7.0)
    h.append(epoch=2, train_loss=1.0, test_bleu=20.0, test_ppl=3.0)
    assert h.keys()[-2:] == ("test_bleu", "test_ppl")
    assert h.best("test_bleu") == 20.0 and h.best("test_ppl") == 3.0
    assert math.isnan(h["test_acc"][0])
    with pytest.raises(KeyError):
        h["bleu"]
    with pytest.raises(ValueError, match="metric"):
        h.best("bogus")


# --- BLEU against nltk --------------------------------------------------------------------------

def test_bleu_is_nltk_s_corpus_bleu():
    """Candidates of at least 4 tokens: for shorter ones nltk counts max(1, #n-grams) in the
    denominator, a quirk of its own; the paper (and sacrebleu) count the n-grams there are."""
    from nltk.translate import bleu_score as nltk_bleu
    g = torch.Generator().manual_seed(0)
    words = "the cat sat on a mat dog ran in park".split()
    for trial in range(30):
        cands, refs = [], []
        for _ in range(int(torch.randint(1, 6, (), generator=g))):
            n_refs = int(torch.randint(1, 4, (), generator=g))
            ref = [[words[i] for i in torch.randint(0, 10, (int(torch.randint(6, 12, (),
                                                                              generator=g)),),
                                                       generator=g)] for _ in range(n_refs)]
            cand = list(ref[0])
            for _ in range(int(torch.randint(0, 3, (), generator=g))):   # a few word errors
                cand[int(torch.randint(0, len(cand), (), generator=g))] = "xx"
            if torch.rand((), generator=g) < 0.3:
                cand = cand[:-2]                                         # a short candidate
            cands.append(cand)
            refs.append(ref)
        want = 100 * nltk_bleu.corpus_bleu(refs, cands)
        assert bleu(cands, refs) == pytest.approx(want, rel=1e-9, abs=1e-9), trial


def test_bleu_of_the_paper_s_example():
    """Papineni et al. (2002), section 2.1: 'the the the ...' against 'the cat is on the mat'
    has modified unigram precision 2/7."""
    cand = ["the"] * 7
    refs = [["the", "cat", "is", "on", "the", "mat"], ["there", "is", "a", "cat", "on", "the",
                                                       "mat"]]
    assert bleu([cand], [refs], max_n=1) == pytest.approx(100 * 2 / 7)
    assert bleu([refs[0]], [refs]) == pytest.approx(100.0)
    assert bleu([["a", "b"]], [[["c", "d"]]]) == 0.0


def test_render_history_draws_a_run_s_own_metrics_and_the_gradient_norms():
    from matplotlib.figure import Figure

    from course_utils.viz import render_history

    torch.manual_seed(0)
    X, Y = sequence_pairs(periodic_stream(300), batch_size=4, seq_len=5)
    h = fit(CharLSTM(), (X, Y), (X, Y), epochs=2, batch_size=4, shuffle=False, device="cpu",
            progress=False, step=SequenceStep(carry_state=True), clip_grad_norm=1.0, seed=0)
    classifier = fit(nn.Linear(3, 2), (torch.randn(20, 3), torch.arange(20) % 2), epochs=2,
                     device="cpu", progress=False, seed=0)
    fig = Figure()
    render_history(fig, {"lstm": h, "linear": classifier},
                   metrics=("test_ppl", "step_grad_norms"), logy=True)
    ppl, norms = fig.axes
    assert len(ppl.lines) == 1 and list(ppl.lines[0].get_ydata()) == h["test_ppl"]
    assert len(norms.lines) == 2 and list(norms.lines[0].get_ydata()) == h.step_grad_norms
    with pytest.raises(ValueError, match="unknown metrics"):
        render_history(Figure(), h, metrics=("test_bleu",))
