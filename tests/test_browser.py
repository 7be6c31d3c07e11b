"""A real browser drives the course the way a student and an instructor do.

Headless Chromium (the system's: no browser download) opens ``notebooks/00_start_here.ipynb`` in
JupyterLab, runs all cells from the Run menu, moves the first slider of the first explorer and sees
its picture change, then starts the live slides (jupyterlab-deck, from the notebook toolbar), finds
the same widget on its slide, moves the slider there too, and leaves the deck. Along the way
nothing may show an error: no error output in any cell, no traceback on stderr, no "Error
displaying widget" / "model not found" from the widget manager, no uncaught exception in the page,
no message box from an explorer, and no news pop-up over the slides (the shipped settings,
``jupyter/overrides.json``, turn it off). jupyterlab-deck 0.2 never shows a cell whose slide
type is the explicit ``"-"``: such a notebook fails here with that hint (``tools/deck_compat.py``).

Everything runs in a temporary directory: a copy of ``notebooks/`` (the committed notebook is
never touched), its own Jupyter config, runtime, settings and workspace folders (the user's
settings don't interfere), the course's settings installed into a temporary app-settings folder,
a free localhost port with token authentication, and the network off for the kernel
(``tools/offline``). The server is shut down, kernels included, even when the test fails. Each
wait is bounded and all of them share one deadline (``COURSE_BROWSER_TIMEOUT``, 180 s by
default), so the test cannot hang. On failure a screenshot and the server log go to
``build/test-artifacts/``; on success the screenshots of the widget in the notebook and in the
deck are left there too, for a person to look at.

Chromium: ``/usr/bin/chromium`` or the first of chromium / chromium-browser / google-chrome on the
PATH, or ``COURSE_CHROMIUM=/path/to/chrome``. Without one the test is skipped with a reason.
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

import pytest

sync_api = pytest.importorskip("playwright.sync_api", reason="the browser test needs playwright "
                               "(pip install playwright; no browser download: it uses Chromium)")

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
NOTEBOOK = "00_start_here.ipynb"
ARTIFACTS = ROOT / "build" / "test-artifacts"
TOTAL_SECONDS = float(os.environ.get("COURSE_BROWSER_TIMEOUT", "180"))
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-dev-shm-usage"]
WIDGET_ERRORS = ("Error displaying widget", "model not found", "Failed to load model class",
                 "Could not create a model", "Could not create a view")

sys.path.insert(0, str(ROOT / "tools"))


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
pytestmark = [
    pytest.mark.skipif(CHROMIUM is None, reason=(
        "no Chromium found for the browser test: install one (Debian/Ubuntu: "
        "sudo apt-get install chromium) or set COURSE_CHROMIUM=/path/to/chrome"
        + (f" (COURSE_CHROMIUM={os.environ['COURSE_CHROMIUM']} is not a file)"
           if os.environ.get("COURSE_CHROMIUM") else ""))),
]


class Deadline:
    """One time budget shared by every wait of the test."""

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


class LabServer:
    """``jupyter lab`` on a free localhost port, isolated in ``tmp``; stopped by :meth:`stop`."""

    def __init__(self, tmp: Path, deadline: Deadline):
        from install_lab_settings import install
        from nbrun import offline_env

        self.tmp, self.deadline = tmp, deadline
        self.root = tmp / "root"
        shutil.copytree(NOTEBOOKS, self.root / "notebooks",
                        ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
        dirs = {name: tmp / name for name in ("config", "runtime", "data", "ipython",
                                                "app-settings", "user-settings", "workspaces")}
        for d in dirs.values():
            d.mkdir()
        install(dirs["app-settings"])  # the course's shipped JupyterLab settings
        self.port, self.token = free_port(), secrets.token_hex(24)
        self.url = f"http://127.0.0.1:{self.port}"
        env = offline_env()
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
        end = time.monotonic() + min(at_most, self.deadline.left())
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


@pytest.fixture
def lab(tmp_path):
    deadline = Deadline(TOTAL_SECONDS)
    server = LabServer(tmp_path, deadline)
    try:
        server.wait_ready()
        yield server
    finally:
        server.stop()


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# JavaScript run in the page, reading JupyterLab's own models through window.jupyterapp.
JS_KERNEL_IDLE = """() => {
  const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;
  const s = w && w.sessionContext;
  return !!(s && s.isReady && s.session && s.session.kernel
            && s.session.kernel.status === 'idle');
}"""
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
            errors: (j.outputs || []).filter(o => o.output_type === 'error')
                      .map(o => o.ename + ': ' + o.evalue)};
  });
}"""
JS_IMAGE_LOADED = """(oldSrc) => {
  const img = document.querySelector('.course-app img');
  return !!img && img.complete && img.naturalWidth > 0 && img.src !== oldSrc;
}"""


def open_and_run_all(page, lab, notebook: str, deadline, run_seconds: float) -> list:
    """Open ``notebook`` in JupyterLab, wait for its kernel, run *Run > Run All Cells* from the
    menu, wait until every cell ran, and require that none raised. Returns the cells' report."""
    page.goto(f"{lab.url}/lab/tree/notebooks/{notebook}?token={lab.token}",
              timeout=deadline.ms(90))
    page.wait_for_selector(".jp-NotebookPanel .jp-Cell", timeout=deadline.ms(90))
    page.wait_for_function(JS_KERNEL_IDLE, timeout=deadline.ms(90), polling=250)
    page.locator("#jp-MainMenu .lm-MenuBar-item").filter(
        has_text=re.compile(r"^\s*Run\s*$")).click(timeout=deadline.ms(20))
    page.locator(".lm-Menu-item[data-command='runmenu:run-all']").click(timeout=deadline.ms(20))
    page.wait_for_function(JS_RUN_FINISHED, timeout=deadline.ms(run_seconds), polling=300)
    cells = page.evaluate(JS_CELL_REPORT)
    errors = [c for c in cells if c["errors"]]
    assert not errors, f"cells raised errors: {errors}"
    return cells


def settled_box(locator, deadline, tries: int = 10) -> dict:
    """The bounding box of ``locator`` once the layout stopped moving it (two equal reads)."""
    box = locator.bounding_box(timeout=deadline.ms(10))
    for _ in range(tries):
        time.sleep(0.2)
        again = locator.bounding_box(timeout=deadline.ms(10))
        if again == box:
            break
        box = again
    return box


def move_first_slider(page, deadline, where: str, attempts: int = 2) -> tuple[str, str]:
    """Drag the first slider of the first explorer with the mouse and wait until the explorer
    shows a new picture; return the slider's readout before and after."""
    app = page.locator(".course-app").first
    handle = app.locator(".widget-slider .noUi-handle").first
    track = app.locator(".widget-slider .noUi-target").first
    readout = app.locator(".widget-slider .widget-readout").first
    image = app.locator("img").first
    for attempt in range(1, attempts + 1):
        handle.scroll_into_view_if_needed(timeout=deadline.ms(20))
        before, src = readout.inner_text(), image.get_attribute("src")
        hb, tb = settled_box(handle, deadline), settled_box(track, deadline)
        assert hb and tb, f"{where}: the slider is not laid out (no bounding box)"
        x0, y = hb["x"] + hb["width"] / 2, hb["y"] + hb["height"] / 2
        target = tb["x"] + tb["width"] * (0.7 if x0 < tb["x"] + tb["width"] / 2 else 0.2)
        page.mouse.move(x0, y)
        page.mouse.down()
        page.mouse.move(target, y, steps=10)
        page.mouse.up()
        try:
            page.wait_for_function(JS_IMAGE_LOADED, arg=src, timeout=deadline.ms(30))
        except Exception:
            if attempt == attempts:
                raise AssertionError(
                    f"{where}: dragged the slider {attempts} times (readout {before!r} -> "
                    f"{readout.inner_text()!r}) but the explorer's picture never changed") from None
            continue
        after = readout.inner_text()
        assert after != before, f"{where}: the picture changed but the slider still reads {before}"
        return before, after
    raise AssertionError("unreachable")


def test_start_here_in_jupyterlab_and_live_slides(lab):
    deadline = lab.deadline
    committed = NOTEBOOKS / NOTEBOOK
    assert committed.is_file(), f"{committed} is missing"
    before_digest = digest(committed)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page_errors: list[str] = []
    console_errors: list[str] = []
    step = "launch Chromium"
    t0 = time.monotonic()
    timings: dict[str, float] = {}

    def mark(name: str) -> None:
        timings[name] = round(time.monotonic() - t0, 1)

    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS,
                                     timeout=deadline.ms(60))
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 720})
            page.on("pageerror", lambda e: page_errors.append(str(e)))
            page.on("console", lambda m: console_errors.append(m.text)
                    if m.type == "error" else None)
            try:
                step = "open the notebook and Run All Cells"
                cells = open_and_run_all(page, lab, NOTEBOOK, deadline, run_seconds=150)
                mark("all cells run")
                not_run = [c for c in cells if c["type"] == "code" and c["count"] is None]
                assert not not_run, f"cells that Run All did not run: {not_run}"

                step = "the explorer renders in the notebook"
                page.locator(".course-app img").first.wait_for(timeout=deadline.ms(30))
                page.wait_for_function(JS_IMAGE_LOADED, arg="", timeout=deadline.ms(30))

                step = "move the slider in the notebook"
                old, new = move_first_slider(page, deadline, "notebook")
                assert old != new
                page.screenshot(path=str(ARTIFACTS / "browser-notebook-widget.png"))
                mark("slider moved in the notebook")

                step = "start the deck on the explorer's slide"
                widget_cell = page.locator(".jp-CodeCell").filter(
                    has=page.locator(".course-app")).first
                widget_cell.locator(".jp-InputPrompt").first.click(timeout=deadline.ms(20))
                page.locator(".jp-NotebookPanel-toolbar [data-command='deck:toggle']").click(
                    timeout=deadline.ms(20))
                page.wait_for_selector("body[data-jp-deck-mode='presenting']",
                                       state="attached", timeout=deadline.ms(20))
                try:
                    page.locator(".course-app img").first.wait_for(state="visible",
                                                                   timeout=deadline.ms(20))
                except sync_api.TimeoutError:
                    import nbformat
                    from deck_compat import hidden_in_deck

                    hidden = hidden_in_deck(nbformat.read(committed, as_version=4))
                    raise AssertionError(
                        "the deck is on but the explorer is not on screen"
                        + (f": cells {hidden} have slide_type '-', which jupyterlab-deck 0.2 "
                           f"never shows; run python tools/deck_compat.py notebooks/{NOTEBOOK}"
                           if hidden else "")) from None

                step = "move the slider in the deck"
                old, new = move_first_slider(page, deadline, "deck")
                assert old != new
                page.screenshot(path=str(ARTIFACTS / "browser-deck-widget.png"))
                mark("slider moved in the deck")

                step = "leave the deck"
                page.locator(".jp-Deck-Remote .jp-deck-mod-stop").click(timeout=deadline.ms(20))
                page.wait_for_function(
                    "() => !document.body.hasAttribute('data-jp-deck-mode')",
                    timeout=deadline.ms(20))

                step = "no error anywhere"
                text = page.locator(".jp-NotebookPanel").first.inner_text()
                shown = [e for e in WIDGET_ERRORS if e.lower() in text.lower()]
                assert not shown, f"the page shows widget errors: {shown}"
                tracebacks = [t for t in page.locator(
                    ".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']"
                ).all_inner_texts() if "Traceback" in t]
                assert not tracebacks, f"tracebacks on stderr: {tracebacks}"
                messages = page.locator(".course-app-message").all_inner_texts()
                assert not messages, f"an explorer shows a message instead of a figure: {messages}"
                toasts = page.locator(".Toastify__toast").all_inner_texts()
                assert not [t for t in toasts if "news" in t.lower()], (
                    f"JupyterLab asks about news (settings override not applied?): {toasts}")
                assert not page_errors, f"uncaught exceptions in the page: {page_errors}"
                widget_console = [m for m in console_errors
                                  if any(e.lower() in m.lower() for e in WIDGET_ERRORS)]
                assert not widget_console, f"widget errors in the console: {widget_console}"
                mark("checked")
            except BaseException:
                name = re.sub(r"\W+", "-", step).strip("-").lower()
                with contextlib.suppress(Exception):
                    page.screenshot(path=str(ARTIFACTS / f"browser-failed-{name}.png"))
                with contextlib.suppress(Exception):
                    (ARTIFACTS / "browser-failed-server.log").write_text(lab.log())
                print(f"browser test failed at step: {step}; timings {timings}; page errors: "
                      f"{page_errors[-5:]}; console errors: {console_errors[-10:]}; "
                      f"artifacts in {ARTIFACTS}")
                raise
        finally:
            browser.close()
    print(f"browser test timings (s since Chromium started): {timings}")
    assert digest(committed) == before_digest, f"the test changed the committed {committed}"


# --- every slider of every explorer, in every notebook that has one -------------------------------

EXPLORER_CALL = re.compile(r"\b\w+_(explorer|playground)\(")


def _explorer_notebooks() -> list[str]:
    import nbformat

    names = []
    for path in sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        if any(c.cell_type == "code" and EXPLORER_CALL.search(c.source) for c in nb.cells):
            names.append(path.name)
    return names


JS_APP_STATE = """(i) => {
  const app = document.querySelectorAll('.course-app')[i];
  if (!app) return null;
  const img = app.querySelector('img');
  const msg = app.querySelector('.course-app-message');
  const shown = img && img.complete && img.naturalWidth > 0 && getComputedStyle(img).display !== 'none';
  return (shown ? img.src : '') + '|' + (msg ? msg.textContent : '');
}"""
JS_APP_CHANGED = """([i, old]) => {
  const app = document.querySelectorAll('.course-app')[i];
  if (!app) return false;
  const img = app.querySelector('img');
  const msg = app.querySelector('.course-app-message');
  const shown = img && img.complete && img.naturalWidth > 0 && getComputedStyle(img).display !== 'none';
  const now = (shown ? img.src : '') + '|' + (msg ? msg.textContent : '');
  return now !== old && now !== '|';
}"""


def drag_slider(page, app_index: int, slider_index: int, deadline, where: str) -> None:
    """Drag one slider of one explorer with the mouse; wait until the explorer's output (its
    picture, or its message for a setting that makes no sense) changes."""
    slider = page.locator(".course-app").nth(app_index).locator(".widget-slider").nth(slider_index)
    handle, track = slider.locator(".noUi-handle").first, slider.locator(".noUi-target").first
    readout = slider.locator(".widget-readout").first
    for fraction in (None, 0.5, 0.05):
        handle.scroll_into_view_if_needed(timeout=deadline.ms(20))
        before, state = readout.inner_text(), page.evaluate(JS_APP_STATE, app_index)
        hb, tb = settled_box(handle, deadline), settled_box(track, deadline)
        assert hb and tb, f"{where}: slider {slider_index} is not laid out"
        x0, y = hb["x"] + hb["width"] / 2, hb["y"] + hb["height"] / 2
        if fraction is None:
            fraction = 0.8 if x0 < tb["x"] + tb["width"] / 2 else 0.15
        page.mouse.move(x0, y)
        page.mouse.down()
        page.mouse.move(tb["x"] + tb["width"] * fraction, y, steps=8)
        page.mouse.up()
        if readout.inner_text() == before:
            continue  # the drag landed on the same value: try another spot
        try:
            page.wait_for_function(JS_APP_CHANGED, arg=[app_index, state],
                                   timeout=deadline.ms(30), polling=100)
            return
        except sync_api.TimeoutError:
            continue
    state = page.evaluate(JS_APP_STATE, app_index)
    if state.startswith("|") and len(state) > 1:
        return  # the explorer explains why this setting makes no sense, and still does: fine
    raise AssertionError(f"{where}: slider {slider_index} ({readout.inner_text()!r}) was dragged "
                         "but the explorer's output never changed")


def _wait_changed(page, app_index: int, state: str, deadline, where: str) -> None:
    try:
        page.wait_for_function(JS_APP_CHANGED, arg=[app_index, state], timeout=deadline.ms(30),
                               polling=100)
    except sync_api.TimeoutError:
        raise AssertionError(f"{where}: the control changed but the explorer's output did not")


def press_other_button(page, app_index: int, group_index: int, deadline, where: str) -> None:
    """Click a toggle button that is not the selected one; the explorer's output must change."""
    group = page.locator(".course-app").nth(app_index).locator(".widget-toggle-buttons").nth(
        group_index)
    button = group.locator("button:not(.mod-active)").first
    button.scroll_into_view_if_needed(timeout=deadline.ms(20))
    state = page.evaluate(JS_APP_STATE, app_index)
    button.click(timeout=deadline.ms(20))
    _wait_changed(page, app_index, state, deadline, where)


def choose_other_option(page, app_index: int, index: int, deadline, where: str) -> None:
    """Pick another entry of a dropdown; the explorer's output must change."""
    select = page.locator(".course-app").nth(app_index).locator(".widget-dropdown select").nth(
        index)
    select.scroll_into_view_if_needed(timeout=deadline.ms(20))
    values = select.locator("option").evaluate_all("os => os.map(o => o.value)")
    current = select.input_value()
    other = next(v for v in values if v != current)
    state = page.evaluate(JS_APP_STATE, app_index)
    select.select_option(other, timeout=deadline.ms(20))
    _wait_changed(page, app_index, state, deadline, where)


@pytest.mark.parametrize("notebook", _explorer_notebooks())
def test_every_control_moves_its_explorer(lab, notebook):
    """Run the notebook in JupyterLab, then drag every slider of every explorer in it (and press a
    toggle button, pick a dropdown entry): each must change what the explorer shows, and nothing
    may raise or show a traceback."""
    deadline = Deadline(max(TOTAL_SECONDS, 420))
    committed = NOTEBOOKS / notebook
    before_digest = digest(committed)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page_errors: list[str] = []
    step = "launch Chromium"
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS,
                                     timeout=deadline.ms(60))
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.on("pageerror", lambda e: page_errors.append(str(e)))
            try:
                step = "open the notebook and Run All Cells"
                open_and_run_all(page, lab, notebook, deadline, run_seconds=300)
                n_apps = page.locator(".course-app").count()
                assert n_apps, "no explorer rendered after Run All"
                moved = 0
                for i in range(n_apps):
                    app = page.locator(".course-app").nth(i)
                    # buttons and dropdowns first, from the explorer's valid start; then sliders,
                    # which may also lead it to a setting it answers with a message
                    for j in range(app.locator(".widget-toggle-buttons").count()):
                        step = f"explorer {i}, buttons {j}"
                        press_other_button(page, i, j, deadline, f"{notebook}, {step}")
                        moved += 1
                    for j in range(app.locator(".widget-dropdown select").count()):
                        step = f"explorer {i}, dropdown {j}"
                        choose_other_option(page, i, j, deadline, f"{notebook}, {step}")
                        moved += 1
                    for j in range(app.locator(".widget-slider").count()):
                        step = f"explorer {i}, slider {j}"
                        drag_slider(page, i, j, deadline, f"{notebook}, {step}")
                        moved += 1
                assert moved, "no control found in the explorers"
                step = "no error anywhere"
                text = page.locator(".jp-NotebookPanel").first.inner_text()
                assert not [e for e in WIDGET_ERRORS if e.lower() in text.lower()]
                tracebacks = [t for t in page.locator(
                    ".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']"
                ).all_inner_texts() if "Traceback" in t]
                assert not tracebacks, f"tracebacks on stderr: {tracebacks}"
                assert not page_errors, f"uncaught exceptions in the page: {page_errors}"
                print(f"{notebook}: moved {moved} controls in {n_apps} explorers")
            except BaseException:
                name = re.sub(r"\W+", "-", f"{notebook}-{step}").strip("-").lower()
                with contextlib.suppress(Exception):
                    page.screenshot(path=str(ARTIFACTS / f"browser-failed-{name}.png"))
                print(f"browser test failed at step: {step}; page errors: {page_errors[-5:]}")
                raise
        finally:
            browser.close()
    assert digest(committed) == before_digest, f"the test changed the committed {committed}"
