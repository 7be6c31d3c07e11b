#!/usr/bin/env python3
"""Write .ci/constraints.txt: the exact installed version of every package that course-utils and
its "dev" extra need, directly or not (nothing else that happens to be installed).

CI installs with these versions (`make test PIP_CONSTRAINTS=.ci/constraints.txt`, i.e. pip's
`-c`), so that a new release of torch, nbval or JupyterLab cannot turn CI red without a change in
the repository; pyproject.toml keeps ranges for users. Bump the file on purpose:

    rm -f .venv/.course-installed && make test      # newest versions the ranges allow; must pass
    .venv/bin/python .ci/update_constraints.py      # then commit .ci/constraints.txt

Run with the environment's Python (the one that passed the tests).
"""
from __future__ import annotations

import platform
import sys
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

OUT = Path(__file__).resolve().parent / "constraints.txt"
ROOT_PACKAGE, ROOT_EXTRAS = "course-utils", ("dev",)


def needed() -> dict[str, str]:
    """{canonical name: installed version} of everything ROOT_PACKAGE[ROOT_EXTRAS] pulls in."""
    found: dict[str, str] = {}
    todo = [(ROOT_PACKAGE, ROOT_EXTRAS)]
    seen = set()
    while todo:
        name, extras = todo.pop()
        key = (canonicalize_name(name), tuple(sorted(extras)))
        if key in seen:
            continue
        seen.add(key)
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            continue  # an optional dependency that is not installed here
        if key[0] != canonicalize_name(ROOT_PACKAGE):
            found[key[0]] = dist.version
        for text in dist.requires or []:
            req = Requirement(text)
            if req.marker and not any(req.marker.evaluate({"extra": e}) for e in (*extras, "")):
                continue
            todo.append((req.name, tuple(req.extras)))
    return found


def main() -> int:
    pins = needed()
    header = [
        "# Tested constraints for CI: the newest versions that passed `make test` (pip install -c).",
        "# pyproject.toml keeps ranges for users; CI uses these (.ci/run). Regenerate on purpose:",
        "#   rm -f .venv/.course-installed && make test && .venv/bin/python .ci/update_constraints.py",
        f"# Generated on Python {platform.python_version()}, {sys.platform} {platform.machine()}.",
    ]
    lines = [f"{name}=={version}" for name, version in sorted(pins.items())]
    OUT.write_text("\n".join(header + lines) + "\n", encoding="utf-8")
    print(f"{OUT}: {len(lines)} packages")
    return 0


if __name__ == "__main__":
    sys.exit(main())
