"""``routeplan --lang es build`` (and pt-BR) on a tiny world: no English word left for people.

Each check looks for the English words and phrases the templates use (maps, report, ICS)
in what a person reads, and for their translations, so it cannot pass on an empty file.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from helpers.world import tiny_clients, write_world

from routeplan.cli.main import main

REP_MAP_ENGLISH = (
    "Client", "Tier", "Arrive", "Depart", "Service", "Address", "Catch-up", "visits", "visit",
    "Open in Google Maps", "Legend", "home", "Home", "Week", "Drive", "Back home",
    "Show where I am", "Zone", "stop", "waits", "Monday", "Tuesday", "Wednesday", "Thursday",
    "Friday", "January", "March", "key account", "You are within",
)  # fmt: skip
"""English words of the rep map's templates (panel, legend, layers, popups, buttons)."""

MANAGERS_MAP_ENGLISH = (
    "Clients", "Routes of", "Home of", "Dropped", "dropped", "Workload", "Clients per tier",
    "Visits this week", "Revenue", "Zone labels", "Zones by workload", "under 70%",
    "of capacity", "over capacity", "Legend", "Week", "visits", "driving", "Load", "Rep",
    "Monday", "January",
)  # fmt: skip
"""English words of the managers' map's templates."""

REPORT_ENGLISH = (
    "KPIs of week", "Cadence compliance", "Drive hours", "Utilisation", "Workload",
    "Backlog", "Weekly hours", "hours", "mean", "planned", "done", "caught up",
    "carried forward", "net change", "tier", "rep", "day", "visits", "Clients not seen",
    "across reps", "Mon", "Tue",
)  # fmt: skip
"""English words of the report's headings, table headers and chart titles and axes."""

ICS_ENGLISH = (
    "Client:", "Tier:", "Why this week", "Reason", "Stop ", " of ", "arrive", "wait",
    "service", "Catch-up", "Day route", "Client on the map", " week ", "every ", "phase",
)  # fmt: skip
"""English words of the ICS events' descriptions and calendar name."""


def _readable(page: str) -> str:
    """The text of a folium page with the JSON/JS escapes of popups and labels undone."""
    page = re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m[1], 16)), page)
    return html.unescape(page)


MACHINE_FIELDS = re.compile(
    r'"(zone_txt|rep|workload|lost|tiers|visits|dropped|drive|revenue_txt|fill|colour|clients)"'
    r"(?=\s*[:,\]])"
)
"""GeoJSON property names of the zone layers (machine keys, never shown)."""


def _english_left(text: str, words: tuple[str, ...]) -> list[str]:
    """The ``words`` found as whole words (not CSS classes, JS properties or GeoJSON keys)."""
    text = MACHINE_FIELDS.sub('""', text)
    return [w for w in words if re.search(rf"(?<![\w.-]){re.escape(w)}(?![\w-])", text)]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """One build per language of the same tiny world (week 2)."""
    outputs = {}
    for language in ("es", "pt-BR"):
        root = tmp_path_factory.mktemp(language)
        clients = tiny_clients()
        clients["name"] = [f"Kahvila {i}" for i in range(len(clients))]  # not an English word
        data = write_world(root / "data", clients=clients)
        result = CliRunner().invoke(
            main,
            ["--lang", language, "--data", str(data), "build", "--week", "2",
             "--out", str(root / "out"), "--maps", str(root / "maps")],
            catch_exceptions=False,
        )  # fmt: skip
        assert result.exit_code == 0, result.output
        outputs[language] = root
    return outputs


def test_spanish_rep_map(built: dict[str, Path]) -> None:
    page = (built["es"] / "maps" / "week-02" / "R1.html").read_text(encoding="utf-8")
    assert '<html lang="es">' in page
    text = _readable(page)
    assert _english_left(text, REP_MAP_ENGLISH) == []
    for spanish in ("Leyenda", "Abrir en Google Maps", "Llegada", "Atención", "Regreso",
                    "Mostrar dónde estoy", "domicilio", "Semana 2 · Aino"):  # fmt: skip
        assert spanish in text, spanish
    assert re.search(r"lunes 11 de enero · \d+ visitas", text)


def test_spanish_managers_map(built: dict[str, Path]) -> None:
    page = (built["es"] / "maps" / "week-02" / "index.html").read_text(encoding="utf-8")
    assert '<html lang="es">' in page
    text = _readable(page)
    assert _english_left(text, MANAGERS_MAP_ENGLISH) == []
    for spanish in ("Zonas por carga", "Clientes por categoría", "Visitas esta semana",
                    "Rutas de Aino", "Leyenda", "de la capacidad", "h de manejo"):  # fmt: skip
        assert spanish in text, spanish


def test_spanish_report(built: dict[str, Path]) -> None:
    page = (built["es"] / "out" / "week-02" / "report-week-02.html").read_text(encoding="utf-8")
    assert '<html lang="es">' in page
    assert "<script" not in page  # SVG charts: every word of the page is ours
    text = _readable(page)
    assert _english_left(text, REPORT_ENGLISH) == []
    for spanish in ("indicadores de la semana 2", "Cumplimiento de frecuencia por categoría",
                    "Horas de manejo por asesor y día", "% cumplimiento", "asesor"):  # fmt: skip
        assert spanish in text, spanish
    assert re.search(r"media \d+,\d</text>", text)  # the chart's numbers in Spanish


def test_spanish_ics_and_dropped_csv(built: dict[str, Path]) -> None:
    ics = (built["es"] / "out" / "week-02" / "ics" / "R1.ics").read_text(encoding="utf-8")
    text = ics.replace("\n ", "").replace("\\n", "\n").replace("\\,", ",").replace("\\;", ";")
    descriptions = "\n".join(
        line for line in text.splitlines() if line.startswith(("DESCRIPTION", "X-WR-CALNAME"))
    )
    assert descriptions.count("DESCRIPTION;LANGUAGE=es:") == text.count("BEGIN:VEVENT") > 0
    body = re.sub(r"https?://\S+", "", text.split("BEGIN:VEVENT", 1)[1])  # links are not words
    events = "\n".join(
        line for line in body.splitlines() if not line.startswith(("UID", "PRODID", "GEO"))
    )
    assert _english_left(events, ICS_ENGLISH) == []
    for spanish in ("Cliente:", "Categoría:", "Por qué esta semana: cada ", "Parada 1 de",
                    "Ruta del día", "Cliente en el mapa"):  # fmt: skip
        assert spanish in events, spanish
    assert "routeplan R1 semana 2" in text
    dropped = pd.read_csv(built["es"] / "out" / "week-02" / "dropped.csv")
    assert {"reason_code", "reason"} <= set(dropped.columns)  # machine names stay


def test_portuguese_rep_map(built: dict[str, Path]) -> None:
    page = (built["pt-BR"] / "maps" / "week-02" / "R1.html").read_text(encoding="utf-8")
    assert '<html lang="pt-BR">' in page
    text = _readable(page)
    assert _english_left(text, REP_MAP_ENGLISH) == []
    for portuguese in ("Legenda", "Abrir no Google Maps", "Chegada", "Atendimento",
                       "Mostrar onde estou", "residência", "Semana 2 · Aino"):  # fmt: skip
        assert portuguese in text, portuguese
    assert re.search(r"segunda-feira, 11 de janeiro · \d+ visitas", text)


SPANISH_TIERS = """
[cycle]
weeks = 4
start_date = 2027-01-04

[tiers]
order = ["Platino", "Oro", "Plata", "Bronce"]
shares = { shares = { Platino = 0.05, Oro = 0.1, Plata = 0.25 } }

[cadence.Platino]
visits_per_week = 1
service_min = 45

[cadence.Oro]
every_weeks = 2

[cadence.Plata]
every_weeks = 2

[cadence.Bronce]
every_weeks = 4
slack_weeks = 1

[solver]
seconds_per_rep_week = 0.5
workers = 1

[ui]
language = "es"
"""


def test_configured_tier_names_end_to_end(tmp_path: Path) -> None:
    """``Platino/Oro/Plata/Bronce`` from ``[tiers] order``: tiers, summary, exports, map."""
    data = write_world(tmp_path / "data")
    (data / "routeplan.toml").write_text(SPANISH_TIERS)
    out, maps = tmp_path / "out", tmp_path / "maps"
    result = CliRunner().invoke(
        main,
        ["--data", str(data), "build", "--week", "1", "--out", str(out), "--maps", str(maps)],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    assert "Semana 1: visitas planificadas/previstas por categoría" in result.output  # [ui]
    header = next(line for line in result.output.splitlines() if "Platino" in line)
    assert header.index("Platino") < header.index("Oro") < header.index("Bronce")
    routes = pd.read_csv(out / "week-01" / "routes.csv")
    assert set(routes["tier"]) <= {"Platino", "Oro", "Plata", "Bronce"}
    assert "Platino" in set(routes["tier"])
    page = (maps / "week-01" / "R1.html").read_text(encoding="utf-8")
    legend = _readable(page).replace('\\"', '"').split("Leyenda", 1)[1]
    # Drawn by rank: the first configured tier as a diamond, the last as a triangle.
    assert re.search(r'rp-diamond" data-tier="Platino"', legend)
    assert re.search(r'rp-triangle" data-tier="Bronce"', legend) or "Bronce" not in set(
        routes[routes["rep_id"] == "R1"]["tier"]
    )
    assert "<span>Platino</span>" in legend
