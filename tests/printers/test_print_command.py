"""``kiosk print``, run in-process as staff run it: exit codes and one-line messages."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image

from kiosk import cli
from kiosk.content_loader import load_content
from kiosk.database import open_database
from kiosk.paths import SAMPLE_CONTENT_DIR
from kiosk.queue_rules import NORMAL
from kiosk.ticket import LOCAL, OFFLINE
from kiosk.ticket_book import FAILED, PRINTED, LedgerRow, TicketBook
from tests.printers import escpos_decode as dec
from tests.printers import fake_printer as fake
from tests.printers.conftest import IniWriter

LETTER = load_content(SAMPLE_CONTENT_DIR).queues.queues["legal_aid"].prefix


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, list[str], list[str]]:
    code = cli.main(["print", *argv])
    out, err = capsys.readouterr()
    return code, out.splitlines(), err.splitlines()


def test_checklist_to_a_file(write_ini: IniWriter, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ini = write_ini(type="file", path="out.bin", paper_width=58)
    code, out, err = run(capsys, "checklist", "--service", "legal_aid", "--config", str(ini))
    assert (code, err) == (0, [])
    output = tmp_path / "data" / "out.bin"  # relative paths in [printer] are in the data folder
    assert len(out) == 1 and out[0].startswith("printed 一次性告知单 法律援助 on file ") and out[0].endswith("(job 1)")
    events = dec.decode(output.read_bytes())
    texts = dec.texts(events)
    assert texts[:2] == ["一次性告知单", "重庆市示例区公共法律服务中心"]
    assert max(len(line.raw) for line in dec.lines(events)) <= 32
    assert [qr.data for qr in dec.qr_codes(events)] == ["https://kiosk.example.org/checklist/legal_aid"]
    code, _out, _err = run(capsys, "checklist", "--service", "legal_aid", "--config", str(ini))
    assert code == 0
    assert output.read_bytes().count(b"\x1b@") == 2  # the second job appended


@pytest.mark.parametrize(("paper", "width"), [(80, 576), (58, 384)])
def test_preview_writes_a_png(write_ini: IniWriter, tmp_path: Path, capsys: pytest.CaptureFixture[str], paper: int, width: int) -> None:
    ini = write_ini(type="none", paper_width=paper)
    png = tmp_path / "out.png"
    code, out, err = run(capsys, "checklist", "--service", "legal_aid", "--config", str(ini), "--preview", str(png))
    assert (code, err) == (0, [])
    assert out == [f"preview of the checklist written to {png}"]
    with Image.open(png) as image:
        assert image.format == "PNG" and image.width == width and image.height > 1000
        assert [r.text for r in zxingcpp.read_barcodes(image.convert("L"))] == ["https://kiosk.example.org/checklist/legal_aid"]


def ledger_rows(data_dir: Path) -> list[LedgerRow]:
    database = open_database(data_dir)
    try:
        return TicketBook(database, "x").ledger(dt.date(2000, 1, 1), dt.date(2100, 1, 1))
    finally:
        database.close()


def test_ticket_preview_does_not_issue_a_number(write_ini: IniWriter, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ini = write_ini(type="file", path="out.bin")
    png = tmp_path / "t.png"
    assert run(capsys, "ticket", "--service", "legal_aid", "--config", str(ini), "--preview", str(png))[0] == 0
    assert run(capsys, "ticket", "--service", "legal_aid", "--config", str(ini))[0] == 0
    code, out, err = run(capsys, "ticket", "--service", "legal_aid", "--config", str(ini))
    assert (code, err) == (0, [])
    assert out[0].startswith(f"printed {LETTER}002 法律援助 on file ")
    texts = dec.texts(dec.decode((tmp_path / "data" / "out.bin").read_bytes()))
    assert [t for t in texts if t.startswith(LETTER) and t[1:].isdigit()] == [f"{LETTER}001", f"{LETTER}002"]
    assert "等候时间：暂无估计" in texts  # a kiosk numbering on its own does not know who was called
    rows = ledger_rows(tmp_path / "data")
    assert [(row.label, row.source, row.print_state, row.kiosk_id) for row in rows] == [
        (f"{LETTER}001", LOCAL, PRINTED, "test-kiosk"),
        (f"{LETTER}002", LOCAL, PRINTED, "test-kiosk"),
    ]
    assert run(capsys, "ticket", "--service", "legal_aid", "--config", str(ini), "--preview", str(png))[0] == 0
    assert len(ledger_rows(tmp_path / "data")) == 2


def test_a_ticket_that_fails_to_print_keeps_its_number(write_ini: IniWriter, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with fake.FakeNetworkPrinter(fake.SILENT) as printer:
        ini = write_ini(type="network", host="127.0.0.1", port=printer.port, status_timeout=0.2, timeout=10)
        code, _out, err = run(capsys, "ticket", "--service", "legal_aid", "--config", str(ini))
    assert code == 1 and len(err) == 1
    [row] = ledger_rows(tmp_path / "data")
    assert (row.label, row.print_state) == (f"{LETTER}001", FAILED)
    assert row.print_note.startswith("not sent: no_answer: ")


def test_a_full_service_gives_no_ticket(write_ini: IniWriter, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rules = load_content(SAMPLE_CONTENT_DIR).queues
    cap = rules.queues["mediation"].daily_cap
    assert cap is not None
    database = open_database(tmp_path / "data")
    try:
        book = TicketBook(database, "test-kiosk")
        for _ in range(cap):
            book.issue(rules, "mediation", NORMAL, None, None, dt.datetime.now().astimezone())
    finally:
        database.close()
    code, out, err = run(capsys, "ticket", "--service", "mediation", "--config", str(write_ini(type="file", path="out.bin")))
    assert (code, out, len(err)) == (1, [], 1)
    assert err[0].startswith("kiosk print ticket: no number (full): mediation: the daily cap of ")
    assert not (tmp_path / "data" / "out.bin").exists()
    assert len(ledger_rows(tmp_path / "data")) == cap


def test_with_a_central_server_a_printed_ticket_comes_from_the_kiosks_block(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ini = tmp_path / "kiosk.ini"
    ini.write_text(
        "[kiosk]\nid = test-kiosk\ndata_dir = data\n\n[printer]\ntype = file\npath = out.bin\n\n"
        "[server]\nurl = http://127.0.0.1:9\noffline_block = 2\n",
        encoding="utf-8",
    )
    assert run(capsys, "ticket", "--service", "legal_aid", "--config", str(ini))[0] == 0
    [row] = ledger_rows(tmp_path / "data")
    assert (row.label, row.source) == (f"{LETTER}900", OFFLINE)  # never one of the server's numbers


def test_unknown_service_exits_2_with_one_line(write_ini: IniWriter, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "checklist", "--service", "parking", "--config", str(write_ini(type="file")))
    assert code == 2 and out == []
    assert len(err) == 1
    assert err[0].startswith("kiosk print checklist: --service: expected one of ") and err[0].endswith("got 'parking'")
    code, _out, err = run(capsys, "ticket", "--config", str(write_ini(type="file")))
    assert code == 2 and len(err) == 1 and err[0].endswith("got nothing")
    code, _out, err = run(capsys, "ticket", "--service", "complaint", "--config", str(write_ini(type="file")))
    assert code == 2 and len(err) == 1  # complaints take no queue ticket
    assert err[0].startswith("kiosk print ticket: --service: expected one of ") and err[0].endswith("got 'complaint'")


def test_silent_network_printer_exits_1_with_no_answer(write_ini: IniWriter, capsys: pytest.CaptureFixture[str]) -> None:
    with fake.FakeNetworkPrinter(fake.SILENT) as printer:
        ini = write_ini(type="network", host="127.0.0.1", port=printer.port, status_timeout=0.2, timeout=10)
        code, out, err = run(capsys, "checklist", "--service", "legal_aid", "--config", str(ini))
    assert code == 1 and out == []
    assert len(err) == 1
    assert "no_answer" in err[0]
    assert err[0].startswith("kiosk print: not sent: no_answer: ")
    assert err[0].endswith(f"(network printer 127.0.0.1:{printer.port}); job 1 is kept for reprinting")
    assert printer.job_bytes() == b""


def test_no_printer_configured_exits_1_with_one_line(write_ini: IniWriter, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "test", "--config", str(write_ini(type="none")))
    assert code == 1 and out == []
    assert err == ["kiosk print: no printer is configured ([printer] type = none); use --preview OUT.png to see the receipt"]


def test_test_page_to_a_file_shows_the_settings(write_ini: IniWriter, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ini = write_ini(type="file", path="out.bin", qr_mode="image", cut="no")
    code, _out, _err = run(capsys, "test", "--language", "en", "--config", str(ini))
    assert code == 0
    events = dec.decode((tmp_path / "data" / "out.bin").read_bytes())
    texts = dec.texts(events)
    assert texts[0] == "Printer test page"
    assert "text native, QR image, cut off" in texts
    assert "123456789012345678901234567890123456789012345678" in texts  # the 48-column ruler
    assert not any(isinstance(event, dec.Cut) for event in events)
    [qr] = dec.rasters(events)
    assert [r.text for r in zxingcpp.read_barcodes(dec.full_width(qr, 576).convert("L"))] == ["https://kiosk.example.org/t/test"]
