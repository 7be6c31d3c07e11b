"""tools/robust.py (make robust): how it reads a failed run and what its report says. The runs
themselves execute whole notebooks, too slow for the test suite; `make robust` is run by hand."""
import nbformat
import pytest

import robust


def _notebook_with_error(traceback_lines, ename="AssertionError", evalue=""):
    nb = nbformat.v4.new_notebook()
    ok = nbformat.v4.new_code_cell("x = 1")
    bad = nbformat.v4.new_code_cell("assert x == 1\nassert x > 2, 'x is small'")
    bad.outputs = [nbformat.v4.new_output("error", ename=ename, evalue=evalue,
                                          traceback=traceback_lines)]
    nb.cells = [nbformat.v4.new_markdown_cell("# t"), ok, bad]
    return nb


def test_first_error_names_the_cell_and_the_failing_line_not_the_first_assert():
    # IPython's traceback, with its colour codes, marks the failing line with an arrow
    tb = ["\x1b[0;31m---------------------------------------------------------------------------\x1b[0m",
          "\x1b[0;31mAssertionError\x1b[0m  Traceback (most recent call last)",
          "Cell \x1b[0;32mIn[2], line 2\x1b[0m\n\x1b[1;32m      1\x1b[0m assert x == 1\n"
          "\x1b[0;32m----> 2\x1b[0m \x1b[38;5;28;01massert\x1b[39;00m x \x1b[38;5;241m>\x1b[39;00m "
          "\x1b[38;5;241m2\x1b[39m, \x1b[38;5;124m'x is small'\x1b[39m\n",
          "\x1b[0;31mAssertionError\x1b[0m: x is small"]
    msg = robust._first_error(_notebook_with_error(tb, evalue="x is small"))
    assert msg.startswith("cell 2: AssertionError: x is small")
    assert msg.endswith("[assert x > 2, 'x is small']")


def test_first_error_without_a_marked_line_still_names_the_error():
    msg = robust._first_error(_notebook_with_error([], ename="ValueError", evalue="bad SEED"))
    assert msg == "cell 2: ValueError: bad SEED"


def test_first_error_is_none_for_a_clean_run():
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("x = 1")]
    assert robust._first_error(nb) is None


def test_report_counts_passes_and_failures():
    table = robust.report([robust.Outcome("01_a.ipynb", 1, 2, 8.4, None),
                           robust.Outcome("01_a.ipynb", 2, 1, 9.6, "cell 3: AssertionError")])
    assert "| 01_a.ipynb | 1 | 2 | 8 s | pass |" in table
    assert "| 01_a.ipynb | 2 | 1 | 10 s | **FAIL** cell 3: AssertionError |" in table
    assert table.endswith("1 passed, 1 failed")


@pytest.mark.parametrize("text,expected", [("3:1", (3, 1)), ("0:2", (0, 2))])
def test_run_argument(text, expected):
    assert robust._pair(text) == expected


@pytest.mark.parametrize("text", ["3", "a:1", "1:0", "-1:2"])
def test_run_argument_rejects_bad_pairs(text):
    import argparse

    with pytest.raises(argparse.ArgumentTypeError, match="SEED"):
        robust._pair(text)


def test_default_runs_cover_two_seeds_and_both_thread_counts():
    seeds = {s for s, _ in robust.DEFAULT_RUNS}
    threads = {t for _, t in robust.DEFAULT_RUNS}
    assert 0 not in seeds and len(seeds) == 2 and threads == {1, 2}
