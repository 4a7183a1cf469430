"""The kiosk's heartbeat: its version, printer, outbox and last sync, every sync cycle."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse

from server.api.deps import FleetDep, KioskDep, kiosk_body
from server.api.openapi import kiosk_operation
from server.schemas import Heartbeat

router = APIRouter(prefix="/api/v1", tags=["fleet"])


@router.post("/heartbeat", openapi_extra=kiosk_operation(Heartbeat))
async def heartbeat(request: Request, kiosk_id: KioskDep, fleet: FleetDep) -> JSONResponse:
    beat = await kiosk_body(request, Heartbeat, kiosk_id)
    return JSONResponse(await run_in_threadpool(fleet.heartbeat, beat))
