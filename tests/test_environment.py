"""The environment files agree: pyproject.toml, environment.yml (conda-forge) and
binder/environment.yml list the same packages with the same version ranges, none pinned exactly;
Binder installs the course and its JupyterLab settings; the settings override is valid."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
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


def pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def pyproject_requirements() -> dict[str, SpecifierSet]:
    """{conda-forge name: specifier} for every dependency, the dev extra included."""
    project = pyproject()["project"]
    reqs = list(project["dependencies"]) + list(project["optional-dependencies"]["dev"])
    out = {}
    for text in reqs:
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


ENV = ROOT / "environment.yml"
BINDER_ENV = ROOT / "binder" / "environment.yml"


def test_environment_uses_conda_forge_only():
    for path in (ENV, BINDER_ENV):
        env = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert env["channels"] == ["conda-forge"], (
            f"{path.name}: channels must be just conda-forge (mixing in 'defaults' breaks solves)")
        assert "nodefaults" not in env["channels"]


@pytest.mark.parametrize("name", sorted(pyproject_requirements()))
def test_every_pyproject_dependency_is_in_environment_yml(name):
    conda = conda_requirements(ENV)
    assert name in conda, (f"pyproject.toml depends on {name} (conda-forge name) but environment.yml "
                           "does not list it; add it, or map its PyPI name in PYPI_TO_CONDA")
    assert conda[name] == pyproject_requirements()[name], (
        f"{name}: environment.yml says {conda[name] or 'any version'}, pyproject.toml says "
        f"{pyproject_requirements()[name] or 'any version'}; use the same range")


def test_environment_yml_lists_nothing_else():
    conda, pypi = conda_requirements(ENV), pyproject_requirements()
    extra = set(conda) - set(pypi) - CONDA_ONLY - {"python"}
    assert not extra, f"environment.yml lists {sorted(extra)}, which pyproject.toml does not"


def test_python_version_matches_requires_python():
    required = SpecifierSet(pyproject()["project"]["requires-python"])
    for path in (ENV, BINDER_ENV):
        assert conda_requirements(path).get("python") == required, (
            f"{path.name}: python must be {required} as in pyproject.toml's requires-python")


def test_binder_environment_matches_environment_yml():
    main, binder = conda_requirements(ENV), conda_requirements(BINDER_ENV)
    expected = {BINDER_VARIANTS.get(name, name): spec for name, spec in main.items()}
    missing = sorted(set(expected) - set(binder))
    extra = sorted(set(binder) - set(expected))
    assert not missing and not extra, f"binder/environment.yml: missing {missing}, extra {extra}"
    for name, spec in expected.items():
        assert binder[name] == spec, f"binder/environment.yml: {name}{binder[name]} vs {spec}"


@pytest.mark.parametrize("path", ["pyproject.toml", "environment.yml", "binder/environment.yml"])
def test_nothing_is_pinned_exactly(path):
    text = (ROOT / path).read_text(encoding="utf-8")
    lines = [ln for ln in text.splitlines() if not ln.lstrip().startswith("#")]
    pinned = [ln.strip() for ln in lines if "==" in ln or "===" in ln]
    assert not pinned, f"{path}: exact pins {pinned}; use ranges (>=, <) so users get fixes"


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
