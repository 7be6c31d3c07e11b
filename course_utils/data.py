"""Loaders for the course's shipped data (checksummed) and, on request, the full data sets.

The repository's ``data/`` folder holds small data sets that work offline (see
``data/README.md`` for sources and licences):

    load_mnist("train")      4,000 MNIST digits, 400 per class     (uint8 (N, 28, 28), int64 (N,))
    load_mnist("test")       1,000 MNIST digits, 100 per class
    load_text("shakespeare") about 1 million characters of Shakespeare plays (str)
    load_image("coffee")     photographs and textures, float32 (H, W, 3) in [0, 1]

Every loader checks the sha256 of the file it reads against ``data/SHA256SUMS`` (once per
file version) and raises :class:`DataIntegrityError`, with the command that restores the file,
when it differs. ``verify_data()`` checks all files at once.

``load_full_dataset`` downloads a full data set with torchvision; notebooks call it only
when their ``FULL`` parameter asks for it. Without a network it fails fast with
:class:`DatasetUnavailable`.

The data folder is the repository's ``data/`` unless the environment variable
``COURSE_DATA_DIR`` names another one; it is looked up at every call.

>>> from course_utils.data import load_mnist
>>> x, y = load_mnist("train")
>>> x.shape, x.dtype, y.shape, y.dtype
((4000, 28, 28), dtype('uint8'), (4000,), dtype('int64'))
"""

from __future__ import annotations

import gzip
import hashlib
import os
import socket
from pathlib import Path

import numpy as np

__all__ = [
    "DATA_ENV_VAR",
    "MNIST_SPLITS",
    "TEXTS",
    "IMAGES",
    "FULL_DATASETS",
    "DataIntegrityError",
    "DatasetUnavailable",
    "data_dir",
    "verify_data",
    "load_mnist",
    "load_text",
    "load_image",
    "load_full_dataset",
    "mnist_tensors",
    "MNIST_MEAN",
    "MNIST_STD",
]

DATA_ENV_VAR = "COURSE_DATA_DIR"
MANIFEST = "SHA256SUMS"
MNIST_SPLITS = ("train", "test")
TEXTS = ("shakespeare",)
IMAGES = ("astronaut", "brick", "camera", "chelsea", "coffee", "grass", "gravel")
FULL_DATASETS = ("mnist", "fashion-mnist", "cifar10")
DOWNLOAD_TIMEOUT_S = 15.0

_MNIST_FILE = "mnist_4k1k.npz"
_TEXT_FILES = {"shakespeare": "shakespeare.txt.gz"}


class DataIntegrityError(RuntimeError):
    """A shipped data file is missing or its sha256 differs from ``data/SHA256SUMS``."""


class DatasetUnavailable(RuntimeError):
    """A full data set is not on disk and could not be downloaded."""


# --------------------------------------------------------------------------- locations


def data_dir() -> Path:
    """The data folder: ``$COURSE_DATA_DIR`` if set, else the repository's ``data/``.

    >>> data_dir().name
    'data'
    """
    env = os.environ.get(DATA_ENV_VAR)
    if env:
        return Path(env).expanduser().resolve()
    return Path(__file__).resolve().parents[1] / "data"


_data_dir = data_dir  # for verify_data, whose argument shadows the name


def _check_choice(kind: str, value, options: tuple[str, ...]) -> str:
    if not isinstance(value, str):
        raise ValueError(f"{kind} must be a string, one of {', '.join(map(repr, options))}; "
                         f"got {type(value).__name__} {value!r}")
    if value not in options:
        raise ValueError(f"unknown {kind} {value!r}; available: {', '.join(map(repr, options))}")
    return value


# --------------------------------------------------------------------------- integrity

# (path, size, mtime_ns, ctime_ns, expected sha256) of files whose hash was checked
_VERIFIED: set[tuple] = set()


def sha256_file(path: Path) -> str:
    """The SHA-256 of a file, as hex (what ``SHA256SUMS`` lists)."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _restore_hint(rel: str, root: Path) -> str:
    where = f" (data folder {root}, set by ${DATA_ENV_VAR})" if os.environ.get(DATA_ENV_VAR) else ""
    return (f"Restore it with `git checkout -- data/{rel}` in the course repository, or rebuild "
            f"all shipped data with `python tools/build_data.py`{where}.")


def _read_manifest(root: Path) -> dict[str, str]:
    path = root / MANIFEST
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as err:
        reason = err.strerror if isinstance(err, OSError) and err.strerror else err
        raise DataIntegrityError(
            f"cannot read the checksum manifest {path} ({reason}). "
            + _restore_hint(MANIFEST, root)) from err
    sums = {}
    for number, line in enumerate(lines, 1):
        if line.strip():
            parts = line.split(maxsplit=1)
            if len(parts) != 2:
                raise DataIntegrityError(
                    f"line {number} of the checksum manifest {path} is damaged: expected "
                    f"'<sha256>  <file>', got {line[:80]!r}. " + _restore_hint(MANIFEST, root))
            digest, rel = parts
            sums[rel.strip().lstrip("*")] = digest.lower()
    return sums


def _verify_file(root: Path, rel: str, sums: dict[str, str] | None = None) -> Path:
    """Check ``root/rel`` against the manifest; return its path. Cached per file version."""
    sums = _read_manifest(root) if sums is None else sums
    if rel not in sums:
        raise DataIntegrityError(f"{rel} is not listed in {root / MANIFEST}. " + _restore_hint(MANIFEST, root))
    path = root / rel
    try:
        st = path.stat()
    except OSError as err:
        raise DataIntegrityError(f"data file {rel} is missing ({path}). " + _restore_hint(rel, root)) from err
    key = (str(path), st.st_size, st.st_mtime_ns, st.st_ctime_ns, sums[rel])
    if key not in _VERIFIED:
        try:
            got = sha256_file(path)
        except OSError as err:
            raise DataIntegrityError(f"data file {rel} cannot be read ({path}: "
                                     f"{err.strerror or err}). "
                                     + _restore_hint(rel, root)) from err
        if got != sums[rel]:
            raise DataIntegrityError(
                f"data file {rel} is corrupted or was modified: sha256 {got[:12]}... differs from "
                f"{sums[rel][:12]}... in {MANIFEST} ({path}). " + _restore_hint(rel, root))
        _VERIFIED.add(key)
    return path


def verify_data(data_dir: str | os.PathLike | None = None) -> list[str]:
    """Check every file listed in ``SHA256SUMS``; return their relative names.

    Raises :class:`DataIntegrityError` naming each missing or altered file and how to
    restore it.

    >>> "mnist_4k1k.npz" in verify_data()
    True
    """
    if data_dir is not None and not isinstance(data_dir, (str, os.PathLike)):
        raise ValueError(f"data_dir must be None or a folder path, got {type(data_dir).__name__} "
                         f"{data_dir!r}")
    root = _data_dir() if data_dir is None else Path(data_dir).expanduser().resolve()
    sums = _read_manifest(root)
    problems = []
    for rel in sorted(sums):
        try:
            _verify_file(root, rel, sums)
        except DataIntegrityError as err:
            problems.append(str(err))
    if problems:
        raise DataIntegrityError(f"{len(problems)} of {len(sums)} data files failed the check:\n"
                                 + "\n".join(problems))
    return sorted(sums)


# --------------------------------------------------------------------------- shipped data


def load_mnist(split: str = "train") -> tuple[np.ndarray, np.ndarray]:
    """The course's MNIST subset: 4,000 train / 1,000 test digits, balanced by class.

    Shapes: "train" -> images uint8 (4000, 28, 28) in 0..255, labels int64 (4000,) in 0..9
            "test"  -> images uint8 (1000, 28, 28),           labels int64 (1000,)

    The split is fixed (see ``data/README.md``): 400 / 100 images per digit, no image in
    both. Digits are white on black, as in the original MNIST.

    >>> x, y = load_mnist("test")
    >>> x.shape, np.bincount(y).tolist() == [100] * 10
    ((1000, 28, 28), True)
    """
    split = _check_choice("MNIST split", split, MNIST_SPLITS)
    root = data_dir()
    path = _verify_file(root, _MNIST_FILE)
    try:
        with np.load(path, allow_pickle=False) as npz:
            images, labels = npz[f"x_{split}"], npz[f"y_{split}"]
    except Exception as err:  # zipfile.BadZipFile, KeyError, ValueError, OSError, EOFError ...
        raise _unreadable(_MNIST_FILE, root, err) from err
    return images.astype(np.uint8, copy=False), labels.astype(np.int64, copy=False)


def _unreadable(rel: str, root: Path, err: Exception) -> DataIntegrityError:
    """A file that passed its checksum but does not load (the manifest was rebuilt over it)."""
    return DataIntegrityError(f"data file {rel} matches {MANIFEST} but cannot be read "
                              f"({type(err).__name__}: {err}); the manifest was probably rebuilt "
                              "over a damaged file. " + _restore_hint(rel, root))


def load_text(name: str = "shakespeare") -> str:
    """A shipped text corpus as one string.

    "shakespeare": eight whole plays (Hamlet, Macbeth, Romeo and Juliet, King Lear, Othello,
    Julius Caesar, A Midsummer Night's Dream, The Tempest), about 1.04 million ASCII
    characters, lines separated by "\\n", plays by three blank lines.

    >>> text = load_text("shakespeare")
    >>> text[:25], len(text) > 500_000
    ('HAMLET, PRINCE OF DENMARK', True)
    """
    name = _check_choice("text", name, TEXTS)
    root = data_dir()
    path = _verify_file(root, _TEXT_FILES[name])
    try:
        with gzip.open(path, "rt", encoding="utf-8", newline="") as f:
            return f.read()
    except (OSError, EOFError, UnicodeDecodeError) as err:  # gzip.BadGzipFile is an OSError
        raise _unreadable(_TEXT_FILES[name], root, err) from err


def load_image(name: str) -> np.ndarray:
    """A shipped photograph or texture as float32 RGB in [0, 1].

    Shape: (H, W, 3), longest side 256 px (e.g. "coffee" is (171, 256, 3)). Grayscale
    images ("camera", "brick", "grass", "gravel") have three equal channels.

    >>> img = load_image("chelsea")
    >>> img.shape, img.dtype, bool(0.0 <= img.min() < img.max() <= 1.0)
    ((170, 256, 3), dtype('float32'), True)
    """
    name = _check_choice("image", name, IMAGES)
    root = data_dir()
    path = _verify_file(root, f"images/{name}.png")
    import matplotlib.image as mpimg  # lazily: matplotlib is slow to import

    try:
        img = np.asarray(mpimg.imread(path, format="png"), dtype=np.float32)  # floats in [0, 1]
    except Exception as err:  # PIL.UnidentifiedImageError, OSError, ValueError ...
        raise _unreadable(f"images/{name}.png", root, err) from err
    if img.ndim == 2:                                       # (H, W) -> (H, W, 3)
        img = np.repeat(img[:, :, None], 3, axis=2)
    elif img.shape[2] == 4:                                 # drop alpha
        img = img[:, :, :3]
    elif img.shape[2] == 2:                                 # gray + alpha
        img = np.repeat(img[:, :, :1], 3, axis=2)
    return np.ascontiguousarray(img)


# --------------------------------------------------------------------------- full data sets


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
    name = _check_choice("full data set", name, FULL_DATASETS)
    split = _check_choice("split", split, MNIST_SPLITS)
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
        except (URLError, OSError, socket.timeout, RuntimeError) as err:
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


# --------------------------------------------------------------------------- tensors for training

MNIST_MEAN, MNIST_STD = 0.1307, 0.3081
"""Mean and standard deviation of the full MNIST training set's pixels (scaled to [0, 1])."""


def mnist_tensors(split: str = "train", size: int = 28, normalize: bool = True,
                  full: bool = False):
    """MNIST as torch tensors ready for a CNN: ``(X float32 (N, 1, size, size), y int64 (N,))``.

    ``size=28`` keeps the digits as they are; ``size=32`` pads them with 2 background pixels on
    every side, the 32x32 input LeNet-5 expects (LeCun et al. 1998 centred the 20x20 digits in a
    larger field so strokes can reach the corners of the top feature detectors).
    Math: x = pixel / 255, then with ``normalize`` x = (x - 0.1307) / 0.3081 (the full training
    set's statistics), so the background is -0.42 and a stroke about 2.8. Padding happens before
    normalising, so the border has the background's value.
    ``full=True`` loads the whole data set through :func:`load_full_dataset` (a download);
    the default is the shipped 4,000 / 1,000 subset.

    >>> X, y = mnist_tensors("test", size=32)
    >>> tuple(X.shape), X.dtype, tuple(y.shape), y.dtype
    ((1000, 1, 32, 32), torch.float32, (1000,), torch.int64)
    """
    import torch

    if isinstance(size, bool) or size not in (28, 32):
        raise ValueError(f"size must be 28 (as stored) or 32 (zero-padded by 2, for LeNet-5), "
                         f"got {size!r}")
    for flag, value in (("normalize", normalize), ("full", full)):
        if not isinstance(value, (bool, np.bool_)):
            raise ValueError(f"{flag} must be True or False, got {value!r}")
    images, labels = load_full_dataset("mnist", split) if full else load_mnist(split)
    X = torch.from_numpy(np.ascontiguousarray(images)).float().div_(255.0).unsqueeze(1)
    if size == 32:
        X = torch.nn.functional.pad(X, (2, 2, 2, 2))
    if normalize:
        X = (X - MNIST_MEAN) / MNIST_STD
    return X, torch.from_numpy(np.ascontiguousarray(labels)).long()
