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
