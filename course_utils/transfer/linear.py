"""Linear classifiers on CNN codes: softmax regression or a multiclass linear SVM.

The codes are standardised with the training set's mean and standard deviation,
``z = (c - mu) / (sigma + 1e-6)``, then one linear layer ``s = W z + b`` (K scores) is trained on
the whole training set at once (full batch, Adam, a fixed number of steps) to minimise

* ``loss="softmax"``: the cross-entropy ``-log softmax(s)_y`` (multinomial logistic regression);
* ``loss="svm"``: the multiclass hinge loss ``sum_{j != y} max(0, 1 - s_y + s_j) / K``
  (``nn.MultiMarginLoss``, Weston and Watkins' multiclass SVM),

plus ``weight_decay * ||W||^2 / 2``. Both are convex, so the result hardly depends on the seed
(it only sets the initial W). Training runs on one torch thread (restored afterwards): on such
small matrices a second thread only adds synchronisation.
"""
from __future__ import annotations

import numpy as np

from .._validate import as_float, as_int, as_numbers, check_choice, check_elements

__all__ = ["LOSSES", "LinearOnCodes", "train_linear", "linear_probe"]

LOSSES = ("softmax", "svm")


class LinearOnCodes:
    """A trained linear classifier on codes: ``predict(codes)`` → labels, ``scores(codes)``."""

    def __init__(self, layer, mean, std, loss: str):
        self.layer, self.mean, self.std, self.loss = layer, mean, std, loss

    def scores(self, codes) -> np.ndarray:
        """The K class scores ``W z + b`` for codes (N, D): float32 (N, K)."""
        import torch

        c = _codes(codes, "codes")
        if c.shape[1] != self.mean.shape[0]:
            raise ValueError(f"codes must have {self.mean.shape[0]} columns (the training codes' "
                             f"dimension), got shape {c.shape}")
        z = torch.from_numpy((c - self.mean) / self.std)
        with torch.no_grad():
            return self.layer(z).numpy()

    def predict(self, codes) -> np.ndarray:
        """The predicted class of each row: int64 (N,)."""
        return self.scores(codes).argmax(axis=1).astype(np.int64)

    def accuracy(self, codes, labels) -> float:
        """The fraction of rows whose predicted class equals the label."""
        labels = _labels(labels, len(codes), "labels")
        return float((self.predict(codes) == labels).mean())


def _codes(codes, name: str) -> np.ndarray:
    c = as_numbers(codes, name)
    if c.ndim != 2 or min(c.shape) < 1:
        raise ValueError(f"{name} must be a 2-D array (N, D) of codes with N, D >= 1, got shape "
                         f"{c.shape}")
    c = c.astype(np.float32)
    if not np.all(np.isfinite(c)):
        raise ValueError(f"{name} must be finite (no NaN or inf)")
    return c


def _labels(labels, n: int, name: str) -> np.ndarray:
    y = as_numbers(labels, name)
    if y.ndim != 1 or len(y) != n:
        raise ValueError(f"{name} must have one label per row of codes, shape ({n},), got shape "
                         f"{y.shape}")
    if y.dtype.kind == "f" and not np.all(y == np.round(y)):
        raise ValueError(f"{name} must be integer class labels, got non-integer values")
    y = y.astype(np.int64)
    if y.min() < 0:
        raise ValueError(f"{name} must be class indices >= 0, got {y.min()}")
    return y


def train_linear(codes, labels, loss: str = "softmax", weight_decay: float = 1e-3,
                 steps: int = 300, lr: float = 0.01, seed: int = 0) -> LinearOnCodes:
    """Train a linear classifier on ``codes`` (N, D) with ``labels`` (N,) in 0..K-1.

    ``loss``: "softmax" (cross-entropy) or "svm" (multiclass hinge, ``nn.MultiMarginLoss``).
    Full-batch Adam for ``steps`` steps at ``lr``; L2 penalty ``weight_decay * ||W||^2 / 2``.
    ``seed`` sets the initial weights (torch's default ``nn.Linear`` initialisation).
    """
    import torch

    c = _codes(codes, "codes")
    y = _labels(labels, len(c), "labels")
    loss = check_choice("loss", loss, LOSSES)
    weight_decay = as_float(weight_decay, "weight_decay", minimum=0.0)
    steps = as_int(steps, "steps", 1, 100_000)
    lr = as_float(lr, "lr", minimum=0.0)
    seed = as_int(seed, "seed", 0)
    k = int(y.max()) + 1
    check_elements(c.shape[1] * k, f"a linear layer {c.shape[1]} -> {k}", "fewer classes")
    check_elements(steps * len(c) * max(k, c.shape[1]) // 1000, f"{steps} steps on {len(c)} codes",
                   "fewer steps or codes")
    mean = c.mean(axis=0)
    std = c.std(axis=0) + 1e-6
    z = torch.from_numpy((c - mean) / std)
    target = torch.from_numpy(y)
    torch.manual_seed(seed)
    layer = torch.nn.Linear(c.shape[1], k)
    criterion = torch.nn.CrossEntropyLoss() if loss == "softmax" else torch.nn.MultiMarginLoss()
    opt = torch.optim.Adam(layer.parameters(), lr=lr)
    threads = torch.get_num_threads()
    torch.set_num_threads(1)   # small matrices: a second thread only adds synchronisation
    try:                       # (27 s instead of 1 s for 200 steps on 2 busy cores)
        for _ in range(steps):
            opt.zero_grad()
            value = criterion(layer(z), target) + 0.5 * weight_decay * layer.weight.pow(2).sum()
            value.backward()
            opt.step()
    finally:
        torch.set_num_threads(threads)
    layer.eval()
    return LinearOnCodes(layer, mean, std, loss)


def linear_probe(train_codes, train_labels, test_codes, test_labels, loss: str = "softmax",
                 weight_decay: float = 1e-3, steps: int = 300, lr: float = 0.01,
                 seed: int = 0) -> float:
    """Test accuracy of a linear classifier trained on ``train_codes`` (see :func:`train_linear`).

    How linearly separable the classes are in a code space: the measure of how well a pretrained
    stage's features suit a target task.
    """
    clf = train_linear(train_codes, train_labels, loss, weight_decay, steps, lr, seed)
    test = _codes(test_codes, "test_codes")
    if test.shape[1] != clf.mean.shape[0]:
        raise ValueError(f"test_codes must have the train codes' {clf.mean.shape[0]} columns, got "
                         f"shape {test.shape}")
    return clf.accuracy(test, test_labels)
