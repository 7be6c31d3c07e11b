"""Interactive explorers: small control factories plus thin wiring around the pure renderers in
:mod:`course_utils.viz`.

A widget here is an :class:`App`: a renderer ``render(fig, **values)`` that draws into a fresh
matplotlib ``Figure``, a dict of controls, and an output area. Every change of a control calls
:meth:`App.update`, which renders off-screen to a PNG and shows it. If the renderer raises
``ValueError`` (a combination of controls that makes no sense, like a window larger than the
image), the output shows that message in a box instead of a figure; any other exception is shown
the same way, so a student never sees a traceback from a widget. Tests drive ``app.controls`` and
read ``app.last`` (see tests/test_widgets.py).
"""
from __future__ import annotations

import html
import io
import time
from dataclasses import dataclass
from typing import Any, Callable, Sequence

__all__ = ["slider", "fslider", "choice", "toggle", "App", "app", "render_png", "Result",
           "demo_apps", "digit_explorer", "pooling_explorer", "param_growth_explorer",
           "pooling_demo_grid"]


def slider(description: str, min: int, max: int, value: int | None = None, step: int = 1):
    """An integer slider that reports its value only on release of the mouse (fast kernels)."""
    import ipywidgets as w

    return w.IntSlider(value=min if value is None else value, min=min, max=max, step=step,
                       description=description, continuous_update=False,
                       style={"description_width": "initial"})


def fslider(description: str, min: float, max: float, value: float | None = None,
            step: float = 0.1, readout_format: str = ".2f"):
    """A float slider (see :func:`slider`)."""
    import ipywidgets as w

    return w.FloatSlider(value=min if value is None else value, min=min, max=max, step=step,
                         description=description, continuous_update=False,
                         readout_format=readout_format, style={"description_width": "initial"})


def choice(description: str, options: Sequence, value: Any = None, buttons: bool = True):
    """A choice among a few options: toggle buttons (default) or a dropdown for long lists."""
    import ipywidgets as w

    options = list(options)
    cls = w.ToggleButtons if buttons and len(options) <= 5 else w.Dropdown
    return cls(options=options, value=options[0] if value is None else value,
               description=description, style={"description_width": "initial"})


def toggle(description: str, value: bool = False):
    """A check box."""
    import ipywidgets as w

    return w.Checkbox(value=value, description=description, indent=False)


@dataclass
class Result:
    """What one update produced: a PNG, or a message (``kind`` is "figure" or "message")."""

    kind: str
    png: bytes = b""
    message: str = ""
    seconds: float = 0.0
    error: str = ""  # the exception type when the renderer failed with something else than ValueError


def render_png(render: Callable, figsize: tuple[float, float] = (6.4, 4.0), dpi: int = 80,
               **values: Any) -> bytes:
    """Call ``render(fig, **values)`` on a fresh off-screen figure and return it as PNG bytes."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=figsize, dpi=dpi, layout="constrained")
    render(fig, **values)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi)
    return buf.getvalue()


class App:
    """Controls + output wired to a renderer ``render(fig, **fixed, **control_values)``.

    Display it as the last expression of a cell. ``update()`` is what a control change calls; it
    returns (and stores in ``last``) a :class:`Result`, never raises.
    """

    def __init__(self, render: Callable, controls: dict[str, Any], fixed: dict | None = None,
                 figsize: tuple[float, float] = (6.4, 4.0), dpi: int = 80, title: str = ""):
        import ipywidgets as w

        self.render, self.controls, self.fixed = render, dict(controls), dict(fixed or {})
        self.figsize, self.dpi = figsize, dpi
        self.output = w.Output(layout={"min_height": f"{int(figsize[1] * dpi)}px"})
        self.image = w.Image(format="png", layout={"max_width": "100%"})
        self.message = w.HTML()
        items = ([w.HTML(f"<b>{html.escape(title)}</b>")] if title else [])
        self.widget = w.VBox(items + [w.HBox(list(self.controls.values()),
                                             layout={"flex_flow": "row wrap"}),
                                      self.message, self.image])
        self.widget.add_class("course-app")
        self.last: Result | None = None
        self._holding = False
        for control in self.controls.values():
            control.observe(self._changed, names="value")
        self.update()

    def _changed(self, _change) -> None:
        if not self._holding:
            self.update()

    def set(self, **values: Any) -> Result:
        """Set several controls at once, then update once (what tests and benchmarks use)."""
        unknown = set(values) - set(self.controls)
        if unknown:
            raise ValueError(f"unknown controls {sorted(unknown)}; this app has {list(self.controls)}")
        self._holding = True
        try:
            for name, value in values.items():
                self.controls[name].value = value
        finally:
            self._holding = False
        return self.update()

    @property
    def values(self) -> dict[str, Any]:
        return {name: c.value for name, c in self.controls.items()}

    def update(self) -> Result:
        t = time.perf_counter()
        try:
            png = render_png(self.render, self.figsize, self.dpi, **self.fixed, **self.values)
            result = Result("figure", png=png)
        except ValueError as e:  # a combination of controls that makes no sense: say why
            result = Result("message", message=str(e))
        except Exception as e:  # a bug: still no traceback in front of a student
            result = Result("message", message=f"Could not draw this ({type(e).__name__}: {e}).",
                            error=type(e).__name__)
        result.seconds = time.perf_counter() - t
        self.last = result
        if result.kind == "figure":
            self.image.value = result.png
            self.image.layout.display = None
            self.message.value = ""
        else:
            self.image.layout.display = "none"
            self.message.value = (
                '<div class="course-app-message" style="padding:.6em;border-left:4px solid #d9822b;'
                f'background:#fff4e5">&#9888; {html.escape(result.message)}</div>')
        return result

    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)


def app(render: Callable, fixed: dict | None = None, figsize=(6.4, 4.0), title: str = "",
        **controls) -> App:
    """Build an :class:`App` from a renderer and keyword controls: ``app(render, k=slider(...))``."""
    return App(render, controls, fixed=fixed, figsize=figsize, title=title)


# --- explorers ----------------------------------------------------------------------------------

def digit_explorer(images, labels) -> App:
    """Browse digits as pictures and as the grids of numbers a network sees (notebook 00)."""
    from .viz import render_digit

    return app(render_digit, fixed=dict(images=images, labels=labels), figsize=(7.5, 3.6),
               index=slider("digit #", 0, len(images) - 1, 0),
               show=choice("show", ["picture", "numbers", "both"], "both"))


def pooling_demo_grid(seed: int = 4, shape: tuple[int, int] = (6, 6)):
    """A small grid of integers 0-9 to pool by hand (the pooling explorer's default input)."""
    import numpy as np

    return np.random.default_rng(seed).integers(0, 10, shape)


def pooling_explorer(x=None) -> App:
    """Max / average / sum pooling on a small grid: window size, stride, mode and which window
    to highlight (notebook 04). ``x`` (H, W), by default :func:`pooling_demo_grid`."""
    from .viz import render_pooling

    x = pooling_demo_grid() if x is None else x
    n = max(x.shape[-2:])
    return app(render_pooling, fixed=dict(x=x), figsize=(8.0, 4.0),
               size=slider("window", 1, n, 2), stride=slider("stride", 1, n, 2),
               mode=choice("mode", ["max", "avg", "sum"]),
               window=slider("highlight window #", 1, n * n, 1))


def param_growth_explorer() -> App:
    """Parameters of a first layer against image size: fully connected vs convolutional
    (notebook 01)."""
    from .viz import render_param_growth

    return app(render_param_growth, figsize=(7.5, 4.0),
               channels=choice("channels", [1, 3], 3), units=choice("FC neurons", [100, 1000, 4096],
                                                                 1000),
               filters=choice("conv filters", [16, 64, 256], 64), kernel=choice("kernel", [3, 5, 7]))


def demo_apps() -> dict[str, Callable[[], App]]:
    """One example of every explorer in this module, built on shipped or synthetic data.

    tests/test_widgets.py drives each across its controls' whole ranges, and
    tools/bench_notebooks.py times their updates. Every explorer added here gets both for free.
    """
    from . import data

    return {
        "digit_explorer": lambda: digit_explorer(*data.load_mnist("test")),
        "pooling_explorer": lambda: pooling_explorer(),
        "param_growth_explorer": lambda: param_growth_explorer(),
    }
