"""Checkers of chapter 2's exercises: notebooks 05 (LeNet-5), 06 (classic architectures) and 07
(the training rule)."""
from __future__ import annotations

import numpy as np

from .core import (
    WrongAnswer,
    answer_numbers,
    answers_equal,
    call_student,
    checker,
    expect_close,
    expect_equal,
    expect_shape,
    short_repr,
    to_array,
)
from .lenet_by_hand import check_colour_lenet, check_lenet_module, check_training_loop

__all__ = ["check_conv_params", "check_trainable_subsampling", "check_alexnet_step",
           "check_conv_layer_stats",
           "check_lenet_module", "check_training_loop", "check_colour_lenet"]


# --- chapter 2: LeNet-5 and the training rule (notebooks 05 and 07) ----------------------------

@checker("conv_params")
def check_conv_params(student_fn) -> str:
    """``student_fn(in_maps, out_maps, k)``: parameters of a k x k convolution with biases."""
    import torch

    cases = [(1, 6, 5), (6, 16, 5), (16, 120, 5), (3, 64, 3), (64, 64, 1), (3, 96, 11)]
    for c_in, c_out, k in cases:
        want = sum(p.numel() for p in torch.nn.Conv2d(c_in, c_out, k).parameters())
        got = call_student(student_fn, f"in={c_in}, out={c_out}, k={k}", c_in, c_out, k)
        if answers_equal(got, c_out * c_in * k * k):
            raise WrongAnswer(f"in={c_in}, out={c_out}, k={k}: got {got}, expected {want}. Hint: "
                              "each output map also has one bias")
        expect_equal(got, want, where=f"in={c_in}, out={c_out}, k={k}",
                     hint="each output map has one k x k kernel per input map, plus one bias")
    return f"matches torch.nn.Conv2d on {len(cases)} layers (C1: 156, C3: 2,416, C5: 48,120)."


@checker("trainable_subsampling")
def check_trainable_subsampling(student_fn) -> str:
    """``student_fn(x, coefficient, bias)`` with x (C, H, W) NumPy -> (C, H // 2, W // 2)."""
    import torch

    from ..models.lenet import TrainableSubsampling

    rng = np.random.default_rng(0)
    for shape in [(1, 2, 2), (2, 4, 6), (6, 28, 28), (16, 10, 10)]:
        x, coef, bias = (rng.standard_normal(shape), rng.standard_normal(shape[0]),
                         rng.standard_normal(shape[0]))
        layer = TrainableSubsampling(shape[0]).double()
        with torch.no_grad():
            layer.coefficient.copy_(torch.from_numpy(coef))
            layer.bias.copy_(torch.from_numpy(bias))
            want = layer(torch.from_numpy(x)[None])[0].numpy()
        where = f"x of shape {shape}"
        hint = "2x2 windows with stride 2 halve the height and the width"
        got = to_array(call_student(student_fn, where, x.copy(), coef.copy(), bias.copy()))
        expect_shape(got, want.shape, where=where, hint=hint)
        got = answer_numbers(got, where, hint)
        mean_version = (want - bias[:, None, None]) / 4 + bias[:, None, None]
        if np.allclose(got, mean_version):
            raise WrongAnswer(f"x of shape {shape}: you averaged the window. Hint: LeNet-5 sums "
                              "the four values (the trainable coefficient can scale them)")
        expect_close(got, want, where=f"x of shape {shape}", rtol=1e-9, atol=1e-9,
                     hint="out[c, i, j] = coefficient[c] * (sum of the 2x2 window at (2i, 2j)) "
                          "+ bias[c]; no squashing yet")
    return "matches course_utils.models.TrainableSubsampling on 4 shapes."


@checker("alexnet_step")
def check_alexnet_step(student_fn) -> str:
    """``student_fn(w, v, g, lr, momentum, weight_decay) -> (w_new, v_new)`` (NumPy arrays)."""
    import torch

    from ..train.optim import AlexNetSGD

    rng = np.random.default_rng(1)
    for lr, mu, wd in [(0.01, 0.9, 5e-4), (0.1, 0.0, 0.0), (0.05, 0.5, 0.1), (0.2, 0.9, 0.01)]:
        w, v, g = (rng.standard_normal(5) for _ in range(3))
        p = torch.nn.Parameter(torch.from_numpy(w.copy()))
        opt = AlexNetSGD([p], lr=lr, momentum=mu, weight_decay=wd)
        opt.state[p]["velocity"] = torch.from_numpy(v.copy())
        p.grad = torch.from_numpy(g.copy())
        opt.step()
        want_w, want_v = p.detach().numpy(), opt.state[p]["velocity"].numpy()
        where = f"lr={lr}, momentum={mu}, weight_decay={wd}"
        out = call_student(student_fn, where, w.copy(), v.copy(), g.copy(), lr, mu, wd)
        if not (isinstance(out, tuple) and len(out) == 2):
            raise WrongAnswer(f"{where}: got {short_repr(out)}; return a pair (w_new, v_new)")
        hint = "return the new weights and the new velocity, each an array of w's shape"
        got_w, got_v = (answer_numbers(a, where, hint) for a in out)
        expect_shape(got_w, w.shape, where + ", new weights", hint)
        expect_shape(got_v, v.shape, where + ", new velocity", hint)
        wrong_sign = mu * v + wd * lr * w - lr * g
        if wd and np.allclose(got_v, wrong_sign):
            raise WrongAnswer(f"{where}: your decay term has a + sign, which makes the weights "
                              "grow: that is the erratum. Hint: v <- mu v - wd lr w - lr g")
        expect_close(got_v, want_v, where=f"{where}, new velocity", rtol=1e-9, atol=1e-12,
                     hint="v_new = momentum * v - weight_decay * lr * w - lr * g (use the old w)")
        expect_close(got_w, want_w, where=f"{where}, new weights", rtol=1e-9, atol=1e-12,
                     hint="w_new = w + v_new")
    return "takes the same steps as course_utils.train.AlexNetSGD."


# --- chapter 2: classic architectures (notebook 07) -------------------------------------------------

@checker("conv_layer_stats")
def check_conv_layer_stats(student_fn) -> str:
    """``student_fn(n, c_in, c_out, f, s, p) -> (side, params, neurons)`` for a square n×n×c_in
    input and a conv layer of c_out f×f filters with stride s, padding p and biases:
    side = floor((n - f + 2p) / s) + 1, params = c_out·(f·f·c_in + 1), neurons = side²·c_out.
    Checked against ``torch.nn.Conv2d`` run on the meta device (shapes only)."""
    import torch

    cases = [(224, 3, 96, 11, 4, 2), (27, 96, 256, 5, 1, 2), (13, 256, 384, 3, 1, 1),
             (224, 3, 64, 3, 1, 1), (32, 1, 6, 5, 1, 0), (7, 2, 4, 3, 2, 0), (10, 3, 5, 4, 3, 1)]
    for n, c_in, c_out, f, s, p in cases:
        conv = torch.nn.Conv2d(c_in, c_out, f, stride=s, padding=p, device="meta")
        side = conv(torch.empty(1, c_in, n, n, device="meta")).shape[-1]
        want = (side, sum(q.numel() for q in conv.parameters()), side * side * c_out)
        where = f"n={n}, c_in={c_in}, c_out={c_out}, f={f}, s={s}, p={p}"
        got = call_student(student_fn, where, n, c_in, c_out, f, s, p)
        if not (isinstance(got, (tuple, list)) and len(got) == 3):
            raise WrongAnswer(f"{where}: got {short_repr(got)}, expected a tuple (side, params, neurons)")
        g_side, g_params, g_neurons = got
        expect_equal(g_side, want[0], where + ", output side",
                     hint="side = (n - f + 2p) // s + 1 (rounded down, plus the first position)")
        if answers_equal(g_params, c_out * f * f * c_in):
            raise WrongAnswer(f"{where}: got {g_params} parameters, expected {want[1]}. Hint: each "
                              "of the c_out filters also has one bias")
        expect_equal(g_params, want[1], where + ", parameters",
                     hint="a filter spans all c_in input maps: f·f·c_in weights + 1 bias, and "
                          "there are c_out filters; the input size n does not matter")
        expect_equal(g_neurons, want[2], where + ", neurons",
                     hint="one neuron per output value: side × side positions in each of the "
                          "c_out maps")
    return (f"matches torch.nn.Conv2d on {len(cases)} layers; AlexNet's conv1 has 55×55×96 = "
            "290,400 neurons sharing 34,944 parameters.")
