"""The work ledger's summary (工作台账): exact text and CSV for a small ledger, and ``kiosk report``
as staff run it, with its exit codes and one-line errors."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from kiosk import cli
from kiosk.content import Content
from kiosk.content_loader import load_content
from kiosk.database import DATABASE_NAME, open_database
from kiosk.paths import SAMPLE_CONTENT_DIR
from kiosk.queue_rules import APPOINTMENT, NORMAL, PRIORITY
from kiosk.report import Period, csv_report, parse_date, summarize, text_report, width
from kiosk.ticket import LOCAL, SERVER, Ticket
from kiosk.ticket_book import FAILED, NOT_PRINTED, PRINTED, LedgerRow, TicketBook

SHANGHAI = dt.timezone(dt.timedelta(hours=8))


@pytest.fixture(scope="module")
def content() -> Content:
    """The sample center: consultation (A), legal_aid (B), notarization, mediation, appraisal and
    correction take tickets; complaint and lawyer do not."""
    return load_content(SAMPLE_CONTENT_DIR)


def row(
    label: str, service_id: str, day: int, hour: int, minute: int, category: str = NORMAL, state: str = PRINTED, note: str = ""
) -> LedgerRow:
    issued_at = dt.datetime(2026, 3, day, hour, minute, tzinfo=SHANGHAI)
    kind = "elderly" if category == PRIORITY else None
    return LedgerRow(f"id-{label}-{day}", issued_at.date(), label, service_id, category, kind, issued_at, "kiosk-01", LOCAL, state, note)


# Monday 2 March 2026 and the Wednesday after; the server's copy is stored in UTC.
LEDGER = [
    row("B001", "legal_aid", 2, 9, 5),
    row("V001", "legal_aid", 2, 9, 40, PRIORITY, FAILED, "paper out"),
    row("A001", "consultation", 2, 11, 15, state=NOT_PRINTED),
    row("Y001", "mediation", 2, 14, 0, APPOINTMENT),
    LedgerRow("srv", dt.date(2026, 3, 4), "A007", "consultation", NORMAL, None, dt.datetime(2026, 3, 4, 1, 30, tzinfo=dt.timezone.utc),
              "kiosk-01", SERVER, PRINTED, ""),
]  # fmt: skip

DAY_TEXT = """\
工作台账：取号统计
期间：2026-03-02（星期一）
自助机：kiosk-01
取号合计：4

按服务事项
  服务事项  取号数
  法律咨询       1
  法律援助       2
  公证           0
  人民调解       1
  司法鉴定       0
  社区矫正       0

按时段
  时段         取号数
  09:00-10:00       2
  10:00-11:00       0
  11:00-12:00       1
  12:00-13:00       0
  13:00-14:00       0
  14:00-15:00       1

按类别
  类别      取号数
  普通           2
  绿色通道       1
  预约           1

打印失败（号码已记录）：2
  号码  日期        时间   服务事项  情况
  V001  2026-03-02  09:40  法律援助  打印失败：paper out
  A001  2026-03-02  11:15  法律咨询  未确认打印（自助机中途停止）
"""

WEEK_CSV = """\
\ufeff分项,代码,名称,取号数\r
期间,2026-03-02/2026-03-08,2026-03-02（星期一）至2026-03-08（星期日）,\r
自助机,kiosk-01,,\r
合计,,取号合计,5\r
服务事项,consultation,法律咨询,2\r
服务事项,legal_aid,法律援助,2\r
服务事项,notarization,公证,0\r
服务事项,mediation,人民调解,1\r
服务事项,appraisal,司法鉴定,0\r
服务事项,correction,社区矫正,0\r
时段,09,09:00-10:00,3\r
时段,10,10:00-11:00,0\r
时段,11,11:00-12:00,1\r
时段,12,12:00-13:00,0\r
时段,13,13:00-14:00,0\r
时段,14,14:00-15:00,1\r
类别,normal,普通,3\r
类别,priority,绿色通道,1\r
类别,appointment,预约,1\r
日期,2026-03-02,星期一,4\r
日期,2026-03-03,星期二,0\r
日期,2026-03-04,星期三,1\r
日期,2026-03-05,星期四,0\r
日期,2026-03-06,星期五,0\r
日期,2026-03-07,星期六,0\r
日期,2026-03-08,星期日,0\r
打印失败,V001,2026-03-02 09:40 法律援助 打印失败：paper out,1\r
打印失败,A001,2026-03-02 11:15 法律咨询 未确认打印（自助机中途停止）,1\r
"""


def test_one_day_as_a_table(content: Content) -> None:
    period = Period.day(dt.date(2026, 3, 2))
    assert text_report(summarize(LEDGER, content, period, "kiosk-01")) == DAY_TEXT


def test_a_week_as_csv_for_a_spreadsheet(content: Content) -> None:
    period = Period.week(dt.date(2026, 3, 8))  # a Sunday: the week from Monday 2 March
    assert (period.first, period.last) == (dt.date(2026, 3, 2), dt.date(2026, 3, 8))
    assert csv_report(summarize(LEDGER, content, period, "kiosk-01")) == WEEK_CSV


def test_the_week_table_lists_every_day_and_hours_in_the_centers_time(content: Content) -> None:
    text = text_report(summarize(LEDGER, content, Period.week(dt.date(2026, 3, 4)), "kiosk-01"))
    assert "  2026-03-04  星期三       1" in text.splitlines()  # the server's 01:30 UTC ticket is 09:30 in Shanghai
    assert "  09:00-10:00       3" in text.splitlines()
    columns = {width(line) for line in text.splitlines()[text.splitlines().index("按日期") + 1 :][:8]}
    assert columns == {width("  2026-03-02  星期一       4")}  # the column of counts is straight


def test_an_empty_period_says_so(content: Content) -> None:
    text = text_report(summarize([], content, Period.day(dt.date(2026, 5, 1)), "kiosk-01"))
    assert "取号合计：0" in text and "按时段\n  无\n" in text and text.endswith("打印失败（号码已记录）：0\n")


def test_dates_are_read_or_refused_in_one_line() -> None:
    assert parse_date(" 2026-03-02 ") == dt.date(2026, 3, 2)
    for wrong, shown in (("2026-02-30", "'2026-02-30'"), ("last monday", "'last monday'"), ("", "nothing")):
        with pytest.raises(ValueError) as refused:
            parse_date(wrong)
        assert str(refused.value) == f"expected a date like 2026-03-02, got {shown}"


# ----- the command


@pytest.fixture
def kiosk_ini(tmp_path: Path) -> Path:
    path = tmp_path / "kiosk.ini"
    path.write_text("[kiosk]\nid = kiosk-01\ndata_dir = data\n", encoding="utf-8")
    return path


def report(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, list[str]]:
    code = cli.main(["report", *argv])
    out, err = capsys.readouterr()
    return code, out, err.splitlines()


def fill_ledger(data_dir: Path, content: Content) -> None:
    """Monday's four tickets, numbered by the kiosk itself, and the Wednesday one from the server."""
    database = open_database(data_dir)
    try:
        book = TicketBook(database, "kiosk-01")
        rules = content.queues
        for ledger_row in LEDGER[:4]:
            kind = ledger_row.priority_kind
            code = "123456" if ledger_row.category == APPOINTMENT else None
            ticket = book.issue(rules, ledger_row.service_id, ledger_row.category, kind, code, ledger_row.issued_at)
            assert ticket.label == ledger_row.label
            if ledger_row.print_state == PRINTED:
                book.mark_printed(ticket.id)
            elif ledger_row.print_state == FAILED:
                book.mark_print_failed(ticket.id, ledger_row.print_note)
        server = LEDGER[4]
        book.record(Ticket(server.id, server.label, "A", 7, server.day, server.service_id, NORMAL, None, None, server.issued_at,
                           "kiosk-01", SERVER, 2, 10.0))  # fmt: skip
        book.mark_printed(server.id)
        book.recover()  # the kiosk restarts: Monday's A001 never got its print confirmed
    finally:
        database.close()


def test_report_prints_the_day_from_the_kiosks_ledger(kiosk_ini: Path, content: Content, capsys: pytest.CaptureFixture[str]) -> None:
    fill_ledger(kiosk_ini.parent / "data", content)
    assert report(capsys, "--day", "2026-03-02", "--config", str(kiosk_ini)) == (0, DAY_TEXT, [])


def test_report_writes_csv_with_a_bom(kiosk_ini: Path, content: Content, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    fill_ledger(kiosk_ini.parent / "data", content)
    code = cli.main(["report", "--week", "2026-03-04", "--csv", "--config", str(kiosk_ini)])
    out, err = capsysbinary.readouterr()
    assert (code, err) == (0, b"")
    assert out.startswith(b"\xef\xbb\xbf") and out == WEEK_CSV.encode("utf-8")


def test_report_without_any_ticket_yet_makes_no_database(kiosk_ini: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = report(capsys, "--week", "2026-03-02", "--config", str(kiosk_ini))
    assert (code, err) == (0, [])
    assert "取号合计：0" in out
    assert not (kiosk_ini.parent / "data" / DATABASE_NAME).exists()


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--day", "2026-13-01"], "kiosk report: --day: expected a date like 2026-03-02, got '2026-13-01'"),
        (["--week", "next week"], "kiosk report: --week: expected a date like 2026-03-02, got 'next week'"),
        ([], "kiosk report: expected --day DATE or --week DATE, got neither"),
        (["--day", "2026-03-02", "--week", "2026-03-02"], "kiosk report: expected --day DATE or --week DATE, got both"),
    ],
)
def test_a_wrong_period_is_one_line_and_exit_2(kiosk_ini: Path, capsys: pytest.CaptureFixture[str], argv: list[str], message: str) -> None:
    assert report(capsys, *argv, "--config", str(kiosk_ini)) == (2, "", [message])


def test_a_broken_kiosk_ini_is_one_line_per_problem(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ini = tmp_path / "kiosk.ini"
    ini.write_text("[kiosk]\nidle_timeout = fast\n", encoding="utf-8")
    code, out, err = report(capsys, "--day", "2026-03-02", "--config", str(ini))
    assert (code, out, len(err)) == (2, "", 1)
    assert err[0].endswith("kiosk.ini:2: [kiosk] idle_timeout: expected a whole number of seconds from 15 to 3600, got 'fast'")
