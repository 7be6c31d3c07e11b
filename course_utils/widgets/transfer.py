"""Explorers of transfer learning: a code space, image by image (notebook 08); the four transfer
scenarios, measured (notebook 09)."""
from __future__ import annotations

from typing import Mapping, Sequence

from .._validate import as_numbers
from .app import App, app, choice, slider

__all__ = ["code_space_explorer", "scenario_explorer"]


def code_space_explorer(images, codes: Mapping[str, object], labels,
                        class_names: Sequence[str] | None = None) -> App:
    """Choose an image and a layer: its nearest neighbours in that layer's code space and the
    codes' 2-D projection by class (notebook 08).

    ``codes``: {layer name: (N, D) codes of the N images}; the projection and the neighbours of
    each (layer, image, k) are computed on demand and cached here.
    """
    from ..transfer.space import nearest_codes, pca_project
    from ..viz.transfer import render_code_space

    imgs = as_numbers(images, "images")
    if imgs.ndim != 4 or imgs.shape[-1] != 3 or len(imgs) < 2:
        raise ValueError(f"images must be at least 2 RGB images (N, H, W, 3), got shape {imgs.shape}")
    if not isinstance(codes, Mapping) or not codes:
        raise ValueError("codes must be a non-empty dict {layer name: (N, D) codes}")
    for name, c in codes.items():
        shape = as_numbers(c, f"codes[{name!r}]").shape
        if len(shape) != 2 or shape[0] != len(imgs):
            raise ValueError(f"codes[{name!r}] must have one row per image, ({len(imgs)}, D), "
                             f"got shape {shape}")
    y = as_numbers(labels, "labels")
    if y.shape != (len(imgs),):
        raise ValueError(f"labels must have one entry per image, ({len(imgs)},), got {y.shape}")
    projections: dict[str, object] = {}

    def render(fig, layer: str, index: int, k: int) -> None:
        if layer not in projections:
            projections[layer] = pca_project(codes[layer])
        nb, sim = nearest_codes(codes[layer], index, k)
        render_code_space(fig, imgs, projections[layer], nb, sim, y, index, class_names,
                          title="")

    layers = list(codes)
    return app(render, figsize=(8.5, 4.8),
               layer=choice("layer", layers, layers[-1], buttons=False),
               index=slider("image #", 0, len(imgs) - 1, 0),
               k=slider("neighbours", 1, min(8, len(imgs) - 1), 5))


def code_space_demo() -> App:
    """The explorer on shipped emoji with random "codes" (no network weights needed): for tests."""
    import numpy as np

    from ..transfer.targets import EMOJI_CLASSES, load_emoji

    x, y, _ = load_emoji("test")
    rng = np.random.default_rng(0)
    pixels = x[:, ::8, ::8].reshape(len(x), -1).astype(float)
    return code_space_explorer(x, {"pixels": pixels, "random": rng.standard_normal((len(x), 16))},
                               y, EMOJI_CLASSES)


def scenario_explorer(results: Mapping[tuple, Mapping[str, object]],
                      rules: Mapping[tuple, tuple], chance: Mapping[str, float] | None = None
                      ) -> App:
    """Choose a scenario of the notes' 2 x 2 grid: their recommendation and the measured evidence
    (notebook 09).

    ``results``: {(size, similarity): {strategy: test accuracies, one per seed}} for every
    combination of the sizes and similarities that appear (e.g. "small"/"large" x
    "similar"/"different"); ``rules``: {(size, similarity): (recommended strategy, the notes'
    text)} for the same cells; ``chance``: {similarity: chance accuracy} (optional).
    """
    from ..viz.transfer import render_scenario

    if not isinstance(results, Mapping) or not results:
        raise ValueError("results must be a non-empty dict {(size, similarity): {strategy: "
                         "accuracies}}")
    if not all(isinstance(k, tuple) and len(k) == 2 for k in results):
        raise ValueError(f"results keys must be (size, similarity) pairs, got {list(results)}")
    sizes = list(dict.fromkeys(k[0] for k in results))
    kinds = list(dict.fromkeys(k[1] for k in results))
    missing = [(s, k) for s in sizes for k in kinds if (s, k) not in results]
    if missing:
        raise ValueError(f"results must hold every (size, similarity) cell; missing {missing}")
    if not isinstance(rules, Mapping) or any(cell not in rules for cell in results):
        raise ValueError("rules must give (recommended strategy, text) for every cell of results")
    for cell, rule in rules.items():
        if not (isinstance(rule, tuple) and len(rule) == 2 and cell in results
                and rule[0] in results[cell]):
            raise ValueError(f"rules[{cell!r}] must be (one of that cell's strategies, text), got "
                             f"{rule!r}")
    chance = dict(chance or {})

    def render(fig, size: str, similarity: str) -> None:
        recommended, text = rules[size, similarity]
        render_scenario(fig, results[size, similarity], recommended, rule=f"the notes: {text}",
                        chance=chance.get(similarity),
                        title=f"{size} data set, {similarity} to ImageNet")

    return app(render, figsize=(7.5, 4.0),
               size=choice("data set", sizes, sizes[0]),
               similarity=choice("target", kinds, kinds[0]))


def scenario_demo() -> App:
    """The scenario explorer on made-up accuracies (no training, no weights): for tests."""
    strategies = ("linear on codes", "linear on earlier codes", "fine-tune top", "scratch")
    results = {}
    for i, cell in enumerate([("small", "similar"), ("small", "different"), ("large", "similar"),
                              ("large", "different")]):
        results[cell] = {s: [0.3 + 0.1 * ((i + j) % 4) + 0.01 * r for r in range(3)]
                         for j, s in enumerate(strategies)}
    rules = {("small", "similar"): ("linear on codes", "linear classifier on top-layer codes"),
             ("small", "different"): ("linear on earlier codes", "linear classifier on "
                                      "earlier-layer codes"),
             ("large", "similar"): ("fine-tune top", "fine-tune"),
             ("large", "different"): ("scratch", "fine-tune much, or train from scratch")}
    return scenario_explorer(results, rules, chance={"similar": 0.125, "different": 0.1})
