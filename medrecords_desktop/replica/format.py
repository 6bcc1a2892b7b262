"""The shared folder's files: change segments, hybrid logical clocks, atomic writes.

Segment file::

    b"MRSEG1\\n" | header length (4, big-endian) | header JSON | ciphertext

header = {"stream", "device", "seq", "kid", "clen", "csha"}: the stream ("household" or a person id), the
writing device, its sequence number in that stream, the key id (which key it is under), the ciphertext's
length and SHA-256.  A file shorter than that, or whose hash differs, is a copy still arriving: it is
ignored until it is whole.  Ciphertext = nonce (12) + AES-256-GCM(subkey(stream key, "replica-seg"),
plaintext, associated data = the header bytes).  Plaintext = meta length (4) | meta JSON | zlib(records
JSON).  meta = {"user", "serial", "sig"}: the writing user, the roster serial they wrote under, and their
Ed25519 signature over ``DOMAIN | stream | device | seq | user | serial | SHA-256(zlib records)``.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import struct
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from ..fsutil import fsync_dir
from ..vault.crypto import subkey
from ..vault.roster import sign, verify_sig

MAGIC = b"MRSEG1\n"
DOMAIN = b"medrecords-segment-v1\x00"
MAX_HEADER = 4096
CONFLICT_MARKS = (".sync-conflict-", "conflicted copy", "Conflict", "(conflict")


class Partial(Exception):
    """The file is not whole yet (still being copied)."""


class BadSegment(Exception):
    """The file is whole but does not decrypt or verify: never applied, reported."""


def b64(b: bytes) -> str:
    return base64.b64encode(b).decode("ascii")


def unb64(s: str) -> bytes:
    return base64.b64decode(s)


def seg_key(stream_key: bytes) -> bytes:
    return subkey(stream_key, "replica-seg")


def key_id(stream_key: bytes) -> str:
    return hmac.new(seg_key(stream_key), b"key-id", hashlib.sha256).hexdigest()[:16]


# ---------------------------------------------------------------------------- hybrid logical clock
class Hlc:
    """Hybrid logical clock: (wall milliseconds, counter, device) as a fixed-width string that sorts in
    causal order: a device's next stamp is above every stamp it has seen, however wrong its clock."""

    def __init__(self, device: str, last: str = "") -> None:
        self.device = device
        self.ms, self.counter = (int(last[:13]), int(last[13:19])) if last else (0, 0)
        self.now_ms = lambda: int(time.time() * 1000)

    def tick(self) -> str:
        wall = self.now_ms()
        if wall > self.ms:
            self.ms, self.counter = wall, 0
        else:
            self.counter += 1
        return self.stamp()

    def see(self, other: str) -> None:
        ms, c = int(other[:13]), int(other[13:19])
        if (ms, c) > (self.ms, self.counter):
            self.ms, self.counter = ms, c

    def stamp(self) -> str:
        return f"{self.ms:013d}{self.counter:06d}{self.device}"

    @staticmethod
    def wall_iso(stamp: str) -> str:
        from datetime import UTC, datetime

        return datetime.fromtimestamp(int(stamp[:13]) / 1000, UTC).isoformat(timespec="seconds")


# ---------------------------------------------------------------------------- segments
@dataclass
class Segment:
    stream: str
    device: str
    seq: int
    kid: str
    sha: str  # SHA-256 of the whole file: a segment is known by its content
    user: str = ""
    serial: int = 0
    records: list[dict[str, Any]] | None = None


def _sig_message(stream: str, device: str, seq: int, user: str, serial: int, zsha: bytes) -> bytes:
    return DOMAIN + json.dumps([stream, device, seq, user, serial, zsha.hex()]).encode()


def encode(
    stream: str,
    device: str,
    seq: int,
    stream_key: bytes,
    user: str,
    serial: int,
    signer: Callable[[bytes], bytes] | bytes,
    records: list[dict[str, Any]],
) -> bytes:
    """A segment; ``signer`` signs as the user (Vault.sign) or is their raw Ed25519 private key."""
    z = zlib.compress(json.dumps(records, separators=(",", ":"), ensure_ascii=False).encode("utf-8"), 1)
    msg = _sig_message(stream, device, seq, user, serial, hashlib.sha256(z).digest())
    sig = sign(signer, msg) if isinstance(signer, bytes) else signer(msg)
    meta = json.dumps({"user": user, "serial": serial, "sig": b64(sig)}).encode()
    plain = struct.pack(">I", len(meta)) + meta + z
    nonce = os.urandom(12)
    kid = key_id(stream_key)
    # the ciphertext's length is known before encrypting (GCM adds a 16-byte tag)
    clen = 12 + len(plain) + 16
    head0 = {"stream": stream, "device": device, "seq": seq, "kid": kid, "clen": clen}
    # csha needs the ciphertext, whose associated data is the header: bind the header without csha
    aad = json.dumps(head0, sort_keys=True).encode()
    ct = nonce + AESGCM(seg_key(stream_key)).encrypt(nonce, plain, aad)
    head = json.dumps({**head0, "csha": hashlib.sha256(ct).hexdigest()}, sort_keys=True).encode()
    return MAGIC + struct.pack(">I", len(head)) + head + ct


def read_header(data: bytes) -> tuple[dict[str, Any], bytes]:
    """(header, ciphertext) of a whole segment; :class:`Partial` when it is not whole yet."""
    if len(data) < len(MAGIC) + 4 or not data.startswith(MAGIC):
        if MAGIC.startswith(data[: len(MAGIC)]):
            raise Partial("shorter than a segment header")
        raise BadSegment("not a segment")
    (hlen,) = struct.unpack(">I", data[len(MAGIC) : len(MAGIC) + 4])
    if hlen > MAX_HEADER:
        raise BadSegment("header too long")
    start = len(MAGIC) + 4 + hlen
    if len(data) < start:
        raise Partial("header cut off")
    try:
        head = json.loads(data[len(MAGIC) + 4 : start])
        clen, csha = int(head["clen"]), str(head["csha"])
        for k in ("stream", "device", "kid"):
            if not isinstance(head[k], str):
                raise BadSegment(f"bad header field {k}")
        int(head["seq"])
    except (ValueError, KeyError, TypeError) as e:
        raise BadSegment(f"unreadable header ({e})") from None
    ct = data[start:]
    if len(ct) < clen:
        raise Partial(f"{len(ct)} of {clen} bytes")
    if len(ct) > clen:
        raise BadSegment("longer than its header says")
    if hashlib.sha256(ct).hexdigest() != csha:
        raise Partial("content does not match its hash yet")  # a copier rewriting in place: wait
    return head, ct


def decode(data: bytes, stream_key: bytes) -> Segment:
    """Decrypt a whole segment (records included; the signature is checked by the caller, who knows the
    roster the writer names)."""
    head, ct = read_header(data)
    aad = json.dumps({k: head[k] for k in ("stream", "device", "seq", "kid", "clen")}, sort_keys=True).encode()
    try:
        plain = AESGCM(seg_key(stream_key)).decrypt(ct[:12], ct[12:], aad)
    except InvalidTag:
        raise BadSegment("does not decrypt (wrong key or altered)") from None
    (mlen,) = struct.unpack(">I", plain[:4])
    meta = json.loads(plain[4 : 4 + mlen])
    z = plain[4 + mlen :]
    seg = Segment(
        head["stream"],
        head["device"],
        int(head["seq"]),
        head["kid"],
        hashlib.sha256(data).hexdigest(),
        str(meta["user"]),
        int(meta["serial"]),
    )
    seg.records = json.loads(zlib.decompress(z))
    seg._sig = unb64(meta["sig"])  # type: ignore[attr-defined]
    seg._zsha = hashlib.sha256(z).digest()  # type: ignore[attr-defined]
    return seg


def signature_ok(seg: Segment, sign_public: bytes) -> bool:
    msg = _sig_message(seg.stream, seg.device, seg.seq, seg.user, seg.serial, seg._zsha)  # type: ignore[attr-defined]
    return verify_sig(sign_public, seg._sig, msg)  # type: ignore[attr-defined]


def seg_name(device: str, seq: int) -> str:
    return f"{device}-{seq:08d}.seg"


def is_conflict_copy(name: str) -> bool:
    return any(m in name for m in CONFLICT_MARKS)


def is_temp(name: str) -> bool:
    """Files a sync tool or our own writer is still writing (never read)."""
    return name.startswith((".", "~")) or name.endswith((".tmp", ".partial", ".part", ".syncthing"))


# ---------------------------------------------------------------------------- files
def write_atomic(path: Path, data: bytes) -> None:
    """Temporary name in the same folder, fsync, rename: a reader sees nothing or the whole file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.parent / f".{path.name}.{os.urandom(4).hex()}.tmp"
    with open(tmp, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)
    fsync_dir(path.parent)


def canonical(d: Any) -> bytes:
    return json.dumps(d, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode()
