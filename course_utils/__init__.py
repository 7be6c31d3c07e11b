"""course_utils: the library behind the course notebooks.

Reference implementations (NumPy layers), models, data loaders, plots and widgets. Importing the
package does no work: no seeding, no rcParams, no torch import. Notebooks call, once, in their
setup cell::

    from course_utils import seed_everything, get_device
    rng = seed_everything(0)      # random, NumPy, torch; returns a NumPy Generator
    device = get_device()         # cuda, then mps, then cpu
"""
from .repro import get_device, seed_everything

__version__ = "0.1.0"
__all__ = ["seed_everything", "get_device", "__version__"]
