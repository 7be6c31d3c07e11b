"""Metrics of a classifier's predictions: the confusion matrix."""
from __future__ import annotations

from .._validate import as_int, as_numbers, check_elements

__all__ = ["confusion_matrix"]


def confusion_matrix(labels, predictions, num_classes: int | None = None):
    """Counts of (true class, predicted class) pairs: ``C[i, j] = #{n : y_n = i, yhat_n = j}``.

    Shapes: labels (N,), predictions (N,) integers in [0, K) -> int64 (K, K); rows are true
    classes, columns predictions, so the diagonal holds the correct ones. Accepts NumPy arrays,
    lists or tensors.
    """
    import numpy as np

    y, p = _class_indices(labels, "labels"), _class_indices(predictions, "predictions")
    if y.shape != p.shape:
        raise ValueError(f"labels has {y.size} entries but predictions has {p.size}")
    if num_classes is None:
        num_classes = int(max(y.max(initial=-1), p.max(initial=-1))) + 1
        check_elements(num_classes**2, f"the confusion matrix for the largest class index "
                       f"{num_classes - 1} ({num_classes:,} classes)", "check labels and "
                       "predictions, or pass num_classes")
    else:
        num_classes = as_int(num_classes, "num_classes", 1)
        check_elements(num_classes**2, f"the (num_classes, num_classes) = ({num_classes:,}, "
                       f"{num_classes:,}) confusion matrix", "use fewer classes")
    if y.size and (min(y.min(), p.min()) < 0 or max(y.max(), p.max()) >= num_classes):
        raise ValueError(f"classes must be integers in [0, {num_classes}), got labels in "
                         f"[{y.min()}, {y.max()}] and predictions in [{p.min()}, {p.max()}]")
    return np.bincount(y * num_classes + p, minlength=num_classes**2).reshape(num_classes,
                                                                              num_classes)


def _class_indices(values, name: str):
    """Labels or predictions as a flat int64 array; non-integers (0.5, NaN, strings) raise."""
    import numpy as np

    a = as_numbers(values, name).ravel()
    if a.dtype.kind == "f":
        if not (np.isfinite(a).all() and (a == np.round(a)).all()):
            bad = a[~(np.isfinite(a) & (a == np.round(a)))][0]
            raise ValueError(f"{name} must be integer class indices, got {bad}")
    return a.astype(np.int64)

