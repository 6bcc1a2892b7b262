"""Being told: what an unlock finds wrong reaches the user in the CLI (stderr) and the GUI (a banner)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from conftest import PASSPHRASE

from medrecords_desktop.vault.vault import Vault

from .conftest import SAM_PW
from .harness import ProxyHarness


def _tamper_roster(path: Path) -> None:
    """A proxy gives themselves manage access in the roster's text (they cannot re-sign it)."""
    sam = ProxyHarness(path, SAM_PW)
    h = sam.header()
    body = json.loads(h["roster"]["body"])
    body["users"][sam.uid]["grants"] = {p: "manage" for p in body["persons"]}
    h["roster"]["body"] = json.dumps(body, sort_keys=True, separators=(",", ":"))
    sam.write_header(h)


def test_cli_warns_on_a_tampered_roster_and_refuses_sharing_changes(family, cli_env) -> None:  # type: ignore[no-untyped-def]
    path, *_ = family
    _tamper_roster(path)
    env = dict(cli_env, MEDRECORDS_VAULT=str(path))

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "medrecords_desktop.cli", *args],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )

    r = cli("user", "list")
    assert "warning" in r.stderr and "roster" in r.stderr and "failed its check" in r.stderr
    r = cli("grant", "Rita", "Alice Example", "--view")
    assert r.returncode != 0 and "roster" in (r.stderr + r.stdout)
    r = cli("audit", "--verify")
    assert r.returncode == 0 or "BROKEN" in r.stdout  # the chains themselves are intact
    r = cli("verify", "--repair-header")  # with the roster itself failing, there is nothing to repair from
    assert r.returncode != 0 and "owner" in (r.stderr + r.stdout)
    with Vault.open(path, SAM_PW) as v:  # and the proxy gained nothing: still view-only, told too
        assert v.roster is None and any("roster" in w for w in v.warnings)
        from medrecords_desktop.services.access import scope_of

        assert {scope_of(v, p.id) for p in v.persons()} == {"view"}


def test_gui_shows_a_banner_on_the_main_window(family, qtbot, tmp_path) -> None:  # type: ignore[no-untyped-def]
    path, *_ = family
    _tamper_roster(path)
    from gui_helpers import settings_in

    from medrecords_desktop.gui.app import apply_theme, make_app
    from medrecords_desktop.gui.main_window import MainWindow

    settings = settings_in(tmp_path)
    apply_theme(make_app(), settings)
    win = MainWindow(path, tmp_path / "demo-vault", settings)
    qtbot.addWidget(win)
    win.show()
    v = Vault.open(path, PASSPHRASE)
    win.set_vault(v)
    assert win.security_banner.isVisible() and "roster" in win.security_banner.text()
    win.lock()
    assert not win.security_banner.isVisible()


def test_cli_repair_header_drops_a_planted_user(family, cli_env) -> None:  # type: ignore[no-untyped-def]
    from .harness import OutsiderHarness

    path, *_ = family
    uid, _ = OutsiderHarness(path).plant_user(["household"])
    env = dict(cli_env, MEDRECORDS_VAULT=str(path))
    r = subprocess.run(
        [sys.executable, "-m", "medrecords_desktop.cli", "verify", "--repair-header"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "not in the signed roster" in r.stderr  # told at the unlock
    assert f"removed the unknown user entry {uid}" in r.stdout and r.returncode == 0, r.stdout + r.stderr
    assert uid not in (path / "vault.json").read_text()
