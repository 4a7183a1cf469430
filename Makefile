# The two set-up commands of the README: `make run` and `make test`. Each builds the virtual
# environment in .venv and installs the Debian packages it needs when they are missing.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
DEBIAN_PACKAGES := xvfb xauth libmtdev1 libgl1 libegl1 chromium
CONFIG ?= kiosk.ini

.PHONY: run test check lint bench debian-packages screenshots clean

run: $(INSTALLED) debian-packages
	$(if $(DISPLAY)$(WAYLAND_DISPLAY)$(filter kmsdrm,$(SDL_VIDEODRIVER)),,$(error no display found (DISPLAY is not set): run it on the kiosk's screen or try it without one: xvfb-run -a -s '-screen 0 1920x1920x24' make run))
	@$(BIN)/kiosk run --config $(CONFIG)

test: $(INSTALLED) debian-packages
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/python -m pytest

check: $(INSTALLED)
	@$(BIN)/kiosk check --config $(CONFIG)

lint: $(INSTALLED)
	$(BIN)/ruff check .
	$(BIN)/mypy

bench: $(INSTALLED) debian-packages
	@$(BIN)/python -m benchmarks

screenshots: $(INSTALLED) debian-packages
	$(BIN)/python -m pytest tests/screens -k screenshots

$(INSTALLED): pyproject.toml
	@$(PYTHON) -c 'import ensurepip' 2>/dev/null || $(MAKE) --no-print-directory debian-packages DEBIAN_PACKAGES=python3-venv
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $@

debian-packages:
	@sh tools/install_debian_packages.sh $(DEBIAN_PACKAGES)

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache tests/screenshots
