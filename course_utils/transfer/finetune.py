"""Fine-tuning helpers: freeze the early stages, replace the head, per-stage learning rates.

* :func:`freeze` (``up_to``): every stage **before** ``up_to`` is frozen, ``up_to`` and the
  later stages train. Frozen means: ``requires_grad = False`` on the parameters (so an optimizer
  leaves them bit-identical: PyTorch's SGD and Adam skip parameters without a gradient, weight
  decay and momentum included), and every batch-norm layer in a frozen stage **stays in eval
  mode** even after ``model.train()`` (a forward pre-hook sets it back): it normalises with its
  ImageNet running statistics and never updates them. Without that, a "frozen" BN layer would
  still change its running mean and variance in training mode (they are buffers, not
  parameters), and the frozen part would compute something else at test time.
* :func:`unfreeze`: undo it (everything trains).
* :func:`replace_head`: a new, randomly initialised last layer for ``num_classes`` classes.
* :func:`param_groups`: discriminative learning rates, ``lr_k = lr * decay ** (K - 1 - k)`` for
  the k-th of K trainable stages (the head gets ``lr``; each stage below it ``decay`` times less),
  as parameter groups for any ``torch.optim`` optimizer.
"""
from __future__ import annotations

from .._validate import as_float, as_int
from .codes import stage_names

__all__ = ["freeze", "unfreeze", "frozen_stages", "replace_head", "param_groups"]

_HOOKS: dict[int, object] = {}   # id(bn module) -> its forward pre-hook handle


def _keep_eval(module, _inputs):
    module.training = False


def _is_bn(module) -> bool:
    import torch

    return isinstance(module, torch.nn.modules.batchnorm._BatchNorm)


def _set_frozen(stage, frozen: bool) -> None:
    for p in stage.parameters():
        p.requires_grad_(not frozen)
    for m in stage.modules():
        if _is_bn(m):
            handle = _HOOKS.pop(id(m), None)
            if handle is not None:
                handle.remove()
            if frozen:
                m.eval()
                _HOOKS[id(m)] = m.register_forward_pre_hook(_keep_eval)


def freeze(model, up_to: str) -> list[str]:
    """Freeze every stage before ``up_to`` (a name from :func:`stage_names`); return their names.

    ``up_to`` and every later stage are made trainable. Frozen stages: no gradients, batch norm
    in eval mode (running statistics used, never updated), even after ``model.train()``.
    """
    names = stage_names(model)
    if not isinstance(up_to, str) or up_to not in names:
        raise ValueError(f"up_to must be one of the model's stages ({names[0]!r} ... "
                         f"{names[-1]!r}): the first stage that trains; got {up_to!r}")
    k = names.index(up_to)
    for i, name in enumerate(names):
        _set_frozen(model.get_submodule(name), i < k)
    return names[:k]


def unfreeze(model) -> None:
    """Make every stage trainable again (undoes :func:`freeze`)."""
    for name in stage_names(model):
        _set_frozen(model.get_submodule(name), False)


def frozen_stages(model) -> list[str]:
    """The stages whose parameters all have ``requires_grad == False`` (parameterless ones skipped)."""
    out = []
    for name in stage_names(model):
        params = list(model.get_submodule(name).parameters())
        if params and not any(p.requires_grad for p in params):
            out.append(name)
    return out


def replace_head(model, num_classes: int, seed: int = 0):
    """Replace the network's last linear layer by a new one with ``num_classes`` outputs.

    Works for MobileNetV2 (``classifier[-1]``: 1,280 → num_classes) and ResNets (``fc``). The new
    layer is initialised from ``torch.Generator().manual_seed(seed)``: W ~ N(0, 0.01²), b = 0.
    Returns the model (changed in place).
    """
    import torch

    stage_names(model)                     # checks that model is a module with stages
    num_classes = as_int(num_classes, "num_classes", 1, 100_000)
    seed = as_int(seed, "seed", 0)
    if isinstance(getattr(model, "fc", None), torch.nn.Linear):
        parent, key = model, "fc"
    elif isinstance(getattr(model, "classifier", None), torch.nn.Sequential) and isinstance(
            model.classifier[-1], torch.nn.Linear):
        parent, key = model.classifier, str(len(model.classifier) - 1)
    else:
        raise ValueError("model has no last linear layer to replace (expected .fc or "
                         ".classifier[-1] as in torchvision's ResNets and MobileNets)")
    old = parent.get_submodule(key) if key != "fc" else model.fc
    new = torch.nn.Linear(old.in_features, num_classes)
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        new.weight.copy_(torch.randn(new.weight.shape, generator=g) * 0.01)
        new.bias.zero_()
    if key == "fc":
        model.fc = new
    else:
        parent[int(key)] = new
    return model


def param_groups(model, lr: float, decay: float = 1.0) -> list[dict]:
    """Parameter groups with one learning rate per trainable stage (discriminative rates).

    The K stages that have trainable parameters, in forward order, get
    ``lr_k = lr * decay ** (K - 1 - k)``: the last (the head) ``lr``, each earlier one ``decay``
    times that of the next (``decay = 1``: one rate for all; ``decay = 0.5``: halved per stage).
    Frozen parameters are left out. Each group is ``{"params": [...], "lr": lr_k, "stage": name}``.
    """
    lr = as_float(lr, "lr", minimum=0.0)
    decay = as_float(decay, "decay", minimum=0.0, maximum=1.0)
    groups = []
    for name in stage_names(model):
        params = [p for p in model.get_submodule(name).parameters() if p.requires_grad]
        if params:
            groups.append({"params": params, "stage": name})
    if not groups:
        raise ValueError("model has no trainable parameters: unfreeze a stage first")
    k_max = len(groups) - 1
    for k, group in enumerate(groups):
        group["lr"] = lr * decay ** (k_max - k)
    return groups
