"""Checkers of chapter 6's exercises (what LSTMs are used for): notebook 13 (a character
language model)."""
from __future__ import annotations

import numbers

import numpy as np

from .core import WrongAnswer, call_student, checker, format_message

__all__ = ["check_sample_next", "SAMPLE_DRAWS", "SAMPLE_TOLERANCE"]

SAMPLE_DRAWS = 2000
"""Draws per case of :func:`check_sample_next`."""
SAMPLE_TOLERANCE = 0.05
"""Largest allowed |frequency - probability| over SAMPLE_DRAWS draws: the standard deviation of a
frequency is at most sqrt(0.25 / 2000) = 0.011, so a correct sampler fails with a probability
below one in a hundred thousand (4.5 standard deviations; with the checker's seeded generator a
correct torch.multinomial sampler always gives the same frequencies), while a wrong temperature
or a forgotten top-k is off by 0.1 or more."""

_LOGITS = (2.0, 1.0, 0.5, 0.0, -1.0, 0.2)


def _as_id(got, where: str, vocab: int) -> int:
    value = got
    if hasattr(value, "detach") and hasattr(value, "numel"):      # a one-element torch tensor
        if value.numel() != 1 or value.is_floating_point():
            raise WrongAnswer(format_message(
                f"got a tensor of dtype {value.dtype} and shape {tuple(value.shape)}, expected one "
                "integer id", where, "return int(torch.multinomial(p, 1, generator=generator))"))
        value = int(value.reshape(()).item())
    if isinstance(value, np.ndarray) and value.size == 1 and value.dtype.kind in "iu":
        value = int(value.reshape(()))
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise WrongAnswer(format_message(f"got {type(got).__name__} {got!r:.60}, expected an "
                                         "integer id", where, "return the index of the drawn "
                                         "character, an int"))
    if not 0 <= int(value) < vocab:
        raise WrongAnswer(format_message(f"got id {int(value)}, expected an id in [0, {vocab})",
                                         where, "the id is an index into the logits"))
    return int(value)


def _want(logits: np.ndarray, temperature: float, top_k: int) -> np.ndarray:
    """The oracle distribution, in NumPy: softmax(z / T) over the top k (argmax at T = 0)."""
    z = np.asarray(logits, dtype=float)
    if temperature == 0:
        p = np.zeros_like(z)
        p[np.argmax(z)] = 1.0
        return p
    z = z / temperature
    if 0 < top_k < len(z):
        z = np.where(z >= np.sort(z)[-top_k], z, -np.inf)
    e = np.exp(z - z.max())
    return e / e.sum()


@checker("sample_next")
def check_sample_next(student_fn) -> str:
    """``student_fn(logits, temperature, top_k, generator) -> int``: one id drawn from
    softmax(logits / temperature) restricted to the top_k largest logits (all when top_k is 0),
    the argmax when temperature is 0. Each case draws :data:`SAMPLE_DRAWS` ids with a seeded
    ``torch.Generator`` and compares the frequencies with the oracle's probabilities (NumPy)
    within :data:`SAMPLE_TOLERANCE`."""
    import torch

    logits = torch.tensor(_LOGITS)
    V = len(_LOGITS)
    cases = [  # (temperature, top_k, draws, hint)
        (0.0, 0, 20, "temperature 0 means no randomness: return the index of the largest logit "
                     "(argmax)"),
        (1.0, 0, SAMPLE_DRAWS, "at temperature 1 draw from p = softmax(logits), e.g. with "
                               "torch.multinomial(p, 1, generator=generator)"),
        (0.5, 0, SAMPLE_DRAWS, "divide the logits by the temperature before the softmax"),
        (2.0, 0, SAMPLE_DRAWS, "divide the logits by the temperature before the softmax"),
        (1.0, 1, 20, "top_k=1 keeps only the largest logit"),
        (1.5, 3, SAMPLE_DRAWS, "keep the top_k largest logits (set the others to -inf, "
                               "torch.topk gives the k-th largest), then softmax"),
    ]
    for k, (temperature, top_k, draws, hint) in enumerate(cases):
        where = f"logits {list(_LOGITS)}, temperature={temperature}, top_k={top_k}"
        gen = torch.Generator().manual_seed(1000 + k)
        counts = np.zeros(V)
        for _ in range(draws):
            got = call_student(student_fn, where, logits.clone(), temperature, top_k, gen)
            counts[_as_id(got, where, V)] += 1
        freq, want = counts / draws, _want(_LOGITS, temperature, top_k)
        never = (want == 0) & (counts > 0)
        if never.any():
            i = int(np.flatnonzero(never)[0])
            raise WrongAnswer(format_message(
                f"id {i} was drawn {int(counts[i])} times in {draws} draws but has probability 0",
                where, hint))
        worst = int(np.argmax(np.abs(freq - want)))
        if abs(freq[worst] - want[worst]) > SAMPLE_TOLERANCE:
            raise WrongAnswer(format_message(
                f"id {worst} came out with frequency {freq[worst]:.3f} in {draws} draws, but its "
                f"probability is {want[worst]:.3f} (frequencies {np.round(freq, 3).tolist()}, "
                f"probabilities {np.round(want, 3).tolist()})", where, hint))
    return (f"argmax at temperature 0, and over {SAMPLE_DRAWS:,} draws each frequency is within "
            f"{SAMPLE_TOLERANCE} of softmax(logits / temperature) over the top k.")
