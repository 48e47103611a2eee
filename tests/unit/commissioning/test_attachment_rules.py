"""Rules of bid attachments: the name kept (no control characters, quotes or folders; its extension kept), the
download's Content-Disposition (RFC 6266, nothing a name can inject), and a document that is also a web page."""

from __future__ import annotations

import re
from urllib.parse import unquote

import pytest

from commissioning import rules


@pytest.mark.parametrize(
    ("sent", "kept"),
    [
        ("plan.pdf", "plan.pdf"),
        ("Cynllun gŵyl 2027.docx", "Cynllun gŵyl 2027.docx"),
        ("C:\\Users\\me\\plan.pdf", "plan.pdf"),
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ('say "hello".pdf', "say hello.pdf"),
        ("it's ‘quoted’.pdf", "its quoted.pdf"),
        ("a\r\nSet-Cookie: x=1.pdf", "aSet-Cookie: x=1.pdf"),
        ("nul\x00.pdf", "nul.pdf"),
        ("tab\there.pdf", "tabhere.pdf"),
        ("invoice\u202efdp.exe", "invoicefdp.exe"),  # a right-to-left override disguising the extension
        ("zero\u200bwidth.pdf", "zerowidth.pdf"),
        (".hidden.pdf", "hidden.pdf"),
        ("  spaced   out .pdf ", "spaced out .pdf"),
    ],
)
def test_an_attachment_name_loses_control_characters_quotes_and_folders(sent, kept):
    assert rules.attachment_name(sent, extension="pdf") == kept


@pytest.mark.parametrize("sent", ["", "\x00", "...", "/", "C:\\", '""', "\r\n", "\u202e"])
def test_a_name_with_nothing_left_is_attachment_with_the_files_type(sent):
    assert rules.attachment_name(sent, extension="docx") == "attachment.docx"


def test_a_long_name_is_cut_to_200_characters_keeping_its_extension():
    kept = rules.attachment_name("ŵ" * 300 + ".xlsx", extension="xlsx")
    assert len(kept) == rules.ATTACHMENT_NAME_MAX_LENGTH
    assert kept.endswith("ŵ.xlsx")


@pytest.mark.parametrize(
    "name",
    [
        "plan.pdf",
        "Cynllun gŵyl.pdf",
        'a".html',
        "a\r\nSet-Cookie: x=1.pdf",
        "x; filename=evil.html",
        "naïve résumé.docx",
        "%41.pdf",
        "",
    ],
)
def test_the_download_disposition_is_an_attachment_whatever_the_name(name):
    value = rules.attachment_disposition(name)
    found = re.fullmatch(r"attachment; filename=\"([A-Za-z0-9 ._()-]+)\"; filename\*=UTF-8''([A-Za-z0-9%._~-]*)", value)
    assert found, value
    assert unquote(found.group(2)) == name


def test_the_ascii_fallback_keeps_what_it_can_of_a_welsh_name():
    assert rules.attachment_disposition("Cynllun gŵyl.pdf") == (
        "attachment; filename=\"Cynllun gwyl.pdf\"; filename*=UTF-8''Cynllun%20g%C5%B5yl.pdf"
    )


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
FILLER = b"0" * (200 * 1024)


@pytest.mark.parametrize(
    "content",
    [
        PDF + b"<html><script>alert(1)</script></html>",
        PDF + b"<!DOCTYPE HTML>",
        PDF + b"<ScRiPt src=//x>",
        PDF + FILLER + b"<body onload=alert(1)>",  # past the first bytes, in the last 64 KiB
        b"%PDF-1.4\n<iframe src=x>" + FILLER,  # in the first 64 KiB
    ],
)
def test_a_document_that_is_also_a_web_page_is_found(content):
    assert rules.holds_html(content)


@pytest.mark.parametrize(
    "content",
    [PDF, PDF + FILLER + b"<script>" + FILLER, PDF + b"<htm", b"the html and script words alone"],
    ids=["a plain PDF", "a tag deep in the middle", "a tag cut short", "words, not tags"],
)
def test_a_document_without_html_tags_near_its_ends_is_not(content):
    assert not rules.holds_html(content)
