"""Student versions (tools/make_student.py): every solution became a stub, no speaker notes and no
outputs remain, nothing else changed, and each exercise with its checker still runs.

Two layers, so that the test costs seconds rather than a second run of every notebook:

* **Statically** (no kernel), for every notebook: the student version is the notebook minus its
  speaker notes, with each ``solution`` cell replaced by an ``exercise`` cell whose solution
  region is the stub; the stub binds the same names as the solution; no line that only a solution
  contains appears anywhere in the student version (a leak); no outputs, counts or widget state;
  and no later cell uses a name an exercise defines except through a checker call
  (``check_x(name)``). nbval runs the full notebook, and the two differ only in the exercise
  cells, so together these prove that the whole student notebook runs with the stubs.
* **Executed**, one kernel per notebook: the setup and parameters cells, every exercise and its
  checker cells, and (transitively) the earlier cells that define the names those use, found by
  reading each cell's AST. The only error allowed is a stub's own ``NotImplementedError``, in an
  exercise cell; every checker cell must answer "Not done yet" and none may say "Correct".
"""
from __future__ import annotations

import ast
import builtins
import contextlib
import functools
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

import make_student
import nbrun
from course_utils.checks import STUB_MESSAGE

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
IDS = [p.name for p in NOTEBOOKS]
BUILTINS = set(dir(builtins))
CODE_MAGICS = {"time", "timeit", "prun", "capture"}  # magics whose argument is Python code


# --- reading cells: which names a cell defines and which it uses ---------------------------------

@functools.lru_cache(maxsize=None)
def _tree(source: str) -> ast.Module:
    """The AST of a cell, IPython syntax (%magics, !commands) turned into Python first."""
    from IPython.core.inputtransformer2 import TransformerManager

    tree = ast.parse(TransformerManager().transform_cell(source))
    # %time / %%time and friends run Python code given as a string: read that code too
    for node in list(ast.walk(tree)):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and node.func.attr in ("run_line_magic", "run_cell_magic")
                and all(isinstance(a, ast.Constant) for a in node.args)
                and node.args and node.args[0].value in CODE_MAGICS):
            with contextlib.suppress(SyntaxError):
                tree.body.extend(ast.parse(node.args[-1].value).body)
    return tree


def _walk_module_level(tree):
    """Nodes executed at module level: not inside function or class bodies, lambdas or
    comprehensions (their names are local to them)."""
    todo = list(ast.iter_child_nodes(tree))
    while todo:
        node = todo.pop()
        yield node
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            todo.extend(node.decorator_list)  # decorators and defaults run at module level
            if not isinstance(node, ast.ClassDef):
                todo.extend(node.args.defaults + [d for d in node.args.kw_defaults if d])
            continue
        if isinstance(node, (ast.Lambda, ast.ListComp, ast.SetComp, ast.DictComp,
                             ast.GeneratorExp)):
            continue
        todo.extend(ast.iter_child_nodes(node))


def defines(source: str) -> set[str]:
    """Names a cell binds in the notebook's namespace."""
    out = set()
    for node in _walk_module_level(_tree(source)):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            out.add(node.name)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            out.update((a.asname or a.name).split(".")[0] for a in node.names if a.name != "*")
        elif isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)):
            out.add(node.id)
        elif isinstance(node, ast.NamedExpr):
            out.add(node.target.id)
    return out


def uses(source: str) -> set[str]:
    """Global names a cell reads, function bodies included (they read globals when called)."""
    return {n.id for n in ast.walk(_tree(source))
            if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)} - BUILTINS


def checked_names(source: str) -> set[str]:
    """Names passed straight to a checker: ``check_x(name)``."""
    return {a.id for n in ast.walk(_tree(source))
            if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)
            and n.func.id.startswith("check_")
            for a in (*n.args, *(k.value for k in n.keywords)) if isinstance(a, ast.Name)}


def _uses_outside_checker_calls(source: str, name: str) -> bool:
    """Whether ``name`` is read anywhere but as a direct argument of a ``check_...`` call."""
    tree = _tree(source)
    as_argument = {id(a) for n in ast.walk(tree)
                   if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)
                   and n.func.id.startswith("check_")
                   for a in (*n.args, *(k.value for k in n.keywords))}
    return any(isinstance(n, ast.Name) and n.id == name and isinstance(n.ctx, ast.Load)
               and id(n) not in as_argument for n in ast.walk(tree))


def _tags(cell) -> list:
    return cell.get("metadata", {}).get("tags", [])


def _is_code(cell) -> bool:
    return cell.cell_type == "code"


# --- the checks, as functions that return problems (so that they can be tested themselves) -------

def solution_only_lines(nb) -> set[str]:
    """Lines (stripped) inside solution regions that appear nowhere else in the notebook."""
    inside, outside = set(), set()
    for cell in nb.cells:
        lines = cell.source.splitlines()
        if _is_code(cell) and "solution" in _tags(cell):
            in_region = False
            for line in lines:
                if make_student.BEGIN in line:
                    in_region = True
                elif make_student.END in line:
                    in_region = False
                elif in_region:
                    inside.add(line.strip())
                else:
                    outside.add(line.strip())
        else:
            outside.update(line.strip() for line in lines)
    return {ln for ln in inside - outside if len(ln) > 3 and not ln.startswith("#")}


def exercises_and_checkers(nb) -> dict[int, list[int]]:
    """{index of each exercise cell: indices of the later cells that pass its names to a checker}."""
    out = {}
    for i, cell in enumerate(nb.cells):
        if _is_code(cell) and "exercise" in _tags(cell):
            names = defines(cell.source)
            out[i] = [j for j in range(i + 1, len(nb.cells)) if _is_code(nb.cells[j])
                      and names & checked_names(nb.cells[j].source)]
    return out


def static_problems(original, student) -> list[str]:
    """What is wrong with ``student`` as the student version of ``original``."""
    problems = []
    kept = [c for c in original.cells if not make_student.is_speaker_notes(c)]
    if len(kept) != len(student.cells):
        return [f"{len(student.cells)} cells, expected {len(kept)} (all but the speaker notes)"]
    for i, (orig, cell) in enumerate(zip(kept, student.cells)):
        if make_student.is_speaker_notes(cell):
            problems.append(f"cell {i}: speaker notes left in")
        if _is_code(cell) and (cell.outputs or cell.execution_count is not None):
            problems.append(f"cell {i}: outputs or execution count left in")
        if _is_code(orig) and "solution" in _tags(orig):
            if "exercise" not in _tags(cell) or "solution" in _tags(cell):
                problems.append(f"cell {i}: a solution cell is not tagged 'exercise' alone")
            if make_student.BEGIN in cell.source or make_student.END in cell.source:
                problems.append(f"cell {i}: solution markers left in")
            if f'raise NotImplementedError("{STUB_MESSAGE}")' not in cell.source:
                problems.append(f"cell {i}: no stub")
            try:
                if defines(cell.source) != defines(orig.source):
                    problems.append(f"cell {i}: the stub defines {sorted(defines(cell.source))}, "
                                    f"the solution {sorted(defines(orig.source))}")
            except SyntaxError as e:
                problems.append(f"cell {i}: the stub is not valid Python ({e})")
        elif cell.source != orig.source or cell.cell_type != orig.cell_type:
            problems.append(f"cell {i}: changed, but it is not a solution")
        elif "exercise" in _tags(cell) and "exercise" not in _tags(orig):
            problems.append(f"cell {i}: tagged 'exercise' but was no solution")
    if student.metadata.get("widgets"):
        problems.append("stored widget state left in")
    text = "\n".join(c.source for c in student.cells)
    leaked = sorted(ln for ln in solution_only_lines(original) if ln in text)
    if leaked:
        problems.append(f"solution lines leaked into the student version: {leaked}")
    if problems:
        return problems
    checkers = exercises_and_checkers(student)
    if not checkers:
        problems.append("no exercise in the student version")
    for i, later in checkers.items():
        if not later:
            problems.append(f"exercise cell {i} ({sorted(defines(student.cells[i].source))}) has "
                            "no checker cell after it")
        for name in defines(student.cells[i].source):
            for j in range(i + 1, len(student.cells)):
                cell = student.cells[j]
                if not _is_code(cell):
                    continue
                if _uses_outside_checker_calls(cell.source, name):
                    problems.append(f"cell {j} uses {name} from exercise cell {i}: students who "
                                    "skip the exercise cannot run it (use course_utils' version)")
                if name in defines(cell.source):
                    break  # redefined: later uses are not the exercise's
    return problems


def exercise_slice(nb) -> list[int]:
    """Indices of the cells the exercises need: setup and parameters cells, every exercise and its
    checker cells, and transitively, for every name one of those uses, the latest earlier cell
    that defines it."""
    code = [i for i, c in enumerate(nb.cells) if _is_code(c)]
    need = {i for i in code if "parameters" in _tags(nb.cells[i])}
    need.update(next(([i] for i in code if "seed_everything(" in nb.cells[i].source
                      and "get_device(" in nb.cells[i].source), []))  # the setup cell
    for ex, checkers in exercises_and_checkers(nb).items():
        need.update([ex, *checkers])
    todo = sorted(need)
    while todo:
        i = todo.pop()
        for name in uses(nb.cells[i].source):
            source = next((j for j in reversed(code) if j < i
                           and name in defines(nb.cells[j].source)), None)
            if source is not None and source not in need:
                need.add(source)
                todo.append(source)
    return sorted(need)


def _stdout(cell) -> str:
    return "".join(o.get("text", "") for o in cell.get("outputs", [])
                   if o.get("output_type") == "stream" and o.get("name") == "stdout")


def run_problems(student, path: Path) -> tuple[list[str], list[int]]:
    """Execute the exercise slice of ``student`` as if it lived at ``path``; return the problems
    and the slice (indices into ``student.cells``)."""
    keep = exercise_slice(student)
    part = nbformat.from_dict(student)
    part.cells = [nbformat.from_dict(student.cells[i]) for i in keep]
    nbrun.execute(part, path, allow_errors=True)
    problems = []
    checkers = {j for later in exercises_and_checkers(student).values() for j in later}
    for index, cell in zip(keep, part.cells):
        for out in cell.get("outputs", []):
            if out.get("output_type") != "error":
                continue
            stub = (out.get("ename") == "NotImplementedError"
                    and STUB_MESSAGE in (out.get("evalue") or ""))
            if not (stub and "exercise" in _tags(cell)):
                problems.append(f"cell {index}: {out.get('ename')}: {out.get('evalue')}")
        if index in checkers:
            said = _stdout(cell)
            if "Not done yet" not in said or "Correct" in said:
                problems.append(f"checker cell {index} should say 'Not done yet' to the stub; "
                                f"it said {said.strip()[:200]!r}")
    return problems, keep


# --- the course's notebooks ---------------------------------------------------------------------

@functools.lru_cache(maxsize=None)
def _versions(path: Path):
    original = nbformat.read(path, as_version=4)
    return original, make_student.student_version(original)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_student_version_is_stubbed_and_clean(path):
    original, student = _versions(path)
    problems = static_problems(original, student)
    assert not problems, "\n".join(problems)
    n_notes = sum(make_student.is_speaker_notes(c) for c in original.cells)
    assert len(original.cells) - len(student.cells) == n_notes


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_student_exercises_run_with_their_checkers(path):
    _, student = _versions(path)
    problems, keep = run_problems(student, path)
    assert not problems, f"executed cells {keep}:\n" + "\n".join(problems)


# --- the machinery itself ------------------------------------------------------------------------

def test_strip_solution_keeps_signature_and_indentation():
    src = ('def f(x):\n    """Double x."""\n    ### BEGIN SOLUTION\n    y = 2 * x\n    return y\n'
           '    ### END SOLUTION\n\nprint("after")\n')
    out = make_student.strip_solution(src)
    assert 'def f(x):\n    """Double x."""\n    # YOUR CODE HERE\n' in out
    assert f'    raise NotImplementedError("{STUB_MESSAGE}")\n' in out
    assert "2 * x" not in out and 'print("after")' in out


def test_strip_solution_rejects_missing_or_unbalanced_markers():
    with pytest.raises(ValueError, match="no '### BEGIN SOLUTION'"):
        make_student.strip_solution("x = 1\n")
    with pytest.raises(ValueError, match="unbalanced"):
        make_student.strip_solution("### BEGIN SOLUTION\nx = 1\n")


def test_defines_and_uses_read_the_ast():
    src = ("import numpy as np\nfrom a.b import c as d\nx, (y, z) = 1, (2, 3)\n"
           "def f(q):\n    w = q + g\n    return w\nfor i in range(3):\n    k = [j for j in i]\n"
           "%time t = h(x)\n")
    assert defines(src) == {"np", "d", "x", "y", "z", "f", "i", "k", "t"}
    assert {"g", "h", "x", "q", "w"} <= uses(src) and "range" not in uses(src)
    assert checked_names("check_f(f)\ncheck_g(lambda v: v, other=g)\nprint(h)") == {"f", "g"}


NOTES = {"slideshow": {"slide_type": "notes"}}


def _toy_notebook(checker_cell: str, later: str = "print('reference')", tag="solution"):
    """Setup, parameters, an unrelated heavy cell, a helper, an exercise, its checker, a later
    cell, and speaker notes."""
    return new_notebook(cells=[
        new_code_cell("from course_utils.checks import checker\n"
                      "def seed_everything(s):\n    return s\nget_device = str\n"
                      "rng, device = seed_everything(0), get_device()",
                      metadata={"slideshow": {"slide_type": "skip"}}),
        new_code_cell("FULL = False\nSCALE = 2", metadata={"tags": ["parameters"]}),
        new_code_cell("unrelated = 1 / 0  # not needed by the exercise: never executed"),
        new_code_cell("@checker('double')\ndef check_double(f):\n    assert f(2) == SCALE * 2"),
        new_markdown_cell("The answer is `return SCALE * x`.", metadata=NOTES),
        new_code_cell("def double(x):\n    ### BEGIN SOLUTION\n    return SCALE * x\n"
                      "    ### END SOLUTION", metadata={"tags": [tag]}),
        new_code_cell(checker_cell),
        new_code_cell(later),
    ])


def test_the_static_check_catches_leaks_notes_and_later_uses():
    good = _toy_notebook("check_double(double)")
    student = make_student.student_version(good)
    assert static_problems(good, student) == []
    assert [c.cell_type for c in student.cells].count("markdown") == 0  # the notes are gone

    leaked = make_student.student_version(good)
    leaked.cells[4].source = leaked.cells[4].source.replace("# YOUR CODE HERE",
                                                            "return SCALE * x  # YOUR CODE HERE")
    assert any("leaked" in p for p in static_problems(good, leaked))
    with_notes = make_student.student_version(good)
    with_notes.cells.append(new_markdown_cell("The answer is `return SCALE * x`.", metadata=NOTES))
    assert static_problems(good, with_notes)

    uses_it = _toy_notebook("check_double(double)", later="print(double(3))")
    assert any("cell 6 uses double" in p for p in
               static_problems(uses_it, make_student.student_version(uses_it)))
    no_checker = _toy_notebook("print('no check')")
    assert any("no checker" in p for p in
               static_problems(no_checker, make_student.student_version(no_checker)))


def test_the_slice_takes_only_what_the_exercise_needs():
    student = make_student.student_version(_toy_notebook("check_double(double)"))
    # cell 2 divides by zero and nothing needs it; cell 6 comes after the checker
    assert exercise_slice(student) == [0, 1, 3, 4, 5]


def test_the_run_check_fails_on_a_stub_that_breaks_a_checker_cell_and_on_a_leak():
    # exercise "double": stubbed, but its checker cell then calls the stub itself;
    # exercise "triple": the solution was left in, so its checker says "Correct"
    nb = make_student.student_version(_toy_notebook("check_double(double)\ndouble(1)"))
    nb.cells[6:6] = [
        new_code_cell("def triple(x):\n    return 3 * x", metadata={"tags": ["exercise"]}),
        new_code_cell("@checker('triple')\ndef check_triple(f):\n    assert f(1) == 3\n"
                      "check_triple(triple)"),
    ]
    problems, keep = run_problems(nb, ROOT / "notebooks" / "toy.ipynb")
    assert keep == [0, 1, 3, 4, 5, 6, 7]
    assert len(problems) == 2, problems
    assert problems[0].startswith("cell 5: NotImplementedError"), problems
    assert problems[1].startswith("checker cell 7 should say 'Not done yet'") \
        and "Correct: triple" in problems[1], problems
