"""Reasons are stored as codes and worded in the run's language wherever a person reads them.

A world with two accounts closed during the rep's day (dropped: ``closed_all_days``) and a
visit logged as missed in week 1 (a catch-up in week 2) is built with ``--lang es`` and with
``--lang pt-BR``: ``routes.csv``, ``dropped.csv``, the rep map's popups and the ICS events word
every reason in that language, next to the stable machine codes. The Spanish store read in
Portuguese words the same plan in Portuguese without building again.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from helpers.world import TOML, tiny_clients, write_world

from routeplan.cli.main import main
from routeplan.config import load_settings
from routeplan.i18n import use_language
from routeplan.io.exports import write_week_files
from routeplan.model.reasons import decode
from routeplan.planning.store import STORE_FILENAME, PlanStore

WORDS = {
    "es": {
        "catch_up": "recuperación: perdida en la semana 1",
        "every": re.compile(r"^cada \d+ semanas, fase \d+"),
        "closed": "fuera del horario de atención todos los días permitidos",
        "popup": "Visita de recuperación: recuperación: perdida en la semana 1",
        "ics": "Por qué esta semana: recuperación: perdida en la semana 1",
    },
    "pt-BR": {
        "catch_up": "recuperação: perdida na semana 1",
        "every": re.compile(r"^a cada \d+ semanas, fase \d+"),
        "closed": "fora do horário de atendimento em todos os dias permitidos",
        "popup": "Visita de recuperação: recuperação: perdida na semana 1",
        "ics": "Por que nesta semana: recuperação: perdida na semana 1",
    },
}
"""What each language must show (the translations of the catalogs, spelled out)."""


def _run(language: str, data: Path, *args: str) -> None:
    result = CliRunner().invoke(
        main, ["--lang", language, "--data", str(data), *args], catch_exceptions=False
    )
    assert result.exit_code == 0, result.output


def _ics_text(path: Path) -> str:
    text = path.read_text(encoding="utf-8").replace("\r\n ", "").replace("\n ", "")
    return text.replace("\\n", "\n").replace("\\,", ",").replace("\\;", ";")


def _world(root: Path) -> Path:
    clients = tiny_clients()
    clients["name"] = [f"Kahvila {i}" for i in range(len(clients))]
    clients.loc[[1, 2, 4, 5], ["opens", "closes"]] = ["06:00", "07:00"]  # before the day: dropped
    data = write_world(root / "data", clients=clients)
    (data / "routeplan.toml").write_text(TOML + "\n[calendar]\nexclude_unservable = false\n")
    return data


@pytest.fixture(scope="module", params=["es", "pt-BR"])
def built(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    """Week 1 built, one of its B visits logged as missed, week 2 built, in one language."""
    language = request.param
    root = tmp_path_factory.mktemp(language)
    data, out, maps = _world(root), root / "out", root / "maps"
    _run(language, data, "build", "--week", "1", "--out", str(out), "--maps", str(maps))
    week1 = pd.read_csv(out / "week-01" / "routes.csv", keep_default_na=False)
    missed = week1[week1["tier"] == "B"].iloc[0]  # every 4 weeks: not due again in week 2
    log = pd.DataFrame(
        {
            "client_id": week1["client_id"],
            "date": week1["date"],
            "status": ["missed" if i == missed.name else "done" for i in week1.index],
        }
    )
    log.to_csv(root / "visits.csv", index=False)
    _run(language, data, "log", "import", str(root / "visits.csv"))
    _run(language, data, "build", "--week", "2", "--out", str(out), "--maps", str(maps))
    return language, root, missed


def test_routes_and_dropped_csv_word_the_codes(built) -> None:
    language, root, missed = built
    words = WORDS[language]
    routes = pd.read_csv(root / "out" / "week-02" / "routes.csv", keep_default_na=False)
    back = routes[routes["client_id"] == missed["client_id"]]
    assert back["reason_code"].tolist() == ["catch_up_missed week=1"]
    assert back["reason"].tolist() == [words["catch_up"]]
    regular = routes[~routes["catch_up"]]
    every = regular[regular["reason_code"].str.startswith("every_n_weeks ")]
    assert len(every) > 0 and every["reason"].str.match(words["every"]).all()
    for code in regular["reason_code"]:  # every part is a known code with its numbers
        assert decode(code) and all(r.code for r in decode(code))
    assert (
        not regular["reason"].str.contains(r"\b(?:every|weeks?|visits?|phase)\b", regex=True).any()
    )
    dropped = pd.read_csv(root / "out" / "week-02" / "dropped.csv", keep_default_na=False)
    closed = dropped[dropped["reason_code"] == "closed_all_days"]
    assert len(closed) >= 1 and set(closed["reason"]) == {words["closed"]}


def test_rep_map_and_ics_word_the_catch_up(built) -> None:
    language, root, missed = built
    words = WORDS[language]
    rep = str(missed["rep_id"])
    page = (root / "maps" / "week-02" / f"{rep}.html").read_text(encoding="utf-8")
    page = html.unescape(re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m[1], 16)), page))
    assert words["popup"] in page
    assert "catch-up: missed" not in page and "catch_up_missed" not in page
    ics = _ics_text(root / "out" / "week-02" / "ics" / f"{rep}.ics")
    assert words["ics"] in ics
    assert "Why this week" not in ics and "every " not in ics


def test_a_stored_plan_is_worded_in_the_language_it_is_read_in(built, tmp_path: Path) -> None:
    language, root, missed = built
    other = "pt-BR" if language == "es" else "es"
    words = WORDS[other]
    data = root / "data"
    with use_language(other), PlanStore(data / STORE_FILENAME) as store:
        plan = store.load_week_plan(2)
        assert plan is not None
        settings = load_settings(data / "routeplan.toml")
        reps = pd.read_csv(data / "reps.csv")
        written = write_week_files(plan, tmp_path, settings=settings, reps=reps)
    routes = pd.read_csv(tmp_path / "routes.csv", keep_default_na=False)
    assert routes.loc[routes["client_id"] == missed["client_id"], "reason"].tolist() == [
        words["catch_up"]
    ]
    dropped = pd.read_csv(tmp_path / "dropped.csv", keep_default_na=False)
    assert words["closed"] in set(dropped["reason"])
    ics = next(p for p in written["ics"] if p.stem == str(missed["rep_id"]))
    assert words["ics"] in _ics_text(ics)
