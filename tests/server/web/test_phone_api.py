"""The citizen's phone pages and their JSON: a ticket's state as it moves through the queue, one
rating per served ticket whichever device rates first, strict checks, complaint details that may
come before the kiosk's record, the per-address limit, and calm pages for unknown ids."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest
from sqlalchemy import delete, select, text

from server.models import complaint_details, follow_ups, ratings
from server.ratelimit import RateLimiter
from server.web.phone import PUBLIC_BURST, PUBLIC_RATE
from tests.server.web.conftest import Web
from tests.server.web.seed import call_next, finish, kiosk_rating, send_complaint, send_ratings, serve, take_ticket


def public(web: Web, ticket_id: str) -> dict[str, Any]:
    response = web.client.get(f"/api/v1/public/tickets/{ticket_id}")
    assert response.status_code == 200, response.text
    found: dict[str, Any] = response.json()
    return found


def rate(web: Web, ticket_id: str, level: str = "satisfied", **fields: object) -> httpx.Response:
    return web.client.post(f"/api/v1/public/tickets/{ticket_id}/rating", json={"level": level, **fields})


def test_a_ticket_reads_waiting_then_called_then_served(web: Web) -> None:
    first = take_ticket(web.client, web.clock)
    second = take_ticket(web.client, web.clock)
    third = take_ticket(web.client, web.clock)
    waiting = public(web, third["id"])
    assert waiting["label"] == "A003"
    assert waiting["service"] == {"service_id": "legal_aid", "name_zh": "法律援助申请", "name_en": "Legal aid application"}
    assert waiting["state"] == "waiting" and waiting["ahead"] == 2 and waiting["window"] is None
    assert waiting["wait_minutes"] is not None and waiting["wait_minutes"] > 0
    assert waiting["can_rate"] is False
    page = web.client.get(f"/t/{third['id']}")
    assert page.status_code == 200
    assert "A003" in page.text and "前面还有 2 人" in page.text and "法律援助申请" in page.text
    assert '<meta http-equiv="refresh" content="15">' in page.text
    english = web.client.get(f"/t/{third['id']}?lang=en").text
    assert "2 ahead of you" in english and "Legal aid application" in english and 'href="/t/' + third["id"] + '?lang=zh"' in english
    assert "2 ahead of you" in web.client.get(f"/t/{third['id']}").text  # the choice is remembered
    assert "前面还有 2 人" in web.client.get(f"/t/{third['id']}?lang=zh").text

    call_next(web.client, "2")  # A001 at window 2
    assert public(web, first["id"])["window"] == {"id": "2", "name_zh": "2号窗口", "name_en": "Window 2"}
    assert public(web, first["id"])["state"] == "called"
    assert "请到 2号窗口 办理" in web.client.get(f"/t/{first['id']}").text
    assert public(web, third["id"])["ahead"] == 1
    finish(web.client, "2")
    done = public(web, first["id"])
    assert done["state"] == "done" and done["can_rate"] is True and done["rated"] is False
    page = web.client.get(f"/t/{first['id']}").text
    assert "请为本次服务评价" in page and "非常不满意" in page
    assert 'http-equiv="refresh"' not in page  # nothing more to wait for

    call_next(web.client, "1")  # A002
    web.client.post("/api/v1/windows/1/skip")
    assert public(web, second["id"])["state"] == "skipped"
    assert "已过号" in web.client.get(f"/t/{second['id']}").text
    assert "请为本次服务评价" not in web.client.get(f"/t/{second['id']}").text


def test_unknown_tickets_get_a_calm_not_found(web: Web) -> None:
    for ticket_id in (str(uuid.uuid4()), "not-a-uuid", "A001"):
        response = web.client.get(f"/api/v1/public/tickets/{ticket_id}")
        assert response.status_code == 404
        assert response.json()["error"] == "not_found"
        page = web.client.get(f"/t/{ticket_id}")
        assert page.status_code == 404
        assert "没有找到这张号票" in page.text and "Traceback" not in page.text
        assert rate(web, ticket_id).status_code == 404
    assert "This ticket was not found" in web.client.get(f"/t/{uuid.uuid4()}?lang=en").text


def test_a_served_ticket_is_rated_once_from_the_phone(web: Web) -> None:
    ticket = take_ticket(web.client, web.clock)
    early = rate(web, ticket["id"])
    assert early.status_code == 409 and early.json()["error"] == "not_served"
    served = serve(web.client, web.clock, "2")
    assert served["id"] == ticket["id"]
    first = rate(web, ticket["id"], "very_satisfied")
    assert first.status_code == 201, first.text
    again = rate(web, ticket["id"], "dissatisfied")
    assert again.status_code == 409 and again.json()["error"] == "already_rated"
    with web.database.read() as connection:
        stored = connection.execute(select(ratings)).one()
        assert connection.execute(select(follow_ups)).first() is None  # a good rating needs no follow-up
    assert stored.source == "phone" and stored.kiosk_id is None and stored.repeat == 0
    assert (stored.level, stored.score, stored.reasons, stored.phone) == ("very_satisfied", 5, "", None)
    assert (stored.ticket_id, stored.ticket_label, stored.service_id, stored.window_id) == (ticket["id"], "A001", "legal_aid", "2")
    assert stored.month == "2026-11"
    assert str(uuid.UUID(stored.id)) == stored.id == first.json()["id"]
    now = public(web, ticket["id"])
    assert now["rated"] is True and now["can_rate"] is False
    page = web.client.get(f"/t/{ticket['id']}").text
    assert "此号已经评价过了" in page and "请为本次服务评价" not in page


def test_a_bad_phone_rating_gets_a_follow_up_due_in_working_days(web: Web) -> None:
    ticket = take_ticket(web.client, web.clock)  # Monday 2026-11-23
    serve(web.client, web.clock)
    response = rate(web, ticket["id"], "very_dissatisfied", reasons=["efficiency", "attitude"], phone="13812345678")
    assert response.status_code == 201, response.text
    with web.database.read() as connection:
        stored = connection.execute(select(ratings)).one()
        follow = connection.execute(select(follow_ups)).one()
    assert (stored.reasons, stored.phone, stored.score) == ("efficiency,attitude", "13812345678", 1)
    assert (follow.record_kind, follow.record_id, follow.state) == ("rating", stored.id, "pending")
    assert follow.due_day == "2026-11-30"  # five working days: Tuesday to Friday, then Monday


def test_a_ticket_the_kiosk_rated_cannot_be_rated_again_on_the_phone(web: Web) -> None:
    ticket = take_ticket(web.client, web.clock)
    serve(web.client, web.clock)
    results = send_ratings(web.client, kiosk_rating("satisfied", web.clock.now, ticket_id=ticket["id"]))
    assert results[0]["linked"] is True
    assert public(web, ticket["id"])["can_rate"] is False
    refused = rate(web, ticket["id"], "satisfied")
    assert refused.status_code == 409 and refused.json()["error"] == "already_rated"
    assert "此号已经评价过了" in web.client.get(f"/t/{ticket['id']}").text
    later = send_ratings(web.client, kiosk_rating("dissatisfied", web.clock.now, ticket_id=ticket["id"]))
    assert later[0]["repeat"] is True  # the phone's refusal did not free the ticket


def test_a_phone_rating_makes_a_later_kiosk_rating_a_repeat(web: Web) -> None:
    ticket = take_ticket(web.client, web.clock)
    serve(web.client, web.clock)
    assert rate(web, ticket["id"], "basically_satisfied").status_code == 201
    results = send_ratings(web.client, kiosk_rating("satisfied", web.clock.now, ticket_label="A001", ticket_day="2026-11-23"))
    assert results[0]["repeat"] is True


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"level": "great"}, "level: expected one of very_satisfied, satisfied"),
        ({"level": "satisfied", "reasons": ["attitude"]}, "reasons: expected none for satisfied, got 1"),
        ({"level": "satisfied", "phone": "13812345678"}, "phone: expected null for satisfied, got a number"),
        ({"level": "dissatisfied", "reasons": ["rude"]}, "reasons: expected codes of attitude"),
        ({"level": "dissatisfied", "reasons": ["other", "other"]}, "reasons: expected each reason once, got one twice"),
        ({"level": "dissatisfied", "phone": "12345"}, "phone: expected 11 digits for a mobile number, got 5 digits"),
        ({"level": "dissatisfied", "phone": "1381234567x"}, "phone: expected digits only, got 'x'"),
        ({"level": "dissatisfied", "phone": 13812345678}, "phone: expected a valid string"),
        ({"level": "satisfied", "comment": "hi"}, "comment: expected no such key, got one"),
        ({}, "level: expected a value, got nothing"),
    ],
)
# Refused by the body's schema before the database is touched: SQLite alone proves it (a rating
# stored from a phone on PostgreSQL is proved by the other tests here).
@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_a_malformed_rating_is_refused_in_one_line_and_nothing_is_stored(web: Web, body: dict[str, object], message: str) -> None:
    ticket = take_ticket(web.client, web.clock)
    serve(web.client, web.clock)
    response = web.client.post(f"/api/v1/public/tickets/{ticket['id']}/rating", json=body)
    assert response.status_code == 422
    assert response.json()["error"] == "invalid"
    assert response.json()["message"].startswith(message), response.json()["message"]
    with web.database.read() as connection:
        assert connection.execute(select(ratings)).first() is None


def test_complaint_details_wait_for_the_kiosks_record(web: Web) -> None:
    complaint_id = str(uuid.uuid4())
    page = web.client.get(f"/c/{complaint_id}")
    assert page.status_code == 200
    assert "自助机上的记录正在传送中" in page.text and 'id="details-form"' in page.text
    words = "窗口工作人员让我回去补材料，\n但材料清单上没有写。"
    added = web.client.post(f"/api/v1/public/complaints/{complaint_id}/details", json={"text": f"  {words}  "})
    assert added.status_code == 201, added.text
    again = web.client.post(f"/api/v1/public/complaints/{complaint_id}/details", json={"text": "再补充一句"})
    assert again.status_code == 409 and again.json()["error"] == "already_added"
    with web.database.read() as connection:
        assert connection.execute(select(complaint_details.c.text)).scalar_one() == words
    waiting = web.client.get(f"/c/{complaint_id}").text
    assert "此记录已经补充过内容" in waiting and "但材料清单上没有写。" in waiting and 'id="details-form"' not in waiting

    send_complaint(web.client, web.clock.now, complaint_id, count=7)
    arrived = web.client.get(f"/c/{complaint_id}").text
    assert "20261123-kiosk-01-007" in arrived and "办事效率" in arrived and "排队等候时间过长" in arrived
    assert "正在传送中" not in arrived
    english = web.client.get(f"/c/{complaint_id}?lang=en").text
    assert "Speed of service" in english and "The wait was too long" in english


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"text": "   \n "}, "text: expected 1 to 500 characters, got only spaces"),
        ({"text": "字" * 501}, "text: expected at most 500 characters, got 501"),
        ({"text": "bell\x07"}, "text: expected plain text, got a control character"),
        ({"text": 5}, "text: expected a valid string"),
        ({"words": "hi"}, "text: expected a value"),
    ],
)
def test_malformed_details_are_refused(web: Web, body: dict[str, object], message: str) -> None:
    response = web.client.post(f"/api/v1/public/complaints/{uuid.uuid4()}/details", json=body)
    assert response.status_code == 422
    assert response.json()["message"].startswith(message), response.json()["message"]
    assert web.client.post(f"/api/v1/public/complaints/{uuid.uuid4()}/details", json={"text": "字" * 500}).status_code == 201


def test_unknown_complaint_addresses_get_a_calm_not_found(web: Web) -> None:
    page = web.client.get("/c/not-a-uuid")
    assert page.status_code == 404 and "没有找到这条记录" in page.text
    assert web.client.post("/api/v1/public/complaints/not-a-uuid/details", json={"text": "hi"}).status_code == 404


def test_public_posts_are_limited_per_address(web: Web) -> None:
    web.app.state.public_limiter = RateLimiter(PUBLIC_RATE, PUBLIC_BURST, clock=lambda: 0.0)  # time stands still
    statuses = [web.client.post(f"/api/v1/public/complaints/{uuid.uuid4()}/details", json={"text": "hi"}).status_code for _ in range(21)]
    assert statuses == [201] * 20 + [429]
    limited = web.client.post(f"/api/v1/public/tickets/{uuid.uuid4()}/rating", json={"level": "satisfied"})
    assert limited.status_code == 429 and limited.json()["error"] == "rate_limited"
    assert limited.headers["retry-after"] == "1"
    with web.database.read() as connection:
        assert len(connection.execute(select(complaint_details)).all()) == 20


def test_a_failing_database_shows_a_calm_page_not_a_traceback(web: Web) -> None:
    ticket = take_ticket(web.client, web.clock)
    with web.database.write() as connection:
        connection.execute(delete(ratings))
        connection.execute(text("DROP TABLE ratings"))
    page = web.client.get(f"/t/{ticket['id']}")
    assert page.status_code == 500
    assert "服务器暂时无法完成请求" in page.text
    assert "Traceback" not in page.text and "ratings" not in page.text
