"""Convolution, the NumPy reference: it lives in :mod:`course_utils.layers.conv`.

This module keeps the old paths working (``from course_utils import conv``, then
``conv.output_size``; ``from course_utils.conv import conv2d``).
"""
from .layers.conv import *  # noqa: F403  (exactly the names of its __all__)
from .layers.conv import __all__  # noqa: F401
