"""Replication of a vault through a shared folder (issue 20); see replica.py and docs/design.md."""
