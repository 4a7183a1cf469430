"""The work ledger's ticket summary (工作台账: 每周对服务事项进行一次统计汇总): tickets per service,
per hour of day, per category and, for a week, per day, with every ticket whose print failed
(its number was recorded, never silently skipped). Made from the kiosk's ledger rows; laid out
as a text table for the terminal or as CSV for a spreadsheet. ``kiosk report`` prints it.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from kiosk.content import Content
from kiosk.problems import describe
from kiosk.queue_rules import APPOINTMENT, CATEGORIES, NORMAL, PRIORITY
from kiosk.ticket_book import FAILED, NOT_PRINTED, LedgerRow

LANGUAGE = "zh_CN"
WEEKDAY_NAMES = ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日")
CATEGORY_NAMES = {NORMAL: "普通", PRIORITY: "绿色通道", APPOINTMENT: "预约"}
PRINT_PROBLEMS = {FAILED: "打印失败", NOT_PRINTED: "未确认打印（自助机中途停止）"}
CSV_BOM = "\ufeff"  # so that Excel reads the Chinese as UTF-8


def parse_date(text: str) -> dt.date:
    """A date as staff type it (2026-03-02); ValueError with the one-line reason otherwise."""
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(f"expected a date like 2026-03-02, got {describe(text)}") from None


@dataclass(frozen=True)
class Period:
    first: dt.date
    last: dt.date

    @classmethod
    def day(cls, day: dt.date) -> Period:
        return cls(day, day)

    @classmethod
    def week(cls, day: dt.date) -> Period:
        """The Monday-to-Sunday week that holds ``day``."""
        monday = day - dt.timedelta(days=day.weekday())
        return cls(monday, monday + dt.timedelta(days=6))

    @property
    def days(self) -> list[dt.date]:
        return [self.first + dt.timedelta(days=n) for n in range((self.last - self.first).days + 1)]

    @property
    def title(self) -> str:
        first = f"{self.first.isoformat()}（{WEEKDAY_NAMES[self.first.weekday()]}）"
        if self.first == self.last:
            return first
        return f"{first}至{self.last.isoformat()}（{WEEKDAY_NAMES[self.last.weekday()]}）"


@dataclass(frozen=True)
class Count:
    key: str  # service id, hour, category or date: what a program would group by
    name: str  # what the director reads
    tickets: int


@dataclass(frozen=True)
class FailedPrint:
    label: str
    day: dt.date
    time: str  # HH:MM, the center's local time
    service: str
    problem: str  # 打印失败 (with the printer's reason when known) or 未确认打印


@dataclass(frozen=True)
class Summary:
    period: Period
    kiosk_id: str
    total: int
    services: tuple[Count, ...]  # every ticketed service in content order, then any other found
    hours: tuple[Count, ...]  # from the first to the last hour with tickets
    categories: tuple[Count, ...]
    days: tuple[Count, ...]  # one per day of a week; empty for a single day
    failed_prints: tuple[FailedPrint, ...]
    prints_known: bool = True  # False for the central server's report: only kiosks know what printed


def summarize(rows: Sequence[LedgerRow], content: Content, period: Period, kiosk_id: str) -> Summary:
    rows = [row for row in rows if period.first <= row.day <= period.last]
    rules = content.queues
    names = {service.id: service.name.get(LANGUAGE) for service in content.services}
    local = [rules.local(row.issued_at) if row.issued_at.tzinfo else row.issued_at for row in rows]

    per_service = Counter(row.service_id for row in rows)
    order = [service.id for service in content.services if service.id in rules.queues or service.id in per_service]
    order += sorted(set(per_service) - set(order))
    services = tuple(Count(sid, names.get(sid, sid), per_service[sid]) for sid in order)

    per_hour = Counter(moment.hour for moment in local)
    span = range(min(per_hour), max(per_hour) + 1) if per_hour else range(0)
    hours = tuple(Count(f"{hour:02d}", f"{hour:02d}:00-{hour + 1:02d}:00", per_hour[hour]) for hour in span)

    per_category = Counter(row.category for row in rows)
    categories = tuple(Count(category, CATEGORY_NAMES[category], per_category[category]) for category in CATEGORIES)

    per_day = Counter(row.day for row in rows)
    days = tuple(Count(day.isoformat(), WEEKDAY_NAMES[day.weekday()], per_day[day]) for day in period.days) if len(period.days) > 1 else ()

    failed = tuple(
        FailedPrint(row.label, row.day, f"{moment:%H:%M}", names.get(row.service_id, row.service_id), _problem(row))
        for row, moment in zip(rows, local, strict=True)
        if row.print_state in PRINT_PROBLEMS
    )
    return Summary(period, kiosk_id, len(rows), services, hours, categories, days, failed)


def _problem(row: LedgerRow) -> str:
    problem = PRINT_PROBLEMS[row.print_state]
    return f"{problem}：{row.print_note}" if row.print_note else problem


# ----- text


def text_report(summary: Summary) -> str:
    lines = [
        "工作台账：取号统计",
        f"期间：{summary.period.title}",
        f"自助机：{summary.kiosk_id}",
        f"取号合计：{summary.total}",
    ]
    sections = [("按服务事项", "服务事项", summary.services), ("按时段", "时段", summary.hours), ("按类别", "类别", summary.categories)]
    if summary.days:
        sections.append(("按日期", "日期", summary.days))
    for title, column, counts in sections:
        lines += ["", title]
        if title == "按日期":
            rows = [[count.key, count.name, str(count.tickets)] for count in counts]
            lines += _table([column, "", "取号数"], rows, right=(2,))
        elif counts:
            lines += _table([column, "取号数"], [[count.name, str(count.tickets)] for count in counts], right=(1,))
        else:
            lines.append("  无")
    if not summary.prints_known:
        return "\n".join(lines) + "\n"
    lines += ["", f"打印失败（号码已记录）：{len(summary.failed_prints)}"]
    if summary.failed_prints:
        rows = [[f.label, f.day.isoformat(), f.time, f.service, f.problem] for f in summary.failed_prints]
        lines += _table(["号码", "日期", "时间", "服务事项", "情况"], rows)
    return "\n".join(lines) + "\n"


def width(text: str) -> int:
    """Columns ``text`` takes in a terminal: two for a Chinese character."""
    return sum(2 if unicodedata.east_asian_width(char) in ("W", "F") else 1 for char in text)


def _table(header: list[str], rows: list[list[str]], right: tuple[int, ...] = ()) -> list[str]:
    widths = [max(width(row[n]) for row in [header, *rows]) for n in range(len(header))]
    lines = []
    for row in [header, *rows]:
        cells = []
        for n, cell in enumerate(row):
            pad = " " * (widths[n] - width(cell))
            cells.append(pad + cell if n in right else cell + pad)
        lines.append(("  " + "  ".join(cells)).rstrip())
    return lines


# ----- CSV


def csv_report(summary: Summary) -> str:
    """The summary as CSV rows ``分项,代码,名称,取号数``, with the BOM Excel needs for UTF-8."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["分项", "代码", "名称", "取号数"])
    writer.writerow(["期间", f"{summary.period.first.isoformat()}/{summary.period.last.isoformat()}", summary.period.title, ""])
    writer.writerow(["自助机", summary.kiosk_id, "", ""])
    writer.writerow(["合计", "", "取号合计", summary.total])
    for section, counts in (("服务事项", summary.services), ("时段", summary.hours), ("类别", summary.categories), ("日期", summary.days)):
        for count in counts:
            writer.writerow([section, count.key, count.name, count.tickets])
    for failed in summary.failed_prints:
        writer.writerow(["打印失败", failed.label, f"{failed.day.isoformat()} {failed.time} {failed.service} {failed.problem}", 1])
    return CSV_BOM + out.getvalue()
