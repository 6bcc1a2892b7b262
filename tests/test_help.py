"""The user guide: every page the brief asks for exists, loads without Qt, and links only real commands."""

from __future__ import annotations

import re

from medrecords_desktop import help as guide
from medrecords_desktop.cli import build_parser


def test_pages_in_order_with_titles() -> None:
    slugs = [p.slug for p in guide.pages()]
    assert slugs == [
        "getting-started",
        "importing",
        "appointment-packet",
        "backups",
        "family-and-proxy",
        "troubleshooting",
        "keyboard-and-accessibility",
    ]
    assert all(p.title and not p.title.startswith("#") for p in guide.pages())
    assert guide.page("backups").title == "Backups"


def test_troubleshooting_covers_the_portal_problems() -> None:
    text = guide.page("troubleshooting").text().lower()
    for topic in (
        "wrong portal",
        "account mismatch",
        "held for clinician review",
        "21st century cures act",
        "records-request",
        "recovery code",
        "open in another window",
    ):
        assert topic in text, topic


def test_find_needs_every_word() -> None:
    assert [p.slug for p in guide.find("XDM zip")] == ["importing"]
    assert guide.find("XDM nonexistentword") == []


def test_commands_quoted_in_the_guide_exist() -> None:
    """A page that tells people to type `medrecords X` must name a real command."""
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")  # argparse keeps sub-parsers here
    known = set(sub.choices)  # type: ignore[arg-type]
    quoted = set()
    for p in (*guide.pages(), *guide.pages(lang="es")):  # translated pages quote the same commands
        quoted.update(re.findall(r"`medrecords (?:--\S+ \S+ )?([a-z][a-z-]*)", p.text()))
    assert quoted, "the guide quotes no commands?"
    assert quoted <= known, quoted - known


def test_guide_loads_without_qt() -> None:
    import subprocess
    import sys
    from pathlib import Path

    code = "import sys; sys.modules['PySide6'] = None; from medrecords_desktop import help as g; print(len(g.pages()))"
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,  # noqa: S603
        cwd=Path(__file__).resolve().parents[1],
    )
    assert out.stdout.strip() == "7"


def test_every_page_is_in_spanish_and_quotes_the_same_commands() -> None:
    """Each English page has its Spanish page (resources/help/es/), and both tell people to type the same
    commands and options: a change to an English page that its translation did not follow shows here."""

    def commands(text: str) -> set[str]:
        return set(re.findall(r"`medrecords ([a-z][a-z-]*(?: [a-z][a-z-]*)?)", text)) | set(
            re.findall(r"`(--[a-z][a-z-]*)", text)
        )

    english, spanish = guide.pages(), guide.pages(lang="es")
    assert [p.slug for p in spanish] == [p.slug for p in english]
    for en, es in zip(english, spanish, strict=True):
        assert es.path.parent.name == "es", f"{en.slug} has no Spanish page"
        assert es.title != en.title, en.slug
        assert commands(es.text()) == commands(en.text()), en.slug
    assert guide.page("troubleshooting", lang="es").title == "Solución de problemas"
    assert [p.slug for p in guide.find("zip XDM", lang="es")] == ["importing"]
