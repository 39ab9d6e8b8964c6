"""The shapes of real mail clients, built with the `email` package (compat32, headers exactly as given).

Outlook/Exchange, Gmail, iPhone Mail and Thunderbird each get one function that takes the text and
the files and returns the raw bytes of the message (CRLF line ends).
"""

from __future__ import annotations

import base64
import hashlib
import html
import io
import re
from datetime import UTC, datetime, timedelta
from email.generator import BytesGenerator
from email.message import Message
from email.policy import compat32

from mailgen.encoding import (
    addr,
    apple_subject,
    b64,
    enc_auto,
    enc_q,
    flowed,
    gmt,
    qp,
    raw8,
    rfc2231,
    rfc2231_continued,
    rfc2822_date,
    single_q,
)
from mailgen.model import CEST, CET, File, Person

# Headers are written exactly as given (pre-folded with "\n\t" / "\n "); lines end in CRLF.
POLICY = compat32.clone(linesep="\r\n", max_line_length=0)


EMAIL_RE = re.compile(r"(?<![<\w.@])([\w.+-]+@[\w-]+(?:\.[\w-]+)+)(?![\w>])")


def outlook_plain(text: str) -> str:
    """Outlook's plain part shows a link as 'addr<mailto:addr>'."""
    return EMAIL_RE.sub(lambda m: f"{m.group(1)}<mailto:{m.group(1)}>", text)


def linkify(escaped: str) -> str:
    return EMAIL_RE.sub(lambda m: f'<a href="mailto:{m.group(1)}">{m.group(1)}</a>', escaped)


OUTLOOK_HEAD = """<html xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" \
xmlns:w="urn:schemas-microsoft-com:office:word" xmlns:m="http://schemas.microsoft.com/office/2004/12/omml" \
xmlns="http://www.w3.org/TR/REC-html40">
<head>
<meta http-equiv="Content-Type" content="text/html; charset={charset}">
<meta name="Generator" content="Microsoft Word 15 (filtered medium)">
<!--[if !mso]><style>v\\:* {{behavior:url(#default#VML);}}
o\\:* {{behavior:url(#default#VML);}}
w\\:* {{behavior:url(#default#VML);}}
.shape {{behavior:url(#default#VML);}}
</style><![endif]--><style><!--
/* Font Definitions */
@font-face
\t{{font-family:"Cambria Math";
\tpanose-1:2 4 5 3 5 4 6 3 2 4;}}
@font-face
\t{{font-family:Aptos;}}
/* Style Definitions */
p.MsoNormal, li.MsoNormal, div.MsoNormal
\t{{margin:0cm;
\tfont-size:11.0pt;
\tfont-family:"Aptos",sans-serif;
\tmso-ligatures:standardcontextual;
\tmso-fareast-language:EN-US;}}
a:link, span.MsoHyperlink
\t{{mso-style-priority:99;
\tcolor:#467886;
\ttext-decoration:underline;}}
span.E-postmall17
\t{{mso-style-type:personal-compose;
\tfont-family:"Aptos",sans-serif;
\tcolor:windowtext;}}
.MsoChpDefault
\t{{mso-style-type:export-only;
\tfont-size:11.0pt;
\tmso-fareast-language:EN-US;}}
@page WordSection1
\t{{size:612.0pt 792.0pt;
\tmargin:70.85pt 70.85pt 70.85pt 70.85pt;}}
div.WordSection1
\t{{page:WordSection1;}}
--></style><!--[if gte mso 9]><xml>
<o:shapedefaults v:ext="edit" spidmax="1026" />
</xml><![endif]--><!--[if gte mso 9]><xml>
<o:shapelayout v:ext="edit">
<o:idmap v:ext="edit" data="1" />
</o:shapelayout></xml><![endif]-->
</head>
<body lang="SV" link="#467886" vlink="#96607D" style="word-wrap:break-word">
<div class="WordSection1">
"""


def outlook_html(text: str, quoted: str | None, charset: str, logo: tuple[str, str] | None) -> str:
    """Outlook's Word-generated HTML. logo=(cid, alt) replaces the '[cid:...]' line of the plain part."""

    def paragraphs(block: str) -> list[str]:
        out = []
        for line in block.split("\n"):
            if line == "[cid]" and logo:
                out.append(f'<p class="MsoNormal"><img width="160" height="48" style="width:1.6666in;height:.5in" '
                           f'id="Bild_x0020_1" src="cid:{logo[0]}" alt="{html.escape(logo[1])}"><o:p></o:p></p>')
            elif line.strip():
                out.append(f'<p class="MsoNormal">{linkify(html.escape(line, quote=False))}<o:p></o:p></p>')
            else:
                out.append('<p class="MsoNormal"><o:p>&nbsp;</o:p></p>')
        return out

    body = paragraphs(text)
    if quoted:
        head, _, rest = quoted.partition("\n\n")
        head_lines = []
        for line in head.split("\n"):
            label, _, value = line.partition(": ")
            head_lines.append(f"<b>{html.escape(label)}:</b> {html.escape(value, quote=False)}")
        body.append('<div style="border:none;border-top:solid #E1E1E1 1.0pt;padding:3.0pt 0cm 0cm 0cm">')
        body.append('<p class="MsoNormal">' + "<br>\n".join(head_lines) + "<o:p></o:p></p>")
        body.append("</div>")
        body.append('<p class="MsoNormal"><o:p>&nbsp;</o:p></p>')
        body.extend(paragraphs(rest))
    return OUTLOOK_HEAD.format(charset=charset) + "\n".join(body) + "\n</div>\n</body>\n</html>\n"


def gmail_html(text: str, signature: str | None = None, quote_attr: str | None = None, quoted: str | None = None) -> str:
    def divs(block: str) -> str:
        return "".join(f"<div>{linkify(html.escape(line, quote=False))}</div>" if line.strip() else "<div><br></div>"
                       for line in block.split("\n"))

    out = f'<div dir="ltr">{divs(text)}'
    if signature:
        sig = "<br>".join(linkify(html.escape(line, quote=False)) for line in signature.split("\n"))
        out += ('<div><br></div><span class="gmail_signature_prefix">-- </span><br>'
                f'<div dir="ltr" class="gmail_signature" data-smartmail="gmail_signature"><div dir="ltr">{sig}</div></div>')
    out += "</div>"
    if quoted:
        inner = "<br>".join(linkify(html.escape(line, quote=False)) for line in quoted.split("\n"))
        out += (f'<br><div class="gmail_quote"><div dir="ltr" class="gmail_attr">{html.escape(quote_attr or "")}<br></div>'
                '<blockquote class="gmail_quote" style="margin:0px 0px 0px 0.8ex;border-left:1px solid '
                f'rgb(204,204,204);padding-left:1ex"><div dir="ltr">{inner}</div></blockquote></div>')
    return out + "\n"


def part(headers: list[tuple[str, str]], payload: str | list[Message] | None = None, preamble: str | None = None) -> Message:
    msg = Message()
    for name, value in headers:
        msg[name] = value
    if payload is not None:
        msg.set_payload(payload)
    if preamble is not None:
        msg.preamble = preamble
    return msg


def to_bytes(msg: Message) -> bytes:
    buffer = io.BytesIO()
    BytesGenerator(buffer, mangle_from_=False, policy=POLICY).flatten(msg)
    return buffer.getvalue()


def received(by_host: str, from_host: str, ip: str, moment: datetime, ident: str) -> tuple[str, str]:
    return ("Received", f"from {from_host} ({from_host} [{ip}])\n\tby {by_host} with ESMTPS id {ident};\n\t"
                        f"{rfc2822_date(moment.astimezone(CEST if moment.month in range(4, 11) else CET))}")


def inbound(envelope_from: str, moment: datetime, from_host: str, ip: str, ident: str) -> list[tuple[str, str]]:
    """What the board's own MX adds in front of every delivered message."""
    return [
        ("Return-Path", f"<{envelope_from}>"),
        received("mx1.lansstyrelsen.se", from_host, ip, moment + timedelta(seconds=2), ident),
    ]


def outlook_attachment(f: File, moment: datetime) -> Message:
    # Exchange writes one long B-encoded word inside the quotes (not RFC 2231)
    shown = f.filename if f.filename.isascii() else f"=?utf-8?B?{base64.b64encode(f.filename.encode()).decode()}?="
    stamp = gmt(moment)
    return part([
        ("Content-Type", f'{f.ctype}; name="{shown}"'),
        ("Content-Description", shown),
        ("Content-Disposition", f'attachment; filename="{shown}"; size={len(f.data)};\n\t'
                                f'creation-date="{stamp}";\n\tmodification-date="{stamp}"'),
        ("Content-Transfer-Encoding", "base64"),
    ], b64(f.data))


def outlook_message(*, sender: Person, sender_display: str | None = None, to: str, subject: str, moment: datetime,
                    msgid: str, token: str, text: str, quoted: str | None = None, attachments: tuple[File, ...] = (),
                    logo: tuple[bytes, str, str] | None = None, charset: str = "utf-8", text_cte: str = "base64",
                    extra: list[tuple[str, str]] = (), cc: str | None = None, thread_topic: str | None = None,
                    in_reply_to: str | None = None, name_enc: str = "b", subject_enc: str = "b",
                    origin: tuple[str, str] = ("", "")) -> bytes:
    """Exchange/Outlook: mixed > [related >] alternative(text/plain, text/html) [+ image001.png] + files."""
    plain = outlook_plain(text + ("\n\n________________________________\n" + quoted if quoted else "")) + "\n"
    stamp = hashlib.sha256(token.encode()).hexdigest().upper()
    cid = f"image001.png@01DA{stamp[:4]}.{stamp[4:12]}"
    html_text = outlook_html(text, quoted, charset, (cid, logo[2]) if logo else None)

    def body_part(subtype: str, content: str) -> Message:
        if text_cte == "base64":  # the encoded text keeps Windows line ends
            encoded = b64(content.replace("\n", "\r\n").encode(charset))
        else:
            encoded = qp(content, charset)
        return part([("Content-Type", f'text/{subtype}; charset="{charset}"'),
                      ("Content-Transfer-Encoding", text_cte)], encoded)

    b = lambda n: f"_{n:03d}_{token}_"  # noqa: E731  Exchange's boundary names
    body: Message = part([("Content-Type", f'multipart/alternative;\n\tboundary="{b(0)}"')],
                         [body_part("plain", plain.replace("[cid]", f"[cid:{cid}]")), body_part("html", html_text)])
    if logo:
        image = part([
            ("Content-Type", 'image/png; name="image001.png"'),
            ("Content-Description", logo[1]),
            ("Content-Disposition", f'inline; filename="image001.png"; size={len(logo[0])};\n\t'
                                    f'creation-date="{gmt(moment)}";\n\tmodification-date="{gmt(moment)}"'),
            ("Content-ID", f"<{cid}>"),
            ("Content-Transfer-Encoding", "base64"),
        ], b64(logo[0]))
        body = part([("Content-Type", f'multipart/related;\n\tboundary="{b(3)}";\n\ttype="multipart/alternative"')],
                    [body, image])
    if attachments:
        top = part([("Content-Type", f'multipart/mixed;\n\tboundary="{b(4)}"')],
                   [body] + [outlook_attachment(f, moment - timedelta(minutes=3)) for f in attachments])
    else:
        top = body
    host, ip = origin
    headers = [*inbound(sender.email, moment, host, ip, token[:12]),
               ("From", addr(sender_display or sender.name, sender.email, name_enc)),
               ("To", to)]
    if cc:
        headers.append(("CC", cc))
    topic = thread_topic or re.sub(r"^(SV|VB|RE|FW|Re|Fw): ", "", subject)
    headers += [
        ("Subject", enc_auto(subject, subject_enc)),
        ("Thread-Topic", enc_auto(topic, subject_enc)),
        ("Thread-Index", base64.b64encode(hashlib.sha256(token.encode()).digest()[:22]).decode()),
        ("Date", rfc2822_date(moment.astimezone(UTC))),
        ("Message-ID", msgid),
    ]
    if in_reply_to:
        headers += [("References", in_reply_to), ("In-Reply-To", in_reply_to)]
    headers += [
        ("Accept-Language", "sv-SE, en-US"),
        ("Content-Language", "sv-SE"),
        ("X-MS-Has-Attach", "yes" if attachments else ""),
        ("X-MS-TNEF-Correlator", ""),
        *extra,
    ]
    for name, value in headers:
        top[name] = value
    # move Content-Type/MIME-Version after the envelope headers, as Exchange writes them
    ctype = top["Content-Type"]
    del top["Content-Type"]
    top["Content-Type"] = ctype
    top["MIME-Version"] = "1.0"
    return to_bytes(top)


def gmail_message(*, sender: Person, to: str, subject: str, moment: datetime, msgid: str, token: str, text: str,
                  signature: str | None = None, attachments: tuple[File, ...] = (), quote_attr: str | None = None,
                  quoted: str | None = None, references: tuple[str, ...] = (), subject_enc: str = "Q",
                  origin: tuple[str, str] = ("mail-lf1-f54.google.com", "209.85.167.54")) -> bytes:
    """Gmail: mixed(boundary 000000000000...) > alternative(plain QP, html QP) + files with X-Attachment-Id."""
    plain = text + (f"\n\n-- \n{signature}" if signature else "")
    if quoted:
        plain += f"\n\n{quote_attr}\n\n" + "\n".join(f"> {line}" if line else ">" for line in quoted.split("\n"))
    plain += "\n"
    alt_b, mix_b = f"000000000000{token}05e3", f"000000000000{token}05e5"  # 28 hex digits, as Gmail
    alt = part([("Content-Type", f'multipart/alternative; boundary="{alt_b}"')], [
        part([("Content-Type", 'text/plain; charset="UTF-8"'), ("Content-Transfer-Encoding", "quoted-printable")],
             qp(plain, "utf-8")),
        part([("Content-Type", 'text/html; charset="UTF-8"'), ("Content-Transfer-Encoding", "quoted-printable")],
             qp(gmail_html(text, signature, quote_attr, quoted), "utf-8")),
    ])
    files = []
    for i, f in enumerate(attachments):
        name = f.filename if f.filename.isascii() else single_q(f.filename, "UTF-8")
        att_id = f"f_lu{token[:6]}{i}"
        files.append(part([
            ("Content-Type", f'{f.ctype}; name="{name}"'),
            ("Content-Disposition", f'attachment; filename="{name}"'),
            ("Content-Transfer-Encoding", "base64"),
            ("Content-ID", f"<{att_id}>"),
            ("X-Attachment-Id", att_id),
        ], b64(f.data)))
    top = part([], [alt] + files) if files else alt
    host, ip = origin
    headers = [
        ("Return-Path", f"<{sender.email}>"),
        received("mx1.lansstyrelsen.se", host, ip, moment + timedelta(seconds=3), token[:10].upper()),
        ("DKIM-Signature", f"v=1; a=rsa-sha256; c=relaxed/relaxed;\n        d={sender.email.split('@')[1]}; "
                           f"s=google; t={int(moment.timestamp())}; x={int(moment.timestamp()) + 604800};\n"
                           "        h=to:subject:message-id:date:from:mime-version:from:to:cc:subject\n"
                           "         :date:message-id:reply-to;\n"
                           f"        bh={base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()};\n"
                           f"        b={base64.b64encode(hashlib.sha512(token.encode()).digest()).decode()}"),
        ("MIME-Version", "1.0"),
    ]
    if references:
        headers += [("References", "\n ".join(references)), ("In-Reply-To", references[-1])]
    headers += [
        ("From", addr(sender.name, sender.email, "Q")),
        ("Date", rfc2822_date(moment)),
        ("Message-ID", msgid),
        ("Subject", enc_auto(subject, subject_enc)),
        ("To", to),
    ]
    ctype = f'multipart/mixed; boundary="{mix_b}"' if files else f'multipart/alternative; boundary="{alt_b}"'
    if not files:
        del top["Content-Type"]
    for name, value in headers:
        top[name] = value
    top["Content-Type"] = ctype
    return to_bytes(top)


def iphone_message(*, sender: Person, to: str, subject: str, moment: datetime, msgid: str, token: str,
                   text: str, attachments: tuple[File, ...]) -> bytes:
    """iPhone Mail: mixed(Apple-Mail-...) > text/plain, the file, text/plain 'Skickat från min iPhone'."""
    boundary = f"Apple-Mail-{token}"
    parts = [part([("Content-Type", "text/plain;\n\tcharset=utf-8"), ("Content-Transfer-Encoding", "quoted-printable")],
                  qp(text + "\n\n", "utf-8"))]
    for f in attachments:
        name = f.filename if f.filename.isascii() else single_q(f.filename, "utf-8")
        parts.append(part([
            ("Content-Type", f'{f.ctype};\n\tname="{name}"'),
            ("Content-Disposition", f'attachment;\n\tfilename="{name}"'),
            ("Content-Transfer-Encoding", "base64"),
        ], b64(f.data)))
    parts.append(part([("Content-Type", "text/plain;\n\tcharset=utf-8"), ("Content-Transfer-Encoding", "quoted-printable")],
                      qp("\n\nSkickat från min iPhone", "utf-8")))
    top = part([
        ("Return-Path", f"<{sender.email}>"),
        received("mx1.lansstyrelsen.se", "mail.arbetsformedlingen.se", "193.183.176.23", moment + timedelta(seconds=4),
                 token[:10]),
        ("Content-Type", f"multipart/mixed; boundary={boundary}"),
        ("Content-Transfer-Encoding", "7bit"),
        ("From", addr(sender.name, sender.email)),
        ("Mime-Version", "1.0 (1.0)"),
        ("Date", rfc2822_date(moment)),
        ("Subject", apple_subject(subject)),
        ("Message-Id", msgid),
        ("To", to),
        ("X-Mailer", "iPhone Mail (21E236)"),
    ], parts)
    return to_bytes(top)


def thunderbird_message(*, sender: Person, to: str, subject: str, moment: datetime, msgid: str, token: str,
                        text: str, attachments: tuple[File, ...], charset: str = "UTF-8",
                        user_agent: str = "Mozilla Thunderbird", continued_names: bool = True,
                        origin: tuple[str, str] = ("", "")) -> bytes:
    """Thunderbird: 8bit format=flowed text, RFC 2231 filenames (continuations when long)."""
    boundary = f"------------{token}"
    parts = [part([("Content-Type", f"text/plain; charset={charset}; format=flowed"),
                   ("Content-Transfer-Encoding", "8bit")], raw8(flowed(text) + "\n", charset))]
    for f in attachments:
        if f.filename.isascii():
            name_param, file_param = f'name="{f.filename}"', f'filename="{f.filename}"'
        elif continued_names:
            name_param = f'name="{enc_q(f.filename, "UTF-8", lower_hex=True)}"'  # folded inside the quotes, as Thunderbird does
            file_param = rfc2231_continued("filename", f.filename)
        else:
            name_param = f'name="{enc_q(f.filename, "UTF-8", lower_hex=True)}"'
            file_param = f"filename*={rfc2231(f.filename)}"
        parts.append(part([
            ("Content-Type", f"{f.ctype}; {name_param}"),
            ("Content-Disposition", f"attachment;\n {file_param}"),
            ("Content-Transfer-Encoding", "base64"),
        ], b64(f.data)))
    host, ip = origin
    top = part([
        ("Return-Path", f"<{sender.email}>"),
        received("mx1.lansstyrelsen.se", host, ip, moment + timedelta(seconds=2), token[:10]),
        ("Content-Type", f'multipart/mixed; boundary="{boundary}"'),
        ("Message-ID", msgid),
        ("Date", rfc2822_date(moment)),
        ("MIME-Version", "1.0"),
        ("User-Agent", user_agent),
        *([("Content-Language", "sv-SE")] if charset == "UTF-8" else []),
        ("To", to),
        ("From", addr(sender.name, sender.email, "qlow")),
        ("Subject", enc_auto(subject, "qlow")),
    ], parts, preamble="This is a multi-part message in MIME format.")
    return to_bytes(top)
