"""Pure matplotlib renderers: each draws into the figure or axes it is given and returns nothing.

No pyplot state, no widgets: :mod:`course_utils.widgets` wires these to controls, tests call them
directly, and notebooks use them for static figures too (``plt.figure()`` then ``render_x(fig, ...)``).
"""
from __future__ import annotations

from typing import Sequence

import numpy as np

__all__ = ["render_digit", "render_digit_grid", "render_image_channels", "render_pooling",
           "render_param_growth"]


def _check_index(index: int, n: int, what: str) -> int:
    if not 0 <= int(index) < n:
        raise ValueError(f"{what} index {index} is out of range: choose 0 to {n - 1}")
    return int(index)


def render_digit(fig, images: np.ndarray, labels: np.ndarray, index: int = 0,
                 show: str = "both") -> None:
    """One 28x28 digit as a picture, as its grid of pixel values (0-255), or both side by side.

    Shapes: images (N, 28, 28) uint8, labels (N,).
    """
    allowed = ("picture", "numbers", "both")
    if show not in allowed:
        raise ValueError(f"show must be one of {allowed}, got {show!r}")
    i = _check_index(index, len(images), "digit")
    img = np.asarray(images[i])
    panels = ["picture", "numbers"] if show == "both" else [show]
    axes = fig.subplots(1, len(panels), squeeze=False)[0]
    for ax, panel in zip(axes, panels):
        ax.set_xticks([]), ax.set_yticks([])
        if panel == "picture":
            ax.imshow(img, cmap="gray_r", vmin=0, vmax=255)
            ax.set_title(f"digit #{i}: label {int(labels[i])}")
        else:
            # crop to the digit's bounding box so the numbers stay readable
            rows, cols = np.nonzero(img)
            r0, r1 = (rows.min(), rows.max() + 1) if rows.size else (0, img.shape[0])
            c0, c1 = (cols.min(), cols.max() + 1) if cols.size else (0, img.shape[1])
            crop = img[r0:r1, c0:c1]
            ax.imshow(crop, cmap="gray_r", vmin=0, vmax=255, alpha=0.35)
            size = max(3.0, 60 / max(crop.shape))
            for (r, c), v in np.ndenumerate(crop):
                if v:
                    ax.text(c, r, str(v), ha="center", va="center", fontsize=size)
            ax.set_title(f"rows {r0}-{r1 - 1}, columns {c0}-{c1 - 1} (0 = white)")


def render_digit_grid(fig, images: np.ndarray, labels: Sequence[int], ncols: int = 10,
                      predictions: Sequence[int] | None = None) -> None:
    """A grid of digits titled with their labels (and predictions, red where wrong).

    Shapes: images (N, H, W), labels (N,), predictions (N,) or None.
    """
    n = len(images)
    if n == 0:
        raise ValueError("no images to show")
    if ncols < 1:
        raise ValueError(f"ncols must be at least 1, got {ncols}")
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
    image = np.asarray(image)
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
    output cells in row-major order from 1; past the last one it shows the last.
    Math: y[i, j] = max / mean / sum of x[i*stride : i*stride + size, j*stride : j*stride + size].
    """
    from matplotlib.patches import Rectangle

    from .pooling import pool2d

    x = np.asarray(x, dtype=float)
    if x.ndim != 2:
        raise ValueError(f"expected one 2-D grid (H, W), got shape {x.shape}")
    H, W = x.shape
    if size > min(H, W):
        raise ValueError(f"a {size}×{size} window does not fit in the {H}×{W} input: "
                         f"choose a window of at most {min(H, W)}")
    y = pool2d(x, size, stride, mode)  # checks stride >= 1 and the mode
    Ho, Wo = y.shape
    k = min(max(int(window), 1), Ho * Wo) - 1
    i, j = divmod(k, Wo)
    covered = np.zeros_like(x, dtype=bool)
    covered[: (Ho - 1) * stride + size, : (Wo - 1) * stride + size] = True

    ax_in, ax_out = fig.subplots(1, 2, gridspec_kw={"width_ratios": [W, max(Wo, 2)]})
    _grid(ax_in, x, _fmt_number, "Blues", covered)
    _grid(ax_out, y, _fmt_number, "Oranges")
    for r in range(Ho):  # every window position, thin
        for c in range(Wo):
            ax_in.add_patch(Rectangle((c * stride - 0.5, r * stride - 0.5), size, size, fill=False,
                                      edgecolor="0.35", linewidth=0.8, linestyle=":"))
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
    """
    if max_side < 8:
        raise ValueError(f"max_side must be at least 8, got {max_side}")
    if kernel > max_side:
        raise ValueError(f"a {kernel}×{kernel} kernel is larger than the largest image ({max_side})")
    sides = np.unique(np.r_[np.arange(4, max_side + 1, 4), max_side])
    from .pooling import parameter_counts

    counts = [parameter_counts(int(s), channels, units, filters, kernel) for s in sides]
    ax = fig.subplots()
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
    ax.set_xlabel(f"image side (pixels), image = side × side × {channels}")
    ax.set_ylabel("parameters of the first layer")
    ax.grid(True, which="major", alpha=0.3)
    ax.legend(fontsize=8, loc="upper left")
