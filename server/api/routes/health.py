"""``GET /api/v1/health``, for monitoring and load balancers: no token, 503 when the database does
not answer."""

from __future__ import annotations

import logging

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from server.db import Database
from server.models import kiosks

router = APIRouter(prefix="/api/v1", tags=["health"])
log = logging.getLogger("kiosk-server")


@router.get("/health")
def health(request: Request) -> JSONResponse:
    database: Database = request.app.state.database
    try:
        with database.read() as connection:
            connection.execute(select(kiosks.c.id).limit(1)).all()
    except SQLAlchemyError as error:
        log.warning("health: the database does not answer: %s", " ".join(str(error).split())[:300])
        return JSONResponse({"status": "unavailable", "database": "unreachable"}, status_code=503)
    return JSONResponse({"status": "ok", "database": "ok"})
