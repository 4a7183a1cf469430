"""The kiosk's side of the central server's ticket API (docs/ticket-api.md), over ``requests``.

Every call is bounded by the configured timeout. A server that does not answer in time, cannot be
reached, or answers something that is not the API's JSON raises :class:`ServerSilent` with one
line saying what happened; the desk then issues from the kiosk's own offline block. A refusal the
server meant (closed, daily cap, appointment problems) raises :class:`~kiosk.ticket.TicketRefused`.
Every request carries the kiosk's bearer token and verifies the server's certificate
(:mod:`kiosk.server_session`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kiosk.server_session import ServerAccess, short
from kiosk.ticket import SERVER, SERVER_REFUSALS, Ticket, TicketRefused

if TYPE_CHECKING:
    import requests

API = "/api/v1"


class ServerSilent(Exception):
    """The server gave no usable answer in time."""


@dataclass(frozen=True)
class ServerQueue:
    service_id: str
    open: bool
    next_open: dt.datetime | None
    full: bool
    waiting: int
    wait_minutes: float | None


@dataclass(frozen=True)
class ReportResult:
    stored: tuple[str, ...]  # ticket ids the server now holds (stored now or before)
    conflicts: tuple[str, ...]  # ticket ids whose number the server already gave to another ticket
    voided: tuple[str, ...]


class TicketClient:
    def __init__(self, base_url: str, kiosk_id: str, timeout: float, access: ServerAccess | None = None) -> None:
        self.base_url, self.kiosk_id, self.timeout = base_url.rstrip("/"), kiosk_id, timeout
        self.access = access or ServerAccess()
        self._session: requests.Session | None = None

    @property
    def session(self) -> requests.Session:
        """Made on first use (the first call runs on a worker thread anyway)."""
        if self._session is None:
            self._session = self.access.new_session()
        return self._session

    def close(self) -> None:
        if self._session is not None:
            self._session.close()

    # ----- calls

    def issue(
        self,
        request_id: str,
        service_id: str | None,
        category: str,
        priority_kind: str | None,
        appointment_code: str | None,
        offline_block: int | None,
        instance: str,
    ) -> Ticket:
        body = {
            "id": request_id,
            "kiosk_id": self.kiosk_id,
            "service_id": service_id,
            "category": category,
            "priority_kind": priority_kind,
            "appointment_code": appointment_code,
            "offline_block": offline_block,
            "instance": instance,
        }
        reply = self._json("POST", "/tickets", body)
        return _ticket(reply, self.kiosk_id)

    def queues(self) -> dict[str, ServerQueue]:
        reply = self._json("GET", "/queues", None)
        try:
            return {
                item["service_id"]: ServerQueue(
                    service_id=str(item["service_id"]),
                    open=bool(item["open"]),
                    next_open=_time_or_none(item.get("next_open")),
                    full=bool(item.get("full", False)),
                    waiting=int(item["waiting"]),
                    wait_minutes=_number_or_none(item.get("wait_minutes")),
                )
                for item in reply["queues"]
            }
        except (KeyError, TypeError, ValueError) as error:
            raise ServerSilent(f"{self.base_url}{API}/queues: expected the queues as JSON, got {short(reply)} ({error})") from error

    def report_offline(self, offline_block: int, instance: str, tickets: list[Ticket], abandoned: list[str]) -> ReportResult:
        body = {
            "kiosk_id": self.kiosk_id,
            "offline_block": offline_block,
            "instance": instance,
            "tickets": [_ticket_body(t) for t in tickets],
            "abandoned": abandoned,
        }
        reply = self._json("POST", "/tickets/offline", body)
        try:
            results = [(str(r["id"]), str(r["status"])) for r in reply["results"]]
            voided = tuple(str(v) for v in reply["voided"])
        except (KeyError, TypeError) as error:
            raise ServerSilent(f"{self.base_url}{API}/tickets/offline: expected results and voided, got {short(reply)}") from error
        stored = tuple(i for i, status in results if status in ("stored", "duplicate"))
        conflicts = tuple(i for i, status in results if status == "conflict")
        return ReportResult(stored, conflicts, voided)

    # ----- transport

    def _json(self, method: str, path: str, body: Any) -> Any:
        import requests

        url = f"{self.base_url}{API}{path}"
        limit = self.timeout
        try:
            response = self.session.request(method, url, json=body, timeout=(limit, limit), verify=self.access.verify)
        except requests.Timeout as error:
            raise ServerSilent(f"{url}: no answer within {limit:g} s") from error
        except requests.RequestException as error:
            raise ServerSilent(f"{url}: cannot reach the server ({type(error).__name__})") from error
        try:
            reply = response.json()
        except ValueError as error:
            raise ServerSilent(f"{url}: expected JSON, got HTTP {response.status_code} {short(response.text)}") from error
        if response.status_code == 409 and isinstance(reply, dict) and reply.get("error") in SERVER_REFUSALS:
            raise TicketRefused(str(reply["error"]), _time_or_none(reply.get("next_open")), str(reply.get("message", "")))
        if response.status_code >= 300:
            message = reply.get("message") if isinstance(reply, dict) else None
            raise ServerSilent(f"{url}: HTTP {response.status_code} {short(message or reply)}")
        return reply


def _ticket(reply: Any, kiosk_id: str) -> Ticket:
    try:
        return Ticket(
            id=str(reply["id"]),
            label=str(reply["label"]),
            prefix=str(reply["prefix"]),
            number=int(reply["number"]),
            day=dt.date.fromisoformat(reply["day"]),
            service_id=str(reply["service_id"]),
            category=str(reply["category"]),
            priority_kind=reply.get("priority_kind"),
            appointment_code=reply.get("appointment_code"),
            issued_at=dt.datetime.fromisoformat(reply["issued_at"]),
            kiosk_id=str(reply.get("kiosk_id") or kiosk_id),
            source=SERVER,
            ahead=None if reply.get("ahead") is None else int(reply["ahead"]),
            wait_minutes=_number_or_none(reply.get("wait_minutes")),
        )
    except (KeyError, TypeError, ValueError) as error:
        raise ServerSilent(f"the server's ticket: expected the ticket as JSON, got {short(reply)} ({error})") from error


def _ticket_body(ticket: Ticket) -> dict[str, Any]:
    return {
        "id": ticket.id,
        "label": ticket.label,
        "prefix": ticket.prefix,
        "number": ticket.number,
        "day": ticket.day.isoformat(),
        "service_id": ticket.service_id,
        "category": ticket.category,
        "priority_kind": ticket.priority_kind,
        "appointment_code": ticket.appointment_code,
        "issued_at": ticket.issued_at.isoformat(),
    }


def _time_or_none(value: Any) -> dt.datetime | None:
    return dt.datetime.fromisoformat(value) if isinstance(value, str) and value else None


def _number_or_none(value: Any) -> float | None:
    return None if value is None else float(value)
