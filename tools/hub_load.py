#!/usr/bin/env python3
"""A JupyterHub for a class, on this machine, with simulated students: the load benchmark.

    python tools/hub_load.py --students 2                 # one round of 2 students (~1 min)
    python tools/hub_load.py --students 2,4,8,12 --minutes 25   # rounds until one fails
    python tools/hub_load.py --links [--hub URL --repo URL]     # the nbgitpuller link table

One round starts the class hub, ``deploy/jupyterhub_config.py`` itself (``load_subconfig``), on a
free localhost port, with two test-only changes: JupyterHub's ``DummyAuthenticator`` (one shared
password) and ``SimpleLocalProcessSpawner`` (no system users; each student's home is a
temporary folder). The proxy is ``configurable-http-proxy`` from the PATH (the Python port from
PyPI in the course's venv: docs/instructors.md says why). Then N students, each in its own
browser context of one headless Chromium (Playwright, as tests/test_browser.py), all at once:

1. log in, and follow the nbgitpuller link of the notebook, which clones the course from a local
   bare clone of this repository (``file://``: no network; a class uses the GitHub URL) into the
   student's home and opens the notebook in JupyterLab;
2. Run All (the notebook's own code, its kernel, its outputs);
3. once every student has run the notebook, all move the notebook's first explorer slider with
   the keyboard, ``--moves`` times each, one move every ``--think`` seconds (staggered), timing
   each from the key press to the new picture on screen.

Chromium runs at a lower priority (nice 10): in a class each browser runs on the student's own
laptop, so the hub's machine should spend its CPU on the hub, the servers and the kernels.

The round reports the slider response times (median, 90th and 95th percentile, worst), the
time to log in and pull, to Run All, and the memory of every student's server and kernel (RSS of
its process tree, measured after the round) and the machine's available memory. A round passes
when every step worked, the 95th percentile is at most ``--max-response`` (1 s) and the machine
kept at least 1 GB available; rounds go up in students until one fails or ``--minutes`` is spent.
The last passing round is the figure for docs/instructors.md. Everything stops at the end: hub,
proxy, servers and kernels (their process groups), and the temporary folder is removed.

tests/test_hub.py runs one round of 2 students (``run_round``) and checks the link table.
Bounded: at most ``MAX_STUDENTS`` students, every wait bounded by the round's deadline.
"""
from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEPLOY_CONFIG = ROOT / "deploy" / "jupyterhub_config.py"
LINKS = ROOT / "deploy" / "links.md"
TARGET = "dl-course"  # the folder nbgitpuller clones into, in each student's home
PUBLIC_REPO = "https://github.com/OWNER/REPO"  # as in README.md's Binder badge
PUBLIC_HUB = "https://hub.example.edu"
MAX_STUDENTS = 64
VENV_BIN = Path(sys.executable).parent


def nbgitpuller_link(hub: str, repo: str, notebook: str, branch: str = "main",
                     target: str = TARGET) -> str:
    """The link that pulls ``repo`` into ``~/target`` and opens ``notebooks/<notebook>`` in
    JupyterLab (nbgitpuller's documented parameters: repo, branch, targetpath, urlpath).

    >>> nbgitpuller_link("https://hub.example.edu", "https://github.com/o/r", "00_a.ipynb")
    'https://hub.example.edu/hub/user-redirect/git-pull?repo=https%3A%2F%2Fgithub.com%2Fo%2Fr&branch=main&targetpath=dl-course&urlpath=lab%2Ftree%2Fdl-course%2Fnotebooks%2F00_a.ipynb'
    """
    if not notebook.endswith(".ipynb") or "/" in notebook:
        raise ValueError(f"notebook must be a file name NN_topic.ipynb, got {notebook!r}")
    query = urllib.parse.urlencode({"repo": repo, "branch": branch, "targetpath": target,
                                    "urlpath": f"lab/tree/{target}/notebooks/{notebook}"})
    return f"{hub.rstrip('/')}/hub/user-redirect/git-pull?{query}"


def binder_link(repo: str, notebook: str, ref: str = "HEAD") -> str:
    """mybinder.org's link that opens ``notebooks/<notebook>`` of a GitHub ``repo`` in JupyterLab.

    >>> binder_link("https://github.com/o/r", "00_a.ipynb")
    'https://mybinder.org/v2/gh/o/r/HEAD?labpath=notebooks%2F00_a.ipynb'
    """
    prefix = "https://github.com/"
    if not repo.startswith(prefix):
        raise ValueError(f"repo must be a GitHub URL {prefix}OWNER/NAME, got {repo!r}")
    return (f"https://mybinder.org/v2/gh/{repo[len(prefix):].strip('/')}/{ref}?"
            + urllib.parse.urlencode({"labpath": f"notebooks/{notebook}"}))


def links_markdown(hub: str = PUBLIC_HUB, repo: str = PUBLIC_REPO, branch: str = "main") -> str:
    """deploy/links.md: per notebook, its nbgitpuller link and its Binder link (``--links``)."""
    names = sorted(p.name for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    rows = [f"| {n[:2]} | [{n}]({nbgitpuller_link(hub, repo, n, branch)}) | "
            f"[Binder]({binder_link(repo, n, branch if branch != 'main' else 'HEAD')}) |"
            for n in names]
    return "\n".join([
        "# Links for a class: one per notebook",
        "",
        f"Generated by `python tools/hub_load.py --links --hub {hub} --repo {repo}"
        + ("`" if branch == "main" else f" --branch {branch}`") + ": replace",
        "the hub and the repository by yours and regenerate (tests/test_hub.py checks that this",
        "file is up to date). **Hub**: the nbgitpuller link logs the student in, clones the course",
        f"into `~/{TARGET}` the first time, pulls new commits on later clicks (the student's own",
        "edits are kept) and opens the notebook (nbgitpuller's own link generator makes the same:",
        "https://nbgitpuller.readthedocs.io/en/latest/link.html). **Binder**: a temporary session on",
        "mybinder.org, nothing saved (docs/instructors.md).",
        "",
        "| # | On the class hub | On Binder |",
        "|---|---|---|",
        *rows, ""])


def course_remote(tmp: Path) -> tuple[str, str]:
    """A bare clone of this repository's committed history, as a ``file://`` URL, and its branch."""
    bare = tmp / f"{TARGET}.git"
    subprocess.run(["git", "clone", "--bare", "--quiet", str(ROOT), str(bare)], check=True)
    branch = subprocess.run(["git", "-C", str(bare), "rev-parse", "--abbrev-ref", "HEAD"],
                            capture_output=True, text=True, check=True).stdout.strip()
    if branch == "HEAD":  # a detached checkout (some CI): name its commit
        branch = "course"
        subprocess.run(["git", "-C", str(bare), "branch", "-f", branch, "HEAD"], check=True)
    return bare.as_uri(), branch


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


TEST_CONFIG = """\
# generated by tools/hub_load.py: the class hub with a test authenticator and spawner
c = get_config()  # noqa
load_subconfig({deploy!r})
c.JupyterHub.authenticator_class = "dummy"
c.DummyAuthenticator.password = {password!r}
c.Authenticator.allowed_users = set({users!r})
c.Authenticator.admin_users = set()
c.JupyterHub.spawner_class = "simple"
c.SimpleLocalProcessSpawner.home_dir_template = {homes!r} + "/{{username}}"
c.Spawner.args = {args!r}
c.Spawner.env_keep = ["PATH", "PYTHONPATH", "VIRTUAL_ENV", "LANG", "LC_ALL",
                      "JUPYTERHUB_SINGLEUSER_APP", "COURSE_OFFLINE", "COURSE_DATA_DIR"]
c.JupyterHub.bind_url = "http://127.0.0.1:{port}"
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = {hub_port}
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:{api_port}"
c.ConfigurableHTTPProxy.pid_file = {tmp!r} + "/proxy.pid"
c.JupyterHub.db_url = "sqlite:///" + {tmp!r} + "/jupyterhub.sqlite"
c.JupyterHub.cookie_secret_file = {tmp!r} + "/cookie_secret"
c.JupyterHub.pid_file = {tmp!r} + "/jupyterhub.pid"
c.JupyterHub.cleanup_servers = True
"""


class Hub:
    """The class hub on a free localhost port, in ``tmp``; stopped by :meth:`stop`."""

    def __init__(self, tmp: Path, users: list[str]):
        self.tmp, self.users, self.password = tmp, users, secrets.token_hex(8)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        (tmp / "homes").mkdir()
        args = ["--LabApp.expose_app_in_browser=True"]  # window.jupyterapp: the test reads models
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            args.append("--allow-root")  # containers and CI run as root
        config = tmp / "jupyterhub_config.py"
        config.write_text(TEST_CONFIG.format(
            deploy=str(DEPLOY_CONFIG), password=self.password, users=sorted(users),
            homes=str(tmp / "homes"), args=args, port=self.port, hub_port=free_port(),
            api_port=free_port(), tmp=str(tmp)))
        from nbrun import offline_env

        env = offline_env()  # the kernels: no network, one thread (OMP_NUM_THREADS=1)
        env["PATH"] = os.pathsep.join([str(VENV_BIN), env.get("PATH", "")])
        env.pop("MPLBACKEND", None)
        self.log_path = tmp / "jupyterhub.log"
        self._log = open(self.log_path, "wb")
        self.proc = subprocess.Popen([str(VENV_BIN / "jupyterhub"), "-f", str(config)],
                                     stdout=self._log, stderr=subprocess.STDOUT, env=env,
                                     cwd=tmp, start_new_session=True)

    def log(self, tail: int = 6000) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-tail:]
        except OSError:
            return ""

    def wait_ready(self, at_most: float = 60) -> None:
        end = time.monotonic() + at_most
        while time.monotonic() < end:
            if self.proc.poll() is not None:
                raise RuntimeError(f"jupyterhub exited with {self.proc.returncode}:\n{self.log()}")
            try:
                with urllib.request.urlopen(f"{self.url}/hub/health", timeout=3):
                    return
            except OSError:
                time.sleep(0.3)
        raise TimeoutError(f"the hub did not answer within {at_most:.0f} s:\n{self.log()}")

    def family(self) -> list:
        import psutil

        try:
            return psutil.Process(self.proc.pid).children(recursive=True)
        except psutil.Error:
            return []

    def memory_by_user(self) -> dict[str, float]:
        """MB of memory per student: their server and its kernels (process trees), as PSS
        (proportional set size: a page shared by k processes counts 1/k in each, so the sum over
        students is what they take together; RSS would count shared libraries once per kernel)."""
        import psutil

        out = {}
        for proc in self.family():
            with contextlib.suppress(psutil.Error):
                if "jupyterhub-singleuser" not in " ".join(proc.cmdline()):
                    continue
                user = proc.environ().get("JUPYTERHUB_USER", "?")
                pss = sum(p.memory_full_info().pss
                          for p in [proc, *proc.children(recursive=True)])
                out[user] = out.get(user, 0) + pss / 2**20
        return out

    def stop(self) -> None:
        """SIGTERM the hub (it stops the servers and the proxy: cleanup_servers), then kill
        whatever is left of its process tree."""
        family = self.family()
        if self.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=10)
        for proc in family:  # servers and kernels run in their own sessions
            with contextlib.suppress(Exception):
                proc.kill()
        self._log.close()


@dataclass
class Student:
    name: str
    login_pull_s: float = float("nan")
    run_s: float = float("nan")
    responses_s: list[float] = field(default_factory=list)
    error: str = ""


def _browser_js():
    sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "tools")]
    import test_browser

    return test_browser


class Together:
    """Where the students wait for each other: the slider moves start when every student has
    run the notebook (or failed), so that they measure a class working, not a class logging in."""

    def __init__(self, n: int):
        self.left, self.event = n, asyncio.Event()

    def arrive(self) -> None:
        self.left -= 1
        if self.left <= 0:
            self.event.set()


async def student_session(browser, hub: Hub, student: Student, notebook: str, link: str,
                          moves: int, think: float, end: float, together: Together,
                          offset: float = 0.0) -> None:
    """One student: log in, follow the link, Run All, wait for the others, then move the first
    slider ``moves`` times, one move every ``think`` seconds (starting ``offset`` s later)."""
    tb = _browser_js()
    arrived = False
    left = lambda: 1000 * max(1.0, end - time.monotonic())
    context = await browser.new_context(viewport={"width": 1280, "height": 720})
    page = await context.new_page()
    try:
        start = time.monotonic()
        next_url = link[len(hub.url):]
        await page.goto(f"{hub.url}/hub/login?next={urllib.parse.quote(next_url)}",
                        timeout=left())
        await page.fill("#username_input", student.name)
        await page.fill("#password_input", hub.password)
        await page.click("#login_submit")
        path = f"{TARGET}/notebooks/{notebook}"
        await page.wait_for_selector(".jp-NotebookPanel .jp-Cell", timeout=left())
        await page.wait_for_function(tb.JS_KERNEL_IDLE, arg=path, timeout=left(), polling=250)
        student.login_pull_s = time.monotonic() - start

        start = time.monotonic()
        await page.evaluate(tb.JS_CLEAR_ALL)
        await page.wait_for_function(tb.JS_ALL_CLEARED, timeout=left(), polling=100)
        await page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
        await page.wait_for_function(tb.JS_RUN_FINISHED, timeout=left(), polling=300)
        cells = await page.evaluate(tb.JS_CELL_REPORT)
        errors = [c for c in cells if c["errors"]]
        if errors:
            raise AssertionError(f"cells raised errors: {errors}")
        student.run_s = time.monotonic() - start
        together.arrive()
        arrived = True
        await asyncio.wait_for(together.event.wait(), timeout=max(1.0, end - time.monotonic()))
        await asyncio.sleep(offset)

        app = ".course-app"
        await page.locator(app + " img").first.wait_for(timeout=left())
        handle = page.locator(app).first.locator(".widget-slider .noUi-handle").first
        await handle.scroll_into_view_if_needed(timeout=left())
        for i in range(moves):  # one step up, one back (down at the slider's maximum)
            now = float(await handle.get_attribute("aria-valuenow"))
            low = float(await handle.get_attribute("aria-valuemin"))
            top = float(await handle.get_attribute("aria-valuemax"))
            key = "ArrowLeft" if now >= top or (i % 2 and now > low) else "ArrowRight"
            state = await page.evaluate(tb.JS_APP_STATE, app)
            t0 = time.monotonic()
            await handle.press(key, timeout=left())
            await page.wait_for_function(tb.JS_APP_CHANGED, arg=[app, state], timeout=left(),
                                         polling="raf")
            student.responses_s.append(time.monotonic() - t0)
            await asyncio.sleep(think)
    except Exception as exc:  # reported in the round's result, never raised from here
        student.error = f"{type(exc).__name__}: {str(exc)[:300]}"
        if not arrived:
            together.arrive()
        with contextlib.suppress(Exception):
            await page.screenshot(path=str(hub.tmp / f"failed-{student.name}.png"))
    finally:
        await context.close()


@dataclass
class Round:
    students: list[Student]
    memory_mb: dict[str, float]
    available_mb: float
    seconds: float
    max_response: float = 1.0
    hub_log: str = ""   # the hub's log (the proxy's and the services' lines included)

    @property
    def responses(self) -> list[float]:
        return sorted(r for s in self.students for r in s.responses_s)

    def percentile(self, q: float) -> float:
        r = self.responses
        return r[min(len(r) - 1, round(q / 100 * (len(r) - 1)))] if r else float("nan")

    @property
    def errors(self) -> list[str]:
        return [f"{s.name}: {s.error}" for s in self.students if s.error]

    @property
    def passed(self) -> bool:
        return (not self.errors and bool(self.responses)
                and self.percentile(95) <= self.max_response and self.available_mb >= 1024)

    def report(self) -> str:
        mem = list(self.memory_mb.values())
        n = len(self.students)
        return "\n".join([
            f"{n} students in {self.seconds:.0f} s: "
            + ("within the target" if self.passed else "NOT within the target")
            + f" (every step worked, slider p95 <= {self.max_response:g} s, 1 GB left)",
            f"  slider response (s), {len(self.responses)} moves: median "
            f"{self.percentile(50):.2f}, p90 {self.percentile(90):.2f}, p95 "
            f"{self.percentile(95):.2f}, worst {max(self.responses, default=float('nan')):.2f}",
            "  log in + pull + open (s): " + ", ".join(f"{s.login_pull_s:.1f}"
                                                       for s in self.students),
            "  Run All (s): " + ", ".join(f"{s.run_s:.1f}" for s in self.students),
            f"  memory per student (MB PSS, server + kernel): mean "
            f"{statistics.mean(mem) if mem else float('nan'):.0f}, max "
            f"{max(mem, default=float('nan')):.0f}; machine available {self.available_mb:.0f} MB",
            *(f"  error {e}" for e in self.errors)])


async def _students(hub: Hub, names: list[str], notebook: str, link: str, moves: int,
                    think: float, end: float) -> list[Student]:
    from playwright.async_api import async_playwright

    tb = _browser_js()
    if tb.CHROMIUM is None:
        raise RuntimeError("no Chromium (set COURSE_CHROMIUM=/path/to/chrome)")
    students = [Student(n) for n in names]
    together = Together(len(students))
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=tb.CHROMIUM, args=tb.CHROMIUM_ARGS)
        lower_priority("chrom")   # the browsers: on the students' own laptops in a class
        try:
            await asyncio.gather(*(student_session(
                browser, hub, s, notebook, link, moves, think, end, together,
                offset=think * k / len(students)) for k, s in enumerate(students)))
        finally:
            await browser.close()
    return students


def lower_priority(name: str, niceness: int = 10) -> None:
    """Renice this process's descendants whose name contains ``name`` (their later children
    inherit it), so that the machine's CPU goes to the hub first."""
    import psutil

    for proc in psutil.Process().children(recursive=True):
        with contextlib.suppress(psutil.Error):
            if name in proc.name().lower():
                proc.nice(niceness)


def run_round(n: int, notebook: str = "00_start_here.ipynb", moves: int = 10,
              think: float = 1.0, seconds: float = 300, max_response: float = 1.0,
              keep: Path | None = None) -> Round:
    """Start the hub, run ``n`` students at once, measure, stop everything. Never more than
    ``seconds`` of waiting for the students."""
    import psutil

    if not 1 <= n <= MAX_STUDENTS:
        raise ValueError(f"n (students) must be between 1 and {MAX_STUDENTS}, got {n}")
    start = time.monotonic()
    tmp = Path(tempfile.mkdtemp(prefix="course-hub-"))
    hub = None
    try:
        repo, branch = course_remote(tmp)
        names = [f"student{i + 1:02d}" for i in range(n)]
        hub = Hub(tmp, names)
        hub.wait_ready()
        link = nbgitpuller_link(hub.url, repo, notebook, branch)
        students = asyncio.run(_students(hub, names, notebook, link, moves, think,
                                         start + seconds))
        memory = hub.memory_by_user()
        available = psutil.virtual_memory().available / 2**20
        result = Round(students, memory, available, time.monotonic() - start, max_response)
        if result.errors:
            print(hub.log(3000))
    finally:
        if hub is not None:
            hub.stop()
            if keep is not None:
                shutil.copy(hub.log_path, keep)
            log = hub.log(tail=10**7)
        shutil.rmtree(tmp, ignore_errors=True)
    result.hub_log = log
    return result


def kernel_memory(paths: list[Path]) -> list[tuple[str, float, float, float]]:
    """Per notebook, run in a fresh kernel (network off, one thread, as the hub's kernels): the
    kernel's peak resident memory (VmHWM), what it still holds after the last cell (RSS), and its
    unique part (USS: what a second student's kernel adds; shared libraries count once), in MB."""
    import nbformat
    import psutil
    from nbclient import NotebookClient

    from nbrun import offline_env

    rows = []
    for path in paths:
        nb = nbformat.read(path, as_version=4)
        old = dict(os.environ)
        os.environ.update(offline_env(old), OMP_NUM_THREADS="1", MKL_NUM_THREADS="1")
        try:
            client = NotebookClient(nb, timeout=600, kernel_name="python3", allow_errors=True,
                                    resources={"metadata": {"path": str(path.parent)}})
            with client.setup_kernel():
                for index, cell in enumerate(nb.cells):
                    client.execute_cell(cell, index)
                pid = client.km.provisioner.pid
                status = Path(f"/proc/{pid}/status").read_text().splitlines()
                peak = next(int(x.split()[1]) / 1024 for x in status if x.startswith("VmHWM:"))
                info = psutil.Process(pid).memory_full_info()
        finally:
            os.environ.clear()
            os.environ.update(old)
        rows.append((path.name, peak, info.rss / 2**20, info.uss / 2**20))
        print(f"{path.name:34} peak {peak:6.0f} MB, held {info.rss / 2**20:6.0f} MB "
              f"(unique {info.uss / 2**20:6.0f} MB)", flush=True)
    return rows


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--students", default="2",
                   help="comma-separated round sizes, e.g. 2,4,8 (default 2)")
    p.add_argument("--notebook", default="00_start_here.ipynb")
    p.add_argument("--moves", type=int, default=10, help="slider moves per student")
    p.add_argument("--think", type=float, default=1.0, help="seconds between two moves")
    p.add_argument("--max-response", type=float, default=1.0,
                   help="95th-percentile slider response that passes (s)")
    p.add_argument("--minutes", type=float, default=20, help="time limit for all rounds")
    p.add_argument("--links", action="store_true", help="print deploy/links.md and stop")
    p.add_argument("--kernel-memory", nargs="*", metavar="NOTEBOOK",
                   help="per notebook (default: all), the memory its kernel holds, and stop")
    p.add_argument("--hub", default=PUBLIC_HUB)
    p.add_argument("--repo", default=PUBLIC_REPO)
    p.add_argument("--branch", default="main", help="the branch the links pull (--links)")
    a = p.parse_args(argv)
    if a.links:
        print(links_markdown(a.hub, a.repo, a.branch), end="")
        return 0
    if a.kernel_memory is not None:
        sys.path.insert(0, str(ROOT / "tools"))
        paths = [Path(p) for p in a.kernel_memory] or sorted(
            (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
        kernel_memory(paths)
        return 0
    sizes = [int(s) for s in a.students.split(",")]
    end = time.monotonic() + 60 * a.minutes
    best = 0
    for n in sizes:
        left = end - time.monotonic()
        if left < 60:
            print(f"time limit: {n} students not tried")
            break
        r = run_round(n, a.notebook, a.moves, a.think, min(left, 600), a.max_response)
        print(r.report(), flush=True)
        if not r.passed:
            break
        best = n
    print(f"students served (slider p95 <= {a.max_response:g} s, memory left): {best}")
    return 0 if best else 1


if __name__ == "__main__":
    sys.exit(main())
