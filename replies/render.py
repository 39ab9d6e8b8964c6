"""Render a reply from its template folder: templates/<name>/{subject.txt, body.txt, body.html}.

An admin may override any file by putting one with the same relative name in
[replies] templates_override_dir. Undefined variables are errors, and every
template is rendered once at start-up (`check_templates`) so a broken one is
reported then, not when a reply is due.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, TemplateError, select_autoescape

from inbox.config import PROJECT_ROOT, RepliesConfig
from inbox.errors import ConfigError

TEMPLATE_ROOT = PROJECT_ROOT / "templates"
REPLY_TEMPLATES = ("acknowledgement", "request_missing", "reminder", "invitation", "booking_confirmation")


@dataclass(frozen=True)
class RenderedMail:
    subject: str
    text: str
    html: str | None


class Renderer:
    def __init__(self, config: RepliesConfig, base_dir: Path = PROJECT_ROOT) -> None:
        folders = [str(TEMPLATE_ROOT)]
        if config.templates_override_dir:
            override = config.templates_override_dir
            folders.insert(0, str(override if override.is_absolute() else base_dir / override))
        self.env = Environment(
            loader=FileSystemLoader(folders),
            undefined=StrictUndefined,
            autoescape=select_autoescape(enabled_extensions=("html",), default_for_string=False),
            keep_trailing_newline=False,
        )

    def render(self, name: str, variables: dict) -> RenderedMail:
        subject = " ".join(self.env.get_template(f"{name}/subject.txt").render(variables).split())
        text = self.env.get_template(f"{name}/body.txt").render(variables, subject=subject).strip() + "\n"
        html = self.env.get_template(f"{name}/body.html").render(variables, subject=subject)
        return RenderedMail(subject=subject, text=text, html=html)

    def check_templates(self, sample: dict) -> None:
        """Render every reply once with sample data; raise ConfigError naming the broken file."""
        for name in REPLY_TEMPLATES:
            try:
                self.render(name, sample)
            except TemplateError as err:
                where = getattr(err, "filename", None) or name
                raise ConfigError(f"template {where}: {err}") from err
