"""The command line as a contract: output, JSON, and one-line errors without tracebacks."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from medrecords_desktop.model.records import KINDS


def run(env, *args, check=True):
    r = subprocess.run(
        [sys.executable, "-m", "medrecords_desktop.cli", *args], env=env, capture_output=True, text=True, timeout=120
    )
    if check:
        assert r.returncode == 0, r.stderr
    return r


def test_person_stats_timeline_and_search(cli_env) -> None:
    run(cli_env, "person", "add", "Carol Example", "--born", "1950-06-30")
    people = json.loads(run(cli_env, "person", "list", "--json").stdout)
    assert [p["name"] for p in people] == ["Alice Example", "Bobby Example", "Carol Example"]
    stats = json.loads(run(cli_env, "stats", "--json").stdout)
    assert set(stats["Carol Example"]) == set(KINDS)
    assert json.loads(run(cli_env, "timeline", "--json").stdout) == []
    assert json.loads(run(cli_env, "search", "anything", "--json").stdout) == []
    assert "OK" in run(cli_env, "verify").stdout
    assert "intact" in run(cli_env, "audit", "--verify").stdout


@pytest.mark.parametrize(
    "args,env_change,message",
    [
        (["stats"], {"MEDRECORDS_PASSPHRASE": "wrong passphrase"}, "Wrong passphrase"),
        (["person", "add", "X", "--born", "2999-01-01"], {}, "is in the future"),
        (["show", "nonsense"], {}, "is not an item id"),
        (["timeline", "--person", "Nobody"], {}, "No person called 'Nobody'"),
        (["stats"], {"MEDRECORDS_VAULT": "/nonexistent/vault"}, "No vault at /nonexistent/vault"),
        (["import", "/nonexistent/file.json"], {}, "no such file or folder"),
    ],
)
def test_errors_are_one_clear_line(cli_env, args, env_change, message) -> None:
    r = run(dict(cli_env, **env_change), *args, check=False)
    assert r.returncode != 0
    assert message in r.stderr
    assert "Traceback" not in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1


def test_init_passwd_backup_restore(tmp_path, cli_env) -> None:
    env = dict(cli_env, MEDRECORDS_VAULT=str(tmp_path / "v"))
    out = run(env, "init", "--owner", "Sam").stdout
    assert "Recovery code" in out
    run(env, "person", "add", "Dee", "--born", "2001-02-03")
    run(dict(env, MEDRECORDS_NEW_PASSPHRASE="another passphrase"), "passwd")
    assert run(env, "stats", check=False).returncode == 2
    env["MEDRECORDS_PASSPHRASE"] = "another passphrase"
    run(env, "backup", str(tmp_path / "bk"))
    run(dict(env, MEDRECORDS_VAULT=str(tmp_path / "restored")), "restore", str(tmp_path / "bk"))
    people = json.loads(run(dict(env, MEDRECORDS_VAULT=str(tmp_path / "restored")), "person", "list", "--json").stdout)
    assert [p["name"] for p in people] == ["Dee"]
