"""Student versions: solutions become stubs, and the notebooks still run top to bottom, failing at
most with the stubs' own "not done yet" error."""
from pathlib import Path

import nbformat
import pytest

import make_student
import nbrun
from course_utils.checks import STUB_MESSAGE

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


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


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_student_version_runs(path, tmp_path):
    nb = make_student.student_version(nbformat.read(path, as_version=4))
    exercises = [c for c in nb.cells if "exercise" in c.metadata.get("tags", [])]
    assert exercises, "no exercise in the student version"
    for cell in exercises:
        assert "### BEGIN SOLUTION" not in cell.source and STUB_MESSAGE in cell.source
    assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code")
    result = nbrun.execute(nb, ROOT / "notebooks" / path.name, allow_errors=True)
    unexpected = [e for e in result.errors if not (e[1] == "NotImplementedError"
                                                   and STUB_MESSAGE in (e[2] or ""))]
    assert not unexpected, f"errors other than the stubs' own: {unexpected}"
    text = "\n".join(o.get("text", "") for c in nb.cells if c.cell_type == "code"
                     for o in c.outputs if o.output_type == "stream")
    assert "Not done yet" in text, "the checkers should say 'Not done yet' for untouched stubs"
