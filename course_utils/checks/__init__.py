"""Exercise checkers: fail loudly with a hint, succeed in one line, and say "not done yet" kindly.

:mod:`~course_utils.checks.core` holds the protocol (``checker``, ``call_student``, the
``expect_*`` helpers, :class:`WrongAnswer`, :data:`STUB_MESSAGE`) and explains how an exercise and
its checker work; the checkers themselves live with their chapter: :mod:`~course_utils.checks.ch0`
(notebook 00), :mod:`~course_utils.checks.ch1` (notebooks 01-04), :mod:`~course_utils.checks.ch2`
(notebooks 05-07), :mod:`~course_utils.checks.ch3` (notebook 08), :mod:`~course_utils.checks.ch4` (notebook 10), :mod:`~course_utils.checks.ch4_gradients` (notebook 11), :mod:`~course_utils.checks.ch6` (notebook 13), :mod:`~course_utils.checks.ch6_translation` (notebook 14), :mod:`~course_utils.checks.ch6_captioning` (notebook 15), :mod:`~course_utils.checks.ch6_qa` (notebook 16). A new chapter adds its own module and re-exports its checkers here.
:mod:`~course_utils.checks.gradients` holds the finite-difference gradient check students run on
their own backward passes (``grad_check``).
"""
from .ch0 import check_to_unit_range
from .ch1 import (
    FLIP_KERNELS,
    LENET_LAYERS,
    LOST_ROWS_LAYERS,
    POOL_GRADIENT_GRID,
    check_centre_gradient,
    check_cnn_parameters,
    check_conv2d_naive,
    check_flip_factors,
    check_lenet_sizes,
    check_maxpool_backward,
    check_neuron_weights,
    check_output_size,
    check_pool2d,
    check_rows_lost,
)
from .ch2 import (
    check_alexnet_step,
    check_colour_lenet,
    check_conv_layer_stats,
    check_conv_params,
    check_lenet_module,
    check_trainable_subsampling,
    check_training_loop,
)
from .ch3 import check_fine_tune_setup, check_new_head
from .ch4 import check_embedding_lookup, check_rnn_parameters, check_rnn_step
from .ch4_gradients import check_bptt_step, check_step_jacobian, check_vanishing_rule
from .ch5 import GATE_BEHAVIOURS, GATE_CHOICES, check_cell_update, check_gate_roles
from .ch6 import SAMPLE_DRAWS, SAMPLE_TOLERANCE, check_sample_next
from .ch6_captioning import ERROR_CASES, check_caption_errors, check_soft_attention
from .ch6_qa import WHERE_IS_STORIES, check_majority_accuracy, check_where_is
from .ch6_translation import BLEU_CASES, check_greedy_translate, check_sentence_bleu
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
from .gradients import grad_check, numerical_gradient

__all__ = ["WrongAnswer", "STUB_MESSAGE", "stub_error", "checker", "call_student", "expect_equal",
           "expect_close",
           "expect_shape", "check_answer", "check_to_unit_range", "check_neuron_weights",
           "check_pool2d", "check_conv2d_naive", "check_output_size",
           "check_lenet_sizes", "LENET_LAYERS",
           "check_cnn_parameters", "check_flip_factors", "FLIP_KERNELS", "check_rows_lost",
           "LOST_ROWS_LAYERS", "check_centre_gradient", "POOL_GRADIENT_GRID",
           "check_maxpool_backward", "numerical_gradient", "grad_check",
           "check_conv_params", "check_trainable_subsampling", "check_alexnet_step",
           "check_conv_layer_stats"]
__all__ += ["check_lenet_module", "check_training_loop", "check_colour_lenet"]
__all__ += ["check_new_head", "check_fine_tune_setup"]
__all__ += ["check_sample_next", "SAMPLE_DRAWS", "SAMPLE_TOLERANCE"]
__all__ += ["check_rnn_step", "check_rnn_parameters", "check_embedding_lookup"]  # ch4 (notebook 10)
__all__ += ["check_step_jacobian", "check_vanishing_rule", "check_bptt_step"]  # ch4_gradients (11)
__all__ += ["check_cell_update", "check_gate_roles", "GATE_BEHAVIOURS", "GATE_CHOICES"]  # ch5 (12)
__all__ += ["check_greedy_translate", "check_sentence_bleu", "BLEU_CASES"]  # ch6_translation (14)
__all__ += ["check_soft_attention", "check_caption_errors", "ERROR_CASES"]  # ch6_captioning (15)
__all__ += ["check_where_is", "check_majority_accuracy", "WHERE_IS_STORIES"]  # ch6_qa (16)
