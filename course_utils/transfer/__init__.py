"""Transfer learning with a real ImageNet network, offline (chapter 3, notebooks 08-09).

* :mod:`~course_utils.transfer.weights`: where the pretrained weight file lives
  (``$COURSE_WEIGHTS_DIR`` or torch's hub cache) and its sha256 check;
  ``python tools/fetch_weights.py`` puts it there once.
* :mod:`~course_utils.transfer.pretrained`: ``pretrained_mobilenet_v2()`` (ImageNet, offline,
  hash-checked, weights-only), ``pretrained_resnet18()`` (FULL runs), ``imagenet_classes()``,
  ``imagenet_batch()``, ``predict_imagenet(image, top=5)``.
* :mod:`~course_utils.transfer.codes`: ``stage_names(model)``, ``cnn_codes(model, images,
  layer=...)``: pooled activations of any stage as features.
* :mod:`~course_utils.transfer.finetune`: ``freeze(model, up_to=...)``, ``unfreeze``,
  ``replace_head``, ``param_groups`` (discriminative learning rates).
* :mod:`~course_utils.transfer.linear`: linear classifiers on codes (softmax or multiclass SVM)
  and the linear probe.
* :mod:`~course_utils.transfer.space`: ``nearest_codes``, ``pca_project`` (the explorer's).
* :mod:`~course_utils.transfer.targets`: ``load_emoji(split)``, the shipped target data set.
"""
from .codes import CODES, cnn_codes, stage_module, stage_names
from .finetune import freeze, frozen_stages, param_groups, replace_head, unfreeze
from .linear import LOSSES, LinearOnCodes, linear_probe, train_linear
from .pretrained import (
    IMAGENET_MEAN,
    IMAGENET_STD,
    imagenet_batch,
    imagenet_classes,
    predict_imagenet,
    pretrained_mobilenet_v2,
    pretrained_resnet18,
)
from .space import nearest_codes, pca_project
from .targets import (
    EMOJI_CLASSES,
    EMOJI_FILE,
    EMOJI_SPLITS,
    EMOJI_STYLES,
    emoji_split,
    load_emoji,
)
from .weights import (
    FETCH_COMMAND,
    MOBILENET_V2_FILE,
    MOBILENET_V2_SHA256,
    WEIGHTS_ENV_VAR,
    WeightsUnavailable,
    weights_dir,
    weights_path,
)

__all__ = ["WEIGHTS_ENV_VAR", "MOBILENET_V2_FILE", "MOBILENET_V2_SHA256", "FETCH_COMMAND",
           "WeightsUnavailable", "weights_dir", "weights_path"]
__all__ += ["IMAGENET_MEAN", "IMAGENET_STD", "pretrained_mobilenet_v2", "pretrained_resnet18",
            "imagenet_classes", "imagenet_batch", "predict_imagenet"]
__all__ += ["CODES", "stage_names", "stage_module", "cnn_codes", "freeze", "unfreeze",
            "frozen_stages", "replace_head", "param_groups"]
__all__ += ["LOSSES", "LinearOnCodes", "train_linear", "linear_probe"]
__all__ += ["EMOJI_FILE", "EMOJI_CLASSES", "EMOJI_STYLES", "EMOJI_SPLITS", "load_emoji",
            "emoji_split"]
__all__ += ["nearest_codes", "pca_project"]
