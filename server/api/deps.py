"""What route functions are given: the center's ticket office and counter, made once by
:func:`server.main.create_app` and kept on the application's state. They are ``async`` so that
FastAPI does not hand them to a worker thread on every request."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from server.calling import Counter
from server.tickets import TicketOffice


async def get_office(request: Request) -> TicketOffice:
    office: TicketOffice = request.app.state.office
    return office


async def get_counter(request: Request) -> Counter:
    counter: Counter = request.app.state.counter
    return counter


OfficeDep = Annotated[TicketOffice, Depends(get_office)]
CounterDep = Annotated[Counter, Depends(get_counter)]
