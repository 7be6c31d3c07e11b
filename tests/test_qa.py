"""Question answering (notebook 16): the story generator against a brute-force world simulator,
the reader against a hand-written LSTM on unpadded input, padding that never changes an answer,
the scores against plain counts, the explorers on every kind of input, and the checkers."""
from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from course_utils import checks, qa, viz, widgets
from course_utils.checks import STUB_MESSAGE, WrongAnswer
from course_utils.text import Vocab
from course_utils.train import fit

PEOPLE = {"mary", "john", "sandra", "daniel"}
PLACES = {"kitchen", "garden", "office", "bathroom", "hallway", "bedroom"}
OBJECTS = {"apple", "football", "milk"}


def brute_force(story, question):
    """An independent oracle: replay the story event by event keeping the whole world (every
    person's place, every object's holder or resting place, and the sentence each came from),
    then read the answer, the supporting sentences and the distance off the question."""
    where, moved_at = {}, {}
    held_by, lies_at, touched_at = {}, {}, {}
    for i, sentence in enumerate(story):
        w = sentence.split()
        assert w[-1] == "." and w[0] in PEOPLE, sentence
        who, what = w[0], w[-2]
        if what in PLACES:
            assert w[-3:-1] == ["the", what] and "to" in w, sentence
            assert where.get(who) != what, f"a move to where {who} already is: {sentence}"
            where[who], moved_at[who] = what, i
        elif any(v in sentence for v in ("took", "picked up", "grabbed")):
            assert who in where, f"{who} takes before being anywhere: {sentence}"
            assert what not in held_by, f"{what} is already held: {sentence}"
            assert lies_at.get(what, where[who]) == where[who], f"{what} is elsewhere: {sentence}"
            held_by[what], touched_at[what] = who, i
        else:
            assert held_by.get(what) == who, f"{who} drops what they do not hold: {sentence}"
            del held_by[what]
            lies_at[what], touched_at[what] = where[who], i
    q = question.split()
    if q[:2] == ["where", "is"] and q[2] in PEOPLE:
        answer, support = where[q[2]], [moved_at[q[2]]]
    elif q[:3] == ["where", "is", "the"]:
        o = q[3]
        if o in held_by:
            holder = held_by[o]
            answer, support = where[holder], [touched_at[o], moved_at[holder]]
        else:
            answer = lies_at[o]
            dropper = story[touched_at[o]].split()[0]
            last_move = max(j for j in range(touched_at[o]) if story[j].split()[0] == dropper
                            and story[j].split()[-2] in PLACES)
            support = [touched_at[o], last_move]
    else:
        assert q[0] == "is" and q[2:4] == ["in", "the"], question
        answer, support = ("yes" if where[q[1]] == q[4] else "no"), [moved_at[q[1]]]
    support = tuple(sorted(support))
    return answer, support, len(story) - 1 - support[-1]


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_every_answer_agrees_with_a_brute_force_world(seed):
    examples = qa.make_dataset(600, (2, 25), seed=seed)
    for ex in examples:
        assert brute_force(ex.story, ex.question) == (ex.answer, ex.support, ex.distance), ex
    assert {e.task for e in examples} == set(qa.TASKS)
    yes = [e.answer == "yes" for e in examples if e.task == "yes/no"]
    assert 0.35 < np.mean(yes) < 0.65
    assert max(e.distance for e in examples) >= 15            # long lags occur
    assert {len(e.support) for e in examples if e.task == "two facts"} == {2}


def test_the_generator_is_seeded():
    assert qa.make_dataset(30, seed=4) == qa.make_dataset(30, seed=4)
    assert qa.make_dataset(30, seed=4) != qa.make_dataset(30, seed=5)
    assert qa.make_story("yes/no", 5, rng=np.random.default_rng(3)) == qa.make_story("yes/no", 5, 3)


def test_replay_story_keeps_an_object_with_its_holder():
    story = ["mary went to the kitchen .", "mary took the apple .", "john went to the office .",
             "mary moved to the garden ."]
    world = qa.replay_story(story)
    assert world["person"] == {"mary": ("garden", 3), "john": ("office", 2)}
    assert world["object"] == {"apple": ("garden", [1, 3])}
    dropped = qa.replay_story(story + ["mary dropped the apple .", "mary went to the hallway ."])
    assert dropped["object"]["apple"] == ("garden", [3, 4])


# --------------------------------------------------------------------------- the reader


def manual_reader(model, sentences_ids):
    """The reader, written out: each sentence's embedding sum, then the LSTM equations with
    PyTorch's weights (gates i, f, g, o), one unpadded story at a time."""
    E = model.embed.weight
    W_ih, W_hh = model.lstm.weight_ih_l0, model.lstm.weight_hh_l0
    b = model.lstm.bias_ih_l0 + model.lstm.bias_hh_l0
    H = model.hidden
    h, c = torch.zeros(H, dtype=E.dtype), torch.zeros(H, dtype=E.dtype)
    for ids in sentences_ids:
        x = E[torch.tensor(ids)].sum(0)
        z = W_ih @ x + W_hh @ h + b
        i, f, g, o = torch.sigmoid(z[:H]), torch.sigmoid(z[H:2 * H]), torch.tanh(
            z[2 * H:3 * H]), torch.sigmoid(z[3 * H:])
        c = f * c + i * g
        h = o * torch.tanh(c)
    return model.out.weight @ h + model.out.bias


def small_setup(n=12, seed=0):
    examples = qa.make_dataset(n, (2, 9), seed=seed)
    vocab = Vocab.from_sentences([s for e in qa.make_dataset(200, seed=9) for s in e.story
                                  + [e.question]])
    torch.manual_seed(seed)
    return examples, vocab, qa.QAReader(len(vocab), embed=6, hidden=7).double()


@pytest.mark.parametrize("order", qa.ORDERS)
def test_reader_matches_the_lstm_equations_on_unpadded_stories(order):
    examples, vocab, model = small_setup()
    ids = qa.encode_examples(examples, vocab, order)
    got = model(ids)
    for n, ex in enumerate(examples):
        sentences = qa.reading_order(ex.story, ex.question, order)
        want = manual_reader(model, [vocab.encode(s) for s in sentences])
        torch.testing.assert_close(got[n], want, rtol=1e-10, atol=1e-10)
    # the question comes where the order says, every word in its own sentence row
    first = ids[0]
    q_row = {"question last": len(examples[0].story), "question first": 0, "question only": 0}
    assert vocab.decode(first[q_row[order]][first[q_row[order]] != 0]) == examples[0].question.split()


def test_padding_never_changes_an_answer():
    examples, vocab, model = small_setup(8)
    ids = qa.encode_examples(examples, vocab)
    base = model(ids)
    wider = F.pad(ids, (0, 3, 0, 5))                    # more pad words and more pad sentences
    torch.testing.assert_close(model(wider), base, rtol=1e-12, atol=1e-12)
    for n in range(len(examples)):                      # alone, padded only to its own size
        torch.testing.assert_close(model(qa.encode_examples([examples[n]], vocab))[0], base[n],
                                   rtol=1e-12, atol=1e-12)
    states = model.states(ids)
    assert states.shape == (*ids.shape[:2], model.hidden)


def test_qa_step_loss_is_the_cross_entropy_and_training_learns():
    examples = qa.make_dataset(400, (2, 4), tasks=["one fact"], seed=1)
    vocab = Vocab.from_sentences([s for e in examples for s in e.story + [e.question]])
    X, y = qa.encode_examples(examples, vocab), qa.answer_ids(examples)
    torch.manual_seed(0)
    model = qa.QAReader(len(vocab), embed=16, hidden=32)
    out = qa.QAStep()(model, (X[:16], y[:16]), {})
    torch.testing.assert_close(out.loss, F.cross_entropy(model(X[:16]), y[:16]))
    assert out.count == 16 and out.totals["acc"] == int((model(X[:16]).argmax(1) == y[:16]).sum())
    history = fit(model, (X, y), epochs=12, batch_size=32, step=qa.QAStep(), seed=0,
                  optimizer=lambda p: torch.optim.Adam(p, lr=0.01), progress=False, device="cpu")
    assert history["train_loss"][-1] < 0.6 * history["train_loss"][0]
    probs = qa.predict_answers(model, examples, vocab)
    np.testing.assert_allclose(probs.sum(1), 1.0, rtol=1e-5)
    assert probs.shape == (len(examples), len(qa.ANSWERS))


# --------------------------------------------------------------------------- scores


def test_accuracy_by_agrees_with_plain_counts():
    examples = qa.make_dataset(300, (2, 14), seed=3)
    rng = np.random.default_rng(0)
    correct = rng.random(len(examples)) < 0.6
    by_task = qa.accuracy_by(examples, correct)
    for t in qa.TASKS:
        sel = [c for e, c in zip(examples, correct) if e.task == t]
        assert by_task[t] == (pytest.approx(np.mean(sel)), len(sel))
    by_len = qa.accuracy_by(examples, correct, "length", [2, 5, 9, 15])
    assert list(by_len) == ["2-4", "5-8", "9-14"]
    sel = [c for e, c in zip(examples, correct) if 5 <= len(e.story) <= 8]
    assert by_len["5-8"] == (pytest.approx(np.mean(sel)), len(sel))
    by_dist = qa.accuracy_by(examples, correct, "distance")
    assert sum(n for _, n in by_dist.values()) == len(examples)
    assert qa.accuracy_by(examples, correct, "distance", [0, 1, 2])["0"][1] == sum(
        e.distance == 0 for e in examples)


def test_majority_baseline_against_a_count():
    train, test = qa.make_dataset(90, seed=0), qa.make_dataset(60, seed=1)
    got = qa.majority_baseline(train, test)
    for t in qa.TASKS:
        answers = [e.answer for e in train if e.task == t]
        counts = {a: answers.count(a) for a in qa.ANSWERS}
        best = [a for a in qa.ANSWERS if counts[a] == max(counts.values())][0]
        tests = [e for e in test if e.task == t]
        assert got[t] == pytest.approx(sum(e.answer == best for e in tests) / len(tests))


def test_parse_story():
    assert qa.parse_story("Mary went to the Kitchen. John took the apple.\n") == [
        "mary went to the kitchen .", "john took the apple ."]
    assert qa.parse_story(" . .. ") == [] and qa.parse_story("a, b") == ["a b ."]


def test_answer_question_notes_and_messages():
    _, vocab, model = small_setup()
    a = qa.answer_question(model.float(), vocab, "Mary went to the kitchen.", "Where is Daniel?")
    assert a.question == "where is daniel ?" and "never says where daniel" in a.note
    assert a.answer in qa.ANSWERS and sum(a.probs.values()) == pytest.approx(1.0, abs=1e-5)
    ok = qa.answer_question(model, vocab, "Mary went to the kitchen.", "Where is Mary")
    assert ok.note == "" and ok.sentences == ["mary went to the kitchen ."]
    odd = qa.answer_question(model, vocab, "Mary took the apple.", "Where is the apple?")
    assert "not one the generator" in odd.note
    for story, question, needle in (("", "where is mary ?", "story is empty"),
                                    ("mary went to the kitchen.", " ? ", "question is empty"),
                                    ("mary flew to the moon.", "where is mary?", "'flew', 'moon'")):
        with pytest.raises(ValueError, match=needle):
            qa.answer_question(model, vocab, story, question)


# --------------------------------------------------------------------------- figures, explorers


def test_renderers_draw():
    from matplotlib.figure import Figure

    viz.render_task_accuracy(Figure(), {"a": {"one fact": [0.9, 0.8], "yes/no": 0.7},
                                        "b": {"one fact": 0.2}}, chance={"one fact": 0.17})
    viz.render_accuracy_curves(Figure(), {"a": {"2-4": [0.9, 0.8], "5-8": 0.7}}, "length",
                               trained_up_to="2-4")
    viz.render_answer(Figure(), [f"s{i} ." for i in range(20)], "q ?",
                      {"yes": 0.25, "no": 0.75}, truth="no", note="a note " * 20, highlight=[19])


def _box():
    _, vocab, model = small_setup()
    model = model.float()
    return widgets.qa_box(lambda s, q: qa.answer_question(model, vocab, s, q))


@pytest.mark.parametrize("story,question,kind,needle", [
    ("Mary went to the kitchen.", "Where is Mary?", "figure", ""),
    ("MARY WENT TO THE KITCHEN", "where is mary", "figure", ""),
    ("Mary went to the kitchen.", "Where is Daniel?", "figure", ""),
    ("John took the apple.", "Where is the apple?", "figure", ""),
    ("", "Where is Mary?", "message", "story is empty"),
    ("   .  ", "Where is Mary?", "message", "story is empty"),
    ("Mary went to the kitchen.", "", "message", "question is empty"),
    ("Mary went to the moon.", "Where is Mary?", "message", "never saw the word(s) 'moon'"),
    ("Mary went to the kitchen.", "Où est Mary \u2603?", "message", "never saw"),
    ("mary went to the kitchen. " * 300, "where is mary?", "message", "5,000"),
    ("mary went to the kitchen. john went to the garden. " * 20, "where is mary?", "figure", ""),
])
def test_qa_box_never_shows_a_traceback(story, question, kind, needle):
    r = _box().set(story=story, question=question)
    assert r.error == "" and r.kind == kind, (story, question, r.message)
    assert needle in r.message


def test_qa_explorer_demo_draws_every_story_for_both_readers():
    app = widgets.demo_apps()["qa_explorer"]()
    pngs = set()
    for reader in app.controls["reader"].options:
        for i in range(app.controls["story"].max + 1):
            r = app.set(reader=reader, story=i)
            assert r.kind == "figure" and not r.error, r.message
            pngs.add(r.png)
    assert len(pngs) == 2 * (app.controls["story"].max + 1)


# --------------------------------------------------------------------------- checkers


def stub(*args):
    raise NotImplementedError(STUB_MESSAGE)


def test_where_is_checker_answers_all_three_ways(capsys):
    def where_is(story, person):
        place = None
        for s in story:
            w = s.split()
            if w[0] == person and w[-3] == "the" and w[-2] in PLACES:
                place = w[-2]
        return place

    checks.check_where_is(where_is)
    assert capsys.readouterr().out.startswith("Correct")
    checks.check_where_is(stub)
    assert "Not done yet" in capsys.readouterr().out
    with pytest.raises(WrongAnswer, match="never moves"):
        checks.check_where_is(lambda story, person: "kitchen")


def test_majority_checker_answers_all_three_ways(capsys):
    checks.check_majority_accuracy(qa.majority_baseline)
    assert capsys.readouterr().out.startswith("Correct")
    checks.check_majority_accuracy(stub)
    assert "Not done yet" in capsys.readouterr().out
    with pytest.raises(WrongAnswer, match="task 'one fact'"):
        checks.check_majority_accuracy(lambda tr, te: {t: 0.5 for t in qa.TASKS})
