"""course_utils.pooling against PyTorch (the oracle): forward, backward (autograd), bad input."""
import numpy as np
import pytest
import torch
import torch.nn.functional as F

from course_utils.pooling import (
    flatten,
    linear,
    linear_backward,
    pool2d,
    pool2d_backward,
    pool2d_forward,
    pool_output_size,
    relu,
)


@pytest.fixture
def rng():
    return np.random.default_rng(0)


def torch_pool(x, size, stride, mode, padding=0):
    """The oracle: x is a float64 tensor (N, C, H, W)."""
    stride = size if stride is None else stride
    if mode == "max":
        return F.max_pool2d(x, size, stride, padding)
    if mode == "avg":
        return F.avg_pool2d(x, size, stride, padding, count_include_pad=True)
    return F.avg_pool2d(x, size, stride, padding, divisor_override=1)  # sum = avg * area


def random_case(rng):
    """A random (N, C, H, W) input and a valid window/stride/padding, often non-square."""
    square = rng.random() < 0.3
    kh, kw = int(rng.integers(1, 5)), int(rng.integers(1, 5))
    kw = kh if square else kw
    ph, pw = int(rng.integers(0, kh // 2 + 1)), int(rng.integers(0, kw // 2 + 1))
    pw = ph if square else pw
    H, W = int(rng.integers(max(1, kh - 2 * ph), 12)), int(rng.integers(max(1, kw - 2 * pw), 12))
    sh, sw = int(rng.integers(1, 5)), int(rng.integers(1, 5))
    shape = (int(rng.integers(1, 4)), int(rng.integers(1, 4)), H, W)
    size, padding = (kh, ph) if square else ((kh, kw), (ph, pw))
    stride = None if rng.random() < 0.2 else ((sh, sw) if rng.random() < 0.7 else sh)
    return rng.standard_normal(shape), size, stride, padding


@pytest.mark.parametrize("mode", ["max", "avg", "sum"])
def test_pool2d_matches_torch_on_random_shapes(rng, mode):
    for _ in range(150):
        x, size, stride, padding = random_case(rng)
        want = torch_pool(torch.from_numpy(x), size, stride, mode, padding).numpy()
        got = pool2d(x, size, stride, mode, padding)
        assert got.shape == want.shape, (x.shape, size, stride, padding)
        np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("mode", ["max", "avg", "sum"])
def test_pool2d_backward_matches_autograd(rng, mode):
    for _ in range(150):
        x, size, stride, padding = random_case(rng)
        if mode == "max" and rng.random() < 0.5:  # many ties: integers in a small range
            x = rng.integers(0, 3, x.shape).astype(float)
        xt = torch.from_numpy(x).requires_grad_()
        out = torch_pool(xt, size, stride, mode, padding)
        dout = rng.standard_normal(tuple(out.shape))
        out.backward(torch.from_numpy(dout))
        got = pool2d_backward(dout, x, size, stride, mode, padding)
        np.testing.assert_allclose(got, xt.grad.numpy(), rtol=1e-12, atol=1e-12,
                                   err_msg=f"{x.shape} size={size} stride={stride} pad={padding}")


@pytest.mark.parametrize("mode", ["max", "avg", "sum"])
def test_pool2d_forward_and_backward_with_the_cache_match_autograd(rng, mode):
    """The course's convention: forward -> (out, cache), backward(dout, cache) -> dx; the older
    form backward(dout, x, size, stride, mode, padding) gives the very same array."""
    for _ in range(60):
        x, size, stride, padding = random_case(rng)
        if mode == "max" and rng.random() < 0.5:  # ties
            x = rng.integers(0, 3, x.shape).astype(float)
        xt = torch.from_numpy(x).requires_grad_()
        out_t = torch_pool(xt, size, stride, mode, padding)
        dout = rng.standard_normal(tuple(out_t.shape))
        out_t.backward(torch.from_numpy(dout))
        out, cache = pool2d_forward(x, size, stride, mode, padding)
        np.testing.assert_allclose(out, out_t.detach().numpy(), rtol=1e-12, atol=1e-12)
        assert np.array_equal(out, pool2d(x, size, stride, mode, padding))
        dx = pool2d_backward(dout, cache)
        np.testing.assert_allclose(dx, xt.grad.numpy(), rtol=1e-12, atol=1e-12)
        assert np.array_equal(dx, pool2d_backward(dout, x, size, stride, mode, padding))


def test_max_pool_ties_go_to_first_in_row_major_order():
    x = np.array([[3.0, 3.0], [3.0, 1.0]])
    np.testing.assert_array_equal(pool2d_backward(np.ones((1, 1)), x, 2), [[1, 0], [0, 0]])


def test_sum_is_avg_times_area(rng):
    x = rng.standard_normal((2, 3, 9, 7))
    np.testing.assert_allclose(pool2d(x, (3, 2), 2, "sum"), pool2d(x, (3, 2), 2, "avg") * 6)


@pytest.mark.parametrize("mode", ["max", "avg", "sum"])
def test_2d_and_3d_inputs_pool_the_last_two_axes(rng, mode):
    x = rng.standard_normal((3, 8, 6))
    full = torch_pool(torch.from_numpy(x[None]), 3, 2, mode).numpy()[0]
    np.testing.assert_allclose(pool2d(x, 3, 2, mode), full)
    np.testing.assert_allclose(pool2d(x[1], 3, 2, mode), full[1])
    dout = rng.standard_normal(full.shape)
    np.testing.assert_allclose(pool2d_backward(dout[1], x[1], 3, 2, mode),
                               pool2d_backward(dout, x, 3, 2, mode)[1])


def test_integer_input_and_dtype():
    x = np.arange(16).reshape(4, 4)
    assert pool2d(x, 2, mode="avg").dtype == np.float64
    assert pool2d(x, 2, mode="max").dtype == np.float64
    assert pool2d(x.astype(np.int8), 2).dtype == np.float64      # not float32: one rule
    assert pool2d(x.astype(np.float32), 2).dtype == np.float32
    np.testing.assert_array_equal(pool2d(x, 2), [[5, 7], [13, 15]])


def test_pool_output_size_matches_torch():
    for n in range(1, 12):
        for k in range(1, n + 1):
            for s in range(1, 5):
                for p in range(0, k // 2 + 1):
                    got = pool_output_size(n, k, s, p)
                    assert got == F.max_pool2d(torch.zeros(1, 1, n, n), k, s, p).shape[-1]
                    # strict: raises exactly when some input row gets no gradient (never read)
                    x = torch.ones(1, 1, n, 1, dtype=torch.float64, requires_grad=True)
                    F.avg_pool2d(x, (k, 1), (s, 1), (p, 0)).sum().backward()
                    if (x.grad == 0).any():
                        with pytest.raises(ValueError, match="no window reads"):
                            pool_output_size(n, k, s, p, strict=True)
                    else:
                        assert pool_output_size(n, k, s, p, strict=True) == got
    assert pool_output_size(7, 3) == 2 and pool_output_size(7, 3, 2, 1) == 4
    with pytest.raises(ValueError, match="more than half the window"):
        pool_output_size(5, 2, 2, 2)       # as pool2d and PyTorch


@pytest.mark.parametrize("kwargs,words", [
    (dict(size=2, stride=0), "stride must be at least 1"),
    (dict(size=0), "size must be at least 1"),
    (dict(size=7), "larger than the padded input"),
    (dict(size=(2, 6)), "larger than the padded input along the width"),
    (dict(size=2, mode="min"), "allowed are 'max', 'avg', 'sum'"),
    (dict(size=2, padding=2), "more than half the window"),
    (dict(size=2, padding=-1), "padding must be at least 0"),
    (dict(size=2.5), "must be an int"),
    (dict(size=(2, 2, 2)), "pair"),
])
def test_bad_arguments_raise_value_error_that_says_what_is_allowed(kwargs, words):
    x = np.zeros((1, 1, 6, 5))
    with pytest.raises(ValueError, match=words):
        pool2d(x, **kwargs)
    with pytest.raises(ValueError, match=words):
        pool2d_backward(np.zeros((1, 1, 3, 2)), x, **kwargs)


@pytest.mark.parametrize("shape", [(5,), (1, 1, 1, 4, 4), ()])
def test_wrong_number_of_dimensions(shape):
    with pytest.raises(ValueError, match=r"2 \(H, W\), 3 \(C, H, W\) or 4"):
        pool2d(np.zeros(shape))


def test_backward_checks_dout_shape():
    with pytest.raises(ValueError, match="dout has shape"):
        pool2d_backward(np.zeros((1, 1, 3, 3)), np.zeros((1, 1, 4, 4)), 2)


def test_fully_connected_head_matches_torch(rng):
    for _ in range(20):
        n, c, h, w, m = (int(v) for v in rng.integers(1, 6, 5))
        x = rng.standard_normal((n, c, h, w))
        lin = torch.nn.Linear(c * h * w, m).double()
        want = lin(torch.relu(torch.flatten(torch.from_numpy(x), 1)))
        W, b = lin.weight.detach().numpy(), lin.bias.detach().numpy()
        got = linear(relu(flatten(x)), W, b)
        np.testing.assert_allclose(got, want.detach().numpy(), rtol=1e-12, atol=1e-12)


def test_linear_backward_matches_autograd(rng):
    x = torch.from_numpy(rng.standard_normal((4, 7))).requires_grad_()
    w = torch.from_numpy(rng.standard_normal((3, 7))).requires_grad_()
    b = torch.from_numpy(rng.standard_normal(3)).requires_grad_()
    dz = rng.standard_normal((4, 3))
    F.linear(x, w, b).backward(torch.from_numpy(dz))
    dx, dw, db = linear_backward(dz, x.detach().numpy(), w.detach().numpy())
    for got, want in ((dx, x.grad), (dw, w.grad), (db, b.grad)):
        np.testing.assert_allclose(got, want.numpy(), rtol=1e-12, atol=1e-12)


def test_linear_bad_shapes():
    with pytest.raises(ValueError, match="features per example"):
        linear(np.zeros((2, 5)), np.zeros((3, 4)))
    with pytest.raises(ValueError, match="flatten it first"):
        linear(np.zeros((2, 1, 5)), np.zeros((3, 5)))
    with pytest.raises(ValueError, match="one bias per output"):
        linear(np.zeros((2, 5)), np.zeros((3, 5)), np.zeros(2))
    with pytest.raises(ValueError, match="batch axis"):
        flatten(np.zeros(3))


# --- checkers, renderers and parameter counts of chapter 1 (notebooks 01 and 04) ---------------

def test_check_pool2d_accepts_the_reference_and_a_loop_version(capsys):
    from course_utils.checks import check_pool2d

    def loops(x, size=2, stride=None, mode="max"):
        stride = size if stride is None else stride
        Ho, Wo = (x.shape[0] - size) // stride + 1, (x.shape[1] - size) // stride + 1
        red = {"max": np.max, "avg": np.mean, "sum": np.sum}[mode]
        return np.array([[red(x[i * stride:i * stride + size, j * stride:j * stride + size])
                          for j in range(Wo)] for i in range(Ho)])

    check_pool2d(pool2d)
    check_pool2d(loops)
    assert capsys.readouterr().out.count("Correct: pool2d") == 2


@pytest.mark.parametrize("wrong,words", [
    (lambda x, size=2, stride=None, mode="max": pool2d(x, size, stride or 1, mode), "stride = size"),
    (lambda x, size=2, stride=None, mode="max": pool2d(x, size, stride, "sum" if mode == "avg" else mode),
     "size \\* size"),
    (lambda x, size=2, stride=None, mode="max": np.maximum(pool2d(x, size, stride, mode), 0)
     if mode == "max" else pool2d(x, size, stride, mode), "not from 0"),
])
def test_check_pool2d_rejects_common_mistakes_with_a_hint(wrong, words):
    from course_utils.checks import WrongAnswer, check_pool2d

    with pytest.raises(WrongAnswer, match=words):
        check_pool2d(wrong)


def test_checkers_say_not_done_yet_for_a_stub(capsys):
    from course_utils.checks import check_neuron_weights, check_pool2d, stub_error

    def stub(*args, **kwargs):
        raise stub_error()

    check_pool2d(stub)
    check_neuron_weights(stub)
    assert capsys.readouterr().out.count("Not done yet") == 2


def test_check_neuron_weights(capsys):
    from course_utils.checks import WrongAnswer, check_neuron_weights

    check_neuron_weights(lambda h, w, c: h * w * c)
    assert capsys.readouterr().out.startswith("Correct: neuron_weights")
    with pytest.raises(WrongAnswer, match="depth multiplies"):
        check_neuron_weights(lambda h, w, c: h * w)
    with pytest.raises(WrongAnswer, match="bias is one extra"):
        check_neuron_weights(lambda h, w, c: h * w * c + 1)


def test_parameter_counts_match_torch_layers():
    from course_utils.pooling import parameter_counts

    for side, c, units, filters, k in [(28, 1, 100, 16, 3), (32, 3, 50, 8, 5), (9, 2, 7, 4, 7)]:
        got = parameter_counts(side, c, units, filters, k)
        assert got["one neuron"] == side * side * c
        assert got["fully connected layer"] == sum(p.numel() for p in
                                                   torch.nn.Linear(side * side * c, units).parameters())
        assert got["conv layer"] == sum(p.numel() for p in torch.nn.Conv2d(c, filters, k).parameters())
    with pytest.raises(ValueError, match="units must be at least 1"):
        parameter_counts(28, 1, 0)


def test_render_pooling_explains_impossible_combinations():
    from matplotlib.figure import Figure

    from course_utils.viz import render_param_growth, render_pooling

    x = np.arange(25).reshape(5, 5)
    render_pooling(Figure(), x, size=3, stride=1, mode="avg", window=9)    # the last of 3x3
    with pytest.raises(ValueError, match="has 9 positions .* choose window # 1 to 9"):
        render_pooling(Figure(), x, size=3, stride=1, mode="avg", window=10)
    with pytest.raises(ValueError, match="does not fit"):
        render_pooling(Figure(), x, size=6, stride=1, mode="max")
    with pytest.raises(ValueError, match="one 2-D grid"):
        render_pooling(Figure(), np.zeros((2, 5, 5)))
    with pytest.raises(ValueError, match="allowed are"):
        render_pooling(Figure(), x, mode="median")
    with pytest.raises(ValueError, match="max_side"):
        render_param_growth(Figure(), max_side=4)
