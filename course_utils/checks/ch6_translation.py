"""Checkers of notebook 14's exercises (sequence to sequence translation): a greedy decoder and
BLEU by hand."""
from __future__ import annotations

import numbers

from .core import WrongAnswer, call_student, checker, expect_close, expect_equal, format_message

__all__ = ["check_greedy_translate", "check_sentence_bleu", "BLEU_CASES"]

BLEU_CASES = (
    # (candidate, reference, max_n, what the case tests)
    ("sieben und neunzig", "sieben und neunzig", 2, "a perfect translation"),
    ("drei hundert sieben und vierzig", "drei hundert sieben und vierzig", 4,
     "a perfect translation, 4-grams"),
    ("drei hundert vier und siebzig", "drei hundert sieben und vierzig", 2,
     "two words wrong"),
    ("drei hundert", "drei hundert sieben und vierzig", 2,
     "a short candidate: the brevity penalty"),
    ("und und und und", "sieben und neunzig", 1, "a repeated word: clipped counts"),
    ("acht tausend neun hundert neun und neunzig", "acht tausend neun hundert neun und neunzig", 4,
     "a repeated bigram in the reference"),
    ("neun und neunzig", "sieben und vierzig", 2, "no matching bigram: BLEU is 0"),
    ("zwei tausend drei hundert eins", "zwei tausend drei hundert und eins", 3,
     "a missing word"),
)


@checker("sentence_bleu")
def check_sentence_bleu(student_fn) -> str:
    """``student_fn(candidate, reference, max_n)``: the BLEU of one sentence (word lists), in
    percent. Oracle: :func:`course_utils.train.bleu` ([candidate], [[reference]]), which
    tests/test_train_steps.py checks against nltk's corpus_bleu."""
    from ..train.metrics import bleu

    for cand, ref, n, what in BLEU_CASES:
        c, r = cand.split(), ref.split()
        where = f"{what}: candidate {cand!r}, reference {ref!r}, max_n={n}"
        got = call_student(student_fn, where, list(c), list(r), n)
        if isinstance(got, bool) or not isinstance(got, numbers.Real):
            raise WrongAnswer(format_message(f"got a {type(got).__name__}, expected a number",
                                             where, "return the BLEU score, a float in 0..100"))
        want = bleu([c], [[r]], max_n=n)
        hint = ("BLEU = 100 * BP * exp(mean over n = 1..max_n of log p_n); p_n counts each "
                "n-gram of the candidate at most as often as the reference has it; BP = "
                "exp(1 - r/c) when the candidate is shorter; any p_n = 0 gives 0")
        if 0.9 < want and abs(float(got) - want / 100) < 1e-6:
            hint = "give the score in percent (0-100), not as a fraction"
        expect_close(float(got), want, where=where, hint=hint, rtol=1e-6, atol=1e-6)
    return f"agrees with the reference implementation on {len(BLEU_CASES)} sentence pairs."


@checker("greedy_translate")
def check_greedy_translate(student_fn) -> str:
    """``student_fn(model, src, max_len)``: greedy decoding of one sentence, ``src`` (S,) ids ->
    a list of output ids ending with ``<eos>`` (2), or ``max_len`` ids if none came.
    Oracle: :func:`course_utils.seq2seq.greedy_decode` on small random models."""
    import torch

    from ..seq2seq.decode import greedy_decode
    from ..seq2seq.model import EOS_ID, Seq2Seq

    cases = 0
    for seed, max_len in ((4, 12), (5, 12), (4, 3)):
        torch.manual_seed(seed)
        model = Seq2Seq(9, 11, embed=8, hidden=16).eval()
        with torch.no_grad():   # the previous word matters more: outputs that vary, and <eos>
            model.tgt_embed.weight.mul_(3.0)
            model.decoder.weight_ih.mul_(3.0)
            model.decoder.weight_hh.mul_(0.3)
            model.out.weight.mul_(3.0)
        for src in ([4, 5, 6], [7, 4, 8, 5, 6], [8]):
            src_t = torch.tensor(src)
            where = f"a random model (seed {seed}), src={src}, max_len={max_len}"
            got = call_student(student_fn, where, model, src_t.clone(), max_len)
            if isinstance(got, torch.Tensor):
                got = got.flatten().tolist()
            if not isinstance(got, (list, tuple)):
                raise WrongAnswer(format_message(f"got a {type(got).__name__}, expected a list of "
                                                 "ids", where, "return a list of ints"))
            ids = greedy_decode(model, src_t[None], max_len)[0][0].tolist()
            want = ids[:ids.index(EOS_ID) + 1] if EOS_ID in ids else ids
            expect_equal([int(i) for i in got], want, where=where,
                         hint="start from <sos> (id 1) and the encoder's hidden state; at each "
                              "step feed back the argmax of the logits; stop after <eos> (id 2), "
                              "included, or after max_len words")
            cases += 1
    return f"matches greedy decoding on {cases} sentences of 3 random models."
