"""The OpenAPI document at ``/openapi.json``: FastAPI's own, plus what it cannot see by itself.

Kiosk routes read their JSON bodies themselves (see :func:`server.api.deps.kiosk_body`), so each
declares its body and the bearer token with :func:`kiosk_operation`, and :func:`openapi_document`
adds the schemas of :data:`RAW_BODIES` and the token's security scheme to the components.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from server.schemas import ComplaintBatch, Heartbeat, IssueRequest, OfflineReport, RatingBatch

KIOSK_TOKEN = "kioskToken"
RAW_BODIES: tuple[type[BaseModel], ...] = (IssueRequest, OfflineReport, RatingBatch, ComplaintBatch, Heartbeat)
COMPONENT = "#/components/schemas/{model}"


def kiosk_operation(body: type[BaseModel] | None = None) -> dict[str, Any]:
    """A kiosk route's ``openapi_extra``: the bearer token, and the JSON body it reads itself."""
    extra: dict[str, Any] = {"security": [{KIOSK_TOKEN: []}]}
    if body is not None:
        if body not in RAW_BODIES:
            raise ValueError(f"{body.__name__}: expected one of server.api.openapi.RAW_BODIES, got another model")
        schema = {"$ref": COMPONENT.format(model=body.__name__)}
        extra["requestBody"] = {"required": True, "content": {"application/json": {"schema": schema}}}
    return extra


def openapi_document(app: FastAPI) -> dict[str, Any]:
    if app.openapi_schema:
        return app.openapi_schema
    document = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
    _, definitions = models_json_schema([(model, "validation") for model in RAW_BODIES], ref_template=COMPONENT)
    components = document.setdefault("components", {})
    components.setdefault("schemas", {}).update(definitions.get("$defs", {}))
    components.setdefault("securitySchemes", {})[KIOSK_TOKEN] = {
        "type": "http",
        "scheme": "bearer",
        "description": "the kiosk's token from kiosk-server add-kiosk",
    }
    app.openapi_schema = document
    return document
