"""Figures of question answering (notebook 16): accuracy per task for several readers, accuracy
against story length or distance, and one story with the reader's answer probabilities."""
from __future__ import annotations

import textwrap
from typing import Mapping, Sequence

import numpy as np

from .._validate import as_numbers
from ._colours import BLACK, categorical

__all__ = ["render_task_accuracy", "render_accuracy_curves", "render_answer"]

LINE_STYLES = ("-", "--", ":", "-.")


def _runs(values, name: str) -> np.ndarray:
    """One accuracy or a list of them (one per seed), each in [0, 1]."""
    a = np.atleast_1d(as_numbers(values, name)).astype(float).ravel()
    if a.size == 0 or not np.isfinite(a).all() or a.min() < 0 or a.max() > 1:
        raise ValueError(f"{name} must be accuracies in [0, 1] (one per seed), got {values!r:.80}")
    return a


def _table(results, name: str) -> dict:
    if not isinstance(results, Mapping) or not results:
        raise ValueError(f"{name} must be a non-empty dict {{reader: {{group: accuracy or "
                         f"[accuracy per seed]}}}}")
    out = {}
    for reader, groups in results.items():
        if not isinstance(groups, Mapping) or not groups:
            raise ValueError(f"{name}[{reader!r}] must be a non-empty dict {{group: accuracy}}")
        out[str(reader)] = {str(g): _runs(v, f"{name}[{reader!r}][{g!r}]")
                            for g, v in groups.items()}
    return out


def render_task_accuracy(fig, results: Mapping, title: str = "",
                         chance: Mapping | None = None) -> None:
    """Grouped bars: accuracy per task (groups) for each reader (bars), the mean over seeds with
    each seed's value as a dot and printed above the bar.

    ``results``: {reader: {task: accuracy or [accuracy per seed]}}; ``chance`` (optional):
    {task: the majority baseline's accuracy}, drawn as a short black line over the task.
    """
    table = _table(results, "results")
    tasks = list(dict.fromkeys(t for groups in table.values() for t in groups))
    ax = fig.add_subplot(1, 1, 1)
    width = 0.8 / len(table)
    for k, (reader, groups) in enumerate(table.items()):
        for j, task in enumerate(tasks):
            if task not in groups:
                continue
            x = j - 0.4 + width * (k + 0.5)
            runs = groups[task]
            ax.bar(x, runs.mean(), width * 0.9, color=categorical(k), edgecolor=BLACK,
                   linewidth=0.5, label=reader if j == 0 else None)
            ax.plot(np.full(runs.size, x), runs, "o", color=BLACK, markersize=3)
            ax.text(x, runs.max() + 0.02, f"{runs.mean():.2f}", ha="center", fontsize=8)
    if chance is not None:
        if not isinstance(chance, Mapping):
            raise ValueError("chance must be a dict {task: accuracy}")
        for j, task in enumerate(tasks):
            if task in chance:
                c = float(_runs(chance[task], f"chance[{task!r}]").mean())
                ax.plot([j - 0.45, j + 0.45], [c, c], color=BLACK, linewidth=1.5,
                        label="majority answer" if j == 0 else None)
    ax.set_xticks(range(len(tasks)), tasks)
    ax.set_ylim(0, 1.32)
    ax.set_yticks(np.linspace(0, 1, 6))
    ax.set_ylabel("held-out accuracy")
    ax.legend(fontsize=8, loc="upper center", ncol=len(table) + (chance is not None))
    if title:
        ax.set_title(title, fontsize=10)
    fig.tight_layout()


def render_accuracy_curves(fig, curves: Mapping, xlabel: str, title: str = "",
                           trained_up_to: str | None = None) -> None:
    """Accuracy against a grouping (story length, distance), one line per reader: the mean over
    seeds, each seed's value as a dot. ``curves``: {reader: {group label: accuracy or [per
    seed]}}, the same group labels in order; ``trained_up_to`` (a group label): groups after it
    lie beyond the training stories (shaded)."""
    table = _table(curves, "curves")
    labels = list(dict.fromkeys(g for groups in table.values() for g in groups))
    if not isinstance(xlabel, str):
        raise ValueError(f"xlabel must be a string, got {type(xlabel).__name__}")
    ax = fig.add_subplot(1, 1, 1)
    if trained_up_to is not None:
        if trained_up_to not in labels:
            raise ValueError(f"trained_up_to must be one of the groups {labels}, got "
                             f"{trained_up_to!r}")
        start = labels.index(trained_up_to) + 0.5
        if start < len(labels) - 0.5:
            ax.axvspan(start, len(labels) - 0.5, color="0.9", zorder=0)
            ax.text(start + 0.05, 0.03, "longer than any\ntraining story", fontsize=8)
    for k, (reader, groups) in enumerate(table.items()):
        xs = [labels.index(g) for g in groups]
        means = [r.mean() for r in groups.values()]
        ax.plot(xs, means, LINE_STYLES[k % len(LINE_STYLES)], marker="o",
                color=categorical(k), label=reader)
        for x, r in zip(xs, groups.values()):
            ax.plot(np.full(r.size, x), r, ".", color=categorical(k), alpha=0.6)
    ax.set_xticks(range(len(labels)), labels)
    ax.set_xlabel(xlabel)
    ax.set_ylabel("held-out accuracy")
    ax.set_ylim(0, 1.02)
    ax.legend(fontsize=8, loc="lower left")
    if title:
        ax.set_title(title, fontsize=10)
    fig.tight_layout()


def render_answer(fig, sentences: Sequence[str], question: str, probs: Mapping,
                  truth: str | None = None, note: str = "", highlight: Sequence[int] = ()
                  ) -> None:
    """A story, its question and the reader's answer probabilities.

    Left: the numbered sentences (those in ``highlight``, the supporting facts, in bold), the
    question, and ``note`` if any. Right: one bar per answer, the probabilities (summing to 1),
    the chosen answer's bar outlined and ``truth`` (the right answer, if known) marked.
    """
    if isinstance(sentences, str) or not isinstance(sentences, (list, tuple)):
        raise ValueError("sentences must be a list of sentences (strings)")
    if not all(isinstance(s, str) for s in sentences):
        raise ValueError("sentences must be strings")
    if not isinstance(question, str) or not isinstance(note, str):
        raise ValueError("question and note must be strings")
    if not isinstance(probs, Mapping) or len(probs) < 2:
        raise ValueError("probs must be a dict {answer: probability} with at least two answers")
    names = [str(a) for a in probs]
    p = as_numbers(list(probs.values()), "probs").astype(float)
    if not np.isfinite(p).all() or p.min() < -1e-6 or abs(p.sum() - 1) > 1e-3:
        raise ValueError(f"probs must be probabilities summing to 1, got a sum of {p.sum():.3f}")
    if truth is not None and truth not in names:
        raise ValueError(f"truth must be one of the answers {names}, got {truth!r}")
    bold = {int(i) for i in highlight}
    ax_text = fig.add_axes((0.01, 0.02, 0.55, 0.92))
    ax_text.axis("off")
    shown = sentences[-14:]
    skipped = len(sentences) - len(shown)
    lines = [(f"(… {skipped} earlier sentences)", False)] if skipped else []
    lines += [(f"{skipped + i + 1:>2}. {s}", skipped + i in bold) for i, s in enumerate(shown)]
    lines += [("", False), (f"Q: {question}", True)]
    if note:
        lines += [(t, False) for t in textwrap.wrap(note, 52)]
    step = min(0.06, 0.95 / max(len(lines), 1))
    for k, (t, b) in enumerate(lines):
        ax_text.text(0.0, 0.97 - k * step, t, fontsize=9, va="top", family="monospace",
                     fontweight="bold" if b else "normal")
    ax = fig.add_axes((0.66, 0.12, 0.31, 0.8))
    y = np.arange(len(names))[::-1]
    best = int(p.argmax())
    colours = [categorical(0) if i == best else categorical(5) for i in range(len(names))]
    ax.barh(y, p, color=colours, edgecolor=[BLACK if i == best else "none"
                                            for i in range(len(names))])
    for yi, v in zip(y, p):
        ax.text(min(v + 0.02, 0.8), yi, f"{v:.2f}", va="center", fontsize=8)
    ax.set_yticks(y, [f"{n}  (right)" if n == truth else n for n in names], fontsize=8)
    ax.set_xlim(0, 1)
    ax.set_xlabel("p(answer | story, question)", fontsize=8)
    ax.set_title(f"answer: {names[best]}", fontsize=10)
