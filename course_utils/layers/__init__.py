"""NumPy reference layers, written to be read and tested against PyTorch.

* :mod:`~course_utils.layers.conv`: output sizes, one-channel correlation and convolution, conv
  layers forward and backward (notebooks 02 and 03);
* :mod:`~course_utils.layers.pooling`: max, average and sum pooling, forward and backward
  (notebook 04);
* :mod:`~course_utils.layers.dense`: flatten, ReLU, fully connected layers, and the parameter
  counts of a first layer (notebooks 01 and 04).

Layouts are PyTorch's (``x (N, C, H, W)``, conv filters ``(F, C, KH, KW)``, linear weights
``(M, D)``), so weights can be copied from ``torch.nn`` modules unchanged. Convolution and pooling
share one home for their sizes (:func:`~course_utils.layers.conv.output_size`) and their window
machinery (``_sliding``). The old paths ``course_utils.conv`` and ``course_utils.pooling`` keep
working.
"""
from .conv import (
    KERNELS,
    benchmark_conv2d,
    conv2d,
    conv2d_backward,
    conv2d_naive,
    convolve2d,
    correlate2d,
    fixing_padding,
    kernel,
    output_size,
    same_padding,
)
from .dense import flatten, linear, linear_backward, parameter_counts, relu
from .pooling import POOL_MODES, pool2d, pool2d_backward, pool_output_size

__all__ = ["KERNELS", "output_size", "fixing_padding", "same_padding", "correlate2d", "convolve2d",
           "conv2d_naive", "conv2d", "conv2d_backward", "benchmark_conv2d", "kernel",
           "POOL_MODES", "pool2d", "pool2d_backward", "pool_output_size",
           "flatten", "relu", "linear", "linear_backward", "parameter_counts"]
