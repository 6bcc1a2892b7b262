"""End to end through real Syncthing: two instances on 127.0.0.1, each serving one device's app.

The owner's computer and the sibling's (a proxy who manages one parent and may view a child) each keep their
own replica, in step only through their own copy of the shared folder, which Syncthing keeps in step between
the two instances.  Both make random imports, additions, corrections, deletions and restores; the owner
changes grants (view <-> manage, and a new person shared midway).  Each round: the app's own ``medrecords sync
now`` on each device, then Syncthing carries the files.  At the end both devices show the same ``stats --json``
and ``timeline --json`` for every person both may see, and the sibling's device still reads nothing of the
person never shared with them.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from medrecords_desktop.services import access
from medrecords_desktop.services.editing import EditingService
from medrecords_desktop.services.sync import SyncService
from medrecords_desktop.vault.crypto import fast_test_kdf
from medrecords_desktop.vault.vault import Vault
from tests.factories import one_of_each, write_items
from tests.syncthing_harness import Cluster

OWNER_PW = "owner passphrase, end to end"
SIB_PW = "sibling passphrase, end to end"

pytestmark = pytest.mark.slow


def cli(vault: Path, passphrase: str, *args: str) -> str:
    env = dict(os.environ, MEDRECORDS_PASSPHRASE=passphrase, MEDRECORDS_VAULT=str(vault), MEDRECORDS_TEST_FAST_KDF="1")
    r = subprocess.run(  # noqa: S603 - this interpreter, the app's own CLI
        [sys.executable, "-m", "medrecords_desktop.cli", *args], env=env, capture_output=True, text=True, timeout=300
    )
    assert r.returncode == 0, f"medrecords {' '.join(args)} failed:\n{r.stdout}\n{r.stderr}"
    return r.stdout


def seen(vault: Path, passphrase: str, people: dict[str, str]) -> dict[str, Any]:
    """What a user sees of these people (name -> person id) through the CLI: their counts and their whole
    timeline (each entry's local row ids left out: they are this computer's numbering, not the record)."""
    stats = json.loads(cli(vault, passphrase, "stats", "--json"))
    entries = json.loads(cli(vault, passphrase, "timeline", "--limit", "1000000", "--json"))
    out: dict[str, Any] = {}
    for name, pid in people.items():
        rows = [
            {k: v for k, v in e.items() if k not in ("id", "encounter_id")} for e in entries if e["person_id"] == pid
        ]
        out[name] = {"stats": stats.get(name), "timeline": sorted(json.dumps(r, sort_keys=True) for r in rows)}
    return out


def _may_write(v: Vault, pid: str) -> bool:
    r = v.roster
    return r is not None and r.scope(v.user.id, pid) in ("owner", "manage")


def _live(v: Vault, pid: str, rng: random.Random, trashed: bool = False) -> str | None:
    rows = v.person_db(pid).query(
        f"SELECT id FROM items WHERE deleted_at IS {'NOT ' if trashed else ''}NULL ORDER BY id"
    )
    return f"{pid}.{rng.choice(rows)[0]}" if rows else None


def random_ops(v: Vault, tag: str, people: list[str], rng: random.Random, count: int) -> dict[str, int]:
    """What a user of this device does between two syncs (only what the app lets them do)."""
    done: dict[str, int] = {}
    ed = EditingService(v)
    for n in range(count):
        pids = [p for p in people if v.can_see(p) and _may_write(v, p)]
        if not pids:
            break
        pid = rng.choice(pids)
        r = rng.random()
        kind = "none"
        if r < 0.25:
            day = f"20{10 + rng.randrange(15):02d}-0{1 + rng.randrange(9)}-1{rng.randrange(10)}"
            write_items(v, pid, one_of_each(f"{tag}{n}", day=day), name=f"import-{tag}-{n}.json")
            kind = "import"
        elif r < 0.4:
            ed.add(
                pid,
                "lab",
                {
                    "name": "HbA1c",
                    "value": str(5 + rng.randrange(40) / 10),
                    "unit": "%",
                    "date": f"2026-0{1 + rng.randrange(9)}-1{rng.randrange(10)}",
                },
            )
            kind = "add"
        else:
            item = _live(v, pid, rng)
            if item is not None and r < 0.7:
                ed.correct(item, {"title": f"Corrected {tag}{n}"}, reason="typo")
                kind = "correct"
            elif item is not None and r < 0.88:
                ed.delete(item)
                kind = "delete"
            else:
                back = _live(v, pid, rng, trashed=True)
                if back is not None:
                    ed.restore(back)
                    kind = "restore"
        done[kind] = done.get(kind, 0) + 1
    return done


def test_owner_and_proxy_converge_through_two_real_syncthing_instances(syncthing_cluster, tmp_path: Path) -> None:
    c: Cluster = syncthing_cluster(2)
    a_peer, b_peer = c.peers
    vault_a, vault_b = tmp_path / "vault-owner", tmp_path / "vault-sibling"

    # The owner's computer: three people; the sibling manages the parent and views the child.
    v, _ = Vault.create(vault_a, OWNER_PW, owner_name="Pat Owner", kdf=fast_test_kdf())
    names = {"P1": "Ann Parent", "P2": "Ben Child", "P3": "Cas Private", "P4": "Dee Later"}
    people = {
        k: v.add_person(names[k], born).id or ""
        for k, born in (("P1", "1950-03-04"), ("P2", "2012-05-06"), ("P3", "1990-07-08"))
    }
    access.add_user(v, "Sib", SIB_PW)
    access.grant(v, "Sib", people["P1"], "manage")
    access.grant(v, "Sib", people["P2"], "view")
    write_items(v, people["P1"], one_of_each("start"))
    write_items(v, people["P3"], one_of_each("private MARKER-P3"))
    SyncService(v).setup(a_peer.folder)  # the folder Syncthing keeps on the owner's computer
    v.close()

    # Syncthing carries the folder; the sibling's computer joins from its own copy with the passphrase alone.
    c.sync(timeout=120)
    out = cli(vault_b, SIB_PW, "sync", "setup", "--folder", str(b_peer.folder))
    assert "Joined" in out

    rng = random.Random(2020)
    totals: dict[str, int] = {}
    devices = [(vault_a, OWNER_PW, "A"), (vault_b, SIB_PW, "B")]
    for round_ in range(4):
        for path, pw, tag in devices:
            dv = Vault.open(path, pw)
            try:
                for k, n in random_ops(dv, f"{tag}{round_}-", list(people.values()), rng, 6).items():
                    totals[k] = totals.get(k, 0) + n
                if tag == "A":  # the owner changes grants now and then
                    sib = next(u for u, n in dv.user_names().items() if n == "Sib")
                    cur = dv.roster.scope(sib, people["P2"]) if dv.roster else None
                    access.grant(dv, "Sib", people["P2"], "manage" if cur == "view" else "view")
                    totals["grant"] = totals.get("grant", 0) + 1
                    if round_ == 2:  # a person added and shared with the sibling while both work
                        people["P4"] = dv.add_person(names["P4"], "2019-01-02").id or ""
                        write_items(dv, people["P4"], one_of_each("later"))
                        access.grant(dv, "Sib", people["P4"], "view")
            finally:
                dv.close()
            cli(path, pw, "sync", "now")
        c.sync(timeout=120)
    for _ in range(2):  # both read what the other wrote last, and Syncthing carries the rest
        for path, pw, _tag in devices:
            cli(path, pw, "sync", "now")
        c.sync(timeout=120)

    assert totals.get("import", 0) and totals.get("correct", 0) and totals.get("delete", 0), totals
    both = {names[k]: people[k] for k in ("P1", "P2", "P4")}
    seen_a, seen_b = seen(vault_a, OWNER_PW, both), seen(vault_b, SIB_PW, both)
    for name in both:
        assert seen_a[name]["stats"] and seen_a[name]["timeline"], name
        assert seen_b[name] == seen_a[name], name
    # The sibling's computer holds every file of the folder and reads nothing of the person not shared.
    stats_b = json.loads(cli(vault_b, SIB_PW, "stats", "--json"))
    assert names["P3"] not in stats_b
    assert (b_peer.folder / "seg" / people["P3"]).is_dir()
    status = json.loads(cli(vault_b, SIB_PW, "sync", "status", "--json"))
    assert {d["user_name"] for d in status["devices"]} == {"Pat Owner", "Sib"}
    assert status["partial"] == 0 and not status["refused"], status
