"""Static slides (tools/build_slides.py: nbconvert's reveal.js export) and live slides
(jupyterlab-slideshow: every cell that should be on a slide can be shown, see
tools/deck_compat.py)."""
from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

import build_slides  # tools/ is on sys.path (pyproject.toml: pythonpath)
import deck_compat

ROOT = Path(__file__).resolve().parents[1]


class Deck(HTMLParser):
    """The reveal.js structure of a deck: slides (outer <section>), sub-slides (inner <section>),
    fragments, and the text of every speaker-notes <aside>."""

    def __init__(self, html: str):
        super().__init__()
        self.depth, self.slides, self.subslides, self.fragments = 0, 0, 0, 0
        self.notes: list[str] = []
        self._in_notes, self._in_slides = 0, False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        classes = (dict(attrs).get("class") or "").split()
        if tag == "div" and "slides" in classes:
            self._in_slides = True
        if tag == "section" and self._in_slides:
            self.depth += 1
            self.slides += self.depth == 1
            self.subslides += self.depth == 2
        if "fragment" in classes:
            self.fragments += 1
        if tag == "aside" and "notes" in classes:
            self._in_notes += 1
            self.notes.append("")

    def handle_endtag(self, tag):
        if tag == "section" and self._in_slides:
            self.depth -= 1
        if tag == "aside" and self._in_notes:
            self._in_notes -= 1

    def handle_data(self, data):
        if self._in_notes:
            self.notes[-1] += data


def md(text, slide_type):
    return new_markdown_cell(text, metadata={"slideshow": {"slide_type": slide_type}})


def small_notebook() -> nbformat.NotebookNode:
    code = new_code_cell("print(6 * 7)", execution_count=1)  # no slide type: continues the slide
    code.outputs = [new_output("stream", name="stdout", text="out-42\n")]
    nb = new_notebook(cells=[
        md("# 99 · A title", "slide"),
        md("Say hello to the room.", "notes"),
        new_code_cell("secret_setup = 1", metadata={"slideshow": {"slide_type": "skip"}}),
        md("## Below the title", "subslide"),
        md("revealed on a click", "fragment"),
        md("## Second slide $x^2$", "slide"),
        code,
        md("Point at the output.", "notes"),
        md("[Next: 01 · More](01_more.ipynb) and [a section](02_other.ipynb#part-2)", "slide"),
    ])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return nb


def test_deck_has_slides_subslides_fragments_and_notes(tmp_path):
    nb_path = tmp_path / "99_small.ipynb"
    nbformat.write(small_notebook(), nb_path)
    out = build_slides.build(nb_path, tmp_path / "slides")
    assert out == tmp_path / "slides" / "99_small.slides.html"
    html = out.read_text(encoding="utf-8")
    deck = Deck(html)
    assert (deck.slides, deck.subslides, deck.fragments) == (3, 4, 1), vars(deck)
    assert [" ".join(n.split()) for n in deck.notes] == ["Say hello to the room.",
                                                         "Point at the output."]
    assert "secret_setup" not in html, "a skipped cell must not be in the deck"
    assert "out-42" in html and "A title" in html
    assert re.search(r"width:\s*1280,\s*height:\s*720", html), "slides are laid out for 1280x720"
    assert "var scroll = true" in html, "a tall slide scrolls"
    assert "RevealNotes" in html, "the speaker-notes plugin is loaded"
    assert 'href="01_more.slides.html"' in html and 'href="02_other.slides.html#part-2"' in html
    assert f'{build_slides.CDN_PREFIX}/dist/reveal.js' in html


def test_local_assets_are_relative_to_the_decks(tmp_path):
    assets = tmp_path / "vendor"
    for folder, must, _, _ in build_slides.ASSETS.values():
        (assets / folder / must).parent.mkdir(parents=True, exist_ok=True)
        (assets / folder / must).write_text("// stub")
    out_dir = tmp_path / "build" / "slides"
    settings = build_slides.asset_settings(assets, out_dir)
    assert settings["reveal_url_prefix"] == "../../vendor/reveal.js"
    nb_path = tmp_path / "99_small.ipynb"
    nbformat.write(small_notebook(), nb_path)
    html = build_slides.build(nb_path, out_dir, settings).read_text(encoding="utf-8")
    assert '"../../vendor/reveal.js/dist/reveal.js"' in html
    assert 'href="../../vendor/reveal.js/dist/reveal.css"' in html
    for url in ('src="../../vendor/requirejs/require.js"',
                'src="../../vendor/jquery/dist/jquery.min.js"',
                '"../../vendor/mathjax/MathJax.js?config=TeX-AMS_CHTML-full,Safe"'):
        assert url in html, url
    assert settings["widget_renderer_url"] == "../../vendor/html-manager/dist/embed-amd.js"
    assert "unpkg.com" not in html, "a CDN address is left"
    assert build_slides.asset_settings(None, out_dir) == {}
    (assets / "mathjax" / "MathJax.js").unlink()
    with pytest.raises(ValueError, match=r"lacks \['mathjax/MathJax.js'\].*--fetch-assets"):
        build_slides.asset_settings(assets, out_dir)


def test_cli_builds_into_out(tmp_path, capsys):
    nb_path = tmp_path / "99_small.ipynb"
    nbformat.write(small_notebook(), nb_path)
    assert build_slides.main([str(nb_path), "--out", str(tmp_path / "decks")]) == 0
    assert (tmp_path / "decks" / "99_small.slides.html").is_file()
    assert "CDN" in capsys.readouterr().out


COURSE_NOTEBOOKS = build_slides.notebooks()


@pytest.mark.parametrize("path", COURSE_NOTEBOOKS, ids=[p.name for p in COURSE_NOTEBOOKS])
def test_course_notebook_deck(path, tmp_path):
    """Each course notebook as a deck: one slide per "slide" cell, every notes cell a speaker note,
    links to the other notebooks lead to their decks."""
    nb = nbformat.read(path, as_version=4)
    html = build_slides.build(path, tmp_path).read_text(encoding="utf-8")
    deck = Deck(html)
    assert not re.search(r'href="\d\d_[^"/]*\.ipynb', html), "a link to a notebook, not its deck"
    types = [(c.metadata.get("slideshow") or {}).get("slide_type", "-") for c in nb.cells]
    first = next(i for i, t in enumerate(types) if t not in ("skip", "notes"))
    assert deck.slides == 1 + types[first + 1:].count("slide")
    assert len(deck.notes) == types.count("notes")
    assert all(note.strip() for note in deck.notes), "an empty speaker note"


# --- live slides: jupyterlab-slideshow ---------------------------------------------------------

def test_deck_compat_drops_only_explicit_dashes():
    nb = small_notebook()
    nb.cells[6].metadata["slideshow"] = {"slide_type": "-"}
    nb.cells[3].metadata["slideshow"]["extra"] = "kept"
    nb.cells[3].metadata["slideshow"]["slide_type"] = "-"
    assert deck_compat.hidden_in_deck(nb) == [3, 6]
    assert deck_compat.fix(nb) == 2
    assert "slideshow" not in nb.cells[6].metadata
    assert nb.cells[3].metadata["slideshow"] == {"extra": "kept"}
    assert deck_compat.hidden_in_deck(nb) == [] and deck_compat.fix(nb) == 0


@pytest.mark.parametrize("path", COURSE_NOTEBOOKS, ids=[p.name for p in COURSE_NOTEBOOKS])
def test_live_deck_can_show_every_cell(path):
    """jupyterlab-slideshow 0.3.4 never shows a cell whose slide type is the explicit "-" (see
    tools/deck_compat.py); such cells must carry no slide type, which means the same."""
    idx = deck_compat.hidden_in_deck(nbformat.read(path, as_version=4))
    assert not idx, (f"{path.name}: cells {idx} have slide_type '-', which the live slides "
                     f"(jupyterlab-slideshow) hide; run: python tools/deck_compat.py "
                     f"{path.relative_to(ROOT)}")
