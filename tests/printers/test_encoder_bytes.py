"""The exact bytes python-escpos's Dummy receives for a small hand-made receipt: every command
pinned, on 80 and 58 mm paper, native and raster text, native and image QR."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image, ImageOps

from printers.encoder import ReceiptEncoder
from printers.preview import LINE_DOTS, PaperRenderer
from printers.qr import QUIET_ZONE_DOTS, qr_image
from printers.receipt import Feed, QrCode, Receipt, Rule, TextLine
from printers.settings import PrinterSettings
from tests.printers import escpos_decode as dec
from tests.printers.conftest import encoder_for, renderer_for

URL = "https://kiosk.example.org/t/42"
INIT = b"\x1b\x40"
CENTER, LEFT = b"\x1b\x61\x01", b"\x1b\x61\x00"
BOLD_ON, BOLD_OFF = b"\x1b\x45\x01", b"\x1b\x45\x00"
BIG, NORMAL = b"\x1d\x21\x11", b"\x1d\x21\x00"
CHINESE_ON, CHINESE_OFF = b"\x1c\x26", b"\x1c\x2e"
CUT = b"\x1d\x56\x42\x00"  # GS V 66 0: feed to the cutter and cut
END = b"\n" * 4 + CUT


def small_receipt(columns: int) -> Receipt:
    return Receipt(
        "ticket",
        "A001 法律援助",
        columns,
        (
            TextLine("法律援助：￥0", "center", bold=True),
            TextLine("A001", "center", big=True),
            Rule(),
            QrCode(URL),
        ),
    )


def native_qr(module: int) -> bytes:
    data = URL.encode("ascii")
    return (
        b"\x1d\x28\x6b\x04\x00\x31\x41\x32\x00"  # GS ( k: model 2
        + b"\x1d\x28\x6b\x03\x00\x31\x43"
        + bytes([module])  # module size in dots
        + b"\x1d\x28\x6b\x03\x00\x31\x45\x31"  # error correction M
        + b"\x1d\x28\x6b"
        + (len(data) + 3).to_bytes(2, "little")
        + b"\x31\x50\x30"
        + data  # store the data
        + b"\x1d\x28\x6b\x03\x00\x31\x51\x30"  # print it
    )


GBK_TITLE = "法律援助：￥0".encode("gbk")


def small_receipt_native_text(columns: int) -> bytes:
    """The bytes of small_receipt's three text lines in native mode, up to leaving Chinese mode."""
    return (
        INIT
        + CENTER
        + BOLD_ON
        + CHINESE_ON
        + GBK_TITLE
        + b"\n"
        + BOLD_OFF
        + BIG
        + b"A001\n"
        + LEFT
        + NORMAL
        + b"-" * columns
        + b"\n"
        + CHINESE_OFF
    )


@pytest.mark.parametrize(("paper", "columns", "module"), [(80, 48, 6), (58, 32, 5)])
def test_native_text_and_native_qr_exact_bytes(paper: int, columns: int, module: int) -> None:
    settings = PrinterSettings(type="file", paper_width=paper, qr_mode="native")
    assert settings.columns == columns
    data = encoder_for(settings).encode(small_receipt(columns))
    assert GBK_TITLE == b"\xb7\xa8\xc2\xc9\xd4\xae\xd6\xfa\xa3\xba\xa3\xa40"
    expected = (
        small_receipt_native_text(columns)
        + CENTER
        + b"\n"
        + native_qr(module)
        + b"\n"
        + END
    )
    assert data == expected


def raster_command(picture: Image.Image) -> bytes:
    """GS v 0 for a picture, computed here from the ESC/POS rules (1 bit = one black dot)."""
    ink = ImageOps.invert(picture.convert("L")).convert("1")
    box = ink.getbbox()
    assert box is not None
    width_bytes = (box[2] + 7) // 8
    ink = ink.crop((0, 0, width_bytes * 8, picture.height))
    return b"\x1d\x76\x30\x00" + width_bytes.to_bytes(2, "little") + picture.height.to_bytes(2, "little") + ink.tobytes()


@pytest.mark.parametrize(("paper", "columns", "module"), [(80, 48, 6), (58, 32, 5)])
def test_raster_text_and_native_qr_exact_bytes(paper: int, columns: int, module: int) -> None:
    settings = PrinterSettings(type="file", paper_width=paper, text_mode="raster", qr_mode="native")
    renderer = renderer_for(settings)
    receipt = small_receipt(columns)
    data = ReceiptEncoder(settings, renderer).encode(receipt)
    lines = [TextLine("法律援助：￥0", "center", bold=True), TextLine("A001", "center", big=True), TextLine("-" * columns)]
    picture = renderer.lines_image(lines)
    assert picture.size == (settings.dots, 4 * LINE_DOTS)  # the big line is two lines high
    expected = INIT + raster_command(picture) + CENTER + b"\n" + native_qr(module) + b"\n" + END
    assert data == expected
    # No text mode at all: no FS &, no GS !, no ESC E.
    assert CHINESE_ON not in data and BIG not in data and BOLD_ON not in data


@pytest.mark.parametrize(("paper", "columns"), [(80, 48), (58, 32)])
def test_native_text_and_image_qr_exact_bytes(paper: int, columns: int) -> None:
    settings = PrinterSettings(type="file", paper_width=paper, qr_mode="image")
    data = encoder_for(settings).encode(small_receipt(columns))
    code = qr_image(URL, settings.dots)
    assert code.width == settings.dots
    expected = (
        small_receipt_native_text(columns)
        + raster_command(code)  # already left-aligned
        + END
    )
    assert data == expected
    assert b"\x1d\x28\x6b" not in data


@pytest.mark.parametrize(("paper", "columns"), [(80, 48), (58, 32)])
def test_raster_text_and_image_qr_is_one_picture_of_the_preview(paper: int, columns: int) -> None:
    """Everything raster: the paper is exactly the preview (without its white margins)."""
    settings = PrinterSettings(type="file", paper_width=paper, text_mode="raster", qr_mode="image")
    renderer = renderer_for(settings)
    receipt = small_receipt(columns)
    data = ReceiptEncoder(settings, renderer).encode(receipt)
    lines = [TextLine("法律援助：￥0", "center", bold=True), TextLine("A001", "center", big=True), TextLine("-" * columns)]
    text = renderer.lines_image(lines)
    assert data == INIT + raster_command(text) + raster_command(qr_image(URL, settings.dots)) + END


def test_no_cut_feeds_the_paper_out_instead() -> None:
    settings = PrinterSettings(type="file", cut=False, qr_mode="native")
    data = encoder_for(settings).encode(Receipt("test", "t", 48, (TextLine("OK"),)))
    assert data == INIT + CHINESE_ON + b"OK\n" + CHINESE_OFF + b"\n" * 6


def test_a_profile_without_a_cutter_gets_no_cut_command() -> None:
    settings = PrinterSettings(type="file", profile="Sunmi-V2", qr_mode="native")
    assert not settings.can_cut
    data = encoder_for(settings).encode(Receipt("test", "t", 32, (TextLine("OK"),)))
    assert b"\x1d\x56" not in data
    assert data.endswith(CHINESE_OFF + b"\n" * 6)


def test_styles_are_sent_only_when_they_change_and_right_alignment() -> None:
    receipt = Receipt(
        "test",
        "t",
        48,
        (TextLine("一", bold=True), TextLine("二", bold=True), TextLine("三", "right"), TextLine("四", "right"), Feed(2), TextLine("五")),
    )
    data = encoder_for(PrinterSettings(type="file", qr_mode="native")).encode(receipt)
    expected = (
        INIT
        + BOLD_ON
        + CHINESE_ON
        + "一\n二\n".encode("gbk")
        + b"\x1b\x61\x02"
        + BOLD_OFF
        + "三\n四\n".encode("gbk")
        + b"\n\n"
        + LEFT
        + "五\n".encode("gbk")
        + CHINESE_OFF
        + END
    )
    assert data == expected


def test_a_line_gbk_cannot_encode_is_a_picture_between_native_lines() -> None:
    """刘䶮 (U+4DAE) is not in GBK: that line alone is raster; the lines around it stay text."""
    settings = PrinterSettings(type="file", qr_mode="native")
    renderer = renderer_for(settings)
    rare = TextLine("申请人：刘䶮", bold=True)
    receipt = Receipt("test", "t", 48, (TextLine("窗口：2号"), rare, TextLine("费用：￥0")))
    data = ReceiptEncoder(settings, renderer).encode(receipt)
    expected = (
        INIT
        + CHINESE_ON
        + "窗口：2号\n".encode("gbk")
        + CHINESE_OFF
        + raster_command(renderer.line_image(rare))  # its bold is drawn into the picture, no ESC E sent
        + CHINESE_ON
        + "费用：￥0\n".encode("gbk")
        + CHINESE_OFF
        + END
    )
    assert data == expected
    events = dec.decode(data)
    assert dec.texts(events) == ["窗口：2号", "费用：￥0"]
    assert [line.bold for line in dec.lines(events) if line.text] == [False, False]
    [picture] = dec.rasters(events)
    assert dec.same_pixels(dec.full_width(picture, settings.dots), renderer.line_image(rare))


def test_quiet_zone_and_module_size_of_image_qr() -> None:
    for dots, module in ((576, 6), (384, 5)):
        code = qr_image(URL, dots)
        box = ImageOps.invert(code.convert("L")).getbbox()
        assert box is not None
        assert box[1] == QUIET_ZONE_DOTS and code.height - box[3] == QUIET_ZONE_DOTS
        assert (box[2] - box[0]) % module == 0
        assert abs(box[0] - (dots - box[2])) <= 1  # centred


def test_renderer_draws_lines_on_the_paper_width() -> None:
    renderer = PaperRenderer(384, Path(renderer_for(PrinterSettings()).font_path))
    assert renderer.line_image(TextLine("x")).size == (384, LINE_DOTS)
    assert renderer.line_image(TextLine("x", big=True)).size == (384, 2 * LINE_DOTS)
