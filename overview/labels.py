"""Swedish words for the overview: commitment states, sources, and the line about a partial strategy file."""

from __future__ import annotations

from datetime import date

from babel.dates import format_date

from models import CommitmentState

# NONE on an entry that still names a commitment means staff have not set its state yet.
STATES: dict[CommitmentState, str] = {
    CommitmentState.PLANNED: "Planerat",
    CommitmentState.ONGOING: "Pågår",
    CommitmentState.DONE: "Genomfört",
    CommitmentState.DROPPED: "Avbrutet",
    CommitmentState.NONE: "Läge ej angivet",
}
STAFF_SOURCE = "Från dialogen"
ORGANISATION_SOURCE = "Uppgett av organisationen"
UNKNOWN_AREAS = "Områden som inte längre finns i strategifilen"
PRIORITISED = "Prioriterade problemområden"
DEVELOPMENT_AREAS = "Länets gemensamma utvecklingsområden"
WHOLE_WORK = "Arbetet som helhet"


def state(value: CommitmentState) -> str:
    return STATES[value]


def partial_note(missing: int, expected: int) -> str:
    """One line every output carries while the strategy file lists only some of the areas."""
    return (f"Strategifilen är ofullständig: {missing} av {expected} problemområden saknas ännu i filen, "
            "så översikten visar bara de områden som finns där.")


def prioritised_in(year: int) -> str:
    return f"Prioriterat {year}"


def day(value: date) -> str:
    """'1 september 2026': a follow-up date, with its year."""
    return format_date(value, "d MMMM y", locale="sv")
