"""Everyone can use the course: colour-blind-safe figures, explorers operable with the keyboard
alone, and an automated accessibility audit (axe-core) of every notebook page and the live deck.

Without a browser (fast):

* ``test_explorer_colours``: every explorer of ``demo_apps()`` draws its first figure, and the
  figure's artists are read back: no red and green both drawn in it (a red/green pair is what
  most colour-blind readers cannot tell apart; the course uses the Okabe–Ito palette,
  ``course_utils/viz/_colours.py``), no red-to-green colour map, and every image of signed values
  on a diverging map is centred at zero (``vmin = -vmax``).
* ``test_every_control_has_a_label``: each control has a description, which ipywidgets shows as
  its visible label (the browser test below checks it on screen, and axe checks its name).

In the browser (tests/test_browser.py's fixtures: one JupyterLab server and one headless Chromium
for this module, the same skip rule):

* ``test_axe_on_every_notebook_and_deck``: every notebook is opened with its saved outputs
  (nothing is run, as tests/test_slide_fit.py does), and axe-core (PyPI ``axe-playwright-python``,
  which ships axe.min.js: no download) audits the notebook as rendered, then the live deck
  (jupyterlab-slideshow) on its first slide: the whole page for the first notebook (JupyterLab's
  own interface, the same for all), then the notebook panel without its code editors
  (JupyterLab's CodeMirror: half of axe's time). Every violation node is attributed:

  - **course**: inside what the course wrote, the rendered markdown and the outputs (explorers
    included);
  - **libraries**: what the libraries that draw the course's outputs produce, where they offer
    the course no setting to change it: ``image-alt`` on a PNG output or an explorer's picture
    (JupyterLab's image renderer and ipywidgets' ``Image`` give ``<img>`` no ``alt``; the
    course's text equivalent is the printed numbers and captions beside each figure), and the
    handle of an ipywidgets slider (``aria-input-field-name``: ipywidgets 8.1 does not pass the
    slider's description to noUiSlider's ``handleAttributes``, so a screen reader announces an
    unnamed slider although its label is on screen);
  - **JupyterLab**: everything else (toolbars, editors, the deck's controls).

  The test fails on any violation in the course's own content, of any impact (a markdown table
  with an empty or math-only header cell is a minor one), and prints the counts of all three
  (also written to ``build/test-artifacts/axe.json``).
* ``test_explorers_by_keyboard``: for each kind of control (slider, toggle buttons, dropdown,
  check box), the explorer with the fewest controls that has one is run in a generated notebook;
  then the keyboard alone moves focus from each control to the next (Tab) and changes it (arrow
  keys on a slider, Tab and Enter on toggle buttons, Alt+ArrowDown, an arrow and Enter on a
  dropdown, Space on a check box) and back, and every move must change the picture. Every control shows a visible, non-empty label.
  axe-core then audits the live explorers.
"""
from __future__ import annotations

import colorsys
import functools
import json
import time

import nbformat
import numpy as np
import pytest
import test_browser
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

# tests/test_browser.py's module-scoped fixtures, used as this module's own
browser = test_browser.browser
lab = test_browser.lab

SERIOUS = ("serious", "critical")
DIVERGING = {"RdBu", "PuOr", "coolwarm", "bwr", "seismic", "BrBG", "PiYG", "PRGn", "RdGy",
             "RdYlBu", "RdYlGn", "Spectral", "berlin", "managua", "vanimo"}
RED_GREEN_MAPS = {"RdYlGn", "Spectral", "brg", "gist_rainbow", "rainbow", "jet", "hsv"}


# --- colours, read back from the explorers' figures -----------------------------------------------

def _hue_class(rgba) -> str:
    """'red', 'green' or '' for one RGBA colour (saturated, visible ones only)."""
    r, g, b, a = rgba
    if a < 0.15:
        return ""
    h, s, v = colorsys.rgb_to_hsv(r, g, b)
    h *= 360
    if s >= 0.5 and v >= 0.35 and (h <= 15 or h >= 345):
        return "red"
    if s >= 0.35 and v >= 0.3 and 80 <= h <= 150:
        return "green"
    return ""


def figure_colours(fig) -> dict[str, list[str]]:
    """{'red': [artists], 'green': [artists]}: the saturated reds and greens drawn in ``fig``
    (lines, markers, patches, collections, text), by the artist that draws them."""
    from matplotlib.colors import to_rgba_array
    from matplotlib.image import AxesImage

    found: dict[str, list[str]] = {"red": [], "green": []}
    for artist in fig.findobj():
        if not artist.get_visible() or isinstance(artist, AxesImage) or artist is fig:
            continue
        for getter in ("get_color", "get_facecolor", "get_edgecolor", "get_markerfacecolor",
                       "get_markeredgecolor"):
            if not hasattr(artist, getter):
                continue
            try:
                colours = to_rgba_array(getattr(artist, getter)())
            except (TypeError, ValueError):
                continue
            alpha = artist.get_alpha()
            for rgba in colours:
                if alpha is not None:
                    rgba = (*rgba[:3], rgba[3] * alpha)
                kind = _hue_class(rgba)
                if kind:
                    found[kind].append(f"{type(artist).__name__} {getter[4:]}")
    return found


def image_problems(fig) -> list[str]:
    """Colour-map problems of the images in ``fig``: red-green maps, and signed values on a
    map that is not diverging or not centred at zero."""
    from matplotlib.image import AxesImage

    problems = []
    for im in fig.findobj(AxesImage):
        name = im.get_cmap().name.removesuffix("_r")
        data = np.ma.masked_invalid(np.asarray(im.get_array(), dtype=float))
        if name in RED_GREEN_MAPS:
            problems.append(f"colour map {name} runs from red to green")
        if data.ndim != 2 or data.count() == 0:
            continue                                      # RGB pictures carry their own colours
        lo, hi = float(data.min()), float(data.max())
        span = max(abs(lo), abs(hi))
        signed = lo < -0.05 * span and hi > 0.05 * span
        if name in DIVERGING:
            vmin, vmax = im.norm.vmin, im.norm.vmax
            if abs(vmin + vmax) > 1e-6 * max(abs(vmin), abs(vmax), 1e-12):
                problems.append(f"diverging map {name} not centred at 0 (vmin {vmin:g}, "
                                f"vmax {vmax:g})")
        elif signed and name not in ("gray", "Greys", "binary"):
            problems.append(f"signed values ({lo:.3g} .. {hi:.3g}) on the sequential map {name}")
    return problems


@functools.lru_cache(maxsize=None)
def built_app(name: str):
    """The demo explorer ``name``, built once for this module (some take seconds to build)."""
    from course_utils.widgets import demo_apps

    return demo_apps()[name]()


@pytest.mark.parametrize("name", sorted(test_browser.demo_names()))
def test_explorer_colours(name):
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    app = built_app(name)
    fig = Figure(figsize=app.figsize, dpi=app.dpi)
    app.render(fig, **app.fixed, **app.values)
    FigureCanvasAgg(fig).draw()                 # what the student sees, drawn as render_png does
    colours = figure_colours(fig)
    assert not (colours["red"] and colours["green"]), (
        f"{name}: red ({sorted(set(colours['red']))}) and green ({sorted(set(colours['green']))}) "
        "in one figure; use the Okabe–Ito colours of course_utils/viz/_colours.py")
    problems = image_problems(fig)
    assert not problems, f"{name}: {problems}"


def test_every_control_has_a_label():
    unlabelled = [f"{name}.{key}" for name in test_browser.demo_names()
                  for key, control in built_app(name).controls.items()
                  if not str(getattr(control, "description", "")).strip()]
    assert not unlabelled, f"controls without a visible label (description): {unlabelled}"


# --- axe-core in the browser ----------------------------------------------------------------------

# Attribute each violation node (see the module docstring). ``node.target`` is a CSS selector
# (an array of them through shadow roots and frames: those are JupyterLab's toolbar components).
JS_ORIGINS = """(violations) => violations.map(v => v.nodes.map(n => {
  const sel = n.target.length === 1 && typeof n.target[0] === 'string' ? n.target[0] : null;
  let el = null;
  try { el = sel ? document.querySelector(sel) : null; } catch (e) { el = null; }
  if (!el || el.closest('.jp-collapseHeadingButton, .jp-InputPrompt, .jp-OutputPrompt'))
    return 'JupyterLab';
  if ((v.id === 'image-alt' && el.matches('.jp-RenderedImage img, img.widget-image'))
      || el.closest('.widget-slider .noUi-handle')) return 'libraries';
  if (el.closest('.jp-RenderedMarkdown, .jp-OutputArea-output')) return 'course';
  return 'JupyterLab';
}))"""


NOTEBOOK_ONLY = {"include": [[".jp-NotebookPanel"]], "exclude": [[".jp-InputArea-editor"]]}


def axe_audit(page, where: str, context=None) -> list[dict]:
    """Run axe-core on ``page`` (or on ``context``, axe's selector or include/exclude dict); one
    dict per violation node:
    where, rule, impact, origin, target, html."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, context=context).response
    violations = results["violations"]
    origins = page.evaluate(JS_ORIGINS, violations)
    return [{"where": where, "rule": v["id"], "impact": v["impact"], "origin": origin,
             "help": v["help"], "target": str(n["target"])[:160], "html": n["html"][:160]}
            for v, per_node in zip(violations, origins) for n, origin in zip(v["nodes"], per_node)]


def summarise(nodes: list[dict]) -> str:
    lines = []
    for origin in ("course", "libraries", "JupyterLab"):
        mine = [n for n in nodes if n["origin"] == origin]
        serious = [n for n in mine if n["impact"] in SERIOUS]
        rules = sorted({f"{n['rule']} ({n['impact']})" for n in serious})
        lines.append(f"{origin}: {len(mine)} violation nodes, {len(serious)} serious or critical"
                     + (f": {', '.join(rules)}" if rules else ""))
    return "\n".join(lines)


def write_report(nodes: list[dict], name: str) -> None:
    test_browser.ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (test_browser.ARTIFACTS / name).write_text(json.dumps(nodes, indent=1, ensure_ascii=False))


def test_axe_on_every_notebook_and_deck(lab, browser):
    import slide_heights

    names = slide_heights.notebook_names([])
    deadline = test_browser.Deadline(max(test_browser.TOTAL_SECONDS, 60 + 30 * len(names)))
    slide_heights.trust_copies(lab, names)       # saved explorers are drawn only when trusted
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    nodes: list[dict] = []
    start = time.monotonic()
    try:
        slide_heights.open_lab(page, lab, deadline)
        for k, name in enumerate(names):
            path = f"notebooks/{name}"
            page.evaluate(slide_heights.JS_OPEN, path)
            page.wait_for_function(slide_heights.JS_CURRENT, arg=path,
                                   timeout=deadline.ms(30), polling=100)
            # saved widgets are drawn once the kernel has answered (slide_heights.py says why)
            page.wait_for_function(test_browser.JS_KERNEL_IDLE, arg=path,
                                   timeout=deadline.ms(90), polling=250)
            page.wait_for_timeout(500)
            # the whole page once (JupyterLab's own interface), then the notebook without its
            # code editors (JupyterLab's CodeMirror, the same in every notebook; half the time)
            nodes += axe_audit(page, f"{name} (notebook)", None if k == 0 else NOTEBOOK_ONLY)
            page.evaluate("() => window.jupyterapp.commands.execute('deck:start')")
            page.wait_for_selector("body[data-jp-deck-mode='presenting']", state="attached",
                                   timeout=deadline.ms(30))
            page.wait_for_timeout(300)
            nodes += axe_audit(page, f"{name} (deck)", None if k == 0 else NOTEBOOK_ONLY)
            page.evaluate("() => window.jupyterapp.commands.execute('deck:stop')")
            page.wait_for_function("() => !document.body.hasAttribute('data-jp-deck-mode')",
                                   timeout=deadline.ms(20))
            page.evaluate(slide_heights.JS_CLOSE)
    finally:
        page.close()
    write_report(nodes, "axe.json")
    print(f"axe-core on {len(names)} notebooks and their decks in "
          f"{time.monotonic() - start:.0f} s\n{summarise(nodes)}")
    bad = [n for n in nodes if n["origin"] == "course"]      # minor ones included: there are none
    assert not bad, "accessibility violations in the course's content:\n" + "\n".join(
        f"  {n['where']}: {n['rule']} ({n['impact']}: {n['help']}) at {n['target']}: {n['html']}"
        for n in bad)


# --- every kind of control, with the keyboard alone -----------------------------------------------

KINDS = {"IntSlider": "slider", "FloatSlider": "slider", "ToggleButtons": "buttons",
         "Dropdown": "dropdown", "Checkbox": "checkbox"}
KEYBOARD_NB = "keyboard_gallery.ipynb"


def keyboard_explorers() -> list[str]:
    """Per kind of control, the explorer with the fewest controls that has one (name order).
    An explorer that fails to build is left out here (tests/test_widgets.py reports it)."""
    apps = {}
    for name in test_browser.demo_names():
        try:
            apps[name] = built_app(name)
        except Exception:
            continue
    kinds = {name: {KINDS.get(type(c).__name__, type(c).__name__) for c in a.controls.values()}
             for name, a in apps.items()}
    chosen = []
    for kind in sorted(set().union(*kinds.values())):
        having = [n for n in apps if kind in kinds[n]]
        best = min(having, key=lambda n: (len(apps[n].controls), n))
        if best not in chosen:
            chosen.append(best)
    return chosen


# Each control of the explorer in the cell: its kind, its label's text, whether the label is on
# screen, and the element to focus with the keyboard.
JS_CONTROLS = """([cellIndex, name]) => {
  const cell = document.querySelectorAll('.jp-NotebookPanel .jp-Cell')[cellIndex];
  const app = cell && cell.querySelector('.course-app');
  if (!app) return null;
  app.setAttribute('data-test-app', name);
  const box = Array.from(app.children).find(el => el.classList.contains('widget-hbox'));
  return Array.from(box.children).map((el, i) => {
    el.setAttribute('data-test-control', String(i));
    const k = el.classList;
    // a check box shows its description beside the box (.widget-label-basic); its .widget-label
    // is an empty indent
    const label = el.querySelector('.widget-label-basic') || el.querySelector('.widget-label');
    const r = label ? label.getBoundingClientRect() : null;
    const style = label ? getComputedStyle(label) : null;
    return {kind: k.contains('widget-slider') ? 'slider' : k.contains('widget-toggle-buttons')
              ? 'buttons' : k.contains('widget-dropdown') ? 'dropdown'
              : k.contains('widget-checkbox') ? 'checkbox' : 'unknown: ' + el.className,
            label: label ? label.textContent.trim() : '',
            shown: !!(r && r.width > 0 && r.height > 0 && style.visibility !== 'hidden'
                      && style.display !== 'none')};
  });
}"""
JS_FOCUS_IN = """(sel) => { const c = document.querySelector(sel);
  return !!(c && document.activeElement && c.contains(document.activeElement)); }"""
JS_FOCUSABLE = """(sel) => { const c = document.querySelector(sel);
  const f = c.querySelector('.noUi-handle, button, select, input'); f.focus();
  return document.activeElement === f; }"""


def keyboard_move(page, app_sel: str, control_sel: str, kind: str, deadline, what: str) -> None:
    """With focus in the control, change it by keyboard and back; each change must show."""
    focused = page.locator(f"{control_sel} :focus")
    if kind == "slider":
        handle = page.locator(f"{control_sel} .noUi-handle").first
        now, top = (float(handle.get_attribute(a)) for a in ("aria-valuenow", "aria-valuemax"))
        keys = ("ArrowLeft", "ArrowRight") if now >= top else ("ArrowRight", "ArrowLeft")
    elif kind == "buttons":  # Tab to the next button, Enter selects it; Shift+Tab, Enter: back
        keys = ("Tab Enter", "Shift+Tab Enter")
        active = page.locator(f"{control_sel} button.mod-active")
        first = page.locator(f"{control_sel} button").first
        if active.count() and active.first.evaluate("(b) => !b.nextElementSibling"):
            keys = ("Shift+Tab Enter", "Tab Enter")   # the last button is on: go left first
        active.first.focus() if active.count() else first.focus()
    elif kind == "dropdown":
        # In a notebook the arrow keys alone move JupyterLab's cell selection (command mode takes
        # them before the <select>); the keyboard way is to open the list (Alt+ArrowDown), pick
        # with the arrows and confirm with Enter (docs/instructors.md says so).
        select = page.locator(f"{control_sel} select")
        last = select.evaluate("(s) => s.selectedIndex === s.options.length - 1")
        step, back = ("ArrowUp", "ArrowDown") if last else ("ArrowDown", "ArrowUp")
        keys = (f"Alt+ArrowDown {step} Enter", f"Alt+ArrowDown {back} Enter")
    elif kind == "checkbox":
        keys = ("Space", "Space")
    else:
        raise AssertionError(f"{what}: a control of a kind the test cannot drive ({kind})")
    for key in keys:
        state = page.evaluate(test_browser.JS_APP_STATE, app_sel)
        for k in key.split():
            assert focused.count() or page.evaluate(JS_FOCUS_IN, control_sel), (
                f"{what}: the keyboard focus left the control before {k}")
            page.keyboard.press(k)
        test_browser.wait_changed(page, app_sel, state, deadline, f"{what}, keys {key}")


def test_explorers_by_keyboard(lab, browser):
    names = keyboard_explorers()
    cells = [new_markdown_cell("# One explorer per kind of control (tests/test_accessibility.py)"),
             new_code_cell("from course_utils.widgets import demo_apps\n\nDEMOS = demo_apps()")]
    cells += [new_code_cell(f"DEMOS[{n!r}]()") for n in names]
    nbformat.write(new_notebook(cells=cells, metadata={"kernelspec": {
        "name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}}),
        lab.root / "notebooks" / KEYBOARD_NB)
    deadline = test_browser.Deadline(max(test_browser.TOTAL_SECONDS, 60 + 30 * len(names)))
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    try:
        with test_browser.Steps(page, lab, KEYBOARD_NB) as step:
            step("open and Run All")
            test_browser.open_notebook(page, lab, KEYBOARD_NB, deadline)
            test_browser.run_all(page, deadline, run_seconds=120)
            for i, name in enumerate(names):
                index = 2 + i
                app_sel = f"[data-test-app='{name}']"
                step(f"{name}: its controls and their labels")
                page.locator(".jp-NotebookPanel .jp-Cell").nth(index).locator(
                    ".course-app img").first.wait_for(timeout=deadline.ms(30))
                controls = page.evaluate(JS_CONTROLS, [index, name])
                assert controls, f"{name}: no explorer or no controls in its cell"
                hidden = [c for c in controls if not (c["label"] and c["shown"])]
                assert not hidden, f"{name}: controls without a visible label: {hidden}"
                for j, c in enumerate(controls):
                    control_sel = f"{app_sel} [data-test-control='{j}']"
                    what = f"{name}, control {j} ({c['kind']} {c['label']!r})"
                    step(f"{what}: reached with Tab")
                    if j == 0:
                        assert page.evaluate(JS_FOCUSABLE, control_sel), f"{what}: not focusable"
                    else:
                        for _ in range(12):   # toggle buttons take one Tab per button
                            if page.evaluate(JS_FOCUS_IN, control_sel):
                                break
                            page.keyboard.press("Tab")
                        assert page.evaluate(JS_FOCUS_IN, control_sel), (
                            f"{what}: Tab from the previous control never reaches it")
                    step(f"{what}: changed and back with the keyboard")
                    keyboard_move(page, app_sel, control_sel, c["kind"], deadline, what)
            step("axe-core on the live explorers")
            nodes = axe_audit(page, KEYBOARD_NB, ".jp-NotebookPanel")
            write_report(nodes, "axe-explorers.json")
            print(f"keyboard: {', '.join(names)}\n{summarise(nodes)}")
            bad = [n for n in nodes if n["origin"] == "course" and n["impact"] in SERIOUS]
            assert not bad, "serious accessibility violations in the explorers:\n" + "\n".join(
                f"  {n['rule']} ({n['impact']}: {n['help']}) at {n['target']}: {n['html']}"
                for n in bad)
            step("no error anywhere")
            test_browser.assert_no_errors_shown(page, step.page_errors, step.console_errors)
    finally:
        page.close()
