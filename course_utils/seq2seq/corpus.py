"""Notebook 14's parallel corpus: the numbers 1-9,999 written out in English and German.

Built by ``tools/build_numbers_corpus.py`` with num2words and shipped (checksummed) as
``data/numbers_en_de.tsv.gz``; see ``data/README.md`` for the tokenisation and the split rule (a
number is held out by a hash of its digits, so test numbers are never trained on).
"""
from __future__ import annotations

from typing import NamedTuple

from .._validate import check_choice

__all__ = ["NumberPair", "NUMBER_SPLITS", "load_numbers"]

NUMBER_SPLITS = ("train", "test", "all")


class NumberPair(NamedTuple):
    """One sentence pair: the number, its English and German tokens (space-separated strings)
    and num2words' German spelling (one compound word)."""
    number: int
    english: str
    german: str
    written: str


def load_numbers(split: str = "train") -> list[NumberPair]:
    """The corpus's pairs of one split, in increasing order of the number.

    "train": 8,043 pairs, "test": 1,956 held-out pairs, "all": the 9,999 numbers.

    >>> pairs = load_numbers("test")
    >>> len(pairs), pairs[0].number in {p.number for p in load_numbers("train")}
    (1956, False)
    >>> [p for p in load_numbers("all") if p.number == 97][0]
    NumberPair(number=97, english='ninety seven', german='sieben und neunzig', written='siebenundneunzig')
    """
    from ..data import load_text

    split = check_choice("split", split, NUMBER_SPLITS)
    lines = load_text("numbers_en_de").splitlines()
    out = []
    for line in lines[1:]:
        number, which, english, german, written = line.split("\t")
        if split in ("all", which):
            out.append(NumberPair(int(number), english, german, written))
    return out
