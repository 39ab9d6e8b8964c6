"""`inbox demo` ends by telling how to open the workspace; the `demo` account exists only on the demo database."""

from __future__ import annotations

import re

from sqlalchemy import select

from accounts.users import sign_in
from cli.demo_user import workspace_lines
from inbox.config import Settings
from inbox.context import AppContext
from inbox.db import upgrade
from models import Role, User


def test_the_demo_database_gets_a_demo_admin_once(tmp_path, clock):
    # The embedded default url, sqlite:///var/inbox.db, is relative to the config's folder (base_dir): here tmp_path.
    ctx = AppContext.build(Settings(base_dir=tmp_path), clock=clock)
    try:
        assert ctx.engine.url.database == str(tmp_path / "var" / "inbox.db")
        upgrade(ctx.engine)
        first = workspace_lines(ctx)
        found = re.search(r"sign in as demo \(password (\S+)\)", first[0])
        assert found, first
        assert "web`, open http://127.0.0.1:8080/" in first[0]
        with ctx.sessions() as session:
            assert sign_in(session, "demo", found.group(1), clock()).role is Role.ADMIN
        second = workspace_lines(ctx)
        assert "the password printed when it was made" in second[0] and found.group(1) not in second[0]
    finally:
        ctx.close()


def test_a_configured_database_gets_no_demo_account(make_app):
    ctx = make_app()
    lines = workspace_lines(ctx)
    assert "users add NAME --role admin" in lines[0] and "password" not in lines[0]
    with ctx.sessions() as session:
        assert session.scalars(select(User)).all() == []


def test_the_demo_names_an_organisations_page_that_opens(tmp_path, clock):
    from starlette.testclient import TestClient

    from models import Case, CaseStatus
    from portal import links
    from web.app import create_app

    ctx = AppContext.build(Settings(base_dir=tmp_path), clock=clock)
    try:
        upgrade(ctx.engine)
        assert len(workspace_lines(ctx)) == 1  # no case has a link yet: no line
        with ctx.sessions() as session:
            case = Case(reference="JS-2026-0001", status=CaseStatus.INVITED)
            session.add(case)
            session.flush()
            links.issue_link(ctx, session, case, actor="system")
            session.commit()
        line = workspace_lines(ctx)[1]
        found = re.fullmatch(r"An organisation's own page, as the invitation to JS-2026-0001 links it: http://127.0.0.1:8080(/anslutning/\S+)", line)
        assert found, line
        with TestClient(create_app(ctx), base_url="https://testserver") as client:
            assert client.get(found.group(1)).status_code == 200
    finally:
        ctx.close()
