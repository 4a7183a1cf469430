"""The center's content as plain data: center, scope, commitments, staff, services, notices,
work rules, the service guide and the queue rules. Built by :mod:`kiosk.content_loader`; read by
the screens."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from kiosk.queue_rules import QueueRules

MATERIAL_FORMS = ("original", "copy", "original_and_copy")


@dataclass(frozen=True)
class Text:
    """A piece of content in Chinese, with its English where staff gave one."""

    zh: str
    en: str | None = None

    def get(self, language: str) -> str:
        if language == "en" and self.en:
            return self.en
        return self.zh


@dataclass(frozen=True)
class Center:
    name: Text
    address: Text
    postcode: str
    phone: str
    supervision_phone: str
    email: str
    hotline: str
    hours: Text
    sample: bool


@dataclass(frozen=True)
class Commitment:
    id: str
    title: Text
    text: Text


@dataclass(frozen=True)
class StaffMember:
    id: str
    name: Text
    position: Text
    photo: Path
    on_duty: bool
    absence_reason: Text | None
    window: Text | None


@dataclass(frozen=True)
class Material:
    name: Text
    form: str
    copies: int
    note: Text | None


@dataclass(frozen=True)
class LegalBasis:
    law: Text
    article: Text
    text: Text


@dataclass(frozen=True)
class Service:
    id: str
    order: int
    name: Text
    summary: Text
    for_whom: Text
    conditions: tuple[Text, ...]
    steps: tuple[Text, ...]
    window: Text
    department: Text
    handler: Text
    leader: Text
    time_limit: Text
    fees: Text
    outside: Text
    materials: tuple[Material, ...]
    basis: tuple[LegalBasis, ...]


@dataclass(frozen=True)
class Notice:
    id: str
    title: Text
    body: Text
    published: dt.date
    period_days: int
    long_term: bool

    def visible_on(self, day: dt.date) -> bool:
        """Shown from its publish date for ``period_days`` days (day one included), or always when long-term."""
        if day < self.published:
            return False
        return self.long_term or (day - self.published).days < self.period_days


@dataclass(frozen=True)
class Rule:
    id: str
    title: Text
    body: Text


@dataclass(frozen=True)
class GuideChoice:
    id: str
    label: Text
    goto: str  # "question.<id>", "service.<id>" or "outside.<id>"


@dataclass(frozen=True)
class GuideQuestion:
    id: str
    text: Text
    choices: tuple[GuideChoice, ...]


@dataclass(frozen=True)
class GuideOutside:
    id: str
    title: Text
    text: Text


@dataclass(frozen=True)
class Guide:
    questions: dict[str, GuideQuestion]
    outside: dict[str, GuideOutside]

    START = "start"


@dataclass(frozen=True)
class Content:
    """A complete, checked content set."""

    folder: Path
    version: str
    center: Center
    scope: tuple[Text, ...]
    commitments: tuple[Commitment, ...]
    staff: tuple[StaffMember, ...]
    services: tuple[Service, ...]
    notices: tuple[Notice, ...]
    rules: tuple[Rule, ...]
    guide: Guide
    queues: QueueRules  # which services take tickets, and when (queues.ini)

    def service(self, service_id: str) -> Service:
        for service in self.services:
            if service.id == service_id:
                return service
        raise KeyError(service_id)

    def visible_notices(self, day: dt.date) -> tuple[Notice, ...]:
        """Notices in their disclosure period on ``day``, newest first."""
        shown = [n for n in self.notices if n.visible_on(day)]
        return tuple(sorted(shown, key=lambda n: n.published, reverse=True))
