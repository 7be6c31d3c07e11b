"""Training: mini-batch SGD as the notes give it, and one small, fast, device-aware training loop.

``fit(model, (X, y), (X_test, y_test))`` trains with mini-batch SGD and returns a :class:`History`
(one record per epoch, plus every step's loss) that :func:`course_utils.viz.render_history` draws.
``evaluate`` and ``predict`` run a model over a whole data set in batches. :class:`AlexNetSGD` is
the update rule of Krizhevsky, Sutskever & Hinton (2012), with the weight-decay term's sign right.

Modules: :mod:`~course_utils.train.loop` (fit, evaluate, predict, History, batches),
:mod:`~course_utils.train.optim` (AlexNetSGD), :mod:`~course_utils.train.augment` (random shifts
and distortions), :mod:`~course_utils.train.metrics` (confusion matrix). The 2-D loss surfaces of
notebook 07 live in :mod:`course_utils.toys.surfaces` and are re-exported here, as before.

Nothing runs at import time; torch is imported here because the optimizer subclasses
``torch.optim.Optimizer``.
"""
from ..toys.surfaces import LOSS_SURFACES, momentum_path, surface_grad, surface_loss
from .augment import affine_images, random_affine, random_shift
from .loop import METRICS as METRICS
from .loop import History, batches, evaluate, fit, predict
from .metrics import confusion_matrix
from .optim import AlexNetSGD

__all__ = ["AlexNetSGD", "History", "fit", "evaluate", "predict", "batches", "random_shift",
           "affine_images", "random_affine",
           "confusion_matrix", "LOSS_SURFACES", "surface_loss", "surface_grad", "momentum_path"]
# also importable from here, as before: METRICS
