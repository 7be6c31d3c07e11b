"""Recurrent layers, the NumPy reference of chapters 4 and 5: they live in
:mod:`course_utils.layers.rnn`, :mod:`course_utils.layers.lstm` and :mod:`course_utils.layers.gru`.

This module is the path the notebooks use (``from course_utils.rnn import rnn_forward``, or
``from course_utils import rnn`` then ``rnn.lstm_forward``).
"""
from .layers import gru as _gru
from .layers import lstm as _lstm
from .layers import rnn as _rnn
from .layers.gru import *  # noqa: F403  (exactly the names of its __all__)
from .layers.lstm import *  # noqa: F403
from .layers.rnn import *  # noqa: F403

__all__ = _rnn.__all__ + _lstm.__all__ + _gru.__all__
