"""Target data sets for transfer learning: the shipped emoji (ImageNet-like objects, drawn).

``data/emoji_64.npz`` (see ``data/README.md``): 514 emoji images, 64 x 64 RGB, of 257 objects in
8 classes (mammal, bird, bug, marine animal, fruit, vegetable, land vehicle, clothing), each drawn
in two art styles (Google's Noto, Twitter's Twemoji); every 4th object of a class (61 of them), with both its
styles, is in the test split.
"""
from __future__ import annotations

import numpy as np

from .._validate import as_float, as_int, check_choice

__all__ = ["EMOJI_FILE", "EMOJI_CLASSES", "EMOJI_STYLES", "EMOJI_SPLITS", "load_emoji",
           "emoji_split"]

EMOJI_FILE = "emoji_64.npz"
EMOJI_CLASSES = ("mammal", "bird", "bug", "marine animal", "fruit", "vegetable", "land vehicle",
                 "clothing")
EMOJI_STYLES = ("google", "twitter")
EMOJI_SPLITS = ("train", "test", "all")


def load_emoji(split: str = "train", style: str = "both"):
    """The shipped emoji: ``(images, labels, styles)``.

    Shapes: images uint8 (N, 64, 64, 3) RGB on white, labels int64 (N,) in 0..7 (names in
    :data:`EMOJI_CLASSES`), styles int64 (N,) (0 Google Noto, 1 Twitter Twemoji).
    ``split``: "train" (392 images), "test" (122) or "all"; ``style``: "both", "google" or
    "twitter". The file's sha256 is checked against ``data/SHA256SUMS`` first.

    >>> x, y, s = load_emoji("test")
    >>> x.shape, x.dtype, sorted(set(s.tolist()))
    ((122, 64, 64, 3), dtype('uint8'), [0, 1])
    """
    from ..data import DataIntegrityError, data_dir, verify_data

    split = check_choice("emoji split", split, EMOJI_SPLITS)
    style = check_choice("emoji style", style, ("both", *EMOJI_STYLES))
    root = data_dir()
    verify_data(root)             # every shipped file's checksum (cached per file version)
    try:
        with np.load(root / EMOJI_FILE, allow_pickle=False) as z:
            images = z["palette"][z["index"]]
            labels, styles, test = z["label"], z["style"], z["test"]
    except Exception as err:  # a file that matches the manifest but does not load
        raise DataIntegrityError(f"data file {EMOJI_FILE} matches SHA256SUMS but cannot be read "
                                 f"({type(err).__name__}: {err}). Restore it with `git checkout -- "
                                 f"data/{EMOJI_FILE}` or `python tools/build_data.py`.") from err
    keep = np.ones(len(labels), dtype=bool)
    if split != "all":
        keep &= test if split == "test" else ~test
    if style != "both":
        keep &= styles == EMOJI_STYLES.index(style)
    return (np.ascontiguousarray(images[keep]), labels[keep].astype(np.int64),
            styles[keep].astype(np.int64))


def emoji_split(seed: int, test_fraction: float = 0.25) -> np.ndarray:
    """A random object-level split of ``load_emoji("all")``: a bool mask, True = test.

    Within each class, ``round(test_fraction * objects)`` objects (at least 1) are drawn with
    ``np.random.default_rng(seed)``; both art styles of an object go to the same side, so a test
    object is never seen in training. Used to repeat a measurement over seeds.
    """
    seed = as_int(seed, "seed", 0)
    test_fraction = as_float(test_fraction, "test_fraction", 0.01, 0.99)
    _, labels, _ = load_emoji("all")
    objects = labels[::2]                  # images come in pairs: Google, then Twitter
    rng = np.random.default_rng(seed)
    test_object = np.zeros(len(objects), dtype=bool)
    for c in np.unique(objects):
        members = np.flatnonzero(objects == c)
        k = max(1, int(round(test_fraction * len(members))))
        test_object[rng.choice(members, size=k, replace=False)] = True
    return np.repeat(test_object, 2)
