"""Explorer of the recurrent layer unrolled over a sequence (notebook 10): step through it and
watch h_t being computed from x_t and h_{t-1} with the same weights at every step."""
from __future__ import annotations

from typing import Mapping

import numpy as np

from .._validate import as_numbers
from .app import App, app, choice, slider

__all__ = ["unrolled_explorer", "unrolled_demo"]


def unrolled_explorer(sequences: Mapping[str, tuple], weight_ih, weight_hh, bias_ih=None,
                      bias_hh=None) -> App:
    """Choose a sequence and a time step: the unrolled network up to that step, and the step's
    two contributions (W_in x_t + b_ih, W_rec h_{t-1} + b_hh) unit by unit.

    ``sequences``: {name: (labels, x)} with labels T strings (the tokens) and x (T, D) their
    input vectors (embeddings or one-hot rows), T at most 24; the weights in PyTorch's layout
    (``nn.RNN``'s ``weight_ih_l0`` ...), tanh. The states are computed once per sequence by
    :func:`course_utils.rnn.rnn_forward` (h_{-1} = 0), the contributions from the same weights.
    """
    from ..layers.rnn import rnn_forward
    from ..viz.unrolled import MAX_STEPS, render_unrolled

    if not isinstance(sequences, Mapping) or not sequences:
        raise ValueError("sequences must be a non-empty dict {name: (labels, x (T, D))}")
    wih = as_numbers(weight_ih, "weight_ih").astype(np.float64)
    whh = as_numbers(weight_hh, "weight_hh").astype(np.float64)
    if wih.ndim != 2 or whh.ndim != 2 or whh.shape != (len(wih), len(wih)):
        raise ValueError(f"weight_ih must be (H, D) and weight_hh (H, H), got {wih.shape} and "
                         f"{whh.shape}")
    H, D = wih.shape
    bih = np.zeros(H) if bias_ih is None else as_numbers(bias_ih, "bias_ih").astype(np.float64)
    bhh = np.zeros(H) if bias_hh is None else as_numbers(bias_hh, "bias_hh").astype(np.float64)
    if bih.shape != (H,) or bhh.shape != (H,):
        raise ValueError(f"bias_ih and bias_hh must have shape ({H},), got {bih.shape} and "
                         f"{bhh.shape}")
    prepared = {}
    for name, item in sequences.items():
        if not (isinstance(item, (tuple, list)) and len(item) == 2):
            raise ValueError(f"sequences[{name!r}] must be (labels, x (T, D)), got "
                             f"{type(item).__name__}")
        labels, x = item
        x = as_numbers(x, f"sequences[{name!r}] x").astype(np.float64)
        if x.ndim != 2 or x.shape[1] != D or not 1 <= len(x) <= MAX_STEPS:
            raise ValueError(f"sequences[{name!r}]: x must be (T, {D}) with 1 <= T <= "
                             f"{MAX_STEPS}, got shape {x.shape}")
        if isinstance(labels, str) or len(labels) != len(x):
            raise ValueError(f"sequences[{name!r}]: labels must be {len(x)} strings, one per "
                             f"row of x, got {labels!r}")
        hs = rnn_forward(x[None], None, wih, whh, bih, bhh)[0][0]            # (T, H)
        prev = np.vstack([np.zeros((1, H)), hs[:-1]])                        # h_{t-1}
        prepared[name] = ([str(s) for s in labels], x, hs, (x @ wih.T + bih, prev @ whh.T + bhh))
    longest = max(len(p[1]) for p in prepared.values())

    def render(fig, sequence: str, step: int) -> None:
        labels, x, hs, terms = prepared[sequence]
        if step >= len(x):
            raise ValueError(f"{sequence!r} has {len(x)} steps (0 to {len(x) - 1}); step {step} "
                             "is past its end")
        render_unrolled(fig, x, hs, step, labels, terms)

    names = list(prepared)
    return app(render, figsize=(9.0, 4.6),
               sequence=choice("sequence", names, names[0], buttons=len(names) <= 3),
               step=slider("step t", 0, longest - 1, min(2, longest - 1)))


def unrolled_demo() -> App:
    """The explorer on two short word sequences with random embeddings and weights (tests)."""
    rng = np.random.default_rng(0)
    words = ["the", "clouds", "are", "in", "the", "sky"]
    table = {w: rng.standard_normal(3) for w in set(words) | {"a", "bird"}}
    return unrolled_explorer(
        {"clouds": (words, np.stack([table[w] for w in words])),
         "bird": (["a", "bird"], np.stack([table["a"], table["bird"]]))},
        rng.standard_normal((4, 3)) * 0.8, rng.standard_normal((4, 4)) * 0.6,
        rng.standard_normal(4) * 0.1, None)
