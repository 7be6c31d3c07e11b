"""Two tools to look inside any ``torch.nn.Module``.

``count_parameters(model)`` counts trainable numbers; ``summary(model, input_shape)`` runs one
example through the model and lists, layer by layer, the output shape, the parameters and the
multiply-adds of each conv and fully connected layer, read from the model itself (forward hooks),
so a table in a notebook cannot drift from the code.
"""
from __future__ import annotations

import math
import numbers
from dataclasses import dataclass

from .._validate import check_elements
from ..repro import resolve_device

__all__ = ["count_parameters", "summary", "Summary", "SummaryRow"]


def _layer_macs(module, output_shape: tuple) -> int:
    """Multiply-adds per example of a conv or fully connected layer, from its output shape:

    * ``Conv1d/2d/3d``: every output value is a dot product over its window,
      ``outputs · (c_in / groups) · prod(kernel_size)``;
    * ``Linear``: ``outputs · in_features`` (``in_features · out_features`` for a vector);

    bias additions are not counted; any other layer gives 0. (PyTorch's
    ``torch.utils.flop_counter`` counts 2 FLOPs per multiply-add.)
    """
    import torch

    outputs = math.prod(output_shape)
    if isinstance(module, (torch.nn.Conv1d, torch.nn.Conv2d, torch.nn.Conv3d)):
        return outputs * (module.in_channels // module.groups) * math.prod(module.kernel_size)
    if isinstance(module, torch.nn.Linear):
        return outputs * module.in_features
    return 0


def count_parameters(model, trainable_only: bool = True) -> int:
    """Number of scalar parameters: ``sum_p p.numel()`` over ``model.parameters()``.

    With ``trainable_only`` (default) only those with ``requires_grad``. A parameter shared by
    two layers is counted once.

    >>> import torch
    >>> count_parameters(torch.nn.Linear(120, 84))   # 120 * 84 weights + 84 biases
    10164
    """
    import torch

    if not isinstance(model, torch.nn.Module):
        raise ValueError(f"model must be a torch.nn.Module, got {type(model).__name__}")
    return sum(p.numel() for p in model.parameters() if p.requires_grad or not trainable_only)


@dataclass(frozen=True)
class SummaryRow:
    """One layer: its dotted name, its type, its output shape (without the batch dimension), the
    number of its parameters, the number of output values ("neurons") per example, and its
    multiply-adds per example (``macs``, counted as in ``summary``; 0 for other layers)."""

    name: str
    kind: str
    output_shape: tuple
    params: int
    outputs: int
    macs: int = 0


class Summary:
    """The result of :func:`summary`: ``rows`` (a list of :class:`SummaryRow`), ``total_params``,
    ``trainable_params``, ``input_shape``; prints as a table."""

    def __init__(self, rows: list[SummaryRow], input_shape: tuple, total_params: int,
                 trainable_params: int, model_name: str):
        self.rows, self.input_shape = rows, tuple(input_shape)
        self.total_params, self.trainable_params = total_params, trainable_params
        self.model_name = model_name

    def __len__(self) -> int:
        return len(self.rows)

    def __iter__(self):
        return iter(self.rows)

    def __getitem__(self, key):
        """A row by position or by layer name."""
        if isinstance(key, str):
            for row in self.rows:
                if row.name == key:
                    return row
            raise KeyError(f"no layer named {key!r}; layers: {[r.name for r in self.rows]}")
        return self.rows[key]

    @property
    def total_macs(self) -> int:
        """Multiply-adds per example summed over the rows (conv and fully connected layers)."""
        return sum(r.macs for r in self.rows)

    @property
    def total_outputs(self) -> int:
        """Output values per example summed over the rows (a count of "neurons")."""
        return sum(r.outputs for r in self.rows)

    def table(self) -> str:
        shape = lambda s: "(" + ", ".join(map(str, s)) + ("," if len(s) == 1 else "") + ")"  # noqa: E731
        cells = [(r.name, r.kind, shape(r.output_shape), f"{r.params:,}") for r in self.rows]
        head = ("layer", "type", "output shape", "parameters")
        widths = [max(len(h), *(len(c[i]) for c in cells)) if cells else len(h)
                  for i, h in enumerate(head)]
        fmt = lambda c: (f"{c[0]:<{widths[0]}}  {c[1]:<{widths[1]}}  "  # noqa: E731
                         f"{c[2]:<{widths[2]}}  {c[3]:>{widths[3]}}")
        rule = "-" * len(fmt(head))
        lines = [f"{self.model_name}, input {shape(self.input_shape)} (shapes without the batch)",
                 fmt(head), rule, *map(fmt, cells), rule,
                 f"total parameters: {self.total_params:,} (trainable {self.trainable_params:,})"]
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.table()

    __repr__ = __str__


def summary(model, input_shape, depth: int | None = None, device=None) -> Summary:
    """Layer-by-layer output shapes and parameter counts, measured by running the model.

    Shapes: ``input_shape`` is one example's shape *without* the batch, e.g. ``(1, 32, 32)``;
    the model runs once (eval mode, no gradients) on a zero batch of 2, shape (2, *input_shape).

    Each row also has ``macs``, the multiply-adds per example of a conv or fully connected leaf
    (0 for other rows, and for a container row at ``depth``): ``Summary.total_macs`` is the
    network's compute per example when every weight layer is a leaf row (``depth=None``).

    Rows are the modules at nesting ``depth`` (1 = the model's direct children) and any shallower
    leaf; ``depth=None`` lists every leaf module (one with no children). A row's parameters are
    all those inside that module, counted the first time it runs (a module called twice, like a
    shared ReLU, gives two rows, the second with 0). Parameters owned by no listed module appear
    in a final row ``(other)`` so the rows always add up to ``total_params``.
    """
    import torch

    if not isinstance(model, torch.nn.Module):
        raise ValueError(f"model must be a torch.nn.Module, got {type(model).__name__}")
    if isinstance(input_shape, (str, bytes)):
        raise ValueError(f"input_shape must be a tuple of ints such as (1, 32, 32), "
                         f"got {input_shape!r}")
    if not hasattr(input_shape, "__iter__") or not all(
            isinstance(d, numbers.Integral) and not isinstance(d, bool) for d in input_shape):
        raise ValueError(f"input_shape must be a tuple of ints such as (1, 32, 32), "
                         f"got {input_shape!r}")
    input_shape = tuple(int(d) for d in input_shape)
    if not input_shape or any(d < 1 for d in input_shape):
        raise ValueError(f"input_shape must be positive sizes without the batch dimension, "
                         f"e.g. (1, 32, 32); got {input_shape}")
    check_elements(2 * math.prod(input_shape), f"the batch of 2 examples of input_shape "
                   f"{input_shape}", "summarise a smaller input")
    if depth is not None and (isinstance(depth, bool) or not isinstance(depth, int) or depth < 1):
        raise ValueError(f"depth must be None (every leaf) or an integer >= 1, got {depth!r}")
    if device is not None:
        device = resolve_device(device)

    chosen = []
    for name, module in model.named_modules():
        if not name:
            continue
        level = name.count(".") + 1
        leaf = next(iter(module.children()), None) is None
        if (depth is None and leaf) or (depth is not None and (level == depth or
                                                               (leaf and level < depth))):
            chosen.append((name, module))
    if not chosen:  # a model with no sub-modules is its own single row
        chosen = [(type(model).__name__, model)]

    rows: list[SummaryRow] = []
    seen: set[int] = set()

    def kind_of(module) -> str:
        if isinstance(module, torch.nn.Sequential):
            return "+".join(type(m).__name__ for m in module) or "Sequential"
        return type(module).__name__

    def hook_for(name):
        def hook(module, inputs, output):
            out = output[0] if isinstance(output, (tuple, list)) else output
            shape = tuple(out.shape[1:]) if isinstance(out, torch.Tensor) else ()
            params = 0
            if id(module) not in seen:
                seen.add(id(module))
                params = count_parameters(module, trainable_only=False)
            numel = 1
            for d in shape:
                numel *= d
            rows.append(SummaryRow(name, kind_of(module), shape, params, numel,
                                   _layer_macs(module, shape)))
        return hook

    param = next(model.parameters(), None)
    if device is None:
        device = param.device if param is not None else torch.device("cpu")
    dtype = param.dtype if param is not None and param.is_floating_point() else torch.float32
    handles = [m.register_forward_hook(hook_for(n)) for n, m in chosen]
    was_training = model.training
    try:
        model.eval()
        with torch.no_grad():
            model(torch.zeros((2, *input_shape), device=device, dtype=dtype))
    except RuntimeError as e:
        raise ValueError(f"the model does not accept input of shape (N, "
                         f"{', '.join(map(str, input_shape))}): {e}") from e
    finally:
        for h in handles:
            h.remove()
        model.train(was_training)
    total = count_parameters(model, trainable_only=False)
    listed = sum(r.params for r in rows)
    if listed != total:
        rows.append(SummaryRow("(other)", "parameters outside the listed layers", (),
                               total - listed, 0))
    return Summary(rows, input_shape, total, count_parameters(model), type(model).__name__)
