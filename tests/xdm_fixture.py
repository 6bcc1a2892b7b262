"""Builds the small IHE XDM zip used by tests/test_xdm.py (and committed as tests/fixtures/xdm/).

Run ``python -m tests.xdm_fixture`` from the checkout to regenerate the committed copy.  The
documents are our own invented fixtures: the golden C-CDA, a one-page PDF made here, and a second
C-CDA that the metadata forgets to list (as some portals do).
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent / "fixtures"
OUT = FIXTURES / "xdm" / "sample_xdm.zip"
WHEN = (2024, 3, 15, 12, 0, 0)

RIM = "urn:oasis:names:tc:ebxml-regrep:xsd:rim:3.0"
LCM = "urn:oasis:names:tc:ebxml-regrep:xsd:lcm:3.0"


def tiny_pdf(text: str = "Discharge letter") -> bytes:
    """A minimal valid one-page PDF (no external tools), with byte-exact xref offsets."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += f"{n} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n".encode()
    for off in offsets:
        out += f"{off:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {len(objs) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def second_ccda() -> bytes:
    return (
        b'<?xml version="1.0"?>\n<ClinicalDocument xmlns="urn:hl7-org:v3">'
        b'<id root="1.2.3.999" extension="DOC-3"/>'
        b'<code code="11506-3" codeSystem="2.16.840.1.113883.6.1" displayName="Progress note"/>'
        b'<title>Unlisted progress note</title><effectiveTime value="20240301"/>'
        b'<recordTarget><patientRole><id root="1.2.3.999.1" extension="MRN-42"/><patient>'
        b"<name><given>Joanna</given><family>Testperson</family></name>"
        b'<birthTime value="19800214"/></patient></patientRole></recordTarget>'
        b"<component><structuredBody><component><section><title>Note</title>"
        b"<text>Doing well.</text></section></component></structuredBody></component></ClinicalDocument>"
    )


def _extrinsic(n: int, uri: str, mime: str, title: str, created: str, size: int) -> str:
    return f"""
    <rim:ExtrinsicObject id="Document{n:02d}" mimeType="{mime}"
        objectType="urn:uuid:7edca82f-054d-47f2-a032-9b2a5b5186c1">
      <rim:Slot name="creationTime"><rim:ValueList><rim:Value>{created}</rim:Value></rim:ValueList></rim:Slot>
      <rim:Slot name="size"><rim:ValueList><rim:Value>{size}</rim:Value></rim:ValueList></rim:Slot>
      <rim:Slot name="URI"><rim:ValueList><rim:Value>{uri}</rim:Value></rim:ValueList></rim:Slot>
      <rim:Slot name="sourcePatientId"><rim:ValueList>
        <rim:Value>MRN-42^^^&amp;1.2.3.999.1&amp;ISO</rim:Value></rim:ValueList></rim:Slot>
      <rim:Slot name="sourcePatientInfo"><rim:ValueList>
        <rim:Value>PID-3|MRN-42^^^&amp;1.2.3.999.1&amp;ISO</rim:Value>
        <rim:Value>PID-5|Testperson^Joanna^Q^^</rim:Value>
        <rim:Value>PID-7|19800214</rim:Value>
        <rim:Value>PID-8|F</rim:Value>
      </rim:ValueList></rim:Slot>
      <rim:Name><rim:LocalizedString value="{title}"/></rim:Name>
      <rim:Classification classificationScheme="urn:uuid:f0306f51-975f-434e-a61c-c59651d33983"
          classifiedObject="Document{n:02d}" nodeRepresentation="18842-5" id="cl{n}">
        <rim:Name><rim:LocalizedString value="Discharge summary"/></rim:Name>
      </rim:Classification>
      <rim:ExternalIdentifier identificationScheme="urn:uuid:58a6f841-87b3-4a3e-92fd-a8ffeff98427"
          value="MRN-42^^^&amp;1.2.3.999.1&amp;ISO" id="ei{n}a" registryObject="Document{n:02d}"/>
      <rim:ExternalIdentifier identificationScheme="urn:uuid:2e82c1f6-a085-4c72-9da3-8640a32e42ab"
          value="1.2.3.999.500.{n}" id="ei{n}b" registryObject="Document{n:02d}"/>
    </rim:ExtrinsicObject>"""


def metadata(docs: list[tuple[str, str, str, str, int]]) -> bytes:
    body = "".join(_extrinsic(i + 1, *d) for i, d in enumerate(docs))
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<lcm:SubmitObjectsRequest xmlns:lcm="{LCM}" xmlns:rim="{RIM}">'
        f"<rim:RegistryObjectList>{body}\n</rim:RegistryObjectList></lcm:SubmitObjectsRequest>\n"
    ).encode()


def build_xdm(extra: dict[str, bytes] | None = None, *, listed: list[tuple[str, str, str, str]] | None = None) -> bytes:
    """The fixture zip; ``extra`` adds or replaces members, ``listed`` replaces the metadata entries
    (uri, mime, title, creationTime)."""
    golden = (FIXTURES / "ccda" / "golden.xml").read_bytes()
    pdf = tiny_pdf()
    files: dict[str, bytes] = {
        "INDEX.HTM": b"<html><body><a href='IHE_XDM/SUBSET01/DOC0001.XML'>Summary</a></body></html>",
        "README.TXT": b"Records exported for Joanna Testperson.",
        "IHE_XDM/SUBSET01/DOC0001.XML": golden,
        "IHE_XDM/SUBSET01/DOC0002.PDF": pdf,
        "IHE_XDM/SUBSET01/DOC0003.XML": second_ccda(),
        "IHE_XDM/SUBSET01/CDA.XSL": b'<xsl:stylesheet xmlns:xsl="http://www.w3.org/1999/XSL/Transform"/>',
    }
    docs = listed or [
        ("DOC0001.XML", "text/xml", "Visit summary (from XDM)", "20240315093000"),
        ("DOC0002.PDF", "application/pdf", "Discharge letter", "20240316"),
    ]
    sizes = {d[0]: len(files.get("IHE_XDM/SUBSET01/" + d[0], b"")) for d in docs}
    files["IHE_XDM/SUBSET01/METADATA.XML"] = metadata([(*d, sizes[d[0]]) for d in docs])
    files.update(extra or {})
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, body in files.items():
            zf.writestr(zipfile.ZipInfo(name, WHEN), body, compress_type=zipfile.ZIP_DEFLATED)
    return buf.getvalue()


if __name__ == "__main__":
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_bytes(build_xdm())
    print(f"wrote {OUT} ({OUT.stat().st_size} bytes)")
