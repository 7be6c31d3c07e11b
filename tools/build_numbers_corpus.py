"""Build notebook 14's parallel corpus: the numbers 1-9,999 written out in English and German.

Usage::

    python tools/build_numbers_corpus.py [--out data]

writes ``data/numbers_en_de.tsv.gz`` and updates its line in ``data/SHA256SUMS`` and its row and
section in ``data/README.md`` (``python tools/build_data.py`` builds it too, with everything
else). Needs the PyPI package ``num2words`` (pinned below; ``pip install num2words==0.5.14``),
which only this script uses: the course reads the shipped file.

Why English -> German: German says the units before the tens ("siebenundneunzig", seven-and-
ninety, for "ninety-seven"), so a translator must reorder words, and the attention weights show
it as a crossing in the heat map; French ("quatre-vingt-dix-sept", four-twenty-ten-seven)
changes the arithmetic rather than the order.

Tokens: English is lower case with commas dropped and hyphens split ("nine thousand, nine hundred
and ninety-seven" -> ``nine thousand nine hundred and ninety seven``). German writes a number as
one compound word; it is split into its number words by longest match against a fixed list
(:data:`GERMAN_PARTS`: "siebenundneunzig" -> ``sieben und neunzig``), and the build fails if a
word does not split exactly. Split: a number goes to **test** when the first 8 hex digits of the
sha256 of its decimal string, as an integer, are divisible by 5 (about one in five), else to
**train**; the rule depends on the number alone, so held-out numbers are never trained on.
"""
from __future__ import annotations

import argparse
import gzip
import hashlib
import io
import re
import sys
from pathlib import Path

NUMBERS_FILE = "numbers_en_de.tsv.gz"
REQUIREMENT = "num2words==0.5.14"
LARGEST = 9_999
TEST_EVERY = 5
HEADER = ("number", "split", "english", "german", "german_written")
GERMAN_PARTS = (
    "eins", "ein", "zwei", "drei", "vier", "fünf", "sechs", "sieben", "acht", "neun", "zehn",
    "elf", "zwölf", "dreizehn", "vierzehn", "fünfzehn", "sechzehn", "siebzehn", "achtzehn",
    "neunzehn", "zwanzig", "dreißig", "vierzig", "fünfzig", "sechzig", "siebzig", "achtzig",
    "neunzig", "hundert", "tausend", "und")


def english_tokens(text: str) -> list[str]:
    """num2words' English as tokens: lower case, commas dropped, hyphens split.

    >>> english_tokens("nine thousand, nine hundred and ninety-seven")
    ['nine', 'thousand', 'nine', 'hundred', 'and', 'ninety', 'seven']
    """
    return text.lower().replace(",", " ").replace("-", " ").split()


def german_tokens(word: str) -> list[str]:
    """A German number word split into its parts by longest match against GERMAN_PARTS.

    >>> german_tokens("dreihundertsiebenundvierzig")
    ['drei', 'hundert', 'sieben', 'und', 'vierzig']
    >>> german_tokens("einhunderteins")
    ['ein', 'hundert', 'eins']
    """
    parts, rest = [], word.lower()
    by_length = sorted(GERMAN_PARTS, key=len, reverse=True)
    while rest:
        part = next((p for p in by_length if rest.startswith(p)), None)
        if part is None:
            raise ValueError(f"cannot split the German number word {word!r} at {rest!r}")
        parts.append(part)
        rest = rest[len(part):]
    if "".join(parts) != word.lower():
        raise ValueError(f"the parts {parts} do not spell {word!r}")
    return parts


def is_test(number: int) -> bool:
    """The held-out rule: sha256 of the decimal string, first 8 hex digits, divisible by 5."""
    return int(hashlib.sha256(str(number).encode()).hexdigest()[:8], 16) % TEST_EVERY == 0


def corpus_rows() -> list[tuple[str, ...]]:
    """(number, split, English tokens, German tokens, German as written) for 1 ... LARGEST."""
    from num2words import num2words

    rows = []
    for n in range(1, LARGEST + 1):
        written = num2words(n, lang="de")
        if not re.fullmatch(r"[a-zäöüß]+", written):
            raise ValueError(f"unexpected German for {n}: {written!r}")
        rows.append((str(n), "test" if is_test(n) else "train",
                     " ".join(english_tokens(num2words(n, lang="en"))),
                     " ".join(german_tokens(written)), written))
    for side in (2, 3):  # every word of the test split is seen in training
        seen = {w for r in rows if r[1] == "train" for w in r[side].split()}
        unseen = {w for r in rows if r[1] == "test" for w in r[side].split()} - seen
        if unseen:
            raise ValueError(f"words only in the test split: {sorted(unseen)}")
    return rows


def build_numbers() -> tuple[bytes, dict]:
    """The gzipped TSV (UTF-8, mtime 0: byte-identical on every run) and notes for the README."""
    from importlib.metadata import version

    if version("num2words") != REQUIREMENT.split("==")[1]:
        print(f"warning: num2words {version('num2words')} is not the pinned {REQUIREMENT}")
    rows = corpus_rows()
    text = "".join("\t".join(r) + "\n" for r in [HEADER, *rows])
    buf = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buf, mtime=0, compresslevel=9) as gz:
        gz.write(text.encode("utf-8"))
    test = sum(r[1] == "test" for r in rows)
    notes = {"pairs": len(rows), "test": test, "train": len(rows) - test,
             "en_vocab": len({w for r in rows for w in r[2].split()}),
             "de_vocab": len({w for r in rows for w in r[3].split()}),
             "en_max": max(len(r[2].split()) for r in rows),
             "de_max": max(len(r[3].split()) for r in rows)}
    return buf.getvalue(), notes


def readme_section(notes: dict) -> str:
    """The README's section for the corpus."""
    return f"""
## `{NUMBERS_FILE}`: the numbers 1-{LARGEST:,} in English and German (chapter 6)

* **Source:** generated by `python tools/build_numbers_corpus.py` with the PyPI package
  `{REQUIREMENT}` (savoirfairelinux/num2words), `num2words(n, lang="en")` and
  `num2words(n, lang="de")` for n = 1 ... {LARGEST:,}.
* **Licence:** num2words is licensed under the LGPL, version 2.1 or later (its `COPYING` and
  file headers; Copyright Taro Ogawa, Savoir-faire Linux). The course neither ships nor imports
  it (only this build script does, so it is not a run-time dependency); the file is a generated
  corpus of number words, that is data produced by the library, not a copy of its code.
* **How it was made:** English in lower case with commas dropped and hyphens split ("ninety-seven"
  -> `ninety seven`); German compounds split into number words by longest match against a fixed
  list of {len(GERMAN_PARTS)} parts ("siebenundneunzig" -> `sieben und neunzig`; the build fails
  if a word does not split exactly). A number is held out (**test**) when the first 8 hex digits
  of the sha256 of its decimal string are divisible by {TEST_EVERY}: {notes['test']:,} test and
  {notes['train']:,} train pairs; every test word also occurs in training. UTF-8 TSV, gzip level 9,
  mtime 0.
* **Contents:** a header line, then one line per number: `number`, `split`, `english` and
  `german` (space-separated tokens; {notes['en_vocab']} English and {notes['de_vocab']} German
  words, at most {notes['en_max']} and {notes['de_max']} tokens) and `german_written` (num2words'
  own spelling). Load with `course_utils.seq2seq.load_numbers("train")`.
"""


def _patch(out: Path, data: bytes, notes: dict) -> None:
    """Write the file and update its SHA256SUMS line and README row, total and section."""
    path = out / NUMBERS_FILE
    path.write_bytes(data)
    digest = hashlib.sha256(data).hexdigest()
    sums = out / "SHA256SUMS"
    lines = [ln for ln in sums.read_text().splitlines() if not ln.endswith(f"  {NUMBERS_FILE}")]
    lines.append(f"{digest}  {NUMBERS_FILE}")
    sums.write_text("".join(ln + "\n" for ln in sorted(lines, key=lambda ln: ln.split()[1])))
    readme_path = out / "README.md"
    readme = readme_path.read_text()
    row = f"| `{NUMBERS_FILE}` | {len(data):,} | `{digest}` |"
    readme = re.sub(rf"^\| `{re.escape(NUMBERS_FILE)}` .*\n", "", readme, flags=re.M)
    rows = re.findall(r"^\| `([^`]+)` \| ([\d,]+) \| `[0-9a-f]{64}` \|$", readme, flags=re.M)
    after = max((r for r, _ in rows if r < NUMBERS_FILE), default=None)
    anchor = re.search(rf"^\| `{re.escape(after)}` .*\n", readme, flags=re.M)
    readme = readme[:anchor.end()] + row + "\n" + readme[anchor.end():]
    total = sum(int(size.replace(",", "")) for r, size in rows) + len(data)
    readme = re.sub(r"^Total: [\d,]+ bytes\.", f"Total: {total:,} bytes.", readme, flags=re.M)
    section = re.compile(rf"\n## `{re.escape(NUMBERS_FILE)}`.*?(?=\n## |\Z)", re.S)
    readme = section.sub("", readme).rstrip("\n") + "\n" + readme_section(notes)
    readme_path.write_text(readme)
    print(f"wrote {path} ({len(data):,} bytes, sha256 {digest[:12]}...), SHA256SUMS, README.md")


def main(argv: list[str] | None = None) -> None:
    root = Path(__file__).resolve().parents[1]
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=root / "data", help="output folder (default: data/)")
    args = parser.parse_args(argv)
    data, notes = build_numbers()
    _patch(args.out, data, notes)


if __name__ == "__main__":
    sys.exit(main())
