"""Notebook 15's library: generated scenes, the caption grammar and error count, the captioning
model, greedy decoding, the explorer and the checkers.

Oracles: masks against point-in-polygon tests by matplotlib.path and explicit geometry; the grid
cover against a loop over cells; captions parsed back against the scene they were written from;
error counts against a table written by hand; the attention step against a loop over the grid;
the loss against cross-entropy written out with log-softmax; greedy decoding against
teacher-forced forward passes on its own output and against a model rigged to emit a known
sequence.
"""
from __future__ import annotations

import math

import numpy as np
import pytest
import torch
from matplotlib.figure import Figure
from matplotlib.path import Path

from course_utils import captioning as cap
from course_utils import checks, viz, widgets
from course_utils.checks import WrongAnswer
from course_utils.text import Vocab
from course_utils.train import bleu

VOCAB = Vocab(cap.CAPTION_WORDS)


def obj(colour="orange", shape="disc", size="small", x=20.3, y=17.6):
    return cap.SceneObject(colour, shape, size, x, y)


# --------------------------------------------------------------------------- scenes

def test_scenes_are_seeded_clear_and_apart():
    scenes = cap.make_scenes(200, seed=3)
    assert scenes == cap.make_scenes(200, seed=3) and scenes != cap.make_scenes(200, seed=4)
    for s in scenes:
        dx, dy = abs(s.second.x - s.first.x), abs(s.second.y - s.first.y)
        assert max(dx, dy) >= 2 * min(dx, dy)                    # a clear relation
        assert not (cap.object_mask(s.first, 48) & cap.object_mask(s.second, 48)).any()
    relations = {cap.relation(s.first, s.second) for s in scenes}
    assert relations == set(cap.RELATIONS)


def test_held_out_pairs_are_excluded_or_required():
    def pairs(s):
        return {(o.colour, o.shape) for o in s[:2]}
    assert all(not pairs(s) & set(cap.HELD_OUT) for s in cap.make_scenes(300, seed=0))
    assert all(pairs(s) & set(cap.HELD_OUT) for s in cap.make_scenes(50, seed=0, require=True))


def test_relation_by_hand():
    a = obj(x=10, y=10)
    assert cap.relation(a, obj(x=12, y=30)) == "above"
    assert cap.relation(obj(x=12, y=30), a) == "below"
    assert cap.relation(a, obj(x=30, y=14)) == "left of"
    assert cap.relation(obj(x=30, y=14), a) == "right of"


def _oracle_inside(shape, px, py, cx, cy, r):
    if shape == "disc":
        return (px - cx) ** 2 + (py - cy) ** 2 <= r * r
    if shape == "square":
        return abs(px - cx) <= 0.8 * r and abs(py - cy) <= 0.8 * r
    if shape == "triangle":   # equilateral, inscribed in the circle of radius r, apex up
        h = r * math.sqrt(3) / 2
        poly = Path([(cx, cy - r), (cx + h, cy + r / 2), (cx - h, cy + r / 2)])
        return poly.contains_point((px, py))
    arm = 0.32 * r
    return ((abs(px - cx) <= arm and abs(py - cy) <= r)
            or (abs(py - cy) <= arm and abs(px - cx) <= r))


@pytest.mark.parametrize("shape", cap.SHAPES)
@pytest.mark.parametrize("size", list(cap.SIZES))
def test_object_mask_matches_a_pixel_by_pixel_oracle(shape, size):
    o = obj(shape=shape, size=size, x=21.37, y=25.81)
    mask = cap.object_mask(o, 48)
    r = cap.SIZES[size] * 48
    want = np.array([[_oracle_inside(shape, j + 0.5, i + 0.5, o.x, o.y, r) for j in range(48)]
                     for i in range(48)])
    assert (mask == want).all()
    assert mask.any() and not mask.all()


def test_grid_cover_against_a_loop():
    rng = np.random.default_rng(0)
    mask = rng.random((48, 48)) > 0.995
    got = cap.grid_cover(mask, 6)
    want = np.array([[mask[8 * i:8 * i + 8, 8 * j:8 * j + 8].any() for j in range(6)]
                     for i in range(6)])
    assert (got == want).all()


def test_rendered_objects_have_their_colours():
    scenes = cap.make_scenes(20, seed=1)
    X = cap.render_scenes(scenes, seed=2)
    assert X.shape == (20, 3, 48, 48) and X.dtype == torch.float32
    assert torch.equal(X, cap.render_scenes(scenes, seed=2))
    for image, s in zip(X.numpy(), scenes):
        for o in s[:2]:
            inner = cap.object_mask(o, 48, supersample=2) == 1
            rgb = image[:, inner].mean(1)
            want = np.array(cap.COLOURS[o.colour]) / 255
            assert np.abs(rgb - want).max() < 0.15, (o, rgb, want)
        background = ~(cap.object_mask(s.first, 48) | cap.object_mask(s.second, 48))
        assert image[:, background].mean() < 0.35


# --------------------------------------------------------------------------- grammar

def test_captions_parse_back_to_their_scene():
    for s in cap.make_scenes(100, seed=5):
        first, second = cap.scene_captions(s)
        for words, (a, b) in ((first, (s.first, s.second)), (second, (s.second, s.first))):
            p = cap.parse_caption(words)
            assert p.first == (a.size, a.colour, a.shape)
            assert p.second == (b.size, b.colour, b.shape)
            assert p.relation == cap.relation(a, b)
            assert cap.caption_errors(words, s) == 0 and cap.caption_column(words, s) == 0
            assert all(w in VOCAB for w in words)


SCENE = cap.Scene(obj("orange", "disc", "small", 24.0, 10.0),
                  obj("blue", "square", "large", 26.0, 34.0), 48)
HAND_COUNTS = [   # counted by hand for SCENE: a small orange disc above a large blue square
    ("a small orange disc above a large blue square", 0),
    ("a large blue square below a small orange disc", 0),
    ("a small orange disc below a large blue square", 1),
    ("a small orange disc right of a large blue square", 1),
    ("a small orange plus above a large blue square", 1),
    ("a small pink disc above a large blue square", 1),
    ("a large blue square above a small orange disc", 1),
    ("a small blue disc above a large orange square", 2),
    ("a large orange disc below a small blue square", 3),   # both sizes and the relation
    ("a large yellow triangle left of a small pink plus", 5),   # sizes fit the other way
    ("a small orange disc above a blue square", None),
    ("a small orange disc next to a large blue square", None),
    ("", None),
]


@pytest.mark.parametrize("text,count", HAND_COUNTS)
def test_error_count_against_hand_counts(text, count):
    assert cap.caption_errors(text, SCENE) == count
    assert cap.caption_column(text.split(), SCENE) == (2 if count is None else min(count, 2))
    mistakes = cap.caption_mistakes(text, SCENE)
    assert (mistakes is None) if count is None else len(mistakes) == count


def test_mistakes_name_the_attribute():
    assert cap.caption_mistakes("a small orange disc below a large blue square", SCENE) == \
        ["relation"]
    assert cap.caption_mistakes("a small orange plus above a large blue square", SCENE) == \
        ["shape"]


# --------------------------------------------------------------------------- model

def test_soft_attention_against_a_loop():
    g = torch.Generator().manual_seed(0)
    f, h = torch.randn(3, 7, 5, generator=g, dtype=torch.float64), torch.randn(
        3, 4, generator=g, dtype=torch.float64)
    W_f, W_h = torch.randn(6, 5, generator=g, dtype=torch.float64), torch.randn(
        6, 4, generator=g, dtype=torch.float64)
    v = torch.randn(6, generator=g, dtype=torch.float64)
    weights, context = cap.soft_attention(f, h, W_f, W_h, v)
    for n in range(3):
        e = torch.tensor([float(v @ torch.tanh(W_f @ f[n, l] + W_h @ h[n])) for l in range(7)],
                         dtype=torch.float64)
        a = torch.exp(e - e.max()) / torch.exp(e - e.max()).sum()
        torch.testing.assert_close(weights[n], a)
        torch.testing.assert_close(context[n], sum(a[l] * f[n, l] for l in range(7)))


def small_model(attention=True, seed=0):
    torch.manual_seed(seed)
    return cap.Captioner(len(VOCAB), embed=6, hidden=12, channels=(4, 6, 8), attend=5,
                         attention=attention).eval()


def test_model_shapes_and_weights():
    m = small_model()
    X = torch.rand(2, 3, 48, 48)
    features = m.encode(X)
    assert features.shape == (2, 36, 8)
    logits, (h, c), w = m.decode_step(torch.tensor([1, 1]), m.init_state(features), features)
    assert logits.shape == (2, len(VOCAB)) and h.shape == c.shape == (2, 12)
    torch.testing.assert_close(w.sum(1), torch.ones(2))
    tokens = VOCAB.encode_batch(["a small orange disc", "a large blue plus"], sos=True)
    assert m(X, tokens).shape == (2, tokens.shape[1], len(VOCAB))
    _, _, w_plain = small_model(attention=False).decode_step(
        torch.tensor([1, 1]), m.init_state(features), features)
    torch.testing.assert_close(w_plain, torch.full((2, 36), 1 / 36))


def test_forward_is_repeated_decode_steps_and_the_loss_is_cross_entropy():
    m = small_model()
    X = torch.rand(2, 3, 48, 48)
    tokens = VOCAB.encode_batch(["a small orange disc above a large blue square", "a large pink"],
                                sos=True, eos=True)
    logits = m(X, tokens[:, :-1])
    features = m.encode(X)
    state = m.init_state(features)
    for t in range(tokens.shape[1] - 1):
        step, state, _ = m.decode_step(tokens[:, t], state, features)
        torch.testing.assert_close(logits[:, t], step)
    out = cap.CaptionStep()(m, (X, tokens), {})
    target = tokens[:, 1:]
    log_p = torch.log_softmax(logits, -1)
    keep = target != 0
    want = -log_p.gather(2, target[..., None])[..., 0][keep].mean()
    torch.testing.assert_close(out.loss, want)
    assert out.count == int(keep.sum())


def test_greedy_is_the_argmax_of_teacher_forcing_on_its_own_output():
    m = small_model(seed=3)
    with torch.no_grad():
        m.out.weight.mul_(4.0)
        m.embed.weight.mul_(3.0)
    X = torch.rand(3, 3, 48, 48)
    ids, weights = cap.greedy_caption(m, X, max_len=9)
    assert weights.shape == (3, ids.shape[1], 36)
    for n in range(3):
        row = ids[n].tolist()
        end = row.index(2) + 1 if 2 in row else len(row)
        inputs = torch.tensor([[1] + row[:end - 1]])
        assert m(X[n:n + 1], inputs).argmax(-1)[0].tolist() == row[:end]
        assert all(i == 0 for i in row[end:])


def rigged_model(sequence):
    """A Captioner whose next word depends only on the previous one: ``sequence[k]`` follows
    ``sequence[k - 1]`` (``<sos>`` first); the image and attention play no part."""
    V = len(VOCAB)
    m = cap.Captioner(V, embed=V, hidden=V, channels=(2, 2, 2), attend=2).eval()
    with torch.no_grad():
        for p in m.parameters():
            p.zero_()
        m.embed.weight.copy_(10 * torch.eye(V))
        Wi = m.lstm.weight_ih                          # gates i, f, g, o; input [embed; context]
        Wi[2 * V:3 * V, :V] = torch.eye(V) * 10        # g = tanh(10 onehot)
        m.lstm.bias_ih[:V] = 20                        # input gate open
        m.lstm.bias_ih[V:2 * V] = -20                  # forget gate shut
        m.lstm.bias_ih[3 * V:] = 20                    # output gate open
        prev = [VOCAB.sos_id] + sequence[:-1]
        for a, b in zip(prev, sequence):
            m.out.weight[b, a] = 10.0
    return m


def test_greedy_decodes_a_rigged_model_exactly():
    words = "small orange disc above large blue square".split()
    seq = [VOCAB.index[w] for w in words] + [VOCAB.eos_id]
    m = rigged_model(seq)
    X = torch.rand(2, 3, 48, 48)
    captions = cap.caption_images(m, VOCAB, X)
    assert [c.words for c in captions] == [words, words]
    assert captions[0].weights.shape == (len(words) + 1, 6, 6)
    cycle = rigged_model([VOCAB.index["a"], VOCAB.index["small"], VOCAB.index["a"]])
    ids, _ = cap.greedy_caption(cycle, X, max_len=7)
    assert ids.shape == (2, 7) and VOCAB.eos_id not in ids


def test_caption_tensors_pairs_images_with_captions():
    scenes = cap.make_scenes(5, seed=0)
    X, Y = cap.caption_tensors(scenes, VOCAB, seed=1)
    assert X.shape == (5, 3, 48, 48) and Y[:, 0].eq(VOCAB.sos_id).all()
    for s, row in zip(scenes, Y):
        assert VOCAB.decode(row) in cap.scene_captions(s)
    X2, Y2 = cap.caption_tensors(scenes, VOCAB, seed=1, both=True)
    assert len(X2) == len(Y2) == 10 and torch.equal(X2[0], X2[1])
    assert [VOCAB.decode(Y2[0]), VOCAB.decode(Y2[1])] == cap.scene_captions(scenes[0])


def test_score_captions_columns_and_bleu():
    scenes = cap.make_scenes(4, seed=2)
    perfect = [cap.scene_captions(s)[1] for s in scenes]
    out = cap.score_captions(perfect, scenes)
    assert out["columns"].tolist() == [1.0, 0.0, 0.0] and out["bleu"] == pytest.approx(100)
    wrong = [["a"]] + perfect[1:]
    out = cap.score_captions(wrong, scenes)
    assert out["columns"].tolist() == [0.75, 0.0, 0.25] and out["parsed"] == 0.75
    assert out["bleu"] == pytest.approx(bleu(wrong, [cap.scene_captions(s) for s in scenes]))


def test_attention_on_objects_by_construction():
    s = SCENE
    words = cap.scene_captions(s)[0]
    cells = [cap.grid_cover(cap.object_mask(o, 48), 6) for o in (s.first, s.second)]
    w = np.full((len(words) + 1, 6, 6), 1 / 36)
    w[3] = cells[0] / cells[0].sum()              # "disc": all on the disc
    out = cap.attention_on_objects(cap.Caption(words, w), s)
    assert out[0] == (0, pytest.approx(1.0), pytest.approx(cells[0].mean()))
    assert out[1] == (1, pytest.approx(cells[1].mean()), pytest.approx(cells[1].mean()))
    assert cap.attention_on_objects(cap.Caption(["a"], w[:2]), s) == []


# --------------------------------------------------------------------------- figures, explorer

def test_renderers_draw_and_explain():
    image = cap.render_scenes([SCENE])[0]
    words = cap.scene_captions(SCENE)[0]
    fig = Figure()
    viz.render_caption(fig, image, words, np.full((len(words) + 1, 6, 6), 1 / 36), title="t")
    assert len(fig.axes) == 12
    fig = Figure()
    viz.render_caption(fig, image, words)
    assert len(fig.axes) == 6
    fig = Figure()
    viz.render_caption_gallery(fig, image[None].repeat(3, 1, 1, 1), [words] * 3, [0, 0, 2],
                               cap.COLUMNS, per_column=2)
    assert len(fig.axes) == 6


def test_explorer_draws_explains_overlap_and_survives_extremes():
    app = widgets.demo_apps()["caption_explorer"]()
    assert app.update().kind == "figure"
    result = app.set(x_2=app.controls["x_1"].value, y_2=app.controls["y_1"].value)
    assert result.kind == "message" and "overlap" in result.message
    for corner in ((4, 4, 44, 44), (44, 4, 4, 44), (24, 24, 24, 30)):
        result = app.set(x_1=corner[0], y_1=corner[1], x_2=corner[2], y_2=corner[3])
        assert result.error == "", result.message
    result = app.set(swap=True, x_1=10, y_1=10, x_2=40, y_2=40)
    assert result.kind == "figure"


# --------------------------------------------------------------------------- checkers

def test_checkers_accept_right_answers(capsys):
    checks.check_soft_attention(cap.soft_attention)
    checks.check_caption_errors(cap.caption_errors)
    out = capsys.readouterr().out
    assert out.count("Correct") == 2


def test_attention_checker_catches_an_unstable_softmax():
    def naive(f, h, W_f, W_h, v):
        e = torch.tanh(f @ W_f.T + (h @ W_h.T)[:, None]) @ v
        a = torch.exp(e.double() * 8).float()         # overflows on the large-score case
        a = a / a.sum(1, keepdim=True)
        return a, (a[..., None] * f).sum(1)
    with pytest.raises(WrongAnswer):
        checks.check_soft_attention(naive)


def test_error_checker_names_the_case():
    with pytest.raises(WrongAnswer, match="relation reversed"):
        checks.check_caption_errors(lambda w, s: None if cap.parse_caption(w) is None else 0)
