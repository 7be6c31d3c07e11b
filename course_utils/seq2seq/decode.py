"""Translating with a trained encoder-decoder: greedy decoding, beam search, and scores.

* **Greedy**: at each step feed back the single most probable word, y_t = argmax p(y | y_<t, x),
  until ``<eos>``. Fast, but a word chosen early is never revisited.
* **Beam search** (width k): keep the k partial translations with the highest log-probability
  sum_t log p(y_t | y_<t, x); extend each by every word, keep the best k; a hypothesis that emits
  ``<eos>`` is finished. Returns the finished one with the highest log-probability (k = 1 is
  greedy).
* **Exact match**: the fraction of sentences translated word for word right; **BLEU**:
  :func:`course_utils.train.bleu`.
"""
from __future__ import annotations

from typing import NamedTuple

import torch

from .._validate import as_int
from .model import EOS_ID, PAD_ID, SOS_ID, Seq2Seq, check_ids

__all__ = ["Translation", "greedy_decode", "beam_search", "translate", "translate_batch",
           "exact_match", "sequence_log_prob"]

MAX_LEN = 200
MAX_WORDS = 50   # a typed sentence: the corpus has at most 7 words a side


class Translation(NamedTuple):
    """One translation: ``source`` and ``words`` (token lists, without specials), ``weights``
    (len(words) + 1, len(source)) attention weights of each output step (the last row is the
    step that emitted ``<eos>``; a translation cut at ``max_len`` has one row per word), and
    ``log_prob``, the sum of the log-probabilities of the emitted words and ``<eos>``."""
    source: list
    words: list
    weights: object
    log_prob: float


def _check_model(model) -> Seq2Seq:
    if not isinstance(model, Seq2Seq):
        raise ValueError(f"model must be a course_utils.seq2seq.Seq2Seq, got "
                         f"{type(model).__name__}")
    return model


@torch.no_grad()
def greedy_decode(model: Seq2Seq, src: torch.Tensor, max_len: int = 20
                  ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Greedy decoding of a batch, in eval mode.

    Shapes: src (N, S) ids -> ids (N, L) (0 after a sentence's ``<eos>``, which is included),
    weights (N, L, S), log_probs (N,) (the sum over each sentence's words up to its ``<eos>``).
    L <= ``max_len``; decoding stops when every sentence has emitted ``<eos>``.
    """
    model = _check_model(model)
    max_len = as_int(max_len, "max_len", 1, MAX_LEN)
    src = check_ids(src, "src", model.src_vocab)
    was_training = model.training
    model.eval()
    try:
        enc = model.encode(src)
        h = enc.hidden
        y = torch.full((len(src),), SOS_ID, dtype=torch.long, device=src.device)
        done = torch.zeros(len(src), dtype=torch.bool, device=src.device)
        total = torch.zeros(len(src), device=src.device)
        ids, weights = [], []
        for _ in range(max_len):
            logits, h, w = model.decode_step(y, h, enc)
            log_p = torch.log_softmax(logits, dim=1)
            y = log_p.argmax(1)
            total += torch.where(done, 0.0, log_p.gather(1, y[:, None])[:, 0])
            ids.append(torch.where(done, PAD_ID, y))
            weights.append(torch.where(done[:, None], 0.0, w))
            done = done | (y == EOS_ID)
            if bool(done.all()):
                break
    finally:
        model.train(was_training)
    return torch.stack(ids, 1), torch.stack(weights, 1), total


@torch.no_grad()
def beam_search(model: Seq2Seq, src: torch.Tensor, beam_width: int = 5, max_len: int = 20
                ) -> tuple[list[int], torch.Tensor, float]:
    """Beam search for one sentence, in eval mode.

    Shapes: src (S,) ids -> (ids: list of L ints ending with ``<eos>`` unless cut at
    ``max_len``, weights (L, S), log_prob: float). Scores are summed log-probabilities, without
    length normalisation; the best finished hypothesis wins (if none finished within ``max_len``,
    the best unfinished one).
    """
    model = _check_model(model)
    k = as_int(beam_width, "beam_width", 1, 100)
    max_len = as_int(max_len, "max_len", 1, MAX_LEN)
    src = check_ids(src, "src", model.src_vocab, ndim=1)
    was_training = model.training
    model.eval()
    try:
        enc = model.encode(src[None])
        h = enc.hidden                                    # (B, H), B live hypotheses
        scores = torch.zeros(1, device=src.device)
        seqs: list[list[int]] = [[]]
        alns: list[list[torch.Tensor]] = [[]]
        finished: list[tuple[float, list[int], list[torch.Tensor]]] = []
        y = torch.full((1,), SOS_ID, dtype=torch.long, device=src.device)
        for _ in range(max_len):
            B = len(seqs)
            big = type(enc)(enc.states.expand(B, -1, -1), enc.mask.expand(B, -1),
                            enc.hidden.expand(B, -1))
            logits, h, w = model.decode_step(y, h, big)
            cand = (scores[:, None] + torch.log_softmax(logits, dim=1)).flatten()
            top = cand.topk(min(k, len(cand)))
            V = logits.shape[1]
            keep_rows, keep_words, keep_scores = [], [], []
            for s, idx in zip(top.values.tolist(), top.indices.tolist()):
                b, word = divmod(idx, V)
                if word == EOS_ID:
                    finished.append((s, seqs[b] + [word], alns[b] + [w[b]]))
                else:
                    keep_rows.append(b)
                    keep_words.append(word)
                    keep_scores.append(s)
            best_done = max((f[0] for f in finished), default=float("-inf"))
            if not keep_rows or max(keep_scores) <= best_done:
                break   # scores only fall: no live hypothesis can beat the best finished one
            rows = torch.tensor(keep_rows, device=src.device)
            seqs = [seqs[b] + [word] for b, word in zip(keep_rows, keep_words)]
            alns = [alns[b] + [w[b]] for b in keep_rows]
            h, scores = h[rows], torch.tensor(keep_scores, device=src.device)
            y = torch.tensor(keep_words, dtype=torch.long, device=src.device)
        else:
            finished += [(s, q, a) for s, q, a in zip(scores.tolist(), seqs, alns)]
    finally:
        model.train(was_training)
    score, ids, aln = max(finished, key=lambda f: f[0])
    return ids, torch.stack(aln), float(score)


@torch.no_grad()
def sequence_log_prob(model: Seq2Seq, src: torch.Tensor, tgt: torch.Tensor) -> torch.Tensor:
    """log p(tgt | src) = sum_t log p(y_t | y_<t, x) under teacher forcing, in eval mode.

    Shapes: src (N, S), tgt (N, T) = ``<sos>`` words ``<eos>`` padded with 0 -> (N,).
    """
    model = _check_model(model)
    tgt = check_ids(tgt, "tgt", model.tgt_vocab)
    was_training = model.training
    model.eval()
    try:
        log_p = torch.log_softmax(model(src, tgt[:, :-1]), dim=2)
    finally:
        model.train(was_training)
    target = tgt[:, 1:]
    picked = log_p.gather(2, target[:, :, None])[:, :, 0]
    return (picked * (target != PAD_ID)).sum(1)


def _source_ids(src_vocab, sentence) -> tuple[list[str], list[int]]:
    """A sentence's words and ids; empty input and unknown words raise a clear ValueError."""
    if isinstance(sentence, str):
        sentence = sentence.lower().replace(",", " ").replace("-", " ")
    words = src_vocab.split(sentence)
    if not words:
        raise ValueError("the sentence is empty: type a number in words, e.g. 'three hundred "
                         "and forty seven'")
    if len(words) > MAX_WORDS:
        raise ValueError(f"the sentence has {len(words):,} words; type at most {MAX_WORDS} (the "
                         "model was trained on sentences of at most 7)")
    unknown = src_vocab.unknown(words)
    if unknown:
        known = ", ".join(w for w in src_vocab.words[4:])
        raise ValueError(f"unknown word{'s' if len(unknown) > 1 else ''} "
                         f"{', '.join(repr(w) for w in unknown)}: the model knows only the "
                         f"{len(src_vocab) - 4} words of its training sentences ({known})")
    return words, src_vocab.encode(words)


def translate(model: Seq2Seq, src_vocab, tgt_vocab, sentence, beam_width: int = 1,
              max_len: int = 20) -> Translation:
    """Translate one sentence (a string or a list of words): greedy for ``beam_width=1``, else
    beam search. The words are every emitted token before ``<eos>`` (a ``<pad>`` or ``<unk>``
    an untrained model emits is shown as such, so the weights keep one row per word). A string is lower-cased, commas dropped and hyphens split, as in the corpus.
    Empty input or a word outside ``src_vocab`` raises ``ValueError`` saying so."""
    model = _check_model(model)
    k = as_int(beam_width, "beam_width", 1, 100)
    words, ids = _source_ids(src_vocab, sentence)
    device = next(model.parameters()).device
    src = torch.tensor(ids, dtype=torch.long, device=device)
    if k == 1:
        out, w, lp = greedy_decode(model, src[None], max_len)
        out, w, lp = out[0].tolist(), w[0], float(lp[0])
    else:
        out, w, lp = beam_search(model, src, k, max_len)
    tokens = tgt_vocab.decode(out, strip=False)       # every step's word, specials included
    if tokens and tokens[-1] == tgt_vocab.words[EOS_ID]:
        tokens = tokens[:-1]                              # the <eos> step keeps its weights row
    return Translation(words, tokens, w.cpu().numpy(), lp)


def translate_batch(model: Seq2Seq, src_vocab, tgt_vocab, sentences, beam_width: int = 1,
                    max_len: int = 20, batch_size: int = 512) -> list[list[str]]:
    """Translations (word lists) of many sentences: greedy in batches, or beam search one by
    one. Unknown words are mapped to ``<unk>`` here (no error: this is for evaluation)."""
    model = _check_model(model)
    k = as_int(beam_width, "beam_width", 1, 100)
    batch_size = as_int(batch_size, "batch_size", 1)
    if isinstance(sentences, str) or not isinstance(sentences, (list, tuple)) or not sentences:
        raise ValueError("sentences must be a non-empty list of sentences")
    device = next(model.parameters()).device
    out: list[list[str]] = []
    if k == 1:
        for i in range(0, len(sentences), batch_size):
            src = src_vocab.encode_batch(list(sentences[i:i + batch_size])).to(device)
            ids = greedy_decode(model, src, max_len)[0]
            out += [tgt_vocab.decode(row) for row in ids.tolist()]
        return out
    for s in sentences:
        src = torch.tensor(src_vocab.encode(s), dtype=torch.long, device=device)
        out.append(tgt_vocab.decode(beam_search(model, src, k, max_len)[0]))
    return out


def exact_match(candidates, references) -> float:
    """The fraction of candidates (word lists or strings) equal to their reference, word for
    word. Shapes: two lists of C sentences -> a float in [0, 1]."""
    if not isinstance(candidates, (list, tuple)) or not isinstance(references, (list, tuple)):
        raise ValueError("candidates and references must be lists (one entry per sentence)")
    if len(candidates) != len(references) or not candidates:
        raise ValueError(f"candidates ({len(candidates)}) and references ({len(references)}) "
                         "must have the same, non-zero number of sentences")

    def words(s):
        return s.split() if isinstance(s, str) else list(s)

    return sum(words(c) == words(r) for c, r in zip(candidates, references)) / len(candidates)
