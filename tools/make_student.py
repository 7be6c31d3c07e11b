#!/usr/bin/env python3
"""Write student versions of the notebooks: solutions replaced by stubs, speaker notes removed,
outputs cleared.

In each cell tagged ``solution``, the lines from ``### BEGIN SOLUTION`` to ``### END SOLUTION``
become, at the same indentation::

    # YOUR CODE HERE
    raise NotImplementedError("Exercise not done yet: replace this line with your code")

Everything else in the cell (the ``def`` line, the docstring) stays, so the student knows what to
write; the cell is tagged ``exercise`` instead of ``solution``. Speaker notes (cells of slide type
``notes``) are removed: they are for the instructor and often give the answers away. Outputs,
execution counts and stored widget state are removed.

    python tools/make_student.py                 # notebooks/NN_*.ipynb -> build/student/
    python tools/make_student.py --out DIR NB...
"""
from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import nbformat

from course_utils.checks import STUB_MESSAGE

ROOT = Path(__file__).resolve().parents[1]

BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"
REGION_RE = re.compile(r"^([ \t]*)" + re.escape(BEGIN) + r"[^\n]*\n.*?^[ \t]*" + re.escape(END)
                       + r"[^\n]*(\n|$)", re.S | re.M)


def strip_solution(source: str) -> str:
    """Replace every solution region in ``source`` by the stub.

    >>> print(strip_solution("def f(x):\\n    ### BEGIN SOLUTION\\n    return 2 * x\\n    ### END SOLUTION\\n"))
    def f(x):
        # YOUR CODE HERE
        raise NotImplementedError("Exercise not done yet: replace this line with your code")
    <BLANKLINE>
    """
    if BEGIN not in source:
        raise ValueError(f"a cell tagged 'solution' has no '{BEGIN}' marker")
    out = REGION_RE.sub(lambda m: f'{m.group(1)}# YOUR CODE HERE\n'
                        f'{m.group(1)}raise NotImplementedError("{STUB_MESSAGE}")\n', source)
    if BEGIN in out or END in out:
        raise ValueError("unbalanced solution markers in a cell tagged 'solution'")
    return out


def is_speaker_notes(cell) -> bool:
    """True for a cell of slide type ``notes`` (instructor only)."""
    return cell.get("metadata", {}).get("slideshow", {}).get("slide_type") == "notes"


def student_version(nb):
    """A copy of ``nb`` as students get it."""
    nb = nbformat.from_dict(nb)
    nb.cells = [cell for cell in nb.cells if not is_speaker_notes(cell)]
    for cell in nb.cells:
        tags = cell.get("metadata", {}).get("tags", [])
        if cell.cell_type == "code":
            if "solution" in tags:
                cell.source = strip_solution(cell.source)
                cell.metadata["tags"] = [t for t in tags if t != "solution"] + ["exercise"]
            cell.outputs, cell.execution_count = [], None
    nb.metadata.pop("widgets", None)
    nb.metadata["course_version"] = "student"
    return nb


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("notebooks", nargs="*", type=Path)
    ap.add_argument("--out", type=Path, default=ROOT / "build" / "student")
    args = ap.parse_args(argv)
    paths = args.notebooks or sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    args.out.mkdir(parents=True, exist_ok=True)
    for path in paths:
        nb = student_version(nbformat.read(path, as_version=4))
        nbformat.write(nb, args.out / path.name)
        n = sum("exercise" in c.metadata.get("tags", []) for c in nb.cells)
        print(f"{args.out / path.name}: {n} exercise(s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
