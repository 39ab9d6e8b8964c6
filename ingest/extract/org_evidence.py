"""Where a message names its *own* organisation, as a registrar reads it.

The applicant names itself in a few places: the letterhead of its decision, the name printed
with its org number, the heading of its minutes ("Protokoll fört vid styrelsemöte i X"), the
subject of the joining sentence ("X ansluter sig", "att X ansluter sig"), and the organisation
line of the sender's signature. A known name found anywhere else is often someone else: the
owner ("Köpings kommun har som ägare ..."), a partner, a place. organisation.py tries these
finders before any mere mention.

Each finder returns the name as written, or None; organisation.py resolves it against the
table of known organisations. Every pattern reads one line at a time with bounded repeats
(lines are at most MAX_LINE_CHARS long), so none is quadratic on hostile text.
"""

from __future__ import annotations

import re

from ingest.extract import fields as f
from ingest.extract.contact import GREETING

# Words that make a phrase an organisation's name: its legal form or its kind. "kommun",
# "stad" and "region" as whole words only: "Kommunstyrelsen" is a body, not an organisation.
ORG_FORM = re.compile(r"\b(?:kommun|stad|region|AB|HB|KB)\b|aktiebolag|förening|jour(?:en)?\b|förbund|stiftelse|"
                      r"sällskap|nätverk|klubb|universitet|högskola|myndighet|verket\b|pastorat|församling|kyrka|"
                      r"kyrkan|mission|bank(?:en)?\b", re.I)
# A deciding body or a meeting, also inside a longer phrase ("Stiftelsens styrelse", "Mälarenergis
# koncernledning"): such a phrase names who decided, not the organisation.
ORGAN_WORD = re.compile(r"(?i:styrelse|ledning|råd(?:et)?\b|möte|stämma|nämnd|fullmäktige)")
LABEL = re.compile(r"\b(?:org(?:anisations)?\.?\s*(?:nr|nummer)|orgnr)\b\.?:?", re.I)
HEADING = r"(?:styrelse|sammanträdes|årsmötes)?(?:protokoll(?:sutdrag)?|beslut|utdrag)"
HEADING_ONLY = re.compile(HEADING, re.I)
TRAILING_HEADING = re.compile(rf"\s+{HEADING}$", re.I)
# "Protokoll fört vid styrelsemöte i X", "fört vid styrelsesammanträde i X (org.nr ...)".
MINUTES_OF = re.compile(r"\b(?:fört|förda|hållet|hållna)\s+(?:vid|på)\s+[\wåäö\-]{1,40}\s+(?:i|för|med)\s+(?=[A-ZÅÄÖ])")
ORGAN_PREFIX = re.compile(rf"^(?:{f.BODY.pattern})\s+(?:i|för|vid|hos)\s+")
SEGMENT_BREAK = re.compile(r"\s*(?:[,;(|·•]|\s[–-]\s)\s*")
DESCRIPTOR = re.compile(r"(?:ideell|ekonomisk|allmännyttig)\s+(?:förening|stiftelse)|aktiebolag|(?:ett|en)\s.*", re.I)
# A title in a signature's "Ordförande, Equmeniakyrkan Sala": a person's role, not the name.
TITLE = re.compile(r"(?:vice\s+)?(?:ordförande|vd|sekreterare|kassör|ledamot|registrator)|"
                   r"\w*(?:chef|ansvarig|strateg|samordnare|handläggare|direktör|ledare|utvecklare)", re.I)
NAME_START = re.compile(r"[A-ZÅÄÖ]")
# Words that never start a name, and generic words that are no name on their own ("Stiftelsen
# ansluter sig"; but "Stiftelsen Trygga Barn" is one).
STOP = {"Vi", "Jag", "Vår", "Våra", "Hej", "Den", "Det", "Detta", "Här", "Nu", "Då", "Även", "Härmed", "Länsstyrelsen"}
GENERIC = {"Bolaget", "Föreningen", "Kommunen", "Staden", "Regionen", "Stiftelsen", "Förbundet", "Koncernen", "Banken",
           "Församlingen", "Klubben", "Myndigheten", "Pastoratet", "Jouren"}
# Words of a sentence, not of a name: "Styrelsen beslutar att stiftelsen" is no subject.
SENTENCE_WORDS = {"att", "har", "är", "som", "beslutar", "beslutade", "beslutat", "vill", "ska", "också", "nu", "vi",
                  "jag", "även", "härmed", "därmed", "gärna", "redan", "alltså", "sig", "oss"}
# The subject of the sentence that joins (or decides to join).
JOINING = re.compile(r"(?:^|(?<=[.!?:]\s)|(?<=\batt\s)|(?<=^\d\.\s))(?P<name>[A-ZÅÄÖ][^\n.,;:()\"”]{0,80}?)\s+"
                     r"(?:ansluter|har\s+anslutit|vill\s+(?:gärna\s+|också\s+)?ansluta|avser\s+att\s+ansluta|"
                     r"(?:har\s+(?:nu\s+)?)?beslut(?:at|ade)\s+att\s+ansluta)\b", re.M)
WE_IN = re.compile(r"^[Vv]i\s+(?:i|på|inom)\s+")


def is_name_shaped(text: str) -> bool:
    """Could be an organisation's name as written: capitalised, 1-8 words, no digits, no address."""
    words = text.split()
    return (0 < len(words) <= 8 and len(text) <= 90 and bool(NAME_START.match(text)) and words[0] not in STOP
            and not (len(words) == 1 and words[0] in GENERIC) and not SENTENCE_WORDS.intersection(words)
            and not f.BODY.fullmatch(words[0])
            and not re.search(r"[\d@:/\\<>\[\]=]", text) and not HEADING_ONLY.fullmatch(text)
            and not DESCRIPTOR.fullmatch(text) and not f.BODY.fullmatch(text)
            and "Länsstyrelsen" not in text)


def reads_as_org(text: str, known) -> bool:
    """Name-shaped and holding an organisation word, or a known organisation's name."""
    return is_name_shaped(text) and not _names_an_organ(text) and (bool(ORG_FORM.search(text)) or bool(known.by_name(text)))


def _names_an_organ(text: str) -> bool:
    """"Stiftelsens styrelse", "Mälarenergis koncernledning": who decided, not the organisation."""
    return any(ORGAN_WORD.search(word) and word[0].islower() for word in text.split()[1:])


def _clean(segment: str) -> str:
    """The name in one part of a line: after "Protokoll fört vid styrelsemöte i", after a body
    ("Styrelsen i Arboga Ridklubb") or a title ("Ordförande Kvinnojouren i Sala"), before a heading."""
    segment = MINUTES_OF.split(segment)[-1] if MINUTES_OF.search(segment) else segment
    segment = ORGAN_PREFIX.sub("", TRAILING_HEADING.sub("", segment.strip(" .)\t"))).strip()
    first, _, rest = segment.partition(" ")
    return rest if TITLE.fullmatch(first) and NAME_START.match(rest) else segment


def names_in_line(text: str) -> list[str]:
    """The name-shaped parts of one line, label and number removed: "Ordförande, Equmeniakyrkan Sala"
    -> ["Equmeniakyrkan Sala"] (a title is a role, not a name)."""
    text = LABEL.split(text)[0] if LABEL.search(text) else text
    parts = [_clean(part) for part in SEGMENT_BREAK.split(text)]
    return [p for p in parts if is_name_shaped(p) and not TITLE.fullmatch(p)]


def _best(names: list[str], known) -> str | None:
    """An organisation word decides between the parts of a line; else the first part."""
    return next((n for n in names if reads_as_org(n, known)), names[0] if names else None)


def letterhead(text: str, known) -> str | None:
    """The first line of a decision that is not a heading ("PROTOKOLL", "BESLUT"), when it reads as
    an organisation or stands directly above its org number ("ABF Västmanland" / "Org.nr ...")."""
    lines = [ln.strip() for ln in text.split("\n", 12)[:12] if ln.strip()][:4]
    for i, line in enumerate(lines):
        if HEADING_ONLY.fullmatch(line):
            continue
        if re.match(HEADING, line, re.I) or line[:1].islower():
            return None  # "Protokoll fört vid ...": the minutes' heading, read by minutes_of
        head = re.split(r"\s*[,(·|]\s*\d", line)[0]
        names = names_in_line(head)
        following = lines[i + 1] if i + 1 < len(lines) else ""
        name = names[0] if len(names) == 1 else None
        if name and (reads_as_org(name, known) or LABEL.match(following) or LABEL.search(line)):
            return name
        return None
    return None


def beside_org_number(text: str, known, own_numbers: set[str]) -> str | None:
    """The name printed with the first valid org number that is not the board's own: on the same
    line ("Köpings Bostads AB (org.nr 556044-1189)", "Västerås pastorat · Org.nr 252004-3122"), or on
    the lines just above a line that is only the number (a signature's "Equmeniakyrkan Sala" /
    "Org.nr 817500-4483"); addresses and telephone lines are skipped."""
    valid, _ = f.find_org_numbers(text)
    number = next((n for n in valid if n not in own_numbers), None)
    if number is None:
        return None
    at = _position(text, number)
    line_start = text.rfind("\n", 0, at) + 1
    name = _best(names_in_line(text[line_start:at]), known)
    if name:
        return name
    above = text[max(0, line_start - 600):line_start].split("\n")[:-1]
    for distance, line in enumerate(reversed(above[-6:])):
        if not line.strip():
            break  # the number's block ends at a blank line
        names = names_in_line(line)
        # The line right above may be any name ("ABF Västmanland"); further up, past an address,
        # only one that reads as an organisation (not the signer's own name).
        name = _best(names, known) if distance == 0 else next((n for n in names if reads_as_org(n, known)), None)
        if name:
            return name
    return None


def _position(text: str, number: str) -> int:
    """Where `number` (NNNNNN-NNNN) is written, with a dash, a space or nothing in the middle."""
    m = re.search(rf"{number[:6]}[- ]?{number[7:]}", text)
    return m.start() if m else 0


def minutes_of(text: str, known) -> str | None:
    """"Protokoll fört vid styrelsemöte i Kolbäcksåns Verkstads AB" near the top of the minutes."""
    for line in text.split("\n", 15)[:15]:
        m = MINUTES_OF.search(line)
        if m:
            return _best(names_in_line(line[m.end():]), known)
    return None


def joining_subject(text: str, known) -> str | None:
    """The organisation that joins, as the subject of its sentence: "Sala Sparbank vill ansluta sig",
    "Styrelsen beslutar att Köpings Bostads AB ansluter sig", "Vi i Frida Kvinnojour Köping vill ...";
    "Kommunstyrelsen i Västerås stad har beslutat att ansluta" gives "Västerås stad"."""
    for m in JOINING.finditer(text):
        name = _clean(WE_IN.sub("", m.group("name").strip()))
        if is_name_shaped(name) and not _names_an_organ(name) and not TITLE.fullmatch(name):
            return name
    return None


def signature_org(text: str, known) -> str | None:
    """The organisation line of the sender's signature (the block after the last greeting): the
    first line that reads as an organisation ("Sala Sparbank", "VD, Västerås Science Park AB",
    "Vård och omsorg, Sala kommun")."""
    starts = [m.end() for m in GREETING.finditer(text)]
    if not starts:
        return None
    for line in [ln.strip() for ln in text[starts[-1]:].split("\n") if ln.strip()][:10]:
        name = next((n for n in names_in_line(line) if reads_as_org(n, known)), None)
        if name:
            return name
    return None
