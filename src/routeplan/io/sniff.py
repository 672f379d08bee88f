"""What a text table was written with: its encoding and its separator."""

from __future__ import annotations

import codecs
import csv
import io
from collections import Counter

from charset_normalizer import from_bytes

SEPARATORS: tuple[str, ...] = (",", ";", "\t", "|")
"""Separators detected, in order of preference when two fit equally."""

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_LEGACY = ("cp1252", "latin_1", "iso8859_15", "cp850", "mac_roman", "utf_16")
"""Encodings charset-normalizer may pick from when the bytes are not UTF-8: what Windows,
older Excel and CRM exports in the Americas and Iberia write."""

_NAMES = {"utf-8-sig": "UTF-8 (BOM)", "utf-8": "UTF-8", "utf-16": "UTF-16", "utf_16": "UTF-16"}


def encoding_label(encoding: str) -> str:
    """A short, familiar name for an encoding (``UTF-8 (BOM)``, ``cp1252``)."""
    return _NAMES.get(encoding, encoding.replace("_", "-"))


def decode(data: bytes, encoding: str | None = None) -> tuple[str, str]:
    """Decode a text file's bytes, detecting the encoding unless one is given.

    UTF-8 (with or without BOM) and UTF-16 (with BOM) are recognised exactly; anything else
    is left to charset-normalizer among the legacy encodings of Windows and Excel.

    Parameters
    ----------
    data
        The file's bytes.
    encoding
        Force this encoding (``[input] encoding``).

    Returns
    -------
    tuple of str
        The text and the encoding used.

    Raises
    ------
    UnicodeDecodeError
        When a forced encoding does not fit the bytes.
    LookupError
        When no encoding fits.

    Examples
    --------
    >>> decode("Bogotá".encode("cp1252"))
    ('Bogotá', 'cp1252')

    """
    if encoding is not None:
        return data.decode(encoding), encoding
    for bom, name in _BOMS:
        if data.startswith(bom):
            return data.decode(name), name
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    best = from_bytes(data, cp_isolation=list(_LEGACY)).best()
    if best is None:
        msg = "no known encoding fits"
        raise LookupError(msg)
    name = best.encoding
    if name == "latin_1" and _decodes(data, "cp1252"):
        name = "cp1252"  # cp1252 is what Windows writes; it agrees with latin-1 on letters
    return data.decode(name), name


def _decodes(data: bytes, encoding: str) -> bool:
    try:
        data.decode(encoding)
    except UnicodeDecodeError:
        return False
    return True


def sniff_separator(text: str, *, lines: int = 50) -> str:
    r"""The separator that splits the first lines into the most, most consistent fields.

    Quoted fields are respected; title rows above the header (one field) do not decide.

    Parameters
    ----------
    text
        The decoded file.
    lines
        How many non-empty lines to look at.

    Returns
    -------
    str
        One of :data:`SEPARATORS` (``,`` when nothing splits).

    Examples
    --------
    >>> sniff_separator('id;nombre;ventas\r\n1;"Tienda, la 1";1.234,5\r\n')
    ';'

    """
    sample = "\n".join([line for line in text.splitlines() if line.strip()][:lines])
    best, best_score = ",", 0.0
    for separator in SEPARATORS:
        rows = list(csv.reader(io.StringIO(sample), delimiter=separator))
        widths = Counter(len(row) for row in rows if len(row) > 1)
        if not widths:
            continue
        width, count = widths.most_common(1)[0]
        score = count * width
        if score > best_score:
            best, best_score = separator, score
    return best


def separator_label(separator: str) -> str:
    """``';'``, ``','``, ``'|'`` or ``tab`` for messages."""
    return "tab" if separator == "\t" else f"'{separator}'"
