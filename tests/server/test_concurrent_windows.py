"""Counter staff pressing at the same moment, over real HTTP to a real uvicorn, each press on its own
database connection: two windows calling next never get one ticket, one window pressed twice calls
one ticket, and nobody ever sees a 500. On PostgreSQL the presses really run at once (on SQLite
the server's write lock takes them in turn)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator

import pytest
import requests

from server.main import create_app
from server.settings import Settings
from tests.server.center import Clock, auth, center_rules, register_test_kiosks, ticket_request
from tests.server.serving import uvicorn_thread

TICKETS = 24
JOIN_TIMEOUT_S = 60


@pytest.fixture
def base_url(db_url: str, clock: Clock) -> Iterator[str]:
    app = create_app(Settings(db_url=db_url), center_rules(always_open=True), clock)
    register_test_kiosks(app.state.database)
    with uvicorn_thread(app) as url:
        for _ in range(TICKETS):
            clock.advance(minutes=1)
            response = requests.post(f"{url}/api/v1/tickets", json=ticket_request("legal_aid"), headers=auth(), timeout=10)
            assert response.status_code == 201, response.text
        yield url


def at_once(presses: list[Callable[[], requests.Response]]) -> list[requests.Response]:
    """Each press in its own thread, all let go together; their answers in the order given."""
    start = threading.Barrier(len(presses))
    answers: list[requests.Response | None] = [None] * len(presses)

    def press(index: int) -> None:
        start.wait(timeout=JOIN_TIMEOUT_S)
        answers[index] = presses[index]()

    threads = [threading.Thread(target=press, args=(index,)) for index in range(len(presses))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=JOIN_TIMEOUT_S)
    assert all(answer is not None for answer in answers), "a press got no answer"
    return [answer for answer in answers if answer is not None]


def press(base_url: str, window: str, action: str) -> Callable[[], requests.Response]:
    return lambda: requests.post(f"{base_url}/api/v1/windows/{window}/{action}", timeout=30)


def test_two_windows_calling_at_once_never_get_one_ticket(base_url: str) -> None:
    called: list[str] = []
    for _ in range(TICKETS):  # windows 1 and 2 both serve legal aid
        answers = at_once([press(base_url, "1", "call-next"), press(base_url, "2", "call-next")])
        assert all(answer.status_code == 200 or answer.json()["error"] == "nobody_waiting" for answer in answers), [a.text for a in answers]
        labels = [answer.json()["ticket"]["label"] for answer in answers if answer.status_code == 200]
        if not labels:
            break
        called += labels
        at_once([press(base_url, "1", "done"), press(base_url, "2", "done")])
    assert sorted(called) == [f"A{n:03d}" for n in range(1, TICKETS + 1)], "each ticket called exactly once"


def test_one_window_pressed_twice_at_once_calls_one_ticket(base_url: str) -> None:
    for turn in range(4):
        answers = at_once([press(base_url, "2", "call-next"), press(base_url, "2", "call-next")])
        codes = sorted(answer.status_code for answer in answers)
        assert codes == [200, 409], [answer.text for answer in answers]
        busy = next(answer for answer in answers if answer.status_code == 409)
        assert busy.json()["error"] == "finish_current" and f"A{turn + 1:03d}" in busy.json()["message"]
        finished = at_once([press(base_url, "2", "done"), press(base_url, "2", "done")])
        assert sorted(answer.status_code for answer in finished) == [200, 409], [answer.text for answer in finished]
        assert next(answer for answer in finished if answer.status_code == 409).json()["error"] == "no_current"
