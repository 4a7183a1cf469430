"""Fixtures of the end-to-end ticket tests: a content folder open around the clock, a kiosk.ini
pointing at a central server, and the kiosk's real services built from it."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from kiosk.config import KioskConfig, load_config
from kiosk.paths import SAMPLE_CONTENT_DIR

ALWAYS_OPEN_HOURS = "[hours]\n" + "".join(
    f"{day} = 00:00-24:00\n" for day in ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
)


def always_open_content(folder: Path) -> Path:
    """The sample content, open every hour of every day and without daily caps."""
    shutil.copytree(SAMPLE_CONTENT_DIR, folder)
    queues = folder / "queues.ini"
    text = queues.read_text(encoding="utf-8")
    text = re.sub(r"\[hours\]\n.*?(?=\n\[queue\.)", ALWAYS_OPEN_HOURS, text, flags=re.S)
    text = re.sub(r"(?m)^daily_cap = .*$", "daily_cap =", text)
    queues.write_text(text, encoding="utf-8")
    return folder


def write_kiosk_ini(folder: Path, content: Path, server_url: str, kiosk_id: str = "kiosk-01", block: int = 1, **server: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    extra = "".join(f"{key} = {value}\n" for key, value in server.items())
    path = folder / "kiosk.ini"
    path.write_text(
        f"[kiosk]\nid = {kiosk_id}\ncontent_dir = {content}\ndata_dir = {folder / 'data'}\n"
        f"[printer]\ntype = file\npreview = no\n"
        f"[server]\nurl = {server_url}\noffline_block = {block}\n{extra}",
        encoding="utf-8",
    )
    return path


@pytest.fixture
def open_content(tmp_path: Path) -> Path:
    return always_open_content(tmp_path / "content")


@pytest.fixture
def kiosk_config(tmp_path: Path, open_content: Path) -> Callable[..., KioskConfig]:
    def make(server_url: str, kiosk_id: str = "kiosk-01", block: int = 1, content: Path | None = None, **server: str) -> KioskConfig:
        return load_config(write_kiosk_ini(tmp_path / kiosk_id, content or open_content, server_url, kiosk_id, block, **server))

    return make
