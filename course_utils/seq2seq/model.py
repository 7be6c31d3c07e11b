"""An encoder-decoder with attention (GRU), and its training step (teacher forcing or free running).

The model (Sutskever et al. 2014; attention: Bahdanau et al. 2015, in the form of Luong et al.
2015, "global attention, general score"):

* **encoder**: the source ids x_1..x_S through an embedding and a GRU give one state per word,
  s_1..s_S (N, S, H); the decoder starts from the state at the last real word.
* **decoder**, one step: h_t = GRUCell(embed(y_{t-1}), h_{t-1}); scores e_tj = s_j^T W h_t
  (pads masked out); attention weights a_t = softmax_j(e_t) (they sum to 1 over the source);
  context c_t = sum_j a_tj s_j; output o_t = tanh(W_c [c_t; h_t]); logits = W_o o_t.
* **teacher forcing** (training): the decoder's input y_{t-1} is the reference word;
  **free running**: it is the decoder's own previous prediction (argmax), as when translating.

Token ids follow :class:`course_utils.text.Vocab`: ``<pad>`` = 0, ``<sos>`` = 1, ``<eos>`` = 2.
"""
from __future__ import annotations

from typing import NamedTuple

import torch
from torch import nn

from .._validate import as_float, as_int
from ..train.steps import StepOutput

__all__ = ["Seq2Seq", "EncoderStates", "Seq2SeqStep", "check_ids"]

PAD_ID, SOS_ID, EOS_ID = 0, 1, 2


class EncoderStates(NamedTuple):
    """What the decoder reads: ``states`` (N, S, H), ``mask`` (N, S) bool (True at real words),
    ``hidden`` (N, H) the state at each sentence's last real word (the decoder's h_0)."""
    states: torch.Tensor
    mask: torch.Tensor
    hidden: torch.Tensor


def check_ids(ids, name: str, vocab_size: int, ndim: int = 2) -> torch.Tensor:
    """Token ids as an int64 tensor of ``ndim`` dimensions with values in [0, vocab_size)."""
    if not isinstance(ids, torch.Tensor):
        raise ValueError(f"{name} must be a torch tensor of token ids, got {type(ids).__name__}")
    if ids.ndim != ndim or ids.dtype.is_floating_point or ids.dtype == torch.bool:
        raise ValueError(f"{name} must be integer token ids of {ndim} dimensions, got dtype "
                         f"{ids.dtype} and shape {tuple(ids.shape)}")
    if ids.numel() == 0:
        raise ValueError(f"{name} is empty (shape {tuple(ids.shape)}): give at least one token")
    if int(ids.min()) < 0 or int(ids.max()) >= vocab_size:
        raise ValueError(f"{name} must lie in [0, {vocab_size}) (the vocabulary's size), got ids "
                         f"from {int(ids.min())} to {int(ids.max())}")
    return ids.long()


class Seq2Seq(nn.Module):
    """GRU encoder, GRU decoder with attention (module docstring: the formulas).

    Shapes: ``forward(src (N, S), tgt_in (N, T))`` -> logits (N, T, V_tgt); ``tgt_in`` starts
    with ``<sos>`` (the reference shifted right). ``encode(src)`` -> :class:`EncoderStates`;
    ``decode_step(y_prev (N,), h (N, H), enc)`` -> (logits (N, V_tgt), h (N, H), weights (N, S)).
    ``attention=False`` gives the plain encoder-decoder of Sutskever et al. (the context is
    zero and the weights are uniform, reported for the plots only).
    """

    def __init__(self, src_vocab: int, tgt_vocab: int, embed: int = 32, hidden: int = 64,
                 attention: bool = True):
        super().__init__()
        src_vocab = as_int(src_vocab, "src_vocab", 4, 100_000)
        tgt_vocab = as_int(tgt_vocab, "tgt_vocab", 4, 100_000)
        embed = as_int(embed, "embed", 1, 4096)
        hidden = as_int(hidden, "hidden", 1, 4096)
        if not isinstance(attention, bool):
            raise ValueError(f"attention must be True or False, got {attention!r}")
        self.src_vocab, self.tgt_vocab, self.attention = src_vocab, tgt_vocab, attention
        self.src_embed = nn.Embedding(src_vocab, embed, padding_idx=PAD_ID)
        self.tgt_embed = nn.Embedding(tgt_vocab, embed, padding_idx=PAD_ID)
        self.encoder = nn.GRU(embed, hidden, batch_first=True)
        self.decoder = nn.GRUCell(embed, hidden)
        self.score = nn.Linear(hidden, hidden, bias=False)     # W in e_tj = s_j^T W h_t
        self.combine = nn.Linear(2 * hidden, hidden)            # W_c
        self.out = nn.Linear(hidden, tgt_vocab)                 # W_o

    def encode(self, src: torch.Tensor) -> EncoderStates:
        """Shapes: src (N, S) ids, padded with 0 on the right -> EncoderStates (N, S, H) ..."""
        src = check_ids(src, "src", self.src_vocab)
        mask = src != PAD_ID
        lengths = mask.sum(1).clamp(min=1)
        states, _ = self.encoder(self.src_embed(src))
        hidden = states[torch.arange(len(src), device=src.device), lengths - 1]
        return EncoderStates(states, mask, hidden)

    def decode_step(self, y_prev: torch.Tensor, h: torch.Tensor, enc: EncoderStates
                    ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """One decoder step: (logits (N, V), new h (N, H), attention weights (N, S))."""
        h = self.decoder(self.tgt_embed(y_prev), h)
        if self.attention:
            scores = torch.einsum("nsh,nh->ns", enc.states, self.score(h))
            scores = scores.masked_fill(~enc.mask, float("-inf"))
            weights = torch.softmax(scores, dim=1)
            context = torch.einsum("ns,nsh->nh", weights, enc.states)
        else:
            weights = enc.mask.float() / enc.mask.sum(1, keepdim=True).clamp(min=1)
            context = torch.zeros_like(h)
        out = torch.tanh(self.combine(torch.cat([context, h], dim=1)))
        return self.out(out), h, weights

    def forward(self, src: torch.Tensor, tgt_in: torch.Tensor, teacher_forcing: float = 1.0
                ) -> torch.Tensor:
        """Logits (N, T, V) for the T decoder inputs ``tgt_in`` (N, T).

        ``teacher_forcing`` in [0, 1]: the probability, per step and sentence, that the next
        input is the reference word ``tgt_in[:, t + 1]`` rather than the model's own argmax
        prediction (1: teacher forcing; 0: free running; the first input is always ``<sos>``).
        """
        tgt_in = check_ids(tgt_in, "tgt_in", self.tgt_vocab)
        p = as_float(teacher_forcing, "teacher_forcing", 0.0, 1.0)
        enc = self.encode(src)
        if len(tgt_in) != len(enc.states):
            raise ValueError(f"src has {len(enc.states)} sentences but tgt_in has {len(tgt_in)}")
        h, y, logits = enc.hidden, tgt_in[:, 0], []
        for t in range(tgt_in.shape[1]):
            step_logits, h, _ = self.decode_step(y, h, enc)
            logits.append(step_logits)
            if t + 1 < tgt_in.shape[1]:
                if p >= 1.0:
                    y = tgt_in[:, t + 1]
                else:
                    own = step_logits.detach().argmax(1)
                    y = own if p <= 0.0 else torch.where(
                        torch.rand(len(own), device=own.device) < p, tgt_in[:, t + 1], own)
        return torch.stack(logits, dim=1)


class Seq2SeqStep:
    """The training step of :func:`course_utils.train.fit` for an encoder-decoder.

    Shapes: batch = (src (N, S), tgt (N, T)) ids, ``tgt`` = ``<sos>`` words ``<eos>`` padded
    with 0. Math: logits = model(src, tgt[:, :-1], teacher_forcing); loss = mean over the
    non-pad targets tgt[:, 1:] of -log softmax(logits)[target] (nats per word); ``acc`` counts
    argmax = target. Training uses ``teacher_forcing`` (1.0: teacher forcing, 0.0: free
    running); evaluation always feeds the reference (the loss of the reference translation).
    """

    def __init__(self, teacher_forcing: float = 1.0):
        self.teacher_forcing = as_float(teacher_forcing, "teacher_forcing", 0.0, 1.0)

    def __call__(self, model: Seq2Seq, batch: tuple, state: dict) -> StepOutput:
        src, tgt = batch
        tgt = check_ids(tgt, "tgt", model.tgt_vocab)
        if tgt.shape[1] < 2:
            raise ValueError(f"tgt must hold <sos>, the words and <eos> (T >= 2), got T = "
                             f"{tgt.shape[1]}")
        logits = model(src, tgt[:, :-1], self.teacher_forcing if model.training else 1.0)
        target = tgt[:, 1:].flatten()
        flat = logits.flatten(0, 1)
        loss = nn.functional.cross_entropy(flat, target, ignore_index=PAD_ID)
        keep = target != PAD_ID
        correct = int((flat.detach().argmax(1)[keep] == target[keep]).sum())
        return StepOutput(loss, int(keep.sum()), {"acc": correct})
