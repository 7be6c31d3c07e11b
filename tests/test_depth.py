"""course_utils.models.depth: the plain/residual builders against functional torch oracles, their
depths and parameter counts against the formulas, gradient norms against autograd, AlexNet (2012)
against the paper's numbers; notebook 07's renderers and checker."""
import numpy as np
import pytest
import torch
from matplotlib.figure import Figure
from torch import nn
from torch.nn import functional as F

from course_utils.checks import STUB_MESSAGE, WrongAnswer, check_conv_layer_stats
from course_utils.models import (
    AlexNet2012,
    BasicBlock,
    count_parameters,
    count_weight_layers,
    grad_norms_at_init,
    layer_grad_norms,
    plain_net,
    residual_net,
    summary,
    weight_layers,
)
from course_utils.viz import render_depth_gradients, render_grad_norms, render_param_bars


def _convs_and_fc(model):
    layers = [m for _, m in weight_layers(model)]
    return layers[:-1], layers[-1]


def _plain_oracle(model, x, pool, act=torch.relu, stride=1):
    """The plain net written out with torch.nn.functional and the model's own weights."""
    convs, fc = _convs_and_fc(model)
    for k, conv in enumerate(convs):
        x = act(F.conv2d(x, conv.weight, conv.bias, stride=stride if k == 0 else 1, padding=1))
    x = F.adaptive_avg_pool2d(x, pool).flatten(1)
    return x @ fc.weight.T + fc.bias


def _residual_oracle(model, x, pool, stride=1):
    convs, fc = _convs_and_fc(model)
    x = torch.relu(F.conv2d(x, convs[0].weight, convs[0].bias, stride=stride, padding=1))
    for c1, c2 in zip(convs[1::2], convs[2::2]):
        x = torch.relu(x + F.conv2d(torch.relu(F.conv2d(x, c1.weight, c1.bias, padding=1)),
                                    c2.weight, c2.bias, padding=1))
    x = F.adaptive_avg_pool2d(x, pool).flatten(1)
    return x @ fc.weight.T + fc.bias


@pytest.mark.parametrize("depth,width,c_in,classes,hw,pool,init,stride", [
    (2, 3, 1, 10, 5, 1, "default", 1), (4, 8, 1, 10, 14, 2, "default", 2),
    (7, 5, 3, 4, 9, 3, "he", 1), (12, 4, 2, 7, 6, 1, "he", 2), (20, 8, 1, 10, 7, 2, "default", 1)])
def test_plain_net_matches_functional_oracle(depth, width, c_in, classes, hw, pool, init, stride):
    torch.manual_seed(depth)
    net = plain_net(depth, width=width, in_channels=c_in, num_classes=classes, pool=pool,
                    init=init, stem_stride=stride).double()
    x = torch.randn(3, c_in, hw, hw, dtype=torch.float64)
    torch.testing.assert_close(net(x), _plain_oracle(net, x, pool, stride=stride), rtol=1e-10,
                               atol=1e-12)
    assert count_weight_layers(net) == depth
    # parameter formula from the docstring, written out independently
    want = (9 * c_in * width + width) + (depth - 2) * (9 * width**2 + width) \
        + width * pool * pool * classes + classes
    assert count_parameters(net) == want


@pytest.mark.parametrize("activation,fn", [("tanh", torch.tanh), ("sigmoid", torch.sigmoid)])
def test_plain_net_activations(activation, fn):
    net = plain_net(5, width=4, activation=activation).double()
    x = torch.randn(2, 1, 8, 8, dtype=torch.float64)
    torch.testing.assert_close(net(x), _plain_oracle(net, x, 1, fn), rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("depth,width,c_in,hw,pool,stride", [
    (4, 3, 1, 5, 1, 1), (8, 8, 1, 14, 2, 2), (10, 5, 3, 9, 3, 1), (20, 4, 1, 7, 2, 2)])
def test_residual_net_matches_functional_oracle(depth, width, c_in, hw, pool, stride):
    torch.manual_seed(depth)
    net = residual_net(depth, width=width, in_channels=c_in, pool=pool,
                       stem_stride=stride).double()
    x = torch.randn(3, c_in, hw, hw, dtype=torch.float64)
    torch.testing.assert_close(net(x), _residual_oracle(net, x, pool, stride), rtol=1e-10,
                               atol=1e-12)
    assert count_weight_layers(net) == depth
    assert sum(isinstance(m, BasicBlock) for m in net.modules()) == (depth - 2) // 2
    # the same weight layers as the plain net of that depth: the shortcut adds no parameters
    assert count_parameters(net) == count_parameters(plain_net(depth, width, c_in, pool=pool))


@pytest.mark.parametrize("depth", [4, 10, 30])
def test_batch_norm_variants_have_one_norm_per_conv_and_equal_sizes(depth):
    plain, res = plain_net(depth, 6, norm="batch"), residual_net(depth, 6, norm="batch")
    for net in (plain, res):
        assert sum(isinstance(m, nn.BatchNorm2d) for m in net.modules()) == depth - 1
        assert all(m.bias is None for m in net.modules() if isinstance(m, nn.Conv2d))
        assert net(torch.randn(4, 1, 6, 6)).shape == (4, 10)
    assert count_parameters(plain) == count_parameters(res)


def test_he_init_has_the_he_variance():
    torch.manual_seed(0)
    net = plain_net(6, width=64, init="he")
    for conv in [m for _, m in weight_layers(net)][1:-1]:
        fan_in = conv.weight[0].numel()
        assert abs(conv.weight.std().item() / np.sqrt(2 / fan_in) - 1) < 0.03
        assert torch.all(conv.bias == 0)


def test_shortcut_carries_the_gradient():
    # With the residual branch's weights at zero, a block is relu(x): the gradient passes unchanged.
    block = BasicBlock(3)
    nn.init.zeros_(block.conv2.weight), nn.init.zeros_(block.conv2.bias)
    x = torch.rand(2, 3, 5, 5, requires_grad=True)  # positive, so relu(x) = x
    block(x).sum().backward()
    torch.testing.assert_close(x.grad, torch.ones_like(x))


@pytest.mark.parametrize("relative", [False, True])
def test_layer_grad_norms_match_autograd(relative):
    torch.manual_seed(1)
    net = residual_net(6, width=4)
    x, y = torch.randn(5, 1, 7, 7), torch.randint(0, 10, (5,))
    weights = [m.weight for _, m in weight_layers(net)]
    grads = torch.autograd.grad(F.cross_entropy(net(x), y), weights)
    F.cross_entropy(net(x), y).backward()
    want = [float(g.norm() / (w.detach().norm() if relative else 1)) for g, w in zip(grads, weights)]
    np.testing.assert_allclose(layer_grad_norms(net, relative=relative), want, rtol=1e-5)


def test_grad_norms_at_init_matches_autograd_and_clears_gradients():
    torch.manual_seed(2)
    net = plain_net(8, width=4)
    x, y = torch.randn(6, 1, 6, 6), torch.randint(0, 10, (6,))
    weights = [m.weight for _, m in weight_layers(net)]
    want = [float(g.norm()) for g in torch.autograd.grad(F.cross_entropy(net(x), y), weights)]
    np.testing.assert_allclose(grad_norms_at_init(net, x, y), want, rtol=1e-5)
    assert all(p.grad is None for p in net.parameters())


def test_deep_plain_net_gradients_vanish_but_residual_ones_do_not():
    torch.manual_seed(0)
    x, y = torch.randn(8, 1, 8, 8), torch.randint(0, 10, (8,))
    plain = grad_norms_at_init(plain_net(20, 8), x, y)
    res = grad_norms_at_init(residual_net(20, 8), x, y)
    assert plain[0] / plain[-1] < 1e-4 < res[0] / res[-1]


def test_layer_grad_norms_needs_a_backward_pass():
    with pytest.raises(ValueError, match="backward"):
        layer_grad_norms(plain_net(3, 2))
    with pytest.raises(ValueError, match="Module"):
        weight_layers("resnet")


@pytest.mark.parametrize("build,kw,match", [
    (plain_net, dict(depth=1), "depth"), (plain_net, dict(depth=4.0), "depth"),
    (residual_net, dict(depth=2), "depth"), (residual_net, dict(depth=7), "even"),
    (plain_net, dict(depth=4, width=0), "width"), (plain_net, dict(depth=4, norm="layer"), "norm"),
    (residual_net, dict(depth=4, init="xavier"), "init"), (plain_net, dict(depth=4, pool=0), "pool"),
    (plain_net, dict(depth=4, activation="gelu"), "activation"),
    (residual_net, dict(depth=4, stem_stride=3), "stem_stride"),
    (residual_net, dict(depth=4, in_channels=True), "in_channels")])
def test_builders_reject_bad_options(build, kw, match):
    with pytest.raises(ValueError, match=match):
        build(**kw)


@pytest.mark.parametrize("groups,params", [(2, 60_965_224), (1, 62_378_344)])
def test_alexnet_2012_matches_the_paper(groups, params):
    # The paper's layers written out: (in maps per group, out maps, kernel) for the 5 convs, then FCs.
    convs = [(3, 96, 11), (96 // groups, 256, 5), (256, 384, 3), (384 // groups, 384, 3),
             (384 // groups, 256, 3)]
    fcs = [(9216, 4096), (4096, 4096), (4096, 1000)]
    want = sum(o * (i * k * k + 1) for i, o, k in convs) + sum(o * (i + 1) for i, o in fcs)
    assert want == params
    with torch.device("meta"):
        model = AlexNet2012(groups=groups)
    s = summary(model, (3, 224, 224))
    assert s.total_params == params
    weighted = [r for r in s.rows if r.kind in ("Conv2d", "Linear")]
    assert [r.output_shape for r in weighted] == [
        (96, 55, 55), (256, 27, 27), (384, 13, 13), (384, 13, 13), (256, 13, 13),
        (4096,), (4096,), (1000,)]
    assert sum(r.outputs for r in weighted) == 659_272  # the paper's "650,000 neurons"
    with pytest.raises(ValueError, match="groups"):
        AlexNet2012(groups=4)


def test_alexnet_2012_runs_on_real_tensors():
    model = AlexNet2012(num_classes=7).eval()
    assert model(torch.randn(1, 3, 224, 224)).shape == (1, 7)


def _summaries():
    with torch.device("meta"):
        return {"AlexNet (2012)": summary(AlexNet2012(), (3, 224, 224)),
                "small": summary(plain_net(4, 4), (1, 8, 8))}


@pytest.mark.parametrize("what,log", [("params", False), ("outputs", True)])
def test_render_param_bars_draws_one_bar_per_weight_layer(what, log):
    fig = Figure()
    render_param_bars(fig, _summaries(), what=what, log=log)
    assert [len(ax.patches) for ax in fig.axes] == [8, 4]
    assert "FC share" in fig.axes[0].get_title()


def test_render_param_bars_shares_the_x_axis_and_numbers_the_layers():
    fig = Figure()
    render_param_bars(fig, _summaries(), log=True, sharex=True, labels="numbered")
    assert fig.axes[0].get_xlim() == fig.axes[1].get_xlim()
    names = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert names[0] == "conv1" and names[-1] == "fc8"
    with pytest.raises(ValueError, match="labels"):
        render_param_bars(Figure(), _summaries(), labels="paper")


def test_render_param_bars_rejects_nonsense():
    with pytest.raises(ValueError, match="what"):
        render_param_bars(Figure(), _summaries(), what="flops")
    with pytest.raises(ValueError, match="no models"):
        render_param_bars(Figure(), {})
    with torch.device("meta"):
        relu_only = summary(nn.Sequential(nn.ReLU()), (3,))
    with pytest.raises(ValueError, match="no Conv2d or Linear"):
        render_param_bars(Figure(), {"relu": relu_only})


def test_render_grad_norms_and_depth_gradients():
    fig = Figure()
    render_grad_norms(fig, {"a": [1e-6, 1e-3, 1.0], "b": [0.5, 0.6, 0.7]})
    assert len(fig.axes[0].lines) == 2 and fig.axes[0].get_yscale() == "log"
    with pytest.raises(ValueError, match="no gradient"):
        render_grad_norms(Figure(), {})
    with pytest.raises(ValueError, match="per-layer"):
        render_grad_norms(Figure(), {"a": []})
    x, y = torch.randn(4, 1, 6, 6), torch.randint(0, 10, (4,))
    fig = Figure()
    render_depth_gradients(fig, x, y, depth=6, init="he", norm="batch")
    assert [len(line.get_xdata()) for line in fig.axes[0].lines] == [6, 6]
    for kw, match in [(dict(depth=5), "even"), (dict(depth=2), "at least 4"),
                      (dict(norm="layer"), "norm")]:
        with pytest.raises(ValueError, match=match):
            render_depth_gradients(Figure(), x, y, **kw)


def _stats(n, c_in, c_out, f, s, p):
    side = (n - f + 2 * p) // s + 1
    return side, c_out * (f * f * c_in + 1), side * side * c_out


def test_check_conv_layer_stats(capsys):
    check_conv_layer_stats(_stats)
    assert capsys.readouterr().out.startswith("Correct")
    no_bias = lambda *a: (_stats(*a)[0], _stats(*a)[1] - a[2], _stats(*a)[2])  # noqa: E731
    with pytest.raises(WrongAnswer, match="bias"):
        check_conv_layer_stats(no_bias)
    true_div = lambda n, ci, co, f, s, p: ((n - f + 2 * p) / s + 1, *_stats(n, ci, co, f, s, p)[1:])  # noqa: E731
    with pytest.raises(WrongAnswer, match="output side"):
        check_conv_layer_stats(true_div)

    def stub(*args):  # the student stub's own error (tools/make_student.py)
        raise NotImplementedError(STUB_MESSAGE)

    check_conv_layer_stats(stub)
    assert capsys.readouterr().out.startswith("Not done yet")


def test_alexnet2012_lrn_is_the_papers_formula():
    """Krizhevsky et al. (2012), section 3.3: b_i = a_i / (k + alpha * sum_{j=i-n/2}^{i+n/2} a_j^2)^beta
    with k = 2, n = 5, alpha = 1e-4, beta = 0.75 (the sum over neighbouring maps, not divided by n)."""
    lrn = AlexNet2012().features[2]
    a = np.random.default_rng(0).standard_normal((2, 9, 4, 4)) * 30
    want = np.empty_like(a)
    for i in range(a.shape[1]):
        window = a[:, max(0, i - 2):i + 3]
        want[:, i] = a[:, i] / (2 + 1e-4 * (window ** 2).sum(axis=1)) ** 0.75
    got = lrn(torch.from_numpy(a)).numpy()
    np.testing.assert_allclose(got, want, rtol=1e-10)


@pytest.mark.parametrize("norm", [None, "batch"])
def test_residual_net_zero_init_residual_starts_as_its_stem_and_head(norm):
    """Every block is the identity at the start: the output is the head applied to the stem's."""
    torch.manual_seed(0)
    net = residual_net(10, width=4, norm=norm, init="he", pool=2, zero_init_residual=True).eval()
    x = torch.randn(3, 1, 8, 8)
    stem, head = net[:3], net[-3:]
    assert all(isinstance(m, BasicBlock) for m in net[3:-3]) and len(net[3:-3]) == 4
    torch.testing.assert_close(net(x), head(stem(x)))
    with pytest.raises(ValueError, match="zero_init_residual"):
        residual_net(4, zero_init_residual=1)
