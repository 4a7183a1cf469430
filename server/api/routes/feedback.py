"""Kiosk routes of ratings and complaints: batches of 1 to 500 records, stored exactly once."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse

from server.api.deps import FeedbackDep, KioskDep, kiosk_body
from server.api.openapi import kiosk_operation
from server.schemas import ComplaintBatch, RatingBatch

router = APIRouter(prefix="/api/v1", tags=["feedback"])


@router.post("/ratings", openapi_extra=kiosk_operation(RatingBatch))
async def post_ratings(request: Request, kiosk_id: KioskDep, feedback: FeedbackDep) -> JSONResponse:
    batch = await kiosk_body(request, RatingBatch, kiosk_id)
    return JSONResponse({"results": await run_in_threadpool(feedback.store_ratings, batch)})


@router.post("/complaints", openapi_extra=kiosk_operation(ComplaintBatch))
async def post_complaints(request: Request, kiosk_id: KioskDep, feedback: FeedbackDep) -> JSONResponse:
    batch = await kiosk_body(request, ComplaintBatch, kiosk_id)
    return JSONResponse({"results": await run_in_threadpool(feedback.store_complaints, batch)})
