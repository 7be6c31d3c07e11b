"""Checkers of notebook 15's exercises (image captioning): the soft attention step and the
error count that sorts a caption into a column."""
from __future__ import annotations

from .core import WrongAnswer, call_student, checker, expect_close, expect_equal, format_message

__all__ = ["check_soft_attention", "check_caption_errors", "ERROR_CASES"]

# (caption, what the case tests); the scene is ERROR_SCENE, the oracle caption_errors
ERROR_CASES = (
    ("a small orange disc above a large blue square", "the caption of the scene"),
    ("a large blue square below a small orange disc", "the other object named first"),
    ("a small orange disc below a large blue square", "the relation reversed"),
    ("a large orange disc above a large blue square", "one size wrong"),
    ("a small blue disc above a large orange square", "the colours swapped between the objects"),
    ("a small orange disc left of a large blue square", "a wrong relation, two words"),
    ("a large blue square above a small orange disc", "the other object first, relation not "
                                                      "inverted"),
    ("a small pink plus right of a small yellow triangle", "almost everything wrong"),
    ("a small orange disc above", "not a caption of the grammar"),
    ("", "an empty caption"),
    ("a small orange disc above a large blue square square", "an extra word"),
)


def _error_scene():
    from ..captioning.scenes import Scene, SceneObject

    return Scene(SceneObject("orange", "disc", "small", 24.0, 10.0),
                 SceneObject("blue", "square", "large", 26.0, 34.0), 48)


@checker("caption_errors")
def check_caption_errors(student_fn) -> str:
    """``student_fn(words, scene)``: the error count of a caption (a word list) against a
    :class:`~course_utils.captioning.Scene`, or None if it does not parse.
    Oracle: :func:`course_utils.captioning.caption_errors`."""
    from ..captioning.grammar import caption_errors

    scene = _error_scene()
    for text, what in ERROR_CASES:
        where = f"{what}: {text!r} for the scene 'a small orange disc above a large blue square'"
        got = call_student(student_fn, where, text.split(), scene)
        want = caption_errors(text.split(), scene)
        if want is None:
            expect_equal(got, None, where=where,
                         hint="a caption that does not follow the grammar has no count: None")
            continue
        if isinstance(got, bool) or not isinstance(got, int):
            raise WrongAnswer(format_message(f"got {got!r}, expected the integer {want}", where,
                                             "return the number of errors, an int"))
        expect_equal(got, want, where=where,
                     hint="try both ways of matching the caption's two objects to the scene's; "
                          "for each, count wrong sizes, colours and shapes, plus 1 if the "
                          "relation word is wrong for that matching; keep the smaller count")
    return f"agrees with the reference on {len(ERROR_CASES)} captions."


@checker("soft_attention")
def check_soft_attention(student_fn) -> str:
    """``student_fn(features, h, W_f, W_h, v)`` -> (weights (N, L), context (N, D)).
    Oracle: e = v^T tanh(W_f f_l + W_h h), written out here with torch.softmax."""
    import torch

    cases = 0
    for seed, (n, grid, d, hidden, a), scale in ((0, (2, 9, 4, 3, 5), 1.0),
                                                 (1, (1, 36, 8, 6, 4), 1.0),
                                                 (2, (3, 4, 2, 2, 3), 100.0)):
        g = torch.Generator().manual_seed(seed)
        f, h = torch.randn(n, grid, d, generator=g), torch.randn(n, hidden, generator=g)
        W_f, W_h = torch.randn(a, d, generator=g), torch.randn(a, hidden, generator=g)
        v = torch.randn(a, generator=g) * scale
        where = (f"features {tuple(f.shape)}, h {tuple(h.shape)}, W_f {tuple(W_f.shape)}, "
                 f"W_h {tuple(W_h.shape)}, v {tuple(v.shape)}"
                 + (" with large scores (v times 100)" if scale > 1 else ""))
        got = call_student(student_fn, where, f.clone(), h.clone(), W_f.clone(), W_h.clone(),
                           v.clone())
        if not isinstance(got, (tuple, list)) or len(got) != 2:
            raise WrongAnswer(format_message(f"got {type(got).__name__}, expected a pair "
                                             "(weights, context)", where,
                                             "return weights, context"))
        scores = torch.stack([torch.tanh(f[i] @ W_f.T + W_h @ h[i]) @ v for i in range(n)])
        weights = torch.softmax(scores, dim=1)
        context = torch.stack([weights[i] @ f[i] for i in range(n)])
        hint = "e_l = v . tanh(W_f f_l + W_h h) for every grid cell l, then a softmax over l"
        if scale > 1:
            hint = ("large scores overflow exp(): subtract each row's largest score before exp "
                    "(torch.softmax does it)")
        expect_close(got[0], weights, where=where + ": the weights", hint=hint,
                     rtol=1e-4, atol=1e-5)
        expect_close(got[1], context, where=where + ": the context",
                     hint="context = sum over l of a_l f_l, one D-vector per image",
                     rtol=1e-4, atol=1e-5)
        cases += 1
    return f"weights and context match on {cases} cases (the last with large scores)."
