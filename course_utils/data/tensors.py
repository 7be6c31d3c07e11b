"""The data as torch tensors ready for training."""
from __future__ import annotations

import numpy as np

from .full import load_full_dataset
from .shipped import load_mnist

__all__ = ["mnist_tensors", "MNIST_MEAN", "MNIST_STD"]


MNIST_MEAN, MNIST_STD = 0.1307, 0.3081
"""Mean and standard deviation of the full MNIST training set's pixels (scaled to [0, 1])."""


def mnist_tensors(split: str = "train", size: int = 28, normalize: bool = True,
                  full: bool = False):
    """MNIST as torch tensors ready for a CNN: ``(X float32 (N, 1, size, size), y int64 (N,))``.

    ``size=28`` keeps the digits as they are; ``size=32`` pads them with 2 background pixels on
    every side, the 32x32 input LeNet-5 expects (LeCun et al. 1998 centred the 20x20 digits in a
    larger field so strokes can reach the corners of the top feature detectors).
    Math: x = pixel / 255, then with ``normalize`` x = (x - 0.1307) / 0.3081 (the full training
    set's statistics), so the background is -0.42 and a stroke about 2.8. Padding happens before
    normalising, so the border has the background's value.
    ``full=True`` loads the whole data set through :func:`load_full_dataset` (a download);
    the default is the shipped 4,000 / 1,000 subset.

    >>> X, y = mnist_tensors("test", size=32)
    >>> tuple(X.shape), X.dtype, tuple(y.shape), y.dtype
    ((1000, 1, 32, 32), torch.float32, (1000,), torch.int64)
    """
    import torch

    if isinstance(size, bool) or size not in (28, 32):
        raise ValueError(f"size must be 28 (as stored) or 32 (zero-padded by 2, for LeNet-5), "
                         f"got {size!r}")
    for flag, value in (("normalize", normalize), ("full", full)):
        if not isinstance(value, (bool, np.bool_)):
            raise ValueError(f"{flag} must be True or False, got {value!r}")
    images, labels = load_full_dataset("mnist", split) if full else load_mnist(split)
    X = torch.from_numpy(np.ascontiguousarray(images)).float().div_(255.0).unsqueeze(1)
    if size == 32:
        X = torch.nn.functional.pad(X, (2, 2, 2, 2))
    if normalize:
        X = (X - MNIST_MEAN) / MNIST_STD
    return X, torch.from_numpy(np.ascontiguousarray(labels)).long()
