"""Test-wide set-up: the network is off for every test and every notebook kernel nbval starts.

tools/offline/sitecustomize.py refuses connections to anything but this machine when
COURSE_OFFLINE=1; putting its folder on PYTHONPATH makes every Python process started from here
(nbval's kernels included) load it at start-up. This process gets it too.
"""
import os
import runpy
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
OFFLINE = ROOT / "tools" / "offline"

os.environ["COURSE_OFFLINE"] = "1"
os.environ["PYTHONPATH"] = os.pathsep.join(
    p for p in (str(OFFLINE), os.environ.get("PYTHONPATH", "")) if p)
# notebook kernels started from here must draw inline, as in Jupyter (Agg would show nothing)
os.environ["MPLBACKEND"] = "module://matplotlib_inline.backend_inline"
os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")  # quiet debugpy warning in kernels
runpy.run_path(str(OFFLINE / "sitecustomize.py"))
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "tools")]

collect_ignore_glob = ["tools/offline/*", "build/*", ".venv/*", "data/*"]


def _nbval_ignores_stderr() -> None:
    """nbval 0.11 compares stderr streams too; the course's convention (CONTRIBUTING.md) is that
    warnings and progress bars go to stderr and are not compared, since they vary between
    library versions and runs. Add 'stderr' to what nbval skips when comparing outputs."""
    try:
        from nbval import plugin
    except ImportError:  # nbval not installed: nothing to adjust
        return
    original = plugin.IPyNbFile.__init__
    if getattr(original, "_course_skips_stderr", False):
        return

    def __init__(self, *args, **kwargs):
        original(self, *args, **kwargs)
        self.skip_compare = tuple(self.skip_compare) + ("stderr",)

    __init__._course_skips_stderr = True
    plugin.IPyNbFile.__init__ = __init__


_nbval_ignores_stderr()
