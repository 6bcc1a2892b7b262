"""Original documents: small ones in the person's database, larger ones as encrypted files.

A document of up to ``INLINE_MAX`` bytes is a row of the ``blobs`` table (column ``data``), encrypted
with the rest of the database by SQLCipher and written in the import's own transaction.  Most
documents are that small (notes, C-CDAs, one-page results); one file each would cost a file creation,
a rename and a global flush per import, and would show how many documents there are and how big.
Larger documents are files, encrypted as below, so the database stays small and fast to back up.

Files: AES-256-GCM in chunks (a STREAM construction).

File layout: ``MRB1`` | version (1) | chunk size (4, BE) | nonce prefix (7) | file id (16), then chunks
of ``chunk size + 16`` bytes.  Chunk *i* uses nonce = prefix || i (4 bytes BE) || last-flag (1 byte)
and the header as associated data, so chunks cannot be reordered, dropped, truncated or moved to
another file.  Blobs are named by a keyed hash of the plaintext's SHA-256 (a plain hash would reveal
which well-known document is inside); the database keeps the SHA-256 to check integrity on read.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import os
import struct
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from ..errors import VaultDamaged
from ..fsutil import fsync_dir
from .db import storage_error

if TYPE_CHECKING:
    from .db import Db

MAGIC = b"MRB1"
VERSION = 1
CHUNK = 1024 * 1024
INLINE_MAX = 256 * 1024  # documents up to this size live in the database
HEADER_LEN = 4 + 1 + 4 + 7 + 16


class BlobStore:
    def __init__(self, root: Path, enc_key: bytes, name_key: bytes, db: Db | None = None) -> None:
        self.root = Path(root)
        self._db = db  # the person's database, which holds the small documents
        self._aead = AESGCM(enc_key)
        self._name_key = name_key
        self._dirs: set[Path] = set()  # folders known to exist (a mkdir per blob is a syscall each)

    def name_for(self, sha256_hex: str) -> str:
        return hmac.new(self._name_key, bytes.fromhex(sha256_hex), hashlib.sha256).hexdigest()[:40]

    def path_of(self, name: str) -> Path:
        return self.root / name[:2] / name

    def put(self, data: bytes | BinaryIO | Iterable[bytes]) -> tuple[str, str, int]:
        """Encrypt and store as a file; return (name, sha256 hex, size).  Streams: never holds a whole file.

        The file is durable when this returns.  It is written under a temporary name and renamed into
        place, so a blob is never seen half-written; a blob that is already there is replaced by the
        same content (a rename is atomic, and equal content gives the same name).
        """
        self._ensure_dir(self.root)
        rnd = os.urandom(31)
        prefix, file_id = rnd[:7], rnd[7:23]
        header = MAGIC + bytes([VERSION]) + struct.pack(">I", CHUNK) + prefix + file_id
        tmp = os.path.join(self.root, f".tmp-{rnd[23:].hex()}")
        sha, size = hashlib.sha256(), 0
        try:
            with open(tmp, "xb", opener=_private) as out:
                if isinstance(data, bytes) and len(data) <= CHUNK:  # most documents: one chunk, one write
                    sha.update(data)
                    size = len(data)
                    out.write(header + self._seal(header, prefix, 0, data, last=True))
                else:
                    out.write(header)
                    index = 0
                    pending: bytes | None = None
                    for chunk in _rechunk(_chunks(data), CHUNK):
                        if pending is not None:
                            out.write(self._seal(header, prefix, index, pending, last=False))
                            index += 1
                        sha.update(chunk)
                        size += len(chunk)
                        pending = chunk
                    out.write(self._seal(header, prefix, index, pending or b"", last=True))
                out.flush()
                os.fsync(out.fileno())
            digest = sha.hexdigest()
            name = self.name_for(digest)
            final = self.path_of(name)
            self._ensure_dir(final.parent)
            os.replace(tmp, final)
            fsync_dir(final.parent)  # the rename itself must survive a crash, not just the bytes
            return name, digest, size
        except BaseException as e:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
            mapped = storage_error(e, self.root.parent.parent) if isinstance(e, OSError) else None
            if mapped is not None:  # a full or read-only disk: say what to do, not "cannot read"
                raise mapped from None
            raise

    def _ensure_dir(self, path: Path) -> None:
        if path not in self._dirs:
            path.mkdir(parents=True, exist_ok=True)
            self._dirs.add(path)

    def _seal(self, header: bytes, prefix: bytes, index: int, chunk: bytes, last: bool) -> bytes:
        nonce = prefix + struct.pack(">I", index) + (b"\x01" if last else b"\x00")
        return self._aead.encrypt(nonce, chunk, header)

    def iter_plain(self, name: str, expect_sha256: str | None = None) -> Iterator[bytes]:
        """Decrypt chunk by chunk, checking order, truncation and (at the end) the SHA-256."""
        row = self._db.one("SELECT data FROM blobs WHERE name=?", (name,)) if self._db is not None else None
        if row is not None and row[0] is not None:
            data = bytes(row[0])
            if expect_sha256 and hashlib.sha256(data).hexdigest() != expect_sha256:
                raise VaultDamaged(f"document {name[:12]}…", None, "content does not match its recorded hash")
            yield data
            return
        path = self.path_of(name)
        if not path.exists():
            raise VaultDamaged(f"blob {name[:12]}…", None, "the file is missing")
        sha = hashlib.sha256()
        with open(path, "rb") as f:
            header = f.read(HEADER_LEN)
            if len(header) != HEADER_LEN or header[:4] != MAGIC:
                raise VaultDamaged(f"blob {name[:12]}…", None, "bad header")
            (chunk_size,) = struct.unpack(">I", header[5:9])
            prefix = header[9:16]
            index = 0
            block = f.read(chunk_size + 16)
            while True:
                nxt = f.read(chunk_size + 16)
                last = not nxt
                nonce = prefix + struct.pack(">I", index) + (b"\x01" if last else b"\x00")
                try:
                    plain = self._aead.decrypt(nonce, block, header)
                except InvalidTag:
                    raise VaultDamaged(f"blob {name[:12]}…", None, f"chunk {index} fails its check") from None
                sha.update(plain)
                yield plain
                if last:
                    break
                block, index = nxt, index + 1
        if expect_sha256 and sha.hexdigest() != expect_sha256:
            raise VaultDamaged(f"blob {name[:12]}…", None, "content does not match its recorded hash")

    def get(self, name: str, expect_sha256: str | None = None) -> bytes:
        return b"".join(self.iter_plain(name, expect_sha256))

    def check(self, name: str, expect_sha256: str) -> str | None:
        """None when the blob decrypts and matches its hash, else the problem."""
        try:
            for _ in self.iter_plain(name, expect_sha256):
                pass
        except VaultDamaged as e:
            return str(e)
        return None

    def delete(self, name: str) -> None:
        self.path_of(name).unlink(missing_ok=True)


def _private(path: str, flags: int) -> int:
    return os.open(path, flags, 0o600)


def _chunks(data: bytes | BinaryIO | Iterable[bytes]) -> Iterator[bytes]:
    if isinstance(data, bytes | bytearray | memoryview):
        mv = memoryview(data)
        for i in range(0, len(mv), CHUNK):
            yield bytes(mv[i : i + CHUNK])
    elif hasattr(data, "read"):
        while True:
            b = data.read(CHUNK)
            if not b:
                break
            yield b
    else:
        yield from data


def _rechunk(chunks: Iterator[bytes], size: int) -> Iterator[bytes]:
    buf = bytearray()
    for c in chunks:
        buf += c
        while len(buf) >= size:
            yield bytes(buf[:size])
            del buf[:size]
    if buf:
        yield bytes(buf)
