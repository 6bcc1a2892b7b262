"""IHE XDM zips: metadata read, every listed document parsed through the service's callback,
unlisted C-CDA documents imported, stylesheets and indexes skipped with a note."""

from __future__ import annotations

import hashlib
import io
import posixpath
import zipfile

import pytest

from medrecords_desktop.errors import ImportRejected
from medrecords_desktop.importers.base import ParsedFile
from medrecords_desktop.importers.ccda import looks_like_ccda, parse_ccda
from medrecords_desktop.importers.xdm import looks_like_xdm, parse_xdm
from medrecords_desktop.model.records import Document, Provenance
from tests.conftest import FIXTURES
from tests.xdm_fixture import OUT, build_xdm


def parse_member(data: bytes, name: str) -> ParsedFile | None:
    """What the import service does: C-CDA to its parser, a PDF to a Document (the PDF parser is
    another module's job; here only what XDM needs from it), anything else declined."""
    if looks_like_ccda(data[:65536]):
        return parse_ccda(data, name)
    if data.startswith(b"%PDF-"):
        base = posixpath.basename(name)
        doc = Document(
            title=base,
            filename=base,
            mime="application/pdf",
            content=data,
            size=len(data),
            sha256=hashlib.sha256(data).hexdigest(),
            provenance=Provenance(source_kind="file", source_name=name, raw_format="pdf"),
        )
        return ParsedFile(source_name=name, format="pdf", items=[doc])
    return None


def _docs(pf: ParsedFile) -> list[Document]:
    return [i for i in pf.items if isinstance(i, Document)]


def test_committed_fixture_is_current():
    assert OUT.read_bytes() == build_xdm(), "regenerate with: python -m tests.xdm_fixture"


def test_sniffing():
    assert looks_like_xdm(OUT.read_bytes())
    plain = io.BytesIO()
    with zipfile.ZipFile(plain, "w") as zf:
        zf.writestr("notes/METADATA.XML", b"<x/>")
    assert not looks_like_xdm(plain.getvalue())
    assert not looks_like_xdm(b"PK\x03\x04 truncated")
    assert not looks_like_xdm((FIXTURES / "ccda" / "golden.xml").read_bytes())


def test_parse_fixture():
    out = parse_xdm(OUT.read_bytes(), "sample_xdm.zip", parse_member)
    summary, *files = out
    assert summary.format == "xdm" and summary.items == []
    assert [pf.format for pf in files] == ["ccda", "pdf", "ccda"]
    assert [pf.source_name for pf in files] == [
        "sample_xdm.zip/IHE_XDM/SUBSET01/DOC0001.XML",
        "sample_xdm.zip/IHE_XDM/SUBSET01/DOC0002.PDF",
        "sample_xdm.zip/IHE_XDM/SUBSET01/DOC0003.XML",
    ]
    assert sorted(summary.warnings) == sorted(
        [
            "IHE_XDM/SUBSET01/CDA.XSL: stylesheet skipped",
            "INDEX.HTM: index for people, skipped",
            "README.TXT: index for people, skipped",
            "IHE_XDM/SUBSET01/DOC0003.XML: C-CDA document not listed in METADATA, imported",
        ]
    )

    golden, pdf, unlisted = files
    # the C-CDA keeps its own title, date and patient; the metadata adds the XDM patient id
    assert golden.counts() == parse_ccda((FIXTURES / "ccda" / "golden.xml").read_bytes(), "g").counts()
    (gdoc,) = _docs(golden)
    assert (gdoc.title, gdoc.date) == ("Golden Test Summary", "2024-03-15T09:30:00")
    assert golden.patients[0].identifiers == [("urn:oid:1.2.3.999.1", "MRN-42")]

    # the PDF knows nothing: title, date, type and patient come from METADATA.XML
    (pdoc,) = _docs(pdf)
    assert (pdoc.title, pdoc.date, pdoc.doc_type) == ("Discharge letter", "2024-03-16", "Discharge summary")
    (pat,) = pdf.patients
    assert (pat.name, pat.given, pat.family, pat.birth_date, pat.sex) == (
        "Joanna Q Testperson",
        "Joanna Q",
        "Testperson",
        "1980-02-14",
        "female",
    )
    assert pat.identifiers == [("urn:oid:1.2.3.999.1", "MRN-42")]
    assert pdoc.patient_ref == pat.ref

    (udoc,) = _docs(unlisted)
    assert udoc.title == "Unlisted progress note"
    assert udoc.text == "Note\nDoing well."


def test_listed_file_missing_from_zip_is_a_warning():
    data = build_xdm(listed=[("DOC0009.XML", "text/xml", "Ghost", "20240101")])
    summary, *files = parse_xdm(data, "x.zip", parse_member)
    assert "METADATA lists 'DOC0009.XML' but the zip has no IHE_XDM/SUBSET01/DOC0009.XML" in summary.warnings
    # the two C-CDA documents are still found by content; the unlisted PDF is skipped with a note
    assert [pf.format for pf in files] == ["ccda", "ccda"]
    assert any("DOC0002.PDF: not listed in METADATA" in w for w in summary.warnings)


def test_hostile_member_costs_only_itself():
    evil = (
        b'<?xml version="1.0"?><!DOCTYPE ClinicalDocument [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        b'<ClinicalDocument xmlns="urn:hl7-org:v3"><title>&x;</title></ClinicalDocument>'
    )
    data = build_xdm({"IHE_XDM/SUBSET01/DOC0001.XML": evil})
    summary, *files = parse_xdm(data, "x.zip", parse_member)
    assert [pf.format for pf in files] == ["pdf", "ccda"]
    (w,) = [w for w in summary.warnings if "DOC0001.XML" in w]
    assert "not imported" in w and "declares entities" in w


def test_hostile_metadata_is_refused_and_documents_found_by_content():
    evil = b'<!DOCTYPE x SYSTEM "http://127.0.0.1:9/x.dtd"><x/>'
    data = build_xdm({"IHE_XDM/SUBSET01/METADATA.XML": evil})
    summary, *files = parse_xdm(data, "x.zip", parse_member)
    assert any("METADATA.XML: metadata not readable" in w and "external DTD" in w for w in summary.warnings)
    assert sorted(pf.format for pf in files) == ["ccda", "ccda", "pdf"]


def test_metadata_uri_leaving_the_subset_is_refused():
    data = build_xdm(listed=[("../../../etc/passwd", "text/plain", "x", "2024")])
    summary, *_files = parse_xdm(data, "x.zip", parse_member)
    assert any("leaves the subset" in w for w in summary.warnings)


def test_zip_level_problems_reject_the_whole_import():
    good = build_xdm()
    with pytest.raises(ImportRejected, match="truncated or damaged"):
        parse_xdm(good[: len(good) - 40], "cut.zip", parse_member)
    with pytest.raises(ImportRejected, match="climbs out"):
        parse_xdm(build_xdm({"IHE_XDM/../../x.xml": b"x"}), "x.zip", parse_member)


def test_every_subset_is_read():
    from tests.xdm_fixture import metadata, tiny_pdf

    pdf = tiny_pdf("Second")
    extra = {
        "IHE_XDM/SUBSET02/METADATA.XML": metadata(
            [("LETTER.PDF", "application/pdf", "Letter from the second subset", "20240401", len(pdf))]
        ),
        "IHE_XDM/SUBSET02/LETTER.PDF": pdf,
    }
    summary, *files = parse_xdm(build_xdm(extra), "two.zip", parse_member)
    letters = [d for pf in files for d in _docs(pf) if d.title == "Letter from the second subset"]
    assert len(letters) == 1 and letters[0].date == "2024-04-01" and letters[0].content == pdf
    assert len(files) == 4
