"""GUI reads never wait on a write in progress (vault/db.py: a read-only connection beside the writer).

The import here is held inside its write transaction (its progress callback, called between chunks
of the one transaction, waits) while the GUI thread asks for a timeline page: before the read
connection, that page waited for the whole import; now it is answered from the last committed state.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

from medrecords_desktop.services.importing import ImportOptions, ImportProgress, ImportService
from medrecords_desktop.vault.vault import Vault
from tests.factories import one_of_each, write_items
from tests.test_storage_errors import make_bundle_file

PAGE_BUDGET_S = 0.050


def test_timeline_page_during_an_import_is_answered_at_once(qtbot, vault: Vault, tmp_path: Path) -> None:
    from medrecords_desktop.gui import ops
    from medrecords_desktop.gui.models import TimelineModel, TimelineQuery
    from medrecords_desktop.services.records import RecordService

    bundle = make_bundle_file(tmp_path, 6000)  # about 10 MB, 6,000 resources: one long write transaction
    alice = vault.person("Alice Example").id or ""
    write_items(vault, "Alice Example", one_of_each("before"))
    db = vault.person_db(alice)
    records = RecordService(vault)
    model = TimelineModel()
    model.set_source(records, {})
    model.set_query(TimelineQuery(person=alice))
    before_rows = model.rowCount()
    assert model.items_loaded == len(one_of_each("x"))

    in_write, release = threading.Event(), threading.Event()

    def progress(p: ImportProgress) -> None:  # on the worker, inside the import's transaction
        if p.records_done and db.conn.in_transaction and not in_write.is_set():
            in_write.set()
            release.wait(30)

    def work(_ctx: ops.OpContext) -> int:
        opts = ImportOptions(person="Alice Example", force=True)  # the bundle is about "Alex Sample"
        report = ImportService(vault).import_paths([bundle], opts, progress=progress)
        assert report.files[0].status == "ok", report.files[0].error
        return sum(report.added.values())

    op = ops.Op(None, work).run()
    try:
        qtbot.waitUntil(in_write.is_set, timeout=60_000)
        times = []
        for _ in range(5):
            t = time.perf_counter()
            model.set_query(TimelineQuery(person=alice))  # the GUI's page request, on the GUI thread
            times.append(time.perf_counter() - t)
        assert not release.is_set() and db.conn.in_transaction  # still inside the import's write
        assert max(times) < PAGE_BUDGET_S, [f"{x * 1000:.1f} ms" for x in times]
        assert model.rowCount() == before_rows  # the last committed state: nothing half-imported shows
    finally:
        release.set()
    qtbot.waitUntil(lambda: op.finished, timeout=120_000)
    model.set_query(TimelineQuery(person=alice))
    assert model.items_loaded == TimelineModel.PAGE  # the import is there once committed


def test_the_writer_sees_its_own_rows_and_others_the_committed_ones(vault: Vault) -> None:
    alice = vault.person("Alice Example").id or ""
    db = vault.person_db(alice)
    n0 = db.one("SELECT count(*) FROM imports")[0]
    inside, release = threading.Event(), threading.Event()
    seen: list[int] = []

    def writer() -> None:
        with db.transaction() as conn:
            conn.execute(
                "INSERT INTO imports(started,source_kind,source_name,format,sha256,user_id) "
                "VALUES ('2026-01-01','file','x.json','fhir','00','u')"
            )
            seen.append(db.one("SELECT count(*) FROM imports")[0])  # its own uncommitted row
            inside.set()
            release.wait(30)

    t = threading.Thread(target=writer)
    t.start()
    try:
        assert inside.wait(30)
        start = time.perf_counter()
        assert db.one("SELECT count(*) FROM imports")[0] == n0  # another thread: the committed state
        assert time.perf_counter() - start < PAGE_BUDGET_S
    finally:
        release.set()
        t.join(30)
    assert seen == [n0 + 1]
    assert db.one("SELECT count(*) FROM imports")[0] == n0 + 1
