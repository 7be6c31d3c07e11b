"""Notebook 09's library pieces: the scenario figure and explorer, the discriminative-rates checker.

The checker's oracle is the formula lr * decay ** (K - 1 - k) stage by stage; here it is tested
with a reference answer built on torch directly, a stub, and wrong answers (each with its hint).
"""
import matplotlib

matplotlib.use("Agg")
import pytest  # noqa: E402
import torch  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from course_utils.checks import WrongAnswer, check_fine_tune_setup  # noqa: E402
from course_utils.checks.core import STUB_MESSAGE  # noqa: E402
from course_utils.viz import render_scenario  # noqa: E402
from course_utils.widgets import scenario_explorer  # noqa: E402
from course_utils.widgets.transfer import scenario_demo  # noqa: E402


def stages(model):
    return [f"features.{i}" for i in range(len(model.features))] + ["classifier"]


def right(model, up_to, lr, decay):
    names = stages(model)
    first = names.index(up_to)
    groups = []
    for k, name in enumerate(names):
        params = list(model.get_submodule(name).parameters())
        for p in params:
            p.requires_grad_(k >= first)
        if k >= first:
            groups.append({"params": params, "lr": lr * decay ** (len(names) - 1 - k)})
    return torch.optim.SGD(groups, lr=lr, momentum=0.9)


def one_rate(model, up_to, lr, decay):          # forgets the decay
    return right(model, up_to, lr, 1.0)


def nothing_frozen(model, up_to, lr, decay):    # right rates, but the early stages still train
    opt = right(model, up_to, lr, decay)
    for p in model.parameters():
        p.requires_grad_(True)
    return opt


def test_checker_right(capsys):
    check_fine_tune_setup(right)
    assert capsys.readouterr().out.startswith("Correct")


def test_checker_not_done(capsys):
    def stub(model, up_to, lr, decay):
        raise NotImplementedError(STUB_MESSAGE)
    check_fine_tune_setup(stub)
    assert capsys.readouterr().out.startswith("Not done yet")


@pytest.mark.parametrize("wrong, hint", [(one_rate, "decay times"),
                                         (nothing_frozen, "requires_grad_(False)")])
def test_checker_wrong_with_hint(wrong, hint):
    with pytest.raises(WrongAnswer, match=hint.replace("(", r"\(").replace(")", r"\)")):
        check_fine_tune_setup(wrong)


def test_render_scenario_marks_rule_and_best():
    fig = Figure()
    render_scenario(fig, {"a": [0.5, 0.7], "b": [0.9]}, "a", rule="use a", chance=0.1)
    title = fig.axes[0].get_title()
    assert "use a" in title and "0.300 above" in title       # best mean 0.9 vs 0.6
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert "a\n(the notes' rule)" in labels and "b" in labels


def test_scenario_explorer_every_cell():
    app = scenario_demo()
    for size in ("small", "large"):
        for kind in ("similar", "different"):
            result = app.set(size=size, similarity=kind)
            assert result.kind == "figure", result.message


def test_scenario_explorer_needs_every_cell():
    with pytest.raises(ValueError, match="missing"):
        scenario_explorer({("small", "similar"): {"a": [0.5]}, ("large", "different"): {"a": [0.5]}},
                          {("small", "similar"): ("a", ""), ("large", "different"): ("a", "")})
