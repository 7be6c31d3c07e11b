"""course_utils.train.experiments (notebook 06's experiments) against independent loops written
here with torch.optim.SGD and torch's own norms."""
import numpy as np
import pytest
import torch
from torch import nn
from torch.nn import functional as F

from course_utils.train import format_runs, sgd_experiment, twin_sgd_runs, weight_norm


def small_net():
    return nn.Sequential(nn.Conv2d(1, 3, 3), nn.Tanh(), nn.Flatten(), nn.Linear(3 * 4 * 4, 4))


def small_data(n=64, seed=0):
    g = torch.Generator().manual_seed(seed)
    return torch.randn(n, 1, 6, 6, generator=g), torch.randint(0, 4, (n,), generator=g)


def test_weight_norm_is_the_norm_of_all_parameters():
    torch.manual_seed(0)
    net = small_net()
    want = torch.nn.utils.parameters_to_vector(net.parameters()).norm().item()
    assert weight_norm(net) == pytest.approx(want, rel=1e-6)


def torch_sgd_steps(lrs, data, seed, batch_size, momentum, weight_decay):
    """The torch.optim.SGD copy of twin_sgd_runs, written out: its step lengths."""
    X, y = data
    torch.manual_seed(seed)
    net = small_net()
    opt = torch.optim.SGD(net.parameters(), lr=lrs[0], momentum=momentum,
                          weight_decay=weight_decay)
    gen = torch.Generator().manual_seed(seed)
    steps = []
    for lr in lrs:
        idx = torch.randint(0, len(X), (batch_size,), generator=gen)
        before = torch.nn.utils.parameters_to_vector(net.parameters()).detach().clone()
        for group in opt.param_groups:
            group["lr"] = lr
        opt.zero_grad()
        F.cross_entropy(net(X[idx]), y[idx]).backward()
        opt.step()
        steps.append((torch.nn.utils.parameters_to_vector(net.parameters()).detach()
                      - before).norm().item())
    return np.array(steps)


@pytest.mark.parametrize("seed", [0, 3])
def test_twin_runs_agree_at_a_constant_rate_and_part_after_a_drop(seed):
    data = small_data()
    lrs = [0.05] * 6 + [0.005] * 6
    runs = twin_sgd_runs(small_net, data, lrs, batch_size=16, seed=seed)
    assert runs.gaps.shape == runs.steps_alexnet.shape == runs.steps_torch.shape == (12,)
    assert runs.gaps[:6].max() < 1e-6
    assert runs.gaps[6:].max() > 100 * max(runs.gaps[:6].max(), 1e-9)
    # after the drop torch's step shrinks at once (buffer times the new rate), AlexNet's coasts
    assert runs.steps_alexnet[6] > 2 * runs.steps_torch[6]
    want = torch_sgd_steps(lrs, data, seed, 16, 0.9, 5e-4)
    np.testing.assert_allclose(runs.steps_torch, want, rtol=1e-5, atol=1e-8)


def test_sgd_experiment_records_the_norm_after_each_epoch():
    X, y = small_data(48)
    h = sgd_experiment(small_net, (X[:32], y[:32]), (X[32:], y[32:]), epochs=2, batch_size=8,
                       lr=0.05, seed=1, device="cpu")
    assert len(h.norms) == 2 and len(h.records) == 2
    # the same run written out with torch.optim.SGD (identical at a constant rate)
    torch.manual_seed(1)
    net = small_net()
    opt = torch.optim.SGD(net.parameters(), lr=0.05, momentum=0.9, weight_decay=5e-4)
    order = torch.Generator().manual_seed(1)
    for _ in range(2):
        perm = torch.randperm(32, generator=order)
        for k in range(0, 32, 8):
            idx = perm[k:k + 8]
            opt.zero_grad()
            F.cross_entropy(net(X[idx]), y[idx]).backward()
            opt.step()
    want = torch.nn.utils.parameters_to_vector(net.parameters()).norm().item()
    assert h.norms[-1] == pytest.approx(want, rel=1e-4)


def test_weight_decay_alone_shrinks_the_norm_as_predicted():
    """All-zero inputs into a bias-free linear layer: the logits are 0 whatever w, so the loss
    gradient is exactly 0 and one step of the rule (momentum 0) is w <- (1 - lambda lr) w."""
    torch.manual_seed(0)
    X = torch.zeros(16, 1, 6, 6)
    y = torch.zeros(16, dtype=torch.long)
    net = lambda: nn.Sequential(nn.Flatten(), nn.Linear(36, 4, bias=False))  # noqa: E731
    h = sgd_experiment(net, (X, y), None, epochs=1, batch_size=16, lr=0.1, momentum=0.0,
                       weight_decay=0.5, seed=0, device="cpu")
    torch.manual_seed(0)
    w0 = torch.nn.utils.parameters_to_vector(net().parameters()).norm().item()
    assert h.norms[-1] == pytest.approx(w0 * (1 - 0.5 * 0.1), rel=1e-5)


def test_format_runs_prints_one_line_per_run():
    X, y = small_data(32)
    h = sgd_experiment(small_net, (X, y), (X, y), epochs=1, batch_size=16, seed=0, device="cpu")
    text = format_runs({"a": h, "b": h}, "batch")
    assert text.count("\n") == 1 and "batch       a" in text and "|w|" in text
