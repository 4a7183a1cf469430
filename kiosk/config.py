"""kiosk.ini: the sections and keys a kiosk understands, their defaults, and how they are checked.

``load_config`` returns a :class:`KioskConfig` or raises :class:`~kiosk.problems.ProblemsFound`
with one problem per mistake. Paths in the file are relative to the file's own folder.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from escpos.capabilities import CAPABILITIES

from kiosk.appointments import load_appointments
from kiosk.content import Content
from kiosk.fields import (
    REQUIRED,
    Choice,
    Decimal,
    Field,
    HexNumber,
    OptionalText,
    Pattern,
    WholeNumber,
    YesNo,
    read_section,
    unknown_section_message,
)
from kiosk.inifile import IniFile, read_ini
from kiosk.paths import BUNDLED_FONT, SAMPLE_CONTENT_DIR
from kiosk.pin import HASH_PATTERN, SAMPLE_PIN_HASH
from kiosk.problems import Problem, ProblemsFound
from printers.settings import CONNECTION_TYPES, PrinterSettings

LANGUAGES = ("zh_CN", "en")
ROLES = ("lobby",)
ORIENTATIONS = ("portrait", "landscape")
FONT_SUFFIXES = (".ttf", ".otf", ".ttc")
PROFILE_NAMES = tuple(sorted(CAPABILITIES["profiles"]))
BAUD_RATES = ("1200", "2400", "4800", "9600", "19200", "38400", "57600", "115200")
FONT_MAGIC = (b"\x00\x01\x00\x00", b"OTTO", b"ttcf", b"true")

KIOSK_FIELDS = (
    Field("id", Pattern(r"[A-Za-z0-9_-]{1,32}", "1 to 32 letters, digits, '-' or '_'"), "kiosk-01"),
    Field("role", Choice(*ROLES), "lobby"),
    Field("language", Choice(*LANGUAGES), "zh_CN"),
    Field("orientation", Choice(*ORIENTATIONS), "portrait"),
    Field("fullscreen", YesNo(), False),
    Field("idle_timeout", WholeNumber(15, 3600, "of seconds"), 90),
    Field("admin_pin_hash", Pattern(HASH_PATTERN, "a hash made by 'kiosk hash-pin'"), SAMPLE_PIN_HASH),
    Field("content_dir", OptionalText(), ""),
    Field("data_dir", OptionalText(), "data"),
    Field("min_free_disk_mb", WholeNumber(10, 100_000, "of megabytes"), 200),
)
DISPLAY_FIELDS = (
    Field("font", OptionalText(), ""),
    Field("text_scale", Decimal(0.75, 2.0), 1.0),
    Field("large_text_scale", Decimal(1.1, 2.5), 1.4),
)
PRINTER_FIELDS = (
    Field("type", Choice(*CONNECTION_TYPES), "file"),
    Field("profile", Choice(*PROFILE_NAMES), "default"),
    Field("paper_width", Choice("80", "58"), "80"),
    Field("text_mode", Choice("native", "raster"), "native"),
    Field("qr_mode", Choice("auto", "native", "image"), "auto"),
    Field("cut", YesNo(), True),
    Field("preview", YesNo(), True),
    Field("timeout", Decimal(0.5, 30), 3.0),
    Field("status_timeout", Decimal(0.05, 5), 0.3),
    Field("path", OptionalText(), "printer-output.bin"),
    Field("host", OptionalText(), ""),
    Field("port", WholeNumber(1, 65535), 9100),
    Field("device", OptionalText(), ""),
    Field("baudrate", Choice(*BAUD_RATES), "9600"),
    Field("bytesize", Choice("7", "8"), "8"),
    Field("parity", Choice("none", "even", "odd"), "none"),
    Field("stopbits", Choice("1", "2"), "1"),
    Field("flow_control", Choice("none", "rtscts", "xonxoff"), "none"),
    Field("vendor_id", HexNumber(1, 0xFFFF, empty_is_zero=True), 0),
    Field("product_id", HexNumber(1, 0xFFFF, empty_is_zero=True), 0),
    Field("interface", WholeNumber(0, 15), 0),
    Field("in_endpoint", HexNumber(0x81, 0x8F), 0x82),
    Field("out_endpoint", HexNumber(0x01, 0x0F), 0x01),
    Field(
        "ticket_url",
        Pattern(r"(https?://\S*\{ticket_id\}\S*)?", "an http(s) address containing {ticket_id}, or nothing"),
        PrinterSettings.ticket_url,
    ),
    Field(
        "checklist_url",
        Pattern(r"https?://\S*\{service_id\}\S*", "an http(s) address containing {service_id}"),
        PrinterSettings.checklist_url,
    ),
)
# What each connection type cannot do without, and how to say it is missing.
PRINTER_NEEDS = {
    "network": (("host", "a printer's host name or IP address"),),
    "serial": (("device", "a serial device such as /dev/ttyUSB0"),),
    "usb": (("vendor_id", "the printer's USB vendor id such as 0x0416"), ("product_id", "the printer's USB product id such as 0x5011")),
    "file": (("path", "a file or device node to write to"),),
}
SERVER_FIELDS = (
    Field("url", Pattern(r"(https?://[^\s/]+\S*)?", "an http(s) address such as http://192.168.1.10:8000, or nothing"), ""),
    Field("timeout", Decimal(0.05, 5), 0.3),
    Field("offline_block", WholeNumber(1, 16), 1),
    Field("report_interval", WholeNumber(5, 3600, "of seconds"), 30),
    Field("token", Pattern(r"[A-Za-z0-9._~+/=-]{16,200}|", "a token from kiosk-server add-kiosk (16 to 200 characters), or nothing"), ""),
    Field("ca_file", OptionalText(), ""),
    Field("sync_interval", WholeNumber(1, 3600, "of seconds"), 10),
    Field("public_url", Pattern(r"(https?://[^\s/]+\S*)?", "an http(s) address that visitors' phones can open, or nothing"), ""),
    Field("pull_content", YesNo(), True),
)
TICKETS_FIELDS = (
    Field("show_seconds", WholeNumber(5, 300, "of seconds"), 30),
    Field("appointments", OptionalText(), ""),
)
SECTIONS: dict[str, tuple[Field, ...]] = {
    "kiosk": KIOSK_FIELDS,
    "display": DISPLAY_FIELDS,
    "printer": PRINTER_FIELDS,
    "server": SERVER_FIELDS,
    "tickets": TICKETS_FIELDS,
}


@dataclass(frozen=True)
class KioskConfig:
    """A checked kiosk.ini."""

    path: Path
    kiosk_id: str
    role: str
    language: str
    orientation: str
    fullscreen: bool
    idle_timeout: int
    admin_pin_hash: str
    content_dir: Path
    data_dir: Path
    min_free_disk_mb: int  # below this much free space on the data folder's disk the admin screen warns
    font: Path
    text_scale: float
    large_text_scale: float
    printer: PrinterSettings
    server_url: str  # empty: this kiosk numbers its tickets on its own
    server_timeout: float  # seconds to wait for the server before issuing from the offline block
    offline_block: int  # this kiosk's block of numbers while the server is silent (1 ..)
    report_interval: int  # seconds between attempts to report offline tickets
    server_token: str  # this kiosk's bearer token (kiosk-server add-kiosk); empty: none
    server_ca_file: Path | None  # a PEM file of the CA that signed the server's certificate; None: the system's
    sync_interval: int  # seconds between sync cycles (ratings, complaints, heartbeat) when nothing new
    public_url: str  # the server's address as phones reach it (QR pages); empty: server_url
    pull_content: bool  # take the center's content from the server (docs/appliance-api.md) when server_url is set
    ticket_show_seconds: int  # how long the number stays on screen
    appointments_path: Path | None  # the appointments CSV staff export; None: no file

    @property
    def uses_sample_content(self) -> bool:
        return self.content_dir.resolve() == SAMPLE_CONTENT_DIR.resolve()

    @property
    def uses_sample_pin(self) -> bool:
        return self.admin_pin_hash == SAMPLE_PIN_HASH


def load_config(path: Path) -> KioskConfig:
    """Read and check ``path``; raise ProblemsFound listing every mistake."""
    ini, problems = read_ini(path)
    values = _read_sections(ini, problems)
    if problems:
        raise ProblemsFound(problems)
    kiosk, display, server, tickets = values["kiosk"], values["display"], values["server"], values["tickets"]
    _check_printer(ini, values["printer"], problems)
    base = path.resolve().parent
    content_dir = _resolve(base, kiosk["content_dir"]) if kiosk["content_dir"] else SAMPLE_CONTENT_DIR
    data_dir = _resolve(base, kiosk["data_dir"] or "data")
    font = _resolve(base, display["font"]) if display["font"] else BUNDLED_FONT
    _check_content_dir(ini, content_dir, problems)
    _check_data_dir(ini, data_dir, problems)
    _check_font(ini, font, problems)
    if server["ca_file"]:
        _check_ca_file(ini, _resolve(base, server["ca_file"]), problems)
    if problems:
        raise ProblemsFound(problems)
    return KioskConfig(
        path=path,
        kiosk_id=kiosk["id"],
        role=kiosk["role"],
        language=kiosk["language"],
        orientation=kiosk["orientation"],
        fullscreen=kiosk["fullscreen"],
        idle_timeout=kiosk["idle_timeout"],
        admin_pin_hash=kiosk["admin_pin_hash"],
        content_dir=content_dir,
        data_dir=data_dir,
        min_free_disk_mb=kiosk["min_free_disk_mb"],
        font=font,
        text_scale=display["text_scale"],
        large_text_scale=display["large_text_scale"],
        printer=_printer_settings(values["printer"], data_dir).with_server(_phone_url(server)),
        server_url=server["url"],
        server_timeout=server["timeout"],
        offline_block=server["offline_block"],
        report_interval=server["report_interval"],
        server_token=server["token"],
        server_ca_file=_resolve(base, server["ca_file"]) if server["ca_file"] else None,
        sync_interval=server["sync_interval"],
        public_url=server["public_url"] or server["url"],
        pull_content=server["pull_content"],
        ticket_show_seconds=tickets["show_seconds"],
        appointments_path=_resolve(base, tickets["appointments"]) if tickets["appointments"] else None,
    )


def _phone_url(server: dict[str, Any]) -> str:
    """The central server as phones reach it (the ticket's QR code); "" for a kiosk without a server."""
    return str(server["public_url"] or server["url"]) if server["url"] else ""


def _read_sections(ini: IniFile, problems: list[Problem]) -> dict[str, dict[str, Any]]:
    values: dict[str, dict[str, Any]] = {}
    for name, section in ini.sections.items():
        fields = SECTIONS.get(name)
        if fields is None:
            problems.append(Problem(ini.path, section.line, unknown_section_message(name, list(SECTIONS)), name))
            continue
        values[name] = read_section(section, fields, problems, ini.path)
    for name, fields in SECTIONS.items():
        if name not in values:
            values[name] = {f.name: f.default for f in fields if f.default is not REQUIRED}
    return values


def _resolve(base: Path, text: str) -> Path:
    path = Path(os.path.expanduser(text))
    return path if path.is_absolute() else base / path


def _line_of(ini: IniFile, section: str, key: str) -> int | None:
    found = ini.sections.get(section)
    if found is None or key not in found.values:
        return None
    return found.values[key].line


def _check_printer(ini: IniFile, printer: dict[str, Any], problems: list[Problem]) -> None:
    """Keys a connection type needs must have a value; say so on the line of ``type``."""
    kind = printer.get("type")
    for key, expected in PRINTER_NEEDS.get(str(kind), ()):
        if key in printer and not printer[key]:
            line = _line_of(ini, "printer", key) or _line_of(ini, "printer", "type")
            message = f"expected {expected} when type = {kind}, got nothing"
            problems.append(Problem(ini.path, line, message, "printer", key))


def _printer_settings(printer: dict[str, Any], data_dir: Path) -> PrinterSettings:
    numbers = {"paper_width": int, "baudrate": int, "bytesize": int, "stopbits": int}
    values: dict[str, Any] = {key: numbers[key](value) if key in numbers else value for key, value in printer.items()}
    values["path"] = _resolve(data_dir, printer["path"]) if printer["path"] else None
    return PrinterSettings(**values)


def _check_content_dir(ini: IniFile, content_dir: Path, problems: list[Problem]) -> None:
    if not content_dir.is_dir():
        line = _line_of(ini, "kiosk", "content_dir")
        message = f"expected a folder of content files, got {str(content_dir)!r}, which is not a folder"
        problems.append(Problem(ini.path, line, message, "kiosk", "content_dir"))


def _check_data_dir(ini: IniFile, data_dir: Path, problems: list[Problem]) -> None:
    line = _line_of(ini, "kiosk", "data_dir")
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        reason = (error.strerror or str(error)).lower()
        message = f"expected a folder the kiosk can create and write, got {str(data_dir)!r} ({reason})"
        problems.append(Problem(ini.path, line, message, "kiosk", "data_dir"))
        return
    if not os.access(data_dir, os.W_OK):
        message = f"expected a folder the kiosk can write, got {str(data_dir)!r} (permission denied)"
        problems.append(Problem(ini.path, line, message, "kiosk", "data_dir"))


def _check_font(ini: IniFile, font: Path, problems: list[Problem]) -> None:
    line = _line_of(ini, "display", "font")
    if font.suffix.lower() not in FONT_SUFFIXES or not font.is_file():
        message = f"expected a font file (.ttf, .otf or .ttc) that exists, got {str(font)!r}"
        problems.append(Problem(ini.path, line, message, "display", "font"))
        return
    with font.open("rb") as file:
        magic = file.read(4)
    if magic not in FONT_MAGIC:
        message = f"expected a font file (.ttf, .otf or .ttc), got {str(font)!r}, which is not a font"
        problems.append(Problem(ini.path, line, message, "display", "font"))

def _check_ca_file(ini: IniFile, ca_file: Path, problems: list[Problem]) -> None:
    if not ca_file.is_file():
        message = f"expected a PEM file of certificates that exists, got {str(ca_file)!r}"
        problems.append(Problem(ini.path, _line_of(ini, "server", "ca_file"), message, "server", "ca_file"))
        return
    with ca_file.open("rb") as file:
        head = file.read(4096)
    if b"-----BEGIN CERTIFICATE-----" not in head:
        message = f"expected a PEM file of certificates (-----BEGIN CERTIFICATE-----), got {str(ca_file)!r}, which has none"
        problems.append(Problem(ini.path, _line_of(ini, "server", "ca_file"), message, "server", "ca_file"))


def check_with_content(config: KioskConfig, content: Content) -> list[Problem]:
    """What kiosk.ini names that does not fit the content: an offline block the queue rules do not
    have, and mistakes in the appointments file (``kiosk check`` lists them)."""
    problems: list[Problem] = []
    if config.offline_block > content.queues.offline_blocks:
        ini, _ = read_ini(config.path)
        expected = f"a block from 1 to {content.queues.offline_blocks} (offline_blocks in queues.ini)"
        message = f"expected {expected}, got {config.offline_block}"
        problems.append(Problem(ini.path, _line_of(ini, "server", "offline_block"), message, "server", "offline_block"))
    if config.appointments_path is not None:
        try:
            load_appointments(config.appointments_path, list(content.queues.queues))
        except ProblemsFound as found:
            problems.extend(found.problems)
    return problems
