# The two set-up commands of the README: `make run` and `make test`. Each builds the virtual
# environment in .venv and installs the Debian packages it needs when they are missing.
# `make run` starts the central server (tickets, counter page at http://127.0.0.1:8470/counter,
# ratings, complaints and the dashboard at http://127.0.0.1:8470/dashboard) beside the kiosk, and
# stops it when the kiosk quits.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
DEBIAN_PACKAGES := xvfb xauth libmtdev1 libgl1 libegl1
# The tests also drive the central server's counter page in a real headless browser, and run the
# server's tests on a PostgreSQL they start themselves as well as on SQLite.
TEST_DEBIAN_PACKAGES := $(DEBIAN_PACKAGES) chromium postgresql
CONFIG ?= kiosk.ini
# The sample kiosk's token (kiosk.ini [server] token) and the sample manager's dashboard login,
# which `make run` registers with its local server; a real center makes its own.
SAMPLE_KIOSK_TOKEN := sample-kiosk-01-token-replace-me
SAMPLE_MANAGER := manager
SAMPLE_MANAGER_PASSWORD := sample-manager-2580

.PHONY: run test check lint bench bench-server debian-packages screenshots clean

run: $(INSTALLED) debian-packages
	$(if $(DISPLAY)$(WAYLAND_DISPLAY)$(filter kmsdrm,$(SDL_VIDEODRIVER)),,$(error no display found (DISPLAY is not set): run it on the kiosk's screen or try it without one: xvfb-run -a -s '-screen 0 1920x1920x24' make run))
	@$(BIN)/kiosk-server add-kiosk kiosk-01 --token $(SAMPLE_KIOSK_TOKEN) >/dev/null
	@echo '$(SAMPLE_MANAGER_PASSWORD)' | $(BIN)/kiosk-server add-user $(SAMPLE_MANAGER) --password-stdin --keep-existing >/dev/null
	@echo "make run: dashboard http://127.0.0.1:8470/dashboard (sample login $(SAMPLE_MANAGER) / $(SAMPLE_MANAGER_PASSWORD), change it with kiosk-server add-user $(SAMPLE_MANAGER))"
	@$(BIN)/kiosk-server run --content assets/content & server=$$!; \
	trap 'kill $$server 2>/dev/null' EXIT INT TERM; \
	$(BIN)/kiosk run --config $(CONFIG)

test: $(INSTALLED)
	@sh tools/install_debian_packages.sh $(TEST_DEBIAN_PACKAGES)
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

bench-server: $(INSTALLED)
	@$(BIN)/python -m benchmarks.server_tickets

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
