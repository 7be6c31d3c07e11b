"""Text for the sequence models of chapter 6: vocabularies, and the character language model.

:mod:`~course_utils.text.vocab`: :class:`CharVocab` (characters, no ``<unk>``: unknown characters
raise, or are skipped on request) and :class:`Vocab` (words, with ``<pad>`` = 0, ``<sos>`` = 1,
``<eos>`` = 2, ``<unk>`` = 3). :mod:`~course_utils.text.charlm` (notebook 13): :class:`CharLSTM`,
sampling with a temperature and top-k (``next_char_probs``, ``sample_next``, ``generate``), the
log probability of a text, scrambled text, the held-out play. :mod:`~course_utils.text.checkpoint`:
the shipped longer-trained model (``load_char_lm``; made by ``tools/train_char_lm.py``).
"""
from .charlm import (
    CharLSTM,
    Generated,
    char_nats,
    generate,
    held_out_play,
    next_char_probs,
    prompt_logits,
    sample_next,
    scramble,
    text_logprob,
)
from .checkpoint import CHAR_LM_FILE, char_lm_from_state, load_char_lm, save_char_lm
from .vocab import EOS, PAD, SOS, SPECIALS, UNK, CharVocab, Vocab

__all__ = ["CharVocab", "Vocab", "PAD", "SOS", "EOS", "UNK", "SPECIALS", "CharLSTM", "Generated",
           "next_char_probs", "sample_next", "prompt_logits", "generate", "char_nats", "text_logprob", "scramble",
           "held_out_play", "CHAR_LM_FILE", "save_char_lm", "load_char_lm", "char_lm_from_state"]
