"""The organisation steps: name (decision, text, signature, known domain), Luhn-checked number, type."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ingest.extract import bodytext
from ingest.extract import fields as f

if TYPE_CHECKING:
    from ingest.extract.steps import ExtractionContext

WORD = r"[A-ZÅÄÖ][\wåäöÅÄÖ&\-]*"
# In searches a word is at most 60 characters: "A-A-A-..." has a word boundary at every letter,
# and an unbounded word read from each of them to the end of the line was quadratic. Where a
# space must follow, the word is possessive (no character of it can be a space, so giving one
# back never helps a match; it only cost time).
SEARCH_WORD = r"[A-ZÅÄÖ][\wåäöÅÄÖ&\-]{0,60}"
WORD_THEN_SPACE = SEARCH_WORD + "+"
MUNICIPAL = re.compile(rf"\b({WORD_THEN_SPACE}(?:[ ]{WORD_THEN_SPACE})?[ ](?:kommun|stad)|Region[ ]{SEARCH_WORD})\b")
COMPANY = re.compile(rf"\b((?:{WORD_THEN_SPACE}|&)(?:[ ](?:{WORD_THEN_SPACE}|&|i|och)){{0,5}}[ ]AB)\b")  # "Norrby Fastigheter i Västerås AB"
# Generic words that stay lower case when a letterhead in capitals is written normally.
LOWER_WORDS = {"kommun", "stad", "universitet", "högskola", "län", "i", "och", "för", "av", "på"}
# Associations and foundations: a capitalised phrase around one of these words ("Kvinno- och
# tjejjouren i Arboga", "Stiftelsen Trygga Barn i Bergslagen", "Köpings Idrottssällskap").
# A token is a civil name's key word when it is one word holding one of these stems. Tested as
# "all word characters" + "holds a stem": the equivalent fullmatch of r"\w*(?:stem)\w*" backtracked
# quadratically over a long token that held the stem many times.
CIVIL_STEM = re.compile(r"förening|jour|förbund|stiftelse|sällskap|nätverk|klubb|universitet|högskola", re.I)
ONE_WORD = re.compile(r"\w+")
STOP = {"Vi", "I", "Jag", "Vår", "Hej", "Styrelsen", "Årsmötet", "Den", "Det", "Här", "På", "Från", "Protokoll",
        "Kontaktperson", "Ordförande", "Sekreterare", "Kassör"}
HEADING = re.compile(r"^(protokoll|beslut|utdrag|styrelse|årsmöte|sammanträde|datum|org)", re.I)
ORG_WORDS = re.compile(r"kommun|stad|region|\bAB\b|förening|jour|förbund|stiftelse|sällskap|nätverk|klubb|universitet|"
                       r"högskola|myndighet", re.I)


def civil_names(text: str) -> list[str]:
    names = []
    for line in text.split("\n"):
        if not CIVIL_STEM.search(line):
            continue  # most lines hold no stem; no need to look at each word
        tokens = line.split(" ")
        for i, token in enumerate(tokens):
            if _is_civil_word(token.strip(",.;:()")):
                names.append(_grow(tokens, i))
    return [n for n in names if n and n[0].isupper() and n.split()[0] not in STOP]


def _is_civil_word(token: str) -> bool:
    return bool(ONE_WORD.fullmatch(token)) and bool(CIVIL_STEM.search(token))


def _grow(tokens: list[str], i: int) -> str:
    start = i
    while start > 0:
        prev = tokens[start - 1]
        if prev.endswith("-") or (prev == "och" and start > 1 and tokens[start - 2].endswith("-")):
            start -= 1
        elif re.fullmatch(WORD, prev) and prev not in STOP and not prev.isupper():
            start -= 1
        else:
            break
    end = i + 1
    if tokens[i][-1:] not in ",.;:":
        while end < len(tokens):
            word = tokens[end].rstrip(",.;:")
            if word == "i" and end + 1 < len(tokens) and re.fullmatch(WORD, tokens[end + 1].rstrip(",.;:")):
                end += 2
            elif re.fullmatch(WORD, word) and word not in STOP:
                end += 1
            else:
                break
            if tokens[end - 1][-1:] in ",.;:":
                break
    return " ".join(tokens[start:end]).strip(",.;:() ")


def name_in(text: str, known) -> tuple[str | None, str]:
    """(name, how) from one text: a known organisation (with a local office's place), else a pattern."""
    org = known.by_name(text)
    if org:
        local = re.search(re.escape(org.name) + r"[ ](Västerås|Köping|Sala|Fagersta|Arboga|Kungsör|Norberg|Surahammar|"
                          r"Hallstahammar|Skinnskatteberg)\b", text)
        return (local.group(0) if local else org.name), "known"
    for pattern in (MUNICIPAL, COMPANY):
        m = pattern.search(text)
        if m and "Länsstyrelsen" not in m.group(1):
            return m.group(1), "pattern"
    civil = civil_names(text)
    return (civil[0], "pattern") if civil else (None, "")


def letterhead(text: str) -> str | None:
    """The first line of a decision document is its letterhead, when it reads as an organisation."""
    first = next((ln.strip() for ln in text.split("\n") if ln.strip()), "")
    if first and len(first.split()) <= 6 and not HEADING.match(first) and not re.search(r"\d", first) \
            and ORG_WORDS.search(first) and "Länsstyrelsen" not in first:
        return first
    return None


def normal_case(name: str, text: str) -> str:
    """'MÄLARDALENS UNIVERSITET' from a letterhead -> as the text writes it, else 'Mälardalens universitet'."""
    if not name.isupper():
        return name
    for m in re.finditer(re.escape(name), text, re.I):
        if not m.group(0).isupper():
            return m.group(0)
    words = name.lower().split(" ")
    return " ".join(w if w in LOWER_WORDS and i else w[:1].upper() + w[1:] for i, w in enumerate(words))


def organisation_name(ctx: ExtractionContext) -> None:
    o = ctx.result.organisation
    if o.name:
        return
    own, _ = bodytext.split_quote(bodytext.clean(ctx.body))
    for source, text in (("decision", ctx.decision_text), ("text", own)):
        name, how = name_in(text, ctx.known)
        if source == "decision" and how != "known":
            name, how = (letterhead(text), "letterhead") if letterhead(text) else (name, how)
        if name:
            name = normal_case(name, f"{ctx.decision_text}\n{own}")
            o.name, o.source = name, source
            ctx.evidence["organisation.name"] = f"{source}:{how}"
            ctx.note("organisation_name", f"{name} from the {source} ({how})")
            return
    domain = (ctx.mail.sender or "").rpartition("@")[2]
    org = ctx.known.by_domain(domain)
    if org and not org.self:
        o.name, o.source, o.type = org.name, "domain", org.type
        o.org_number = o.org_number or org.org_number
        ctx.evidence["organisation.name"] = "domain"
        ctx.note("organisation_name", f"{org.name} from the domain {domain}")


def org_number(ctx: ExtractionContext) -> None:
    o = ctx.result.organisation
    valid, invalid = f.find_org_numbers(f"{ctx.decision_text}\n{ctx.body}")
    for bad in invalid:
        ctx.note("org_number", f"{bad} fails the Luhn check; not used")
        ctx.result.flag("organisation.org_number", f"{bad} fails the Luhn check; not used")
    mine = [n for n in valid if n not in ctx.known.own_numbers()]
    if mine and not o.org_number:
        o.org_number = mine[0]
        ctx.evidence["organisation.org_number"] = "decision" if mine[0] in (ctx.decision_text or "") else "text"


TYPE_PREFIXES = (("2120", "kommun"), ("2321", "region"), ("2021", "statlig_myndighet"), ("55", "naringsliv"),
                 ("7", "civilsamhalle"), ("8", "civilsamhalle"))
# Civil words before the agencies' "verket": "Kvinnonätverket" is an association, not an agency.
TYPE_WORDS = ((("kommun", " stad"), "kommun"), (("region ",), "region"), ((" ab",), "naringsliv"),
              (("förening", "förbund", "stiftelse", "jour", "sällskap", "nätverk", "klubb"), "civilsamhalle"),
              (("myndighet", "verket", "länsstyrelsen", "arbetsförmedlingen", "försäkringskassan", "skatteverket",
                "kriminalvården", "universitet", "högskola", "polis"), "statlig_myndighet"))


def organisation_type(ctx: ExtractionContext) -> None:
    o = ctx.result.organisation
    by_number = next((kind for prefix, kind in TYPE_PREFIXES if (o.org_number or "").startswith(prefix)), None)
    known = ctx.known.by_name(o.name or "")
    by_name = next((kind for words, kind in TYPE_WORDS if any(w in f" {(o.name or '').lower()} " for w in words)), None)
    o.type = by_number or o.type or (known.type if known else None) or by_name
    ctx.evidence["organisation.type"] = "number" if by_number else ("name" if o.type else "")
