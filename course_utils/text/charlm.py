"""A character-level language model (notebook 13): the LSTM, sampling with a temperature and
top-k, the probability of a text, and the shipped longer-trained checkpoint.

The model reads characters and outputs, at every position, scores (logits) for the next one:

    x (N, T) ids -> embedding (N, T, E) -> LSTM -> h (N, T, H) -> linear -> logits (N, T, V)

trained with ``fit(..., step=SequenceStep(carry_state=True))`` on ``sequence_pairs(ids, B, T)``
(truncated backpropagation through time). Generation feeds each sampled character back in.

Sampling: ``p = softmax(logits / temperature)``, keeping only the ``top_k`` largest logits when
``top_k > 0``; ``temperature = 0`` is the argmax (greedy decoding). Below 1 the distribution is
sharper (safer, more repetitive text), above 1 flatter (more surprising, more misspelt).
"""
from __future__ import annotations

import math
from typing import NamedTuple

import torch
from torch import nn

from .._validate import as_float, as_int, check_elements
from .vocab import CharVocab

__all__ = ["CharLSTM", "next_char_probs", "sample_next", "prompt_logits", "generate", "Generated", "char_nats", "text_logprob",
           "scramble", "held_out_play"]

MAX_GENERATE = 20_000      # characters one generate() call may produce
MAX_TEMPERATURE = 100.0


class CharLSTM(nn.Module):
    """Embedding + LSTM + linear read-out: a character language model.

    Shapes: x (N, T) int64 ids in [0, V), hidden None or (h, c) each (layers, N, H)
            -> logits (N, T, V), (h, c)
    Math:   e_t = E[x_t];  (h_t, c_t) = LSTM(e_t, h_{t-1}, c_{t-1});  logits_t = W h_t + b
    """

    def __init__(self, vocab_size: int, embed: int = 64, hidden: int = 256, layers: int = 1):
        super().__init__()
        vocab_size = as_int(vocab_size, "vocab_size", 1, 100_000)
        embed = as_int(embed, "embed", 1, 4096)
        hidden = as_int(hidden, "hidden", 1, 4096)
        layers = as_int(layers, "layers", 1, 8)
        check_elements(4 * hidden * (embed + hidden) * layers + vocab_size * (embed + hidden),
                       "the model's parameters", "use a smaller hidden or embed size")
        self.config = {"vocab_size": vocab_size, "embed": embed, "hidden": hidden,
                       "layers": layers}
        self.embed = nn.Embedding(vocab_size, embed)
        self.lstm = nn.LSTM(embed, hidden, num_layers=layers, batch_first=True)
        self.out = nn.Linear(hidden, vocab_size)

    def forward(self, x: torch.Tensor, hidden=None):
        h, hidden = self.lstm(self.embed(x), hidden)          # (N, T, H)
        return self.out(h), hidden                             # (N, T, V)


def _check_logits(logits) -> torch.Tensor:
    if not isinstance(logits, torch.Tensor):
        try:
            logits = torch.as_tensor(logits, dtype=torch.float64)
        except (TypeError, ValueError, RuntimeError) as e:
            raise ValueError(f"logits must be a 1-D tensor of V scores, got "
                             f"{type(logits).__name__}: {e}") from None
    if logits.ndim != 1 or logits.numel() == 0 or not logits.is_floating_point():
        raise ValueError(f"logits must be a non-empty 1-D floating-point tensor (V,), got "
                         f"{logits.dtype} of shape {tuple(logits.shape)}")
    if not bool(torch.isfinite(logits).all()):
        raise ValueError("logits must be finite (no NaN or infinity)")
    return logits.detach()


def _check_sampling(temperature, top_k) -> tuple[float, int]:
    temperature = as_float(temperature, "temperature", 0.0, MAX_TEMPERATURE)
    top_k = as_int(top_k, "top_k", 0)
    return temperature, top_k


def next_char_probs(logits, temperature: float = 1.0, top_k: int = 0) -> torch.Tensor:
    """The distribution the next character is drawn from.

    Shapes: logits (V,) -> p (V,), float64, sums to 1.
    Math: p = softmax(z / temperature) over the ``top_k`` largest z (all when ``top_k`` is 0 or
    >= V), 0 elsewhere; ``temperature = 0``: p = 1 at argmax z (the first one on a tie).
    """
    z = _check_logits(logits).to(torch.float64)
    temperature, top_k = _check_sampling(temperature, top_k)
    if temperature == 0.0:
        p = torch.zeros_like(z)
        p[int(z.argmax())] = 1.0
        return p
    z = z / temperature
    if 0 < top_k < len(z):
        kth = torch.topk(z, top_k).values[-1]
        z = z.masked_fill(z < kth, -math.inf)
    return torch.softmax(z, dim=0)


def sample_next(logits, temperature: float = 1.0, top_k: int = 0,
                generator: torch.Generator | None = None) -> int:
    """One character id drawn from :func:`next_char_probs` (the argmax at temperature 0).

    Shape: logits (V,) -> an int in [0, V). ``generator`` (a ``torch.Generator``) makes the draw
    reproducible.
    """
    if generator is not None and not isinstance(generator, torch.Generator):
        raise ValueError(f"generator must be None or a torch.Generator, got "
                         f"{type(generator).__name__}")
    p = next_char_probs(logits, temperature, top_k)
    if temperature == 0:
        return int(p.argmax())
    return int(torch.multinomial(p, 1, generator=generator))


def _check_model(model) -> nn.Module:
    if not isinstance(model, nn.Module):
        raise ValueError(f"model must be a torch.nn.Module mapping (ids, hidden) to (logits, "
                         f"hidden), such as CharLSTM, got {type(model).__name__}")
    return model


def _check_vocab(vocab) -> CharVocab:
    if not isinstance(vocab, CharVocab):
        raise ValueError(f"vocab must be a CharVocab, got {type(vocab).__name__}")
    return vocab


class Generated(NamedTuple):
    """What :func:`generate` returns: the ``text`` generated after the prompt, the part of the
    prompt the model read (``prompt``), and the prompt's characters it skipped (``skipped``,
    those not in its vocabulary)."""
    text: str
    prompt: str
    skipped: list


def _prime(vocab: CharVocab, prompt: str) -> tuple[str, list, list[int]]:
    """The prompt's known characters, its unknown ones, and the ids the model reads first: the
    prompt's, or a newline (the start of a line) when nothing of the prompt is known."""
    if not isinstance(prompt, str):
        raise ValueError(f"prompt must be a string, got {type(prompt).__name__} {prompt!r:.60}")
    skipped = vocab.unknown(prompt)
    ids = vocab.encode(prompt, unknown="skip").tolist()
    known = vocab.decode(ids)
    if not ids:
        start = "\n" if "\n" in vocab else vocab.chars[0]
        ids = [vocab.index[start]]
    return known, skipped, ids


@torch.no_grad()
def prompt_logits(model: nn.Module, vocab: CharVocab, prompt: str = "") -> torch.Tensor:
    """The model's scores for the character after ``prompt``: logits (V,), float32, on the CPU.

    The prompt is read as :func:`generate` reads it (unknown characters skipped; an empty prompt
    is a newline). ``next_char_probs(prompt_logits(...), temperature, top_k)`` is the
    distribution the first generated character is drawn from.
    """
    model, vocab = _check_model(model), _check_vocab(vocab)
    _, _, ids = _prime(vocab, prompt)
    device = next(model.parameters()).device
    was_training = model.training
    model.eval()
    try:
        logits, _ = model(torch.tensor([ids], device=device), None)
    finally:
        model.train(was_training)
    return logits[0, -1].float().cpu()


@torch.no_grad()
def generate(model: nn.Module, vocab: CharVocab, prompt: str = "", length: int = 200,
             temperature: float = 1.0, top_k: int = 0, seed: int = 0) -> Generated:
    """Continue ``prompt`` with ``length`` characters sampled one at a time.

    The model reads the prompt (characters outside the vocabulary are skipped and reported in
    ``skipped``; an empty prompt, or one with no known character, starts from a newline), then
    repeats: logits for the next character -> :func:`sample_next` -> feed it back in. ``seed``
    seeds the draws (a generator of its own: the global random state is untouched). Never raises
    for any prompt string. Runs in eval mode on the model's device; the mode is restored.
    """
    model, vocab = _check_model(model), _check_vocab(vocab)
    length = as_int(length, "length", 0, MAX_GENERATE)
    temperature, top_k = _check_sampling(temperature, top_k)
    seed = as_int(seed, "seed")
    known, skipped, ids = _prime(vocab, prompt)
    device = next(model.parameters()).device
    g = torch.Generator().manual_seed(seed)
    was_training = model.training
    model.eval()
    try:
        logits, hidden = model(torch.tensor([ids], device=device), None)
        out = []
        for _ in range(length):
            nxt = sample_next(logits[0, -1].float().cpu(), temperature, top_k, g)
            out.append(nxt)
            logits, hidden = model(torch.tensor([[nxt]], device=device), hidden)
    finally:
        model.train(was_training)
    return Generated(vocab.decode(out), known, skipped)


@torch.no_grad()
def char_nats(model: nn.Module, vocab: CharVocab, text: str, context: str = "\n"):
    """The model's surprise at each character of ``text``, read after ``context``, in nats.

    Shape: text of length L -> (L,) float64 NumPy array, entry t = -log p(text[t] | context +
    text[:t]). Every character of ``text`` and ``context`` must be in the vocabulary (a
    ValueError names the others); ``context`` must not be empty (the model reads at least one
    character before the first it scores; "\\n" = the start of a line).
    """
    model, vocab = _check_model(model), _check_vocab(vocab)
    if not isinstance(context, str) or not context:
        raise ValueError(f"context must be a non-empty string (the model needs one character to "
                         f"read before the first it scores), got {context!r:.60}")
    if not isinstance(text, str) or not text:
        raise ValueError(f"text must be a non-empty string, got {text!r:.60}")
    ids = torch.as_tensor(vocab.encode(context + text))
    device = next(model.parameters()).device
    was_training = model.training
    model.eval()
    try:
        logits, _ = model(ids[None, :-1].to(device), None)
    finally:
        model.train(was_training)
    logp = torch.log_softmax(logits[0].double(), dim=-1).cpu()
    targets = ids[1:]
    return -logp[torch.arange(len(targets)), targets][len(context) - 1:].numpy()


def text_logprob(model: nn.Module, vocab: CharVocab, text: str, context: str = "\n") -> float:
    """log p(text | context) in nats: the sum over the characters of ``text`` of the log
    probability the model gives each one after ``context`` and the characters before it.

    Math: sum_t log softmax(logits_t)[x_t], the model having read ``context + text[:t]``
    (= -sum of :func:`char_nats`). Divide by ``len(text)`` for nats per character.
    """
    return -float(char_nats(model, vocab, text, context).sum())


def scramble(text: str, seed: int, unit: str = "word") -> str:
    """``text`` with its words (``unit="word"``, split on spaces) or its characters
    (``unit="char"``) in a random order (``numpy.random.default_rng(seed)``): the same symbols,
    so a model that only counts them (a unigram) gives both the same probability.
    """
    import numpy as np

    if not isinstance(text, str):
        raise ValueError(f"text must be a string, got {type(text).__name__}")
    check_elements(len(text), "text", "use a shorter text")
    seed = as_int(seed, "seed")
    if unit not in ("word", "char"):
        raise ValueError(f"unit must be 'word' or 'char', got {unit!r}")
    rng = np.random.default_rng(seed)
    parts = text.split(" ") if unit == "word" else list(text)
    order = rng.permutation(len(parts))
    return (" " if unit == "word" else "").join(parts[i] for i in order)


def held_out_play(text: str, title: str = "THE TEMPEST") -> tuple[str, str]:
    """Split a corpus of whole plays at the line ``title``: ``(train, held_out)``.

    For the shipped Shakespeare (``load_text("shakespeare")``, eight plays, The Tempest last), the
    default holds out The Tempest (98,333 characters, 9.5 %): validation text from a play the
    model never read, rather than lines interleaved with its training text.
    """
    if not isinstance(text, str) or not isinstance(title, str) or not title:
        raise ValueError("text and title must be strings (title non-empty)")
    at = text.find(f"\n{title}\n")
    if at < 0:
        raise ValueError(f"title {title!r} is not a line of the text")
    return text[:at + 1], text[at + 1:]
