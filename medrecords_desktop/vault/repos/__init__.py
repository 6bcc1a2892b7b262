"""Repositories: the SQL that services need, behind functions that return dataclasses.

Services (``services/``) hold no SQL: they call these, or ``vault/store.py`` (item rows, the write path of an
import) and ``vault/vault.py`` (people, keys, audit).  Each module here is about one kind of stored thing and
works on one ``Db`` (a person's database or ``household.db``); none of them knows about other people's
databases, access rules or public ids, which stay in the services.
"""
