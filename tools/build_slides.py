#!/usr/bin/env python3
"""Static reveal.js slide decks of the notebooks (``make slides``), with the speaker notes.

    python tools/build_slides.py                        # every notebook -> build/slides/NN_x.slides.html
    python tools/build_slides.py notebooks/02_convolution.ipynb --out /tmp/decks
    python tools/build_slides.py --fetch-assets build/slides/assets  # once, with npm: for offline decks
    python tools/build_slides.py --assets build/slides/assets        # decks that need no network

The decks are nbconvert's reveal.js export of the committed (executed) notebooks: a cell's
``metadata.slideshow.slide_type`` makes it a new slide, a sub-slide (below, with the down arrow),
a fragment, continues the current slide (``-`` or no slide type), is skipped, or becomes a
speaker note (``notes``: press ``s`` in the deck to open the speaker view, which needs the deck
served by a web server, see below). Slides are laid out for 1280x720 and scroll when a slide is
taller. Input prompts are left out.

**What a deck loads when it is opened.** By default a deck loads reveal.js, require.js, jQuery,
MathJax and the widget renderer from public CDNs (unpkg, cdnjs) *when it is viewed*; building
needs no network. To present offline, fetch those once with npm (``--fetch-assets DIR`` runs
``npm pack`` for reveal.js 4.0.2, requirejs 2.1.10, jquery 2, mathjax 2.7.7 and
@jupyter-widgets/html-manager 1: 30 MB to download, 100 MB unpacked, into DIR), then build with
``--assets DIR``: the decks refer to those files by paths relative to the output folder, so keep
the two together (only the Mermaid diagram renderer, which the course does not use, still points
at its CDN). The speaker view (``s``) opens a pop-up that reveal.js only allows from a web
server: ``python -m http.server -d build/slides`` and open http://localhost:8000/.

For live slides with working widgets use JupyterLab with jupyterlab-slideshow (formerly jupyterlab-deck) instead (``make lab``,
then the deck button in the notebook toolbar): these static decks show the outputs as they were
saved.
"""
from __future__ import annotations

import argparse
import os
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NB_DIR = ROOT / "notebooks"
DEFAULT_OUT = ROOT / "build" / "slides"
CDN_PREFIX = "https://unpkg.com/reveal.js@4.0.2"
SIBLING_LINK = re.compile(r'href="(\d\d_[\w.-]+?)\.ipynb(#[^"]*)?"')
# npm package -> (folder under the assets dir, file in it that must exist, exporter setting, url tail)
ASSETS = {
    "reveal.js@4.0.2": ("reveal.js", "dist/reveal.js", "reveal_url_prefix", ""),
    "requirejs@2.1.10": ("requirejs", "require.js", "require_js_url", "require.js"),
    "jquery@2": ("jquery", "dist/jquery.min.js", "jquery_url", "dist/jquery.min.js"),
    "mathjax@2.7.7": ("mathjax", "MathJax.js", "mathjax_url",
                      "MathJax.js?config=TeX-AMS_CHTML-full,Safe"),
    "@jupyter-widgets/html-manager@1": ("html-manager", "dist/embed-amd.js", "widget_renderer_url",
                                        "dist/embed-amd.js"),
}


def notebooks(nb_dir: Path = NB_DIR) -> list[Path]:
    """The course notebooks in order: ``notebooks/NN_*.ipynb``."""
    return sorted(nb_dir.glob("[0-9][0-9]_*.ipynb"))


def asset_settings(assets: Path | None, out_dir: Path) -> dict[str, str]:
    """Exporter settings that point a deck in ``out_dir`` at local copies in ``assets``.

    ``None`` -> ``{}`` (everything from the CDNs). A folder missing any piece -> ``ValueError``
    that says which and how to get it (``--fetch-assets``).
    """
    if assets is None:
        return {}
    assets = Path(assets).expanduser().resolve()
    missing = [f"{folder}/{must}" for folder, must, _, _ in ASSETS.values()
               if not (assets / folder / must).is_file()]
    if missing:
        raise ValueError(f"--assets {assets} lacks {missing}; fill it once with "
                         f"python tools/build_slides.py --fetch-assets {assets}")
    rel = Path(os.path.relpath(assets, out_dir.resolve())).as_posix()
    return {setting: f"{rel}/{folder}" + (f"/{tail}" if tail else "")
            for folder, _, setting, tail in ASSETS.values()}


def fetch_assets(dest: Path) -> None:
    """``npm pack`` the packages in :data:`ASSETS` and unpack each into ``dest/<folder>``."""
    import shutil
    import subprocess
    import tarfile
    import tempfile

    npm = shutil.which("npm")
    if npm is None:
        raise SystemExit("--fetch-assets needs npm (e.g. apt-get install npm)")
    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        for spec, (folder, _, _, _) in ASSETS.items():
            out = subprocess.run([npm, "pack", spec, "--silent"], cwd=tmp, check=True,
                                 capture_output=True, text=True).stdout.split()[-1]
            unpack = Path(tmp) / folder
            with tarfile.open(Path(tmp) / out) as tar:
                try:
                    tar.extractall(unpack, filter="data")
                except TypeError:  # Python < 3.10.12 has no extraction filters
                    tar.extractall(unpack)
            shutil.rmtree(dest / folder, ignore_errors=True)
            shutil.move(str(unpack / "package"), dest / folder)
            print(f"{spec} -> {dest / folder}")


def exporter(settings: dict[str, str] | None = None, scroll: bool = True):
    """An nbconvert ``SlidesExporter`` configured for the course's 1280x720 slides; ``settings``
    (from :func:`asset_settings`) replace the CDN addresses."""
    from nbconvert import SlidesExporter
    from traitlets.config import Config

    c = Config()
    c.SlidesExporter.reveal_scroll = scroll
    c.SlidesExporter.reveal_width = "1280"
    c.SlidesExporter.reveal_height = "720"
    c.SlidesExporter.reveal_number = "c/t"
    c.SlidesExporter.reveal_transition = "none"
    c.SlidesExporter.exclude_input_prompt = True
    c.SlidesExporter.exclude_output_prompt = True
    for name, value in (settings or {}).items():
        c.SlidesExporter[name] = value
    return SlidesExporter(config=c)


def build(nb_path: Path, out_dir: Path, settings: dict[str, str] | None = None,
          scroll: bool = True) -> Path:
    """Write ``out_dir/<notebook stem>.slides.html`` and return its path."""
    import nbformat

    nb_path = Path(nb_path)
    if not nb_path.is_file():
        raise ValueError(f"no notebook at {nb_path}")
    nb = nbformat.read(nb_path, as_version=4)
    body, _resources = exporter(settings, scroll).from_notebook_node(
        nb, resources={"metadata": {"name": nb_path.stem, "path": str(nb_path.parent)}})
    # links between notebooks (the navigation bars) lead to the other decks
    body = SIBLING_LINK.sub(r'href="\1.slides.html\2"', body)
    out_dir.mkdir(parents=True, exist_ok=True)
    out = out_dir / f"{nb_path.stem}.slides.html"
    out.write_text(body, encoding="utf-8")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("notebooks", nargs="*", type=Path,
                        help="notebooks to convert (default: notebooks/NN_*.ipynb)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output folder (build/slides)")
    parser.add_argument("--assets", type=Path, default=None,
                        help="folder with local copies of reveal.js & co. (see --fetch-assets); "
                             "default: load them from CDNs when a deck is opened")
    parser.add_argument("--fetch-assets", type=Path, metavar="DIR", default=None,
                        help="download those copies with npm into DIR, then exit")
    parser.add_argument("--no-scroll", action="store_true",
                        help="do not let a slide taller than 720 px scroll")
    args = parser.parse_args(argv)
    if args.fetch_assets:
        fetch_assets(args.fetch_assets)
        return 0
    paths = args.notebooks or notebooks()
    if not paths:
        print("no notebooks to convert", file=sys.stderr)
        return 1
    try:
        settings = asset_settings(args.assets, args.out)
    except ValueError as e:
        parser.error(str(e))
    for path in paths:
        t = time.perf_counter()
        out = build(path, args.out, settings, scroll=not args.no_scroll)
        shown = out.relative_to(Path.cwd()) if out.is_relative_to(Path.cwd()) else out
        print(f"{shown}  ({time.perf_counter() - t:.1f} s)")
    if not settings:
        print("note: the decks load reveal.js, MathJax & co. from CDNs when opened; for offline "
              "decks see --fetch-assets / --assets")
    return 0


if __name__ == "__main__":
    sys.exit(main())
