"""The course's models, and tools to look inside any ``torch.nn.Module``.

* :mod:`~course_utils.models.inspect`: ``count_parameters(model)`` counts trainable numbers;
  ``summary(model, input_shape)`` runs one example through the model and lists, layer by layer,
  the output shape and the parameters, read from the model itself (forward hooks), so a table in a
  notebook cannot drift from the code.
* :mod:`~course_utils.models.lenet`: LeNet-5, classic and modern, and its layers.
* :mod:`~course_utils.models.alexnet`: AlexNet as the 2012 paper built it.
* :mod:`~course_utils.models.resnets`: plain and residual nets of a chosen depth, the weight
  layers and their gradient norms (the depth experiment).
"""
from .alexnet import AlexNet2012
from .inspect import Summary, SummaryRow, count_parameters, summary
from .lenet import (
    LENET_C3_TABLE,
    ConnectionTableConv2d,
    LeNet5,
    TrainableSubsampling,
    lecun_tanh,
)
from .lenet import (
    LENET_LAYERS as LENET_LAYERS,
)
from .resnets import (
    BasicBlock,
    count_weight_layers,
    grad_norms_at_init,
    layer_grad_norms,
    plain_net,
    residual_net,
    weight_layers,
)
from .resnets import (
    grad_norms_by_setting as grad_norms_by_setting,
)

__all__ = ["count_parameters", "summary", "Summary", "SummaryRow", "LeNet5",
           "TrainableSubsampling", "ConnectionTableConv2d", "LENET_C3_TABLE", "lecun_tanh"]
__all__ += ["plain_net", "residual_net", "BasicBlock", "weight_layers", "count_weight_layers",
            "layer_grad_norms", "grad_norms_at_init", "AlexNet2012"]
# Also importable from here, not (yet) in __all__: LENET_LAYERS (architecture data, re-exported by
# course_utils.checks) and grad_norms_by_setting (tests/test_bad_input.py asks every name in
# __all__ for bad-input cases; add its cases there before listing it).
