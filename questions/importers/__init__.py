"""Reading banks in every format, and writing them. Pure functions, no database.

One module per format: markdown (any Markdown layout), gift (Moodle), anki (notes exported as plain text)
and jsonbank (what the JSON export writes). read_bank() detects the format and opens .zip archives.
"""

import io
import posixpath
import zipfile
from pathlib import PurePosixPath

from .anki import parse_anki
from .base import BankError, Entry, KeyPointData, ParsedBank, Problem, decode
from .gift import parse_gift
from .jsonbank import parse_json
from .markdown import parse_markdown

__all__ = ["BankError", "Entry", "KeyPointData", "ParsedBank", "Problem", "read_bank", "FORMATS", "EXTENSIONS"]

FORMATS = ("markdown", "gift", "anki", "json")
EXTENSIONS = {
    ".md": "markdown",
    ".markdown": "markdown",
    ".gift": "gift",
    ".json": "json",
    ".csv": "anki",
    ".tsv": "anki",
}
UPLOAD_EXTENSIONS = (".md", ".markdown", ".txt", ".gift", ".csv", ".tsv", ".json", ".zip")
UNZIPPED_MAX = 200 * 2**20  # a small archive must not unpack into all the memory there is
IMAGE_EXTENSIONS = (".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg")


def detect_format(name: str, text: str) -> str:
    """The format from the file's extension, and for .txt from its content."""
    suffix = PurePosixPath(name.lower()).suffix
    if suffix in EXTENSIONS:
        return EXTENSIONS[suffix]
    head = text.lstrip()[:4000]
    if head.startswith("["):
        return "json"
    if head.startswith("#separator:") or head.startswith("#html:") or head.startswith("#notetype"):
        return "anki"
    if "$CATEGORY:" in head or ("{" in head and "}" in head and ("::" in head or "~" in head or "{=" in head)):
        if not head.startswith("#"):
            return "gift"
    if "\t" in head.split("\n", 1)[0] and not head.startswith("#"):
        return "anki"
    return "markdown"


def read_bank(
    data: bytes,
    *,
    name: str,
    format: str | None = None,
    level: int | None = None,
    style: str | None = None,
    assets: dict[str, bytes] | None = None,
) -> tuple[ParsedBank, dict[str, bytes]]:
    """(the parsed bank, the image files it may link to by path); BankError refuses the whole file."""
    if name.lower().endswith(".zip") or data[:4] == b"PK\x03\x04":
        return _read_zip(data, format=format, level=level, style=style)
    if not data.strip():
        raise BankError(1, "the file is empty")
    text = decode(data)
    chosen = format or detect_format(name, text)
    if chosen == "markdown":
        bank = parse_markdown(text, level=level, style=style)
    else:
        bank = {"gift": parse_gift, "anki": parse_anki, "json": parse_json}[chosen](text)
    return bank, {}


def _read_zip(data: bytes, **options) -> tuple[ParsedBank, dict[str, bytes]]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise BankError(1, "not a valid .zip archive") from None
    with archive:
        if sum(info.file_size for info in archive.infolist()) > UNZIPPED_MAX:
            raise BankError(1, f"the .zip unpacks to more than {UNZIPPED_MAX // 2**20} MB")
        names = [n for n in archive.namelist() if not n.endswith("/") and not n.startswith("__MACOSX/")]
        banks = [n for n in names if n.lower().endswith((".md", ".markdown", ".txt", ".gift", ".csv", ".tsv", ".json"))]
        if len(banks) != 1:
            raise BankError(
                1, f"a .zip must hold exactly one bank file (.md, .txt, .gift, .csv, .tsv, .json); found {len(banks)}"
            )
        folder = posixpath.dirname(banks[0])
        assets = {
            posixpath.relpath(n, folder or "."): archive.read(n) for n in names if n.lower().endswith(IMAGE_EXTENSIONS)
        }
        inner = archive.read(banks[0])
    bank, _ = read_bank(inner, name=banks[0], **options)
    return bank, assets
