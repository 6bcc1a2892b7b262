"""medrecords sync syncthing: add the vault's shared folder to the Syncthing that runs on this computer.

Through Syncthing's REST API (replica/syncthing.py): the local instance is found by its config.xml in the
platform's standard place, or ``--config FILE``, or ``--url`` with the API key in MEDRECORDS_SYNCTHING_APIKEY
(never on the command line, where other users of the computer could read it).  The folder is added under an id
derived from the vault (the same on every computer of this vault) and shared with the ``--share-with`` devices.
"""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path
from typing import Any

from ..errors import InvalidInput


def register(sync: Any) -> None:
    p = sync.add_parser(
        "syncthing", help="add the shared folder to the Syncthing running on this computer (its REST API)"
    )
    p.add_argument(
        "--share-with",
        nargs="+",
        default=[],
        metavar="DEVICE_ID",
        help="Syncthing device IDs of your other computers to share the folder with",
    )
    p.add_argument("--config", type=Path, metavar="FILE", help="Syncthing's config.xml (default: its standard place)")
    p.add_argument("--url", help="Syncthing's GUI/REST address; the API key comes from MEDRECORDS_SYNCTHING_APIKEY")
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=cmd_syncthing)


def cmd_syncthing(args: argparse.Namespace, ctx: Any) -> int:
    from ..replica import syncthing as st
    from ..services.sync import SyncService

    vault = ctx.vault()
    status = SyncService(vault).status()
    if not status.configured or not status.folder:
        raise InvalidInput("This vault is not kept in a shared folder yet: run 'medrecords sync setup --folder DIR'.")
    if args.url and not os.environ.get("MEDRECORDS_SYNCTHING_APIKEY"):
        raise InvalidInput("--url needs Syncthing's API key in MEDRECORDS_SYNCTHING_APIKEY.")
    client = st.discover(args.url, None, args.config)
    if client is None:
        raise st.SyncthingError(
            f"Syncthing does not answer on this computer. Share {status.folder} with your other computers using "
            "your sync tool (Syncthing, Nextcloud, Dropbox...), then run 'medrecords --vault NEWDIR sync setup "
            "--folder DIR' on each of them."
        )
    with client:
        folder = client.add_folder(status.folder, st.folder_id_for(vault.header.vault_id), share_with=args.share_with)
        client.scan(folder.id)
        me = client.my_id()
    if args.json:
        print(
            json.dumps(
                {
                    "folder_id": folder.id,
                    "path": folder.path,
                    "devices": list(folder.devices),
                    "this_device": me,
                    "syncthing": client.endpoint.url,
                },
                indent=1,
                sort_keys=True,
            )
        )
        return 0
    others = [d for d in folder.devices if d != me]
    print(
        f"Syncthing keeps {folder.path} as folder {folder.id}"
        + (f", shared with {len(others)} other device(s)." if others else ".")
    )
    print(f"This computer's Syncthing device ID: {me}")
    print(
        "On each other computer: accept the folder in Syncthing (or run 'medrecords sync syncthing --share-with "
        f"{me}' there once it has joined), then 'medrecords --vault NEWDIR sync setup --folder DIR'."
    )
    return 0
