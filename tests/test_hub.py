"""The class hub works for a class: two simulated students at once (tools/hub_load.py).

``test_two_students_on_the_class_hub`` starts JupyterHub with the course's own configuration
(``deploy/jupyterhub_config.py``, loaded as is; only the authenticator and the spawner are
swapped for test ones: JupyterHub's DummyAuthenticator and SimpleLocalProcessSpawner, no system
users) on a free localhost port, behind configurable-http-proxy, with the idle culler running as
the configuration says (the test checks that it asked the hub for its users). Two students log in at once in one headless Chromium (the browser tests'
Chromium and skip rule), follow the nbgitpuller link of notebook 00, which clones the course
from a local bare clone of this repository (a ``file://`` URL: no network), run the whole
notebook in JupyterLab and move its explorer's slider with the keyboard; every move must change
the picture. Then everything is stopped: hub, proxy, the students' servers and kernels.

Timings and memory are printed, never asserted (a busy machine must not fail the test): the
benchmark is ``python tools/hub_load.py --students 2,4,8,...`` (docs/instructors.md).
``test_links_are_up_to_date``: deploy/links.md is what ``tools/hub_load.py --links`` writes.
"""
from __future__ import annotations

import shutil

import pytest
import test_browser

import hub_load


def test_links_are_up_to_date():
    if hub_load.LINKS.read_text() != hub_load.links_markdown():
        pytest.fail("deploy/links.md is out of date (a notebook added or renamed?): regenerate it "
                    "with make nav, or python tools/hub_load.py --links > deploy/links.md",
                    pytrace=False)


def test_two_students_on_the_class_hub():
    test_browser._require_browser()
    if shutil.which("git") is None:
        pytest.fail("git is needed: nbgitpuller clones the course with it", pytrace=False)
    test_browser.ARTIFACTS.mkdir(parents=True, exist_ok=True)
    result = hub_load.run_round(2, moves=4, think=0.5, seconds=240,
                                keep=test_browser.ARTIFACTS / "hub-test.log")
    print(result.report())
    assert not result.errors, "\n".join(result.errors)
    for student in result.students:
        assert len(student.responses_s) == 4, (
            f"{student.name}: {len(student.responses_s)} of 4 slider moves answered")
    assert set(result.memory_mb) == {s.name for s in result.students}, (
        f"servers found for {sorted(result.memory_mb)}: the spawner started other ones?")
    assert "(idle-culler@127.0.0.1)" in result.hub_log, (
        "the idle culler (a service in deploy/jupyterhub_config.py) never asked the hub for its "
        "users")
