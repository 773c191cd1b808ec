"""One guard for the size of anything the tool unpacks: workbooks, Word files (the
PTA read by ``importer-pta``, the templates, the charter) and the page's uploads,
which go through the workbook reader; and the partners' IATI files (plain XML, read
whole into memory by ``importer-iati``: :func:`check_xml_size`).

An .xlsx or a .docx is a zip of XML. A small file can unpack to gigabytes (a "zip
bomb"): a 1 MB .docx whose document.xml unpacks to 700 MB makes python-docx grow to
1.4 GB before anything fails. :func:`check_archive` is called before any parser
opens the file. It checks each member's declared size and their total, then reads
every member as a stream (a bounded buffer at a time) to check that the bytes
really unpack to what is declared, with a valid checksum. Nothing is kept in memory.

    check_archive(path)          # raises UnsafeArchive or zipfile.BadZipFile
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from .exceptions import UnsafeArchive

# Real workbooks and Word files compress 5 to 30 times; the sample workbook at 300
# times its size unpacks to about 100 MB, its largest document to 90 MB.
MAX_UNCOMPRESSED = 200 * 1024 * 1024
# A large archive compressed far more than real documents is a bomb.
MAX_RATIO = 100
RATIO_CHECKED_ABOVE = 10 * 1024 * 1024
_CHUNK = 1024 * 1024


def check_archive(path: Path, label: str | None = None) -> None:
    """Refuse an archive that unpacks to more than :data:`MAX_UNCOMPRESSED`, or to a
    suspicious multiple of its packed size, before anything parses it.

    Raises :class:`~pipeline.exceptions.UnsafeArchive` (French, naming ``label`` or the
    file) for a bomb, :class:`zipfile.BadZipFile` for a damaged archive (a member that
    does not unpack to its declared size or checksum)."""
    path = Path(path)
    label = label or path.name
    with zipfile.ZipFile(path) as archive:
        members = archive.infolist()
        declared = sum(m.file_size for m in members)
        packed = sum(m.compress_size for m in members) or 1
        _refuse_if_too_large(declared, packed, label)
        actual = 0
        for member in members:
            if member.is_dir():
                continue
            with archive.open(member) as stream:
                # zipfile stops at the declared size and checks the checksum at the
                # end: a member whose header lies about its size fails here.
                while chunk := stream.read(_CHUNK):
                    actual += len(chunk)
                    if actual > MAX_UNCOMPRESSED:
                        _refuse(label, actual)
        _refuse_if_too_large(actual, packed, label)


# A partner's IATI activity file for one country is a few megabytes; the parsed tree
# takes about ten times its size in memory.
MAX_XML_SIZE = 50 * 1024 * 1024


def check_xml_size(path: Path, label: str | None = None) -> None:
    """Refuse an XML file larger than :data:`MAX_XML_SIZE` before any parser reads it
    (:class:`~pipeline.exceptions.UnsafeArchive`, French, naming the file)."""
    path = Path(path)
    size = path.stat().st_size
    if size > MAX_XML_SIZE:
        raise UnsafeArchive(
            f"Le fichier {label or path.name} est trop volumineux ({size // 2**20} Mo ; "
            f"limite {MAX_XML_SIZE // 2**20} Mo) : il n'a pas été ouvert. Enregistrez "
            "seulement les activités du pays (par exemple depuis d-portal.org, filtre "
            "« pays bénéficiaire »).",
            size,
        )


def _refuse_if_too_large(size: int, packed: int, label: str) -> None:
    if size > MAX_UNCOMPRESSED or (size > RATIO_CHECKED_ABOVE and size / packed > MAX_RATIO):
        _refuse(label, size)


def _refuse(label: str, size: int) -> None:
    raise UnsafeArchive(
        f"Le fichier {label} est anormalement volumineux une fois décompressé "
        f"({size // 2**20} Mo ; limite {MAX_UNCOMPRESSED // 2**20} Mo, ou taux de "
        f"compression supérieur à {MAX_RATIO}) : il n'a pas été ouvert. Enregistrez-le "
        "à nouveau dans Word ou Excel ; s'il provient d'une source inconnue, ne "
        "l'utilisez pas.",
        size,
    )
