"""nbval as the course configures it (conftest.py): stderr is not compared, everything else is.

Two tiny notebooks are run through ``pytest --nbval`` in a subprocess, with the repository's
conftest.py loaded as a plugin: one whose stored stderr differs from what the cell prints (must
pass) and one whose stored stdout differs (must still fail). The hook goes through nbval's
documented ``skip_compare`` (``pytest_collectstart``, computationalmodelling/nbval#88), not a
monkeypatch of nbval's classes.
"""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_notebook, new_output

ROOT = Path(__file__).resolve().parents[1]
CODE = 'import sys\nprint("same on every run")\nprint("warning: varies", file=sys.stderr)'


def _notebook(path: Path, stdout: str, stderr: str) -> None:
    cell = new_code_cell(CODE, execution_count=1, outputs=[
        new_output("stream", name="stdout", text=stdout),
        new_output("stream", name="stderr", text=stderr)])
    nbformat.write(new_notebook(cells=[cell], metadata={
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}}),
        path)


def _run_nbval(tmp_path: Path, *notebooks: str, course_hook: bool = True) -> dict[str, str]:
    """{notebook name: PASSED/FAILED} from ``pytest --nbval`` run in ``tmp_path``."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(
        p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p))
    cmd = [sys.executable, "-m", "pytest", "--nbval", "--nbval-current-env", "-p",
           "no:cacheprovider", "-rA", "--rootdir", str(tmp_path), *notebooks]
    if course_hook:
        cmd[3:3] = ["-p", "conftest"]  # the repository's conftest.py, as a plugin
    proc = subprocess.run(cmd, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    out = proc.stdout + proc.stderr
    results = {name: status for status, name in re.findall(r"^(PASSED|FAILED) (\S+?)::", out,
                                                            re.M)}
    assert set(results) == set(notebooks), f"unexpected pytest output:\n{out[-3000:]}"
    return results


def test_nbval_skips_stderr_but_compares_stdout(tmp_path):
    _notebook(tmp_path / "stderr_differs.ipynb", "same on every run\n", "warning: other text\n")
    _notebook(tmp_path / "stdout_differs.ipynb", "something else\n", "warning: varies\n")
    with_hook = _run_nbval(tmp_path, "stderr_differs.ipynb", "stdout_differs.ipynb",
                           course_hook=True)
    assert with_hook == {"stderr_differs.ipynb": "PASSED", "stdout_differs.ipynb": "FAILED"}


def test_the_hook_is_nbvals_documented_one():
    import conftest

    class IPyNbFile:  # what the hook sees of nbval's notebook collector
        __module__ = "nbval.plugin"
        skip_compare = ("metadata", "traceback")

    class Module:  # any other collector
        skip_compare = ("metadata",)

    nb, other = IPyNbFile(), Module()
    for _ in range(2):  # idempotent
        conftest.pytest_collectstart(nb)
        conftest.pytest_collectstart(other)
    assert nb.skip_compare == ("metadata", "traceback", "stderr")
    assert other.skip_compare == ("metadata",)
    source = (ROOT / "conftest.py").read_text(encoding="utf-8")
    assert "__init__" not in re.sub(r'""".*?"""', "", source, flags=re.S), \
        "conftest.py must not patch nbval's classes: use skip_compare in pytest_collectstart"
