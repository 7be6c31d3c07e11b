"""Pretrained ImageNet networks, offline: build, load, preprocess, predict.

* :func:`pretrained_mobilenet_v2`: ``torchvision.models.mobilenet_v2()`` with torchvision's
  ImageNet weights (``IMAGENET1K_V1``: 3.5 M parameters, 71.9 % top-1), read from the hash-checked
  file that ``python tools/fetch_weights.py`` placed (:mod:`~course_utils.transfer.weights`),
  loaded with ``torch.load(..., weights_only=True)`` (tensors only, no code).
* :func:`pretrained_resnet18`: the same path for ResNet-18 (``FULL`` runs), whose weights come from
  torchvision's own cache, or the network when there is one.
* :func:`imagenet_classes`: the 1,000 class names, from torchvision's weight metadata (offline).
* :func:`imagenet_batch`: images → the normalised tensor the networks expect.
* :func:`predict_imagenet`: one photo → the top-k (class name, probability) pairs.

Preprocessing (torchvision's ImageNet recipe, at any size): RGB in [0, 1], resized (bilinear,
antialiased), normalised per channel, ``x' = (x - mean) / std`` with ImageNet's
``mean = (0.485, 0.456, 0.406)``, ``std = (0.229, 0.224, 0.225)``.
"""
from __future__ import annotations

import numpy as np

from .._validate import as_int, as_numbers, check_elements
from .weights import WeightsUnavailable, verified_weights_path

__all__ = ["IMAGENET_MEAN", "IMAGENET_STD", "pretrained_mobilenet_v2", "pretrained_resnet18",
           "imagenet_classes", "imagenet_batch", "predict_imagenet"]

IMAGENET_MEAN = (0.485, 0.456, 0.406)
IMAGENET_STD = (0.229, 0.224, 0.225)
MAX_SIDE = 1024  # the largest side an image is resized to here (a 2 GB machine)


def pretrained_mobilenet_v2():
    """torchvision's MobileNetV2 with its ImageNet weights, in eval mode, offline.

    Input (N, 3, H, W) normalised as :func:`imagenet_batch` does; output (N, 1000) logits.
    A missing or damaged weight file raises :class:`WeightsUnavailable` naming the file and the
    command that fetches it.
    """
    import torch
    from torchvision.models import mobilenet_v2

    path = verified_weights_path()
    try:
        state = torch.load(path, map_location="cpu", weights_only=True)
    except Exception as err:  # the hash matched, so this is a torch that cannot read the file
        raise WeightsUnavailable(f"the pretrained weights {path} passed their sha256 check but "
                                 f"torch.load could not read them ({type(err).__name__}: {err})"
                                 ) from err
    model = mobilenet_v2()
    model.load_state_dict(state)   # strict: every key must match
    return model.eval()


def pretrained_resnet18():
    """torchvision's ResNet-18 with its ImageNet weights (``IMAGENET1K_V1``), in eval mode.

    The weights come from torchvision's cache (``torch.hub.get_dir()/checkpoints``) or, when
    there is one, the network (44.7 MB); without either, :class:`WeightsUnavailable`. For
    ``FULL`` runs: the course's default network is :func:`pretrained_mobilenet_v2`.
    """
    from torchvision.models import ResNet18_Weights, resnet18

    try:
        model = resnet18(weights=ResNet18_Weights.IMAGENET1K_V1)
    except Exception as err:  # URLError, OSError from the offline guard, RuntimeError ...
        raise WeightsUnavailable(
            "ResNet-18's ImageNet weights are neither in torchvision's cache nor downloadable "
            f"({type(err).__name__}: {err}). Run once with a network, or use "
            "pretrained_mobilenet_v2() (its weights come with the course's set-up)") from err
    return model.eval()


def imagenet_classes() -> list[str]:
    """The 1,000 ImageNet class names, in the order of the networks' outputs.

    >>> names = imagenet_classes()
    >>> len(names), names[285], names[967]
    (1000, 'Egyptian cat', 'espresso')
    """
    from torchvision.models import MobileNet_V2_Weights

    return list(MobileNet_V2_Weights.IMAGENET1K_V1.meta["categories"])


def _as_image_batch(images, name: str) -> np.ndarray:
    """(N, H, W, 3) or (N, H, W) uint8 or float in [0, 1] -> float32 (N, H, W, 3) in [0, 1]."""
    a = as_numbers(images, name)
    if a.ndim == 3 and a.shape[-1] == 3:
        raise ValueError(f"{name} must be a batch (N, H, W, 3) or (N, H, W); shape {a.shape} looks "
                         f"like one RGB image: pass {name}[None] (or [image])")
    if a.ndim == 3:                         # gray batch (N, H, W) -> three equal channels
        a = a[..., None]
    if a.ndim != 4 or a.shape[-1] not in (1, 3) or min(a.shape[:3]) < 1:
        raise ValueError(f"{name} must be a batch of images (N, H, W, 3) RGB or (N, H, W) gray, "
                         f"with N, H, W >= 1, got shape {a.shape}")
    if a.dtype == np.uint8:
        return a
    a = a.astype(np.float32, copy=False)
    if not np.all(np.isfinite(a)) or a.min() < 0 or a.max() > 1:
        raise ValueError(f"{name} must be uint8 in 0..255 or floats in [0, 1], got values in "
                         f"[{np.nanmin(a):g}, {np.nanmax(a):g}]")
    return a


def imagenet_batch(images, size: int | None = None):
    """Images → the float32 tensor (N, 3, S, S) or (N, 3, H, W) an ImageNet network expects.

    ``images``: (N, H, W, 3) RGB or (N, H, W) gray, uint8 (0..255) or float in [0, 1].
    ``size``: None keeps H, W; an int resizes to size × size (bilinear, antialiased).
    Then ``x' = (x / 255 - mean) / std`` per channel (ImageNet's mean and std).
    """
    import torch
    import torch.nn.functional as F

    a = _as_image_batch(images, "images")
    n, h, w = a.shape[:3]
    if size is not None:
        size = as_int(size, "size", 8, MAX_SIDE)
        h = w = size
    check_elements(n * 3 * h * w, f"a batch of {n} images of 3 x {h} x {w}",
                   "pass fewer images at a time")
    x = torch.from_numpy(np.ascontiguousarray(a)).permute(0, 3, 1, 2)
    x = x.float() / 255.0 if a.dtype == np.uint8 else x.float()
    if x.shape[1] == 1:
        x = x.expand(-1, 3, -1, -1)
    if size is not None and x.shape[-2:] != (size, size):
        x = F.interpolate(x, size=(size, size), mode="bilinear", align_corners=False,
                          antialias=True)
    mean = torch.tensor(IMAGENET_MEAN).view(1, 3, 1, 1)
    std = torch.tensor(IMAGENET_STD).view(1, 3, 1, 1)
    return ((x - mean) / std).contiguous()


def _center_square(image: np.ndarray, side: int):
    """Resize so the shorter side is ``side`` (bilinear, antialiased), then crop the centre."""
    import torch
    import torch.nn.functional as F

    x = imagenet_batch(image[None])                       # (1, 3, H, W), normalised
    h, w = x.shape[-2:]
    scale = side / min(h, w)
    nh, nw = max(side, round(h * scale)), max(side, round(w * scale))
    x = F.interpolate(x, size=(nh, nw), mode="bilinear", align_corners=False, antialias=True)
    top, left = (nh - side) // 2, (nw - side) // 2
    return torch.Tensor.contiguous(x[:, :, top:top + side, left:left + side])


def predict_imagenet(image, top: int = 5, model=None, size: int = 224) -> list[tuple[str, float]]:
    """The ``top`` most probable ImageNet classes for one photo: [(class name, probability), ...].

    ``image``: (H, W, 3) RGB (or (H, W) gray), uint8 or float in [0, 1]. It is resized so the
    shorter side is ``size`` and centre-cropped to size × size (torchvision's recipe), then
    ``p = softmax(model(x))``. ``model``: None for :func:`pretrained_mobilenet_v2`, or any
    network with 1,000 ImageNet outputs.
    """
    import torch

    img = as_numbers(image, "image")
    if img.ndim not in (2, 3) or (img.ndim == 3 and img.shape[2] != 3):
        raise ValueError(f"image must be one (H, W, 3) RGB or (H, W) gray image, got shape "
                         f"{img.shape}")
    top = as_int(top, "top", 1, 1000)
    size = as_int(size, "size", 32, MAX_SIDE)
    x = _center_square(img, size)
    model = pretrained_mobilenet_v2() if model is None else model
    if not isinstance(model, torch.nn.Module):
        raise ValueError(f"model must be None or a torch.nn.Module, got {type(model).__name__}")
    was_training = model.training
    model.eval()
    try:
        with torch.no_grad():
            logits = model(x)
    finally:
        model.train(was_training)
    if logits.shape != (1, 1000):
        raise ValueError(f"model must output 1,000 ImageNet logits, got shape {tuple(logits.shape)}")
    p = torch.softmax(logits[0].double(), dim=0)
    values, indices = p.topk(top)
    names = imagenet_classes()
    return [(names[i], float(v)) for v, i in zip(values.tolist(), indices.tolist())]
