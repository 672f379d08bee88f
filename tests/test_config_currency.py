"""One currency: ``[ui] currency``; the old ``[costs] currency`` is still read, with a warning."""

from __future__ import annotations

import pytest

from routeplan.config import settings_from_dict, settings_notes
from routeplan.errors import ConfigError
from routeplan.i18n import use_language


def test_ui_currency_is_the_one_setting_and_defaults_to_euro() -> None:
    assert settings_from_dict({}).currency == "EUR"
    settings = settings_from_dict({"ui": {"currency": "cop"}})
    assert settings.currency == "COP" and settings_notes(settings) == []


def test_old_costs_currency_is_read_as_ui_currency_with_a_translated_warning() -> None:
    settings = settings_from_dict({"costs": {"currency": "brl"}})
    assert settings.currency == "BRL" == settings.ui.currency
    (note,) = settings_notes(settings)
    assert "[costs] currency is deprecated" in note and '[ui] currency = "BRL"' in note
    with use_language("es"):
        (spanish,) = settings_notes(settings)
    assert "obsoleto" in spanish and "BRL" in spanish


def test_two_different_currencies_are_one_clear_error() -> None:
    with pytest.raises(ConfigError, match=r"\[costs\] currency 'USD' differs"):
        settings_from_dict({"ui": {"currency": "EUR"}, "costs": {"currency": "USD"}})
    assert settings_from_dict({"ui": {"currency": "EUR"}, "costs": {"currency": "eur"}}).currency
    with pytest.raises(ConfigError, match="unknown currency"):
        settings_from_dict({"costs": {"currency": "XXZ"}})
