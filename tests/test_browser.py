"""A real browser drives the course the way a student and an instructor do.

Headless Chromium (the system's: no browser download) and one JupyterLab server serve every test
in this module.

* ``test_start_here_in_jupyterlab_and_live_slides``, end to end: open
  ``notebooks/00_start_here.ipynb``, clear its outputs, run all cells from the Run menu, move the
  first slider of its explorer and see the picture change, start the live slides
  (jupyterlab-slideshow, from the notebook toolbar), find the same widget on its slide, check that
  the slide's speaker note is not on screen (the live deck hides notes cells), move the slider
  there too, and leave the deck.
* ``test_every_control_moves_its_explorer``, once per explorer: a generated gallery notebook shows
  every explorer of ``course_utils.widgets.demo_apps()`` (tests/test_widgets.py makes sure every
  explorer has one); after one Run All, every control of every explorer is moved one step from
  the start and back, and each move must change what the explorer shows (its picture, or the
  message it gives instead). The course notebooks themselves need no Run All here: nbval runs them.

Sliders are moved with the keyboard (focus the handle, then ArrowRight / ArrowLeft, or End /
Home in the deck, whose arrows turn slides): deterministic, unlike mouse drags. Along the way
nothing may show an error: no error output, no traceback on stderr, no "Error displaying widget"
/ "model not found", no uncaught exception in the page, and no news pop-up over the slides (the
shipped settings, ``jupyter/overrides.json``, turn it off). jupyterlab-slideshow (0.3.4, as
jupyterlab-deck 0.2 before it) never shows a cell whose slide type is the explicit ``"-"``: such a
notebook fails here with that hint (tools/deck_compat.py).

Everything runs in a temporary directory: a copy of ``notebooks/`` (the committed notebooks are
never touched), its own Jupyter config, runtime, settings and workspace folders, the course's
settings installed into a temporary app-settings folder, a free localhost port with token
authentication, and the network off for the kernels (``tools/offline``). The server is shut down,
kernels included, even when a test fails. Every wait is bounded by the test's deadline
(``COURSE_BROWSER_TIMEOUT``, 180 s by default). On failure a screenshot and the server log go to
``build/test-artifacts/``; on success screenshots of the widget in the notebook and in the deck.

Chromium: ``COURSE_CHROMIUM=/path/to/chrome``, else ``/usr/bin/chromium`` or the first of
chromium / chromium-browser / google-chrome on the PATH. Without Chromium (or playwright) these
tests FAIL: a green ``make test`` must mean the browser tests ran. On a laptop without Chromium,
``COURSE_SKIP_BROWSER=1`` skips them on purpose (ignored when ``CI`` is set).
"""
from __future__ import annotations

import contextlib
import hashlib
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

try:
    from playwright import sync_api
except ImportError:  # reported by the fixtures below: a failure, not a skip
    sync_api = None

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
NOTEBOOK = "00_start_here.ipynb"
GALLERY = "explorer_gallery.ipynb"
ARTIFACTS = ROOT / "build" / "test-artifacts"
TOTAL_SECONDS = float(os.environ.get("COURSE_BROWSER_TIMEOUT", "180"))
SKIP_VARIABLE = "COURSE_SKIP_BROWSER"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-dev-shm-usage"]
WIDGET_ERRORS = ("Error displaying widget", "model not found", "Failed to load model class",
                 "Could not create a model", "Could not create a view")


def find_chromium() -> str | None:
    env = os.environ.get("COURSE_CHROMIUM")
    if env:
        return env if Path(env).is_file() else None
    if Path("/usr/bin/chromium").is_file():
        return "/usr/bin/chromium"
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        if shutil.which(name):
            return shutil.which(name)
    return None


CHROMIUM = find_chromium()


def demo_names() -> list[str]:
    from course_utils.widgets import demo_apps

    return sorted(demo_apps())


def _require_browser() -> None:
    """Fail (or, with COURSE_SKIP_BROWSER=1 outside CI, skip) when the browser cannot run."""
    missing = []
    if sync_api is None:
        missing.append("playwright (in the dev extra: pip install -e '.[dev]'; no browser "
                       "download, it drives the system's Chromium)")
    if CHROMIUM is None:
        missing.append("Chromium (Debian/Ubuntu: sudo apt-get install chromium; or set "
                       "COURSE_CHROMIUM=/path/to/chrome)"
                       + (f"; COURSE_CHROMIUM={os.environ['COURSE_CHROMIUM']} is not a file"
                          if os.environ.get("COURSE_CHROMIUM") else ""))
    if not missing:
        return
    why = "the browser tests need " + " and ".join(missing)
    if os.environ.get(SKIP_VARIABLE) == "1" and not os.environ.get("CI"):
        pytest.skip(f"{why}; skipped on purpose ({SKIP_VARIABLE}=1)")
    pytest.fail(f"{why}. They never skip silently; to skip them on purpose on a laptop, set "
                f"{SKIP_VARIABLE}=1 (ignored in CI).", pytrace=False)


class Deadline:
    """One time budget shared by every wait of a test."""

    def __init__(self, seconds: float):
        self.end = time.monotonic() + seconds
        self.seconds = seconds

    def left(self) -> float:
        left = self.end - time.monotonic()
        if left <= 0:
            raise TimeoutError(f"the browser test ran out of its {self.seconds:.0f} s "
                               "(COURSE_BROWSER_TIMEOUT)")
        return left

    def ms(self, at_most: float) -> float:
        """Milliseconds for one wait: ``at_most`` seconds, or less if the budget is nearly spent."""
        return 1000 * min(at_most, self.left())


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def gallery_notebook(names: list[str]):
    """A notebook that shows every demo explorer, one per cell, and prints its controls' names."""
    cells = [new_markdown_cell("# Every explorer (generated by tests/test_browser.py)"),
             new_code_cell("from course_utils.widgets import demo_apps\n\nDEMOS = demo_apps()")]
    cells += [new_code_cell(f"app = DEMOS[{name!r}]()\nprint('controls:', len(app.controls))\napp")
              for name in names]
    return new_notebook(cells=cells, metadata={"kernelspec": {
        "name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}})


class LabServer:
    """``jupyter lab`` on a free localhost port, isolated in ``tmp``; stopped by :meth:`stop`."""

    def __init__(self, tmp: Path):
        from install_lab_settings import install
        from nbrun import offline_env

        self.tmp = tmp
        self.root = tmp / "root"
        shutil.copytree(NOTEBOOKS, self.root / "notebooks",
                        ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
        nbformat.write(gallery_notebook(demo_names()), self.root / "notebooks" / GALLERY)
        dirs = {name: tmp / name for name in ("config", "runtime", "data", "ipython",
                                                "app-settings", "user-settings", "workspaces")}
        for d in dirs.values():
            d.mkdir()
        install(dirs["app-settings"])  # the course's shipped JupyterLab settings
        self.port, self.token = free_port(), secrets.token_hex(24)
        self.url = f"http://127.0.0.1:{self.port}"
        env = offline_env()  # the network off; one torch thread (conftest.py) reaches the kernels
        env.pop("MPLBACKEND", None)  # the kernel's own default (inline) in JupyterLab
        env.update(JUPYTER_CONFIG_DIR=str(dirs["config"]), JUPYTER_RUNTIME_DIR=str(dirs["runtime"]),
                   JUPYTER_DATA_DIR=str(dirs["data"]), IPYTHONDIR=str(dirs["ipython"]),
                   JUPYTERLAB_SETTINGS_DIR=str(dirs["user-settings"]),
                   JUPYTERLAB_WORKSPACES_DIR=str(dirs["workspaces"]))
        cmd = [sys.executable, "-m", "jupyterlab", "--no-browser",
               "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={self.port}",
               "--ServerApp.port_retries=0", f"--IdentityProvider.token={self.token}",
               f"--ServerApp.root_dir={self.root}", "--ServerApp.terminals_enabled=False",
               f"--LabApp.app_settings_dir={dirs['app-settings']}",
               f"--LabApp.user_settings_dir={dirs['user-settings']}",
               f"--LabApp.workspaces_dir={dirs['workspaces']}",
               "--LabApp.extension_manager=readonly",
               "--expose-app-in-browser"]  # window.jupyterapp: read the notebook model
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            cmd.append("--allow-root")  # containers and CI run as root
        self.log_path = tmp / "jupyter-server.log"
        self._log = open(self.log_path, "wb")
        self.proc = subprocess.Popen(cmd, stdout=self._log, stderr=subprocess.STDOUT, env=env,
                                     cwd=self.root, start_new_session=True)

    def log(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-4000:]
        except OSError:
            return ""

    def wait_ready(self, at_most: float = 90) -> None:
        end = time.monotonic() + at_most
        while time.monotonic() < end:
            if self.proc.poll() is not None:
                raise RuntimeError(f"jupyter lab exited with {self.proc.returncode}:\n{self.log()}")
            try:
                with urllib.request.urlopen(f"{self.url}/api/status?token={self.token}", timeout=3):
                    return
            except OSError:
                time.sleep(0.3)
        raise TimeoutError(f"jupyter lab did not answer within {at_most:.0f} s:\n{self.log()}")

    def stop(self) -> None:
        """Shut down kernels and server: politely (REST), then SIGTERM, then SIGKILL."""
        try:
            import psutil

            family = psutil.Process(self.proc.pid).children(recursive=True)
        except Exception:  # psutil missing, or the server is already gone
            family = []
        if self.proc.poll() is None:
            with contextlib.suppress(OSError):
                req = urllib.request.Request(f"{self.url}/api/shutdown?token={self.token}",
                                             method="POST", data=b"")
                urllib.request.urlopen(req, timeout=5).close()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                for sig, wait in ((signal.SIGTERM, 10), (signal.SIGKILL, 5)):
                    with contextlib.suppress(ProcessLookupError):
                        os.killpg(self.proc.pid, sig)
                    try:
                        self.proc.wait(timeout=wait)
                        break
                    except subprocess.TimeoutExpired:
                        continue
        for child in family:  # kernels run in their own sessions: make sure none is left
            with contextlib.suppress(Exception):
                child.kill()
        self._log.close()


# One browser and one JupyterLab server for every test in this module. Module scope (not session):
# the Playwright driver is stopped before the next module, whose notebook clients run asyncio.

@pytest.fixture(scope="module")
def browser():
    _require_browser()
    pw = sync_api.sync_playwright().start()
    try:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, timeout=60_000)
        try:
            yield chromium
        finally:
            chromium.close()
    finally:
        pw.stop()


@pytest.fixture(scope="module")
def lab(browser, tmp_path_factory):
    server = LabServer(tmp_path_factory.mktemp("jupyterlab"))
    try:
        server.wait_ready()
        yield server
    finally:
        server.stop()


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# --- reading JupyterLab's models through window.jupyterapp ---------------------------------------

JS_KERNEL_IDLE = """(path) => {
  const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;
  const s = w && w.sessionContext;
  return !!(s && w.context && w.context.path === path && s.isReady && s.session
            && s.session.kernel && s.session.kernel.status === 'idle');
}"""
JS_CLEAR_ALL = """() => window.jupyterapp.commands.execute('notebook:clear-all-cell-outputs')"""
JS_ALL_CLEARED = """() => {
  const w = window.jupyterapp.shell.currentWidget;
  const code = Array.from(w.content.model.cells).filter(c => c.type === 'code');
  return code.length > 0 && code.every(c => c.executionCount === null && c.outputs.length === 0);
}"""
# Run All was started on a notebook whose execution counts were all cleared: it is over when
# every code cell has a count again (or one failed, which stops the run), nothing is running and
# the kernel is idle.
JS_RUN_FINISHED = """() => {
  const w = window.jupyterapp.shell.currentWidget;
  const kernel = w.sessionContext.session && w.sessionContext.session.kernel;
  if (!kernel || kernel.status !== 'idle') return false;
  const code = Array.from(w.content.model.cells).filter(c => c.type === 'code');
  if (code.some(c => c.executionState === 'running')) return false;
  const executed = code.every(c => c.executionCount !== null);
  const failed = code.some(c => c.toJSON().outputs.some(o => o.output_type === 'error'));
  return executed || failed;
}"""
JS_CELL_REPORT = """() => {
  const w = window.jupyterapp.shell.currentWidget;
  return Array.from(w.content.model.cells).map((c, i) => {
    const j = c.toJSON();
    return {index: i, type: c.type, count: c.type === 'code' ? c.executionCount : null,
            source: (typeof j.source === 'string' ? j.source : j.source.join('')).slice(0, 60),
            stdout: (j.outputs || []).filter(o => o.output_type === 'stream' && o.name === 'stdout')
                      .map(o => typeof o.text === 'string' ? o.text : o.text.join('')).join(''),
            errors: (j.outputs || []).filter(o => o.output_type === 'error')
                      .map(o => o.ename + ': ' + o.evalue)};
  });
}"""
# What an explorer shows: its picture (a blob URL, new for every new PNG the kernel sends) or the
# message it gives instead. ``sel`` is a CSS selector for the explorer's .course-app element.
_JS_STATE_OF = """(sel) => {
  const app = document.querySelector(sel);
  if (!app) return null;
  const img = app.querySelector('img');
  const msg = app.querySelector('.course-app-message');
  const shown = img && img.complete && img.naturalWidth > 0
                && getComputedStyle(img).display !== 'none';
  return (shown ? img.src : '') + '|' + (msg ? msg.textContent : '');
}"""
JS_APP_STATE = _JS_STATE_OF
JS_APP_CHANGED = """([sel, old]) => {
  const now = (%s)(sel);
  return now !== null && now !== old && now !== '|';
}""" % _JS_STATE_OF
# Mark an explorer and its controls (the children of its first HBox, in the App's order) with
# data attributes, and say what kind of control each one is.
JS_MARK_CONTROLS = """([cellIndex, name]) => {
  const cell = document.querySelectorAll('.jp-NotebookPanel .jp-Cell')[cellIndex];
  const app = cell && cell.querySelector('.course-app');
  if (!app) return null;
  app.setAttribute('data-test-app', name);
  const box = Array.from(app.children).find(el => el.classList.contains('widget-hbox'));
  if (!box) return [];
  return Array.from(box.children).map((el, i) => {
    el.setAttribute('data-test-control', String(i));
    const k = el.classList;
    return k.contains('widget-slider') ? 'slider' : k.contains('widget-toggle-buttons') ? 'buttons'
         : k.contains('widget-dropdown') ? 'dropdown' : k.contains('widget-checkbox') ? 'checkbox'
         : 'unknown: ' + el.className;
  });
}"""


def open_notebook(page, lab, notebook: str, deadline) -> None:
    """Open ``notebook`` alone, in a fresh workspace of its own (JupyterLab would otherwise reopen
    the tabs of the previous test), and wait until it is the current widget with an idle kernel."""
    workspace = re.sub(r"\W+", "-", notebook)
    page.goto(f"{lab.url}/lab/workspaces/{workspace}/tree/notebooks/{notebook}?reset&"
              f"token={lab.token}", timeout=deadline.ms(90))
    page.wait_for_selector(".jp-NotebookPanel .jp-Cell", timeout=deadline.ms(90))
    page.wait_for_function(JS_KERNEL_IDLE, arg=f"notebooks/{notebook}", timeout=deadline.ms(90),
                           polling=250)
    assert page.locator(".jp-NotebookPanel").count() == 1, "other notebooks are open too"


def run_all(page, deadline, run_seconds: float) -> list:
    """Clear every output and execution count, run *Run > Run All Cells* from the menu, wait until
    every cell ran, and require that none raised and none was left out. Returns the cells."""
    page.evaluate(JS_CLEAR_ALL)
    page.wait_for_function(JS_ALL_CLEARED, timeout=deadline.ms(20), polling=100)
    page.locator("#jp-MainMenu .lm-MenuBar-item").filter(
        has_text=re.compile(r"^\s*Run\s*$")).click(timeout=deadline.ms(20))
    page.locator(".lm-Menu-item[data-command='runmenu:run-all']").click(timeout=deadline.ms(20))
    page.wait_for_function(JS_RUN_FINISHED, timeout=deadline.ms(run_seconds), polling=300)
    cells = page.evaluate(JS_CELL_REPORT)
    errors = [c for c in cells if c["errors"]]
    assert not errors, f"cells raised errors: {errors}"
    not_run = [c for c in cells if c["type"] == "code" and c["count"] is None]
    assert not not_run, f"cells that Run All did not run: {not_run}"
    return cells


def wait_changed(page, app_sel: str, old: str, deadline, what: str) -> str:
    """Wait until the explorer shows something else than ``old``; return what it shows now."""
    try:
        page.wait_for_function(JS_APP_CHANGED, arg=[app_sel, old], timeout=deadline.ms(30),
                               polling=100)
    except sync_api.TimeoutError:
        raise AssertionError(f"{what}: the explorer still shows the same "
                             f"{'message' if old.startswith('|') else 'picture'}") from None
    return page.evaluate(JS_APP_STATE, app_sel)


def press_slider(page, app_sel: str, slider, key: str, deadline, what: str) -> tuple[str, str]:
    """Focus the slider's handle and press ``key``; the readout and the explorer must change.
    Returns the readout before and after."""
    handle, readout = slider.locator(".noUi-handle").first, slider.locator(".widget-readout").first
    handle.scroll_into_view_if_needed(timeout=deadline.ms(20))
    before, state = readout.inner_text(timeout=deadline.ms(10)), page.evaluate(JS_APP_STATE,
                                                                                app_sel)
    handle.press(key, timeout=deadline.ms(10))
    try:
        sync_api.expect(readout).not_to_have_text(before, timeout=deadline.ms(10))
    except AssertionError:
        raise AssertionError(f"{what}: pressed {key} on the slider but it still reads "
                             f"{before!r}") from None
    wait_changed(page, app_sel, state, deadline, f"{what} ({before} -> {readout.inner_text()})")
    return before, readout.inner_text()


def step_key(slider) -> tuple[str, str]:
    """(the key that moves the slider one step, the key that moves it back): up, unless it is at
    its maximum (noUiSlider keeps aria-valuenow/-valuemax on the handle)."""
    handle = slider.locator(".noUi-handle").first
    now, top = (float(handle.get_attribute(a)) for a in ("aria-valuenow", "aria-valuemax"))
    return ("ArrowLeft", "ArrowRight") if now >= top else ("ArrowRight", "ArrowLeft")


def end_key(slider) -> str:
    """End, or Home if the slider is at its maximum already."""
    handle = slider.locator(".noUi-handle").first
    now, top = (float(handle.get_attribute(a)) for a in ("aria-valuenow", "aria-valuemax"))
    return "Home" if now >= top else "End"


def move_and_back(page, app_sel: str, control, kind: str, deadline, what: str) -> None:
    """Move one control one step from where it is, then back; each move must change what the
    explorer shows (tests/test_widgets.py checks in Python that one step always does)."""
    if kind == "slider":
        forth, back = step_key(control)
        press_slider(page, app_sel, control, forth, deadline, f"{what}, {forth}")
        press_slider(page, app_sel, control, back, deadline, f"{what}, {back}")
        return
    if kind == "buttons":
        buttons = control.locator("button")
        classes = buttons.evaluate_all("bs => bs.map(b => b.classList.contains('mod-active'))")
        current = classes.index(True)
        targets = [(current + 1) % len(classes), current]
        for target in targets:
            state = page.evaluate(JS_APP_STATE, app_sel)
            buttons.nth(target).click(timeout=deadline.ms(20))
            wait_changed(page, app_sel, state, deadline, f"{what}, button {target}")
        return
    if kind == "dropdown":
        select = control.locator("select")
        values = select.locator("option").evaluate_all("os => os.map(o => o.value)")
        current = select.input_value(timeout=deadline.ms(10))
        other = values[(values.index(current) + 1) % len(values)]
        for value in (other, current):
            state = page.evaluate(JS_APP_STATE, app_sel)
            select.select_option(value, timeout=deadline.ms(20))
            wait_changed(page, app_sel, state, deadline, f"{what}, option {value!r}")
        return
    if kind == "checkbox":
        box = control.locator("input[type=checkbox]")
        for _ in range(2):
            state = page.evaluate(JS_APP_STATE, app_sel)
            box.click(timeout=deadline.ms(20))
            wait_changed(page, app_sel, state, deadline, f"{what}, check box")
        return
    raise AssertionError(f"{what}: a control of a kind the test cannot drive ({kind})")


def assert_no_errors_shown(page, page_errors: list, console_errors: list) -> None:
    text = page.locator(".jp-NotebookPanel").first.inner_text()
    shown = [e for e in WIDGET_ERRORS if e.lower() in text.lower()]
    assert not shown, f"the page shows widget errors: {shown}"
    tracebacks = [t for t in page.locator(
        ".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']"
    ).all_inner_texts() if "Traceback" in t]
    assert not tracebacks, f"tracebacks on stderr: {tracebacks}"
    assert not page_errors, f"uncaught exceptions in the page: {page_errors}"
    widget_console = [m for m in console_errors
                      if any(e.lower() in m.lower() for e in WIDGET_ERRORS)]
    assert not widget_console, f"widget errors in the console: {widget_console}"


class Steps:
    """Names the current step; on failure leaves a screenshot and the server log in ARTIFACTS."""

    def __init__(self, page, lab, prefix: str):
        self.page, self.lab, self.prefix, self.name = page, lab, prefix, "start"
        self.page_errors: list[str] = []
        self.console_errors: list[str] = []
        page.on("pageerror", lambda e: self.page_errors.append(str(e)))
        page.on("console", lambda m: self.console_errors.append(m.text)
                if m.type == "error" else None)

    def __call__(self, name: str) -> None:
        self.name = name

    def __enter__(self):
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        return self

    def __exit__(self, exc_type, exc, tb):
        if exc_type is None:
            return False
        name = re.sub(r"\W+", "-", f"{self.prefix}-{self.name}").strip("-").lower()[:120]
        with contextlib.suppress(Exception):
            self.page.screenshot(path=str(ARTIFACTS / f"browser-failed-{name}.png"))
        with contextlib.suppress(Exception):
            (ARTIFACTS / "browser-failed-server.log").write_text(self.lab.log())
        print(f"browser test failed at step: {self.name}; page errors: {self.page_errors[-5:]}; "
              f"console errors: {self.console_errors[-10:]}; artifacts in {ARTIFACTS}")
        return False


def next_notes_cell(nb, after: int) -> int:
    """Index of the notes cell on the same slide as cell ``after`` (its speaker note): the first
    notes cell after it, with only continuing cells (no slide type) between."""
    types = [(c.metadata.get("slideshow") or {}).get("slide_type") for c in nb.cells]
    notes = [i for i in range(after + 1, len(types)) if types[i] == "notes"]
    assert notes and all(types[i] is None for i in range(after + 1, notes[0])), (
        f"{NOTEBOOK}: the test expects a notes cell on the slide of cell {after} (the explorer)")
    return notes[0]


# --- the end-to-end test: notebook 00, Run All, and the live slides -------------------------------

def test_start_here_in_jupyterlab_and_live_slides(lab, browser):
    deadline = Deadline(TOTAL_SECONDS)
    committed = NOTEBOOKS / NOTEBOOK
    before_digest = digest(committed)
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    app_sel = ".course-app"  # the first explorer: the digit explorer
    try:
        with Steps(page, lab, NOTEBOOK) as step:
            step("open the notebook and Run All Cells")
            open_notebook(page, lab, NOTEBOOK, deadline)
            run_all(page, deadline, run_seconds=150)

            step("the explorer renders in the notebook")
            page.locator(app_sel + " img").first.wait_for(timeout=deadline.ms(30))
            wait_changed(page, app_sel, "|", deadline, "the explorer's first picture")

            step("move the slider in the notebook")
            slider = page.locator(app_sel).first.locator(".widget-slider").first
            press_slider(page, app_sel, slider, end_key(slider), deadline, "notebook")
            page.screenshot(path=str(ARTIFACTS / "browser-notebook-widget.png"))

            step("the speaker note after the explorer is shown in the notebook")
            shown_at = page.evaluate("(sel) => Array.from(document.querySelectorAll("
                                     "'.jp-NotebookPanel .jp-Cell')).findIndex("
                                     "c => c.querySelector(sel))", app_sel)
            note = next_notes_cell(nbformat.read(committed, as_version=4), shown_at)
            note_cell = page.locator(".jp-NotebookPanel .jp-Cell").nth(note)
            assert note_cell.is_visible(), f"cell {note} (its speaker note) is not in the notebook"

            step("start the deck on the explorer's slide")
            widget_cell = page.locator(".jp-CodeCell").filter(
                has=page.locator(".course-app")).first
            widget_cell.locator(".jp-InputPrompt").first.click(timeout=deadline.ms(20))
            page.locator(".jp-NotebookPanel-toolbar [data-command='deck:toggle']").click(
                timeout=deadline.ms(20))
            page.wait_for_selector("body[data-jp-deck-mode='presenting']",
                                   state="attached", timeout=deadline.ms(20))
            try:
                page.locator(app_sel + " img").first.wait_for(state="visible",
                                                              timeout=deadline.ms(20))
            except sync_api.TimeoutError:
                from deck_compat import hidden_in_deck

                hidden = hidden_in_deck(nbformat.read(committed, as_version=4))
                raise AssertionError(
                    "the deck is on but the explorer is not on screen"
                    + (f": cells {hidden} have slide_type '-', which jupyterlab-slideshow never "
                       f"shows; run python tools/deck_compat.py notebooks/{NOTEBOOK}"
                       if hidden else "")) from None

            step("the slide's speaker note is not shown")  # README.md: the live deck hides notes
            assert note_cell.is_hidden(), (
                f"cell {note} (slide type notes) is on screen in the live deck; README.md says "
                "the deck hides speaker notes: update it")

            step("move the slider in the deck")  # End/Home: the deck turns slides on arrows
            slider = page.locator(app_sel).first.locator(".widget-slider").first
            press_slider(page, app_sel, slider, end_key(slider), deadline, "deck")
            assert page.locator("body[data-jp-deck-mode='presenting']").count() == 1, \
                "the key that moved the slider also left the deck"
            page.screenshot(path=str(ARTIFACTS / "browser-deck-widget.png"))

            step("leave the deck")
            page.locator(".jp-Deck-Remote .jp-deck-mod-stop").click(timeout=deadline.ms(20))
            page.wait_for_function("() => !document.body.hasAttribute('data-jp-deck-mode')",
                                   timeout=deadline.ms(20))

            step("no error anywhere")
            assert_no_errors_shown(page, step.page_errors, step.console_errors)
            messages = page.locator(".course-app-message").all_inner_texts()
            assert not messages, f"an explorer shows a message instead of a figure: {messages}"
            toasts = page.locator(".Toastify__toast").all_inner_texts()
            assert not [t for t in toasts if "news" in t.lower()], (
                f"JupyterLab asks about news (settings override not applied?): {toasts}")
    finally:
        page.close()
    assert digest(committed) == before_digest, f"the test changed the committed {committed}"


# --- every control of every explorer, in the generated gallery ------------------------------------

@pytest.fixture(scope="module")
def gallery(lab, browser):
    """The gallery notebook, open in a page, after one Run All: (page, cells, steps)."""
    deadline = Deadline(max(TOTAL_SECONDS, 240))
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    try:
        with Steps(page, lab, GALLERY) as step:
            step("open the gallery and Run All Cells")
            open_notebook(page, lab, GALLERY, deadline)
            cells = run_all(page, deadline, run_seconds=200)
        yield page, cells, step
    finally:
        page.close()


@pytest.mark.parametrize("name", demo_names())
def test_every_control_moves_its_explorer(gallery, lab, name):
    page, cells, step = gallery
    deadline = Deadline(TOTAL_SECONDS)
    index = 2 + demo_names().index(name)  # markdown title, imports, then one cell per explorer
    said = re.search(r"controls: (\d+)", cells[index]["stdout"])
    assert said, f"the gallery cell of {name} printed {cells[index]['stdout']!r}"
    app_sel = f"[data-test-app='{name}']"
    seen_page, seen_console = len(step.page_errors), len(step.console_errors)  # earlier tests'
    with step:
        step(f"{name}: find its controls")
        page.locator(".jp-NotebookPanel .jp-Cell").nth(index).locator(
            ".course-app img").first.wait_for(timeout=deadline.ms(30))
        kinds = page.evaluate(JS_MARK_CONTROLS, [index, name])
        assert kinds is not None, f"{name}: no explorer in its gallery cell"
        assert len(kinds) == int(said.group(1)), (
            f"{name}: the kernel says {said.group(1)} controls, the page shows {kinds}")
        for j, kind in enumerate(kinds):
            step(f"{name}: control {j} ({kind})")
            control = page.locator(f"{app_sel} [data-test-control='{j}']")
            move_and_back(page, app_sel, control, kind, deadline, f"{name}, control {j} ({kind})")
        step(f"{name}: no error anywhere")
        assert_no_errors_shown(page, step.page_errors[seen_page:],
                               step.console_errors[seen_console:])
