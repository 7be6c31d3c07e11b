"""The full data sets (MNIST, Fashion-MNIST, CIFAR-10), downloaded with torchvision on request.

Notebooks call :func:`load_full_dataset` only when their ``FULL`` parameter asks for it. Without a
network it fails fast with :class:`DatasetUnavailable`.
"""
from __future__ import annotations

import os
import socket
from pathlib import Path

import numpy as np

from .._validate import check_choice
from .shipped import DATA_ENV_VAR, MNIST_SPLITS

__all__ = ["FULL_DATASETS", "DatasetUnavailable", "load_full_dataset"]

FULL_DATASETS = ("mnist", "fashion-mnist", "cifar10")
DOWNLOAD_TIMEOUT_S = 15.0


class DatasetUnavailable(RuntimeError):
    """A full data set is not on disk and could not be downloaded."""


def _default_full_root() -> Path:
    env = os.environ.get(DATA_ENV_VAR)
    if env:
        return Path(env).expanduser() / "full"
    return Path.home() / ".cache" / "course_utils"


def _full_dataset_class(name: str):
    import torchvision.datasets as tvd  # lazily: heavy

    return {"mnist": tvd.MNIST, "fashion-mnist": tvd.FashionMNIST, "cifar10": tvd.CIFAR10}[name]


def _manual_hint(name: str, cls, root: Path) -> str:
    if name == "cifar10":
        files, where = cls.filename, f"{root} (or extract it there, giving {root / cls.base_folder})"
        urls, them = cls.url, "it"
    else:
        files, where = ", ".join(f for f, _ in cls.resources), str(root / cls.__name__ / "raw")
        urls, them = " or ".join(cls.mirrors), "them"
    return (f"To install it by hand, download {files} from {urls} on a connected machine "
            f"and put {them} in {where}.")


def load_full_dataset(name: str, split: str = "train",
                      root: str | os.PathLike | None = None) -> tuple[np.ndarray, np.ndarray]:
    """A full data set through torchvision, downloaded into ``root`` on first use.

    name: "mnist", "fashion-mnist" or "cifar10"; split: "train" or "test".
    root: download folder; default ``$COURSE_DATA_DIR/full`` if that variable is set, else
    ``~/.cache/course_utils``.

    Shapes: "mnist", "fashion-mnist" -> images uint8 (60000 or 10000, 28, 28)
            "cifar10"                -> images uint8 (50000 or 10000, 32, 32, 3)
            labels int64 (N,) in 0..9

    Files already in ``root`` are used without a network. Otherwise the download runs with
    a socket timeout of 15 s; if it fails, :class:`DatasetUnavailable` says so and how to
    place the files by hand. The shipped subset (:func:`load_mnist`) always works offline.
    """
    name = check_choice("full data set", name, FULL_DATASETS)
    split = check_choice("split", split, MNIST_SPLITS)
    if root is not None and not isinstance(root, (str, os.PathLike)):
        raise ValueError(f"root must be None or a folder path, got {type(root).__name__} {root!r}")
    root = Path(root).expanduser() if root is not None else _default_full_root()
    cls = _full_dataset_class(name)
    train = split == "train"
    try:
        ds = cls(str(root), train=train, download=False)    # already on disk: no network
    except RuntimeError:
        ds = None
    if ds is None:
        from urllib.error import URLError

        root.mkdir(parents=True, exist_ok=True)
        old_timeout = socket.getdefaulttimeout()
        socket.setdefaulttimeout(DOWNLOAD_TIMEOUT_S)
        try:
            ds = cls(str(root), train=train, download=True)
        except (TimeoutError, URLError, OSError, RuntimeError) as err:
            reason = str(err).strip().splitlines()[-1] if str(err).strip() else type(err).__name__
            raise DatasetUnavailable(
                f"could not download the full {name!r} data set into {root} ({reason}). "
                f"The course's shipped data works offline: course_utils.data.load_mnist() gives the "
                f"4,000 / 1,000 MNIST subset (keep the notebook's FULL parameter False). "
                + _manual_hint(name, cls, root)
            ) from err
        finally:
            socket.setdefaulttimeout(old_timeout)
    data, targets = ds.data, ds.targets
    images = data.numpy() if hasattr(data, "numpy") else np.asarray(data)
    labels = targets.numpy() if hasattr(targets, "numpy") else np.asarray(targets)
    return images.astype(np.uint8, copy=False), labels.astype(np.int64, copy=False)

