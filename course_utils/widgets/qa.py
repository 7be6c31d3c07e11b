"""Explorers of question answering (notebook 16): pick a held-out story and a reader, or type your
own story and question; see the answer and its probabilities."""
from __future__ import annotations

from typing import Callable, Mapping, Sequence

from .app import App, app, choice, slider

__all__ = ["qa_explorer", "qa_box"]

STORY_PLACEHOLDER = ("Mary went to the kitchen. John took the apple. John went to the garden. "
                     "Mary travelled to the office.")


def qa_explorer(readers: Mapping[str, Callable], examples: Sequence) -> App:
    """Choose a held-out story and a reader: the story (supporting facts in bold), the question,
    the reader's answer probabilities and the right answer (notebook 16).

    ``readers``: {name: answer(story text, question) -> :class:`course_utils.qa.Answer`} (e.g.
    ``lambda s, q: qa.answer_question(model, vocab, s, q)``); ``examples``: at least two
    :class:`course_utils.qa.QAExample`.
    """
    from ..qa.reader import check_examples
    from ..viz.qa import render_answer

    if not isinstance(readers, Mapping) or not readers:
        raise ValueError("readers must be a non-empty dict {name: answer(story, question)}")
    if not all(callable(f) for f in readers.values()):
        raise ValueError("readers must map names to callables answer(story, question) -> Answer")
    examples = check_examples(examples)
    if len(examples) < 2:
        raise ValueError("examples must hold at least two stories to choose from")

    def render(fig, reader: str, story: int) -> None:
        ex = examples[story]
        a = readers[reader](" ".join(ex.story), ex.question)
        render_answer(fig, a.sentences, a.question, a.probs, truth=ex.answer, note=a.note,
                      highlight=ex.support)
        fig.suptitle(f"{ex.task}, {len(ex.story)} sentences, distance {ex.distance} "
                     f"({reader})", fontsize=9, x=0.3, y=0.995)

    names = list(readers)
    return app(render, figsize=(7.6, 4.0), reader=choice("reader", names, names[0]),
               story=slider("story #", 0, len(examples) - 1, 0))


def qa_demo() -> App:
    """The explorer on two untrained readers and generated stories (no training): for tests."""
    import torch

    from ..qa import QAReader, answer_question, make_dataset
    from ..text import Vocab

    examples = make_dataset(6, (2, 8), seed=0)
    vocab = Vocab.from_sentences([s for e in make_dataset(60, seed=1) for s in e.story
                                  + [e.question]])
    models = {}
    for k, name in enumerate(("reader A (untrained)", "reader B (untrained)")):
        torch.manual_seed(k)
        models[name] = QAReader(len(vocab), embed=8, hidden=8)
    readers = {name: (lambda s, q, m=m: answer_question(m, vocab, s, q))
               for name, m in models.items()}
    return qa_explorer(readers, examples)


def qa_box(answer: Callable, story: str = STORY_PLACEHOLDER, question: str = "Where is the apple?"
           ) -> App:
    """Type a story and a question: the reader's answer and its probabilities.

    ``answer(story text, question) -> Answer`` raises ``ValueError`` for an empty story or
    question and for an unknown word; the box shows that message instead of a figure (never a
    traceback), and shows the Answer's ``note`` (a question about somebody the story never
    mentions). Two Text controls (updated on Enter or when they lose focus): not a slider
    explorer, so it has no demo in ``demo_apps`` (tests/test_qa.py drives it).
    """
    import ipywidgets as w

    from ..viz.qa import render_answer

    if not callable(answer):
        raise ValueError("answer must be a callable (story, question) -> Answer")
    if not isinstance(story, str) or not isinstance(question, str):
        raise ValueError("story and question must be strings")

    def render(fig, story: str, question: str) -> None:
        a = answer(story, question)
        render_answer(fig, a.sentences, a.question, a.probs, note=a.note)

    def text(description: str, value: str, width: str):
        return w.Text(value=value, description=description, continuous_update=False,
                      style={"description_width": "initial"}, layout={"width": width})

    return app(render, figsize=(7.6, 4.0), story=text("story", story, "46em"),
               question=text("question", question, "22em"))
