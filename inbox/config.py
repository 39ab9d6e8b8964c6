"""The configuration schema (pydantic) and its loader.

`config.toml` at the repository root is the annotated reference: every key is
documented there. The defaults below are the same embedded defaults, so the
service runs without any file (the demo). Secrets are never read from the
file: only the *name* of the environment variable that holds them.
"""

from __future__ import annotations

import ipaddress
import os
import re
from datetime import time
from pathlib import Path
from typing import Annotated, Literal
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from email_validator import EmailNotValidError, validate_email
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, field_validator, model_validator

from inbox.errors import ConfigError
from inbox.pipeline_defaults import DEFAULT_RULES, DEFAULT_STEPS, DEFAULT_SUBJECT_PATTERNS
from inbox.rules_file import RuleSet, load_rules
from inbox.toml_file import read_toml

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

# -- Microsoft 365 sign-in (an Entra ID app's client credentials; mailauth/microsoft.py) ---------------
MICROSOFT_AUTHORITY = "https://login.microsoftonline.com"
_GUID = re.compile(r"[0-9a-fA-F]{8}(-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}")


def _microsoft_use(info: ValidationInfo) -> str | None:
    """What makes this section sign in with the app ('auth = "microsoft"', 'transport = "graph"'), or None."""
    if info.data.get("transport") == "graph":
        return 'transport = "graph"'
    return 'auth = "microsoft"' if info.data.get("auth") == "microsoft" else None


def _tenant_id(value: str, info: ValidationInfo) -> str:
    if (use := _microsoft_use(info)) is None:
        return value
    if not value:
        raise ValueError(f"needed with {use}: the Directory (tenant) ID on the app registration's Overview page in Entra ID")
    if value.lower() in ("common", "organizations", "consumers"):
        raise ValueError("an app signs in to the board's own tenant: write its Directory (tenant) ID")
    if not (_GUID.fullmatch(value) or re.fullmatch(r"[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+", value)):
        raise ValueError("not a tenant: write the Directory (tenant) ID (a GUID) or a domain such as lansstyrelsen.onmicrosoft.com")
    return value


def _client_id(value: str, info: ValidationInfo) -> str:
    if (use := _microsoft_use(info)) is not None and not _GUID.fullmatch(value):
        raise ValueError(f"{use} needs the Application (client) ID (a GUID) from the app registration's Overview page")
    return value


def _thumbprint(value: str) -> str:
    value = re.sub(r"[\s:]", "", value).upper()
    if value and not re.fullmatch(r"[0-9A-F]{40}", value):
        raise ValueError("not a certificate thumbprint: 40 hexadecimal digits, as Entra ID shows under Certificates & secrets")
    return value


def _private_key_file(value: Path | None, info: ValidationInfo) -> Path | None:
    """Checked last of the credential keys: a client secret, or a certificate (thumbprint and key)."""
    if _microsoft_use(info) is None or "certificate_thumbprint" not in info.data:  # a bad thumbprint is reported already
        return value
    thumbprint = info.data["certificate_thumbprint"]
    if thumbprint and value is None:
        raise ValueError("needed with certificate_thumbprint: the PEM file with the certificate's private key")
    if value is not None and not thumbprint:
        raise ValueError("goes with certificate_thumbprint: set it to the thumbprint Entra ID shows for the uploaded certificate")
    if value is not None and not value.is_absolute():
        raise ValueError("write the full path (the service may start in any directory)")
    if value is None and not info.data.get("client_secret_env"):
        raise ValueError("the app needs a credential: set client_secret_env (a client secret) or certificate_thumbprint and private_key_file")
    return value


def _scope(value: str) -> str:
    if value and not value.endswith("/.default"):
        raise ValueError("an app asks for a resource's '/.default' scope, e.g. https://outlook.office365.com/.default; empty = that default")
    return value


MicrosoftTenantId = Annotated[str, AfterValidator(_tenant_id), Field(validate_default=True)]
MicrosoftClientId = Annotated[str, AfterValidator(_client_id), Field(validate_default=True)]
CertificateThumbprint = Annotated[str, AfterValidator(_thumbprint)]
PrivateKeyFile = Annotated[Path | None, AfterValidator(_private_key_file), Field(validate_default=True)]
MicrosoftScope = Annotated[str, AfterValidator(_scope)]
HttpsUrl = Annotated[str, Field(pattern=r"^https://[^/\s?#]+(/[^\s?#]*)?$")]


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
    auth: Literal["password", "oauth2", "microsoft"] = "password"
    password_env: str = "INBOX_IMAP_PASSWORD"
    oauth2_token_env: str = "INBOX_IMAP_OAUTH2_TOKEN"
    oauth2_token_command: str = ""
    # auth = "microsoft": the Entra ID app's client-credentials sign-in (README, "Connecting to Exchange Online").
    tenant_id: MicrosoftTenantId = ""
    client_id: MicrosoftClientId = ""
    client_secret_env: str = "INBOX_MS_CLIENT_SECRET"
    certificate_thumbprint: CertificateThumbprint = ""
    private_key_file: PrivateKeyFile = None
    authority: HttpsUrl = MICROSOFT_AUTHORITY
    authority_cafile: Path | None = None
    scope: MicrosoftScope = ""
    folder: str = "INBOX"
    processed_folder: str = ""
    flag_processed: bool = False
    # Which mail processed_folder / flag_processed act on: "handled" (what the service dealt with)
    # or "all". The registry staff read the same inbox, so by default other mail stays put.
    post_action: Literal["handled", "all"] = "handled"
    batch_size: int = Field(25, ge=1, le=500)
    batch_megabytes: float = Field(16, gt=0, le=1024)  # a FETCH batch ends at this many MB (RFC822.SIZE) or batch_size
    timeout_seconds: float = Field(60, gt=0)
    idle: bool = True  # `inbox run` listens with IMAP IDLE where the server offers it; else interval polls only
    idle_renew_minutes: float = Field(20, gt=0, lt=29)  # RFC 2177: re-issue IDLE well inside 29 minutes


class SourceConfig(Section):
    kind: Literal["directory", "imap"] = "directory"
    account: str = "default"
    directory: DirectorySourceConfig = DirectorySourceConfig()
    imap: ImapConfig = ImapConfig()


class SmtpConfig(Section):
    transport: Literal["file", "smtp", "graph"] = "file"
    outbox_dir: Path = Path("var/outbox")
    host: str = ""
    port: int = Field(587, ge=1, le=65535)
    tls: Literal["ssl", "starttls", "none"] = "starttls"
    cafile: Path | None = None
    user: str = ""
    password_env: str = "INBOX_SMTP_PASSWORD"
    # "password", or "microsoft": SMTP AUTH XOAUTH2 with the Entra ID app's token (the keys below).
    auth: Literal["password", "microsoft"] = "password"
    # The app's sign-in, for auth = "microsoft" and for transport = "graph" (see [source.imap]).
    tenant_id: MicrosoftTenantId = ""
    client_id: MicrosoftClientId = ""
    client_secret_env: str = "INBOX_MS_CLIENT_SECRET"
    certificate_thumbprint: CertificateThumbprint = ""
    private_key_file: PrivateKeyFile = None
    authority: HttpsUrl = MICROSOFT_AUTHORITY
    authority_cafile: Path | None = None
    scope: MicrosoftScope = ""
    # transport = "graph": Microsoft Graph's address (sendMail is POSTed to {graph_base_url}/users/{mailbox}/sendMail).
    graph_base_url: HttpsUrl = "https://graph.microsoft.com/v1.0"
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

    @field_validator("auth")
    @classmethod
    def _microsoft_signs_in_as_user(cls, value: str, info: ValidationInfo) -> str:
        if value == "microsoft" and not info.data.get("user"):
            raise ValueError('"microsoft" signs in as [smtp] user: set user to the mailbox the replies leave from')
        return value

    @field_validator("sent_copy_folder")
    @classmethod
    def _graph_files_its_own_copy(cls, value: str, info: ValidationInfo) -> str:
        # Graph files every message it sends in the mailbox's Sent Items: a second copy would only double it.
        if value and info.data.get("transport") == "graph":
            raise ValueError('Microsoft Graph files each reply in Sent Items itself: leave sent_copy_folder empty and '
                             'set sent_folder to that folder\'s IMAP name ("Sent Items")')
        return value

    @model_validator(mode="after")
    def _claim_outlasts_a_send(self) -> SmtpConfig:
        if self.claim_timeout_minutes * 60 < 12 * self.timeout_seconds:
            raise ValueError(f"claim_timeout_minutes must be at least 12 x timeout_seconds "
                             f"({12 * self.timeout_seconds / 60:g} minutes), or a slow send is taken for a dead one")
        return self


class ScheduleConfig(Section):
    poll_minutes: float = Field(5, gt=0)
    standby_seconds: float = Field(30, gt=0)  # a worker that does not hold the mailbox looks for stored mail to process this often
    outbox_minutes: float = Field(1, gt=0)
    digest_time: time = time(7, 30)
    reminder_time: time = time(9, 0)


class ClassifyConfig(Section):
    # The names and patterns are checked where the pipeline is built (ingest/pipeline_config.py),
    # by the services that implement them: the ground imports no service.
    rules: tuple[str, ...] = DEFAULT_RULES
    subject_patterns: tuple[str, ...] = DEFAULT_SUBJECT_PATTERNS


class ExtractConfig(Section):
    steps: tuple[str, ...] = DEFAULT_STEPS  # checked as [classify] rules are
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
    # One child takes a run of messages, each under the budget above; it is replaced by a fresh one
    # after child_messages messages, or after a message that took it past child_retire_mb (resident).
    child_messages: int = Field(50, ge=1)
    child_retire_mb: int = Field(200, ge=50)


class BookingConfig(Section):
    # Local hours for dialogue meetings and free times. A time outside them (or in the past, on a weekend
    # or a Swedish public holiday) is refused unless the person confirms it (`--confirm`, a checkbox in
    # the workspace): cases/booking.py.
    office_hours: str = "08:00-17:00"

    @field_validator("office_hours")
    @classmethod
    def _hours(cls, value: str) -> str:
        match = re.fullmatch(r"\s*(\d\d):(\d\d)\s*-\s*(\d\d):(\d\d)\s*", value)
        if not match or int(match[1]) > 23 or int(match[3]) > 23 or int(match[2]) > 59 or int(match[4]) > 59:
            raise ValueError('write the opening and closing time as "HH:MM-HH:MM", e.g. "08:00-17:00"')
        if (match[1], match[2]) >= (match[3], match[4]):
            raise ValueError("the closing time must come after the opening time")
        return f"{match[1]}:{match[2]}-{match[3]}:{match[4]}"

    def hours(self) -> tuple[time, time]:
        """(opens, closes) as local wall-clock times."""
        opens, closes = self.office_hours.split("-")
        return time.fromisoformat(opens), time.fromisoformat(closes)


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
    # Sign-in with the board's identity provider (OpenID Connect; Entra ID): all three keys or none.
    # The issuer is the tenant's, e.g. https://login.microsoftonline.com/<tenant id>/v2.0 (web/routes/oidc.py).
    oidc_issuer: str | None = None
    oidc_client_id: str | None = Field(None, validate_default=True)
    oidc_client_secret_env: str | None = Field(None, validate_default=True)
    # The ID token claim that names the account (Entra ID puts the UPN in preferred_username).
    oidc_username_claim: str = Field("preferred_username", min_length=1)
    # The CA that signed the provider's certificate, when the system's CAs do not (a test provider).
    oidc_cafile: Path | None = Field(None, validate_default=True)

    @field_validator("base_url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError(f"must start with http:// or https:// (got {value!r})")
        return value.rstrip("/")

    @field_validator("oidc_issuer")
    @classmethod
    def _issuer_url(cls, value: str | None) -> str | None:
        if not value:
            return None
        parts = urlsplit(value)
        if parts.query or parts.fragment or not parts.hostname:
            raise ValueError("write the issuer URL alone, e.g. https://login.microsoftonline.com/<tenant id>/v2.0")
        if parts.scheme != "https" and not (parts.scheme == "http" and _loopback(parts.hostname)):
            raise ValueError("must start with https:// (plain http only for a test provider on this machine)")
        return value.rstrip("/")

    @field_validator("oidc_client_id", "oidc_client_secret_env", "oidc_cafile")
    @classmethod
    def _with_issuer(cls, value: str | Path | None, info: ValidationInfo) -> str | Path | None:
        # oidc_issuer is validated first; a bad one is reported already and absent from info.data.
        if "oidc_issuer" not in info.data:
            return value
        issuer = info.data["oidc_issuer"]
        if issuer and not value and info.field_name != "oidc_cafile":
            raise ValueError("needed with oidc_issuer: " + _OIDC_KEYS[str(info.field_name)])
        if value and not issuer:
            raise ValueError("goes with oidc_issuer: set oidc_issuer, oidc_client_id and oidc_client_secret_env together, or none")
        return value


_OIDC_KEYS = {
    "oidc_client_id": "the Application (client) ID from the workspace's app registration in Entra ID",
    "oidc_client_secret_env": "the name of the environment variable that holds the app registration's client secret",
}


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class StrategyConfig(Section):
    # The strategy's sub-goals, problem areas and priorities (README "The strategy as data").
    file: Path = Path("data/strategy.toml")


class PortalConfig(Section):
    # The organisation's own page: a personal link in the invitation (README "The organisation's page").
    enabled: bool = True
    base_url: str = ""  # where the public page is served; empty: [web] base_url
    link_days: int = Field(120, ge=1, le=730)  # a link stops working this many days after it was made
    requests_per_window: int = Field(60, ge=5, le=10_000)  # per link, in each window of window_minutes
    window_minutes: int = Field(10, ge=1, le=1440)
    max_answer_chars: int = Field(4000, ge=200, le=50_000)  # per text field on the page

    @field_validator("base_url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        if value and not value.startswith(("http://", "https://")):
            raise ValueError(f"must start with http:// or https:// (got {value!r}), or be empty for [web] base_url")
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
    booking: BookingConfig = BookingConfig()
    web: WebConfig = WebConfig()
    strategy: StrategyConfig = StrategyConfig()
    portal: PortalConfig = PortalConfig()
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

    def portal_base_url(self) -> str:
        return self.portal.base_url or self.web.base_url

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
    data = read_toml(path)
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
