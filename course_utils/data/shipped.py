"""The course's shipped data: the checksum manifest, its verification, and the loaders.

See :mod:`course_utils.data` for what is shipped; every loader checks the sha256 of the file it
reads against ``data/SHA256SUMS`` (once per file version).
"""
from __future__ import annotations

import gzip
import hashlib
import os
from pathlib import Path

import numpy as np

from .._validate import check_choice

__all__ = ["DATA_ENV_VAR", "MNIST_SPLITS", "TEXTS", "IMAGES", "DataIntegrityError", "data_dir",
           "verify_data", "load_mnist", "load_text", "load_image"]

DATA_ENV_VAR = "COURSE_DATA_DIR"
MANIFEST = "SHA256SUMS"
MNIST_SPLITS = ("train", "test")
TEXTS = ("shakespeare", "numbers_en_de")
IMAGES = ("astronaut", "brick", "camera", "chelsea", "coffee", "grass", "gravel")

_MNIST_FILE = "mnist_4k1k.npz"
_TEXT_FILES = {"shakespeare": "shakespeare.txt.gz", "numbers_en_de": "numbers_en_de.tsv.gz"}


class DataIntegrityError(RuntimeError):
    """A shipped data file is missing or its sha256 differs from ``data/SHA256SUMS``."""



# --------------------------------------------------------------------------- locations


def data_dir() -> Path:
    """The data folder, the first of:

    1. ``$COURSE_DATA_DIR``, if set (checked when a file is read);
    2. the copy inside the installed package, ``course_utils/shipped_data/`` (a non-editable
       install, ``pip install .`` or from git, ships it: see pyproject.toml);
    3. the source checkout's ``data/`` (an editable install, ``pip install -e .``).

    Neither copy present raises :class:`DataIntegrityError` saying how to get one.

    >>> data_dir().name in ("data", "shipped_data")
    True
    """
    env = os.environ.get(DATA_ENV_VAR)
    if env:
        return Path(env).expanduser().resolve()
    package = Path(__file__).resolve().parents[1]   # .../course_utils
    for candidate in (package / "shipped_data", package.parent / "data"):
        if (candidate / "SHA256SUMS").is_file():
            return candidate
    raise DataIntegrityError(
        f"the course's data is not installed: neither {package / 'shipped_data'} (a `pip install "
        f".` of the course ships it) nor {package.parent / 'data'} (the data/ folder of a source "
        f"checkout) exists. Reinstall the course from its repository, or set {DATA_ENV_VAR} to a "
        "copy of its data/ folder.")


_data_dir = data_dir  # for verify_data, whose argument shadows the name


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
    split = check_choice("MNIST split", split, MNIST_SPLITS)
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
    "numbers_en_de": the numbers 1-9,999 in English and German, a tab-separated table (notebook
    14; :func:`course_utils.seq2seq.load_numbers` parses it).

    >>> text = load_text("shakespeare")
    >>> text[:25], len(text) > 500_000
    ('HAMLET, PRINCE OF DENMARK', True)
    """
    name = check_choice("text", name, TEXTS)
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
    name = check_choice("image", name, IMAGES)
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


