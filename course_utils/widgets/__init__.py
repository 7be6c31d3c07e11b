"""Interactive explorers: small control factories plus thin wiring around the pure renderers in
:mod:`course_utils.viz`.

:mod:`~course_utils.widgets.app` holds the machinery (the controls ``slider``, ``fslider``,
``choice``, ``toggle``; :class:`App` and ``app()``; ``render_png``) and explains how an explorer
works; the explorers live in one module per topic, as the figures do:
:mod:`~course_utils.widgets.images`, :mod:`~course_utils.widgets.pooling`,
:mod:`~course_utils.widgets.conv`, :mod:`~course_utils.widgets.training`,
:mod:`~course_utils.widgets.depth`, :mod:`~course_utils.widgets.transfer`,
:mod:`~course_utils.widgets.unrolled`, :mod:`~course_utils.widgets.recurrent`, :mod:`~course_utils.widgets.caption`, :mod:`~course_utils.widgets.qa`. :func:`demo_apps` (in ``demos``) builds one of each for the
tests and benchmarks. A new chapter adds its own module, re-exports its explorers here and adds
them to ``demo_apps``.
"""
from .app import App, Result, app, choice, fslider, render_png, slider, toggle
from .caption import caption_explorer
from .conv import (  # the two tables are importable here too, as before the split
    FLASHLIGHT_KERNELS as FLASHLIGHT_KERNELS,
)
from .conv import (
    PLAYGROUND_WEIGHTS as PLAYGROUND_WEIGHTS,
)
from .conv import (
    flashlight_demo_grid,
    flashlight_explorer,
    kernel_playground,
    stride_padding_explorer,
)
from .demos import demo_apps
from .depth import depth_gradient_explorer
from .gates import gate_explorer
from .images import digit_explorer
from .pooling import param_growth_explorer, pooling_demo_grid, pooling_explorer
from .qa import qa_box, qa_explorer
from .recurrent import vanishing_explorer
from .text import SAMPLING_PROMPTS as SAMPLING_PROMPTS
from .text import temperature_explorer
from .training import feature_map_explorer, momentum_explorer
from .transfer import code_space_explorer, scenario_explorer
from .translate import attention_explorer, translation_box
from .unrolled import unrolled_explorer

__all__ = ["slider", "fslider", "choice", "toggle", "App", "app", "render_png", "Result",
           "feature_map_explorer", "momentum_explorer", "depth_gradient_explorer",
           "demo_apps", "digit_explorer", "pooling_explorer", "param_growth_explorer",
           "pooling_demo_grid", "flashlight_explorer", "flashlight_demo_grid",
           "kernel_playground", "stride_padding_explorer", "code_space_explorer",
           "scenario_explorer"]
__all__ += ["vanishing_explorer"]  # recurrent.py (notebook 11)
__all__ += ["temperature_explorer"]
__all__ += ["unrolled_explorer"]  # unrolled.py (notebook 10)
__all__ += ["gate_explorer"]  # gates.py (notebook 12)
__all__ += ["attention_explorer", "translation_box"]  # translate.py (notebook 14)
__all__ += ["qa_explorer", "qa_box"]  # qa.py (notebook 16)
__all__ += ["caption_explorer"]  # caption.py (notebook 15)

# This package is the public home of every name above: help() and the tests (which look for the
# explorers defined "here") see course_utils.widgets, wherever the code sits (as numpy does).
for _name in __all__:
    if callable(globals()[_name]):
        globals()[_name].__module__ = __name__
del _name
