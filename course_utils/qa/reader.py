"""An LSTM reader for question answering, its inputs and its training step (notebook 16).

* **Input** (:func:`encode_examples`): one row of word ids per sentence (:class:`course_utils.text.
  Vocab`, ``<pad>`` = 0), the story's sentences and the question as one more "sentence", in one of
  three orders: ``"question last"`` (read the story, then the question), ``"question first"``
  (the reader knows what to look for while it reads) or ``"question only"`` (the story-blind
  baseline). Shape (N, S, W): N examples, S sentences (the longest story + 1), W words (the
  longest sentence); padded with 0 (missing words, missing sentences).
* **Reader** (:class:`QAReader`): a sentence is the sum of its word embeddings,
  x_t = sum_w E[id_tw] (a bag of words: in this world a word's role shows in the word itself);
  an LSTM reads one sentence per step, h_t = LSTM(x_t, h_{t-1}); the state at the last real
  sentence, h_S, gives logits = W h_S + b over the answers (:data:`~course_utils.qa.stories.
  ANSWERS`), p(answer | story, question) = softmax(logits). One step per sentence, so the lag the
  LSTM must bridge is the distance in sentences.
* **Step** (:class:`QAStep`): cross-entropy of the answer, ``acc`` = argmax is right, for
  :func:`course_utils.train.fit`.
"""
from __future__ import annotations

from typing import Sequence

import torch
from torch import nn

from .._validate import as_int, check_choice, check_elements
from ..train.steps import StepOutput
from .stories import ANSWERS, QAExample

__all__ = ["ORDERS", "QAReader", "QAStep", "encode_examples", "encode_sentences", "answer_ids",
           "check_examples",
           "reading_order"]

ORDERS = ("question last", "question first", "question only")
PAD_ID = 0


def check_examples(examples, name: str = "examples") -> list:
    """``examples`` as a non-empty list of :class:`QAExample`, or a ValueError naming it."""
    if isinstance(examples, QAExample) or not isinstance(examples, (list, tuple)):
        raise ValueError(f"{name} must be a list of QAExample, got {type(examples).__name__}")
    if not examples:
        raise ValueError(f"{name} is empty: give at least one example")
    bad = [e for e in examples if not isinstance(e, QAExample)]
    if bad:
        raise ValueError(f"{name} must hold QAExample tuples (make_dataset), got "
                         f"{type(bad[0]).__name__}")
    return list(examples)


def reading_order(story: Sequence[str], question: str, order: str = "question last"
                  ) -> list[str]:
    """The sentences the reader reads, in ``order`` (the question is one more sentence)."""
    order = check_choice("order", order, ORDERS)
    if isinstance(story, str) or not isinstance(story, (list, tuple)):
        raise ValueError(f"story must be a list of sentences, got {type(story).__name__}")
    if not isinstance(question, str):
        raise ValueError(f"question must be a string, got {type(question).__name__}")
    story = list(story)
    return {"question last": story + [question], "question first": [question] + story,
            "question only": [question]}[order]


def encode_sentences(stories: Sequence[Sequence[str]], vocab) -> torch.Tensor:
    """Shapes: N lists of sentences -> (N, S, W) int64 ids, padded with 0 (S = the most
    sentences, W = the most words in a sentence); an unknown word becomes ``<unk>`` (3)."""
    if not hasattr(vocab, "encode") or not hasattr(vocab, "pad_id"):
        raise ValueError(f"vocab must be a course_utils.text.Vocab, got {type(vocab).__name__}")
    if isinstance(stories, str) or not isinstance(stories, (list, tuple)) or not stories:
        raise ValueError("stories must be a non-empty list of lists of sentences")
    rows = []
    for n, s in enumerate(stories):
        if isinstance(s, str) or not isinstance(s, (list, tuple)) or not s:
            raise ValueError(f"stories[{n}] must be a non-empty list of sentences")
        rows.append([vocab.encode(sentence) for sentence in s])
    S = max(map(len, rows))
    W = max(max(len(ids) for ids in r) for r in rows)
    if W == 0:
        raise ValueError("stories has no words: every sentence is empty")
    check_elements(len(rows) * S * W, f"the padded batch ({len(rows)} x {S} x {W})")
    out = torch.full((len(rows), S, W), PAD_ID, dtype=torch.int64)
    for n, r in enumerate(rows):
        for t, ids in enumerate(r):
            if ids:
                out[n, t, :len(ids)] = torch.tensor(ids, dtype=torch.int64)
    return out


def encode_examples(examples: Sequence[QAExample], vocab, order: str = "question last"
                    ) -> torch.Tensor:
    """Shapes: N examples -> (N, S, W) int64 ids (see :func:`encode_sentences`), in ``order``."""
    examples = check_examples(examples)
    order = check_choice("order", order, ORDERS)
    return encode_sentences([reading_order(e.story, e.question, order) for e in examples], vocab)


def answer_ids(examples: Sequence[QAExample]) -> torch.Tensor:
    """Shapes: N examples -> (N,) int64, each answer's index in ANSWERS."""
    examples = check_examples(examples)
    return torch.tensor([ANSWERS.index(e.answer) for e in examples], dtype=torch.int64)


class QAReader(nn.Module):
    """Sentences as bags of word embeddings -> LSTM -> the state at the last real sentence ->
    logits over the answers (module docstring: the formulas).

    Shapes: ``forward(ids (N, S, W))`` -> logits (N, A), A = ``n_answers``; ``states(ids)`` ->
    (N, S, H), the state after each sentence. A sentence of padding only (a shorter story) is
    skipped: the answer comes from the state after row n's last real sentence, so padding never
    changes it.
    """

    def __init__(self, vocab_size: int, n_answers: int = len(ANSWERS), embed: int = 32,
                 hidden: int = 64):
        super().__init__()
        self.vocab_size = as_int(vocab_size, "vocab_size", 5, 100_000)
        self.n_answers = as_int(n_answers, "n_answers", 2, 100_000)
        embed = as_int(embed, "embed", 1, 4096)
        self.hidden = as_int(hidden, "hidden", 1, 4096)
        self.embed = nn.Embedding(self.vocab_size, embed, padding_idx=PAD_ID)
        self.lstm = nn.LSTM(embed, self.hidden, batch_first=True)
        self.out = nn.Linear(self.hidden, self.n_answers)

    def check_ids(self, ids) -> torch.Tensor:
        """``ids`` as an (N, S, W) int64 tensor in [0, vocab_size) with a word in every row."""
        if not isinstance(ids, torch.Tensor) or ids.ndim != 3 or ids.dtype.is_floating_point \
                or ids.dtype == torch.bool:
            raise ValueError(f"ids must be an (N, S, W) integer tensor of word ids, got "
                             f"{type(ids).__name__} {tuple(getattr(ids, 'shape', ()))}")
        if ids.numel() == 0:
            raise ValueError(f"ids is empty (shape {tuple(ids.shape)}): give at least one word")
        if int(ids.min()) < 0 or int(ids.max()) >= self.vocab_size:
            raise ValueError(f"ids must lie in [0, {self.vocab_size}) (the vocabulary), got "
                             f"{int(ids.min())} to {int(ids.max())}")
        if not bool((ids != PAD_ID).flatten(1).any(1).all()):
            raise ValueError("ids has an example of padding only: every example needs a word")
        return ids.long()

    def states(self, ids: torch.Tensor) -> torch.Tensor:
        """Shapes: ids (N, S, W) -> the LSTM's hidden states (N, S, H), one per sentence."""
        ids = self.check_ids(ids)
        h, _ = self.lstm(self.embed(ids).sum(2))
        return h

    def forward(self, ids: torch.Tensor) -> torch.Tensor:
        h = self.states(ids)
        real = (ids != PAD_ID).any(2)                        # (N, S): sentences with words
        last = (real.long() * torch.arange(1, real.shape[1] + 1, device=ids.device)).argmax(1)
        return self.out(h[torch.arange(len(ids), device=ids.device), last])


class QAStep:
    """The training step of :func:`course_utils.train.fit`: batch = (ids (N, S, W), answers
    (N,)); loss = mean cross-entropy of the answers; ``acc`` counts argmax = answer."""

    def __call__(self, model: nn.Module, batch: tuple, state: dict) -> StepOutput:
        ids, y = batch
        logits = model(ids)
        if y.ndim != 1 or len(y) != len(ids) or int(y.min()) < 0 \
                or int(y.max()) >= logits.shape[1]:
            raise ValueError(f"answers must be (N,) indices in [0, {logits.shape[1]}), one per row")
        loss = nn.functional.cross_entropy(logits, y)
        return StepOutput(loss, len(y), {"acc": int((logits.detach().argmax(1) == y).sum())})
