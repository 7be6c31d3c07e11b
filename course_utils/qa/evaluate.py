"""Scoring a reader: its answers, accuracy by task and by story length or distance, the
story-blind majority baseline, and answering a typed story (notebook 16's explorer).

>>> from course_utils.qa import make_dataset
>>> train, test = make_dataset(300, seed=0), make_dataset(90, seed=1)
>>> base = majority_baseline(train, test)
>>> sorted(base), 0.0 <= base["yes/no"] <= 1.0
(['one fact', 'two facts', 'yes/no'], True)
"""
from __future__ import annotations

from collections import Counter
from typing import NamedTuple, Sequence

import numpy as np
import torch

from .._validate import as_int, check_choice
from .reader import (
    ORDERS,
    QAReader,
    check_examples,
    encode_examples,
    encode_sentences,
    reading_order,
)
from .stories import ANSWERS, OBJECTS, PEOPLE, TASKS, replay_story

__all__ = ["predict_answers", "accuracy_by", "majority_baseline", "parse_story", "Answer",
           "answer_question", "GROUPINGS"]

GROUPINGS = ("task", "length", "distance")


def predict_answers(model: QAReader, examples: Sequence, vocab, order: str = "question last",
                    batch_size: int = 512) -> np.ndarray:
    """Shapes: N examples -> (N, A) answer probabilities (rows sum to 1), in eval mode."""
    if not isinstance(model, QAReader):
        raise ValueError(f"model must be a QAReader, got {type(model).__name__}")
    examples = check_examples(examples)
    order = check_choice("order", order, ORDERS)
    batch_size = as_int(batch_size, "batch_size", 1, 100_000)
    was_training = model.training
    model.eval()
    out = []
    device = next(model.parameters()).device
    with torch.no_grad():
        for i in range(0, len(examples), batch_size):
            ids = encode_examples(examples[i:i + batch_size], vocab, order).to(device)
            out.append(torch.softmax(model(ids), dim=1).cpu().numpy())
    model.train(was_training)
    return np.concatenate(out)


def accuracy_by(examples: Sequence, correct, by: str = "task", bins: Sequence[int] | None = None
                ) -> dict:
    """The share of ``correct`` answers per group: ``by`` = "task" (one group per task),
    "length" (story length in sentences) or "distance" (sentences after the last supporting
    one). With ``bins`` = edges [b_0, b_1, ...], lengths or distances group into [b_i, b_{i+1})
    labelled "b_i-(b_{i+1}-1)"; without, one group per value. Returns {group: (accuracy,
    count)}, groups in order."""
    examples = check_examples(examples)
    correct = np.asarray(correct)
    if correct.shape != (len(examples),) or correct.dtype.kind not in "bui":
        raise ValueError(f"correct must be one bool per example ({len(examples)}), got "
                         f"dtype {correct.dtype} and shape {correct.shape}")
    by = check_choice("grouping", by, GROUPINGS)
    if by == "task":
        keys = [e.task for e in examples]
        order = [t for t in TASKS if t in keys]
    else:
        values = [len(e.story) if by == "length" else e.distance for e in examples]
        if bins is None:
            keys, order = values, sorted(set(values))
        else:
            edges = [as_int(b, "bins", 0) for b in bins]
            if len(edges) < 2 or any(b <= a for a, b in zip(edges, edges[1:])):
                raise ValueError(f"bins must be at least two increasing edges, got {list(bins)}")
            labels = [f"{a}-{b - 1}" if b - 1 > a else f"{a}" for a, b in zip(edges, edges[1:])]
            idx = np.searchsorted(edges, values, side="right") - 1
            keys = [labels[i] if 0 <= i < len(labels) else None for i in idx]
            order = [lab for lab in labels if lab in keys]
    out = {}
    for k in order:
        sel = np.array([key == k for key in keys])
        out[k] = (float(correct[sel].mean()), int(sel.sum()))
    return out


def majority_baseline(train: Sequence, test: Sequence) -> dict:
    """The story-blind baseline: for each task, always give the most frequent answer of that
    task in ``train`` (ties: the first in ANSWERS); returns {task: accuracy on ``test``}."""
    train, test = check_examples(train, "train"), check_examples(test, "test")
    best = {}
    for task in TASKS:
        counts = Counter(e.answer for e in train if e.task == task)
        if counts:
            top = max(counts.values())
            best[task] = next(a for a in ANSWERS if counts[a] == top)
    out = {}
    for task in TASKS:
        ex = [e for e in test if e.task == task]
        if ex:
            if task not in best:
                raise ValueError(f"train has no {task!r} example, but test has")
            out[task] = float(np.mean([e.answer == best[task] for e in ex]))
    return out


def parse_story(text: str) -> list[str]:
    """A typed story -> its sentences, lower case, each ending with " .": "Mary went to the
    kitchen. John took the apple." -> ["mary went to the kitchen .", "john took the apple ."]."""
    if not isinstance(text, str):
        raise ValueError(f"story must be a string, got {type(text).__name__}")
    if len(text) > 5000:
        raise ValueError(f"story is {len(text):,} characters long: keep it under 5,000")
    parts = [p.strip() for p in text.lower().replace("\n", " ").split(".")]
    return [" ".join(p.replace(",", " ").split()) + " ." for p in parts if p.split()]


class Answer(NamedTuple):
    """The reader's answer to a typed question: ``answer`` (the most probable),
    ``probs`` {answer: probability}, ``sentences`` (the story as read), ``question``
    (normalised), ``note`` (a warning for the reader, "" if none)."""
    answer: str
    probs: dict
    sentences: list
    question: str
    note: str


def answer_question(model: QAReader, vocab, story: str, question: str,
                    order: str = "question last") -> Answer:
    """Read a typed story and question; return the :class:`Answer`.

    Raises ``ValueError`` with a clear message for an empty story or question, and for a word
    the reader never saw (its vocabulary is the training stories' words). A question about
    somebody or something the story never mentions gets an answer anyway (the reader always
    picks one of its answers) and a ``note`` saying so.
    """
    if not isinstance(model, QAReader):
        raise ValueError(f"model must be a QAReader, got {type(model).__name__}")
    sentences = parse_story(story)
    if not sentences:
        raise ValueError("The story is empty: type a few sentences, e.g. 'Mary went to the "
                         "kitchen. John took the apple.'")
    if not isinstance(question, str) or not question.replace("?", " ").split():
        raise ValueError("The question is empty: type one, e.g. 'Where is Mary?'")
    q = " ".join(question.lower().replace("?", " ").split()) + " ?"
    unknown = list(dict.fromkeys(w for s in sentences + [q] for w in s.split()
                                 if w not in vocab))
    if unknown:
        raise ValueError(f"The reader never saw the word(s) {', '.join(map(repr, unknown))}: "
                         f"it only knows the {len(vocab) - 4} words of its training stories "
                         "(people, places, objects and a few verbs).")
    note = ""
    try:
        world = replay_story(sentences)
    except ValueError as e:
        world, note = None, f"This story is not one the generator could write ({e}); the " \
                            "reader answers anyway."
    if world is not None:
        named = [w for w in q.split() if w in PEOPLE or w in OBJECTS]
        missing = [w for w in named if w not in world["person"] and w not in world["object"]]
        if missing:
            note = (f"The story never says where {missing[0]} is: the reader answers anyway, "
                    "with one of the answers it knows (a guess, not an 'I don't know').")
    ids = encode_sentences([reading_order(sentences, q, check_choice("order", order, ORDERS))],
                           vocab)
    model.eval()
    with torch.no_grad():
        p = torch.softmax(model(ids.to(next(model.parameters()).device)), dim=1)[0].cpu().numpy()
    probs = {a: float(v) for a, v in zip(ANSWERS, p)}
    return Answer(ANSWERS[int(p.argmax())], probs, sentences, q, note)

