"""Reads a content folder (see assets/content/README.md) into :class:`kiosk.content.Content`.

Every mistake in every file is collected, so staff see the whole list at once; ``load_content``
raises :class:`~kiosk.problems.ProblemsFound` unless the set is complete and consistent.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

from kiosk.content import (
    MATERIAL_FORMS,
    Center,
    Commitment,
    Content,
    Guide,
    GuideChoice,
    GuideOutside,
    GuideQuestion,
    LegalBasis,
    Material,
    Notice,
    Rule,
    Service,
    StaffMember,
    Text,
)
from kiosk.fields import (
    Choice,
    Date,
    Field,
    Lines,
    OptionalText,
    Pattern,
    WholeNumber,
    YesNo,
)
from kiosk.fields import Text as TextKind
from kiosk.ini_sections import ID, complete, read_sections
from kiosk.inifile import IniFile, IniSection, read_ini
from kiosk.problems import Problem, ProblemsFound, describe
from kiosk.queue_rules import QueueRules
from kiosk.queue_rules_loader import QUEUES_FILE, no_queues, read_queue_rules

REQUIRED_SERVICES = ("consultation", "legal_aid", "notarization", "mediation", "appraisal", "correction", "complaint")
CONTENT_FILES = ("center.ini", "staff.ini", "notices.ini", "rules.ini", "guide.ini", QUEUES_FILE)
PHOTO_SUFFIXES = (".png", ".jpg", ".jpeg")
GOTO = re.compile(rf"(question|service|outside)\.({ID})")


def text(name: str) -> Field:
    return Field(name, TextKind(), english=True)


def optional_text(name: str) -> Field:
    """A text key that may be left out or left empty (both mean: none)."""
    return Field(name, OptionalText(), None, english=True)


def lines(name: str) -> Field:
    return Field(name, Lines(), english=True)


CENTER_FIELDS = (
    text("name"),
    text("address"),
    Field("postcode", Pattern(r"\d{6}", "a postcode of six digits")),
    Field("phone", Pattern(r"[0-9()+\- ]{3,30}", "a phone number")),
    Field("supervision_phone", Pattern(r"[0-9()+\- ]{3,30}", "a phone number")),
    Field("email", Pattern(r"[^@\s]+@[^@\s]+\.[^@\s]+", "an email address")),
    Field("hotline", Pattern(r"[0-9\-]{3,20}", "a phone number")),
    text("hours"),
    Field("sample", YesNo(), False),
)
SCOPE_FIELDS = (lines("items"),)
COMMITMENT_FIELDS = (text("title"), text("text"))
STAFF_FIELDS = (
    text("name"),
    text("position"),
    Field("photo", TextKind()),
    Field("on_duty", YesNo()),
    optional_text("absence_reason"),
    optional_text("window"),
)
SERVICE_FIELDS = (
    text("name"),
    Field("order", WholeNumber(1, 999)),
    text("summary"),
    text("for_whom"),
    lines("conditions"),
    lines("steps"),
    text("window"),
    text("department"),
    text("handler"),
    text("leader"),
    text("time_limit"),
    text("fees"),
    text("outside"),
)
MATERIAL_FIELDS = (
    text("name"),
    Field("form", Choice(*MATERIAL_FORMS)),
    Field("copies", WholeNumber(1, 20)),
    optional_text("note"),
)
BASIS_FIELDS = (text("law"), text("article"), text("text"))
NOTICE_FIELDS = (
    text("title"),
    text("body"),
    Field("published", Date()),
    Field("period_days", WholeNumber(1, 365), 7),
    Field("long_term", YesNo(), False),
)
RULE_FIELDS = (text("title"), text("body"))
QUESTION_FIELDS = (text("text"),)
CHOICE_FIELDS = (
    text("label"),
    Field("goto", Pattern(GOTO.pattern, "question.<id>, service.<id> or outside.<id>")),
)
OUTSIDE_FIELDS = (text("title"), text("text"))


def load_content(folder: Path) -> Content:
    """Read and check every file of a content folder."""
    loader = _Loader(folder)
    content = loader.load()
    if loader.problems or content is None:
        raise ProblemsFound(loader.problems)
    return content


def content_version(folder: Path) -> str:
    """A short fingerprint of every file in the folder: it changes when any file changes."""
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(folder)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def bilingual(values: dict[str, Any], key: str) -> Text:
    return Text(values[key], values.get(key + "_en"))


def bilingual_or_none(values: dict[str, Any], key: str) -> Text | None:
    return bilingual(values, key) if values.get(key) else None


def bilingual_list(values: dict[str, Any], key: str) -> tuple[Text, ...]:
    english = values.get(key + "_en") or [None] * len(values[key])
    return tuple(Text(zh, en) for zh, en in zip(values[key], english, strict=False))


class _Loader:
    """One pass over a content folder, collecting problems as it goes."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.problems: list[Problem] = []

    def load(self) -> Content | None:
        if not self.folder.is_dir():
            self.problems.append(Problem(self.folder, None, "expected a folder of content files, got no such folder"))
            return None
        self._check_unknown_files()
        center, scope, commitments = self._center()
        staff = self._staff()
        services = self._services()
        notices = self._notices()
        rules = self._rules()
        guide = self._guide({s.id for s in services})
        queues = self._queues([s.id for s in sorted(services, key=lambda s: (s.order, s.id))])
        if self.problems or center is None or guide is None or queues is None:
            return None
        return Content(
            folder=self.folder,
            version=content_version(self.folder),
            center=center,
            scope=scope,
            commitments=commitments,
            staff=staff,
            services=tuple(sorted(services, key=lambda s: (s.order, s.id))),
            notices=notices,
            rules=rules,
            guide=guide,
            queues=queues,
        )

    # -- files -------------------------------------------------------------------------------

    def _check_unknown_files(self) -> None:
        for path in sorted(self.folder.glob("*.ini")):
            if path.name not in CONTENT_FILES:
                message = f"expected one of the files {', '.join(CONTENT_FILES)} or services/<id>.ini, got an unknown file"
                self.problems.append(Problem(path, None, message))

    def _read(self, path: Path) -> IniFile | None:
        if not path.exists():
            self.problems.append(Problem(path, None, "expected this content file, got no such file"))
            return None
        ini, problems = read_ini(path)
        self.problems.extend(problems)
        return ini

    def _sections(
        self, ini: IniFile, fixed: Mapping[str, tuple[Field, ...]], prefixed: Mapping[str, tuple[Field, ...]]
    ) -> list[tuple[str, str, IniSection, dict[str, Any]]]:
        """Read each section as (kind, id, section, values); report unknown and badly named ones."""
        return read_sections(ini, fixed, prefixed, self.problems)

    def _complete(self, section: IniSection, values: dict[str, Any], fields: Iterable[Field]) -> bool:
        """Whether every required key came through clean (problems were already reported)."""
        return complete(values, fields)

    # -- center.ini --------------------------------------------------------------------------

    def _center(self) -> tuple[Center | None, tuple[Text, ...], tuple[Commitment, ...]]:
        ini = self._read(self.folder / "center.ini")
        if ini is None:
            return None, (), ()
        center: Center | None = None
        scope: tuple[Text, ...] = ()
        commitments = []
        sections = self._sections(ini, {"center": CENTER_FIELDS, "scope": SCOPE_FIELDS}, {"commitment": COMMITMENT_FIELDS})
        for kind, ident, section, v in sections:
            if kind == "center" and self._complete(section, v, CENTER_FIELDS):
                center = Center(
                    name=bilingual(v, "name"),
                    address=bilingual(v, "address"),
                    postcode=v["postcode"],
                    phone=v["phone"],
                    supervision_phone=v["supervision_phone"],
                    email=v["email"],
                    hotline=v["hotline"],
                    hours=bilingual(v, "hours"),
                    sample=v["sample"],
                )
            elif kind == "scope" and "items" in v:
                scope = bilingual_list(v, "items")
            elif kind == "commitment" and self._complete(section, v, COMMITMENT_FIELDS):
                commitments.append(Commitment(ident, bilingual(v, "title"), bilingual(v, "text")))
        if not any(kind == "commitment" for kind, *_ in sections):
            self.problems.append(Problem(ini.path, None, "expected at least one [commitment.<id>] section, got none"))
        return center, scope, tuple(commitments)

    # -- staff.ini ---------------------------------------------------------------------------

    def _staff(self) -> tuple[StaffMember, ...]:
        ini = self._read(self.folder / "staff.ini")
        if ini is None:
            return ()
        staff = []
        for _kind, ident, section, v in self._sections(ini, {}, {"staff": STAFF_FIELDS}):
            if not self._complete(section, v, STAFF_FIELDS):
                continue
            photo = self._photo(ini.path, section, v["photo"])
            absence_ok = self._absence(ini.path, section, v)
            if photo is None or not absence_ok:
                continue
            staff.append(
                StaffMember(
                    id=ident,
                    name=bilingual(v, "name"),
                    position=bilingual(v, "position"),
                    photo=photo,
                    on_duty=v["on_duty"],
                    absence_reason=bilingual_or_none(v, "absence_reason"),
                    window=bilingual_or_none(v, "window"),
                )
            )
        if not ini.sections:
            self.problems.append(Problem(ini.path, None, "expected at least one [staff.<id>] section, got none"))
        return tuple(staff)

    def _photo(self, path: Path, section: IniSection, relative: str) -> Path | None:
        photo = self.folder / relative
        line = section.values["photo"].line
        inside = photo.resolve().is_relative_to(self.folder.resolve())
        if photo.suffix.lower() not in PHOTO_SUFFIXES or not photo.is_file() or not inside:
            message = f"expected a PNG or JPEG file inside the content folder, got {describe(relative)}"
            self.problems.append(Problem(path, line, message, section.name, "photo"))
            return None
        return photo

    def _absence(self, path: Path, section: IniSection, v: dict[str, Any]) -> bool:
        if not v["on_duty"] and not v["absence_reason"]:
            message = "expected the reason for being off duty (未在岗原因) when on_duty = no, got no value"
            self.problems.append(Problem(path, section.values["on_duty"].line, message, section.name, "absence_reason"))
            return False
        if v["on_duty"] and v["absence_reason"]:
            message = f"expected no reason when on_duty = yes, got {describe(v['absence_reason'])}"
            self.problems.append(Problem(path, section.values["absence_reason"].line, message, section.name, "absence_reason"))
            return False
        return True

    # -- services/<id>.ini -------------------------------------------------------------------

    def _services(self) -> list[Service]:
        folder = self.folder / "services"
        if not folder.is_dir():
            self.problems.append(Problem(folder, None, "expected a folder of service files, got no such folder"))
            return []
        services = []
        for path in sorted(folder.iterdir()):
            if path.suffix != ".ini":
                continue
            if not re.fullmatch(ID, path.stem):
                message = f"expected a file name of lower-case letters, digits and '_' (the service id), got {describe(path.name)}"
                self.problems.append(Problem(path, None, message))
                continue
            service = self._service(path)
            if service is not None:
                services.append(service)
        present = {p.stem for p in folder.glob("*.ini")}
        for ident in REQUIRED_SERVICES:
            if ident not in present:
                self.problems.append(Problem(folder / f"{ident}.ini", None, "expected this service file, got no such file"))
        return services

    def _service(self, path: Path) -> Service | None:
        ini = self._read(path)
        if ini is None:
            return None
        fixed = {"service": SERVICE_FIELDS}
        prefixed = {"material": MATERIAL_FIELDS, "basis": BASIS_FIELDS}
        main: dict[str, Any] | None = None
        materials, basis = [], []
        for kind, _ident, section, v in self._sections(ini, fixed, prefixed):
            if kind == "service":
                main = v if self._complete(section, v, SERVICE_FIELDS) else None
            elif kind == "material" and self._complete(section, v, MATERIAL_FIELDS):
                materials.append(Material(bilingual(v, "name"), v["form"], v["copies"], bilingual_or_none(v, "note")))
            elif kind == "basis" and self._complete(section, v, BASIS_FIELDS):
                basis.append(LegalBasis(bilingual(v, "law"), bilingual(v, "article"), bilingual(v, "text")))
        if not any(name.startswith("basis.") for name in ini.sections):
            self.problems.append(Problem(path, None, "expected at least one [basis.<n>] section (法律依据), got none"))
        if main is None:
            return None
        return Service(
            id=path.stem,
            order=main["order"],
            name=bilingual(main, "name"),
            summary=bilingual(main, "summary"),
            for_whom=bilingual(main, "for_whom"),
            conditions=bilingual_list(main, "conditions"),
            steps=bilingual_list(main, "steps"),
            window=bilingual(main, "window"),
            department=bilingual(main, "department"),
            handler=bilingual(main, "handler"),
            leader=bilingual(main, "leader"),
            time_limit=bilingual(main, "time_limit"),
            fees=bilingual(main, "fees"),
            outside=bilingual(main, "outside"),
            materials=tuple(materials),
            basis=tuple(basis),
        )

    # -- notices.ini and rules.ini -----------------------------------------------------------

    def _notices(self) -> tuple[Notice, ...]:
        return tuple(
            self._simple(
                "notices.ini",
                "notice",
                NOTICE_FIELDS,
                lambda ident, v: Notice(
                    ident, bilingual(v, "title"), bilingual(v, "body"), v["published"], v["period_days"], v["long_term"]
                ),
            )
        )

    def _rules(self) -> tuple[Rule, ...]:
        return tuple(
            self._simple("rules.ini", "rule", RULE_FIELDS, lambda ident, v: Rule(ident, bilingual(v, "title"), bilingual(v, "body")))
        )

    def _simple(self, file: str, prefix: str, fields: tuple[Field, ...], make: Callable[[str, dict[str, Any]], Any]) -> list[Any]:
        ini = self._read(self.folder / file)
        if ini is None:
            return []
        return [
            make(ident, v)
            for _kind, ident, section, v in self._sections(ini, {}, {prefix: fields})
            if self._complete(section, v, fields)
        ]

    # -- queues.ini ---------------------------------------------------------------------------

    def _queues(self, service_ids: list[str]) -> QueueRules | None:
        """The queue rules; without queues.ini the center issues no tickets."""
        path = self.folder / QUEUES_FILE
        if not path.exists():
            return no_queues()
        ini = self._read(path)
        if ini is None:
            return None
        return read_queue_rules(ini, service_ids, self.problems)

    # -- guide.ini ---------------------------------------------------------------------------

    def _guide(self, service_ids: set[str]) -> Guide | None:
        ini = self._read(self.folder / "guide.ini")
        if ini is None:
            return None
        prefixed = {"question": QUESTION_FIELDS, "choice": CHOICE_FIELDS, "outside": OUTSIDE_FIELDS}
        texts: dict[str, Text] = {}
        choices: dict[str, list[GuideChoice]] = {}
        choice_lines: dict[str, list[tuple[IniSection, str]]] = {}
        outside: dict[str, GuideOutside] = {}
        for kind, ident, section, v in self._sections(ini, {}, prefixed):
            if kind == "question" and "text" in v:
                texts[ident] = bilingual(v, "text")
            elif kind == "outside" and self._complete(section, v, OUTSIDE_FIELDS):
                outside[ident] = GuideOutside(ident, bilingual(v, "title"), bilingual(v, "text"))
            elif kind == "choice":
                question, _, choice_id = ident.partition(".")
                if self._complete(section, v, CHOICE_FIELDS):
                    choices.setdefault(question, []).append(GuideChoice(choice_id, bilingual(v, "label"), v["goto"]))
                    choice_lines.setdefault(question, []).append((section, v["goto"]))
        guide = Guide({q: GuideQuestion(q, t, tuple(choices.get(q, []))) for q, t in texts.items()}, outside)
        _GuideCheck(ini, guide, choice_lines, service_ids, self.problems).run()
        return guide


class _GuideCheck:
    """The guide must start at question.start, lead somewhere from every choice, and never loop."""

    def __init__(
        self,
        ini: IniFile,
        guide: Guide,
        choice_lines: dict[str, list[tuple[IniSection, str]]],
        service_ids: set[str],
        problems: list[Problem],
    ) -> None:
        self.ini, self.guide, self.choice_lines = ini, guide, choice_lines
        self.service_ids, self.problems = service_ids, problems

    def run(self) -> None:
        path = self.ini.path
        if Guide.START not in self.guide.questions:
            self.problems.append(Problem(path, None, "expected a [question.start] section, got none", "question.start"))
            return
        for question_id, entries in self.choice_lines.items():
            if question_id not in self.guide.questions:
                section = entries[0][0]
                message = f"expected a choice of an existing question, got one for question.{question_id}, which does not exist"
                self.problems.append(Problem(path, section.line, message, section.name))
            for section, goto in entries:
                self._check_target(section, goto)
        for question in self.guide.questions.values():
            if len(question.choices) < 2:
                section = self.ini.sections[f"question.{question.id}"]
                message = f"expected at least 2 [choice.{question.id}.<id>] sections, got {len(question.choices)}"
                self.problems.append(Problem(path, section.line, message, section.name))
        self._check_reachable()

    def _check_target(self, section: IniSection, goto: str) -> None:
        kind, _, ident = goto.partition(".")
        exists = {
            "question": ident in self.guide.questions,
            "service": ident in self.service_ids,
            "outside": ident in self.guide.outside,
        }[kind]
        if not exists:
            article = "an" if kind[0] in "aeiou" else "a"
            message = f"expected {article} {kind} that exists, got {describe(goto)}"
            self.problems.append(Problem(self.ini.path, section.values["goto"].line, message, section.name, "goto"))

    def _check_reachable(self) -> None:
        state: dict[str, str] = {}  # "open" while on the current path from the start, then "done"
        used_outside: set[str] = set()

        def visit(question_id: str) -> None:
            state[question_id] = "open"
            for choice in self.guide.questions[question_id].choices:
                kind, _, ident = choice.goto.partition(".")
                if kind == "outside":
                    used_outside.add(ident)
                if kind != "question" or ident not in self.guide.questions:
                    continue
                if state.get(ident) == "open":
                    section = self.ini.sections[f"choice.{question_id}.{choice.id}"]
                    message = f"expected the guide to move forward, got a loop back to {describe(choice.goto)}"
                    self.problems.append(Problem(self.ini.path, section.values["goto"].line, message, section.name, "goto"))
                elif ident not in state:
                    visit(ident)
            state[question_id] = "done"

        visit(Guide.START)
        reached = set(state)
        for question_id in self.guide.questions:
            if question_id not in reached:
                section = self.ini.sections[f"question.{question_id}"]
                message = "expected every question to be reachable from question.start, got one no choice leads to"
                self.problems.append(Problem(self.ini.path, section.line, message, section.name))
        for outside_id in self.guide.outside:
            if outside_id not in used_outside:
                section = self.ini.sections[f"outside.{outside_id}"]
                message = "expected every answer to be used by a choice, got one no reachable choice leads to"
                self.problems.append(Problem(self.ini.path, section.line, message, section.name))
