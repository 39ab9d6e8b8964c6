"""The editable table of known organisations (data/organisations.toml)."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from ingest.extract.fields import org_number_ok
from ingest.extract.result import OrgType

TYPES = {"kommun", "region", "statlig_myndighet", "naringsliv", "civilsamhalle"}
# Mailbox providers shared by everyone: the domain says nothing about the organisation.
FREE_MAIL = {"gmail.com", "googlemail.com", "hotmail.com", "hotmail.se", "outlook.com", "outlook.se", "live.com", "live.se",
             "msn.com", "yahoo.com", "yahoo.se", "icloud.com", "me.com", "mac.com", "proton.me", "protonmail.com",
             "gmx.com", "gmx.net", "telia.com", "bredband.net", "comhem.se", "tele2.se", "spray.se", "passagen.se", "bahnhof.se"}


@dataclass(frozen=True)
class KnownOrganisation:
    name: str
    type: OrgType  # checked against TYPES when the table is loaded
    domains: tuple[str, ...]
    org_number: str | None = None
    self: bool = False
    # The name as a whole-word pattern over casefolded text; built once per table entry.
    pattern: re.Pattern = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "pattern", whole_words(self.name))


def whole_words(name: str) -> re.Pattern:
    """`name` as whole words in casefolded text: "sala kommun" is not found in "salaortens kommun",
    "fagersta" not in "fagerstahem ab" nor "sala" in "sala-heby energi". \\w is Unicode, so å, ä and ö
    are letters, not boundaries; any run of spaces in the text matches one space of the name."""
    words = [re.escape(word) for word in name.casefold().split()]
    return re.compile(r"(?<![\w-])" + r"\s+".join(words) + r"(?![\w-])")


class KnownOrganisations:
    def __init__(self, organisations: list[KnownOrganisation]) -> None:
        self.organisations = organisations

    @classmethod
    def load(cls, path: Path) -> KnownOrganisations:
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as err:
            raise ValueError(f"{path}: {err}") from err
        found = []
        for number, item in enumerate(data.get("organisation", []), 1):
            org = KnownOrganisation(name=item["name"], type=item["type"], domains=tuple(item.get("domains", ())),
                                    org_number=item.get("org_number"), self=bool(item.get("self", False)))
            if org.type not in TYPES:
                raise ValueError(f"{path}: organisation {number} ({org.name}): unknown type {org.type!r}")
            if org.org_number and not org_number_ok(org.org_number):
                raise ValueError(f"{path}: organisation {number} ({org.name}): org number {org.org_number} fails the Luhn check")
            found.append(org)
        return cls(found)

    @classmethod
    def default(cls) -> KnownOrganisations:
        return cls.load(Path(__file__).resolve().parents[2] / "data" / "organisations.toml")

    def by_domain(self, domain: str) -> KnownOrganisation | None:
        domain = (domain or "").lower()
        if domain in FREE_MAIL:
            return None
        for org in self.organisations:
            if any(domain == d or domain.endswith("." + d) for d in org.domains):
                return org
        return None

    def by_name(self, text: str) -> KnownOrganisation | None:
        """The known organisation named first in the text (not the first in the table), by whole words.

        When known names overlap ("Västerås stad" inside a known "Västerås stad Kulturförvaltning"),
        the most specific, longest one wins: a shorter name found inside a longer one's words is
        part of that name, not a mention of its own."""
        folded = (text or "").casefold()
        found = [(m.start(), m.end(), org) for org in self.organisations if not org.self
                 for m in org.pattern.finditer(folded)]
        specific = [(start, end, org) for start, end, org in found
                    if not any(s <= start and end <= e and (e - s) > (end - start) for s, e, _ in found)]
        return min(specific, key=lambda item: (item[0], item[0] - item[1]))[2] if specific else None

    def is_own_address(self, address: str) -> bool:
        domain = address.rpartition("@")[2].lower()
        return any(org.self and domain in org.domains for org in self.organisations)

    def own_numbers(self) -> set[str]:
        return {org.org_number for org in self.organisations if org.self and org.org_number}
