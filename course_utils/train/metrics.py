"""Metrics of predictions: a classifier's confusion matrix, a translation's BLEU score."""
from __future__ import annotations

import math

from .._validate import as_int, as_numbers, check_elements

__all__ = ["confusion_matrix", "bleu"]


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



def bleu(candidates, references, max_n: int = 4) -> float:
    """Corpus BLEU (Papineni et al. 2002) of tokenised translations, in percent (0-100).

    Shapes: ``candidates`` a list of C token lists; ``references`` a list of C lists of one or
    more reference token lists (``[[ref]]`` per candidate for a single reference).
    Math: p_n = sum_c sum_g min(count_c(g), max_r count_r(g)) / sum_c sum_g count_c(g) over the
    n-grams g of each candidate (clipped, "modified" precision); BP = exp(1 - r / c) if the total
    candidate length c is below r, the total of the reference lengths closest to each
    candidate's, else 1; BLEU = 100 * BP * exp((1/N) sum_{n=1..N} log p_n), N = ``max_n``.
    A corpus with no matching n-gram of some order scores 0 (no smoothing, as in the paper).
    """
    from collections import Counter

    max_n = as_int(max_n, "max_n", 1)
    if not isinstance(candidates, (list, tuple)) or not isinstance(references, (list, tuple)):
        raise ValueError("candidates and references must be lists (one entry per sentence)")
    if len(candidates) != len(references):
        raise ValueError(f"candidates has {len(candidates)} sentences but references has "
                         f"{len(references)}")
    if not candidates:
        raise ValueError("candidates is empty: BLEU needs at least one sentence")
    for i, (cand, refs) in enumerate(zip(candidates, references)):
        if isinstance(cand, str) or not isinstance(cand, (list, tuple)):
            raise ValueError(f"candidates[{i}] must be a list of tokens (e.g. 'a b'.split()), "
                             f"got {type(cand).__name__}")
        if (isinstance(refs, str) or not isinstance(refs, (list, tuple)) or not refs
                or any(isinstance(r, str) or not isinstance(r, (list, tuple)) for r in refs)):
            raise ValueError(f"references[{i}] must be a non-empty list of token lists "
                             f"([ref_tokens] for one reference)")
    matched, total = [0] * max_n, [0] * max_n
    c_len = r_len = 0
    for cand, refs in zip(candidates, references):
        c_len += len(cand)
        r_len += min((abs(len(r) - len(cand)), len(r)) for r in refs)[1]
        for n in range(1, max_n + 1):
            grams = Counter(tuple(cand[i:i + n]) for i in range(len(cand) - n + 1))
            most = Counter()
            for r in refs:
                for g, k in Counter(tuple(r[i:i + n]) for i in range(len(r) - n + 1)).items():
                    most[g] = max(most[g], k)
            matched[n - 1] += sum(min(k, most[g]) for g, k in grams.items())
            total[n - 1] += sum(grams.values())
    if min(matched) == 0 or c_len == 0:
        return 0.0
    log_p = sum(math.log(m / t) for m, t in zip(matched, total)) / max_n
    bp = 1.0 if c_len > r_len else math.exp(1 - r_len / c_len)
    return 100.0 * bp * math.exp(log_p)
