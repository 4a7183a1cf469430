"""Encodes a receipt into ESC/POS bytes with python-escpos (on its ``Dummy`` printer).

Text goes in the printer's Chinese mode: ``FS &``, GBK bytes, ``FS .``. python-escpos 3.1 has
no such path (it sends GB18030 without ``FS &`` and turns ``：，。`` into ``?``), so text is
written with ``_raw``. A line with a character GBK lacks is sent as a raster picture of the
line; in ``raster`` text mode every text line is. QR codes use the printer's own command
(``GS ( k``) or a raster picture, as configured.
"""

from __future__ import annotations

import struct
from typing import TYPE_CHECKING

from escpos.constants import QR_ECLEVEL_M
from escpos.image import EscposImage
from PIL import Image, ImageOps

from printers.preview import PaperRenderer, rule_text
from printers.qr import module_dots
from printers.receipt import Element, Feed, QrCode, Receipt, Rule, TextLine
from printers.settings import PrinterSettings

if TYPE_CHECKING:
    from escpos.printer import Dummy

INIT = b"\x1b@"
CHINESE_ON = b"\x1c&"  # FS &
CHINESE_OFF = b"\x1c."  # FS .
ALIGN = {"left": b"\x1ba\x00", "center": b"\x1ba\x01", "right": b"\x1ba\x02"}
BOLD = {False: b"\x1bE\x00", True: b"\x1bE\x01"}
SIZE = {False: b"\x1d!\x00", True: b"\x1d!\x11"}  # GS !: normal, or double width and height
FEED_BEFORE_CUT = 4
RASTER_BAND_ROWS = 960


def gbk_bytes(text: str) -> bytes | None:
    """The line in GBK, or None when the printer's font cannot print one of its characters."""
    try:
        return text.encode("gbk")
    except UnicodeEncodeError:
        return None


class ReceiptEncoder:
    """Bytes for one receipt on one printer's settings."""

    def __init__(self, settings: PrinterSettings, renderer: PaperRenderer) -> None:
        self.settings, self.renderer = settings, renderer

    def encode(self, receipt: Receipt) -> bytes:
        from escpos.printer import Dummy  # with all its printer classes, about 25 ms: not at the kiosk's start

        printer = Dummy(profile=self.settings.profile)
        state = _State(printer)
        printer._raw(INIT)
        raster_run: list[TextLine] = []
        for element in receipt.elements:
            line = self._as_line(element, receipt.columns)
            if line is not None and self.settings.text_mode == "raster":
                raster_run.extend([line] * (element.lines if isinstance(element, Feed) else 1))
                continue
            if raster_run:
                state.image(self.renderer.lines_image(raster_run))
                raster_run = []
            if isinstance(element, QrCode):
                self._qr(state, element)
            elif isinstance(element, Feed):
                printer._raw(b"\n" * element.lines)
            elif line is not None:
                self._text(state, line)
        if raster_run:
            state.image(self.renderer.lines_image(raster_run))
        state.leave_chinese()
        if self.settings.can_cut:
            printer._raw(b"\n" * FEED_BEFORE_CUT)
            printer.cut(feed=False)
        else:
            printer._raw(b"\n" * (FEED_BEFORE_CUT + 2))
        return bytes(printer.output)

    def _as_line(self, element: Element, columns: int) -> TextLine | None:
        if isinstance(element, Rule):
            return TextLine(rule_text(columns))
        if isinstance(element, Feed) and self.settings.text_mode == "raster":
            return TextLine("")
        return element if isinstance(element, TextLine) else None

    def _text(self, state: _State, line: TextLine) -> None:
        encoded = gbk_bytes(line.text)
        if encoded is None:
            state.image(self.renderer.line_image(line))
            return
        state.style(line)
        state.chinese()
        state.printer._raw(encoded + b"\n")

    def _qr(self, state: _State, code: QrCode) -> None:
        if not self.settings.native_qr:
            state.image(self.renderer.element_image(code, 0))
            return
        state.leave_chinese()
        state.align("center")
        state.printer._raw(b"\n")
        state.printer.qr(code.data, ec=QR_ECLEVEL_M, size=module_dots(self.renderer.dots), native=True)
        state.printer._raw(b"\n")


class _State:
    """What the printer is set to now, so each command is sent only when something changes."""

    def __init__(self, printer: Dummy) -> None:
        self.printer = printer
        self.in_chinese = False
        self.current: dict[str, object] = {"align": "left", "bold": False, "big": False}

    def style(self, line: TextLine) -> None:
        self.align(line.align)
        if line.bold != self.current["bold"]:
            self.printer._raw(BOLD[line.bold])
            self.current["bold"] = line.bold
        if line.big != self.current["big"]:
            self.printer._raw(SIZE[line.big])
            self.current["big"] = line.big

    def align(self, align: str) -> None:
        if align != self.current["align"]:
            self.printer._raw(ALIGN[align])
            self.current["align"] = align

    def chinese(self) -> None:
        if not self.in_chinese:
            self.printer._raw(CHINESE_ON)
            self.in_chinese = True

    def leave_chinese(self) -> None:
        if self.in_chinese:
            self.printer._raw(CHINESE_OFF)
            self.in_chinese = False

    def image(self, picture: Image.Image) -> None:
        """A full-width raster picture (``GS v 0``), left-aligned as drawn."""
        self.leave_chinese()
        self.align("left")
        self.printer._raw(raster_bytes(picture))


def raster_bytes(picture: Image.Image) -> bytes:
    """``GS v 0`` commands for a picture, in bands of at most 960 rows (python-escpos's image
    conversion; its ``image()`` would print a warning to stdout for profiles without a width)."""
    out = []
    picture = _without_blank_right(picture)
    for top in range(0, picture.height, RASTER_BAND_ROWS):
        band = EscposImage(picture.crop((0, top, picture.width, min(picture.height, top + RASTER_BAND_ROWS))).convert("RGB"))
        size = struct.pack("<HH", band.width_bytes, band.height)
        out.append(b"\x1dv0\x00" + size + band.to_raster_format())
    return b"".join(out)


def _without_blank_right(picture: Image.Image) -> Image.Image:
    """The picture without the white on its right (to a whole byte): fewer bytes, same paper."""
    box = ImageOps.invert(picture.convert("L")).getbbox()
    if box is None:
        return picture.crop((0, 0, 8, picture.height))
    right = min(picture.width, (box[2] + 7) // 8 * 8)
    return picture.crop((0, 0, right, picture.height))
