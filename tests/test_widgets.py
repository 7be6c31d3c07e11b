"""Every explorer, driven across its controls: always an output, never an unexpected exception."""
import inspect

import pytest

from course_utils import widgets
from widget_driver import drive

DEMOS = widgets.demo_apps()


def test_every_explorer_has_a_demo():
    explorers = {name for name, fn in inspect.getmembers(widgets, inspect.isfunction)
                 if name.endswith("_explorer") and fn.__module__ == widgets.__name__}
    assert explorers <= set(DEMOS), f"explorers without a demo (so untested): {explorers - set(DEMOS)}"


@pytest.mark.parametrize("name", sorted(DEMOS))
def test_explorer_survives_all_controls(name):
    app = DEMOS[name]()
    results = drive(app)
    assert results, "no control combinations were tried"
    for values, r in results:
        assert r.kind in ("figure", "message"), (values, r)
        assert not r.error, f"{name} with {values}: unexpected {r.error}: {r.message}"
        if r.kind == "figure":
            assert r.png.startswith(b"\x89PNG"), values
        else:
            assert r.message.strip(), values
    assert any(r.kind == "figure" for _, r in results), f"{name} never drew a figure"


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
