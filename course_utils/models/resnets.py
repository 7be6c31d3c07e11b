"""Small plain and residual networks of a chosen depth, for the degradation experiment (notebook 07).

He et al. (2016) observed that a deeper *plain* stack of layers can reach a *higher training loss*
than a shallower one (the "degradation" problem), and that adding identity shortcuts,
``y = relu(x + F(x))``, removes it. These builders make the two kinds of network at laptop scale,
with the same widths and the same number of weight layers, so the only difference is the shortcut.

Depth counts **weight layers** (convolutions and the final fully connected layer), as the paper
does ("ResNet-34" has 33 convolutions + 1 FC):

* ``plain_net(depth)``:    stem conv → (depth - 2) × [conv 3×3 → ReLU] → average pool → FC
* ``residual_net(depth)``: stem conv → (depth - 2) / 2 × BasicBlock → average pool → FC,
  with BasicBlock ``x ↦ relu(x + conv(relu(conv(x))))`` (the identity shortcut of ResNet-18/34).

Options shared by both: ``width`` (channels of every conv), ``norm`` (None or "batch": BatchNorm
after each conv, as He et al. used), ``init`` ("default": PyTorch's own, what ``nn.Conv2d`` gives
you; "he": N(0, 2/fan_in)), ``pool`` (the head averages each map to pool×pool; 1 = global).

Every convolution is 3×3, stride 1, padding 1, so the spatial size never changes:
``(N, C_in, H, W) → (N, width, H, W) → ... → (N, num_classes)`` logits; only the stem may have
stride 2 (``stem_stride=2``, as ResNet's stem), which halves H and W once, at the start.

Also here: :func:`weight_layers` and :func:`layer_grad_norms`, which list the weight layers in
order and the norm of each one's gradient after a backward pass (what explains the training curves:
in a deep plain net without normalisation the gradient reaching the first layers is tiny),
:func:`grad_norms_at_init`, and :func:`grad_norms_by_setting`, the experiment behind notebook 07's
depth explorer (both nets of one setting, on one batch).
"""
from __future__ import annotations

import math

import torch
from torch import nn

from .._validate import MAX_ELEMENTS, as_int

__all__ = ["BasicBlock", "plain_net", "residual_net", "weight_layers", "count_weight_layers",
           "layer_grad_norms", "grad_norms_at_init", "grad_norms_by_setting"]

_NORMS = (None, "batch")
_ACTIVATIONS = {"relu": nn.ReLU, "tanh": nn.Tanh, "sigmoid": nn.Sigmoid}
_INITS = ("he", "default")


def _check(depth, width, in_channels, num_classes, norm, init, min_depth: int, kind: str) -> None:
    for name, value, low in (("depth", depth, min_depth), ("width", width, 1),
                             ("in_channels", in_channels, 1), ("num_classes", num_classes, 1)):
        if isinstance(value, bool) or not isinstance(value, int) or value < low:
            raise ValueError(f"{kind}: {name} must be an integer >= {low}, got {value!r}")
    if norm not in _NORMS:
        raise ValueError(f"{kind}: norm must be one of {_NORMS} (None: no normalisation, "
                         f"'batch': BatchNorm2d after each conv), got {norm!r}")
    if init not in _INITS:
        raise ValueError(f"{kind}: init must be one of {_INITS} ('he': N(0, 2/fan_in) as in He et "
                         f"al. 2015, 'default': PyTorch's own), got {init!r}")


MAX_DEPTH = 1000
"""The deepest network the builders make (ResNet-1001, He et al. 2016, is about this deep)."""


def _check_size(depth, width, in_channels, num_classes, pool, kind: str) -> None:
    """Count the parameters before building anything:
    (9 c_in w + w) + (depth - 2)(9 w² + w) + (w p² K + K)."""
    if depth > MAX_DEPTH:
        raise ValueError(f"{kind}: depth must be at most {MAX_DEPTH}, got {depth:,}")
    count = ((9 * in_channels * width + width) + (depth - 2) * (9 * width * width + width)
             + (width * pool * pool * num_classes + num_classes))
    if count > MAX_ELEMENTS:
        raise ValueError(f"{kind}: depth={depth}, width={width}, pool={pool}, "
                         f"num_classes={num_classes} would make {count:,} parameters, more than "
                         f"the {MAX_ELEMENTS:,} values one model may hold here (a 2 GB Binder pod)")


def _check_pool(pool, kind: str) -> None:
    if isinstance(pool, bool) or not isinstance(pool, int) or pool < 1:
        raise ValueError(f"{kind}: pool (the head's average-pool output size) must be an integer "
                         f">= 1 and at most the input's height and width, got {pool!r}")


def _check_stride(stride, kind: str) -> None:
    if stride not in (1, 2) or isinstance(stride, bool):
        raise ValueError(f"{kind}: stem_stride must be 1 (keep the input's size) or 2 (halve it, "
                         f"like ResNet's stem), got {stride!r}")


def _check_builder(depth, width, in_channels, num_classes, norm, init, pool, stem_stride,
                   min_depth: int, kind: str) -> None:
    """Every check a builder makes before building anything, in order."""
    _check(depth, width, in_channels, num_classes, norm, init, min_depth, kind)
    _check_pool(pool, kind)
    _check_size(depth, width, in_channels, num_classes, pool, kind)
    _check_stride(stem_stride, kind)


def _conv(c_in: int, c_out: int, norm: str | None, stride: int = 1) -> nn.Conv2d:
    """3×3 convolution, padding 1: (N, c_in, H, W) -> (N, c_out, H, W) with stride 1, or
    (N, c_out, ceil(H/2), ceil(W/2)) with stride 2 (the stem's option).

    With batch norm following it, the conv's bias is redundant (BN subtracts the mean), so none.
    """
    return nn.Conv2d(c_in, c_out, 3, stride=stride, padding=1, bias=norm is None)


def _norm(c: int, norm: str | None) -> nn.Module:
    return nn.BatchNorm2d(c) if norm == "batch" else nn.Identity()


class BasicBlock(nn.Module):
    """ResNet's basic block with an identity shortcut (two weight layers).

    Shape: (N, C, H, W) -> (N, C, H, W).
    Math:  y = relu(x + F(x)),  F(x) = BN(conv2(relu(BN(conv1(x)))))  (BN = identity when norm=None)

    Because the shortcut adds ``x`` unchanged, dL/dx = dL/dy·(1 + dF/dx) (through the ReLU): the
    gradient always has a direct path back to earlier layers, however small dF/dx is.
    """

    def __init__(self, channels: int, norm: str | None = None):
        super().__init__()
        channels = as_int(channels, "channels", 1)
        if 18 * channels * channels > MAX_ELEMENTS:
            raise ValueError(f"channels={channels:,} would make {18 * channels**2:,} weights, more "
                             f"than the {MAX_ELEMENTS:,} values one model may hold here")
        if norm not in _NORMS:
            raise ValueError(f"norm must be one of {_NORMS}, got {norm!r}")
        self.conv1, self.bn1 = _conv(channels, channels, norm), _norm(channels, norm)
        self.conv2, self.bn2 = _conv(channels, channels, norm), _norm(channels, norm)
        self.relu = nn.ReLU()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = self.relu(self.bn1(self.conv1(x)))   # (N, C, H, W)
        out = self.bn2(self.conv2(out))            # (N, C, H, W)
        return self.relu(x + out)                  # identity shortcut


def _stem(c_in: int, width: int, norm: str | None, stride: int, act) -> list[nn.Module]:
    # the first conv (stride 1 or 2), its norm and activation: (N, c_in, H, W) -> (N, width, ., .)
    return [_conv(c_in, width, norm, stride), _norm(width, norm), act()]


def _head(width: int, num_classes: int, pool: int) -> list[nn.Module]:
    # average pool to pool×pool: (N, width, H, W) -> (N, width·pool²), then FC -> (N, num_classes)
    return [nn.AdaptiveAvgPool2d(pool), nn.Flatten(), nn.Linear(width * pool * pool, num_classes)]


def _init(model: nn.Module, init: str) -> nn.Module:
    """'he': every weight ~ N(0, 2 / fan_in) (He et al. 2015, keeps ReLU activations' variance
    constant from layer to layer), biases 0; 'default': PyTorch's own initialisation."""
    if init == "he":
        for m in model.modules():
            if isinstance(m, (nn.Conv2d, nn.Linear)):
                nn.init.kaiming_normal_(m.weight, mode="fan_in", nonlinearity="relu")
                if m.bias is not None:
                    nn.init.zeros_(m.bias)
    return model


def plain_net(depth: int, width: int = 16, in_channels: int = 1, num_classes: int = 10,
              norm: str | None = None, init: str = "default", pool: int = 1,
              activation: str = "relu", stem_stride: int = 1) -> nn.Sequential:
    """A plain stack of ``depth`` weight layers: ``depth - 1`` 3×3 convs (each followed by the
    activation) and one FC layer after average pooling to ``pool``×``pool``.

    Shape: (N, in_channels, H, W) -> (N, num_classes) logits; every conv keeps H×W (except a
    stem with ``stem_stride=2``, which halves it once), and the head averages each map over a
    ``pool``×``pool`` grid of regions (``pool=1``: global average pooling).
    Parameters (norm=None): (9·in_channels·width + width) + (depth - 2)·(9·width² + width)
    + (width·pool²·num_classes + num_classes).
    ``activation``: "relu" (default), "tanh" or "sigmoid" (for AlexNet's ReLU-vs-tanh argument).

    >>> net = plain_net(4, width=8)
    >>> count_weight_layers(net), tuple(net(torch.zeros(2, 1, 14, 14)).shape)
    (4, (2, 10))
    """
    _check_builder(depth, width, in_channels, num_classes, norm, init, pool, stem_stride, 2,
                   "plain_net")
    if activation not in _ACTIVATIONS:
        raise ValueError(f"plain_net: activation must be one of {tuple(_ACTIVATIONS)}, "
                         f"got {activation!r}")
    act = _ACTIVATIONS[activation]
    layers = _stem(in_channels, width, norm, stem_stride, act)
    for _ in range(depth - 2):
        layers += [_conv(width, width, norm), _norm(width, norm), act()]
    return _init(nn.Sequential(*layers, *_head(width, num_classes, pool)), init)


def residual_net(depth: int, width: int = 16, in_channels: int = 1, num_classes: int = 10,
                 norm: str | None = None, init: str = "default", pool: int = 1,
                 stem_stride: int = 1, zero_init_residual: bool = False) -> nn.Sequential:
    """A stem conv, ``(depth - 2) / 2`` :class:`BasicBlock` s with identity shortcuts, then average
    pooling to ``pool``×``pool`` and one FC layer: ``depth`` weight layers, the same ones as
    ``plain_net(depth, ...)`` with the same options (hence the same parameter count), plus the
    shortcuts, which have no parameters.

    Shape: (N, in_channels, H, W) -> (N, num_classes) logits. ``depth`` must be even and >= 4.

    ``zero_init_residual=True`` sets the last layer of every block's branch to 0 (the batch norm's
    scale γ with ``norm="batch"``, else the second conv's weights and bias), so that every block
    starts as the identity, ``y = relu(x + 0) = x``, and the net starts as its stem and head
    (Goyal et al. 2017; torchvision's ``resnet*(zero_init_residual=True)``). Without it, the
    variance of ``x + F(x)`` grows with every block at initialisation.

    >>> net = residual_net(8, width=8)
    >>> count_weight_layers(net), tuple(net(torch.zeros(2, 1, 14, 14)).shape)
    (8, (2, 10))
    """
    _check_builder(depth, width, in_channels, num_classes, norm, init, pool, stem_stride, 4,
                   "residual_net")
    if depth % 2:
        raise ValueError(f"residual_net: depth counts the stem conv, two convs per block and the "
                         f"FC layer, so it must be even (4, 6, 8, ...), got {depth}")
    if not isinstance(zero_init_residual, bool):
        raise ValueError(f"residual_net: zero_init_residual must be True or False, "
                         f"got {zero_init_residual!r}")
    layers = _stem(in_channels, width, norm, stem_stride, nn.ReLU)
    blocks = [BasicBlock(width, norm) for _ in range((depth - 2) // 2)]
    model = _init(nn.Sequential(*layers, *blocks, *_head(width, num_classes, pool)), init)
    if zero_init_residual:
        for block in blocks:
            last = block.bn2 if norm == "batch" else block.conv2
            nn.init.zeros_(last.weight)
            if getattr(last, "bias", None) is not None:
                nn.init.zeros_(last.bias)
    return model


def weight_layers(model: nn.Module) -> list[tuple[str, nn.Module]]:
    """The model's convolutions and fully connected layers, as (name, module), in forward order
    (the order they were registered, which is the forward order for these builders and for
    torchvision's AlexNet, VGG and ResNet, apart from ResNet's 1×1 downsample convs)."""
    if not isinstance(model, nn.Module):
        raise ValueError(f"expected a torch.nn.Module, got {type(model).__name__}")
    return [(name, m) for name, m in model.named_modules()
            if isinstance(m, (nn.Conv1d, nn.Conv2d, nn.Conv3d, nn.Linear))]


def count_weight_layers(model: nn.Module) -> int:
    """How many weight layers (convs + FC) ``model`` has: the "depth" of He et al.

    >>> count_weight_layers(plain_net(20)), count_weight_layers(residual_net(20))
    (20, 20)
    """
    return len(weight_layers(model))


def layer_grad_norms(model: nn.Module, relative: bool = False) -> list[float]:
    """The Frobenius norm of each weight layer's weight gradient, ``||dL/dW_l||``, in forward order.

    Call it after ``loss.backward()``. With ``relative=True`` each is divided by the layer's weight
    norm, ``||dL/dW_l|| / ||W_l||``: the relative size of an SGD step for that layer (lr aside).

    Returns a list with one float per entry of :func:`weight_layers`. Raises ``ValueError`` when
    a layer has no gradient yet (no backward pass since the gradients were cleared).
    """
    norms = []
    for name, m in weight_layers(model):
        if m.weight.grad is None:
            raise ValueError(f"layer {name!r} has no gradient: call loss.backward() first "
                             "(and don't zero the gradients with set_to_none before reading them)")
        g = float(m.weight.grad.detach().norm())
        if relative:
            w = float(m.weight.detach().norm())
            g = g / w if w > 0 else math.inf
        norms.append(g)
    return norms


def grad_norms_at_init(model: nn.Module, X: torch.Tensor, y: torch.Tensor) -> list[float]:
    """Per-layer gradient norms ``||dL/dW_l||`` of the cross-entropy loss on one batch (X, y),
    for the model's current weights (e.g. freshly initialised). The model's gradients are
    cleared before and after; it is left in training mode.

    Shapes: X (N, C, H, W) on the model's device, y (N,) int64 -> list of len(weight_layers(model)).
    """
    if not isinstance(X, torch.Tensor) or not X.is_floating_point():
        raise ValueError(f"X must be a float torch tensor (N, C, H, W), got {type(X).__name__}"
                         + (f" of dtype {X.dtype}" if isinstance(X, torch.Tensor) else ""))
    if not (isinstance(y, torch.Tensor) and y.dtype == torch.int64 and y.ndim == 1):
        raise ValueError(f"y must be int64 class labels of shape (N,), got {type(y).__name__}"
                         + (f" {y.dtype} of shape {tuple(y.shape)}" if isinstance(y, torch.Tensor)
                            else ""))
    if len(X) != len(y):
        raise ValueError(f"X has {len(X)} examples but y has {len(y)} labels")
    model.train()
    model.zero_grad(set_to_none=True)
    logits = model(X)
    if len(y) and (int(y.min()) < 0 or int(y.max()) >= logits.shape[1]):
        raise ValueError(f"y must be class labels in [0, {logits.shape[1]}) for this model's "
                         f"{logits.shape[1]} outputs, got {int(y.min())} to {int(y.max())}")
    torch.nn.functional.cross_entropy(logits, y).backward()
    norms = layer_grad_norms(model)
    model.zero_grad(set_to_none=True)
    return norms


DEPTH_EXPERIMENT = dict(pool=2, stem_stride=2)
"""The architecture options of notebook 07's depth experiment, beyond depth, width and norm: a
stride-2 stem and a head pooled to 2×2 (what :func:`grad_norms_by_setting` builds)."""


def grad_norms_by_setting(X: torch.Tensor, y: torch.Tensor, depth: int, init: str, norm: str,
                          width: int, seed: int) -> dict[str, list[float]]:
    """Per-layer gradient norms at initialisation of a plain and a residual net of one setting, on
    one batch: ``{"plain-<depth>": [...], "residual-<depth>": [...]}`` (see :func:`grad_norms_at_init`).

    Both nets are built with :data:`DEPTH_EXPERIMENT` (``norm``: "none" or "batch"; ``init``:
    "default" or "he"), their weights drawn from a torch generator seeded by ``seed``, without
    touching the global random state. Nothing is cached here: a caller that revisits settings (the
    depth explorer) keeps the results, keyed by the setting.

    Shapes: X (N, C, H, W) float, y (N,) int64.
    """
    if norm not in ("none", "batch"):
        raise ValueError(f"norm must be 'none' or 'batch', got {norm!r}")
    norms = {}
    with torch.random.fork_rng():
        torch.manual_seed(seed)
        for kind, build in (("plain", plain_net), ("residual", residual_net)):
            net = build(depth, width=width, in_channels=X.shape[1], norm=None if norm == "none"
                        else "batch", init=init, **DEPTH_EXPERIMENT)
            norms[f"{kind}-{depth}"] = grad_norms_at_init(net, X, y)
    return norms
