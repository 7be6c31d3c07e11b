"""One example of every explorer, on shipped or synthetic data (tests and benchmarks drive them)."""
from __future__ import annotations

from typing import Callable

from .app import App
from .caption import caption_demo
from .conv import flashlight_explorer, kernel_playground, stride_padding_explorer
from .depth import depth_gradient_demo
from .gates import gate_explorer_demo
from .images import digit_explorer
from .pooling import param_growth_explorer, pooling_explorer
from .qa import qa_demo
from .recurrent import vanishing_explorer
from .text import temperature_explorer
from .training import lenet_feature_demo, momentum_explorer
from .transfer import code_space_demo, scenario_demo
from .translate import attention_demo
from .unrolled import unrolled_demo

__all__ = ["demo_apps"]


def demo_apps() -> dict[str, Callable[[], App]]:
    """One example of every explorer in this module, built on shipped or synthetic data.

    tests/test_widgets.py drives each across its controls' whole ranges, and
    tools/bench_notebooks.py times their updates. Every explorer added here gets both for free.
    """
    from .. import data

    return {
        "digit_explorer": lambda: digit_explorer(*data.load_mnist("test")),
        "feature_map_explorer": lambda: lenet_feature_demo(),
        "momentum_explorer": lambda: momentum_explorer(),
        "pooling_explorer": lambda: pooling_explorer(),
        "param_growth_explorer": lambda: param_growth_explorer(),
        "flashlight_explorer": lambda: flashlight_explorer(kernels={  # 3x3, even and non-square
            "vertical edge": ((1, 0, -1),) * 3, "2×2 diagonal": ((1, 0), (0, -1)),
            "1×4 mean": ((0.25,) * 4,)}),
        "kernel_playground": lambda: kernel_playground(
            {name: data.load_image(name) for name in ("chelsea", "brick")}),
        "stride_padding_explorer": lambda: stride_padding_explorer(),
        "depth_gradient_explorer": lambda: depth_gradient_demo(),
        "code_space_explorer": lambda: code_space_demo(),
        "scenario_explorer": lambda: scenario_demo(),
        "vanishing_explorer": lambda: vanishing_explorer(),
        "temperature_explorer": lambda: temperature_explorer(*_char_lm(), length=80),
        "unrolled_explorer": lambda: unrolled_demo(),
        "gate_explorer": lambda: gate_explorer_demo(),
        "attention_explorer": lambda: attention_demo(),
        "qa_explorer": lambda: qa_demo(),
        "caption_explorer": lambda: caption_demo(),
    }


def _char_lm():
    from ..text import load_char_lm

    model, vocab, _ = load_char_lm()
    return model, vocab
