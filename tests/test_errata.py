"""The errata of the lecture notes: every callout in a notebook is in README.md's table, and every
row of the table has its callout.

A callout is a markdown cell (or a block inside one) of exactly this form (CONTRIBUTING, "Errata")::

    <a id="erratum-SLUG"></a>
    > **Erratum in the notes.** The notes say "...". ...what is right, and why...

SLUG is short kebab-case and unique course-wide. README.md's section "Errata in the lecture notes"
holds a table with the columns *The notes say | Correct | Where*; its Where cell links to
``notebooks/NN_name.ipynb#erratum-SLUG``. Notebook 00 links to that section.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
README = ROOT / "README.md"
SECTION = "Errata in the lecture notes"
SLUG = r"[a-z0-9]+(?:-[a-z0-9]+)*"
LABEL = "**Erratum in the notes.**"
ANCHOR = re.compile(r'<a id="erratum-([^"]*)"></a>')
BOLD_ERRATUM = re.compile(r"\*\*\s*Erratum[^*]*\*\*", re.IGNORECASE)
LINK = re.compile(r"\]\((notebooks/(\d\d_[A-Za-z0-9_]+\.ipynb)#erratum-(" + SLUG + r"))\)")


def _markdown_cells(path: Path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    for index, cell in enumerate(nb["cells"]):
        if cell["cell_type"] == "markdown":
            source = cell["source"]
            yield index, source if isinstance(source, str) else "".join(source)


def _callouts(folder: Path = NOTEBOOKS):
    """[(notebook file name, cell index, slug, problem or None)] for every erratum anchor, plus
    (name, index, None, problem) for a bold erratum label without its anchor or not exact."""
    found = []
    for path in sorted(folder.glob("[0-9][0-9]_*.ipynb")):
        for index, text in _markdown_cells(path):
            lines = text.split("\n")
            anchored_labels = set()
            for n, line in enumerate(lines):
                for match in ANCHOR.finditer(line):
                    slug = match.group(1)
                    problem = None
                    if not re.fullmatch(SLUG, slug):
                        problem = f"slug {slug!r} is not short kebab-case"
                    elif line.strip() != match.group(0):
                        problem = "the anchor must be on a line of its own"
                    else:
                        rest = [k for k in range(n + 1, len(lines)) if lines[k].strip()]
                        if not rest or not lines[rest[0]].startswith(f"> {LABEL} The notes say "):
                            problem = (f"the line after the anchor must start with "
                                       f"'> {LABEL} The notes say '")
                        else:
                            anchored_labels.add(rest[0])
                    found.append((path.name, index, slug, problem))
            for n, line in enumerate(lines):
                for match in BOLD_ERRATUM.finditer(line):
                    if match.group(0) != LABEL:
                        found.append((path.name, index, None,
                                      f"{match.group(0)!r}: write the label exactly {LABEL!r}"))
                    elif n not in anchored_labels:
                        found.append((path.name, index, None,
                                      f"{LABEL} without the anchor <a id=\"erratum-SLUG\"></a> "
                                      "on the line before it"))
    return found


def _split_row(line: str) -> list[str]:
    cells = re.split(r"(?<!\\)\|", line.strip())
    if cells and not cells[0].strip():
        cells = cells[1:]
    if cells and not cells[-1].strip():
        cells = cells[:-1]
    return [c.strip() for c in cells]


def _section(text: str) -> list[str]:
    lines = text.split("\n")
    starts = [n for n, line in enumerate(lines)
              if re.fullmatch(r"#{1,6}\s+" + re.escape(SECTION) + r"\s*", line)]
    assert len(starts) == 1, f"README.md needs exactly one section '## {SECTION}'"
    body = []
    for line in lines[starts[0] + 1:]:
        if re.match(r"#{1,6}\s", line):
            break
        body.append(line)
    return body


def _table_rows():
    """[(row text, the notes say, correct, where)] of the errata table in README.md."""
    body = _section(README.read_text(encoding="utf-8"))
    table = [line for line in body if line.lstrip().startswith("|")]
    assert len(table) >= 3, f"README.md's section '{SECTION}' needs a table with rows"
    header = [c.lower() for c in _split_row(table[0])]
    assert header == ["the notes say", "correct", "where"], (
        f"the errata table's columns must be: The notes say | Correct | Where; got {header}")
    assert all(set(c) <= set("-: ") for c in _split_row(table[1])), "second line: |---|---|---|"
    rows = []
    for line in table[2:]:
        cells = _split_row(line)
        assert len(cells) == 3, f"an errata row needs 3 cells: {line}"
        rows.append((line, *cells))
    return rows


def _table():
    """{slug: notebook file name} from the table, after checking every row's form."""
    listed = {}
    for line, notes_say, correct, where in _table_rows():
        assert notes_say and correct, f"empty cell in the errata table: {line}"
        links = LINK.findall(where)
        assert len(links) == 1, (f"the Where cell must hold one link "
                                 f"(notebooks/NN_name.ipynb#erratum-SLUG): {line}")
        _, notebook, slug = links[0]
        assert slug not in listed, f"erratum-{slug} is listed twice in README.md"
        listed[slug] = notebook
    return listed


def test_every_callout_has_the_exact_format():
    problems = [f"{nb} cell {index}: {problem}" for nb, index, _, problem in _callouts()
                if problem]
    assert not problems, "\n".join(problems)


def test_slugs_are_unique_course_wide():
    seen = {}
    twice = []
    for nb, index, slug, _ in _callouts():
        if slug is None:
            continue
        if slug in seen:
            twice.append(f"erratum-{slug}: {seen[slug]} and {nb} cell {index}")
        seen.setdefault(slug, f"{nb} cell {index}")
    assert not twice, "\n".join(twice)


def test_the_readme_table_is_well_formed():
    listed = _table()
    assert listed, "the errata table is empty"
    missing = sorted({nb for nb in listed.values() if not (NOTEBOOKS / nb).exists()})
    assert not missing, f"the errata table links to notebooks that do not exist: {missing}"


def test_every_callout_is_in_the_readme_table():
    listed = _table()
    problems = []
    for nb, index, slug, _ in _callouts():
        if slug is None:
            continue
        if slug not in listed:
            problems.append(f"erratum-{slug} ({nb} cell {index}) is not in README.md's table")
        elif listed[slug] != nb:
            problems.append(f"erratum-{slug} is in {nb} but README.md links it to {listed[slug]}")
    assert not problems, "\n".join(problems)


def test_every_row_of_the_readme_table_has_its_callout():
    where = {}
    for nb, _, slug, _ in _callouts():
        if slug is not None:
            where.setdefault(slug, set()).add(nb)
    problems = []
    for slug, nb in _table().items():
        if nb not in where.get(slug, ()):
            elsewhere = f" (found in {sorted(where[slug])})" if slug in where else ""
            problems.append(f"README.md lists erratum-{slug} in {nb}, which has no callout "
                            f"<a id=\"erratum-{slug}\"></a>{elsewhere}")
    assert not problems, "\n".join(problems)


def test_notebook_00_points_to_the_table():
    text = "\n".join(t for _, t in _markdown_cells(NOTEBOOKS / "00_start_here.ipynb"))
    anchor = SECTION.lower().replace(" ", "-")
    assert f"../README.md#{anchor}" in text, (
        f"notebook 00 must link to the errata table: ../README.md#{anchor}")
    assert "Erratum in the notes." in text, (
        "notebook 00 must tell students that the callouts start with 'Erratum in the notes.'")


def _write_notebook(folder: Path, source: str) -> None:
    nb = {"cells": [{"cell_type": "markdown", "metadata": {}, "source": source}],
          "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    (folder / "99_x.ipynb").write_text(json.dumps(nb), encoding="utf-8")


@pytest.mark.parametrize("bad, why", [
    ('<a id="erratum-Bad_Slug"></a>\n> **Erratum in the notes.** The notes say "x".', "kebab"),
    ('<a id="erratum-x"></a>\n**Erratum in the notes.** The notes say "x".', "must start"),
    ('<a id="erratum-x"></a>\n> **Erratum in the notes.** The notes print "x".', "must start"),
    ('Text <a id="erratum-x"></a>\n> **Erratum in the notes.** The notes say "x".', "own"),
    ("**Erratum:** the notes print a plus sign.", "exactly"),
    ('> **Erratum in the notes.** The notes say "x".', "without the anchor"),
])
def test_the_format_check_catches_typical_mistakes(tmp_path, bad, why):
    _write_notebook(tmp_path, bad)
    problems = [p for *_, p in _callouts(tmp_path) if p]
    assert problems and why in problems[0], problems


def test_a_good_callout_passes(tmp_path):
    _write_notebook(tmp_path, 'Some text.\n\n<a id="erratum-good-one"></a>\n'
                              '> **Erratum in the notes.** The notes say "x". It is y, because z.')
    assert _callouts(tmp_path) == [("99_x.ipynb", 0, "good-one", None)]
