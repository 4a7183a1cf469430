"""Printing figures for ``python -m benchmarks`` (no display needed): ``python -m benchmarks.printing``.

Targets (printing issue): a native queue ticket at most 600 bytes and a material checklist at
most 3 KB (3,072 bytes) for every sample service on 80 mm paper; touch to the last byte of a
ticket on a TCP printer p95 at most 150 ms; layout, encoding and preview of a checklist at most
50 ms. Raster sizes and 58 mm paper are reported beside the targets for comparison.

The TCP printer is a fake one on 127.0.0.1 (a thread): it answers every ``DLE EOT n`` with 0x12
(ready) and notes when the cut command, the last byte of each job, arrives. The "touch" is what
the screen's handler does: ``TicketBook.issue``, ``PrintDesk.ticket`` and ``PrintDesk.submit``
to the printer thread, on a kiosk database in a temporary data folder.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import queue
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import replace
from pathlib import Path
from typing import Any

from kiosk.config import load_config
from kiosk.content import Content
from kiosk.content_loader import load_content
from kiosk.content_store import ContentStore
from kiosk.database import open_database
from kiosk.i18n import Strings, load_strings
from kiosk.paths import BUNDLED_BOLD_FONT, BUNDLED_FONT, PROJECT_DIR, SAMPLE_CONTENT_DIR
from kiosk.printing import PrintDesk
from kiosk.queue_rules import NORMAL
from kiosk.ticket_book import TicketBook
from printers.encoder import ReceiptEncoder
from printers.preview import PaperRenderer
from printers.receipt import Receipt
from printers.receipts import ReceiptWriter, TicketFacts
from printers.settings import PrinterSettings
from printers.spooler import JobResult

TICKET_TARGET_BYTES = 600
CHECKLIST_TARGET_BYTES = 3 * 1024
TOUCH_TARGET_P95_MS = 150
CHECKLIST_TARGET_MS = 50
TOUCHES = 100  # tickets per series
SERIES_SECONDS = 60.0  # a series stops early after this long
JOB_WAIT_SECONDS = 10.0
CHECKLIST_REPEATS = 12  # warm runs per sample service
LANGUAGE = "zh_CN"
# A busy afternoon's ticket: three-digit number, two-digit queue (the id is a fresh uuid4 each time).
BUSY_NUMBER, BUSY_WAITING, BUSY_WAIT_MINUTES = 128, 15, 37.5

STATUS_QUERIES = (b"\x10\x04\x01", b"\x10\x04\x02", b"\x10\x04\x04")
READY = b"\x12"
CUT = b"\x1dVB\x00"  # GS V 'B' 0: feed and cut, the last command of every job
TICKET_ID = re.compile(rb"/t/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})")


# ----- figures


def ms(seconds: float) -> float:
    return round(seconds * 1000, 1)


def spread(samples_ms: list[float], digits: int = 1) -> dict[str, float]:
    """p50 and p95 (inclusive method) and the largest, in milliseconds."""
    p95 = statistics.quantiles(samples_ms, n=20, method="inclusive")[-1] if len(samples_ms) > 1 else samples_ms[0]
    return {"p50_ms": round(statistics.median(samples_ms), digits), "p95_ms": round(p95, digits), "max_ms": round(max(samples_ms), digits)}


# ----- the fake network printer


class FakeNetworkPrinter:
    """A raw-TCP receipt printer on 127.0.0.1 that is always ready, one connection at a time (as a
    real one). Each job's arrival is put on :attr:`arrivals` as (ticket id or "", time, bytes)."""

    def __init__(self) -> None:
        self.server = socket.create_server(("127.0.0.1", 0))
        self.server.settimeout(0.2)
        self.port: int = self.server.getsockname()[1]
        self.arrivals: queue.Queue[tuple[str, float, int]] = queue.Queue()
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._serve, name="fake-printer", daemon=True)

    def __enter__(self) -> FakeNetworkPrinter:
        self.thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stopping.set()
        self.thread.join(5)
        self.server.close()

    def wait_for(self, ticket_id: str, timeout: float) -> float | None:
        """When the last byte of ``ticket_id``'s job arrived (perf_counter), or None."""
        deadline = time.perf_counter() + timeout
        while (left := deadline - time.perf_counter()) > 0:
            try:
                found, arrived, _size = self.arrivals.get(timeout=left)
            except queue.Empty:
                return None
            if found == ticket_id:
                return arrived
        return None

    def _serve(self) -> None:
        while not self.stopping.is_set():
            try:
                connection, _ = self.server.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with connection:
                connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                connection.settimeout(JOB_WAIT_SECONDS)
                self._take(connection)

    def _take(self, connection: socket.socket) -> None:
        received, job_seen = bytearray(), False
        while True:
            try:
                data = connection.recv(65536)
            except OSError:
                return
            if not data:
                return
            arrived = time.perf_counter()
            received += data
            # The cut may come in one read with the status question that follows it.
            if not job_seen and CUT in received[max(0, len(received) - len(data) - len(CUT)) :]:
                job_seen = True
                found = TICKET_ID.search(received)
                self.arrivals.put((found.group(1).decode() if found else "", arrived, len(received)))
            # The kiosk waits for the answer, so a question is always the last thing received.
            if bytes(received[-3:]) in STATUS_QUERIES:
                connection.sendall(READY)


# ----- receipt sizes


SAMPLE_SERVER = "https://kiosk.example.org"  # a ticket's QR code holds the central server's ticket page


def _busy_ticket(writer: ReceiptWriter, content: Content, service_id: str, settings: PrinterSettings) -> Receipt:
    ticket_id = str(uuid.uuid4())
    number = content.queues.format_number(content.queues.queues[service_id].prefix, BUSY_NUMBER)
    facts = TicketFacts(ticket_id, number, dt.datetime.now().replace(second=0, microsecond=0), BUSY_WAITING, BUSY_WAIT_MINUTES)
    return writer.ticket(content.center, content.service(service_id), facts, settings.with_server(SAMPLE_SERVER).ticket_qr(ticket_id))


def _sizes(content: Content, strings: Strings, paper_width: int, language: str) -> dict[str, dict[str, dict[str, int]]]:
    """Bytes of every ticketed service's ticket and every checklist per mode: {kind: {mode: {service: bytes}}}."""
    modes = {"native": ("native", "auto"), "text_raster": ("raster", "auto"), "qr_image": ("native", "image")}
    out: dict[str, dict[str, dict[str, int]]] = {"ticket": {}, "checklist": {}}
    for mode, (text_mode, qr_mode) in modes.items():
        settings = replace(PrinterSettings(), paper_width=paper_width, text_mode=text_mode, qr_mode=qr_mode)
        encoder = ReceiptEncoder(settings, PaperRenderer(settings.dots, BUNDLED_FONT, BUNDLED_BOLD_FONT))
        tickets, checklists = out["ticket"].setdefault(mode, {}), out["checklist"].setdefault(mode, {})
        for service in content.services:
            writer = ReceiptWriter(strings, language, settings.columns)
            if service.id in content.queues.queues:  # the services that issue tickets
                tickets[service.id] = len(encoder.encode(_busy_ticket(writer, content, service.id, settings)))
            checklist = writer.checklist(content.center, service, dt.datetime.now(), settings.checklist_qr(service.id))
            checklists[service.id] = len(encoder.encode(checklist))
    return out


def _size_summary(by_mode: dict[str, dict[str, int]], target: int) -> dict[str, Any]:
    native = by_mode["native"]
    summary: dict[str, Any] = {
        "native_max_bytes": max(native.values()),
        "native_p50_bytes": round(statistics.median(native.values())),
        "target_max_bytes": target,
        "over_target": sorted(service for service, size in native.items() if size > target),
    }
    for mode in ("text_raster", "qr_image"):
        summary[f"{mode}_max_bytes"] = max(by_mode[mode].values())
        summary[f"{mode}_p50_bytes"] = round(statistics.median(by_mode[mode].values()))
    return summary


def receipt_sizes() -> dict[str, Any]:
    content, strings = load_content(SAMPLE_CONTENT_DIR), load_strings()
    report: dict[str, Any] = {
        "services": len(content.services),
        "language": LANGUAGE,
        "ticket": f"uuid4 id in {SAMPLE_SERVER}/t/, number X{BUSY_NUMBER:03d}, {BUSY_WAITING} waiting, {BUSY_WAIT_MINUTES} min",
        "modes": "native = GBK text + GS ( k QR (profile default); text_raster = text_mode raster; qr_image = qr_mode image",
    }
    for paper in (80, 58):
        sizes = _sizes(content, strings, paper, LANGUAGE)
        report[f"ticket_{paper}mm"] = _size_summary(sizes["ticket"], TICKET_TARGET_BYTES)
        report[f"checklist_{paper}mm"] = _size_summary(sizes["checklist"], CHECKLIST_TARGET_BYTES)
    english = _sizes(content, strings, 80, "en")
    report["english_80mm"] = {
        "ticket": _size_summary(english["ticket"], TICKET_TARGET_BYTES),
        "checklist": _size_summary(english["checklist"], CHECKLIST_TARGET_BYTES),
    }
    return report


# ----- touch to the last byte on a TCP printer


def _touch_series(printer: FakeNetworkPrinter, preview: bool, count: int) -> dict[str, Any]:
    """Issue, lay out and submit ``count`` tickets one visitor after another; time each job."""
    with tempfile.TemporaryDirectory(prefix="kiosk-print-bench-") as folder:
        ini = Path(folder) / "kiosk.ini"
        ini.write_text(
            f"[kiosk]\ndata_dir = {folder}/data\n\n[printer]\ntype = network\nhost = 127.0.0.1\n"
            f"port = {printer.port}\npreview = {'yes' if preview else 'no'}\n",
            encoding="utf-8",
        )
        config = load_config(ini)
        content = ContentStore(config.content_dir, config.data_dir).content
        database = open_database(config.data_dir)
        desk = PrintDesk(config, load_strings(), database)
        book = TicketBook(database, config.kiosk_id)
        ticketed = list(content.queues.queues)
        desk.spooler.start()
        last_byte, submitted, confirmed, failures = [], [], [], []
        job_bytes = 0
        stop_at = time.perf_counter() + SERIES_SECONDS
        try:
            for index in range(count):
                if time.perf_counter() > stop_at:
                    break
                service_id = ticketed[index % len(ticketed)]
                done: queue.Queue[JobResult] = queue.Queue()
                touched = time.perf_counter()
                ticket = book.issue(content.queues, service_id, NORMAL, None, None, desk.now().astimezone())
                desk.submit(desk.ticket(content, ticket, config.language), done.put)
                returned = time.perf_counter()
                arrived = printer.wait_for(ticket.id, JOB_WAIT_SECONDS)
                try:
                    result = done.get(timeout=JOB_WAIT_SECONDS)
                except queue.Empty:
                    failures.append(f"{ticket.label}: no result")
                    continue
                if arrived is None or not result.printed:
                    failures.append(f"{ticket.label}: {result.outcome.reason or 'no bytes arrived'}")
                    continue
                last_byte.append((arrived - touched) * 1000)
                submitted.append((returned - touched) * 1000)
                confirmed.append((time.perf_counter() - touched) * 1000)
                job_bytes = max(job_bytes, desk.journal.get(result.job_id).bytes)
        finally:
            desk.spooler.stop()
            database.close()
    if not last_byte:
        return {"tickets": 0, "failures": failures[:5]}
    return {
        "tickets": len(last_byte),
        "first_ms": round(last_byte[0], 1),
        **spread(last_byte),
        "submit_returned_p95_ms": spread(submitted)["p95_ms"],
        "job_confirmed_p50_ms": spread(confirmed)["p50_ms"],
        "job_confirmed_p95_ms": spread(confirmed)["p95_ms"],
        "job_max_bytes": job_bytes,
        "failures": len(failures),
        "failure_reasons": failures[:3],
    }


def _sample_ticket_bytes() -> bytes:
    """An encoded 80 mm ticket like the ones the series prints (for the bare TCP baseline)."""
    settings = PrinterSettings(type="network")
    content = load_content(SAMPLE_CONTENT_DIR)
    encoder = ReceiptEncoder(settings, PaperRenderer(settings.dots, BUNDLED_FONT, BUNDLED_BOLD_FONT))
    writer = ReceiptWriter(load_strings(), LANGUAGE, settings.columns)
    return encoder.encode(_busy_ticket(writer, content, next(iter(content.queues.queues)), settings))


def _baseline(printer: FakeNetworkPrinter, job: bytes, count: int) -> dict[str, Any]:
    """Bare TCP: connect, one status question and its answer, the same bytes, until the last arrives."""
    old_id = TICKET_ID.search(job)
    assert old_id is not None
    samples = []
    for _ in range(count):
        ticket_id = str(uuid.uuid4())
        data = job.replace(old_id.group(1), ticket_id.encode())
        started = time.perf_counter()
        with socket.create_connection(("127.0.0.1", printer.port), timeout=JOB_WAIT_SECONDS) as connection:
            connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            connection.sendall(STATUS_QUERIES[0])
            connection.recv(1)
            connection.sendall(data)
            arrived = printer.wait_for(ticket_id, JOB_WAIT_SECONDS)
        if arrived is not None:
            samples.append((arrived - started) * 1000)
    return {"tickets": len(samples), "bytes": len(job), **spread(samples, digits=3)}


def touch_to_last_byte() -> dict[str, Any]:
    with FakeNetworkPrinter() as printer:
        baseline = _baseline(printer, _sample_ticket_bytes(), TOUCHES)
        plain = _touch_series(printer, preview=False, count=TOUCHES)
        with_preview = _touch_series(printer, preview=True, count=TOUCHES)
    report: dict[str, Any] = {
        "printer": "fake raw-TCP printer on 127.0.0.1, answers DLE EOT n with 0x12 at once",
        "preview_no": plain,
        "preview_yes_default": with_preview,
        "target_p95_ms_max": TOUCH_TARGET_P95_MS,
        "baseline_bare_tcp_connect_status_send": baseline,
    }
    for name, series in (("preview_no", plain), ("preview_yes_default", with_preview)):
        if series.get("tickets") and baseline["tickets"]:
            report[f"ratio_p95_to_baseline_{name}"] = round(series["p95_ms"] / baseline["p95_ms"], 1)
    return report


# ----- checklist layout, encoding and preview


def _checklist_once(desk: tuple[Strings, PrinterSettings, ReceiptEncoder, PaperRenderer], content: Content, service_id: str) -> float:
    strings, settings, encoder, renderer = desk
    started = time.perf_counter()
    writer = ReceiptWriter(strings, LANGUAGE, settings.columns)
    receipt = writer.checklist(content.center, content.service(service_id), dt.datetime.now(), settings.checklist_qr(service_id))
    encoder.encode(receipt)
    renderer.render(receipt).save(io.BytesIO(), format="PNG")
    return time.perf_counter() - started


def _checklist_tools(text_mode: str = "native") -> tuple[Strings, PrinterSettings, ReceiptEncoder, PaperRenderer]:
    settings = PrinterSettings(text_mode=text_mode)
    renderer = PaperRenderer(settings.dots, BUNDLED_FONT, BUNDLED_BOLD_FONT)
    return load_strings(), settings, ReceiptEncoder(settings, renderer), renderer


def cold_checklist_ms() -> float:
    """The first checklist in this process (empty glyph and font caches), in milliseconds."""
    content = load_content(SAMPLE_CONTENT_DIR)
    return ms(_checklist_once(_checklist_tools(), content, content.services[0].id))


def checklist_timing() -> dict[str, Any]:
    cold = subprocess.run(
        [sys.executable, "-m", "benchmarks.printing", "cold-checklist"], cwd=PROJECT_DIR, capture_output=True, text=True, timeout=120
    )
    cold_ms = json.loads(cold.stdout.strip().splitlines()[-1])["cold_ms"] if cold.returncode == 0 else None
    content = load_content(SAMPLE_CONTENT_DIR)
    report: dict[str, Any] = {
        "measures": "ReceiptWriter.checklist + ReceiptEncoder.encode + PaperRenderer.render + PNG to memory, 80 mm",
        "cold_first_ms": cold_ms,
    }
    for text_mode in ("native", "raster"):
        tools = _checklist_tools(text_mode)
        for service in content.services:  # warm the caches, as after the kiosk's first checklist
            _checklist_once(tools, content, service.id)
        samples = [ms(_checklist_once(tools, content, service.id)) for _ in range(CHECKLIST_REPEATS) for service in content.services]
        key = "warm" if text_mode == "native" else "warm_text_mode_raster"
        report[key] = {"runs": len(samples), **spread(samples)}
    report["target_ms_max"] = CHECKLIST_TARGET_MS
    return report


# ----- the whole section


def measure() -> dict[str, Any]:
    """The "printing" section of the benchmark report."""
    return {
        "receipt_bytes": receipt_sizes(),
        "touch_to_last_byte_tcp": touch_to_last_byte(),
        "checklist_layout_encode_preview": checklist_timing(),
    }


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args == ["cold-checklist"]:
        print(json.dumps({"cold_ms": cold_checklist_ms()}))
        return 0
    print(json.dumps({"printing": measure()}, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
