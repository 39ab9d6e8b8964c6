"""The organisation steps: name (the applicant's own evidence, then its domain, then a mere mention), number, type."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ingest.extract import bodytext
from ingest.extract import fields as f
from ingest.extract import org_evidence as evidence
from ingest.extract.result import OrgType

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
LOWER_WORDS = {"kommun", "stad", "universitet", "högskola", "län", "läns", "i", "och", "för", "av", "på"}
# Associations and foundations: a capitalised phrase around one of these words ("Kvinno- och
# tjejjouren i Arboga", "Stiftelsen Trygga Barn i Bergslagen", "Köpings Idrottssällskap").
# A token is a civil name's key word when it is one word holding one of these stems. Tested as
# "all word characters" + "holds a stem": the equivalent fullmatch of r"\w*(?:stem)\w*" backtracked
# quadratically over a long token that held the stem many times.
CIVIL_STEM = re.compile(r"förening|jour|förbund|stiftelse|sällskap|nätverk|klubb|universitet|högskola", re.I)
ONE_WORD = re.compile(r"\w+")
STOP = {"Vi", "I", "Jag", "Vår", "Hej", "Styrelsen", "Årsmötet", "Den", "Det", "Här", "På", "Från", "Protokoll",
        "Kontaktperson", "Ordförande", "Sekreterare", "Kassör"}


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


PLACES = r"Västerås|Köping|Sala|Fagersta|Arboga|Kungsör|Norberg|Surahammar|Hallstahammar|Skinnskatteberg"


def name_in(text: str, known) -> tuple[str | None, str]:
    """(name, how) from one text: a known organisation (with a local office's place), else a pattern.
    The weakest evidence: a name merely mentioned may be an owner, a partner or a place."""
    org = known.by_name(text)
    if org:
        return local_office(org, text), "known"
    for pattern in (MUNICIPAL, COMPANY):
        m = pattern.search(text)
        if m and "Länsstyrelsen" not in m.group(1):
            return m.group(1), "pattern"
    civil = civil_names(text)
    return (civil[0], "pattern") if civil else (None, "")


def local_office(org, text: str) -> str:
    """"Arbetsförmedlingen Västerås" when the text names the agency's local office, else the name."""
    local = re.search(re.escape(org.name) + rf"[ ]({PLACES})\b", text)
    return local.group(0) if local else org.name


def resolve(name: str, text: str, known) -> tuple[str, bool]:
    """(the name to record, whether it is a known organisation). A candidate that is a known name,
    perhaps with a unit ("Västerås stad Kulturförvaltningen"), is that organisation; one with a
    legal form or kind of its own around the known name is its own organisation."""
    org = known.by_name(name)
    if org:
        folded = name.casefold()
        m = org.pattern.search(folded)
        if m and not evidence.ORG_FORM.search(folded[:m.start()] + " " + folded[m.end():]):
            return local_office(org, text), True
    return normal_case(name, text), False


def normal_case(name: str, text: str) -> str:
    """'MÄLARDALENS UNIVERSITET' from a letterhead -> as the text writes it, else 'Mälardalens universitet'."""
    if not name.isupper():
        return name
    for m in re.finditer(re.escape(name), text, re.I):
        if not m.group(0).isupper():
            return m.group(0)
    return " ".join(_normal_word(word, i) for i, word in enumerate(name.split(" ")))


def _normal_word(word: str, position: int) -> str:
    """A generic word in lower case, a short one kept as written (a legal form or an acronym:
    "AB", "HB", "ABF", "BK"), any other capitalised."""
    lower = word.lower()
    if lower in LOWER_WORDS and position:
        return lower
    return word if len(word) <= 3 else "-".join(part[:1].upper() + part[1:] for part in lower.split("-"))  # Sala-Heby


def _spaced(text: str) -> str:
    """Runs of spaces (justified PDF text: "Styrelsen  beslutar  att  ...") read as one."""
    return re.sub(r"[ \t]{2,}", " ", text or "")


# Where the applicant names itself, strongest first (org_evidence.py); a known name merely
# mentioned comes only after these and the sender's domain.
EVIDENCE = (
    ("decision", "letterhead", lambda text, known, own: evidence.letterhead(text, known)),
    ("decision", "org_number", evidence.beside_org_number),
    ("decision", "minutes", lambda text, known, own: evidence.minutes_of(text, known)),
    ("decision", "joining", lambda text, known, own: evidence.joining_subject(text, known)),
    ("text", "org_number", evidence.beside_org_number),
    ("text", "signature", lambda text, known, own: evidence.signature_org(text, known)),
    ("text", "joining", lambda text, known, own: evidence.joining_subject(text, known)),
)


def organisation_name(ctx: ExtractionContext) -> None:
    o = ctx.result.organisation
    if o.name:
        return
    own, _ = bodytext.split_quote(bodytext.clean(ctx.body))
    texts = {"decision": _spaced(ctx.decision_text), "text": _spaced(own)}
    whole = f"{texts['decision']}\n{texts['text']}"
    for source, how, find in EVIDENCE:
        found = find(texts[source], ctx.known, ctx.known.own_numbers()) if texts[source] else None
        if found:
            name, _ = resolve(found, whole, ctx.known)
            _record(ctx, name, source, how)
            return
    if _from_domain(ctx, whole):
        return
    for source in ("decision", "text"):
        mentioned, how = name_in(texts[source], ctx.known)
        if mentioned:
            _record(ctx, normal_case(mentioned, whole), source, how)
            return


def _record(ctx: ExtractionContext, name: str, source: str, how: str) -> None:
    o = ctx.result.organisation
    o.name, o.source = name, source
    ctx.evidence["organisation.name"] = f"{source}:{how}"
    ctx.note("organisation_name", f"{name} from the {source} ({how})")


def _from_domain(ctx: ExtractionContext, text: str) -> bool:
    """The sender's domain, when it is a known organisation's (never a free-mail provider's)."""
    domain = (ctx.mail.sender or "").rpartition("@")[2]
    org = ctx.known.by_domain(domain)
    if not org or org.self:
        return False
    o = ctx.result.organisation
    o.name, o.source, o.type = local_office(org, text), "domain", org.type
    o.org_number = o.org_number or org.org_number
    ctx.evidence["organisation.name"] = "domain"
    ctx.note("organisation_name", f"{o.name} from the domain {domain}")
    return True


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


# The org number's first digits give the legal form (Bolagsverket's groups): 212 municipalities,
# 232 regions, 202 state agencies, 252 Svenska kyrkan's parishes and pastorates, 5 limited
# companies, 7 economic and 8 non-profit associations and foundations, 9 trading partnerships.
TYPE_PREFIXES: tuple[tuple[str, OrgType], ...] = (("2120", "kommun"), ("2321", "region"), ("2021", "statlig_myndighet"), ("252", "civilsamhalle"),
                 ("5", "naringsliv"), ("7", "civilsamhalle"), ("8", "civilsamhalle"), ("9", "naringsliv"))
# A legal form or kind in the name decides before any municipality in it: "Västerås Stads
# Parkerings AB" is a company, "Västerås pastorat" a parish. Civil words come before the agencies'
# "verket": "Kvinnonätverket" is an association, not an agency.
TYPE_FORMS: tuple[tuple[re.Pattern[str], OrgType], ...] = ((re.compile(r"\b(?:AB|HB|KB)\b|aktiebolag|bank(?:en)?\b", re.I), "naringsliv"),
              (re.compile(r"förening|förbund|stiftelse|jour|sällskap|nätverk|klubb|pastorat|församling|kyrka|"
                          r"kyrkan|mission", re.I), "civilsamhalle"))
TYPE_WORDS: tuple[tuple[re.Pattern[str], OrgType], ...] = ((re.compile(r"\b(?:kommun|stad)\b", re.I), "kommun"), (re.compile(r"\bregion\b", re.I), "region"),
              (re.compile(r"myndighet|verket|länsstyrelsen|arbetsförmedlingen|försäkringskassan|kriminalvården|"
                          r"universitet|högskola|polis", re.I), "statlig_myndighet"))


def organisation_type(ctx: ExtractionContext) -> None:
    o = ctx.result.organisation
    name = o.name or ""
    by_number = next((kind for prefix, kind in TYPE_PREFIXES if (o.org_number or "").startswith(prefix)), None)
    by_form = next((kind for pattern, kind in TYPE_FORMS if pattern.search(name)), None)
    known = ctx.known.by_name(name)
    by_words = next((kind for pattern, kind in TYPE_WORDS if pattern.search(name)), None)
    o.type = by_number or by_form or (known.type if known else None) or o.type or by_words
    ctx.evidence["organisation.type"] = "number" if by_number else ("name" if o.type else "")
