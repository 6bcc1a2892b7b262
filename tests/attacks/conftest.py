"""Fixtures for the attack tests: a vault with the owner, Sam (view: Alice) and Rita (view: Bobby)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/ (factories, conftest helpers)

SAM_PW = "sibling passphrase 42"
RITA_PW = "cousin passphrase 77"


@pytest.fixture
def family(vault):  # type: ignore[no-untyped-def]
    """(vault dir, Alice's id, Bobby's id, Sam's id, Rita's id); the vault is closed."""
    from factories import one_of_each, write_items

    from medrecords_desktop.services import access

    alice, bobby = vault.persons()
    write_items(vault, alice.id, one_of_each("alice1"))
    write_items(vault, bobby.id, one_of_each("bobby1"))
    access.add_user(vault, "Sam", SAM_PW)
    access.add_user(vault, "Rita", RITA_PW)
    access.grant(vault, "Sam", "Alice Example", "view")
    access.grant(vault, "Rita", "Bobby Example", "view")
    users = {u.name: u.id for u in access.list_users(vault)}
    vault.close()
    return vault.path, alice.id, bobby.id, users["Sam"], users["Rita"]
