"""Organisation names compared as people mean them: case and spacing never matter."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Organisation


def name_key(name: str) -> str:
    """An organisation name for comparing: case folded in Python (SQLite's lower() leaves Å/Ä/Ö alone)."""
    return " ".join(name.casefold().split())


def same_name(a: str, b: str) -> bool:
    """'Arbetsförmedlingen Västerås' and 'Arbetsförmedlingen' are one organisation; case never matters."""
    a, b = name_key(a), name_key(b)
    return a == b or a.startswith(b + " ") or b.startswith(a + " ")


def organisations_named(session: Session, name: str) -> list[Organisation]:
    """Every organisation whose name is `name`, oldest first: two organisations may share a name
    (different org numbers), and neither may take the other's identity."""
    wanted = name_key(name)
    return [org for org in session.scalars(select(Organisation).order_by(Organisation.id)) if name_key(org.name) == wanted]
