"""Every schema version migrates to the latest with its data intact."""

from __future__ import annotations

import os

import pytest

from medrecords_desktop.vault.db import Db
from medrecords_desktop.vault.schema import HOUSEHOLD, PERSON, migrate

SAMPLE = {
    "household": (
        "INSERT INTO persons(id,name,created) VALUES ('p1','Kept Name','2020-01-01')",
        "SELECT name FROM persons WHERE id='p1'",
        "Kept Name",
    ),
    "person": (
        "INSERT INTO items(kind,date,title,created) VALUES ('observation','2020-01-01','Kept item','x')",
        "SELECT title FROM items",
        "Kept item",
    ),
}


@pytest.mark.parametrize("which,migrations", [("household", HOUSEHOLD), ("person", PERSON)])
def test_every_version_migrates_to_the_latest(tmp_path, which, migrations) -> None:
    for start in range(1, len(migrations) + 1):
        path = tmp_path / f"{which}-{start}.db"
        key = os.urandom(32)
        db = Db(path, key, path.name)
        assert migrate(db, migrations, upto=start) == start
        insert, select, expected = SAMPLE[which]
        db.execute(insert)
        db.close()
        db = Db(path, key, path.name)
        assert migrate(db, migrations) == len(migrations)
        assert db.one(select)[0] == expected
        assert db.pragma("user_version") == len(migrations)
        db.close()
