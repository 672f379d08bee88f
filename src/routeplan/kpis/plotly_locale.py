"""plotly.js in the run's language: modebar buttons, tooltips, notices, weekday and month names.

The Python plotly package ships plotly.js without its locale files, so the dictionary is built
here from routeplan's catalogs (the English keys are plotly.js's own strings) and the date and
number formats from Babel, then registered in the page with ``Plotly.register`` (no CDN, no
extra file). Charts use it through :func:`plotly_config`.
"""

from __future__ import annotations

import json

from babel import dates

from routeplan.i18n import N_, Msgid, current_language, current_locale, translate

PLOTLY_MESSAGES: tuple[Msgid, ...] = (
    N_("Autoscale"),
    N_("Box Select"),
    N_("Compare data on hover"),
    N_("Double-click on legend to isolate one trace"),
    N_("Double-click to zoom back out"),
    N_("Download plot as a PNG"),
    N_("Download plot"),
    N_("Image download succeeded"),
    N_("Lasso Select"),
    N_("Pan"),
    N_("Preparing image - this may take a few seconds"),
    N_("Produced with Plotly.js"),
    N_("Reset axes"),
    N_("Reset view"),
    N_("Reset"),
    N_("Show closest data on hover"),
    N_("Sorry, there was a problem downloading your image!"),
    N_("Toggle Spike Lines"),
    N_("Toggle show closest data on hover"),
    N_("Zoom in"),
    N_("Zoom out"),
    N_("Zoom"),
)
"""plotly.js's strings a reader of the report or the capacity page can meet (2-D charts)."""


def locale_name() -> str | None:
    """The plotly.js locale of the active language (``es``, ``pt-BR``), None for English."""
    language = current_language()
    return None if language == "en" else language.replace("_", "-")


def plotly_config() -> dict[str, object]:
    """The ``config`` of every chart: no logo, no cloud upload, responsive, the active locale."""
    config: dict[str, object] = {
        "displaylogo": False,
        "modeBarButtonsToRemove": ["sendChartToCloud"],  # offline tool: data stays here
        "responsive": True,
    }
    name = locale_name()
    if name is not None:
        config["locale"] = name
    return config


def locale_module() -> dict[str, object] | None:
    """The ``Plotly.register`` module of the active language (None for English)."""
    name = locale_name()
    if name is None:
        return None
    locale = current_locale()
    days = dates.get_day_names("wide", locale=locale)
    short_days = dates.get_day_names("abbreviated", locale=locale)
    months = dates.get_month_names("wide", locale=locale)
    short_months = dates.get_month_names("abbreviated", locale=locale)
    sunday_first = [6, 0, 1, 2, 3, 4, 5]
    symbols = locale.number_symbols["latn"]
    return {
        "moduleType": "locale",
        "name": name,
        "dictionary": {str(message): translate(message) for message in PLOTLY_MESSAGES},
        "format": {
            "days": [str(days[d]) for d in sunday_first],
            "shortDays": [str(short_days[d]) for d in sunday_first],
            "months": [str(months[m]) for m in range(1, 13)],
            "shortMonths": [str(short_months[m]) for m in range(1, 13)],
            "date": "%d/%m/%Y",
            "decimal": str(symbols["decimal"]),
            "thousands": str(symbols["group"]),
        },
    }


def locale_script(*, when_loaded: bool = False) -> str:
    """A ``<script>`` registering the active language with plotly.js ("" in English).

    Parameters
    ----------
    when_loaded
        Register at ``DOMContentLoaded`` (a page that loads plotly.js with ``defer``), before
        the charts that wait for the same event; else at once (plotly.js already loaded).

    """
    module = locale_module()
    if module is None:
        return ""
    text = json.dumps(module, ensure_ascii=False).replace("</", "<\\/")
    call = f"Plotly.register({text});"
    if when_loaded:
        call = f"document.addEventListener('DOMContentLoaded', function () {{{call}}});"
    return f"<script>{call}</script>"
