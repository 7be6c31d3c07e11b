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

import numpy as np

from ._validate import as_float, as_int, as_numbers, check_callable, check_cells, check_elements

__all__ = ["slider", "fslider", "choice", "toggle", "App", "app", "render_png", "Result",
           "feature_map_explorer", "momentum_explorer", "depth_gradient_explorer",
           "demo_apps", "digit_explorer", "pooling_explorer", "param_growth_explorer",
           "pooling_demo_grid", "flashlight_explorer", "flashlight_demo_grid",
           "kernel_playground", "stride_padding_explorer"]


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
    """Browse digits, and read any 8x8 patch of one as the numbers a network sees (notebook 00)."""
    from .viz import _images, _per_image, render_digit

    checked = _images(images)
    _per_image(labels, len(checked), "labels")
    if not len(checked):
        raise ValueError("images is empty")
    h, w = checked.shape[1:3]
    if min(h, w) < 8:
        raise ValueError(f"images must be at least 8×8 pixels (the patch is 8×8), got {h}×{w}")
    return app(render_digit, fixed=dict(images=images, labels=labels, size=8), figsize=(7.5, 3.6),
               index=slider("digit #", 0, len(images) - 1, 0),
               row=slider("patch row", 0, h - 8, 10), col=slider("patch column", 0, w - 8, 10))


def pooling_demo_grid(seed: int = 4, shape: tuple[int, int] = (6, 6)):
    """A small grid of integers 0-9 to pool by hand (the pooling explorer's default input)."""
    import numpy as np

    seed = as_int(seed, "seed", 0)
    if not (isinstance(shape, (tuple, list)) and len(shape) == 2):
        raise ValueError(f"shape must be (rows, columns), got {shape!r}")
    shape = tuple(as_int(n, "shape entries", 1) for n in shape)
    check_cells(shape[0] * shape[1], f"a grid of shape {shape}", "pool a small grid")
    return np.random.default_rng(seed).integers(0, 10, shape)


def pooling_explorer(x=None) -> App:
    """Max / average / sum pooling on a small grid: window size, stride, mode and which window
    to highlight (notebook 04). ``x`` (H, W), by default :func:`pooling_demo_grid`."""
    from .viz import render_pooling

    x = pooling_demo_grid() if x is None else as_numbers(x, "x")
    if x.ndim != 2:
        raise ValueError(f"x must be one 2-D grid (H, W), got shape {x.shape}")
    check_cells(x.size, f"x of shape {x.shape}", "pool a small grid (about 10 x 10)")
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
        "feature_map_explorer": lambda: _lenet_feature_demo(),
        "momentum_explorer": lambda: momentum_explorer(),
        "pooling_explorer": lambda: pooling_explorer(),
        "param_growth_explorer": lambda: param_growth_explorer(),
        "flashlight_explorer": lambda: flashlight_explorer(),
        "kernel_playground": lambda: kernel_playground(
            {name: data.load_image(name) for name in ("chelsea", "brick")}),
        "stride_padding_explorer": lambda: stride_padding_explorer(),
        "depth_gradient_explorer": lambda: _depth_gradient_demo(),
    }


# --- chapter 1: convolution, stride and padding (notebooks 02 and 03) ---------------------------

def flashlight_demo_grid():
    """A 7x7 "7" drawn with 9s on 0s: the flashlight explorer's default input."""
    import numpy as np

    return np.array([[0, 0, 0, 0, 0, 0, 0],
                     [0, 9, 9, 9, 9, 9, 0],
                     [0, 0, 0, 0, 9, 0, 0],
                     [0, 0, 0, 9, 0, 0, 0],
                     [0, 0, 9, 0, 0, 0, 0],
                     [0, 0, 9, 0, 0, 0, 0],
                     [0, 0, 0, 0, 0, 0, 0]])


FLASHLIGHT_KERNELS = ("vertical edge", "horizontal edge", "sharpen", "outline", "identity")
"""Kernels offered by :func:`flashlight_explorer` (integer weights: the products stay readable)."""


def flashlight_explorer(image=None, kernels=FLASHLIGHT_KERNELS, stride=1, padding=0) -> App:
    """The sliding window of a convolution, one position at a time: receptive field, products,
    sum and the growing feature map (notebook 02). ``image`` (H, W), small; by default
    :func:`flashlight_demo_grid`."""
    from .conv import _pair, kernel, output_size
    from .viz import render_flashlight

    image = flashlight_demo_grid() if image is None else as_numbers(image, "image")
    if image.ndim != 2:
        raise ValueError(f"image must be one 2-D grid (H, W), got shape {image.shape}")
    if isinstance(kernels, str) or not hasattr(kernels, "__iter__"):
        raise ValueError(f"kernels must be a list of kernel names, got {kernels!r}")
    kernels = list(kernels)
    if not kernels:
        raise ValueError("kernels is empty: give at least one kernel name")
    for name in kernels:
        kernel(name)  # ValueError naming the unknown kernel and the known ones
    (sh, sw), (ph, pw) = _pair(stride, "stride", 1), _pair(padding, "padding", 0)
    try:
        positions = (output_size(image.shape[0], 3, sh, ph)
                     * output_size(image.shape[1], 3, sw, pw))
    except ValueError as e:
        raise ValueError(f"image of shape {image.shape} is too small for a 3×3 kernel with "
                         f"padding {padding}: {e}") from None

    def render(fig, kernel_name, step):
        render_flashlight(fig, image, kernel(kernel_name), step, stride, padding)

    return app(render, figsize=(8.0, 4.0),
               kernel_name=choice("kernel", list(kernels)),
               step=slider("position", 0, positions - 1, 0))


PLAYGROUND_WEIGHTS = [f"k{r}{c}" for r in range(3) for c in range(3)]


def kernel_playground(images: dict, preset: str = "sobel x") -> App:
    """Edit a 3x3 kernel, pick a photo, see the feature map (notebook 02).

    ``images`` maps names to (H, W) or (H, W, 3) arrays in [0, 1]. The "kernel" menu offers the
    classic kernels of :data:`course_utils.conv.KERNELS` and "custom"; in "custom" the nine
    sliders (row by row: k00 is the top-left weight) are the kernel. Moving a slider switches
    to "custom", starting from the values the sliders hold.
    """
    import numpy as np

    from .conv import KERNELS
    from .viz import render_feature_map

    from collections.abc import Mapping

    from .viz import _gray_named

    if not isinstance(images, Mapping):
        raise ValueError(f"images must map names to images, got {type(images).__name__}")
    if not images:
        raise ValueError("kernel_playground needs at least one image: images is empty")
    for name, image in images.items():
        _gray_named(image, f"images[{name!r}]")
    if not (isinstance(preset, str) and (preset in KERNELS or preset == "custom")):
        raise ValueError(f"preset must be one of {list(KERNELS)} or 'custom', got {preset!r}")
    start = np.array(KERNELS[preset], dtype=float) if preset in KERNELS else np.zeros((3, 3))
    presets = [*KERNELS, "custom"]
    menu = choice("kernel", presets, preset if preset in KERNELS else "custom", buttons=False)
    sliders = {name: fslider(name, -4.0, 4.0, float(np.clip(start.flat[k], -4, 4)), 0.25)
               for k, name in enumerate(PLAYGROUND_WEIGHTS)}
    for sl in sliders.values():
        sl.layout.width = "31%"

    def to_custom(change):  # the user edits a weight: the sliders now define the kernel
        if menu.value != "custom" and change["new"] != change["old"]:
            menu.value = "custom"

    for sl in sliders.values():  # before the App observes them, so a move renders once in custom
        sl.observe(to_custom, names="value")

    def render(fig, photo, kernel_name, **weights):
        if kernel_name == "custom":
            k = np.array([weights[name] for name in PLAYGROUND_WEIGHTS], dtype=float).reshape(3, 3)
        else:
            k = np.array(KERNELS[kernel_name], dtype=float)
        render_feature_map(fig, images[photo], k, title=f"{photo} ({kernel_name})")

    return app(render, figsize=(8.5, 3.4),
               photo=choice("photo", list(images), buttons=False), kernel_name=menu, **sliders)


def stride_padding_explorer(n_max: int = 12, f_max: int = 7, s_max: int = 4, p_max: int = 3) -> App:
    """Choose n, f, s, p: every window position on the padded input, the output size, and a
    warning with the padding that fixes a non-integer (n - f + 2p) / s (notebook 03)."""
    from .viz import render_stride_padding

    n_max, f_max = as_int(n_max, "n_max", 3), as_int(f_max, "f_max", 1)
    s_max, p_max = as_int(s_max, "s_max", 1), as_int(p_max, "p_max", 0)
    if n_max + 2 * p_max > 50:
        raise ValueError(f"n_max + 2 * p_max must be at most 50 (a grid of cells), got "
                         f"n_max={n_max}, p_max={p_max}")
    return app(render_stride_padding, figsize=(6.0, 5.4),
               n=slider("input n", 3, n_max, min(7, n_max)),
               f=slider("window f", 1, f_max, min(3, f_max)),
               s=slider("stride s", 1, s_max, min(2, s_max)), p=slider("padding p", 0, p_max, 0))


# --- chapter 2: LeNet-5's feature maps, momentum on a loss surface (notebooks 05 and 07) -------

def feature_map_explorer(models: dict, X, y=None, n: int = 100,
                         layers: tuple = ("C1", "C3")) -> App:
    """Pick a test digit (and a network), see its C1 and C3 feature maps (notebook 05).

    ``models`` maps names to LeNet-5 models (anything with ``features(x) -> dict``); ``X`` is
    (N, 1, 32, 32), ``y`` (N,). The maps of the first ``n`` digits are computed once, in eval
    mode, so moving the slider only draws.
    """
    import torch

    from .viz import render_feature_maps

    if not isinstance(models, dict) or not models:
        raise ValueError("feature_map_explorer needs at least one model: models maps names to "
                         f"LeNet-5 models, got {models!r}")
    for name, model in models.items():
        if not (isinstance(model, torch.nn.Module) and hasattr(model, "features")):
            raise ValueError(f"models[{name!r}] must be a LeNet-5 (a torch module with "
                             f"features(x)), got {type(model).__name__}")
    if not (isinstance(X, torch.Tensor) and X.ndim == 4):
        raise ValueError(f"X must be a torch tensor of images (N, 1, 32, 32), got "
                         f"{type(X).__name__} of shape {tuple(getattr(X, 'shape', ()))}")
    n = as_int(n, "n", 1)
    X = X[:n]
    if not len(X):
        raise ValueError("X is empty")
    if y is not None and not (isinstance(y, torch.Tensor) and y.ndim == 1 and len(y) >= len(X)):
        raise ValueError(f"y must be a tensor of labels with one per digit ({len(X)}), got "
                         f"{type(y).__name__} of shape {tuple(getattr(y, 'shape', ()))}")
    if isinstance(layers, str):
        layers = (layers,)
    maps = {}
    for name, model in models.items():
        was_training = model.training
        model.eval()
        device = next(model.parameters()).device
        with torch.no_grad():
            feats = model.features(X.to(device))
        model.train(was_training)
        unknown = [k for k in layers if k not in feats]
        if unknown or not layers:
            raise ValueError(f"layers must name some of the model's layers {list(feats)}, got "
                             f"{list(layers)}")
        maps[name] = {k: feats[k].cpu().numpy() for k in layers}
    images = X[:, 0].cpu().numpy()
    labels = None if y is None else y[:n].cpu().numpy()

    def render(fig, network, index, layer):
        shown = layers if layer == "all" else (layer,)
        render_feature_maps(fig, images, maps[network], labels, index, shown, title=network)

    return app(render, figsize=(8.0, 3.0),
               network=choice("network", list(models)),
               index=slider("digit #", 0, len(images) - 1, 0),
               layer=choice("layers", ["all", *layers]))


def momentum_explorer(surface: str = "ravine") -> App:
    """Gradient descent with and without momentum on a 2-D loss surface (notebook 07): choose
    the surface, learning rate, momentum, number of steps, start point and gradient noise."""
    from .train import LOSS_SURFACES
    from .viz import render_momentum

    if surface not in LOSS_SURFACES:
        raise ValueError(f"surface must be one of {LOSS_SURFACES}, got {surface!r}")
    return app(render_momentum, figsize=(7.5, 3.3),
               surface=choice("surface", list(LOSS_SURFACES), surface),
               lr=fslider("learning rate", 0.005, 0.1, 0.02, 0.005, ".3f"),
               momentum=fslider("momentum", 0.0, 0.95, 0.9, 0.05),
               steps=slider("steps", 10, 200, 60, 10),
               start_x=fslider("start x", -2.0, 2.0, -2.0, 0.5),
               start_y=fslider("start y", -1.0, 1.0, 1.0, 0.5),
               noise=fslider("gradient noise", 0.0, 2.0, 0.0, 0.5))


def _lenet_feature_demo() -> App:
    """feature_map_explorer on untrained (seeded) classic and modern LeNet-5s and 30 test digits."""
    import torch

    from .data import mnist_tensors
    from .models import LeNet5

    X, y = mnist_tensors("test", size=32)
    with torch.random.fork_rng():  # seeded weights, without touching the caller's random state
        torch.manual_seed(0)
        models = {"classic": LeNet5("classic"), "modern": LeNet5("modern")}
    return feature_map_explorer(models, X, y, n=30)


# --- chapter 2: why depth needs shortcuts (notebook 06) ---------------------------------------------

def depth_gradient_explorer(X, y, width: int = 8, precompute: bool = True) -> App:
    """Gradient norm per layer at initialisation, plain vs residual, for a chosen depth,
    initialisation (PyTorch's default or He's) and normalisation (none or batch norm) (notebook 06).

    Shapes: X (N, C, H, W) float (a small batch: every update runs both nets on it), y (N,) int64.
    """
    import torch

    from .viz import _depth_norms, render_depth_gradients

    if not (isinstance(X, torch.Tensor) and X.ndim == 4 and X.is_floating_point()):
        raise ValueError(f"X must be a float torch tensor of images (N, C, H, W), got "
                         f"{type(X).__name__} of shape {tuple(getattr(X, 'shape', ()))}")
    if not (isinstance(y, torch.Tensor) and y.dtype == torch.int64 and y.shape == (len(X),)):
        raise ValueError(f"y must be int64 labels of shape ({len(X)},), one per image in X, got "
                         f"{type(y).__name__} of shape {tuple(getattr(y, 'shape', ()))}")
    width = as_int(width, "width", 1)
    controls = dict(depth=slider("depth (weight layers)", 4, 40, 20, 2),
                    init=choice("init", ["default", "he"], "default"),
                    norm=choice("norm", ["none", "batch"], "none"))
    if precompute:  # run every setting's two nets once now (~3 s), so each update only draws
        for depth in range(controls["depth"].min, controls["depth"].max + 1, 2):
            for init in controls["init"].options:
                for norm in controls["norm"].options:
                    _depth_norms(X, y, depth, init, norm, width, 0)
    return app(render_depth_gradients, fixed=dict(X=X, y=y, width=width), figsize=(7.5, 3.6),
               **controls)


def _depth_gradient_demo() -> App:
    """depth_gradient_explorer on 8 test digits, average-pooled to 14×14."""
    import torch

    from .data import mnist_tensors

    X, y = mnist_tensors("test", size=28)
    return depth_gradient_explorer(torch.nn.functional.avg_pool2d(X[:8], 2), y[:8])
