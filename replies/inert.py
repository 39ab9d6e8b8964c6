"""Text from mail placed in our mail so that no mail program turns it into a link.

An organisation name, a title or a subject is chosen by whoever wrote to us; mail programs
link anything that looks like a URL, a "www." name or a bare domain, and a link in a mail
from the county board's own domain is worth a lot to a phisher. So every mail-derived value
goes through `defang` (the `|inert` filter in templates):

- a scheme loses its power: "http" -> "hxxp", "://" -> "[:]//", "mailto:" -> "mailto[:]";
- every dot of a domain-like token (two labels or more, the last one starting with a letter;
  "www.x", "evil.example", the domain of an address) becomes "[.]", the convention people
  who handle phishing reports read at once. Full-width and ideographic dots count too, since
  IDNA maps them to ".".
- a file name with a document extension ("Protokoll § 45.pdf") is left alone: no such
  extension is a top-level domain.

In HTML the value is escaped and wrapped in a <span>, so it is never markup either.
"""

from __future__ import annotations

import re

from jinja2 import pass_eval_context
from markupsafe import Markup, escape

DOTS = ".\u3002\uff0e\uff61"
SCHEME = re.compile(r"(?i)\b(h)(tt)(ps?)\b|\b(mailto):|://")
LABEL = r"[\w-]+"
DOMAIN_LIKE = re.compile(rf"(?:{LABEL}[{DOTS}])+[^\W\d_][\w-]+")
# Extensions of the files organisations send; none is a top-level domain, so none can be linked.
FILE_EXTENSIONS = frozenset({"pdf", "doc", "docx", "odt", "rtf", "txt", "xls", "xlsx", "ods", "jpg", "jpeg", "png",
                             "gif", "tif", "tiff", "heic", "msg", "eml", "dat", "p7s", "p7m", "htm", "html"})


def defang(text: str | None) -> str:
    """`text` with every link-like token broken ("" for None)."""
    if not text:
        return ""
    return DOMAIN_LIKE.sub(_break_dots, SCHEME.sub(_break_scheme, str(text)))


def _break_scheme(match: re.Match) -> str:
    if match.group(1):
        return f"{match.group(1)}xx{match.group(3)}"  # http -> hxxp, https -> hxxps
    if match.group(4):
        return f"{match.group(4)}[:]"
    return "[:]//"


def _break_dots(match: re.Match) -> str:
    token = match.group(0)
    if token.count(".") == 1 and token.rpartition(".")[2].lower() in FILE_EXTENSIONS and not token.lower().startswith("www"):
        return token
    return re.sub(f"([{DOTS}])", r"[\1]", token)


@pass_eval_context
def inert(eval_ctx, value) -> str:
    """Jinja filter: defanged text; in an autoescaped (HTML) template also escaped and wrapped in a span."""
    text = defang(None if value is None else str(value))
    if not eval_ctx.autoescape:
        return text
    return Markup("<span>{}</span>").format(escape(text)) if text else Markup("")


ADDRESS = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+$")


@pass_eval_context
def address(eval_ctx, value) -> str:
    """Jinja filter for an e-mail address we registered (the contact's): shown as the address it is,
    at most a mailto link, so the people it belongs to can check it; anything that is not a plain
    ASCII address is made inert like other text."""
    text = "" if value is None else str(value).strip()
    if ADDRESS.match(text):
        return escape(text) if eval_ctx.autoescape else text
    return inert(eval_ctx, text)
