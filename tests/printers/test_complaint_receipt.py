"""The complaint receipt, encoded and read back as a printer would: its number large, what was
ticked, the masked phone, the promise of an answer, the QR code to continue on a phone; every line
within the paper in both languages and widths. And a ticket without an address has no QR code."""

from __future__ import annotations

import datetime as dt

import pytest
import zxingcpp

from kiosk.content import Content
from kiosk.i18n import Strings
from printers.columns import text_columns
from printers.receipt import TextLine
from printers.receipts import ComplaintFacts, ReceiptWriter, TicketFacts
from printers.settings import PrinterSettings
from tests.printers import escpos_decode as dec
from tests.printers.conftest import encoder_for, renderer_for
from tests.printers.test_receipts_decoded import printed_lines

CREATED = dt.datetime(2026, 11, 21, 10, 15, tzinfo=dt.timezone(dt.timedelta(hours=8)))
URL = "https://center.example.org/c/3f2a9c1e-5b7d-4c1e-9f3a-2b8c7d6e5f40"
FACTS = ComplaintFacts("20261121-kiosk-01-007", CREATED, "complaint", "efficiency", ("long_wait", "not_told_once"), "138****5678", "B007")


@pytest.mark.parametrize("language", ["zh_CN", "en"])
@pytest.mark.parametrize(("paper", "columns"), [(80, 48), (58, 32)])
def test_the_complaint_receipt_reads_back_as_laid_out(content: Content, strings: Strings, language: str, paper: int, columns: int) -> None:
    settings = PrinterSettings(type="file", paper_width=paper, qr_mode="native")
    receipt = ReceiptWriter(strings, language, columns).complaint(content.center, FACTS, URL)
    events = dec.decode(encoder_for(settings).encode(receipt))
    lines = [line for line in dec.lines(events) if line.text]
    assert [(line.text, line.align, line.bold, line.big) for line in lines] == printed_lines(receipt)
    assert dec.rasters(events) == []
    for line in lines:
        assert line.chinese
        assert len(line.raw) <= (columns // 2 if line.big else columns), f"{line.text!r} is wider than the paper"
    [qr] = dec.qr_codes(events)
    assert qr.data == URL
    assert receipt.kind == "complaint" and receipt.summary == {"receipt": "20261121-kiosk-01-007", "qr": URL}


def test_what_the_chinese_receipt_says(content: Content, strings: Strings) -> None:
    receipt = ReceiptWriter(strings, "zh_CN", 48).complaint(content.center, FACTS, URL)
    events = dec.decode(encoder_for(PrinterSettings(type="file", qr_mode="native")).encode(receipt))
    texts = dec.texts(events)
    assert texts[:3] == ["重庆市示例区公共法律服务中心", "投诉建议回执", "-" * 48]
    number = [line for line in dec.lines(events) if line.text == "20261121-kiosk-01-007"]
    assert [(line.big, line.bold, line.align) for line in number] == [(True, True, "center")]
    for expected in [
        "提交时间：2026-11-21 10:15",
        "类型：投诉",
        "类别：办事效率",
        "排队号：B007",
        "· 排队等候时间过长",
        "· 材料没有一次性告知，多次往返",
        "回访电话：138****5678",
        "扫码在手机上补充具体情况",
        "监督电话：023-60001099",
    ]:
        assert expected in texts
    assert "事事有回音" in "".join(texts) and "中心主任受理" in "".join(texts)


def test_on_narrow_paper_the_number_stays_large_on_two_lines(content: Content, strings: Strings) -> None:
    receipt = ReceiptWriter(strings, "en", 32).complaint(content.center, FACTS, URL)
    big = [
        line.text for line in dec.lines(dec.decode(encoder_for(PrinterSettings(type="file", paper_width=58)).encode(receipt))) if line.big
    ]
    assert big == ["20261121-", "kiosk-01-007"]
    long_id = ComplaintFacts(f"20261121-{'k' * 32}-001", CREATED, "suggestion", "other", (), None, None)
    elements = ReceiptWriter(strings, "en", 32).complaint(content.center, long_id, "").elements
    assert all(text_columns(e.text) <= (16 if e.big else 32) for e in elements if isinstance(e, TextLine))


def test_without_a_phone_or_a_server_the_receipt_has_neither(content: Content, strings: Strings) -> None:
    facts = ComplaintFacts("20261121-kiosk-01-008", CREATED, "suggestion", "other", (), None, None)
    receipt = ReceiptWriter(strings, "zh_CN", 48).complaint(content.center, facts, "")
    assert receipt.qr_codes() == []
    texts = receipt.texts()
    assert not any(text.startswith(("回访电话", "排队号", "您反映的情况", "扫码")) for text in texts)
    assert "类型：建议" in texts


def test_the_preview_qr_code_holds_the_address(content: Content, strings: Strings) -> None:
    settings = PrinterSettings(type="file", paper_width=58)
    picture = renderer_for(settings).render(ReceiptWriter(strings, "zh_CN", 32).complaint(content.center, FACTS, URL))
    assert [result.text for result in zxingcpp.read_barcodes(picture.convert("L"))] == [URL]


def test_a_ticket_without_an_address_has_no_qr_code(content: Content, strings: Strings) -> None:
    facts = TicketFacts("3f2a9c", "B007", CREATED, None, None)
    receipt = ReceiptWriter(strings, "zh_CN", 48).ticket(content.center, content.service("legal_aid"), facts, "")
    assert receipt.qr_codes() == []
    assert "扫码查看排队进度，办完后评价服务" not in receipt.texts()
    assert dec.qr_codes(dec.decode(encoder_for(PrinterSettings(type="file")).encode(receipt))) == []


def test_the_ticket_address_is_the_central_servers_page_unless_set() -> None:
    assert PrinterSettings().ticket_qr("t1") == ""
    assert PrinterSettings().with_server("https://center.example.org/").ticket_qr("t1") == "https://center.example.org/t/t1"
    own = PrinterSettings(ticket_url="https://phones.example.org/q?id={ticket_id}")
    assert own.with_server("https://center.example.org").ticket_qr("t1") == "https://phones.example.org/q?id=t1"
