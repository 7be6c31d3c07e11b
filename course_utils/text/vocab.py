"""Vocabularies: text <-> integer ids, for characters (notebook 13) and for words (notebooks 14-16).

Two small classes, one idea: a fixed list of symbols, the id of a symbol is its position.

* :class:`CharVocab` -- every distinct character of a training text, sorted. A character model
  has **no** ``<unk>`` id: every character of its corpus is in the vocabulary, and a character it
  has never seen (an accent, an emoji typed into a prompt) has no meaningful embedding. So
  ``encode`` refuses unknown characters by default (``unknown="error"``, a ``ValueError`` naming
  them) and drops them on request (``unknown="skip"``, what the explorers do, saying which were
  dropped with :meth:`CharVocab.unknown`).
* :class:`Vocab` -- words, with four special tokens at fixed ids: ``<pad>`` = 0 (padding of a
  batch, the ``ignore_index`` of the loss), ``<sos>`` = 1 (start of sentence, the decoder's first
  input), ``<eos>`` = 2 (end of sentence), ``<unk>`` = 3 (any word not in the vocabulary). A
  sentence is split on whitespace (``str.split()``), nothing else: build the corpus so that a
  word is what lies between spaces (lower-case it first if case should not matter).

>>> v = CharVocab.from_text("hello")
>>> v.chars, v.encode("hole").tolist(), v.decode([3, 1, 2, 2, 3])
(('e', 'h', 'l', 'o'), [1, 3, 2, 0], 'ohllo')
>>> w = Vocab.from_sentences(["the cat sat", "the dog"])
>>> w.encode("the cat ran", eos=True), w.decode([1, 4, 5, 2, 0])
([4, 5, 3, 2], ['the', 'cat'])
"""
from __future__ import annotations

from collections import Counter
from typing import Iterable, Sequence

import numpy as np

from .._validate import as_int, check_choice, check_elements

__all__ = ["CharVocab", "Vocab", "PAD", "SOS", "EOS", "UNK", "SPECIALS"]

PAD, SOS, EOS, UNK = "<pad>", "<sos>", "<eos>", "<unk>"
SPECIALS = (PAD, SOS, EOS, UNK)
UNKNOWN_POLICIES = ("error", "skip")
MAX_CHARS = 100_000  # distinct symbols: far above any alphabet, far below a runaway input


def _check_text(text, name: str = "text") -> str:
    if not isinstance(text, str):
        raise ValueError(f"{name} must be a string, got {type(text).__name__} {text!r:.60}")
    check_elements(len(text), f"{name} ({len(text):,} characters)", "use a shorter text")
    return text


def _as_ids(ids, size: int, name: str = "ids") -> np.ndarray:
    """A 1-D sequence of integer ids in [0, size) as an int64 array (tensors and lists accepted)."""
    if hasattr(ids, "detach") and hasattr(ids, "cpu"):
        ids = ids.detach().cpu().numpy()
    if isinstance(ids, (str, bytes)):
        raise ValueError(f"{name} must be a sequence of integer ids, got a string {ids!r:.60}")
    try:
        a = np.asarray(ids)
    except (ValueError, TypeError) as e:
        raise ValueError(f"{name} must be a flat sequence of integer ids: {e}") from None
    if a.size == 0:
        return np.zeros(0, dtype=np.int64)
    if a.ndim != 1 or a.dtype.kind not in "iu":
        raise ValueError(f"{name} must be a 1-D sequence of integer ids, got dtype {a.dtype} and "
                         f"shape {a.shape}")
    low, high = int(a.min()), int(a.max())
    if low < 0 or high >= size:
        raise ValueError(f"{name} must lie in [0, {size}) (the vocabulary's size), got ids from "
                         f"{low} to {high}")
    return a.astype(np.int64, copy=False)


class CharVocab:
    """The characters of a text, sorted; a character's id is its position in :attr:`chars`.

    ``CharVocab.from_text(text)`` builds it; ``encode(text) -> (L,) int64 array`` and
    ``decode(ids) -> str`` map both ways; ``len(vocab)`` is the number of symbols V (the model's
    number of outputs).
    """

    def __init__(self, chars: Iterable[str]):
        if isinstance(chars, str):
            chars = list(chars)
        try:
            chars = tuple(chars)
        except TypeError:
            raise ValueError(f"chars must be an iterable of single characters, got "
                             f"{type(chars).__name__}") from None
        bad = [c for c in chars if not (isinstance(c, str) and len(c) == 1)]
        if bad:
            raise ValueError(f"chars must be single characters, got {bad[0]!r}")
        if not chars:
            raise ValueError("chars is empty: a vocabulary needs at least one character")
        if len(set(chars)) != len(chars):
            raise ValueError("chars has repeated characters: each must appear once")
        if len(chars) > MAX_CHARS:
            raise ValueError(f"chars has {len(chars):,} characters, more than {MAX_CHARS:,}")
        self.chars = chars
        self.index = {c: i for i, c in enumerate(chars)}

    @classmethod
    def from_text(cls, text: str) -> CharVocab:
        """Every distinct character of ``text``, in sorted (code point) order."""
        text = _check_text(text)
        if not text:
            raise ValueError("text is empty: a vocabulary needs at least one character")
        return cls(sorted(set(text)))

    def __len__(self) -> int:
        return len(self.chars)

    def __contains__(self, char) -> bool:
        return char in self.index

    def __repr__(self) -> str:
        shown = "".join(self.chars[:40]).encode("unicode_escape").decode()
        return f"CharVocab({len(self)} characters: {shown!r}{' ...' if len(self) > 40 else ''})"

    def unknown(self, text: str) -> list[str]:
        """The distinct characters of ``text`` that are not in the vocabulary, in order of
        appearance (empty when every character is known)."""
        text = _check_text(text)
        if not set(text).difference(self.index):
            return []
        return list(dict.fromkeys(c for c in text if c not in self.index))

    def encode(self, text: str, unknown: str = "error") -> np.ndarray:
        """Shape: text of length L -> (L,) int64 ids.

        ``unknown="error"`` (default): a character not in the vocabulary raises ``ValueError``
        naming it; ``unknown="skip"``: such characters are dropped (the result is then shorter
        than ``text``; :meth:`unknown` says which were dropped).
        """
        text = _check_text(text)
        unknown = check_choice("unknown policy", unknown, UNKNOWN_POLICIES)
        if not text:
            return np.zeros(0, dtype=np.int64)
        missing = self.unknown(text)
        if missing and unknown == "error":
            shown = ", ".join(repr(c) for c in missing[:10])
            raise ValueError(f"text has {len(missing)} character(s) not in the vocabulary: {shown}"
                             f"{' ...' if len(missing) > 10 else ''}. Remove them, or pass "
                             "unknown='skip' to drop them")
        if all(ord(c) < 128 for c in self.chars):  # fast path for ASCII vocabularies
            table = np.full(128, -1, dtype=np.int64)
            table[[ord(c) for c in self.chars]] = np.arange(len(self))
            if not missing:
                return table[np.frombuffer(text.encode("ascii"), dtype=np.uint8)]
        return np.fromiter((self.index[c] for c in text if c in self.index), dtype=np.int64)

    def decode(self, ids) -> str:
        """Shape: (L,) ids in [0, V) -> a string of L characters (a list, array or tensor)."""
        a = _as_ids(ids, len(self))
        return "".join(self.chars[i] for i in a.tolist())


class Vocab:
    """A word vocabulary: ``<pad>``, ``<sos>``, ``<eos>``, ``<unk>`` (ids 0-3), then the words.

    ``Vocab.from_sentences(sentences, min_count=1)`` keeps every word seen at least ``min_count``
    times, most frequent first (ties in order of first appearance). ``encode`` maps a sentence
    (a string, split on whitespace, or a list of words) to ids, an unknown word to ``<unk>``
    (:meth:`unknown` lists them, for a clear message); ``decode`` maps ids back to words, stopping
    at ``<eos>`` and dropping ``<pad>``/``<sos>``; ``encode_batch`` pads sentences into one
    (N, T) int64 tensor. Attributes: ``words`` (the id -> word tuple, specials included),
    ``index`` (word -> id), and the ids ``pad_id``, ``sos_id``, ``eos_id``, ``unk_id``.
    """

    pad_id, sos_id, eos_id, unk_id = 0, 1, 2, 3

    def __init__(self, words: Iterable[str]):
        if isinstance(words, str):
            raise ValueError("words must be a list of words, got one string (split it first)")
        try:
            words = tuple(words)
        except TypeError:
            raise ValueError(f"words must be an iterable of strings, got "
                             f"{type(words).__name__}") from None
        bad = [w for w in words if not isinstance(w, str) or not w or w.split() != [w]]
        if bad:
            raise ValueError(f"words must be non-empty strings without whitespace, got {bad[0]!r}")
        if any(w in SPECIALS for w in words):
            raise ValueError(f"words must not contain the special tokens {SPECIALS}: they are "
                             "added first, at ids 0-3")
        if len(set(words)) != len(words):
            raise ValueError("words has repeated entries: each word must appear once")
        check_elements(len(words), "words", "keep fewer words (min_count)")
        self.words = SPECIALS + words
        self.index = {w: i for i, w in enumerate(self.words)}

    @staticmethod
    def split(sentence) -> list[str]:
        """A sentence as a list of words: a string is split on whitespace; a list is kept."""
        if isinstance(sentence, str):
            check_elements(len(sentence), "sentence", "use a shorter sentence")
            return sentence.split()
        if isinstance(sentence, (list, tuple)) and all(isinstance(w, str) for w in sentence):
            return list(sentence)
        raise ValueError(f"a sentence must be a string or a list of words (strings), got "
                         f"{type(sentence).__name__} {sentence!r:.60}")

    @classmethod
    def from_sentences(cls, sentences: Iterable, min_count: int = 1) -> Vocab:
        """Every word seen at least ``min_count`` times in ``sentences`` (strings or word lists)."""
        if isinstance(sentences, str) or not hasattr(sentences, "__iter__"):
            raise ValueError(f"sentences must be a list of sentences, got "
                             f"{type(sentences).__name__} {sentences!r:.60}")
        min_count = as_int(min_count, "min_count", 1)
        counts: Counter = Counter()
        for s in sentences:
            counts.update(w for w in cls.split(s) if w not in SPECIALS)
        return cls(w for w, c in counts.most_common() if c >= min_count)

    def __len__(self) -> int:
        return len(self.words)

    def __contains__(self, word) -> bool:
        return word in self.index

    def __repr__(self) -> str:
        return f"Vocab({len(self)} tokens: {' '.join(self.words[:12])}{' ...' if len(self) > 12 else ''})"

    def unknown(self, sentence) -> list[str]:
        """The distinct words of ``sentence`` that are not in the vocabulary, in order."""
        return list(dict.fromkeys(w for w in self.split(sentence) if w not in self.index))

    def encode(self, sentence, sos: bool = False, eos: bool = False) -> list[int]:
        """A sentence -> its ids (unknown words -> ``unk_id``), with ``<sos>`` first and
        ``<eos>`` last when asked."""
        for flag, name in ((sos, "sos"), (eos, "eos")):
            if not isinstance(flag, bool):
                raise ValueError(f"{name} must be True or False, got {flag!r}")
        ids = [self.index.get(w, self.unk_id) for w in self.split(sentence)]
        return [self.sos_id] * sos + ids + [self.eos_id] * eos

    def decode(self, ids, strip: bool = True) -> list[str]:
        """Ids -> words. ``strip=True``: stop at the first ``<eos>``, drop ``<pad>`` and
        ``<sos>`` (``<unk>`` stays visible); ``strip=False``: every id as its token."""
        a = _as_ids(ids, len(self))
        if not isinstance(strip, bool):
            raise ValueError(f"strip must be True or False, got {strip!r}")
        out = []
        for i in a.tolist():
            if strip and i == self.eos_id:
                break
            if strip and i in (self.pad_id, self.sos_id):
                continue
            out.append(self.words[i])
        return out

    def encode_batch(self, sentences: Sequence, sos: bool = False, eos: bool = False,
                     length: int | None = None):
        """Sentences -> one (N, T) int64 torch tensor, padded with ``pad_id`` (0) on the right.

        T is the longest encoded sentence, or ``length`` (longer sentences are then cut to it).
        """
        import torch

        if isinstance(sentences, str) or not isinstance(sentences, (list, tuple)):
            raise ValueError(f"sentences must be a list of sentences, got "
                             f"{type(sentences).__name__} {sentences!r:.60}")
        if not sentences:
            raise ValueError("sentences is empty: give at least one sentence")
        rows = [self.encode(s, sos=sos, eos=eos) for s in sentences]
        T = max(map(len, rows)) if length is None else as_int(length, "length", 1)
        check_elements(len(rows) * T, f"the padded batch ({len(rows)} x {T})")
        out = torch.full((len(rows), T), self.pad_id, dtype=torch.int64)
        for n, r in enumerate(rows):
            r = r[:T]
            out[n, :len(r)] = torch.tensor(r, dtype=torch.int64)
        return out
