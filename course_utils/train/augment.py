"""Data augmentation: random shifts and planar distortions of image batches (torch, on their
device), as LeCun et al. (1998) trained LeNet-5 on distorted digits."""
from __future__ import annotations

from typing import Any

import torch

from .._validate import as_float, as_numbers, check_elements

__all__ = ["random_shift", "affine_images", "random_affine"]


def random_shift(x: torch.Tensor, max_shift: int = 2, generator: torch.Generator | None = None
                 ) -> torch.Tensor:
    """Translate each image by its own random whole-pixel offset (data augmentation).

    Shapes: (N, C, H, W) -> (N, C, H, W). Math: out[n, c, i, j] = x_pad[n, c, i + dy_n, j + dx_n]
    with dy_n, dx_n uniform in {0, ..., 2 * max_shift} and x_pad the input padded by
    ``max_shift`` pixels that repeat the border (the background, for digits).
    LeCun et al. (1998) trained LeNet-5 on distorted copies of the digits the same way.
    """
    _check_images(x)
    if isinstance(max_shift, bool) or not isinstance(max_shift, int) or max_shift < 0:
        raise ValueError(f"max_shift must be an integer >= 0, got {max_shift!r}")
    if max_shift == 0:
        return x
    N, C, H, W = x.shape
    check_elements(N * C * (H + 2 * max_shift) * (W + 2 * max_shift),
                   f"the images padded by max_shift={max_shift} on every side",
                   "use a max_shift smaller than the images")
    s = max_shift
    pad = torch.nn.functional.pad(x, (s, s, s, s), mode="replicate")
    offsets = torch.randint(0, 2 * s + 1, (2, N), generator=generator).to(x.device)
    rows = offsets[0][:, None] + torch.arange(H, device=x.device)            # (N, H)
    cols = offsets[1][:, None] + torch.arange(W, device=x.device)            # (N, W)
    n = torch.arange(N, device=x.device)[:, None, None]
    out = pad.permute(0, 2, 3, 1)[n, rows[:, :, None], cols[:, None, :]]     # (N, H, W, C)
    return out.permute(0, 3, 1, 2).contiguous()


def _check_images(x: Any) -> None:
    if not isinstance(x, torch.Tensor):
        raise ValueError(f"x must be a torch tensor of images (N, C, H, W), got "
                         f"{type(x).__name__}; convert with torch.as_tensor")
    if x.ndim != 4:
        raise ValueError(f"expected images (N, C, H, W), got shape {tuple(x.shape)}")
    if not x.is_floating_point():
        raise ValueError(f"x must hold floating-point images, got {x.dtype}")


def affine_images(x: torch.Tensor, angle, scale, shift) -> torch.Tensor:
    """Rotate, scale and translate each image about its centre (bilinear, border repeated).

    Shapes: x (N, C, H, W); angle (N,) in degrees (counter-clockwise as displayed), scale (N,),
    shift (N, 2) in pixels (dx to the right, dy down) -> (N, C, H, W).
    Math: out(p) = x(c + R(-angle) (p - c - shift) / scale) for every pixel centre p, with c the
    image centre; values between pixel centres are interpolated bilinearly.
    """
    _check_images(x)
    N, _, H, W = x.shape
    values = {}
    for name, value in (("angle", angle), ("scale", scale), ("shift", shift)):
        try:
            t = torch.as_tensor(value if isinstance(value, torch.Tensor) else
                                as_numbers(value, name), dtype=x.dtype, device=x.device)
        except (TypeError, RuntimeError, ValueError) as e:
            raise ValueError(f"{name} must be numbers (one per image), got {value!r}: "
                             f"{e}") from None
        if not bool(torch.isfinite(t).all()):
            raise ValueError(f"{name} must be finite numbers, got {value!r}")
        values[name] = t
    angle, scale = values["angle"].reshape(-1), values["scale"].reshape(-1)
    if values["shift"].numel() % 2:
        raise ValueError(f"shift must hold (dx, dy) pairs, one per image, got shape "
                         f"{tuple(values['shift'].shape)}")
    shift = values["shift"].reshape(-1, 2)
    if not len(angle) == len(scale) == len(shift) == N:
        raise ValueError(f"angle, scale and shift need one entry per image ({N}), got "
                         f"{len(angle)}, {len(scale)}, {len(shift)}")
    if bool((scale <= 0).any()):
        raise ValueError("scale must be > 0")
    a = -torch.deg2rad(angle)   # y points down, so a counter-clockwise turn on screen is negative
    cos, sin = torch.cos(a) / scale, torch.sin(a) / scale
    # affine_grid maps output coordinates (x right, y down, in [-1, 1]) to input coordinates
    theta = torch.zeros(N, 2, 3, dtype=x.dtype, device=x.device)
    theta[:, 0, 0], theta[:, 0, 1] = cos, (H / W) * sin
    theta[:, 1, 0], theta[:, 1, 1] = -(W / H) * sin, cos
    t = torch.stack([shift[:, 0] * 2 / W, shift[:, 1] * 2 / H], dim=1)      # pixels -> [-1, 1]
    theta[:, :, 2] = -(theta[:, :, :2] @ t[:, :, None])[:, :, 0]
    grid = torch.nn.functional.affine_grid(theta, list(x.shape), align_corners=False)
    return torch.nn.functional.grid_sample(x, grid, mode="bilinear", padding_mode="border",
                                           align_corners=False)


def random_affine(x: torch.Tensor, max_shift: float = 2.0, max_rotation: float = 10.0,
                  max_scale: float = 0.1, generator: torch.Generator | None = None
                  ) -> torch.Tensor:
    """Random planar distortions (data augmentation), one per image, as LeCun et al. (1998) used.

    Shapes: (N, C, H, W) -> (N, C, H, W). Each image gets, uniformly at random, a rotation in
    [-max_rotation, max_rotation] degrees, a scale in [1 - max_scale, 1 + max_scale] and a shift
    in [-max_shift, max_shift] pixels along each axis (see :func:`affine_images`).
    """
    _check_images(x)
    for name, value in (("max_shift", max_shift), ("max_rotation", max_rotation),
                        ("max_scale", max_scale)):
        as_float(value, name)
    if min(max_shift, max_rotation, max_scale) < 0 or max_scale >= 1:
        raise ValueError("max_shift and max_rotation must be >= 0 and max_scale in [0, 1), got "
                         f"{max_shift}, {max_rotation}, {max_scale}")
    u = torch.rand(len(x), 4, generator=generator) * 2 - 1                  # uniform in [-1, 1)
    return affine_images(x, u[:, 0] * max_rotation, 1 + u[:, 1] * max_scale,
                         u[:, 2:] * max_shift)
