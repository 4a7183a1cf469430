"""The sample content's receipts, encoded and read back: the text a person reads on the paper is
the receipt's text, no line is wider than the paper, raster pictures are the preview's pixels, and
every QR code (native, image bytes, preview PNG) holds its URL."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image

from kiosk.content import Content
from kiosk.i18n import Strings
from printers.columns import text_columns
from printers.encoder import ReceiptEncoder
from printers.preview import MARGIN_DOTS, rule_text
from printers.receipt import Element, Feed, QrCode, Receipt, Rule, TextLine
from printers.receipts import ReceiptWriter, TicketFacts
from printers.settings import PrinterSettings
from tests.printers import escpos_decode as dec
from tests.printers.conftest import encoder_for, renderer_for

NOW = dt.datetime(2026, 3, 2, 9, 30)
TICKET_URL = "https://kiosk.example.org/t/3f2a9c"
CHECKLIST_URL = "https://kiosk.example.org/checklist/legal_aid"
PAPERS = [(80, 48), (58, 32)]
LANGUAGES = ["zh_CN", "en"]


def make_receipt(kind: str, content: Content, strings: Strings, language: str, columns: int, service_id: str = "legal_aid") -> Receipt:
    writer = ReceiptWriter(strings, language, columns)
    service = content.service(service_id)
    if kind == "ticket":
        facts = TicketFacts("3f2a9c", "B007", NOW, 3, 12.5)
        return writer.ticket(content.center, service, facts, TICKET_URL)
    if kind == "checklist":
        return writer.checklist(content.center, service, NOW, CHECKLIST_URL)
    return writer.test_page(content.center, ["file printer-output.bin", "profile default"], NOW, TICKET_URL)


def printed_lines(receipt: Receipt) -> list[tuple[str, str, bool, bool]]:
    """What should be printed as text, with style: text lines, and rules as dashes."""
    out = []
    for element in receipt.elements:
        if isinstance(element, Rule):
            out.append((rule_text(receipt.columns), "left", False, False))
        elif isinstance(element, TextLine) and element.text:
            out.append((element.text, element.align, element.bold, element.big))
    return out


def zxing_texts(picture: Image.Image) -> list[str]:
    return [result.text for result in zxingcpp.read_barcodes(picture.convert("L"))]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(("paper", "columns"), PAPERS)
@pytest.mark.parametrize("kind", ["ticket", "checklist", "test"])
def test_native_text_reads_back_as_the_receipt(
    kind: str, paper: int, columns: int, language: str, content: Content, strings: Strings
) -> None:
    settings = PrinterSettings(type="file", paper_width=paper, qr_mode="native")
    receipt = make_receipt(kind, content, strings, language, columns)
    events = dec.decode(encoder_for(settings).encode(receipt))
    lines = [line for line in dec.lines(events) if line.text]
    assert [(line.text, line.align, line.bold, line.big) for line in lines] == printed_lines(receipt)
    assert [line.text for line in lines if set(line.text) != {"-"}] == [t for t in receipt.texts() if t]
    assert dec.rasters(events) == []  # every character of the sample content is in GBK
    for line in lines:
        assert line.chinese, f"{line.text!r} was not sent in Chinese mode"
        width = columns // 2 if line.big else columns
        assert len(line.raw) <= width, f"{line.text!r} takes {len(line.raw)} of {width} columns"
        assert len(line.raw) == text_columns(line.text)  # the printer's own measure: one byte, one column
    [qr] = dec.qr_codes(events)
    assert (qr.data, qr.module, qr.ec, qr.model, qr.align) == (receipt.qr_codes()[0], 6 if paper == 80 else 5, "M", 2, "center")
    assert isinstance(events[-1], dec.Cut)


@pytest.mark.parametrize(("paper", "columns"), PAPERS)
@pytest.mark.parametrize("kind", ["ticket", "checklist"])
def test_raster_paper_is_the_preview(kind: str, paper: int, columns: int, content: Content, strings: Strings) -> None:
    """Raster text and image QR: the pictures sent, stacked, are the preview's pixels."""
    settings = PrinterSettings(type="file", paper_width=paper, text_mode="raster", qr_mode="image")
    renderer = renderer_for(settings)
    receipt = make_receipt(kind, content, strings, "zh_CN", columns)
    events = dec.decode(ReceiptEncoder(settings, renderer).encode(receipt))
    assert dec.texts(events) == [] and dec.qr_codes(events) == []
    pictures = [dec.full_width(picture, settings.dots) for picture in dec.rasters(events)]
    paper_image = Image.new("1", (settings.dots, sum(p.height for p in pictures)), 1)
    top = 0
    for picture in pictures:
        paper_image.paste(picture, (0, top))
        top += picture.height
    preview = renderer.render(receipt)
    assert preview.width == settings.dots
    assert dec.same_pixels(paper_image, preview.crop((0, MARGIN_DOTS, preview.width, preview.height - MARGIN_DOTS)))
    assert zxing_texts(paper_image) == receipt.qr_codes()


@pytest.mark.parametrize(("paper", "columns"), PAPERS)
def test_raster_text_keeps_native_qr(paper: int, columns: int, content: Content, strings: Strings) -> None:
    settings = PrinterSettings(type="file", paper_width=paper, text_mode="raster", qr_mode="native")
    renderer = renderer_for(settings)
    receipt = make_receipt("ticket", content, strings, "zh_CN", columns)
    events = dec.decode(ReceiptEncoder(settings, renderer).encode(receipt))
    before_qr = [e for e in receipt.elements[: receipt.elements.index(QrCode(TICKET_URL))]]
    first = dec.rasters(events)[0]
    expected = renderer.lines_image([_as_line(e, columns) for e in before_qr])
    assert dec.same_pixels(dec.full_width(first, settings.dots), expected)
    assert [qr.data for qr in dec.qr_codes(events)] == [TICKET_URL]


def _as_line(element: Element, columns: int) -> TextLine:
    if isinstance(element, Rule):
        return TextLine(rule_text(columns))
    if isinstance(element, Feed):
        return TextLine("")
    assert isinstance(element, TextLine)
    return element


def test_raster_feed_of_two_lines_is_two_lines_high() -> None:
    """A Feed of two lines leaves two lines of paper in raster mode too, as in the preview."""
    settings = PrinterSettings(type="file", text_mode="raster", qr_mode="native")
    renderer = renderer_for(settings)
    receipt = Receipt("test", "t", 48, (TextLine("上"), Feed(2), TextLine("下")))
    [picture] = dec.rasters(dec.decode(ReceiptEncoder(settings, renderer).encode(receipt)))
    preview = renderer.render(receipt)
    without_margins = preview.crop((0, MARGIN_DOTS, preview.width, preview.height - MARGIN_DOTS))
    assert dec.same_pixels(dec.full_width(picture, settings.dots), without_margins)


@pytest.mark.parametrize(("paper", "columns"), PAPERS)
@pytest.mark.parametrize("kind", ["ticket", "checklist"])
def test_image_qr_bytes_and_preview_png_scan_to_the_url(
    kind: str, paper: int, columns: int, content: Content, strings: Strings, tmp_path: Path
) -> None:
    settings = PrinterSettings(type="file", paper_width=paper, qr_mode="image")
    renderer = renderer_for(settings)
    receipt = make_receipt(kind, content, strings, "zh_CN", columns)
    url = TICKET_URL if kind == "ticket" else CHECKLIST_URL
    events = dec.decode(ReceiptEncoder(settings, renderer).encode(receipt))
    [picture] = dec.rasters(events)
    assert zxing_texts(dec.full_width(picture, settings.dots)) == [url]
    png = tmp_path / "preview.png"
    renderer.render(receipt).save(png)
    with Image.open(png) as image:
        assert image.width == settings.dots
        assert zxing_texts(image) == [url]


def test_ticket_says_number_waiting_and_window(content: Content, strings: Strings) -> None:
    receipt = make_receipt("ticket", content, strings, "zh_CN", 48)
    texts = dec.texts(dec.decode(encoder_for(PrinterSettings(type="file")).encode(receipt)))
    assert "B007" in texts
    assert "您前面还有 3 人等候，预计约 13 分钟" in texts
    assert "取号时间：2026-03-02 09:30" in texts
    assert receipt.summary == {"number": "B007", "service": "法律援助", "qr": TICKET_URL, "ticket_id": "3f2a9c"}


@pytest.mark.parametrize(
    ("ahead", "wait", "category", "kind", "expected"),
    [
        (None, None, "normal", None, ["等候时间：暂无估计"]),
        (4, None, "normal", None, ["您前面还有 4 人等候，等候时间暂无估计"]),
        (0, 0.0, "normal", None, ["您前面没有人等候，请留意叫号"]),
        (2, 0.2, "priority", "elderly", ["绿色通道 老年人", "您前面还有 2 人等候，预计约 1 分钟"]),
        (1, 30.0, "appointment", None, ["预约签到", "您前面还有 1 人等候，预计约 30 分钟"]),
    ],
)
def test_ticket_says_its_queue_honestly(
    ahead: int | None, wait: float | None, category: str, kind: str | None, expected: list[str], content: Content, strings: Strings
) -> None:
    facts = TicketFacts("3f2a9c", "V004", NOW, ahead, wait, category, kind)
    receipt = ReceiptWriter(strings, "zh_CN", 48).ticket(content.center, content.service("legal_aid"), facts, TICKET_URL)
    texts = dec.texts(dec.decode(encoder_for(PrinterSettings(type="file")).encode(receipt)))
    for line in expected:
        assert line in texts
    if wait is None:
        assert not any("分钟" in t for t in texts)  # no invented figure


def test_checklist_lists_every_material_with_a_tick_box(content: Content, strings: Strings) -> None:
    receipt = make_receipt("checklist", content, strings, "zh_CN", 32)
    texts = dec.texts(dec.decode(encoder_for(PrinterSettings(type="file", paper_width=58)).encode(receipt)))
    joined = "".join(t.strip() for t in texts)
    for material in content.service("legal_aid").materials:
        assert f"□{material.name.get('zh_CN')}" in joined.replace("□ ", "□")
    assert sum(t.startswith("□ ") for t in texts) == len(content.service("legal_aid").materials)


@pytest.mark.parametrize(("paper", "columns"), PAPERS)
def test_every_sample_service_checklist_fits_the_paper(paper: int, columns: int, content: Content, strings: Strings) -> None:
    settings = PrinterSettings(type="file", paper_width=paper)
    encoder = encoder_for(settings)
    for service in content.services:
        for language in LANGUAGES:
            receipt = make_receipt("checklist", content, strings, language, columns, service.id)
            lines = [line for line in dec.lines(dec.decode(encoder.encode(receipt))) if line.text]
            assert [line.text for line in lines if set(line.text) != {"-"}] == [t for t in receipt.texts() if t]
            for line in lines:
                assert len(line.raw) <= (columns // 2 if line.big else columns), (service.id, language, line.text)


def test_receipt_survives_the_journal_json() -> None:
    elements = (TextLine("￥5 · 元", "center", True, True), Rule(), Feed(2), QrCode("https://x/1"))
    receipt = Receipt("ticket", "A001 法律援助", 32, elements, {"number": "A001"})
    assert Receipt.from_json(receipt.to_json()) == receipt
