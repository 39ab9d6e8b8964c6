"""Render a reply from its template folder: templates/<name>/{subject.txt, body.txt, body.html}.

An admin may override any file by putting one with the same relative name in
[replies] templates_override_dir. Undefined variables are errors, and every
template is rendered once at start-up (`check_templates`) so a broken one is
reported then, not when a reply is due.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from jinja2 import Environment, FileSystemLoader, StrictUndefined, TemplateError, select_autoescape

from inbox.config import PROJECT_ROOT, RepliesConfig
from inbox.errors import ConfigError, InboxError
from replies.inert import address, inert

if TYPE_CHECKING:  # the context is built above the services; they only read it
    from inbox.context import AppContext

TEMPLATE_ROOT = PROJECT_ROOT / "templates"
REPLY_TEMPLATES = ("acknowledgement", "request_missing", "reminder", "invitation", "booking_confirmation", "received_on_case")


class TemplateFailed(InboxError):
    """A template that does not render (syntax, a missing variable); names the file."""


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
        # Every value taken from mail goes through |inert (or |address for a registered address).
        self.env.filters.update(inert=inert, address=address)

    def render(self, name: str, variables: dict) -> RenderedMail:
        """Raises TemplateFailed naming the file (e.g. "invitation/body.txt") when one does not render."""
        subject = " ".join(self._file(f"{name}/subject.txt", variables).split())
        text = self._file(f"{name}/body.txt", variables, subject=subject).strip() + "\n"
        html = self._file(f"{name}/body.html", variables, subject=subject)
        return RenderedMail(subject=subject, text=text, html=html)

    def _file(self, path: str, variables: dict, **extra) -> str:
        try:
            return self.env.get_template(path).render(variables, **extra)
        except TemplateError as err:
            where = getattr(err, "filename", None) or path
            raise TemplateFailed(f"template {where}: {err}") from err

    def check_templates(self, sample: dict) -> None:
        """Render every reply once with sample data; raise ConfigError naming the broken file."""
        for name in REPLY_TEMPLATES:
            try:
                self.render(name, sample)
            except TemplateFailed as err:
                raise ConfigError(str(err)) from err


def renderer_for(ctx: AppContext) -> Renderer:
    """The context's renderer, built once."""
    return ctx.memo("renderer", lambda: Renderer(ctx.settings.replies))
