"""Read a TOML file a person edits, with one line naming the file and what is wrong (never a traceback)."""

from __future__ import annotations

import tomllib
from pathlib import Path

from inbox.errors import ConfigError


def read_toml(path: Path, *, error: type[ConfigError] = ConfigError, missing: str = "file not found") -> dict:
    """The file's tables; `error` (a ConfigError) with the file and the cause when it cannot be read or parsed."""
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as err:
        raise error(f"{path}: {missing}") from err
    except (OSError, UnicodeDecodeError) as err:
        raise error(f"{path}: cannot read the file: {err}") from err
    except tomllib.TOMLDecodeError as err:
        raise error(f"{path}: not valid TOML: {err}") from err
