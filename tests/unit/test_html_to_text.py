"""The text of an HTML-only mail: what the extraction steps read when there is no plain part."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from ingest.extract import contact
from ingest.message import html_to_text, parse_message

APPLE_MAIL = (
    '<html><head><meta http-equiv="content-type" content="text/html; charset=utf-8"></head><body>'
    "<div>Hej</div><div><br></div><div>Beslutet bifogas.</div><div><br></div>"
    "<div>Med vänlig hälsning</div><div>Johan Strand</div><div>Kommunsekreterare</div><div>Sala kommun</div>"
    "</body></html>"
)


def html_only_mail(*parts: str) -> bytes:
    """An Apple Mail-like message: HTML parts and no text/plain part."""
    body = "".join(f"--b\r\nContent-Type: text/html; charset=utf-8\r\n\r\n{part}\r\n" for part in parts)
    return ("From: Johan Strand <johan.strand@sala.se>\r\nTo: vastmanland@lansstyrelsen.se\r\n"
            "Subject: Anslutning till jämställdhetsstrategin\r\nMIME-Version: 1.0\r\n"
            f"Content-Type: multipart/mixed; boundary=b\r\n\r\n{body}--b--\r\n").encode()


def test_a_div_per_line_keeps_the_signature_one_block():
    assert html_to_text(APPLE_MAIL) == (
        "Hej\n\nBeslutet bifogas.\n\nMed vänlig hälsning\nJohan Strand\nKommunsekreterare\nSala kommun")
    found = contact.signature(html_to_text(APPLE_MAIL))
    assert found is not None and found.name == "Johan Strand" and found.title == "Kommunsekreterare"


def test_table_cells_stay_apart_so_labelled_fields_are_read():
    html = ("<table><tr><td>Kontaktperson:</td><td>Anna Berg</td></tr>"
            "<tr><td>Telefon:</td><td>021-10 20 30</td></tr></table>")
    assert html_to_text(html) == "Kontaktperson: Anna Berg\nTelefon: 021-10 20 30"
    found = contact.labelled(html_to_text(html))
    assert found is not None and (found.name, found.phone) == ("Anna Berg", "+4621102030")


def test_outlook_paragraphs_are_lines_and_its_source_breaks_are_spaces():
    """Outlook writes a <p class=MsoNormal> per line (no margin in its own stylesheet), an empty one
    for a blank line, and wraps its HTML source inside sentences and names."""
    html = ('<html><head><style>p.MsoNormal {margin:0cm;}</style></head><body><div class="WordSection1">\r\n'
            '<p class="MsoNormal">Hej!<o:p></o:p></p>\r\n<p class="MsoNormal"><o:p>&nbsp;</o:p></p>\r\n'
            '<p class="MsoNormal">Kontaktperson:<o:p></o:p></p>\r\n<p class="MsoNormal">Lars\r\nNyberg<o:p></o:p></p>\r\n'
            '<p class="MsoNormal">Samordnare<o:p></o:p></p>\r\n<p class="MsoNormal">0221-251 47<o:p></o:p></p>\r\n'
            "</div></body></html>")
    assert html_to_text(html) == "Hej!\n\nKontaktperson:\nLars Nyberg\nSamordnare\n0221-251 47"
    found = contact.labelled(html_to_text(html))
    assert found is not None and (found.name, found.phone) == ("Lars Nyberg", "+4622125147")


def test_other_paragraphs_leave_a_blank_line_and_pre_keeps_its_lines():
    assert html_to_text("<p>Första stycket.</p>\n<p>Andra\nstycket.</p><pre>rad 1\nrad 2</pre>") == (
        "Första stycket.\n\nAndra stycket.\n\nrad 1\nrad 2")


def test_a_head_or_title_without_its_end_tag_does_not_hide_the_body():
    html = "<!DOCTYPE html><html><head><title>Beslut</title><body><p>Styrelsen beslutade att ansluta sig.</p></body></html>"
    assert html_to_text(html) == "Styrelsen beslutade att ansluta sig."
    assert html_to_text("<html><head><title>Beslut<body><p>Hej</p></body></html>") == "Hej"


def test_style_script_and_title_are_not_text():
    html = "<html><head><style>p {color: red}</style><title>Nyhetsbrev</title></head><body><script>x = 1</script><p>Hej</p></body></html>"
    assert html_to_text(html) == "Hej"


def test_every_html_part_of_a_mail_is_read():
    """Apple Mail sends text, attachment, text as two HTML parts; the contact is in the second."""
    second = "<html><body><div>Kontaktperson är Maria Holm, folkhälsostrateg, maria.holm@sala.se.</div></body></html>"
    parsed = parse_message(html_only_mail(APPLE_MAIL, second))
    assert "Johan Strand" in parsed.text and "Kontaktperson är Maria Holm" in parsed.text


def test_nesting_deeper_than_a_tree_parser_reads_keeps_the_text():
    html = "<div>" * 5000 + "Kontaktperson: Anna Berg" + "</div>" * 5000
    assert html_to_text(html) == "Kontaktperson: Anna Berg"


def test_an_unknown_marked_section_is_text_not_a_crash():
    """The stdlib parser raises AssertionError on '<![foo['; Outlook's '<![if ...]>' still works."""
    assert html_to_text("<p>Hej</p><![foo[ x ]]>") == "Hej\n\n<![foo[ x ]]>"
    assert html_to_text("<p><![if !supportLists]>1.<![endif]>Beslut</p>") == "1.Beslut"
    assert "Hej" in parse_message(html_only_mail("<p>Hej</p><![ x")).text


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["<", ">", "/", "!", "[", "]", "-", "<![", "<!--", "p", "div", "td", "br", "head",
                                 "style", "if", "endif", "CDATA", "'", '"', "=", " ", "x", "&", "#", ";", "\n", "ſ"]),
                max_size=60).map("".join))
def test_any_markup_gives_text_and_never_raises(html):
    assert isinstance(html_to_text(html), str)
