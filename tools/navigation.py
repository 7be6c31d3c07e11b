#!/usr/bin/env python3
"""Regenerate the navigation bar (previous / contents / next) at the top and bottom of every
notebook. Idempotent: the bars are found again by their sentinels, and a notebook is only written
when its bar changed.

    python tools/navigation.py          # update notebooks/NN_*.ipynb
    python tools/navigation.py --check  # exit 1 and list notebooks whose bars are stale
"""
from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
NB_DIR = ROOT / "notebooks"
START, END = "<!-- NAV -->", "<!-- /NAV -->"
NAV_RE = re.compile(re.escape(START) + r".*?" + re.escape(END), re.S)
TITLE_RE = re.compile(r"^# (\d\d) · (.+)$", re.M)
CONTENTS = "../README.md#chapters"


def notebooks(nb_dir: Path = NB_DIR) -> list[Path]:
    return sorted(p for p in nb_dir.glob("[0-9][0-9]_*.ipynb"))


def title_of(nb) -> str:
    """``'02 · Convolution'`` from the first cell's ``# 02 · Convolution`` heading."""
    m = TITLE_RE.search(nb.cells[0].source) if nb.cells else None
    if not m:
        raise ValueError("the first cell has no title heading '# NN · Title'")
    return f"{m.group(1)} · {m.group(2).strip()}"


def bar(prev: tuple[str, str] | None, nxt: tuple[str, str] | None) -> str:
    parts = [f"[← {prev[1]}]({prev[0]})" if prev else "",
             f"[Contents]({CONTENTS})",
             f"[{nxt[1]} →]({nxt[0]})" if nxt else ""]
    # the sentinels stand on their own lines: an HTML comment glued to the links would turn the
    # whole line into a raw HTML block, and the markdown links would not render
    return f"{START}\n\n" + " | ".join(p for p in parts if p) + f"\n\n{END}"


def apply(nb, nav: str) -> None:
    """Put ``nav`` at the top of the first cell and in the last cell (changes ``nb``)."""
    first = nb.cells[0]
    body = NAV_RE.sub("", first.source).lstrip("\n")
    first.source = nav + "\n\n" + body
    last = nb.cells[-1]
    if last.cell_type == "markdown" and last.source.lstrip().startswith(START):
        last.source = nav
    else:
        nb.cells.append(nbformat.v4.new_markdown_cell(nav, metadata={"tags": ["navigation"]}))


def update(nb_dir: Path = NB_DIR, check: bool = False) -> list[Path]:
    """Regenerate every bar; return the notebooks that changed (with ``check``: would change)."""
    paths = notebooks(nb_dir)
    loaded = [nbformat.read(p, as_version=4) for p in paths]
    titles = [title_of(nb) for nb in loaded]
    changed = []
    for i, (path, nb) in enumerate(zip(paths, loaded)):
        prev = (paths[i - 1].name, titles[i - 1]) if i > 0 else None
        nxt = (paths[i + 1].name, titles[i + 1]) if i + 1 < len(paths) else None
        before = nbformat.writes(nb)
        apply(nb, bar(prev, nxt))
        if nbformat.writes(nb) != before:
            changed.append(path)
            if not check:
                nbformat.write(nb, path)
    return changed


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--check", action="store_true", help="only report stale bars")
    args = ap.parse_args(argv)
    changed = update(check=args.check)
    for p in changed:
        print(("stale: " if args.check else "updated: ") + str(p.relative_to(ROOT)))
    return 1 if (args.check and changed) else 0


if __name__ == "__main__":
    sys.exit(main())
