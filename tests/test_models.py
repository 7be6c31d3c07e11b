"""course_utils.models: LeNet-5's shapes and parameter counts against the paper's numbers, its
layers against torch oracles, count_parameters/summary against torchvision's published sizes."""
import numpy as np
import pytest
import torch
from torch import nn
from torch.nn import functional as F

from course_utils.models import (
    LENET_C3_TABLE,
    ConnectionTableConv2d,
    LeNet5,
    TrainableSubsampling,
    count_parameters,
    lecun_tanh,
    summary,
)

# (layer, output shape without the batch, parameters), from LeCun et al. (1998), section II.B
CLASSIC_FULL = [("c1", (6, 28, 28), 156), ("s2", (6, 14, 14), 12), ("c3", (16, 10, 10), 2416),
                ("s4", (16, 5, 5), 32), ("c5", (120, 1, 1), 48120), ("f6", (84,), 10164),
                ("output", (10,), 850)]


@pytest.mark.parametrize("variant,c3,c3_params,total", [
    ("classic", "full", 2416, 61750), ("classic", "lecun", 1516, 60850),
    ("modern", "full", 2416, 61706), ("modern", "lecun", 1516, 60806)])
def test_lenet5_layers_shapes_and_parameters(variant, c3, c3_params, total):
    model = LeNet5(variant, c3)
    s = summary(model, (1, 32, 32))
    want = [(n, shape, 0 if (variant == "modern" and n in ("s2", "s4")) else
             (c3_params if n == "c3" else p)) for n, shape, p in CLASSIC_FULL]
    assert [(r.name, r.output_shape, r.params) for r in s.rows] == want
    assert count_parameters(model) == s.total_params == total
    assert model(torch.randn(3, 1, 32, 32)).shape == (3, 10)


def test_lenet5_features_have_the_paper_shapes():
    feats = LeNet5().features(torch.randn(2, 1, 32, 32))
    got = {k: tuple(v.shape[1:]) for k, v in feats.items()}
    assert got == {"C1": (6, 28, 28), "S2": (6, 14, 14), "C3": (16, 10, 10), "S4": (16, 5, 5),
                   "C5": (120, 1, 1), "F6": (84,), "output": (10,)}
    assert feats["S2"].abs().max() <= 1.7159   # after the squashing function


@pytest.mark.parametrize("kw", [dict(variant="lenet"), dict(c3="sparse")])
def test_lenet5_rejects_unknown_options(kw):
    with pytest.raises(ValueError):
        LeNet5(**kw)


def test_lenet5_rejects_28_pixel_digits():
    with pytest.raises(ValueError, match="32"):
        LeNet5()(torch.zeros(1, 1, 28, 28))


def test_lecun_tanh_values():
    a = torch.tensor([-1.0, 0.0, 1.0])
    torch.testing.assert_close(lecun_tanh(a), torch.tensor([-1.0, 0.0, 1.0]), atol=2e-4, rtol=0)


@pytest.mark.parametrize("shape", [(1, 1, 2, 2), (2, 3, 8, 8), (3, 6, 28, 28), (1, 16, 10, 10),
                                   (2, 2, 7, 9)])
def test_trainable_subsampling_against_numpy(shape):
    rng = np.random.default_rng(sum(shape))
    x = rng.standard_normal(shape)
    layer = TrainableSubsampling(shape[1]).double()
    with torch.no_grad():
        layer.coefficient.copy_(torch.from_numpy(rng.standard_normal(shape[1])))
        layer.bias.copy_(torch.from_numpy(rng.standard_normal(shape[1])))
    N, C, H, W = shape
    xc = x[:, :, :H // 2 * 2, :W // 2 * 2]
    sums = xc.reshape(N, C, H // 2, 2, W // 2, 2).sum(axis=(3, 5))
    want = sums * layer.coefficient.detach().numpy()[None, :, None, None] \
        + layer.bias.detach().numpy()[None, :, None, None]
    np.testing.assert_allclose(layer(torch.from_numpy(x)).detach().numpy(), want, rtol=1e-12,
                               atol=1e-12)
    assert count_parameters(layer) == 2 * C


def test_connection_table_conv_against_a_masked_dense_conv():
    torch.manual_seed(0)
    layer = ConnectionTableConv2d(6)
    assert count_parameters(layer) == 1516
    mask = torch.zeros(16, 6, 1, 1)
    for k, inputs in enumerate(LENET_C3_TABLE):
        mask[k, list(inputs)] = 1
    dense = layer.full_weight().detach()
    assert torch.equal(dense * (1 - mask), torch.zeros_like(dense))
    assert int((dense != 0).sum()) == 60 * 25
    x = torch.randn(2, 6, 14, 14, requires_grad=True)
    torch.testing.assert_close(layer(x), F.conv2d(x, dense, layer.bias.detach()))
    # gradients reach only the connected (output, input) pairs, and match a dense conv's
    w = dense.clone().requires_grad_(True)
    F.conv2d(x, w, layer.bias).square().sum().backward()
    layer.zero_grad()
    layer(x).square().sum().backward()
    want = w.grad.view(96, 5, 5)[layer.index]
    torch.testing.assert_close(layer.weight.grad, want)


def test_connection_table_rejects_bad_tables():
    with pytest.raises(ValueError):
        ConnectionTableConv2d(6, table=((0, 6),))
    with pytest.raises(ValueError):
        ConnectionTableConv2d(6, table=((1, 1),))


@pytest.mark.parametrize("name,params,device", [("alexnet", 61_100_840, "meta"),
                                                ("vgg16", 138_357_544, "meta"),
                                                ("resnet18", 11_689_512, "cpu")])
def test_count_parameters_of_torchvision_models(name, params, device):
    """Only shapes matter here: the big nets are built on the meta device (no memory, no random
    initialisation of 138M weights); resnet18 is built for real."""
    import torchvision

    with torch.device(device):
        model = getattr(torchvision.models, name)(weights=None)
    assert all(p.device.type == device for p in model.parameters())
    assert count_parameters(model) == params
    assert count_parameters(model) == sum(p.numel() for p in model.parameters())


def test_summary_of_resnet18_adds_up_and_counts_a_shared_relu_once():
    import torchvision

    model = torchvision.models.resnet18(weights=None)
    s = summary(model, (3, 64, 64))
    assert sum(r.params for r in s.rows) == s.total_params == 11_689_512
    relu_rows = [r for r in s.rows if r.name == "layer1.0.relu"]
    assert len(relu_rows) == 2                 # BasicBlock calls the same ReLU twice
    assert s["fc"].output_shape == (1000,) and s["fc"].params == 512 * 1000 + 1000
    top = summary(model, (3, 64, 64), depth=1)
    assert [r.name for r in top.rows] == ["conv1", "bn1", "relu", "maxpool", "layer1", "layer2",
                                          "layer3", "layer4", "avgpool", "fc"]
    assert sum(r.params for r in top.rows) == 11_689_512
    assert "11,689,512" in str(top)


def test_summary_reports_parameters_outside_listed_layers():
    class Scaled(nn.Module):
        def __init__(self):
            super().__init__()
            self.scale = nn.Parameter(torch.ones(3))
            self.lin = nn.Linear(4, 3)

        def forward(self, x):
            return self.lin(x) * self.scale

    s = summary(Scaled(), (4,))
    assert [(r.name, r.params) for r in s.rows] == [("lin", 15), ("(other)", 3)]


def test_summary_restores_the_mode_and_counts_outputs():
    model = LeNet5()
    model.train()
    s = summary(model, (1, 32, 32))
    assert model.training
    assert s.total_outputs == 6 * 28 * 28 + 6 * 14 * 14 + 16 * 100 + 16 * 25 + 120 + 84 + 10


def test_count_parameters_skips_frozen_layers():
    model = nn.Sequential(nn.Linear(3, 4), nn.Linear(4, 2))
    model[0].requires_grad_(False)
    assert count_parameters(model) == 10
    assert count_parameters(model, trainable_only=False) == 26


@pytest.mark.parametrize("shape", [(1, 28, 28), "32", (0, 32, 32)])
def test_summary_rejects_bad_input_shapes(shape):
    with pytest.raises(ValueError):
        summary(LeNet5(), shape)


def test_count_parameters_rejects_non_modules():
    with pytest.raises(ValueError):
        count_parameters([torch.zeros(3)])


@pytest.mark.parametrize("name", ["alexnet", "vgg16", "resnet18"])
def test_summary_multiply_adds_match_torch_flop_counter(name):
    """Oracle: torch.utils.flop_counter counts 2 FLOPs per multiply-add of every conv and matmul."""
    import torchvision
    from torch.utils.flop_counter import FlopCounterMode

    with torch.device("meta"):
        model = getattr(torchvision.models, name)(weights=None)
        x = torch.zeros(1, 3, 224, 224)
    with FlopCounterMode(display=False) as counter:
        model(x)
    s = summary(model, (3, 224, 224))
    assert 2 * s.total_macs == counter.get_total_flops()
    assert all(r.macs == 0 for r in s.rows if r.kind not in ("Conv2d", "Linear"))


def test_summary_multiply_adds_of_a_grouped_conv_and_a_linear_layer():
    model = nn.Sequential(nn.Conv2d(4, 6, 3, groups=2), nn.Flatten(), nn.Linear(6 * 3 * 3, 5))
    s = summary(model, (4, 5, 5))
    assert [r.macs for r in s.rows] == [6 * 3 * 3 * (2 * 3 * 3), 0, 5 * 54]
    assert s.total_macs == 972 + 270
