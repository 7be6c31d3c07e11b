"""Explorers of translation (notebook 14): the attention maps of held-out sentences, and a box to
translate your own input."""
from __future__ import annotations

from typing import Callable, Mapping, Sequence

from .app import App, app, choice, slider

__all__ = ["attention_explorer", "translation_box"]


def attention_explorer(translations: Mapping[str, Sequence], references: Sequence) -> App:
    """Choose a sentence and a set of translations: the translation and its attention weights
    (notebook 14).

    ``translations``: {name: [Translation, ...]} (:class:`course_utils.seq2seq.Translation`:
    source, words, weights), one entry per decoding or model (e.g. "greedy" and "beam 4", or the
    same model after 80 and 300 steps), the same sentences in the same order in each;
    ``references``: the reference translation (a word list) of each sentence.
    """
    from ..viz.attention import render_attention

    if not isinstance(translations, Mapping) or not translations:
        raise ValueError("translations must be a non-empty dict {decoding: [Translation, ...]}")
    lists = {k: list(v) for k, v in translations.items()}
    n = len(next(iter(lists.values())))
    if n < 2 or any(len(v) != n for v in lists.values()):
        raise ValueError("every entry of translations must hold the same sentences, at least two")
    refs = list(references)
    if len(refs) != n:
        raise ValueError(f"references must give one reference per sentence ({n}), got {len(refs)}")
    for name, items in lists.items():
        if not all(hasattr(t, "source") and hasattr(t, "words") and hasattr(t, "weights")
                   for t in items):
            raise ValueError(f"translations[{name!r}] must hold Translation tuples (source, "
                             "words, weights, log_prob)")

    def render(fig, which: str, sentence: int) -> None:
        t = lists[which][sentence]
        render_attention(fig, t.source, t.words, t.weights, reference=refs[sentence],
                         title=f"{' '.join(t.source)}  ->  {' '.join(t.words)}  ({which})")

    names = list(lists)
    return app(render, figsize=(6.4, 4.6),
               which=choice("translations", names, names[0]),
               sentence=slider("sentence #", 0, n - 1, 0))


def attention_demo() -> App:
    """The explorer on made-up translations and weights (no model): for tests."""
    import numpy as np

    from ..seq2seq.decode import Translation

    rng = np.random.default_rng(0)
    pairs = [("ninety seven", "sieben und neunzig"), ("three hundred and forty seven",
                                                       "drei hundert sieben und vierzig"),
             ("twelve", "zwölf"), ("two thousand and one", "zwei tausend eins")]

    def made_up(concentration: float) -> list:
        out = []
        for en, de in pairs:
            s, t = en.split(), de.split()
            out.append(Translation(s, t, rng.dirichlet([concentration] * len(s), len(t) + 1),
                                   -1.0))
        return out

    return attention_explorer({"greedy": made_up(0.3), "beam 4": made_up(3.0)},
                              [de.split() for _, de in pairs])


def translation_box(translate: Callable, placeholder: str = "three hundred and forty-seven",
                    beams: Sequence[int] = (1, 4)) -> App:
    """Type an English number in words: its German translation and attention map.

    ``translate(sentence, beam_width) -> Translation`` (e.g. ``lambda s, k:
    seq2seq.translate(model, src_vocab, tgt_vocab, s, k)``) raises ``ValueError`` for an empty
    sentence or an unknown word; the box shows that message instead of a figure (never a
    traceback). A Text control (updated on Enter or when it loses focus) and a choice of beam
    width; not a slider explorer, so it has no demo in ``demo_apps`` (tests/test_seq2seq.py
    drives it).
    """
    import ipywidgets as w

    from ..viz.attention import render_attention

    if not callable(translate):
        raise ValueError("translate must be a callable (sentence, beam_width) -> Translation")
    if not isinstance(placeholder, str):
        raise ValueError(f"placeholder must be a string, got {type(placeholder).__name__}")
    beams = list(beams)
    if not beams or not all(isinstance(k, int) and not isinstance(k, bool) and 1 <= k <= 20
                            for k in beams):
        raise ValueError(f"beams must be beam widths, integers in 1..20, got {beams!r}")

    def render(fig, sentence: str, beam_width: int) -> None:
        t = translate(sentence, beam_width)
        method = "greedy" if beam_width == 1 else f"beam search, width {beam_width}"
        render_attention(fig, t.source, t.words, t.weights,
                         title=f"{' '.join(t.words)}   ({method}, log p = {t.log_prob:.2f})")

    text = w.Text(value=placeholder, description="English", continuous_update=False,
                  placeholder="a number in words, e.g. ninety-seven",
                  style={"description_width": "initial"}, layout={"width": "28em"})
    return app(render, figsize=(6.4, 4.6), sentence=text,
               beam_width=choice("beam width", beams, beams[0]))
