"""Authentication-Results (RFC 8601) written by the board's own mail servers, and only those.

Anyone can put an Authentication-Results field in a message. Only a field whose
authserv-id is listed in `[service] authserv_ids` says anything, and of those only the
topmost: a server adds its field on top of the header block, so the topmost listed one
is the last word of our own server, and a field with our id further down was written
before our server saw the mail (by the sender, to forge a pass). With no listed id,
nothing is trusted and every result is "none".

The results are read for the sender's domain (the From domain): DKIM counts only for a
signature of that domain or a parent or child of it (relaxed alignment, without the
public suffix list), and a DMARC result is compared with the domain it was checked for.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import asdict, dataclass

import authres

NONE = "none"
UNREADABLE = "unreadable"
_AUTHSERV_ID = re.compile(r"\s*(?:\([^()]*\)\s*)*([^\s;()]+)")


@dataclass(frozen=True)
class AuthResult:
    trusted: bool = False
    authserv_id: str | None = None
    spf: str = NONE
    dkim: str = NONE  # the best result of a signature aligned with from_domain
    dmarc: str = NONE
    dmarc_domain: str | None = None  # the header.from the DMARC result was checked for
    from_domain: str | None = None
    ignored: int = 0  # Authentication-Results fields not trusted

    def as_json(self) -> dict:
        return asdict(self)

    def failure(self) -> str | None:
        """Why the sender's domain failed authentication at our server, or None."""
        if not self.trusted:
            return None
        if self.dmarc == UNREADABLE:
            return f"the Authentication-Results of {self.authserv_id} could not be read"
        if self.dmarc == "fail":
            return f"dmarc=fail for {self.dmarc_domain or self.from_domain} (checked by {self.authserv_id})"
        if self.dmarc_domain and self.from_domain and self.dmarc_domain != self.from_domain:
            return f"DMARC was checked for {self.dmarc_domain}, not for the sender's domain {self.from_domain}"
        if self.dmarc == NONE and self.spf in ("fail", "hardfail") and self.dkim != "pass":
            return f"spf=fail and no dkim=pass for {self.from_domain}, no DMARC result (checked by {self.authserv_id})"
        return None

    def summary(self) -> str:
        """One line for people: `inbox check`, the case."""
        if not self.trusted:
            others = f"; {self.ignored} from others ignored" if self.ignored else ""
            return f"no Authentication-Results from our own server{others}"
        return f"{self.authserv_id}: spf={self.spf} dkim={self.dkim} dmarc={self.dmarc} for {self.from_domain or '–'}"


def read_authentication(values: Sequence[str], authserv_ids: Collection[str], from_domain: str | None) -> AuthResult:
    """The topmost field (values in header order) whose authserv-id is listed, read for from_domain."""
    listed = {authserv_id.lower() for authserv_id in authserv_ids}
    from_domain = _lower(from_domain)
    for value in values:
        found = _AUTHSERV_ID.match(value)
        if found and found.group(1).lower() in listed:
            return _trusted(value, found.group(1).lower(), from_domain, ignored=len(values) - 1)
    return AuthResult(from_domain=from_domain, ignored=len(values))


def _trusted(value: str, authserv_id: str, from_domain: str | None, *, ignored: int) -> AuthResult:
    try:
        header = authres.all_features().parse_value(value)
    except (authres.AuthResError, ValueError):
        header = None
    if header is None or header.authserv_id != authserv_id:
        # Our own server's field, but not readable: fail closed (AuthResult.failure), a person looks.
        return AuthResult(True, authserv_id, UNREADABLE, UNREADABLE, UNREADABLE, None, from_domain, ignored)
    results = [(str(r.method).lower(), str(r.result).lower(), r) for r in header.results]
    dmarc = next(((result, r) for method, result, r in results if method == "dmarc"), (NONE, None))
    return AuthResult(
        trusted=True, authserv_id=authserv_id,
        spf=next((result for method, result, _ in results if method == "spf"), NONE),
        dkim=_dkim_for(results, from_domain),
        dmarc=dmarc[0], dmarc_domain=_lower(getattr(dmarc[1], "header_from", None)),
        from_domain=from_domain, ignored=ignored,
    )


def _dkim_for(results: list[tuple[str, str, object]], from_domain: str | None) -> str:
    aligned = [result for method, result, r in results if method == "dkim" and _aligned(_signing_domain(r), from_domain)]
    return "pass" if "pass" in aligned else (aligned[0] if aligned else NONE)


def _signing_domain(result) -> str | None:
    domain = getattr(result, "header_d", None) or (getattr(result, "header_i", None) or "").rpartition("@")[2]
    return _lower(domain)


def _aligned(domain: str | None, from_domain: str | None) -> bool:
    if not domain or not from_domain or "." not in domain:
        return False
    return domain == from_domain or from_domain.endswith("." + domain) or domain.endswith("." + from_domain)


def _lower(value: object) -> str | None:
    """A domain as compared: lower case, no trailing dot, IDNA (A-label) form where it has one."""
    domain = str(value or "").strip().lower().rstrip(".")
    try:
        return domain.encode("idna").decode("ascii") or None
    except UnicodeError:
        return domain or None
