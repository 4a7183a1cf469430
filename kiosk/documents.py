"""Turns content into readable documents (a title and blocks) for the disclosure screens.

Pure data: the screens only draw the blocks, so what a visitor reads is tested without a window.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from kiosk.content import Content, Material, Service, Text
from kiosk.i18n import Strings

HEADING, PARAGRAPH, BULLET, STEP, FIELD, NOTE = "heading", "paragraph", "bullet", "step", "field", "note"


@dataclass(frozen=True)
class Block:
    """One piece of a document: a heading, a paragraph, a list item, a step or a labelled field."""

    kind: str
    text: str
    label: str = ""


@dataclass(frozen=True)
class Document:
    title: str
    blocks: tuple[Block, ...]


class DocumentBuilder:
    """Builds the documents of one content set in one language."""

    def __init__(self, content: Content, strings: Strings, language: str) -> None:
        self.content, self.strings, self.language = content, strings, language

    def t(self, key: str, **values: object) -> str:
        return self.strings.get(key, self.language, **values)

    def c(self, text: Text) -> str:
        return text.get(self.language)

    def scope(self) -> Document:
        return Document(self.t("section_scope"), tuple(Block(BULLET, self.c(item)) for item in self.content.scope))

    def commitments(self) -> Document:
        blocks: list[Block] = []
        for commitment in self.content.commitments:
            blocks += [Block(HEADING, self.c(commitment.title)), *self._paragraphs(commitment.text)]
        return Document(self.t("section_commitments"), tuple(blocks))

    def contact(self) -> Document:
        center = self.content.center
        fields = [
            ("label_address", self.c(center.address)),
            ("label_postcode", center.postcode),
            ("label_phone", center.phone),
            ("label_supervision_phone", center.supervision_phone),
            ("label_hotline", center.hotline),
            ("label_email", center.email),
            ("label_hours", self.c(center.hours)),
        ]
        blocks = [Block(HEADING, self.c(center.name))] + [Block(FIELD, value, self.t(key)) for key, value in fields]
        return Document(self.t("section_contact"), tuple(blocks))

    def notices(self, today: dt.date) -> Document:
        blocks: list[Block] = []
        for notice in self.content.visible_notices(today):
            if notice.long_term:
                period = self.t("notice_long_term")
            else:
                last_day = notice.published + dt.timedelta(days=notice.period_days - 1)
                period = self.t("notice_until", date=last_day.isoformat())
            blocks.append(Block(HEADING, self.c(notice.title)))
            blocks.append(Block(NOTE, f"{self.t('notice_published', date=notice.published.isoformat())}    {period}"))
            blocks += self._paragraphs(notice.body)
        if not blocks:
            blocks.append(Block(PARAGRAPH, self.t("no_notices")))
        return Document(self.t("section_notices"), tuple(blocks))

    def rules(self) -> Document:
        blocks: list[Block] = []
        for rule in self.content.rules:
            blocks += [Block(HEADING, self.c(rule.title)), *self._paragraphs(rule.body)]
        return Document(self.t("section_rules"), tuple(blocks))

    def service(self, service: Service) -> Document:
        blocks = [
            *self._paragraphs(service.summary),
            Block(FIELD, self.c(service.for_whom), self.t("label_for_whom")),
            Block(HEADING, self.t("label_conditions")),
            *(Block(BULLET, self.c(item)) for item in service.conditions),
            Block(HEADING, self.t("label_materials")),
            *(self._material(m) for m in service.materials),
        ]
        if not service.materials:
            blocks.append(Block(PARAGRAPH, self.t("no_materials")))
        blocks += [
            Block(HEADING, self.t("label_steps")),
            *(Block(STEP, self.c(step), str(number)) for number, step in enumerate(service.steps, start=1)),
            Block(HEADING, self.t("label_handling")),
            Block(FIELD, self.c(service.window), self.t("label_window")),
            Block(FIELD, self.c(service.department), self.t("label_department")),
            Block(FIELD, self.c(service.handler), self.t("label_handler")),
            Block(FIELD, self.c(service.leader), self.t("label_leader")),
            Block(FIELD, self.c(service.time_limit), self.t("label_time_limit")),
            Block(FIELD, self.c(service.fees), self.t("label_fees")),
            Block(HEADING, self.t("label_basis")),
        ]
        for basis in service.basis:
            gap, separator = (" ", ": ") if self.language == "en" else ("", "：")
            blocks.append(Block(BULLET, f"{self.c(basis.law)}{gap}{self.c(basis.article)}{separator}{self.c(basis.text)}"))
        blocks += [Block(HEADING, self.t("label_outside")), *self._paragraphs(service.outside)]
        return Document(self.c(service.name), tuple(blocks))

    def material_line(self, material: Material) -> str:
        form = self.t(f"form_{material.form}")
        return self.t("material_line", name=self.c(material.name), form=form, copies=material.copies)

    def _material(self, material: Material) -> Block:
        line = self.material_line(material)
        if material.note:
            line += f"\n{self.c(material.note)}"
        return Block(BULLET, line)

    def _paragraphs(self, text: Text) -> list[Block]:
        return [Block(PARAGRAPH, paragraph) for paragraph in self.c(text).split("\n") if paragraph.strip()]
