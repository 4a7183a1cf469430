"""Keeps the content a kiosk shows: the center's set from the server, the configured folder when it
is good, else the last good copy.

A staff member's typo must never blank the lobby screen. Each good load of the configured folder is
copied to ``<data_dir>/content-last-good``; when that folder is wrong at start-up the kiosk shows
the copy (or, on a brand-new kiosk, the sample content) and the admin screen says why.

With ``[server] pull_content`` and a server (docs/appliance-api.md), the center's set lives in
``<data_dir>/content-server`` with ``content-server.json`` (its version, digest and when it was
applied) and is shown first. A new set is applied only when it loads: it is swapped in by renames,
and a swap a crash cut short is finished or undone at the next start. A set that fails is deleted
and remembered as refused, with its first problem, for the admin screen.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import logging
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.content import Content
from kiosk.content_loader import load_content
from kiosk.paths import SAMPLE_CONTENT_DIR
from kiosk.problems import Problem, ProblemsFound, one_line

if TYPE_CHECKING:
    from kiosk.config import KioskConfig

LAST_GOOD = "content-last-good"
SERVER_SET = "content-server"  # the server's set in use
SERVER_NEW = SERVER_SET + ".new"  # a set being unpacked and checked
SERVER_OLD = SERVER_SET + ".old"  # the set being replaced, during a swap
SERVER_NOTE = SERVER_SET + ".json"  # {"version", "digest", "applied_at"} of the set in use
PENDING_NOTE = SERVER_NOTE + ".new"  # the note of the set being swapped in
SOURCE_WORDS = {"configured": "content_dir", "last_good": "last good copy of content_dir", "sample": "sample content"}
log = logging.getLogger(__name__)


@dataclass
class ContentStatus:
    """What the admin screen and ``kiosk check`` say about the content in use."""

    source: str  # "server", "configured", "last_good" or "sample"
    loaded_at: dt.datetime
    problems: list[Problem] = field(default_factory=list)  # the configured folder's, when it failed
    digest: str = ""  # the content's version (kiosk.content_loader.content_version)
    server_version: int | None = None  # the server's number of the set (source "server")
    applied_at: dt.datetime | None = None  # when the server's set was applied (it outlives a restart)

    @property
    def ok(self) -> bool:
        return self.source in ("server", "configured") and not self.problems

    @property
    def label(self) -> str:
        """``server version 12 (abcd1234ef56)`` or ``content_dir (abcd1234ef56)``."""
        if self.source == "server":
            return f"server version {self.server_version} ({self.digest})"
        return f"{SOURCE_WORDS[self.source]} ({self.digest})"

    @property
    def in_use(self) -> str:
        """The label with when that content was applied (or loaded)."""
        return f"{self.label}, applied {(self.applied_at or self.loaded_at):%Y-%m-%d %H:%M}"


@dataclass(frozen=True)
class ServerNote:
    """content-server.json: which of the server's versions the data folder holds, since when."""

    version: int
    digest: str
    applied_at: dt.datetime

    def text(self) -> str:
        return json.dumps({"version": self.version, "digest": self.digest, "applied_at": self.applied_at.isoformat()}) + "\n"


def read_note(path: Path) -> ServerNote | None:
    try:
        values = json.loads(path.read_text(encoding="utf-8"))
        return ServerNote(int(values["version"]), str(values["digest"]), dt.datetime.fromisoformat(values["applied_at"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def load_server_set(data_dir: Path, now: Callable[[], dt.datetime] = dt.datetime.now) -> tuple[Content, ContentStatus] | None:
    """The server's set the data folder holds, when it has one that loads (nothing is changed on disk)."""
    note = read_note(data_dir / SERVER_NOTE)
    if note is None or not (data_dir / SERVER_SET).is_dir():
        return None
    try:
        content = load_content(data_dir / SERVER_SET)
    except ProblemsFound as found:
        log.warning("the server's content in %s does not load: %s", data_dir / SERVER_SET, found.problems[0])
        return None
    return content, ContentStatus("server", now(), digest=content.version, server_version=note.version, applied_at=note.applied_at)


class ContentStore:
    """The content in use, and how to reload it or take the server's without ever losing the last good set."""

    def __init__(
        self,
        configured: Path,
        data_dir: Path,
        now: Callable[[], dt.datetime] = dt.datetime.now,
        pull: bool = False,
    ) -> None:
        self.configured, self.data_dir, self.now, self.pull = configured, data_dir, now, pull
        self.last_good = data_dir / LAST_GOOD
        self.server_set, self.server_new, self.server_old = data_dir / SERVER_SET, data_dir / SERVER_NEW, data_dir / SERVER_OLD
        self.refused = ""  # "server version 13 refused: FIRST PROBLEM", until a set is applied
        self.refused_digest = ""
        if pull:  # only a pulling kiosk writes the server's folders
            self.recover_swap()
        self.content, self.status = self._load_at_start()

    @classmethod
    def of(cls, config: KioskConfig, now: Callable[[], dt.datetime] = dt.datetime.now) -> ContentStore:
        """The store for a kiosk.ini: the server's set first when it pulls content from a server."""
        return cls(config.content_dir, config.data_dir, now, pull=config.pull_content and bool(config.server_url))

    @property
    def label(self) -> str:
        return self.status.label

    @property
    def in_use(self) -> str:
        return self.status.in_use

    def reload(self) -> bool:
        """Load again what the kiosk shows at start (the server's set, else the configured folder);
        keep the current content when it is wrong."""
        server = load_server_set(self.data_dir, self.now) if self.pull else None
        if server is not None:
            self.content, self.status = server
            return True
        try:
            content = load_content(self.configured)
        except ProblemsFound as found:
            self.status = dataclasses.replace(self.status, loaded_at=self.now(), problems=found.problems)
            return False
        self._save_copy(content)
        self.content = content
        self.status = ContentStatus("configured", self.now(), digest=content.version)
        return True

    # ----- the server's sets

    def apply_server_set(self, version: int, digest: str) -> str:
        """Show the server's set unpacked in ``server_new`` when it loads: "" when it is in use, else
        the refusal (or the disk's failure) in one line. A broken set is never applied."""
        try:
            load_content(self.server_new)
        except ProblemsFound as found:
            shutil.rmtree(self.server_new, ignore_errors=True)
            return self.refuse(version, digest, str(_within(found.problems[0], self.server_new)))
        note = ServerNote(version, digest, self.now())
        try:
            self._swap_in(note)
            content = load_content(self.server_set)
        except (OSError, ProblemsFound) as error:
            self.recover_swap()
            return one_line(f"{self.server_set}: cannot apply server version {version}: {str(error).splitlines()[0]}")
        self.content = content
        self.status = ContentStatus("server", self.now(), digest=content.version, server_version=version, applied_at=note.applied_at)
        self.refused = self.refused_digest = ""
        log.info("content: %s applied", self.status.label)
        return ""

    def refuse(self, version: int | None, digest: str, problem: str) -> str:
        """Remember a set the kiosk will not show (not downloaded again); the note in one line."""
        self.refused = one_line(f"server version {version} refused: {problem}")
        self.refused_digest = digest
        log.warning("content: %s", self.refused)
        return self.refused

    def _swap_in(self, note: ServerNote) -> None:
        """Old set renamed away, new renamed in, its note in place, the old removed; each step leaves
        the data folder in a state :meth:`recover_swap` finishes or undoes."""
        pending = self.data_dir / PENDING_NOTE
        with pending.open("w", encoding="utf-8") as file:
            file.write(note.text())
            file.flush()
            os.fsync(file.fileno())
        if self.server_set.exists():
            self.server_set.rename(self.server_old)
        self.server_new.rename(self.server_set)
        os.replace(pending, self.data_dir / SERVER_NOTE)
        _fsync_folder(self.data_dir)
        shutil.rmtree(self.server_old, ignore_errors=True)

    def recover_swap(self) -> None:
        """Finish or undo a swap a crash cut short, and clear what an unpack left behind."""
        pending = self.data_dir / PENDING_NOTE
        if not self.server_set.exists() and self.server_old.exists():
            self.server_old.rename(self.server_set)  # stopped between the two renames: the old set stays
        if pending.exists():
            if self.server_new.exists():
                pending.unlink()  # the new set never got in
            else:
                os.replace(pending, self.data_dir / SERVER_NOTE)  # the new set is in: so is its note
        shutil.rmtree(self.server_old, ignore_errors=True)
        shutil.rmtree(self.server_new, ignore_errors=True)

    # ----- start-up

    def _load_at_start(self) -> tuple[Content, ContentStatus]:
        server = load_server_set(self.data_dir, self.now) if self.pull else None
        if server is not None:
            return server
        try:
            content = load_content(self.configured)
        except ProblemsFound as found:
            return self._fallback(found.problems)
        self._save_copy(content)
        return content, ContentStatus("configured", self.now(), digest=content.version)

    def _fallback(self, problems: list[Problem]) -> tuple[Content, ContentStatus]:
        for source, folder in (("last_good", self.last_good), ("sample", SAMPLE_CONTENT_DIR)):
            try:
                content = load_content(folder)
            except ProblemsFound:
                continue
            return content, ContentStatus(source, self.now(), problems, digest=content.version)
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


def _within(problem: Problem, root: Path) -> Problem:
    """The problem with its file named relative to the set's root (``staff.ini:14: ...``), as the server names it."""
    try:
        return dataclasses.replace(problem, path=problem.path.relative_to(root))
    except ValueError:
        return problem


def _fsync_folder(folder: Path) -> None:
    """Make the renames in ``folder`` survive a power cut."""
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
