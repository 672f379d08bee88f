"""Message extraction and catalog checks, shared by ``test_i18n.py`` and the extract script.

Extraction walks the AST of every source module for calls to ``_``, ``N_`` and ``ngettext``
(bare or as ``i18n.<name>``) and takes their string-literal msgids. A call whose msgid is not a
literal is a problem, so no message escapes extraction; so is a positional ``{}`` placeholder.
"""

from __future__ import annotations

import ast
import re
import string
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import escape, read_po, write_po

REPO = Path(__file__).resolve().parents[2]

SOURCES: tuple[Path, ...] = (REPO / "src" / "routeplan", REPO / "tests" / "test_i18n.py")
"""Where msgids are used: the package, and the i18n test module that exercises the sample
messages of ``core.po`` through the public API (so they are checked like any other)."""

MARKERS: dict[str, int] = {"_": 1, "N_": 1, "ngettext": 2}
"""Translation functions and how many leading arguments are msgids."""


@dataclass(frozen=True)
class Use:
    """One msgid used in the source: where, and its plural form if any."""

    msgid: str
    plural: str | None
    path: Path
    line: int

    @property
    def where(self) -> str:
        """``path:line`` relative to the repository."""
        path = self.path.relative_to(REPO) if self.path.is_relative_to(REPO) else self.path
        return f"{path}:{self.line}"


def placeholders(text: str) -> frozenset[str]:
    """Names of the ``{placeholders}`` of a format string (``{a.b}`` and ``{a[0]}`` give ``a``)."""
    names = set()
    for _literal, field, _spec, _conversion in string.Formatter().parse(text):
        if field is not None:
            names.add(re.split(r"[.\[]", field, maxsplit=1)[0])
    return frozenset(names)


def _marker(call: ast.Call) -> str | None:
    func = call.func
    if isinstance(func, ast.Name) and func.id in MARKERS:
        return func.id
    if (
        isinstance(func, ast.Attribute)
        and func.attr in MARKERS
        and isinstance(func.value, ast.Name)
        and func.value.id == "i18n"
    ):
        return func.attr
    return None


def extract_source(source: str, path: Path) -> tuple[list[Use], list[str]]:
    """Msgids used in one module's source, and the problems found.

    Returns
    -------
    tuple
        The uses, and problems such as ``"path:12: _() needs a string literal msgid"``.

    """
    uses: list[Use] = []
    problems: list[str] = []
    for node in ast.walk(ast.parse(source, filename=str(path))):
        if not isinstance(node, ast.Call) or (name := _marker(node)) is None:
            continue
        where = Use("", None, path, node.lineno).where
        texts = [
            arg.value
            for arg in node.args[: MARKERS[name]]
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str)
        ]
        if len(texts) != MARKERS[name]:
            problems.append(f"{where}: {name}() needs string literal msgid(s), not an expression")
            continue
        for text in texts:
            if any(field == "" or field.isdigit() for field in placeholders(text)):
                problems.append(f"{where}: {text!r} has a positional placeholder; name it")
        uses.append(Use(texts[0], texts[1] if name == "ngettext" else None, path, node.lineno))
    return uses, problems


def _modules(sources: Iterable[Path]) -> Iterator[Path]:
    for source in sources:
        yield from sorted(source.rglob("*.py")) if source.is_dir() else [source]


def extract(sources: Iterable[Path] = SOURCES) -> tuple[dict[str, Use], list[str]]:
    """Every msgid used in ``sources`` (first use of each), and every problem found."""
    found: dict[str, Use] = {}
    problems: list[str] = []
    for path in _modules(sources):
        uses, module_problems = extract_source(path.read_text(encoding="utf-8"), path)
        problems += module_problems
        for use in uses:
            first = found.setdefault(use.msgid, use)
            if first.plural != use.plural:
                problems.append(
                    f"{use.where}: {use.msgid!r} is used with plural {use.plural!r} here "
                    f"and {first.plural!r} at {first.where}"
                )
    return found, problems


def _forms(message_string: str | tuple[str, ...] | list[str] | None) -> list[str]:
    if message_string is None:
        return [""]
    if isinstance(message_string, str):
        return [message_string]
    return list(message_string)


def _placeholder_problems(
    language: str, msgid: str, forms: list[str], english: frozenset[str], *, plural: str | None
) -> list[str]:
    """A translation must use the placeholders of its msgid: exactly, or for a plural message
    each form some of them and the forms together all (English "1 value" / "{n} values")."""
    filled = [form for form in forms if form.strip()]
    if plural is None:
        wrong = [form for form in filled if placeholders(form) != english]
    else:
        wrong = [form for form in filled if not placeholders(form) <= english]
        together = frozenset().union(*(placeholders(form) for form in filled))
        if filled and not wrong and together != english:
            wrong = filled
    return [
        f"{language}: {form!r} has placeholders {sorted(placeholders(form))}, "
        f"{msgid!r} has {sorted(english)}"
        for form in wrong
    ]


def catalog_problems(catalog: Catalog, uses: dict[str, Use], *, complete: bool = True) -> list[str]:
    """What is wrong with a language's merged catalog against the msgids in use.

    Parameters
    ----------
    catalog
        The merged catalog (``routeplan.i18n.load_catalog``).
    uses
        The msgids in use (:func:`extract`).
    complete
        Require every msgid in use (full catalogs); False for a regional catalog that only
        overrides some entries.

    Returns
    -------
    list of str
        Missing, empty, plural-mismatched, placeholder-mismatched and obsolete entries.

    """
    language = str(catalog.locale)
    problems = []
    for msgid, use in uses.items():
        message = catalog.get(msgid)
        if message is None:
            if complete:
                problems.append(f"{language}: missing {msgid!r} (used at {use.where})")
            continue
        english = placeholders(msgid) | placeholders(use.plural or "")
        forms = _forms(message.string)
        if (use.plural is not None) != message.pluralizable:
            problems.append(f"{language}: {msgid!r} plural in the code and catalog differ")
        elif not all(form.strip() for form in forms):
            problems.append(f"{language}: empty translation of {msgid!r}")
        problems += _placeholder_problems(language, msgid, forms, english, plural=use.plural)
    for message in catalog:
        key = message.id if isinstance(message.id, str) else message.id[0]
        if key and key not in uses:
            problems.append(f"{language}: obsolete entry {key!r} (used nowhere)")
    return problems


def missing(catalog: Catalog, uses: dict[str, Use]) -> list[Use]:
    """The msgids in use that ``catalog`` lacks, in order of use."""
    return [use for msgid, use in uses.items() if catalog.get(msgid) is None]


def append_missing(path: Path, language: str, new: Iterable[Use]) -> int:
    """Append untranslated entries to a ``.po`` domain file (created with a header if absent).

    Returns
    -------
    int
        How many entries were appended.

    """
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        header = Catalog(locale=language, domain=path.stem, project="routeplan")
        with path.open("wb") as handle:
            write_po(handle, header, width=100, no_location=True)
    with path.open("rb") as handle:
        num_plurals = read_po(handle, locale=language).num_plurals
    entries = []
    for use in new:
        flag = "#, python-brace-format\n" if placeholders(use.msgid + (use.plural or "")) else ""
        lines = [f"{flag}msgid {escape(use.msgid)}"]
        if use.plural is None:
            lines.append('msgstr ""')
        else:
            lines.append(f"msgid_plural {escape(use.plural)}")
            lines += [f'msgstr[{index}] ""' for index in range(num_plurals)]
        entries.append("\n".join(lines) + "\n")
    if entries:
        text = path.read_text(encoding="utf-8")
        separator = "" if text.endswith("\n\n") else "\n" if text.endswith("\n") else "\n\n"
        path.write_text(text + separator + "\n".join(entries), encoding="utf-8")
    return len(entries)
