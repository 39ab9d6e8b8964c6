"""The contact-person steps: labelled, prose, signature; each records how it found the contact."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ingest.extract import bodytext, contact
from ingest.extract import fields as f

if TYPE_CHECKING:
    from ingest.extract.steps import ExtractionContext


def texts(ctx: ExtractionContext) -> tuple[str, str]:
    """(own text, quoted text without the board's own messages): where a contact may be named."""
    own, quoted = bodytext.split_quote(bodytext.clean(ctx.body))
    return own, bodytext.without_board_quotes(quoted, ctx.known.is_own_address)


def contact_labelled(ctx: ExtractionContext) -> None:
    if ctx.result.contact.name:
        return
    for where, text in zip(("text", "quote"), texts(ctx), strict=False):
        found = contact.labelled(text)
        if found and found.is_self:
            ctx.evidence["contact.self"] = where
            _apply(ctx, found, "labelled")
            return
        if found:
            _apply(ctx, found, "labelled")
            ctx.note("contact_labelled", f"{found.name} (in the {where})")
            return


def contact_prose(ctx: ExtractionContext) -> None:
    if ctx.result.contact.name or "contact.self" in ctx.evidence:
        return
    for where, text in zip(("text", "quote"), texts(ctx), strict=False):
        found = contact.prose(text)
        if found:
            _apply(ctx, found, "prose")
            ctx.note("contact_prose", f"{found.name} (in the {where})")
            return
        sentence = contact.is_self(text)
        if sentence:
            ctx.evidence["contact.self"] = where
            _apply(ctx, contact.Found(is_self=True, email=f.normalise_email(sentence),
                                      phone=f.normalise_phone(sentence)), "prose")
            return


def contact_signature(ctx: ExtractionContext) -> None:
    """No contact named: the sender's signature. A contact named without details: the signature's
    details when it is the same person, and the sender's address when the sender is that person."""
    c = ctx.result.contact
    own, quoted = texts(ctx)
    sig = contact.signature(own) or (contact.signature(quoted) if "contact.self" in ctx.evidence else None)
    self_named = "contact.self" in ctx.evidence
    if not c.name and sig and (self_named or not ctx.evidence.get("contact.name")):
        c.name, c.source = sig.name, c.source or "signature"
        ctx.evidence["contact.name"] = "prose" if self_named else "signature"
        ctx.note("contact_signature", f"{sig.name}")
    if not c.name and self_named and ctx.mail.sender_name:
        c.name, c.source = ctx.mail.sender_name, "sender"
        ctx.evidence["contact.name"] = "sender"
    if sig and c.name and _same(sig.name or "", c.name):
        for key in ("title", "email", "phone"):
            if getattr(c, key) is None and getattr(sig, key):
                setattr(c, key, getattr(sig, key))
                ctx.evidence[f"contact.{key}"] = "signature"
    if c.name and not c.email and _same(ctx.mail.sender_name or "", c.name) and ctx.mail.sender:
        c.email, ctx.evidence["contact.email"] = ctx.mail.sender.lower(), "sender"
    if c.name and not (c.email and c.phone):
        _details_under_the_name(ctx, c.name, own, quoted)


def _details_under_the_name(ctx: ExtractionContext, name: str, own: str, quoted: str) -> None:
    """"Kontaktperson är Malin Öst, se hennes uppgifter nedan": the named contact's own details,
    under her name in the forwarded mail (never the board's own quoted mail, see texts())."""
    c = ctx.result.contact
    for where, text in (("text", own), ("quote", quoted)):
        block = contact.named_block(text, name)
        if block is None:
            continue
        for key in ("title", "email", "phone"):
            if getattr(c, key) is None and getattr(block, key):
                setattr(c, key, getattr(block, key))
                ctx.evidence[f"contact.{key}"] = "signature"
        ctx.note("contact_signature", f"details of {name} from the block under the name (in the {where})")
        return


def _apply(ctx: ExtractionContext, found: contact.Found, source: str) -> None:
    c = ctx.result.contact
    for key in ("name", "title", "email", "phone"):
        value = getattr(found, key)
        if value and getattr(c, key) is None:
            setattr(c, key, value)
            ctx.evidence[f"contact.{key}"] = source
    c.source = source if found.name else c.source
    if found.is_self:
        c.source = source


def _same(a: str, b: str) -> bool:
    return bool(a and b) and a.casefold().split() == b.casefold().split()
