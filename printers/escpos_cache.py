"""Where python-escpos keeps its parsed printer-profile database between runs.

python-escpos 3.1 parses its capabilities file (about 120 ms) on import and pickles the result in
``ESCPOS_CAPABILITIES_PICKLE_DIR``; when that is not set it uses a new temporary folder on every
import, so it parses every time and leaves a pickle behind each run. (It still makes one empty
temporary folder per import: its default argument ``mkdtemp()`` is evaluated either way.) Both packages of the kiosk
call :func:`use_escpos_cache` before anything imports escpos: the pickle goes to the user's
cache folder and is reused (escpos itself reparses when its capabilities file is newer).
"""

from __future__ import annotations

import os
from pathlib import Path

ENVIRONMENT_KEY = "ESCPOS_CAPABILITIES_PICKLE_DIR"


def cache_folder() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "legal-service-kiosk" / "escpos"


def use_escpos_cache() -> None:
    """Point escpos at a lasting cache folder, unless the environment already names one or the
    folder cannot be made (then escpos keeps its own behaviour)."""
    if os.environ.get(ENVIRONMENT_KEY):
        return
    folder = cache_folder()
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return
    if os.access(folder, os.W_OK):
        os.environ[ENVIRONMENT_KEY] = str(folder)
