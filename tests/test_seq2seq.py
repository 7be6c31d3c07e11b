"""Notebook 14's library: the numbers corpus, the encoder-decoder with attention, its decoders,
the explorers and the checkers.

Oracles: the corpus against num2words (when installed) and the build rules; the model's
attention against the formulas written out with plain tensor operations; greedy decoding against
repeated teacher-forced forward passes; beam search against an exhaustive search over every
translation; BLEU against course_utils.train.bleu (tested against nltk elsewhere).
"""
from __future__ import annotations

import importlib.util
import itertools
from pathlib import Path

import numpy as np
import pytest
import torch

from course_utils import checks, seq2seq, widgets
from course_utils.text import Vocab
from course_utils.train import bleu

REPO = Path(__file__).resolve().parents[1]


def _build_module():
    spec = importlib.util.spec_from_file_location("build_numbers_corpus",
                                                  REPO / "tools" / "build_numbers_corpus.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def small_model(seed=0, src=9, tgt=8, attention=True):
    torch.manual_seed(seed)
    m = seq2seq.Seq2Seq(src, tgt, embed=6, hidden=10, attention=attention).eval()
    with torch.no_grad():   # outputs that depend on the previous word, and an early <eos>
        m.tgt_embed.weight.mul_(3.0)
        m.out.weight.mul_(3.0)
    return m


# --------------------------------------------------------------------------- corpus


def test_corpus_splits_are_disjoint_and_cover_1_to_9999():
    train, test, every = (seq2seq.load_numbers(s) for s in ("train", "test", "all"))
    assert [p.number for p in every] == list(range(1, 10_000))
    assert {p.number for p in train}.isdisjoint(p.number for p in test)
    assert len(train) + len(test) == 9_999 and 0.15 < len(test) / 9_999 < 0.25
    seen = {w for p in train for w in p.english.split() + p.german.split()}
    assert all(w in seen for p in test for w in p.english.split() + p.german.split())


def test_corpus_follows_the_build_rules():
    build = _build_module()
    for p in seq2seq.load_numbers("all"):
        assert "".join(p.german.split()) == p.written            # the split loses nothing
        assert all(w in build.GERMAN_PARTS for w in p.german.split())
    test_numbers = {p.number for p in seq2seq.load_numbers("test")}
    assert {n for n in range(1, 10_000) if build.is_test(n)} == test_numbers


def test_corpus_matches_num2words():
    num2words = pytest.importorskip("num2words").num2words
    for p in seq2seq.load_numbers("all")[::37]:
        assert p.written == num2words(p.number, lang="de")
        assert p.english.split() == num2words(p.number, lang="en").replace(",", " ").replace(
            "-", " ").split()


def test_shipped_file_is_what_the_build_script_writes():
    pytest.importorskip("num2words")
    data, notes = _build_module().build_numbers()
    assert data == (REPO / "data" / "numbers_en_de.tsv.gz").read_bytes()
    assert notes["pairs"] == 9_999


def test_german_split_examples():
    build = _build_module()
    assert build.german_tokens("siebenundneunzig") == ["sieben", "und", "neunzig"]
    assert build.german_tokens("sechzehn") == ["sechzehn"]
    assert build.german_tokens("dreißig") == ["dreißig"]
    with pytest.raises(ValueError, match="cannot split"):
        build.german_tokens("siebenundneunzigx")


# --------------------------------------------------------------------------- model


def test_attention_step_matches_the_formulas():
    m = small_model(1)
    src = torch.tensor([[4, 5, 6, 7], [8, 4, 0, 0]])
    enc = m.encode(src)
    y, h = torch.tensor([1, 5]), torch.randn(2, 10, generator=torch.Generator().manual_seed(3))
    logits, h_new, w = m.decode_step(y, h, enc)
    # the oracle: GRUCell by its own equations, then the attention formulas, one sentence at a time
    e = m.tgt_embed.weight[y]
    gi, gh = e @ m.decoder.weight_ih.T + m.decoder.bias_ih, h @ m.decoder.weight_hh.T + m.decoder.bias_hh
    r = torch.sigmoid(gi[:, :10] + gh[:, :10])
    z = torch.sigmoid(gi[:, 10:20] + gh[:, 10:20])
    n = torch.tanh(gi[:, 20:] + r * gh[:, 20:])
    h_ref = (1 - z) * n + z * h
    torch.testing.assert_close(h_new, h_ref)
    for i, length in enumerate((4, 2)):
        s = enc.states[i, :length]
        scores = torch.stack([s[j] @ m.score.weight @ h_ref[i] for j in range(length)])
        a = torch.exp(scores - scores.max()) / torch.exp(scores - scores.max()).sum()
        torch.testing.assert_close(w[i, :length], a)
        assert float(w[i, length:].detach().abs().sum()) == 0.0               # pads get no weight
        c = (a[:, None] * s).sum(0)
        o = torch.tanh(m.combine.weight @ torch.cat([c, h_ref[i]]) + m.combine.bias)
        torch.testing.assert_close(logits[i], m.out.weight @ o + m.out.bias)


def test_encoder_ignores_padding():
    m = small_model(2)
    alone = m.encode(torch.tensor([[4, 5]]))
    padded = m.encode(torch.tensor([[4, 5, 0, 0], [6, 7, 8, 4]]))
    torch.testing.assert_close(padded.hidden[0], alone.hidden[0])
    torch.testing.assert_close(padded.states[0, :2], alone.states[0])
    gru_out, _ = m.encoder(m.src_embed(torch.tensor([[4, 5]])))     # nn.GRU itself
    torch.testing.assert_close(alone.hidden[0], gru_out[0, -1])


def test_teacher_forcing_feeds_the_reference_and_free_running_its_own_words():
    m = small_model(3)
    src, tgt_in = torch.tensor([[4, 5, 6]]), torch.tensor([[1, 4, 6, 5]])
    forced = m(src, tgt_in, teacher_forcing=1.0)
    enc = m.encode(src)
    h = enc.hidden
    for t in range(4):      # the oracle: step by step with the reference as input
        lt, h, _ = m.decode_step(tgt_in[:, t], h, enc)
        torch.testing.assert_close(forced[:, t], lt)
    free = m(src, tgt_in, teacher_forcing=0.0)
    ids, _, _ = seq2seq.greedy_decode(m, src, max_len=4)
    torch.testing.assert_close(free.argmax(2)[0, :ids.shape[1]], ids[0])


def test_step_loss_is_cross_entropy_over_real_words():
    m = small_model(4)
    src = torch.tensor([[4, 5, 6], [7, 0, 0]])
    tgt = torch.tensor([[1, 4, 5, 2], [1, 6, 2, 0]])
    out = seq2seq.Seq2SeqStep()(m, (src, tgt), {})
    logits = m(src, tgt[:, :-1])
    log_p = torch.log_softmax(logits, 2)
    picks = [log_p[0, 0, 4], log_p[0, 1, 5], log_p[0, 2, 2], log_p[1, 0, 6], log_p[1, 1, 2]]
    torch.testing.assert_close(out.loss, -torch.stack(picks).mean())
    assert out.count == 5


# --------------------------------------------------------------------------- decoding


def test_greedy_decode_matches_repeated_forward_passes():
    m = small_model(5)
    src = torch.tensor([[4, 5, 6, 7]])
    ids, weights, lp = seq2seq.greedy_decode(m, src, max_len=6)
    prefix, total = [1], 0.0
    for _ in range(6):      # the oracle: a full teacher-forced pass per step, argmax of the last
        log_p = torch.log_softmax(m(src, torch.tensor([prefix]))[0, -1], 0)
        word = int(log_p.argmax())
        total += float(log_p[word].detach())
        prefix.append(word)
        if word == 2:
            break
    assert ids[0].tolist() == prefix[1:]
    assert abs(float(lp[0]) - total) < 1e-5
    torch.testing.assert_close(weights.sum(2), torch.ones(1, len(prefix) - 1))


def test_greedy_decode_pads_finished_sentences():
    m = small_model(6)
    src = torch.tensor([[4, 5, 6], [7, 8, 0]])
    ids, _, _ = seq2seq.greedy_decode(m, src, max_len=8)
    for row in ids.tolist():
        if 2 in row:
            assert all(i == 0 for i in row[row.index(2) + 1:])


def _exhaustive(m, src, max_len):
    """The most probable finished translation over every word sequence of up to max_len words."""
    best, best_lp = None, -float("inf")
    V = m.tgt_vocab
    for L in range(max_len):
        for words in itertools.product([v for v in range(V) if v not in (0, 2)], repeat=L):
            tgt = torch.tensor([[1, *words, 2]])
            lp = float(seq2seq.sequence_log_prob(m, src, tgt)[0])
            if lp > best_lp:
                best, best_lp = [*words, 2], lp
    return best, best_lp


@pytest.mark.parametrize("seed", [0, 1, 7])
def test_wide_beam_search_is_exact(seed):
    m = small_model(seed, tgt=6)
    with torch.no_grad():
        m.out.bias[0] = -1e4        # never <pad> (sequence_log_prob does not count a pad word)
    src = torch.tensor([4, 5, 6])
    want, want_lp = _exhaustive(m, src[None], 3)
    got, weights, lp = seq2seq.beam_search(m, src, beam_width=100, max_len=3)
    if got[-1] == 2:
        assert got == want and abs(lp - want_lp) < 1e-4
    assert weights.shape == (len(got), 3)


def test_beam_width_one_is_greedy_and_beam_is_at_least_as_probable():
    for seed in range(4):
        m = small_model(seed)
        src = torch.tensor([4, 6, 5, 7])
        ids, _, lp = seq2seq.greedy_decode(m, src[None], max_len=10)
        g = ids[0].tolist()
        g = g[:g.index(2) + 1] if 2 in g else g
        one, _, lp1 = seq2seq.beam_search(m, src, beam_width=1, max_len=10)
        assert one == g and abs(lp1 - float(lp[0])) < 1e-5
        if g[-1] == 2:
            _, _, lp5 = seq2seq.beam_search(m, src, beam_width=5, max_len=10)
            assert lp5 >= lp1 - 1e-5


def test_translate_normalises_input_and_explains_bad_input():
    src_v, tgt_v = Vocab(["ninety", "seven"]), Vocab(["sieben", "und", "neunzig"])
    m = seq2seq.Seq2Seq(len(src_v), len(tgt_v), embed=4, hidden=6)
    t = seq2seq.translate(m, src_v, tgt_v, "Ninety-Seven")
    assert t.source == ["ninety", "seven"] and t.weights.shape[1] == 2
    assert t.weights.shape[0] in (len(t.words), len(t.words) + 1)
    assert seq2seq.translate(m, src_v, tgt_v, "ninety, seven", beam_width=3).source == t.source
    with pytest.raises(ValueError, match="empty"):
        seq2seq.translate(m, src_v, tgt_v, " - , ")
    with pytest.raises(ValueError, match="unknown word 'eight'.*ninety, seven"):
        seq2seq.translate(m, src_v, tgt_v, "ninety eight")


def test_exact_match_counts_whole_sentences():
    assert seq2seq.exact_match([["a", "b"], "c d", ["e"]], [["a", "b"], ["c", "x"], "e"]) == 2 / 3


def test_train_in_chunks_learns_and_continues():
    torch.manual_seed(0)
    pairs = seq2seq.load_numbers("train")[:256]
    sv = Vocab.from_sentences([p.english for p in pairs])
    tv = Vocab.from_sentences([p.german for p in pairs])
    X = sv.encode_batch([p.english for p in pairs])
    Y = tv.encode_batch([p.german for p in pairs], sos=True, eos=True)
    m = seq2seq.Seq2Seq(len(sv), len(tv), embed=8, hidden=16)
    step = seq2seq.Seq2SeqStep()

    def loss(model):
        model.eval()
        with torch.no_grad():
            return float(step(model, (X, Y), {}).loss)

    before = loss(m)
    curve, opt = seq2seq.train_in_chunks(m, (X, Y), 30, 10, seed=0, evaluate=loss)
    assert [k for k, _ in curve] == [10, 20, 30] and curve[-1][1] < before
    curve2, opt2 = seq2seq.train_in_chunks(m, (X, Y), 5, 5, seed=1, optimizer=opt)
    assert opt2 is opt and opt.state[next(iter(m.parameters()))]["step"] == 35


# --------------------------------------------------------------------------- explorers


def _box():
    src_v = Vocab(["ninety", "seven", "three"])
    tgt_v = Vocab(["sieben", "und", "neunzig", "drei"])
    m = seq2seq.Seq2Seq(len(src_v), len(tgt_v), embed=4, hidden=6)
    return widgets.translation_box(lambda s, k: seq2seq.translate(m, src_v, tgt_v, s, k),
                                   placeholder="ninety seven", beams=[1, 3])


@pytest.mark.parametrize("text,kind,needle", [
    ("ninety-seven", "figure", ""), ("THREE", "figure", ""), ("", "message", "empty"),
    ("   ", "message", "empty"), ("ninety eight", "message", "unknown word 'eight'"),
    ("97", "message", "unknown word '97'"), ("ninety " * 5000, "message", "at most 50"),
    ("sieben ünd \u2603", "message", "unknown words"),
])
def test_translation_box_never_shows_a_traceback(text, kind, needle):
    box = _box()
    for k in (1, 3):
        r = box.set(sentence=text, beam_width=k)
        assert r.error == "" and r.kind == kind, (text, r.message)
        assert needle in r.message


def test_attention_explorer_demo_draws_both_sets():
    app = widgets.demo_apps()["attention_explorer"]()
    outputs = set()
    for which in app.controls["which"].options:
        for i in range(app.controls["sentence"].max + 1):
            r = app.set(which=which, sentence=i)
            assert r.kind == "figure" and not r.error
            outputs.add(r.png)
    assert len(outputs) == 8


# --------------------------------------------------------------------------- checkers


def reference_bleu(candidate, reference, max_n=4):
    return bleu([candidate], [[reference]], max_n=max_n)


def reference_greedy(model, src, max_len=20):
    ids = seq2seq.greedy_decode(model, src[None], max_len)[0][0].tolist()
    return ids[:ids.index(2) + 1] if 2 in ids else ids


def test_checkers_accept_right_answers(capsys):
    checks.check_sentence_bleu(reference_bleu)
    checks.check_greedy_translate(reference_greedy)
    assert capsys.readouterr().out.count("Correct:") == 2


def unclipped_bleu(candidate, reference, max_n=4):
    import math
    from collections import Counter

    log_p = 0.0
    for n in range(1, max_n + 1):
        cand = [tuple(candidate[i:i + n]) for i in range(len(candidate) - n + 1)]
        ref = Counter(tuple(reference[i:i + n]) for i in range(len(reference) - n + 1))
        matched = sum(g in ref for g in cand)        # no clipping
        if not matched:
            return 0.0
        log_p += math.log(matched / len(cand)) / max_n
    bp = min(1.0, math.exp(1 - len(reference) / len(candidate)))
    return 100 * bp * math.exp(log_p)


@pytest.mark.parametrize("wrong,needle", [
    (unclipped_bleu, "repeated word"),
    (lambda c, r, n: reference_bleu(c, r, n) / (np.exp(1 - len(r) / len(c)) if len(c) < len(r)
                                                else 1.0), "brevity"),
])
def test_bleu_checker_names_the_mistake(wrong, needle):
    with pytest.raises(checks.WrongAnswer, match=needle):
        checks.check_sentence_bleu(wrong)


def test_greedy_checker_catches_a_decoder_that_never_feeds_back():
    def stuck(model, src, max_len=20):
        enc = model.encode(src[None])
        out = []
        for _ in range(max_len):
            logits, _, _ = model.decode_step(torch.tensor([1]), enc.hidden, enc)
            out.append(int(logits.argmax()))
            if out[-1] == 2:
                break
        return out

    with pytest.raises(checks.WrongAnswer, match="feed back"):
        checks.check_greedy_translate(stuck)


def test_renderers_draw_what_they_are_given():
    from matplotlib.figure import Figure

    from course_utils.viz import render_attention, render_match_curves

    fig = Figure()
    render_attention(fig, ["a", "b"], ["x"], np.array([[0.25, 0.75], [1.0, 0.0]]))
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["x", "<eos>"]
    assert {t.get_text() for t in ax.texts} == {"0.25", "0.75", "1.00"}
    fig = Figure()
    render_match_curves(fig, {"tf": [[(1, 0.2), (2, 0.4)], [(1, 0.4), (2, 0.6)]]})
    assert any(t.get_text() == "0.50" for t in fig.axes[0].texts)
