"""The command line that guides: people you can edit, merge and remove, imports you can take back, the
matching question, person arguments, kinds as people say them, and the messages of issue 22."""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys
import time

import pytest

from tests.test_cli import run
from tests.test_import_service import _observations_bundle


def _rosa_file(path, name="Rosa A Everyman", born="1965-03-15"):
    given, family = name.rsplit(" ", 1)
    bundle = {
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [
            {
                "fullUrl": "urn:uuid:rosa",
                "resource": {
                    "resourceType": "Patient",
                    "id": "rosa",
                    "name": [{"family": family, "given": given.split()}],
                    "birthDate": born,
                },
            },
            {
                "fullUrl": "urn:uuid:c1",
                "resource": {
                    "resourceType": "Condition",
                    "id": "c1",
                    "subject": {"reference": "urn:uuid:rosa"},
                    "code": {"text": "Hypertension"},
                    "onsetDateTime": "2020-01-01",
                },
            },
        ],
    }
    path.write_text(json.dumps(bundle))
    return path


def _err_line(r) -> str:
    assert r.returncode != 0
    assert "Traceback" not in r.stderr
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1, r.stderr
    return lines[0]


def test_person_edit_merge_remove_and_restore(cli_env) -> None:
    run(cli_env, "person", "edit", "Bobby", "--born", "2015-09-02", "--sex", "male")
    people = {p["name"]: p for p in json.loads(run(cli_env, "person", "list", "--json").stdout)}
    assert people["Bobby Example"]["born"] == "2015-09-02"
    out = run(cli_env, "person", "edit", "Bobby", "--name", "Robert Example").stdout
    assert "name Bobby Example -> Robert Example" in out
    assert "not a date" in _err_line(run(cli_env, "person", "edit", "Robert", "--born", "2015-31-12", check=False))
    # merge asks for --yes without a terminal, and says so in one line
    assert "--yes" in _err_line(run(cli_env, "person", "merge", "Alice", "Robert", check=False))
    out = run(cli_env, "person", "merge", "Alice", "Robert", "--yes").stdout
    assert "Merged Robert Example into Alice Example" in out and "trash --restore" in out
    pid = out.rsplit("--restore ", 1)[1].strip()
    assert [p["name"] for p in json.loads(run(cli_env, "person", "list", "--json").stdout)] == ["Alice Example"]
    trash = run(cli_env, "trash").stdout
    assert "Robert Example, born 2015-09-02 (merged into Alice Example)" in trash
    run(cli_env, "trash", "--restore", pid)
    assert len(json.loads(run(cli_env, "person", "list", "--json").stdout)) == 2
    out = run(cli_env, "person", "remove", "Robert", "--yes").stdout
    assert "Moved Robert Example and 0 records to the Trash" in out
    run(cli_env, "trash", "--restore", pid)
    assert "Robert Example" in run(cli_env, "person", "list").stdout


def test_imports_undo_and_move_from_the_cli(cli_env, tmp_path) -> None:
    big = _observations_bundle(300, tmp_path / "heart.json")
    stats_before = json.loads(run(cli_env, "stats", "--json").stdout)
    run(cli_env, "import", "--person", "Alice", str(big))
    hist = run(cli_env, "imports").stdout
    line = next(ln for ln in hist.splitlines() if "heart.json" in ln)
    assert "300 items" in line and "imported" in line
    imp = line.split()[0]
    out = run(cli_env, "imports", "undo", imp).stdout
    assert "Took back import" in out
    assert json.loads(run(cli_env, "stats", "--json").stdout) == stats_before
    assert "OK" in run(cli_env, "verify").stdout
    assert "undone import" in run(cli_env, "trash").stdout and "(300 items)" in run(cli_env, "trash").stdout
    assert "is undone" in _err_line(run(cli_env, "imports", "undo", imp, check=False))
    assert "not an import id" in _err_line(run(cli_env, "imports", "undo", "42", check=False))
    # import again (adds again), then move that import to Bobby
    run(cli_env, "import", "--person", "Alice", str(big))
    imp2 = next(ln for ln in run(cli_env, "imports").stdout.splitlines() if "imported" in ln).split()[0]
    out = run(cli_env, "imports", "move", imp2, "--to", "Bobby").stdout
    assert "Moved import" in out and "300 items moved" in out
    stats = json.loads(run(cli_env, "stats", "--json").stdout)
    assert stats["Bobby Example"]["observation"] == 300 and stats["Alice Example"]["observation"] == 0


def _ask_in_a_terminal(env, path, answer: bytes) -> tuple[str, str, int]:
    """Run an import with stdin a real terminal (pty) and type ``answer`` at the question."""
    master, slave = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "medrecords_desktop.cli", "import", str(path)],
        env=env,
        stdin=slave,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    os.close(slave)
    time.sleep(0.1)
    os.write(master, answer)
    out, err = proc.communicate(timeout=60)
    os.close(master)
    return out.decode(), err.decode(), proc.returncode


@pytest.fixture
def everymen(cli_env) -> dict:
    run(cli_env, "person", "add", "Rosa Everyman", "--born", "1965-03-16")
    run(cli_env, "person", "add", "Adam Everyman", "--born", "1962-07-01")
    return cli_env


def test_the_question_ranks_and_says_why_and_ctrl_d_skips_with_a_reason(everymen, tmp_path) -> None:
    f = _rosa_file(tmp_path / "rosa.json")
    out, err, rc = _ask_in_a_terminal(everymen, f, b"\x04")
    assert "internal error" not in err and "EOFError" not in err
    choices = [ln.strip() for ln in err.splitlines() if ln.strip()[:2] in ("1.", "2.", "3.", "4.")]
    assert choices[0].startswith("1. Rosa Everyman (1965-03-16): same first and last name, date of birth one day apart")
    assert "Adam Everyman" in choices[1] and "same family name" in choices[1]
    assert "SKIPPED: skipped: end of input" in err and "Rosa A Everyman" in err
    assert "Imported 0 of 1 file, 1 skipped: nothing new" in out
    assert rc == 0 or "CANCELLED: \n" not in err


def test_the_question_takes_a_name(everymen, tmp_path) -> None:
    f = _rosa_file(tmp_path / "rosa.json")
    out, err, rc = _ask_in_a_terminal(everymen, f, b"rosa\n")
    assert rc == 0, err
    assert "1 condition" in out
    assert run(everymen, "timeline", "--person", "Rosa").stdout.count("Hypertension") == 1


def test_empty_answer_skips_with_a_reason(everymen, tmp_path) -> None:
    out, err, _ = _ask_in_a_terminal(everymen, _rosa_file(tmp_path / "rosa.json"), b"\n")
    assert "SKIPPED: skipped: no person chosen for Rosa A Everyman, born 1965-03-15" in err


def test_without_a_terminal_the_closest_person_is_named(everymen, tmp_path) -> None:
    r = run(everymen, "import", str(_rosa_file(tmp_path / "rosa.json")), check=False)
    assert "closest: Rosa Everyman: same first and last name, date of birth one day apart" in r.stderr


def test_person_arguments_prefix_and_ambiguity(everymen) -> None:
    line = _err_line(run(everymen, "timeline", "--person", "Everyman", check=False))
    assert "could be 2 people" in line and "Rosa Everyman" in line and "Adam Everyman" in line
    assert "Nothing found" in run(everymen, "timeline", "--person", "Ros").stdout


def test_kinds_as_people_say_them_and_listings_that_say_when_cut(cli_env) -> None:
    run(cli_env, "add", "lab", "--person", "Alice", "--name", "HbA1c", "--value", "6.1", "--date", "2026-01-05")
    run(cli_env, "add", "vital", "--person", "Alice", "--name", "weight", "--value", "70", "--date", "2026-01-06")
    for d in range(1, 8):
        run(
            cli_env,
            "add",
            "lab",
            "--person",
            "Alice",
            "--name",
            "Glucose",
            "--value",
            str(90 + d),
            "--unit",
            "mg/dL",
            "--date",
            f"2026-02-0{d}",
        )
    labs = run(cli_env, "timeline", "--kind", "lab").stdout
    assert "Hemoglobin A1c" in labs and "Weight" not in labs
    vitals = run(cli_env, "timeline", "--kind", "vital").stdout
    assert "Weight" in vitals and "A1c" not in vitals and "vital sign" in vitals
    cut = run(cli_env, "timeline", "--limit", "3").stdout.splitlines()
    assert cut[-1] == "… 6 more; use --limit 9 or --from/--to to see them."
    cut = run(cli_env, "timeline", "--kind", "lab", "--limit", "3").stdout.splitlines()
    assert cut[-1] == "… 5 more; use --limit 8 or --from/--to to see them."
    assert "Unknown kind 'labz'" in _err_line(run(cli_env, "timeline", "--kind", "labz", check=False))
    assert run(cli_env, "timeline", "--kind", "visit").stdout.startswith("Nothing found")
    assert run(cli_env, "search", "nonexistentword").stdout.startswith("Nothing found")


def test_a_bad_date_is_one_line(cli_env) -> None:
    line = _err_line(run(cli_env, "timeline", "--from", "2026-13-01", check=False))
    assert "'2026-13-01' is not a date like 2026-04-12" in line
    assert "usage:" not in line


def test_columns_keep_whole_words() -> None:
    from medrecords_desktop.cli.text import fit, plural

    assert fit("Madison Medical Center", 20) == "Madison Medical…    "
    assert len(fit("Madison Medical Center", 20)) == 20
    assert fit("Short", 8) == "Short   "
    assert plural(1, "item") == "1 item" and plural(2, "item") == "2 items"
    assert plural(1, "entry") == "1 entry" and plural(3, "diagnostic_report") == "3 diagnostic reports"


def test_a_proxy_sees_the_owner_correctly_and_nothing_found_after_revoke(cli_env) -> None:
    run(dict(cli_env, MEDRECORDS_NEW_PASSPHRASE="sam's own passphrase"), "user", "add", "Sam")
    run(cli_env, "grant", "Sam", "Alice", "--view")
    sam = dict(cli_env, MEDRECORDS_PASSPHRASE="sam's own passphrase")
    owner_line = next(ln for ln in run(sam, "user", "list").stdout.splitlines() if "owner" in ln)
    assert "everyone (owns the vault)" in owner_line and "nobody yet" not in owner_line
    run(cli_env, "revoke", "Sam", "Alice")
    assert run(sam, "timeline").stdout.strip() == "Nothing found."
    assert run(sam, "person", "list").stdout.strip() == "Nothing found: nobody is shared with you."


def test_show_leaves_out_a_year_one_end_date(cli_env, tmp_path) -> None:
    bundle = {
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [
            {
                "fullUrl": "urn:uuid:e1",
                "resource": {
                    "resourceType": "Encounter",
                    "id": "e1",
                    "status": "finished",
                    "class": {"code": "AMB"},
                    "type": [{"text": "Office visit"}],
                    "period": {"start": "2026-03-02T09:00:00Z", "end": "0001-01-01T00:00:00"},
                },
            }
        ],
    }
    f = tmp_path / "visit.json"
    f.write_text(json.dumps(bundle))
    run(cli_env, "import", "--person", "Alice", str(f))
    visit = json.loads(run(cli_env, "timeline", "--kind", "visit", "--json").stdout)[0]
    shown = run(cli_env, "show", visit["id"]).stdout
    assert "0001-01-01" not in shown and "Office visit" in shown
