"""The shipped, longer-trained character model (notebook 13): saving it, and loading it safely.

``data/char_lstm_shakespeare.pt`` is made by ``python tools/train_char_lm.py`` (its training time
and final validation loss are in the file's ``info`` and in ``data/README.md``). The file holds
plain data only -- a dict of float16 tensors, the vocabulary as a string, the model's sizes and
the training record -- so it loads with ``torch.load(..., weights_only=True)``: no code from the
file is run. Its sha256 is checked against ``data/SHA256SUMS`` first.
"""
from __future__ import annotations

import os
from pathlib import Path

import torch

from .charlm import CharLSTM
from .vocab import CharVocab

__all__ = ["CHAR_LM_FILE", "save_char_lm", "load_char_lm", "char_lm_from_state"]

CHAR_LM_FILE = "char_lstm_shakespeare.pt"
FORMAT = 1
INFO_TYPES = (int, float, str, bool)


def _checkpoint_state(model: CharLSTM, vocab: CharVocab, info: dict) -> dict:
    if not isinstance(model, CharLSTM):
        raise ValueError(f"model must be a CharLSTM, got {type(model).__name__}")
    if not isinstance(vocab, CharVocab):
        raise ValueError(f"vocab must be a CharVocab, got {type(vocab).__name__}")
    if model.config["vocab_size"] != len(vocab):
        raise ValueError(f"the model has {model.config['vocab_size']} outputs but the vocabulary "
                         f"{len(vocab)} characters")
    if not isinstance(info, dict) or not all(
            isinstance(k, str) and isinstance(v, INFO_TYPES) for k, v in info.items()):
        raise ValueError("info must be a dict of names to numbers or strings (the training "
                         "record)")
    weights = {k: v.detach().cpu().to(torch.float16).contiguous()
               for k, v in model.state_dict().items()}
    plain = {k: v if type(v) in INFO_TYPES else next(t(v) for t in INFO_TYPES[::-1]
                                                     if isinstance(v, t))
             for k, v in info.items()}   # str subclasses (torch.__version__) as plain str
    return {"format": FORMAT, "chars": "".join(vocab.chars), "config": dict(model.config),
            "weights": weights, "info": plain}


def save_char_lm(path: str | os.PathLike, model: CharLSTM, vocab: CharVocab, info: dict) -> Path:
    """Write ``model`` (its weights rounded to float16, which halves the file), ``vocab`` and
    ``info`` (the training record: steps, seconds, validation loss, ...) to ``path``."""
    if not isinstance(path, (str, os.PathLike)):
        raise ValueError(f"path must be a file path, got {type(path).__name__}")
    state = _checkpoint_state(model, vocab, info)
    path = Path(path)
    torch.save(state, path)
    return path


def char_lm_from_state(state: dict) -> tuple[CharLSTM, CharVocab, dict]:
    """The (model in eval mode, float32; vocabulary; info) of a loaded checkpoint dict."""
    if not (isinstance(state, dict) and state.get("format") == FORMAT
            and {"chars", "config", "weights", "info"} <= set(state)):
        raise ValueError(f"not a character-model checkpoint of format {FORMAT} (expected a dict "
                         "with chars, config, weights and info)")
    vocab = CharVocab(state["chars"])
    model = CharLSTM(**state["config"])
    model.load_state_dict({k: v.float() for k, v in state["weights"].items()})
    return model.eval(), vocab, dict(state["info"])


def load_char_lm() -> tuple[CharLSTM, CharVocab, dict]:
    """The shipped model trained by ``tools/train_char_lm.py``: ``(model, vocab, info)``.

    ``info`` says how it was trained (``steps``, ``seconds``, ``threads``, ``val_loss`` in nats
    per character on The Tempest, ...). The file's sha256 is checked against ``data/SHA256SUMS``,
    then it is read with ``weights_only=True``.
    """
    from ..data import DataIntegrityError, data_dir, verify_data

    root = data_dir()
    verify_data(root)          # every shipped file's checksum (cached per file version)
    try:
        state = torch.load(root / CHAR_LM_FILE, map_location="cpu", weights_only=True)
        return char_lm_from_state(state)
    except Exception as err:   # a file that matches the manifest but does not load
        raise DataIntegrityError(
            f"data file {CHAR_LM_FILE} matches SHA256SUMS but cannot be read "
            f"({type(err).__name__}: {err}). Restore it with `git checkout -- data/{CHAR_LM_FILE}`"
            " or rebuild it with `python tools/train_char_lm.py`.") from err
