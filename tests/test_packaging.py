"""A non-editable install works: the wheel carries every package and the shipped data, and an
installed copy (not the source tree) loads the data and runs notebook 00. The version is written
once, in course_utils/__init__.py, and the wheel and the installed copy report it.

The wheel is built with the environment's own setuptools (--no-build-isolation): nothing is
downloaded at test time.
"""
import ast
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import nbformat
import pytest

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

import nbrun

ROOT = Path(__file__).resolve().parents[1]


def test_every_package_is_listed_for_the_wheel():
    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
                 ["packages"])
    found = {".".join(p.parent.relative_to(ROOT).parts)
             for p in (ROOT / "course_utils").rglob("__init__.py")}
    assert found <= listed, f"add to [tool.setuptools] packages in pyproject.toml: {found - listed}"
    assert listed - found == {"course_utils.shipped_data", "course_utils.shipped_data.images"}


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """The course built as a wheel and installed (without dependencies) into a folder of its own."""
    tmp = tmp_path_factory.mktemp("install")
    build = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                            "--no-index", "-q", "-w", str(tmp / "wheel"), str(ROOT)],
                           capture_output=True, text=True)
    assert build.returncode == 0, build.stderr[-2000:]
    wheel = next((tmp / "wheel").glob("course_utils-*.whl"))
    site = tmp / "site"
    install = subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "--no-index",
                              "-q", "--target", str(site), str(wheel)], capture_output=True, text=True)
    assert install.returncode == 0, install.stderr[-2000:]
    return wheel, site


def _env(site: Path) -> dict:
    env = nbrun.offline_env()
    env.pop("COURSE_DATA_DIR", None)
    env["PYTHONPATH"] = os.pathsep.join([str(site), env["PYTHONPATH"]])  # before the editable copy
    return env


# --- the version, written once ---------------------------------------------------------------------

VERSION_RE = re.compile(r"""(?:__version__|\bversion)\s*[=:]\s*["']\d""")
SKIP_DIRS = {".git", ".venv", "build", "dist", "notebooks", "node_modules", "__pycache__"}


def source_version() -> str:
    """course_utils.__version__ as written in the source (read, not imported)."""
    tree = ast.parse((ROOT / "course_utils" / "__init__.py").read_text(encoding="utf-8"))
    values = [node.value.value for node in tree.body if isinstance(node, ast.Assign)
              and [getattr(t, "id", None) for t in node.targets] == ["__version__"]
              and isinstance(node.value, ast.Constant)]
    assert len(values) == 1, "course_utils/__init__.py must assign __version__ one string literal"
    return values[0]


def test_the_version_is_written_once():
    """course_utils/__init__.py holds the only literal version; pyproject.toml reads it
    ([tool.setuptools.dynamic]), so a wheel, an editable install and a checkout agree."""
    from packaging.version import Version

    Version(source_version())  # a valid version
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "version" not in config["project"] and "version" in config["project"]["dynamic"]
    assert config["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "course_utils.__version__"}
    written = []
    for folder, dirs, files in os.walk(ROOT):
        dirs[:] = [d for d in dirs if d not in SKIP_DIRS and not d.endswith(".egg-info")]
        for name in files:
            if Path(name).suffix in {".py", ".toml", ".cfg"}:
                path = Path(folder) / name
                text = path.read_text(encoding="utf-8", errors="replace")
                written += [f"{path.relative_to(ROOT)}:{text.count(chr(10), 0, m.start()) + 1}"
                            for m in VERSION_RE.finditer(text)]
    assert len(written) == 1 and written[0].startswith("course_utils/__init__.py:"), (
        f"the version must be written in course_utils/__init__.py only, found: {written}")


def test_the_installed_versions_agree(installed):
    """The wheel, the installed copy's metadata and its course_utils.__version__ all say the
    source's version."""
    wheel, site = installed
    version = source_version()
    assert wheel.name.startswith(f"course_utils-{version}-"), wheel.name
    code = ("import course_utils\nfrom importlib.metadata import version\n"
            "print(course_utils.__file__, course_utils.__version__, version('course-utils'))")
    run = subprocess.run([sys.executable, "-c", code], cwd=site, env=_env(site),
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-2000:]
    where, module_version, dist_version = run.stdout.split()
    assert Path(where).is_relative_to(site) and module_version == dist_version == version, run.stdout


def test_the_wheel_ships_the_data(installed):
    wheel, _ = installed
    names = set(zipfile.ZipFile(wheel).namelist())
    shipped = {p.relative_to(ROOT / "data").as_posix() for p in (ROOT / "data").rglob("*")
               if p.is_file()}
    assert {f"course_utils/shipped_data/{n}" for n in shipped} <= names


def test_an_installed_copy_loads_the_data(installed, tmp_path):
    _, site = installed
    code = ("import course_utils, pathlib\n"
            "from course_utils.data import data_dir, verify_data, load_image, load_text, "
            "mnist_tensors\n"
            f"assert pathlib.Path(course_utils.__file__).is_relative_to({str(site)!r}), "
            "course_utils.__file__\n"
            "assert data_dir().name == 'shipped_data', data_dir()\n"
            "print(len(verify_data()), load_image('chelsea').shape, len(load_text('shakespeare')),"
            " tuple(mnist_tensors('test')[0].shape))\n")
    run = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=_env(site),
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-2000:]
    assert "(170, 256, 3) 1036342 (1000, 1, 28, 28)" in run.stdout


def test_an_install_without_its_data_says_how_to_get_it(installed, tmp_path):
    _, site = installed
    import shutil

    bare = tmp_path / "site"
    shutil.copytree(site, bare, ignore=shutil.ignore_patterns("shipped_data"))
    code = ("from course_utils.data import load_image\n"
            "try:\n    load_image('chelsea')\n"
            "except Exception as e:\n    print(type(e).__name__, e)\n")
    run = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=_env(bare),
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-2000:]
    assert run.stdout.startswith("DataIntegrityError")
    assert "COURSE_DATA_DIR" in run.stdout and "shipped_data" in run.stdout


def test_notebook_00_runs_on_an_installed_copy(installed, monkeypatch):
    _, site = installed
    nb = nbformat.read(ROOT / "notebooks" / "00_start_here.ipynb", as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(
        "import course_utils\nprint('course_utils from', course_utils.__file__)"))
    monkeypatch.delenv("COURSE_DATA_DIR", raising=False)
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(site), os.environ.get("PYTHONPATH", "")]))
    result = nbrun.execute(nb, ROOT / "notebooks" / "00_start_here.ipynb", allow_errors=True)
    assert not result.errors, result.errors
    where = "".join(o.get("text", "") for o in nb.cells[-1].outputs)
    assert f"course_utils from {site}" in where, where
