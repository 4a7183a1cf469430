"""The server's HTML pages: the citizen's phone pages and the managers' dashboard."""

from __future__ import annotations

from fastapi import FastAPI


def include_web(app: FastAPI) -> None:
    """Add the pages' routes to ``app`` (filled in by the dashboard and phone-page work)."""
