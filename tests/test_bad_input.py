"""Bad input never ends in a raw traceback, a hang or a memory blow-up.

A sweep of the public API with the odd things students pass: wrong types, numbers as strings,
None, NaN and inf, negative, zero and huge sizes, wrong shapes, ragged and empty lists, wrong
dtypes, tensors for arrays, out-of-range labels, unknown devices, damaged data files, and
student functions that raise or return the wrong thing. Each case must end at once in the
exception named here (the exact type), with a message naming the argument; sizes are checked
against the limits of :mod:`course_utils._validate` before anything is allocated.

New chapters add their functions' cases to CASES (one ``case(id, call, exception, match)`` each).
"""
from __future__ import annotations

import hashlib
import os

import numpy as np
import pytest
import torch
from torch import nn

from course_utils import checks, conv, data, models, pooling, train, viz, widgets
from course_utils._validate import MAX_ELEMENTS
from course_utils.checks import STUB_MESSAGE, WrongAnswer

R = np.random.default_rng(0)
X4, W4, B4 = R.standard_normal((2, 3, 5, 5)), R.standard_normal((4, 3, 3, 3)), R.standard_normal(4)
GRID = np.arange(16.0).reshape(4, 4)
IMAGES, LABELS = R.integers(0, 256, (5, 28, 28)).astype(np.uint8), np.arange(5)
RAGGED = [[1.0, 2.0], [3.0]]
PHOTO = R.random((12, 10, 3))


def fig():
    from matplotlib.figure import Figure

    return Figure()


def pair(n=20, classes=2, dtype=torch.float32):
    g = torch.Generator().manual_seed(0)
    X = torch.randn(n, 2, generator=g, dtype=dtype)
    return X, torch.arange(n) % classes


def fit1(train_data=None, model=None, **kw):
    kw = dict(epochs=1, progress=False, device="cpu") | kw
    return train.fit(model or nn.Linear(2, 2), pair() if train_data is None else train_data, **kw)


def with_nan(X):
    X = X.clone()
    X[3, 1] = float("nan")
    return X


def stub(*args, **kwargs):
    raise checks.stub_error()


def raises(error):
    def student(*args, **kwargs):
        raise error
    return student


def damaged_data(tmp, content: bytes, manifest: bytes | None = None, name="mnist_4k1k.npz"):
    """A data folder with one damaged file listed (by default with its true checksum)."""
    tmp.mkdir(parents=True, exist_ok=True)
    (tmp / name).parent.mkdir(parents=True, exist_ok=True)
    (tmp / name).write_bytes(content)
    digest = hashlib.sha256(content).hexdigest()
    (tmp / name).parent.mkdir(parents=True, exist_ok=True)
    (tmp / "SHA256SUMS").write_bytes(manifest if manifest is not None
                                     else f"{digest}  {name}\n".encode())
    return tmp


def in_data_dir(folder, call):
    old = os.environ.get(data.DATA_ENV_VAR)
    os.environ[data.DATA_ENV_VAR] = str(folder)
    try:
        return call()
    finally:
        if old is None:
            del os.environ[data.DATA_ENV_VAR]
        else:
            os.environ[data.DATA_ENV_VAR] = old


def tmpdir(name):
    import tempfile
    from pathlib import Path

    return Path(tempfile.mkdtemp(prefix=f"bad-input-{name}-"))


def case(id, call, exc=ValueError, match=None):
    return pytest.param(call, exc, match, id=id)


def sgd_params():
    return [nn.Parameter(torch.zeros(2))]


def fake_history():
    h = train.History()
    h.append(epoch=1, train_loss=1.0)
    return h


CASES = [
    # --- conv.py ---------------------------------------------------------------------------------
    case("output_size-n-string", lambda: conv.output_size("7", 3), match="n"),
    case("output_size-n-float", lambda: conv.output_size(7.0, 3), match="n"),
    case("output_size-s-zero", lambda: conv.output_size(7, 3, s=0), match="stride"),
    case("output_size-p-negative", lambda: conv.output_size(7, 3, p=-1), match="padding"),
    case("output_size-window-too-big", lambda: conv.output_size(3, 5), match="window"),
    case("fixing_padding-s-none", lambda: conv.fixing_padding(7, 3, None), match="s"),
    case("same_padding-even", lambda: conv.same_padding(4), match="odd"),
    case("same_padding-string", lambda: conv.same_padding("3"), match="f"),
    case("kernel-unknown", lambda: conv.kernel("blurry"), match="kernel"),
    case("kernel-list", lambda: conv.kernel(["sobel x"]), match="kernel"),
    case("kernel-none", lambda: conv.kernel(None), match="kernel"),
    case("correlate2d-1d", lambda: conv.correlate2d(np.zeros(5), np.ones((2, 2))), match="image"),
    case("correlate2d-ragged", lambda: conv.correlate2d(RAGGED, np.ones((1, 1))), match="image"),
    case("correlate2d-kernel-strings", lambda: conv.correlate2d(GRID, [["a", "b"]]),
         match="kernel"),
    case("correlate2d-huge-padding", lambda: conv.correlate2d(GRID, np.ones((3, 3)),
                                                              padding=10**6), match="padding"),
    case("convolve2d-mode", lambda: conv.convolve2d(GRID, np.ones((2, 2)), mode="same"),
         match="mode"),
    case("convolve2d-none", lambda: conv.convolve2d(None, np.ones((2, 2))), match="image"),
    case("conv2d-huge-padding", lambda: conv.conv2d(X4, W4, padding=100000), match="padding"),
    case("conv2d-huge-padding-pair", lambda: conv.conv2d(X4, W4, padding=(0, 10**7)),
         match="padding"),
    case("conv2d-ragged-x", lambda: conv.conv2d([[[RAGGED]]], W4), match="x"),
    case("conv2d-w-none", lambda: conv.conv2d(X4, None), match="w"),
    case("conv2d-x-string", lambda: conv.conv2d("abc", W4), match="x"),
    case("conv2d-stride-string", lambda: conv.conv2d(X4, W4, stride="2"), match="stride"),
    case("conv2d-stride-float", lambda: conv.conv2d(X4, W4, stride=1.5), match="stride"),
    case("conv2d-stride-zero", lambda: conv.conv2d(X4, W4, stride=0), match="stride"),
    case("conv2d-padding-negative", lambda: conv.conv2d(X4, W4, padding=-1), match="padding"),
    case("conv2d-padding-triple", lambda: conv.conv2d(X4, W4, padding=(1, 1, 1)),
         match="padding"),
    case("conv2d-bias-length", lambda: conv.conv2d(X4, W4, np.zeros(3)), match="b"),
    case("conv2d-bias-ragged", lambda: conv.conv2d(X4, W4, RAGGED), match="b"),
    case("conv2d-channel-mismatch", lambda: conv.conv2d(X4, W4[:, :2]), match="channel"),
    case("conv2d-complex", lambda: conv.conv2d(X4 + 1j, W4), match="x"),
    case("conv2d-empty", lambda: conv.conv2d(np.zeros((0, 3, 5, 5)), W4), match="empty"),
    case("conv2d-tensor-requires-grad",
         lambda: conv.conv2d(torch.ones(1, 3, 5, 5, requires_grad=True), W4), None),
    case("conv2d_naive-huge-padding", lambda: conv.conv2d_naive(X4, W4, padding=100000),
         match="padding"),
    case("conv2d_naive-too-many-loops",
         lambda: conv.conv2d_naive(np.zeros((1, 1, 1100, 1100)), np.ones((1, 1, 1, 1))),
         match="conv2d_naive"),
    case("conv2d_naive-stride-none", lambda: conv.conv2d_naive(X4, W4, stride=None),
         match="stride"),
    case("conv2d_backward-ragged-dout", lambda: conv.conv2d_backward(RAGGED, X4, W4),
         match="dout"),
    case("conv2d_backward-dout-shape", lambda: conv.conv2d_backward(np.zeros((2, 4, 2, 2)), X4,
                                                                    W4), match="dout"),
    case("benchmark-repeats-zero", lambda: conv.benchmark_conv2d(repeats=0, verbose=False),
         match="repeats"),
    case("benchmark-number-string", lambda: conv.benchmark_conv2d(number="10", verbose=False),
         match="number"),
    case("benchmark-huge-shape",
         lambda: conv.benchmark_conv2d(shape=(8, 3, 10**5, 10**5), verbose=False), match="shape"),
    case("benchmark-shape-3d", lambda: conv.benchmark_conv2d(shape=(3, 32, 32), verbose=False),
         match="shape"),
    case("benchmark-pause-negative", lambda: conv.benchmark_conv2d(pause=-1, verbose=False),
         match="pause"),
    # --- pooling.py ------------------------------------------------------------------------------
    case("pool_output_size-pair-size", lambda: pooling.pool_output_size(7, (2, 3)), match="size"),
    case("pool_output_size-pair-stride", lambda: pooling.pool_output_size(7, 3, (1, 2)),
         match="stride"),
    case("pool_output_size-float-n", lambda: pooling.pool_output_size(7.0, 3), match="n"),
    case("pool_output_size-string-n", lambda: pooling.pool_output_size("7", 3), match="n"),
    case("pool_output_size-zero-n", lambda: pooling.pool_output_size(0, 1), match="n"),
    case("pool_output_size-window", lambda: pooling.pool_output_size(2, 3), match="window"),
    case("pool2d-ragged", lambda: pooling.pool2d(RAGGED), match="x"),
    case("pool2d-none", lambda: pooling.pool2d(None), match="x"),
    case("pool2d-strings", lambda: pooling.pool2d(np.array([["a", "b"], ["c", "d"]])), match="x"),
    case("pool2d-size-string", lambda: pooling.pool2d(GRID, "2"), match="size"),
    case("pool2d-size-zero", lambda: pooling.pool2d(GRID, 0), match="size"),
    case("pool2d-size-float", lambda: pooling.pool2d(GRID, 2.0), match="size"),
    case("pool2d-mode", lambda: pooling.pool2d(GRID, 2, mode="median"), match="mode"),
    case("pool2d-mode-none", lambda: pooling.pool2d(GRID, 2, mode=None), match="mode"),
    case("pool2d-padding-big", lambda: pooling.pool2d(GRID, 2, padding=5), match="padding"),
    case("pool2d-5d", lambda: pooling.pool2d(np.zeros((1, 1, 1, 4, 4))), match="x"),
    case("pool2d-huge-work", lambda: pooling.pool2d(np.zeros((2000, 2000)), 1000, 1),
         match="size"),
    case("pool2d-tensor-requires-grad",
         lambda: pooling.pool2d(torch.ones(4, 4, requires_grad=True)), None),
    case("pool2d_backward-ragged-dout", lambda: pooling.pool2d_backward(RAGGED, GRID),
         match="dout"),
    case("pool2d_backward-dout-shape", lambda: pooling.pool2d_backward(np.zeros((3, 3)), GRID),
         match="dout"),
    case("flatten-ragged", lambda: pooling.flatten(RAGGED), match="x"),
    case("flatten-1d", lambda: pooling.flatten(np.zeros(3)), match="x"),
    case("relu-string", lambda: pooling.relu("a"), match="x"),
    case("relu-none", lambda: pooling.relu(None), match="x"),
    case("linear-strings", lambda: pooling.linear(np.zeros((2, 2)), [["a", "b"]] * 3), match="w"),
    case("linear-ragged", lambda: pooling.linear(RAGGED, np.zeros((3, 2))), match="x"),
    case("linear-mismatch", lambda: pooling.linear(np.zeros((2, 5)), np.zeros((3, 4))),
         match="w"),
    case("linear-huge-output", lambda: pooling.linear(np.zeros((10**5, 1)), np.zeros((10**5, 1))),
         match="x and w"),
    case("linear-bias-ragged", lambda: pooling.linear(np.zeros((2, 2)), np.zeros((2, 2)),
                                                      RAGGED), match="b"),
    case("linear_backward-none", lambda: pooling.linear_backward(None, np.zeros((2, 2)),
                                                                 np.zeros((3, 2))), match="dz"),
    case("parameter_counts-string", lambda: pooling.parameter_counts("200"), match="side"),
    case("parameter_counts-float", lambda: pooling.parameter_counts(1.5), match="side"),
    case("parameter_counts-none", lambda: pooling.parameter_counts(None), match="side"),
    case("parameter_counts-zero-units", lambda: pooling.parameter_counts(28, units=0),
         match="units"),
    # --- train.py: fit ---------------------------------------------------------------------------
    case("fit-lr-inf", lambda: fit1(lr=float("inf")), match="lr"),
    case("fit-lr-nan", lambda: fit1(lr=float("nan")), match="lr"),
    case("fit-lr-string", lambda: fit1(lr="0.1"), match="lr"),
    case("fit-lr-zero", lambda: fit1(lr=0), match="lr"),
    case("fit-nan-inputs", lambda: fit1((with_nan(pair()[0]), pair()[1])), match="X"),
    case("fit-inf-test-inputs", lambda: fit1(test=(pair()[0] * float("inf"), pair()[1])),
         match="X"),
    case("fit-labels-too-big", lambda: fit1(pair(classes=5)), match="label"),
    case("fit-labels-negative", lambda: fit1((pair()[0], pair()[1] - 1)), match="label"),
    case("fit-test-labels-too-big", lambda: fit1(test=pair(classes=3)), match="label"),
    case("fit-float64-inputs", lambda: fit1(pair(dtype=torch.float64)), None),
    case("fit-device-gpu", lambda: fit1(device="gpu"), match="device"),
    case("fit-device-number", lambda: fit1(device=3.5), match="device"),
    case("fit-device-cuda-missing", lambda: fit1(device="cuda") if not torch.cuda.is_available()
         else (_ for _ in ()).throw(ValueError("device: CUDA is here, nothing to check")),
         match="device"),
    case("fit-max-steps-negative", lambda: fit1(max_steps=-1), match="max_steps"),
    case("fit-max-steps-string", lambda: fit1(max_steps="3"), match="max_steps"),
    case("fit-max-steps-float", lambda: fit1(max_steps=2.5), match="max_steps"),
    case("fit-callback-not-callable", lambda: fit1(callback=5), match="callback"),
    case("fit-scheduler-not-callable", lambda: fit1(scheduler="step"), match="scheduler"),
    case("fit-loss_fn-not-callable", lambda: fit1(loss_fn="mse"), match="loss_fn"),
    case("fit-optimizer-instance", lambda: fit1(optimizer=torch.optim.SGD(sgd_params(), lr=0.1)),
         match="optimizer"),
    case("fit-epochs-zero", lambda: fit1(epochs=0), match="epochs"),
    case("fit-epochs-string", lambda: fit1(epochs="3"), match="epochs"),
    case("fit-batch_size-zero", lambda: fit1(batch_size=0), match="batch_size"),
    case("fit-momentum-one", lambda: fit1(momentum=1.5), match="momentum"),
    case("fit-momentum-string", lambda: fit1(momentum="0.9"), match="momentum"),
    case("fit-weight_decay-negative", lambda: fit1(weight_decay=-1), match="weight_decay"),
    case("fit-weight_decay-nan", lambda: fit1(weight_decay=float("nan")), match="weight_decay"),
    case("fit-seed-string", lambda: fit1(seed="0"), match="seed"),
    case("fit-model-none", lambda: train.fit(None, pair(), progress=False, device="cpu"),
         match="model"),
    case("fit-train-tensor", lambda: fit1(pair()[0]), match="train"),
    case("fit-train-numpy-pair", lambda: fit1((np.zeros((4, 2)), np.zeros(4, int))),
         match="train"),
    case("fit-train-length-mismatch", lambda: fit1((pair()[0], pair()[1][:5])), match="train"),
    case("fit-labels-float", lambda: fit1((pair()[0], pair()[1].float())), match="y"),
    case("fit-model-rejects-shape", lambda: fit1((torch.zeros(4, 3), torch.zeros(4).long())),
         match="model"),
    case("fit-augment-not-callable", lambda: fit1(augment=True), match="augment"),
    # --- train.py: evaluate, predict, batches, augmentation --------------------------------------
    case("evaluate-labels-too-big", lambda: train.evaluate(nn.Linear(2, 2), pair(classes=4),
                                                           device="cpu"), match="label"),
    case("evaluate-device-gpu", lambda: train.evaluate(nn.Linear(2, 2), pair(), device="gpu"),
         match="device"),
    case("evaluate-float64", lambda: train.evaluate(nn.Linear(2, 2), pair(dtype=torch.float64),
                                                    device="cpu"), None),
    case("evaluate-batch_size-zero", lambda: train.evaluate(nn.Linear(2, 2), pair(), "cpu", 0),
         match="batch_size"),
    case("predict-numpy", lambda: train.predict(nn.Linear(2, 2), np.zeros((3, 2)), device="cpu"),
         match="X"),
    case("predict-device-gpu", lambda: train.predict(nn.Linear(2, 2), pair()[0], device="gpu"),
         match="device"),
    case("predict-float64", lambda: train.predict(nn.Linear(2, 2), pair(dtype=torch.float64)[0],
                                                  device="cpu"), None),
    case("batches-batch_size-zero", lambda: list(train.batches(pair(), 0, "cpu")),
         match="batch_size"),
    case("batches-batch_size-string", lambda: list(train.batches(pair(), "8", "cpu")),
         match="batch_size"),
    case("random_shift-numpy", lambda: train.random_shift(np.zeros((2, 1, 4, 4))), match="x"),
    case("random_shift-huge", lambda: train.random_shift(torch.zeros(2, 1, 4, 4), 10**5),
         match="max_shift"),
    case("random_shift-3d", lambda: train.random_shift(torch.zeros(1, 4, 4)), match="images"),
    case("affine-angle-string", lambda: train.affine_images(torch.zeros(1, 1, 4, 4), "a", 1.0,
                                                            (0, 0)), match="angle"),
    case("affine-scale-nan", lambda: train.affine_images(torch.zeros(1, 1, 4, 4), 0.0,
                                                         float("nan"), (0, 0)), match="scale"),
    case("affine-scale-zero", lambda: train.affine_images(torch.zeros(1, 1, 4, 4), 0.0, 0.0,
                                                          (0, 0)), match="scale"),
    case("random_affine-string", lambda: train.random_affine(torch.zeros(1, 1, 4, 4),
                                                             max_shift="2"), match="max_shift"),
    case("random_affine-nan", lambda: train.random_affine(torch.zeros(1, 1, 4, 4),
                                                          max_rotation=float("nan")),
         match="max_rotation"),
    case("confusion-huge-label", lambda: train.confusion_matrix([100000], [0]), match="classes"),
    case("confusion-huge-num_classes", lambda: train.confusion_matrix([1], [0], 10**6),
         match="num_classes"),
    case("confusion-float-labels", lambda: train.confusion_matrix([0.5, 1], [0, 1]),
         match="labels"),
    case("confusion-string-labels", lambda: train.confusion_matrix(["a"], ["b"]),
         match="labels"),
    case("confusion-nan-predictions", lambda: train.confusion_matrix([1], [float("nan")]),
         match="predictions"),
    case("confusion-length-mismatch", lambda: train.confusion_matrix([1, 2], [1]),
         match="predictions"),
    case("confusion-num_classes-string", lambda: train.confusion_matrix([1], [0], "3"),
         match="num_classes"),
    case("confusion-num_classes-zero", lambda: train.confusion_matrix([], [], 0),
         match="num_classes"),
    case("confusion-ragged", lambda: train.confusion_matrix(RAGGED, [1, 2]), match="labels"),
    case("momentum_path-huge-steps", lambda: train.momentum_path("ravine", (0, 0), 0.1,
                                                                 steps=10**9), match="steps"),
    case("momentum_path-start-3", lambda: train.momentum_path("ravine", (1, 2, 3), 0.1),
         match="start"),
    case("momentum_path-start-string", lambda: train.momentum_path("ravine", "ab", 0.1),
         match="start"),
    case("momentum_path-lr-string", lambda: train.momentum_path("ravine", (0, 0), "0.1"),
         match="lr"),
    case("momentum_path-noise-string", lambda: train.momentum_path("ravine", (0, 0), 0.1,
                                                                   noise="x"), match="noise"),
    case("momentum_path-seed-negative", lambda: train.momentum_path("ravine", (0, 0), 0.1,
                                                                    noise=1.0, seed=-1),
         match="seed"),
    case("momentum_path-surface", lambda: train.momentum_path("valley", (0, 0), 0.1),
         match="surface"),
    case("surface_loss-strings", lambda: train.surface_loss("ravine", "a", 1), match="x"),
    case("surface_loss-shapes", lambda: train.surface_loss("ravine", np.zeros(2), np.zeros(3)),
         match="x and y"),
    case("surface_grad-ragged", lambda: train.surface_grad("ravine", RAGGED, 1), match="x"),
    case("alexnet_sgd-weight_decay-inf", lambda: train.AlexNetSGD(sgd_params(), lr=0.1,
                                                                  weight_decay=float("inf")),
         match="weight_decay"),
    case("alexnet_sgd-lr-inf", lambda: train.AlexNetSGD(sgd_params(), lr=float("inf")),
         match="lr"),
    case("history-unknown-metric", lambda: train.History().append(acc=1.0), match="metrics"),
    case("history-best-empty", lambda: train.History().best("test_acc"), match="test_acc"),
    # --- viz.py: renderers -----------------------------------------------------------------------
    case("digit-batch-n1hw", lambda: viz.render_digit(fig(), IMAGES[:, None], LABELS),
         match="images"),
    case("digit-labels-short", lambda: viz.render_digit(fig(), IMAGES, LABELS[:2], index=3),
         match="labels"),
    case("digit-index-string", lambda: viz.render_digit(fig(), IMAGES, LABELS, index="3"),
         match="index"),
    case("digit-row-string", lambda: viz.render_digit(fig(), IMAGES, LABELS, row="10"),
         match="row"),
    case("digit-index-out-of-range", lambda: viz.render_digit(fig(), IMAGES, LABELS, index=99),
         match="index"),
    case("digit-size-zero", lambda: viz.render_digit(fig(), IMAGES, LABELS, size=0),
         match="size"),
    case("digit-images-list", lambda: viz.render_digit(fig(), [[1, 2]], [1]), match="images"),
    case("digit_grid-too-many", lambda: viz.render_digit_grid(
        fig(), np.zeros((100000, 2, 2)), np.zeros(100000, int)), match="images"),
    case("digit_grid-labels-short", lambda: viz.render_digit_grid(fig(), IMAGES, LABELS[:2]),
         match="labels"),
    case("digit_grid-ncols-string", lambda: viz.render_digit_grid(fig(), IMAGES, LABELS,
                                                                  ncols="10"), match="ncols"),
    case("digit_grid-n1hw", lambda: viz.render_digit_grid(fig(), IMAGES[:, None], LABELS),
         match="images"),
    case("digit_grid-predictions-short", lambda: viz.render_digit_grid(
        fig(), IMAGES, LABELS, predictions=[1]), match="predictions"),
    case("digit_grid-empty", lambda: viz.render_digit_grid(fig(), IMAGES[:0], LABELS[:0]),
         match="images"),
    case("image_channels-gray", lambda: viz.render_image_channels(fig(), np.zeros((4, 4))),
         match="image"),
    case("image_channels-ragged", lambda: viz.render_image_channels(fig(), RAGGED),
         match="image"),
    case("pooling-ragged", lambda: viz.render_pooling(fig(), RAGGED), match="x"),
    case("pooling-strings", lambda: viz.render_pooling(fig(), "abc"), match="x"),
    case("pooling-size-string", lambda: viz.render_pooling(fig(), GRID, size="2"), match="size"),
    case("pooling-window-string", lambda: viz.render_pooling(fig(), GRID, window="1"),
         match="window"),
    case("pooling-stride-none", lambda: viz.render_pooling(fig(), GRID, stride=None),
         match="stride"),
    case("pooling-huge-grid", lambda: viz.render_pooling(fig(), np.zeros((1000, 1000))),
         match="x"),
    case("pooling-window-zero", lambda: viz.render_pooling(fig(), GRID, window=0),
         match="window"),
    case("param_growth-huge-max_side", lambda: viz.render_param_growth(fig(), max_side=10**8),
         match="max_side"),
    case("param_growth-channels-string", lambda: viz.render_param_growth(fig(), channels="3"),
         match="channels"),
    case("param_growth-max_side-string", lambda: viz.render_param_growth(fig(), max_side="256"),
         match="max_side"),
    case("param_growth-marks-strings", lambda: viz.render_param_growth(fig(), marks=["a"]),
         match="marks"),
    case("param_growth-kernel-zero", lambda: viz.render_param_growth(fig(), kernel=0),
         match="kernel"),
    case("flashlight-step-string", lambda: viz.render_flashlight(fig(), GRID, np.ones((2, 2)),
                                                                 step="0"), match="step"),
    case("flashlight-step-negative", lambda: viz.render_flashlight(fig(), GRID, np.ones((2, 2)),
                                                                   step=-1), match="step"),
    case("flashlight-huge-image", lambda: viz.render_flashlight(fig(), np.zeros((500, 500)),
                                                                np.ones((3, 3))), match="image"),
    case("flashlight-kernel-1d", lambda: viz.render_flashlight(fig(), GRID, np.ones(3)),
         match="kernel"),
    case("flashlight-ragged", lambda: viz.render_flashlight(fig(), RAGGED, np.ones((1, 1))),
         match="image"),
    case("feature_map-ragged", lambda: viz.render_feature_map(fig(), RAGGED, np.ones((3, 3))),
         match="image"),
    case("feature_map-kernel-big", lambda: viz.render_feature_map(fig(), PHOTO,
                                                                  np.ones((16, 16))),
         match="kernel"),
    case("feature_map-kernel-nan", lambda: viz.render_feature_map(fig(), PHOTO,
                                                                  np.full((3, 3), np.nan)),
         match="kernel"),
    case("feature_map-rgba", lambda: viz.render_feature_map(fig(), np.zeros((4, 4, 4)),
                                                            np.ones((3, 3))), match="image"),
    case("stride_padding-huge-n", lambda: viz.render_stride_padding(fig(), n=10**5),
         match="n"),
    case("stride_padding-n-string", lambda: viz.render_stride_padding(fig(), n="7"), match="n"),
    case("stride_padding-huge-p", lambda: viz.render_stride_padding(fig(), p=10**5),
         match="p"),
    case("activation_maps-ragged", lambda: viz.render_activation_maps(fig(), PHOTO, [RAGGED],
                                                                      ["a"]), match="maps"),
    case("activation_maps-empty", lambda: viz.render_activation_maps(
        fig(), PHOTO, np.zeros((0, 3, 3)), []), match="maps"),
    case("activation_maps-names-none", lambda: viz.render_activation_maps(
        fig(), PHOTO, np.zeros((2, 3, 3)), None), match="names"),
    case("activation_maps-names-short", lambda: viz.render_activation_maps(
        fig(), PHOTO, np.zeros((2, 3, 3)), ["a"]), match="names"),
    case("activation_maps-too-many", lambda: viz.render_activation_maps(
        fig(), PHOTO, np.zeros((5000, 2, 2)), ["a"] * 5000), match="maps"),
    case("kernel_gallery-empty-kernels", lambda: viz.render_kernel_gallery(fig(), {"p": PHOTO},
                                                                           []), match="kernels"),
    case("kernel_gallery-kernels-string", lambda: viz.render_kernel_gallery(fig(), {"p": PHOTO},
                                                                            "sobel x"),
         match="kernels"),
    case("kernel_gallery-unknown", lambda: viz.render_kernel_gallery(fig(), {"p": PHOTO},
                                                                     ["bogus"]), match="kernel"),
    case("kernel_gallery-images-list", lambda: viz.render_kernel_gallery(fig(), [PHOTO],
                                                                         ["sobel x"]),
         match="images"),
    case("kernel_gallery-image-ragged", lambda: viz.render_kernel_gallery(fig(), {"p": RAGGED},
                                                                          ["sobel x"]),
         match="images"),
    case("history-empty", lambda: viz.render_history(fig(), {}), match="histories"),
    case("history-metric", lambda: viz.render_history(fig(), fake_history(), ["loss"]),
         match="metrics"),
    case("history-smooth-string", lambda: viz.render_history(fig(), fake_history(),
                                                             smooth="3"), match="smooth"),
    case("history-not-a-history", lambda: viz.render_history(fig(), {"a": 5}),
         match="histories"),
    case("feature_maps-labels-short", lambda: viz.render_feature_maps(
        fig(), IMAGES, {"C1": np.zeros((5, 2, 3, 3))}, LABELS[:1], index=2, layers=["C1"]),
         match="labels"),
    case("feature_maps-index-string", lambda: viz.render_feature_maps(
        fig(), IMAGES, {"C1": np.zeros((5, 2, 3, 3))}, index="0", layers=["C1"]),
         match="index"),
    case("feature_maps-n1hw", lambda: viz.render_feature_maps(
        fig(), IMAGES[:, None], {"C1": np.zeros((5, 2, 3, 3))}, layers=["C1"]),
         match="images"),
    case("feature_maps-maps-short", lambda: viz.render_feature_maps(
        fig(), IMAGES, {"C1": np.zeros((1, 2, 3, 3))}, index=3, layers=["C1"]), match="maps"),
    case("feature_maps-unknown-layer", lambda: viz.render_feature_maps(
        fig(), IMAGES, {"C1": np.zeros((5, 2, 3, 3))}, layers=["C9"]), match="layers"),
    case("confusion-render-num_classes-huge", lambda: viz.render_confusion(fig(), [1], [0],
                                                                           num_classes=10**6),
         match="num_classes"),
    case("confusion-render-num_classes-string", lambda: viz.render_confusion(
        fig(), [1], [0], num_classes="10"), match="num_classes"),
    case("confusion-render-names", lambda: viz.render_confusion(fig(), [1], [0], 3, ["a"]),
         match="class_names"),
    case("misclassified-max_n-string", lambda: viz.render_misclassified(
        fig(), IMAGES, LABELS, LABELS[::-1], max_n="5"), match="max_n"),
    case("misclassified-length-mismatch", lambda: viz.render_misclassified(
        fig(), IMAGES, LABELS, LABELS[:3]), match="predictions"),
    case("misclassified-confidence-short", lambda: viz.render_misclassified(
        fig(), IMAGES, LABELS, LABELS[::-1], confidence=[0.5]), match="confidence"),
    case("misclassified-images-short", lambda: viz.render_misclassified(
        fig(), IMAGES[:1], LABELS, LABELS[::-1]), match="images"),
    case("misclassified-none-wrong", lambda: viz.render_misclassified(fig(), IMAGES, LABELS,
                                                                      LABELS), match="misclass"),
    case("momentum-huge-steps", lambda: viz.render_momentum(fig(), steps=10**9), match="steps"),
    case("momentum-lr-string", lambda: viz.render_momentum(fig(), lr="0.1"), match="lr"),
    case("momentum-surface", lambda: viz.render_momentum(fig(), "valley"), match="surface"),
    case("momentum-start-nan", lambda: viz.render_momentum(fig(), start_x=float("nan")),
         match="start"),
    case("momentum-noise-negative", lambda: viz.render_momentum(fig(), noise=-1),
         match="noise"),
    case("param_bars-empty", lambda: viz.render_param_bars(fig(), {}), match="summaries"),
    case("param_bars-rows-ints", lambda: viz.render_param_bars(fig(), {"a": [1, 2]}),
         match="summaries"),
    case("param_bars-not-a-dict", lambda: viz.render_param_bars(fig(), [1, 2]),
         match="summaries"),
    case("grad_norms-strings", lambda: viz.render_grad_norms(fig(), {"a": "abc"}), match="norms"),
    case("grad_norms-ragged", lambda: viz.render_grad_norms(fig(), {"a": RAGGED}),
         match="norms"),
    case("grad_norms-empty", lambda: viz.render_grad_norms(fig(), {}), match="norms"),
    case("depth_gradients-numpy", lambda: viz.render_depth_gradients(
        fig(), np.zeros((2, 1, 8, 8)), np.zeros(2, int)), match="X"),
    case("depth_gradients-depth-string", lambda: viz.render_depth_gradients(
        fig(), torch.zeros(2, 1, 8, 8), torch.zeros(2).long(), depth="20"), match="depth"),
    case("depth_gradients-depth-huge", lambda: viz.render_depth_gradients(
        fig(), torch.zeros(2, 1, 8, 8), torch.zeros(2).long(), depth=10**6), match="depth"),
    case("depth_gradients-width-huge", lambda: viz.render_depth_gradients(
        fig(), torch.zeros(2, 1, 8, 8), torch.zeros(2).long(), width=10**6), match="width"),
    case("depth_gradients-3d", lambda: viz.render_depth_gradients(
        fig(), torch.zeros(2, 8, 8), torch.zeros(2).long()), match="X"),
    case("depth_gradients-labels-out-of-range", lambda: viz.render_depth_gradients(
        fig(), torch.zeros(2, 1, 8, 8), torch.tensor([0, 99])), match="y"),
    # --- widgets.py ------------------------------------------------------------------------------
    case("slider-min-above-max", lambda: widgets.slider("a", 5, 1), match="max"),
    case("slider-string", lambda: widgets.slider("a", "0", 10), match="min"),
    case("slider-value-outside", lambda: widgets.slider("a", 0, 10, 20), match="value"),
    case("fslider-nan", lambda: widgets.fslider("a", 0.0, float("nan")), match="max"),
    case("choice-empty", lambda: widgets.choice("a", []), match="options"),
    case("choice-value-missing", lambda: widgets.choice("a", [1, 2], 3), match="value"),
    case("toggle-string", lambda: widgets.toggle("a", "yes"), match="value"),
    case("app-render-not-callable", lambda: widgets.app(5), match="render"),
    case("app-control-not-widget", lambda: widgets.app(lambda fig, k: None, k=5),
         match="controls"),
    case("render_png-figsize-negative", lambda: widgets.render_png(lambda fig: None,
                                                                   figsize=(-1, 4)),
         match="figsize"),
    case("render_png-dpi-huge", lambda: widgets.render_png(lambda fig: None, dpi=10**5),
         match="dpi"),
    case("app-set-unknown", lambda: widgets.pooling_explorer().set(bogus=1), match="controls"),
    case("digit_explorer-mnist_tensors", lambda: widgets.digit_explorer(
        torch.zeros(5, 1, 28, 28), torch.zeros(5).long()), match="images"),
    case("digit_explorer-labels-short", lambda: widgets.digit_explorer(IMAGES, LABELS[:2]),
         match="labels"),
    case("digit_explorer-list", lambda: widgets.digit_explorer([[1, 2]], [1]), match="images"),
    case("digit_explorer-tiny-images", lambda: widgets.digit_explorer(IMAGES[:, :6, :6], LABELS),
         match="images"),
    case("pooling_explorer-list", lambda: widgets.pooling_explorer([[1, 2], [3, 4]]), None),
    case("pooling_demo_grid-huge", lambda: widgets.pooling_demo_grid(shape=(10**5, 10**5)),
         match="shape"),
    case("pooling_demo_grid-seed", lambda: widgets.pooling_demo_grid(seed=-1), match="seed"),
    case("pooling_explorer-1d", lambda: widgets.pooling_explorer(np.zeros(5)), match="x"),
    case("pooling_explorer-huge", lambda: widgets.pooling_explorer(np.zeros((1000, 1000))),
         match="x"),
    case("pooling_explorer-ragged", lambda: widgets.pooling_explorer(RAGGED), match="x"),
    case("flashlight_explorer-no-kernels", lambda: widgets.flashlight_explorer(kernels=[]),
         match="kernels"),
    case("flashlight_explorer-unknown-kernel", lambda: widgets.flashlight_explorer(
        kernels=["bogus"]), match="kernel"),
    case("flashlight_explorer-list-image", lambda: widgets.flashlight_explorer(
        [[0, 1, 2], [3, 4, 5], [6, 7, 8]]), None),
    case("flashlight_explorer-tiny-image", lambda: widgets.flashlight_explorer(np.zeros((2, 2))),
         match="image"),
    case("kernel_playground-list", lambda: widgets.kernel_playground([PHOTO]), match="images"),
    case("kernel_playground-empty", lambda: widgets.kernel_playground({}), match="images"),
    case("kernel_playground-ragged", lambda: widgets.kernel_playground({"a": RAGGED}),
         match="images"),
    case("kernel_playground-preset", lambda: widgets.kernel_playground({"a": PHOTO}, "sobel"),
         match="preset"),
    case("stride_padding_explorer-n_max-small", lambda: widgets.stride_padding_explorer(n_max=2),
         match="n_max"),
    case("stride_padding_explorer-string", lambda: widgets.stride_padding_explorer(f_max="7"),
         match="f_max"),
    case("stride_padding_explorer-huge", lambda: widgets.stride_padding_explorer(n_max=10**6),
         match="n_max"),
    case("feature_map_explorer-empty", lambda: widgets.feature_map_explorer({}, torch.zeros(
        2, 1, 32, 32)), match="models"),
    case("feature_map_explorer-numpy", lambda: widgets.feature_map_explorer(
        {"m": models.LeNet5()}, np.zeros((2, 1, 32, 32))), match="X"),
    case("feature_map_explorer-n-zero", lambda: widgets.feature_map_explorer(
        {"m": models.LeNet5()}, torch.zeros(2, 1, 32, 32), n=0), match="n"),
    case("feature_map_explorer-layers", lambda: widgets.feature_map_explorer(
        {"m": models.LeNet5()}, torch.zeros(2, 1, 32, 32), layers=("C9",)), match="layers"),
    case("feature_map_explorer-y-short", lambda: widgets.feature_map_explorer(
        {"m": models.LeNet5()}, torch.zeros(3, 1, 32, 32), torch.zeros(1).long()), match="y"),
    case("momentum_explorer-surface", lambda: widgets.momentum_explorer("valley"),
         match="surface"),
    case("depth_explorer-numpy", lambda: widgets.depth_gradient_explorer(
        np.zeros((2, 1, 8, 8)), np.zeros(2, int), precompute=False), match="X"),
    case("depth_explorer-width-zero", lambda: widgets.depth_gradient_explorer(
        torch.zeros(2, 1, 8, 8), torch.zeros(2).long(), width=0), match="width"),
    case("depth_explorer-length-mismatch", lambda: widgets.depth_gradient_explorer(
        torch.zeros(2, 1, 8, 8), torch.zeros(3).long(), precompute=False), match="y"),
    # --- data.py ---------------------------------------------------------------------------------
    case("load_mnist-split", lambda: data.load_mnist("validation"), match="split"),
    case("load_mnist-none", lambda: data.load_mnist(None), match="split"),
    case("load_text-number", lambda: data.load_text(5), match="text"),
    case("load_image-unknown", lambda: data.load_image("cat"), match="image"),
    case("mnist_tensors-size-string", lambda: data.mnist_tensors(size="32"), match="size"),
    case("mnist_tensors-full-string", lambda: data.mnist_tensors(full="yes"), match="full"),
    case("mnist_tensors-normalize-string", lambda: data.mnist_tensors(normalize="no"),
         match="normalize"),
    case("load_full-root-number", lambda: data.load_full_dataset("mnist", root=5), match="root"),
    case("load_full-name", lambda: data.load_full_dataset("imagenet"), match="data set"),
    case("verify_data-number", lambda: data.verify_data(5), match="data_dir"),
    case("damaged-npz-with-matching-checksum", lambda: in_data_dir(
        damaged_data(tmpdir("npz"), b"not a zip file"), data.load_mnist),
         data.DataIntegrityError, "mnist_4k1k.npz"),
    case("damaged-manifest-line", lambda: in_data_dir(
        damaged_data(tmpdir("manifest"), b"x", manifest=b"justonefield\n"), data.load_mnist),
         data.DataIntegrityError, "SHA256SUMS"),
    case("damaged-manifest-binary", lambda: in_data_dir(
        damaged_data(tmpdir("binary"), b"x", manifest=b"\xff\xfe\x00 binary"), data.load_mnist),
         data.DataIntegrityError, "SHA256SUMS"),
    case("damaged-file-is-a-folder", lambda: in_data_dir(
        damaged_data(tmpdir("folder"), b"x", name="shakespeare.txt.gz/inner",
                     manifest=f"{'0' * 64}  shakespeare.txt.gz\n".encode()), data.load_text),
         data.DataIntegrityError, "shakespeare.txt.gz"),
    case("damaged-npz-missing-arrays", lambda: in_data_dir(
        damaged_data(tmpdir("arrays"), _npz_bytes()), data.load_mnist),
         data.DataIntegrityError, "mnist_4k1k.npz"),
    case("damaged-gzip-text", lambda: in_data_dir(
        damaged_data(tmpdir("gzip"), b"\x1f\x8b garbage", name="shakespeare.txt.gz"),
        data.load_text), data.DataIntegrityError, "shakespeare.txt.gz"),
    # --- models ----------------------------------------------------------------------------------
    case("count_parameters-none", lambda: models.count_parameters(None), match="model"),
    case("summary-huge-input", lambda: models.summary(nn.Flatten(), (10**6, 10**6)),
         match="input_shape"),
    case("summary-float-shape", lambda: models.summary(nn.Flatten(), (1.5, 32)),
         match="input_shape"),
    case("summary-string-shape", lambda: models.summary(nn.Flatten(), "1,32,32"),
         match="input_shape"),
    case("summary-wrong-channels", lambda: models.summary(nn.Conv2d(1, 2, 3), (3, 8, 8)),
         match="input"),
    case("summary-depth-bool", lambda: models.summary(nn.Flatten(), (1, 4), depth=True),
         match="depth"),
    case("summary-device-gpu", lambda: models.summary(nn.Flatten(), (1, 4), device="gpu"),
         match="device"),
    case("lenet-variant", lambda: models.LeNet5("new"), match="variant"),
    case("lenet-num_classes-zero", lambda: models.LeNet5(num_classes=0), match="num_classes"),
    case("lenet-num_classes-string", lambda: models.LeNet5(num_classes="10"),
         match="num_classes"),
    case("lenet-numpy-input", lambda: models.LeNet5()(np.zeros((1, 1, 32, 32))), match="x"),
    case("lenet-28x28", lambda: models.LeNet5()(torch.zeros(1, 1, 28, 28)), match="32"),
    case("lenet-float64-input", lambda: models.LeNet5()(torch.zeros(1, 1, 32, 32,
                                                                    dtype=torch.float64)),
         match="dtype"),
    case("subsampling-size-zero", lambda: models.TrainableSubsampling(6, size=0), match="size"),
    case("subsampling-size-string", lambda: models.TrainableSubsampling(6, size="2"),
         match="size"),
    case("subsampling-channels-bool", lambda: models.TrainableSubsampling(True),
         match="channels"),
    case("subsampling-huge-channels", lambda: models.TrainableSubsampling(10**9),
         match="channels"),
    case("connection_table-huge-kernel", lambda: models.ConnectionTableConv2d(6, kernel_size=10**5),
         match="kernel_size"),
    case("subsampling-wrong-input", lambda: models.TrainableSubsampling(2)(torch.zeros(
        1, 3, 4, 4)), match="input"),
    case("connection_table-empty", lambda: models.ConnectionTableConv2d(6, table=[]),
         match="table"),
    case("connection_table-in_channels-string", lambda: models.ConnectionTableConv2d("6"),
         match="in_channels"),
    case("connection_table-kernel-zero", lambda: models.ConnectionTableConv2d(6, kernel_size=0),
         match="kernel_size"),
    case("connection_table-bad-entry", lambda: models.ConnectionTableConv2d(6, table=[(0, 9)]),
         match="table"),
    case("plain_net-huge-depth", lambda: models.plain_net(10**7), match="depth"),
    case("plain_net-huge-width", lambda: models.plain_net(20, width=10**6), match="width"),
    case("plain_net-huge-pool", lambda: models.plain_net(4, pool=10**5), match="pool"),
    case("plain_net-depth-string", lambda: models.plain_net("20"), match="depth"),
    case("plain_net-activation", lambda: models.plain_net(4, activation="gelu"),
         match="activation"),
    case("residual_net-odd", lambda: models.residual_net(5), match="depth"),
    case("residual_net-huge-classes", lambda: models.residual_net(4, num_classes=10**9),
         match="num_classes"),
    case("count_weight_layers-none", lambda: models.count_weight_layers(None), match="Module"),
    case("lecun_tanh-numpy", lambda: models.lecun_tanh(np.zeros(3)), match="a"),
    case("basic_block-zero", lambda: models.BasicBlock(0), match="channels"),
    case("basic_block-huge", lambda: models.BasicBlock(10**5), match="channels"),
    case("basic_block-norm", lambda: models.BasicBlock(4, norm="layer"), match="norm"),
    case("weight_layers-none", lambda: models.weight_layers(None), match="Module"),
    case("layer_grad_norms-no-grad", lambda: models.layer_grad_norms(nn.Linear(2, 2)),
         match="backward"),
    case("grad_norms_at_init-numpy", lambda: models.grad_norms_at_init(
        nn.Linear(2, 2), np.zeros((2, 2)), np.zeros(2, int)), match="X"),
    case("grad_norms_at_init-labels", lambda: models.grad_norms_at_init(
        nn.Linear(2, 2), torch.zeros(2, 2), torch.tensor([0, 5])), match="y"),
    case("grad_norms_at_init-float-labels", lambda: models.grad_norms_at_init(
        nn.Linear(2, 2), torch.zeros(2, 2), torch.zeros(2)), match="y"),
    case("alexnet-num_classes-zero", lambda: models.AlexNet2012(num_classes=0),
         match="num_classes"),
    case("alexnet-num_classes-huge", lambda: models.AlexNet2012(num_classes=10**7),
         match="num_classes"),
    case("alexnet-groups", lambda: models.AlexNet2012(groups=3), match="groups"),
    case("alexnet-dropout", lambda: models.AlexNet2012(dropout=2.0), match="dropout"),
    # --- checks.py: checkers given wrong answers -------------------------------------------------
    case("check_output_size-array-answer", lambda: checks.check_output_size(
        lambda n, f, s, p: np.array([1, 2])), WrongAnswer, "n=32, f=5"),
    case("check_output_size-raises", lambda: checks.check_output_size(
        lambda n, f, s, p: (n - f) / 0), WrongAnswer, "n=32, f=5, s=1, p=0.*ZeroDivisionError"),
    case("check_output_size-none", lambda: checks.check_output_size(lambda n, f, s, p: None),
         WrongAnswer, "n=32"),
    case("check_output_size-string", lambda: checks.check_output_size(lambda n, f, s, p: "28"),
         WrongAnswer, "n=32"),
    case("check_output_size-mps-error", lambda: checks.check_output_size(raises(
        NotImplementedError("aten::foo is not implemented for 'MPS'"))), WrongAnswer,
         "NotImplementedError.*MPS"),
    case("check_pool2d-ragged", lambda: checks.check_pool2d(lambda x, **k: [[1, 2], [3]]),
         WrongAnswer, "size=2"),
    case("check_pool2d-none", lambda: checks.check_pool2d(lambda x, **k: None), WrongAnswer,
         "size=2"),
    case("check_pool2d-strings", lambda: checks.check_pool2d(
        lambda x, **k: np.full((2, 2), "a")), WrongAnswer, "size=2"),
    case("check_pool2d-wrong-signature", lambda: checks.check_pool2d(lambda x, size: x),
         WrongAnswer, "TypeError"),
    case("check_pool2d-dict", lambda: checks.check_pool2d(lambda x, **k: {"a": 1}),
         WrongAnswer, "size=2"),
    case("check_answer-none-rtol", lambda: checks.check_answer("pi", None, 3.14, rtol=0.01),
         WrongAnswer, "None"),
    case("check_answer-string-rtol", lambda: checks.check_answer("pi", "3.14", 3.14, rtol=0.01),
         WrongAnswer, "3.14"),
    case("check_answer-none", lambda: checks.check_answer("pi", None, 3.14), WrongAnswer,
         "None"),
    case("check_answer-tensor-vs-tuple", lambda: checks.check_answer(
        "shape", torch.tensor([1, 3]), (1, 2)), WrongAnswer, "expected"),
    case("check_answer-array-vs-number", lambda: checks.check_answer("n", np.array([1, 2]), 3),
         WrongAnswer, "expected"),
    case("check_answer-nan-rtol", lambda: checks.check_answer("pi", float("nan"), 3.14,
                                                              rtol=0.01), WrongAnswer, "nan"),
    case("check_conv2d_naive-raises", lambda: checks.check_conv2d_naive(
        raises(IndexError("index 4 is out of bounds"))), WrongAnswer, "case 1.*IndexError"),
    case("check_conv2d_naive-strings", lambda: checks.check_conv2d_naive(
        lambda x, w, b, s, p: np.full((1, 1, 3, 3), "a")), WrongAnswer, "case 1"),
    case("check_conv2d_naive-object", lambda: checks.check_conv2d_naive(
        lambda x, w, b, s, p: np.full((1, 1, 3, 3), None)), WrongAnswer, "case 1"),
    case("check_to_unit_range-raises", lambda: checks.check_to_unit_range(
        raises(ValueError("bad"))), WrongAnswer, "case 1.*ValueError"),
    case("check_to_unit_range-list", lambda: checks.check_to_unit_range(
        lambda im: (im / 255).tolist()), WrongAnswer, "case 1"),
    case("check_neuron_weights-array", lambda: checks.check_neuron_weights(
        lambda h, w, c: np.array([h * w * c, 1])), WrongAnswer, "height=28"),
    case("check_neuron_weights-raises", lambda: checks.check_neuron_weights(
        raises(TypeError("oops"))), WrongAnswer, "height=28.*TypeError"),
    case("check_lenet_sizes-arrays", lambda: checks.check_lenet_sizes(
        lambda n: [np.array([1, 2])] * 6), WrongAnswer, "n=32"),
    case("check_lenet_sizes-raises", lambda: checks.check_lenet_sizes(raises(KeyError("x"))),
         WrongAnswer, "n=32.*KeyError"),
    case("check_conv_params-array", lambda: checks.check_conv_params(
        lambda i, o, k: np.array([1, 2])), WrongAnswer, "in=1, out=6"),
    case("check_trainable_subsampling-none", lambda: checks.check_trainable_subsampling(
        lambda x, c, b: None), WrongAnswer, "shape"),
    case("check_trainable_subsampling-ragged", lambda: checks.check_trainable_subsampling(
        lambda x, c, b: RAGGED), WrongAnswer, "shape"),
    case("check_alexnet_step-nones", lambda: checks.check_alexnet_step(
        lambda *a: (None, None)), WrongAnswer, "lr=0.01"),
    case("check_alexnet_step-list", lambda: checks.check_alexnet_step(lambda *a: [1, 2, 3]),
         WrongAnswer, "pair"),
    case("check_alexnet_step-raises", lambda: checks.check_alexnet_step(
        raises(RuntimeError("boom"))), WrongAnswer, "lr=0.01.*RuntimeError"),
    case("check_conv_layer_stats-arrays", lambda: checks.check_conv_layer_stats(
        lambda *a: (np.array([1, 2]), np.array([1, 2]), 3)), WrongAnswer, "n=224"),
    case("check_conv_layer_stats-none", lambda: checks.check_conv_layer_stats(lambda *a: None),
         WrongAnswer, "n=224"),
    case("expect_shape-none", lambda: checks.expect_shape(None, (2, 2)), WrongAnswer,
         "NoneType"),
    case("expect_shape-list", lambda: checks.expect_shape([[1, 2]], (2, 2)), WrongAnswer, "list"),
    case("app-class-render", lambda: widgets.App(None, {}), match="render"),
    case("expect_equal-tensors", lambda: checks.expect_equal(torch.tensor([1, 2]),
                                                             torch.tensor([1, 3])),
         WrongAnswer, "expected"),
    case("expect_equal-shapes", lambda: checks.expect_equal(np.zeros(2), np.zeros(3)),
         WrongAnswer, "expected"),
    case("expect_close-ragged", lambda: checks.expect_close(RAGGED, np.zeros(2)), WrongAnswer,
         "got"),
    case("expect_close-string", lambda: checks.expect_close("abc", 1.0), WrongAnswer, "got"),
    case("expect_close-none", lambda: checks.expect_close(None, np.zeros(3)), WrongAnswer,
         "got"),
]


def _npz_bytes() -> bytes:
    import io

    buf = io.BytesIO()
    np.savez(buf, something_else=np.zeros(3))
    return buf.getvalue()


@pytest.mark.parametrize("call,exc,match", CASES)
def test_bad_input_fails_fast_and_clearly(call, exc, match):
    if exc is None:  # input that used to crash and is now handled
        call()
        return
    with pytest.raises(exc, match=match) as info:
        call()
    assert type(info.value) is exc, f"expected exactly {exc.__name__}, got {type(info.value)}"


def test_there_are_many_cases_covering_every_public_module():
    ids = [p.id for p in CASES]
    assert len(ids) == len(set(ids)) and len(ids) > 150
    assert MAX_ELEMENTS == 50_000_000


NO_CASE_NEEDED = {  # public names without arguments to get wrong, or exercised by the tests below
    "stub_error", "checker", "call_student", "WrongAnswer", "data_dir", "DataIntegrityError",
    "DatasetUnavailable", "Summary", "SummaryRow", "demo_apps", "param_growth_explorer",
    "flashlight_demo_grid", "Result"}


def _names(code, out):
    out.update(code.co_names)
    for const in code.co_consts:
        if hasattr(const, "co_names"):
            _names(const, out)
    return out


def test_every_public_function_has_a_bad_input_case():
    """A new public function (a new chapter's) needs its cases in CASES, or a reason here."""
    used = set()
    for p in CASES:
        _names(p.values[0].__code__, used)
    for helper in (fit1, pair, in_data_dir):
        _names(helper.__code__, used)
    missing = [f"{module.__name__}.{name}"
               for module in (checks, conv, data, models, pooling, train, viz, widgets)
               for name in module.__all__
               if callable(getattr(module, name)) and name not in used | NO_CASE_NEEDED]
    assert not missing, f"public functions without a bad-input case: {missing}"


# --- the checker protocol: correct, not done yet, or wrong with the case and a hint --------------

def conv2d_loops(x, w, b, stride, padding, dtype=np.float64):
    x = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding))).astype(dtype)
    N, C, H, W = x.shape
    F, _, KH, KW = w.shape
    Ho, Wo = (H - KH) // stride + 1, (W - KW) // stride + 1
    out = np.zeros((N, F, Ho, Wo), dtype=dtype)
    for n in range(N):
        for f in range(F):
            for i in range(Ho):
                for j in range(Wo):
                    win = x[n, :, i * stride:i * stride + KH, j * stride:j * stride + KW]
                    out[n, f, i, j] = np.sum(win * w[f].astype(dtype)) + dtype(b[f])
    return out


def test_a_correct_float32_conv2d_naive_is_accepted(capsys):
    checks.check_conv2d_naive(lambda *a: conv2d_loops(*a, dtype=np.float32))
    assert capsys.readouterr().out.startswith("Correct: conv2d_naive passes 7 cases")


def test_a_correct_tensor_answer_is_accepted(capsys):
    checks.check_conv2d_naive(lambda *a: torch.from_numpy(conv2d_loops(*a)))
    checks.check_pool2d(lambda x, **k: torch.from_numpy(pooling.pool2d(x, **k)))
    checks.check_output_size(lambda n, f, s, p: torch.tensor((n - f + 2 * p) // s + 1))
    checks.check_answer("shape", torch.tensor([1, 2]), (1, 2))
    checks.check_to_unit_range(lambda im: torch.from_numpy(im.astype(np.float32) / 255))
    out = capsys.readouterr().out
    assert out.count("Correct") == 5, out


def test_expect_equal_and_close_compare_tensors():
    checks.expect_equal(torch.tensor([1, 2]), torch.tensor([1, 2]))
    checks.expect_equal(torch.tensor([1, 2]), np.array([1, 2]))
    checks.expect_equal([1, 2], (1, 2))
    checks.expect_close(torch.tensor([1.0, 2.0], requires_grad=True), [1.0, 2.0])
    with pytest.raises(WrongAnswer):
        checks.expect_close(torch.tensor([1.0, 2.5]), [1.0, 2.0])


def test_float32_tolerance_is_float32_not_float64():
    want = np.random.default_rng(1).standard_normal(100) * 10
    checks.expect_close(want.astype(np.float32), want, rtol=1e-9, atol=1e-12)
    with pytest.raises(WrongAnswer):   # a real mistake is still caught
        checks.expect_close((want * 1.001).astype(np.float32), want, rtol=1e-9, atol=1e-12)
    with pytest.raises(WrongAnswer):   # float64 keeps the tolerance asked for
        checks.expect_close(want * (1 + 1e-6), want, rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("checker", [
    checks.check_to_unit_range, checks.check_neuron_weights, checks.check_pool2d,
    checks.check_conv2d_naive, checks.check_output_size, checks.check_lenet_sizes,
    checks.check_conv_params, checks.check_trainable_subsampling, checks.check_alexnet_step,
    checks.check_conv_layer_stats], ids=lambda c: c.__name__)
def test_every_checker_answers_three_ways(checker, capsys):
    checker(stub)                                                      # untouched stub
    assert capsys.readouterr().out.startswith("Not done yet")
    checker(...)
    assert capsys.readouterr().out.startswith("Not done yet")
    with pytest.raises(WrongAnswer) as info:                          # the student's code raises
        checker(raises(ZeroDivisionError("division by zero")))
    assert isinstance(info.value.__cause__, ZeroDivisionError)        # their traceback stays
    assert "ZeroDivisionError" in str(info.value) and ":" in str(info.value)
    with pytest.raises(WrongAnswer) as info:                          # not the stub's error
        checker(raises(NotImplementedError("aten::op is not implemented for 'MPS'")))
    assert "Not done yet" not in capsys.readouterr().out
    assert isinstance(info.value.__cause__, NotImplementedError)
    assert "MPS" in str(info.value)
    for wrong in (lambda *a, **k: None, lambda *a, **k: "x", lambda *a, **k: np.array([[1, 2]]),
                  lambda *a, **k: [[1, 2], [3]], lambda *a, **k: torch.zeros(3)):
        with pytest.raises(WrongAnswer):                              # wrong types and shapes
            checker(wrong)


def test_stub_message_inside_a_longer_error_is_not_done(capsys):
    checks.check_output_size(raises(NotImplementedError(f"{STUB_MESSAGE} (cell 12)")))
    assert capsys.readouterr().out.startswith("Not done yet")


def test_check_answer_keeps_its_messages(capsys):
    checks.check_answer("weights of one neuron", 28 * 28, 784)
    checks.check_answer("pi", 3.14159, 3.14, rtol=0.01)
    assert capsys.readouterr().out == ("Correct: weights of one neuron = 784.\n"
                                       "Correct: pi = 3.14159.\n")


# --- fixed behaviours that are not errors -------------------------------------------------------

def test_fit_max_steps_zero_trains_nothing():
    model = nn.Linear(2, 2)
    before = [p.detach().clone() for p in model.parameters()]
    h = fit1(model=model, max_steps=0)
    assert len(h) == 0 and h.step_losses == []
    assert all(torch.equal(a, b) for a, b in zip(before, model.parameters()))


def test_fit_max_steps_trains_exactly_that_many():
    h = fit1(epochs=5, batch_size=4, max_steps=7)
    assert len(h.step_losses) == 7


def test_fit_stops_the_moment_the_loss_is_not_finite():
    model = nn.Linear(2, 2)
    with torch.no_grad():
        model.weight.fill_(1e30)          # finite weights whose logits overflow on the first batch
    before = model.weight.detach().clone()
    X, y = pair()
    with pytest.raises(FloatingPointError, match="epoch 1, step 1") as info:
        fit1((X * 1e30, y), model=model, epochs=3, lr=0.1)
    assert "learning rate" in str(info.value)
    assert torch.equal(model.weight.detach(), before)  # the step with the bad loss was not taken


def test_fit_names_the_epoch_when_the_weights_blow_up():
    with pytest.raises(FloatingPointError, match="lower the learning rate"):
        fit1((pair()[0] * 1e30, pair()[1]), epochs=3, lr=1e10)


def test_fit_detects_weights_that_blow_up_on_the_last_step():
    with pytest.raises(FloatingPointError, match="weights"):
        fit1((pair()[0] * 1e20, pair()[1]), lr=1e25, max_steps=1)


def test_fit_casts_float64_inputs_to_the_model_dtype():
    h64 = fit1(pair(dtype=torch.float64), epochs=2)
    torch.manual_seed(0)
    h32 = fit1((pair(dtype=torch.float64)[0].float(), pair()[1]), epochs=2)
    assert len(h64) == len(h32) == 2


def test_fixing_padding_is_instant_and_matches_the_search():
    def search(n, f, s, p):
        for extra in range(s):
            if (n - f + 2 * (p + extra)) % s == 0:
                return p + extra
        return None

    for n in range(1, 12):
        for f in range(1, 8):
            for s in range(1, 9):
                for p in range(0, 3):
                    assert conv.fixing_padding(n, f, s, p) == search(n, f, s, p), (n, f, s, p)
    assert conv.fixing_padding(7, 3, 10**12 + 1) is not None   # no loop over 10**12 strides


def test_tensor_inputs_to_numpy_layers_work():
    t = torch.ones(1, 3, 5, 5, requires_grad=True)
    np.testing.assert_allclose(conv.conv2d(t, W4), conv.conv2d(np.ones((1, 3, 5, 5)), W4))
    np.testing.assert_allclose(pooling.pool2d(torch.arange(16.0).reshape(4, 4)),
                               pooling.pool2d(GRID))


def test_every_explorer_survives_every_control_value():
    """App.update never raises; with sane data every setting draws or explains (ValueError)."""
    apps = [widgets.pooling_explorer(), widgets.stride_padding_explorer(),
            widgets.flashlight_explorer(), widgets.momentum_explorer()]
    for a in apps:
        for name, control in a.controls.items():
            values = (getattr(control, "options", None)
                      or sorted({control.min, control.max, (control.min + control.max) / 2}))
            for v in values:
                v = type(control.value)(v)
                result = a.set(**{name: v})
                assert result.error == "", (name, v, result.message)
