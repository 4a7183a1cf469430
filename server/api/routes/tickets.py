"""Kiosk routes: issue a ticket, report offline tickets, read queues and one ticket."""

from __future__ import annotations

import asyncio
from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import ValidationError

from server.api.deps import OfficeDep
from server.schemas import IssueRequest, OfflineReport
from server.tickets import TicketOffice

router = APIRouter(prefix="/api/v1", tags=["tickets"])


@router.post("/tickets")
async def issue_ticket(request: Request) -> JSONResponse:
    """The hot path: pydantic reads the raw JSON itself (no dependency solving), and one writer
    thread takes the tickets in turn, so no threads queue for the database's write lock and the
    event loop reads the next requests while a commit waits for the disk."""
    raw = await request.body()
    if not raw.strip():
        raise RequestValidationError([{"type": "missing", "loc": ("body",), "msg": "Field required", "input": None}])
    try:
        body = IssueRequest.model_validate_json(raw)
    except ValidationError as error:
        raise RequestValidationError(error.errors()) from None
    office: TicketOffice = request.app.state.office
    issued = await asyncio.get_running_loop().run_in_executor(office.writer, office.issue, body)
    return JSONResponse(issued.ticket, status_code=201 if issued.created else 200)


@router.post("/tickets/offline")
def report_offline(body: OfflineReport, office: OfficeDep) -> JSONResponse:
    return JSONResponse(office.report_offline(body))


@router.get("/queues")
def queues(office: OfficeDep) -> JSONResponse:
    return JSONResponse(office.queues())


@router.get("/tickets/{ticket_id}")
def ticket(ticket_id: Annotated[str, Path(max_length=64)], office: OfficeDep) -> JSONResponse:
    return JSONResponse(office.ticket(ticket_id))
