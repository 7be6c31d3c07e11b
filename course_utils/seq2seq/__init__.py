"""Sequence to sequence translation with attention (notebook 14).

:mod:`~course_utils.seq2seq.corpus` (the shipped English-German numbers corpus,
:func:`load_numbers`), :mod:`~course_utils.seq2seq.model` (:class:`Seq2Seq`, a GRU
encoder-decoder with attention, and :class:`Seq2SeqStep`, its training step for
:func:`course_utils.train.fit` with teacher forcing or free running),
:mod:`~course_utils.seq2seq.decode` (greedy decoding, beam search, translating a typed sentence,
exact match). Word ids come from :class:`course_utils.text.Vocab`.
"""
from .corpus import NUMBER_SPLITS, NumberPair, load_numbers
from .decode import (
    Translation,
    beam_search,
    exact_match,
    greedy_decode,
    sequence_log_prob,
    translate,
    translate_batch,
)
from .model import EncoderStates, Seq2Seq, Seq2SeqStep, check_ids
from .training import train_in_chunks

__all__ = ["NUMBER_SPLITS", "NumberPair", "load_numbers", "Seq2Seq", "Seq2SeqStep",
           "EncoderStates", "check_ids", "Translation", "greedy_decode", "beam_search",
           "translate", "translate_batch", "exact_match", "sequence_log_prob", "train_in_chunks"]
