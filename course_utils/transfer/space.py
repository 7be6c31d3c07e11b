"""The geometry of a code space: nearest neighbours and a 2-D projection (for the explorer).

* :func:`nearest_codes`: the ``k`` codes most similar to code ``index``, by cosine similarity
  ``cos(a, b) = a . b / (|a| |b|)``.
* :func:`pca_project`: the codes centred and projected on their first principal directions
  (the top right-singular vectors of the centred matrix), ``P = (C - mean) V[:, :dims]``.
"""
from __future__ import annotations

import numpy as np

from .._validate import as_int, as_numbers, check_elements, check_index

__all__ = ["nearest_codes", "pca_project"]


def _matrix(codes, name: str = "codes") -> np.ndarray:
    c = as_numbers(codes, name)
    if c.ndim != 2 or min(c.shape) < 1:
        raise ValueError(f"{name} must be a 2-D array (N, D) with N, D >= 1, got shape {c.shape}")
    c = c.astype(np.float64)
    if not np.all(np.isfinite(c)):
        raise ValueError(f"{name} must be finite (no NaN or inf)")
    return c


def nearest_codes(codes, index: int, k: int = 5) -> tuple[np.ndarray, np.ndarray]:
    """The ``k`` nearest rows to row ``index`` by cosine similarity (itself excluded).

    Returns (indices int64 (k,), similarities float64 (k,)), most similar first.

    >>> idx, sim = nearest_codes([[1, 0], [0.9, 0.1], [0, 1], [-1, 0]], 0, k=2)
    >>> idx.tolist(), round(float(sim[0]), 3)
    ([1, 2], 0.994)
    """
    c = _matrix(codes)
    index = check_index(index, len(c), "code")
    k = as_int(k, "k", 1, max(1, len(c) - 1))
    if len(c) < 2:
        raise ValueError("codes must have at least 2 rows to have a neighbour")
    unit = c / np.maximum(np.linalg.norm(c, axis=1, keepdims=True), 1e-12)
    sim = unit @ unit[index]
    sim[index] = -np.inf
    order = np.argsort(-sim, kind="stable")[:k]
    return order.astype(np.int64), sim[order]


def pca_project(codes, dims: int = 2) -> np.ndarray:
    """The codes projected on their first ``dims`` principal directions: float64 (N, dims).

    Signs are fixed so that each direction's largest-magnitude loading is positive (the result
    does not depend on the SVD routine's sign choice).
    """
    c = _matrix(codes)
    dims = as_int(dims, "dims", 1, min(c.shape))
    check_elements(c.size * 2, "the centred codes", "pass fewer codes")
    centred = c - c.mean(axis=0)
    _, _, vt = np.linalg.svd(centred, full_matrices=False)
    v = vt[:dims].T
    signs = np.sign(v[np.abs(v).argmax(axis=0), np.arange(dims)])
    return centred @ (v * np.where(signs == 0, 1, signs))
