"""The library's layout (CONTRIBUTING.md, "Library layout"): every name the notebooks import still
imports from the path they use, modules stay small, no private name crosses a module boundary, and
ruff is clean."""
from __future__ import annotations

import ast
import importlib
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "course_utils"
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
MAX_LINES = 500

# The paths the course has promised (notebooks, tests, tools and the list), checked even if
# no notebook uses one today.
PROMISED = {
    "course_utils": ["seed_everything", "get_device", "conv", "data", "models", "viz", "widgets",
                     "checks", "train", "pooling"],
    "course_utils.conv": ["KERNELS", "output_size", "fixing_padding", "same_padding", "correlate2d",
                          "convolve2d", "conv2d_naive", "conv2d", "conv2d_backward",
                          "benchmark_conv2d", "kernel"],
    "course_utils.rnn": ["rnn_forward", "rnn_backward", "rnn_step_forward", "lstm_forward",
                         "gru_forward", "to_concatenated", "from_concatenated"],
    "course_utils.pooling": ["POOL_MODES", "pool2d", "pool2d_backward", "pool_output_size",
                             "flatten", "relu", "linear", "linear_backward", "parameter_counts"],
    "course_utils.viz": ["render_history", "render_momentum", "render_pooling",
                         "render_param_growth", "render_flashlight", "render_depth_gradients"],
    "course_utils.widgets": ["depth_gradient_explorer", "demo_apps", "flashlight_demo_grid",
                             "FLASHLIGHT_KERNELS", "PLAYGROUND_WEIGHTS"],
    "course_utils.checks": ["check_pool2d", "LENET_LAYERS", "STUB_MESSAGE", "WrongAnswer",
                            "checker", "call_student", "expect_equal", "stub_error"],
    "course_utils.train": ["fit", "AlexNetSGD", "evaluate", "predict", "History", "batches",
                           "surface_loss", "surface_grad", "momentum_path", "LOSS_SURFACES",
                           "confusion_matrix", "random_shift", "random_affine", "affine_images",
                           "METRICS"],
    "course_utils.data": ["mnist_tensors", "load_image", "load_mnist", "load_text", "IMAGES",
                          "TEXTS", "verify_data", "DataIntegrityError", "DatasetUnavailable",
                          "data_dir", "load_full_dataset", "DATA_ENV_VAR", "MNIST_MEAN",
                          "MNIST_STD", "sha256_file", "MANIFEST"],
    "course_utils.models": ["LeNet5", "plain_net", "residual_net", "AlexNet2012", "summary",
                            "count_parameters", "grad_norms_at_init", "LENET_C3_TABLE",
                            "LENET_LAYERS", "grad_norms_by_setting"],
}


def _code(path: Path) -> str:
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")


def notebook_imports() -> set[tuple[str, str, str]]:
    """(notebook, module, name) for every ``from course_utils... import name`` in a code cell, and
    ``name.attr`` for every module imported as ``from course_utils import name``."""
    found = set()
    for path in NOTEBOOKS:
        code = _code(path)
        for m in re.finditer(r"^\s*from (course_utils[\w.]*) import (\([^)]*\)|[^\n]+)", code, re.M):
            names = re.sub(r"#[^\n]*", "", m.group(2)).strip("()")
            for item in names.split(","):
                item = item.strip()
                if item:
                    found.add((path.name, m.group(1), item.split(" as ")[0].strip()))
        modules = {name for _, module, name in found if module == "course_utils"}
        for module in modules:
            for attr in re.findall(rf"(?<![\w.]){module}\.(\w+)", code):
                found.add((path.name, f"course_utils.{module}", attr))
    return found


IMPORTS = sorted(notebook_imports())


def test_the_notebooks_import_from_course_utils():
    assert len(IMPORTS) > 50, IMPORTS  # the parser found the notebooks' imports


@pytest.mark.parametrize("notebook,module,name", IMPORTS, ids=[f"{n[:2]}:{m}.{x}" for n, m, x in IMPORTS])
def test_every_name_a_notebook_imports_still_imports(notebook, module, name):
    assert hasattr(importlib.import_module(module), name), f"{notebook}: from {module} import {name}"


@pytest.mark.parametrize("module", sorted(PROMISED))
def test_promised_paths_keep_working(module):
    mod = importlib.import_module(module)
    missing = [name for name in PROMISED[module] if not hasattr(mod, name)]
    assert not missing, f"{module} lost {missing}"
    for name in getattr(mod, "__all__", []):
        assert hasattr(mod, name), f"{module}.__all__ lists {name}, which it lacks"


MODULES = sorted(PACKAGE.rglob("*.py"))


@pytest.mark.parametrize("path", MODULES, ids=[str(p.relative_to(PACKAGE)) for p in MODULES])
def test_modules_stay_small(path):
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, (f"{path.relative_to(ROOT)} has {lines} lines (at most {MAX_LINES}): "
                                "split it by topic (CONTRIBUTING.md, Library layout)")


@pytest.mark.parametrize("path", MODULES, ids=[str(p.relative_to(PACKAGE)) for p in MODULES])
def test_no_private_name_crosses_a_module(path):
    """A helper two modules need is public in an internal module (``_validate``, ``_tables``,
    ``_sliding``), not a ``_name`` imported from a sibling."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    bad = [f"line {node.lineno}: from {'.' * node.level}{node.module or ''} import {alias.name}"
           for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
           and (node.level or (node.module or "").startswith("course_utils"))
           for alias in node.names if alias.name.startswith("_") and not alias.name.startswith("__")]
    assert not bad, f"{path.relative_to(ROOT)} imports private names: {bad}"


def test_ruff_is_clean():
    """ruff (configured in pyproject.toml) on the library, the tools and the tests."""
    run = subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache", "course_utils", "tools",
                          "tests", "conftest.py"], cwd=ROOT, capture_output=True, text=True)
    assert run.returncode == 0, f"ruff check failed (fix, or `ruff check --fix`):\n{run.stdout}{run.stderr}"
