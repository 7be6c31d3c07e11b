"""Checkers of notebook 16's exercises (question answering): the rule-based answerer of the
single-fact task, and the story-blind majority baseline by hand."""
from __future__ import annotations

import numbers
from collections import Counter

from .core import WrongAnswer, call_student, checker, expect_close, expect_equal, format_message

__all__ = ["check_where_is", "check_majority_accuracy", "WHERE_IS_STORIES"]

WHERE_IS_STORIES = (
    # (story, person, right answer, what the case tests)
    (["mary went to the kitchen ."], "mary", "kitchen", "one sentence"),
    (["mary went to the kitchen .", "john moved to the garden ."], "mary", "kitchen",
     "a distractor after the fact"),
    (["mary went to the kitchen .", "mary journeyed to the office ."], "mary", "office",
     "two moves: the last one counts"),
    (["mary went to the kitchen .", "mary took the apple .", "mary dropped the apple ."], "mary",
     "kitchen", "taking and dropping an object does not move a person"),
    (["john travelled to the hallway ."], "mary", None, "a person the story never moves"),
    (["sandra moved to the bedroom .", "daniel went to the bathroom .",
      "sandra picked up the milk ."], "sandra", "bedroom", "the last sentence about sandra is "
     "not a move"),
)


@checker("where_is")
def check_where_is(student_fn) -> str:
    """``student_fn(story, person)``: the place of ``person``'s last move in ``story`` (a list
    of sentences), or None. Oracle: :func:`course_utils.qa.replay_story`, the world simulator
    (tests/test_qa.py checks it against a brute-force replay), on hand-made cases and 300
    generated stories."""
    from ..qa.stories import PEOPLE, make_dataset, replay_story

    hint = ("go through the sentences in order; a sentence 'NAME <verb> to the PLACE .' moves "
            "NAME (the verbs: went, moved, journeyed, travelled); the last such sentence wins; "
            "taking or dropping an object does not move anybody; return None if NAME never "
            "moves")
    cases = [(s, p, a, w) for s, p, a, w in WHERE_IS_STORIES]
    for k, ex in enumerate(make_dataset(300, (1, 15), tasks=["one fact"], seed=16)):
        world = replay_story(ex.story)["person"]
        person = PEOPLE[k % len(PEOPLE)]
        cases.append((ex.story, person, world[person][0] if person in world else None,
                      f"generated story #{k}"))
    for story, person, want, what in cases:
        shown = " ".join(story) if len(story) <= 4 else f"{' '.join(story[:3])} ... " \
                                                        f"({len(story)} sentences)"
        where = f"{what}: where_is({shown!r}, {person!r})"
        got = call_student(student_fn, where, list(story), person)
        if got is not None and not isinstance(got, str):
            raise WrongAnswer(format_message(f"got a {type(got).__name__}, expected a place "
                                             "(a string) or None", where, hint))
        expect_equal(got, want, where=where, hint=hint)
    return (f"your rules answer all {len(cases)} questions like the world simulator: the "
            "program the network has to learn from examples.")


def _counts_agree(train, test) -> bool:
    """True when no task has a tie for its most frequent training answer."""
    from ..qa.stories import TASKS

    for task in TASKS:
        top = Counter(e.answer for e in train if e.task == task).most_common(2)
        if len(top) == 2 and top[0][1] == top[1][1]:
            return False
    return True


@checker("majority_accuracy")
def check_majority_accuracy(student_fn) -> str:
    """``student_fn(train, test)``: {task: accuracy on ``test`` of always giving the most
    frequent training answer of that task}. Oracle: an independent count here (Counter), on
    datasets without ties."""
    from ..qa.stories import TASKS, make_dataset

    hint = ("for each task, count the answers of that task's training examples, take the most "
            "frequent one, and give the fraction of that task's test examples whose answer it is")
    checked = 0
    for seed in range(40):
        train = make_dataset(60, (2, 8), seed=seed)
        test = make_dataset(45, (2, 8), seed=1000 + seed)
        if not _counts_agree(train, test):
            continue
        where = f"train = make_dataset(60, (2, 8), seed={seed}), test = make_dataset(45, ..., " \
                f"seed={1000 + seed})"
        got = call_student(student_fn, where, list(train), list(test))
        if not isinstance(got, dict):
            raise WrongAnswer(format_message(f"got a {type(got).__name__}, expected a dict "
                                             "{task: accuracy}", where, hint))
        expect_equal(sorted(got), sorted(TASKS), where=where + " (the keys)",
                     hint="one entry per task: " + ", ".join(map(repr, TASKS)))
        for task in TASKS:
            top = Counter(e.answer for e in train if e.task == task).most_common(1)[0][0]
            tests = [e for e in test if e.task == task]
            want = sum(e.answer == top for e in tests) / len(tests)
            value = got[task]
            if isinstance(value, bool) or not isinstance(value, numbers.Real):
                raise WrongAnswer(format_message(f"got {value!r} for {task!r}, expected a number",
                                                 where, hint))
            if abs(float(value) - 100 * want) < 1e-6 and want > 0:
                raise WrongAnswer(format_message(f"got {value} for {task!r}, a percentage",
                                                 where, "give a fraction in 0..1"))
            expect_close(float(value), want, where=f"{where}, task {task!r}", hint=hint,
                         rtol=1e-9, atol=1e-9)
        checked += 1
        if checked == 5:
            break
    return f"agrees with an independent count on {checked} pairs of datasets."
