"""Pure matplotlib renderers: each draws into the figure or axes it is given and returns nothing.

No pyplot state, no widgets: :mod:`course_utils.widgets` wires these to controls, tests call them
directly, and notebooks use them for static figures too (``plt.figure()`` then ``render_x(fig, ...)``).
"""
from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Sequence

import numpy as np

from ._validate import (MAX_ITERATIONS, as_float, as_int, as_numbers, check_cells,
                        check_panels)

__all__ = ["render_param_bars", "render_grad_norms", "render_depth_gradients",
           "render_history", "render_feature_maps", "render_confusion", "render_misclassified",
           "render_momentum",
           "render_digit", "render_digit_grid", "render_image_channels", "render_pooling",
           "render_param_growth", "render_flashlight",
           "render_feature_map", "render_stride_padding", "render_activation_maps",
           "render_kernel_gallery"]


def _check_index(index: int, n: int, what: str) -> int:
    index = as_int(index, "index")
    if not 0 <= index < n:
        raise ValueError(f"{what} index {index} is out of range: choose 0 to {n - 1}")
    return index


def _images(images, name: str = "images") -> np.ndarray:
    """A batch of 2-D images (N, H, W) as an array (a tensor is copied to the CPU)."""
    a = as_numbers(images, name)
    if a.ndim != 3:
        tip = (f"; for (N, 1, H, W) tensors such as mnist_tensors' X pass {name}[:, 0]"
               if a.ndim == 4 and a.shape[1] == 1 else "")
        raise ValueError(f"{name} must be a batch of 2-D images (N, H, W), got shape {a.shape}"
                         + tip)
    return a


def _per_image(values, n: int, name: str) -> np.ndarray:
    """Labels (or predictions, confidences) with one entry per image: shape (n,)."""
    a = as_numbers(values, name)
    if a.ndim != 1 or len(a) != n:
        raise ValueError(f"{name} must have one entry per image, shape ({n},), got shape {a.shape}")
    return a


def _labels_for(labels, n: int, name: str = "labels") -> np.ndarray:
    """Labels for (at least) the first n images: a 1-D array of length >= n."""
    a = as_numbers(labels, name)
    if a.ndim != 1 or len(a) < n:
        raise ValueError(f"{name} must have one entry per image ({n} images), got shape {a.shape}")
    return a


def render_digit(fig, images: np.ndarray, labels: np.ndarray, index: int = 0, row: int = 10,
                 col: int = 10, size: int = 8) -> None:
    """One 28x28 digit as a picture, and a ``size`` x ``size`` patch of it as the numbers a network
    receives (0 = white, 255 = black). The patch's top-left corner is (``row``, ``col``).

    Shapes: images (N, H, W) uint8, labels (N,).
    """
    images = _images(images)
    labels = _labels_for(labels, len(images))
    row, col, size = as_int(row, "row"), as_int(col, "col"), as_int(size, "size")
    i = _check_index(index, len(images), "digit")
    img = np.asarray(images[i])
    h, w = img.shape
    if not 1 <= size <= min(h, w):
        raise ValueError(f"patch size must be between 1 and {min(h, w)}, got {size}")
    if not (0 <= row <= h - size and 0 <= col <= w - size):
        raise ValueError(f"a {size}x{size} patch at row {row}, column {col} leaves the {h}x{w} "
                         f"image: row and column must be between 0 and {h - size}")
    ax_img, ax_num = fig.subplots(1, 2)
    for ax in (ax_img, ax_num):
        ax.set_xticks([]), ax.set_yticks([])
    ax_img.imshow(img, cmap="gray_r", vmin=0, vmax=255)
    ax_img.add_patch(_rectangle((col - 0.5, row - 0.5), size, size))
    ax_img.set_title(f"digit #{i}: label {int(labels[i])}")
    patch = img[row:row + size, col:col + size]
    ax_num.imshow(patch, cmap="gray_r", vmin=0, vmax=255, alpha=0.6)
    for (r, c), v in np.ndenumerate(patch):
        ax_num.text(c, r, str(v), ha="center", va="center", fontsize=8,
                    color="white" if v > 170 else "black")
    ax_num.set_title(f"rows {row}-{row + size - 1}, columns {col}-{col + size - 1}")


def _rectangle(xy, width, height):
    from matplotlib.patches import Rectangle

    return Rectangle(xy, width, height, fill=False, edgecolor="tab:red", linewidth=2)


def render_digit_grid(fig, images: np.ndarray, labels: Sequence[int], ncols: int = 10,
                      predictions: Sequence[int] | None = None) -> None:
    """A grid of digits titled with their labels (and predictions, red where wrong).

    Shapes: images (N, H, W), labels (N,), predictions (N,) or None.
    """
    images = _images(images)
    n = len(images)
    if n == 0:
        raise ValueError("no images to show")
    check_panels(n, f"{n} images", "show fewer images")
    ncols = as_int(ncols, "ncols")
    if ncols < 1:
        raise ValueError(f"ncols must be at least 1, got {ncols}")
    labels = _labels_for(labels, n)
    if predictions is not None:
        predictions = _labels_for(predictions, n, "predictions")
    nrows = -(-n // ncols)
    axes = fig.subplots(nrows, min(ncols, n), squeeze=False)
    for k, ax in enumerate(axes.flat):
        ax.set_axis_off()
        if k >= n:
            continue
        ax.imshow(images[k], cmap="gray_r")
        if predictions is None:
            ax.set_title(str(int(labels[k])), fontsize=9)
        else:
            ok = int(predictions[k]) == int(labels[k])
            ax.set_title(f"{int(labels[k])}→{int(predictions[k])}", fontsize=9,
                         color="black" if ok else "red")


def render_image_channels(fig, image: np.ndarray, title: str = "") -> None:
    """An RGB image and its three channels, each a 2-D grid of intensities.

    Shape: image (H, W, 3) float in [0, 1].
    """
    image = as_numbers(image, "image")
    if image.ndim != 3 or image.shape[2] != 3:
        raise ValueError(f"expected an (H, W, 3) RGB image, got shape {image.shape}")
    axes = fig.subplots(1, 4)
    axes[0].imshow(image)
    axes[0].set_title(title or f"{image.shape[0]}×{image.shape[1]}×3")
    for ax, c, name, cmap in zip(axes[1:], range(3), ("red", "green", "blue"),
                                 ("Reds", "Greens", "Blues")):
        ax.imshow(image[:, :, c], cmap=cmap, vmin=0, vmax=1)
        ax.set_title(f"{name} channel")
    for ax in axes:
        ax.set_axis_off()


# --- chapter 1: pooling and parameter counts (notebooks 01 and 04) ------------------------------

def _grid(ax, values: np.ndarray, fmt, cmap: str, covered: np.ndarray | None = None) -> None:
    """Draw a 2-D array as a table of coloured cells with their values written in."""
    lo, hi = float(np.min(values)), float(np.max(values))
    ax.imshow(values, cmap=cmap, vmin=lo, vmax=hi + 0.6 * (hi - lo) + 1e-9, alpha=0.6)  # pale
    if covered is not None and not covered.all():
        ax.imshow(np.where(covered, np.nan, 1.0), cmap="Greys", vmin=0, vmax=2.5)
    for (r, c), v in np.ndenumerate(values):
        grey = covered is not None and not covered[r, c]
        ax.text(c, r, fmt(v), ha="center", va="center", fontsize=10, in_layout=False,
                color="0.45" if grey else "black")
    h, w = values.shape
    ax.hlines(np.arange(-0.5, h + 0.5), -0.5, w - 0.5, color="white", linewidth=1.5)
    ax.vlines(np.arange(-0.5, w + 0.5), -0.5, h - 0.5, color="white", linewidth=1.5)
    ax.set_axis_off()  # no ticks: they would cost more than the whole drawing


def _fmt_number(v: float) -> str:
    return f"{v:.0f}" if float(v).is_integer() else f"{v:.2f}".rstrip("0")


def render_pooling(fig, x: np.ndarray, size: int = 2, stride: int = 2, mode: str = "max",
                   window: int = 1) -> None:
    """Pooling on a small grid: the input with every window position outlined and one window
    highlighted, the output grid, and the arithmetic of the highlighted window.

    Shape: x (H, W), small (up to about 10 x 10 so the numbers stay readable). ``window`` counts
    output cells in row-major order from 1; past the last one raises ValueError (saying how many
    there are), which an explorer shows as a message.
    Math: y[i, j] = max / mean / sum of x[i*stride : i*stride + size, j*stride : j*stride + size].
    """
    from matplotlib.collections import PatchCollection
    from matplotlib.patches import Rectangle

    from .pooling import pool2d

    x = as_numbers(x, "x").astype(float)
    if x.ndim != 2:
        raise ValueError(f"expected one 2-D grid (H, W), got shape {x.shape}")
    check_cells(x.size, f"x of shape {x.shape}", "pool a small grid (about 10 x 10)")
    size, stride, window = as_int(size, "size"), as_int(stride, "stride"), as_int(window, "window")
    H, W = x.shape
    if size > min(H, W):
        raise ValueError(f"a {size}×{size} window does not fit in the {H}×{W} input: "
                         f"choose a window of at most {min(H, W)}")
    y = pool2d(x, size, stride, mode)  # checks stride >= 1 and the mode
    Ho, Wo = y.shape
    if not 1 <= int(window) <= Ho * Wo:
        raise ValueError(f"a {size}×{size} window with stride {stride} has {Ho * Wo} position"
                         f"{'s' if Ho * Wo > 1 else ''} on this {H}×{W} input: choose window # 1 "
                         f"to {Ho * Wo}")
    k = int(window) - 1
    i, j = divmod(k, Wo)
    covered = np.zeros_like(x, dtype=bool)
    covered[: (Ho - 1) * stride + size, : (Wo - 1) * stride + size] = True

    fig.set_layout_engine("none")  # fixed margins: a layout pass would double the drawing time
    ax_in, ax_out = fig.subplots(1, 2, gridspec_kw=dict(width_ratios=[W, max(Wo, 2)], left=0.02,
                                                        right=0.98, bottom=0.02, top=0.86, wspace=0.1))
    _grid(ax_in, x, _fmt_number, "Blues", covered)
    _grid(ax_out, y, _fmt_number, "Oranges")
    ax_in.add_collection(PatchCollection(  # every window position, thin and dotted
        [Rectangle((c * stride - 0.5, r * stride - 0.5), size, size) for r in range(Ho)
         for c in range(Wo)], facecolor="none", edgecolor="0.35", linewidth=0.8, linestyle=":"))
    ax_in.add_patch(Rectangle((j * stride - 0.5, i * stride - 0.5), size, size, fill=True,
                              facecolor="gold", alpha=0.35, edgecolor="none"))
    ax_in.add_patch(Rectangle((j * stride - 0.5, i * stride - 0.5), size, size, fill=False,
                              edgecolor="tab:red", linewidth=2.5))
    ax_out.add_patch(Rectangle((j - 0.5, i - 0.5), 1, 1, fill=False, edgecolor="tab:red",
                               linewidth=2.5))
    cells = x[i * stride : i * stride + size, j * stride : j * stride + size]
    if mode == "max":
        r, c = np.unravel_index(np.argmax(cells), cells.shape)
        ax_in.add_patch(Rectangle((j * stride + c - 0.45, i * stride + r - 0.45), 0.9, 0.9,
                                  fill=False, edgecolor="black", linewidth=1.5))
    nums = [_fmt_number(v) for v in cells.ravel()]
    shown = nums if len(nums) <= 9 else nums[:8] + ["…"]
    if mode == "max":
        expr = f"max({', '.join(shown)}) = {_fmt_number(y[i, j])}"
    elif mode == "sum":
        expr = f"{' + '.join(shown)} = {_fmt_number(y[i, j])}"
    else:
        expr = f"({' + '.join(shown)}) / {size * size} = {_fmt_number(y[i, j])}"
    uncovered = int((~covered).sum())
    ax_in.set_title(f"input {H}×{W}" + (f" ({uncovered} grey cells: no window reaches them)"
                                        if uncovered else ""), fontsize=10)
    ax_out.set_title(f"{mode} pool: {Ho}×{Wo}", fontsize=10)
    fig.suptitle(f"window {k + 1} of {Ho * Wo}, size {size}, stride {stride}:  {expr}", fontsize=11)


def render_param_growth(fig, channels: int = 3, units: int = 1000, filters: int = 64,
                        kernel: int = 3, max_side: int = 256, marks: Sequence[int] = (28, 32, 200)
                        ) -> None:
    """Parameters of one first layer against the image side, log scale: a fully connected
    neuron (side²·channels), a fully connected layer of ``units`` neurons, and a convolutional
    layer of ``filters`` kernels (constant). See :func:`parameter_counts`.
    ``max_side`` is at most 100,000 (one point every 4 pixels).
    """
    channels, units = as_int(channels, "channels", 1), as_int(units, "units", 1)
    filters, kernel = as_int(filters, "filters", 1), as_int(kernel, "kernel", 1)
    max_side = as_int(max_side, "max_side")
    if max_side < 8:
        raise ValueError(f"max_side must be at least 8, got {max_side}")
    if max_side > 100_000:
        raise ValueError(f"max_side must be at most 100,000 (the curve has a point every 4 "
                         f"pixels), got {max_side:,}")
    if isinstance(marks, (str, bytes)) or not hasattr(marks, "__iter__"):
        raise ValueError(f"marks must be a list of image sides, got {marks!r}")
    marks = [as_int(m, "marks entries", 1) for m in marks]
    if kernel > max_side:
        raise ValueError(f"a {kernel}×{kernel} kernel is larger than the largest image ({max_side})")
    sides = np.unique(np.r_[np.arange(4, max_side + 1, 4), max_side])
    from .pooling import parameter_counts

    counts = [parameter_counts(int(s), channels, units, filters, kernel) for s in sides]
    fig.set_layout_engine("none")  # fixed margins: faster than a layout pass
    ax = fig.subplots(gridspec_kw=dict(left=0.11, right=0.98, bottom=0.13, top=0.97))
    styles = {"one neuron": "tab:blue", "fully connected layer": "tab:red", "conv layer": "tab:green"}
    labels = {"one neuron": "one fully connected neuron",
              "fully connected layer": f"fully connected layer, {units:,} neurons",
              "conv layer": f"conv layer, {filters} filters {kernel}×{kernel}×{channels}"}
    for key, color in styles.items():
        ax.plot(sides, [c[key] for c in counts], color=color, label=labels[key])
    marks = [s for s in marks if s <= max_side]
    for n, s in enumerate(marks):  # numbers on the neuron's curve, and the layer's at the end
        keys = ("one neuron", "fully connected layer") if n == len(marks) - 1 else ("one neuron",)
        for key in keys:
            v = parameter_counts(s, channels, units, filters, kernel)[key]
            ax.plot([s], [v], "o", color=styles[key], markersize=4)
            ax.annotate(f"{s}×{s}×{channels}: {v:,}", (s, v), textcoords="offset points",
                        xytext=(-20, 8 + 10 * (n % 2)) if key == "one neuron" else (-60, 8),
                        fontsize=8, color=styles[key])
    ax.set_yscale("log")
    ax.minorticks_off()
    top = int(np.ceil(np.log10(max(c["fully connected layer"] for c in counts))))
    powers = range(1, top + 1)  # plain labels: mathtext (10^k) would cost more than the plot
    suffix = ["", "k", "M", "G", "T"]  # 10 -> "10", 1000 -> "1k", 10**8 -> "100M"
    ax.set_yticks([10.0 ** k for k in powers],
                  [f"{10 ** (k % 3)}{suffix[k // 3]}" if k < 15 else f"1e{k}" for k in powers])
    ax.set_xlabel(f"image side (pixels), image = side × side × {channels}")
    ax.set_ylabel("parameters of the first layer")
    ax.grid(True, which="major", alpha=0.3)
    ax.legend(fontsize=8, loc="upper left")


# --- chapter 1: convolution, stride and padding (notebooks 02 and 03) ---------------------------

def _conv_bare(ax) -> None:
    """No frame, ticks or tick labels (hiding the axes also skips their costly layout)."""
    ax.set_axis_off()
    ax.xaxis.set_visible(False)
    ax.yaxis.set_visible(False)


def _conv_number(v: float) -> str:
    v = float(v) + 0.0  # no "-0"
    if abs(v) < 5e-13:
        v = 0.0
    if v.is_integer():
        return f"{v:.0f}"
    return f"{v:.2f}".rstrip("0") if abs(v) < 10 else f"{v:.1f}"


def _conv_table(ax, values: np.ndarray, cmap: str = "Blues", mask: np.ndarray | None = None,
                grey: np.ndarray | None = None, fontsize: float = 9, vlim=None,
                labels: np.ndarray | None = None, at: tuple[float, float] = (0, 0),
                alone: bool = True) -> None:
    """A 2-D array as a table of pale coloured cells with the numbers (or ``labels``) written in.

    ``mask`` (bool, same shape): cells to leave blank (not computed yet); ``grey``: cells drawn
    grey (zero padding). ``at`` = (x, y) of the top-left cell's centre, so that several tables can
    share one axes (much faster to draw than one axes each); ``alone`` sets the axes' limits to
    this table and hides the axes.
    """
    values = np.asarray(values, dtype=float)
    shown = values if mask is None else np.where(mask, np.nan, values)
    lo, hi = vlim if vlim is not None else (np.nanmin(values), np.nanmax(values))
    h, w = values.shape
    x0, y0 = at
    extent = (x0 - 0.5, x0 + w - 0.5, y0 + h - 0.5, y0 - 0.5)
    ax.imshow(shown, cmap=cmap, vmin=lo, vmax=hi if hi > lo else lo + 1, alpha=0.5,  # pale
              extent=extent)
    if grey is not None and grey.any():
        ax.imshow(np.where(grey, 1.0, np.nan), cmap="Greys", vmin=0, vmax=4, extent=extent)
    for (r, c), v in np.ndenumerate(values):
        if mask is None or not mask[r, c]:
            ax.text(x0 + c, y0 + r, _conv_number(v) if labels is None else labels[r, c],
                    ha="center", va="center", fontsize=fontsize,
                    color="0.45" if grey is not None and grey[r, c] else "black", in_layout=False)
    ax.hlines(y0 + np.arange(-0.5, h + 0.5), x0 - 0.5, x0 + w - 0.5, color="white", linewidth=1)
    ax.vlines(x0 + np.arange(-0.5, w + 0.5), y0 - 0.5, y0 + h - 0.5, color="white", linewidth=1)
    if alone:
        ax.set_xlim(x0 - 0.5, x0 + w - 0.5), ax.set_ylim(y0 + h - 0.5, y0 - 0.5)
        _conv_bare(ax)


def render_flashlight(fig, image: np.ndarray, kernel: np.ndarray, step: int = 0, stride=1,
                      padding=0) -> None:
    """The sliding window ("flashlight") of a convolution at one position, and the map so far.

    Three panels: the (padded) input with the receptive field of output cell ``step`` lit up; the
    element-wise products kernel * window and their sum; the feature map filled in up to ``step``
    (row-major order, from 0).

    Shapes: image (H, W), kernel (KH, KW); small (up to about 10 x 10 so numbers stay readable).
    Math:   out[i, j] = sum_{u, v} kernel[u, v] * x_pad[i*s + u, j*s + v]
    """
    from matplotlib.patches import Rectangle

    from .conv import _pair, correlate2d

    image = as_numbers(image, "image").astype(float)
    kernel = as_numbers(kernel, "kernel").astype(float)
    (sh, sw), (ph, pw) = _pair(stride, "stride", 1), _pair(padding, "padding", 0)
    if image.ndim == 2:
        check_cells((image.shape[0] + 2 * ph) * (image.shape[1] + 2 * pw),
                    f"the padded image {image.shape} (padding {padding})",
                    "use a small image (about 10 x 10) and little padding")
    out = correlate2d(image, kernel, stride, padding)      # checks shapes, stride and padding
    check_cells(kernel.size + out.size, f"the kernel {kernel.shape} and its output {out.shape}",
                "use a small kernel")
    step = as_int(step, "step")
    Ho, Wo = out.shape
    if not 0 <= int(step) < Ho * Wo:
        raise ValueError(f"step {step} is out of range: this feature map has {Ho}×{Wo} = "
                         f"{Ho * Wo} positions, choose 0 to {Ho * Wo - 1}")
    i, j = divmod(int(step), Wo)
    KH, KW = kernel.shape
    xp = np.pad(image, ((ph, ph), (pw, pw)))
    pad = np.ones_like(xp, dtype=bool)
    pad[ph:ph + image.shape[0], pw:pw + image.shape[1]] = False
    window = xp[i * sh:i * sh + KH, j * sw:j * sw + KW]
    products = window * kernel
    filled = np.arange(Ho * Wo).reshape(Ho, Wo) > step

    # the three tables share one axes, side by side (one axes draws ~2x faster than three)
    Hp, Wp = xp.shape
    x_pr = Wp + 1.0                                   # left column of the products table
    x_out = x_pr + KW + 1.0                           # left column of the feature map
    ax = fig.subplots()
    _conv_table(ax, xp, "Blues", grey=pad, alone=False)
    ax.add_patch(Rectangle((j * sw - 0.5, i * sh - 0.5), KW, KH, facecolor="gold", alpha=0.45,
                           edgecolor="tab:red", linewidth=2.5))
    big = np.abs(products).max() + 1e-9
    _conv_table(ax, products, "PuOr", vlim=(-big, big), labels=np.array(
        [f"{_conv_number(xv)}×{_conv_number(kv)}\n= {_conv_number(pv)}" for xv, kv, pv
         in zip(window.ravel(), kernel.ravel(), products.ravel())]).reshape(products.shape),
        fontsize=8, at=(x_pr, 0), alone=False)
    _conv_table(ax, out, "Oranges", mask=filled, vlim=(out.min(), out.max()), at=(x_out, 0),
                alone=False)
    ax.add_patch(Rectangle((x_out + j - 0.5, i - 0.5), 1, 1, fill=False, edgecolor="tab:red",
                           linewidth=2.5))
    titles = ((0, Wp, f"input {image.shape[0]}×{image.shape[1]}"
               + (f", padded to {Hp}×{Wp}" if ph or pw else "")),
              (x_pr, KW, "window × kernel"), (x_out, Wo, f"feature map {Ho}×{Wo}"))
    for x0, w, text in titles:
        ax.text(x0 + (w - 1) / 2, -0.7, text, ha="center", va="bottom", fontsize=10)
    ax.set_xlim(-0.55, x_out + Wo - 0.45)
    ax.set_ylim(max(Hp, KH, Ho) - 0.45, -1.5)
    _conv_bare(ax)
    fig.suptitle(f"position {step + 1} of {Ho * Wo}: out[{i}, {j}] = sum of the {KH * KW} products"
                 f" = {_conv_number(round(float(out[i, j]), 4))}", fontsize=11)


def _gray(image: np.ndarray) -> np.ndarray:
    """An (H, W) image as is, or an (H, W, 3) RGB image as luminance (ITU-R 601 weights)."""
    image = as_numbers(image, "image").astype(float)
    if image.ndim == 3 and image.shape[2] == 3:
        return image @ np.array([0.299, 0.587, 0.114])
    if image.ndim != 2:
        raise ValueError(f"expected an (H, W) gray or (H, W, 3) RGB image, got shape {image.shape}")
    return image


def _gray_named(image, name: str) -> np.ndarray:
    try:
        return _gray(as_numbers(image, name))
    except ValueError as e:
        raise ValueError(f"{name}: {e}") from None


def render_feature_map(fig, image: np.ndarray, kernel: np.ndarray, title: str = "") -> None:
    """A photo (as gray levels), a 3x3 (or any small) kernel, and the feature map it produces.

    Shapes: image (H, W) or (H, W, 3) in [0, 1], kernel (KH, KW) -> map (H, W) ("same" zero padding
    for odd kernels). Kernels with negative weights (edge detectors) are shown on a diverging
    colour map centred on 0; non-negative ones (blurs) in gray.
    Math:   map[i, j] = sum_{u, v} kernel[u, v] * gray_pad[i + u, j + v]
    """
    from .conv import correlate2d

    gray, kernel = _gray(image), as_numbers(kernel, "kernel").astype(float)
    if kernel.ndim != 2 or max(kernel.shape) > 15:
        raise ValueError(f"expected a small 2-D kernel (at most 15×15), got shape {kernel.shape}")
    if not np.isfinite(kernel).all():
        raise ValueError("the kernel has a NaN or infinite weight")
    fmap = correlate2d(gray, kernel, 1, ((kernel.shape[0] - 1) // 2, (kernel.shape[1] - 1) // 2))
    ax_img, ax_k, ax_map = fig.subplots(1, 3, gridspec_kw={"width_ratios": [4, 1.6, 4]})
    ax_img.imshow(gray, cmap="gray", vmin=0, vmax=1)
    ax_img.set_title(title or f"input {gray.shape[0]}×{gray.shape[1]}", fontsize=10)
    _conv_bare(ax_img)
    kmax = max(np.abs(kernel).max(), 1e-9)
    _conv_table(ax_k, kernel, "RdBu_r", vlim=(-kmax, kmax), fontsize=8)
    ax_k.set_title(f"kernel (sum {_conv_number(round(kernel.sum(), 3))})", fontsize=9)
    if (kernel >= 0).all():
        ax_map.imshow(fmap, cmap="gray", vmin=min(0.0, fmap.min()), vmax=max(1.0, fmap.max()))
    else:
        m = np.percentile(np.abs(fmap), 99.5) + 1e-9
        ax_map.imshow(fmap, cmap="RdBu_r", vmin=-m, vmax=m)
    ax_map.set_title(f"feature map: min {fmap.min():.2f}, max {fmap.max():.2f}", fontsize=10)
    _conv_bare(ax_map)


def render_stride_padding(fig, n: int = 7, f: int = 3, s: int = 1, p: int = 0) -> None:
    """Every position of an f x f window sliding with stride s over an n x n input padded by p.

    The padded grid is coloured by how many windows cover each cell (0 = never visited: the cells
    that a non-integer (n - f + 2p) / s leaves out are marked with a red cross); the dots are the
    windows' centres, the first and last windows are outlined. The title gives
    ``floor((n - f + 2p) / s) + 1`` and, when the division is not exact, the padding that fixes it.
    """
    from matplotlib.patches import Rectangle

    from .conv import fixing_padding, output_size

    o = output_size(n, f, s, p)  # raises ValueError for a window larger than the padded input
    N = n + 2 * p
    check_cells(N * N, f"the padded input n + 2p = {N} (n={n}, p={p}) squared",
                "use n + 2p of at most 50")
    cover = np.zeros((N, N), dtype=int)
    for i in range(o):
        for j in range(o):
            cover[i * s:i * s + f, j * s:j * s + f] += 1
    ax = fig.subplots()
    ax.imshow(np.where(cover > 0, cover, np.nan), cmap="Blues", vmin=-1.5,
              vmax=max(int(cover.max()), 4) + 1)
    ax.hlines(np.arange(-0.5, N + 0.5), -0.5, N - 0.5, color="white", linewidth=1)
    ax.vlines(np.arange(-0.5, N + 0.5), -0.5, N - 0.5, color="white", linewidth=1)
    if p:
        ax.add_patch(Rectangle((p - 0.5, p - 0.5), n, n, fill=False, edgecolor="black",
                               linewidth=1.5, linestyle="--"))
        frame = np.ones((N, N), bool)
        frame[p:p + n, p:p + n] = False
        ax.imshow(np.where(frame & (cover == 0), 1.0, np.nan), cmap="Greys", vmin=0, vmax=4)
        ax.imshow(np.where(frame, 1.0, np.nan), cmap="Greys", vmin=0, vmax=8, alpha=0.5)
    missed = np.argwhere(cover == 0)
    if len(missed):
        ax.scatter(missed[:, 1], missed[:, 0], marker="x", color="tab:red", s=30, linewidths=1.5)
    centres = (np.arange(o) * s + (f - 1) / 2)
    cx, cy = np.meshgrid(centres, centres)
    ax.scatter(cx.ravel(), cy.ravel(), s=14, color="tab:orange", edgecolor="black", linewidth=0.5,
               zorder=3)
    for (i, j), colour in (((0, 0), "tab:green"), ((o - 1, o - 1), "tab:red")):
        ax.add_patch(Rectangle((j * s - 0.45, i * s - 0.45), f - 0.1, f - 0.1, fill=False,
                               edgecolor=colour, linewidth=3))
    ax.set_xlim(-0.5, N - 0.5), ax.set_ylim(N - 0.5, -0.5)
    _conv_bare(ax)
    span = n - f + 2 * p
    title = (f"n={n}, f={f}, s={s}, p={p}\noutput ⌊({n} − {f} + 2·{p}) / {s}⌋ + 1 = "
             f"⌊{span}/{s}⌋ + 1 = {o}  →  {o}×{o}")
    if span % s:
        fix = fixing_padding(n, f, s, p)
        lost = span % s
        title += (f"\n⚠ {span}/{s} is not an integer: the last {lost} row(s) and column(s)"
                  f"\nof the padded input (red ×) are never visited.\n"
                  + (f"Padding p={fix} fixes it." if fix is not None
                     else "No padding fixes it (even stride); change f to "
                          f"{f + 1 if f + 1 <= N else f - 1}."))
        ax.set_title(title, fontsize=9, color="darkred", loc="left")
    else:
        note = "  ('same' size)" if o == n else ""
        ax.set_title(title + note + f"\n{o * o} window positions (dots: centres); green: first, "
                     "red: last;\ndarker cells are read by more windows"
                     + ("; grey frame: padding" if p else ""), fontsize=9, loc="left")


def render_activation_maps(fig, image: np.ndarray, maps: np.ndarray, names: Sequence[str],
                           title: str = "") -> None:
    """An input image and the activation maps of several filters (one output volume).

    Shapes: image (H, W, 3) or (H, W), maps (F, H_out, W_out), names F strings. A map whose
    values are all >= 0 is drawn in gray; a signed one on a diverging map centred on 0.
    """
    maps = as_numbers(maps, "maps").astype(float)
    if maps.ndim != 3 or not len(maps):
        raise ValueError(f"maps must be (F, H_out, W_out) with F >= 1, got shape {maps.shape}")
    check_panels(len(maps) + 1, f"{len(maps)} maps", "show fewer maps")
    if isinstance(names, str) or not hasattr(names, "__len__"):
        raise ValueError(f"names must be a list of {len(maps)} strings, one per map, got {names!r}")
    if len(names) != len(maps):
        raise ValueError(f"{len(maps)} maps but {len(names)} names")
    image = as_numbers(image, "image")
    axes = fig.subplots(1, len(maps) + 1)
    axes[0].imshow(image, cmap=None if np.ndim(image) == 3 else "gray")
    axes[0].set_title(title or "input", fontsize=9)
    for ax, m, name in zip(axes[1:], maps, names):
        if m.min() >= 0:
            ax.imshow(m, cmap="gray")
        else:
            lim = np.abs(m).max() + 1e-12
            ax.imshow(m, cmap="RdBu_r", vmin=-lim, vmax=lim)
        ax.set_title(name, fontsize=9)
    for ax in axes:
        _conv_bare(ax)


def render_kernel_gallery(fig, images: dict, kernels: Sequence[str], edge_strength: bool = True
                          ) -> None:
    """Classic kernels (names of :data:`course_utils.conv.KERNELS`) applied to gray versions of
    photos: one row per photo, one column per kernel, plus the Sobel edge strength
    sqrt(gx² + gy²). Zero padding 1 keeps the size.

    Shapes: images maps names to (H, W, 3) or (H, W) arrays in [0, 1].
    """
    from .conv import correlate2d, kernel

    if not isinstance(images, Mapping):
        raise ValueError(f"images must map names to images, got {type(images).__name__}")
    if isinstance(kernels, str) or not isinstance(kernels, Sequence):
        raise ValueError(f"kernels must be a list of kernel names, got {kernels!r}")
    if not images or not kernels:
        raise ValueError("need at least one image and one kernel: images and kernels are empty")
    for kname in kernels:
        kernel(kname)
    images = {name: _gray_named(img, f"images[{name!r}]") for name, img in images.items()}
    ncols = len(kernels) + bool(edge_strength)
    check_panels(len(images) * ncols, f"{len(images)} images × {ncols} kernels")
    axes = fig.subplots(len(images), ncols, squeeze=False)
    for r, (row, (name, img)) in enumerate(zip(axes, images.items())):
        g = _gray(img)
        for c, (ax, kname) in enumerate(zip(row, kernels)):
            k = kernel(kname)
            fmap = correlate2d(g, k, padding=(k.shape[0] // 2, k.shape[1] // 2))
            if abs(k.sum()) < 1e-12:       # edge detectors: signed, centred on 0
                lim = np.percentile(np.abs(fmap), 99.5) + 1e-12
                ax.imshow(fmap, cmap="RdBu_r", vmin=-lim, vmax=lim)
            else:
                ax.imshow(fmap, cmap="gray", vmin=0, vmax=1)
            label = kname if r == 0 else ""
            ax.set_title((f"{name}: {label}" if label else name) if c == 0 else label, fontsize=9)
        if edge_strength:
            gx = correlate2d(g, kernel("sobel x"), padding=1)
            gy = correlate2d(g, kernel("sobel y"), padding=1)
            row[-1].imshow(np.hypot(gx, gy), cmap="gray_r")
            row[-1].set_title("edge strength √(gx²+gy²)" if r == 0 else "", fontsize=9)
    for ax in axes.flat:
        _conv_bare(ax)


# --- chapter 2: training curves, LeNet-5's feature maps, errors, momentum (notebooks 05 and 07) ---

_HISTORY_LABELS = {"train_loss": "training loss", "train_acc": "training accuracy",
                   "test_loss": "test loss", "test_acc": "test accuracy", "lr": "learning rate",
                   "seconds": "seconds per epoch", "step_losses": "training loss per step"}


def render_history(fig, histories, metrics: Sequence[str] = ("train_loss", "test_acc"),
                   logy: bool = False, smooth: int = 1) -> None:
    """Training curves: one panel per metric, one line per run.

    ``histories`` maps labels to :class:`course_utils.train.History` objects (a single History is
    drawn unlabelled). Metrics: ``train_loss, train_acc, test_loss, test_acc, lr, seconds``
    against the epoch, or ``step_losses`` against the step (averaged over ``smooth`` steps).
    ``logy`` puts loss panels on a log scale. Accuracies are drawn in percent.
    """
    if not isinstance(histories, dict):
        histories = {"": histories}
    if not histories:
        raise ValueError("no histories to draw")
    for label, h in histories.items():
        if not (hasattr(h, "step_losses") and hasattr(h, "__getitem__")):
            raise ValueError(f"histories must map labels to History objects (what fit returns), "
                             f"got {type(h).__name__} for {label!r}")
    smooth = as_int(smooth, "smooth")
    if isinstance(metrics, str):
        metrics = (metrics,)
    bad = [m for m in metrics if m not in _HISTORY_LABELS]
    if bad or not metrics:
        raise ValueError(f"unknown metrics {bad}; choose from {list(_HISTORY_LABELS)}")
    if int(smooth) < 1:
        raise ValueError(f"smooth must be >= 1, got {smooth}")
    axes = fig.subplots(1, len(metrics), squeeze=False)[0]
    for ax, metric in zip(axes, metrics):
        for label, h in histories.items():
            if metric == "step_losses":
                y = np.asarray(h.step_losses, dtype=float)
                if smooth > 1 and len(y) >= smooth:
                    y = np.convolve(y, np.ones(smooth) / smooth, mode="valid")
                x = np.arange(1, len(y) + 1) + (smooth - 1 if len(y) else 0)
            else:
                x, y = np.asarray(h["epoch"]), np.asarray(h[metric], dtype=float)
                if metric.endswith("acc"):
                    y = 100 * y
            if not np.all(np.isnan(y)) and len(y):
                ax.plot(x, y, marker="o" if metric != "step_losses" and len(x) <= 30 else None,
                        markersize=3, label=label or None)
        ax.set_xlabel("step" if metric == "step_losses" else "epoch")
        ax.set_title(_HISTORY_LABELS[metric] + (" (%)" if metric.endswith("acc") else ""),
                     fontsize=10)
        if logy and ("loss" in metric or metric == "lr"):
            ax.set_yscale("log")
        ax.grid(alpha=0.3)
        if any(histories) and ax.get_legend_handles_labels()[0]:
            ax.legend(fontsize=8)


def _mosaic(maps: np.ndarray, ncols: int, gap: float = np.nan) -> np.ndarray:
    """Tile (C, H, W) maps into one (rows * (H + 1) - 1, ncols * (W + 1) - 1) image, NaN between."""
    C, H, W = maps.shape
    nrows = -(-C // ncols)
    out = np.full((nrows * (H + 1) - 1, ncols * (W + 1) - 1), gap)
    for k in range(C):
        r, c = divmod(k, ncols)
        out[r * (H + 1):r * (H + 1) + H, c * (W + 1):c * (W + 1) + W] = maps[k]
    return out


def render_feature_maps(fig, images: np.ndarray, maps: dict, labels: Sequence[int] | None = None,
                        index: int = 0, layers: Sequence[str] = ("C1", "C3"),
                        title: str = "") -> None:
    """One input digit and its feature maps in the chosen layers, each layer as a mosaic.

    Shapes: images (N, H, W); ``maps`` {layer name: (N, C, h, w)} (e.g. LeNet-5's C1 (N, 6, 28,
    28) and C3 (N, 16, 10, 10)); labels (N,). Each layer shares one colour scale, symmetric
    around 0 (blue negative, red positive), so maps of one layer can be compared.
    """
    images = _images(images)
    if not isinstance(maps, Mapping):
        raise ValueError(f"maps must map layer names to arrays (N, C, h, w), got "
                         f"{type(maps).__name__}")
    if isinstance(layers, str):
        layers = (layers,)
    unknown = [name for name in layers if name not in maps]
    if unknown or not layers:
        raise ValueError(f"no maps for layers {unknown}; available: {list(maps)}")
    i = _check_index(index, len(images), "digit")
    if labels is not None:
        labels = _labels_for(labels, i + 1)
    for name in layers:
        m = as_numbers(maps[name], f"maps[{name!r}]")
        if m.ndim == 4 and len(m) <= i:
            raise ValueError(f"maps[{name!r}] has maps for {len(m)} digits; digit #{i} has none")
    widths = [1.0] + [1.6 if np.asarray(maps[name]).shape[1] <= 8 else 1.8 for name in layers]
    axes = fig.subplots(1, 1 + len(layers), gridspec_kw={"width_ratios": widths})
    axes[0].imshow(np.asarray(images[i]), cmap="gray_r")
    head = f"digit #{i}" + (f", label {int(labels[i])}" if labels is not None else "")
    axes[0].set_title(title + ("\n" if title else "") + head, fontsize=9)
    for ax, name in zip(axes[1:], layers):
        m = np.asarray(maps[name])
        if m.ndim != 4:
            raise ValueError(f"maps[{name!r}] must be (N, C, h, w), got shape {m.shape}")
        fm = m[i]
        C = fm.shape[0]
        ncols = 3 if C <= 6 else 4
        lim = float(np.abs(m).max()) or 1.0
        ax.imshow(_mosaic(fm, ncols), cmap="RdBu_r", vmin=-lim, vmax=lim, interpolation="nearest")
        ax.set_title(f"{name}: {C} maps of {fm.shape[1]}×{fm.shape[2]}", fontsize=9)
    for ax in axes:
        ax.set_xticks([]), ax.set_yticks([])


def render_confusion(fig, labels, predictions, num_classes: int = 10,
                     class_names: Sequence[str] | None = None, title: str = "") -> None:
    """Confusion matrix with counts: rows are true classes, columns predictions; off-diagonal
    cells (the errors) in red. Shapes: labels (N,), predictions (N,) ints in [0, num_classes)."""
    from .train import confusion_matrix

    num_classes = as_int(num_classes, "num_classes", 1)
    check_cells(num_classes, f"the class labels of num_classes={num_classes} (one tick each)",
                "use fewer classes")
    cm = confusion_matrix(labels, predictions, num_classes)
    names = list(class_names) if class_names is not None else [str(k) for k in range(num_classes)]
    if len(names) != num_classes:
        raise ValueError(f"class_names has {len(names)} names for {num_classes} classes")
    ax = fig.subplots()
    errors = cm.copy()
    np.fill_diagonal(errors, 0)
    ax.imshow(np.where(np.eye(num_classes, dtype=bool), np.nan, errors), cmap="Reds",
              vmin=0, vmax=max(1, errors.max()))
    for (r, c), v in np.ndenumerate(cm):
        if v:
            dark = r != c and errors[r, c] > 0.6 * errors.max()
            ax.text(c, r, str(v), ha="center", va="center", fontsize=8,
                    color="tab:green" if r == c else ("white" if dark else "black"),
                    fontweight="bold" if r == c else None)
    ax.set_xticks(range(num_classes), names, fontsize=8)
    ax.set_yticks(range(num_classes), names, fontsize=8)
    ax.set_xlabel("predicted")
    ax.set_ylabel("true")
    acc = np.trace(cm) / max(1, cm.sum())
    ax.set_title((title + ": " if title else "") + f"{cm.sum() - np.trace(cm)} errors of "
                 f"{cm.sum()} ({100 * acc:.1f}% correct)", fontsize=10)


def render_misclassified(fig, images: np.ndarray, labels, predictions, confidence=None,
                         max_n: int = 20, ncols: int = 10) -> None:
    """The first ``max_n`` misclassified digits, titled "true→predicted" (and the probability
    the model gave its wrong answer). Shapes: images (N, H, W), labels/predictions (N,),
    confidence (N,) or None."""
    labels = as_numbers(labels, "labels")
    if labels.ndim != 1:
        raise ValueError(f"labels must have shape (N,), got {labels.shape}")
    predictions = _per_image(predictions, len(labels), "predictions")
    images = _images(images)
    if len(images) != len(labels):
        raise ValueError(f"images has {len(images)} images but labels has {len(labels)} entries")
    if confidence is not None:
        confidence = _per_image(confidence, len(labels), "confidence")
    max_n, ncols = as_int(max_n, "max_n", 1), as_int(ncols, "ncols")
    check_panels(min(max_n, len(labels)), f"max_n={max_n} digits", "use a smaller max_n")
    wrong = np.flatnonzero(labels != predictions)[:max_n]
    if len(wrong) == 0:
        raise ValueError("no misclassified digits: every prediction is right")
    if ncols < 1:
        raise ValueError(f"ncols must be at least 1, got {ncols}")
    nrows = -(-len(wrong) // ncols)
    axes = fig.subplots(nrows, min(ncols, len(wrong)), squeeze=False)
    for ax in axes.flat:
        ax.set_axis_off()
    for ax, k in zip(axes.flat, wrong):
        ax.imshow(np.asarray(images[k]), cmap="gray_r")
        text = f"{labels[k]}→{predictions[k]}"
        if confidence is not None:
            text += f" ({float(confidence[k]):.2f})"
        ax.set_title(text, fontsize=8, color="tab:red")


from functools import lru_cache as _lru_cache  # noqa: E402

_SURFACE_VIEW = {"ravine": (-2.5, 2.5, -1.2, 1.2), "rosenbrock": (-2.0, 2.0, -1.0, 3.0),
                 "bumpy": (-2.5, 2.5, -2.5, 2.5)}


@_lru_cache(maxsize=None)
def _surface_grid(surface: str):
    """The (X, Y, L) grid (120 x 120) of a surface's view, computed once per surface."""
    from .train import surface_loss

    x0, x1, y0, y1 = _SURFACE_VIEW[surface]
    X, Y = np.meshgrid(np.linspace(x0, x1, 120), np.linspace(y0, y1, 120))
    return X, Y, surface_loss(surface, X, Y)


def render_momentum(fig, surface: str = "ravine", lr: float = 0.05, momentum: float = 0.9,
                    steps: int = 50, start_x: float = -2.0, start_y: float = 1.0,
                    noise: float = 0.0) -> None:
    """Gradient descent with and without momentum on a 2-D loss surface: the paths on the
    contour plot (left) and the loss per step (right, log scale).

    Both runs use AlexNet's rule v <- momentum * v - lr * grad, w <- w + v (plain: momentum 0)
    from the same start, with the same gradient noise (``noise`` > 0 imitates mini-batches).
    """
    from matplotlib.ticker import MaxNLocator

    from .train import LOSS_SURFACES, momentum_path, surface_loss

    if surface not in LOSS_SURFACES:
        raise ValueError(f"surface must be one of {LOSS_SURFACES}, got {surface!r}")
    lr, momentum = as_float(lr, "lr", finite=False), as_float(momentum, "momentum")
    start_x, start_y = as_float(start_x, "start_x"), as_float(start_y, "start_y")
    noise = as_float(noise, "noise")
    steps = as_int(steps, "steps", 1, MAX_ITERATIONS)
    x0, x1, y0, y1 = _SURFACE_VIEW[surface]
    if not (x0 <= start_x <= x1 and y0 <= start_y <= y1):
        raise ValueError(f"start ({start_x:g}, {start_y:g}) is outside the {surface} view "
                         f"x in [{x0}, {x1}], y in [{y0}, {y1}]: move the start sliders")
    if not 0 <= momentum < 1:
        raise ValueError(f"momentum must be in [0, 1), got {momentum}: with 1 or more the "
                         "velocity never decays")
    if lr <= 0:
        raise ValueError(f"the learning rate must be > 0, got {lr}")
    X, Y, Z = _surface_grid(surface)
    runs = [("plain (momentum 0)", 0.0, "tab:blue")]
    if momentum > 0:
        runs.append((f"momentum {momentum:g}", momentum, "tab:orange"))
    fig.set_layout_engine("none")   # fixed axes positions: constrained layout triples the time
    ax = fig.add_axes((0.06, 0.1, 0.52, 0.8))
    ax2 = fig.add_axes((0.66, 0.14, 0.32, 0.76))
    ax.contour(X, Y, np.log1p(Z), levels=14, cmap="viridis", linewidths=0.8)
    notes = []
    for name, mu, color in runs:
        path = momentum_path(surface, (start_x, start_y), lr, mu, steps, noise=noise)
        diverged = len(path) < steps + 1
        loss = surface_loss(surface, path[:, 0], path[:, 1])
        ax.plot(path[:, 0], path[:, 1], "-o", color=color, markersize=2, linewidth=1.2,
                label=name)
        ax2.plot(np.arange(len(loss)), np.log10(np.maximum(loss, 1e-12)), color=color, label=name)
        end = f"diverged after {len(path) - 1} steps" if diverged else f"final loss {loss[-1]:.2g}"
        notes.append(f"{name.split(' (')[0]}: {end}")
    ax.plot([start_x], [start_y], "k*", markersize=9)
    ax.set_xlim(x0, x1), ax.set_ylim(y0, y1)
    ax.set_title(f"{surface}, lr {lr:g}, {steps} steps" + (f", noise {noise:g}" if noise else ""),
                 fontsize=9)
    ax.legend(fontsize=7, loc="lower right")
    ax2.set_xlabel("step", fontsize=8)
    ax2.set_title("log10 of the loss", fontsize=9)
    ax2.tick_params(labelsize=7)
    ax.tick_params(labelsize=7)
    ax.set_xticks(np.linspace(x0, x1, 5)), ax.set_yticks(np.linspace(y0, y1, 5))
    ax2.xaxis.set_major_locator(MaxNLocator(4)), ax2.yaxis.set_major_locator(MaxNLocator(5))
    ax2.grid(alpha=0.3)
    ax2.text(0.02, 0.02, "\n".join(notes), transform=ax2.transAxes, fontsize=7, va="bottom")


# --- chapter 2: classic architectures and the depth experiment (notebook 06) ------------------------

_WEIGHT_KINDS = ("Conv2d", "Linear")


def render_param_bars(fig, summaries: dict, what: str = "params", log: bool = False) -> None:
    """One horizontal bar per weight layer (Conv2d, Linear) of each model: its parameters, or its
    output values per example ("neurons"); conv layers blue, fully connected orange.

    ``summaries`` maps a model's name to a :class:`course_utils.models.Summary` (or any iterable of
    rows with ``name, kind, params, outputs``). Each panel's title gives the total and the share
    of the fully connected layers: FC share = sum(FC params) / sum(all params).
    """
    if what not in ("params", "outputs"):
        raise ValueError(f"what must be 'params' or 'outputs', got {what!r}")
    if not isinstance(summaries, Mapping):
        raise ValueError(f"summaries must map model names to summaries, got "
                         f"{type(summaries).__name__}")
    if not summaries:
        raise ValueError("no models to draw: summaries is empty")
    check_panels(len(summaries), f"{len(summaries)} summaries")
    for title, rows in summaries.items():
        if isinstance(rows, (str, bytes)) or not hasattr(rows, "__iter__") or not all(
                hasattr(r, a) for r in rows for a in ("name", "kind", "params", "outputs")):
            raise ValueError(f"summaries[{title!r}] must be a Summary (rows with name, kind, "
                             f"params and outputs), got {type(rows).__name__}")
    axes = fig.subplots(1, len(summaries), squeeze=False)[0]
    for ax, (title, rows) in zip(axes, summaries.items()):
        rows = [r for r in rows if r.kind in _WEIGHT_KINDS]
        if not rows:
            raise ValueError(f"{title} has no Conv2d or Linear layers to draw")
        values = np.array([getattr(r, what) for r in rows], dtype=float)
        fc = np.array([r.kind == "Linear" for r in rows])
        y = np.arange(len(rows))[::-1]
        ax.barh(y, values, color=np.where(fc, "tab:orange", "tab:blue"), height=0.75)
        step = max(1, len(rows) // 20)  # at most ~20 tick labels per panel
        ax.set_yticks(y[::step], [r.name for r in rows][::step], fontsize=7)
        if log:
            ax.set_xscale("log")
        total = values.sum()
        unit = "parameters" if what == "params" else "output values"
        ax.set_title(f"{title}: {total / 1e6:.1f}M {unit}\nFC share {values[fc].sum() / total:.1%}",
                     fontsize=9)
        ax.tick_params(axis="x", labelsize=7)
        ax.grid(axis="x", alpha=0.3)
    from matplotlib.patches import Patch

    axes[0].legend(handles=[Patch(color="tab:blue", label="conv"),
                            Patch(color="tab:orange", label="fully connected")],
                   fontsize=7, loc="lower right")


_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def _pow10_label(value: float, _pos=None) -> str:
    """Tick label ``10⁻⁸`` for a power of ten on a log axis, in plain text (no mathtext)."""
    exponent = np.log10(value) if value > 0 else np.nan
    if not np.isfinite(exponent) or abs(exponent - round(exponent)) > 1e-9:
        return ""
    return "10" + str(int(round(exponent))).translate(_SUPERSCRIPT)


def _pow10_formatter():
    from matplotlib.ticker import FuncFormatter

    return FuncFormatter(_pow10_label)


def render_grad_norms(fig, norms: dict, title: str = "", ax=None) -> None:
    """Per-layer gradient norms ``||dL/dW_l||`` against the layer index l = 1 (input side) ... L,
    one line per model, log scale (a constant factor per layer is a straight line). Norms of
    exactly 0 (dead layers) are left out of the line and counted in the legend.

    ``norms`` maps labels to sequences of positive floats (see
    :func:`course_utils.models.layer_grad_norms`). Draws into ``ax`` if given, else a new axes.
    """
    if not isinstance(norms, Mapping):
        raise ValueError(f"norms must map labels to lists of norms, got {type(norms).__name__}")
    if not norms:
        raise ValueError("no gradient norms to draw")
    norms = {label: as_numbers(values, f"norms[{label!r}]").astype(float)
             for label, values in norms.items()}
    ax = ax if ax is not None else fig.subplots()
    for label, values in norms.items():
        values = np.asarray(values, dtype=float)
        if values.ndim != 1 or not len(values):
            raise ValueError(f"{label}: expected a non-empty list of per-layer norms")
        zero = values <= 0  # a log scale cannot show 0: leave a gap and say so in the legend
        if zero.all():
            label = f"{label} (all 0)"
        elif zero.any():
            label = f"{label} ({int(zero.sum())} layers at 0)"
        ax.plot(np.arange(1, len(values) + 1), np.where(zero, np.nan, values), marker="o",
                markersize=3, label=label)
    from matplotlib.ticker import MaxNLocator

    ax.set_yscale("log")
    ax.yaxis.set_major_formatter(_pow10_formatter())  # plain-text 10⁻⁸: mathtext labels cost ~50 ms a figure
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel("weight layer (1 = next to the input)")
    ax.set_ylabel("‖∂L/∂W‖")
    ax.set_title(title or "gradient norm per layer", fontsize=10)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)


@functools.lru_cache(maxsize=256)
def _depth_norms(X, y, depth: int, init: str, norm: str, width: int, seed: int) -> dict:
    """The gradient norms that :func:`render_depth_gradients` draws, cached: they depend only on
    these arguments (tensors are keyed by identity; they must not be changed in place), so moving
    a widget's control back to a setting it had costs no recomputation."""
    import torch

    from .models.depth import grad_norms_at_init, plain_net, residual_net

    norms = {}
    with torch.random.fork_rng():
        torch.manual_seed(seed)
        for kind, build in (("plain", plain_net), ("residual", residual_net)):
            net = build(depth, width=width, in_channels=X.shape[1], norm=None if norm == "none"
                        else "batch", init=init, pool=2, stem_stride=2)
            norms[f"{kind}-{depth}"] = grad_norms_at_init(net, X, y)
    return norms


def render_depth_gradients(fig, X, y, depth: int = 20, init: str = "default", norm: str = "none",
                           width: int = 8, seed: int = 0) -> None:
    """Gradient norm per layer at initialisation for a plain and a residual net of the same depth
    (:func:`course_utils.models.plain_net`, :func:`course_utils.models.residual_net`, as in
    notebook 06: 3×3 convs of ``width`` maps after a stride-2 stem, head pooled to 2×2), on one batch.

    Shapes: X (N, 1, H, W) float, y (N,) int64. ``norm``: "none" or "batch". The weights are drawn
    with a torch generator seeded by ``seed``, without touching the global random state.
    """
    import torch

    if norm not in ("none", "batch"):
        raise ValueError(f"norm must be 'none' or 'batch', got {norm!r}")
    depth = as_int(depth, "depth")
    if depth < 4 or depth % 2:
        raise ValueError(f"depth must be even and at least 4 (a residual block has 2 layers), got {depth}")
    width, seed = as_int(width, "width", 1), as_int(seed, "seed", 0)
    if not (isinstance(X, torch.Tensor) and X.ndim == 4 and X.is_floating_point()):
        raise ValueError(f"X must be a float torch tensor of images (N, C, H, W), got "
                         f"{type(X).__name__} of shape {tuple(getattr(X, 'shape', ()))}")
    if not (isinstance(y, torch.Tensor) and y.dtype == torch.int64 and y.shape == (len(X),)):
        raise ValueError(f"y must be int64 class labels of shape ({len(X)},), one per image in X, "
                         f"got {type(y).__name__} {getattr(y, 'dtype', '')} of shape "
                         f"{tuple(getattr(y, 'shape', ()))}")
    if len(y) and (int(y.min()) < 0 or int(y.max()) >= 10):
        raise ValueError(f"y must be class labels in [0, 10) (the nets have 10 outputs), got "
                         f"{int(y.min())} to {int(y.max())}")
    norms = _depth_norms(X, y, depth, init, norm, width, seed)
    ratio = {k: v[0] / v[-1] for k, v in norms.items()}
    fig.subplots_adjust(left=0.1, bottom=0.16)
    render_grad_norms(fig, norms, title=f"at initialisation (init={init}, norm={norm}): first/last "
                      f"layer = {ratio[f'plain-{depth}']:.1e} plain, "
                      f"{ratio[f'residual-{depth}']:.1e} residual")
