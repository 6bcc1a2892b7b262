"""Flattening bundles (nested ones too) into entries: (where, fullUrl, resource)."""

from __future__ import annotations

from .datatypes import Resource


class _Where:
    """Where an entry sits ("entry[12]"), formatted only when a warning needs it (30k entries)."""

    __slots__ = ("prefix", "i")

    def __init__(self, prefix: str, i: int) -> None:
        self.prefix, self.i = prefix, i

    def __str__(self) -> str:
        return f"{self.prefix}entry[{self.i}]"

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)


Entry = tuple[object, str | None, Resource]  # (where, fullUrl, resource)


def _walk(res: Resource, where: str, out: list[Entry], full_url: str | None = None) -> None:
    """Flatten bundles (nested ones too) into ``out``."""
    if res.get("resourceType") != "Bundle":
        out.append((where or "the top level", full_url, res))
        return
    entries = res.get("entry")
    if not isinstance(entries, list):
        return
    prefix = f"{where}: " if where else ""
    append = out.append
    for i, e in enumerate(entries):
        if not isinstance(e, dict):
            continue
        r = e.get("resource")
        if not isinstance(r, dict):
            continue  # a transaction-response entry without a body: no resource to keep
        fu = e.get("fullUrl")
        if not isinstance(fu, str):
            fu = None
        if r.get("resourceType") == "Bundle":
            _walk(r, f"{prefix}entry[{i}]", out, fu)
        else:
            append((_Where(prefix, i), fu, r))
