"""The admin's rules file: checked at load time, applied first, named in `inbox check`."""

from __future__ import annotations

from email.message import EmailMessage
from pathlib import Path

import pytest

from inbox.config import load_settings
from inbox.errors import ConfigError
from ingest.check import check_file
from tests.integration.mails import BOARD, protocol_pdf

SAKNR = '''
[[field]]
name = "saknr_i_texten"
description = "the case number as the registrar writes it in the mail"
field = "decision.case_number"
source = "body"
pattern = 'Saknr\\s+(KS\\s?\\d{4}\\.\\d+)'

[[subject]]
name = "engelsk_rubrik"
description = "English subjects"
pattern = '\\bjoin\\w*\\b.{0,40}\\bgender equality strategy'
'''


def write_config(tmp_path: Path, rules: str) -> Path:
    (tmp_path / "rules.toml").write_text(rules, encoding="utf-8")
    config = tmp_path / "config.toml"
    config.write_text('[extract]\nrules_file = "rules.toml"\n', encoding="utf-8")
    return config


def mail_file(tmp_path: Path, subject: str) -> Path:
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"], msg["Message-ID"] = "Anna Lind <anna.lind@koping.se>", BOARD, subject, "<r@koping.se>"
    msg.set_content("Hej! Köpings kommun ansluter sig. Saknr KS 2024.115\n\nKontaktperson: Anna Lind, anna.lind@koping.se, 0221-251 00\n")
    msg.add_attachment(protocol_pdf(), maintype="application", subtype="pdf", filename="protokoll.pdf")
    path = tmp_path / "mail.eml"
    path.write_bytes(msg.as_bytes())
    return path


def test_a_field_rule_wins_and_check_names_it(tmp_path):
    settings = load_settings(write_config(tmp_path, SAKNR))
    result = check_file(mail_file(tmp_path, "Anslutning till jämställdhetsstrategin"), settings)
    assert result["decision"]["case_number"] == "KS 2024.115"  # the decision itself says KS 2024/123
    assert "configured_patterns: rule saknr_i_texten -> decision.case_number = KS 2024.115" in result["notes"]
    assert result["confidence"]["decision.case_number"] == 0.9

    default = check_file(mail_file(tmp_path, "Anslutning till jämställdhetsstrategin"), load_settings(None))
    assert default["decision"]["case_number"] == "KS 2024/123"


def test_a_subject_rule_recognises_more_subjects(tmp_path):
    with_rule = check_file(mail_file(tmp_path, "We join the Gender Equality Strategy"), load_settings(write_config(tmp_path, SAKNR)))
    without = check_file(mail_file(tmp_path, "We join the Gender Equality Strategy"), load_settings(None))
    assert (with_rule["kind"], without["kind"]) == ("affiliation", "other")


@pytest.mark.parametrize("mistake, expected", [
    (SAKNR.replace("(KS\\s?", "(KS\\s?("), "rule 'saknr_i_texten' key pattern: the pattern does not compile"),
    (SAKNR.replace('"decision.case_number"', '"decision.colour"'), "rule 'saknr_i_texten' key field"),
    (SAKNR.replace('name = "engelsk_rubrik"', 'name = "saknr_i_texten"'), "rule names must be unique: saknr_i_texten"),
    (SAKNR.replace("Saknr\\s+(KS", "(Saknr)\\s+(KS"), "at most one capturing group"),
    (SAKNR + '\n[[field]]\nname = "utan_beskrivning"\nfield = "contact.name"\npattern = "x"\n', "rule 'utan_beskrivning' key description"),
    ("[[field]\n", "cannot read the rules"),
])
def test_a_mistake_names_the_file_the_rule_and_the_reason(tmp_path, mistake, expected):
    with pytest.raises(ConfigError) as caught:
        load_settings(write_config(tmp_path, mistake))
    message = str(caught.value)
    assert str(tmp_path / "rules.toml") in message and expected in message, message


def test_a_rules_file_named_in_config_must_exist(tmp_path):
    config = tmp_path / "config.toml"
    config.write_text('[extract]\nrules_file = "missing.toml"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="missing.toml: rules file not found"):
        load_settings(config)


def test_a_rule_whose_group_matches_nothing_or_too_much_is_noted_not_used(tmp_path):
    rules = '''
[[field]]
name = "valfri_grupp"
description = "an optional group that may match nothing"
field = "contact.title"
source = "body"
pattern = 'Hej(,)?!'

[[field]]
name = "allt"
description = "a runaway pattern"
field = "organisation.name"
source = "body"
pattern = '(Hej.*)'
'''
    mail = mail_file(tmp_path, "Anslutning till jämställdhetsstrategin")
    mail.write_bytes(mail.read_bytes().replace(b"Hej! ", b"Hej! " + b"x" * 300 + b" "))
    result = check_file(mail, load_settings(write_config(tmp_path, rules)))
    assert "configured_patterns: rule valfri_grupp matched '' but it is not a valid contact.title" in result["notes"]
    assert any(n.startswith("configured_patterns: rule allt matched") for n in result["notes"])
    assert result["organisation"]["name"] == "Köpings kommun"  # the built-in step filled it instead
