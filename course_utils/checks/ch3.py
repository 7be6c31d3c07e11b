"""Checkers of chapter 3's exercises: notebook 08 (the CNN as a fixed feature extractor) and 09
(fine-tuning)."""
from __future__ import annotations

from .core import WrongAnswer, call_student, checker, expect_close, expect_equal, expect_shape

__all__ = ["check_new_head", "check_fine_tune_setup"]


@checker("new_head")
def check_new_head(student_fn) -> str:
    """``student_fn(model, num_classes)``: freeze a MobileNetV2 and give it a new last layer."""
    import torch
    from torchvision.models import mobilenet_v2

    for k in (8, 2):
        torch.manual_seed(k)
        model = mobilenet_v2().eval()
        before = {n: p.detach().clone() for n, p in model.named_parameters()
                  if not n.startswith("classifier")}
        where = f"a MobileNetV2 and num_classes={k}"
        got = call_student(student_fn, where, model, k)
        if not isinstance(got, torch.nn.Module):
            raise WrongAnswer(f"{where}: got a {type(got).__name__}, expected the model back. "
                              "Hint: return model at the end")
        got.eval()
        with torch.no_grad():
            out = got(torch.zeros(2, 3, 64, 64))
        expect_shape(out, (2, k), where=f"{where}, output for 2 images",
                     hint="replace model.classifier[1] (Linear 1280 -> 1000) by nn.Linear(1280, k)")
        trainable = {n for n, p in got.named_parameters() if p.requires_grad}
        frozen_ok = all(not p.requires_grad for n, p in got.named_parameters()
                        if not n.startswith("classifier"))
        if not frozen_ok:
            raise WrongAnswer(f"{where}: some pretrained parameters still have requires_grad=True. "
                              "Hint: loop over model.parameters() and call p.requires_grad_(False) "
                              "before attaching the new layer")
        count = sum(p.numel() for p in got.parameters() if p.requires_grad)
        expect_equal(count, 1280 * k + k, where=f"{where}, trainable numbers ({sorted(trainable)})",
                     hint="only the new layer trains: 1,280 x k weights and k biases")
        changed = [n for n, p in got.named_parameters() if n in before
                   and not torch.equal(p.detach(), before[n])]
        if changed:
            raise WrongAnswer(f"{where}: the pretrained weights changed ({changed[:2]}). Hint: "
                              "replace the last layer only, do not re-initialise the others")
    return "the pretrained layers are frozen and a new 1,280 -> k layer is the only one that trains."


@checker("fine_tune_setup")
def check_fine_tune_setup(student_fn) -> str:
    """``student_fn(model, up_to, lr, decay)``: freeze the stages before ``up_to`` and return an
    SGD optimizer whose learning rate is ``lr`` for the head and ``decay`` times less per stage
    below it (notebook 09). Oracle: the formula, stage by stage, on torchvision's MobileNetV2."""
    import torch
    from torchvision.models import mobilenet_v2

    for up_to, lr, decay in (("features.16", 0.1, 0.5), ("features.18", 0.01, 0.25)):
        torch.manual_seed(0)
        model = mobilenet_v2(num_classes=4)
        stages = [f"features.{i}" for i in range(19)] + ["classifier"]
        k0 = stages.index(up_to)
        where = f"up_to={up_to!r}, lr={lr}, decay={decay}"
        opt = call_student(student_fn, where, model, up_to, lr, decay)
        if not isinstance(opt, torch.optim.Optimizer):
            raise WrongAnswer(f"{where}: got a {type(opt).__name__}, expected a torch.optim "
                              "optimizer. Hint: return torch.optim.SGD(groups, momentum=0.9) with "
                              "one {'params': ..., 'lr': ...} dict per stage")
        lr_of = {id(p): g["lr"] for g in opt.param_groups for p in g["params"]}
        for k, name in enumerate(stages):
            params = list(model.get_submodule(name).parameters())
            if k < k0:
                if any(p.requires_grad for p in params):
                    raise WrongAnswer(f"{where}: stage {name} still trains. Hint: every stage "
                                      f"before {up_to} gets p.requires_grad_(False)")
                if any(id(p) in lr_of for p in params):
                    raise WrongAnswer(f"{where}: the frozen stage {name} is in the optimizer. "
                                      "Hint: give the optimizer the trainable stages only")
                continue
            want = lr * decay ** (len(stages) - 1 - k)
            for p in params:
                if not p.requires_grad or id(p) not in lr_of:
                    raise WrongAnswer(f"{where}: a parameter of stage {name} is frozen or missing "
                                      f"from the optimizer. Hint: {up_to} and every later stage "
                                      "train")
                expect_close(lr_of[id(p)], want, rtol=1e-6, atol=0.0,
                             where=f"{where}, learning rate of stage {name}",
                             hint="the head (classifier) gets lr; each stage below it decay "
                                  "times the rate of the stage above")
    return "earlier stages frozen, and each trainable stage learns decay times slower than the next."
