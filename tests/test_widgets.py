"""Every explorer, driven across its controls: always an output, never an unexpected exception, and
every control changes what the explorer shows.

Each explorer is driven over every one-control sweep from its start values plus random
combinations, up to ``MAX_COMBOS`` updates (as ``make bench`` does). Every control must change the
output somewhere in that drive, and one step of every control away from the start (what the
browser test, tests/test_browser.py, does with the keyboard) must change the output, and so must
the step back (which restores the picture exactly when it restores every control's value).
"""
import functools
from collections import defaultdict

import pytest

from course_utils import widgets
from widget_driver import drive, move_each_control, output_key

DEMOS = widgets.demo_apps()
MAX_COMBOS = 60


@functools.lru_cache(maxsize=None)
def _app(name):
    app = DEMOS[name]()
    return app, dict(app.values)


def demo(name):
    """The demo app ``name``, built once per test session, with its controls at the start."""
    app, start = _app(name)
    app.set(**start)
    return app


def test_every_explorer_has_a_demo():
    explorers = {name for name in widgets.__all__  # the package's public names
                 if name.endswith(("_explorer", "_playground"))}
    assert explorers, "no explorer found in course_utils.widgets"
    assert explorers <= set(DEMOS), f"explorers without a demo (so untested): {explorers - set(DEMOS)}"


@pytest.mark.parametrize("name", sorted(DEMOS))
def test_explorer_survives_its_controls(name):
    app = demo(name)
    results = drive(app, max_combos=MAX_COMBOS)
    assert results, "no control combinations were tried"
    for values, r in results:
        assert r.kind in ("figure", "message"), (values, r)
        assert not r.error, f"{name} with {values}: unexpected {r.error}: {r.message}"
        if r.kind == "figure":
            assert r.png.startswith(b"\x89PNG"), values
        else:
            assert r.message.strip(), values
    assert any(r.kind == "figure" for _, r in results), f"{name} never drew a figure"
    # every control matters: somewhere, two settings that differ in that control alone differ
    for control in app.controls:
        seen = defaultdict(set)
        for values, r in results:
            others = tuple(sorted((k, repr(v)) for k, v in values.items() if k != control))
            seen[others].add(output_key(r))
        assert any(len(outputs) > 1 for outputs in seen.values()), (
            f"{name}: the control {control!r} never changed the output")


@pytest.mark.parametrize("name", sorted(DEMOS))
def test_one_step_of_each_control_changes_the_output_and_back(name):
    """What the browser test does to the gallery's freshly built explorers, in Python."""
    for control, start, moved, back, restored in move_each_control(DEMOS[name]()):
        assert moved != start, f"{name}: one step of {control!r} from the start changed nothing"
        assert back != moved, f"{name}: moving {control!r} back changed nothing"
        if restored:  # the same control values must draw the same picture
            assert back == start, f"{name}: {control!r} moved back, but the output differs"


def test_app_turns_errors_into_messages():
    def render(fig, k):
        if k == 1:
            raise ValueError("k must not be 1")
        if k == 2:
            raise ZeroDivisionError("boom")
        fig.subplots().plot([0, k])

    app = widgets.app(render, k=widgets.slider("k", 0, 2))
    assert app.last.kind == "figure"
    app.controls["k"].value = 1
    assert (app.last.kind, app.last.message, app.last.error) == ("message", "k must not be 1", "")
    assert "k must not be 1" in app.message.value and app.image.layout.display == "none"
    app.controls["k"].value = 2
    assert app.last.kind == "message" and app.last.error == "ZeroDivisionError"
    app.controls["k"].value = 0
    assert app.last.kind == "figure" and app.image.value == app.last.png


def test_an_explorer_that_ignores_a_control_is_caught():
    app = widgets.app(lambda fig, k, unused: fig.subplots().plot([0, k]),
                      k=widgets.slider("k", 0, 3), unused=widgets.slider("unused", 0, 3))
    rows = {control: (start, moved) for control, start, moved, *_ in move_each_control(app)}
    assert rows["k"][0] != rows["k"][1] and rows["unused"][0] == rows["unused"][1]
