"""Reproducibility and device choice, in one explicit place.

Notebooks call both in their setup cell; nothing here runs at import time.
"""
from __future__ import annotations

import os
import random

import numpy as np

__all__ = ["seed_everything", "get_device", "DEVICE_ENV"]

DEVICE_ENV = "COURSE_DEVICE"
"""Environment variable that forces a device (``cpu``, ``cuda``, ``cuda:1``, ``mps``)."""

_announced: set[str] = set()


def seed_everything(seed: int = 0) -> np.random.Generator:
    """Seed Python's ``random``, NumPy's global state and torch (CPU and every GPU).

    Returns a fresh ``numpy.random.Generator`` seeded with ``seed``: use it for the notebook's own
    NumPy randomness, so a cell's result does not depend on which cells ran before.

    >>> rng = seed_everything(3)
    >>> float(rng.random()) == float(seed_everything(3).random())
    True
    """
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
        raise ValueError(f"seed must be an integer, got {seed!r}")
    if not 0 <= int(seed) < 2**32:
        raise ValueError(f"seed must be in [0, 2**32), got {seed}")
    seed = int(seed)
    random.seed(seed)
    np.random.seed(seed)
    import torch  # lazy: importing course_utils stays cheap

    torch.manual_seed(seed)  # also seeds every CUDA device
    return np.random.default_rng(seed)


def get_device(verbose: bool = True):
    """The device the course runs on: CUDA if available, then Apple's MPS, then the CPU.

    Set the environment variable ``COURSE_DEVICE`` (e.g. ``cpu``) to force one. With
    ``verbose=True`` the choice is printed once per process.
    """
    import torch

    forced = os.environ.get(DEVICE_ENV, "").strip()
    if forced:
        try:
            device = torch.device(forced)
        except RuntimeError as e:
            raise ValueError(f"{DEVICE_ENV}={forced!r} is not a device torch knows "
                             "(allowed: cpu, cuda, cuda:N, mps)") from e
        if device.type == "cuda" and not torch.cuda.is_available():
            raise ValueError(f"{DEVICE_ENV}={forced!r} but CUDA is not available here")
        if device.type == "mps" and not _mps_available():
            raise ValueError(f"{DEVICE_ENV}={forced!r} but MPS is not available here")
    elif torch.cuda.is_available():
        device = torch.device("cuda")
    elif _mps_available():
        device = torch.device("mps")
    else:
        device = torch.device("cpu")
    if verbose and str(device) not in _announced:
        _announced.add(str(device))
        name = torch.cuda.get_device_name(device) if device.type == "cuda" else ""
        print(f"Using device: {device}" + (f" ({name})" if name else ""))
    return device


def _mps_available() -> bool:
    import torch

    backend = getattr(torch.backends, "mps", None)
    return bool(backend is not None and backend.is_available())


def resolve_device(device):
    """``device`` as a torch.device that exists here (None: :func:`course_utils.get_device`).

    Names are parsed as ``COURSE_DEVICE`` is by :func:`course_utils.repro.get_device`: "cpu",
    "cuda", "cuda:N" or "mps"; an unknown name or a device this machine lacks is a ValueError.
    """
    import torch

    if device is None:
        return get_device(verbose=False)
    if isinstance(device, torch.device):
        parsed = device
    elif isinstance(device, str):
        try:
            parsed = torch.device(device.strip())
        except (RuntimeError, ValueError):
            raise ValueError(f"device={device!r} is not a device torch knows (allowed: cpu, cuda, "
                             "cuda:N, mps, or None for the course's choice)") from None
    else:
        raise ValueError(f"device must be None, a name such as 'cpu' or 'cuda', or a torch.device; "
                         f"got {type(device).__name__} {device!r}")
    if parsed.type == "cuda":
        if not torch.cuda.is_available():
            raise ValueError(f"device={device!r} but CUDA is not available here; use device=None "
                             "(the course picks one) or 'cpu'")
        if parsed.index is not None and parsed.index >= torch.cuda.device_count():
            raise ValueError(f"device={device!r} but this machine has "
                             f"{torch.cuda.device_count()} CUDA device(s)")
    elif parsed.type == "mps" and not _mps_available():
        raise ValueError(f"device={device!r} but MPS is not available here; use device=None "
                         "or 'cpu'")
    elif parsed.type not in ("cpu", "cuda", "mps"):
        raise ValueError(f"device={device!r}: the course runs on cpu, cuda or mps")
    return parsed
