"""Fixtures for the printing tests: the sample content and strings, printer settings, the
database in tmp_path, a pseudo-terminal pair for serial, and a kiosk.ini for ``kiosk print``."""

from __future__ import annotations

import os
import tty
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from kiosk.content import Content
from kiosk.content_loader import load_content
from kiosk.database import Database, open_database
from kiosk.i18n import Strings, load_strings
from kiosk.paths import BUNDLED_BOLD_FONT, BUNDLED_FONT, SAMPLE_CONTENT_DIR
from printers.encoder import ReceiptEncoder
from printers.preview import PaperRenderer
from printers.settings import PrinterSettings

# Fast status answers, and write timeouts long enough that the bounds in the tests mean something.
SYSTEM_FONT = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")  # a full CJK font, as a center may configure
STATUS_TIMEOUT = 0.3
TIMEOUT = 10.0


@pytest.fixture(scope="session")
def strings() -> Strings:
    return load_strings()


@pytest.fixture(scope="session")
def content() -> Content:
    """The sample content the kiosk ships with (a fictional center)."""
    return load_content(SAMPLE_CONTENT_DIR)


def renderer_for(settings: PrinterSettings) -> PaperRenderer:
    return PaperRenderer(settings.dots, BUNDLED_FONT, BUNDLED_BOLD_FONT)


def encoder_for(settings: PrinterSettings) -> ReceiptEncoder:
    return ReceiptEncoder(settings, renderer_for(settings))


@pytest.fixture
def database(tmp_path: Path) -> Iterator[Database]:
    db = open_database(tmp_path / "data")
    yield db
    db.close()


@pytest.fixture
def pty_pair() -> Iterator[tuple[int, int, str]]:
    """(master fd, slave fd, slave device name), raw, closed afterwards. The slave fd stays open
    for the whole test so the master never sees a hang-up when the kiosk closes its port."""
    master, slave = os.openpty()
    tty.setraw(slave)
    tty.setraw(master)
    try:
        yield master, slave, os.ttyname(slave)
    finally:
        os.close(master)
        os.close(slave)


IniWriter = Callable[..., Path]


@pytest.fixture
def write_ini(tmp_path: Path) -> IniWriter:
    """``write_ini(**printer_keys)``: tmp_path/kiosk.ini with the sample content, data in
    tmp_path/data and those ``[printer]`` keys."""

    def write(**printer: object) -> Path:
        lines = ["[kiosk]", "id = test-kiosk", "data_dir = data", "", "[printer]"]
        lines += [f"{key} = {value}" for key, value in printer.items()]
        path = tmp_path / "kiosk.ini"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return path

    return write
