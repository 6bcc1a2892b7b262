"""`medrecords sync setup | now | status | conflicts` from the command line: start a shared folder, join it
from a second vault folder with the passphrase alone, and both show the same records."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from tests.test_cli import run


def test_sync_setup_join_status_and_now(cli_env, tmp_path: Path) -> None:
    folder = tmp_path / "Sync" / "family"
    bundle = Path(__file__).parent / "fixtures" / "fhir" / "golden-bundle.json"
    run(cli_env, "import", str(bundle), "--person", "Alice Example", "--force")
    out = run(cli_env, "sync", "setup", "--folder", str(folder)).stdout
    assert "kept in step through" in out and str(folder) in out
    st = json.loads(run(cli_env, "sync", "status", "--json").stdout)
    assert st["configured"] and st["folder_ok"] and len(st["devices"]) == 1 and st["conflicts"] == 0
    # a second computer: a new vault folder, the passphrase and (its copy of) the shared folder
    other = dict(cli_env, MEDRECORDS_VAULT=str(tmp_path / "laptop"))
    copy = tmp_path / "laptop-sync"
    shutil.copytree(folder, copy)
    out = run(other, "sync", "setup", "--folder", str(copy)).stdout
    assert out.startswith("Joined")
    assert json.loads(run(other, "stats", "--json").stdout) == json.loads(run(cli_env, "stats", "--json").stdout)
    tl = [
        {k: v for k, v in e.items() if k not in ("id", "encounter_id")}
        for e in json.loads(run(other, "timeline", "--json", "--limit", "1000").stdout)
    ]
    tl0 = [
        {k: v for k, v in e.items() if k not in ("id", "encounter_id")}
        for e in json.loads(run(cli_env, "timeline", "--json", "--limit", "1000").stdout)
    ]
    assert sorted(map(json.dumps, tl)) == sorted(map(json.dumps, tl0)) and tl
    # a change on the laptop reaches the first computer
    run(other, "person", "add", "Dora Example", "--born", "2001-02-03")
    assert "sent" in run(other, "sync", "now").stdout
    shutil.copytree(copy, folder, dirs_exist_ok=True)
    now = json.loads(run(cli_env, "sync", "now", "--json").stdout)
    assert now["applied"] >= 1 and now["refused"] == []
    assert "Dora Example" in [p["name"] for p in json.loads(run(cli_env, "person", "list", "--json").stdout)]
    text = run(cli_env, "sync", "status").stdout
    assert "this computer" in text and "Conflicts to settle: 0" in text
    assert run(cli_env, "sync", "conflicts").stdout.strip() == "No conflicts."
    # the folder is gone: one clear line, nothing lost
    shutil.rmtree(folder)
    r = run(cli_env, "sync", "now", check=False)
    assert r.returncode != 0 and "missing" in r.stderr and "Traceback" not in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1
