"""Addresses in the config are checked at start-up; a problem is one line with the file and the key."""

from __future__ import annotations

from pathlib import Path

import pytest

from inbox.config import load_settings
from inbox.errors import ConfigError


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(("text", "key"), [
    ('[smtp]\nsender_address = "vastmanland.lansstyrelsen.se"\n', "[smtp] sender_address"),
    ('[smtp]\nreply_to = "svara här@lansstyrelsen"\n', "[smtp] reply_to"),
    ('[staff]\nrecipients = ["eva@lansstyrelsen.se", "per@"]\n', "[staff] recipients[1]"),
    ('[replies]\ncontact_addresses = ["Dennis Nyström"]\n', "[replies] contact_addresses[0]"),
])
def test_a_wrong_address_is_one_line_naming_the_key(tmp_path, text, key):
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as caught:
        load_settings(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: {key}: not an e-mail address: ")
    assert "\n" not in message


def test_good_addresses_and_an_empty_reply_to_are_accepted(tmp_path):
    settings = load_settings(write(tmp_path, '[smtp]\nsender_address = "Vastmanland@Lansstyrelsen.se"\nreply_to = ""\n'
                                             '[staff]\nrecipients = ["eva.ek@lansstyrelsen.se"]\n'))
    assert settings.smtp.sender_address == "Vastmanland@Lansstyrelsen.se"  # kept as written
    assert settings.staff.recipients == ("eva.ek@lansstyrelsen.se",)


def test_several_problems_are_listed_one_per_line(tmp_path):
    path = write(tmp_path, '[smtp]\nsender_address = "x"\n[source.imap]\nport = 0\n')
    with pytest.raises(ConfigError) as caught:
        load_settings(path)
    lines = str(caught.value).splitlines()
    assert lines[0] == f"{path}: 2 problems in the configuration"
    assert {line.split(":")[0].strip() for line in lines[1:]} == {"[smtp] sender_address", "[source.imap] port"}


def test_post_action_takes_handled_or_all(tmp_path):
    assert load_settings(write(tmp_path, "")).source.imap.post_action == "handled"
    with pytest.raises(ConfigError, match=r"\[source.imap\] post_action: Input should be 'handled' or 'all'"):
        load_settings(write(tmp_path, '[source.imap]\npost_action = "some"\n'))
