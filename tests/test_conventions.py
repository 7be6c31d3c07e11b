"""The notebook conventions of CONTRIBUTING.md, checked on every committed notebook."""
import json
import re
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
# A cell that continues the current slide has no slide type (nbformat's default "-"); an explicit
# "-" hides the cell in jupyterlab-slideshow 0.3.4, as in jupyterlab-deck 0.2 (tools/deck_compat.py removes it).
SLIDE_TYPES = {"slide", "subslide", "fragment", "skip", "notes", None}
ids = [p.name for p in NOTEBOOKS]


def load(path):
    return nbformat.read(path, as_version=4)


def test_there_are_notebooks_numbered_from_00():
    assert NOTEBOOKS, "no notebooks found"
    numbers = [int(p.name[:2]) for p in NOTEBOOKS]
    assert numbers == list(range(len(numbers))), f"notebook numbers must run 00, 01, ...: {numbers}"


def test_navigation_bars_are_current():
    import navigation  # tools/ is importable through pytest's pythonpath (pyproject.toml)

    stale = navigation.update(check=True)
    assert not stale, f"stale navigation bars (run `make nav`): {[p.name for p in stale]}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids)
def test_structure(path):
    assert re.fullmatch(r"\d\d_[a-z0-9_]+\.ipynb", path.name), "name must be NN_topic.ipynb"
    nb = load(path)
    cells = nb.cells
    first = cells[0]
    assert first.cell_type == "markdown" and first.source.startswith("<!-- NAV -->")
    m = re.search(r"^# (\d\d) · \S.*$", first.source, re.M)
    assert m, "first cell needs the title heading '# NN · Title'"
    assert m.group(1) == path.name[:2], "title number must match the file name"
    assert cells[-1].source.startswith("<!-- NAV -->"), "last cell must be the navigation bar"
    md = "\n".join(c.source for c in cells if c.cell_type == "markdown")
    assert re.search(r"^## Learning objectives", md, re.M), "needs '## Learning objectives'"
    assert re.search(r"^## Summary", md, re.M), "needs '## Summary'"
    code = [c for c in cells if c.cell_type == "code"]
    setup = [c for c in code if "seed_everything(" in c.source and "get_device(" in c.source]
    assert setup, "needs a setup cell calling seed_everything() and get_device()"
    assert setup[0].metadata.get("slideshow", {}).get("slide_type") == "skip", "setup cell: skip"
    assert re.search(r"\bseed_everything\(SEED\)", setup[0].source), \
        "the setup cell seeds from the parameter: rng = seed_everything(SEED)"
    params = [c for c in code if "parameters" in c.metadata.get("tags", [])]
    assert len(params) == 1, "needs exactly one cell tagged 'parameters'"
    assert re.search(r"^FULL = False\b", params[0].source, re.M), "parameters need 'FULL = False'"
    assert re.search(r"^SEED = 0\b", params[0].source, re.M), "parameters need 'SEED = 0'"
    assert code.index(params[0]) == 0 and code[1] is setup[0], \
        "the parameters cell is the first code cell, right before the setup cell (which reads SEED)"
    for i, c in enumerate(cells):
        st = c.metadata.get("slideshow", {}).get("slide_type")
        assert st in SLIDE_TYPES, (f"cell {i} has slide_type {st!r}; allowed: slide, subslide, "
                                   "fragment, skip, notes, or none (continue the slide); "
                                   "run `make nav` to fix an explicit '-'")
        assert "import *" not in c.source or c.cell_type != "code", f"cell {i}: no star imports"
    assert any(c.metadata.get("slideshow", {}).get("slide_type") == "notes" for c in cells), \
        "needs speaker notes"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids)
def test_parameters_are_literals(path):
    """papermill injects its values in a cell after this one, so a value computed here from
    another parameter (EPOCHS = 40 if FULL else 25) would keep its default: derived values go in
    an `if FULL:` cell after the setup cell."""
    import ast

    params = next(c for c in load(path).cells if "parameters" in c.metadata.get("tags", []))
    for node in ast.parse(params.source).body:
        assert isinstance(node, ast.Assign), f"only assignments in the parameters cell: {ast.unparse(node)}"
        try:
            ast.literal_eval(node.value)
        except ValueError:
            pytest.fail(f"{ast.unparse(node)}: a parameter must be a literal (papermill overrides it); "
                        "compute derived values in a cell after the setup cell")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids)
def test_randomness_flows_from_seed(path):
    """make robust re-runs every notebook with other seeds: a literal seed would pin one trajectory."""
    for i, c in enumerate(load(path).cells):
        if c.cell_type != "code":
            continue
        literal = re.findall(r"(?:seed_everything|manual_seed|default_rng)\(\s*\d+\s*\)|\bseed=\d+", c.source)
        assert not literal, f"cell {i}: {literal}: derive seeds from SEED (e.g. SEED + 1)"
        for call in _calls(c.source, "fit"):  # fit's own default would fix the batch order
            assert "seed=" in call, f"cell {i}: pass seed= to {call[:60]}..."


def _calls(source: str, name: str) -> list[str]:
    """The text of every call ``name(...)`` in ``source``, parentheses balanced."""
    calls = []
    for m in re.finditer(rf"(?<![\w.]){name}\(", source):
        depth = 0
        for k in range(m.end() - 1, len(source)):
            depth += {"(": 1, ")": -1}.get(source[k], 0)
            if depth == 0:
                calls.append(source[m.start():k + 1])
                break
    return calls


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids)
def test_exercises_have_checkers(path):
    cells = load(path).cells
    solutions = [i for i, c in enumerate(cells) if "solution" in c.metadata.get("tags", [])]
    assert solutions, "every notebook has at least one exercise (a cell tagged 'solution')"
    for i in solutions:
        assert cells[i].cell_type == "code"
        assert "### BEGIN SOLUTION" in cells[i].source and "### END SOLUTION" in cells[i].source
        following = "\n".join(c.source for c in cells[i + 1:i + 4] if c.cell_type == "code")
        assert re.search(r"\bcheck_\w+\(", following), f"cell {i}: a checker must follow the exercise"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids)
def test_committed_executed_without_errors(path):
    assert path.stat().st_size < 2_000_000, f"{path.stat().st_size / 1e6:.1f} MB; the limit is 2 MB"
    raw = json.loads(path.read_text())
    code = [c for c in raw["cells"] if c["cell_type"] == "code"]
    counts = [c["execution_count"] for c in code]
    assert counts == list(range(1, len(code) + 1)), \
        f"execute the notebook top to bottom in a fresh kernel (make execute): counts {counts}"
    for c in code:
        for o in c["outputs"]:
            assert o["output_type"] != "error", f"stored error: {o.get('ename')}: {o.get('evalue')}"
            assert not (o["output_type"] == "stream" and "Traceback" in o.get("text", "")), \
                "a traceback is stored in a stream output"


def test_readme_links_every_notebook():
    readme = (ROOT / "README.md").read_text()
    linked = set(re.findall(r"\]\(notebooks/(\d\d_[a-z0-9_]+\.ipynb)\)", readme))
    assert {p.name for p in NOTEBOOKS} <= linked, "README's chapter table must link every notebook"
    missing = sorted(n for n in linked if not (ROOT / "notebooks" / n).exists())
    assert not missing, f"README links notebooks that do not exist: {missing}"
