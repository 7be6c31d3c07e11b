"""Checkers of notebook 11 (vanishing and exploding gradients): the Jacobian of one recurrent
step, the rule that says when vanishing is guaranteed, and one step of backpropagation through
time by hand. Oracle: torch.autograd on the same step."""
from __future__ import annotations

import numpy as np

from .core import WrongAnswer, call_student, checker, expect_close, expect_equal, plain

__all__ = ["check_step_jacobian", "check_vanishing_rule", "check_bptt_step"]


def _step_cases():
    rng = np.random.default_rng(11)
    for H, D in ((3, 2), (5, 1), (4, 3)):
        yield (rng.standard_normal(D), rng.standard_normal(H), rng.standard_normal((H, D)),
               rng.standard_normal((H, H)), rng.standard_normal(H))


@checker("step_jacobian")
def check_step_jacobian(student_fn) -> str:
    """``student_fn(x_t, h_prev, W_in, W_rec, b)`` -> dh_t/dh_{t-1} (H, H) for
    h_t = tanh(W_in x_t + W_rec h_prev + b), one example (vectors). Oracle: autograd's Jacobian."""
    import torch

    for x, h, w_in, w_rec, b in _step_cases():
        H = len(h)
        where = f"H={H}, D={len(x)}"

        def step(hp, x=x, w_in=w_in, w_rec=w_rec, b=b):
            return torch.tanh(torch.from_numpy(w_in) @ torch.from_numpy(x)
                              + torch.from_numpy(w_rec) @ hp + torch.from_numpy(b))

        want = torch.autograd.functional.jacobian(step, torch.from_numpy(h)).numpy()
        got = call_student(student_fn, where, x, h, w_in, w_rec, b)
        expect_close(got, want, where=where,
                     hint="row i is unit i of h_t: J = diag(1 - h_t**2) @ W_rec, with "
                          "h_t = tanh(a_t) (not tanh'(h_prev), and W_rec itself, not its transpose)")
    return "dh_t/dh_{t-1} = diag(tanh'(a_t)) W_rec, a matrix (3 cases against autograd)."


_RULE_CASES = (  # (lambda_1, nonlinearity) -> vanishing guaranteed?
    (0.9, "tanh"), (1.0, "tanh"), (3.0, "tanh"), (3.0, "sigmoid"), (3.99, "sigmoid"),
    (4.0, "sigmoid"), (5.0, "sigmoid"), (0.5, "relu"), (1.5, "relu"))


@checker("vanishing_rule")
def check_vanishing_rule(student_fn) -> str:
    """``student_fn(lambda1, nonlinearity)`` -> True when vanishing is guaranteed (gamma lambda_1
    < 1, gamma = max f': 1/4 sigmoid, 1 tanh and ReLU; Pascanu et al. 2013), else False."""
    gamma = {"sigmoid": 0.25, "tanh": 1.0, "relu": 1.0}
    for lam, nl in _RULE_CASES:
        where = f"lambda1={lam}, nonlinearity={nl!r}"
        got = plain(call_student(student_fn, where, lam, nl))
        if not isinstance(got, (bool, np.bool_)):
            raise WrongAnswer(f"{where}: got {got!r}, expected True or False. Hint: return "
                              "gamma * lambda1 < 1")
        expect_equal(bool(got), gamma[nl] * lam < 1, where=where,
                     hint="every factor has norm at most gamma * lambda1, with gamma = 1/4 for "
                          "the sigmoid and 1 for tanh and ReLU; vanishing is guaranteed only "
                          "when that is below 1 (equal to 1 guarantees nothing)")
    return ("vanishing is guaranteed when gamma * lambda1 < 1: a sigmoid layer with lambda1 = 3 "
            "vanishes for sure, a tanh layer with lambda1 = 3 may not.")


@checker("bptt_step")
def check_bptt_step(student_fn) -> str:
    """``student_fn(dh, h, h_prev, W_rec)`` -> (dh_prev, dW_rec) for one tanh step
    h = tanh(x W_in^T + h_prev W_rec^T + b) on a batch: dh (N, H) = dL/dh, h (N, H), h_prev
    (N, H), W_rec (H, H). Oracle: autograd through the same step."""
    import torch

    rng = np.random.default_rng(4)
    for N, H in ((1, 3), (4, 5)):
        where = f"N={N}, H={H}"
        h_prev, w_rec = rng.standard_normal((N, H)), rng.standard_normal((H, H))
        rest = rng.standard_normal((N, H))          # x W_in^T + b: fixed here
        hp = torch.tensor(h_prev, requires_grad=True)
        w = torch.tensor(w_rec, requires_grad=True)
        h = torch.tanh(torch.from_numpy(rest) + hp @ w.T)
        dh = rng.standard_normal((N, H))
        h.backward(torch.from_numpy(dh))
        got = call_student(student_fn, where, dh, h.detach().numpy(), h_prev, w_rec)
        if not (isinstance(got, (tuple, list)) and len(got) == 2):
            raise WrongAnswer(f"{where}: got {type(got).__name__}, expected a pair "
                              "(dh_prev, dW_rec). Hint: return dh_prev, dW_rec")
        da = "da = dh * (1 - h**2)"
        expect_close(got[0], hp.grad.numpy(), where=f"{where}, dh_prev",
                     hint=f"{da}, then dh_prev = da @ W_rec (each unit of h_prev feeds every "
                          "unit of h through W_rec)")
        expect_close(got[1], w.grad.numpy(), where=f"{where}, dW_rec",
                     hint=f"{da}, then dW_rec = da.T @ h_prev (summed over the batch)")
    return ("one step back: da = dh * (1 - h**2), dh_prev = da @ W_rec, dW_rec = da.T @ h_prev "
            "(2 cases against autograd).")
