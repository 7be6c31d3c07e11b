"""Pooling and the fully connected head, the NumPy reference: they live in
:mod:`course_utils.layers.pooling` and :mod:`course_utils.layers.dense`.

This module keeps the old paths working (``from course_utils.pooling import pool2d, linear``).
"""
from .layers import dense as _dense
from .layers import pooling as _pooling
from .layers.dense import *  # noqa: F403  (exactly the names of its __all__)
from .layers.pooling import *  # noqa: F403

__all__ = _pooling.__all__ + _dense.__all__
