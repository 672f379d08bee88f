"""Addresses as sales teams type them, reduced to a street key, a house number and a locality.

``Cra. 7 # 45-10, Bogotá``, ``Carrera 7 No. 45-10``, ``Rua Augusta, 1500 - São Paulo`` and
``Mikonkatu 18, Helsinki`` all come apart the same way; abbreviations (Cra./Carrera, Cl./Calle,
Av./Avenida, Dg./Diagonal, Tv./Transversal, R./Rua …) and accents are normalised so the street
compares equal to its OpenStreetMap name.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

ABBREVIATIONS: dict[str, str] = {
    "cra": "carrera",
    "cr": "carrera",
    "kr": "carrera",
    "kra": "carrera",
    "carr": "carrera",
    "cl": "calle",
    "cll": "calle",
    "clle": "calle",
    "av": "avenida",
    "avda": "avenida",
    "avd": "avenida",
    "ak": "avenida carrera",
    "ac": "avenida calle",
    "dg": "diagonal",
    "diag": "diagonal",
    "tv": "transversal",
    "tr": "transversal",
    "transv": "transversal",
    "r": "rua",
    "pca": "praca",
    "trav": "travessa",
    "estr": "estrada",
    "rod": "rodovia",
    "al": "alameda",
    "psje": "pasaje",
    "pje": "pasaje",
    "blvd": "bulevar",
}
"""Street-type abbreviations of Spanish and Portuguese addresses and their full word."""

_NUMBER_MARK = re.compile(r"\s*(?:#|\bn[o°º]\.?(?=\s*\d)|\bnum\.?(?=\s*\d)|\bnumero\b)\s*")
_TRAILING_NUMBER = re.compile(
    r"^(?P<street>.*?\D)\s+(?P<number>\d+\s*[a-z]?(?:\s*-\s*\d+[a-z]?)?)$"
)
_LEADING_NUMBER = re.compile(r"^(?P<number>\d+\s*[a-z]?(?:\s*-\s*\d+[a-z]?)?)\b")


def plain(text: str) -> str:
    """Lower case, no accents, punctuation other than ``#`` and ``-`` as spaces."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"\s+", " ", re.sub(r"[^a-z0-9#,\- ]", " ", ascii_text.replace("º", "o"))).strip()


def street_key(street: str) -> str:
    """A street name in the form names are compared in (abbreviations expanded).

    Examples
    --------
    >>> street_key("Cra. 7"), street_key("Av. Jiménez"), street_key("R. Augusta")
    ('carrera 7', 'avenida jimenez', 'rua augusta')

    """
    words = plain(street.replace(".", " ")).replace(",", " ").replace("#", " ").split()
    if words:
        words[0] = ABBREVIATIONS.get(words[0], words[0])
    return " ".join(words)


def number_key(number: str) -> str:
    """A house number without spaces, lower case (``45 - 10`` → ``45-10``, ``18 A`` → ``18a``)."""
    return re.sub(r"\s+", "", number.lower())


@dataclass(frozen=True)
class ParsedAddress:
    """An address taken apart: the street key, the house number key and the locality."""

    street: str
    number: str | None
    locality: str | None


def parse_address(text: str) -> ParsedAddress:
    """Take an address apart.

    Parameters
    ----------
    text
        As typed: ``"Cra. 7 # 45-10, Bogotá"``, ``"Rua Augusta, 1500"``, ``"Mikonkatu 18"``.

    Returns
    -------
    ParsedAddress
        Street key, house number key (None when absent) and locality (the last comma part
        that is not the number).

    Examples
    --------
    >>> parse_address("Cra. 7 # 45-10, Bogotá")
    ParsedAddress(street='carrera 7', number='45-10', locality='bogota')
    >>> parse_address("Calle 45 No. 7-10")
    ParsedAddress(street='calle 45', number='7-10', locality=None)
    >>> parse_address("Rua Augusta, 1500 - São Paulo")
    ParsedAddress(street='rua augusta', number='1500', locality='sao paulo')

    """
    parts = [p.strip() for p in plain(_NUMBER_MARK.sub(" # ", plain(text))).split(",")]
    parts = [p for p in parts if p]
    if not parts:
        return ParsedAddress("", None, None)
    first, rest = parts[0], parts[1:]
    number = None
    if "#" in first:
        street, _mark, after = first.partition("#")
        match = _LEADING_NUMBER.match(after.strip())
        number = match.group("number") if match else None
    elif match := _TRAILING_NUMBER.match(first):
        street, number = match.group("street"), match.group("number")
    else:
        street = first
    locality = None
    if rest:
        lead = _LEADING_NUMBER.match(rest[0])
        if number is None and lead:
            number = lead.group("number")
            tail = rest[0][lead.end() :].strip(" -")
            rest = [tail, *rest[1:]] if tail else rest[1:]
        locality = rest[-1].strip(" -") if rest else None
    return ParsedAddress(
        street_key(street.strip(" #-")),
        number_key(number) if number else None,
        locality or None,
    )
