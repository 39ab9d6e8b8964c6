"""Checks of this machine: Tesseract with the configured languages, the templates, free disk
in data_dir, the time zone and the clock."""

from __future__ import annotations

import shutil
import subprocess
import uuid
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import func, select, text
from sqlalchemy.exc import SQLAlchemyError

from digest.render import check_digest_template
from ingest.extract.ocr import tesseract_path
from models import Event, JobRun
from ops.doctor import CheckFailed, Checkup
from replies.render import REPLY_TEMPLATES, renderer_for
from replies.variables import sample_variables

TESSERACT_SECONDS = 30
CLOCK_TOLERANCE = timedelta(seconds=60)  # Kerberos allows 5 minutes, Entra ID tokens about as much; a minute is already wrong
EARLIEST = datetime(2026, 1, 1, tzinfo=UTC)  # no clock that reads earlier than this code is right


def check_tesseract(checkup: Checkup) -> str:
    extract = checkup.settings.extract
    if not extract.ocr:
        return "OCR is off ([extract] ocr = false): scanned decisions are listed for a person"
    exe = tesseract_path()
    if exe is None:
        raise CheckFailed("tesseract is not on the PATH: scanned decisions cannot be read",
                          "install it (Debian: apt-get install tesseract-ocr tesseract-ocr-swe), or set [extract] ocr = false")
    have = _languages(exe)
    missing = [lang for lang in extract.ocr_languages.split("+") if lang not in have]
    if missing:
        packages = " ".join(f"tesseract-ocr-{lang}" for lang in missing)
        raise CheckFailed(f"{exe} has no language data for {', '.join(missing)} ([extract] ocr_languages = "
                          f"\"{extract.ocr_languages}\"); it has {', '.join(sorted(have)) or 'none'}",
                          f"install the language data (Debian: apt-get install {packages})")
    return f"{exe} with {extract.ocr_languages} (of {', '.join(sorted(have))})"


def _languages(exe: str) -> set[str]:
    try:
        done = subprocess.run([exe, "--list-langs"], capture_output=True, text=True, timeout=TESSERACT_SECONDS)
    except (OSError, subprocess.TimeoutExpired) as err:
        raise CheckFailed(f"{exe} --list-langs failed: {err}", "reinstall Tesseract (Debian: tesseract-ocr)") from err
    # Tesseract 5 lists on stdout, older versions on stderr; the first line is a heading.
    lines = (done.stdout + "\n" + done.stderr).splitlines()
    return {line.strip() for line in lines if line.strip() and not line.startswith("List of available languages")}


def check_templates(checkup: Checkup) -> str:
    renderer_for(checkup.ctx).check_templates(sample_variables(checkup.settings))  # ConfigError naming the file
    check_digest_template(checkup.ctx)
    override = checkup.settings.replies.templates_override_dir
    where = f", with the overrides in {checkup.settings.path(override)}" if override else ""
    return f"{len(REPLY_TEMPLATES)} replies and the digest render with sample data{where}"


def check_disk(checkup: Checkup) -> str:
    folder = checkup.ctx.data_dir
    try:
        folder.mkdir(parents=True, exist_ok=True)
        probe = folder / f".doctor-{uuid.uuid4().hex}"
        probe.write_bytes(b"")
        probe.unlink()
        free = shutil.disk_usage(folder).free
    except OSError as err:
        raise CheckFailed(f"[service] data_dir: cannot write to {folder}: {err.strerror or err}",
                          "create the folder and let the service's user write to it (systemd: ReadWritePaths=), "
                          "or set [service] data_dir") from err
    if free < checkup.min_free_mb * 1_000_000:
        raise CheckFailed(f"[service] data_dir: {folder} has {_size(free)} free, less than {_size(checkup.min_free_mb * 1_000_000)}",
                          "free space on that disk, or move data_dir to a larger one (every raw message and attachment is kept there)")
    return f"{folder} is writable, {_size(free)} free"


def _size(count: float) -> str:
    return f"{count / 1e9:.1f} GB" if count >= 1e9 else f"{count / 1e6:.0f} MB"


def check_timezone(checkup: Checkup) -> str:
    name = checkup.settings.service.timezone
    try:
        zone = ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as err:  # validated at load; tzdata can still go missing
        raise CheckFailed(f"[service] timezone: {name!r} cannot be loaded: {err}", "install tzdata, or set a valid name") from err
    local = checkup.ctx.clock().astimezone(zone)
    return f"{name}: now {local:%Y-%m-%d %H:%M} {local.tzname()} (UTC{local.isoformat()[-6:]})"


def check_clock(checkup: Checkup) -> str:
    now = checkup.ctx.clock()
    if now < EARLIEST:
        raise CheckFailed(f"this machine's clock says {now:%Y-%m-%d %H:%M} UTC, before this version was written", "set the clock")
    compared = _against_database(checkup, now)
    return f"{now:%Y-%m-%d %H:%M:%S} UTC{compared}"


def _against_database(checkup: Checkup, now: datetime) -> str:
    """PostgreSQL has its own clock to compare with; either database has the newest time already recorded."""
    if checkup.database_file_missing:
        return " (not compared with the database: there is none yet)"
    try:
        with checkup.ctx.sessions() as session:
            server = session.scalar(text("SELECT now()")) if session.get_bind().dialect.name == "postgresql" else None
            newest = max((t for t in (session.scalar(select(func.max(Event.at))), session.scalar(select(func.max(JobRun.started_at))))
                          if t is not None), default=None)
    except SQLAlchemyError:
        return " (not compared with the database: it cannot be read)"
    if server is not None and abs(server - now) > CLOCK_TOLERANCE:
        raise CheckFailed(f"this machine's clock is {_gap(now - server)} the database server's",
                          "synchronise the clocks of both machines (systemd-timesyncd, chrony or ntpd)")
    newest = newest.replace(tzinfo=UTC) if newest is not None and newest.tzinfo is None else newest
    if newest is not None and newest - now > CLOCK_TOLERANCE:
        raise CheckFailed(f"this machine's clock is {_gap(now - newest)} the newest time in the database ({newest:%Y-%m-%d %H:%M} UTC)",
                          "set the clock right (systemd-timesyncd, chrony or ntpd); mail and replies are dated by it")
    return ", within a minute of the database server's clock" if server is not None else ""


def _gap(delta: timedelta) -> str:
    """"90 s ahead of" or "2.0 h behind"."""
    seconds = delta.total_seconds()
    size = f"{abs(seconds):.0f} s" if abs(seconds) < 3600 else f"{abs(seconds) / 3600:.1f} h"
    return f"{size} ahead of" if seconds > 0 else f"{size} behind"
