"""Settings: defaults from the domain, unknown keys and wrong types name the key."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from routeplan.config import Settings, load_settings, settings_from_dict
from routeplan.errors import ConfigError


def test_defaults_follow_the_domain() -> None:
    s = Settings()
    assert s.tier_names == ["AAA", "AA", "A", "B"]
    assert s.tiers.shares.shares == {"AAA": 0.01, "AA": 0.03, "A": 0.15}
    assert s.cadence["AAA"].visits_per_week == 2 and s.cadence["AAA"].min_gap_days == 2
    assert s.cadence["AA"].visits_per_week == 1
    assert s.cadence["A"].every_weeks == 4
    assert 8 <= s.cadence["B"].every_weeks <= 12
    assert (s.workday.day_start, s.workday.day_end, s.workday.lunch_min) == ("08:00", "17:00", 30)
    assert s.workday.workdays == ["Mon", "Tue", "Wed", "Thu", "Fri"]


def test_missing_file_gives_defaults(tmp_path: Path) -> None:
    assert load_settings(tmp_path / "none.toml") == Settings()


def test_unknown_key_is_named() -> None:
    with pytest.raises(ConfigError, match=r"key 'workday\.lunch_minutes': unknown key"):
        settings_from_dict({"workday": {"lunch_minutes": 30}})


def test_unknown_section_is_named() -> None:
    with pytest.raises(ConfigError, match=r"key 'routing': unknown key"):
        settings_from_dict({"routing": {}})


def test_wrong_type_is_named() -> None:
    with pytest.raises(ConfigError, match=r"key 'cycle\.weeks': .*integer"):
        settings_from_dict({"cycle": {"weeks": "twelve"}})


def test_bad_time_is_named() -> None:
    with pytest.raises(ConfigError, match=r"key 'workday\.day_start': .*pattern"):
        settings_from_dict({"workday": {"day_start": "8am"}})


def test_day_must_end_after_it_starts() -> None:
    with pytest.raises(ConfigError, match=r"day_end 07:00 must be after day_start 08:00"):
        settings_from_dict({"workday": {"day_end": "07:00"}})


def test_cycle_starts_on_monday() -> None:
    with pytest.raises(ConfigError, match=r"cycle\.start_date.*must be a Monday"):
        settings_from_dict({"cycle": {"start_date": dt.date(2027, 1, 6)}})


def test_partial_cadence_keeps_other_defaults() -> None:
    s = settings_from_dict({"cadence": {"A": {"service_min": 25}, "B": {"every_weeks": 8}}})
    assert (s.cadence["A"].every_weeks, s.cadence["A"].service_min) == (4, 25)
    assert s.cadence["B"].every_weeks == 8
    assert s.cadence["AAA"].visits_per_week == 2


def test_tier_without_cadence_is_an_error() -> None:
    with pytest.raises(ConfigError, match=r"tier\(s\) \['top'"):
        settings_from_dict({"tiers": {"rule": "matrix"}})


def test_cadence_must_say_how_often() -> None:
    with pytest.raises(ConfigError, match=r"cadence\.X.*visits_per_week.*every_weeks"):
        settings_from_dict({"cadence": {"X": {"service_min": 10}}})


def test_invalid_toml_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "routeplan.toml"
    path.write_text("[cycle\nweeks = 3")
    with pytest.raises(ConfigError, match=r"routeplan\.toml: not valid TOML"):
        load_settings(path)
