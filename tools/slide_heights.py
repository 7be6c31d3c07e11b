#!/usr/bin/env python3
"""Measure every live slide of the course notebooks at 1280×720 and say which ones overflow.

    python tools/slide_heights.py                                # all notebooks/NN_*.ipynb
    python tools/slide_heights.py notebooks/03_stride_padding.ipynb
    python tools/slide_heights.py --check                        # exit 1 when a slide overflows

What it does: one JupyterLab server and one headless Chromium (the browser test's own,
tests/test_browser.py: the same isolated server, the same shipped settings), a 1280×720 viewport;
for each notebook it opens the notebook, starts the live deck (jupyterlab-slideshow, ``deck:start``)
and goes to every slide and subslide in turn. A slide is measured with all its fragments shown:
the deck puts a slide's fragments on screen from the start (invisible until revealed), so the
slide's layout does not change as they appear; the tool goes to the slide's last cell anyway, so
everything is shown. Measured in the DOM: the deck's scroll container (the notebook, ``max-height:
100vh``) holds exactly the cells on screen, so its ``scrollHeight`` is the slide's height, and the
panel's ``clientHeight`` (720 px) the height available; a slide taller than that scrolls in front
of the class. The height of every cell on the slide is recorded too (what makes a slide tall).

No cell is run (``--run`` runs them all first). The notebooks are committed executed, so figures
are there, and so are the explorers: ``tools/nbrun.py`` saves the widget state in the notebook
(``metadata.widgets``), PNG included, and JupyterLab draws the saved widgets from it once the
notebook is trusted (the tool signs the server's copies) and its kernel, which runs nothing, has
answered. An explorer then shows its saved picture, the same size as the live one (same
``figsize``, ``dpi`` and controls; the "disconnected" icons are hidden). Checked with ``--run``
on 00, 01, 03 and 04 (four kinds of explorer): every slide measured the same, saved or live. The
tool waits until every picture has loaded, every widget is drawn and the height has stopped
changing (MathJax, fonts).

Output: a table (notebook, slide number in deck order, the cell that starts it, its first line,
height, overflow) and ``build/slides/heights.json`` (the same, plus every cell's height).
tests/test_slide_fit.py runs the same measurement in ``make test`` and fails on any overflow.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NB_DIR = ROOT / "notebooks"
OUT = ROOT / "build" / "slides" / "heights.json"
WIDTH, HEIGHT = 1280, 720
HEAD_TYPES = ("slide", "subslide")
SETTLE_MS = 150  # a slide is drawn when its height has not changed for this long


@dataclass
class Slide:
    """One slide or subslide of the live deck: its cells on screen (notes and skip cells are not)."""

    number: int  # 1, 2, ... in deck order (slides and subslides alike)
    cells: list[int] = field(default_factory=list)  # indices in the notebook, the first one heads it
    first_line: str = ""


def first_line(source: str, width: int = 60) -> str:
    """The first line of a cell that says something (not blank, not an HTML comment), shortened.

    >>> first_line("<!-- NAV -->\\n\\n## 3. Padding\\nmore")
    '## 3. Padding'
    >>> first_line("x = 1  " + "#" * 80, width=12)
    'x = 1  ####…'
    """
    for line in source.splitlines():
        line = line.strip()
        if line and not re.fullmatch(r"<!--.*-->", line):
            return line if len(line) <= width else line[:width - 1] + "…"
    return ""


def deck_slides(nb) -> list[Slide]:
    """The slides of ``nb`` as jupyterlab-slideshow 0.3.4 builds them (``_getExtents``): a cell of
    type ``slide`` or ``subslide`` starts one (so does the first cell unless it is a fragment,
    skip or notes cell), a fragment or a cell without a type continues it, ``skip`` and ``notes``
    cells are never on screen.

    >>> from nbformat.v4 import new_markdown_cell as md, new_notebook
    >>> def cell(t):
    ...     return md("x", metadata={"slideshow": {"slide_type": t}} if t else {})
    >>> nb = new_notebook(cells=[cell(None), cell("notes"), cell("slide"), cell("fragment"),
    ...                          cell("skip"), cell(None), cell("subslide")])
    >>> [(s.number, s.cells) for s in deck_slides(nb)]
    [(1, [0]), (2, [2, 3, 5]), (3, [6])]
    """
    slides: list[Slide] = []
    for i, cell in enumerate(nb.cells):
        meta = cell.get("metadata", {})
        kind = (meta.get("slideshow") or {}).get("slide_type")
        if (meta.get("jupyterlab-deck") or {}).get("layer") or kind in ("skip", "notes"):
            continue
        if kind in HEAD_TYPES or (i == 0 and kind is None):
            slides.append(Slide(len(slides) + 1, [i], first_line(cell.source)))
        elif slides:  # fragment, or no type: on the current slide
            slides[-1].cells.append(i)
    return slides


WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"


def widget_views(nb) -> dict[int, int]:
    """For each cell with widget outputs, how many widget views they draw: every widget shown and,
    for a box, its children, recursively (from the widget state saved in the notebook; layouts
    and styles are models without a view of their own). A widget counts as drawn only when all its
    views are: a box is put on the page before its children are.

    >>> from nbformat.v4 import new_code_cell, new_notebook, new_output
    >>> out = new_output("display_data", {WIDGET_VIEW: {"model_id": "a"}})
    >>> state = {"a": {"state": {"children": ["IPY_MODEL_b", "IPY_MODEL_c"], "layout": "IPY_MODEL_l"}},
    ...          "b": {"state": {}}, "c": {"state": {"children": ["IPY_MODEL_d"]}},
    ...          "d": {"state": {}}, "l": {"state": {}}}
    >>> nb = new_notebook(cells=[new_code_cell("x", outputs=[out])],
    ...                   metadata={"widgets": {WIDGET_STATE: {"state": state}}})
    >>> widget_views(nb)
    {0: 4}
    """
    state = ((nb.metadata.get("widgets") or {}).get(WIDGET_STATE) or {}).get("state") or {}

    def views(model_id: str, depth: int = 0) -> int:
        model = state.get(model_id)
        if model is None or depth > 50:
            return 0  # not saved: the page shows an error message instead (reported)
        children = (model.get("state") or {}).get("children") or []
        return 1 + sum(views(str(c).removeprefix("IPY_MODEL_"), depth + 1) for c in children)

    counts = {}
    for i, cell in enumerate(nb.cells):
        n = sum(views(out["data"][WIDGET_VIEW].get("model_id", ""))
                for out in cell.get("outputs", []) if WIDGET_VIEW in out.get("data", {}))
        if n:
            counts[i] = n
    return counts


# --- the browser side --------------------------------------------------------------------------

# Every slide of the notebook shown by the deck, measured in one call (no round trip per slide).
# Argument: [the slides' cell lists, widget views per cell (widget_views), settle ms, timeout ms
# per slide]. For each slide: make its last cell the active one (the deck shows the whole slide,
# every fragment revealed), wait, one animation frame at a time, until the slide is drawn: the
# cells on screen are the slide's and not all flat, every picture has loaded, every widget
# output shows all its views ("Loading widget..." until the widget manager has the model; a box
# before its children), the notebook holds nothing but those cells (just after the deck starts
# it can still be the height of the whole notebook for a moment), and the height has not changed
# for ``settle`` ms (MathJax, fonts, editors). Then measure: the scroll container's scrollHeight
# (the slide), the panel's clientHeight (the room), and each cell. Returns {rows} or {error, rows}.
JS_DECK = """async ([slides, views, settle, timeout]) => {
  const panel = window.jupyterapp.shell.currentWidget;
  const nb = panel.content, all = nb.widgets;
  const scroller = nb.node.querySelector('.jp-WindowedPanel-outer') || nb.node;
  const frame = () => new Promise(r => requestAnimationFrame(() => r()));
  const redrawn = {};
  const widgetsPending = (i) => {
    const cell = all[i];
    if (!views[i] || cell.model.type !== 'code') return false;
    let shown = 0, errors = 0;
    for (const o of cell.node.querySelectorAll('.jp-OutputArea-output')) {
      if (/Error displaying widget|not found/i.test(o.textContent)) errors++;
      else shown += o.querySelectorAll('.lm-Widget').length;  // each view is a Lumino widget
    }
    if (errors && performance.now() - (redrawn[i] || 0) > 1000) {
      // A race in the widget manager: an output that asked for its model before the saved
      // state was loaded, but after the (empty) kernel answered, says "model not found" for
      // good. Give the cell its outputs again (in the page only; nothing is saved): drawn anew.
      const outputs = cell.model.outputs, saved = outputs.toJSON();
      outputs.clear();
      outputs.fromJSON(saved);
      redrawn[i] = performance.now();
    }
    return errors > 0 || shown < views[i];
  };
  const span = (cells) => {  // from the top of the first cell on screen to the bottom of the last
    const boxes = cells.map(i => all[i].node.getBoundingClientRect());
    return Math.max(...boxes.map(b => b.bottom)) - Math.min(...boxes.map(b => b.top));
  };
  const problem = (cells) => {
    const on = all.map((w, i) => w.node.classList.contains('jp-deck-mod-onscreen') ? i : -1)
                  .filter(i => i >= 0);
    if (on.join(',') !== cells.join(',')) return 'the deck shows cells ' + on.join(',');
    if (!panel.isVisible) return 'the notebook is not visible';
    if (cells.every(i => all[i].node.getBoundingClientRect().height < 1)) {
      return 'no cell on screen has a height yet';  // (one can: a markdown cell of comments)
    }
    const extra = scroller.scrollHeight - span(cells);
    if (extra > 40) return 'the notebook is ' + extra + ' px taller than the cells on screen';
    const imgs = cells.filter(i => Array.from(all[i].node.querySelectorAll('img'))
                                        .some(im => !im.complete));
    if (imgs.length) return 'pictures still loading in cells ' + imgs.join(',');
    const widgets = cells.filter(i => widgetsPending(i));
    if (widgets.length) return 'widgets not drawn (or "model not found") in cells ' + widgets.join(',')
      + (all[widgets[0]].model.trusted ? '' : ' (the notebook is not trusted)');
    return '';
  };
  const measure = (cells) => {
    const rows = cells.map(i => {
      const w = all[i];
      const input = w.node.querySelector('.jp-Cell-inputWrapper');
      const outs = Array.from(w.node.querySelectorAll('.jp-OutputArea-output'));
      return {cell: i, type: w.model.type, height: Math.round(w.node.getBoundingClientRect().height),
              input: input ? Math.round(input.getBoundingClientRect().height) : 0,
              outputs: outs.map(o => ({
                mime: o.getAttribute('data-mime-type')
                      || (o.querySelector('.jupyter-widgets') ? 'widget' : ''),
                height: Math.round(o.getBoundingClientRect().height)})),
              widget_errors: outs.filter(o => /Error displaying widget|model not found/i
                                                .test(o.textContent)).length};
    });
    return {height: scroller.scrollHeight, span: Math.round(span(cells)),
            available: panel.node.clientHeight,
            cells_total: rows.reduce((a, r) => a + r.height, 0), cells: rows};
  };
  const out = [];
  for (const cells of slides) {
    nb.activeCellIndex = cells[cells.length - 1];
    const t0 = performance.now();
    let last = -1, since = 0, drawn = 0;
    for (;;) {
      await frame();
      const now = performance.now(), why = problem(cells);
      if (now - t0 > timeout) {
        return {rows: out, error: (why || 'the height keeps changing') + '; active cell '
                                  + nb.activeCellIndex};
      }
      if (why) { last = -1; continue; }
      if (!drawn) drawn = now;
      const h = scroller.scrollHeight;
      if (h !== last) { last = h; since = now; } else if (now - since >= settle) break;
    }
    out.push(Object.assign(measure(cells), {ms: Math.round(performance.now() - t0),
                                            drawn_ms: Math.round(drawn - t0)}));
  }
  return {rows: out};
}"""


# A widget drawn from the saved state, with no model in the kernel, is marked "disconnected": a
# red broken-chain icon before every widget, which in a VBox is a line of its own (about 20 px per
# box). A student's live explorer has none; hide them so that saved and live explorers measure the
# same. ``--css`` adds more (try a fix without editing anything).
HIDE_DISCONNECTED = ".jupyter-widgets-disconnected::before { display: none !important; }"


# Open a notebook in the JupyterLab already loaded in the page (no reload: loading JupyterLab is
# what costs seconds). With its kernel: nothing is run, but the widget manager draws the saved
# widgets only once it has asked the kernel for its own (jupyterlab_widgets 3 restores from the
# notebook after the kernel answers; without a kernel it never does).
JS_OPEN = """async (path) => {
  const app = window.jupyterapp;
  const w = await app.commands.execute('docmanager:open', {path: path, factory: 'Notebook'});
  await w.context.ready;
  await w.revealed;
  app.shell.activateById(w.id);
  return w.content.widgets.length;
}"""
JS_CURRENT = """(path) => {
  const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;
  return !!(w && w.context && w.context.path === path && w.content && w.content.widgets.length);
}"""
JS_CLOSE = """async () => {
  const w = window.jupyterapp.shell.currentWidget;
  if (w.sessionContext.session) await w.sessionContext.shutdown();
  w.dispose();
}"""


def open_lab(page, lab, deadline, css: str = "") -> None:
    """Load JupyterLab once, in a workspace of its own, with no document open."""
    page.goto(f"{lab.url}/lab/workspaces/slide-fit?reset&token={lab.token}",
              timeout=deadline.ms(90))
    page.wait_for_function("() => window.jupyterapp && window.jupyterapp.shell"
                           " && document.querySelector('#jp-main-dock-panel')",
                           timeout=deadline.ms(90), polling=250)
    page.evaluate("() => window.jupyterapp.restored")
    page.add_style_tag(content=HIDE_DISCONNECTED + "\n" + css)


def measure_notebook(page, lab, name: str, deadline, run: bool = False) -> list[dict]:
    """Open ``notebooks/<name>`` of ``lab`` (a LabServer of tests/test_browser.py) in the
    JupyterLab loaded in ``page`` (:func:`open_lab`), start the deck, measure every slide, close
    the notebook. With ``run``, Run All first (a kernel, live widgets; slow).
    Returns one dict per slide (see :func:`main`)."""
    import nbformat
    from test_browser import JS_KERNEL_IDLE, run_all

    nb = nbformat.read(lab.root / "notebooks" / name, as_version=4)  # the server's copy
    slides = deck_slides(nb)
    path = f"notebooks/{name}"
    count = page.evaluate(JS_OPEN, path)
    assert count == len(nb.cells), f"{name}: JupyterLab shows {count} cells of {len(nb.cells)}"
    page.wait_for_function(JS_CURRENT, arg=path, timeout=deadline.ms(30), polling=100)
    if run:
        page.wait_for_function(JS_KERNEL_IDLE, arg=path, timeout=deadline.ms(90), polling=250)
        run_all(page, deadline, run_seconds=300)
    page.evaluate("() => window.jupyterapp.commands.execute('deck:start')")
    page.wait_for_selector("body[data-jp-deck-mode='presenting']", state="attached",
                           timeout=deadline.ms(30))
    views = {str(i): n for i, n in widget_views(nb).items()}
    got = page.evaluate(JS_DECK, [[sl.cells for sl in slides], views, SETTLE_MS,
                                  min(30_000, deadline.ms(600))])
    if "error" in got:
        slide = slides[len(got["rows"])]
        raise TimeoutError(f"{name}, slide {slide.number} (cell {slide.cells[0]}): the deck did "
                           f"not settle on cells {slide.cells}: {got['error']}")
    rows = [{"notebook": name, "slide": slide.number, "cell": slide.cells[0],
             "first_line": slide.first_line, "height": m["height"], "available": m["available"],
             "cells_total": m["cells_total"], "span": m["span"],
             "overflow": m["height"] > m["available"],
             "widget_errors": sum(c["widget_errors"] for c in m["cells"]), "cells": m["cells"]}
            for slide, m in zip(slides, got["rows"])]
    page.evaluate("() => window.jupyterapp.commands.execute('deck:stop')")
    page.wait_for_function("() => !document.body.hasAttribute('data-jp-deck-mode')",
                           timeout=deadline.ms(20))
    page.evaluate(JS_CLOSE)
    return rows


def trust_copies(lab, names: list[str]) -> None:
    """Sign the server's copies of the notebooks (its own secret and database, in the Jupyter
    data folder the server was started with): JupyterLab draws a saved widget only in a trusted
    notebook (the widget renderer is not "safe"); untrusted, it shows the plain-text fallback, one
    line instead of the explorer. Running a cell trusts its outputs, which is why the end-to-end
    browser test, which runs all cells, does not need this."""
    import nbformat
    from nbformat.sign import NotebookNotary

    notary = NotebookNotary(data_dir=str(lab.tmp / "data"))  # LabServer's JUPYTER_DATA_DIR
    for name in names:
        path = lab.root / "notebooks" / name
        nb = nbformat.read(path, as_version=4)
        notary.sign(nb)


def measure_all(lab, browser, names: list[str], deadline, run: bool = False,
                css: str = "") -> list[dict]:
    """Every slide of every notebook in ``names``, one page at WIDTH×HEIGHT."""
    trust_copies(lab, names)
    page = browser.new_page(viewport={"width": WIDTH, "height": HEIGHT})
    try:
        t = time.monotonic()
        open_lab(page, lab, deadline, css)
        print(f"JupyterLab loaded in {time.monotonic() - t:.1f} s", flush=True)
        rows = []
        for name in names:
            t = time.monotonic()
            rows += measure_notebook(page, lab, name, deadline, run=run)
            print(f"{name}: {time.monotonic() - t:.1f} s", flush=True)
        return rows
    finally:
        page.close()


def culprit(row: dict) -> str:
    """The tallest cell of a slide, in words: what to look at first."""
    cell = max(row["cells"], key=lambda c: c["height"])
    outs = ", ".join(f"{o['mime'].split('/')[-1].replace('vnd.jupyter.', '')} {o['height']}"
                     for o in cell["outputs"] if o["height"])
    return (f"cell {cell['cell']} ({cell['type']}, {cell['height']} px"
            + (f": input {cell['input']}" + (f", outputs {outs}" if outs else "")
               if cell["type"] == "code" else "") + ")")


def table(rows: list[dict], worst_first: bool = False) -> str:
    rows = sorted(rows, key=lambda r: -r["height"]) if worst_first else rows
    lines = [f"{'notebook':<30} {'slide':>5} {'cell':>4}  {'first line':<52} {'px':>5}  overflow"]
    for r in rows:
        lines.append(f"{r['notebook']:<30} {r['slide']:>5} {r['cell']:>4}  "
                     f"{r['first_line'][:52]:<52} {r['height']:>5}  "
                     + (f"YES by {r['height'] - r['available']} px: {culprit(r)}"
                        if r["overflow"] else "no"))
    return "\n".join(lines)


def offenders(rows: list[dict]) -> list[dict]:
    return sorted((r for r in rows if r["overflow"]), key=lambda r: -r["height"])


def write_json(rows: list[dict], path: Path, seconds: float) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"viewport": [WIDTH, HEIGHT], "seconds": round(seconds, 1),
                                "slides": rows}, indent=1) + "\n")


def notebook_names(paths: list[str]) -> list[str]:
    if not paths:
        return sorted(p.name for p in NB_DIR.glob("[0-9][0-9]_*.ipynb"))
    names = []
    for p in paths:
        path = Path(p).resolve()
        if path.parent != NB_DIR.resolve() or not path.is_file():
            raise SystemExit(f"{p}: not a notebook in {NB_DIR}")
        names.append(path.name)
    return names


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("notebooks", nargs="*", help="notebooks/NN_*.ipynb (default: all)")
    ap.add_argument("--json", type=Path, default=OUT, help=f"where to write (default {OUT})")
    ap.add_argument("--worst-first", action="store_true", help="sort the table by height")
    ap.add_argument("--check", action="store_true", help="exit 1 when a slide overflows")
    ap.add_argument("--run", action="store_true",
                    help="Run All before measuring: live explorers instead of their saved state "
                         "(slow; to check that both measure the same)")
    ap.add_argument("--css", default="", help="extra CSS for the page (try a fix, e.g. "
                    "'.course-app > img.widget-image { align-self: center; }')")
    args = ap.parse_args(argv)
    names = notebook_names(args.notebooks)

    sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "tools")]
    from playwright import sync_api
    from test_browser import CHROMIUM, CHROMIUM_ARGS, Deadline, LabServer

    if CHROMIUM is None:
        raise SystemExit("no Chromium: set COURSE_CHROMIUM=/path/to/chrome")
    start = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="slide-heights-") as tmp:
        lab = LabServer(Path(tmp))
        pw = sync_api.sync_playwright().start()
        try:
            lab.wait_ready()
            print(f"server ready in {time.monotonic() - start:.1f} s", flush=True)
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                rows = measure_all(lab, browser, names,
                                   Deadline((60 + (240 if args.run else 60)) * len(names)),
                                   run=args.run, css=args.css)
            finally:
                browser.close()
        finally:
            pw.stop()
            lab.stop()
    seconds = time.monotonic() - start
    print(table(rows, worst_first=args.worst_first))
    bad = offenders(rows)
    print(f"\n{len(rows)} slides in {len(names)} notebooks measured at {WIDTH}×{HEIGHT} in "
          f"{seconds:.0f} s; {len(bad)} overflow")
    write_json(rows, args.json, seconds)
    print(f"written: {args.json}")
    return 1 if args.check and bad else 0


if __name__ == "__main__":
    sys.exit(main())
