#!/usr/bin/env python3
"""Install the course's JupyterLab settings defaults (``jupyter/overrides.json``) into the
JupyterLab that runs this Python, so that ``make lab``, Binder and the browser test see them.

    python tools/install_lab_settings.py            # install (idempotent), print where
    python tools/install_lab_settings.py --check    # exit 1 if missing or out of date
    python tools/install_lab_settings.py --dest DIR # into another app-settings directory

What the defaults do (a user can still change each in Settings; these are only defaults):

- ``@jupyterlab/apputils-extension:notification``: ``fetchNews: "false"`` and
  ``checkForUpdates: false``. Otherwise JupyterLab asks in a pop-up whether to fetch the Jupyter
  news feed, and that pop-up covers the bottom right corner of a slide; both settings would also
  make the browser contact a website, and the course runs offline.
- ``@jupyterlab/notebook-extension:tracker``: ``windowingMode: "none"``. Since JupyterLab 4.1 a
  notebook renders only the cells near the viewport and sizes the others by estimate, so the page
  shifts while it scrolls. jupyterlab-slideshow 0.3 (the live slides) turns windowing off itself
  while it presents and restores it afterwards; the setting keeps the notebook view as stable as
  the deck, which is what a reader scrolls and the browser test moves sliders in. The course
  notebooks are short, so rendering every cell costs nothing noticeable.

No setting of jupyterlab-slideshow itself is changed (its plugin is
``jupyterlab-slideshow:plugin``, formerly ``@deathbeds/jupyterlab-deck:plugin``; its defaults suit
the course).

The file goes to ``<app-settings-dir>/overrides.d/course-utils.json`` (JupyterLab reads every
``overrides.d/*.json`` before the user's own ``overrides.json``, which is left untouched). The
app-settings directory is ``<JupyterLab app dir>/settings``, i.e.
``<sys.prefix>/share/jupyter/lab/settings`` unless ``JUPYTERLAB_DIR`` says otherwise.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "jupyter" / "overrides.json"
TARGET_NAME = "course-utils.json"


def app_settings_dir() -> Path:
    """JupyterLab's application settings directory for this Python environment."""
    if os.environ.get("JUPYTERLAB_DIR"):
        return Path(os.environ["JUPYTERLAB_DIR"]).resolve() / "settings"
    try:
        from jupyterlab.commands import get_app_dir

        return Path(get_app_dir()) / "settings"
    except ImportError:  # JupyterLab not installed here: the standard location
        return Path(sys.prefix) / "share" / "jupyter" / "lab" / "settings"


def load_overrides(source: Path = SOURCE) -> dict:
    """The shipped overrides, checked to be a JSON object of plugin id -> settings object."""
    data = json.loads(source.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or not all(isinstance(v, dict) for v in data.values()):
        raise ValueError(f"{source} must map plugin ids to objects of settings, got {data!r}")
    return data


def target_path(dest: Path | None = None) -> Path:
    return (dest or app_settings_dir()) / "overrides.d" / TARGET_NAME


def install(dest: Path | None = None, source: Path = SOURCE) -> tuple[Path, bool]:
    """Write the overrides into ``dest`` (default: :func:`app_settings_dir`).

    Returns (path written, whether it changed). Idempotent: an up-to-date file is not rewritten.
    """
    text = json.dumps(load_overrides(source), indent=2, sort_keys=True) + "\n"
    path = target_path(dest)
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return path, False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path, True


def is_installed(dest: Path | None = None, source: Path = SOURCE) -> bool:
    path = target_path(dest)
    try:
        return json.loads(path.read_text(encoding="utf-8")) == load_overrides(source)
    except (OSError, ValueError):
        return False


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dest", type=Path, default=None,
                        help="app-settings directory (default: this JupyterLab's)")
    parser.add_argument("--check", action="store_true", help="only check, exit 1 if not installed")
    args = parser.parse_args(argv)
    if args.check:
        ok = is_installed(args.dest)
        print(f"{target_path(args.dest)}: {'up to date' if ok else 'missing or out of date'}")
        return 0 if ok else 1
    path, changed = install(args.dest)
    print(f"{'installed' if changed else 'already up to date:'} {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
