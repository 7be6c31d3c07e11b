"""The captioning explorer (notebook 15): edit a scene of two shapes and see the image, the
model's caption, its column and where the decoder looked for each word."""
from __future__ import annotations

from .app import App, app, choice, slider, toggle

__all__ = ["caption_explorer"]


def caption_explorer(model, vocab, side: int = 48, seed: int = 0, scene=None) -> App:
    """Edit a scene (each object's colour, shape, size and centre, or swap the two objects'
    places) and see the model's greedy caption with its attention per word.

    ``model``: a :class:`course_utils.captioning.Captioner` trained on ``side`` x ``side``
    scenes; ``vocab``: its :class:`course_utils.text.Vocab`; ``seed``: the background noise of
    the image; ``scene``: the :class:`course_utils.captioning.Scene` the controls start from
    (default: a small orange disc above a large blue square). Overlapping objects give a message (the training scenes never overlap); a
    relation that is not clear (neither axis at least twice the other) is said in the title.
    """

    from .._validate import as_int
    from ..captioning.decode import caption_images
    from ..captioning.grammar import COLUMNS, caption_errors, scene_captions
    from ..captioning.model import Captioner
    from ..captioning.scenes import (
        COLOURS,
        SHAPES,
        SIZES,
        Scene,
        SceneObject,
        object_mask,
        render_scenes,
    )
    from ..viz.captioning import render_caption

    if not isinstance(model, Captioner):
        raise ValueError(f"model must be a captioning.Captioner, got {type(model).__name__}")
    if not hasattr(vocab, "decode") or len(vocab) != model.vocab_size:
        raise ValueError("vocab must be the model's course_utils.text.Vocab (same size)")
    side = as_int(side, "side", 24, 128)
    if side % 8:
        raise ValueError(f"side must be a multiple of 8, got {side}")
    seed = as_int(seed, "seed", 0)
    lo, hi = 4, side - 4
    if scene is None:
        scene = Scene(SceneObject("orange", "disc", "small", side // 2, side // 4),
                      SceneObject("blue", "square", "large", side // 2, 3 * side // 4), side)
    if not isinstance(scene, Scene):
        raise ValueError(f"scene must be a captioning.Scene or None, got {type(scene).__name__}")
    if scene.side != side:
        raise ValueError(f"scene was drawn for side={scene.side}, but side={side}")
    start = [scene.first, scene.second]

    def place(v: float) -> int:
        return int(min(max(round(float(v)), lo), hi))

    cache: dict = {}

    def caption_of(scene):
        if scene not in cache:
            if len(cache) > 64:
                cache.clear()
            image = render_scenes([scene], seed)
            cache[scene] = (image[0], caption_images(model, vocab, image)[0])
        return cache[scene]

    def render(fig, colour_1, shape_1, size_1, x_1, y_1, colour_2, shape_2, size_2, x_2, y_2,
               swap) -> None:
        a = SceneObject(colour_1, shape_1, size_1, float(x_1), float(y_1))
        b = SceneObject(colour_2, shape_2, size_2, float(x_2), float(y_2))
        if swap:
            a, b = a._replace(x=b.x, y=b.y), b._replace(x=a.x, y=a.y)
        if (object_mask(a, side) & object_mask(b, side)).any():
            raise ValueError("The two objects overlap: move one of them (x, y sliders). The "
                             "model never saw overlapping objects, and 'above' or 'left of' "
                             "would not mean much.")
        scene = Scene(a, b, side)
        image, cap = caption_of(scene)
        errors = caption_errors(cap.words, scene)
        column = 2 if errors is None else min(errors, 2)
        dx, dy = abs(b.x - a.x), abs(b.y - a.y)
        note = "" if max(dx, dy) >= 2 * min(dx, dy) else "  (relation unclear: not in training)"
        found = "not a caption of the grammar" if errors is None else f"{errors} error(s)"
        render_caption(fig, image, cap.words, cap.weights,
                       title=f"correct: {' '.join(scene_captions(scene)[0])}{note}\n"
                             f"the model says ({COLUMNS[column]}, {found}):")

    colours, sizes = list(COLOURS), list(SIZES)
    controls = {}
    for k, obj in enumerate(start, 1):
        controls[f"colour_{k}"] = choice(f"colour {k}", colours, obj.colour, buttons=False)
        controls[f"shape_{k}"] = choice(f"shape {k}", list(SHAPES), obj.shape, buttons=False)
        controls[f"size_{k}"] = choice(f"size {k}", sizes, obj.size)
        controls[f"x_{k}"] = slider(f"x {k}", lo, hi, place(obj.x))
        controls[f"y_{k}"] = slider(f"y {k}", lo, hi, place(obj.y))
    return app(render, figsize=(7.2, 3.6), **controls,
               swap=toggle("swap the objects' places"))


def caption_demo() -> App:
    """The explorer on an untrained model (seeded; no training): for tests."""
    import torch

    from ..captioning.grammar import CAPTION_WORDS
    from ..captioning.model import Captioner
    from ..text import Vocab

    vocab = Vocab(CAPTION_WORDS)
    torch.manual_seed(0)
    return caption_explorer(Captioner(len(vocab), hidden=32, channels=(4, 8, 8), attend=8),
                            vocab)
