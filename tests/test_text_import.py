"""Plain text notes become one text/plain Document; decoding is strict and says where it fails."""

from __future__ import annotations

import codecs
import hashlib

import pytest

from medrecords_desktop.errors import ImportRejected
from medrecords_desktop.importers import text as text_module
from medrecords_desktop.importers.text import decode_text, parse_text
from medrecords_desktop.model.records import Document

NOTE = "Saw Dr. Lee: ear infection, amoxicillin 250 mg for 7 days.\nµ-check next week.\n"


def test_text_document() -> None:
    data = NOTE.encode()
    parsed = parse_text(data, "notes/visit.txt", date="2026-04-12", doc_type="note")
    assert parsed.format == "text" and len(parsed.items) == 1
    doc = parsed.items[0]
    assert isinstance(doc, Document)
    assert (doc.mime, doc.text, doc.content, doc.size) == ("text/plain", NOTE, data, len(data))
    assert doc.sha256 == hashlib.sha256(data).hexdigest()
    assert (doc.title, doc.filename, doc.date, doc.date_estimated) == (
        "visit.txt",
        "visit.txt",
        "2026-04-12",
        False,
    )
    assert parsed.warnings == []


@pytest.mark.parametrize(
    "data",
    [
        codecs.BOM_UTF8 + NOTE.encode(),
        codecs.BOM_UTF16_LE + NOTE.encode("utf-16-le"),
        codecs.BOM_UTF16_BE + NOTE.encode("utf-16-be"),
        codecs.BOM_UTF32_LE + NOTE.encode("utf-32-le"),
    ],
)
def test_boms_choose_the_encoding(data: bytes) -> None:
    assert decode_text(data, "n.txt") == NOTE
    assert parse_text(data, "n.txt").items[0].content == data  # the original, BOM included


def test_latin1_bytes_are_rejected_with_their_offset() -> None:
    with pytest.raises(ImportRejected) as exc:
        parse_text("Größe 1,80 m".encode("latin-1"), "n.txt")
    assert (exc.value.file, exc.value.where) == ("n.txt", "byte 2")
    assert "save the file as UTF-8" in exc.value.why


def test_huge_text_is_stored_whole_but_searchable_text_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(text_module, "MAX_TEXT_CHARS", 10)
    parsed = parse_text(NOTE.encode(), "n.txt")
    assert parsed.items[0].text == NOTE[:10] and parsed.items[0].content == NOTE.encode()
    assert "only the first 10 characters are searchable" in parsed.warnings[0]


def test_empty_file_is_rejected() -> None:
    with pytest.raises(ImportRejected, match="empty"):
        parse_text(b"", "n.txt")
