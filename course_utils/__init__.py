"""course_utils: the library behind the course notebooks.

Reference implementations (NumPy layers), models, data loaders, plots and widgets. Importing the
package does no work: no seeding, no rcParams, no torch import. Notebooks call, once, in their
setup cell::

    from course_utils import seed_everything, get_device
    rng = seed_everything(0)      # random, NumPy, torch; returns a NumPy Generator
    device = get_device()         # cuda, then mps, then cpu

The NumPy layers (:mod:`course_utils.layers`) share one convention and one dtype policy:

* ``name_forward(...)`` returns ``(out, cache)`` and ``name_backward(dout, cache)`` the gradients
  (the cache is opaque: pass it back unchanged); ``name(...)`` is the forward pass alone.
* Integer and bool inputs become float64 before any arithmetic (a uint8 image never wraps
  around; max pooling of integers returns float64 too); floating inputs keep their precision, so
  a result's dtype is ``np.result_type`` of the floating inputs (float32 in, float32 out).
"""
from .repro import get_device, seed_everything

__version__ = "0.1.0"  # the only place the version is written: pyproject.toml reads it from here
__all__ = ["seed_everything", "get_device", "__version__"]
