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
    assert "Uso: main [OPTIONS] COMMAND" in group.output
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
