"""/bilaga/{id}: a stored attachment, shown in the page or downloaded.

The type is sniffed from the stored bytes (cases/documents.py), never taken from the sender. A PDF or a
common image is served inline under its own strict policy (web.security.DOCUMENT_CSP / IMAGE_CSP) so the
case page can frame it; anything else, and anything asked for with `?ladda-ner=1`, is a download of
application/octet-stream (a PDF or image keeps its type), so no file from mail ever runs in our origin.
Staff may open any case's attachment (one board, one workspace); an unknown id is 404.
"""

from __future__ import annotations

from urllib.parse import quote

from starlette.responses import Response
from starlette.routing import Route

from cases.documents import DOWNLOAD, PDF, content_type, safe_filename, shown_as, stored_file
from web.handler import Page, page
from web.security import DOCUMENT_CSP, IMAGE_CSP

DOWNLOAD_CSP = "default-src 'none'; sandbox"
ATTR_CHARS = "!#$&+-.^_`|~"  # RFC 5987 attr-char besides letters and digits: left as they are


@page()
def attachment(p: Page) -> Response:
    stored = stored_file(p.ctx, p.session, int(p.request.path_params["attachment_id"]))
    payload = stored.path.read_bytes()
    kind = content_type(payload)
    inline = shown_as(kind) is not None and "ladda-ner" not in p.request.query_params
    headers = {"Content-Disposition": disposition("inline" if inline else "attachment", stored.attachment.filename),
               "X-Content-Type-Options": "nosniff"}
    if inline:
        headers["Content-Security-Policy"] = DOCUMENT_CSP if kind == PDF else IMAGE_CSP
        headers["X-Frame-Options"] = "SAMEORIGIN"  # the case page frames it; nothing else may
    else:
        headers["Content-Security-Policy"] = DOWNLOAD_CSP
    return Response(payload, media_type=kind if shown_as(kind) else DOWNLOAD, headers=headers)


def disposition(how: str, filename: str | None) -> str:
    """`inline; filename="ascii"; filename*=UTF-8''pct-encoded` (RFC 6266 and 5987), from a sanitised name."""
    name = safe_filename(filename)
    ascii_name = "".join(ch if 32 <= ord(ch) < 127 and ch not in "\\\"" else "_" for ch in name)
    return f"{how}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name, safe=ATTR_CHARS)}"


ROUTES = [Route("/bilaga/{attachment_id:id}", attachment, methods=["GET"])]
