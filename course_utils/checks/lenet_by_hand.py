"""Checkers of notebook 05's hand-written LeNet-5: the model class (``check_lenet_module``), the
training loop (``check_training_loop``) and the colour network (``check_colour_lenet``).

Re-exported by :mod:`~course_utils.checks.ch2` (chapter 2's checkers) and :mod:`course_utils.checks`.
Each trains briefly on the CPU (about a second for the loop, a few seconds for the colour network)
and answers like every checker: "Correct", "Not done yet" for the stub, or :class:`WrongAnswer`
naming the case with a hint.
"""
from __future__ import annotations

import functools

from .core import WrongAnswer, call_student, checker, expect_shape, short_repr

__all__ = ["check_lenet_module", "check_training_loop", "check_colour_lenet"]



LOOP_DIGITS, LOOP_EPOCHS, LOOP_BATCH, LOOP_LR = 300, 3, 32, 0.05
"""The run :func:`check_training_loop` makes: the classic LeNet-5 on the first 300 training
digits, 3 epochs of mini-batches of 32 (30 steps), lr 0.05, momentum 0.9. Over 20 seeds the loss
on those digits ends at 7-27 % of its start; the checker asks for less than half."""
LOOP_MAX_RATIO = 0.5


def _leaf_parameter_counts(model) -> str:
    """'c1 156, s2 12, ...': the parameters of each module that holds some directly."""
    parts = [f"{name or type(m).__name__} {sum(p.numel() for p in m.parameters(recurse=False)):,}"
             for name, m in model.named_modules() if any(True for _ in m.parameters(recurse=False))]
    return ", ".join(parts) if parts else "no parameters at all"


def _lenet_counts(in_channels: int = 1) -> dict[str, int]:
    from ..models.lenet import LeNet5

    return {v: sum(p.numel() for p in LeNet5(v, in_channels=in_channels).parameters())
            for v in LeNet5.VARIANTS}


def _build_student_lenet(student_cls, in_channels: int):
    """``student_cls(in_channels=...)`` (or ``student_cls()`` for one channel) run on a batch of 4:
    the model, checked to be a module mapping (4, in_channels, 32, 32) to (4, 10)."""
    import torch
    from torch import nn

    where = "MyLeNet()" if in_channels == 1 else f"MyLeNet(in_channels={in_channels})"
    model = (call_student(student_cls, where) if in_channels == 1
             else call_student(student_cls, where, in_channels=in_channels))
    if not isinstance(model, nn.Module):
        raise WrongAnswer(f"{where}: got {short_repr(model)}, expected a torch.nn.Module. Hint: "
                          "write a class that subclasses nn.Module, call super().__init__() "
                          "first, and create the layers as attributes")
    x = torch.randn(4, in_channels, 32, 32, generator=torch.Generator().manual_seed(0))
    out = call_student(model, f"{where}(x) with x of shape {tuple(x.shape)}", x)
    expect_shape(out, (4, 10), where=f"{where}(x) with x of shape {tuple(x.shape)}",
                 hint="one row of 10 logits per image: C5's output (N, 120, 1, 1) is flattened "
                      "to (N, 120) (x.flatten(1)) before F6, and the output layer has 10 units")
    return model, where


@checker("MyLeNet")
def check_lenet_module(student_cls) -> str:
    """``student_cls()``: a LeNet-5 ``nn.Module`` mapping (N, 1, 32, 32) to (N, 10) logits with as
    many parameters as ``LeNet5("modern")`` (61,706) or ``LeNet5("classic")`` (61,750)."""
    import torch

    with torch.random.fork_rng():
        torch.manual_seed(0)
        model, where = _build_student_lenet(student_cls, 1)
    got = sum(p.numel() for p in model.parameters() if p.requires_grad)
    counts = _lenet_counts()
    match = [v for v, n in counts.items() if n == got]
    if not match:
        raise WrongAnswer(
            f"{where} has {got:,} trainable parameters ({_leaf_parameter_counts(model)}); "
            f"LeNet5('modern') has {counts['modern']:,}, LeNet5('classic') {counts['classic']:,}. "
            "Hint: C1 156, C3 2,416, C5 48,120, F6 10,164, output 850 (and 12 + 32 for the "
            "classic trainable subsampling): C1 reads in_channels maps with 5x5 kernels, C3 reads "
            "all 6 maps, C5 all 16, and pooling has no parameters")
    x = torch.randn(2, 1, 32, 32, generator=torch.Generator().manual_seed(1))
    with torch.no_grad():
        same = torch.allclose(model(x[:1]), model(x[1:]))
    if same:
        raise WrongAnswer(f"{where} gives the same logits for two different images. Hint: "
                          "forward must compute the output from x, layer after layer")
    return (f"maps (N, 1, 32, 32) to (N, 10) logits with {got:,} parameters, as many as "
            f"LeNet5('{match[0]}').")


def _as_loss_list(losses, where: str, steps: int) -> list[float]:
    hint = ("return a list with one float per mini-batch step: losses.append(loss.item()) after "
            "each step")
    if isinstance(losses, (str, bytes)) or not hasattr(losses, "__len__"):
        raise WrongAnswer(f"{where}: got {short_repr(losses)}, expected a list of {steps} "
                          f"losses. Hint: {hint}")
    try:
        values = [float(v) for v in losses]
    except (TypeError, ValueError, RuntimeError) as e:
        raise WrongAnswer(f"{where}: the losses you returned are not all numbers ({e}). "
                          f"Hint: {hint}") from e
    if len(values) != steps:
        raise WrongAnswer(f"{where}: got {len(values)} losses, expected {steps} (one per "
                          f"mini-batch step). Hint: {hint}")
    return values


@checker("train_model")
def check_training_loop(student_fn) -> str:
    """``student_fn(model, X, y, epochs, batch_size, lr, momentum, seed) -> losses``: mini-batch
    SGD with momentum on the mean cross-entropy, one loss per step (see :data:`LOOP_DIGITS`).

    Checked on the classic ``LeNet5`` and the first 300 training digits: the number and size of
    the mini-batches the model sees, that the weights move, that the gradients left after the
    last step are those of the last mini-batch's mean cross-entropy (recomputed with autograd
    from the weights that step started from: a missing ``zero_grad`` adds up old gradients), the
    returned losses, and that the loss over the 300 digits falls below half its start."""
    import math

    import torch
    from torch import nn
    from torch.nn import functional as F

    from ..data.tensors import mnist_tensors
    from ..models.lenet import LeNet5

    X, y = mnist_tensors("train", size=32)
    X, y = X[:LOOP_DIGITS].contiguous(), y[:LOOP_DIGITS].contiguous()
    row = {X[i].numpy().tobytes(): i for i in range(len(X))}

    class Recorder(nn.Module):
        """The LeNet, remembering each training batch and the weights it met."""

        def __init__(self, net):
            super().__init__()
            self.net, self.sizes, self.last = net, [], None

        def forward(self, x):
            if torch.is_grad_enabled():
                self.sizes.append(len(x))
                self.last = (x.detach().clone(),
                             {k: v.detach().clone() for k, v in self.net.state_dict().items()})
            return self.net(x)

    steps = LOOP_EPOCHS * math.ceil(LOOP_DIGITS / LOOP_BATCH)
    where = (f"train_model(model, X, y, epochs={LOOP_EPOCHS}, batch_size={LOOP_BATCH}, lr={LOOP_LR}, "
             f"momentum=0.9, seed=0) on {LOOP_DIGITS} digits")
    with torch.random.fork_rng():
        torch.manual_seed(0)
        net = LeNet5("classic")
        with torch.no_grad():
            before = F.cross_entropy(net(X), y).item()
        start = [p.detach().clone() for p in net.parameters()]
        model = Recorder(net)
        losses = call_student(student_fn, where, model, X, y, epochs=LOOP_EPOCHS,
                              batch_size=LOOP_BATCH, lr=LOOP_LR, momentum=0.9, seed=0)
    sizes = model.sizes
    per_epoch = f"{LOOP_DIGITS // LOOP_BATCH} of {LOOP_BATCH} and one of {LOOP_DIGITS % LOOP_BATCH}"
    if not sizes:
        raise WrongAnswer(f"{where}: your loop never called the model. Hint: logits = model(xb) "
                          "for each mini-batch xb")
    if max(sizes) > LOOP_BATCH or len(sizes) != steps or sum(sizes) != LOOP_EPOCHS * LOOP_DIGITS:
        raise WrongAnswer(
            f"{where}: the model saw {len(sizes)} batches of sizes {short_repr(sizes)}; expected "
            f"{steps}: each epoch {per_epoch} examples. Hint: for start in range(0, len(X), "
            "batch_size), take the examples order[start:start + batch_size], and repeat for "
            "each epoch")
    if all(torch.equal(a, b) for a, b in zip(start, net.parameters())):
        raise WrongAnswer(f"{where}: the weights did not change. Hint: each step needs "
                          "loss.backward() (the gradients) and then optimizer.step() (the update), "
                          "with an optimizer made from model.parameters()")
    values = _as_loss_list(losses, where, steps)
    x_last, state = model.last
    keys = [row.get(x_last[i].numpy().tobytes()) for i in range(len(x_last))]
    if any(k is None for k in keys):
        raise WrongAnswer(f"{where}: the last mini-batch holds images that are not rows of X. "
                          "Hint: index the data with X[idx] and leave the images as they are")
    twin = LeNet5("classic")
    twin.load_state_dict(state)
    loss = F.cross_entropy(twin(x_last), y[keys])
    loss.backward()
    if not math.isclose(values[-1], loss.item(), rel_tol=1e-4, abs_tol=1e-5):
        raise WrongAnswer(f"{where}: your last loss is {values[-1]:.4g}, but the mean "
                          f"cross-entropy of that mini-batch is {loss.item():.4g}. Hint: "
                          "loss = F.cross_entropy(model(xb), yb), with the labels yb = y[idx] of "
                          "the same examples, and record loss.item()")
    grads = [p.grad for p in net.parameters()]
    if all(g is not None for g in grads) and any(bool(g.abs().sum()) for g in grads):
        if not all(torch.allclose(g, t.grad, rtol=1e-3, atol=1e-6)
                   for g, t in zip(grads, twin.parameters())):
            raise WrongAnswer(f"{where}: the gradients left after your last step are not those "
                              "of the last mini-batch's loss. Hint: call optimizer.zero_grad() "
                              "before loss.backward() in every step, or the gradients of all "
                              "the earlier steps add up")
    with torch.no_grad():
        after = F.cross_entropy(net(X), y).item()
    if not after < LOOP_MAX_RATIO * before:
        raise WrongAnswer(f"{where}: the loss on the {LOOP_DIGITS} digits went from {before:.3f} "
                          f"to {after:.3f}; a correct loop brings it below half. Hint: "
                          "torch.optim.SGD(model.parameters(), lr=lr, momentum=momentum), and "
                          "each step zero_grad, forward, loss, backward, step")
    return (f"takes {steps} steps of mini-batch SGD with the right gradients, and the loss on "
            f"{LOOP_DIGITS} digits falls below half its start.")


COLOUR_MIN_ACCURACY = 0.6
"""What :func:`check_colour_lenet` asks of the colour network on new images: chance is 0.1, and a
network that sees only grey values cannot tell the two colours apart (about 0.5)."""


@functools.lru_cache(maxsize=1)
def _colour_data():
    """600 training and 300 test coloured shapes, normalised with the training set's per-channel
    mean and standard deviation (made once per session)."""
    from ..data.shapes import coloured_shapes

    X, y = coloured_shapes(600, seed=0)
    X_test, y_test = coloured_shapes(300, seed=1)
    mean, std = X.mean((0, 2, 3), keepdim=True), X.std((0, 2, 3), keepdim=True)
    return (X - mean) / std, y, (X_test - mean) / std, y_test


@checker("train_colour")
def check_colour_lenet(student_fn) -> str:
    """``student_fn(X, y, seed) -> model``: a LeNet-5 with 3 input channels trained on
    :func:`~course_utils.data.coloured_shapes` images (600, normalised per channel). Checked: its
    parameter count (C1: 6 x (3 x 25 + 1) = 456, so 300 more than the grey LeNet5), its output
    shape, and accuracy at least :data:`COLOUR_MIN_ACCURACY` on 300 new images."""
    import torch
    from torch import nn

    X, y, X_test, y_test = (t.clone() for t in _colour_data())
    where = "train_colour(X, y, seed=0) on 600 coloured shapes"
    with torch.random.fork_rng():
        model = call_student(student_fn, where, X, y, seed=0)
    if not isinstance(model, nn.Module):
        raise WrongAnswer(f"{where}: got {short_repr(model)}, expected the trained model (an "
                          "nn.Module). Hint: return model at the end")
    got = sum(p.numel() for p in model.parameters() if p.requires_grad)
    grey, colour = _lenet_counts(1), _lenet_counts(3)
    if got in grey.values():
        raise WrongAnswer(f"{where}: your model has {got:,} parameters, as many as the grey "
                          "LeNet-5: C1 still reads one map. Hint: MyLeNet(in_channels=3); each C1 "
                          "kernel is then 3 x 5 x 5, so C1 has 6 x (75 + 1) = 456 parameters")
    if got not in colour.values():
        raise WrongAnswer(f"{where}: your model has {got:,} parameters "
                          f"({_leaf_parameter_counts(model)}); LeNet5('modern', in_channels=3) has "
                          f"{colour['modern']:,}. Hint: only C1 changes: 6 x (3 x 25 + 1) = 456")
    was_training = model.training
    model.eval()
    try:
        with torch.no_grad():
            logits = call_student(model, "your model on the test images", X_test)
    finally:
        model.train(was_training)
    expect_shape(logits, (len(X_test), 10), where="your model on the 300 test images",
                 hint="10 logits per image")
    accuracy = float((logits.argmax(1) == y_test).float().mean())
    if accuracy < COLOUR_MIN_ACCURACY:
        raise WrongAnswer(f"{where}: {accuracy:.0%} of 300 new images right; at least "
                          f"{COLOUR_MIN_ACCURACY:.0%} expected (chance: 10 %; a network blind to "
                          "colour: about 50 %). Hint: train longer (8 epochs of batches of 32 at "
                          "lr 0.02 suffice) or lower the learning rate if the loss jumps")
    return (f"a 3-channel LeNet-5 with {got:,} parameters (C1: 456) classifies at least "
            f"{COLOUR_MIN_ACCURACY:.0%} of 300 new coloured shapes.")
