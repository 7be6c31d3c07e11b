"""The NumPy layers' one convention and one dtype policy, against PyTorch (autograd is the oracle).

Convention: ``*_forward(...) -> (out, cache)``, ``*_backward(dout, cache)`` -> the gradients of
forward's array inputs. dtype policy: integer and bool inputs become float64, floating inputs
keep their precision (the result is ``np.result_type`` of the floating inputs).
"""
import numpy as np
import pytest
import torch
import torch.nn.functional as F

from course_utils.layers import (
    conv2d,
    conv2d_backward,
    conv2d_forward,
    conv2d_naive,
    convolve2d,
    correlate2d,
    flatten,
    flatten_backward,
    flatten_forward,
    linear,
    linear_backward,
    linear_forward,
    pool2d,
    pool2d_backward,
    pool2d_forward,
    relu,
    relu_backward,
    relu_forward,
)

TOL = dict(rtol=1e-12, atol=1e-12)


def test_dense_layers_forward_and_backward_match_autograd():
    rng = np.random.default_rng(0)
    for _ in range(10):
        n, c, h, w, m = (int(v) for v in rng.integers(1, 6, 5))
        x = rng.standard_normal((n, c, h, w))
        W, b = rng.standard_normal((m, c * h * w)), rng.standard_normal(m)
        xt, Wt, bt = (torch.from_numpy(a).requires_grad_() for a in (x, W, b))
        zt = F.linear(torch.relu(torch.flatten(xt, 1)), Wt, bt)
        dz = rng.standard_normal(tuple(zt.shape))
        zt.backward(torch.from_numpy(dz))

        a1, c1 = flatten_forward(x)
        a2, c2 = relu_forward(a1)
        z, c3 = linear_forward(a2, W, b)
        np.testing.assert_allclose(z, zt.detach().numpy(), **TOL)
        grads = linear_backward(dz, c3)
        dx = flatten_backward(relu_backward(grads.dx, c2), c1)
        np.testing.assert_allclose(dx, xt.grad.numpy(), **TOL)
        np.testing.assert_allclose(grads.dw, Wt.grad.numpy(), **TOL)
        np.testing.assert_allclose(grads.db, bt.grad.numpy(), **TOL)
        # the plain names and the older backward form give the very same arrays
        assert np.array_equal(z, linear(relu(flatten(x)), W, b))
        for new, old in zip(grads, linear_backward(dz, a2, W)):
            assert np.array_equal(new, old)


def test_a_small_network_backpropagates_like_autograd():
    """conv -> relu -> max pool -> flatten -> linear, chained through the caches (notebook 04's
    network), against autograd on the same weights."""
    rng = np.random.default_rng(1)
    x = rng.standard_normal((3, 2, 8, 8))
    w1, b1 = rng.standard_normal((4, 2, 3, 3)), rng.standard_normal(4)
    w2, b2 = rng.standard_normal((5, 4 * 4 * 4)), rng.standard_normal(5)
    ts = [torch.from_numpy(a).requires_grad_() for a in (x, w1, b1, w2, b2)]
    zt = F.linear(torch.flatten(F.max_pool2d(torch.relu(F.conv2d(ts[0], ts[1], ts[2], padding=1)),
                                             2), 1), ts[3], ts[4])
    dz = rng.standard_normal(tuple(zt.shape))
    zt.backward(torch.from_numpy(dz))

    a, c_conv = conv2d_forward(x, w1, b1, 1, 1)
    a, c_relu = relu_forward(a)
    a, c_pool = pool2d_forward(a, 2)
    a, c_flat = flatten_forward(a)
    z, c_lin = linear_forward(a, w2, b2)
    np.testing.assert_allclose(z, zt.detach().numpy(), **TOL)
    d_lin = linear_backward(dz, c_lin)
    d = flatten_backward(d_lin.dx, c_flat)
    d = pool2d_backward(d, c_pool)
    d = relu_backward(d, c_relu)
    d_conv = conv2d_backward(d, c_conv)
    for got, t in zip((d_conv.dx, d_conv.dw, d_conv.db, d_lin.dw, d_lin.db), ts):
        np.testing.assert_allclose(got, t.grad.numpy(), **TOL)


def test_relu_gradient_at_zero_is_zero_like_torch():
    x = np.array([[-1.0, 0.0, 2.0]])
    xt = torch.from_numpy(x).requires_grad_()
    torch.relu(xt).backward(torch.ones(1, 3, dtype=torch.float64))
    np.testing.assert_array_equal(relu_backward(np.ones((1, 3)), relu_forward(x)[1]), xt.grad)


def test_caches_are_checked():
    x, w = np.ones((1, 1, 4, 4)), np.ones((2, 1, 3, 3))
    out, conv_cache = conv2d_forward(x, w)
    _, pool_cache = pool2d_forward(x)
    assert "conv2d cache" in repr(conv_cache)
    with pytest.raises(ValueError, match="cache comes from pool2d_forward"):
        conv2d_backward(out, pool_cache)
    with pytest.raises(ValueError, match="takes nothing else"):
        conv2d_backward(out, conv_cache, w)
    with pytest.raises(ValueError, match="takes nothing else"):
        pool2d_backward(np.ones((1, 1, 2, 2)), pool_cache, 3)
    with pytest.raises(ValueError, match="takes nothing else"):
        linear_backward(np.ones((1, 2)), linear_forward(np.ones((1, 3)), np.ones((2, 3)))[1],
                        np.ones((2, 3)))
    with pytest.raises(ValueError, match="second value that relu_forward returns"):
        relu_backward(np.ones(3), (np.ones(3),))
    with pytest.raises(ValueError, match="shape of flatten's output"):
        flatten_backward(np.ones((1, 3)), flatten_forward(x)[1])
    with pytest.raises(ValueError, match="dout must have the forward output's shape"):
        conv2d_backward(np.ones((1, 2, 3, 3)), conv_cache)


# --- one dtype policy ----------------------------------------------------------------------------

DTYPES = [np.uint8, np.int8, np.int64, np.bool_, np.float16, np.float32, np.float64]


def expected(*dtypes):
    """The policy: ints and bools count as float64; floats as they are."""
    return np.result_type(*(d if np.dtype(d).kind == "f" else np.float64 for d in dtypes))


def sample(shape, dtype, rng):
    if dtype is np.bool_:
        return rng.random(shape) < 0.5
    if np.dtype(dtype).kind in "iu":
        info = np.iinfo(dtype)
        return rng.integers(max(info.min, -100), min(info.max, 250), shape, endpoint=True).astype(dtype)
    return rng.standard_normal(shape).astype(dtype)


def close(got, want, dtype):
    tol = {np.float16: 2e-2, np.float32: 1e-5}.get(dtype, 1e-12)
    np.testing.assert_allclose(got, want, rtol=tol, atol=tol * max(1.0, np.abs(want).max()))


@pytest.mark.parametrize("dtype", DTYPES, ids=lambda d: np.dtype(d).name)
def test_every_layer_follows_the_dtype_policy(dtype):
    """Each layer's output (and gradients) has the policy's dtype, and its values are the float64
    computation of the same numbers: uint8 never wraps around, int8 is not narrowed."""
    rng = np.random.default_rng(2)
    want = expected(dtype)
    x4, w4 = sample((2, 2, 6, 5), dtype, rng), sample((3, 2, 3, 2), dtype, rng)
    b, x2, w2 = sample(3, dtype, rng), sample((4, 7), dtype, rng), sample((3, 7), dtype, rng)
    f = [a.astype(np.float64) for a in (x4, w4, b, x2, w2)]
    calls = {   # name: (ours, the float64 computation)
        "conv2d": (conv2d(x4, w4, b, 2, 1), conv2d(*f[:3], 2, 1)),
        "conv2d_naive": (conv2d_naive(x4, w4, b, 2, 1), conv2d(*f[:3], 2, 1)),
        "correlate2d": (correlate2d(x4[0, 0], w4[0, 0]), correlate2d(f[0][0, 0], f[1][0, 0])),
        "convolve2d": (convolve2d(x4[0, 0], w4[0, 0]), convolve2d(f[0][0, 0], f[1][0, 0])),
        "pool2d max": (pool2d(x4, 2), pool2d(f[0], 2)),
        "pool2d avg": (pool2d(x4, 3, 1, "avg", 1), pool2d(f[0], 3, 1, "avg", 1)),
        "pool2d sum": (pool2d(x4, 2, mode="sum"), pool2d(f[0], 2, mode="sum")),
        "relu": (relu(x2), np.maximum(f[3], 0)),
        "flatten": (flatten(x4), f[0].reshape(2, -1)),
        "linear": (linear(x2, w2, b), f[3] @ f[4].T + f[2]),
    }
    dout = sample((2, 3, 3, 3), dtype, rng)
    g_conv = conv2d_backward(dout, conv2d_forward(x4, w4, b, 2, 1)[1])
    g_conv64 = conv2d_backward(dout.astype(np.float64), conv2d_forward(*f[:3], 2, 1)[1])
    for k, (got, ref) in enumerate(zip(g_conv, g_conv64)):
        calls[f"conv2d_backward {'x w b'.split()[k]}"] = (got, ref)
    dz = sample((4, 3), dtype, rng)
    for k, (got, ref) in enumerate(zip(linear_backward(dz, linear_forward(x2, w2, b)[1]),
                                       linear_backward(dz.astype(float), f[3], f[4]))):
        calls[f"linear_backward {'x w b'.split()[k]}"] = (got, ref)
    dp = sample((2, 2, 3, 2), dtype, rng)
    calls["pool2d_backward"] = (pool2d_backward(dp, pool2d_forward(x4, 2)[1]),
                                pool2d_backward(dp.astype(float), f[0], 2))
    calls["relu_backward"] = (relu_backward(dz, relu_forward(dz)[1]), np.where(dz > 0, dz, 0))
    for name, (got, ref) in calls.items():
        assert got.dtype == want, f"{name}: {got.dtype}, the policy says {want}"
        close(got, ref, dtype)


def test_uint8_images_do_not_wrap_around():
    img = np.full((1, 784), 255, dtype=np.uint8)
    w = np.ones((2, 784), dtype=np.uint8)
    np.testing.assert_array_equal(linear(img, w), [[255 * 784] * 2])           # not 255*784 mod 256
    np.testing.assert_array_equal(conv2d(img.reshape(1, 1, 28, 28), np.ones((1, 1, 2, 2), np.uint8),
                                         stride=2), np.full((1, 1, 14, 14), 1020.0))
    assert relu(np.array([200], np.uint8)).dtype == np.float64


def test_mixed_precisions_take_the_wider_float():
    x32, w64 = np.ones((1, 1, 3, 3), np.float32), np.ones((1, 1, 2, 2))
    assert conv2d(x32, w64).dtype == np.float64
    assert conv2d(x32, w64.astype(np.float32)).dtype == np.float32
    assert conv2d(x32, np.ones((1, 1, 2, 2), np.uint8)).dtype == np.float64   # the int is float64
    assert linear(np.ones((2, 3), np.float16), np.ones((4, 3), np.float16)).dtype == np.float16
    assert pool2d(torch.ones(4, 4, dtype=torch.bfloat16)).dtype == np.float32  # bfloat16 -> float32
