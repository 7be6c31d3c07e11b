"""Question answering on generated bAbI-style stories (notebook 16).

:mod:`~course_utils.qa.stories` (the story generator: people, places, objects; task types "one
fact", "two facts", "yes/no"; supporting facts and distances; :func:`replay_story`, the world
simulator), :mod:`~course_utils.qa.reader` (:class:`QAReader`, an LSTM that reads one sentence
per step, its inputs and its training step :class:`QAStep` for :func:`course_utils.train.fit`),
:mod:`~course_utils.qa.evaluate` (answers, accuracy by task, story length and distance, the
majority baseline, answering a typed story). Word ids come from :class:`course_utils.text.Vocab`.
"""
from .evaluate import (
    GROUPINGS,
    Answer,
    accuracy_by,
    answer_question,
    majority_baseline,
    parse_story,
    predict_answers,
)
from .reader import (
    ORDERS,
    QAReader,
    QAStep,
    answer_ids,
    check_examples,
    encode_examples,
    encode_sentences,
    reading_order,
)
from .stories import (
    ANSWERS,
    OBJECTS,
    PEOPLE,
    PLACES,
    TASKS,
    QAExample,
    make_dataset,
    make_story,
    replay_story,
)

__all__ = ["QAExample", "PEOPLE", "PLACES", "OBJECTS", "TASKS", "ANSWERS", "make_story",
           "make_dataset", "replay_story", "ORDERS", "QAReader", "QAStep", "encode_examples",
           "encode_sentences", "answer_ids", "reading_order", "check_examples",
           "predict_answers", "accuracy_by", "majority_baseline", "parse_story", "Answer",
           "answer_question", "GROUPINGS"]
