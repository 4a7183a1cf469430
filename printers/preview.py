"""Draws a receipt as the paper will look: the printer's dot width, its character grid (12 dots
per column, 24 per Chinese character, twice that for big text), its line pitch and the same QR.

The encoder uses these pictures too, for raster text and for lines the printer's GBK font
cannot print, so the preview and the paper are made by one piece of code.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from printers.columns import char_columns
from printers.qr import qr_image
from printers.receipt import Element, Feed, QrCode, Receipt, Rule, TextLine

COLUMN_DOTS = 12  # Font A: 12 x 24 dots; a Chinese character is 24 x 24
GLYPH_DOTS = 24
LINE_DOTS = 30  # the printer's default line pitch (ESC 2) at 180-203 dpi
BASELINE = 0.88  # a CJK character box reaches 0.88 of its height above the baseline
MARGIN_DOTS = 16  # white paper above the first line and below the last in the preview


def rule_text(columns: int) -> str:
    """A dividing line as the printer prints it."""
    return "-" * columns


@lru_cache(maxsize=8)
def _font(path: str, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(path, size)


class PaperRenderer:
    """Draws receipt lines ``dots`` wide with ``font`` (and ``bold_font`` for bold lines)."""

    def __init__(self, dots: int, font: Path, bold_font: Path | None = None) -> None:
        self.dots = dots
        self.font_path = str(font)
        self.bold_font_path = str(bold_font or font)

    def render(self, receipt: Receipt) -> Image.Image:
        """The whole receipt as a picture of the paper (white, black print)."""
        parts = [self.element_image(element, receipt.columns) for element in receipt.elements]
        height = sum(part.height for part in parts) + 2 * MARGIN_DOTS
        paper = Image.new("1", (self.dots, height), 1)
        top = MARGIN_DOTS
        for part in parts:
            paper.paste(part, (0, top))
            top += part.height
        return paper

    def element_image(self, element: Element, columns: int) -> Image.Image:
        if isinstance(element, QrCode):
            return qr_image(element.data, self.dots)
        if isinstance(element, Feed):
            return Image.new("1", (self.dots, LINE_DOTS * element.lines), 1)
        if isinstance(element, Rule):
            return self.line_image(TextLine(rule_text(columns)))
        return self.line_image(element)

    def lines_image(self, lines: list[TextLine]) -> Image.Image:
        """Several text lines stacked, as one picture (for raster text)."""
        images = [self.line_image(line) for line in lines]
        block = Image.new("1", (self.dots, sum(image.height for image in images)), 1)
        top = 0
        for image in images:
            block.paste(image, (0, top))
            top += image.height
        return block

    def line_image(self, line: TextLine) -> Image.Image:
        scale = 2 if line.big else 1
        column, pitch = COLUMN_DOTS * scale, LINE_DOTS * scale
        image = Image.new("1", (self.dots, pitch), 1)
        font_path = self.bold_font_path if line.bold else self.font_path
        width = sum(char_columns(char) for char in line.text) * column
        x = {"left": 0, "center": (self.dots - width) // 2, "right": self.dots - width}[line.align]
        for char in line.text:
            glyph = _glyph(font_path, scale, char)
            image.paste(glyph, (x, 0))
            x += glyph.width
        return image


@lru_cache(maxsize=8192)
def _glyph(font_path: str, scale: int, char: str) -> Image.Image:
    """One character drawn in its printer cell (one or two columns wide, one line high)."""
    column, pitch, size = COLUMN_DOTS * scale, LINE_DOTS * scale, GLYPH_DOTS * scale
    width = char_columns(char) * column
    if width == 0:  # a combining mark left over after NFC: nothing to place in a cell of its own
        return Image.new("1", (0, pitch), 1)
    font = _font(font_path, size)
    advance = font.getlength(char)
    drawn = Image.new("L", (max(width, int(advance) + 2), pitch), 255)
    baseline = (pitch - size) // 2 + round(size * BASELINE)
    ImageDraw.Draw(drawn).text((drawn.width / 2, baseline), char, font=font, fill=0, anchor="ms")
    if drawn.width > width:  # a wide Latin letter (m, W) is narrowed to its column, as the printer's font is
        drawn = drawn.resize((width, pitch), Image.Resampling.LANCZOS)
    return drawn.point(lambda value: 255 if value >= 128 else 0).convert("1")
