"""``routeplan init`` proposes settings from where the clients are; no settings file, no plan."""

from __future__ import annotations

import datetime as dt
import tomllib
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from helpers.world import tiny_clients, write_world

from routeplan.cli.main import main
from routeplan.config import settings_from_dict
from routeplan.intake.init import next_monday, propose

TODAY = dt.date(2026, 12, 1)  # a Tuesday: the cycle starts Monday 2026-12-07


def run(*args: str) -> object:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def clients_around(lat: float, lon: float) -> object:
    clients = tiny_clients()
    rng = np.random.default_rng(7)
    clients["lat"] = lat + rng.uniform(-0.08, 0.08, len(clients))
    clients["lon"] = lon + rng.uniform(-0.08, 0.08, len(clients))
    return clients


def init_folder(tmp_path: Path, lat: float, lon: float) -> tuple[Path, object]:
    folder = write_world(tmp_path / "data", clients=clients_around(lat, lon))
    (folder / "routeplan.toml").unlink()
    result = run("--data", str(folder), "init", "--today", TODAY.isoformat())
    assert result.exit_code == 0, result.output
    return folder, result


def test_bogota_clients_get_bogota_time_and_colombian_holidays(tmp_path: Path) -> None:
    folder, result = init_folder(tmp_path, 4.65, -74.08)
    text = (folder / "routeplan.toml").read_text(encoding="utf-8")
    assert 'timezone = "America/Bogota"' in text
    settings = settings_from_dict(tomllib.loads(text))
    assert settings.cycle.timezone == "America/Bogota"
    assert settings.cycle.start_date == dt.date(2026, 12, 7)
    holidays = set(settings.cycle.holidays)
    # Inmaculada Concepción, Navidad, Año Nuevo, Reyes Magos (moved to Monday 11 January)
    assert {dt.date(2026, 12, 8), dt.date(2026, 12, 25), dt.date(2027, 1, 1)} <= holidays
    assert dt.date(2027, 1, 11) in holidays
    assert all(settings.cycle.start_date <= d <= dt.date(2027, 2, 28) for d in holidays)
    assert (settings.ui.language, settings.ui.currency) == ("es_CO", "COP")
    assert settings.currency == "COP" and settings.costs.currency is None
    assert "Navidad" in text  # the holidays are named, in the team's language
    assert "zona horaria America/Bogota" in result.output  # the reasons, in Spanish


def test_sao_paulo_clients_get_sao_paulo_time_and_brazil_holidays(tmp_path: Path) -> None:
    folder, _result = init_folder(tmp_path, -23.55, -46.63)
    settings = settings_from_dict(tomllib.loads((folder / "routeplan.toml").read_text()))
    assert settings.cycle.timezone == "America/Sao_Paulo"
    holidays = set(settings.cycle.holidays)
    assert {dt.date(2026, 12, 25), dt.date(2027, 1, 1)} <= holidays
    assert dt.date(2026, 12, 8) not in holidays  # a Colombian, not a Brazilian, holiday
    assert (settings.ui.language, settings.ui.currency) == ("pt_BR", "BRL")


def test_init_does_not_overwrite(tmp_path: Path) -> None:
    folder = write_world(tmp_path / "data")
    before = (folder / "routeplan.toml").read_text()
    result = run("--data", str(folder), "init")
    assert result.exit_code == 1
    assert "already exists" in result.output and "--force" in result.output
    assert (folder / "routeplan.toml").read_text() == before


def test_build_without_settings_exits_1_with_the_hint(tmp_path: Path) -> None:
    folder = write_world(tmp_path / "data")
    (folder / "routeplan.toml").unlink()
    result = run("--data", str(folder), "build", "--week", "1", "--out", str(tmp_path / "o"))
    assert result.exit_code == 1
    assert "no settings file" in result.output
    assert f"run 'routeplan --data {folder} init'" in result.output
    result = run("--data", str(folder), "validate")
    assert result.exit_code == 1
    assert "no settings file" in result.output


@pytest.mark.parametrize(
    ("today", "monday"),
    [(dt.date(2026, 12, 1), dt.date(2026, 12, 7)), (dt.date(2026, 12, 7), dt.date(2026, 12, 14))],
)
def test_cycle_starts_next_monday(today: dt.date, monday: dt.date) -> None:
    assert next_monday(today) == monday


def test_proposal_reasons_name_the_evidence() -> None:
    lat = np.array([4.6, 4.7, 6.25])  # Bogotá twice, Medellín
    lon = np.array([-74.1, -74.05, -75.56])
    proposal = propose(lat, lon, today=TODAY)
    assert proposal.place.timezones == {"America/Bogota": 3}
    assert proposal.place.country == "CO"
