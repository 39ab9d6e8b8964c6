"""The doctor's checks, in the order they are printed (the config is checked before all of them)."""

from __future__ import annotations

from ops.checks.database import check_database
from ops.checks.local import check_clock, check_disk, check_templates, check_tesseract, check_timezone
from ops.checks.mailbox import check_mailbox
from ops.checks.sending import check_sending
from ops.checks.strategy import check_strategy
from ops.checks.token import check_token
from ops.doctor import Check

CHECKS = [
    Check("database", check_database, "check [database] url, that the server runs, and that this user may log in"),
    Check("token", check_token, "check [source.imap] auth and the token settings (README \"Exchange Online\")"),
    Check("mailbox", check_mailbox, "check the [source.imap] settings against the mail server"),
    Check("sending", check_sending, "check the [smtp] settings against the mail server"),
    Check("tesseract", check_tesseract, "install Tesseract with Swedish (Debian: apt-get install tesseract-ocr tesseract-ocr-swe)"),
    Check("templates", check_templates, "correct the template named above ([replies] templates_override_dir holds the overrides)"),
    Check("strategy", check_strategy, "correct the strategy data file named above ([strategy] file)"),
    Check("disk", check_disk, "free space on the disk of [service] data_dir, or move data_dir to a larger disk"),
    Check("timezone", check_timezone, "set [service] timezone to an IANA name such as \"Europe/Stockholm\""),
    Check("clock", check_clock, "synchronise the clock (systemd-timesyncd, chrony or ntpd) and check the time zone of the machine"),
]
