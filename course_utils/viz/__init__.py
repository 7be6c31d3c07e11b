"""Pure matplotlib renderers: each draws into the figure or axes it is given and returns nothing.

No pyplot state, no widgets: :mod:`course_utils.widgets` wires these to controls, tests call them
directly, and notebooks use them for static figures too (``plt.figure()`` then ``render_x(fig, ...)``).

One module per topic: :mod:`~course_utils.viz.images`, :mod:`~course_utils.viz.pooling`,
:mod:`~course_utils.viz.conv`, :mod:`~course_utils.viz.training`, :mod:`~course_utils.viz.optim`,
:mod:`~course_utils.viz.depth`, :mod:`~course_utils.viz.unrolled`,
:mod:`~course_utils.viz.recurrent`; the number tables they share are in ``_tables``. A new chapter adds
its own module and re-exports its renderers here.
"""
from .attention import render_attention, render_match_curves
from .captioning import render_caption, render_caption_gallery
from .conv import (
    render_activation_maps,
    render_feature_map,
    render_flashlight,
    render_kernel_gallery,
    render_stride_padding,
)
from .depth import render_depth_gradients, render_grad_norms, render_param_bars
from .gates import GATE_COLOURS, render_gate_trace
from .images import render_digit, render_digit_grid, render_image_channels, render_misclassified
from .optim import render_momentum
from .pooling import render_param_growth, render_pooling
from .qa import render_accuracy_curves, render_answer, render_task_accuracy
from .recurrent import (
    render_bptt_terms,
    render_clipping,
    render_jacobian_norms,
    render_state_gradients,
    render_success,
    render_vanishing,
)
from .text import render_sampling, render_surprisal
from .training import render_confusion, render_feature_maps, render_history
from .transfer import render_code_space, render_first_filters, render_scenario
from .unrolled import render_text_states, render_unrolled

__all__ = ["render_param_bars", "render_grad_norms", "render_depth_gradients",
           "render_history", "render_feature_maps", "render_confusion", "render_misclassified",
           "render_momentum",
           "render_digit", "render_digit_grid", "render_image_channels", "render_pooling",
           "render_param_growth", "render_flashlight",
           "render_feature_map", "render_stride_padding", "render_activation_maps",
           "render_kernel_gallery"]
__all__ += ["render_first_filters", "render_code_space", "render_scenario"]
__all__ += ["render_sampling", "render_surprisal"]
__all__ += ["render_unrolled", "render_text_states"]  # unrolled.py (notebook 10)
__all__ += ["render_jacobian_norms", "render_vanishing", "render_bptt_terms",
            "render_state_gradients", "render_clipping", "render_success"]  # recurrent.py (notebook 11)
__all__ += ["render_gate_trace", "GATE_COLOURS"]  # gates.py (notebook 12)
__all__ += ["render_attention", "render_match_curves"]  # attention.py (notebook 14)
__all__ += ["render_caption", "render_caption_gallery"]  # captioning.py (notebook 15)
__all__ += ["render_task_accuracy", "render_accuracy_curves", "render_answer"]  # qa.py (notebook 16)
