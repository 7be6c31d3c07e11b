"""Exercise checkers: fail loudly with a hint, succeed in one line, and say "not done yet" kindly.

:mod:`~course_utils.checks.core` holds the protocol (``checker``, ``call_student``, the
``expect_*`` helpers, :class:`WrongAnswer`, :data:`STUB_MESSAGE`) and explains how an exercise and
its checker work; the checkers themselves live with their chapter: :mod:`~course_utils.checks.ch0`
(notebook 00), :mod:`~course_utils.checks.ch1` (notebooks 01-04), :mod:`~course_utils.checks.ch2`
(notebooks 05-07). A new chapter adds its own module and re-exports its checkers here.
"""
from .ch0 import check_to_unit_range
from .ch1 import (
    LENET_LAYERS,
    check_conv2d_naive,
    check_lenet_sizes,
    check_neuron_weights,
    check_output_size,
    check_pool2d,
)
from .ch2 import (
    check_alexnet_step,
    check_conv_layer_stats,
    check_conv_params,
    check_trainable_subsampling,
)
from .core import (
    STUB_MESSAGE,
    WrongAnswer,
    call_student,
    check_answer,
    checker,
    expect_close,
    expect_equal,
    expect_shape,
    stub_error,
)

__all__ = ["WrongAnswer", "STUB_MESSAGE", "stub_error", "checker", "call_student", "expect_equal",
           "expect_close",
           "expect_shape", "check_answer", "check_to_unit_range", "check_neuron_weights",
           "check_pool2d", "check_conv2d_naive", "check_output_size",
           "check_lenet_sizes", "LENET_LAYERS",
           "check_conv_params", "check_trainable_subsampling", "check_alexnet_step",
           "check_conv_layer_stats"]
