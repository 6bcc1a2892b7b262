"""Attacks on replication by a proxy whose right to write was taken away (issue 20 on top of 16).

A segment names the roster version its writer signed under.  A proxy who was allowed to change a
person's records and then revoked (or made view-only) still holds the old roster, the old person key
and their own signing key: their device, kept away from the owner's newer roster, can keep writing
segments that name the old version.  Every other device holds that old version too, so unless the
newer roster says where that user's writing ends, the change is applied as if it were legitimate.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from medrecords_desktop.services import access
from medrecords_desktop.services.editing import EditingService
from medrecords_desktop.services.records import RecordService
from tests.factories import one_of_each, write_items
from tests.replica_harness import SIB_PW, join_device, start_family


def _titles(dev, pid: str) -> list[str]:  # type: ignore[no-untyped-def]
    return [e.row.title for e in RecordService(dev.vault).timeline(pid, None, None, None, limit=200)]


@pytest.mark.xfail(
    strict=True,
    reason="open hole (issue 20): the newer roster does not pin where a revoked "
    "writer's segments end, so a segment naming the old roster version is applied",
)
def test_revoked_manager_cannot_keep_writing_under_the_old_roster(tmp_path: Path) -> None:
    a, people = start_family(tmp_path)
    pid = people["P1"]  # Sib manages P1
    write_items(a.vault, pid, one_of_each("orig"))
    a.sync.sync_now()
    b = join_device(tmp_path, "B", SIB_PW, a.folder)
    assert _titles(b, pid)  # B reads P1
    # the owner takes Sib's access away; Sib's device never copies the owner's newer files
    access.revoke(a.vault, "Sib", pid)
    a.sync.sync_now()
    item = f"{pid}.{b.vault.person_db(pid).one('SELECT min(id) FROM items')[0]}"
    EditingService(b.vault).correct(item, {"title": "CHANGED AFTER REVOKE"})
    out = b.sync.sync_now()
    assert out.exported >= 1
    # Sib's files reach the owner's copy of the folder
    shutil.copytree(b.folder, a.folder, dirs_exist_ok=True)
    report = a.sync.sync_now()
    assert "CHANGED AFTER REVOKE" not in _titles(a, pid)
    assert report.refused and report.refused[0].user_id == b.vault.user.id
