"""Captioning images with a trained :class:`Captioner`, and measuring the captions.

* **Greedy decoding**: feed back the most probable word, y_t = argmax p(y | y_<t, image), until
  ``<eos>``.
* **Columns and BLEU** (:func:`score_captions`): each caption's column by its error count
  (:mod:`~course_utils.captioning.grammar`), and corpus BLEU-4 against both correct captions.
* **Attention on the object** (:func:`attention_on_objects`): when the decoder emits a shape
  word, the share of its attention mass on the grid cells that the named object touches, against
  the share of cells it touches (what uniform attention would give).
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np
import torch

from .._validate import as_int
from .grammar import COLUMNS, caption_column, parse_caption, scene_captions
from .model import EOS_ID, PAD_ID, SOS_ID, Captioner, check_images
from .scenes import SHAPES, check_scene, grid_cover, object_mask, render_scenes

__all__ = ["Caption", "greedy_caption", "caption_images", "caption_tensors", "score_captions",
           "attention_on_objects"]

MAX_LEN = 40


class Caption(NamedTuple):
    """One generated caption: ``words`` (without specials) and ``weights`` (rows, G, G), the
    attention over the G x G grid at each step (row t: when word t was emitted; one more row for
    ``<eos>`` if it came)."""
    words: list
    weights: np.ndarray


def _check_model(model) -> Captioner:
    if not isinstance(model, Captioner):
        raise ValueError(f"model must be a course_utils.captioning.Captioner, got "
                         f"{type(model).__name__}")
    return model


@torch.no_grad()
def greedy_caption(model: Captioner, images: torch.Tensor, max_len: int = 16
                   ) -> tuple[torch.Tensor, torch.Tensor]:
    """Greedy decoding of a batch, in eval mode.

    Shapes: images (N, 3, S, S) -> ids (N, T) (0 after each caption's ``<eos>``, which is
    included), weights (N, T, L) (zero after ``<eos>``); T <= ``max_len``.
    """
    model = _check_model(model)
    max_len = as_int(max_len, "max_len", 1, MAX_LEN)
    images = check_images(images)
    was_training = model.training
    model.eval()
    try:
        features = model.encode(images)
        state = model.init_state(features)
        y = torch.full((len(images),), SOS_ID, dtype=torch.long, device=images.device)
        done = torch.zeros(len(images), dtype=torch.bool, device=images.device)
        ids, weights = [], []
        for _ in range(max_len):
            logits, state, w = model.decode_step(y, state, features)
            y = logits.argmax(1)
            ids.append(torch.where(done, PAD_ID, y))
            weights.append(torch.where(done[:, None], 0.0, w))
            done = done | (y == EOS_ID)
            if bool(done.all()):
                break
    finally:
        model.train(was_training)
    return torch.stack(ids, 1), torch.stack(weights, 1)


def caption_images(model: Captioner, vocab, images: torch.Tensor, max_len: int = 16
                   ) -> list[Caption]:
    """Greedy captions of images (N, 3, S, S), as :class:`Caption` word lists with their
    attention maps (rows, G, G). Every emitted token up to ``<eos>`` is kept (a special token
    such as ``<unk>`` stays visible: such a caption does not parse)."""
    if not hasattr(vocab, "decode") or not hasattr(vocab, "words"):
        raise ValueError(f"vocab must be a course_utils.text.Vocab, got {type(vocab).__name__}")
    ids, weights = greedy_caption(model, images, max_len)
    g = int(round(weights.shape[2] ** 0.5))
    out = []
    for row, w in zip(ids.tolist(), weights.cpu().numpy()):
        end = row.index(EOS_ID) if EOS_ID in row else len(row)
        words = vocab.decode(row[:end], strip=False)   # an untrained model's <pad> stays visible
        rows = end + (end < len(row))
        out.append(Caption(words, w[:rows].reshape(rows, g, g)))
    return out


def caption_tensors(scenes, vocab, seed: int = 0, both: bool = False
                    ) -> tuple[torch.Tensor, torch.Tensor]:
    """Training pairs: (images (N, 3, S, S), tokens (N, T)) with ``<sos>`` caption ``<eos>``.

    ``both=False``: one of each scene's two captions, chosen at random (seeded); ``both=True``:
    both, so each image appears twice (2N pairs).
    """
    scenes = list(scenes) if isinstance(scenes, (list, tuple)) else None
    if not scenes:
        raise ValueError("scenes must be a non-empty list of Scenes")
    if not isinstance(both, bool):
        raise ValueError(f"both must be True or False, got {both!r}")
    images = render_scenes(scenes, seed)
    rng = np.random.default_rng(seed)
    caps = [scene_captions(s) for s in scenes]
    if both:
        tokens = vocab.encode_batch([" ".join(c) for pair in caps for c in pair], sos=True,
                                    eos=True)
        return images.repeat_interleave(2, dim=0), tokens
    pick = rng.integers(0, 2, len(scenes))
    tokens = vocab.encode_batch([" ".join(c[k]) for c, k in zip(caps, pick)], sos=True, eos=True)
    return images, tokens


def score_captions(captions, scenes) -> dict:
    """Columns and BLEU of generated captions against their scenes.

    ``captions``: word lists (or :class:`Caption`), one per scene. Returns {"columns": (3,) the
    share of captions in each column of :data:`COLUMNS`, "column": the list of each caption's
    column, "bleu": corpus BLEU-4 (percent) against both correct captions of each scene,
    "parsed": the share that follow the grammar}.
    """
    from ..train.metrics import bleu

    captions = [c.words if isinstance(c, Caption) else c for c in captions]
    scenes = list(scenes) if isinstance(scenes, (list, tuple)) else None
    if not scenes or len(scenes) != len(captions):
        raise ValueError(f"captions and scenes must be non-empty lists of the same length, got "
                         f"{len(captions)} captions and {len(scenes or [])} scenes")
    cols = [caption_column(c, s) for c, s in zip(captions, scenes)]
    shares = np.bincount(cols, minlength=len(COLUMNS)) / len(cols)
    refs = [scene_captions(s) for s in scenes]
    parsed = np.mean([parse_caption(c) is not None for c in captions])
    return {"columns": shares, "column": cols, "bleu": bleu(captions, refs), "parsed": parsed}


def attention_on_objects(caption: Caption, scene) -> list[tuple[int, float, float]]:
    """For each shape word of a caption that names a real object: (which, mass, uniform) with
    ``which`` 0 for the object named first, 1 for the one named second, ``mass`` the attention
    mass on the grid cells the named object touches when the decoder emitted that shape word,
    ``uniform`` the share of the grid's cells it touches (uniform attention's mass).

    The named object is the scene's object with that size, colour and shape; an object phrase
    that matches neither object is skipped, and a caption that does not parse gives [].
    """
    if not isinstance(caption, Caption):
        raise ValueError(f"caption must be a captioning.Caption, got {type(caption).__name__}")
    scene = check_scene(scene)
    parsed = parse_caption(caption.words)
    if parsed is None:
        return []
    g = caption.weights.shape[1]
    if scene.side % g:
        raise ValueError(f"the attention grid ({g}) must divide the image side ({scene.side})")
    out = []
    positions = [k for k, w in enumerate(caption.words) if w in SHAPES]
    for which, (triple, k) in enumerate(zip((parsed.first, parsed.second), positions)):
        obj = next((o for o in scene[:2] if (o.size, o.colour, o.shape) == triple), None)
        if obj is None or k >= len(caption.weights):
            continue
        cells = grid_cover(object_mask(obj, scene.side), g)
        out.append((which, float(caption.weights[k][cells].sum()), float(cells.mean())))
    return out
