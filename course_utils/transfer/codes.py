"""CNN codes: the activations of a pretrained network's stage, pooled, as features.

"Remove the last fully connected layer and treat the rest of the network as a fixed feature
extractor": what the network computes just before its classifier is the **CNN code** of an image
(1,280 numbers for MobileNetV2, 512 for ResNet-18, 4,096 for AlexNet's fc7). Any earlier stage
gives codes too: its feature map ``(N, C, h, w)``, averaged over space, ``code_c = mean_{i,j}
a_{c,i,j}``, is a C-dimensional code, more generic (edges, colours, textures) the earlier the
stage.

* :func:`stage_names`: the stages of a network, in order (``features.0`` ... ``features.18``,
  ``classifier`` for MobileNetV2; ``conv1``, ``bn1``, ..., ``layer4``, ``avgpool``, ``fc`` for a
  ResNet).
* :func:`cnn_codes`: codes of a batch of images at one stage, computed in mini-batches under
  ``torch.no_grad()``; the forward pass stops at that stage.
"""
from __future__ import annotations

import numpy as np

from .._validate import as_int, check_elements
from .pretrained import MAX_SIDE, imagenet_batch

__all__ = ["CODES", "stage_names", "stage_module", "cnn_codes"]

CODES = "codes"
"""The ``layer`` name of the network's own CNN code: the input of its last layer (the
classifier), i.e. the last stage's output, pooled."""


class _Stop(Exception):
    """Raised by the hook to end the forward pass once the wanted stage has run."""


def stage_names(model) -> list[str]:
    """The network's stages, in forward order: its top-level children, with a ``features``
    sequence (MobileNet, AlexNet, VGG) listed block by block (``features.0``, ``features.1``, ...).

    >>> from torchvision.models import mobilenet_v2
    >>> names = stage_names(mobilenet_v2())
    >>> names[:2], names[-2:], len(names)
    (['features.0', 'features.1'], ['features.18', 'classifier'], 20)
    """
    import torch

    if not isinstance(model, torch.nn.Module):
        raise ValueError(f"model must be a torch.nn.Module (e.g. pretrained_mobilenet_v2()), "
                         f"got {type(model).__name__}")
    names = []
    for name, child in model.named_children():
        if name == "features" and isinstance(child, torch.nn.Sequential):
            names += [f"features.{i}" for i in range(len(child))]
        else:
            names.append(name)
    if not names:
        raise ValueError("model has no stages (no child modules)")
    return names


def _code_stage(model) -> str:
    """The stage whose pooled output is the CNN code: the last stage before the classifier."""
    names = [n for n in stage_names(model)
             if n not in ("classifier", "fc", "avgpool", "dropout", "flatten")]
    return names[-1]


def stage_module(model, layer: str):
    """The module of stage ``layer`` (a name from :func:`stage_names`, or ``"codes"``)."""
    names = stage_names(model)
    if layer == CODES:
        layer = _code_stage(model)
    if not isinstance(layer, str) or layer not in names:
        raise ValueError(f"layer must be {CODES!r} or one of the model's stages "
                         f"({names[0]!r} ... {names[-1]!r}), got {layer!r}")
    return model.get_submodule(layer)


def cnn_codes(model, images, layer: str | list[str] | tuple[str, ...] = CODES,
              size: int | None = 96, batch_size: int = 64):
    """Pooled activations of stage ``layer`` for every image: float32 (N, C).

    ``images``: (N, H, W, 3) RGB or (N, H, W) gray, uint8 or float in [0, 1]; each is resized to
    ``size`` x ``size`` (None: kept) and normalised as for ImageNet (:func:`imagenet_batch`).
    ``layer``: ``"codes"`` (the input of the classifier: 1,280-D for MobileNetV2) or a stage name
    from :func:`stage_names`; a list of them gives a dict {name: codes}, from one forward pass.
    The stage's output (N, C, h, w) is averaged over h and w (a (N, C) output is kept as it is).
    The model runs in eval mode under ``torch.no_grad()``, ``batch_size`` images at a time, and
    stops after the last stage asked for.
    """
    import torch

    stage_names(model)                                   # checks the model
    several = isinstance(layer, (list, tuple))
    wanted = list(layer) if several else [layer]
    if not wanted or len(set(map(str, wanted))) != len(wanted):
        raise ValueError(f"layer must be a stage name or a non-empty list of distinct ones, got "
                         f"{layer!r}")
    modules = {name: stage_module(model, name) for name in wanted}
    n = len(images) if hasattr(images, "__len__") and not isinstance(images, (str, bytes)) else 0
    if n < 1:
        raise ValueError("images must be a non-empty batch (N, H, W, 3) or (N, H, W)")
    if size is not None:
        size = as_int(size, "size", 8, MAX_SIDE)
    batch_size = as_int(batch_size, "batch_size", 1, 4096)
    first = imagenet_batch(images[:1], size)            # checks the images' shape and values
    check_elements(min(batch_size, n) * first[0].numel(), f"a batch of {batch_size} images",
                   "lower batch_size")
    found: dict[str, object] = {}
    handles = []
    for name, module in modules.items():
        def hook(_module, _inputs, output, name=name):
            found[name] = output
            if len(found) == len(wanted):
                raise _Stop
        handles.append(module.register_forward_hook(hook))
    was_training = model.training
    model.eval()
    out: dict[str, np.ndarray] = {}
    try:
        with torch.no_grad():
            for start in range(0, n, batch_size):
                x = imagenet_batch(images[start:start + batch_size], size)
                found.clear()
                try:
                    model(x)
                except _Stop:
                    pass
                for name in wanted:
                    a = found[name]
                    if a.ndim == 4:
                        a = a.mean(dim=(2, 3))
                    elif a.ndim != 2:
                        raise ValueError(f"stage {name!r} outputs shape {tuple(a.shape)}; codes "
                                         "need (N, C, h, w) or (N, C)")
                    if name not in out:
                        check_elements(n * a.shape[1], f"codes of {n} images at {name!r}",
                                       "pass fewer images")
                        out[name] = np.empty((n, a.shape[1]), dtype=np.float32)
                    out[name][start:start + len(a)] = a.numpy()
    finally:
        for handle in handles:
            handle.remove()
        model.train(was_training)
    return out if several else out[wanted[0]]
