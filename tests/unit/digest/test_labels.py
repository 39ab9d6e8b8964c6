"""Swedish words and dates in the digest."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from digest import labels


def test_dates_are_written_the_swedish_way():
    assert labels.long_date(date(2026, 3, 12)) == "torsdag 12 mars 2026"
    assert labels.short_date(date(2026, 12, 24)) == "24 december"
    moment = datetime(2026, 3, 16, 7, 5, tzinfo=ZoneInfo("Europe/Stockholm"))
    assert labels.moment(moment) == "måndag 16 mars kl. 07.05"


def test_counts_agree_in_number():
    assert labels.count(1, "ny anslutning", "nya anslutningar") == "1 ny anslutning"
    assert labels.count(0, "ny anslutning", "nya anslutningar") == "0 nya anslutningar"
    assert labels.count(3, "ny anslutning", "nya anslutningar") == "3 nya anslutningar"


def test_stored_values_get_swedish_labels():
    assert labels.organisation_type("civilsamhalle") == "Civilsamhälle"
    assert labels.organisation_type(None) == "Typ okänd"
    assert labels.status("needs_review") == "Behöver granskas"
    assert labels.field("contact.phone") == "kontaktpersonens telefonnummer"
    assert labels.field("something.new") == "something.new"
    assert labels.one_line("Föreningen Trygga Hem\nÅrsmöte") == "Föreningen Trygga Hem Årsmöte"
