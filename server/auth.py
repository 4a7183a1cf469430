"""Kiosk tokens: a kiosk proves who it is with ``Authorization: Bearer TOKEN``.

``kiosk-server add-kiosk`` makes a random token (or registers a given one) and the database keeps
only its SHA-256, so a copy of the database lets nobody act as a kiosk. Registering a kiosk again
replaces its token. :class:`KioskTokens` answers "which kiosk has this token" and remembers each
answer it found for ``CACHE_S`` seconds, so the ticket hot path asks the database about once per
kiosk per half minute: a replaced token therefore still works for up to that long in a running
server. A token no kiosk has is asked about every time (a new kiosk works at once).
"""

from __future__ import annotations

import hashlib
import re
import secrets
import threading
import time
from collections.abc import Callable

from sqlalchemy import insert, select, update

from server.db import Database
from server.models import kiosks
from server.times import Clock, stamp, system_clock

TOKEN = re.compile(r"[A-Za-z0-9._~+/=-]{16,200}")  # RFC 6750's token characters; kiosk.ini's [server] token takes the same
KIOSK_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")  # as server.schemas.KioskId
CACHE_S = 30.0


def new_token() -> str:
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def check_kiosk_id(kiosk_id: str) -> None:
    if not KIOSK_ID.fullmatch(kiosk_id):
        raise ValueError(
            f"kiosk id: expected 1 to 64 letters, digits, '.', '_' or '-' starting with a letter or digit, got {kiosk_id[:70]!r}"
        )


def check_token(token: str) -> None:
    if not TOKEN.fullmatch(token):
        shown = f"{len(token)} characters" if len(token) > 200 or len(token) < 16 else "other characters"
        raise ValueError(f"token: expected 16 to 200 characters of A-Z a-z 0-9 . _ ~ + / = -, got {shown}")


def register_kiosk(database: Database, kiosk_id: str, token: str, clock: Clock = system_clock) -> None:
    """Let ``kiosk_id`` in with ``token`` (only its hash is stored), replacing the kiosk's old token.
    Raises ValueError with one line for a bad id or token, or a token another kiosk has."""
    check_kiosk_id(kiosk_id)
    check_token(token)
    digest = token_hash(token)
    with database.write() as connection:
        holder = connection.execute(select(kiosks.c.id).where(kiosks.c.token_hash == digest)).scalar()
        if holder is not None and holder != kiosk_id:
            raise ValueError(f"token: expected a token no other kiosk has, got the token of {holder}")
        known = connection.execute(select(kiosks.c.id).where(kiosks.c.id == kiosk_id)).first()
        if known is None:
            connection.execute(insert(kiosks), {"id": kiosk_id, "token_hash": digest, "created_at": stamp(clock())})
        else:
            connection.execute(update(kiosks).where(kiosks.c.id == kiosk_id).values(token_hash=digest))


class KioskTokens:
    """Which kiosk a token belongs to, with the answers found kept for ``cache_s`` seconds."""

    def __init__(self, database: Database, cache_s: float = CACHE_S, monotonic: Callable[[], float] = time.monotonic) -> None:
        self.db, self.cache_s, self.monotonic = database, cache_s, monotonic
        self._found: dict[str, tuple[str, float]] = {}  # token hash -> (kiosk id, good until)
        self._lock = threading.Lock()

    def cached(self, token: str) -> str | None:
        """The kiosk of ``token`` if a recent lookup found it, without asking the database."""
        digest = token_hash(token)
        with self._lock:
            found = self._found.get(digest)
        if found is None or found[1] < self.monotonic():
            return None
        return found[0]

    def lookup(self, token: str) -> str | None:
        """The kiosk of ``token`` from the database (None: no kiosk has it); a found one is cached."""
        digest = token_hash(token)
        with self.db.read() as connection:
            kiosk_id = connection.execute(select(kiosks.c.id).where(kiosks.c.token_hash == digest)).scalar()
        if kiosk_id is not None:
            with self._lock:
                if len(self._found) > 10_000:  # tokens replaced again and again: start afresh rather than grow
                    self._found.clear()
                self._found[digest] = (kiosk_id, self.monotonic() + self.cache_s)
        return kiosk_id
