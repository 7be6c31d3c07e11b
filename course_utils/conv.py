"""Convolution, the NumPy reference: it lives in :mod:`course_utils.layers.conv` and, for the
sizes (``output_size``, ``unread_rows``, ...), :mod:`course_utils.layers.sizes`.

This module keeps the old paths working (``from course_utils import conv``, then
``conv.output_size``; ``from course_utils.conv import conv2d``).
"""
from .layers import conv as _conv
from .layers import sizes as _sizes
from .layers.conv import *  # noqa: F403  (exactly the names of its __all__)
from .layers.sizes import *  # noqa: F403

__all__ = _sizes.__all__ + _conv.__all__
