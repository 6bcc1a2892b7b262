"""The appointment packet's words, dates and numbers in the language it is printed in.

The packet is drawn by the core (no Qt), so it cannot use the GUI's Qt translations: this is a small
gettext-like catalogue of its own.  The English text is the key; ``t("Recent lab results")`` gives the
text in the language of the current build (``use("es")``), and English when a text has no translation.
``tn(one, many, n)`` chooses the plural, ``day(iso)`` writes a date and ``num(text)`` the decimal mark
the way the language does.  Units and the records' own words (test names, doses, notes) are shown as
they were recorded: they are the clinical record, not the packet's words.

Adding a language: a dict like ``ES`` below and an entry in ``CATALOGUES``/``LANGUAGES``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date

LANGUAGES = {"en": "English", "es": "Español"}
DEFAULT = "en"

# Every English text the packet prints, in Spanish written for a clinician and a family reading together.
ES: dict[str, str] = {
    # document and cover
    "Health summary": "Resumen de salud",
    "Confidential health information": "Información de salud confidencial",
    "Cover": "Portada",
    "Documents": "Documentos",
    "Contents": "Contenido",
    "page ": "página ",
    "Date of birth": "Fecha de nacimiento",
    "Sex": "Sexo",
    "Prepared on": "Preparado el",
    "Prepared for": "Preparado para",
    "Included documents": "Documentos incluidos",
    "not recorded": "no consta",
    "female": "femenino",
    "male": "masculino",
    "other": "otro",
    "unknown": "desconocido",
    "(age {age})": "({age} años)",
    "{included} of {total} ({pages})": "{included} de {total} ({pages})",
    "Allergies": "Alergias",
    "Active conditions": "Problemas de salud activos",
    "Active medications": "Medicamentos activos",
    "None recorded": "Nada registrado",
    "None recorded.": "Nada registrado.",
    " and {n} more": " y {n} más",
    (
        "{confidential}. Prepared by the patient or their family from their own records for the clinician "
        "named above. Please handle it as part of the medical record."
    ): (
        "{confidential}. Preparado por el paciente o su familia a partir de sus propios registros para el "
        "profesional de salud indicado arriba. Trátelo como parte de la historia clínica."
    ),
    "born {date}": "nacido/a el {date}",
    "Page {n} of ": "Página {n} de ",
    # section titles
    "Allergies and intolerances": "Alergias e intolerancias",
    "Conditions": "Problemas de salud",
    "Immunizations": "Vacunas",
    "Due at this visit": "Pendientes en esta visita",
    "Care plan, goals and upcoming visits": "Plan de cuidados, objetivos y próximas citas",
    "Recent lab results": "Resultados de laboratorio recientes",
    "Recent encounters": "Visitas médicas recientes",
    # medications
    "Medication": "Medicamento",
    "Dose": "Dosis",
    "Route / frequency": "Vía / frecuencia",
    "Reason": "Motivo",
    "Since": "Desde",
    "Prescriber": "Recetado por",
    " (over the counter)": " (sin receta)",
    # allergies
    "Substance": "Sustancia",
    "Reaction": "Reacción",
    "Severity": "Gravedad",
    "Category": "Categoría",
    "Status": "Estado",
    "Recorded": "Registrada",
    "criticality {value}": "criticidad {value}",
    # conditions
    "Condition": "Problema de salud",
    "Resolved": "Resuelto",
    "Note": "Nota",
    # immunizations
    "Vaccine": "Vacuna",
    "Date": "Fecha",
    "Lot": "Lote",
    "Given by": "Administrada por",
    # due at this visit
    "Vaccine group": "Grupo de vacunas",
    "Next dose": "Próxima dosis",
    "Recommended": "Recomendada",
    "Past due": "Atrasada desde",
    "Vaccine to give": "Vacuna a administrar",
    "OVERDUE": "ATRASADA",
    "Due now": "Toca ahora",
    "Due soon": "Toca pronto",
    "Nothing is due or overdue by the immunizations in this record.": (
        "Según las vacunas de este registro, no hay ninguna pendiente ni atrasada."
    ),
    # care
    "Care plan": "Plan de cuidados",
    "Activities": "Actividades",
    "By": "Por",
    "Goal": "Objetivo",
    "Target": "Meta",
    "Target date": "Fecha meta",
    "Progress": "Progreso",
    "Upcoming visit": "Próxima cita",
    "What": "Qué",
    "Where / with": "Dónde / con quién",
    # labs
    "Test": "Análisis",
    "Latest result": "Último resultado",
    "Flag": "Marca",
    "Reference": "Referencia",
    "Trend (green: reference range)": "Evolución (verde: rango de referencia)",
    "prev. {value}": "anterior: {value}",
    " on {date}": " el {date}",
    "H = above, L = below the reference range, A = abnormal. Red points in a trend are abnormal results.": (
        "H = por encima, L = por debajo del rango de referencia, A = anormal. Los puntos rojos de una "
        "evolución son resultados anormales."
    ),
    # encounters
    "Visit": "Visita",
    "Where": "Dónde",
    "Clinician": "Profesional",
    # documents
    "Document": "Documento",
    "Type": "Tipo",
    "In this packet": "En este paquete",
    "{pages}, from page ": "{pages}, desde la página ",
    "not included (damaged PDF)": "no incluido (PDF dañado)",
    "not included (password-protected PDF)": "no incluido (PDF protegido con contraseña)",
    "not included (unreadable image)": "no incluido (imagen ilegible)",
    "not included (not a PDF or an image)": "no incluido (no es un PDF ni una imagen)",
    "\u2026 (shortened)": "\u2026 (abreviado)",
    "not included (file missing)": "no incluido (falta el archivo)",
    "not included (image too large)": "no incluido (imagen demasiado grande)",
    "not included (damaged image)": "no incluido (imagen dañada)",
    "not included ({label} file)": "no incluido (archivo {label})",
    "{label} image": "imagen {label}",
    "unknown type": "tipo desconocido",
    "Untitled document": "Documento sin título",
    " (page {n} of {count})": " (página {n} de {count})",
}
# Plurals: (one, many) English -> (one, many) Spanish.
ES_PLURALS: dict[tuple[str, str], tuple[str, str]] = {
    ("{n} page", "{n} pages"): ("{n} página", "{n} páginas"),
    ("{n} result", "{n} results"): ("{n} resultado", "{n} resultados"),
    ("{n} stopped or completed medication not listed.", "{n} stopped or completed medications not listed."): (
        "{n} medicamento suspendido o terminado no aparece.",
        "{n} medicamentos suspendidos o terminados no aparecen.",
    ),
    ("{n} older encounter not listed.", "{n} older encounters not listed."): (
        "{n} visita anterior no aparece.",
        "{n} visitas anteriores no aparecen.",
    ),
}
# FHIR codes the records carry for status, severity, category and criticality: a code is not a value,
# so the packet shows its words (only a whole, known code is translated; anything else is shown as is).
ES_CODES: dict[str, str] = {
    "mild": "leve",
    "moderate": "moderada",
    "severe": "grave",
    "low": "baja",
    "high": "alta",
    "unable-to-assess": "no evaluable",
    "food": "alimento",
    "medication": "medicamento",
    "environment": "ambiental",
    "biologic": "biológico",
    "active": "activo",
    "inactive": "inactivo",
    "resolved": "resuelto",
    "remission": "en remisión",
    "recurrence": "recurrencia",
    "relapse": "recaída",
    "confirmed": "confirmado",
    "unconfirmed": "sin confirmar",
    "provisional": "provisional",
    "differential": "diferencial",
    "refuted": "descartado",
    "completed": "completado",
    "on-hold": "en pausa",
    "stopped": "suspendido",
    "intended": "previsto",
    "draft": "borrador",
    "booked": "reservada",
    "proposed": "propuesta",
    "pending": "pendiente",
    "arrived": "llegó",
    "fulfilled": "realizada",
    "waitlist": "en lista de espera",
    "in-progress": "en curso",
    "achieved": "logrado",
    "not-achieved": "no logrado",
    "improving": "mejorando",
    "worsening": "empeorando",
    "no-change": "sin cambios",
    "sustaining": "se mantiene",
    "accepted": "aceptado",
    "planned": "previsto",
}
ES_MONTHS = ("ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sept", "oct", "nov", "dic")

CATALOGUES: dict[str, tuple[dict[str, str], dict[tuple[str, str], tuple[str, str]]]] = {
    "es": (ES, ES_PLURALS),
}
CODES: dict[str, dict[str, str]] = {"es": ES_CODES}

_lang: ContextVar[str] = ContextVar("packet_lang", default=DEFAULT)


def check(lang: str | None) -> str:
    """``lang`` if the packet can be printed in it; a clear error otherwise."""
    from medrecords_desktop.errors import InvalidInput

    lang = (lang or DEFAULT).lower()
    if lang not in LANGUAGES:
        raise InvalidInput(f"The packet can be printed in {', '.join(LANGUAGES)}, not {lang!r}.")
    return lang


@contextmanager
def use(lang: str) -> Iterator[None]:
    """Print in ``lang`` inside the block (per thread / task: a context variable)."""
    token = _lang.set(check(lang))
    try:
        yield
    finally:
        _lang.reset(token)


def current() -> str:
    return _lang.get()


def t(text: str, **fields: object) -> str:
    """``text`` in the current language, its ``{fields}`` filled in."""
    words = CATALOGUES.get(_lang.get(), ({}, {}))[0].get(text, text)
    return words.format(**fields) if fields else words


def words(*headings: str) -> tuple[str, ...]:
    """A table's column headings in the current language."""
    return tuple(t(h) for h in headings)


def tn(one: str, many: str, n: int, **fields: object) -> str:
    """The singular or plural of a counted text ({n} is the count)."""
    plurals = CATALOGUES.get(_lang.get(), ({}, {}))[1]
    pair = plurals.get((one, many), (one, many))
    return pair[0 if n == 1 else 1].format(n=n, **fields)


def code(value: str | None) -> str:
    """A coded status, severity, category or criticality ('severe') in the packet's language ('grave')."""
    text = value or ""
    return CODES.get(_lang.get(), {}).get(text.strip().lower(), text)


def day(value: str | None) -> str:
    """A record's date: '2026-10-24' in English (the form the records and the clinic use), '24 oct 2026'
    in Spanish (unambiguous for a reader used to day/month or month/day)."""
    text = (value or "")[:10]
    if _lang.get() == "en" or not text:
        return text
    try:
        d = date.fromisoformat(text)
    except ValueError:
        return text  # a partial date ('2026-10') is shown as recorded
    return f"{d.day} {ES_MONTHS[d.month - 1]} {d.year}"


_FILE_NOTE = re.compile(r"not included \((.+) file\)")
_IMAGE_LABEL = re.compile(r"([A-Z]+) image")


def note_words(note: str) -> str:
    """Why a document is not in the packet (the builder's English note, kept for the report), in the
    packet's language."""
    m = _FILE_NOTE.fullmatch(note)
    if m:
        return t("not included ({label} file)", label=type_words(m.group(1)))
    return t(note)


def type_words(label: str) -> str:
    """'PNG image', 'PDF', 'DOCX' in the packet's language (file types themselves are not translated)."""
    m = _IMAGE_LABEL.fullmatch(label)
    if m:
        return t("{label} image", label=m.group(1))
    return t(label)


_DECIMAL = re.compile(r"(?<=\d)\.(?=\d)")


def num(text: str) -> str:
    """Numbers in ``text`` with the language's decimal mark ('4.3 mmol/L' -> '4,3 mmol/L' in Spanish).
    Only for text the packet itself writes from numbers (values, ranges), never for names or notes."""
    if _lang.get() == "en":
        return text
    return _DECIMAL.sub(",", text)
