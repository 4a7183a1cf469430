"""Ratings and complaints from a kiosk to a real ``kiosk-server run`` process on 127.0.0.1, on SQLite
and on PostgreSQL: what the kiosk confirmed to citizens arrives once, with its facts (a rating of a
ticket takes the ticket's service, the call-back phone is whole on the server and masked on the
kiosk, a complaint keeps the receipt the citizen took home); the heartbeat puts the kiosk's
printer and outbox on the server's fleet row; and ``kiosk sync`` tells staff in one line that the
server is unreachable, and sends what waited once it is back."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from kiosk import __version__
from kiosk.config import load_config
from kiosk.feedback_desk import FeedbackDesk
from kiosk.outbox import SENT
from kiosk.paths import PROJECT_DIR
from kiosk.services import KioskServices, make_services
from kiosk.ticket import SERVER
from printers.status import PrinterState
from server.models import complaints, follow_ups, kiosks, ratings
from tests.e2e.conftest import ServerProcess, rows_by_id, server_rows, wait_until, write_kiosk_ini
from tests.printers.fake_printer import NO_PAPER, FakeNetworkPrinter

KIOSK = Path(sys.executable).parent / "kiosk"
PHONE = "13812345678"


def kiosk_services(
    folder: Path, content: Path, url: str, kiosk_id: str, block: int, printer: FakeNetworkPrinter | None = None
) -> KioskServices:
    lines = f"type = network\nhost = {printer.host}\nport = {printer.port}\n" if printer else "type = file\npreview = no\n"
    services = make_services(load_config(write_kiosk_ini(folder, content, url, kiosk_id, block, printer=lines)))
    services.tickets.book.recover()
    return services


def kiosk_sync(config: Path) -> tuple[int, list[str], list[str]]:
    """``kiosk sync`` as staff type it."""
    done = subprocess.run([str(KIOSK), "sync", "--config", str(config)], cwd=PROJECT_DIR, capture_output=True, text=True, timeout=60)
    return done.returncode, done.stdout.splitlines(), done.stderr.splitlines()


def test_what_the_kiosk_confirmed_reaches_the_server_once_with_its_facts(
    tmp_path: Path, open_content: Path, server_process: ServerProcess, db_url: str
) -> None:
    url = server_process.url
    with FakeNetworkPrinter(NO_PAPER) as printer:
        services = kiosk_services(tmp_path / "kiosk-01", open_content, url, "kiosk-01", 1, printer)
        assert services.printing.spooler.check_status().state == PrinterState.PAPER_OUT
    other = kiosk_services(tmp_path / "kiosk-02", open_content, url, "kiosk-02", 2)
    ours = services.tickets.take("legal_aid")
    theirs = other.tickets.take("mediation")
    assert (ours.source, theirs.source) == (SERVER, SERVER)

    desk: FeedbackDesk = services.feedback
    taken_here = desk.ticket_from_issued(ours)
    typed = desk.ticket_from_label(f"{theirs.label[0]}{int(theirs.label[1:])}")  # as a citizen types it, without the zeros
    assert (typed.label, typed.ticket_id, typed.service_id) == (theirs.label, None, None)  # this kiosk never saw it
    good = desk.rate(desk.new_draft(), "very_satisfied", ticket=taken_here)
    bad = desk.rate(desk.new_draft(), "very_dissatisfied", ["attitude", "efficiency"], PHONE, ticket=typed)
    anonymous = desk.rate(desk.new_draft(), "basically_satisfied")
    complaint = desk.complain(desk.new_draft(), "complaint", "efficiency", ["long_wait", "not_told_once"], PHONE, taken_here)
    suggestion = desk.complain(desk.new_draft(), "suggestion", "other", ["more_online"])
    assert bad.phone_masked == complaint.phone_masked == "138****5678"
    day = complaint.created_at.strftime("%Y%m%d")
    assert (complaint.receipt, suggestion.receipt) == (f"{day}-kiosk-01-001", f"{day}-kiosk-01-002")

    assert desk.worker is not None
    assert desk.worker.heartbeat() == ""  # before the worker ran: five records wait
    beat = rows_by_id(db_url, kiosks)["kiosk-01"]
    assert (beat["printer_state"], beat["outbox_depth"], beat["app_version"]) == ("paper_out", 5, __version__)

    desk.start()
    try:
        wait_until(lambda: desk.sync_status().sent == 5, "the sync worker delivered the five records")
        wait_until(lambda: rows_by_id(db_url, kiosks)["kiosk-01"]["outbox_depth"] == 0, "a heartbeat said the outbox is empty")
    finally:
        desk.stop()

    stored = rows_by_id(db_url, ratings)
    assert set(stored) == {good.id, bad.id, anonymous.id}
    linked = stored[good.id]
    assert (linked["ticket_id"], linked["ticket_label"], linked["service_id"]) == (ours.id, ours.label, "legal_aid")
    assert (linked["level"], linked["score"], linked["reasons"], linked["phone"], linked["repeat"]) == ("very_satisfied", 5, "", None, 0)
    by_label = stored[bad.id]  # linked on the server by the typed number: the ticket's service and id
    assert (by_label["ticket_id"], by_label["ticket_label"], by_label["service_id"]) == (theirs.id, theirs.label, "mediation")
    assert (by_label["reasons"], by_label["phone"], by_label["score"]) == ("attitude,efficiency", PHONE, 1)
    alone = stored[anonymous.id]
    assert (alone["ticket_id"], alone["ticket_label"], alone["service_id"], alone["phone"]) == (None, None, None, None)
    assert {row["kiosk_id"] for row in stored.values()} == {"kiosk-01"}

    filed = rows_by_id(db_url, complaints)
    assert set(filed) == {complaint.id, suggestion.id}
    about_ticket, idea = filed[complaint.id], filed[suggestion.id]
    assert (about_ticket["receipt"], about_ticket["kind"], about_ticket["phone"]) == (complaint.receipt, "complaint", PHONE)
    assert (about_ticket["presets"], about_ticket["service_id"], about_ticket["ticket_label"]) == (
        "long_wait,not_told_once",
        "legal_aid",
        ours.label,
    )
    assert (idea["receipt"], idea["kind"], idea["phone"], idea["presets"]) == (suggestion.receipt, "suggestion", None, "more_online")

    follow = {(row["record_kind"], row["record_id"]): row["state"] for row in server_rows(db_url, follow_ups)}
    assert follow == {("rating", bad.id): "pending", ("complaint", complaint.id): "pending", ("complaint", suggestion.id): "pending"}

    kept = [desk.outbox.get(record.id) for record in (good, bad, anonymous, complaint, suggestion)]
    assert [record.state if record else None for record in kept] == [SENT] * 5
    beat = rows_by_id(db_url, kiosks)["kiosk-01"]
    assert (beat["printer_state"], beat["outbox_depth"]) == ("paper_out", 0)
    assert beat["last_sync"] is not None and beat["heartbeat_at"] is not None
    services.feedback.outbox.db.close()
    other.feedback.outbox.db.close()


# What the kiosk says and keeps while the server is gone does not depend on the server's database
# (delivery to PostgreSQL is proved above and in test_feedback_faults.py): SQLite alone proves it.
@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_kiosk_sync_says_the_server_is_unreachable_and_sends_once_it_is_back(
    tmp_path: Path, open_content: Path, server_process: ServerProcess, db_url: str
) -> None:
    services = kiosk_services(tmp_path / "kiosk-01", open_content, server_process.url, "kiosk-01", 1)
    desk = services.feedback
    config = services.config.path
    first = desk.rate(desk.new_draft(), "satisfied")
    assert kiosk_sync(config) == (0, ["sent 1, pending 0, failed 0"], [])

    server_process.stop()
    later = desk.rate(desk.new_draft(), "dissatisfied", ["expertise"], PHONE)
    complaint = desk.complain(desk.new_draft(), "complaint", "fees", ["unclear_fees"])
    assert kiosk_sync(config) == (
        1,
        ["sent 0, pending 2, failed 0"],
        [f"kiosk sync: {server_process.url}/api/v1/ratings: cannot reach the server (ConnectionError)"],
    )
    assert desk.sync_status().pending == 2  # nothing lost

    server_process.start()
    assert kiosk_sync(config) == (0, ["sent 2, pending 0, failed 0"], [])
    assert kiosk_sync(config) == (0, ["sent 0, pending 0, failed 0"], [])
    assert sorted(row["id"] for row in server_rows(db_url, ratings)) == sorted([first.id, later.id])
    assert [row["id"] for row in server_rows(db_url, complaints)] == [complaint.id]
    status = desk.sync_status()
    assert (status.sent, status.pending, status.in_flight, status.failed) == (3, 0, 0, 0)
    desk.outbox.db.close()
