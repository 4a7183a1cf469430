"""Reads back the ESC/POS bytes the kiosk sends, as a printer would, for the tests.

Only the commands the receipt encoder and the status queries use are understood; anything else
raises :class:`UnknownCommand`, so a test fails when the encoder sends something nobody checked.
What comes out is a list of events: a printed text line with its style, a raster picture (back
to a PIL image, black = 0), a QR code with its data, a cut, and status queries.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from PIL import Image

ESC, GS, FS, DLE, LF = 0x1B, 0x1D, 0x1C, 0x10, 0x0A


class UnknownCommand(ValueError):
    pass


@dataclass(frozen=True)
class Line:
    """One printed line (ended by LF): its text and the style it was printed in."""

    text: str
    align: str = "left"
    bold: bool = False
    big: bool = False
    chinese: bool = False  # printed in the printer's Chinese mode (FS &)
    raw: bytes = b""  # the bytes of the line as sent (GBK in Chinese mode)


@dataclass(frozen=True)
class Raster:
    """A ``GS v 0`` picture, 1-bit, black = 0 as in PIL, and the alignment it was printed with."""

    image: Image.Image
    align: str = "left"


@dataclass(frozen=True)
class Qr:
    """A native ``GS ( k`` QR code."""

    data: str
    module: int
    ec: str
    model: int
    align: str


@dataclass(frozen=True)
class Cut:
    mode: int
    feed: int


@dataclass(frozen=True)
class StatusQuery:
    n: int


Event = Line | Raster | Qr | Cut | StatusQuery
ALIGNS = {0: "left", 1: "center", 2: "right", 48: "left", 49: "center", 50: "right"}
EC_LEVELS = {48: "L", 49: "M", 50: "Q", 51: "H"}


@dataclass
class _Printer:
    align: str = "left"
    bold: bool = False
    big: bool = False
    chinese: bool = False
    pending: bytearray = field(default_factory=bytearray)
    events: list[Event] = field(default_factory=list)
    qr: dict[str, object] = field(default_factory=dict)

    def end_line(self) -> None:
        raw = bytes(self.pending)
        self.pending.clear()
        if self.chinese:
            text = raw.decode("gbk")
        else:
            if any(byte >= 0x80 for byte in raw):
                raise UnknownCommand(f"non-ASCII bytes outside Chinese mode: {raw.hex(' ')}")
            text = raw.decode("ascii")
        self.events.append(Line(text, self.align, self.bold, self.big, self.chinese, raw))

    def need_empty_line(self, what: str) -> None:
        if self.pending:
            raise UnknownCommand(f"{what} in the middle of a text line {bytes(self.pending)!r}")


def decode(data: bytes) -> list[Event]:
    """Every event in ``data``; text not ended by LF at the end is an error (it would not print)."""
    p = _Printer()
    i = 0
    while i < len(data):
        byte = data[i]
        if byte == LF:
            p.end_line()
            i += 1
        elif byte == ESC:
            i = _esc(p, data, i)
        elif byte == GS:
            i = _gs(p, data, i)
        elif byte == FS:
            command = data[i + 1 : i + 2]
            if command == b"&":
                p.chinese = True
            elif command == b".":
                p.chinese = False
            else:
                raise UnknownCommand(f"FS {command!r} at {i}")
            i += 2
        elif byte == DLE:
            if data[i + 1] != 0x04:
                raise UnknownCommand(f"DLE {data[i + 1]:#x} at {i}")
            p.events.append(StatusQuery(data[i + 2]))
            i += 3
        elif byte < 0x20:
            raise UnknownCommand(f"control byte {byte:#04x} at {i}")
        elif p.chinese and byte >= 0x80:
            p.pending += data[i : i + 2]
            i += 2
        else:
            p.pending.append(byte)
            i += 1
    if p.pending:
        raise UnknownCommand(f"text never ended by LF: {bytes(p.pending)!r}")
    return p.events


def _esc(p: _Printer, data: bytes, i: int) -> int:
    command = data[i + 1 : i + 2]
    if command == b"@":
        p.need_empty_line("ESC @")
        p.align, p.bold, p.big, p.chinese = "left", False, False, False
        return i + 2
    if command == b"a":
        p.need_empty_line("ESC a")  # alignment only takes effect at the start of a line
        p.align = ALIGNS[data[i + 2]]
        return i + 3
    if command == b"E":
        p.bold = bool(data[i + 2] & 1)
        return i + 3
    raise UnknownCommand(f"ESC {command!r} at {i}")


def _gs(p: _Printer, data: bytes, i: int) -> int:
    command = data[i + 1 : i + 2]
    if command == b"!":
        size = data[i + 2]
        if size not in (0x00, 0x11):
            raise UnknownCommand(f"GS ! {size:#04x}: expected normal or double width and height")
        p.big = size == 0x11
        return i + 3
    if command == b"V":
        mode = data[i + 2]
        if mode in (65, 66):
            p.events.append(Cut(mode, data[i + 3]))
            return i + 4
        p.events.append(Cut(mode, 0))
        return i + 3
    if command == b"v":
        p.need_empty_line("GS v 0")
        if data[i + 2 : i + 4] != b"0\x00":
            raise UnknownCommand(f"GS v {data[i + 2 : i + 4]!r}: expected raster mode 0 (normal size)")
        width_bytes = int.from_bytes(data[i + 4 : i + 6], "little")
        height = int.from_bytes(data[i + 6 : i + 8], "little")
        start = i + 8
        end = start + width_bytes * height
        if end > len(data):
            raise UnknownCommand(f"GS v 0 at {i}: {width_bytes}x{height} needs {end - start} bytes, got {len(data) - start}")
        ink = Image.frombytes("1", (width_bytes * 8, height), data[start:end])  # 1 = a dot printed
        paper = Image.eval(ink.convert("L"), lambda value: 255 - value).convert("1")
        p.events.append(Raster(paper, p.align))
        return end
    if command == b"(" and data[i + 2 : i + 3] == b"k":
        length = data[i + 3] + 256 * data[i + 4]
        body = data[i + 5 : i + 5 + length]
        _qr_function(p, body)
        return i + 5 + length
    raise UnknownCommand(f"GS {command!r} at {i}")


def _qr_function(p: _Printer, body: bytes) -> None:
    cn, fn, rest = body[0], body[1], body[2:]
    if cn != 49:
        raise UnknownCommand(f"GS ( k cn={cn}: expected 49 (QR code)")
    if fn == 65:  # select the model
        p.qr = {"model": rest[0] - 48}
    elif fn == 67:  # module size
        p.qr["module"] = rest[0]
    elif fn == 69:  # error correction
        p.qr["ec"] = EC_LEVELS[rest[0]]
    elif fn == 80:  # store the data
        if rest[0] != 48:
            raise UnknownCommand("GS ( k store: expected m = 48")
        p.qr["data"] = rest[1:].decode("utf-8")
    elif fn == 81:  # print what is stored
        p.need_empty_line("GS ( k print")
        qr = p.qr
        p.events.append(Qr(str(qr["data"]), int(str(qr["module"])), str(qr["ec"]), int(str(qr["model"])), p.align))
    else:
        raise UnknownCommand(f"GS ( k fn={fn}")


# ----- views of the events


def lines(events: list[Event]) -> list[Line]:
    return [event for event in events if isinstance(event, Line)]


def texts(events: list[Event]) -> list[str]:
    """The text of every printed line that is not empty, in order."""
    return [event.text for event in lines(events) if event.text]


def rasters(events: list[Event]) -> list[Image.Image]:
    return [event.image for event in events if isinstance(event, Raster)]


def qr_codes(events: list[Event]) -> list[Qr]:
    return [event for event in events if isinstance(event, Qr)]


def full_width(picture: Image.Image, dots: int) -> Image.Image:
    """A raster picture (cropped on the right to whole bytes) put back on paper ``dots`` wide."""
    paper = Image.new("1", (dots, picture.height), 1)
    paper.paste(picture.crop((0, 0, min(dots, picture.width), picture.height)), (0, 0))
    return paper


def same_pixels(a: Image.Image, b: Image.Image) -> bool:
    return a.size == b.size and a.convert("1").tobytes() == b.convert("1").tobytes()
