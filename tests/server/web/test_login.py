"""The dashboard's door: redirects without a session, the login form, its calm refusal and
slowdown, the cookie's attributes, expiry and logout, and forms refused when they did not come
from the dashboard's own pages (CSRF)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from server.models import sessions
from tests.server.center import Clock
from tests.server.web.conftest import MANAGER, PASSWORD, SAME_SITE, Web, form_token, log_in, make_app

PAGES = [
    "/dashboard",
    "/dashboard/ratings",
    "/dashboard/complaints",
    "/dashboard/fleet",
    "/dashboard/export/ratings.csv",
    "/dashboard/no-such",
]


# No session, or one that no database holds: the same lookup as every logged-in PostgreSQL test
# makes, finding nothing. SQLite alone proves it.
@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
@pytest.mark.parametrize("path", PAGES)
def test_every_dashboard_page_sends_a_stranger_to_the_login(web: Web, path: str) -> None:
    response = web.client.get(path)
    assert response.status_code == 303
    assert response.headers["location"] == f"/login?next={path}"
    forged = web.client.get(path, cookies={"kiosk_session": "made-up"})
    assert forged.status_code == 303


def test_a_manager_logs_in_and_comes_back_where_they_wanted(web: Web) -> None:
    page = web.client.get("/login?next=/dashboard/fleet")
    assert page.status_code == 200
    assert 'name="next" value="/dashboard/fleet"' in page.text
    response = web.client.post("/login", data={"name": MANAGER, "password": PASSWORD, "next": "/dashboard/fleet"}, headers=SAME_SITE)
    assert response.status_code == 303
    assert response.headers["location"] == "/dashboard/fleet"
    cookie = response.headers["set-cookie"]
    assert cookie.startswith("kiosk_session=")
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Max-Age=43200" in cookie
    assert "Secure" not in cookie  # plain http here; https adds it
    dashboard = web.client.get("/dashboard")
    assert dashboard.status_code == 200
    assert f"当前用户：{MANAGER}" in dashboard.text
    assert web.client.get("/login").headers["location"] == "/dashboard"  # already logged in


def test_the_login_goes_nowhere_but_the_dashboard(web: Web) -> None:
    for elsewhere in ("https://evil.example/", "//evil.example/dashboard", "/counter", "/dashboard//evil"):
        response = web.client.post("/login", data={"name": MANAGER, "password": PASSWORD, "next": elsewhere}, headers=SAME_SITE)
        assert response.headers["location"] == "/dashboard", elsewhere


def test_a_wrong_name_or_password_gets_one_calm_line_that_does_not_say_which(web: Web) -> None:
    wrong_password = log_in(web.client, MANAGER, "not the password")
    unknown_name = log_in(web.client, "nobody", PASSWORD)
    for response in (wrong_password, unknown_name):
        assert response.status_code == 401
        assert "用户名或密码不正确。" in response.text
        assert "kiosk_session" not in response.headers.get("set-cookie", "")
    assert wrong_password.text.replace(MANAGER, "NAME") == unknown_name.text.replace("nobody", "NAME")
    english = web.client.post("/login?lang=en", data={"name": MANAGER, "password": "x"}, headers=SAME_SITE)
    assert "The name or password is not right." in english.text
    with web.database.read() as connection:
        assert connection.execute(select(sessions)).first() is None


def test_failed_logins_of_a_name_slow_its_next_attempts(web: Web) -> None:
    for _ in range(3):
        assert log_in(web.client, MANAGER, "guess").status_code == 401
    waiting = log_in(web.client)  # the right password, but too soon
    assert waiting.status_code == 429
    assert "尝试次数过多，请 1 秒后再试。" in waiting.text
    assert log_in(web.client, "someone.else", "guess").status_code == 401  # other names are not slowed
    web.clock.advance(minutes=1 / 60)
    assert log_in(web.client, MANAGER, "guess").status_code == 401  # the 4th failure: 2 s now
    assert "2 秒" in log_in(web.client).text
    web.clock.advance(minutes=2 / 60)
    assert log_in(web.client).status_code == 303
    assert log_in(web.client, MANAGER, "guess").status_code == 401  # a success forgot the failures
    assert log_in(web.client).status_code == 303


def test_a_session_expires_after_its_hours(manager: Web) -> None:
    manager.clock.advance(minutes=12 * 60 - 1)
    assert manager.client.get("/dashboard").status_code == 200
    manager.clock.advance(minutes=1)
    assert manager.client.get("/dashboard").status_code == 303


def test_logout_ends_the_session(manager: Web) -> None:
    token = form_token(manager.client)
    cookie = manager.client.cookies["kiosk_session"]
    response = manager.client.post("/logout", data={"form_token": token}, headers=SAME_SITE)
    assert response.status_code == 303
    assert response.headers["location"] == "/login"
    assert manager.client.get("/dashboard").status_code == 303
    assert manager.client.get("/dashboard", cookies={"kiosk_session": cookie}).status_code == 303  # ended on the server, not just forgotten
    with manager.database.read() as connection:
        assert connection.execute(select(sessions)).first() is None


def test_forms_from_elsewhere_are_refused(manager: Web) -> None:
    token = form_token(manager.client)
    other_site = {"Origin": "https://evil.example"}
    for headers, data in (
        ({}, {"form_token": token}),  # neither Origin nor Referer
        (other_site, {"form_token": token}),
        ({"Referer": "https://evil.example/page"}, {"form_token": token}),
        (SAME_SITE, {}),  # no form token
        (SAME_SITE, {"form_token": "0" * 64}),
    ):
        response = manager.client.post("/logout", data=data, headers=headers)
        assert response.status_code == 403, (headers, data)
        assert "这个表单不是从本站提交的" in response.text
    assert manager.client.get("/dashboard").status_code == 200  # still logged in
    referer = manager.client.post("/logout", data={"form_token": token}, headers={"Referer": "http://testserver/dashboard"})
    assert referer.status_code == 303


def test_a_login_from_another_site_is_refused(web: Web) -> None:
    response = web.client.post("/login", data={"name": MANAGER, "password": PASSWORD}, headers={"Origin": "https://evil.example"})
    assert response.status_code == 403
    assert "kiosk_session" not in response.headers.get("set-cookie", "")


def test_the_cookie_is_secure_over_https(db_url: str) -> None:
    with TestClient(make_app(db_url, Clock()), base_url="https://testserver", follow_redirects=False) as client:
        response = client.post("/login", data={"name": MANAGER, "password": PASSWORD}, headers={"Origin": "https://testserver"})
        assert response.status_code == 303
        assert "Secure" in response.headers["set-cookie"]
