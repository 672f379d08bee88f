"""``--lang`` and ``[ui] language``: messages, errors, tables and --help in that language."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from helpers.world import TOML, write_world

from routeplan.cli.main import main
from routeplan.i18n import current_language


def run(*args: str) -> object:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_bad_week_error_and_hint_in_spanish(world: Path, tmp_path: Path) -> None:
    result = run(
        "--lang", "es", "--data", str(world), "build", "--week", "9", "--out", str(tmp_path)
    )
    assert result.exit_code == 1
    assert "Error: la semana 9 está fuera del ciclo (semanas 1-4)" in result.output
    assert "Sugerencia: elija --week entre 1 y 4" in result.output
    assert "(ejecute con --verbose para ver la traza)" in result.output
    assert "outside the cycle" not in result.output


def test_bad_week_in_portuguese_and_english(world: Path, tmp_path: Path) -> None:
    pt = run("--lang", "pt-BR", "--data", str(world), "build", "--week", "9")
    assert "Erro: a semana 9 está fora do ciclo (semanas 1-4)" in pt.output
    en = run("--data", str(world), "build", "--week", "9")  # the default, after a Spanish run
    assert "Error: week 9 is outside the cycle (weeks 1-4)" in en.output
    assert current_language() == "en"  # a run never leaks its language into the caller


def test_language_from_settings_and_lang_overrides_it(tmp_path: Path) -> None:
    folder = write_world(tmp_path / "data")
    (folder / "routeplan.toml").write_text(TOML + '\n[ui]\nlanguage = "pt-BR"\n')
    assert (
        "a semana 9 está fora do ciclo" in run("--data", str(folder), "build", "--week", "9").output
    )
    forced = run("--lang", "es", "--data", str(folder), "build", "--week", "9")
    assert "la semana 9 está fuera del ciclo" in forced.output


def test_unknown_language_is_a_usage_error() -> None:
    result = run("--lang", "xx", "validate")
    assert result.exit_code == 2
    assert "unknown language 'xx'" in result.output and "pt-BR" in result.output


def test_help_of_the_group_and_of_a_command_in_spanish() -> None:
    group = run("--lang", "es", "--help")
    assert group.exit_code == 0
    assert "Uso: main [OPCIONES] COMANDO [ARGS]..." in group.output
    assert "Opciones" in group.output and "Comandos" in group.output
    assert "Planifica las visitas de venta en campo" in group.output
    assert "Muestra este mensaje y sale." in group.output
    assert "Show this message" not in group.output
    build = run("--lang", "es", "build", "--help")
    assert "Semana del ciclo a planificar (desde 1)." in build.output
    assert "Carpeta de los mapas HTML" in build.output
    assert "Plan one week" not in build.output
    calendar = run("--lang", "pt-BR", "calendar", "--help")
    assert "Cria ou mostra o calendário do ciclo" in calendar.output
    assert "Mostra as semanas deste cliente" in calendar.output


def test_help_in_english_by_default() -> None:
    result = run("build", "--help")
    assert "Usage: main build [OPTIONS]" in result.output
    assert "Week of the cycle to plan (1-based)." in result.output


def test_build_summary_in_spanish(world: Path, tmp_path: Path) -> None:
    out, maps = tmp_path / "out", tmp_path / "maps"
    result = run(
        "--lang", "es", "--data", str(world), "build", "--week", "2",
        "--out", str(out), "--maps", str(maps),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "Semana 2: visitas planificadas/previstas por categoría" in result.output
    assert "asesor" in result.output and "descartadas" in result.output
    assert "Cumplimiento de frecuencia por categoría" in result.output
    assert "Planificadas " in result.output and "archivos escritos en" in result.output
    assert "Planned " not in result.output


def test_click_usage_errors_in_spanish_and_portuguese() -> None:
    spanish = run("--lang", "es", "build", "--bogus")
    assert spanish.exit_code == 2
    assert "Uso: main build [OPCIONES]" in spanish.output
    assert "Pruebe 'main build --help' para ver la ayuda." in spanish.output
    assert "Error: No existe la opción '--bogus'." in spanish.output
    missing = run("--lang", "es", "build")
    assert "Error: Falta la opción '--week'." in missing.output
    portuguese = run("--lang", "pt-BR", "build", "--bogus")
    assert "Uso: main build [OPÇÕES]" in portuguese.output
    assert "Tente 'main build --help' para ver a ajuda." in portuguese.output
    assert "Erro: A opção '--bogus' não existe. Você quis dizer '--out'?" in portuguese.output
    no_value = run("--lang", "pt-BR", "build", "--week")
    assert "Erro: A opção '--week' requer um argumento." in no_value.output
    not_a_number = run("--lang", "pt-BR", "build", "--week", "x")
    # our number types word the error themselves (click would name its type, "integer")
    assert "Erro: Valor inválido para '--week': 'x' não é um número inteiro." in not_a_number.output
    for result in (spanish, missing, portuguese, no_value, not_a_number):
        for english in (
            "Usage",
            "Try ",
            "No such option",
            "Missing option",
            "requires",
            "[OPTIONS]",
        ):
            assert english not in result.output, (english, result.output)
    english = run("build", "--bogus")  # after those runs, in the same process: English again
    assert "Usage: main build [OPTIONS]" in english.output
    assert "Error: No such option '--bogus'." in english.output


def test_click_help_words_in_spanish_and_portuguese() -> None:
    spanish = run("--lang", "es", "build", "--help").output
    assert "--week ENTERO" in spanish and "[obligatorio]" in spanish
    assert "[por defecto: out]" in spanish and "--out CARPETA" in spanish
    portuguese = run("--lang", "pt-BR", "build", "--help").output
    assert "--week INTEIRO" in portuguese and "[obrigatório]" in portuguese
    assert "[padrão: out]" in portuguese and "Mostra esta mensagem e sai." in portuguese
    for text in (spanish, portuguese):
        for english in ("default:", "required", "INTEGER", "DIRECTORY", "Usage", "Show this"):
            assert english not in text, english


def test_store_and_report_errors_in_the_run_language(world: Path, tmp_path: Path) -> None:
    report = run("--lang", "es", "--data", str(world), "report", "--week", "2")
    assert report.exit_code == 1
    assert "la semana 2 aún no está planificada (planificadas: ninguna)" in report.output
    assert "ejecute: routeplan build --week 2" in report.output
    foreign = tmp_path / "notes.txt"
    foreign.write_text("not a database")
    store = run("--lang", "pt-BR", "--data", str(world), "--store", str(foreign), "report",
                "--week", "2")  # fmt: skip
    assert store.exit_code == 1
    assert "não é um arquivo SQLite" in store.output and "SQLite file" not in store.output


def test_input_error_location_words_follow_the_language() -> None:
    from routeplan.cli.error_line import error_line
    from routeplan.errors import InputError, Problem
    from routeplan.i18n import use_language

    error = InputError(
        [
            Problem("clients.csv", "x", row=5, column="tier"),
            Problem("clients.csv", "y", row=6),
            Problem("clients.csv", "z"),
        ]
    )
    assert error_line(error) == "clients.csv, row 5, column 'tier': x (and 2 more problems)"
    with use_language("es"):
        assert error_line(error) == "clients.csv, fila 5, columna 'tier': x (y 2 problemas más)"
    with use_language("pt-BR"):
        one = InputError([Problem("reps.csv", "y", row=6), Problem("reps.csv", "z")])
        assert error_line(one) == "reps.csv, linha 6: y (e mais 1 problema)"


def test_a_week_that_is_no_number_is_worded_in_the_language(world: Path) -> None:
    es = run("--lang", "es", "--data", str(world), "build", "--week", "abc")
    assert es.exit_code == 2
    assert "Valor no válido para '--week': 'abc' no es un número entero." in es.output
    pt = run("--lang", "pt-BR", "--data", str(world), "build", "--week", "abc")
    assert "'abc' não é um número inteiro." in pt.output
    en = run("--data", str(world), "build", "--week", "abc")
    assert "Invalid value for '--week': 'abc' is not a whole number." in en.output
    assert "integer" not in es.output + pt.output  # click's English type name is gone
    ranged = run("--lang", "es", "--data", str(world), "zones", "balance", "--reps", "0")
    assert ranged.exit_code == 2 and "0 no está en el rango x>=1." in ranged.output
