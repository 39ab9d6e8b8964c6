"""Write a generated mail set to disk, or check that the files on disk are what a fresh build gives."""

from __future__ import annotations

from pathlib import Path


def sync(mail_dir: Path, wanted: dict[Path, bytes], *, check: bool) -> list[Path]:
    """With `check`: the paths that differ (missing, changed or stray .eml), nothing written.
    Without: write `wanted`, delete stray .eml files in `mail_dir`, and return []."""
    if check:
        stale = [path for path, data in wanted.items() if not path.exists() or path.read_bytes() != data]
        return stale + [path for path in mail_dir.glob("*.eml") if path not in wanted]
    mail_dir.mkdir(exist_ok=True)
    for old in mail_dir.glob("*.eml"):
        if old not in wanted:
            old.unlink()
    for path, data in wanted.items():
        path.write_bytes(data)
    return []
