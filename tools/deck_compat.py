#!/usr/bin/env python3
"""Make notebooks present correctly in jupyterlab-slideshow (live slides), idempotently.

    python tools/deck_compat.py            # fix notebooks/NN_*.ipynb in place (only those that change)
    python tools/deck_compat.py --check    # exit 1 and list the cells that the deck would hide
    python tools/deck_compat.py path/to/nb.ipynb ...

The problem: jupyterlab-slideshow 0.3.4 (formerly jupyterlab-deck; 0.2 behaved the same) knows
the slide types ``slide``, ``subslide``, ``fragment``, ``skip`` and ``notes``, and treats a cell
*without* a slide type as "continue the current slide". A cell whose slide type is the explicit
``"-"`` (what JupyterLab's property inspector and most notebook builders write) matches none of
them (``NotebookPresenter._getExtents`` has no case for it), so the deck never puts it on screen: a
code cell and its widget silently disappear from the live slides (nbconvert's static decks and
RISE treat ``"-"`` and "no slide type" the same, so nothing else changes).

The fix: remove ``slideshow.slide_type == "-"`` (and the then-empty ``slideshow`` object). nbformat
defines a missing slide type as ``"-"``, so the notebook means exactly the same to every other
tool. Only that cell metadata changes; outputs, ids and everything else are kept.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NB_DIR = ROOT / "notebooks"


def hidden_in_deck(nb) -> list[int]:
    """Indices of the cells whose explicit ``"-"`` slide type hides them in the live deck."""
    return [i for i, cell in enumerate(nb.cells)
            if (cell.get("metadata", {}).get("slideshow") or {}).get("slide_type") == "-"]


def fix(nb) -> int:
    """Drop the explicit ``"-"`` slide types from ``nb`` in place; return how many were dropped."""
    idx = hidden_in_deck(nb)
    for i in idx:
        meta = nb.cells[i].metadata
        del meta["slideshow"]["slide_type"]
        if not meta["slideshow"]:
            del meta["slideshow"]
    return len(idx)


def main(argv: list[str] | None = None) -> int:
    import nbformat

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("notebooks", nargs="*", type=Path)
    parser.add_argument("--check", action="store_true", help="report, change nothing")
    args = parser.parse_args(argv)
    paths = args.notebooks or sorted(NB_DIR.glob("[0-9][0-9]_*.ipynb"))
    bad = 0
    for path in paths:
        nb = nbformat.read(path, as_version=4)
        if args.check:
            idx = hidden_in_deck(nb)
            if idx:
                bad += 1
                print(f"{path}: cells {idx} have slide_type '-', which jupyterlab-slideshow hides "
                      f"(fix: python tools/deck_compat.py {path})")
        elif fix(nb):
            nbformat.write(nb, path)
            print(f"fixed {path}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
