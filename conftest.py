"""Test-wide set-up, for this process and for every notebook kernel the tests start (nbval's, the
student-version runs, the browser test's JupyterLab).

* The network is off. tools/offline/sitecustomize.py refuses connections to anything but this
  machine when COURSE_OFFLINE=1; putting its folder on PYTHONPATH makes every Python process
  started from here (kernels included) load it at start-up. This process gets it too.
* One thread for torch, OpenMP and MKL. The tests and notebooks use tiny tensors, where a second
  thread only adds synchronisation: on 2 shared cores the depth-gradient explorer builds in 1.7 s
  with one thread and 28 s with two. The environment variables reach the kernels; this process
  also calls ``torch.set_num_threads(1)``. (``make robust`` runs the notebooks with two threads
  too, so no claim depends on the thread count.)
* nbval does not compare stderr (warnings, progress bars), as CONTRIBUTING.md says; see
  :func:`pytest_collectstart`.

tests/ and tools/ are importable through pytest's ``pythonpath`` (pyproject.toml).
"""
import os
import runpy
from pathlib import Path

ROOT = Path(__file__).resolve().parent
OFFLINE = ROOT / "tools" / "offline"
THREAD_VARIABLES = ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS")

os.environ["COURSE_OFFLINE"] = "1"
os.environ["PYTHONPATH"] = os.pathsep.join(
    p for p in (str(OFFLINE), os.environ.get("PYTHONPATH", "")) if p)
# notebook kernels started from here must draw inline, as in Jupyter (Agg would show nothing)
os.environ["MPLBACKEND"] = "module://matplotlib_inline.backend_inline"
os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")  # quiet debugpy warning in kernels
for _name in THREAD_VARIABLES:  # before torch is imported here, and before any kernel starts
    os.environ[_name] = "1"
runpy.run_path(str(OFFLINE / "sitecustomize.py"))

try:
    import torch
except ImportError:  # the few tests that need no torch can still run
    pass
else:
    torch.set_num_threads(1)

collect_ignore_glob = ["tools/offline/*", "build/*", ".venv/*", "data/*"]


def pytest_collectstart(collector):
    """nbval's documented way to skip more output keys (computationalmodelling/nbval#88): its
    notebook collector compares every output key not in ``skip_compare``, stderr streams included.
    The course's convention is that warnings and progress bars go to stderr and are not compared,
    since they vary between library versions and runs."""
    if type(collector).__module__.startswith("nbval") and hasattr(collector, "skip_compare"):
        if "stderr" not in collector.skip_compare:
            collector.skip_compare = tuple(collector.skip_compare) + ("stderr",)
