"""Authentication-Results: only our own server's field counts, and a failure blocks the automatic reply."""

from __future__ import annotations

import pytest

from ingest.classify import DEFAULT_RULES, RULES, classify
from ingest.message import parse_message

OURS = "mx.lansstyrelsen.se"


def mail(*results: str, sender: str = "anna.lind@koping.se") -> bytes:
    fields = "".join(f"Authentication-Results: {value}\r\n" for value in results)
    return (f"{fields}From: Anna Lind <{sender}>\r\nTo: vastmanland@lansstyrelsen.se\r\n"
            "Subject: Anslutning till jämställdhetsstrategin\r\nMessage-ID: <a@koping.se>\r\n"
            "Content-Type: text/plain; charset=utf-8\r\nMIME-Version: 1.0\r\n\r\nHej\r\n").encode()


def read(*results: str, ids=(OURS,), sender: str = "anna.lind@koping.se"):
    parsed = parse_message(mail(*results, sender=sender), authserv_ids=ids)
    return parsed.auth, classify(parsed)


def auth_blockers(verdict) -> list[str]:
    return [b for b in verdict.reply_blockers if b.startswith("authentication failed:")]


def test_a_trusted_dmarc_failure_blocks_the_reply():
    auth, verdict = read(f"{OURS}; spf=fail smtp.mailfrom=koping.se; dkim=none; dmarc=fail (p=reject) header.from=koping.se")
    assert auth.as_json() == {"trusted": True, "authserv_id": OURS, "spf": "fail", "dkim": "none", "dmarc": "fail",
                              "dmarc_domain": "koping.se", "from_domain": "koping.se", "ignored": 0}
    assert verdict.kind == "affiliation"  # still registered, for a person
    assert auth_blockers(verdict) == [f"authentication failed: dmarc=fail for koping.se (checked by {OURS})"]


def test_nothing_is_trusted_without_configured_ids():
    auth, verdict = read(f"{OURS}; dmarc=fail header.from=koping.se", ids=())
    assert (auth.trusted, auth.dmarc, auth.spf, auth.dkim, auth.ignored) == (False, "none", "none", "none", 1)
    assert auth_blockers(verdict) == []


def test_a_field_of_another_authserv_id_is_ignored_both_ways():
    auth, verdict = read("mx.forged.example; dmarc=fail header.from=koping.se")
    assert (auth.trusted, auth.dmarc, auth.ignored) == (False, "none", 1)
    assert auth_blockers(verdict) == []
    auth, verdict = read("mx.forged.example; dmarc=pass header.from=koping.se", f"{OURS}; dmarc=fail header.from=koping.se")
    assert (auth.trusted, auth.dmarc, auth.ignored) == (True, "fail", 1)
    assert auth_blockers(verdict)


def test_the_topmost_of_our_fields_counts_a_forged_one_below_does_not():
    forged_pass = f"{OURS}; spf=pass smtp.mailfrom=koping.se; dmarc=pass header.from=koping.se"
    auth, verdict = read(f"{OURS}; dmarc=fail header.from=koping.se", forged_pass)
    assert (auth.dmarc, auth.ignored) == ("fail", 1) and auth_blockers(verdict)
    auth, verdict = read(f"{OURS.upper()}; dmarc=pass header.from=koping.se", f"{OURS}; dmarc=fail header.from=koping.se")
    assert auth.dmarc == "pass" and auth_blockers(verdict) == []


@pytest.mark.parametrize(("result", "blocked"), [
    ("spf=fail smtp.mailfrom=koping.se; dkim=none", True),
    ("spf=fail smtp.mailfrom=koping.se; dkim=pass header.d=koping.se", False),
    ("spf=fail smtp.mailfrom=koping.se; dkim=pass header.i=@mail.koping.se", False),
    ("spf=fail smtp.mailfrom=koping.se; dkim=pass header.d=mailer.example", True),  # a signature of another domain
    ("spf=softfail smtp.mailfrom=koping.se", False),
    ("spf=pass smtp.mailfrom=koping.se; dkim=fail header.d=koping.se", False),
    ("dmarc=pass header.from=evil.example", True),  # DMARC checked for another From than the one we answer
    ("dmarc=temperror header.from=koping.se", False),
    ("spf=pass smtp.mailfrom=koping.se; dmarc=pass action=none header.from=koping.se", False),  # unknown ptype skipped
    ("spf=pass smtp.mailfrom=koping.se; dmarc=pass (unclosed header.from=koping.se", True),  # unreadable: fail closed
])
def test_what_counts_as_an_authentication_failure(result, blocked):
    _, verdict = read(f"{OURS}; {result}")
    assert bool(auth_blockers(verdict)) is blocked


def test_an_address_injected_through_the_display_name_does_not_borrow_a_pass():
    parsed = parse_message(
        b"Authentication-Results: mx.lansstyrelsen.se; dmarc=pass header.from=x.se\r\n"
        b"From: =?utf-8?q?Eva=0D=0ABcc:=20victim@koping.se?= <eva@x.se>\r\nSubject: Anslutning\r\n\r\nHej\r\n",
        authserv_ids=(OURS,))
    assert (parsed.sender, parsed.auth.from_domain, parsed.auth.dmarc, parsed.auth.failure()) == ("eva@x.se", "x.se", "pass", None)


def test_the_rule_is_named_documented_and_on_by_default():
    rule = RULES["authentication_failed"]
    assert "authentication_failed" in DEFAULT_RULES
    assert rule.kind == "blocker" and "dmarc=fail" in rule.description
