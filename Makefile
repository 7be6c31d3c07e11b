# The course's commands. Each target does all the set-up it needs, idempotently:
# .venv is created if missing and the course installed into it (again when pyproject.toml changes).
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.course-installed
NB     ?= all
# CI installs the tested versions: make test PIP_CONSTRAINTS=.ci/constraints.txt (pip install -c);
# without it pip takes the newest versions that pyproject.toml's ranges allow.
PIP_CONSTRAINTS ?=
ROBUST_ARGS ?=
PYTEST_NB := --nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg \
             --nbval-cell-timeout=600
# the slowest tests, so that a slow one is seen when it lands (budget: CONTRIBUTING.md)
PYTEST_DURATIONS := --durations=25

.PHONY: setup lab test unit robust slides student bench hubload nav execute clean

setup: $(STAMP)

$(STAMP): pyproject.toml $(PIP_CONSTRAINTS)
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip $(if $(PIP_CONSTRAINTS),-c $(PIP_CONSTRAINTS))
	$(PY) -m pip install --quiet $(if $(PIP_CONSTRAINTS),-c $(PIP_CONSTRAINTS)) -e ".[dev]"
	$(PY) tools/install_lab_settings.py
	$(PY) tools/fetch_weights.py   # chapter 3's ImageNet weights, once (idempotent; data/README.md)
	@touch $(STAMP)

lab: setup   # localhost only, token authentication on (JupyterLab's defaults)
	$(VENV)/bin/jupyter lab $(if $(filter 0,$(shell id -u)),--allow-root) notebooks/00_start_here.ipynb

test: setup   # everything: unit tests, nbval on every notebook, student versions, browser
	$(PY) -m pytest course_utils tools tests notebooks $(PYTEST_NB) $(PYTEST_DURATIONS)

unit: setup   # the unit tests alone, without running the notebooks
	$(PY) -m pytest course_utils tools tests --ignore=tests/test_student.py --ignore=tests/test_browser.py \
	    --ignore=tests/test_slide_fit.py --ignore=tests/test_hub.py \
	    --deselect tests/test_accessibility.py::test_axe_on_every_notebook_and_deck \
	    --deselect tests/test_accessibility.py::test_explorers_by_keyboard

robust: setup   # every notebook's claims on other seeds and thread counts (slow; ROBUST_ARGS=--grid)
	$(PY) tools/robust.py $(ROBUST_ARGS)

slides: setup
	$(PY) tools/build_slides.py --out build/slides

student: setup
	$(PY) tools/make_student.py --out build/student

bench: setup
	$(PY) tools/bench_notebooks.py

# the class hub under load: rounds of simulated students (docs/instructors.md); not in make test
HUB_STUDENTS ?= 2,4,8,12,16,24
hubload: setup
	$(PY) tools/hub_load.py --students $(HUB_STUDENTS) --minutes 40

nav: setup   # navigation bars, and slide metadata that the live deck (jupyterlab-slideshow) can show
	$(PY) tools/navigation.py
	$(PY) tools/deck_compat.py
	$(PY) tools/hub_load.py --links > deploy/links.md   # one hub and Binder link per notebook

execute: setup   # re-execute notebooks and save them (NB=notebooks/02_convolution.ipynb, or all)
	$(PY) tools/navigation.py
	$(PY) tools/deck_compat.py
	$(PY) tools/nbrun.py $(if $(filter all,$(NB)),notebooks/[0-9][0-9]_*.ipynb,$(NB))

clean:
	rm -rf build .pytest_cache
