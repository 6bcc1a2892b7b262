"""Languages (issue 24): every string of the converted GUI files goes through Qt's translation, the
Spanish translation is complete and compiled, and the app really speaks Spanish when asked.

- lupdate (PySide6's own) is run on the GUI into a temporary copy of the Spanish .ts: 0 unfinished.
- The committed .qm is byte for byte what lrelease makes of the committed .ts.
- An AST check: no user-visible string literal reaches a Qt text setter outside tr()/translate().
- The list of files not yet converted only shrinks.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

pytest.importorskip("PySide6.QtWidgets")

from gui_a11y import (  # noqa: E402
    CONVERTED,
    GUI,
    NOT_YET_CONVERTED,
    gui_files,
    untranslated_literals,
)
from gui_helpers import settings_in  # noqa: E402
from PySide6.QtCore import QDate, QDateTime, Qt, QTime  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from medrecords_desktop.gui import fmt, i18n, ops  # noqa: E402
from medrecords_desktop.tools import translations  # noqa: E402

# What was not yet converted when issue 24 laid the foundation: NOT_YET_CONVERTED may only lose files.
NOT_YET_CONVERTED_AT_START = frozenset(
    {
        "access_view.py",
        "audit_view.py",
        "claims_view.py",  # issue 19, landed beside the foundation
        "ext_records.py",
        "ext_sharing.py",
        "immunizations_view.py",  # issue 23, landed beside the foundation
        "import_dialog.py",
        "main_window.py",
        "missing_view.py",
        "models.py",
        "packet_dialog.py",
        "people_menu.py",  # issue 22, landed beside the foundation
        "portals_view.py",
        "trash_view.py",
        "views/imports.py",
        "views/labs.py",
        "wrong_person.py",  # issue 18, landed beside the foundation
    }
)


@pytest.fixture
def spanish(monkeypatch: pytest.MonkeyPatch):
    """The app in Spanish for one test, English again afterwards (the translators are process-wide)."""
    from PySide6.QtCore import QLocale

    app = QApplication.instance() or QApplication([])
    before = QLocale()  # other tests see the process's locale as it was
    monkeypatch.setenv("MEDRECORDS_LANG", "es")
    assert i18n.install(app) == "es"
    yield app
    monkeypatch.setenv("MEDRECORDS_LANG", "en")
    i18n.install(app)
    QLocale.setDefault(before)


# --------------------------------------------------------------------------- bookkeeping
def test_every_gui_file_is_either_converted_or_listed_as_not_yet() -> None:
    files = gui_files()
    assert not CONVERTED & NOT_YET_CONVERTED
    assert files - CONVERTED - NOT_YET_CONVERTED == set(), "a new GUI file must be converted (tr, names)"
    assert (CONVERTED | NOT_YET_CONVERTED) - files == set(), "listed files that no longer exist"


def test_not_yet_converted_only_shrinks() -> None:
    assert NOT_YET_CONVERTED <= NOT_YET_CONVERTED_AT_START


# --------------------------------------------------------------------------- strings outside tr()
@pytest.mark.parametrize("name", sorted(CONVERTED))
def test_no_user_visible_literal_outside_tr(name: str) -> None:
    found = untranslated_literals(GUI / name)
    assert found == [], "\n".join(map(str, found))


def test_the_literal_check_can_fail(tmp_path: Path) -> None:
    """The AST check finds literals in setters, constructors, f-strings and lists; tr()'d ones pass."""
    src = tmp_path / "sample.py"
    src.write_text(
        "def build(self, n):\n"
        "    self.label.setText('Hello there')\n"
        "    b = QPushButton(f'{n} items')\n"
        "    t.setHeaderLabels(['Date', self.tr('Test')])\n"
        "    w.setToolTip('Open it' if n else self.tr('Closed'))\n"
        "    ok = QLabel(self.tr('Fine'))\n"
        "    ok2 = QLabel(QCoreApplication.translate('Ctx', 'Also fine').format(n=n))\n"
        "    ok3 = QLabel(' · '.join(parts))\n"
        "    ok4 = QLabel('mmHg')\n"
    )
    found = [(lit.line, lit.text) for lit in untranslated_literals(src)]
    assert found == [(2, "Hello there"), (3, " items"), (4, "Date"), (5, "Open it")]


def test_lupdate_finds_no_unfinished_spanish_string(tmp_path: Path) -> None:
    """PySide6's lupdate over the GUI into a copy of the Spanish .ts: every message is translated."""
    ts = tmp_path / "medrecords_es.ts"
    shutil.copy(translations.ts_path("es"), ts)
    translations.lupdate(translations.sources(), ts)
    assert translations.unfinished(ts) == []
    text = ts.read_text("utf-8")
    assert text.count("<message") >= 400  # the extraction really ran over the files
    # and nothing the committed .ts holds is missing from what lupdate extracts now (no stale .ts)
    assert translations.unfinished(translations.ts_path("es")) == []


def test_committed_qm_is_compiled_from_the_committed_ts() -> None:
    assert translations.qm_up_to_date("es"), "run scripts/update-translations and commit the .qm"


def test_unfinished_counts_untranslated_and_partial_plurals(tmp_path: Path) -> None:
    ts = tmp_path / "x_es.ts"
    ts.write_text(
        '<?xml version="1.0" encoding="utf-8"?><!DOCTYPE TS><TS version="2.1" language="es_ES">'
        "<context><name>C</name>"
        "<message><source>Done</source><translation>Hecho</translation></message>"
        '<message><source>Todo</source><translation type="unfinished"></translation></message>'
        '<message numerus="yes"><source>%n kinds</source><translation>'
        "<numerusform>%n tipo</numerusform><numerusform></numerusform></translation></message>"
        "</context></TS>",
        "utf-8",
    )
    assert translations.unfinished(ts) == ["C: Todo", "C: %n kinds"]


# --------------------------------------------------------------------------- the app in Spanish
def test_spanish_is_loaded_with_qt_own_strings(spanish) -> None:
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtWidgets import QDialogButtonBox

    from medrecords_desktop.gui.icons import KIND_LABELS

    assert QCoreApplication.translate("TimelineView", "Timeline") == "Cronología"
    assert KIND_LABELS["immunization"] == "Vacunas" and KIND_LABELS.get("allergy") == "Alergias"
    bb = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
    assert bb.button(QDialogButtonBox.StandardButton.Cancel).text() == "Cancelar"  # qtbase_es.qm


def test_dates_and_numbers_follow_the_language(spanish, monkeypatch: pytest.MonkeyPatch) -> None:
    assert fmt.fmt_long("2026-10-24") == "24 de octubre de 2026"
    assert fmt.fmt_day("2026-04-12").startswith("dom")
    assert fmt.fmt_value(4.3, "mmol/L") == "4,3 mmol/L"
    assert fmt.fmt_num(1234.5) == "1234,5"  # no thousands separator: values are read back
    assert fmt.plain_num(4.3) == "4.3"  # what an edit field gives the service
    monkeypatch.setenv("MEDRECORDS_LANG", "en")
    i18n.install(spanish)
    assert fmt.fmt_long("2026-10-24") == "24 October 2026"
    assert fmt.fmt_day("2026-04-12") == "Sun 12 Apr 2026"
    assert fmt.fmt_value(4.3, "mmol/L") == "4.3 mmol/L"


def test_plurals_in_spanish(qtbot, spanish) -> None:
    from medrecords_desktop.gui.views.timeline import KindFilter

    k = KindFilter()
    qtbot.addWidget(k)
    k.set_kinds(["observation", "medication"])
    assert k.text() == "2 tipos"
    k.set_kinds(["observation"])
    assert k.text() == "Resultados"
    k.set_kinds(None)
    assert k.text() == "Todos los tipos"


def test_views_and_forms_in_spanish(qtbot, spanish, vault) -> None:
    from medrecords_desktop.gui.entry_forms import EntryDialog
    from medrecords_desktop.gui.unlock import UnlockScreen
    from medrecords_desktop.gui.views.encounters import EncountersView

    enc = EncountersView()
    qtbot.addWidget(enc)
    assert enc.model.headerData(1, enc.table.horizontalHeader().orientation()) == "Visita"
    assert enc.provider.placeholderText() == "Médico o clínica"
    dlg = EntryDialog(vault, "allergy", {p.id: p.name for p in vault.persons()})
    qtbot.addWidget(dlg)
    assert dlg.windowTitle() == "Añadir alergia"
    severity = dlg.fields["severity"]
    severity.setCurrentIndex(3)
    assert severity.currentText() == "grave"
    assert dlg.values()["severity"] == "severe"  # the service still gets the code
    s = UnlockScreen(Path("/nonexistent"), Path("/nonexistent-demo"))
    qtbot.addWidget(s)
    assert s.unlock_btn.text() == "Abrir"


def test_immunizations_in_spanish(qtbot, spanish, vault) -> None:
    import datetime as dt

    from medrecords_desktop.gui.immunizations_view import ImmunizationsView, due_line
    from medrecords_desktop.gui.models import PersonInfo
    from medrecords_desktop.gui.views import ViewContext
    from medrecords_desktop.services.immunizations import ImmunizationService
    from medrecords_desktop.services.records import RecordService
    from medrecords_desktop.tools.screenshots_immunizations import add_child_history

    add_child_history(vault, "Bobby Example")
    people = {p.id: PersonInfo(p.id, p.name, "#336699") for p in vault.persons()}
    bobby = next(pid for pid, p in people.items() if p.name == "Bobby Example")
    v = ImmunizationsView(today=lambda: dt.date(2026, 6, 1))
    qtbot.addWidget(v)
    v.set_context(ViewContext(RecordService(vault), people, bobby), True)
    assert v.heading.text() == "Vacunas — Bobby Example"
    assert v.tree.headerItem().text(1) == "Estado" and v.tree.accessibleName() == "Vacunas y lo que toca"
    assert "no es un consejo médico" in v.notice.text() and "1 de junio de 2026" in v.notice.text()
    rows = {r[0].split("  (")[0]: r for r in v.rows()}
    assert rows["MMR"][1] == "ATRASADA" and rows["Polio"][1] == "Completa"
    assert "dosis válidas de" in rows["Polio"][0]
    mmr = next(
        v.tree.topLevelItem(i)
        for i in range(v.tree.topLevelItemCount())
        if v.tree.topLevelItem(i).text(0).startswith("MMR")
    )
    assert mmr.child(0).text(1) == "No válida: puesta antes de la edad mínima" and mmr.child(1).text(1) == "Válida"
    import re

    assert re.fullmatch(r"\d{1,2} \w+\.? \d{4}", rows["MMR"][4]), rows["MMR"]  # '10 oct 2019', not ISO
    assert "pida a la clínica su registro" in v.attention.text()
    line = due_line(ImmunizationService(vault).family(dt.date(2026, 6, 1)))
    assert line.startswith("Vacunas según los registros") and "ATRASADA" in line


def test_people_dialogs_in_spanish(qtbot, spanish, vault) -> None:
    from gui_helpers import fill

    from medrecords_desktop.gui.people_menu import EditPersonDialog, MergeDialog

    fill(vault, "Bobby Example")
    bobby = next(p for p in vault.persons() if p.name == "Bobby Example")
    edit = EditPersonDialog(vault, bobby)
    qtbot.addWidget(edit)
    assert edit.windowTitle() == "Editar a Bobby Example" and edit.sex.currentText() == "hombre"
    assert edit.sex.currentData() == "male"  # the service still gets the code
    assert edit.born.accessibleName() == "Fecha de nacimiento"
    merge = MergeDialog(vault, bobby)
    qtbot.addWidget(merge)
    from PySide6.QtWidgets import QLabel

    head = next(lab.text() for lab in merge.findChildren(QLabel) if "misma persona" in lab.text())
    assert merge.merge_btn.text() == "&Combinar"
    assert head == "<b>Bobby Example</b> (1 sept 2015) es la misma persona que:"  # the date as Spanish writes it
    assert merge.what.text().startswith("Todos los registros de Bobby Example pasan a Alice Example: ")
    assert "registros de 2 importaciones. De ellos, 0 ya están en los registros de Alice" in merge.what.text()
    kinds = [merge.tree.topLevelItem(i).text(0) for i in range(merge.tree.topLevelItemCount())]
    assert "Visitas médicas" in kinds and "Resultados y mediciones" in kinds


def test_trash_and_import_history_in_spanish(qtbot, spanish, vault) -> None:
    from gui_helpers import fill

    from medrecords_desktop.gui.models import PersonInfo
    from medrecords_desktop.gui.trash_view import TrashView
    from medrecords_desktop.gui.views import ViewContext
    from medrecords_desktop.gui.views.imports import ImportsView
    from medrecords_desktop.services.editing import EditingService
    from medrecords_desktop.services.records import RecordService

    fill(vault)
    records = RecordService(vault)
    ctx = ViewContext(records, {p.id: PersonInfo(p.id, p.name, "#336699") for p in vault.persons()}, None)
    trash, imports = TrashView(), ImportsView()
    qtbot.addWidget(trash)
    qtbot.addWidget(imports)
    trash.set_context(ctx, True)
    assert trash.empty.text().startswith("La Papelera está vacía.")
    EditingService(vault).delete(records.timeline(None, limit=1)[0].id)
    trash.refresh()
    assert trash.table.horizontalHeaderItem(0).text() == "Borrado"
    assert (trash.restore_btn.text(), trash.empty_btn.text()) == ("Restaurar", "Vaciar la Papelera…")
    sentence = trash.table.item(0, 0).data(Qt.ItemDataRole.AccessibleTextRole)
    assert "Alice Example, borrado el " in sentence
    imports.set_context(ctx, True)
    assert imports.undo_btn.text() == "Deshacer importación…" and imports.move_btn.text() == "Pasar a…"
    asked: list[str] = []
    imports.ask_yes = lambda _w, title, text: asked.append(title + "|" + text) or False  # type: ignore[method-assign]
    imports.select_row(0)
    assert imports.undo_selected() is None
    assert asked[0].startswith("Deshacer importación|¿Deshacer «") and "Papelera" in asked[0]


def test_audit_in_spanish(qtbot, spanish, vault) -> None:
    from gui_helpers import fill

    from medrecords_desktop.gui.audit_view import AuditView
    from medrecords_desktop.gui.models import PersonInfo
    from medrecords_desktop.gui.views import ViewContext
    from medrecords_desktop.services.records import RecordService

    fill(vault)
    v = AuditView()
    qtbot.addWidget(v)
    v.set_context(
        ViewContext(RecordService(vault), {p.id: PersonInfo(p.id, p.name, "#336699") for p in vault.persons()}, None),
        True,
    )
    assert v.table.horizontalHeaderItem(0).text() == "Cuándo" and v.action.itemText(0) == "Cualquier acción"
    assert "Añadió a una persona" in [v.action.itemText(i) for i in range(v.action.count())]
    assert v.count.text().endswith("entradas") and v.user.accessibleName() == "Mostrar entradas por: Usuario"
    row = v.actions_shown().index("person.add")
    assert v.table.item(row, 2).text() == "Añadió a una persona"
    assert v.table.item(row, 0).data(Qt.ItemDataRole.AccessibleTextRole).startswith("Añadió a una persona, ")


def test_missing_records_in_spanish(qtbot, spanish, vault) -> None:
    import datetime as dt

    from gui_helpers import fill

    from medrecords_desktop.gui.missing_view import MissingView
    from medrecords_desktop.gui.models import PersonInfo
    from medrecords_desktop.gui.views import ViewContext
    from medrecords_desktop.services.records import RecordService

    v = MissingView(today=lambda: dt.date(2026, 6, 1))
    qtbot.addWidget(v)
    ctx = ViewContext(RecordService(vault), {p.id: PersonInfo(p.id, p.name, "#336699") for p in vault.persons()}, None)
    v.set_context(ctx, True)
    assert v.empty.text().startswith("No falta nada en los últimos")
    fill(vault)
    v.refresh()
    assert v.table.horizontalHeaderItem(6).text() == "Retraso"
    assert (v.paper_btn.text(), v.not_needed_btn.text()) == ("Recibido en papel", "No hace falta")
    assert v.summary.text().startswith("Hay ") and "con retraso" in v.summary.text()
    assert v.table.item(0, 6).text().endswith("días")
    assert v.table.item(0, 0).data(Qt.ItemDataRole.AccessibleTextRole).startswith("Falta ")
    v.table.selectRow(0)
    assert "Qué hacer:" in v.detail.text()


def test_import_report_in_spanish(qtbot, spanish, vault) -> None:
    from medrecords_desktop.gui.import_dialog import ImportDialog
    from medrecords_desktop.services.importing import ImportService

    fixtures = Path(__file__).parent / "fixtures" / "gui"
    files = [str(fixtures / "walrus-visit.json"), str(fixtures / "truncated-download.json")]
    dlg = ImportDialog(vault, files)
    qtbot.addWidget(dlg)
    assert dlg.heading.text() == "Importando 2 elementos…" and dlg.cancel_btn.text() == "Cancelar"
    report = ImportService(vault).import_paths(files, choose_person=lambda *_: None)
    dlg.show_report(report)
    assert dlg.heading.text() == "Importación terminada"
    added = sum(report.added.values())
    assert dlg.summary.text().startswith(f"Se añadieron {added} elementos de 2 archivos; 1 archivo no se pudo importar")
    results = sorted(dlg.tree.topLevelItem(i).text(1) for i in range(dlg.tree.topLevelItemCount()))
    assert results == ["Importado", "No importado"]


def test_packet_dialog_in_spanish(qtbot, spanish, vault, tmp_path: Path) -> None:
    from gui_helpers import fill

    from medrecords_desktop.gui.packet_dialog import PacketDialog
    from medrecords_desktop.services.exporting import ExportService

    fill(vault)
    alice = next(p.id for p in vault.persons() if p.name == "Alice Example")
    dlg = PacketDialog(vault, alice)
    qtbot.addWidget(dlg)
    assert dlg.windowTitle() == "Preparar una cita" and dlg.create_btn.text() == "Crear el paquete"
    assert dlg.kinds["immunization"].text() == "Vacunas"
    assert Path(dlg.out_path.text()).name.startswith("resumen-de-salud-")  # the date only, no name
    assert "abr 2026" in " ".join(dlg.visits.item(r).text() for r in range(dlg.visits.count()))
    dlg.out_path.setText(str(tmp_path / "no-such-folder" / "p.pdf"))
    dlg.create_packet()
    assert dlg.error.text() == f"La carpeta {tmp_path / 'no-such-folder'} no existe."
    dlg.out_path.setText(str(tmp_path / "p.pdf"))
    dlg.pw_own.setChecked(True)
    dlg.password.setText("corto")
    dlg.create_packet()
    assert dlg.error.text().startswith("La contraseña necesita al menos 8 caracteres")
    # The packet's language follows the app's, and can be changed for a doctor who reads another one.
    assert dlg.language.currentData() == "es" and dlg.choice().lang == "es"
    assert dlg.language.accessibleName() == "Idioma del paquete"
    result = ExportService(vault).packet(dlg.choice(), tmp_path / "p.pdf", "caballo correcto")
    dlg._done(result, "caballo correcto")
    assert "cifrado con AES-256" in dlg.result_where.text() and "páginas" in dlg.report.toPlainText()
    import pypdf

    def first_page(path: Path) -> str:
        reader = pypdf.PdfReader(str(path))
        reader.decrypt("caballo correcto")
        return reader.pages[0].extract_text()

    assert "Resumen de salud" in first_page(tmp_path / "p.pdf")
    dlg.language.setCurrentIndex(dlg.language.findData("en"))
    assert dlg.choice().lang == "en"
    ExportService(vault).packet(dlg.choice(), tmp_path / "en.pdf", "caballo correcto")
    assert "Health summary" in first_page(tmp_path / "en.pdf")


def test_language_setting_is_stored_and_resolved(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    settings = settings_in(tmp_path)
    assert settings.language == "system"
    settings.language = "es"
    assert settings_in(tmp_path).language == "es"
    monkeypatch.delenv("MEDRECORDS_LANG", raising=False)
    assert i18n.resolve("es") == "es" and i18n.resolve("en") == "en"
    monkeypatch.setenv("MEDRECORDS_LANG", "es")
    assert i18n.resolve("en") == "es"  # the environment wins (tests, screenshots)
    monkeypatch.setenv("MEDRECORDS_LANG", "xx")
    assert i18n.resolve("en") == "en"  # an unknown code is ignored


def test_help_in_spanish_falls_back_to_english(qtbot, spanish, tmp_path: Path) -> None:
    from medrecords_desktop import help as guide
    from medrecords_desktop.gui.help_dialog import HelpDialog

    es = guide.pages(lang="es")
    assert [p.slug for p in es] == [p.slug for p in guide.pages()]  # same pages, same order
    assert guide.page("getting-started", "es").title == "Primeros pasos"
    assert guide.page("backups", "es").title == "Copias de seguridad"
    assert guide.page("troubleshooting", "es").title == "Solución de problemas"
    # A page without its translation (a new English page, say) is shown in English.
    (tmp_path / "es").mkdir()
    (tmp_path / "01-one.md").write_text("# One\n", "utf-8")
    (tmp_path / "02-two.md").write_text("# Two\n", "utf-8")
    (tmp_path / "es" / "01-one.md").write_text("# Uno\n", "utf-8")
    assert [p.title for p in guide.pages(tmp_path, lang="es")] == ["Uno", "Two"]
    assert [p.slug for p in guide.find("atajos teclado", "es")] == ["keyboard-and-accessibility"]
    dlg = HelpDialog(slug="keyboard-and-accessibility")
    qtbot.addWidget(dlg)
    assert "Atajos de teclado" in dlg.text.toPlainText() and "Ctrl+Shift+L" in dlg.text.toPlainText()


def test_a_hospital_stay_in_spanish(qtbot, spanish, vault) -> None:
    from factories import prov, write_items

    from medrecords_desktop.gui.models import COL_DATE, PersonInfo
    from medrecords_desktop.gui.views import ViewContext
    from medrecords_desktop.gui.views.encounters import EncountersView
    from medrecords_desktop.model.records import Encounter
    from medrecords_desktop.services.records import RecordService

    write_items(
        vault,
        "Alice Example",
        [
            Encounter(
                title="Hospital admission", date="2025-09-03", date_end="2025-09-07", provenance=prov("Encounter/stay")
            ),
        ],
    )
    v = EncountersView()
    qtbot.addWidget(v)
    people = {p.id: PersonInfo(p.id, p.name, "#336699") for p in vault.persons()}
    v.set_context(ViewContext(RecordService(vault), people, None), True)
    assert v.model.index(0, COL_DATE).data() == "mié 3 sept 2025 (5 días)"


def test_main_window_in_spanish(qtbot, spanish, vault, tmp_path: Path) -> None:
    """Menus, toolbar, sidebar (every view title, the extensions' too) and the vault label in Spanish."""
    from gui_helpers import fill

    from medrecords_desktop.gui.main_window import MainWindow

    fill(vault)
    win = MainWindow(tmp_path / "none", tmp_path / "demo", settings_in(tmp_path))
    qtbot.addWidget(win)
    win.set_vault(vault, False)
    try:
        menus = [a.text() for a in win.menuBar().actions()]
        assert menus[:6] == ["&Archivo", "&Editar", "Aña&dir", "&Ver", "&Personas", "Ay&uda"]
        ext = win.feature("records")
        from medrecords_desktop.gui.entry_forms import kind_title

        assert kind_title("lab") != "Lab result" and ext.add_actions["lab"].text() == kind_title("lab") + "…"
        entry = win.records.timeline(None, limit=1)[0]
        texts = [a.text() for a in ext.context_menu_for(entry, win).actions() if a.text()]
        assert texts[:2] == ["Detalles…", "Corregir…"] and texts[-1] == "Mover a la Papelera"
        # The extensions still find the menus by their English names: packet and scans in File, Trash in Edit.
        file_acts = win.menus["file"].actions()
        assert win.feature("sharing").act_packet in file_acts and win.feature("records").act_scan in file_acts
        assert win.feature("sharing").act_packet.text() == "Preparar una cita…"
        assert win.feature("sharing").badge.accessibleName() == "Quién ha iniciado sesión"
        assert win.feature("records").act_delete in win.menus["edit"].actions()
        assert len([a for a in win.menus["view"].actions() if not a.isSeparator()]) >= 9
        views = [win.view_list.item(r).text() for r in range(win.view_list.count())]
        assert views[:3] == ["Cronología", "Visitas médicas", "Resultados de laboratorio"]
        assert {"Historial de importaciones", "Papelera", "Vacunas", "Registros que faltan"} <= set(views)
        assert win.people_list.item(0).text() == "Todos"
        assert (win.act_import.text(), win.act_lock.text()) == ("Importar…", "Bloquear")
        assert win.search_field.accessibleName() == "Buscar"
        assert win.vault_label.text().startswith("BÓVEDA CIFRADA\nSe bloquea tras ")
        assert win._autolock_text() == "Se bloquea tras 5 minutos sin uso"  # %n plural
    finally:
        win.lock()


def test_labs_in_spanish(qtbot, spanish, vault) -> None:
    from gui_helpers import fill

    from medrecords_desktop.gui.models import PersonInfo
    from medrecords_desktop.gui.views import ViewContext
    from medrecords_desktop.gui.views.labs import LabsView, month_axis
    from medrecords_desktop.services.records import RecordService

    fill(vault)
    v = LabsView()
    qtbot.addWidget(v)
    v.set_context(
        ViewContext(RecordService(vault), {p.id: PersonInfo(p.id, p.name, "#336699") for p in vault.persons()}, None),
        True,
    )
    assert v.headers() == ["Lab tests"]  # the key stays English; the list shows it translated
    assert v.tests.item(0).text() == "ANÁLISIS"
    n = v.model.rowCount()
    assert v.summary.text() == (f"{n} resultado" if n == 1 else f"{n} resultados") + ", todos dentro del rango"
    assert "Rango de referencia" in v.series_names()
    assert v.tests.item(1).toolTip().startswith(f"{v.test_names()[0]}: ")
    assert "resultado" in v.tests.item(1).toolTip()
    assert v.chart_view.accessibleName() == "Gráfico de evolución"
    ms = lambda y, m, d: QDateTime(QDate(y, m, d), QTime(12, 0)).toMSecsSinceEpoch()  # noqa: E731
    labels = month_axis(ms(2026, 8, 28), ms(2026, 11, 3)).categoriesLabels()
    assert labels == ["sept 2026", "oct 2026", "nov 2026"], labels


def test_claims_and_wrong_person_in_spanish(qtbot, spanish, vault, tmp_path: Path) -> None:
    from gui_helpers import fill

    from medrecords_desktop.gui.claims_view import ClaimsView
    from medrecords_desktop.gui.models import PersonInfo
    from medrecords_desktop.gui.views import ViewContext
    from medrecords_desktop.gui.wrong_person import WrongPersonDialog
    from medrecords_desktop.importers.base import PatientInfo
    from medrecords_desktop.importers.fhir import parse_fhir_resources
    from medrecords_desktop.services.importing import ImportOptions, ImportService
    from medrecords_desktop.services.records import RecordService
    from tests.vendor_data import payer_record

    fill(vault)
    alice = next(p for p in vault.persons() if p.name == "Alice Example")
    parsed = parse_fhir_resources(payer_record("es"), "Acme Health Plan", source_kind="portal")
    ImportService(vault).write_parsed(parsed, ImportOptions(person=alice.id, force=True), source_kind="portal")
    v = ClaimsView()
    qtbot.addWidget(v)
    v.set_context(
        ViewContext(RecordService(vault), {p.id: PersonInfo(p.id, p.name, "#336699") for p in vault.persons()}, None),
        True,
    )
    n = v.table.rowCount()
    assert n > 0 and v.table.horizontalHeaderItem(3).text() == "Qué se facturó"
    assert v.summary.text().startswith(f"{n} reclamaci")
    assert "US$" in v.summary.text() and "facturados." in v.summary.text()
    assert any(v.table.item(r, 6).text() == "No hay registros de esta visita" for r in range(n))
    assert "1840,00" in v.table.item(0, 4).text().replace("\u00a0", "").replace(".", "")
    dlg = WrongPersonDialog(
        PatientInfo(ref="Patient/9", name="Ruth A. Okafor", birth_date="1958-07-02"), alice, str(tmp_path / "carta.pdf")
    )
    qtbot.addWidget(dlg)
    assert dlg.windowTitle() == "¿Es la persona correcta?"
    assert "<b>carta.pdf</b> es de <b>Ruth A. Okafor</b>, nacido/a el 2 de julio de 1958." in dlg.text.text()
    assert dlg.yes_btn.text() == "Añadir a Alice Example" and dlg.no_btn.text() == "No añadirlo"


def test_people_and_access_in_spanish(qtbot, spanish, vault) -> None:
    from gui_helpers import fill

    from medrecords_desktop.gui.access_view import AccessView, AddUserDialog, GrantDialog, signed_in_text
    from medrecords_desktop.gui.models import PersonInfo
    from medrecords_desktop.gui.views import ViewContext
    from medrecords_desktop.services import access
    from medrecords_desktop.services.records import RecordService

    fill(vault)
    access.add_user(vault, "Sam", "sam's own long passphrase")
    access.grant(vault, "Sam", "Alice Example", "manage")
    v = AccessView()
    qtbot.addWidget(v)
    v.set_context(
        ViewContext(RecordService(vault), {p.id: PersonInfo(p.id, p.name, "#336699") for p in vault.persons()}, None),
        True,
    )
    assert signed_in_text(vault).startswith("Sesión iniciada como ") and signed_in_text(vault).endswith(
        "(propietario): ve a todos"
    )
    assert v.tree.headerItem().text(1) == "Función / acceso"
    sam = next(v.tree.topLevelItem(i) for i in range(2) if v.tree.topLevelItem(i).text(0) == "Sam")
    assert sam.text(1) == "apoderado" and sam.child(0).text(1) == "ver y gestionar"
    assert v.grant_btn.text() == "Dar acceso…" and v.revoke_btn.text() == "Retirar acceso…"
    asked: list[str] = []
    v.confirm = lambda _w, title, text: asked.append(f"{title}|{text}") or False  # type: ignore[method-assign]
    v.select("Sam", "Alice Example")
    v.revoke()
    assert asked and asked[0].startswith("Retirar acceso|Sam ya no verá los registros de Alice Example.")
    dlg = AddUserDialog()
    qtbot.addWidget(dlg)
    dlg._check()
    assert dlg.problem.text() == "Dé un nombre al usuario."
    grant = GrantDialog(["Sam"], ["Alice Example"], "Sam")
    qtbot.addWidget(grant)
    assert grant.manage.text().startswith("Gestionar: ")


def test_portals_in_spanish(qtbot, spanish, vault) -> None:
    from gui_helpers import fill

    from medrecords_desktop.gui.models import PersonInfo
    from medrecords_desktop.gui.portals_view import AddPortalDialog, PortalsView, sync_summary
    from medrecords_desktop.gui.views import ViewContext
    from medrecords_desktop.services.missing import Expectation, MissingService
    from medrecords_desktop.services.portals import PortalService, SyncOutcome
    from medrecords_desktop.services.records import RecordService

    fill(vault)
    alice = next(p for p in vault.persons() if p.name == "Alice Example")
    PortalService(vault).add("County Hospital", "Alice Example", website="https://portal.example.org/")
    PortalService(vault).add("Test Clinic", "Alice Example", fhir_base="https://fhir.example.org/R4")
    MissingService(vault).request_records(
        Expectation(
            alice.id,
            "Alice Example",
            f"{alice.id}.1",
            "Office visit",
            "2026-04-12",
            "Example Clinic",
            "avs",
            "After-visit summary",
            "2026-04-19",
            "overdue",
        )
    )
    v = PortalsView()
    qtbot.addWidget(v)
    v.set_context(
        ViewContext(RecordService(vault), {p.id: PersonInfo(p.id, p.name, "#336699") for p in vault.persons()}, None),
        True,
    )
    assert v.table.horizontalHeaderItem(3).text() == "Última sincronización"
    rows = {v.table.item(r, 0).text(): [v.table.item(r, c).text() for c in range(6)] for r in range(2)}
    assert rows["County Hospital"][2] == "sin API: visite el sitio web" and rows["County Hospital"][4] == "nunca"
    assert rows["Test Clinic"][2] == "sin conectar"
    assert (v.sync_btn.text(), v.checked_btn.text()) == ("Sincronizar ahora", "Revisado hoy")
    said = v.table.item(0, 3).data(Qt.ItemDataRole.AccessibleTextRole)
    assert said.startswith("County Hospital, Alice Example: sin API") and "última revisión nunca" in said
    # A request: the status in Spanish, the code kept for the service.
    assert v.requests.item(0, 5).text() == "borrador"
    v.requests.selectRow(0)
    v.request_status.setCurrentIndex(v.request_status.findData("asked"))
    assert v.request_status.currentText() == "pedida"
    v.set_request_status()
    assert ops.settle()  # the write runs on the worker
    assert v.requests.item(0, 5).text() == "pedida"
    assert MissingService(vault).requests()[0].status == "asked"
    said = v.requests.item(0, 0).data(Qt.ItemDataRole.AccessibleTextRole)
    assert " de Example Clinic para Alice Example, pedida el " in said and said.endswith(": pedida"), said
    from collections import Counter

    out = SyncOutcome(account="Test Clinic", status="ok", fetched=1)
    assert sync_summary(out) == "Test Clinic: al día; nada nuevo (se revisó 1 registro)."
    out = SyncOutcome(
        account="Test Clinic",
        status="ok",
        added=Counter({"observation": 3}),
        duplicates=2,
        errors=["a", "b"],
        fetched=9,
    )
    assert sync_summary(out).startswith("Test Clinic: 3 nuevos (3 ")
    assert sync_summary(out).endswith("2 ya estaban en la bóveda. 2 problemas: a; b")
    dlg = AddPortalDialog([(alice.id, alice.name)])
    qtbot.addWidget(dlg)
    assert dlg.windowTitle() == "Añadir un portal" and dlg.name.accessibleName() == "Nombre"
    dlg._check()
    assert dlg.problem.text() == "Dé un nombre al portal."


def test_models_in_spanish(qtbot, spanish, vault) -> None:
    from gui_helpers import fill

    from medrecords_desktop.gui.models import HistoryModel, LabResultsModel, PersonInfo, _added
    from medrecords_desktop.services.importing import ImportRecord
    from medrecords_desktop.services.records import RecordService

    fill(vault)
    people = {p.id: PersonInfo(p.id, p.name, "#336699") for p in vault.persons()}
    labs = LabResultsModel()
    results = [e for e in RecordService(vault).timeline(None, limit=50) if e.row.kind == "observation"]
    labs.set_entries(results, people)
    assert [labs.headerData(c, Qt.Orientation.Horizontal) for c in range(6)] == [
        "Fecha",
        "Persona",
        "Análisis",
        "Resultado",
        "Marca",
        "Rango de referencia",
    ]
    said = labs.index(0, 0).data(Qt.ItemDataRole.AccessibleTextRole)
    assert said.startswith("Glucose zebra 5,4 mmol/L, normal, 12 de abril de 2026"), said
    assert labs.index(0, 3).data(Qt.ItemDataRole.AccessibleDescriptionRole).startswith("Rango de referencia 3,9")
    history = HistoryModel()
    history.set_rows(
        [
            ImportRecord(
                person="Alice Example",
                person_id="p1",
                public_id="p1.i1",
                id=1,
                started="2026-04-12T10:30:00",
                source_kind="file",
                source_name="visit.json",
                format="FHIR",
                counts='{"observation": 1200, "encounter": 34}',
                status="running",
            )
        ]
    )
    assert history.headerData(0, Qt.Orientation.Horizontal) == "Importado"
    assert history.index(0, 5).data() == "Interrumpido"
    assert history.index(0, 4).data() == "1234 registros" or history.index(0, 4).data() == "1.234 registros"
    assert history.index(0, 2).data(Qt.ItemDataRole.AccessibleTextRole).startswith("visit.json, importado el ")
    assert _added('{"observation": 1}') == "1 registro"
