"""course_utils.train: the optimizer against torch.optim.SGD and a NumPy transcription of the
paper's formula; fit/evaluate/predict against hand computations."""
import math

import numpy as np
import pytest
import torch
from torch import nn
from torch.nn import functional as F

from course_utils.train import AlexNetSGD, History, batches, evaluate, fit, predict


def small_net(seed=0):
    torch.manual_seed(seed)
    return nn.Sequential(nn.Conv2d(2, 3, 3), nn.Tanh(), nn.Flatten(), nn.Linear(3 * 4 * 4, 4))


def batch_stream(seed, n_steps, batch=8):
    g = torch.Generator().manual_seed(seed)
    return [(torch.randn(batch, 2, 6, 6, generator=g), torch.randint(0, 4, (batch,), generator=g))
            for _ in range(n_steps)]


def run(model, opt, stream, lrs=None):
    """Train on a fixed stream of batches; ``lrs[t]`` (if given) is the lr set before step t."""
    for t, (x, y) in enumerate(stream):
        if lrs is not None:
            for g in opt.param_groups:
                g["lr"] = lrs[t]
        opt.zero_grad()
        F.cross_entropy(model(x), y).backward()
        opt.step()
    return [p.detach().clone() for p in model.parameters()]


@pytest.mark.parametrize("lr,momentum,wd", [(0.1, 0.9, 5e-4), (0.01, 0.9, 5e-4), (0.05, 0.0, 0.0),
                                            (0.2, 0.5, 1e-2), (0.03, 0.99, 0.0)])
@pytest.mark.parametrize("seed", [0, 1])
def test_alexnet_sgd_equals_torch_sgd_at_constant_lr(lr, momentum, wd, seed):
    stream = batch_stream(seed, 12)
    a, b = small_net(seed), small_net(seed)
    ours = run(a, AlexNetSGD(a.parameters(), lr=lr, momentum=momentum, weight_decay=wd), stream)
    theirs = run(b, torch.optim.SGD(b.parameters(), lr=lr, momentum=momentum, weight_decay=wd),
                 stream)
    for p, q in zip(ours, theirs):
        torch.testing.assert_close(p, q, rtol=1e-5, atol=1e-6)


def test_velocity_is_minus_lr_times_torch_buffer():
    stream = batch_stream(3, 6)
    a, b = small_net(3), small_net(3)
    oa = AlexNetSGD(a.parameters(), lr=0.05)
    ob = torch.optim.SGD(b.parameters(), lr=0.05, momentum=0.9, weight_decay=5e-4)
    run(a, oa, stream), run(b, ob, stream)
    for p, q in zip(a.parameters(), b.parameters()):
        torch.testing.assert_close(oa.state[p]["velocity"], -0.05 * ob.state[q]["momentum_buffer"],
                                   rtol=1e-5, atol=1e-7)


def test_alexnet_sgd_matches_the_formula_in_numpy_with_changing_lr():
    """Oracle: the paper's two lines transcribed in NumPy (float64), with an lr drop midway."""
    stream = batch_stream(5, 10)
    lrs = [0.1] * 5 + [0.01] * 5
    model = small_net(5)
    w = [p.detach().double().numpy().copy() for p in model.parameters()]
    v = [np.zeros_like(x) for x in w]
    ref = small_net(5).double()
    for t, (x, y) in enumerate(stream):
        for p, wi in zip(ref.parameters(), w):
            p.data = torch.from_numpy(wi.copy())
        ref.zero_grad()
        F.cross_entropy(ref(x.double()), y).backward()
        for i, p in enumerate(ref.parameters()):
            g = p.grad.numpy()
            v[i] = 0.9 * v[i] - 0.0005 * lrs[t] * w[i] - lrs[t] * g
            w[i] = w[i] + v[i]
    got = run(model, AlexNetSGD(model.parameters(), lr=0.1), stream, lrs)
    for p, want in zip(got, w):
        np.testing.assert_allclose(p.numpy(), want, rtol=1e-4, atol=1e-6)


def test_after_an_lr_drop_the_two_rules_differ_as_explained():
    stream = batch_stream(7, 10)
    lrs = [0.1] * 5 + [0.01] * 5
    a, b = small_net(7), small_net(7)
    ours = run(a, AlexNetSGD(a.parameters(), lr=0.1), stream, lrs)
    theirs = run(b, torch.optim.SGD(b.parameters(), lr=0.1, momentum=0.9, weight_decay=5e-4),
                 stream, lrs)
    gap = max(float((p - q).abs().max()) for p, q in zip(ours, theirs))
    assert gap > 1e-3
    # the first step after the drop: torch's momentum term is scaled by lr_new / lr_old
    a, b = small_net(7), small_net(7)
    oa, ob = AlexNetSGD(a.parameters(), lr=0.1), torch.optim.SGD(b.parameters(), lr=0.1,
                                                                  momentum=0.9, weight_decay=5e-4)
    run(a, oa, stream[:5]), run(b, ob, stream[:5])
    v_before = [oa.state[p]["velocity"].clone() for p in a.parameters()]
    w_a = [p.detach().clone() for p in a.parameters()]
    w_b = [p.detach().clone() for p in b.parameters()]
    run(a, oa, stream[5:6], [0.01]), run(b, ob, stream[5:6], [0.01])
    for p, q, v, wa, wb in zip(a.parameters(), b.parameters(), v_before, w_a, w_b):
        step_a, step_b = p.detach() - wa, q.detach() - wb
        torch.testing.assert_close(step_a - step_b, 0.9 * v * (1 - 0.01 / 0.1), rtol=1e-3,
                                   atol=1e-6)


def test_weight_decay_shrinks_the_weights():
    w = nn.Parameter(torch.tensor([2.0, -3.0]))
    opt = AlexNetSGD([w], lr=0.1, momentum=0.9, weight_decay=0.5)
    w.grad = torch.zeros(2)
    opt.step()
    torch.testing.assert_close(w.detach(), torch.tensor([2.0, -3.0]) * (1 - 0.5 * 0.1))


@pytest.mark.parametrize("kw", [dict(lr=0), dict(lr=-1), dict(lr=0.1, momentum=1.0),
                                dict(lr=0.1, momentum=-0.1), dict(lr=0.1, weight_decay=-1)])
def test_alexnet_sgd_rejects_bad_settings(kw):
    with pytest.raises(ValueError):
        AlexNetSGD([nn.Parameter(torch.zeros(1))], **kw)


def toy_separable(n=200, seed=0):
    g = torch.Generator().manual_seed(seed)
    X = torch.randn(n, 2, generator=g)
    y = (X[:, 0] + 0.5 * X[:, 1] > 0).long()
    X = X + 0.3 * torch.sign(X[:, :1] + 0.5 * X[:, 1:]) * torch.tensor([1.0, 0.5])  # a margin
    return X, y


def test_fit_learns_a_linearly_separable_toy():
    X, y = toy_separable()
    torch.manual_seed(0)
    model = nn.Linear(2, 2)
    h = fit(model, (X, y), (X, y), epochs=30, batch_size=16, lr=0.1, progress=False, device="cpu")
    assert h["test_acc"][-1] == 1.0 and h["train_loss"][-1] < h["train_loss"][0]
    assert len(h) == 30 and h["epoch"] == list(range(1, 31))
    assert len(h.step_losses) == 30 * math.ceil(200 / 16)
    assert predict(model, X, device="cpu").tolist() == y.tolist()


def test_fit_is_seeded_and_the_seed_changes_only_the_order():
    X, y = toy_separable(seed=1)
    runs = {}
    for seed in (0, 0, 1):
        torch.manual_seed(0)
        model = nn.Linear(2, 2)
        runs.setdefault(seed, []).append(fit(model, (X, y), epochs=2, batch_size=32, seed=seed,
                                             progress=False, device="cpu").step_losses)
    assert runs[0][0] == runs[0][1]
    assert runs[0][0] != runs[1][0]
    # the first loss of an epoch sees the same weights whatever the order: only batches differ
    assert runs[0][0][0] != runs[1][0][0] or runs[0][0][1] != runs[1][0][1]


def test_fit_with_a_dataloader_and_a_custom_optimizer():
    X, y = toy_separable()
    loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(X, y), batch_size=20,
                                         shuffle=False)
    torch.manual_seed(0)
    model = nn.Linear(2, 2)
    h = fit(model, loader, loader, epochs=20, optimizer=lambda p: AlexNetSGD(p, lr=0.1),
            progress=False, device="cpu")
    assert h.best("test_acc") == 1.0 and len(h.step_losses) == 20 * 10


def test_fit_records_the_learning_rate_of_a_scheduler():
    X, y = toy_separable()
    model = nn.Linear(2, 2)
    h = fit(model, (X, y), epochs=4, lr=0.1, progress=False, device="cpu",
            scheduler=lambda o: torch.optim.lr_scheduler.StepLR(o, step_size=2, gamma=0.1))
    np.testing.assert_allclose(h["lr"], [0.1, 0.1, 0.01, 0.01])
    h = fit(model, (X, y), (X, y), epochs=3, lr=0.1, progress=False, device="cpu",
            scheduler=lambda o: torch.optim.lr_scheduler.ReduceLROnPlateau(o, patience=0,
                                                                           threshold=10.0))
    np.testing.assert_allclose(h["lr"], [0.1, 0.01, 0.001])   # never "improves" by 1000%


def test_fit_max_steps_and_test_metrics_absent():
    X, y = toy_separable()
    h = fit(nn.Linear(2, 2), (X, y), epochs=5, batch_size=10, max_steps=3, progress=False,
            device="cpu")
    assert len(h.step_losses) == 3 and len(h) == 1 and math.isnan(h["test_acc"][0])


def test_evaluate_against_a_hand_computation():
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(5, 7), nn.ReLU(), nn.Linear(7, 3))
    X, y = torch.randn(103, 5), torch.randint(0, 3, (103,))
    logits = model(X).detach().numpy().astype(np.float64)
    logp = logits - np.log(np.exp(logits - logits.max(1, keepdims=True)).sum(1, keepdims=True)) \
        - logits.max(1, keepdims=True)
    want_loss = -logp[np.arange(103), y.numpy()].mean()
    want_acc = (logits.argmax(1) == y.numpy()).mean()
    got = evaluate(model, (X, y), device="cpu", batch_size=10)
    assert got["accuracy"] == pytest.approx(want_acc, abs=1e-12)
    assert got["loss"] == pytest.approx(want_loss, rel=1e-5)
    assert model.training   # mode restored


def test_evaluate_and_predict_use_eval_mode():
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(4, 50), nn.Dropout(0.9), nn.Linear(50, 3))
    X = torch.randn(64, 4)
    p1, p2 = predict(model, X, device="cpu"), predict(model, X, device="cpu")
    assert torch.equal(p1, p2) and p1.dtype == torch.int64 and p1.shape == (64,)
    model.eval()
    assert torch.equal(p1, model(X).argmax(1))


def test_batches_cover_every_example_once():
    X, y = torch.arange(10.0).view(10, 1), torch.arange(10)
    got = list(batches((X, y), 3, "cpu", generator=torch.Generator().manual_seed(0)))
    assert [len(b[1]) for b in got] == [3, 3, 3, 1]
    assert sorted(torch.cat([b[1] for b in got]).tolist()) == list(range(10))
    assert all(torch.equal(xb[:, 0].long(), yb) for xb, yb in got)


@pytest.mark.parametrize("train", [
    (torch.zeros(4, 2), torch.zeros(3, dtype=torch.long)),       # lengths differ
    (torch.zeros(4, 2), torch.zeros(4)),                          # float labels
    (torch.zeros(4, 2, dtype=torch.long), torch.zeros(4, dtype=torch.long)),  # integer inputs
    (np.zeros((4, 2)), np.zeros(4)),                              # not tensors
    torch.zeros(4, 2),                                            # not a pair
])
def test_fit_rejects_bad_data(train):
    with pytest.raises(ValueError):
        fit(nn.Linear(2, 2), train, epochs=1, progress=False, device="cpu")


@pytest.mark.parametrize("kw", [dict(epochs=0), dict(batch_size=0), dict(lr=0.0),
                                dict(optimizer="sgd"), dict(seed=1.5)])
def test_fit_rejects_bad_settings(kw):
    X, y = toy_separable(20)
    with pytest.raises(ValueError):
        fit(nn.Linear(2, 2), (X, y), progress=False, device="cpu", **kw)


def test_fit_stops_on_a_diverging_loss():
    X, y = toy_separable()
    with pytest.raises(FloatingPointError, match="lower the learning rate"):
        fit(nn.Linear(2, 2), (X * 1e30, y), epochs=3, lr=1e10, progress=False, device="cpu")


def test_history_access():
    h = History("run")
    h.append(epoch=1, train_loss=1.0, train_acc=0.5, lr=0.1, seconds=2.0)
    h.append(epoch=2, train_loss=0.5, train_acc=0.7, test_acc=0.6, lr=0.1, seconds=1.0)
    assert h["train_loss"] == [1.0, 0.5] and h.best("train_loss") == 0.5
    assert h.best("test_acc") == 0.6 and h.total_seconds == 3.0 and h.last["epoch"] == 2
    assert "run" in repr(h)
    with pytest.raises(KeyError):
        h["accuracy"]
    with pytest.raises(ValueError):
        h.append(epoch=3, acc=1.0)


# --- augmentation, confusion matrix, the 2-D surfaces ---------------------------------------------

from course_utils.train import (  # noqa: E402
    LOSS_SURFACES,
    confusion_matrix,
    momentum_path,
    random_shift,
    surface_grad,
    surface_loss,
)


@pytest.mark.parametrize("shift", [0, 1, 2, 3])
def test_random_shift_against_roll(shift):
    g = torch.Generator().manual_seed(shift)
    x = torch.zeros(6, 2, 12, 12)
    x[:, :, 4:8, 4:8] = torch.randn(6, 2, 4, 4, generator=g)   # a patch away from the border
    out = random_shift(x, shift, torch.Generator().manual_seed(1))
    assert out.shape == x.shape
    for n in range(6):   # each image is the original translated by some (dy, dx), |d| <= shift
        assert any(torch.equal(out[n], torch.roll(x[n], (dy, dx), (1, 2)))
                   for dy in range(-shift, shift + 1) for dx in range(-shift, shift + 1))


def test_random_shift_rejects_bad_input():
    with pytest.raises(ValueError):
        random_shift(torch.zeros(3, 8, 8))
    with pytest.raises(ValueError):
        random_shift(torch.zeros(1, 1, 8, 8), -1)


def test_confusion_matrix_against_a_loop():
    rng = np.random.default_rng(0)
    y, p = rng.integers(0, 4, 200), rng.integers(0, 4, 200)
    want = np.zeros((4, 4), int)
    for a, b in zip(y, p):
        want[a, b] += 1
    np.testing.assert_array_equal(confusion_matrix(y, p, 4), want)
    np.testing.assert_array_equal(confusion_matrix(torch.from_numpy(y), list(p)), want)
    with pytest.raises(ValueError):
        confusion_matrix([0, 5], [0, 1], 4)
    with pytest.raises(ValueError):
        confusion_matrix([0, 1], [0], 4)


@pytest.mark.parametrize("surface", LOSS_SURFACES)
def test_surface_gradients_against_autograd(surface):
    rng = np.random.default_rng(1)
    for x, y in rng.uniform(-2, 2, (10, 2)):
        xt, yt = (torch.tensor(float(v), dtype=torch.float64, requires_grad=True) for v in (x, y))
        if surface == "ravine":
            loss = 0.5 * (xt**2 + 20 * yt**2)
        elif surface == "rosenbrock":
            loss = (1 - xt) ** 2 + 5 * (yt - xt**2) ** 2
        else:
            loss = 0.25 * (xt**2 + 2 * yt**2) - 0.4 * torch.cos(3 * xt) * torch.cos(3 * yt) + 0.4
        assert float(surface_loss(surface, x, y)) == pytest.approx(loss.item(), rel=1e-12)
        loss.backward()
        np.testing.assert_allclose(surface_grad(surface, x, y), (float(xt.grad), float(yt.grad)),
                                   rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("surface", LOSS_SURFACES)
@pytest.mark.parametrize("momentum", [0.0, 0.5, 0.9])
def test_momentum_path_is_alexnet_sgd(surface, momentum):
    w = nn.Parameter(torch.tensor([-1.5, 0.5], dtype=torch.float64))
    opt = AlexNetSGD([w], lr=0.01, momentum=momentum, weight_decay=0.0)
    want = [w.detach().numpy().copy()]
    for _ in range(30):
        w.grad = torch.from_numpy(np.array(surface_grad(surface, *w.detach().numpy()), float))
        opt.step()
        want.append(w.detach().numpy().copy())
    np.testing.assert_allclose(momentum_path(surface, (-1.5, 0.5), 0.01, momentum, 30),
                               np.array(want), rtol=1e-10, atol=1e-12)


def test_momentum_path_stops_when_it_diverges():
    path = momentum_path("ravine", (1.0, 1.0), lr=0.2, momentum=0.0, steps=500)
    assert len(path) < 501 and np.all(np.isfinite(path))
    with pytest.raises(ValueError):
        momentum_path("ravine", (0, 0), lr=0.1, momentum=1.0)
    with pytest.raises(ValueError):
        momentum_path("valley", (0, 0), lr=0.1)


# --- renderers and checkers of chapter 2 ----------------------------------------------------------

def _fig():
    from matplotlib.figure import Figure

    return Figure(figsize=(6, 3))


def test_render_history_draws_every_metric_and_rejects_unknown_ones():
    from course_utils.viz import render_history

    X, y = toy_separable(60)
    h = fit(nn.Linear(2, 2), (X, y), (X, y), epochs=2, progress=False, device="cpu")
    fig = _fig()
    render_history(fig, {"a": h, "b": h}, metrics=("train_loss", "test_acc", "step_losses"))
    assert len(fig.axes) == 3 and len(fig.axes[0].lines) == 2
    np.testing.assert_allclose(fig.axes[1].lines[0].get_ydata(), 100 * np.array(h["test_acc"]))
    with pytest.raises(ValueError):
        render_history(_fig(), h, metrics=("accuracy",))
    with pytest.raises(ValueError):
        render_history(_fig(), {})


def test_chapter2_renderers_explain_bad_input():
    from course_utils import viz

    imgs = np.zeros((3, 32, 32))
    maps = {"C1": np.zeros((3, 6, 28, 28))}
    viz.render_feature_maps(_fig(), imgs, maps, [0, 1, 2], index=2, layers=("C1",))
    with pytest.raises(ValueError, match="available"):
        viz.render_feature_maps(_fig(), imgs, maps, layers=("C3",))
    with pytest.raises(ValueError, match="out of range"):
        viz.render_feature_maps(_fig(), imgs, maps, index=3, layers=("C1",))
    viz.render_confusion(_fig(), [0, 1, 2, 2], [0, 2, 2, 1], num_classes=3)
    with pytest.raises(ValueError):
        viz.render_misclassified(_fig(), imgs, [0, 1, 2], [0, 1, 2])
    viz.render_misclassified(_fig(), imgs, [0, 1, 2], [0, 2, 2], confidence=[0.5, 0.9, 0.7])
    with pytest.raises(ValueError, match="outside"):
        viz.render_momentum(_fig(), "ravine", start_x=5.0)
    with pytest.raises(ValueError, match="momentum"):
        viz.render_momentum(_fig(), "ravine", momentum=1.0)


def test_chapter2_checkers_accept_right_and_reject_wrong_answers(capsys):
    from course_utils import checks

    def conv_params(i, o, k):
        return o * (i * k * k + 1)

    checks.check_conv_params(conv_params)
    assert capsys.readouterr().out.startswith("Correct")
    with pytest.raises(checks.WrongAnswer, match="bias"):
        checks.check_conv_params(lambda i, o, k: o * i * k * k)

    def subsample(x, coef, bias):
        C, H, W = x.shape
        s = x[:, :H // 2 * 2, :W // 2 * 2].reshape(C, H // 2, 2, W // 2, 2).sum((2, 4))
        return s * coef[:, None, None] + bias[:, None, None]

    checks.check_trainable_subsampling(subsample)
    assert capsys.readouterr().out.startswith("Correct")
    with pytest.raises(checks.WrongAnswer, match="averaged"):
        checks.check_trainable_subsampling(
            lambda x, c, b: (subsample(x, c, b) - b[:, None, None]) / 4 + b[:, None, None])

    def step(w, v, g, lr, mu, wd):
        v = mu * v - wd * lr * w - lr * g
        return w + v, v

    checks.check_alexnet_step(step)
    assert capsys.readouterr().out.startswith("Correct")
    with pytest.raises(checks.WrongAnswer, match="erratum"):
        checks.check_alexnet_step(lambda w, v, g, lr, mu, wd: (w + mu * v + wd * lr * w - lr * g,
                                                               mu * v + wd * lr * w - lr * g))

    def stub(*args):
        raise NotImplementedError(checks.STUB_MESSAGE)

    checks.check_alexnet_step(stub)
    assert "Not done yet" in capsys.readouterr().out


def test_fit_calls_the_callback_after_each_epoch():
    X, y = toy_separable()
    seen = []
    fit(nn.Linear(2, 2), (X, y), epochs=3, progress=False, device="cpu",
        callback=lambda m, r: seen.append((r["epoch"], m.weight.detach().norm().item())))
    assert [e for e, _ in seen] == [1, 2, 3] and len({n for _, n in seen}) == 3


from course_utils.train import affine_images, random_affine  # noqa: E402


def test_affine_images_rotates_like_rot90_and_shifts_like_roll():
    x = torch.rand(3, 2, 9, 9)
    turned = affine_images(x, [90.0] * 3, [1.0] * 3, torch.zeros(3, 2))
    torch.testing.assert_close(turned, torch.rot90(x, 1, (2, 3)), atol=1e-5, rtol=0)
    torch.testing.assert_close(affine_images(x, [0.0] * 3, [1.0] * 3, torch.zeros(3, 2)), x,
                               atol=1e-6, rtol=0)
    y = torch.zeros(1, 1, 8, 10)
    y[0, 0, 2:5, 3:6] = torch.rand(3, 3)
    moved = affine_images(y, [0.0], [1.0], [[2.0, -1.0]])     # 2 right, 1 up
    torch.testing.assert_close(moved, torch.roll(y, (-1, 2), (2, 3)), atol=1e-6, rtol=0)


def test_random_affine_keeps_shapes_and_is_seeded():
    x = torch.rand(5, 1, 12, 12)
    a = random_affine(x, generator=torch.Generator().manual_seed(0))
    b = random_affine(x, generator=torch.Generator().manual_seed(0))
    assert a.shape == x.shape and torch.equal(a, b) and not torch.equal(a, x)
    torch.testing.assert_close(random_affine(x, 0, 0, 0), x, atol=1e-6, rtol=0)
    with pytest.raises(ValueError):
        random_affine(x, max_scale=1.5)
    with pytest.raises(ValueError):
        affine_images(x, [0.0], [1.0], [[0.0, 0.0]])
