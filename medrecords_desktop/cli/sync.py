"""medrecords sync setup | status | now | conflicts | settle: the vault on several computers through a shared
folder (Syncthing, Nextcloud, Dropbox, a USB stick...).  See docs/design.md, "Replication"."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from ..errors import InvalidInput


def register(sub: Any) -> None:
    sync = sub.add_parser("sync", help="keep this vault on several computers through a shared folder").add_subparsers(
        dest="sync_cmd", required=True, metavar="{setup,status,now,conflicts,settle}"
    )
    p = sync.add_parser("setup", help="start a shared folder with this vault, or (no vault here yet) join one")
    p.add_argument("--folder", required=True, metavar="DIR", help="the folder your sync tool keeps in step")
    p.set_defaults(run=cmd_setup)
    p = sync.add_parser("status", help="devices, their users, last seen, what is waiting, conflicts")
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=cmd_status)
    p = sync.add_parser("now", help="write this computer's changes to the shared folder and read the others'")
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=cmd_now)
    p = sync.add_parser("conflicts", help="items changed on two computers at once (the newest is shown)")
    p.add_argument("--person")
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=cmd_conflicts)
    p = sync.add_parser("settle", help="keep one version of a conflicting item")
    p.add_argument("person")
    p.add_argument("gid", help="the item's global id (from 'sync conflicts')")
    p.add_argument("version", help="the version to keep (its clock stamp, from 'sync conflicts')")
    p.set_defaults(run=cmd_settle)
    from .sync_syncthing import register as register_syncthing  # 'sync syncthing': add the folder to Syncthing

    register_syncthing(sync)


def _progress(done: int, total: int, what: str) -> None:
    if sys.stderr.isatty():
        print(f"\r{done}/{total} {what}\033[K", end="", file=sys.stderr, flush=True)


def _print_report(r: Any) -> None:
    parts = [f"sent {r.exported:,} change(s)", f"applied {r.applied:,}"]
    if r.partial:
        parts.append(f"{r.partial} file(s) still arriving")
    if r.waiting:
        parts.append(f"{r.waiting} waiting for a key or roster")
    if r.conflicts:
        parts.append(f"{r.conflicts} new conflict(s): see 'medrecords sync conflicts'")
    print("Synced: " + ", ".join(parts) + f" ({r.seconds:.1f} s).")
    for x in r.refused:
        print(f"Refused: {x.reason} (device {x.device}, segment {x.seq}).")
    for b in r.bad:
        print(f"Not read: {b}")


def cmd_setup(args: argparse.Namespace, ctx: Any) -> int:
    from ..services.sync import SyncService

    if not (ctx.vault_dir / "vault.json").exists():
        vault = SyncService.join(args.folder, ctx.vault_dir, ctx.passphrase(), _progress)
        ctx._vault = vault
        st = SyncService(vault).status()
        print(
            f"Joined: this computer keeps a replica of the vault in {ctx.vault_dir} as {vault.user.name or 'you'}, "
            f"in step through {st.folder}."
        )
        return 0
    svc = SyncService(ctx.vault())
    st = svc.setup(args.folder)
    print(
        f"This vault is now kept in step through {st.folder} (this device: {st.device_id}). Share that folder "
        "with your other computers (Syncthing, Nextcloud, Dropbox...), then on each of them run "
        f"'medrecords --vault NEWDIR sync setup --folder {st.folder}' with your passphrase."
    )
    return 0


def cmd_status(args: argparse.Namespace, ctx: Any) -> int:
    from ..services.sync import SyncService

    st = SyncService(ctx.vault()).status()
    if args.json:
        print(json.dumps(st.to_json(), indent=1, sort_keys=True))
        return 0
    if not st.configured:
        print("Not kept in a shared folder: 'medrecords sync setup --folder DIR' starts one.")
        return 0
    print(
        f"Shared folder: {st.folder}"
        + ("" if st.folder_ok else "  (MISSING: 'sync setup --folder NEWDIR' seeds a new one from this computer)")
    )
    print(f"Last sync here: {st.last_sync or 'never'}")
    for d in st.devices:
        me = " (this computer)" if d.this_device else ""
        wait = f", {d.waiting} segment(s) not here yet" if d.waiting else ""
        print(f"  {d.name or d.device_id}{me}: {d.user_name or d.user_id}, last seen {d.last_seen or 'never'}{wait}")
    if st.partial:
        print(f"{st.partial} file(s) still being copied by the sync tool.")
    if st.missing_originals:
        print(f"{st.missing_originals} original document(s) not copied here yet.")
    print(f"Conflicts to settle: {st.conflicts}" + (" ('medrecords sync conflicts')" if st.conflicts else ""))
    for r in st.refused:
        print(f"Refused from device {r.device}: {r.reason}")
    return 0


def cmd_now(args: argparse.Namespace, ctx: Any) -> int:
    from ..services.sync import SyncService

    report = SyncService(ctx.vault()).sync_now(_progress)
    if sys.stderr.isatty():
        print(file=sys.stderr)
    if args.json:
        print(json.dumps(report.to_json(), indent=1, sort_keys=True))
    else:
        _print_report(report)
    return 0


def cmd_conflicts(args: argparse.Namespace, ctx: Any) -> int:
    from ..services.sync import SyncService

    cs = SyncService(ctx.vault()).conflicts(args.person)
    if args.json:
        print(json.dumps([c.to_json() for c in cs], indent=1, sort_keys=True))
        return 0
    if not cs:
        print("No conflicts.")
    for c in cs:
        print(f"{c.title}  [{c.item_id or c.gid}]  person {c.person_id}, id {c.gid}")
        for v in c.versions:
            print(f"    {'shown ' if v.shown else 'other '} {v.hlc}  {v.when}  {v.user_name or '?'}: {v.summary}")
    return 0


def cmd_settle(args: argparse.Namespace, ctx: Any) -> int:
    from ..services.sync import SyncService

    vault = ctx.vault()
    pid = vault.person(args.person).id
    if not pid:
        raise InvalidInput("No such person.")
    SyncService(vault).settle(pid, args.gid, args.version)
    print("Settled; the other versions are no longer listed. 'medrecords sync now' tells the other computers.")
    return 0
