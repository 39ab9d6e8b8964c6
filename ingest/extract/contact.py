"""Finding the contact person: a labelled line or list, a sentence in prose, or the sender's signature.

Each finder returns a `Found` (name, title, email, phone) or None; the step in steps.py decides the
order and merges: a contact named in the text gets the missing details from the signature or the
sender's address when it is the same person.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.extract import fields as f

# Latin letters with any diacritic (Latin-1 and Latin Extended-A): "Amra Hodžić", "Łucja Nowak".
# Lower-case letters only after the first, so "ABF Västmanland" is not a person.
UPPER = "A-ZÀ-ÖØ-Þ\u0100-\u017f"
LOWER = "a-zß-öø-ÿ\u0100-\u017f"
PART = rf"[{UPPER}][{LOWER}]+(?:-[{UPPER}][{LOWER}]+)?"
NAME_RE = rf"{PART}(?:[ ]{PART}){{1,2}}"
NAME = re.compile(rf"^{NAME_RE}$")
GREETING = re.compile(r"^\s*(?:med vänlig(?:a)? hälsning(?:ar)?|vänliga hälsningar|vänlig hälsning|hälsningar|mvh|"
                      r"bästa hälsningar|hälsning|med vänliga hälsningar)\b[^\n]*$|^-- ?$", re.I | re.M)
LABEL_LINE = re.compile(r"^[^\n]*\b(?:kontaktperson(?:en)?|kontaktuppgifter)\b[^\n:]{0,40}(?::[ \t]*(?P<rest>[^\n]*))?$", re.I | re.M)
FIELD_LABELS = {
    "name": r"namn", "title": r"titel|befattning|roll|funktion",
    "email": r"e-?post|e-?mail|mejl|mail", "phone": r"telefon|tel|tfn|mobil|mobilnummer|direkt",
}
LABELLED_FIELD = re.compile(r"^\s*(?P<label>" + "|".join(FIELD_LABELS.values()) + r")\.?\s*:?\s+(?P<value>.+)$", re.I)
# "Jag är kontaktperson", "Kontaktperson blir jag själv" -- but not "blir jag, Sofia Lind, ...", which names her.
SELF = re.compile(rf"\bjag är kontaktperson|kontaktperson[^.\n]{{0,40}}?\b(?:är|blir)\s+(?:jag|undertecknad)\b"
                  rf"(?![,:]?\s*(?-i:{NAME_RE}))", re.I)
# Names are matched case-sensitively (capitalised words); the words around them are not.
PROSE = re.compile(r"(?i:kontaktperson|kontakt)[^.\n:]{0,40}?\b(?i:är|blir|har vi|utsett|utsåg|utses|valt|valde)\s+"
                   r"(?:(?i:vår|min|er|jag)[,:]?\s+)?"
                   rf"(?P<pre>(?:[\wåäöÅÄÖ\-]+\s+){{0,3}}?)(?P<name>{NAME_RE})(?P<rest>[^\n]*)")
# "... har utsett Erik Lundmark, enhetschef ..., till kontaktperson": the name before the label.
APPOINTED = re.compile(rf"\b(?i:utsett|utsåg|utser|valt|valde|utse)\s+(?P<pre>(?:[\wåäö\-]+\s+){{0,3}}?)"
                       rf"(?P<name>{NAME_RE})(?P<rest>[^\n]{{0,200}}?)\s(?i:till|som)\s+(?i:kontaktperson)")
NOT_TITLE = re.compile(r"\d|@|\b(kommun|stad|region|förvaltning\w*|kontor\w*|ab|förening\w*|stiftelse\w*|förbund\w*|"
                       r"jour\w*|universitet|myndighet\w*|kansliet|www|org\.?nr|tel|telefon|mobil|växel|e-post|"
                       r"som|nås|se|nedan)\b|\w+(?:förvaltningen|kontoret|enheten|sektionen|avdelningen)\b", re.I)


LIST_ITEM = re.compile(r"[a-zåäöé][a-zåäöé\- ]{0,80}")


@dataclass
class Found:
    name: str | None = None
    title: str | None = None
    email: str | None = None
    phone: str | None = None
    is_self: bool = False  # "Jag är kontaktperson": the sender, with details from the signature


def labelled(text: str) -> Found | None:
    """'Kontaktperson: Name, title, e-mail, phone' or a 'Kontaktperson' line followed by a list."""
    for m in LABEL_LINE.finditer(text):
        rest = (m.group("rest") or "").strip()
        if SELF.search(m.group(0)) and not re.match(NAME_RE, rest):
            # "Kontaktperson är jag själv:" above a list of the sender's own name, title, e-mail, phone
            listed = None if rest else _from_block(_following_lines(text, m.end()))
            return listed or Found(is_self=True, **_details(rest))
        block = [rest] if rest else []
        block += _following_lines(text, m.end())
        found = _from_block(block)
        if found and found.name:
            return found
    return None


def _following_lines(text: str, position: int) -> list[str]:
    lines = []
    following = text[position:]
    for line in (following[1:] if following.startswith("\n") else following).split("\n"):
        if not line.strip() or GREETING.match(line):
            break
        lines.append(line.strip())
    return lines[:6]


def _from_block(lines: list[str]) -> Found | None:
    found = Found()
    free = []
    for line in lines:
        m = LABELLED_FIELD.match(line)
        label = m.group("label") if m else ""
        key = next((k for k, v in FIELD_LABELS.items() if label and re.fullmatch(v, label, re.I)), None)
        if m and key and getattr(found, key) is None:
            setattr(found, key, m.group("value").strip())
        else:
            free += split_fields(line)
    _fill_from_parts(found, free)
    found.email = f.normalise_email(found.email or "")
    found.phone = f.normalise_phone(found.phone or "")
    return found if found.name else None


def split_fields(line: str, separators: str = r",|;|\s[–|]\s|\s-\s") -> list[str]:
    """A line of a contact block or signature split into its fields, a listed responsibility kept
    whole: "Ansvarig för arbetsmiljö, jämställdhet och mångfald" is one title, not a title and a unit."""
    parts = [p.strip() for p in re.split(separators, line) if p.strip()]
    merged: list[str] = []
    for i, part in enumerate(parts):
        if merged and _continues_list(merged[-1], part, parts[i:]):
            merged[-1] = f"{merged[-1]}, {part}"
        else:
            merged.append(part)
    return merged


def _continues_list(title: str, part: str, rest: list[str]) -> bool:
    """`part` goes on the list of what `title` is responsible for ("för A, B och C"): the title names
    a responsibility, the part is lower-case words only, and the list closes with "och" by its end."""
    if " för " not in f" {title.lower()} " or not LIST_ITEM.fullmatch(part) or NOT_TITLE.search(part):
        return False
    items = [p for p in rest if LIST_ITEM.fullmatch(p) and not NOT_TITLE.search(p)]
    return any(" och " in f" {item} " for item in items[:3])


def _fill_from_parts(found: Found, parts: list[str]) -> None:
    for part in parts:
        inner = re.match(rf"^({NAME_RE})\s*\(([^)]+)\)$", part)  # "Eva Sundberg (sekreterare)"
        if inner and not found.name:
            found.name, found.title = inner.group(1), found.title or inner.group(2).strip()
        elif NAME.match(part) and not found.name:
            found.name = part
        elif "@" in part:
            found.email = found.email or part
        elif f.normalise_phone(part):
            found.phone = found.phone or part
        elif found.name and not found.title and part[0].isalpha() and not NOT_TITLE.search(part):
            found.title = part


def _details(text: str) -> dict:
    return {"email": f.normalise_email(text), "phone": f.normalise_phone(text)}


def prose(text: str) -> Found | None:
    """'Kontaktperson i ärendet är folkhälsostrateg Maria Ekström, maria@..., telefon ...';
    'Som kontaktperson har kyrkorådet utsett Erik Lundmark, enhetschef ...'; '... har utsett
    Erik Lundmark till kontaktperson'."""
    m = PROSE.search(text) or APPOINTED.search(text)
    if not m:
        return None
    rest = m.group("rest")
    if m.re is APPOINTED:
        rest += text[m.end():text.find("\n", m.end()) if "\n" in text[m.end():] else len(text)]
    title = m.group("pre").strip() or None
    after = re.match(r"^\s*(?:,\s*|\()([^()\n@]+?)\s*(?:\)|\.|\(|$)", rest)
    listed = split_fields(after.group(1))[0] if after else ""
    if listed and not NOT_TITLE.search(listed) and not f.normalise_phone(listed):
        title = title or listed
    if title:  # "utvecklingsledare inom enheten för ..." -> the title, not the unit
        title = re.split(r"\s+(?:inom|på|vid|hos)\s+", title)[0]
    return Found(name=m.group("name"), title=title, **_details(rest))


def is_self(text: str) -> str | None:
    """The sentence that makes the sender the contact ('Jag är kontaktperson ...'), or None."""
    m = SELF.search(text)
    if not m:
        return None
    end = text.find("\n\n", m.start())
    return text[m.start():end if end > 0 else len(text)]


def signature(text: str) -> Found | None:
    """The last greeting's block: the first full name, the title on the next line, phones and e-mail."""
    starts = [m.end() for m in GREETING.finditer(text)]
    for start in reversed(starts):
        lines = [ln.strip() for ln in text[start:].split("\n") if ln.strip() and ln.strip() != "--"][:9]
        index = next((i for i, ln in enumerate(lines[:4]) if NAME.match(ln)), None)
        if index is None:
            continue
        block = lines[index:]
        return Found(name=block[0], title=_title(block[1:2]), email=f.normalise_email("\n".join(block)),
                     phone=f.normalise_phone("\n".join(block)))
    return None


def _title(lines: list[str]) -> str | None:
    """'HR-strateg | Arboga kommun' -> 'HR-strateg'; a line that is the organisation is no title."""
    if not lines:
        return None
    first = split_fields(lines[0], r",|\s[|–·]\s")[0] if lines[0].strip() else ""
    return None if not first or NOT_TITLE.search(first) or NAME.match(first) else first


def named_block(text: str, name: str) -> Found | None:
    """The details under a line that is exactly `name` (a forwarded mail's signature or a list of
    "here are my details"): the title on the next line, e-mail and phone in the block."""
    wanted = name.casefold().split()
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if line.strip().lstrip("> ").casefold().split() != wanted:
            continue
        block = []
        for following in lines[i + 1:i + 8]:
            if not following.strip() or GREETING.match(following):
                break
            block.append(following.strip())
        joined = "\n".join(block)
        found = Found(name=name, title=_title(block[:1]), email=f.normalise_email(joined), phone=f.normalise_phone(joined))
        if found.title or found.email or found.phone:
            return found
    return None
