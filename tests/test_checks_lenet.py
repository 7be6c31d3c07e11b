"""The checkers of notebook 05's hand-written LeNet-5 and training loop: a correct solution is
"Correct", the stub is "Not done yet", and typical mistakes are wrong with the case and a hint.

The oracle is PyTorch: the library's ``LeNet5`` for the parameter counts, autograd for the
gradients a loop must leave, and the loss measured before and after training."""
from __future__ import annotations

import pytest
import torch
from torch import nn
from torch.nn import functional as F

from course_utils import checks
from course_utils.checks import STUB_MESSAGE, WrongAnswer
from course_utils.data import LUMINANCE_WEIGHTS, coloured_shapes


class MyLeNet(nn.Module):
    """The exercise's solution: the modern LeNet-5."""

    def __init__(self, in_channels=1, pool=F.max_pool2d, act=F.relu, c1_in=None, f6=84):
        super().__init__()
        self.act, self.pool = act, pool
        self.c1 = nn.Conv2d(in_channels if c1_in is None else c1_in, 6, 5)
        self.c3 = nn.Conv2d(6, 16, 5)
        self.c5 = nn.Conv2d(16, 120, 5)
        self.f6 = nn.Linear(120, f6)
        self.output = nn.Linear(f6, 10)

    def forward(self, x):
        x = self.pool(self.act(self.c1(x)), 2)
        x = self.pool(self.act(self.c3(x)), 2)
        x = self.act(self.c5(x)).flatten(1)
        return self.output(self.act(self.f6(x)))


def train(model, X, y, epochs=3, batch_size=32, lr=0.05, momentum=0.9, seed=0, *,
          zero_grad=True, step=True, reduction="mean", every_step=True, whole=False):
    """The exercise's solution, with switches for the usual mistakes."""
    opt = torch.optim.SGD(model.parameters(), lr=lr, momentum=momentum)
    gen = torch.Generator().manual_seed(seed)
    losses = []
    for _ in range(epochs):
        order = torch.randperm(len(X), generator=gen)
        size = len(X) if whole else batch_size
        for start in range(0, len(X), size):
            idx = order[start:start + size]
            if zero_grad:
                opt.zero_grad()
            loss = F.cross_entropy(model(X[idx]), y[idx], reduction=reduction)
            loss.backward()
            if step:
                opt.step()
            if every_step:
                losses.append(loss.item())
        if not every_step:
            losses.append(loss.item())
    return losses


def train_colour(X, y, seed, channels=3, epochs=8):
    torch.manual_seed(seed)
    model = MyLeNet(in_channels=channels)
    train(model, X, y, epochs=epochs, batch_size=32, lr=0.02, seed=seed)
    return model


def stub(*args, **kwargs):
    raise NotImplementedError(STUB_MESSAGE)


def said(capsys) -> str:
    return capsys.readouterr().out


# --- check_lenet_module ---------------------------------------------------------------------------

def test_lenet_module_accepts_modern_and_classic(capsys):
    checks.check_lenet_module(MyLeNet)
    assert said(capsys).startswith("Correct: MyLeNet")

    class Classic(nn.Module):
        def __init__(self, in_channels=1):
            super().__init__()
            self.net = __import__("course_utils").models.LeNet5("classic", in_channels=in_channels)

        def forward(self, x):
            return self.net(x)

    checks.check_lenet_module(Classic)
    assert "LeNet5('classic')" in said(capsys)


def test_lenet_module_stub_is_not_done(capsys):
    checks.check_lenet_module(stub)
    assert said(capsys).startswith("Not done yet")


@pytest.mark.parametrize("wrong, match", [
    (lambda **k: MyLeNet(f6=80), "F6 10,164"),                               # a wrong layer size
    (lambda **k: MyLeNet(pool=lambda x, k: x[..., ::2, ::2]), "parameters"),  # fine: same count
    (lambda **k: nn.Linear(3, 3), "shape"),                                    # not a LeNet
    (lambda **k: [1, 2], "nn.Module"),
], ids=["f6-80", "strided-pool", "linear", "list"])
def test_lenet_module_wrong_answers_name_the_problem(wrong, match, capsys):
    if match == "parameters":           # subsampling by striding is still a valid LeNet shape
        checks.check_lenet_module(wrong)
        assert said(capsys).startswith("Correct")
        return
    with pytest.raises(WrongAnswer, match=match) as info:
        checks.check_lenet_module(wrong)
    assert "Hint" in str(info.value)


def test_lenet_module_without_flatten_fails_on_the_shape():
    class NoFlatten(MyLeNet):
        def forward(self, x):
            x = self.pool(self.act(self.c1(x)), 2)
            x = self.pool(self.act(self.c3(x)), 2)
            return self.act(self.c5(x))                 # (N, 120, 1, 1), no F6 or output

    with pytest.raises(WrongAnswer, match=r"flatten"):
        checks.check_lenet_module(NoFlatten)


def test_lenet_module_that_ignores_its_input_is_wrong():
    class Constant(MyLeNet):
        def forward(self, x):
            return super().forward(torch.zeros_like(x))

    with pytest.raises(WrongAnswer, match="same logits"):
        checks.check_lenet_module(Constant)


# --- check_training_loop --------------------------------------------------------------------------

def test_training_loop_correct(capsys):
    checks.check_training_loop(train)
    assert said(capsys).startswith("Correct: train_model takes 30 steps")


def test_training_loop_stub_is_not_done(capsys):
    checks.check_training_loop(stub)
    assert said(capsys).startswith("Not done yet")


@pytest.mark.parametrize("mistake, match", [
    (dict(zero_grad=False), "zero_grad"),
    (dict(step=False), "did not change"),
    (dict(whole=True), "batches"),
    (dict(every_step=False), "one per mini-batch"),
    (dict(reduction="sum"), "mean cross-entropy"),
], ids=["no-zero_grad", "no-step", "whole-batch", "per-epoch-losses", "sum-reduction"])
def test_training_loop_mistakes_are_named(mistake, match):
    with pytest.raises(WrongAnswer, match=match) as info:
        checks.check_training_loop(lambda *a, **k: train(*a, **k, **mistake))
    assert "Hint" in str(info.value)


def test_training_loop_that_is_too_timid_fails_on_the_loss():
    with pytest.raises(WrongAnswer, match="below half"):
        checks.check_training_loop(lambda m, X, y, **k: train(m, X, y, **(k | {"lr": 1e-4})))


def test_training_loop_that_returns_nothing_is_wrong():
    with pytest.raises(WrongAnswer, match="list of 30 losses"):
        checks.check_training_loop(lambda *a, **k: train(*a, **k) and None)


# --- check_colour_lenet and the data ---------------------------------------------------------------

def test_colour_lenet_correct_and_stub(capsys):
    checks.check_colour_lenet(train_colour)
    assert said(capsys).startswith("Correct: train_colour a 3-channel LeNet-5 with 62,006")
    checks.check_colour_lenet(stub)
    assert said(capsys).startswith("Not done yet")


def test_colour_lenet_that_reads_one_channel_is_named():
    def grey_c1(X, y, seed):   # C1 built for one channel: the forward pass fails on colour input
        return train_colour(X, y, seed, channels=1)

    with pytest.raises(WrongAnswer) as info:
        checks.check_colour_lenet(grey_c1)
    assert "train_colour" in str(info.value)

    def grey_model(X, y, seed):  # a grey LeNet returned untrained: the count gives it away
        return MyLeNet()

    with pytest.raises(WrongAnswer, match="C1 still reads one map"):
        checks.check_colour_lenet(grey_model)


def test_colour_lenet_untrained_is_wrong():
    with pytest.raises(WrongAnswer, match="train longer"):
        checks.check_colour_lenet(lambda X, y, seed: MyLeNet(in_channels=3))


def test_coloured_shapes_are_balanced_seeded_and_need_colour():
    X, y = coloured_shapes(200, seed=3)
    assert X.shape == (200, 3, 32, 32) and X.dtype == torch.float32 and y.dtype == torch.int64
    assert float(X.min()) >= 0 and float(X.max()) <= 1
    assert torch.bincount(y, minlength=10).tolist() == [20] * 10
    X2, y2 = coloured_shapes(200, seed=3)
    assert torch.equal(X, X2) and torch.equal(y, y2)
    assert not torch.equal(X, coloured_shapes(200, seed=4)[0])
    # the two colours differ in hue, not in grey value: the shapes' mean grey overlaps
    w = torch.tensor(LUMINANCE_WEIGHTS).view(1, 3, 1, 1)
    grey = (X * w).sum(1)
    bright = grey > 0.45                                         # the shape's pixels
    mean_grey = torch.stack([grey[i][bright[i]].mean() for i in range(len(X))])
    blue, orange = mean_grey[y < 5], mean_grey[y >= 5]
    assert abs(float(blue.mean() - orange.mean())) < 0.03
    assert float(blue.std()) > 0.03 and float(orange.std()) > 0.03
    red_minus_blue = (X[:, 0] - X[:, 2])[bright].mean()
    assert red_minus_blue.abs() < 1                              # sanity: finite numbers
    hue = torch.stack([(X[i, 0] - X[i, 2])[bright[i]].mean() for i in range(len(X))])
    assert float(hue[y < 5].max()) < 0 < float(hue[y >= 5].min())   # the hue tells them apart


def test_lenet5_in_channels_changes_only_c1():
    from course_utils.models import LeNet5

    for variant in ("classic", "modern"):
        grey, colour = LeNet5(variant), LeNet5(variant, in_channels=3)
        c1 = nn.Conv2d(3, 6, 5)                                       # the oracle: PyTorch's count
        extra = sum(p.numel() for p in c1.parameters()) - sum(p.numel() for p in grey.c1.parameters())
        assert extra == 300
        assert (sum(p.numel() for p in colour.parameters())
                - sum(p.numel() for p in grey.parameters())) == extra
        assert colour(torch.zeros(2, 3, 32, 32)).shape == (2, 10)
