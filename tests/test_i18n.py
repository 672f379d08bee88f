"""The translation layer: languages, fallback, Babel formatting, catalogs in sync with the code.

The sample messages of ``core.po`` are used here through the public API; ``i18n_tools.SOURCES``
scans this module with the package, so they are extracted and checked like any real message.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from helpers.i18n_tools import (
    REPO,
    Use,
    append_missing,
    catalog_problems,
    extract,
    extract_source,
    placeholders,
)

from routeplan import i18n
from routeplan.config import settings_from_dict
from routeplan.errors import ConfigError
from routeplan.i18n import (
    CATALOG_LANGUAGES,
    N_,
    SUPPORTED_LANGUAGES,
    _,
    current_language,
    format_currency,
    format_date,
    format_day,
    format_km,
    format_number,
    format_percent,
    format_time,
    load_catalog,
    ngettext,
    normalise_language,
    set_language,
    translate,
    use_language,
)

DROPPED_OUTSIDE_HOURS = N_("outside opening hours on every allowed day")
MONDAY = dt.date(2027, 3, 22)


def plain(text: str) -> str:
    """Babel separates with U+00A0 / U+202F; compare them as ordinary spaces."""
    return text.replace("\xa0", " ").replace("\u202f", " ")


# --- languages -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("en", "en"),
        ("es", "es"),
        ("es-CO", "es_CO"),
        ("es_co", "es_CO"),
        ("ES-mx", "es_MX"),
        ("es-ES", "es_ES"),
        ("pt-BR", "pt_BR"),
        ("pt_br", "pt_BR"),
        ("pt", "pt_BR"),
        (" PT ", "pt_BR"),
    ],
)
def test_normalise_language(given: str, expected: str) -> None:
    assert normalise_language(given) == expected


@pytest.mark.parametrize(
    ("given", "expected"),
    [("es-AR", "es_AR"), ("ES-cl", "es_CL"), ("es-419", "es_419"), ("en-gb", "en_GB")],
)
def test_spanish_and_english_of_any_country_babel_knows_are_accepted(
    given: str, expected: str
) -> None:
    assert normalise_language(given) == expected
    with use_language(expected.split("_")[0]):
        wanted = _("unknown language '{language}'", language="x")
    with use_language(given):  # the texts of the language's own catalog
        assert _("unknown language '{language}'", language="x") == wanted


def test_a_country_brings_its_own_number_formats() -> None:
    with use_language("es-MX"):
        mexico = format_number(1234.5)
    with use_language("es-AR"):
        argentina = format_number(1234.5)
    assert (mexico, argentina) == ("1,234.5", "1.234,5")


@pytest.mark.parametrize("given", ["fr", "es-ZZ", "pt-PT", "", "english"])
def test_unknown_language_is_a_config_error_listing_the_supported(given: str) -> None:
    with pytest.raises(ConfigError, match="unknown language") as info:
        normalise_language(given)
    assert info.value.hint is not None
    for code in SUPPORTED_LANGUAGES:
        assert code.replace("_", "-") in info.value.hint


def test_every_supported_language_reaches_a_full_catalog_or_is_english() -> None:
    for code in SUPPORTED_LANGUAGES:
        assert code == "en" or code in CATALOG_LANGUAGES or code.split("_")[0] in CATALOG_LANGUAGES


def test_ui_language_in_config_defaults_to_english_and_is_normalised() -> None:
    assert settings_from_dict({}).ui.language == "en"
    assert settings_from_dict({"ui": {"language": "es-co"}}).ui.language == "es_CO"
    with pytest.raises(ConfigError, match=r"ui\.language.*unknown language 'fr'.*pt-BR"):
        settings_from_dict({"ui": {"language": "fr"}})


def test_use_language_restores_the_previous_language() -> None:
    assert current_language() == "en"
    with use_language("es-CO") as code:
        assert code == current_language() == "es_CO"
        with use_language("pt"):
            assert current_language() == "pt_BR"
        assert current_language() == "es_CO"
    assert current_language() == "en"


def test_set_language_stays_in_its_context() -> None:
    context = contextvars.copy_context()
    assert context.run(set_language, "pt-br") == "pt_BR"
    assert context.run(current_language) == "pt_BR"
    assert current_language() == "en"


def test_threads_keep_their_own_language() -> None:
    barrier = threading.Barrier(2, timeout=10)
    seen: dict[str, tuple[str, str]] = {}

    def work(language: str) -> None:
        with use_language(language):
            barrier.wait()  # both threads are inside their `with` at once
            seen[language] = (current_language(), _("Open in Google Maps"))
            barrier.wait()

    threads = [threading.Thread(target=work, args=(code,)) for code in ("es", "pt-BR")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert seen == {
        "es": ("es", "Abrir en Google Maps"),
        "pt-BR": ("pt_BR", "Abrir no Google Maps"),
    }
    assert current_language() == "en"


# --- translation -----------------------------------------------------------------------------


def test_english_is_the_msgid_with_placeholders_filled() -> None:
    assert _("Territory {zone} · sales rep {rep}", zone="Z1", rep="Ana") == (
        "Territory Z1 · sales rep Ana"
    )


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("es", "Zona Z1 · asesor Ana"),
        ("es-CO", "Zona Z1 · asesor Ana"),
        ("pt-BR", "Território Z1 · representante Ana"),
    ],
)
def test_translation_fills_named_placeholders(language: str, expected: str) -> None:
    with use_language(language):
        assert _("Territory {zone} · sales rep {rep}", zone="Z1", rep="Ana") == expected


def test_plural_forms_follow_each_language_rule() -> None:
    def visits(n: int) -> str:
        return ngettext("{count} visit", "{count} visits", n)

    assert [visits(n) for n in (0, 1, 2)] == ["0 visits", "1 visit", "2 visits"]
    with use_language("es"):
        assert [visits(n) for n in (0, 1, 2)] == ["0 visitas", "1 visita", "2 visitas"]
    with use_language("pt-BR"):  # Portuguese counts 0 as singular
        assert [visits(n) for n in (0, 1, 2)] == ["0 visita", "1 visita", "2 visitas"]


def test_plural_count_can_be_a_formatted_number() -> None:
    with use_language("es"):
        text = ngettext(
            "{count} visit", "{count} visits", 1500, count=format_number(1500, decimals=0)
        )
    assert text == "1.500 visitas"


def test_marked_constant_is_translated_at_use_time() -> None:
    assert DROPPED_OUTSIDE_HOURS == "outside opening hours on every allowed day"
    assert translate(DROPPED_OUTSIDE_HOURS) == DROPPED_OUTSIDE_HOURS
    with use_language("es"):
        assert translate(DROPPED_OUTSIDE_HOURS) == (
            "fuera del horario de atención todos los días permitidos"
        )
    with use_language("pt"):
        assert translate(DROPPED_OUTSIDE_HOURS) == (
            "fora do horário de atendimento em todos os dias permitidos"
        )


def test_route_heading_combines_a_translation_and_a_babel_day() -> None:
    with use_language("es"):
        heading = _("Route of {rep} · {day}", rep="Ana", day=format_day(MONDAY))
    assert heading == "Ruta de Ana · lunes 22 de marzo"
    with use_language("pt-BR"):
        heading = _("Route of {rep} · {day}", rep="Ana", day=format_day(MONDAY))
    assert heading == "Rota de Ana · segunda-feira, 22 de março"


# --- fallback chain --------------------------------------------------------------------------


def _write_po(
    root: Path, language: str, domain: str, entries: dict[str, str], plural_forms: str = ""
) -> None:
    folder = root / language / "LC_MESSAGES"
    folder.mkdir(parents=True, exist_ok=True)
    body = "".join(f'\nmsgid "{msgid}"\nmsgstr "{text}"\n' for msgid, text in entries.items())
    header = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=utf-8\\n"\n'
    if plural_forms:
        header += f'"Plural-Forms: {plural_forms}\\n"\n'
    (folder / f"{domain}.po").write_text(header + body, encoding="utf-8")


@pytest.fixture
def tmp_locales(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Catalogs in a temporary folder: es (two domains) and a partial regional es_CO."""
    _write_po(tmp_path, "es", "maps", {"Zone": "Zona", "Visit": "Visita", "Empty": ""})
    _write_po(tmp_path, "es", "cli", {"Rep": "Vendedor"})
    _write_po(tmp_path, "es_CO", "maps", {"Rep": "Asesor"})
    monkeypatch.setattr(i18n, "LOCALES_DIR", tmp_path)
    i18n.translations.cache_clear()
    yield tmp_path
    i18n.translations.cache_clear()


def test_regional_then_base_then_english(tmp_locales: Path) -> None:
    regional = i18n.translations("es_CO")
    assert regional.gettext("Rep") == "Asesor"  # es_CO's own entry
    assert regional.gettext("Zone") == "Zona"  # from es
    assert regional.gettext("Not in any catalog") == "Not in any catalog"  # English
    assert i18n.translations("es_MX").gettext("Rep") == "Vendedor"  # no es_MX catalog: es
    assert i18n.translations("es").gettext("Rep") == "Vendedor"


def test_empty_translation_falls_back_to_english(tmp_locales: Path) -> None:
    assert i18n.translations("es").gettext("Empty") == "Empty"


def test_domains_of_a_language_are_merged(tmp_locales: Path) -> None:
    catalog = load_catalog("es")
    assert {str(m.id) for m in catalog if m.id} == {"Zone", "Visit", "Empty", "Rep"}


def test_a_msgid_in_two_domains_is_refused(tmp_locales: Path) -> None:
    _write_po(tmp_locales, "es", "core", {"Zone": "Territorio"})
    with pytest.raises(ValueError, match=r"'Zone' is in both .*\.po and .*\.po"):
        load_catalog("es")


def test_domains_of_a_language_must_share_one_plural_rule(tmp_locales: Path) -> None:
    _write_po(tmp_locales, "es", "core", {"Day": "Día"}, "nplurals=2; plural=(n != 1);")
    with pytest.raises(ValueError, match="Plural-Forms"):
        load_catalog("es")


def test_english_needs_no_catalog(tmp_locales: Path) -> None:
    assert i18n.translations("en").gettext("Zone") == "Zone"


# --- Babel formatting ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("es", "lunes 22 de marzo"),
        ("es-CO", "lunes 22 de marzo"),
        ("pt-BR", "segunda-feira, 22 de março"),
        ("en", "Monday 22 March"),
    ],
)
def test_format_day(language: str, expected: str) -> None:
    with use_language(language):
        assert format_day(MONDAY) == expected


def test_format_date_uses_babel_widths() -> None:
    with use_language("es"):
        assert format_date(MONDAY, format="full") == "lunes, 22 de marzo de 2027"
        assert format_date(MONDAY, format="long") == "22 de marzo de 2027"
    with use_language("pt-BR"):
        assert format_date(MONDAY, format="full") == "segunda-feira, 22 de março de 2027"
    assert format_date(MONDAY, format="long") == "March 22, 2027"


def test_weekday_name_by_index_or_date() -> None:
    with use_language("es"):
        assert i18n.weekday_name(0) == "lunes"
        assert i18n.weekday_name(MONDAY + dt.timedelta(days=2)) == "miércoles"
        assert i18n.weekday_name(4, width="abbreviated") == "vie"
    with use_language("pt-BR"):
        assert i18n.weekday_name(MONDAY) == "segunda-feira"
        assert i18n.weekday_name(MONDAY, width="abbreviated") == "seg."
    assert i18n.weekday_name(6) == "Sunday"
    with pytest.raises(ValueError, match=r"between 0 .* and 6"):
        i18n.weekday_name(7)


@pytest.mark.parametrize(
    ("language", "decimals", "expected"),
    [
        ("es", 1, "1.234,5"),
        ("es-CO", 1, "1.234,5"),
        ("pt-BR", 1, "1.234,5"),
        ("es-MX", 1, "1,234.5"),
        ("en", 1, "1,234.5"),
        ("es", 0, "1.234"),  # half to even
        ("es", 2, "1.234,50"),
    ],
)
def test_format_number(language: str, decimals: int, expected: str) -> None:
    with use_language(language):
        assert format_number(1234.5, decimals=decimals) == expected


def test_format_km() -> None:
    with use_language("es"):
        assert plain(format_km(1234.5)) == "1.234,5 km"
    with use_language("pt-BR"):
        assert plain(format_km(12.3456, decimals=2)) == "12,35 km"
    assert plain(format_km(1234.5)) == "1,234.5 km"


def test_format_currency() -> None:
    with use_language("es-CO"):  # CLDR's es_CO pattern is ¤#,##0.00 and COP has no decimals
        assert plain(format_currency(1234567, "COP")) == "$1.234.567"
    with use_language("pt-BR"):
        assert plain(format_currency(1234.56, "BRL")) == "R$ 1.234,56"
    with use_language("es-ES"):
        assert plain(format_currency(1234.5, "EUR")) == "1.234,50 €"


def test_format_percent() -> None:
    with use_language("es"):
        assert plain(format_percent(0.125, decimals=1)) == "12,5 %"
    with use_language("pt-BR"):
        assert plain(format_percent(0.125, decimals=1)) == "12,5%"
    assert format_percent(0.5) == "50%"


@pytest.mark.parametrize(
    ("language", "given", "expected"),
    [
        ("es", "14:05", "14:05"),
        ("es-CO", "14:05", "14:05"),  # CLDR's es_CO default is 12-hour; ours is 24-hour
        ("es-MX", dt.time(14, 5), "14:05"),
        ("es", "08:30", "8:30"),
        ("pt-BR", "08:30", "08:30"),
        ("en", "08:30", "08:30"),
    ],
)
def test_format_time_is_24_hour(language: str, given: str | dt.time, expected: str) -> None:
    with use_language(language):
        assert format_time(given) == expected


# --- extraction and catalog completeness -----------------------------------------------------


def test_sources_extract_without_problems() -> None:
    uses, problems = extract()
    assert problems == []
    assert "{count} visit" in uses  # this module's sample messages are extracted too
    assert uses["{count} visit"].plural == "{count} visits"


@pytest.mark.parametrize("language", CATALOG_LANGUAGES)
def test_catalog_is_complete_with_the_same_placeholders_and_nothing_obsolete(
    language: str,
) -> None:
    uses, _problems = extract()
    assert catalog_problems(load_catalog(language), uses) == []


def test_regional_catalogs_have_the_same_placeholders_and_nothing_obsolete() -> None:
    uses, _problems = extract()
    regional = [
        folder.name
        for folder in sorted(i18n.LOCALES_DIR.iterdir())
        if folder.is_dir() and folder.name not in CATALOG_LANGUAGES
    ]
    for language in regional:
        assert catalog_problems(load_catalog(language), uses, complete=False) == []


def test_extractor_refuses_a_non_literal_msgid() -> None:
    source = 'label = "Zone"\ntitle = _(label)\nn = ngettext("{count} stop", plural, 2)\n'
    uses, problems = extract_source(source, Path("module.py"))
    assert uses == []
    assert len(problems) == 2
    assert problems[0].startswith("module.py:2: _() needs string literal")
    assert problems[1].startswith("module.py:3: ngettext() needs string literal")


def test_extractor_finds_bare_and_module_calls_and_refuses_positional_placeholders() -> None:
    source = (
        "from routeplan import i18n\n"
        'A = N_("Legend")\n'
        'b = i18n._("Week {week}", week=3)\n'
        'c = i18n.ngettext("{count} stop", "{count} stops", 2)\n'
        'd = _("{} clients", 3)\n'
        "e = route.ngettext(x, y, 2)\n"  # not ours: only bare names and i18n.<name> count
    )
    uses, problems = extract_source(source, Path("m.py"))
    assert [(u.msgid, u.plural, u.line) for u in uses] == [
        ("Legend", None, 2),
        ("Week {week}", None, 3),
        ("{count} stop", "{count} stops", 4),
        ("{} clients", None, 5),
    ]
    assert problems == ["m.py:5: '{} clients' has a positional placeholder; name it"]


def test_placeholders_are_root_names() -> None:
    assert placeholders("{rep.name} drove {km:.1f} km on {days[0]}, {{literal}}") == {
        "rep",
        "km",
        "days",
    }


def test_catalog_problems_are_reported(tmp_path: Path) -> None:
    _write_po(
        tmp_path,
        "es",
        "core",
        {"Hello {name}": "Hola {nombre}", "Zone": "", "Old": "Viejo"},
    )
    uses = {msgid: Use(msgid, None, Path("m.py"), 1) for msgid in ("Hello {name}", "Zone", "New")}
    problems = catalog_problems(load_catalog("es", locales_dir=tmp_path), uses)
    assert problems == [
        "es: 'Hola {nombre}' has placeholders ['nombre'], 'Hello {name}' has ['name']",
        "es: empty translation of 'Zone'",
        "es: missing 'New' (used at m.py:1)",
        "es: obsolete entry 'Old' (used nowhere)",
    ]


def test_append_missing_adds_empty_entries_that_babel_reads(tmp_path: Path) -> None:
    path = tmp_path / "pt_BR" / "LC_MESSAGES" / "cli.po"
    new = [
        Use('Say "hi" to {rep}', None, Path("m.py"), 1),
        Use("{count} stop", "{count} stops", Path("m.py"), 2),
    ]
    assert append_missing(path, "pt_BR", new) == 2
    assert append_missing(path, "pt_BR", []) == 0
    with path.open("rb") as handle:
        catalog = read_po(handle, locale="pt_BR")
    single, plural = catalog['Say "hi" to {rep}'], catalog["{count} stop"]
    assert single.string == ""
    assert plural.id == ("{count} stop", "{count} stops")
    assert plural.string == ("",) * catalog.num_plurals


def test_extract_script_reports_and_adds_missing(tmp_path: Path) -> None:
    script = REPO / "scripts" / "i18n_extract.py"
    run = [sys.executable, str(script), "--locales", str(tmp_path)]
    report = subprocess.run(run, capture_output=True, text=True, check=False)
    assert report.returncode == 1
    assert "es: missing '{count} visit'" in report.stdout
    added = subprocess.run(
        [*run, "--add-missing", "es", "pt-BR", "--domain", "cli"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert added.returncode == 0, added.stderr
    uses, _problems = extract()
    for language in ("es", "pt_BR"):
        catalog = load_catalog(language, locales_dir=tmp_path)
        assert {m.id if isinstance(m.id, str) else m.id[0] for m in catalog if m.id} == set(uses)
        assert (tmp_path / language / "LC_MESSAGES" / "cli.po").exists()
