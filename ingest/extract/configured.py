"""The `configured_patterns` step: the admin's field rules from rules.toml, in their order.

They run before the built-in steps, which only fill what is still empty, so a rule an admin
wrote wins. The value is normalised like the built-in one (a date to ISO, a phone to E.164,
an org number Luhn-checked); a match that does not normalise is noted and not used.
"""

from __future__ import annotations

from ingest.extract import fields as f

MAX_VALUE = 200  # longer is a runaway pattern (".+" over a whole line of HTML), not a field

NORMALISE = {
    "decision.date": f.parse_date,
    "contact.phone": f.normalise_phone,
    "contact.email": f.normalise_email,
    "organisation.org_number": lambda text: next(iter(f.find_org_numbers(text)[0]), None),
    "decision.paragraph": lambda text: f.find_paragraph(text if "§" in text else f"§ {text}"),
}


def configured_patterns(ctx) -> None:
    for rule in ctx.rules:
        group, _, name = rule.field.partition(".")
        target = getattr(ctx.result, group)
        if getattr(target, name):
            continue  # an earlier rule found it
        match = rule.compiled().search(_text(ctx, rule.source))
        if match is None:
            continue
        found = match.group(1) if rule.compiled().groups else match.group(0)
        raw = " ".join((found or "").split())  # an optional group may match nothing
        value = NORMALISE.get(rule.field, lambda text: text or None)(raw) if 0 < len(raw) <= MAX_VALUE else None
        if not value:
            ctx.note("configured_patterns", f"rule {rule.name} matched {raw!r} but it is not a valid {rule.field}")
            continue
        setattr(target, name, value)
        ctx.evidence[rule.field] = f"rule:{rule.name}"
        ctx.note("configured_patterns", f"rule {rule.name} -> {rule.field} = {value}")


def _text(ctx, source: str) -> str:
    if source == "decision":
        return ctx.decision_text or ""
    if source == "body":
        return ctx.body
    return f"{ctx.decision_text or ''}\n{ctx.body}"
