"""Deterministic zip archives: the same members always give the same bytes.

A .docx is a zip, and so is each list's package: zipfile stamps every entry with the
clock and python-docx decides the order of the parts, so two builds of the same
workbook would differ by a few bytes and look like a "new version". Here every entry
gets the same timestamp (a date taken from the data, or none: 1980-01-01, the zip
format's first day, as Word dates the parts of the documents it saves), the same
permissions and the same compression, in a fixed order.

A rendered document is saved by python-docx, then rewritten here by :func:`rewrite_zip`,
which gives the bytes :func:`normalize_zip` gives without compressing the parts again.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import struct
import zipfile
from collections.abc import Iterable

# The zip format stores dates from 1980 to 2107 only (7 bits of years).
_ZIP_EPOCH = dt.date(1980, 1, 1)
_ZIP_END = dt.date(2107, 12, 31)
# Conventionally first in an Office document, so that tools sniffing the type find it.
_FIRST = "[Content_Types].xml"


def _timestamp(day: dt.date | None) -> tuple[int, int, int, int, int, int]:
    day = min(max(day or _ZIP_EPOCH, _ZIP_EPOCH), _ZIP_END)
    return (day.year, day.month, day.day, 0, 0, 0)


def make_zip(
    members: Iterable[tuple[str, bytes | Iterable[bytes]]], day: dt.date | None = None
) -> bytes:
    """A zip of ``(name, bytes)`` members, sorted by name (``[Content_Types].xml``
    first), every entry dated ``day`` at midnight. A member's bytes may come as an
    iterable of pieces, compressed as they come (a large document part need never be
    whole in memory)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        _add(archive, members, day)
    return buffer.getvalue()


def _add(archive: zipfile.ZipFile, members, day: dt.date | None) -> None:
    stamp = _timestamp(day)
    for name, data in sorted(members, key=lambda m: (m[0] != _FIRST, m[0])):
        info = zipfile.ZipInfo(name, date_time=stamp)
        info.compress_type = zipfile.ZIP_DEFLATED
        info.create_system = 3  # Unix, whatever machine builds it
        info.external_attr = 0o100644 << 16  # regular file, rw-r--r--
        if isinstance(data, (bytes, bytearray)):
            archive.writestr(info, data, compresslevel=6)
            continue
        with archive.open(info, "w") as member:  # zlib's default level: 6 as above
            for piece in data:
                member.write(piece)


_CORE = "docProps/core.xml"
_CORE_DATES = re.compile(rb"(<dcterms:(created|modified)\b[^>]*>)[^<]*(</dcterms:\2>)")


def _stamp_core(data: bytes, day: dt.date) -> bytes:
    """Office documents' created/modified properties set to ``day`` (openpyxl, for
    one, writes the clock's time into "modified" whatever we set)."""
    moment = f"{day.isoformat()}T00:00:00Z".encode()
    return _CORE_DATES.sub(lambda m: m[1] + moment + m[3], data)


def normalize_zip(data: bytes, day: dt.date | None = None) -> bytes:
    """The same archive rewritten deterministically (see :func:`make_zip`); an Office
    document's created and modified properties become ``day``."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        members = [
            (info.filename, archive.read(info)) for info in archive.infolist() if not info.is_dir()
        ]
    if day is not None:
        members = [
            (name, _stamp_core(blob, day) if name == _CORE else blob) for name, blob in members
        ]
    return make_zip(members, day)


# The zip format's records, as zipfile writes them (APPNOTE.TXT 4.3.7, 4.3.12, 4.3.16).
_LOCAL = struct.Struct("<4s2B4HL2L2H")
_CENTRAL = struct.Struct("<4s4B4HL2L5H2L")
_END = struct.Struct("<4s4H2LH")
_VERSION = 20  # what a deflated entry needs, as zipfile writes it
_ATTRIBUTES = 0o100644 << 16  # regular file, rw-r--r--


def rewrite_zip(data: bytes) -> bytes:
    """The archive ``data`` (python-docx's save) rewritten as :func:`normalize_zip`
    rewrites it, keeping each part's compressed data as it is instead of compressing it
    again: the same bytes, since python-docx deflates at zlib's default level as
    make_zip does (tests/test_reproducible.py compares both on every shipped template).
    An archive with other entries (stored, zip64, data descriptors) is recompressed."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        infos = [info for info in archive.infolist() if not info.is_dir()]
    if any(
        info.compress_type != zipfile.ZIP_DEFLATED
        or info.flag_bits & ~0x800
        or info.file_size > 0x7FFFFFFF
        for info in infos
    ):
        return normalize_zip(data)
    dostime, dosdate = _dos_stamp(_timestamp(None))
    out = io.BytesIO()
    central = []
    for info in sorted(infos, key=lambda i: (i.filename != _FIRST, i.filename)):
        name, flags = _encoded_name(info.filename)
        offset = out.tell()
        # The fields both headers give alike: flags, method, time, date, CRC, sizes, name.
        common = (
            flags,
            zipfile.ZIP_DEFLATED,
            dostime,
            dosdate,
            info.CRC,
            info.compress_size,
            info.file_size,
            len(name),
        )
        out.write(_LOCAL.pack(b"PK\x03\x04", _VERSION, 0, *common, 0))
        out.write(name)
        out.write(_raw(data, info))
        central.append(
            _CENTRAL.pack(
                b"PK\x01\x02", _VERSION, 3, _VERSION, 0, *common, 0, 0, 0, 0, _ATTRIBUTES, offset
            )
            + name
        )
    start = out.tell()
    out.write(b"".join(central))
    size = out.tell() - start
    out.write(_END.pack(b"PK\x05\x06", 0, 0, len(central), len(central), size, start, 0))
    return out.getvalue()


def _raw(data: bytes, info: zipfile.ZipInfo) -> bytes:
    """The compressed bytes of an entry, read after its local header."""
    header = _LOCAL.unpack_from(data, info.header_offset)
    start = info.header_offset + _LOCAL.size + header[10] + header[11]
    return data[start : start + info.compress_size]


def _dos_stamp(stamp: tuple) -> tuple[int, int]:
    year, month, day, hour, minute, second = stamp
    return hour << 11 | minute << 5 | second // 2, (year - 1980) << 9 | month << 5 | day


def _encoded_name(name: str) -> tuple[bytes, int]:
    """The name's bytes and flags, as zipfile encodes them (UTF-8 flagged when needed)."""
    try:
        return name.encode("ascii"), 0
    except UnicodeEncodeError:
        return name.encode("utf-8"), 0x800
