"""The editable table of known organisations (data/organisations.toml)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from ingest.extract.fields import luhn_ok

TYPES = {"kommun", "region", "statlig_myndighet", "naringsliv", "civilsamhalle"}
FREE_MAIL = {"gmail.com", "hotmail.com", "outlook.com", "live.se", "yahoo.com", "icloud.com", "telia.com", "hotmail.se"}


@dataclass(frozen=True)
class KnownOrganisation:
    name: str
    type: str
    domains: tuple[str, ...]
    org_number: str | None = None
    self: bool = False


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
            if org.org_number and not luhn_ok(org.org_number.replace("-", "")):
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
        """The known organisation named first in the text (not the first in the table)."""
        lowered = (text or "").lower()
        found = [(lowered.find(org.name.lower()), org) for org in self.organisations if not org.self]
        found = [(position, org) for position, org in found if position >= 0]
        return min(found, key=lambda item: item[0])[1] if found else None

    def is_own_address(self, address: str) -> bool:
        domain = address.rpartition("@")[2].lower()
        return any(org.self and domain in org.domains for org in self.organisations)

    def own_numbers(self) -> set[str]:
        return {org.org_number for org in self.organisations if org.self and org.org_number}
