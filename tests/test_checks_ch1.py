"""The checkers of chapter 1's questions and of the max-pooling backward exercise (notebooks 01-04),
and the finite-difference gradient check: each accepts a correct answer, says "not done yet" to a
stub, and rejects the typical wrong answers with the hint that names the mistake. The oracles are
PyTorch (autograd, ``nn`` parameter counts) and central differences, never the checked code."""
from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from course_utils.checks import (
    LOST_ROWS_LAYERS,
    WrongAnswer,
    check_centre_gradient,
    check_cnn_parameters,
    check_flip_factors,
    check_maxpool_backward,
    check_rows_lost,
    grad_check,
    numerical_gradient,
    stub_error,
)


def stub(*args, **kwargs):
    raise stub_error()


# --- a correct max-pool backward pass and the typical wrong ones ---------------------------------

def maxpool_backward(dout, x, size=2, stride=None, *, pick="first", accumulate=True,
                     use_dout=True, offset=True, step=True):
    stride = size if stride is None else stride
    dx = np.zeros(x.shape)
    for i in range(dout.shape[0]):
        for j in range(dout.shape[1]):
            r, c = (i * stride, j * stride) if step else (i, j)
            win = x[r:r + size, c:c + size]
            if pick == "first":
                cells = [divmod(int(np.argmax(win)), win.shape[1])]
            elif pick == "last":
                k = win.size - 1 - int(np.argmax(win.ravel()[::-1]))
                cells = [divmod(k, win.shape[1])]
            else:
                cells = [tuple(a) for a in np.argwhere(win == win.max())]
            for u, v in cells:
                a, b = (r + u, c + v) if offset else (u, v)
                g = dout[i, j] if use_dout else 1.0
                if accumulate:
                    dx[a, b] += g
                else:
                    dx[a, b] = g
    return dx


def test_check_maxpool_backward_accepts_a_loop_version_and_torch(capsys):
    def with_torch(dout, x, size=2, stride=None):
        xt = torch.tensor(x, requires_grad=True)
        F.max_pool2d(xt[None, None], size, stride).backward(torch.tensor(dout)[None, None])
        return xt.grad

    check_maxpool_backward(maxpool_backward)
    check_maxpool_backward(with_torch)
    check_maxpool_backward(lambda d, x, size=2, stride=None:
                           maxpool_backward(d, x, size, stride).astype(np.float32))
    assert capsys.readouterr().out.count("Correct: maxpool_backward") == 3


@pytest.mark.parametrize("mistake,case,words", [
    (dict(accumulate=False), "overlapping", "do not overwrite"),
    (dict(pick="last"), "ties", "FIRST one"),
    (dict(pick="every"), "ties", "only one cell"),
    (dict(use_dout=False), "case 1", "dout\\[i, j\\]"),
    (dict(offset=False), "case 1", "window's corner"),
    (dict(step=False), "case 1", "i\\*stride"),
], ids=lambda v: str(v) if isinstance(v, dict) else None)
def test_check_maxpool_backward_names_the_mistake(mistake, case, words):
    with pytest.raises(WrongAnswer, match=f"{case}.*Hint: .*{words}"):
        check_maxpool_backward(lambda d, x, size=2, stride=None:
                               maxpool_backward(d, x, size, stride, **mistake))


def test_check_maxpool_backward_wrong_shape_and_stub(capsys):
    with pytest.raises(WrongAnswer, match="shape of x"):
        check_maxpool_backward(lambda d, x, size=2, stride=None: d)
    with pytest.raises(WrongAnswer, match="stride=None means stride = size"):
        check_maxpool_backward(lambda d, x, size=2, stride=None:
                               maxpool_backward(d, x, size, stride)
                               if stride is not None else np.zeros((1, 1)))
    check_maxpool_backward(stub)
    assert capsys.readouterr().out.startswith("Not done yet")


# --- the finite-difference gradient check ---------------------------------------------------------

def test_numerical_gradient_matches_autograd():
    rng = np.random.default_rng(0)
    x, w = rng.standard_normal((3, 4)), rng.standard_normal((4, 2))
    xt = torch.tensor(x, requires_grad=True)
    torch.tanh(xt @ torch.tensor(w)).sum().backward()
    num = numerical_gradient(lambda v: np.tanh(v @ w).sum(), x)
    np.testing.assert_allclose(num, xt.grad.numpy(), rtol=1e-7, atol=1e-9)


def test_grad_check_passes_a_right_backward_pass_and_fails_a_wrong_one(capsys):
    rng = np.random.default_rng(1)
    x = rng.standard_normal((5, 5))
    dout = rng.standard_normal((2, 2))
    xt = torch.tensor(x, requires_grad=True)
    F.max_pool2d(xt[None, None], 3, 2).backward(torch.tensor(dout)[None, None])

    def loss(v):
        return float((torch.tensor(dout) * F.max_pool2d(torch.tensor(v)[None, None], 3, 2)).sum())

    assert grad_check(loss, x, xt.grad.numpy()) < 1e-6
    assert "passed" in capsys.readouterr().out
    wrong = maxpool_backward(dout, x, 3, 2, accumulate=False)
    if not np.allclose(wrong, xt.grad.numpy()):
        assert grad_check(loss, x, wrong) > 1e-2
        assert "FAILED" in capsys.readouterr().out
    assert grad_check(loss, x, np.full(x.shape, np.nan)) == float("inf")
    assert "FAILED" in capsys.readouterr().out


# --- the predict-then-check questions -------------------------------------------------------------

def test_check_cnn_parameters(capsys):
    check_cnn_parameters(lambda: 9_098)
    check_cnn_parameters(lambda: np.int64(9_098))
    assert capsys.readouterr().out.count("Correct") == 2
    for wrong, words in [(8 * 10 + 16 * 10 + 7_850, "3·3·8"), (9_098 - 34, "bias"),
                         (80 + 1_168 + 10 * (16 * 28 * 28 + 1), "14×14"), (9_000, "add them up"),
                         ("9098", "one whole number"), (9_098.5, "whole number")]:
        with pytest.raises(WrongAnswer, match=words):
            check_cnn_parameters(lambda: wrong)


def test_check_flip_factors(capsys):
    right = {"vertical edge": -1, "horizontal edge": -1, "gaussian blur": 1, "sharpen": 1}
    check_flip_factors(lambda: right)
    check_flip_factors(lambda: [-1, -1, 1, 1])
    assert capsys.readouterr().out.count("Correct") == 2
    with pytest.raises(WrongAnswer, match="'vertical edge'.*negated"):
        check_flip_factors(lambda: [1, 1, 1, 1])
    with pytest.raises(WrongAnswer, match="'sharpen'.*symmetric"):
        check_flip_factors(lambda: [-1, -1, 1, -1])
    with pytest.raises(WrongAnswer, match="no entry"):
        check_flip_factors(lambda: {"vertical edge": -1})
    with pytest.raises(WrongAnswer, match="4 numbers"):
        check_flip_factors(lambda: "minus")


def rows_never_read(n, f, s, p):
    """The oracle: real input rows whose gradient is exactly 0 through F.conv1d with unit weights."""
    x = torch.ones(1, 1, n, dtype=torch.float64, requires_grad=True)
    F.conv1d(x, torch.ones(1, 1, f, dtype=torch.float64), stride=s, padding=p).sum().backward()
    return int((x.grad[0, 0] == 0).sum())


def test_check_rows_lost(capsys):
    want = [rows_never_read(*layer) for _, layer in LOST_ROWS_LAYERS]
    # the closed form of the issue (stride <= window) agrees on these layers
    assert want == [max(0, (n - f + 2 * p) % s - p) for _, (n, f, s, p) in LOST_ROWS_LAYERS]
    assert want == [0, 1, 0, 1]
    check_rows_lost(lambda: want)
    assert capsys.readouterr().out.startswith("Correct")
    naive = [(n - f + 2 * p) % s for _, (n, f, s, p) in LOST_ROWS_LAYERS]   # padding counted as input
    with pytest.raises(WrongAnswer, match="ResNet's stem.*padding"):
        check_rows_lost(lambda: naive)
    with pytest.raises(WrongAnswer, match="4 whole"):
        check_rows_lost(lambda: [0, 1])


def test_check_centre_gradient(capsys):
    check_centre_gradient(lambda: (4, 1))
    assert capsys.readouterr().out.startswith("Correct")
    with pytest.raises(WrongAnswer, match="add up"):
        check_centre_gradient(lambda: (1, 1))
    with pytest.raises(WrongAnswer, match="count the windows"):
        check_centre_gradient(lambda: (2, 1))
    with pytest.raises(WrongAnswer, match="same maximum"):
        check_centre_gradient(lambda: (4, 4))
