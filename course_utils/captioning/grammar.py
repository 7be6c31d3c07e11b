"""The caption grammar, its parser, and the error count that sorts captions into the notes'
three columns.

Grammar: ``a SIZE COLOUR SHAPE RELATION a SIZE COLOUR SHAPE``, e.g. "a small orange disc above a
large blue square" (RELATION: above, below, left of, right of). Every scene has **two** correct
captions, one naming each object first ("X above Y" = "Y below X"): :func:`scene_captions`.

**Error count** (:func:`caption_errors`): parse the caption; for each way of matching its two
objects to the scene's two, count the attributes that differ (size, colour, shape of each
object: 6) plus 1 if the relation is wrong for that matching; keep the smaller count. A caption
that does not parse has no count (None). **Column** (:func:`caption_column`), after Karpathy &
Fei-Fei / Vinyals et al.'s table: 0 errors -> "describes without errors", 1 -> "describes with
minor errors", 2 or more, or unparseable -> "somewhat related to the image".
"""
from __future__ import annotations

from typing import NamedTuple

from .scenes import COLOURS, RELATIONS, SHAPES, SIZES, Scene, SceneObject, check_scene, relation

__all__ = ["CAPTION_WORDS", "COLUMNS", "ParsedCaption", "scene_captions", "parse_caption",
           "caption_mistakes", "caption_errors", "caption_column", "check_words"]

CAPTION_WORDS = ("a",) + tuple(SIZES) + tuple(COLOURS) + SHAPES + ("above", "below", "left",
                                                                    "right", "of")
"""Every word a caption can use (the vocabulary, without the special tokens)."""
COLUMNS = ("describes without errors", "describes with minor errors",
           "somewhat related to the image")


class ParsedCaption(NamedTuple):
    """A caption's meaning: two (size, colour, shape) triples and the relation word between them."""
    first: tuple
    relation: str
    second: tuple


def check_words(words, name: str = "words") -> list[str]:
    """A caption as a list of words: a string is split on whitespace; a list of strings is kept."""
    if isinstance(words, str):
        return words.split()
    if isinstance(words, (list, tuple)) and all(isinstance(w, str) for w in words):
        if len(words) > 1000:
            raise ValueError(f"{name} has {len(words):,} words: a caption has at most a few dozen")
        return list(words)
    raise ValueError(f"{name} must be a caption, a string or a list of words, got "
                     f"{type(words).__name__} {words!r:.60}")


def _phrase(obj: SceneObject) -> list[str]:
    return ["a", obj.size, obj.colour, obj.shape]


def scene_captions(scene: Scene) -> list[list[str]]:
    """The two correct captions of a scene (word lists): the first object named first, then the
    second object named first (the inverse relation)."""
    scene = check_scene(scene)
    a, b = scene.first, scene.second
    return [_phrase(a) + relation(a, b).split() + _phrase(b),
            _phrase(b) + relation(b, a).split() + _phrase(a)]


def _object(words: list[str]) -> tuple | None:
    if len(words) == 4 and words[0] == "a" and words[1] in SIZES and words[2] in COLOURS \
            and words[3] in SHAPES:
        return tuple(words[1:])
    return None


def parse_caption(words) -> ParsedCaption | None:
    """The meaning of a caption, or None if it does not follow the grammar (module docstring)."""
    words = check_words(words)
    for rel in RELATIONS:
        r = rel.split()
        if len(words) == 8 + len(r) and words[4:4 + len(r)] == r:
            a, b = _object(words[:4]), _object(words[4 + len(r):])
            if a is not None and b is not None:
                return ParsedCaption(a, rel, b)
    return None


def caption_mistakes(words, scene: Scene) -> list[str] | None:
    """What a caption gets wrong about its scene, for the matching of its objects to the
    scene's with the fewest mistakes (module docstring): a list of "size", "colour", "shape"
    (once per object) and "relation"; [] for a correct caption, None if it does not parse."""
    scene = check_scene(scene)
    parsed = parse_caption(words)
    if parsed is None:
        return None
    best = None
    for a, b in ((scene.first, scene.second), (scene.second, scene.first)):
        truth = (a.size, a.colour, a.shape, b.size, b.colour, b.shape)
        wrong = [("size", "colour", "shape")[k % 3]
                 for k, (x, y) in enumerate(zip(parsed.first + parsed.second, truth)) if x != y]
        wrong += ["relation"] * (parsed.relation != relation(a, b))
        if best is None or len(wrong) < len(best):
            best = wrong
    return best


def caption_errors(words, scene: Scene) -> int | None:
    """The number of attribute errors of a caption against its scene (module docstring), 0-7, or
    None if the caption does not parse: ``len(caption_mistakes(words, scene))``."""
    mistakes = caption_mistakes(words, scene)
    return None if mistakes is None else len(mistakes)


def caption_column(words, scene: Scene) -> int:
    """The caption's column, an index into :data:`COLUMNS`: 0 (no error), 1 (one error), 2 (two
    or more, or not a caption of the grammar)."""
    n = caption_errors(words, scene)
    return 2 if n is None else min(n, 2)
