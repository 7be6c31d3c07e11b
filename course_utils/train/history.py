"""The record of a training run: one row of metrics per epoch, plus the loss and gradient norm
of every step. :func:`course_utils.train.fit` returns one; :func:`course_utils.viz.render_history`
draws it.
"""
from __future__ import annotations

import math
import re
from typing import Iterator

__all__ = ["METRICS", "History"]

# The columns every record has (nan where a run has no such value): a classifier's metrics.
METRICS = ("epoch", "train_loss", "train_acc", "test_loss", "test_acc", "lr", "seconds")
# Other metrics are "train_<name>" or "test_<name>" (e.g. train_ppl, test_bleu), as a step or a
# callback reports them.
_NAME = re.compile(r"(train|test)_[a-z][a-z0-9_]*")
_HIGHER_IS_BETTER = ("acc", "accuracy", "bleu", "exact")


def check_metric_names(names, where: str = "metrics") -> None:
    """ValueError unless every name is a standard column or ``train_<name>``/``test_<name>``."""
    bad = sorted(n for n in names if n not in METRICS and not (isinstance(n, str)
                                                               and _NAME.fullmatch(n)))
    if bad:
        raise ValueError(f"unknown {where} {bad}: a metric is one of {METRICS} or named "
                         "'train_<name>' / 'test_<name>' (lower case, e.g. 'test_bleu')")


class History:
    """Per-epoch records of a training run, plus the loss and gradient norm of every step.

    ``history["test_acc"]`` is the list of one metric over the epochs. Every record has the
    columns ``epoch, train_loss, train_acc, test_loss, test_acc, lr, seconds`` (``nan`` where a
    run has no such value, e.g. test metrics without a test set); runs with another training step
    add their own, named ``train_<name>``/``test_<name>`` (a language model's ``train_ppl``, a
    callback's ``test_bleu``). ``history.records`` are the per-epoch dicts, ``history.last`` the
    final one; ``history.step_losses`` is the training loss of each mini-batch in order and
    ``history.step_grad_norms`` the global gradient norm ||g||_2 = sqrt(sum_p ||dL/dp||^2) of
    each step, measured before any clipping. Accuracies are fractions in [0, 1]; ``seconds`` is
    each epoch's wall time (training and evaluation), ``total_seconds`` their sum.
    """

    def __init__(self, label: str = ""):
        self.label = label
        self.records: list[dict[str, float]] = []
        self.step_losses: list[float] = []
        self.step_grad_norms: list[float] = []

    def append(self, **record: float) -> None:
        check_metric_names(record)
        row = {k: record.get(k, math.nan) for k in METRICS}
        row.update((k, v) for k, v in record.items() if k not in METRICS)
        self.records.append(row)

    def keys(self) -> tuple[str, ...]:
        """The standard columns, then the run's own metrics in the order they first appeared."""
        extra = [k for r in self.records for k in r if k not in METRICS]
        return METRICS + tuple(dict.fromkeys(extra))

    def __getitem__(self, key: str) -> list[float]:
        if key in ("step_losses", "step_grad_norms"):
            return list(getattr(self, key))
        if key not in self.keys():
            raise KeyError(f"{key!r} is not a metric of this run; it has "
                           f"{self.keys() + ('step_losses', 'step_grad_norms')}")
        return [r.get(key, math.nan) for r in self.records]

    def __len__(self) -> int:
        return len(self.records)

    def __iter__(self) -> Iterator[dict[str, float]]:
        return iter(self.records)

    @property
    def last(self) -> dict[str, float]:
        if not self.records:
            raise ValueError("the history is empty: no epoch has finished")
        return dict(self.records[-1])

    @property
    def total_seconds(self) -> float:
        return float(sum(self["seconds"]))

    def best(self, metric: str = "test_acc") -> float:
        """The best value of a metric over the epochs: the largest for accuracies and BLEU
        (names ending in ``acc``, ``accuracy``, ``bleu``, ``exact``), the smallest otherwise
        (losses, perplexities)."""
        if not isinstance(metric, str) or metric not in self.keys():
            raise ValueError(f"metric must be one of this run's metrics {self.keys()}, "
                             f"got {metric!r}")
        values = [v for v in self[metric] if not math.isnan(v)]
        if not values:
            raise ValueError(f"no values of {metric!r} were recorded")
        return max(values) if metric.endswith(_HIGHER_IS_BETTER) else min(values)

    def __repr__(self) -> str:
        head = f"History({self.label!r}, {len(self)} epochs)" if self.label else \
            f"History({len(self)} epochs)"
        shown = [k for k in self.keys() if k not in ("epoch", "seconds")
                 and any(not math.isnan(r.get(k, math.nan)) for r in self.records)]
        lines = [head, " epoch" + "".join(f"  {k:>10}" for k in shown)]
        for r in self.records:
            lines.append(f"{int(r['epoch']):6d}" + "".join(
                f"  {r.get(k, math.nan):10.4g}" if k == "lr" else f"  {r.get(k, math.nan):10.4f}"
                for k in shown))
        return "\n".join(lines)
