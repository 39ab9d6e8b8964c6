"""The configuration schema (pydantic) and its loader.

`config.toml` at the repository root is the annotated reference: every key is
documented there. The defaults below are the same embedded defaults, so the
service runs without any file (the demo). Secrets are never read from the
file: only the *name* of the environment variable that holds them.
"""

from __future__ import annotations

import os
import re
import tomllib
from datetime import time
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from inbox.errors import ConfigError
from inbox.rules_file import RuleSet, load_rules
from ingest.classify import DEFAULT_RULES, DEFAULT_SUBJECT_PATTERNS, compile_subject_patterns, unknown_rules
from ingest.extract import DEFAULT_STEPS, unknown_steps

PROJECT_ROOT = Path(__file__).resolve().parents[1]


class Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ServiceConfig(Section):
    data_dir: Path = Path("var/data")
    timezone: str = "Europe/Stockholm"
    case_prefix: str = Field("JS", pattern=r"^[A-Z]{1,6}$")
    loop_token: str = Field("vastmanland-jamstalldhet", min_length=4)

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as err:
            raise ValueError(f"unknown time zone {value!r}") from err
        return value


class DatabaseConfig(Section):
    url: str = "sqlite:///var/inbox.db"


class DirectorySourceConfig(Section):
    path: Path = Path("examples/mail")


class ImapConfig(Section):
    host: str = ""
    port: int = Field(993, ge=1, le=65535)
    tls: Literal["ssl", "starttls", "none"] = "ssl"
    cafile: Path | None = None
    user: str = ""
    auth: Literal["password", "oauth2"] = "password"
    password_env: str = "INBOX_IMAP_PASSWORD"
    oauth2_token_env: str = "INBOX_IMAP_OAUTH2_TOKEN"
    oauth2_token_command: str = ""
    folder: str = "INBOX"
    processed_folder: str = ""
    flag_processed: bool = False
    batch_size: int = Field(25, ge=1, le=500)
    timeout_seconds: float = Field(60, gt=0)


class SourceConfig(Section):
    kind: Literal["directory", "imap"] = "directory"
    account: str = "default"
    directory: DirectorySourceConfig = DirectorySourceConfig()
    imap: ImapConfig = ImapConfig()


class SmtpConfig(Section):
    transport: Literal["file", "smtp"] = "file"
    outbox_dir: Path = Path("var/outbox")
    host: str = ""
    port: int = Field(587, ge=1, le=65535)
    tls: Literal["ssl", "starttls", "none"] = "starttls"
    cafile: Path | None = None
    user: str = ""
    password_env: str = "INBOX_SMTP_PASSWORD"
    timeout_seconds: float = Field(30, gt=0)
    sender_address: str = "vastmanland@lansstyrelsen.se"
    sender_name: str = "Länsstyrelsen Västmanland"
    reply_to: str = ""
    max_attempts: int = Field(8, ge=1, le=50)
    retry_base_seconds: int = Field(60, ge=1)


class ScheduleConfig(Section):
    poll_minutes: float = Field(5, gt=0)
    outbox_minutes: float = Field(1, gt=0)
    digest_time: time = time(7, 30)
    reminder_time: time = time(9, 0)


class ClassifyConfig(Section):
    rules: tuple[str, ...] = DEFAULT_RULES
    subject_patterns: tuple[str, ...] = DEFAULT_SUBJECT_PATTERNS

    @field_validator("rules")
    @classmethod
    def _known_rules(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if unknown := unknown_rules(value):
            raise ValueError(f"unknown rule name(s): {', '.join(unknown)}")
        return value

    @field_validator("subject_patterns")
    @classmethod
    def _patterns_compile(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        compile_subject_patterns(value)  # raises ValueError naming the pattern
        return value


class ExtractConfig(Section):
    steps: tuple[str, ...] = DEFAULT_STEPS
    known_organisations: Path = Path("data/organisations.toml")
    # The admin's named rules (subject and field patterns), beside this file; see rules.toml.
    rules_file: Path = Path("rules.toml")
    # Limits per message; over a limit the message is kept and flagged for a person, never dropped.
    max_attachment_mb: float = Field(25, gt=0)
    max_pages: int = Field(40, ge=1)
    ocr: bool = True
    ocr_languages: str = "swe"
    ocr_seconds_per_message: float = Field(120, gt=0)
    zip_max_files: int = Field(20, ge=1)
    zip_max_mb: float = Field(50, gt=0)
    # Fields below this confidence are listed for review.
    review_below: float = Field(0.7, ge=0, le=1)

    @field_validator("steps")
    @classmethod
    def _known_steps(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if unknown := unknown_steps(value):
            raise ValueError(f"unknown step name(s): {', '.join(unknown)}")
        return value


class RepliesConfig(Section):
    acknowledge: bool = True
    request_missing: bool = True
    # Reminders of a pending completion request: after reminder_days, at most max_reminders.
    reminder_days: int = Field(7, ge=1)
    max_reminders: int = Field(2, ge=0)
    # Dialogue invitation when a case becomes complete: "auto", "approval" (staff run
    # `inbox case REF --invite`) or "off".
    invitation: Literal["auto", "approval", "off"] = "auto"
    # A booking page to link to; empty = propose up to proposed_slots free slots (`inbox slots`).
    booking_link: str = ""
    proposed_slots: int = Field(3, ge=1, le=10)
    meeting_minutes: int = Field(60, ge=15, le=480)
    # At most this many automatic mails per recipient per 24 hours (the case still updates).
    rate_limit_per_day: int = Field(3, ge=1)
    templates_override_dir: Path | None = None
    board_name: str = "Länsstyrelsen Västmanlands län"
    board_address: str = "Västra Ringvägen 1, 721 86 Västerås"
    contact_addresses: tuple[str, ...] = (
        "dennis.u.nystrom@lansstyrelsen.se",
        "therese.clifford@lansstyrelsen.se",
    )


class StaffConfig(Section):
    recipients: tuple[str, ...] = ()


class DigestConfig(Section):
    # Send a digest even when nothing is new (a "no news" mail keeps staff sure the service runs).
    send_when_empty: bool = False
    # An incomplete case is listed as needing a person after this many days.
    incomplete_after_days: int = Field(14, ge=1)
    # Attach an XLSX of every case.
    attach_xlsx: bool = True


class Settings(Section):
    service: ServiceConfig = ServiceConfig()
    database: DatabaseConfig = DatabaseConfig()
    source: SourceConfig = SourceConfig()
    smtp: SmtpConfig = SmtpConfig()
    schedule: ScheduleConfig = ScheduleConfig()
    classify: ClassifyConfig = ClassifyConfig()
    extract: ExtractConfig = ExtractConfig()
    replies: RepliesConfig = RepliesConfig()
    staff: StaffConfig = StaffConfig()
    digest: DigestConfig = DigestConfig()
    rules: RuleSet = RuleSet()  # filled from [extract] rules_file by load_settings
    base_dir: Path = PROJECT_ROOT  # relative paths are resolved against this

    def path(self, value: Path) -> Path:
        """Resolve a configured path against the directory of the config file."""
        return value if value.is_absolute() else self.base_dir / value

    def shipped_path(self, value: Path) -> Path:
        """A data file the project ships (e.g. data/organisations.toml): beside the config, else in the project."""
        beside = self.path(value)
        return beside if beside.exists() or value.is_absolute() else PROJECT_ROOT / value

    def subject_patterns(self) -> tuple[str, ...]:
        """[classify] subject_patterns followed by the named subject rules of the rules file."""
        return (*self.classify.subject_patterns, *(rule.pattern for rule in self.rules.subject))

    def database_url(self) -> str:
        url = self.database.url
        prefix = "sqlite:///"
        if url.startswith(prefix) and not url.startswith(prefix + "/") and ":memory:" not in url:
            return prefix + str(self.path(Path(url[len(prefix):])))
        return url


def secret(env_name: str) -> str | None:
    """A secret from the environment; config only names the variable."""
    return os.environ.get(env_name) or None


def load_settings(path: Path | None) -> Settings:
    """Read and validate a config file; None means the embedded defaults.

    Raises ConfigError with the file, the key and what is wrong.
    """
    if path is None:
        return with_rule_file(Settings(), explicit=False)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as err:
        raise ConfigError(f"{path}: file not found") from err
    except (OSError, UnicodeDecodeError) as err:
        raise ConfigError(f"{path}: cannot read the file: {err}") from err
    except tomllib.TOMLDecodeError as err:
        raise ConfigError(f"{path}: not valid TOML: {err}") from err
    data.pop("base_dir", None)
    try:
        settings = Settings(**data, base_dir=path.resolve().parent)
    except ValidationError as err:
        raise ConfigError(format_validation_error(path, err)) from err
    return with_rule_file(settings, explicit="rules_file" in (data.get("extract") or {}))


def with_rule_file(settings: Settings, *, explicit: bool) -> Settings:
    """Add the rules of [extract] rules_file (a file named explicitly must exist)."""
    name = settings.extract.rules_file
    path = settings.path(name) if explicit else settings.shipped_path(name)
    extra = load_rules(path, required=explicit)
    try:
        merged = RuleSet(subject=(*settings.rules.subject, *extra.subject), field=(*settings.rules.field, *extra.field))
    except ValidationError as err:
        raise ConfigError(f"{path}: {err.errors()[0]['msg'].removeprefix('Value error, ')}") from err
    return settings.model_copy(update={"rules": merged})


def format_validation_error(path: Path, err: ValidationError) -> str:
    lines = [f"{path}: {err.error_count()} problem(s) in the configuration"]
    for problem in err.errors():
        key = _key_name(problem["loc"])
        message = re.sub(r"^Value error, ", "", problem["msg"])
        if problem["type"] == "extra_forbidden":
            message = "unknown key (check the spelling against config.toml)"
        value = problem.get("input")
        shown = "" if isinstance(value, dict) or problem["type"] == "extra_forbidden" else f" (got {value!r})"
        lines.append(f"  {key}: {message}{shown}")
    return "\n".join(lines)


def _key_name(loc: tuple) -> str:
    parts = [str(p) for p in loc]
    if len(parts) == 1:
        return parts[0]
    return f"[{'.'.join(parts[:-1])}] {parts[-1]}"
