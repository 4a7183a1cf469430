"""Kiosk routes: issue a ticket, report offline tickets, read queues and one ticket. Each needs
the kiosk's bearer token (:data:`server.api.deps.KioskDep`)."""

from __future__ import annotations

import asyncio
from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse

from server.api.deps import KioskDep, OfficeDep, get_kiosk, kiosk_body
from server.api.openapi import kiosk_operation
from server.schemas import IssueRequest, OfflineReport
from server.tickets import TicketOffice

router = APIRouter(prefix="/api/v1", tags=["tickets"])


@router.post("/tickets", openapi_extra=kiosk_operation(IssueRequest))
async def issue_ticket(request: Request) -> JSONResponse:
    """The hot path: no dependency solving (the token is checked by calling :func:`get_kiosk`),
    pydantic reads the raw JSON itself, and one writer thread takes the tickets in turn, so no
    threads queue for the database's write lock and the event loop reads the next requests while a
    commit waits for the disk."""
    body = await kiosk_body(request, IssueRequest, await get_kiosk(request))
    office: TicketOffice = request.app.state.office
    issued = await asyncio.get_running_loop().run_in_executor(office.writer, office.issue, body)
    return JSONResponse(issued.ticket, status_code=201 if issued.created else 200)


@router.post("/tickets/offline", openapi_extra=kiosk_operation(OfflineReport))
async def report_offline(request: Request, kiosk_id: KioskDep, office: OfficeDep) -> JSONResponse:
    report = await kiosk_body(request, OfflineReport, kiosk_id)
    return JSONResponse(await run_in_threadpool(office.report_offline, report))


@router.get("/queues", openapi_extra=kiosk_operation())
def queues(_kiosk_id: KioskDep, office: OfficeDep) -> JSONResponse:
    return JSONResponse(office.queues())


@router.get("/tickets/{ticket_id}", openapi_extra=kiosk_operation())
def ticket(ticket_id: Annotated[str, Path(max_length=64)], _kiosk_id: KioskDep, office: OfficeDep) -> JSONResponse:
    return JSONResponse(office.ticket(ticket_id))
