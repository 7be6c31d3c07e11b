"""Training: mini-batch SGD as the notes give it, and one small, fast, device-aware training loop.

``fit(model, (X, y), (X_test, y_test))`` trains with mini-batch SGD and returns a :class:`History`
(one record per epoch, plus every step's loss) that :func:`course_utils.viz.render_history` draws.
``evaluate`` and ``predict`` run a model over a whole data set in batches. :class:`AlexNetSGD` is
the update rule of Krizhevsky, Sutskever & Hinton (2012), with the weight-decay term's sign right.

One loop serves every chapter: what happens to a batch is a *step* (the classifier's by
default; ``SequenceStep`` for next-token prediction with truncated BPTT; any
``step(model, batch, state) -> StepOutput`` for the rest), while ``fit`` keeps the batches, the
optimizer, gradient clipping (the norm before clipping is recorded), the progress bar and the
History.

Modules: :mod:`~course_utils.train.loop` (fit, evaluate, predict, batches),
:mod:`~course_utils.train.steps` (StepOutput, ClassifierStep, SequenceStep, sequence_pairs),
:mod:`~course_utils.train.history` (History), :mod:`~course_utils.train.batching` (batches and
the checks of data), :mod:`~course_utils.train.optim` (AlexNetSGD),
:mod:`~course_utils.train.augment` (random shifts and distortions),
:mod:`~course_utils.train.metrics` (confusion matrix, BLEU),
:mod:`~course_utils.train.experiments` (notebook 06's experiments: twin runs, weight norms).
The 2-D loss surfaces of notebook 06 live in :mod:`course_utils.toys.surfaces` and are
re-exported here, as before.

Nothing runs at import time; torch is imported here because the optimizer subclasses
``torch.optim.Optimizer``.
"""
from ..toys.surfaces import LOSS_SURFACES, momentum_path, surface_grad, surface_loss
from .augment import affine_images, random_affine, random_shift
from .experiments import format_runs, sgd_experiment, twin_sgd_runs, weight_norm
from .history import METRICS as METRICS
from .history import History
from .loop import batches, evaluate, fit, predict
from .metrics import bleu, confusion_matrix
from .optim import AlexNetSGD
from .steps import ClassifierStep, SequenceStep, StepOutput, sequence_pairs

__all__ = ["AlexNetSGD", "History", "fit", "evaluate", "predict", "batches", "random_shift",
           "twin_sgd_runs", "sgd_experiment", "format_runs", "weight_norm",
           "affine_images", "random_affine", "StepOutput", "ClassifierStep", "SequenceStep",
           "sequence_pairs", "confusion_matrix", "bleu", "LOSS_SURFACES", "surface_loss", "surface_grad", "momentum_path"]
# also importable from here, as before: METRICS
