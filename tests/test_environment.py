"""The environment files agree with pyproject.toml: environment.yml (students) and
binder/environment.yml (Binder, CPU-only PyTorch) list the run-time dependencies, environment-dev.yml
(contributors) those and the "dev" extra, all with the same version ranges and none pinned
exactly; every third-party module that tests/ and tools/ import is declared; Binder installs the
course and its JupyterLab settings; the settings override is valid."""
from __future__ import annotations

import ast
import json
import os
import re
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import pytest
import yaml  # PyYAML, tomli and jsonschema are in the dev extra: this module never skips
from packaging.requirements import Requirement
from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.utils import canonicalize_name

import install_lab_settings  # tools/ is on sys.path (pyproject.toml: pythonpath)

try:
    import tomllib
except ImportError:  # Python 3.10
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[1]

# PyPI name -> conda-forge name, where they differ.
PYPI_TO_CONDA = {"torch": "pytorch", "playwright": "playwright-python", "nbconvert": "nbconvert-core"}
# conda-only entries that have no PyPI counterpart in pyproject.toml.
CONDA_ONLY = {"pip"}
# binder/environment.yml may swap a package for a variant with the same versions.
BINDER_VARIANTS = {"pytorch": "pytorch-cpu"}
SPEC_RE = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(.*?)\s*$")

ENV = ROOT / "environment.yml"
DEV_ENV = ROOT / "environment-dev.yml"
BINDER_ENV = ROOT / "binder" / "environment.yml"
# each file: (the pyproject.toml groups it holds, the conda variants it uses)
ENV_FILES = {ENV: (("run",), {}), DEV_ENV: (("run", "dev"), {}),
             BINDER_ENV: (("run",), BINDER_VARIANTS)}


def pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def pyproject_requirements(groups=("run", "dev")) -> dict[str, SpecifierSet]:
    """{conda-forge name: specifier} of the run-time dependencies ("run") and/or the dev extra."""
    project = pyproject()["project"]
    reqs = {"run": project["dependencies"], "dev": project["optional-dependencies"]["dev"]}
    out = {}
    for group in groups:
        for text in reqs[group]:
            req = Requirement(text)
            name = canonicalize_name(req.name)
            out[PYPI_TO_CONDA.get(name, name)] = req.specifier
    return out


def conda_requirements(path: Path) -> dict[str, SpecifierSet]:
    """{name: specifier} of the conda packages in an environment file (not its pip section)."""
    env = yaml.safe_load(path.read_text(encoding="utf-8"))
    out = {}
    for entry in env["dependencies"]:
        if not isinstance(entry, str):  # a {"pip": [...]} section
            continue
        m = SPEC_RE.match(entry)
        assert m, f"{path.name}: cannot read {entry!r}"
        name, spec = canonicalize_name(m.group(1)), m.group(2).replace(" ", "")
        assert name not in out, f"{path.name}: {name} listed twice"
        try:
            out[name] = SpecifierSet(spec)
        except InvalidSpecifier:
            pytest.fail(f"{path.name}: {entry!r} is not a range like 'name>=1.2,<2' "
                        "(conda's 'name=1.2' pins a series; use ranges)")
    return out


def rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


@pytest.mark.parametrize("path", ENV_FILES, ids=rel)
def test_environment_uses_conda_forge_only(path):
    env = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert env["channels"] == ["conda-forge"], (
        f"{rel(path)}: channels must be just conda-forge (mixing in 'defaults' breaks solves)")


def test_student_and_dev_environments_have_different_names():
    names = {rel(p): yaml.safe_load(p.read_text(encoding="utf-8"))["name"] for p in (ENV, DEV_ENV)}
    assert len(set(names.values())) == 2, f"one would replace the other: {names}"


@pytest.mark.parametrize("path", ENV_FILES, ids=rel)
def test_environment_file_matches_pyproject(path):
    """Exactly the packages of its pyproject.toml groups, under their conda-forge names (and
    variants), with the same ranges; plus pip and python."""
    groups, variants = ENV_FILES[path]
    expected = {variants.get(name, name): spec
                for name, spec in pyproject_requirements(groups).items()}
    conda = conda_requirements(path)
    listed = set(conda) - CONDA_ONLY - {"python"}
    missing, extra = sorted(set(expected) - listed), sorted(listed - set(expected))
    what = " and the dev extra" if "dev" in groups else " (not the dev extra)"
    assert not missing and not extra, (
        f"{rel(path)} must list pyproject.toml's [project] dependencies{what}: missing {missing} "
        f"(conda-forge names; map a PyPI name in PYPI_TO_CONDA), extra {extra}")
    for name, spec in expected.items():
        assert conda[name] == spec, (f"{name}: {rel(path)} says {conda[name] or 'any version'}, "
                                     f"pyproject.toml says {spec or 'any version'}; use the same range")
    assert CONDA_ONLY <= set(conda), f"{rel(path)}: list {sorted(CONDA_ONLY - set(conda))}"


@pytest.mark.parametrize("path", ENV_FILES, ids=rel)
def test_python_version_matches_requires_python(path):
    required = SpecifierSet(pyproject()["project"]["requires-python"])
    assert conda_requirements(path).get("python") == required, (
        f"{rel(path)}: python must be {required} as in pyproject.toml's requires-python")


@pytest.mark.parametrize("path", ["pyproject.toml", *map(rel, ENV_FILES)])
def test_nothing_is_pinned_exactly(path):
    text = (ROOT / path).read_text(encoding="utf-8")
    lines = [ln for ln in text.splitlines() if not ln.lstrip().startswith("#")]
    pinned = [ln.strip() for ln in lines if "==" in ln or "===" in ln]
    assert not pinned, f"{path}: exact pins {pinned}; use ranges (>=, <) so users get fixes"


# --- what the tests and tools import is declared -------------------------------------------------

def imported_modules(paths) -> dict[str, set[str]]:
    """{top-level module: files importing it} over the absolute imports in ``paths`` (anywhere in
    a file: a fallback such as ``import tomli`` counts too)."""
    found: dict[str, set[str]] = {}
    for path in paths:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                found.setdefault(name.split(".")[0], set()).add(rel(path))
    return found


def test_every_third_party_import_of_the_tests_and_tools_is_declared():
    """pip install -e '.[dev]' (and environment-dev.yml) must bring every module that tests/,
    tools/ and conftest.py import: declared in [project] dependencies or the dev extra."""
    files = sorted((ROOT / "tests").rglob("*.py")) + sorted((ROOT / "tools").rglob("*.py"))
    files.append(ROOT / "conftest.py")
    first_party = {"course_utils", "conftest"} | {p.stem for p in files}
    modules = {m: f for m, f in imported_modules(files).items()
               if m not in sys.stdlib_module_names and m not in first_party}
    project = pyproject()["project"]
    declared = {canonicalize_name(Requirement(text).name)
                for text in project["dependencies"] + project["optional-dependencies"]["dev"]}
    providers = metadata.packages_distributions()  # import name -> distributions (installed)
    undeclared = {}
    for module, where in sorted(modules.items()):
        dists = {canonicalize_name(d) for d in providers.get(module, [module])}
        if not dists & declared:
            undeclared[module] = (sorted(dists), sorted(where))
    assert not undeclared, ("imported but not declared in pyproject.toml (add to the dev extra, and "
                            f"to environment-dev.yml): {undeclared}")
    assert {"yaml", "jsonschema", "tomli", "packaging", "playwright"} <= set(modules), (
        "the scan misses imports it should see", sorted(modules))


def test_binder_post_build_installs_the_course_and_settings():
    post = ROOT / "binder" / "postBuild"
    text = post.read_text(encoding="utf-8")
    assert os.access(post, os.X_OK), "binder/postBuild must be executable (chmod +x)"
    assert text.startswith("#!"), "binder/postBuild needs a shebang line"
    commands = [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
    assert any("pip install" in c and "--no-deps" in c and "-e ." in c for c in commands), commands
    assert any("tools/install_lab_settings.py" in c for c in commands), commands
    subprocess.run(["bash", "-n", str(post)], check=True)  # syntax


def test_ci_constraints_pin_every_dependency_within_its_range():
    """.ci/constraints.txt (what CI installs) pins every dependency, inside pyproject's range."""
    pins = {}
    for line in (ROOT / ".ci" / "constraints.txt").read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            name, _, version = line.partition("==")
            assert version, f".ci/constraints.txt: {line!r} is not an exact pin (name==version)"
            pins[canonicalize_name(name)] = version
    project = pyproject()["project"]
    for text in list(project["dependencies"]) + list(project["optional-dependencies"]["dev"]):
        req = Requirement(text)
        if req.marker:  # e.g. tomli on Python < 3.11: CI's Python decides
            continue
        name = canonicalize_name(req.name)
        assert name in pins, f".ci/constraints.txt has no pin for {name}: run .ci/update_constraints.py"
        assert req.specifier.contains(pins[name], prereleases=True), (
            f".ci/constraints.txt pins {name}=={pins[name]}, outside pyproject's {req.specifier}")


# --- the JupyterLab settings override ------------------------------------------------------------

def lab_schema(plugin_id: str) -> dict:
    """The installed JSON schema of a JupyterLab plugin (core or prebuilt extension)."""
    from jupyter_core.paths import jupyter_path
    from jupyterlab.commands import get_app_dir

    package, plugin = plugin_id.split(":")
    candidates = [Path(get_app_dir()) / "schemas" / package / f"{plugin}.json"]
    candidates += [Path(p) / package / "schemas" / package / f"{plugin}.json"
                   for p in jupyter_path("labextensions")]
    for path in candidates:
        if path.is_file():
            return json.loads(path.read_text(encoding="utf-8"))
    pytest.fail(f"no installed schema for {plugin_id} (looked in {[str(c) for c in candidates]})")


def test_lab_overrides_are_valid_settings():
    import jsonschema
    overrides = install_lab_settings.load_overrides()
    assert overrides["@jupyterlab/apputils-extension:notification"] == {
        "fetchNews": "false", "checkForUpdates": False}, "the news pop-up covers the slides"
    for plugin_id, settings in overrides.items():
        schema = lab_schema(plugin_id)
        unknown = set(settings) - set(schema["properties"])
        assert not unknown, f"{plugin_id} has no settings {sorted(unknown)} in this JupyterLab"
        for key, value in settings.items():
            jsonschema.validate(value, schema["properties"][key])


def test_install_lab_settings_is_idempotent(tmp_path):
    path, changed = install_lab_settings.install(tmp_path)
    assert changed and path == tmp_path / "overrides.d" / "course-utils.json"
    assert json.loads(path.read_text()) == install_lab_settings.load_overrides()
    assert install_lab_settings.install(tmp_path) == (path, False)
    assert install_lab_settings.is_installed(tmp_path)
    (tmp_path / "overrides.json").write_text('{"mine": {}}')  # a user's own file is not touched
    install_lab_settings.install(tmp_path)
    assert (tmp_path / "overrides.json").read_text() == '{"mine": {}}'
    rc = subprocess.run([sys.executable, str(ROOT / "tools" / "install_lab_settings.py"), "--check",
                         "--dest", str(tmp_path)], capture_output=True, text=True).returncode
    assert rc == 0
