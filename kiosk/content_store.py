"""Keeps the content a kiosk shows: the configured folder when it is good, else the last good copy.

A staff member's typo must never blank the lobby screen. Each good load is copied to
``<data_dir>/content-last-good``; when the configured folder is wrong at start-up the kiosk shows
that copy (or, on a brand-new kiosk, the sample content) and the admin screen says why.
"""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from kiosk.content import Content
from kiosk.content_loader import load_content
from kiosk.paths import SAMPLE_CONTENT_DIR
from kiosk.problems import Problem, ProblemsFound

LAST_GOOD = "content-last-good"


@dataclass
class ContentStatus:
    """What the admin screen says about the content in use."""

    source: str  # "configured", "last_good" or "sample"
    loaded_at: dt.datetime
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.source == "configured" and not self.problems


class ContentStore:
    """The content in use, and how to reload it without ever losing the last good set."""

    def __init__(self, configured: Path, data_dir: Path, now: Callable[[], dt.datetime] = dt.datetime.now) -> None:
        self.configured = configured
        self.last_good = data_dir / LAST_GOOD
        self.now = now
        self.content, self.status = self._load_at_start()

    def reload(self) -> bool:
        """Load the configured folder again; keep the current content when it is wrong."""
        try:
            content = load_content(self.configured)
        except ProblemsFound as found:
            self.status = ContentStatus(self.status.source, self.now(), found.problems)
            return False
        self._save_copy(content)
        self.content = content
        self.status = ContentStatus("configured", self.now())
        return True

    def _load_at_start(self) -> tuple[Content, ContentStatus]:
        try:
            content = load_content(self.configured)
        except ProblemsFound as found:
            return self._fallback(found.problems)
        self._save_copy(content)
        return content, ContentStatus("configured", self.now())

    def _fallback(self, problems: list[Problem]) -> tuple[Content, ContentStatus]:
        for source, folder in (("last_good", self.last_good), ("sample", SAMPLE_CONTENT_DIR)):
            try:
                return load_content(folder), ContentStatus(source, self.now(), problems)
            except ProblemsFound:
                continue
        raise ProblemsFound(problems)

    def _save_copy(self, content: Content) -> None:
        marker = self.last_good.with_name(LAST_GOOD + ".version")
        if marker.is_file() and marker.read_text() == content.version and self.last_good.is_dir():
            return
        staging = self.last_good.with_name(LAST_GOOD + ".new")
        shutil.rmtree(staging, ignore_errors=True)
        shutil.copytree(content.folder, staging)
        shutil.rmtree(self.last_good, ignore_errors=True)
        staging.rename(self.last_good)
        marker.write_text(content.version)
