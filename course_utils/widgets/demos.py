"""One example of every explorer, on shipped or synthetic data (tests and benchmarks drive them)."""
from __future__ import annotations

from typing import Callable

from .app import App
from .conv import flashlight_explorer, kernel_playground, stride_padding_explorer
from .depth import depth_gradient_demo
from .images import digit_explorer
from .pooling import param_growth_explorer, pooling_explorer
from .training import lenet_feature_demo, momentum_explorer
from .transfer import code_space_demo, scenario_demo

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
    }
