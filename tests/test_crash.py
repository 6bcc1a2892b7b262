"""kill -9 of a writer at random moments loses no committed item and leaves verify clean."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from conftest import PASSPHRASE, ROOT

from medrecords_desktop.services.records import RecordService
from medrecords_desktop.vault.vault import Vault

WRITER = r"""
import sys
sys.path[:0] = [{root!r}, {tests!r}]
from factories import one_of_each, write_items
from medrecords_desktop.vault.vault import Vault
v = Vault.open({path!r}, {pw!r})
pid = v.persons()[0].id
n = int(sys.argv[1])
while True:
    write_items(v, pid, one_of_each(f"k{{n}}", day=f"2026-01-{{n % 28 + 1:02d}}"), name=f"f{{n}}.json")
    print(n, flush=True)   # printed only after the commit returned
    n += 1
"""


def test_kill_9_loses_no_committed_item(vault_dir: Path) -> None:
    script = WRITER.format(root=str(ROOT), tests=str(ROOT / "tests"), path=str(vault_dir), pw=PASSPHRASE)
    rng = random.Random(int(os.environ.get("CRASH_SEED", "1")))
    committed: list[int] = []
    start = 0
    for _round in range(4):
        log = vault_dir.parent / f"writer-{_round}.log"
        with open(log, "w") as out:
            proc = subprocess.Popen([sys.executable, "-c", script, str(start)], stdout=out)
            time.sleep(1.0 + rng.random() * 1.5)
            proc.send_signal(signal.SIGKILL)
            proc.wait()
        buf = log.read_text()
        done = [int(x) for x in buf.split()]
        committed += done
        start = (done[-1] + 1) if done else start + 1000
        start += 1000  # a killed, uncommitted batch may or may not be there; never reuse its ids
    assert len(committed) > 4, "the writer never got going"
    with Vault.open(vault_dir, PASSPHRASE) as v:
        report = v.verify()
        assert report.ok, report.problems
        svc = RecordService(v)
        for n in committed:
            hits = [e for e in svc.timeline(kinds=["encounter"], limit=10_000) if e.row.title == f"Visit k{n}"]
            assert len(hits) == 1, f"committed batch {n} lost"
        # every batch is whole: each kind (but the de-duplicated same-valued glucose) counted alike
        counts = RecordService(v).stats()["Alice Example"]
        counts.pop("observation")
        from factories import one_of_each

        made = {i.kind for i in one_of_each("x")}  # kinds the writer wrote (newer kinds stay at 0)
        counts = {k: n for k, n in counts.items() if k in made}
        assert len(set(counts.values())) == 1, counts
