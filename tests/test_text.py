"""course_utils.text: vocabularies, the character model's sampling and scoring, the checkpoint,
the sampling checker and the explorer. Oracles: plain Python dicts, NumPy softmax, a
character-by-character loop over the model, torch.load itself."""
from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from matplotlib.figure import Figure

from course_utils.checks import SAMPLE_TOLERANCE, WrongAnswer, check_sample_next
from course_utils.data import load_text
from course_utils.text import (
    CharLSTM,
    CharVocab,
    Vocab,
    char_lm_from_state,
    generate,
    held_out_play,
    load_char_lm,
    next_char_probs,
    prompt_logits,
    sample_next,
    save_char_lm,
    scramble,
    text_logprob,
)
from course_utils.viz import render_sampling, render_surprisal

TEXT = "To be, or not to be: that is the question.\nWhether 'tis nobler in the mind"


@pytest.fixture(scope="module")
def small():
    torch.manual_seed(0)
    vocab = CharVocab.from_text(TEXT)
    return CharLSTM(len(vocab), embed=8, hidden=16).eval(), vocab


# --------------------------------------------------------------------------- vocabularies


def test_char_vocab_round_trips_shakespeare_and_matches_a_dict():
    text = load_text()
    v = CharVocab.from_text(text)
    assert list(v.chars) == sorted(set(text)) and len(v) == 76
    ids = v.encode(text)
    oracle = {c: i for i, c in enumerate(sorted(set(text)))}
    assert ids.dtype == np.int64 and ids[:1000].tolist() == [oracle[c] for c in text[:1000]]
    assert v.decode(ids) == text
    assert v.decode(torch.as_tensor(ids[:50])) == text[:50]


def test_char_vocab_unknown_characters_raise_or_are_skipped():
    v = CharVocab.from_text("abc\n")
    with pytest.raises(ValueError, match="'é'.*unknown='skip'"):
        v.encode("abé")
    assert v.encode("abé☺c", unknown="skip").tolist() == [1, 2, 3]
    assert v.unknown("abé☺cé") == ["é", "☺"] and v.unknown("cab") == []
    assert v.encode("").tolist() == [] and v.decode([]) == ""
    with pytest.raises(ValueError, match="ids must lie in"):
        v.decode([0, 4])


def test_word_vocab_specials_encode_decode_and_batch():
    w = Vocab.from_sentences(["a b c", "b c", "c"], min_count=2)
    assert w.words == ("<pad>", "<sos>", "<eos>", "<unk>", "c", "b")
    assert (w.pad_id, w.sos_id, w.eos_id, w.unk_id) == (0, 1, 2, 3)
    assert w.encode("c a b", sos=True, eos=True) == [1, 4, 3, 5, 2]
    assert w.unknown("c a b a") == ["a"]
    assert w.decode([1, 4, 3, 2, 5, 0]) == ["c", "<unk>"]
    assert w.decode([1, 4, 2], strip=False) == ["<sos>", "c", "<eos>"]
    batch = w.encode_batch(["c", "b c b"], eos=True)
    assert batch.dtype == torch.int64 and batch.tolist() == [[4, 2, 0, 0], [5, 4, 5, 2]]
    assert w.encode_batch([["b", "c"]], length=1).tolist() == [[5]]


# --------------------------------------------------------------------------- sampling


def softmax_np(z, t):
    e = np.exp((z - z.max()) / t)
    return e / e.sum()


@pytest.mark.parametrize("temperature,top_k", [(1.0, 0), (0.5, 0), (2.0, 3), (0.7, 1), (1.0, 99)])
def test_next_char_probs_matches_numpy(temperature, top_k):
    z = np.random.default_rng(0).standard_normal(9)
    keep = np.argsort(-z)[:top_k] if 0 < top_k < 9 else np.arange(9)
    want = np.zeros(9)
    want[keep] = softmax_np(z[keep], temperature)
    got = next_char_probs(torch.tensor(z), temperature, top_k)
    np.testing.assert_allclose(got.numpy(), want, rtol=1e-12, atol=1e-15)


def test_temperature_zero_is_argmax_and_sampling_matches_the_probabilities():
    z = torch.tensor([0.5, 2.0, -1.0, 1.0])
    assert next_char_probs(z, 0).tolist() == [0, 1, 0, 0]
    g = torch.Generator().manual_seed(0)
    assert {sample_next(z, 0, 0, g) for _ in range(20)} == {1}
    draws = [sample_next(z, 1.0, 0, g) for _ in range(8000)]
    freq = np.bincount(draws, minlength=4) / len(draws)
    np.testing.assert_allclose(freq, softmax_np(z.numpy().astype(float), 1.0), atol=0.02)
    assert max(sample_next(z, 5.0, 2, g) for _ in range(200)) <= 3
    assert {sample_next(z, 5.0, 2, g) for _ in range(200)} == {1, 3}


def test_checker_accepts_the_reference_and_catches_the_classic_mistakes(capsys):
    check_sample_next(sample_next)
    assert capsys.readouterr().out.startswith("Correct: sample_next")
    mistakes = {
        "no temperature": lambda z, t, k, g: sample_next(z, 1.0 if t else 0.0, k, g),
        "temperature multiplies": lambda z, t, k, g: sample_next(z * t * t, t, k, g) if t else
        int(z.argmax()),
        "no top-k": lambda z, t, k, g: sample_next(z, t, 0, g),
        "always greedy": lambda z, t, k, g: int(z.argmax()),
        "float id": lambda z, t, k, g: float(sample_next(z, t, k, g)),
    }
    for name, fn in mistakes.items():
        with pytest.raises(WrongAnswer):
            check_sample_next(fn)
            pytest.fail(f"the checker accepted the mistake {name!r}")
    assert 0 < SAMPLE_TOLERANCE <= 0.05


# --------------------------------------------------------------------------- the model


def test_text_logprob_matches_a_character_by_character_loop(small):
    model, vocab = small
    text, context = "to be", "\n"
    ids = vocab.encode(context + text).tolist()
    total, hidden = 0.0, None
    with torch.no_grad():
        for a, b in zip(ids[:-1], ids[1:]):
            logits, hidden = model(torch.tensor([[a]]), hidden)
            total += float(F.log_softmax(logits[0, -1].double(), dim=0)[b])
    assert text_logprob(model, vocab, text, context) == pytest.approx(total, rel=1e-5)
    two = text_logprob(model, vocab, "be", "\nto ")
    assert two == pytest.approx(text_logprob(model, vocab, "to be", "\n")
                                - text_logprob(model, vocab, "to ", "\n"), rel=1e-4)


def test_generate_never_raises_on_any_prompt_and_is_seeded(small):
    model, vocab = small
    model.train()
    for prompt in ("", "To be", "☺☺", "Wherefore Roméo ☺", "\n"):
        out = generate(model, vocab, prompt, length=30, temperature=0.8, top_k=5, seed=1)
        assert len(out.text) == 30 and set(out.text) <= set(vocab.chars)
        assert out.prompt == "".join(c for c in prompt if c in vocab)
        assert out.skipped == vocab.unknown(prompt)
    assert model.training                                         # mode restored
    a = generate(model, vocab, "To", 40, 1.0, 0, seed=3)
    assert a == generate(model, vocab, "To", 40, 1.0, 0, seed=3)
    assert a != generate(model, vocab, "To", 40, 1.0, 0, seed=4)
    greedy = generate(model, vocab, "To", 10, temperature=0)
    want, ids = [], vocab.encode("To").tolist()
    with torch.no_grad():
        logits, h = model(torch.tensor([ids]))
        for _ in range(10):
            nxt = int(logits[0, -1].argmax())
            want.append(nxt)
            logits, h = model(torch.tensor([[nxt]]), h)
    assert greedy.text == vocab.decode(want)
    assert torch.equal(prompt_logits(model, vocab, "☺"), prompt_logits(model, vocab, ""))


def test_scramble_keeps_the_symbols_and_held_out_play_splits_exactly():
    line = "Now is the winter of our discontent"
    for unit in ("word", "char"):
        s = scramble(line, seed=0, unit=unit)
        assert sorted(s) == sorted(line) and s != line
    assert sorted(scramble(line, 1).split(" ")) == sorted(line.split(" "))
    text = load_text()
    train, held = held_out_play(text)
    assert train + held == text and held.startswith("THE TEMPEST\n")
    assert 90_000 < len(held) < 110_000


def test_a_checkpoint_round_trips_through_a_weights_only_load(tmp_path, small):
    model, vocab = small
    path = save_char_lm(tmp_path / "lm.pt", model, vocab, {"steps": 3, "torch": torch.__version__})
    state = torch.load(path, weights_only=True)
    assert all(v.dtype == torch.float16 for v in state["weights"].values())
    again, v2, info = char_lm_from_state(state)
    assert v2.chars == vocab.chars and info["steps"] == 3 and type(info["torch"]) is str
    x = torch.as_tensor(vocab.encode("to be or"))[None]
    with torch.no_grad():
        np.testing.assert_allclose(again(x)[0].numpy(), model(x)[0].numpy(), atol=2e-2)


def test_the_shipped_checkpoint_loads_and_beats_the_bigram_on_the_held_out_play():
    model, vocab, info = load_char_lm()
    assert info["script"] == "tools/train_char_lm.py" and info["seconds"] > 0
    _, held = held_out_play(load_text())
    piece = held[20_000:23_000]                    # dialogue (the play starts with a cast list)
    nats = -text_logprob(model, vocab, piece[1:], piece[0]) / (len(piece) - 1)
    assert nats < 2.1, nats                        # add-one bigram: 2.56 nats per character
    assert abs(nats - info["val_loss"]) < 0.35, (nats, info["val_loss"])


# --------------------------------------------------------------------------- figures, explorer


def test_renderers_draw_and_refuse_mismatched_shapes():
    chars = list("abcd")
    p = np.array([0.1, 0.2, 0.3, 0.4])
    fig = Figure()
    render_sampling(fig, p, chars, "abba\ncd", base=p, prompt="ab", skipped=["é"],
                    temperature=0.5, top_k=2)
    assert len(fig.axes) == 2
    with pytest.raises(ValueError, match="probs"):
        render_sampling(Figure(), p[:3], chars, "ab")
    render_surprisal(Figure(), ["ab", "ba"], [np.ones(2), np.zeros(2)], ["real", "scrambled"])
    with pytest.raises(ValueError, match="one value per character"):
        render_surprisal(Figure(), ["abc"], [np.ones(2)])


def test_temperature_explorer_moves_and_never_raises(small):
    from course_utils.widgets import temperature_explorer

    model, vocab = small
    a = temperature_explorer(model, vocab, length=20)
    seen = set()
    for prompt in a.controls["prompt"].options:
        for t, k in ((0.0, 0), (2.0, 20)):
            r = a.set(prompt=prompt, temperature=t, top_k=k)
            assert r.kind == "figure", r.message
            seen.add(r.png)
    assert len(seen) == 2 * len(a.controls["prompt"].options)
