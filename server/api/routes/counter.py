"""Counter routes: the page window staff use, and the window steps it calls."""

from __future__ import annotations

from importlib.resources import files
from typing import Annotated

from fastapi import APIRouter, Path
from fastapi.responses import HTMLResponse, JSONResponse

from server.api.deps import CounterDep
from server.schemas import TransferRequest

router = APIRouter(tags=["counter"])
WindowId = Annotated[str, Path(max_length=16)]


@router.get("/counter", response_class=HTMLResponse)
def counter_page() -> HTMLResponse:
    page = files("server").joinpath("static/counter.html").read_text(encoding="utf-8")
    return HTMLResponse(page, headers={"Cache-Control": "no-cache"})


@router.get("/api/v1/windows")
def windows(counter: CounterDep) -> JSONResponse:
    return JSONResponse(counter.windows())


@router.get("/api/v1/windows/{window_id}")
def window(window_id: WindowId, counter: CounterDep) -> JSONResponse:
    return JSONResponse(counter.window(window_id))


@router.post("/api/v1/windows/{window_id}/call-next")
def call_next(window_id: WindowId, counter: CounterDep) -> JSONResponse:
    return JSONResponse(counter.call_next(window_id))


@router.post("/api/v1/windows/{window_id}/recall")
def recall(window_id: WindowId, counter: CounterDep) -> JSONResponse:
    return JSONResponse(counter.recall(window_id))


@router.post("/api/v1/windows/{window_id}/skip")
def skip(window_id: WindowId, counter: CounterDep) -> JSONResponse:
    return JSONResponse(counter.skip(window_id))


@router.post("/api/v1/windows/{window_id}/done")
def done(window_id: WindowId, counter: CounterDep) -> JSONResponse:
    return JSONResponse(counter.done(window_id))


@router.post("/api/v1/windows/{window_id}/transfer")
def transfer(window_id: WindowId, body: TransferRequest, counter: CounterDep) -> JSONResponse:
    return JSONResponse(counter.transfer(window_id, body.service_id))
