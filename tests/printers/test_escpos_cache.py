"""python-escpos's parsed profile database is kept in the user's cache folder and reused, instead
of a new pickle in a temporary folder (and a 120 ms parse) on every start of the kiosk."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from kiosk.paths import PROJECT_DIR

IMPORT_AND_SAY = "import os, kiosk.config; print(os.environ['ESCPOS_CAPABILITIES_PICKLE_DIR'])"


def start_kiosk_core(cache_home: Path, temp: Path) -> str:
    env = {**os.environ, "XDG_CACHE_HOME": str(cache_home), "TMPDIR": str(temp)}
    env.pop("ESCPOS_CAPABILITIES_PICKLE_DIR", None)
    done = subprocess.run([sys.executable, "-c", IMPORT_AND_SAY], cwd=PROJECT_DIR, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_the_profile_database_is_parsed_once_and_kept_in_the_cache_folder(tmp_path: Path) -> None:
    temp = tmp_path / "tmp"
    temp.mkdir()
    folder = start_kiosk_core(tmp_path / "cache", temp)
    assert Path(folder) == tmp_path / "cache" / "legal-service-kiosk" / "escpos"
    [pickle] = Path(folder).glob("*.capabilities.pickle")
    written = pickle.stat().st_mtime_ns
    assert start_kiosk_core(tmp_path / "cache", temp) == folder
    assert pickle.stat().st_mtime_ns == written, "the second start reads the pickle, it does not parse again"
    # escpos still makes one empty temporary folder per import (mkdtemp() is its default
    # argument, evaluated even when the cache folder is named), but nothing is written there.
    assert [p for p in temp.rglob("*") if p.is_file()] == []
