"""Personal links: genuine ones open their own case only, and every way a link stops working (both databases)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from cases.reference import case_token, token_key
from models import Case, CaseStatus, Meeting
from portal import links
from portal.links import LinkRefused


@pytest.fixture
def app(make_app):
    return make_app(portal={"link_days": 30, "requests_per_window": 5, "window_minutes": 10})


def new_case(session, reference: str, status: CaseStatus = CaseStatus.INVITED) -> Case:
    case = Case(reference=reference, status=status)
    session.add(case)
    session.flush()
    return case


def refused(ctx, session, text: str) -> str:
    with pytest.raises(LinkRefused) as raised:
        links.open_link(ctx, session, text)
    return raised.value.code


def test_a_link_opens_its_own_case_and_is_reused_until_it_stops_working(app, clock):
    with app.sessions() as session:
        first, second = new_case(session, "JS-2026-0001"), new_case(session, "JS-2026-0002")
        link = links.issue_link(app, session, first, actor="system")
        other = links.issue_link(app, session, second, actor="system")
        session.commit()
        assert links.issue_link(app, session, first, actor="system").id == link.id
        access = links.open_link(app, session, links.token(app, link))
        assert access.case.id == first.id and access.actor == f"portal:{link.id}"
        assert links.open_link(app, session, links.token(app, other)).case.id == second.id
        assert links.url(app, link) == f"http://127.0.0.1:8080/anslutning/{links.token(app, link)}"


@pytest.mark.parametrize("mangle", [
    lambda t: t[:-1] + ("0" if t[-1] != "0" else "1"),  # one digit of the check changed
    lambda t: "2" + t[t.index("-"):],  # another link's id with this link's check
    lambda t: t.upper(), lambda t: t + "0", lambda t: "", lambda t: "0-" + "0" * 32, lambda t: "1-" + "\x00" * 32,
    lambda t: "9" * 40 + t[t.index("-"):],
])
def test_a_tampered_or_made_up_token_is_unknown(app, mangle):
    with app.sessions() as session:
        case = new_case(session, "JS-2026-0001")
        new_case(session, "JS-2026-0002")
        link = links.issue_link(app, session, case, actor="system")
        links.issue_link(app, session, session.get_one(Case, case.id + 1), actor="system")
        session.commit()
        assert refused(app, session, mangle(links.token(app, link))) == links.UNKNOWN


def test_the_reply_token_key_cannot_forge_a_link(app):
    """The hidden reply token and the link share a key but not a message: one never verifies as the other."""
    with app.sessions() as session:
        case = new_case(session, "JS-2026-0001")
        link = links.issue_link(app, session, case, actor="system")
        session.commit()
        reply_check = case_token(case.reference, token_key(app.data_dir)).rsplit(".", 1)[1]
        assert refused(app, session, f"{link.id}-{reply_check}{reply_check}") == links.UNKNOWN


def test_expiry_revocation_closing_and_the_meeting_end_each_stop_a_link(app, clock):
    with app.sessions() as session:
        case = new_case(session, "JS-2026-0001")
        link = links.issue_link(app, session, case, actor="system")
        token = links.token(app, link)
        session.commit()
        clock.advance(days=30)
        assert refused(app, session, token) == links.EXPIRED
        fresh = links.issue_link(app, session, case, actor="system")  # an expired link is replaced, not revived
        assert fresh.id != link.id
        token = links.token(app, fresh)
        assert links.revoke_links(app, session, case, actor="stina") == 2
        assert refused(app, session, token) == links.REVOKED
        reissued = links.issue_link(app, session, case, actor="stina")
        token = links.token(app, reissued)
        case.status = CaseStatus.WITHDRAWN
        assert refused(app, session, token) == links.CLOSED
        case.status = CaseStatus.BOOKED
        session.add(Meeting(case_id=case.id, uid="m@x", starts_at=clock() + timedelta(hours=1), duration_minutes=60,
                            sequence=0, cancelled=False, created_at=clock(), updated_at=clock()))
        session.flush()
        assert links.open_link(app, session, token).case.id == case.id  # before and during the meeting
        clock.advance(hours=2)
        assert refused(app, session, token) == links.MEETING_PASSED


def test_the_rate_limit_counts_per_link_and_window(app, clock):
    with app.sessions() as session:
        first, second = new_case(session, "JS-2026-0001"), new_case(session, "JS-2026-0002")
        token, other = (links.token(app, links.issue_link(app, session, c, actor="system")) for c in (first, second))
        for _ in range(5):
            links.open_link(app, session, token)
        assert refused(app, session, token) == links.RATE_LIMITED
        links.open_link(app, session, other)  # another organisation is not slowed by it
        links.open_link(app, session, token, count=False)  # a look-up that is not a request is free
        clock.advance(minutes=10)
        links.open_link(app, session, token)


def test_a_link_is_bound_to_the_address_it_was_mailed_to(app):
    from models import Contact

    with app.sessions() as session:
        case = new_case(session, "JS-2026-0001")
        case.sender = "wrong@example.se"
        old = links.issue_link(app, session, case, actor="system")
        assert old.recipient == "wrong@example.se"
        session.add(Contact(case_id=case.id, email="anna@sala.se", status="active", source="staff"))
        session.flush()
        session.refresh(case)
        assert refused(app, session, links.token(app, old)) == links.READDRESSED
        new = links.issue_link(app, session, case, actor="stina")  # the next mail, to the corrected address
        assert new.id != old.id and new.recipient == "anna@sala.se"
        assert links.open_link(app, session, links.token(app, new)).case.id == case.id


def test_only_the_first_request_over_the_limit_is_to_be_audited(app):
    with app.sessions() as session:
        token = links.token(app, links.issue_link(app, session, new_case(session, "JS-2026-0001"), actor="system"))
        for _ in range(5):
            links.open_link(app, session, token)
        audits = []
        for _ in range(3):
            with pytest.raises(LinkRefused) as raised:
                links.open_link(app, session, token)
            audits.append(raised.value.audit)
        assert audits == [True, False, False]
