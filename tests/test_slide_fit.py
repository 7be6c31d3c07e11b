"""Every slide of the live deck fits a 1280×720 screen (CONTRIBUTING.md: "Keep a slide to what
fits 1280x720").

One JupyterLab server and one headless Chromium (tests/test_browser.py's fixtures: the same
isolated server, the same skip rule, COURSE_SKIP_BROWSER=1 outside CI) and tools/slide_heights.py:
every notebook ``notebooks/NN_*.ipynb`` is opened with its saved outputs (nothing is run; the
explorers show their saved state, which measures as the live explorer does), the deck
(jupyterlab-slideshow) is started, and every slide and subslide, with all its fragments shown, is
measured in the DOM against the height the deck has at 1280×720. The test fails when any slide is
taller, listing every offender; the full table goes to ``build/slides/heights.json``. To see it
(worst first): ``python tools/slide_heights.py --worst-first``.
"""
from __future__ import annotations

import time

import pytest
import slide_heights
import test_browser

# tests/test_browser.py's module-scoped fixtures, used here as this module's own: one browser and
# one server for the whole measurement
browser = test_browser.browser
lab = test_browser.lab


def test_every_slide_fits_1280x720(lab, browser):
    names = slide_heights.notebook_names([])
    start = time.monotonic()
    deadline = test_browser.Deadline(max(test_browser.TOTAL_SECONDS, 60 + 45 * len(names)))
    rows = slide_heights.measure_all(lab, browser, names, deadline)
    seconds = time.monotonic() - start
    slide_heights.write_json(rows, slide_heights.OUT, seconds)
    print(f"{len(rows)} slides of {len(names)} notebooks measured in {seconds:.0f} s")
    assert rows, "no slide measured"
    broken = [r for r in rows if r["widget_errors"]]
    assert not broken, "widgets not drawn on slides: " + ", ".join(
        f"{r['notebook']} slide {r['slide']} (cell {r['cell']})" for r in broken)
    bad = slide_heights.offenders(rows)
    if bad:
        pytest.fail(
            f"{len(bad)} of {len(rows)} slides are taller than a {slide_heights.WIDTH}×"
            f"{slide_heights.HEIGHT} screen allows ({bad[0]['available']} px in the deck); split "
            "them, set assert-only or plumbing cells to slide type skip, or shrink the figure:\n"
            + "\n".join(f"  {r['notebook']} slide {r['slide']} (cell {r['cell']}: "
                        f"{r['first_line']!r}): {r['height']} px, "
                        f"{r['height'] - r['available']} px too tall; tallest: "
                        f"{slide_heights.culprit(r)}" for r in bad)
            + f"\n(all heights: {slide_heights.OUT})", pytrace=False)
