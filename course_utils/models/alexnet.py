"""AlexNet as the 2012 paper built it, for notebook 07's tour of the classic networks
(torchvision's ``alexnet`` is a later variant)."""
from __future__ import annotations

import torch
from torch import nn

from .._validate import MAX_ELEMENTS, as_float, as_int

__all__ = ["AlexNet2012"]


class AlexNet2012(nn.Module):
    """AlexNet as Krizhevsky, Sutskever & Hinton (2012) describe it: 5 conv + 3 FC layers, ReLU,
    local response normalisation (LRN) after conv1 and conv2 (the paper's section 3.3:
    b_i = a_i / (2 + 1e-4 · Σ_{j=i-2}^{i+2} a_j²)^0.75 over neighbouring maps j), overlapping 3×3/stride-2 max pooling,
    dropout 0.5 before fc6 and fc7.

    Shape: (N, 3, 224, 224) -> (N, num_classes) logits. Maps: conv1 96@55×55 (11×11, stride 4,
    padding 2), conv2 256@27×27 (5×5), conv3 384@13×13, conv4 384@13×13, conv5 256@13×13 (3×3),
    pool -> 256@6×6 = 9,216 -> fc6 4,096 -> fc7 4,096 -> fc8 num_classes.

    ``groups=2`` reproduces the paper's split over two GPUs: conv2, conv4 and conv5 only see the
    maps on their own GPU (half the input maps), which is how the paper gets about 60 million
    parameters (60,965,224); ``groups=1`` connects every map (62,378,344). torchvision's
    ``alexnet`` is the later one-GPU variant (64, 192, 384, 256, 256 maps; 61,100,840).
    """

    def __init__(self, num_classes: int = 1000, groups: int = 2, dropout: float = 0.5):
        super().__init__()
        if groups not in (1, 2):
            raise ValueError(f"groups must be 1 (one GPU) or 2 (the paper's two GPUs), got {groups!r}")
        num_classes = as_int(num_classes, "num_classes", 1, MAX_ELEMENTS // 4097)
        dropout = as_float(dropout, "dropout", 0.0, 1.0)
        # the paper's LRN: b_i = a_i / (k + alpha * sum of a_j^2 over 5 neighbouring maps)^beta,
        # k=2, alpha=1e-4, beta=0.75. PyTorch divides its alpha by the size n=5, hence 5 * 1e-4.
        lrn = lambda: nn.LocalResponseNorm(5, alpha=5 * 1e-4, beta=0.75, k=2.0)  # noqa: E731
        self.features = nn.Sequential(
            nn.Conv2d(3, 96, 11, stride=4, padding=2), nn.ReLU(), lrn(),          # (N, 96, 55, 55)
            nn.MaxPool2d(3, 2),                                                   # (N, 96, 27, 27)
            nn.Conv2d(96, 256, 5, padding=2, groups=groups), nn.ReLU(), lrn(),    # (N, 256, 27, 27)
            nn.MaxPool2d(3, 2),                                                   # (N, 256, 13, 13)
            nn.Conv2d(256, 384, 3, padding=1), nn.ReLU(),                         # (N, 384, 13, 13)
            nn.Conv2d(384, 384, 3, padding=1, groups=groups), nn.ReLU(),          # (N, 384, 13, 13)
            nn.Conv2d(384, 256, 3, padding=1, groups=groups), nn.ReLU(),          # (N, 256, 13, 13)
            nn.MaxPool2d(3, 2))                                                   # (N, 256, 6, 6)
        self.classifier = nn.Sequential(
            nn.Flatten(),                                                         # (N, 9216)
            nn.Dropout(dropout), nn.Linear(256 * 6 * 6, 4096), nn.ReLU(),         # (N, 4096)
            nn.Dropout(dropout), nn.Linear(4096, 4096), nn.ReLU(),                # (N, 4096)
            nn.Linear(4096, num_classes))                                         # (N, classes)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.classifier(self.features(x))
