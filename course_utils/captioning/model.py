"""A captioning model: a small CNN encoder, and an LSTM decoder with soft attention over the
CNN's grid of feature vectors ("Show, Attend and Tell", Xu et al. 2015), or without it.

* **encoder**: three blocks conv 3x3 (padding 1) -> batch norm -> ReLU -> max-pool 2x2 turn an image
  (3, S, S) into a G x G grid (G = S / 8) of D-dimensional feature vectors f_1 .. f_L, L = G^2.
* **initial state**: h_0 = tanh(W_h0 mean_l f_l), c_0 = tanh(W_c0 mean_l f_l).
* **attention** (:func:`soft_attention`), before emitting word t: scores
  e_l = v^T tanh(W_f f_l + W_h h_{t-1}), weights a = softmax_l(e) (they sum to 1 over the grid),
  context z_t = sum_l a_l f_l.
* **decoder step**: (h_t, c_t) = LSTMCell([embed(y_{t-1}); z_t], (h_{t-1}, c_{t-1}));
  logits = W_o [h_t; z_t].
* ``attention=False``: z_t = 0, the image enters only through h_0, c_0 (the "Show and Tell" idea,
  Vinyals et al. 2015, of one image code at the start); the weights are reported uniform.

Token ids follow :class:`course_utils.text.Vocab`: ``<pad>`` = 0, ``<sos>`` = 1, ``<eos>`` = 2.
"""
from __future__ import annotations

import torch
from torch import nn

from .._validate import as_int
from ..train.steps import StepOutput

__all__ = ["Captioner", "CaptionStep", "soft_attention", "check_images"]

PAD_ID, SOS_ID, EOS_ID = 0, 1, 2


def check_images(images, name: str = "images") -> torch.Tensor:
    """Images as a float tensor (N, 3, S, S), S a multiple of 8 in 24..128."""
    if not isinstance(images, torch.Tensor) or not images.dtype.is_floating_point:
        raise ValueError(f"{name} must be a float torch tensor (N, 3, S, S), got "
                         f"{type(images).__name__} {getattr(images, 'dtype', '')}")
    if images.ndim != 4 or images.shape[1] != 3 or images.shape[2] != images.shape[3] \
            or images.shape[2] % 8 or not 24 <= images.shape[2] <= 128 or not len(images):
        raise ValueError(f"{name} must have shape (N, 3, S, S) with N >= 1 and S a multiple of 8 "
                         f"in 24..128, got {tuple(images.shape)}")
    return images


def soft_attention(features: torch.Tensor, h: torch.Tensor, W_f: torch.Tensor,
                   W_h: torch.Tensor, v: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """Additive soft attention over a grid of feature vectors (Xu et al. 2015; Bahdanau et al.).

    Shapes: features (N, L, D), h (N, H), W_f (A, D), W_h (A, H), v (A,) -> weights (N, L),
    context (N, D). Math: e_l = v^T tanh(W_f f_l + W_h h); a = softmax_l(e); z = sum_l a_l f_l.
    """
    tensors = {"features": features, "h": h, "W_f": W_f, "W_h": W_h, "v": v}
    for name, t in tensors.items():
        if not isinstance(t, torch.Tensor) or not t.dtype.is_floating_point:
            raise ValueError(f"{name} must be a float torch tensor, got {type(t).__name__}")
    if features.ndim != 3 or h.ndim != 2 or W_f.ndim != 2 or W_h.ndim != 2 or v.ndim != 1 \
            or h.shape[0] != features.shape[0] or W_f.shape != (v.shape[0], features.shape[2]) \
            or W_h.shape != (v.shape[0], h.shape[1]):
        raise ValueError(f"shapes must be features (N, L, D), h (N, H), W_f (A, D), W_h (A, H), "
                         f"v (A,), got {[tuple(t.shape) for t in tensors.values()]}")
    scores = torch.tanh(features @ W_f.T + (h @ W_h.T)[:, None, :]) @ v
    weights = torch.softmax(scores, dim=1)
    return weights, torch.einsum("nl,nld->nd", weights, features)


class Captioner(nn.Module):
    """CNN encoder + LSTM decoder with soft attention (module docstring: the formulas).

    Shapes: ``encode(images (N, 3, S, S))`` -> features (N, L, D), L = (S/8)^2;
    ``init_state(features)`` -> (h, c) (N, H) each; ``decode_step(y_prev (N,), state, features)``
    -> (logits (N, V), state, weights (N, L)); ``forward(images, tokens_in (N, T))`` -> logits
    (N, T, V) with teacher forcing (``tokens_in`` starts with ``<sos>``).
    """

    def __init__(self, vocab_size: int, embed: int = 32, hidden: int = 128,
                 channels: tuple = (8, 16, 64), attend: int = 64, attention: bool = True):
        super().__init__()
        vocab_size = as_int(vocab_size, "vocab_size", 4, 100_000)
        embed = as_int(embed, "embed", 1, 4096)
        hidden = as_int(hidden, "hidden", 1, 4096)
        attend = as_int(attend, "attend", 1, 4096)
        if not isinstance(channels, (tuple, list)) or len(channels) != 3:
            raise ValueError(f"channels must be three channel counts, got {channels!r}")
        channels = [as_int(c, "channels", 1, 1024) for c in channels]
        if not isinstance(attention, bool):
            raise ValueError(f"attention must be True or False, got {attention!r}")
        self.vocab_size, self.attention, self.hidden = vocab_size, attention, hidden
        layers, c_in = [], 3
        for c in channels:
            layers += [nn.Conv2d(c_in, c, 3, padding=1), nn.BatchNorm2d(c), nn.ReLU(), nn.MaxPool2d(2)]
            c_in = c
        self.cnn = nn.Sequential(*layers)
        d = channels[-1]
        self.init_h, self.init_c = nn.Linear(d, hidden), nn.Linear(d, hidden)
        self.embed = nn.Embedding(vocab_size, embed, padding_idx=PAD_ID)
        self.att_f = nn.Linear(d, attend, bias=False)        # W_f
        self.att_h = nn.Linear(hidden, attend, bias=False)   # W_h
        self.att_v = nn.Linear(attend, 1, bias=False)        # v
        self.lstm = nn.LSTMCell(embed + d, hidden)
        self.out = nn.Linear(hidden + d, vocab_size)

    def encode(self, images: torch.Tensor) -> torch.Tensor:
        """images (N, 3, S, S) -> the grid of feature vectors (N, L, D), row by row."""
        grid = self.cnn(check_images(images))
        return grid.flatten(2).transpose(1, 2)

    def init_state(self, features: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """(h_0, c_0) = tanh(W_h0 m), tanh(W_c0 m), m the mean feature vector (N, D)."""
        mean = features.mean(1)
        return torch.tanh(self.init_h(mean)), torch.tanh(self.init_c(mean))

    def decode_step(self, y_prev: torch.Tensor, state: tuple, features: torch.Tensor
                    ) -> tuple[torch.Tensor, tuple, torch.Tensor]:
        """One step: (logits (N, V), (h, c), attention weights (N, L))."""
        h, c = state
        if self.attention:
            weights, context = soft_attention(features, h, self.att_f.weight, self.att_h.weight,
                                              self.att_v.weight[0])
        else:
            weights = torch.full(features.shape[:2], 1.0 / features.shape[1],
                                 device=features.device)
            context = torch.zeros(features.shape[0], features.shape[2], device=features.device)
        h, c = self.lstm(torch.cat([self.embed(y_prev), context], dim=1), (h, c))
        return self.out(torch.cat([h, context], dim=1)), (h, c), weights

    def forward(self, images: torch.Tensor, tokens_in: torch.Tensor) -> torch.Tensor:
        """Logits (N, T, V) for the T decoder inputs ``tokens_in`` (N, T), teacher forcing."""
        if not isinstance(tokens_in, torch.Tensor) or tokens_in.ndim != 2 \
                or tokens_in.dtype.is_floating_point or not tokens_in.shape[1]:
            raise ValueError(f"tokens_in must be integer token ids (N, T), T >= 1, got "
                             f"{type(tokens_in).__name__} {getattr(tokens_in, 'shape', '')}")
        if int(tokens_in.min()) < 0 or int(tokens_in.max()) >= self.vocab_size:
            raise ValueError(f"tokens_in must lie in [0, {self.vocab_size})")
        features = self.encode(images)
        if len(tokens_in) != len(features):
            raise ValueError(f"images has {len(features)} images but tokens_in has "
                             f"{len(tokens_in)} captions")
        state, logits = self.init_state(features), []
        for t in range(tokens_in.shape[1]):
            step_logits, state, _ = self.decode_step(tokens_in[:, t].long(), state, features)
            logits.append(step_logits)
        return torch.stack(logits, dim=1)


class CaptionStep:
    """The training step of :func:`course_utils.train.fit` for a :class:`Captioner`.

    Shapes: batch = (images (N, 3, S, S), tokens (N, T)), ``tokens`` = ``<sos>`` words ``<eos>``
    padded with 0. Math: logits = model(images, tokens[:, :-1]); loss = mean over the non-pad
    targets tokens[:, 1:] of -log softmax(logits)[target] (nats per word); ``acc`` counts
    argmax = target (teacher forcing, also in evaluation).
    """

    def __call__(self, model: Captioner, batch: tuple, state: dict) -> StepOutput:
        if not isinstance(model, Captioner):
            raise ValueError(f"model must be a Captioner, got {type(model).__name__}")
        images, tokens = batch
        if tokens.ndim != 2 or tokens.shape[1] < 2:
            raise ValueError(f"tokens must hold <sos>, the words and <eos> (N, T >= 2), got "
                             f"shape {tuple(tokens.shape)}")
        logits = model(images, tokens[:, :-1])
        target = tokens[:, 1:].flatten().long()
        flat = logits.flatten(0, 1)
        loss = nn.functional.cross_entropy(flat, target, ignore_index=PAD_ID)
        keep = target != PAD_ID
        correct = int((flat.detach().argmax(1)[keep] == target[keep]).sum())
        return StepOutput(loss, int(keep.sum()), {"acc": correct})
