"""Explorers of the character language model (notebook 13): temperature and top-k sampling."""
from __future__ import annotations

from typing import Sequence

from .app import App, app, choice, fslider, slider

__all__ = ["temperature_explorer", "SAMPLING_PROMPTS"]

SAMPLING_PROMPTS = ("OTHELLO.\n", "Ham.\nTo be, or not", "", "Wherefore art thou, Roméo? ☺")
"""The explorer's default prompts: two ordinary ones, an empty one (the model starts after a
newline), and one with characters the vocabulary lacks ("é", "☺": skipped, and said so)."""


def temperature_explorer(model, vocab, prompts: Sequence[str] = SAMPLING_PROMPTS,
                         length: int = 240) -> App:
    """Choose a prompt, a temperature, top-k and a seed: the next character's distribution after
    the prompt at that setting (against the model's own, at temperature 1), and ``length``
    characters sampled from the model.

    Any prompt works: an empty one starts after a newline, unknown characters are skipped and
    listed. Each (prompt, temperature, top-k, seed) is generated once and cached here.
    """
    import torch

    from ..text import CharVocab, generate, next_char_probs, prompt_logits
    from ..viz.text import render_sampling

    if not isinstance(model, torch.nn.Module):
        raise ValueError(f"model must be a character model (torch.nn.Module), got "
                         f"{type(model).__name__}")
    if not isinstance(vocab, CharVocab):
        raise ValueError(f"vocab must be a CharVocab, got {type(vocab).__name__}")
    if isinstance(prompts, str) or not prompts or not all(isinstance(p, str) for p in prompts):
        raise ValueError("prompts must be a non-empty list of strings (\"\" allowed)")
    prompts = list(dict.fromkeys(prompts))
    labels = {repr(p)[1:-1] if p else "(empty)": p for p in prompts}
    samples: dict[tuple, object] = {}
    logits: dict[str, torch.Tensor] = {}

    def render(fig, prompt: str, temperature: float, top_k: int, seed: int) -> None:
        text = labels[prompt]
        key = (text, round(temperature, 6), top_k, seed)
        if key not in samples:
            samples[key] = generate(model, vocab, text, length, temperature, top_k, seed)
        if text not in logits:   # the model's scores for the character after the prompt
            logits[text] = prompt_logits(model, vocab, text)
        z = logits[text]
        got = samples[key]
        render_sampling(fig, next_char_probs(z, temperature, top_k), vocab.chars, got.text,
                        base=next_char_probs(z), prompt=got.prompt, skipped=got.skipped,
                        temperature=temperature, top_k=top_k)

    return app(render, figsize=(9.0, 4.4),
               prompt=choice("prompt", list(labels), buttons=False),
               temperature=fslider("temperature", 0.0, 2.0, 0.8, step=0.1, readout_format=".1f"),
               top_k=slider("top-k (0: all)", 0, 20, 0),
               seed=slider("seed", 0, 9, 0))
