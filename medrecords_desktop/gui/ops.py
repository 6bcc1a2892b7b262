"""The one road for background work: run a service call on the single database worker.

Like Anki's CollectionOp/QueryOp: ``Op(parent, fn).success(cb).failure(cb).with_progress(cb).run()``.
``fn(ctx)`` runs on a one-thread QThreadPool (one SQLCipher connection per database: work is
serialised there); the callbacks run on the GUI thread.  ``fn`` must never touch widgets.  ``ctx``
carries a progress callback for the service and a cancel token (a threading.Event).

Every write takes this road (tests/test_gui_writes.py checks it). A write's ``fn`` returns a
``Changed`` (what it changed, and the service's own result in ``value``); when it succeeds the
``changed`` signal of ``hub()`` carries it to every view (the main window re-emits it as the shell's
``changed``), so no caller pokes views to refresh.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QRunnable, QThreadPool, Signal, Slot
from PySide6.QtWidgets import QMessageBox, QWidget

from ..errors import MedRecordsError

_pool: QThreadPool | None = None
_live: set[Op] = set()  # ops keep themselves alive until their callbacks ran


def pool() -> QThreadPool:
    global _pool
    if _pool is None:
        _pool = QThreadPool()
        _pool.setMaxThreadCount(1)
        _pool.setObjectName("medrecords-db-worker")
    return _pool


def wait_idle(timeout_ms: int = 30_000) -> bool:
    """Block until queued work finished (lock and quit wait here before closing the vault)."""
    return pool().waitForDone(timeout_ms)


def settle(timeout_ms: int = 30_000) -> bool:
    """Wait for the worker, then deliver the finished ops' callbacks (lock, tests, scripted screenshots)."""
    import time

    end = time.monotonic() + timeout_ms / 1000
    while True:
        ok = wait_idle(max(1, int((end - time.monotonic()) * 1000)))
        QCoreApplication.processEvents()
        if not _live or not ok or time.monotonic() > end:  # a callback may have queued the next op
            return ok and not _live


def busy() -> bool:
    return bool(_live)


def cancel_all() -> None:
    """Ask every running or queued op to stop (locking does, before it waits for the worker).

    Cancelling only sets each op's token: work stops at its next safe point (an import between files
    or before its commit, a sign-in waiting for the browser), so nothing is left half-written.
    """
    for op in list(_live):
        op.cancel()


# What a write can change; a view refills when it shows any of them.
RECORDS = "records"  # items added, corrected, deleted, restored, moved
PEOPLE = "people"  # family members added, edited, merged, removed
MARKS = "marks"  # missing-records marks ("received on paper", "not needed")
REQUESTS = "requests"  # record requests (letters) and their status
PORTALS = "portals"  # portal accounts
ACCESS = "access"  # users and what they may see
AUDIT = "audit"  # an audit entry (every write adds one; exports and views too)
EVERYTHING = frozenset({RECORDS, PEOPLE, MARKS, REQUESTS, PORTALS, ACCESS, AUDIT})


@dataclass(frozen=True)
class Changed:
    """What a write changed, returned by its op; ``value`` is what the service call returned."""

    what: frozenset[str]
    value: Any = None
    person: str | None = None

    @classmethod
    def of(cls, what: Iterable[str] | str, value: Any = None, person: str | None = None) -> Changed:
        kinds = {what} if isinstance(what, str) else set(what)
        return cls(frozenset(kinds | {AUDIT}), value, person)

    def touches(self, *kinds: str) -> bool:
        return bool(self.what & set(kinds))


class _Hub(QObject):
    changed = Signal(object)  # a Changed, on the GUI thread, after the write committed


_hub: _Hub | None = None


def hub() -> _Hub:
    """Where finished writes are announced (a ``Changed``); views and the shell listen here."""
    global _hub
    if _hub is None:
        _hub = _Hub()
    return _hub


def write(parent: QWidget | None, fn: Callable[[OpContext], Changed]) -> Op:
    """An op for a write: ``fn`` returns a ``Changed``; the success callback gets it after ``hub()`` told the views."""
    return Op(parent, fn)


def announce(what: Iterable[str] | str = EVERYTHING, person: str | None = None) -> None:
    """Tell the views about a change made outside an op (a script or a test writing through a service)."""
    hub().changed.emit(Changed.of(what, person=person))


class OpContext:
    """What a running op gets: progress reporting and the cancel token."""

    def __init__(self, op: Op) -> None:
        self._op = op
        self.cancel = threading.Event()

    def progress(self, done: int, total: int, label: str) -> None:
        self._op._progress.emit(done, total, label)

    def is_cancelled(self) -> bool:
        return self.cancel.is_set()


class _Task(QRunnable):
    def __init__(self, op: Op) -> None:
        super().__init__()
        self.op = op
        self.setAutoDelete(True)

    def run(self) -> None:
        try:
            result = self.op._fn(self.op.ctx)
        except BaseException as e:  # noqa: BLE001 - every failure goes to the GUI thread as a value
            self.op._failed.emit(e)
        else:
            self.op._done.emit(result)


class Op(QObject):
    """One background operation; create it on the GUI thread."""

    _done = Signal(object)
    _failed = Signal(object)
    _progress = Signal(int, int, str)

    def __init__(self, parent: QWidget | None, fn: Callable[[OpContext], Any]) -> None:
        super().__init__()
        self._parent = parent
        self._fn = fn
        self.ctx = OpContext(self)
        self._on_success: Callable[[Any], None] | None = None
        self._on_failure: Callable[[BaseException], None] | None = None
        self._on_progress: Callable[[int, int, str], None] | None = None
        self.finished = False
        self.result: Any = None  # what fn returned, once it succeeded
        self._done.connect(self._finish_ok)
        self._failed.connect(self._finish_err)
        self._progress.connect(self._report)

    def success(self, cb: Callable[[Any], None]) -> Op:
        self._on_success = cb
        return self

    def failure(self, cb: Callable[[BaseException], None]) -> Op:
        self._on_failure = cb
        return self

    def with_progress(self, cb: Callable[[int, int, str], None]) -> Op:
        self._on_progress = cb
        return self

    def run(self) -> Op:
        _live.add(self)
        pool().start(_Task(self))
        return self

    def cancel(self) -> None:
        self.ctx.cancel.set()

    @Slot(int, int, str)
    def _report(self, done: int, total: int, label: str) -> None:
        if self._on_progress is not None:
            self._on_progress(done, total, label)

    @Slot(object)
    def _finish_ok(self, result: Any) -> None:
        self.finished = True
        self.result = result
        _live.discard(self)
        if isinstance(result, Changed):
            hub().changed.emit(result)
        if self._on_success is not None:
            self._on_success(result)

    @Slot(object)
    def _finish_err(self, exc: BaseException) -> None:
        self.finished = True
        _live.discard(self)
        if self._on_failure is not None:
            self._on_failure(exc)
        else:
            show_error(self._parent, exc)


def friendly(exc: BaseException) -> str:
    """What a person is told: our errors' own message; for anything else, that it is a bug."""
    if isinstance(exc, MedRecordsError):
        return str(exc)
    return QCoreApplication.translate(
        "Ops",
        "Internal error ({name}): this is a bug in MedRecords, not something you did. "
        "Your records are safe; try again, and report it if it keeps happening.",
    ).format(name=type(exc).__name__)


def show_error(parent: QWidget | None, exc: BaseException, title: str = "MedRecords") -> None:
    if not isinstance(exc, MedRecordsError) and os.environ.get("MEDRECORDS_DEBUG"):
        import traceback

        traceback.print_exception(exc)
    box = QMessageBox(
        QMessageBox.Icon.Warning if isinstance(exc, MedRecordsError) else QMessageBox.Icon.Critical,
        title,
        friendly(exc),
        QMessageBox.StandardButton.Ok,
        parent,
    )
    box.setObjectName("ErrorBox")
    box.open()


def note_viewed(parent: QWidget | None, records: Any, item_id: str) -> Op:
    """Write the "item.view" audit entry on the worker: a record is shown at once from the read
    connection, and the audit append (a write) never holds the GUI thread behind an import."""

    def work(_ctx: OpContext) -> Changed:
        records.note_viewed(item_id)
        return Changed.of(AUDIT, item_id)

    return write(parent, work).run()
