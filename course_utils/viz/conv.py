"""Figures of convolution, stride and padding (notebooks 02 and 03)."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Sequence

import numpy as np

from .._validate import (
    as_gray,
    as_gray_named,
    as_int,
    as_numbers,
    as_pair,
    check_cells,
    check_panels,
)
from ._colours import BLACK, VERMILION
from ._tables import bare_axes, format_number, number_table

__all__ = ["render_flashlight", "render_feature_map", "render_stride_padding",
           "render_activation_maps", "render_kernel_gallery"]


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

    from ..layers.conv import correlate2d

    image = as_numbers(image, "image").astype(float)
    kernel = as_numbers(kernel, "kernel").astype(float)
    (sh, sw), (ph, pw) = as_pair(stride, "stride", 1), as_pair(padding, "padding", 0)
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
    number_table(ax, xp, "Blues", grey=pad, alone=False)
    ax.add_patch(Rectangle((j * sw - 0.5, i * sh - 0.5), KW, KH, facecolor="gold", alpha=0.45,
                           edgecolor="tab:red", linewidth=2.5))
    big = np.abs(products).max() + 1e-9
    number_table(ax, products, "PuOr", vlim=(-big, big), labels=np.array(
        [f"{format_number(xv)}×{format_number(kv)}\n= {format_number(pv)}" for xv, kv, pv
         in zip(window.ravel(), kernel.ravel(), products.ravel())]).reshape(products.shape),
        fontsize=8, at=(x_pr, 0), alone=False)
    signed = out.min() < 0 < out.max()     # signed maps on a diverging scale centred at 0
    olim = np.abs(out).max() + 1e-9
    number_table(ax, out, "RdBu_r" if signed else "Oranges", mask=filled,
                 vlim=(-olim, olim) if signed else (out.min(), out.max()), at=(x_out, 0),
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
    bare_axes(ax)
    fig.suptitle(f"position {step + 1} of {Ho * Wo}: out[{i}, {j}] = sum of the {KH * KW} products"
                 f" = {format_number(round(float(out[i, j]), 4))}", fontsize=11)


def render_feature_map(fig, image: np.ndarray, kernel: np.ndarray, title: str = "") -> None:
    """A photo (as gray levels), a 3x3 (or any small) kernel, and the feature map it produces.

    Shapes: image (H, W) or (H, W, 3) in [0, 1], kernel (KH, KW) -> map (H, W) ("same" zero padding
    for odd kernels). Kernels with negative weights (edge detectors) are shown on a diverging
    colour map centred on 0; non-negative ones (blurs) in gray.
    Math:   map[i, j] = sum_{u, v} kernel[u, v] * gray_pad[i + u, j + v]
    """
    from ..layers.conv import correlate2d

    gray, kernel = as_gray(image), as_numbers(kernel, "kernel").astype(float)
    if kernel.ndim != 2 or max(kernel.shape) > 15:
        raise ValueError(f"expected a small 2-D kernel (at most 15×15), got shape {kernel.shape}")
    if not np.isfinite(kernel).all():
        raise ValueError("the kernel has a NaN or infinite weight")
    fmap = correlate2d(gray, kernel, 1, ((kernel.shape[0] - 1) // 2, (kernel.shape[1] - 1) // 2))
    ax_img, ax_k, ax_map = fig.subplots(1, 3, gridspec_kw={"width_ratios": [4, 1.6, 4]})
    ax_img.imshow(gray, cmap="gray", vmin=0, vmax=1)
    ax_img.set_title(title or f"input {gray.shape[0]}×{gray.shape[1]}", fontsize=10)
    bare_axes(ax_img)
    kmax = max(np.abs(kernel).max(), 1e-9)
    number_table(ax_k, kernel, "RdBu_r", vlim=(-kmax, kmax), fontsize=8)
    ax_k.set_title(f"kernel (sum {format_number(round(kernel.sum(), 3))})", fontsize=9)
    if (kernel >= 0).all():
        ax_map.imshow(fmap, cmap="gray", vmin=min(0.0, fmap.min()), vmax=max(1.0, fmap.max()))
    else:
        m = np.percentile(np.abs(fmap), 99.5) + 1e-9
        ax_map.imshow(fmap, cmap="RdBu_r", vmin=-m, vmax=m)
    ax_map.set_title(f"feature map: min {fmap.min():.2f}, max {fmap.max():.2f}", fontsize=10)
    bare_axes(ax_map)


def render_stride_padding(fig, n: int = 7, f: int = 3, s: int = 1, p: int = 0) -> None:
    """Every position of an f x f window sliding with stride s over an n x n input padded by p.

    The padded grid is coloured by how many windows cover each cell (0 = never read: input cells
    that no window reads are marked with a red cross, padding cells stay grey); the dots are the
    windows' centres, the first window is outlined in solid black, the last one dashed in
    vermilion (colour-blind safe: colour and line style both tell them apart). The title gives
    ``floor((n - f + 2p) / s) + 1`` and, when input is never read (see
    :func:`course_utils.layers.sizes.unread_rows`), how many rows and the padding that fixes it;
    a non-integer division that leaves only padding over is called harmless.
    """
    from matplotlib.patches import Rectangle

    from ..layers.sizes import output_size, padding_to_read_all, unread_rows

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
    frame = np.ones((N, N), bool)          # the padding
    frame[p:p + n, p:p + n] = False
    if p:
        ax.add_patch(Rectangle((p - 0.5, p - 0.5), n, n, fill=False, edgecolor="black",
                               linewidth=1.5, linestyle="--"))
        ax.imshow(np.where(frame & (cover == 0), 1.0, np.nan), cmap="Greys", vmin=0, vmax=4)
        ax.imshow(np.where(frame, 1.0, np.nan), cmap="Greys", vmin=0, vmax=8, alpha=0.5)
    missed = np.argwhere((cover == 0) & ~frame)
    if len(missed):
        ax.scatter(missed[:, 1], missed[:, 0], marker="x", color="tab:red", s=30, linewidths=1.5)
    centres = (np.arange(o) * s + (f - 1) / 2)
    cx, cy = np.meshgrid(centres, centres)
    ax.scatter(cx.ravel(), cy.ravel(), s=14, color="tab:orange", edgecolor="black", linewidth=0.5,
               zorder=3)
    # first window solid black, last dashed vermilion: told apart by colour and by line style,
    # both visible on the blue cells
    for (i, j), colour, style in (((0, 0), BLACK, "-"), ((o - 1, o - 1), VERMILION, "--")):
        ax.add_patch(Rectangle((j * s - 0.45, i * s - 0.45), f - 0.1, f - 0.1, fill=False,
                               edgecolor=colour, linewidth=3, linestyle=style))
    ax.set_xlim(-0.5, N - 0.5), ax.set_ylim(N - 0.5, -0.5)
    bare_axes(ax)
    span, lost = n - f + 2 * p, unread_rows(n, f, s, p)
    title = (f"n={n}, f={f}, s={s}, p={p}\noutput ⌊({n} − {f} + 2·{p}) / {s}⌋ + 1 = "
             f"⌊{span}/{s}⌋ + 1 = {o}  →  {o}×{o}")
    if lost:
        fix = padding_to_read_all(n, f, s, p)
        why = (f"{span}/{s} is not an integer: the last {lost} row(s) and column(s)" if s <= f else
               f"stride {s} > window {f} skips rows between windows: {lost} row(s) and column(s)")
        title += (f"\n⚠ {why}\nof the input (red ×) are never read.\n"
                  + (f"Padding p={fix} fixes it." if fix is not None
                     else f"Use a stride of at most {f}."))
        ax.set_title(title, fontsize=9, color="darkred", loc="left")
    else:
        note = "  ('same' size)" if o == n else ""
        if span % s:
            note += (f"\n{span}/{s} is not an integer, but harmless: the {span % s} row(s) left "
                     "over are padding")
        ax.set_title(title + note + f"\n{o * o} window positions (dots: centres); black: first, "
                     "dashed: last;\ndarker cells are read by more windows"
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
        bare_axes(ax)


def render_kernel_gallery(fig, images: dict, kernels: Sequence[str], edge_strength: bool = True
                          ) -> None:
    """Classic kernels (names of :data:`course_utils.conv.KERNELS`) applied to gray versions of
    photos: one row per photo, one column per kernel, plus the Sobel edge strength
    sqrt(gx² + gy²). Zero padding 1 keeps the size.

    Shapes: images maps names to (H, W, 3) or (H, W) arrays in [0, 1].
    """
    from ..layers.conv import correlate2d, kernel

    if not isinstance(images, Mapping):
        raise ValueError(f"images must map names to images, got {type(images).__name__}")
    if isinstance(kernels, str) or not isinstance(kernels, Sequence):
        raise ValueError(f"kernels must be a list of kernel names, got {kernels!r}")
    if not images or not kernels:
        raise ValueError("need at least one image and one kernel: images and kernels are empty")
    for kname in kernels:
        kernel(kname)
    images = {name: as_gray_named(img, f"images[{name!r}]") for name, img in images.items()}
    ncols = len(kernels) + bool(edge_strength)
    check_panels(len(images) * ncols, f"{len(images)} images × {ncols} kernels")
    axes = fig.subplots(len(images), ncols, squeeze=False)
    for r, (row, (name, img)) in enumerate(zip(axes, images.items())):
        g = as_gray(img)
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
        bare_axes(ax)
