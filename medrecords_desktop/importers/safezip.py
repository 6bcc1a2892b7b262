"""Read an untrusted zip archive into memory, member by member, refusing anything dangerous.

Zips arrive from portals and from strangers (an IHE XDM export, a "download my records" archive).
Before a single byte is decompressed the central directory is checked as a whole: number of members,
declared total size, paths (no ``..``, no absolute or drive paths), no symbolic links, no encrypted
members, no duplicate names.  Then each member is decompressed in chunks with a hard cap (the
expansion ratio and the remaining total), so a header that lies about its size cannot make us
inflate a bomb.  Nothing is ever written to disk: members are returned as bytes.
"""

from __future__ import annotations

import io
import re
import stat
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field

from .base import MAX_FILE_BYTES, MAX_ZIP_MEMBERS, MAX_ZIP_RATIO, MAX_ZIP_TOTAL, reject

# The ratio rule only bites above this size: small, highly repetitive files (a blank form, an XML
# file of whitespace) legitimately compress more than 100:1, and a megabyte is no bomb.
RATIO_FLOOR = 1024 * 1024
_CHUNK = 64 * 1024
_DRIVE = re.compile(r"^[A-Za-z]:")


@dataclass
class ZipMember:
    name: str  # the path inside the zip, "/"-separated, as stored
    data: bytes = field(repr=False)
    size: int = 0
    compressed_size: int = 0
    date_time: tuple[int, int, int, int, int, int] | None = None


def open_zip_safely(data: bytes, source_name: str) -> list[ZipMember]:
    """Every file member of the zip (directories left out), or ImportRejected naming zip and member."""
    return list(iter_zip_safely(data, source_name))


def zip_names(data: bytes, source_name: str) -> list[str]:
    """The checked member names only (no decompression): for sniffing formats inside a zip."""
    with _open(data, source_name) as zf:
        return [i.filename for i in _checked_infos(zf, source_name) if not i.is_dir()]


def iter_zip_safely(data: bytes, source_name: str) -> Iterator[ZipMember]:
    """Like :func:`open_zip_safely`, one member at a time; the whole directory is checked first."""
    with _open(data, source_name) as zf:
        infos = _checked_infos(zf, source_name)
        remaining = MAX_ZIP_TOTAL
        for info in infos:
            if info.is_dir():
                continue
            body = _read_member(zf, info, source_name, remaining)
            remaining -= len(body)
            yield ZipMember(
                name=info.filename,
                data=body,
                size=len(body),
                compressed_size=info.compress_size,
                date_time=info.date_time,
            )


def _open(data: bytes, source_name: str) -> zipfile.ZipFile:
    if len(data) > MAX_FILE_BYTES:
        raise reject(source_name, None, f"the zip is {len(data):,} bytes, over the {MAX_FILE_BYTES:,}-byte limit")
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise reject(source_name, None, f"not a readable zip archive: truncated or damaged ({exc})") from None
    except (OSError, EOFError, ValueError, NotImplementedError) as exc:
        raise reject(source_name, None, f"not a readable zip archive ({exc})") from None


def _checked_infos(zf: zipfile.ZipFile, source_name: str) -> list[zipfile.ZipInfo]:
    infos = zf.infolist()
    if len(infos) > MAX_ZIP_MEMBERS:
        raise reject(source_name, None, f"the zip has {len(infos):,} members, over the {MAX_ZIP_MEMBERS:,} limit")
    seen: set[str] = set()
    declared = 0
    for info in infos:
        name = info.filename
        where = f"member {name!r}"
        _check_path(source_name, where, name)
        key = name.replace("\\", "/").rstrip("/").casefold()
        if key in seen:
            raise reject(source_name, where, "the zip holds two members with this name")
        seen.add(key)
        mode = info.external_attr >> 16
        if stat.S_ISLNK(mode):
            raise reject(source_name, where, "refused: the member is a symbolic link")
        if info.flag_bits & 0x1:
            raise reject(source_name, where, "refused: the member is encrypted")
        if info.file_size < 0 or info.compress_size < 0:
            raise reject(source_name, where, "the member's sizes are damaged")
        declared += info.file_size
        if declared > MAX_ZIP_TOTAL:
            raise reject(
                source_name,
                where,
                f"the members add up to more than {MAX_ZIP_TOTAL:,} bytes uncompressed (limit)",
            )
        if info.file_size > RATIO_FLOOR and info.file_size > max(info.compress_size, 1) * MAX_ZIP_RATIO:
            raise reject(
                source_name,
                where,
                f"refused: the member expands more than {MAX_ZIP_RATIO}:1 (a zip bomb?)",
            )
    return infos


def _check_path(source_name: str, where: str, name: str) -> None:
    if not name or "\x00" in name:
        raise reject(source_name, where, "the member has an empty or invalid name")
    norm = name.replace("\\", "/")
    if norm.startswith("/") or _DRIVE.match(norm):
        raise reject(source_name, where, "refused: the member has an absolute path")
    if any(part == ".." for part in norm.split("/")):
        raise reject(source_name, where, "refused: the member's path climbs out of the archive (..)")


def _read_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, source_name: str, remaining: int) -> bytes:
    """Decompress one member with a hard cap, whatever its header claims."""
    where = f"member {info.filename!r}"
    ratio_cap = max(RATIO_FLOOR, max(info.compress_size, 1) * MAX_ZIP_RATIO)
    cap = min(ratio_cap, remaining)
    buf = bytearray()
    try:
        with zf.open(info) as fh:
            while True:
                chunk = fh.read(min(_CHUNK, cap + 1 - len(buf)))
                if not chunk:
                    break
                buf += chunk
                if len(buf) > cap:
                    if cap == ratio_cap:
                        why = f"refused: the member expands more than {MAX_ZIP_RATIO}:1 (a zip bomb?)"
                    else:
                        why = f"the members add up to more than {MAX_ZIP_TOTAL:,} bytes uncompressed (limit)"
                    raise reject(source_name, where, why)
    except zipfile.BadZipFile as exc:
        raise reject(source_name, where, f"the member is damaged ({exc})") from None
    except (zlib.error, EOFError, OSError, ValueError) as exc:
        raise reject(source_name, where, f"the member is damaged or truncated ({exc})") from None
    except NotImplementedError as exc:
        raise reject(source_name, where, f"the member uses a compression method we cannot read ({exc})") from None
    except RuntimeError as exc:  # zipfile raises it for encryption it detects late
        raise reject(source_name, where, f"the member cannot be read ({exc})") from None
    if len(buf) != info.file_size:
        raise reject(source_name, where, "the member's size does not match its header (damaged or forged)")
    return bytes(buf)
