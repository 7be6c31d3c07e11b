"""LeNet-5 (LeCun, Bottou, Bengio & Haffner, 1998), classic and modern.

Layer by layer, for one (1, 32, 32) digit (channels, height, width):

=====  ===========================================  ============  ==================================
layer  operation                                    output        parameters
=====  ===========================================  ============  ==================================
C1     5x5 convolution, 6 maps                      (6, 28, 28)   6 * (25 + 1) = 156
S2     2x2 subsampling, stride 2                    (6, 14, 14)   classic: 2 * 6 = 12; max pool: 0
C3     5x5 convolution, 16 maps                     (16, 10, 10)  full: 16 * (6 * 25 + 1) = 2,416;
                                                                  LeCun's table: 1,516
S4     2x2 subsampling, stride 2                    (16, 5, 5)    classic: 2 * 16 = 32; max pool: 0
C5     5x5 convolution, 120 maps                    (120, 1, 1)   120 * (16 * 25 + 1) = 48,120
F6     fully connected                              (84,)         84 * (120 + 1) = 10,164
out    fully connected                              (10,)         10 * (84 + 1) = 850
=====  ===========================================  ============  ==================================

Classic (``variant="classic"``): every layer up to F6 is followed by LeCun's "sigmoid" squashing
function ``f(a) = 1.7159 tanh(2a/3)`` (Appendix A of the paper), and S2/S4 are *trainable
subsampling*: the sum of each 2x2 window times one trainable coefficient per map, plus one
trainable bias per map (:class:`TrainableSubsampling`), then the squashing. The paper's output
layer is 10 Euclidean RBF units with fixed codes; here it is a plain linear layer giving logits
for cross-entropy (same 850 parameters as a trainable layer would have).
Modern (``variant="modern"``): ReLU after every layer up to F6 and 2x2 max pooling for S2/S4.
"""
from __future__ import annotations

import torch
from torch import nn
from torch.nn import functional as F

from .._validate import MAX_ELEMENTS, as_int, check_elements

__all__ = ["LeNet5", "TrainableSubsampling", "ConnectionTableConv2d", "LENET_C3_TABLE",
           "lecun_tanh", "LENET_LAYERS"]

LENET_C3_TABLE: tuple[tuple[int, ...], ...] = (
    (0, 1, 2), (1, 2, 3), (2, 3, 4), (3, 4, 5), (4, 5, 0), (5, 0, 1),          # 3 neighbours
    (0, 1, 2, 3), (1, 2, 3, 4), (2, 3, 4, 5), (3, 4, 5, 0), (4, 5, 0, 1), (5, 0, 1, 2),
    (0, 1, 3, 4), (1, 2, 4, 5), (0, 2, 3, 5),                                   # 4, not neighbours
    (0, 1, 2, 3, 4, 5),                                                         # all six
)
"""LeCun et al. (1998), Table I: the S2 maps each C3 map reads (C3 map k reads LENET_C3_TABLE[k])."""

LENET_LAYERS = (("C1: conv 5×5", 5, 1), ("S2: pool 2×2, stride 2", 2, 2), ("C3: conv 5×5", 5, 1),
                ("S4: pool 2×2, stride 2", 2, 2), ("C5: conv 5×5", 5, 1))
"""LeNet-5's spatial layers as (name, window f, stride s), no padding."""


def lecun_tanh(a: torch.Tensor) -> torch.Tensor:
    """LeNet-5's squashing function f(a) = 1.7159 tanh(2a / 3) (so f(1) = 1, f(-1) = -1)."""
    if not isinstance(a, torch.Tensor):
        raise ValueError(f"a must be a torch tensor, got {type(a).__name__}; convert with "
                         "torch.as_tensor")
    return 1.7159 * torch.tanh(a * (2.0 / 3.0))


class TrainableSubsampling(nn.Module):
    """LeNet-5's S2/S4: per map, the sum of each 2x2 window, times a coefficient, plus a bias.

    Shapes: (N, C, H, W) -> (N, C, H // 2, W // 2); parameters ``coefficient`` (C,) and
    ``bias`` (C,), so 2C in all (S2: 12, S4: 32).
    Math: out[n, c, i, j] = coefficient[c] * sum_{u, v in {0, 1}} x[n, c, 2i + u, 2j + v] + bias[c]
    (the squashing function is applied by the model, after this layer).
    """

    def __init__(self, channels: int, size: int = 2):
        super().__init__()
        if isinstance(channels, bool) or not isinstance(channels, int) or channels < 1:
            raise ValueError(f"channels must be a positive integer, got {channels!r}")
        if isinstance(size, bool) or not isinstance(size, int) or size < 1:
            raise ValueError(f"size (the window side) must be a positive integer, got {size!r}")
        check_elements(2 * channels, f"the parameters of {channels:,} channels", "use fewer channels")
        self.size = size
        self.coefficient = nn.Parameter(torch.full((channels,), 1.0 / size**2))  # start: the mean
        self.bias = nn.Parameter(torch.zeros(channels))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if x.ndim != 4 or x.shape[1] != len(self.bias):
            raise ValueError(f"expected input (N, {len(self.bias)}, H, W), got {tuple(x.shape)}")
        window_sum = F.avg_pool2d(x, self.size) * self.size**2                # (N, C, H/2, W/2)
        return window_sum * self.coefficient.view(1, -1, 1, 1) + self.bias.view(1, -1, 1, 1)

    def extra_repr(self) -> str:
        return f"channels={len(self.bias)}, size={self.size}"


class ConnectionTableConv2d(nn.Module):
    """A convolution in which output map k sees only the input maps ``table[k]`` (LeNet-5's C3).

    Shapes: (N, C_in, H, W) -> (N, len(table), H - K + 1, W - K + 1); parameters: one K x K
    kernel per (output map, connected input map) pair, ``weight`` (sum_k |table[k]|, K, K),
    and ``bias`` (len(table),). With LeCun's table: 60 * 25 + 16 = 1,516 parameters
    (a full 6 -> 16 convolution has 16 * 6 * 25 + 16 = 2,416).
    Math: out[n, k] = bias[k] + sum_{c in table[k]} w[k, c] * x[n, c]  (cross-correlation *).
    """

    def __init__(self, in_channels: int, table=LENET_C3_TABLE, kernel_size: int = 5):
        super().__init__()
        in_channels = as_int(in_channels, "in_channels", 1)
        kernel_size = as_int(kernel_size, "kernel_size", 1)
        if isinstance(table, (str, bytes)) or not hasattr(table, "__len__") or not len(table):
            raise ValueError(f"table must list, for each output map, the input maps it reads; "
                             f"got {table!r}")
        for k, inputs in enumerate(table):
            if not isinstance(inputs, (tuple, list)) or any(
                    isinstance(c, bool) or not isinstance(c, int) for c in inputs):
                raise ValueError(f"table[{k}] = {inputs!r}: each entry must be a tuple of input "
                                 "map indices")
            if not inputs or any(not 0 <= c < in_channels for c in inputs) or \
                    len(set(inputs)) != len(inputs):
                raise ValueError(f"table[{k}] = {inputs}: each entry must list distinct input "
                                 f"maps in 0..{in_channels - 1}")
        check_elements(sum(map(len, table)) * kernel_size**2, f"the weights of {len(table)} maps "
                       f"with kernel_size={kernel_size}", "use a smaller kernel_size")
        self.in_channels, self.out_channels = in_channels, len(table)
        self.kernel_size, self.table = kernel_size, tuple(tuple(t) for t in table)
        pairs = [k * in_channels + c for k, inputs in enumerate(table) for c in inputs]
        self.register_buffer("index", torch.tensor(pairs, dtype=torch.long), persistent=False)
        fan_in = torch.tensor([len(table[k]) for k, inputs in enumerate(table) for _ in inputs])
        bound = (1.0 / (fan_in * kernel_size**2)).sqrt().view(-1, 1, 1)   # like nn.Conv2d's init
        self.weight = nn.Parameter((torch.rand(len(pairs), kernel_size, kernel_size) * 2 - 1)
                                   * bound)
        fan_in_map = torch.tensor([len(t) for t in table], dtype=torch.float32)
        self.bias = nn.Parameter((torch.rand(len(table)) * 2 - 1)
                                 / (fan_in_map * kernel_size**2).sqrt())

    def full_weight(self) -> torch.Tensor:
        """The equivalent dense kernel (out, in, K, K), zero where the table has no connection."""
        K = self.kernel_size
        full = self.weight.new_zeros(self.out_channels * self.in_channels, K, K)
        full = full.index_copy(0, self.index, self.weight)
        return full.view(self.out_channels, self.in_channels, K, K)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return F.conv2d(x, self.full_weight(), self.bias)

    def extra_repr(self) -> str:
        return (f"{self.in_channels}, {self.out_channels}, kernel_size={self.kernel_size}, "
                f"connections={len(self.index)}")


class LeNet5(nn.Module):
    """LeNet-5. Shape: (N, in_channels, 32, 32) -> (N, num_classes) logits (default (N, 1, 32, 32)
    -> (N, 10)).

    ``variant``: "classic" (scaled-tanh squashing, trainable subsampling) or "modern" (ReLU,
    max pooling). ``c3``: "full" (every C3 map reads all 6 S2 maps: 2,416 parameters) or
    "lecun" (the connection table of the paper: 1,516). Parameter totals: classic/full 61,750,
    classic/lecun 60,850, modern/full 61,706, modern/lecun 60,806. ``in_channels`` (1 for grey
    digits, 3 for colour images) only changes C1: each of its 6 kernels becomes
    in_channels x 5 x 5, so C1 has 6 * (25 * in_channels + 1) parameters (456 for colour, 300
    more than for grey).
    Layers (attributes): c1, s2, c3, s4, c5, f6, output; :meth:`features` returns every
    layer's output.
    """

    VARIANTS = ("classic", "modern")
    C3_OPTIONS = ("full", "lecun")

    def __init__(self, variant: str = "classic", c3: str = "full", num_classes: int = 10,
                 in_channels: int = 1):
        super().__init__()
        if variant not in self.VARIANTS:
            raise ValueError(f"variant must be one of {self.VARIANTS}, got {variant!r}")
        if c3 not in self.C3_OPTIONS:
            raise ValueError(f"c3 must be one of {self.C3_OPTIONS}, got {c3!r}")
        num_classes = as_int(num_classes, "num_classes", 1, MAX_ELEMENTS // 85)
        in_channels = as_int(in_channels, "in_channels", 1, 1024)
        self.variant, self.c3_mode = variant, c3
        classic = variant == "classic"
        self.c1 = nn.Conv2d(in_channels, 6, 5)                                         # (N, 6, 28, 28)
        self.s2 = TrainableSubsampling(6) if classic else nn.MaxPool2d(2)              # (N, 6, 14, 14)
        self.c3 = nn.Conv2d(6, 16, 5) if c3 == "full" else ConnectionTableConv2d(6)    # (N, 16, 10, 10)
        self.s4 = TrainableSubsampling(16) if classic else nn.MaxPool2d(2)             # (N, 16, 5, 5)
        self.c5 = nn.Conv2d(16, 120, 5)                                                # (N, 120, 1, 1)
        self.f6 = nn.Linear(120, 84)                                                   # (N, 84)
        self.output = nn.Linear(84, num_classes)                                       # (N, 10)

    def _act(self, a: torch.Tensor) -> torch.Tensor:
        return lecun_tanh(a) if self.variant == "classic" else F.relu(a)

    def features(self, x: torch.Tensor) -> dict[str, torch.Tensor]:
        """Every layer's output (after its squashing/ReLU): keys C1, S2, C3, S4, C5, F6, output."""
        if not isinstance(x, torch.Tensor):
            raise ValueError(f"x must be a torch tensor (N, C, 32, 32), got {type(x).__name__}; "
                             "convert with torch.as_tensor")
        c = self.c1.in_channels
        if x.ndim != 4 or tuple(x.shape[1:]) != (c, 32, 32):
            raise ValueError(f"this LeNet-5 takes (N, {c}, 32, 32) images"
                             + (" (MNIST padded by 2: mnist_tensors(size=32))" if c == 1 else "")
                             + f", got {tuple(x.shape)}")
        if x.dtype != self.c1.weight.dtype:
            raise ValueError(f"x has dtype {x.dtype} but the model's weights are "
                             f"{self.c1.weight.dtype}: convert the input (x.float()) or the model "
                             "(model.double())")
        act, out = self._act, {}
        out["C1"] = x = act(self.c1(x))
        out["S2"] = x = act(self.s2(x)) if self.variant == "classic" else self.s2(x)
        out["C3"] = x = act(self.c3(x))
        out["S4"] = x = act(self.s4(x)) if self.variant == "classic" else self.s4(x)
        out["C5"] = x = act(self.c5(x))
        out["F6"] = x = act(self.f6(x.flatten(1)))
        out["output"] = self.output(x)
        return out

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.features(x)["output"]

    def extra_repr(self) -> str:
        extra = f", in_channels={self.c1.in_channels}" if self.c1.in_channels != 1 else ""
        return f"variant={self.variant!r}, c3={self.c3_mode!r}{extra}"
