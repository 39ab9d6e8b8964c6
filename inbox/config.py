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
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from email_validator import EmailNotValidError, validate_email
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, field_validator, model_validator

from inbox.errors import ConfigError
from inbox.rules_file import RuleSet, load_rules
from ingest.classify import DEFAULT_RULES, DEFAULT_SUBJECT_PATTERNS, compile_subject_patterns, unknown_rules
from ingest.extract import DEFAULT_STEPS, unknown_steps

PROJECT_ROOT = Path(__file__).resolve().parents[1]


def _email_address(value: str) -> str:
    """A syntactically valid address (no DNS look-up); kept as written."""
    try:
        validate_email(value, check_deliverability=False)
    except EmailNotValidError as err:
        raise ValueError(f"not an e-mail address: {err}") from err
    return value


EmailAddress = Annotated[str, AfterValidator(_email_address)]
OptionalEmailAddress = Annotated[str, AfterValidator(lambda value: value and _email_address(value))]


class Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ServiceConfig(Section):
    data_dir: Path = Path("var/data")
    timezone: str = "Europe/Stockholm"
    case_prefix: str = Field("JS", pattern=r"^[A-Z]{1,6}$")
    loop_token: str = Field("vastmanland-jamstalldhet", min_length=4)
    # authserv-ids of the board's own mail servers: only their Authentication-Results are read.
    authserv_ids: tuple[str, ...] = ()
    # /healthz and /metrics while `inbox run` runs (README "Running as a service"); port 0 = off.
    health_port: int = Field(0, ge=0, le=65535)
    health_host: str = Field("127.0.0.1", min_length=1)
    # /healthz answers 503 when the last successful poll is older than this; 0 = 3 x [schedule] poll_minutes.
    health_max_poll_age_minutes: float = Field(0, ge=0)

    @field_validator("authserv_ids")
    @classmethod
    def _authserv_ids(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for item in value:
            if not re.fullmatch(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+", item):
                raise ValueError(f"{item!r} is not an authserv-id (a host name such as mx.lansstyrelsen.se)")
        return tuple(item.lower() for item in value)

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
    # Which mail processed_folder / flag_processed act on: "handled" (what the service dealt with)
    # or "all". The registry staff read the same inbox, so by default other mail stays put.
    post_action: Literal["handled", "all"] = "handled"
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
    sender_address: EmailAddress = "vastmanland@lansstyrelsen.se"
    sender_name: str = "Länsstyrelsen Västmanland"
    reply_to: OptionalEmailAddress = ""
    max_attempts: int = Field(8, ge=1, le=50)
    retry_base_seconds: int = Field(60, ge=1)
    # A row still "sending" this long after its claim belongs to a sender that died mid-send.
    # One send is about 12 network round trips, each bounded by timeout_seconds.
    claim_timeout_minutes: int = Field(10, ge=1)
    # After each send, APPEND a copy to this IMAP folder (the [source.imap] account); empty = no copy.
    sent_copy_folder: str = ""
    # The folder where the mail server itself files what we submit (Exchange: "Sent Items"); empty = none.
    sent_folder: str = ""

    @model_validator(mode="after")
    def _claim_outlasts_a_send(self) -> SmtpConfig:
        if self.claim_timeout_minutes * 60 < 12 * self.timeout_seconds:
            raise ValueError(f"claim_timeout_minutes must be at least 12 x timeout_seconds "
                             f"({12 * self.timeout_seconds / 60:g} minutes), or a slow send is taken for a dead one")
        return self


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
    # Parsers are bounded before they run: XML in a DOCX/ODT, PDF content streams, image pixels.
    document_xml_max_mb: float = Field(10, gt=0)
    pdf_content_max_mb: float = Field(4, gt=0)
    image_max_megapixels: float = Field(80, gt=0)
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
    # Caps on automatic mail per 24 hours; over a cap the mail is held for a person, never dropped:
    # all automatic mail together, and the different addresses one incoming sender can make us mail.
    max_automatic_per_day: int = Field(200, ge=1)
    max_recipients_per_sender_per_day: int = Field(5, ge=1)
    # The personal-data notice at the foot of every reply (Swedish), and the page it links to.
    privacy_notice: str = Field(
        "Länsstyrelsen behandlar de personuppgifter som finns i ert mejl, till exempel namn och kontaktuppgifter, "
        "för att handlägga anslutningen till strategin. Mejl till Länsstyrelsen blir som regel allmänna handlingar. "
        "Läs mer om hur vi hanterar personuppgifter och om era rättigheter:", min_length=1)
    privacy_url: str = Field("https://www.lansstyrelsen.se/dataskydd", pattern=r"^https://\S+$")
    templates_override_dir: Path | None = None
    board_name: str = "Länsstyrelsen Västmanlands län"
    board_address: str = "Västra Ringvägen 1, 721 86 Västerås"
    contact_addresses: tuple[EmailAddress, ...] = (
        "dennis.u.nystrom@lansstyrelsen.se",
        "therese.clifford@lansstyrelsen.se",
    )


class StaffConfig(Section):
    recipients: tuple[EmailAddress, ...] = ()


class DigestConfig(Section):
    # Send a digest even when nothing is new (a "no news" mail keeps staff sure the service runs).
    send_when_empty: bool = False
    # An incomplete case is listed as needing a person after this many days.
    incomplete_after_days: int = Field(14, ge=1)
    # Attach an XLSX of every case.
    attach_xlsx: bool = True


class PrivacyConfig(Section):
    # Days to keep mail that is neither an affiliation nor linked to a case; 0 = keep for ever.
    keep_other_days: int = Field(90, ge=0)
    keep_auto_replies_days: int = Field(30, ge=0)
    keep_bounces_days: int = Field(90, ge=0)
    keep_quarantined_days: int = Field(180, ge=0)
    # Local time of the daily retention run (`inbox run`).
    retention_time: time = time(3, 15)
    # `inbox person erase` may pseudonymise the contact rows of affiliation cases (registered records).
    erase_registered: bool = False


class LimitsConfig(Section):
    # "process": each stored message is processed in a child process that a crash, a hang or
    # running out of memory can only end itself; "inline": in the worker (tests, debugging).
    isolation: Literal["process", "inline"] = "process"
    # Wall-clock seconds and memory (address space) one message may use before its child is stopped.
    message_seconds: float = Field(180, gt=0)
    message_memory_mb: int = Field(1024, ge=384)  # a plain message takes about 260 MB of address space
    # A message stopped this many times (or while the worker itself died) is quarantined with the reason.
    max_attempts: int = Field(3, ge=1, le=20)


class WebConfig(Section):
    # Where staff reach the workspace; the digest links each case and action item under it.
    base_url: str = "http://127.0.0.1:8080"
    host: str = "127.0.0.1"
    port: int = Field(8080, ge=1, le=65535)
    # The environment variable holding the key that signs session cookies; unset: a random key kept in
    # data_dir/web-secret (mode 0600), made on first start.
    secret_key_env: str = "INBOX_WEB_SECRET"
    # Hours a sign-in lasts.
    session_hours: int = Field(10, ge=1, le=24 * 14)
    # Cookies marked Secure (HTTPS only). Only a demo on plain http on this machine may turn it off.
    secure_cookies: bool = True
    # A reverse proxy that has already signed the person in (Shibboleth, an Entra ID application proxy,
    # oauth2-proxy) may pass the username in this header; trusted only from trusted_proxies.
    trusted_user_header: str | None = None
    trusted_proxies: tuple[str, ...] = ("127.0.0.1", "::1")
    # Largest request body (an uploaded .eml for a test check), in megabytes.
    max_upload_mb: int = Field(30, ge=1, le=200)

    @field_validator("base_url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError(f"must start with http:// or https:// (got {value!r})")
        return value.rstrip("/")


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
    privacy: PrivacyConfig = PrivacyConfig()
    limits: LimitsConfig = LimitsConfig()
    web: WebConfig = WebConfig()
    rules: RuleSet = RuleSet()  # filled from [extract] rules_file by load_settings
    base_dir: Path = PROJECT_ROOT  # relative paths are resolved against this

    @field_validator("limits")
    @classmethod
    def _message_outlasts_its_ocr(cls, limits: LimitsConfig, info: ValidationInfo) -> LimitsConfig:
        extract = info.data.get("extract")  # validated before limits (declared first)
        if extract is not None and limits.message_seconds <= extract.ocr_seconds_per_message:
            raise ValueError(f"message_seconds ({limits.message_seconds:g}) must be more than [extract] "
                             f"ocr_seconds_per_message ({extract.ocr_seconds_per_message:g}), or a long scan is stopped as a hang")
        return limits

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
    """One line per problem, naming the file and the key; one problem is one line in all."""
    problems = [_problem_line(problem) for problem in err.errors()]
    if len(problems) == 1:
        return f"{path}: {problems[0]}"
    return "\n".join([f"{path}: {len(problems)} problems in the configuration", *(f"  {line}" for line in problems)])


def _problem_line(problem) -> str:
    key = _key_name(problem["loc"])
    message = re.sub(r"^Value error, ", "", problem["msg"])
    if problem["type"] == "extra_forbidden":
        message = "unknown key (check the spelling against config.toml)"
    value = problem.get("input")
    shown = "" if isinstance(value, dict) or problem["type"] == "extra_forbidden" else f" (got {value!r})"
    return f"{key}: {message}{shown}"


def _key_name(loc: tuple) -> str:
    names = list(loc)
    index = ""
    while names and isinstance(names[-1], int):  # an item of a list: "[staff] recipients[1]"
        index = f"[{names.pop()}]" + index
    parts = [str(p) for p in names]
    if len(parts) == 1:
        return parts[0] + index
    return f"[{'.'.join(parts[:-1])}] {parts[-1]}{index}"
