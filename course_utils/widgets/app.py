"""The explorers' machinery: small control factories, and the :class:`App` that wires controls to
a pure renderer of :mod:`course_utils.viz`.

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

import numpy as np

from .._validate import as_float, as_int, check_callable, check_elements

__all__ = ["slider", "fslider", "choice", "toggle", "App", "app", "render_png", "Result"]


def slider(description: str, min: int, max: int, value: int | None = None, step: int = 1):
    """An integer slider that reports its value only on release of the mouse (fast kernels)."""
    import ipywidgets as w

    min = as_int(min, f"slider {description!r}: min")
    max = as_int(max, f"slider {description!r}: max")
    step = as_int(step, f"slider {description!r}: step", 1)
    if max < min:
        raise ValueError(f"slider {description!r}: max ({max}) must be at least min ({min})")
    if value is not None:
        value = as_int(value, f"slider {description!r}: value", min, max)
    return w.IntSlider(value=min if value is None else value, min=min, max=max, step=step,
                       description=description, continuous_update=False,
                       style={"description_width": "initial"})


def fslider(description: str, min: float, max: float, value: float | None = None,
            step: float = 0.1, readout_format: str = ".2f"):
    """A float slider (see :func:`slider`)."""
    import ipywidgets as w

    min = as_float(min, f"slider {description!r}: min")
    max = as_float(max, f"slider {description!r}: max")
    step = as_float(step, f"slider {description!r}: step")
    if max < min or step <= 0:
        raise ValueError(f"slider {description!r}: need min <= max and step > 0, got min={min}, "
                         f"max={max}, step={step}")
    if value is not None:
        value = as_float(value, f"slider {description!r}: value", min, max)
    return w.FloatSlider(value=min if value is None else value, min=min, max=max, step=step,
                         description=description, continuous_update=False,
                         readout_format=readout_format, style={"description_width": "initial"})


def choice(description: str, options: Sequence, value: Any = None, buttons: bool = True):
    """A choice among a few options: toggle buttons (default) or a dropdown for long lists."""
    import ipywidgets as w

    if isinstance(options, (str, bytes)) or not hasattr(options, "__iter__"):
        raise ValueError(f"choice {description!r}: options must be a list, got {options!r}")
    options = list(options)
    if not options:
        raise ValueError(f"choice {description!r}: options is empty; give at least one")
    if value is not None and value not in options:
        raise ValueError(f"choice {description!r}: value {value!r} is not one of the options "
                         f"{options}")
    cls = w.ToggleButtons if buttons and len(options) <= 5 else w.Dropdown
    return cls(options=options, value=options[0] if value is None else value,
               description=description, style={"description_width": "initial"})


def toggle(description: str, value: bool = False):
    """A check box."""
    import ipywidgets as w

    if not isinstance(value, (bool, np.bool_)):
        raise ValueError(f"toggle {description!r}: value must be True or False, got {value!r}")

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
    """Call ``render(fig, **values)`` on a fresh off-screen figure and return it as PNG bytes.

    Fast on purpose (a widget update must stay under 100 ms): the figure has no layout engine
    (constrained layout costs a second drawing pass; a renderer that needs it can call
    ``fig.set_layout_engine("constrained")``), it is drawn once by Agg, and the pixels are encoded
    with light PNG compression instead of going through ``savefig``.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from PIL import Image

    check_callable(render, "render", "render(fig, **values)", allow_none=False)
    if not (isinstance(figsize, (tuple, list)) and len(figsize) == 2):
        raise ValueError(f"figsize must be (width, height) in inches, got {figsize!r}")
    width, height = (as_float(v, "figsize entries", 0.1, 100.0) for v in figsize)
    dpi = as_float(dpi, "dpi", 1.0)
    check_elements(int(width * dpi) * int(height * dpi) * 4, f"the figure's RGBA pixels "
                   f"(figsize {width:g}×{height:g} in at dpi={dpi:g})",
                   "use a smaller dpi or figsize")
    fig = Figure(figsize=figsize, dpi=dpi)
    fig.subplots_adjust(left=0.07, right=0.97, bottom=0.1, top=0.88, wspace=0.3, hspace=0.4)
    render(fig, **values)
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    buf = io.BytesIO()
    Image.fromarray(np.asarray(canvas.buffer_rgba())).convert("RGB").save(
        buf, format="png", compress_level=1)
    return buf.getvalue()


class App:
    """Controls + output wired to a renderer ``render(fig, **fixed, **control_values)``.

    Display it as the last expression of a cell. ``update()`` is what a control change calls; it
    returns (and stores in ``last``) a :class:`Result`, never raises.
    """

    def __init__(self, render: Callable, controls: dict[str, Any], fixed: dict | None = None,
                 figsize: tuple[float, float] = (6.4, 4.0), dpi: int = 80, title: str = ""):
        import ipywidgets as w

        check_callable(render, "render", "render(fig, **values)", allow_none=False)
        for name, control in dict(controls).items():
            if not isinstance(control, w.ValueWidget):
                raise ValueError(f"controls must be ipywidgets controls (slider, fslider, choice, "
                                 f"toggle); {name!r} is {type(control).__name__}")
        self.render, self.controls, self.fixed = render, dict(controls), dict(fixed or {})
        self.figsize, self.dpi = figsize, dpi
        self.output = w.Output(layout={"min_height": f"{int(figsize[1] * dpi)}px"})
        self.image = w.Image(format="png", layout={"max_width": "100%", "align_self": "center"})  # own size, centred
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
