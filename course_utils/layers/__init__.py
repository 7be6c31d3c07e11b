"""NumPy reference layers, written to be read and tested against PyTorch.

* :mod:`~course_utils.layers.sizes`: output sizes, the input rows no window reads, and the
  paddings that fix them (convolution and pooling share them);
* :mod:`~course_utils.layers.conv`: one-channel correlation and convolution, the conv layer
  forward and backward (notebooks 02 and 03);
* :mod:`~course_utils.layers.pooling`: max, average and sum pooling, forward and backward
  (notebook 04);
* :mod:`~course_utils.layers.dense`: flatten, ReLU, fully connected layers, and the parameter
  counts of a first layer (notebooks 01 and 04);
* :mod:`~course_utils.layers.rnn`, :mod:`~course_utils.layers.lstm`,
  :mod:`~course_utils.layers.gru`: recurrent layers in PyTorch's parameter layout, forward and
  backpropagation through time (notebooks 10 to 12; public path :mod:`course_utils.rnn`).

**One convention** for every layer (CONTRIBUTING.md, "NumPy layers"): ``name_forward(inputs...,
settings...)`` returns ``(out, cache)``, and ``name_backward(dout, cache)`` returns the gradients
of forward's array inputs, a ``Gradients(dx, dw, db)`` tuple for a layer with weights and the
array ``dx`` for one without. The cache holds what backward needs (the validated inputs and
settings, not copies); callers pass it back unchanged and never read it. The plain name
(``conv2d``, ``pool2d``, ``linear``, ``relu``, ``flatten``) is the forward pass alone, and the
older backward forms that take the inputs instead of the cache (``conv2d_backward(dout, x, w,
stride, padding)``, ``pool2d_backward(dout, x, size, ...)``, ``linear_backward(dz, x, w)``) keep
working, with the same results.

**One dtype policy** (:func:`course_utils._validate.as_floats`): integer and bool inputs become
float64 before any arithmetic (a uint8 image never wraps around; max pooling of integers returns
float64 too); floating inputs keep their precision, and a result's dtype is ``np.result_type``
of the layer's floating inputs (float32 in, float32 out).

Layouts are PyTorch's (``x (N, C, H, W)``, conv filters ``(F, C, KH, KW)``, linear weights
``(M, D)``), so weights can be copied from ``torch.nn`` modules unchanged. Convolution and pooling
share their sizes (``sizes``) and their window machinery (``_sliding``). The old paths
``course_utils.conv`` and ``course_utils.pooling`` keep working.
"""
from .conv import (
    KERNELS,
    benchmark_conv2d,
    conv2d,
    conv2d_backward,
    conv2d_forward,
    conv2d_naive,
    convolve2d,
    correlate2d,
    kernel,
)
from .dense import (
    flatten,
    flatten_backward,
    flatten_forward,
    linear,
    linear_backward,
    linear_forward,
    parameter_counts,
    relu,
    relu_backward,
    relu_forward,
)
from .gru import (
    GRU_FORMS,
    gru_backward,
    gru_flip_update_gate,
    gru_forms_agree,
    gru_forward,
    gru_step_backward,
    gru_step_forward,
)
from .lstm import lstm_backward, lstm_forward, lstm_step_backward, lstm_step_forward
from .pooling import POOL_MODES, pool2d, pool2d_backward, pool2d_forward, pool_output_size
from .rnn import (
    NONLINEARITIES,
    from_concatenated,
    rnn_backward,
    rnn_forward,
    rnn_jacobians,
    rnn_step_backward,
    rnn_step_concat,
    rnn_step_forward,
    to_concatenated,
)
from .sizes import fixing_padding, output_size, padding_to_read_all, same_padding, unread_rows

__all__ = ["KERNELS", "output_size", "unread_rows", "padding_to_read_all", "fixing_padding",
           "same_padding", "correlate2d", "convolve2d", "conv2d_naive", "conv2d", "conv2d_forward",
           "conv2d_backward", "benchmark_conv2d", "kernel",
           "POOL_MODES", "pool2d", "pool2d_forward", "pool2d_backward", "pool_output_size",
           "flatten", "flatten_forward", "flatten_backward", "relu", "relu_forward",
           "relu_backward", "linear", "linear_forward", "linear_backward", "parameter_counts",
           "NONLINEARITIES", "rnn_step_forward", "rnn_step_backward", "rnn_forward",
           "rnn_backward", "rnn_jacobians", "to_concatenated", "from_concatenated",
           "rnn_step_concat", "lstm_step_forward", "lstm_step_backward", "lstm_forward",
           "lstm_backward", "GRU_FORMS", "gru_step_forward", "gru_step_backward", "gru_forward",
           "gru_backward", "gru_flip_update_gate", "gru_forms_agree"]
