"""The appointment packet printed in Spanish (issue 24): the packet's own words, dates and decimal marks
in Spanish, the records' words and the units as recorded, and English unchanged.  Real packets built and
decrypted with pypdf; the command line's --lang through the real CLI on a real vault."""

from __future__ import annotations

import ast
import io
import subprocess
import sys
from datetime import date
from pathlib import Path

import pypdf
import pytest

from medrecords_desktop.errors import InvalidInput
from medrecords_desktop.exporters import packet_i18n
from medrecords_desktop.exporters.packet import SECTION_TITLES, PacketData, build_packet
from tests import packet_samples as S

PASSWORD = "maple-otter-quiet-lantern-fig"  # noqa: S105 (a test fixture)
ON = date(2026, 11, 20)
EXPORTERS = Path(packet_i18n.__file__).parent


def _docs() -> list:
    return [
        (S.document("Lab report", "2026-08-22", "application/pdf", "labs.pdf", 7), S.make_pdf("Lab report", 2)),
        (S.document("Letter in Word", "2026-03-02", "application/msword", "letter.docx", 6), b"PK\x03\x04x"),
        (S.document("Knee photo", "2026-05-05", "image/jpeg", "knee.jpg", 8), S.make_jpeg()),
    ]


def _build(tmp_path: Path, lang: str) -> tuple[str, pypdf.PdfReader]:
    data = PacketData(
        person=S.person(), prepared_for=S.PREPARED_FOR, prepared_on=ON, documents=_docs(), lang=lang, **S.records(ON)
    )
    out = tmp_path / f"packet-{lang}.pdf"
    result = build_packet(data, out, PASSWORD)
    reader = pypdf.PdfReader(io.BytesIO(out.read_bytes()))
    assert reader.decrypt(PASSWORD) != pypdf.PasswordType.NOT_DECRYPTED
    text = "\n".join(reader.pages[n].extract_text() for n in range(result.summary_pages))
    return " ".join(text.split()), reader


@pytest.fixture(scope="module")
def spanish(tmp_path_factory):
    return _build(tmp_path_factory.mktemp("es"), "es")


@pytest.fixture(scope="module")
def english(tmp_path_factory):
    return _build(tmp_path_factory.mktemp("en"), "en")


def test_headings_and_cover_in_spanish(spanish) -> None:
    text, reader = spanish
    for words in (
        "Resumen de salud",
        "Fecha de nacimiento",
        "9 abr 1961 (65 años)",
        "Preparado el 20 nov 2026",
        "Medicamentos activos",
        "Alergias e intolerancias",
        "Problemas de salud",
        "Vacunas",
        "Resultados de laboratorio recientes",
        "Visitas médicas recientes",
        "Documentos incluidos",
        "Información de salud confidencial",
        "Página 1 de",
        "Contenido",
    ):
        assert words in text, words
    assert reader.metadata.title == "Resumen de salud"
    top = [o.title for o in reader.outline if not isinstance(o, list)]
    assert top == ["Portada", *(packet_i18n.ES[title] for _, title in SECTION_TITLES), "Documentos"]


def test_numbers_dates_and_codes_by_language_units_and_record_words_as_recorded(spanish) -> None:
    text, _ = spanish
    assert "3,3 mmol/L" in text and "3,5–5,1" in text  # decimal comma in values and ranges
    assert "mL/min/1.73 m²" in text  # the unit as recorded: not '1,73'
    assert "22 ago 2026" in text and "2026-08-22" not in text
    assert "grave / criticidad alta" in text and "alimento" in text  # coded severity and category in words
    assert "Hives, swelling of the lips and tongue" in text  # the record's own words stay
    assert "no incluido (archivo DOCX)" in text and "imagen JPEG" in text
    assert "2 páginas, desde la página 4" in text
    assert "H = por encima" in text


def test_english_packet_is_unchanged(english) -> None:
    text, reader = english
    assert "Health summary" in text and "Recent lab results" in text and "3.3 mmol/L" in text
    assert "2026-08-22" in text and "Page 1 of" in text and "not included (DOCX file)" in text
    for spanish_word in ("Resumen", "Página", "páginas", "abr", "grave"):
        assert spanish_word not in text
    assert reader.metadata.title == "Health summary"


def test_every_text_the_packet_prints_has_a_spanish_entry() -> None:
    """Each literal passed to t()/tn() in the packet modules is in the catalogue (a missing one would
    print in English inside a Spanish packet).  The check can fail: see the deliberate miss below."""

    def calls(source: str) -> tuple[set[str], set[tuple[str, str]]]:
        singles, plurals = set(), set()
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                strs = [a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
                if node.func.id == "t" and strs:
                    singles.add(strs[0])
                elif node.func.id == "words":
                    singles.update(strs)
                elif node.func.id == "tn" and len(strs) >= 2:
                    plurals.add((strs[0], strs[1]))
        return singles, plurals

    singles, plurals = set(), set()
    for name in ("packet.py", "packet_layout.py", "packet_sections.py", "packet_style.py", "packet_immunizations.py"):
        s, p = calls((EXPORTERS / name).read_text("utf-8"))
        singles |= s
        plurals |= p
    keyed = (
        {title for _, title in SECTION_TITLES}
        | set(S_STATE_WORDS())
        | {"Health summary", "Confidential health information"}
    )
    assert len(singles) > 60 and len(plurals) >= 4
    assert sorted(w for w in singles - set(packet_i18n.ES) if any(c.isalpha() for c in w)) == []  # '#' is '#'
    assert sorted(plurals - set(packet_i18n.ES_PLURALS)) == []
    assert sorted(keyed - set(packet_i18n.ES)) == []
    missed, _ = calls('t("A sentence nobody translated")')
    assert missed - set(packet_i18n.ES) == {"A sentence nobody translated"}


def S_STATE_WORDS() -> list[str]:  # noqa: N802 - the due section's state words
    from medrecords_desktop.exporters.packet_immunizations import STATE_WORDS

    return list(STATE_WORDS.values())


def test_unknown_language_is_a_clear_error(tmp_path: Path) -> None:
    data = PacketData(person=S.person(), prepared_for="x", prepared_on=ON, lang="fr")
    with pytest.raises(InvalidInput, match="not 'fr'"):
        build_packet(data, tmp_path / "p.pdf", PASSWORD)
    assert not (tmp_path / "p.pdf").exists()


def test_cli_prints_the_packet_in_spanish(cli_env, tmp_path: Path) -> None:
    pw = tmp_path / "pw.txt"
    pw.write_text(PASSWORD)
    out = tmp_path / "es.pdf"
    r = subprocess.run(
        [
            sys.executable,
            "-m",
            "medrecords_desktop.cli",
            "export",
            "packet",
            "--person",
            "Alice Example",
            "--for",
            "Dra. Ruiz",
            "--lang",
            "es",
            "--out",
            str(out),
            "--password-file",
            str(pw),
        ],
        env=cli_env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert r.returncode == 0, r.stderr
    reader = pypdf.PdfReader(str(out))
    reader.decrypt(PASSWORD)
    first = " ".join(reader.pages[0].extract_text().split())
    assert "Resumen de salud" in first and "Preparado para Dra. Ruiz" in first
    bad = subprocess.run(
        [
            sys.executable,
            "-m",
            "medrecords_desktop.cli",
            "export",
            "packet",
            "--person",
            "Alice Example",
            "--lang",
            "fr",
            "--out",
            str(tmp_path / "fr.pdf"),
            "--password-file",
            str(pw),
        ],
        env=cli_env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert bad.returncode != 0 and "invalid choice: 'fr'" in bad.stderr and not (tmp_path / "fr.pdf").exists()
