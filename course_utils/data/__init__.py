"""Loaders for the course's shipped data (checksummed) and, on request, the full data sets.

The repository's ``data/`` folder holds small data sets that work offline (see
``data/README.md`` for sources and licences):

    load_mnist("train")      4,000 MNIST digits, 400 per class     (uint8 (N, 28, 28), int64 (N,))
    load_mnist("test")       1,000 MNIST digits, 100 per class
    load_text("shakespeare") about 1 million characters of Shakespeare plays (str)
    load_image("coffee")     photographs and textures, float32 (H, W, 3) in [0, 1]

and one colour data set **generated** by code (nothing downloaded or shipped):

    coloured_shapes(n, seed) n images (n, 3, 32, 32) of 5 shapes in 2 colours, 10 classes

Every loader checks the sha256 of the file it reads against ``data/SHA256SUMS`` (once per
file version) and raises :class:`DataIntegrityError`, with the command that restores the file,
when it differs. ``verify_data()`` checks all files at once.

``load_full_dataset`` downloads a full data set with torchvision; notebooks call it only
when their ``FULL`` parameter asks for it. Without a network it fails fast with
:class:`DatasetUnavailable`.

The data folder is the repository's ``data/`` unless the environment variable
``COURSE_DATA_DIR`` names another one; it is looked up at every call.

Modules: :mod:`~course_utils.data.shipped` (the manifest, its verification, the loaders of the
shipped files), :mod:`~course_utils.data.full` (the full data sets), and
:mod:`~course_utils.data.tensors` (tensors ready for training), :mod:`~course_utils.data.shapes`
(the generated coloured shapes).

>>> from course_utils.data import load_mnist
>>> x, y = load_mnist("train")
>>> x.shape, x.dtype, y.shape, y.dtype
((4000, 28, 28), dtype('uint8'), (4000,), dtype('int64'))
"""
from .full import DOWNLOAD_TIMEOUT_S as DOWNLOAD_TIMEOUT_S
from .full import FULL_DATASETS, DatasetUnavailable, load_full_dataset
from .shapes import LUMINANCE_WEIGHTS, SHAPE_CLASSES, SHAPE_COLOURS, coloured_shapes
from .shipped import (
    DATA_ENV_VAR,
    IMAGES,
    MNIST_SPLITS,
    TEXTS,
    DataIntegrityError,
    data_dir,
    load_image,
    load_mnist,
    load_text,
    verify_data,
)
from .shipped import MANIFEST as MANIFEST
from .shipped import sha256_file as sha256_file
from .tensors import MNIST_MEAN, MNIST_STD, mnist_tensors

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
    "coloured_shapes",
    "SHAPE_CLASSES",
    "SHAPE_COLOURS",
    "LUMINANCE_WEIGHTS",
]
# also importable from here, as before: MANIFEST, DOWNLOAD_TIMEOUT_S, sha256_file
