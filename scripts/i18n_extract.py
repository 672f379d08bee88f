"""Keep the translation catalogs in sync with the msgids used in the code.

    python scripts/i18n_extract.py                                # report; exit 1 when out of sync
    python scripts/i18n_extract.py --add-missing es pt-BR --domain cli

The report lists, per full catalog language, the msgids missing from its merged catalog, empty
or mismatched translations and obsolete entries. ``--add-missing`` appends the missing msgids,
untranslated, to ``locales/<language>/LC_MESSAGES/<domain>.po`` (created if needed); translate
them there, the catalog test fails until every entry has a translation.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from helpers import i18n_tools  # tests/helpers, shared with test_i18n.py

from routeplan import i18n


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument(
        "--add-missing",
        nargs="+",
        default=[],
        metavar="LANG",
        help="append the missing msgids, untranslated, to these languages' --domain file",
    )
    parser.add_argument(
        "--domain", default="core", help="domain file to append to (cli, maps, exports, core...)"
    )
    parser.add_argument(
        "--locales",
        type=Path,
        default=i18n.LOCALES_DIR,
        help="catalogs' root folder (default: the package's locales/)",
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    add = {i18n.normalise_language(code) for code in args.add_missing}
    uses, problems = i18n_tools.extract()
    for problem in problems:
        print(problem)
    for language in sorted(set(i18n.CATALOG_LANGUAGES) | add):
        catalog = i18n.load_catalog(language, locales_dir=args.locales)
        if language in add:
            path = args.locales / language / "LC_MESSAGES" / f"{args.domain}.po"
            count = i18n_tools.append_missing(path, language, i18n_tools.missing(catalog, uses))
            print(f"{language}: appended {count} untranslated entries to {path}")
            catalog = i18n.load_catalog(language, locales_dir=args.locales)
        language_problems = i18n_tools.catalog_problems(catalog, uses)
        if language in add:  # just appended, empty on purpose: the translator's to-do list
            language_problems = [p for p in language_problems if "empty translation" not in p]
        problems += language_problems
        for problem in language_problems:
            print(problem)
    print(f"{len(uses)} msgids in use; {len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
